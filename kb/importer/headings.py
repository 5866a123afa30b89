"""Part headings as real copies word them. A heading is first looked up in data/parts.yml
(`headings`, exact wordings: strong); failing that, its wording is put in a family by the words
that say what a part is (原因/根源 → causes, 整改/努力方向 → measures, 查摆/检视/差距 → problems…:
weak). Only short, unpunctuated lines qualify, and a weak heading must be numbered in sequence
with the report's other part headings (see parse.Parser.find_parts), so a sentence that happens to
mention 问题 never opens a part."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..vocab import Vocabulary
from .censor import uncensored
from .markers import Marker, marker_at, squash

PART_NUMBER_STYLES = ("part-di", "cn-dun", "cn-paren", "ar")
PUNCT = re.compile(r"[，,。；;！？!?、]")
TRAIL = "：:。.．"
MAX_WEAK = 24  # characters of a heading recognised by its family, number aside
MAX_UNNUMBERED = 14  # the same for a heading without a number

# Most specific first: 上年度整改落实情况 is not 整改措施, 问题产生的原因 is not 存在的问题.
FAMILIES: list[tuple[str, re.Pattern]] = [
    ("last-rectification", re.compile(r"(上一?年度?|上一?次|去年|前次|以往|\d{4}年度?)\S{0,16}(整改|问题)\S{0,8}(落实|完成|进展|情况)"
                                      r"|^(整改|问题整改)(落实|完成|进展)情况$|^整改情况$")),
    ("personal-matters", re.compile(r"个人有关事项")),
    ("other", re.compile(r"^其他|需要说明|说明的(问题|事项|情况)$")),
    ("cases", re.compile(r"案例|以案|反面典型|典型\S{0,4}剖析|警示")),
    ("causes", re.compile(r"原因|根源|根子|症结|成因|深层次")),
    ("measures", re.compile(r"整改|措施|举措|努力方向|改进方向|下一步|今后|打算|方向|目标任务")),
    ("problems", re.compile(r"问题|不足|差距|查摆|检视|检查|剖析|短板|弱项|表现")),
    ("situation", re.compile(r"基本情况|总体情况|工作情况|会前|征求意见|谈心谈话|情况$")),
    ("closing", re.compile(r"^(结语|结束语)$")),
]
# What a family never covers: a report's own title, a section heading of the 在…方面 kind.
NOT_A_PART = re.compile(r"(材料|提纲|发言|汇报)$|^在|方面(存在|的|$)|同志$")


@dataclass(frozen=True)
class Hit:
    part: str
    end: int  # where the heading ends in its paragraph; negative: runs into its text (trusted only in sequence)
    marker: Marker | None
    strong: bool  # worded as data/parts.yml lists it


class PartHeadings:
    """Recognises part headings by their wording (data/parts.yml `headings`, then the families)."""

    def __init__(self, vocab: Vocabulary):
        self.headings = sorted(((squash(h), p.id) for p in vocab.parts.values() for h in p.headings if h),
                               key=lambda pair: -len(pair[0]))
        self.known = set(vocab.parts)
        self.exact = {heading for heading, _part in self.headings}

    @staticmethod
    def _strip_number(text: str) -> tuple[str, Marker | None]:
        marker = marker_at(text, 0, PART_NUMBER_STYLES)
        return (text[marker.end:] if marker else text), marker

    def listed(self, body: str) -> str | None:
        """The part whose listed wording this heading body is (or nearly is: then what the words
        around it say prevails, so 存在问题的原因剖析 is causes although it begins like problems,
        while 存在的问题及原因分析 is the problems part that also holds the causes)."""
        if not body or len(body) > 30:
            return None
        for heading, part_id in self.headings:
            if body == heading:
                return part_id
        near = None
        for heading, part_id in self.headings:
            rest = body[len(heading):]
            if body.startswith(heading) and len(rest) <= 8 and not PUNCT.search(rest):
                if rest[:1] in "及和与暨":  # 存在的问题及原因分析: one part holding both, named by its first
                    return part_id
                near = part_id
                break
        if near is None:
            for heading, part_id in self.headings:
                if heading in body and len(body) <= len(heading) + 6 and not PUNCT.search(body):
                    near = part_id
                    break
        return near and (self.family(body) or near)

    def family(self, body: str) -> str | None:
        """The part a short unlisted heading belongs to by its wording ("other" when its part is not
        in this project's data/parts.yml)."""
        body = uncensored(body)
        if not body or len(body) > MAX_WEAK or PUNCT.search(body) or NOT_A_PART.search(body):
            return None
        for part_id, pattern in FAMILIES:
            if pattern.search(body):
                return part_id if part_id in self.known else "other"
        return None

    def classify(self, body: str) -> tuple[str, bool] | None:
        body = body.rstrip(TRAIL)
        listed = self.listed(body)
        if listed:
            return listed, True
        family = self.family(body)
        return (family, False) if family else None

    def whole(self, text: str) -> Hit | None:
        """The whole text is a part heading (its own line). Unnumbered, it must look like a title
        (no full stop unless worded exactly as listed; short if unlisted), not the last line of a
        hard-wrapped paragraph."""
        body, marker = self._strip_number(squash(text))
        found = self.classify(body)
        if found is None:
            return None
        if marker is None and body.endswith("。") and body.rstrip(TRAIL) not in self.exact:
            return None  # an unnumbered sentence ("…情况报告如下。") is text, unless worded exactly as listed
        if not found[1] and marker is None and len(body) > MAX_UNNUMBERED:
            return None
        return Hit(found[0], len(text), marker_at(text, 0, PART_NUMBER_STYLES), found[1])

    def at(self, text: str, pos: int) -> Hit | None:
        """A numbered part heading starting at `pos` inside running text."""
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
                if end < len(text) and text[end] in TRAIL:
                    return Hit(part_id, end + 1, marker, True)
                if end >= len(text) or marker_at(text, end) is not None:
                    return Hit(part_id, end, marker, True)
                for k in range(end + 1, min(len(text), end + 12) + 1):  # "存在的问题和不足（一）…"
                    if PUNCT.search(text[end:k]):
                        break
                    if k == len(text) or marker_at(text, k) is not None:
                        return Hit(part_id, k, marker, True)
                return Hit(part_id, -end, marker, True)  # run into its text: only trusted when numbered in sequence
        # an unlisted wording: the heading ends at 。/： or where numbering begins, within MAX_WEAK characters
        for k in range(start + 1, min(len(text), start + MAX_WEAK + 2) + 1):
            if k < len(text) and PUNCT.search(text[k]) and text[k] not in TRAIL:
                return None
            ends = k == len(text) or text[k] in TRAIL or marker_at(text, k) is not None
            if ends:
                family = self.family(squash(text[start:k]))
                if family is None:
                    return None
                end = k + 1 if k < len(text) and text[k] in TRAIL else k
                return Hit(family, end, marker, False)
        return None
