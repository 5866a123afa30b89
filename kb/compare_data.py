"""What the compare view (对比阅读, compare/?r=ID&r=ID) reads: one small JSON file per report, written
at build time beside the compare page and fetched only for the reports a reader picks, plus the
list of reports the view offers to add (fetched when the reader asks for it).

    compare/data/reports.json        [{"id", "title", "unit", "year"}] in the reports list's order
    compare/data/r/<report id>.json  the report's sections in order, each with what aligns it to the
                                     sections of other reports: its part (rank in data/parts.yml) and
                                     its theme (official order); paragraphs as plain text, items marked

Everything in them is contributor text and is shown by assets/compare.js as text (textContent),
never as HTML. Alignment is decided in the browser from these fields; aligning by another key
(e.g. an aspect shared across meetings) needs that key here and one aligner in compare.js."""

from __future__ import annotations

from pathlib import Path

from . import paths
from .knowledge import KnowledgeBase
from .labels import report_date, section_title, theme_label
from .model import Report, Section
from .site_files import TreeWriter, compact_json
from .text import plain

FOLDER = "compare/data"  # beside the compare page (compare/index.html), which MkDocs writes


def report_data(kb: KnowledgeBase, report: Report) -> dict:
    unit = kb.unit_of(report)
    return {
        "id": report.id,
        "title": report.title,
        "unit": {"name": unit.name, "short": unit.label, "kind": kb.vocab.unit_kinds[unit.kind].name},
        "meeting": kb.vocab.meetings[report.meeting].name,
        "year": report.year,
        "when": report_date(report),
        "url": paths.url_of(report.src_path),
        "sections": [_section_data(kb, report, section) for section in report.sections],
    }


def _section_data(kb: KnowledgeBase, report: Report, section: Section) -> dict:
    part = kb.vocab.parts[section.part]
    aspect_ranks = {a: rank for rank, a in enumerate(kb.vocab.aspects)}
    theme = kb.vocab.themes[section.theme] if section.theme else None
    return {
        "id": section.id,
        "part": {"id": part.id, "name": part.name, "rank": list(kb.vocab.parts).index(part.id),
                 "heading": report.part_headings.get(part.id)},
        "theme": {"id": theme.id, "label": theme_label(kb, theme.id), "wording": theme.name, "number": theme.number,
                  "meeting": theme.meeting} if theme else None,
        # what the section examines (data/aspects.yml, in its order): rows across meetings
        "aspects": [{"id": a, "name": kb.vocab.aspects[a].name, "rank": aspect_ranks[a]}
                    for a in kb.section_aspects(section)],
        "title": section_title(kb, section),
        "heading": plain(section.heading) if section.heading else None,
        "url": paths.url_of(section.src_path),
        "paragraphs": [{"text": plain(block.text), "item": block.item.id if block.item else None}
                       for block in section.blocks],
    }


def report_list(kb: KnowledgeBase) -> list[dict]:
    return [{"id": r.id, "title": r.title, "unit": kb.unit_of(r).name, "year": r.year} for r in kb.reports]


def write_compare_data(kb: KnowledgeBase, site_dir: Path, written: dict[str, str] | None = None) -> None:
    """Write the folder whole, or update it in place under `mkdocs serve` (kb.site_files), a report
    at a time."""
    with TreeWriter(Path(site_dir) / FOLDER, written) as out:
        out.put("reports.json", compact_json(report_list(kb)))
        for report in kb.reports:  # report ids are checked ASCII slugs (kb check: bad-id): safe file names
            out.put(f"r/{report.id}.json", compact_json(report_data(kb, report)))
