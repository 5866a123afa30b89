"""Plain-text views of stored Markdown: what catalog.json, search and titles show."""

from __future__ import annotations

import re

# Numbering as reports write it (the importer cuts sections and items with these).
# style name -> pattern of the marker (group "n" is the number). Order matters: longer forms first.
NUMBERING_STYLES: list[tuple[str, re.Pattern]] = [
    # copies from PDFs and web pages put spaces inside numbers ("（ 一 ）", "1 . "): allowed throughout
    ("part-di", re.compile(r"第\s*(?P<n>[一二三四五六七八九十]+)\s*部分[、，,：:.．\s]*")),
    ("cn-paren", re.compile(r"[（(]\s*(?P<n>[一二三四五六七八九十]+)\s*[)）]\s*")),
    ("ar-paren", re.compile(r"[（(]\s*(?P<n>[0-9]{1,2})\s*[)）]\s*")),
    ("shi", re.compile(r"(?P<n>[一二三四五六七八九十]+)是(?=[^，,、。；;：:\s])")),
    ("qi", re.compile(r"其(?P<n>[一二三四五六七八九十]+)[，,、：:]\s*")),
    ("di", re.compile(r"第(?P<n>[一二三四五六七八九十]+)[，,、：:]\s*")),
    ("cn-dun", re.compile(r"(?P<n>[一二三四五六七八九十]+)\s*[、.．]\s*")),
    ("ar", re.compile(r"(?P<n>[0-9]{1,2})\s*(?:[、]|[.．](?![0-9]))\s*")),
    ("circled", re.compile(r"(?P<n>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*")),
]
# Any item numbering at the start of a paragraph ("第一部分" numbers parts, not items).
NUMBERING = re.compile(r"^\s*(?:" + "|".join(p.pattern.replace("(?P<n>", "(?:") for name, p in NUMBERING_STYLES
                                              if name != "part-di") + r")\s*")
_SENTENCE_END = re.compile(r"[。！？；!?;]")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)(\{[^}]*\})?")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_HEADING = re.compile(r"^#{1,6}\s+", re.M)


def plain(markdown: str) -> str:
    """Stored Markdown to the text a reader sees (links keep their text, emphasis marks go)."""
    # most paragraphs hold none of these marks: a substring test is far cheaper than a regex pass
    text = _LINK.sub(r"\1", markdown) if "](" in markdown else markdown
    if "*" in text or "_" in text or "`" in text:
        text = _EMPHASIS.sub("", text)
    if "#" in text:
        text = _HEADING.sub("", text)
    return text.strip()


def strip_numbering(text: str) -> str:
    return NUMBERING.sub("", text, count=1)


def item_title(text: str, fallback: str | None = None, limit: int = 40) -> str:
    """The item's own heading sentence: "一是离“学深”有差距。有的…" -> "离“学深”有差距"."""
    body = plain(text)
    numbered = NUMBERING.match(body) is not None
    if not numbered and fallback:
        # An unnumbered item standing alone under a heading ("（一）理性信念改造不彻底。" + body): the heading names it.
        return heading_title(fallback, limit)
    body = strip_numbering(body)
    label, newline, _rest = body.partition("\n")
    if newline and not _SENTENCE_END.search(label) and len(label) <= limit:
        return label.strip()  # a sub-heading on its own line ("1.政治忠诚") names the paragraph under it
    return first_sentence(body, limit)


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 25 -> 二十五 (numbering of themes and sections)."""
    digits = "零一二三四五六七八九"
    if n <= 10:
        return "十" if n == 10 else digits[n]
    return ("" if n < 20 else digits[n // 10]) + "十" + (digits[n % 10] if n % 10 else "")


def first_sentence(text: str, limit: int = 40) -> str:
    match = _SENTENCE_END.search(text)
    sentence = text[: match.start()] if match else text
    if len(sentence) > limit:
        sentence = sentence[:limit].rstrip("，,、：:") + "…"
    return sentence.strip()


def heading_title(heading: str, limit: int = 40) -> str:
    return first_sentence(strip_numbering(plain(heading)), limit)
