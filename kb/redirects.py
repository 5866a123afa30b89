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
from .text import md_inline

PUBLISHED = "data/published-urls.txt"
_OLD_PATH = re.compile(r"^reports/[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)?/$")
_HEADER = """# 已发布的网址（相对站点根目录）：只增不减。改名时请在新文件的 front matter 写 redirect_from。
# Published URLs (relative to the site root): only ever appended to. Renames need redirect_from.
# 更新 / update: kb urls
"""




def _normalise(value: str) -> str:
    value = value.strip().lstrip("/")
    if value.endswith(".md"):
        value = paths.url_of(value)
    if value and not value.endswith("/"):
        value += "/"
    return value


def _declared(meta) -> tuple[list[str], bool]:
    value = meta.get("redirect_from")
    if value is None:
        return [], True
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return [], False
    return [_normalise(v) for v in value], True


def redirects(reports: list[Report]) -> list[tuple[str, str, str, str, int]]:
    """(old URL, target src path, target title, declaring file, line) for every redirect."""
    out = []
    for report in reports:
        olds, _ = _declared(report.meta)
        line = report.meta.line_of("redirect_from")
        for old in olds:
            out.append((old, report.src_path, report.title, report.file, line))
            for section in report.sections:  # the report's sections moved with it
                out.append((f"{old}{section.id}/", section.src_path, section.heading or report.title, report.file, line))
        for section in report.sections:
            olds, _ = _declared(section.meta)
            for old in olds:
                out.append((old, section.src_path, section.heading or report.title, section.file,
                            section.meta.line_of("redirect_from")))
    return out


def check_redirects(reports: list[Report], problems: Problems) -> None:
    pages = set(current_urls(reports))
    for owner in [r for r in reports] + [s for r in reports for s in r.sections]:
        olds, ok = _declared(owner.meta)
        if not ok:
            problems.add(owner.file, owner.meta.line_of("redirect_from"), "bad-field",
                         "redirect_from 应是旧网址的列表", "redirect_from must be a list of old URLs",
                         "例如 / e.g. redirect_from: [reports/2021-old-id/]")
        for old in olds:
            if not _OLD_PATH.match(old) or ".." in old or re.match(r"^reports/(page-\d+/)?$", old):
                problems.add(owner.file, owner.meta.line_of("redirect_from"), "bad-redirect",
                             f"redirect_from 中的 “{old}” 不是报告或章节的旧网址", f'"{old}" in redirect_from is not an old report or section URL',
                             "reports/<旧报告id>/ 或 / or reports/<报告id>/<旧章节文件名>/")
    seen: dict[str, str] = {}
    for old, target, _title, file, line in redirects(reports):
        if old in pages:
            problems.add(file, line, "redirect-to-page", f"旧网址 {old} 仍是一个现有页面，不能再重定向",
                         f"old URL {old} is still a page, it cannot also redirect")
        elif old in seen and seen[old] != target:
            problems.add(file, line, "duplicate-redirect", f"旧网址 {old} 被重定向到两个地方（另见 {seen[old]}）",
                         f"old URL {old} redirects to two places (also {seen[old]})")
        seen.setdefault(old, target)


def redirect_pages(reports: list[Report]) -> dict[str, str]:
    """Generated Markdown pages (src path -> content), one at each old URL."""
    pages = {}
    for old, target, title, _file, _line in redirects(reports):
        src = f"{old}index.md"
        if src in pages:
            continue
        refresh = paths.href(src, target)
        pages[src] = (
            "---\nsearch:\n  exclude: true\n---\n"
            "# 页面已移动\n\n"
            f'<meta http-equiv="refresh" content="0; url={refresh}">\n\n'
            f"本页已移至 / this page has moved to: [{md_inline(title)}]({paths.link(src, target)})\n"
        )
    return pages


def current_urls(reports: list[Report]) -> list[str]:
    urls = []
    for report in reports:
        urls.append(paths.url_of(report.src_path))
        urls.extend(paths.url_of(s.src_path) for s in report.sections)
    return urls


def read_published(root: Path) -> list[str]:
    path = Path(root) / PUBLISHED
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def update_published_urls(root: Path, check_only: bool = False) -> tuple[list[str], str]:
    """Append the current report and section URLs not yet listed (never removes one)."""
    from .knowledge import load_or_raise

    kb = load_or_raise(root)
    listed = set(read_published(root))
    added = [url for url in current_urls(kb.reports) if url not in listed]
    path = Path(root) / PUBLISHED
    if added and not check_only:
        text = path.read_text(encoding="utf-8") if path.exists() else _HEADER
        if text and not text.endswith("\n"):
            text += "\n"
        tmp = path.with_name("." + path.name + ".tmp")
        tmp.write_text(text + "".join(f"{url}\n" for url in added), encoding="utf-8")
        tmp.replace(path)
    return added, PUBLISHED


def missing_urls(site_dir: Path, urls: list[str]) -> list[str]:
    """Published URLs the built site serves neither as a page nor as a redirect."""
    return [url for url in urls if not (Path(site_dir) / url / "index.html").is_file()]
