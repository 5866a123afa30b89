"""Material's page template rendered once per page *shape* and filled in for every page of that shape.

At 1,000 reports the site has ~19,000 pages, 16,000 of them section pages, and rendering Material's
main.html for each was over half of the build (about 4 ms a page: head, header, icons, scripts,
configuration, footer). For the pages kb owns, outside the nav, almost all of that HTML is the same
on every page at the same depth. So the template is rendered once per shape with sentinels in place
of the values that differ from page to page (title, description, canonical and edit address, the
article, the skip link and the table of contents), cut at the sentinels, and each page is the cut
joined with its own values. The table of contents is the theme's own partial, cut the same way per
TOC shape (nesting and levels) with each entry's title and address as slots.

The shape is everything else the template reads that can differ (depth, hence every relative link;
the navigation's cache key; the page's other front matter; whether it has a table of contents,
an H1, an edit or canonical address). A value a filter would change (escaping, striptags) is not
filled in: such a page is rendered in full, as is any page in the nav. The first pages of every
shape are also rendered in full and compared, so a template reading something the shape misses
turns the shortcut off for that shape instead of writing a wrong page; KB_PAGE_SHELL_CHECK=1
compares every page and stops the build at the first difference (the tests build that way)."""

from __future__ import annotations

import os
import re
from collections import Counter

from jinja2 import Environment

SLOT = re.compile("\x02([^\x02\x03]*)\x03")
VERIFIED_PER_SHAPE = 2  # two pages, so that a value the shape misses differs between them
CHECK_ALL = "KB_PAGE_SHELL_CHECK"
PAGE_TEMPLATE = "kb/page.html"  # what MkDocs renders for a page kb owns: the HTML made here
TOC_TEMPLATE = "kb/toc.html"  # the theme's table of contents partial, rendered on its own
TEMPLATES = {
    PAGE_TEMPLATE: "{{ kb_page_html }}",
    # in a shell the table of contents is a slot; otherwise the theme's own partial, as always
    "partials/toc.html": '{%- if kb_shell_toc is defined -%}{{ kb_shell_toc }}'
                         '{%- else -%}{% include "kb-theme/partials/toc.html" %}{%- endif -%}',
    # base.html imports `lang` before it includes the partial; nothing else it sets is read there
    TOC_TEMPLATE: '{% import "partials/language.html" as lang with context %}'
                  '{% include "kb-theme/partials/toc.html" %}',
}
_SPECIAL = frozenset('<>&"\'\x02\x03')


class ShellMismatch(RuntimeError):
    pass


def _slot(name: str) -> str:
    return f"\x02{name}\x03"


def _plain(value) -> bool:
    """A value every filter a template may apply leaves as it is (escape, striptags, trim)."""
    return isinstance(value, str) and not _SPECIAL.intersection(value) and " ".join(value.split()) == value


class _Anchor:
    """The first table-of-contents entry as the shell sees it: base.html links its skip link to it."""

    title = _slot("toc-title")
    url = "#" + _slot("skip")  # the `url` filter leaves an anchor as it is
    level = 2
    children: list = []
    typeset = None


class _SlotAnchor:
    """A table-of-contents entry of a TOC shell: its title and address are slots, numbered in reading order."""

    typeset = None

    def __init__(self, number: int, level: int, children: list):
        self.title, self.url, self.level, self.children = _slot(f"t{number}"), _slot(f"u{number}"), level, children


def _slot_tree(shape: tuple, numbers) -> list[_SlotAnchor]:
    entries = []
    for level, children in shape:
        number = next(numbers)  # the entry before its children, as _anchors walks them
        entries.append(_SlotAnchor(number, level, _slot_tree(children, numbers)))
    return entries


class _PageWith:
    """The page as a shell sees it: the given attributes replaced (by slots), everything else its own."""

    def __init__(self, page, **replaced):
        self._page = page
        self.__dict__.update(replaced)

    def __getattr__(self, name):
        return getattr(self._page, name)


def _slotted_page(page, values: dict[str, str]) -> _PageWith:
    """The page with its per-page values replaced by slots (those it has: values' keys)."""
    meta = dict(page.meta, **{name: _slot(name) for name in ("title", "description") if name in values})
    return _PageWith(page, meta=meta, title=meta["title"],
                     content=_slot("content<h1" if "<h1" in values["content"] else "content"),
                     toc=[_Anchor()] if list(page.toc) else [],
                     canonical_url=_slot("canonical") if "canonical" in values else None,
                     edit_url=_slot("edit") if "edit" in values else None)


class PageShells:
    """One per build (MkDocs makes a new Jinja environment for each)."""

    def __init__(self, env: Environment):
        self.env = env
        self.shells: dict[tuple, list[str] | None] = {}  # shape → template cut at the slots (None: render in full)
        self.verified: Counter = Counter()
        self.toc_shells: dict[tuple, list[str] | None] = {}  # TOC shape → TOC partial cut at the slots
        self.toc_verified: Counter = Counter()
        self.check_all = os.environ.get(CHECK_ALL) == "1"
        self.pages = self.filled = 0

    def carry_over(self, last: "PageShells") -> None:
        """Under `mkdocs serve`: start from the last build's shells and checks (kb.preview.Preview
        calls this only while everything global is as in that build: data/, mkdocs.yml, the theme,
        the hooks, which is also when pages of that build stand unchanged)."""
        self.shells, self.verified = dict(last.shells), Counter(last.verified)
        self.toc_shells, self.toc_verified = dict(last.toc_shells), Counter(last.toc_verified)

    def summary(self) -> str:
        return f"kb: {self.filled} of {self.pages} pages filled in from {len(self.shells)} page shells"

    def render(self, context: dict) -> str:
        """The page's whole HTML, as `main.html` renders it for this context."""
        page = context["page"]
        self.pages += 1
        values = _values(page)
        if values is None or page in context["nav"].pages or page.ancestors:  # the nav shows a nav page's own TOC
            return self._full(context)
        key = _shape(page, context)
        if key not in self.shells:
            self.shells[key] = self._cut(context, page, values)
        parts = self.shells[key]
        if parts is None:
            return self._full(context)
        values["toc"] = self._toc(context, page)
        values["skip"] = next(iter(page.toc)).url[1:] if list(page.toc) else ""
        output = _filled(parts, values)
        if self.check_all or self.verified[key] < VERIFIED_PER_SHAPE:
            self.verified[key] += 1
            full = self._full(context)
            if full != output:
                if self.check_all:
                    raise ShellMismatch(f"kb: the page shell of {page.file.src_uri} differs from Material's render"
                                        f" {_first_difference(full, output)}")
                self.shells[key] = None  # the template reads something the shape misses
                return full
        self.filled += 1
        return output

    def _full(self, context: dict) -> str:
        return self.env.get_template("main.html").render(context)

    def _toc(self, context: dict, page) -> str:
        """The theme's TOC partial for this page (an empty TOC still has its <nav>), filled in from a
        shell per TOC shape (nesting and levels): the partial was a tenth of the build at 300 reports."""
        shape = _toc_shape(page.toc)
        if shape not in self.toc_shells:
            shell = dict(context, page=_PageWith(page, toc=_slot_tree(shape, iter(range(1 << 30)))))
            parts = SLOT.split(self.env.get_template(TOC_TEMPLATE).render(shell))
            known = {f"{kind}{n}" for n in range(len(list(_anchors(page.toc)))) for kind in "tu"}
            self.toc_shells[shape] = parts if set(parts[1::2]) <= known else None
        parts = self.toc_shells[shape]
        if parts is not None:
            values = {}
            for number, anchor in enumerate(_anchors(page.toc)):
                values[f"t{number}"], values[f"u{number}"] = anchor.title, anchor.url
            html = _filled(parts, values)
            if self.toc_verified[shape] >= VERIFIED_PER_SHAPE:
                return html
            self.toc_verified[shape] += 1
        full = self.env.get_template(TOC_TEMPLATE).render(context)
        if parts is not None and html != full:
            self.toc_shells[shape] = None
        return full

    def _cut(self, context: dict, page, values: dict[str, str]) -> list[str] | None:
        shell_page = _slotted_page(page, values)
        parts = SLOT.split(self._full(dict(context, page=shell_page, kb_shell_toc=_slot("toc"))))
        known = {"title", "description", "canonical", "edit", "toc", "skip", shell_page.content[1:-1]}
        if any(name not in known for name in parts[1::2]):
            return None  # a value went through a filter, or something else printed a slot
        return [("content" if i % 2 and part.startswith("content") else part) for i, part in enumerate(parts)]


def _values(page) -> dict[str, str] | None:
    """The page's values for the slots, or None when one of them is not plain text (or no title)."""
    if not page.meta.get("title"):
        return None
    values = {"title": page.meta["title"], "content": page.content or ""}
    for name, value in (("description", page.meta.get("description")), ("canonical", page.canonical_url),
                        ("edit", page.edit_url)):
        if value:
            values[name] = value
    for anchor in _anchors(page.toc):
        if not (_plain(anchor.title) and _plain(anchor.url) and anchor.url.startswith("#")):
            return None
    scalars = [v for k, v in values.items() if k != "content"]
    return values if all(_plain(v) for v in scalars) else None


def _filled(parts: list[str], values: dict[str, str]) -> str:
    return "".join(values[part] if i % 2 else part for i, part in enumerate(parts))


def _toc_shape(toc) -> tuple:
    return tuple((anchor.level, _toc_shape(anchor.children)) for anchor in toc)


def _anchors(toc):
    for anchor in toc:
        yield anchor
        yield from _anchors(anchor.children)


def _shape(page, context: dict) -> tuple:
    meta = tuple(sorted((k, repr(v)) for k, v in page.meta.items() if k not in ("title", "description")))
    edit = page.edit_url
    return (context["base_url"], context.get("kb_nav_key"), meta, bool(page.meta.get("description")),
            bool(page.canonical_url), bool(edit), bool(edit) and "/blob/" in edit,
            bool(list(page.toc)), "<h1" in (page.content or ""), page.is_homepage)


def _first_difference(expected: str, got: str) -> str:
    at = next((i for i, (a, b) in enumerate(zip(expected, got)) if a != b), min(len(expected), len(got)))
    return f"at character {at}: expected {expected[at - 80:at + 80]!r}, got {got[at - 80:at + 80]!r}"
