"""HTML pieces every page kind uses. Cells and entries passed in are HTML already (escaped by the
caller); text passed as text is escaped here."""

from __future__ import annotations

import math
import re
from functools import partial
from html import escape
from typing import Callable

from .. import paths
from ..html_page import HtmlPage

PageBuilder = Callable[[], HtmlPage]
PAGER_NEAR = 3  # a pager links the first, the last and this many pages either side of the current one


def link(here: str, target_src: str, text: str, anchor: str | None = None, cls: str | None = None) -> str:
    attr = f' class="{cls}"' if cls else ""
    return f'<a{attr} href="{escape(paths.href(here, target_src, anchor))}">{escape(text)}</a>'


def view_links(here: str, views: list[tuple[str, str]], current: str | None = None) -> str:
    """Links to the views of a listing (src path, name), " · "-joined; the one shown (current) is
    named, not linked."""
    return " · ".join(f"<strong>{escape(name)}</strong>" if target == current else link(here, target, name)
                      for target, name in views)


def table(head: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    """An HTML table; cells are HTML already (escaped by the caller)."""
    def cell(tag, index, value):
        align = ' style="text-align: right"' if index in numeric else ""
        return f"<{tag}{align}>{value}</{tag}>"

    head_html = "".join(cell("th", i, escape(h)) for i, h in enumerate(head))
    body = "\n".join("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in rows)
    return f"<table>\n<thead><tr>{head_html}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def ul(entries: list[str], cls: str | None = None) -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>\n" + "\n".join(f"<li>{e}</li>" for e in entries) + "\n</ul>"


_WEB_ADDRESS = re.compile(r"^https?://[^\s<>\"'`]+$")


def web_address(text: str) -> str:
    """Contributor data naming a place: a link when it is a plain http(s) address, else escaped text."""
    if _WEB_ADDRESS.match(text):
        return f'<a href="{escape(text)}" rel="nofollow noopener">{escape(text)}</a>'
    return escape(text)


def item_list(here: str, section) -> str:
    """A section's items, each in full (compared side by side on theme and aspect pages), its title
    sentence a link to the item in its section."""
    if not section.items:
        return ""
    return ('<ul class="kb-theme-items">\n'
            + "\n".join(f"<li>{_item_html(here, item)}</li>" for item in section.items) + "\n</ul>")


def _item_html(here: str, item) -> str:
    text, title = item.plain, item.title
    target = escape(paths.href(here, item.section.src_path, item.id))
    at = text.find(title) if title else -1
    if at < 0:
        return f'{escape(text, quote=False)}（<a href="{target}">原文</a>）'
    return (escape(text[:at], quote=False) + f'<a href="{target}">{escape(title, quote=False)}</a>'
            + escape(text[at + len(title):], quote=False))


def pager(first_src: str, page: int, pages: int, current_src: str) -> str:
    if pages <= 1:
        return ""
    # the first, the last and the pages near this one: a link to every page made the pager of a long
    # listing (300 pages of 查重 pairs at 1,000 reports) grow with the square of its length
    shown = sorted({1, pages, *range(max(1, page - PAGER_NEAR), min(pages, page + PAGER_NEAR) + 1)})
    links = []
    for n in shown:
        if links and n > previous + 1:
            links.append("…")
        links.append(f"<strong>{n}</strong>" if n == page else link(current_src, paths.paged(first_src, n), str(n)))
        previous = n
    return f'<nav class="kb-pager">第 {page}/{pages} 页：' + " ".join(links) + "</nav>"


def paginate(entries: list, per_page: int) -> list[list]:
    pages = max(1, math.ceil(len(entries) / per_page))
    return [entries[i * per_page:(i + 1) * per_page] for i in range(pages)]


def paged(entries: list, per_page: int, first: str, build) -> dict[str, PageBuilder]:
    """A listing cut into pages: page k is built by build(entries, chunk, k, pages, its src path)."""
    chunks = paginate(entries, per_page)
    pages = {}
    for number, chunk in enumerate(chunks, 1):
        pages[paths.paged(first, number)] = shows(partial(build, entries, chunk, number, len(chunks), first),
                                                  chunk, len(entries))
    return pages


def shows(builder: PageBuilder, entries: list, listing_size: int = 0) -> PageBuilder:
    """Declare what a generated page shows: the reports, sections, items or units listed (and the
    size of the whole listing it is a page of). `mkdocs serve` rebuilds the page only when one of
    them changed (kb.pages.page_inputs); a page that declares nothing is rebuilt every time."""
    builder.shows = entries
    builder.listing_size = listing_size
    return builder
