"""Paragraphs to report structure: parts (by their heading wording, data/parts.yml), sections (the
first numbering style of a part), items (the next numbering style inside a section). Every
character ends up in exactly one piece: a part heading, a section heading or a paragraph."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..vocab import Vocabulary
from .errors import ImporterError
from ..errors import Problem
from .lines import Paragraph
from .markers import ITEM_ONLY, STYLE_EXAMPLES, Marker, boundaries, marker_at, squash

PART_NUMBER_STYLES = ("part-di", "cn-dun", "cn-paren", "ar")
_PUNCT = re.compile(r"[，,。；;！？!?、]")
_TRAIL = "：:。.．"
SUMMARY = re.compile(r"总的看|总的来看|总的来说|总体看|总体来看|总体而言|总之|综上所述|综上")
Pos = tuple[int, int]  # (paragraph index, offset)


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


class PartHeadings:
    """Recognises part headings by their wording (data/parts.yml `headings`)."""

    def __init__(self, vocab: Vocabulary):
        self.headings = sorted(((squash(h), p.id) for p in vocab.parts.values() for h in p.headings if h),
                               key=lambda pair: -len(pair[0]))

    @staticmethod
    def _strip_number(text: str) -> tuple[str, Marker | None]:
        marker = marker_at(text, 0, PART_NUMBER_STYLES)
        return (text[marker.end:] if marker else text), marker

    def whole(self, text: str) -> str | None:
        """The part id when the whole text is a part heading (own line)."""
        body, _ = self._strip_number(squash(text))
        body = body.rstrip(_TRAIL)
        if not body or len(body) > 30:
            return None
        for heading, part_id in self.headings:
            if body == heading:
                return part_id
        for heading, part_id in self.headings:
            rest = body[len(heading):]
            if body.startswith(heading) and len(rest) <= 8 and not _PUNCT.search(rest):
                return part_id
        for heading, part_id in self.headings:
            if heading in body and len(body) <= len(heading) + 6 and not _PUNCT.search(body):
                return part_id
        return None

    def at(self, text: str, pos: int) -> tuple[str, int, Marker | None] | None:
        """A numbered part heading starting at `pos` inside running text: (part id, end, marker)."""
        marker = marker_at(text, pos, PART_NUMBER_STYLES)
        if marker is None:
            return None
        start = marker.end
        for heading, part_id in self.headings:
            if squash(text[start:start + len(heading) + 4]).startswith(heading):
                end = start
                matched = 0
                while matched < len(heading) and end < len(text):  # walk over the heading, spaces allowed
                    if not text[end].isspace():
                        matched += 1
                    end += 1
                if end < len(text) and text[end] in _TRAIL:
                    return part_id, end + 1, marker
                if end >= len(text) or marker_at(text, end) is not None:
                    return part_id, end, marker
                for k in range(end + 1, min(len(text), end + 12) + 1):  # "存在的问题和不足（一）…"
                    if _PUNCT.search(text[end:k]):
                        break
                    if k == len(text) or marker_at(text, k) is not None:
                        return part_id, k, marker
                return part_id, -end, marker  # run into its text: only trusted when numbered in sequence
        return None


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
    def find_parts(self) -> list[tuple[Pos, Pos, str, Marker | None]]:
        """(heading start, heading end, part id, numbering) in document order."""
        found = []
        style = None
        last = 0
        used: dict[str, int] = {}
        for index, para in enumerate(self.paras):
            for offset in self.bounds[index]:
                hit = None
                if offset == 0:
                    part_id = self.part_headings.whole(para.text)
                    if part_id:
                        hit = (part_id, len(para.text), marker_at(para.text, 0, PART_NUMBER_STYLES))
                if hit is None:
                    hit = self.part_headings.at(para.text, offset)
                if hit is None and offset == 0 and style is not None:
                    # an unlisted part heading numbered like its neighbours: "二、关于……"
                    marker = marker_at(para.text, 0, (style,))
                    rest = para.text[marker.end:] if marker else ""
                    if (marker and marker.number == last + 1 and 0 < len(squash(rest)) <= 30
                            and not re.search(r"[，,。；;]", rest.rstrip(_TRAIL))):
                        hit = ("other", len(para.text), marker)
                if hit is None:
                    continue
                part_id, end, marker = hit
                if end < 0:
                    end = -end
                    if marker is None or marker.number != last + 1 or (style is not None and marker.style != style):
                        continue
                if marker is not None:
                    if style is None:
                        style = marker.style
                    if marker.style != style or marker.number <= last:
                        continue  # numbered unlike the part headings: a mention inside the text
                    last = marker.number
                elif offset != 0:
                    continue
                line = self.paras[index].line_at(offset)
                if part_id in used:
                    if part_id == "other":
                        self.problems.append(_problem(line, "unknown-part-heading",
                            f"第 {line} 行和第 {used[part_id]} 行都是无法识别的部分标题：请在 data/parts.yml 的 headings 中登记其中的写法",
                            f"lines {used[part_id]} and {line} are both part headings that are not in data/parts.yml: add their wording to the headings of a part there",
                            self.file))
                    else:
                        self.problems.append(_problem(line, "duplicate-part",
                            f"第 {line} 行的部分标题与第 {used[part_id]} 行属于同一部分（{part_id}）：一份报告每个部分只能出现一次",
                            f"the part heading at line {line} repeats part {part_id} (line {used[part_id]}): each part appears once per report",
                            self.file))
                    continue
                used[part_id] = line
                found.append(((index, offset), (index, end), part_id, marker))
        return found

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
        return Parsed(parts)

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
        for k, (pos, marker) in enumerate(cuts):
            end = cuts[k + 1][0] if k + 1 < len(cuts) else stop
            sections.append(self.parse_section(part.id, k + 1, pos, marker, end, has_items,
                                               exclude={section_style, part_style}))
        return sections

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
        if not section.blocks:
            self.problems.append(_problem(section.heading_line, "empty-section",
                f"第 {section.heading_line} 行的标题“{(section.heading or '')[:30]}”下面没有正文：若正文与标题在同一行，请在标题句末加句号",
                f"the heading at line {section.heading_line} has no text under it: if its text runs on the same line, end the heading sentence with 。",
                self.file))
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
                # "1、政治引导力不够强。" alone, its text in the next paragraph: one item (only a line break is lost)
                item_end = min(end, (pos[0] + 1, len(self.paras[pos[0] + 1].text)))
            summary = self.summary_start(pos, item_end)
            pieces = self.pieces(pos, summary or item_end)
            if pieces:
                blocks.append(Block("".join(t for t, _ in pieces), pieces[0][1], item=True))
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
