"""From raw text to paragraphs: line endings, indentation and copy damage (page footers, site
chrome, a repeated title, a table of contents, a signature) are recognised and listed; lines that a
PDF hard-wrapped are joined back without inserting anything between Chinese characters."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from .markers import ends_terminal, squash, starts_with_marker

_WS = " \t\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff\f\v"

FOOTER = re.compile(r"^(?:[-－—–―~～]\s*\d{1,4}\s*[-－—–―~～]|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"
                    r"|\d{1,4}\s*[/／]\s*\d{1,4}|\d{1,3}|[-－—–]?\s*[Pp]age\s*\d+.*)$")
CHROME = re.compile(r"^[【\[]?\s*(?:发布时间|发布日期|发表时间|更新时间|时间|日期|信息来源|文章来源|来源|浏览量|浏览次数|阅读量|阅读数|阅读次数"
                    r"|点击量|点击数|点击次数|访问量|作者|编辑|责任编辑|审核|审校|字号|字体|打印本页|打印|分享到|分享|关闭窗口|关闭|收藏"
                    r"|上一篇|下一篇|当前位置|您的位置|首页)\s*[】\]]?\s*(?:[:：>＞»]|$|\s)")
SEPARATOR = re.compile(r"^[-－—–=＝_＿*＊~～·•.。…\s]{3,}$")
TOC_TITLE = re.compile(r"^目\s*录[:：]?$")
TOC_LEADER = re.compile(r"[.．…·•_\-－—\s]{3,}\s*\d{1,4}\s*$")
DATE_LINE = re.compile(r"^[（(]?\s*(?:(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?"
                       r"|(?P<cy>[〇零一二三四五六七八九○Ｏ]{4})年(?P<cm>[一二三四五六七八九十]{1,2})月(?:(?P<cd>[一二三四五六七八九十]{1,3})日)?"
                       r"|(?P<iso>\d{4}[-/.]\d{1,2}[-/.]\d{1,2}))\s*[)）]?$")
SIGNATURE_HINT = re.compile(r"(班子|委员会|党委|党组|党支部|办公室|常委|领导|政府|局|委|支部|公司|学校|医院)$")
# An individual's signature: "对照检查人：xxx", "发言人：张xx", "单位：…　姓名：…"
SIGNER = re.compile(r"^(?:(?:对照检查人|检查人|发言人|报告人|汇报人|署名|姓名|单位|职务|所在支部|党员|日期)\s*[:：]\s*\S{1,20}\s*){1,3}$")


@dataclass
class Line:
    number: int  # 1-based line number in the input
    text: str  # without surrounding whitespace
    indented: bool  # began with whitespace (a paragraph indent in many copies)


@dataclass
class Dropped:
    number: int
    text: str
    zh: str
    en: str


@dataclass
class Paragraph:
    text: str
    starts: list[int] = field(default_factory=list)  # offset where each source line begins
    numbers: list[int] = field(default_factory=list)  # its line number

    def line_at(self, offset: int) -> int:
        return self.numbers[max(0, bisect_right(self.starts, offset) - 1)]


@dataclass
class Cleaned:
    paragraphs: list[Paragraph]
    dropped: list[Dropped]
    notes: list[str]  # what was done to the whole text (BOM, CRLF, hard wraps...)
    date: str  # a date found under the title or at the signature, "" if none


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def split_lines(text: str) -> tuple[list[Line], list[str]]:
    notes = []
    if "\r\n" in text:
        notes.append("CRLF 换行 / CRLF line endings")
    if "\r" in text.replace("\r\n", ""):
        notes.append("CR 换行 / CR line endings")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    lines = []
    for number, raw in enumerate(text.split("\n"), 1):
        stripped = raw.strip(_WS + "\n")
        lines.append(Line(number, stripped, indented=bool(stripped) and raw[:1] in _WS))
    if any(line.indented and line.text for line in lines):
        notes.append("段首缩进（含全角空格）已去除 / paragraph indents (incl. full-width spaces) removed")
    return lines, notes


def _date_of(text: str) -> str:
    match = DATE_LINE.match(text)
    if not match:
        return ""
    if match.group("y"):
        parts = [match.group("y"), match.group("m"), match.group("d")]
    elif match.group("iso"):
        parts = re.split(r"[-/.]", match.group("iso"))
    else:
        digits = {ch: str(i) for i, ch in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "Ｏ": "0"}
        year = "".join(digits.get(ch, "") for ch in match.group("cy"))
        from .markers import number_value

        parts = [year, str(number_value(match.group("cm"))), str(number_value(match.group("cd"))) if match.group("cd") else None]
    parts = [p for p in parts if p]
    if len(parts[0]) != 4:
        return ""
    return "-".join([parts[0]] + [p.zfill(2) for p in parts[1:]])


def _heading_like(text: str, part_heading) -> bool:
    return starts_with_marker(text) or part_heading(text)


def clean(text: str, title: str, part_heading) -> Cleaned:
    """`part_heading(text) -> bool` says whether a whole line is a known part heading."""
    lines, notes = split_lines(text)
    dropped: list[Dropped] = []
    noise: dict[int, tuple[str, str]] = {}
    date = ""

    def drop(line: Line, zh: str, en: str) -> None:
        noise[line.number] = (zh, en)

    content = [line for line in lines if line.text]
    for line in content:
        if FOOTER.match(line.text):
            drop(line, "页码/页脚", "page number or footer")
        elif SEPARATOR.match(line.text):
            drop(line, "分隔线", "separator line")
        elif len(line.text) <= 80 and "。" not in line.text and CHROME.match(line.text):
            drop(line, "网页栏目信息（发布时间、来源、浏览量等）", "web page chrome (date, source, views…)")
        elif TOC_LEADER.search(line.text) and len(line.text) <= 120:
            drop(line, "目录条目", "table of contents entry")

    # A table of contents: "目录", then heading-like entries until the body repeats one of them.
    for index, line in enumerate(content):
        if line.number in noise or not TOC_TITLE.match(squash(line.text)):
            continue
        drop(line, "目录", "table of contents")
        seen: set[str] = set()
        for entry in content[index + 1:]:
            key = squash(TOC_LEADER.sub("", entry.text))
            if entry.number in noise:
                if noise[entry.number][1] == "table of contents entry":
                    seen.add(key)
                    continue
                continue
            if key in seen or not (_heading_like(entry.text, part_heading) and "。" not in entry.text.rstrip("。")):
                break
            seen.add(key)
            drop(entry, "目录条目", "table of contents entry")
        break

    # The title (and a date under it) repeated before the text begins.
    title_key = squash(title)
    head = ""
    for line in content:
        if line.number in noise:
            continue
        key = squash(line.text)
        if title_key and (key == title_key or (len(key) >= 6 and (head + key) in title_key)):
            head += key
            drop(line, "重复的标题", "repeated title")
            continue
        if not head and len(key) <= 80 and "。" not in key and re.search(r"对照检查(材料|报告)?$|发言提纲$", key) and not _heading_like(line.text, part_heading):
            head = key
            drop(line, "标题", "title line")
            continue
        found = _date_of(line.text)
        if found and head:
            date = date or found
            drop(line, "标题下的日期（已写入 date）", "date under the title (kept as date)")
            continue
        break

    # A signature and date closing the text.
    tail = [line for line in content if line.number not in noise]
    signature: list[Line] = []
    has_date = False
    for line in reversed(tail[-4:]):
        found = _date_of(line.text)
        if found:
            has_date = True
            date = date or found
            signature.append(line)
            continue
        short = width(line.text) <= 60 and not re.search(r"[。，；：！？,;:!?]", line.text)
        if SIGNER.match(line.text) or (short and not _heading_like(line.text, part_heading)
                                       and (has_date or SIGNATURE_HINT.search(line.text))):
            signature.append(line)
            continue
        break
    if has_date or signature:
        for line in signature:
            drop(line, "落款（署名、日期）", "signature and date")

    for line in content:
        if line.number in noise:
            zh, en = noise[line.number]
            dropped.append(Dropped(line.number, line.text, zh, en))

    paragraphs = _join(lines, noise, part_heading, notes)
    return Cleaned(paragraphs, dropped, notes, date)


def _join(lines: list[Line], noise: dict, part_heading, notes: list[str]) -> list[Paragraph]:
    kept = [line for line in lines if line.text and line.number not in noise]
    widths = [width(line.text) for line in kept if width(line.text) >= 20]
    wrap = 0
    if len(widths) >= 5:
        common, _ = Counter(w // 4 for w in widths).most_common(1)[0]
        near = [w for w in widths if abs(w - (common * 4 + 2)) <= 4]
        if len(near) >= max(3, 0.3 * len(widths)) and common * 4 + 2 <= 140:
            wrap = max(near)
            notes.append(f"检测到硬换行（约每行 {wrap // 2} 个汉字），已接回成段 / hard-wrapped lines (~{wrap // 2} characters) rejoined")
    # a blank line breaks a paragraph unless it only surrounds a dropped page footer
    paragraphs: list[Paragraph] = []
    current: Paragraph | None = None
    previous: Line | None = None
    for line in kept:
        hard = current is None
        if not hard:
            gap = range(previous.number + 1, line.number)
            blank_gap = any(not lines[n - 1].text for n in gap)
            noise_gap = any(n in noise for n in gap)
            if blank_gap and not noise_gap:
                hard = True
            else:
                hard = not _soft_break(previous, line, wrap, part_heading, noise_gap)
        if hard:
            if current is not None:
                paragraphs.append(current)
            current = Paragraph("", [], [])
        else:
            sep = " " if (current.text[-1:].isascii() and current.text[-1:].isalnum() and line.text[:1].isascii()
                          and line.text[:1].isalnum()) else ""
            current.text += sep
        current.starts.append(len(current.text))
        current.numbers.append(line.number)
        current.text += line.text
        previous = line
    if current is not None:
        paragraphs.append(current)
    return paragraphs


def _soft_break(previous: Line, line: Line, wrap: int, part_heading, page_break: bool) -> bool:
    """Does `line` continue the paragraph of `previous` (a wrap, or a page break mid-paragraph)?"""
    if part_heading(previous.text) or part_heading(line.text):
        return False
    terminal = ends_terminal(previous.text)
    if wrap:
        full = width(previous.text) >= wrap - 5
        if not full:
            return False
        if terminal and (starts_with_marker(line.text) or line.indented):
            return False
        if starts_with_marker(previous.text) and not terminal and starts_with_marker(line.text):
            return False
        return True
    if terminal or line.indented or starts_with_marker(line.text):
        return False
    if starts_with_marker(previous.text) and not page_break:  # a heading on its own line
        return False
    return width(previous.text) >= 40
