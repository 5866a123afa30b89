"""URL stability. A published report or section URL keeps working: a renamed report or section
names its old URL in `redirect_from: [reports/old/path/]`, and the build writes a small page there
that sends the reader on (meta refresh + a plain link, no JavaScript). A report's redirect also
covers its sections under the old path. data/published-urls.txt lists every URL ever published;
tests/test_urls.py fails when one of them is neither a page nor a redirect in the built site."""

from __future__ import annotations

import re
from pathlib import Path

from . import paths
from .errors import Problems
from .model import Report
from .published import PUBLISHED, with_urls
from .structure import RESERVED_REPORT_ID

# One segment of an old URL as this site writes them: report ids and section file stems.
_SEGMENT = re.compile(r"^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$")
_FORM = "reports/<旧报告id>/ 或 / or reports/<报告id>/<旧章节文件名>/（小写英文、数字、连字符 / lowercase ASCII, digits, hyphens）"


def _normalise(value: str) -> str:
    value = value.strip().lstrip("/")
    if value.endswith(".md"):
        value = paths.url_of(value)
    if value and not value.endswith("/"):
        value += "/"
    return value


def _declared(meta) -> list[str]:
    """The old URLs a file names; a value of the wrong type was reported as bad-type when read."""
    value = meta.get("redirect_from")
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return []
    return [_normalise(v) for v in value]


def _refusal(old: str, report_id: str, report_ids: set[str], pages: set[str]) -> tuple[str, str] | None:
    """Why `old` (declared in report `report_id`) cannot be redirected, or None. Only normalised
    paths pass: a server or MkDocs would resolve "reports/x/./" to reports/x/ and the redirect
    would replace that report's pages. (An old URL that is a current page is `redirect-to-page`.)"""
    segments = old.split("/")[:-1]  # normalised URLs end with "/"
    if "\\" in old or "%" in old:
        return "含反斜杠或百分号编码", "holds a backslash or percent-encoding"
    if not old.isascii() or old != old.lower():
        return "含大写字母或非 ASCII 字符", "holds uppercase or non-ASCII characters"
    if any(segment in (".", "..") for segment in segments):
        return "含 . 或 .. 段", 'holds a "." or ".." segment'
    if "" in segments:
        return "含空段（//）", "holds an empty segment (//)"
    if segments[:1] != ["reports"] or len(segments) not in (2, 3) or not all(_SEGMENT.match(s) for s in segments[1:]):
        return "不是 reports/ 下报告或章节的网址", "is not the URL of a report or section under reports/"
    if RESERVED_REPORT_ID.match(segments[1]):
        return "是生成的报告列表页面", "is a generated page of the reports list"
    if segments[1] in report_ids and segments[1] != report_id and old not in pages:
        return (f"在现有报告 {segments[1]} 的网址之下，会取代它的页面",
                f"lies under the current report {segments[1]}, whose pages it would replace")
    return None


def _declarations(reports: list[Report]):
    """(report, declaring report or section, old URL, why it is refused or None) for every old URL."""
    declared = [(report, owner, old) for report in reports for owner in [report, *report.sections]
                for old in _declared(owner.meta)]
    if not declared:  # the common case: the 17,000 current URLs at 1,000 reports need not be listed
        return
    report_ids, pages = {r.id for r in reports}, set(current_urls(reports))
    for report, owner, old in declared:
        yield report, owner, old, _refusal(old, report.id, report_ids, pages)


def redirects(reports: list[Report]) -> list[tuple[str, str, str, str, int]]:
    """(old URL, target src path, target title, declaring file, line) for every acceptable redirect."""
    out = []
    for report, owner, old, refusal in _declarations(reports):
        if refusal is not None:
            continue
        line = owner.meta.line_of("redirect_from")
        if owner is report:
            out.append((old, report.src_path, report.title, report.file, line))
            for section in report.sections:  # the report's sections moved with it
                out.append((f"{old}{section.id}/", section.src_path, section.heading or report.title, report.file, line))
        else:
            out.append((old, owner.src_path, owner.heading or report.title, owner.file, line))
    return out


def check_redirects(reports: list[Report], problems: Problems) -> None:
    for _report, owner, old, refusal in _declarations(reports):
        if refusal is not None:
            problems.add(owner.file, owner.meta.line_of("redirect_from"), "bad-redirect",
                         f"redirect_from 中的 “{old}” 不能用作旧网址：{refusal[0]}",
                         f'"{old}" in redirect_from cannot be an old URL: it {refusal[1]}', _FORM)
    accepted = redirects(reports)
    pages = set(current_urls(reports)) if accepted else set()
    seen: dict[str, str] = {}
    for old, target, _title, file, line in accepted:
        if old in pages:
            problems.add(file, line, "redirect-to-page", f"旧网址 {old} 仍是一个现有页面，不能再重定向",
                         f"old URL {old} is still a page, it cannot also redirect")
        elif old in seen and seen[old] != target:
            problems.add(file, line, "duplicate-redirect", f"旧网址 {old} 被重定向到两个地方（另见 {seen[old]}）",
                         f"old URL {old} redirects to two places (also {seen[old]})")
        seen.setdefault(old, target)


def current_urls(reports: list[Report]) -> list[str]:
    urls = []
    for report in reports:
        urls.append(paths.url_of(report.src_path))
        urls.extend(paths.url_of(s.src_path) for s in report.sections)
    return urls


def update_published_urls(root: Path, reports: list[Report], check_only: bool = False) -> tuple[list[str], str]:
    """Append the URLs of `reports` (the checked knowledge base's) not yet listed (never removes one)."""
    path = Path(root) / PUBLISHED
    text, added = with_urls(path.read_text(encoding="utf-8") if path.exists() else None, current_urls(reports))
    if added and not check_only:
        tmp = path.with_name("." + path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    return added, PUBLISHED
