"""What a report is made of: a report holds ordered sections; a section holds paragraphs, some of
which are items (one problem, cause or measure each) carrying types."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from . import text as textutil

AUTHOR_KINDS = {"group": "班子", "individual": "个人"}  # author_kind -> label


def individual_count(reports) -> int:
    """How many of the reports are one member's own (the rest are a 班子's)."""
    return sum(report.author_kind == "individual" for report in reports)


# Items and blocks are most of the loaded corpus' objects (~62,000 at 1,000 reports, kept for the
# whole build): slots, not an attribute dict each.
@dataclass(eq=False, slots=True)
class Item:
    id: str
    text: str  # the paragraph as stored (Markdown source)
    types: list[str]
    line: int
    section: "Section" = field(repr=False, default=None)
    # A problem item's answers (整改对账): ids of the measure items, or of measure sections without
    # items, of the same report that answer it, as written in its marker (measures="m1-1 …").
    measures: Sequence[str] = ()  # most items name none: the shared empty tuple
    _title: str | None = field(default=None, init=False, repr=False)

    @property
    def title(self) -> str:
        if self._title is None:  # made once: asked for by the catalog, theme, type and search pages alike
            self._title = textutil.item_title(self.text, fallback=self.section.heading if self.section else None)
        return self._title

    @property
    def plain(self) -> str:
        return textutil.plain(self.text)


@dataclass(eq=False, slots=True)
class Block:
    """A paragraph of a section body: plain text, or an item."""

    text: str
    line: int
    item: Item | None = None


@dataclass(eq=False, slots=True)  # 16 a report: slots, see Item
class Section:
    id: str  # file stem, e.g. "11-problems-1"
    src_path: str  # relative to docs/, POSIX, e.g. "reports/x/11-problems-1.md"
    file: str  # relative to the project root, for messages
    meta: dict
    part: str
    theme: str | None
    aspects: Sequence[str]  # as written: only a section of a meeting without themes names its aspects itself
    heading: str | None  # the heading as written, without "# "
    heading_line: int | None
    blocks: list[Block]
    report: "Report" = field(repr=False, default=None)
    review_lines: Sequence[int] = ()  # lines holding a review note of `kb import`
    _items: list[Item] | None = field(default=None, init=False, repr=False)

    # A section is complete once read (kb.structure): its items are listed once, asked for by many
    # pages, the catalog and 查重, and under `mkdocs serve` an unchanged report's sections are kept
    # between rebuilds.
    @property
    def items(self) -> list[Item]:
        if self._items is None:
            self._items = [b.item for b in self.blocks if b.item is not None]
        return self._items

    @property
    def body_text(self) -> str:
        # made each time it is asked for (查重, catalog.json and the fingerprint index each once a
        # section, 查重's passages a few times): joining the blocks costs ~0.06 s for all 16,000
        # sections at 1,000 reports, keeping the result ~6 MB for the whole build.
        return "\n\n".join(textutil.plain(b.text) for b in self.blocks)

    def types(self) -> list[str]:
        seen: dict[str, None] = {}
        for item in self.items:
            for t in item.types:
                seen.setdefault(t, None)
        return list(seen)


@dataclass(eq=False)
class Report:
    id: str  # folder name
    src_path: str  # "reports/<id>/index.md"
    file: str
    meta: dict
    title: str
    unit: str
    meeting: str
    year: int | None
    date: str
    source: str
    part_headings: dict[str, str]
    author_kind: str = "group"  # AUTHOR_KINDS: a 班子 / 支部委员会 as a whole, or one member
    author_role: str = ""  # an individual author's role (data/author_roles.yml), never a name
    sections: list[Section] = field(default_factory=list)
    review_lines: Sequence[int] = ()  # lines holding a review note of `kb import`
    unread_sections: int = 0  # section files that could not be read (each reported where it failed)

    @property
    def items(self) -> list[Item]:
        return [item for s in self.sections for item in s.items]

    def part_runs(self) -> list[tuple[str, list[Section]]]:
        """Consecutive sections grouped by part, in report order."""
        runs: list[tuple[str, list[Section]]] = []
        for section in self.sections:
            if runs and runs[-1][0] == section.part:
                runs[-1][1].append(section)
            else:
                runs.append((section.part, [section]))
        return runs
