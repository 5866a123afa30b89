"""A page at each old URL of a renamed report or section: a meta refresh and a plain link."""

from __future__ import annotations

from functools import partial
from html import escape

from .. import paths
from ..html_page import HtmlPage
from ..model import Report
from ..redirects import redirects
from .html import PageBuilder


def redirect_pages(reports: list[Report]) -> dict[str, PageBuilder]:
    """Generated pages (src path -> builder), one at each old URL: a meta refresh and a plain link."""
    pages = {}
    for old, target, title, _file, _line in redirects(reports):  # renamed reports and sections (kb/redirects.py)
        src = f"{old}index.md"
        if src not in pages:
            pages[src] = partial(_redirect_page, paths.href(src, target), title)
    return pages


def _redirect_page(refresh: str, title: str) -> HtmlPage:
    page = HtmlPage(title="页面已移动")
    page.heading(1, page.title)
    page.add(f'<meta http-equiv="refresh" content="0; url={escape(refresh)}">')
    page.add(f'<p>本页已移至 / this page has moved to: <a href="{escape(refresh)}">{escape(title)}</a></p>')
    return page
