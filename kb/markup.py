"""Report text is plain text with the little Markdown the importer writes (paragraphs, `# heading`,
**emphasis**). Raw HTML in it would run in every reader's browser, a link can carry a javascript:
or data: URL, and an image loads from wherever it names (the site works offline): all three are
refused in section headings, section text and part headings, each at the line it stands on."""

from __future__ import annotations

import re

from .errors import Problems
from .model import Report, Section

# What Markdown passes on as HTML: a tag, closing tag, comment, declaration, processing
# instruction or <scheme:…> autolink all start with "<" and one of these.
RAW_HTML = re.compile(r"<[A-Za-z/!?]")
# Link and image targets: "](target" of [text](target) (nested brackets in the text do not hide
# it), and "[label]: target" reference definitions, whose target may stand on the next line.
INLINE_TARGET = re.compile(r"\]\s*\(\s*<?\s*([^\s)>]*)")
REFERENCE_TARGET = re.compile(r"^ {0,3}\[[^\[\]\n]*\]:\s*<?\s*(\S*)", re.M)
IMAGE = re.compile(r"!\[")
WEB_URL = re.compile(r"https?://\S", re.I)

PLAIN_TEXT = "写成纯文本（字符 < 写作 &lt;）；链接只能写成 [文字](https://…) / plain text (write a literal < as &lt;); links only as [text](https://…)"


def _excerpt(text: str, start: int) -> str:
    return text[start:start + 30].split("\n")[0]


def offences(text: str) -> list[tuple[int, str, str, str]]:
    """What a reader's browser must never get from report text: (offset, code, zh, en)."""
    if "<" not in text and "]" not in text:
        return []  # the usual paragraph: nothing Markdown could read as HTML, a link or an image
    found = []
    for match in RAW_HTML.finditer(text):
        snippet = _excerpt(text, match.start())
        found.append((match.start(), "raw-html", f"文字中不能有 HTML（标签、注释或 <…> 链接）：“{snippet}”",
                      f'text may not hold HTML (tags, comments or <…> links): "{snippet}"'))
    for match in IMAGE.finditer(text):
        found.append((match.start(), "bad-link", "报告中不能插入图片 ![…](…)：只收录文字",
                      "reports may not embed images ![…](…): they hold text only"))
    for pattern in (INLINE_TARGET, REFERENCE_TARGET):
        for match in pattern.finditer(text):
            target = match.group(1)
            if not WEB_URL.match(target):
                found.append((match.start(1), "bad-link", f"链接目标 “{target}” 不是 http(s) 网址",
                              f'link target "{target}" is not an http(s) URL'))
    return found


def check_text(text: str, first_line: int, file: str, problems: Problems) -> None:
    """One problem per offending line and kind, so that <b>…</b> is one mistake, not two."""
    found: dict[tuple[int, str], tuple[str, str]] = {}
    for offset, code, zh, en in offences(text):
        found.setdefault((first_line + text.count("\n", 0, offset), code), (zh, en))
    for (line, code), (zh, en) in sorted(found.items()):
        problems.add(file, line, code, zh, en, PLAIN_TEXT)


def check_report(report: Report, problems: Problems) -> None:
    """The part headings in index.md (shown as written on the report page)."""
    for part_id, heading in report.part_headings.items():
        check_text(heading, report.meta["parts"].line_of(part_id), report.file, problems)


def check_section(section: Section, problems: Problems) -> None:
    if section.heading is not None:
        check_text(section.heading, section.heading_line, section.file, problems)
    for block in section.blocks:
        check_text(block.text, block.line, section.file, problems)
