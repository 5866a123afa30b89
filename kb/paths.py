"""Where every page lives (source path under docs/) and its URL. Generated pages are virtual: these
paths exist only inside the build."""

from __future__ import annotations

import posixpath
from functools import lru_cache

# Where each type vocabulary's pages live (URL folder).
TYPE_FOLDERS = {"problem_types": "problem-types", "cause_types": "cause-types", "measure_types": "measure-types"}

HOME = "index.md"
REPORTS_INDEX = "reports/index.md"
THEMES_INDEX = "themes/index.md"
UNITS_INDEX = "units/index.md"
ASPECTS_INDEX = "aspects/index.md"
SIMILAR_INDEX = "similar/index.md"  # 查重: report pairs ranked by shared text
SIMILAR_CHECK = "similar/check.md"  # 查重: a draft checked in the browser
COMPARE = "compare/index.md"  # the compare view; its data is under compare/ too (kb/compare_data.py)
RECONCILE_INDEX = "reconcile/index.md"  # 整改对账: problems no measure answers, per report
STATS = "stats/index.md"  # the corpus at a glance: charts, tables, CSV
STATS_DATA = "stats/data"  # the charts' data as CSV files (written beside the pages, not pages)


def paged(first: str, page: int) -> str:
    """Page 1 is the folder's index.md, page k is page-k.md beside it."""
    if page == 1:
        return first
    return posixpath.join(posixpath.dirname(first), f"page-{page}.md")


def compare_url(from_src: str, report_ids: list[str]) -> str:
    """A relative link to the compare view of these reports (ids are checked ASCII slugs)."""
    return href(from_src, COMPARE) + "".join(f"{'?' if i == 0 else '&'}r={rid}" for i, rid in enumerate(report_ids))


def theme_page(theme_id: str, page: int = 1) -> str:
    return paged(f"themes/{theme_id}/index.md", page)


def meeting_page(meeting_id: str) -> str:
    return f"meetings/{meeting_id}.md"


def aspect_page(aspect_id: str, page: int = 1) -> str:
    return paged(f"aspects/{aspect_id}/index.md", page)


def similar_meeting(meeting_id: str, page: int = 1) -> str:
    return paged(f"similar/meetings/{meeting_id}/index.md", page)


def similar_year(year: int, page: int = 1) -> str:
    return paged(f"similar/years/{year}/index.md", page)


def reconcile_meeting(meeting_id: str, page: int = 1) -> str:
    return paged(f"reconcile/meetings/{meeting_id}/index.md", page)


def unit_page(unit_id: str) -> str:
    return f"units/{unit_id}.md"


def type_index(vocabulary: str) -> str:
    return f"{TYPE_FOLDERS[vocabulary]}/index.md"


def type_page(vocabulary: str, type_id: str, page: int = 1) -> str:
    return paged(f"{TYPE_FOLDERS[vocabulary]}/{type_id}/index.md", page)


@lru_cache(maxsize=None)  # every link of a page asks for its own page's URL again
def url_of(src_path: str) -> str:
    """Site-root-relative URL of a page, as MkDocs makes it with use_directory_urls."""
    if src_path == "index.md":
        return ""
    stem = src_path[:-3]
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def href(from_src: str, to_src: str, anchor: str | None = None) -> str:
    """A relative URL from one built page to another, for the HTML the generator writes itself
    (raw HTML costs Python-Markdown almost nothing; generated Markdown links and md_in_html blocks
    were most of the Markdown time per page)."""
    target_url = url_of(to_src)
    target = _relative(target_url, url_of(from_src).rstrip("/"))
    if target_url.endswith("/") or not target_url:
        target = target.rstrip("/") + "/" if target != "." else "./"
    return f"{target}#{anchor}" if anchor else target


def _relative(path: str, start: str) -> str:
    """posixpath.relpath for docs-relative paths (no "..", no leading "/"), without its os.getcwd()
    and abspath per call: half a million links at 1,000 reports made relpath the build's hot spot."""
    path_parts = [p for p in path.split("/") if p and p != "."]
    start_parts = [p for p in start.split("/") if p and p != "."]
    common = 0
    for a, b in zip(path_parts, start_parts):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start_parts) - common) + path_parts[common:]) or "."
