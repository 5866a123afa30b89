"""Numbering and part headings as real copies write them. A marker is recognised at the start of a
paragraph or right after the end of a sentence, never in the middle of one."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import NUMBERING_STYLES

_CN_VALUE = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

STYLES = NUMBERING_STYLES
# Styles that only ever number items, never sections.
ITEM_ONLY = {"shi", "qi", "di", "circled"}
STYLE_EXAMPLES = {"part-di": "第一部分", "cn-paren": "（一）", "ar-paren": "（1）", "shi": "一是", "qi": "其一，",
                  "di": "第一，", "cn-dun": "一、", "ar": "1、", "circled": "①"}

SENTENCE_END = "。！？；：!?;:"
CLOSERS = "”’」』）)】"
TERMINAL = SENTENCE_END + "…"


def number_value(text: str) -> int:
    if len(text) == 1 and "①" <= text <= "⑳":  # before isdigit(), which is true for ①
        return ord(text) - ord("①") + 1
    if text.isascii() and text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_VALUE.get(tens, 1) if tens else 1) * 10 + (_CN_VALUE.get(ones, 0) if ones else 0)
    return _CN_VALUE.get(text, 0)


@dataclass(frozen=True)
class Marker:
    style: str
    number: int
    start: int  # offset in the paragraph
    end: int  # end of the marker itself (numbering only)


def marker_at(text: str, pos: int, styles=None) -> Marker | None:
    for style, pattern in STYLES:
        if styles is not None and style not in styles:
            continue
        match = pattern.match(text, pos)
        if match:
            return Marker(style, number_value(match.group("n")), pos, match.end())
    return None


def boundaries(text: str) -> list[int]:
    """Offsets where a marker may start: the paragraph start and right after each sentence end
    (closing quotes and spaces included), plus after a heading's typical last word 方面."""
    result = [0]
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in SENTENCE_END:
            j = i + 1
            while j < n and (text[j] in CLOSERS or text[j].isspace()):
                j += 1
            if j < n and (not result or result[-1] != j):
                result.append(j)
            i = j
            continue
        if text.startswith("方面", i) and i + 2 < n and marker_at(text, i + 2) is not None:
            result.append(i + 2)
        i += 1
    return result


def starts_with_marker(text: str) -> bool:
    return marker_at(text, 0) is not None


def ends_terminal(text: str) -> bool:
    stripped = text.rstrip()
    while stripped and stripped[-1] in CLOSERS:
        stripped = stripped[:-1]
    return bool(stripped) and stripped[-1] in TERMINAL


def squash(text: str) -> str:
    """Text without any whitespace: what "the same characters" means throughout the importer."""
    return re.sub(r"\s+", "", text)
