"""Paragraphs to report structure: parts (by their heading wording, kb/importer/headings.py, in
the numbering that names the most parts), sections (the first numbering style of a part), items
(the next numbering style inside a section). Every character ends up in exactly one piece: a part
heading, a section heading or a paragraph. What makes the structure doubtful (no problems part, a
long numbered block before the first part heading) is listed in Parsed.doubts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..vocab import Vocabulary
from .errors import ImporterError
from ..errors import Problem
from .lines import Paragraph
from .headings import PART_NUMBER_STYLES, TRAIL, Hit, PartHeadings
from .markers import ITEM_ONLY, STYLE_EXAMPLES, Marker, boundaries, ends_terminal, marker_at, squash

SUMMARY = re.compile(r"总的看|总的来看|总的来说|总体看|总体来看|总体而言|总之|综上所述|综上")
Pos = tuple[int, int]  # (paragraph index, offset)
PROBLEMS_SECTION = re.compile(r"方面|带头|问题|不足|差距|短板")
ACCEPT_HINT = ("若报告确实如此，加 --accept-structure 照此导入；否则把原文的标题写法加入 data/parts.yml 对应部分的 headings / "
               "if the report really is laid out so, add --accept-structure to import it as found; otherwise add the "
               "heading's wording to the part's headings in data/parts.yml")


@dataclass
class Block:
    text: str
    line: int
    item: bool = False


@dataclass
class Section:
    part: str
    number: int  # 0: the part's text before its first numbered section
    heading: str | None
    heading_line: int | None
    blocks: list[Block] = field(default_factory=list)

    @property
    def items(self) -> list[Block]:
        return [b for b in self.blocks if b.item]


@dataclass
class Part:
    id: str
    heading: str | None
    line: int | None
    sections: list[Section] = field(default_factory=list)


@dataclass
class Parsed:
    parts: list[Part]
    # What makes the structure doubtful (no problems part, a numbered block in the preface): the
    # import stops on these unless the contributor accepts the structure as found.
    doubts: list[Problem] = field(default_factory=list)

    def pieces(self) -> list[str]:
        out = []
        for part in self.parts:
            if part.heading:
                out.append(part.heading)
            for section in part.sections:
                if section.heading:
                    out.append(section.heading)
                out.extend(b.text for b in section.blocks)
        return out


def _problem(line: int | None, code: str, zh: str, en: str, file: str) -> Problem:
    return Problem(file, line, code, zh, en)


class Parser:
    def __init__(self, paragraphs: list[Paragraph], vocab: Vocabulary, file: str):
        self.paras = paragraphs
        self.vocab = vocab
        self.file = file
        self.part_headings = PartHeadings(vocab)
        self.problems: list[Problem] = []
        self._out_of_sequence: set[tuple[Pos, str]] = set()  # reported once, though a section's markers are read twice
        self.bounds = [boundaries(p.text) for p in paragraphs]

    # ------------------------------------------------------------------ helpers
    def line(self, pos: Pos) -> int:
        index, offset = pos
        if index >= len(self.paras):
            return self.paras[-1].numbers[-1]
        text = self.paras[index].text
        while offset < len(text) and text[offset].isspace():
            offset += 1
        return self.paras[index].line_at(offset)

    def end(self) -> Pos:
        return (len(self.paras), 0)

    def pieces(self, start: Pos, stop: Pos) -> list[tuple[str, int]]:
        """The paragraphs (or parts of them) between two positions: (text, line)."""
        out = []
        for index in range(start[0], min(stop[0], len(self.paras) - 1) + 1):
            text = self.paras[index].text
            a = start[1] if index == start[0] else 0
            b = stop[1] if index == stop[0] else len(text)
            piece = text[a:b]
            stripped = piece.strip()
            if stripped:
                offset = a + (len(piece) - len(piece.lstrip()))
                out.append((stripped, self.paras[index].line_at(offset)))
        return out

    def markers(self, start: Pos, stop: Pos, styles=None) -> list[tuple[Pos, Marker]]:
        """Numbering markers at sentence boundaries between two positions (and at `start`)."""
        found = []
        for index in range(start[0], min(stop[0], len(self.paras) - 1) + 1):
            text = self.paras[index].text
            offsets = list(self.bounds[index])
            if index == start[0] and start[1] not in offsets:
                offsets.append(start[1])
            for offset in sorted(offsets):
                pos = (index, offset)
                if pos < start or pos >= stop:
                    continue
                marker = marker_at(text, offset, styles)
                if marker is not None:
                    found.append((pos, marker))
        return found

    # ------------------------------------------------------------------ parts
    def part_hits(self) -> dict[Pos, Hit]:
        """Every place a part heading may start: a whole paragraph, or a numbered heading in running text."""
        hits: dict[Pos, Hit] = {}
        for index, para in enumerate(self.paras):
            for offset in self.bounds[index]:
                hit = self.part_headings.whole(para.text) if offset == 0 else None
                if hit is None:
                    hit = self.part_headings.at(para.text, offset)
                if hit is not None:
                    hits[(index, offset)] = hit
        return hits

    @staticmethod
    def part_style(hits: dict[Pos, Hit]) -> str | None:
        """The numbering of the part headings: the style whose hits, taken in rising numbers, name
        the most different parts (so （一）…存在的问题 under 一、对照检查剖析 stays a section);
        ties go to the higher level (第一部分, then 一、, then （一）, then 1、)."""
        best = None
        for rank, style in enumerate(PART_NUMBER_STYLES):
            last, parts = 0, set()
            for hit in hits.values():
                if hit.marker is not None and hit.marker.style == style and hit.marker.number > last:
                    last = hit.marker.number
                    parts.add(hit.part)
            if parts and (best is None or len(parts) > best[0]):
                best = (len(parts), style)
        return best[1] if best else None

    def find_parts(self) -> list[tuple[Pos, Pos, str, Marker | None]]:
        """(heading start, heading end, part id, numbering) in document order."""
        found = []
        hits = self.part_hits()
        style = self.part_style(hits)
        last = 0
        used: dict[str, int] = {}
        for index, para in enumerate(self.paras):
            for offset in self.bounds[index]:
                hit = hits.get((index, offset))
                if hit is None and offset == 0 and style is not None:
                    # an unlisted part heading numbered like its neighbours: "二、关于……"
                    marker = marker_at(para.text, 0, (style,))
                    rest = para.text[marker.end:] if marker else ""
                    if (marker and marker.number == last + 1 and 0 < len(squash(rest)) <= 30
                            and not re.search(r"[，,。；;]", rest.rstrip(TRAIL))):
                        hit = Hit("other", len(para.text), marker, False)
                if hit is None:
                    continue
                part_id, end, marker = hit.part, hit.end, hit.marker
                if end < 0:
                    end = -end
                    if marker is None or marker.number != last + 1 or marker.style != style:
                        continue
                if marker is not None:
                    if marker.style != style or marker.number <= last:
                        continue  # numbered unlike the part headings: a mention inside the text
                    if not hit.strong and marker.number != last + 1:
                        continue  # an unlisted wording is a part heading only in sequence
                    last = marker.number
                elif offset != 0 or (not hit.strong and style is not None):
                    continue  # unnumbered among numbered part headings: a line of the text
                line = self.paras[index].line_at(offset)
                if part_id in used and part_id != "other":  # several "other": see headless_problems
                    self.problems.append(_problem(line, "duplicate-part",
                        f"第 {line} 行的部分标题与第 {used[part_id]} 行属于同一部分（{part_id}）：一份报告每个部分只能出现一次",
                        f"the part heading at line {line} repeats part {part_id} (line {used[part_id]}): each part appears once per report",
                        self.file))
                    continue
                used.setdefault(part_id, line)
                found.append(((index, offset), (index, end), part_id, marker))
        found = self.headless_problems(found)
        others = [self.line(start) for start, _end, part_id, _m in found if part_id == "other"]
        if len(others) > 1:
            self.problems.append(_problem(others[1], "unknown-part-heading",
                f"第 {others[0]} 行和第 {others[1]} 行都是无法识别的部分标题：请在 data/parts.yml 的 headings 中登记其中的写法",
                f"lines {others[0]} and {others[1]} are both part headings that are not in data/parts.yml: add their wording to the headings of a part there",
                self.file))
            found = [head for head in found if head[2] != "other" or self.line(head[0]) == others[0]]
        return found

    def headless_problems(self, heads: list) -> list:
        """"一、带头严守政治纪律…方面" … "四、带头履行…方面", then "五、问题产生的原因": the themes numbered
        as parts, with no problems heading over them, are the sections of a problems part without a
        heading. Taken only when no part is problems and their numbers lead straight into the first
        recognised part's."""
        if any(part_id == "problems" for _s, _e, part_id, _m in heads):
            return heads
        first = next((head for head in heads if head[2] != "other"), None)
        if first is None or first[3] is None or first[3].number < 2:
            return heads
        style, count = first[3].style, first[3].number - 1
        entries: list[int] = []
        for index in range(first[0][0]):
            marker = marker_at(self.paras[index].text, 0, (style,))
            if marker is not None and marker.number == len(entries) + 1:
                entries.append(index)
        if count < 2 or len(entries) != count:
            return heads
        for index in entries:  # each must read like a problems section: "…方面", "带头…", "…存在的问题"
            text = self.paras[index].text
            heading = text[:next((b for b in self.bounds[index] if b > 0), len(text))]
            if not PROBLEMS_SECTION.search(heading):
                return heads
        kept = [head for head in heads if not (head[0][0] in entries and head[2] == "other")]
        if any(head[0][0] in entries for head in kept):
            return heads  # a recognised part among them: not the themes
        start = (entries[0], 0)
        return sorted(kept + [(start, start, "problems", None)], key=lambda head: head[0])

    # ------------------------------------------------------------------ whole document
    def parse(self) -> Parsed:
        heads = self.find_parts()
        if not heads:
            raise ImporterError(self.problems + [_problem(None, "no-structure",
                "没有找到任何部分标题（如“一、存在的问题”“二、原因剖析”“三、整改措施”），无法识别报告结构。"
                "若标题写法不同，请把它加入 data/parts.yml 的 headings",
                'no part heading found (such as "一、存在的问题", "二、原因剖析", "三、整改措施"): the report structure is not '
                "recognisable. If the headings are worded differently, add the wording to headings in data/parts.yml",
                self.file)])
        parts: list[Part] = []
        preface = self.pieces((0, 0), heads[0][0])
        if preface:
            section = Section("preface", 0, None, None, [Block(t, l) for t, l in preface])
            parts.append(Part("preface", None, None, [section]))
        for number, (start, end, part_id, _marker) in enumerate(heads):
            stop = heads[number + 1][0] if number + 1 < len(heads) else self.end()
            heading = self.pieces(start, end)
            heading_text = heading[0][0] if heading else ""
            part = Part(part_id, heading_text, self.line(start))
            part.sections = self.parse_part(part, end, stop, _marker)
            if not part.sections:
                self.problems.append(_problem(part.line, "empty-part",
                    f"第 {part.line} 行的部分“{heading_text}”下面没有任何文字", f'part "{heading_text}" at line {part.line} has no text under it',
                    self.file))
            parts.append(part)
        if self.problems:
            raise ImporterError(self.problems)
        return Parsed(parts, self.doubts(parts, heads[0][0]))

    # ------------------------------------------------------------------ doubts
    def doubts(self, parts: list[Part], first_head: Pos) -> list[Problem]:
        doubts = []
        preface_end = first_head if parts and parts[0].id == "preface" else (0, 0)
        block = self.numbered_block(preface_end)
        if block is not None:
            first, last, count, example = block
            doubts.append(_problem(first, "numbered-preface",
                f"第 {first}–{last} 行在第一个部分标题之前，却是一段编号内容（“{example}”起共 {count} 项），被当作了导语："
                "它多半是标题没被认出的一个部分（问题、原因或措施）",
                f'lines {first}-{last} come before the first part heading yet hold a numbered block ({count} entries from '
                f'"{example}"), taken as the preface: most likely a part (problems, causes or measures) whose heading was not recognised',
                self.file))
        if not any(part.id == "problems" for part in parts):
            candidates = self.heading_candidates(parts)
            where = "；".join(f"第 {line} 行“{text}”" for line, text in candidates[:5])
            doubts.append(_problem(candidates[0][0] if candidates else None, "no-problems-part",
                "没有找到“存在的问题”部分（如“一、存在的问题”“一、对照检查剖析”“一、查摆问题”“一、存在的差距和不足”）"
                + (f"。像部分标题而没认出的行：{where}" if where else ""),
                'no problems part found (headed like "一、存在的问题", "一、对照检查剖析", "一、查摆问题")'
                + (f"; lines that look like unrecognised part headings: {', '.join(str(l) for l, _ in candidates[:5])}"
                   if candidates else ""),
                self.file))
        return [replace(doubt, allowed=ACCEPT_HINT) for doubt in doubts]

    def numbered_block(self, stop: Pos) -> tuple[int, int, int, str] | None:
        """A run of numbered paragraphs 1, 2, … before `stop` long enough to be a part of its own:
        (first line, last line, entries, first marker). A preface's "一是…；二是…" list of the
        meeting's preparations is not one."""
        if stop <= (0, 0):
            return None
        runs: dict[str, list[tuple[Pos, Marker]]] = {}
        for pos, marker in self.markers((0, 0), stop):
            run = runs.setdefault(marker.style, [])
            if marker.number == len(run) + 1:
                run.append((pos, marker))

        def long(style: str, cuts: list) -> bool:
            if len(cuts) < 2:
                return False
            length = sum(len(t) for t, _ in self.pieces(cuts[0][0], stop))
            if style in ITEM_ONLY:  # 一是… lists: a preface may list the meeting's preparations so
                return length >= 1500
            return len({index for (index, _), _m in cuts}) >= 2 and length >= 400

        cuts = next((cuts for style, cuts in runs.items() if long(style, cuts)), None)
        if cuts is None:
            return None
        start = cuts[0][0]
        pieces = self.pieces(start, stop)
        text = self.paras[start[0]].text
        example = text[start[1]:cuts[0][1].end + 8]
        if start[1] == 0 and start[0] > 0 and len(self.paras[start[0] - 1].text) <= 30:  # its heading, likely
            example = f"{self.paras[start[0] - 1].text}”下的“{example}"
        return self.line(start), pieces[-1][1], len(cuts), example

    def heading_candidates(self, parts: list[Part]) -> list[tuple[int, str]]:
        """Short numbered lines outside any recognised part: headings this report words its own way."""
        out = []
        for part in parts:
            if part.id not in ("preface", "other") and part.heading:
                continue
            if part.id == "other" and part.heading:
                out.append((part.line, part.heading))
            for section in part.sections:
                for block in section.blocks:
                    if len(block.text) <= 30 and marker_at(block.text, 0, PART_NUMBER_STYLES):
                        out.append((block.line, block.text))
        return sorted(out)

    def parse_part(self, part: Part, start: Pos, stop: Pos, part_marker: Marker | None) -> list[Section]:
        vocab_part = self.vocab.parts.get(part.id)
        has_items = bool(vocab_part and vocab_part.item_types)
        part_style = part_marker.style if part_marker else None
        candidates = [(p, m) for p, m in self.markers(start, stop)
                      if m.style not in ITEM_ONLY and m.style != part_style]
        section_style, cuts = self._numbered_run(candidates, "section")
        sections = []
        first = cuts[0][0] if cuts else stop
        intro = Section(part.id, 0, None, None)
        intro.blocks = self.body(start, first, has_items, exclude={section_style, part_style}, headed=False)
        if intro.blocks:
            sections.append(intro)
        numbered = []
        for k, (pos, marker) in enumerate(cuts):
            end = cuts[k + 1][0] if k + 1 < len(cuts) else stop
            numbered.append(self.parse_section(part.id, k + 1, pos, marker, end, has_items,
                                               exclude={section_style, part_style}))
        if numbered and not any(s.blocks for s in numbered):
            # "(1)加强理论学习。" one sentence each, nothing under any of them: a list, not sections
            intro.blocks = self.body(start, stop, has_items, exclude={part_style}, headed=False)
            return [intro]
        for section in numbered:
            if not section.blocks:
                self.problems.append(_problem(section.heading_line, "empty-section",
                    f"第 {section.heading_line} 行的标题“{(section.heading or '')[:30]}”下面没有正文：若正文与标题在同一行，请在标题句末加句号",
                    f"the heading at line {section.heading_line} has no text under it: if its text runs on the same line, end the heading sentence with 。",
                    self.file))
        return sections + numbered

    def parse_section(self, part_id: str, number: int, start: Pos, marker: Marker, stop: Pos, has_items: bool,
                      exclude: set) -> Section:
        index, offset = start
        text = self.paras[index].text
        body_start = (index, marker.end)
        item_marks = self.item_markers(body_start, stop, exclude) if has_items else []
        heading_end = len(text)
        for b in self.bounds[index]:
            if b > marker.end:
                heading_end = b
                break
        for pos, _m in item_marks:
            if pos[0] == index and pos[1] < heading_end:
                heading_end = pos[1]
                break
        heading = self.pieces(start, (index, heading_end))
        section = Section(part_id, number, heading[0][0] if heading else None, self.line(start))
        rest = (index, heading_end) if heading_end < len(text) else (index + 1, 0)
        section.blocks = self.body(rest, stop, has_items, exclude, headed=True)
        return section

    def item_markers(self, start: Pos, stop: Pos, exclude: set) -> list[tuple[Pos, Marker]]:
        candidates = [(p, m) for p, m in self.markers(start, stop) if m.style not in exclude]
        return self._numbered_run(candidates, "item")[1]

    def _numbered_run(self, candidates: list[tuple[Pos, Marker]], what: str):
        """The first style numbered 1 among the candidates and its markers in sequence 1, 2, 3…; a
        marker of that style out of sequence at a paragraph start is reported (for items only once
        the run has begun: a stray number before the first item is text)."""
        style = next((m.style for p, m in candidates if m.number == 1), None)
        cuts: list[tuple[Pos, Marker]] = []
        if style is None:
            return None, cuts
        expected = 1
        for pos, marker in candidates:
            if marker.style != style:
                continue
            if marker.number == expected:
                cuts.append((pos, marker))
                expected += 1
            elif pos[1] == 0 and (cuts or what == "section"):
                self._sequence_problem(pos, marker, expected, what)
        return style, cuts

    def body(self, start: Pos, stop: Pos, has_items: bool, exclude: set, headed: bool) -> list[Block]:
        if start >= stop:
            return []
        cuts = self.item_markers(start, stop, exclude) if has_items else []
        blocks: list[Block] = []
        if not cuts:
            pieces = self.pieces(start, stop)
            # an unnumbered body under a heading: each of its paragraphs is one item
            return [Block(t, l, item=has_items and headed) for t, l in pieces]
        blocks.extend(Block(t, l) for t, l in self.pieces(start, cuts[0][0]))
        for k, (pos, _marker) in enumerate(cuts):
            end = cuts[k + 1][0] if k + 1 < len(cuts) else stop
            item_end = min(end, (pos[0], len(self.paras[pos[0]].text)))
            if item_end < end and self.title_only(pos, item_end, end):
                # "1、政治引导力不够强。" or "1.政治忠诚" alone, its text in the next paragraph: one item
                item_end = min(end, (pos[0] + 1, len(self.paras[pos[0] + 1].text)))
            summary = self.summary_start(pos, item_end)
            pieces = self.pieces(pos, summary or item_end)
            if pieces:
                # a sub-heading without a full stop ("1.政治忠诚") keeps its line break: it ends the item's title
                joint = "\n" if len(pieces) > 1 and not ends_terminal(pieces[0][0]) else ""
                blocks.append(Block(joint.join(t for t, _ in pieces), pieces[0][1], item=True))
            if summary:  # "总的看，……" closes the list: it is no part of the last item
                blocks.extend(Block(t, l) for t, l in self.pieces(summary, item_end))
            if item_end < end:  # paragraphs after the item's own paragraph stay plain text
                after = (item_end[0] + 1, 0)
                blocks.extend(Block(t, l) for t, l in self.pieces(after, end))
        return blocks

    def title_only(self, pos: Pos, item_end: Pos, end: Pos) -> bool:
        text = self.paras[pos[0]].text[pos[1]:item_end[1]].strip()
        if pos[0] + 1 >= len(self.paras) or (pos[0] + 1, 0) >= end:
            return False
        following = self.paras[pos[0] + 1].text
        sentences = [b for b in self.bounds[pos[0]] if pos[1] < b < item_end[1]]
        return (len(text) <= 40 and not sentences and marker_at(following, 0) is None
                and self.part_headings.whole(following) is None)

    def summary_start(self, start: Pos, stop: Pos) -> Pos | None:
        index = start[0]
        text = self.paras[index].text
        for offset in self.bounds[index]:
            if start[1] < offset < (stop[1] if stop[0] == index else len(text)) and SUMMARY.match(text, offset):
                return (index, offset)
        return None

    def _sequence_problem(self, pos: Pos, marker: Marker, expected: int, what: str) -> None:
        if (pos, what) in self._out_of_sequence:
            return
        self._out_of_sequence.add((pos, what))
        line = self.line(pos)
        text = self.paras[pos[0]].text[pos[1]:marker.end].strip()
        example = STYLE_EXAMPLES.get(marker.style, "")
        zh_what, en_what = ("章节", "section") if what == "section" else ("条目", "item")
        self.problems.append(_problem(line, "numbering-gap",
            f"第 {line} 行的{zh_what}编号“{text}”不连续（应为第 {expected} 个，格式如“{example}”）：请核对原文是否缺漏或错号",
            f'the {en_what} number "{text}" at line {line} is out of sequence (expected number {expected}, like "{example}"): '
            "check the copy for a missing or misnumbered paragraph", self.file))


def parse(paragraphs: list[Paragraph], vocab: Vocabulary, file: str) -> Parsed:
    if not paragraphs:
        raise ImporterError([_problem(None, "no-text", "去掉页码、网页信息等杂项后没有剩下任何正文",
                                      "nothing is left once page numbers, web page chrome and the like are removed", file)])
    return Parser(paragraphs, vocab, file).parse()
