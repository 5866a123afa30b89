"""The article of every page kb shows, as kb.html_page.HtmlPage (HTML, title, TOC) without Markdown:
one module per page kind, and generated_pages, the registry of every generated page.

Everything is escaped text and HTML we write, with relative URLs from paths.href. Report text is
untrusted plain text (kb.html_page.text_html): nothing a contributor writes becomes HTML, a link
(but [text](https://…)), an attribute or structure. Generated pages are built lazily, one when
MkDocs asks for it, so the corpus' HTML is never held in memory at once."""

from __future__ import annotations

from functools import partial

from .. import paths
from ..model import Item, Report, Section
from ..knowledge import KnowledgeBase
from ..similarity import ReportPair, Similarity
from ..vocab import TYPE_VOCABULARIES, Unit
from .aspects import aspect_page, aspect_years, aspects_index
from .compare import compare_page
from .home import home_page
from .html import PageBuilder, paged, shows
from .listings import reports_index, unit_page, units_index
from .reconcile import reconcile_pages
from .redirects import redirect_pages
from .report import render_report_page, render_section_page, report_page_inputs, section_page_inputs
from .similarity import row_inputs, similar_pages
from .stats import stats_page
from .themes import meeting_page, theme_page, themes_index
from .types import type_index, type_page

PER_PAGE = {"reports": 50, "theme": 15, "aspect": 15, "type": 30, "units": 100}  # full item texts: pages stay under 50 KB

__all__ = ["PageBuilder", "generated_pages", "page_inputs", "redirect_pages", "render_report_page",
           "render_section_page"]


def generated_pages(kb: KnowledgeBase, similarity: Similarity) -> dict[str, PageBuilder]:
    """Every generated page's source path, with what builds it when it is asked for."""
    pages: dict[str, PageBuilder] = {paths.HOME: partial(home_page, kb)}
    pages.update(paged(kb.reports, PER_PAGE["reports"], paths.REPORTS_INDEX, partial(reports_index, kb)))
    pages[paths.THEMES_INDEX] = partial(themes_index, kb)
    pages[paths.COMPARE] = partial(compare_page, kb)
    for meeting in kb.vocab.meetings.values():
        pages[paths.meeting_page(meeting.id)] = partial(meeting_page, kb, meeting.id)
        for theme in meeting.themes:
            pages.update(paged(kb.sections_by_theme.get(theme.id, []), PER_PAGE["theme"], paths.theme_page(theme.id),
                                partial(theme_page, kb, theme.id)))
    pages[paths.ASPECTS_INDEX] = partial(aspects_index, kb)
    for aspect_id in kb.vocab.aspects:
        sections = kb.sections_by_aspect.get(aspect_id, [])
        report_count = len({id(section.report) for section in sections})  # once per aspect, not per page of it
        span = aspect_years(kb, aspect_id)
        listing = paged(sections, PER_PAGE["aspect"], paths.aspect_page(aspect_id),
                        partial(aspect_page, kb, aspect_id, report_count, span))
        for builder in listing.values():  # each page prints these figures of the whole listing
            builder.listing_size = (len(sections), report_count, span)
        pages.update(listing)
    units = sorted(kb.vocab.units.values(), key=kb.unit_sort_key)
    pages.update(paged(units, PER_PAGE["units"], paths.UNITS_INDEX, partial(units_index, kb)))
    for unit_id in kb.vocab.units:
        pages[paths.unit_page(unit_id)] = shows(partial(unit_page, kb, unit_id), kb.reports_by_unit.get(unit_id, []))
    for vocabulary in TYPE_VOCABULARIES:
        pages[paths.type_index(vocabulary)] = partial(type_index, kb, vocabulary)
        for type_id in kb.vocab.types[vocabulary]:
            items = kb.items_by_type.get((vocabulary, type_id), [])
            report_count = len({id(item.section.report) for item in items})  # once per type, not per page of it
            listing = paged(items, PER_PAGE["type"], paths.type_page(vocabulary, type_id),
                            partial(type_page, kb, vocabulary, type_id, report_count))
            for builder in listing.values():
                builder.listing_size = (len(items), report_count)  # each page prints both
            pages.update(listing)
    pages.update(similar_pages(kb, similarity))
    pages.update(reconcile_pages(kb))
    pages[paths.STATS] = partial(stats_page, kb)  # counts of the whole corpus: rebuilt every time
    return pages


def page_inputs(kb: KnowledgeBase, generated: dict[str, PageBuilder], states: dict[str, str],
                similarity: Similarity) -> dict[str, tuple | None]:
    """For every page, a value that changes whenever anything the page shows may have changed,
    given states (report id -> signature of its files); None for a page that shows the whole
    corpus (counts, every report): such a page is built every time. `mkdocs serve` compares these
    values between rebuilds to leave unchanged pages alone."""
    inputs: dict[str, tuple | None] = {}
    rows: dict[int, tuple] = {}  # a 查重 pair's row, by pair: the same pairs are listed by the year's and the meeting's rankings
    for report in kb.reports:
        state = states[report.id]
        inputs[report.src_path] = report_page_inputs(report, state, similarity.entries_of(report), states)
        for section in report.sections:
            inputs[section.src_path] = section_page_inputs(kb, section, state)
    for src, builder in generated.items():
        entries = getattr(builder, "shows", None)
        if entries is None:
            inputs[src] = None
        else:
            inputs[src] = ("listing", builder.listing_size, _entries_input(kb, entries, states, rows))
    return inputs


def _entries_input(kb: KnowledgeBase, entries: list, states: dict[str, str], rows: dict[int, tuple]) -> tuple:
    """What the rows of a listing show. A listing holds one kind of entry: the commonest kinds are
    done in one comprehension each (80,000 listed entries at 1,000 reports: a call per entry took
    half a second of every rebuild)."""
    kinds = set(map(type, entries))
    if kinds == {Section}:
        return tuple([(s.src_path, states[s.report.id]) for s in entries])
    if kinds == {Item}:
        return tuple([(i.section.src_path, i.id, states[i.section.report.id]) for i in entries])
    if kinds == {ReportPair}:  # a 查重 ranking row: its printed figures, both reports' titles, units, years
        return tuple([rows.get(id(p)) or rows.setdefault(id(p), row_inputs(kb, p)) for p in entries])
    return tuple(_entry_input(kb, entry, states) for entry in entries)


def _entry_input(kb: KnowledgeBase, entry, states: dict[str, str]) -> tuple:
    if isinstance(entry, Report):
        return (entry.id, states[entry.id])
    if isinstance(entry, Section):
        return (entry.src_path, states[entry.report.id])
    if isinstance(entry, Item):
        return (entry.section.src_path, entry.id, states[entry.section.report.id])
    if isinstance(entry, Unit):  # what a unit's row shows (its report count) comes from its reports
        return (entry.id, tuple(states[r.id] for r in kb.reports_by_unit.get(entry.id, ())))
    raise TypeError(f"page_inputs: no rule for a listed {type(entry).__name__}")
