"""The article HTML of every page kb renders (generated indexes, report, section and redirect pages),
written directly instead of through Python-Markdown: our pages hold only headings, escaped text and
HTML we generate, and at 1,000 reports Markdown's HTML parsing of those blocks was over half of the
build. MkDocs still wraps each page in Material's template; the hook hands it this HTML, the title
and the table of contents (the same tokens the toc extension would make)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape

from markdown.extensions.toc import nest_toc_tokens, unique
from pymdownx.slugs import slugify

TOC_DEPTH = 3  # mkdocs.yml toc_depth: deeper headings get ids but stay out of the sidebar
_slug = slugify(case="lower")
# The one link form report text may use: [text](http(s)://…), the URL without spaces, quotes or brackets.
_WEB_LINK = re.compile(r"\[([^\[\]\n]*)\]\((https?://[^\s()<>\"'`]+)\)")
_INDENT = re.compile(r"^[ \t]+", re.M)


def text_html(value: str, marks: tuple[str, ...] | list[str] = ()) -> str:
    """A contributor's paragraph as HTML: the plain text it is (no tags, entities, attributes or
    Markdown), except [text](https://…), which becomes a link we write ourselves. Line breaks stay
    (a hard-wrapped paragraph is one paragraph); leading indentation goes. Where one of `marks`
    (pieces of this text) stands, outside links, it is wrapped in <mark> (查重: shared text); the
    text inside is escaped like the rest."""
    value = _INDENT.sub("", value)
    ranges = _mark_ranges(value, marks)
    pieces, at = [], 0
    for link in _WEB_LINK.finditer(value):
        pieces.append(_marked(value, at, link.start(), ranges))
        pieces.append(f'<a href="{escape(link.group(2))}" rel="nofollow noopener">{escape(link.group(1), quote=False)}</a>')
        at = link.end()
    pieces.append(_marked(value, at, len(value), ranges))
    return "".join(pieces)


def _mark_ranges(value: str, marks) -> list[tuple[int, int]]:
    spans = []
    for mark in marks:
        start = value.find(mark) if mark else -1
        if start >= 0:
            spans.append((start, start + len(mark)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _marked(value: str, start: int, end: int, ranges: list[tuple[int, int]]) -> str:
    out, at = [], start
    for s, e in ranges:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        out.append(escape(value[at:s], quote=False))
        out.append(f'<mark class="kb-shared">{escape(value[s:e], quote=False)}</mark>')
        at = e
    out.append(escape(value[at:end], quote=False))
    return "".join(out)


def _escaped_around(value: str, pattern: re.Pattern, html_of) -> str:
    """The text escaped, each match of the pattern replaced by the HTML html_of(match) makes of it."""
    pieces, at = [], 0
    for match in pattern.finditer(value):
        pieces.append(escape(value[at:match.start()], quote=False))
        pieces.append(html_of(match))
        at = match.end()
    pieces.append(escape(value[at:], quote=False))
    return "".join(pieces)


@lru_cache(maxsize=256)  # one per type: asked for by every page of its listing
def phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern | None:
    """Any of the phrases, longest first (so "走走过场" wins over "走过场")."""
    ordered = sorted({p for p in phrases if p}, key=lambda p: (-len(p), p))
    return re.compile("|".join(re.escape(p) for p in ordered)) if ordered else None


def marked_html(value: str, pattern: re.Pattern | None) -> str:
    """Plain text as HTML, every match of the pattern wrapped in <mark> (text and phrases escaped)."""
    if pattern is None:
        return escape(value, quote=False)
    return _escaped_around(value, pattern, lambda match: f"<mark>{escape(match.group(0), quote=False)}</mark>")


def quote_window(value: str, pattern: re.Pattern | None, limit: int) -> tuple[str, bool]:
    """The text when it is at most limit characters; else limit characters around its first match
    (from the start when nothing matches), with "…" where text was left out, and True."""
    if len(value) <= limit:
        return value, False
    match = pattern.search(value) if pattern else None
    start = 0 if match is None else max(0, min(match.start() - limit // 4, len(value) - limit))
    end = start + limit
    return ("…" if start else "") + value[start:end] + ("…" if end < len(value) else ""), True


@dataclass
class HtmlPage:
    """One page's article: blocks of HTML in order, with the headings recorded for the TOC."""

    title: str  # plain text: the page title (escaped where MkDocs shows it, by the hook)
    blocks: list[str] = field(default_factory=list)
    toc_tokens: list[dict] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    meta: dict = field(default_factory=dict)  # page.meta entries Material reads (e.g. search exclusion)

    def heading(self, level: int, text: str, anchor: str | None = None) -> None:
        """A heading of plain text; without an anchor it gets the slug the toc extension would give."""
        inner = escape(text, quote=False)
        anchor = anchor or unique(_slug(text, "-"), self.ids)
        self.ids.add(anchor)
        self.blocks.append(f'<h{level} id="{anchor}">{inner}</h{level}>')
        if level <= TOC_DEPTH:
            self.toc_tokens.append({"level": level, "id": anchor, "name": inner, "html": inner, "children": []})

    def add(self, html: str, *ids: str) -> None:
        """A block of HTML we made; ids are the anchors it holds (for MkDocs' anchor validation)."""
        if html:
            self.blocks.append(html)
            self.ids.update(ids)

    def html(self) -> str:
        return "\n".join(self.blocks) + "\n"

    def toc(self) -> list[dict]:
        return nest_toc_tokens([dict(t, children=[]) for t in self.toc_tokens])
