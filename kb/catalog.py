"""catalog.json: the machine-readable contract of the site (documented in the README). Search, tests
and outside tools read it; URLs are relative to the site root, item URLs carry their #anchor."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

from . import paths
from .knowledge import KnowledgeBase
from .labels import section_title
from .model import AUTHOR_KINDS, Report
from .reconcile import unanswered, unreferenced_measures
from .site_files import compact_json, stop_point
from .text import plain
from .vocab import TYPE_VOCABULARIES


def build_catalog(kb: KnowledgeBase, similar: Callable[[Report], list[dict]] = lambda report: []) -> dict:
    """similar(report): its reports[].similar entries (kb.similarity). The reports' records are made
    one at a time as they are iterated (ReportRecords): at 3,000 reports holding them all was one of
    the build's largest memory costs."""
    v = kb.vocab
    catalog = {
        "reports": ReportRecords(kb, similar),
        "meetings": [{"id": m.id, "name": m.name, "kind": m.kind, "year": m.year, "topic": m.topic or None,
                      "source": m.source, "confirmed": m.confirmed, "themes": [t.id for t in m.themes]}
                     for m in v.meetings.values()],
        "themes": [{"id": t.id, "name": t.name, "short": t.short, "meeting": t.meeting, "number": t.number,
                    "aspects": list(t.aspects), "url": paths.url_of(paths.theme_page(t.id))} for t in v.themes.values()],
        "aspects": [{"id": a.id, "name": a.name, "description": a.description,
                     "url": paths.url_of(paths.aspect_page(a.id))} for a in v.aspects.values()],
        "author_kinds": [{"id": kind, "name": name} for kind, name in AUTHOR_KINDS.items()],
        "author_roles": [{"id": r.id, "name": r.name} for r in v.roles.values()],
        "units": [{"id": u.id, "name": u.name, "short": u.short, "kind": u.kind, "level": u.level, "region": u.region,
                   "url": paths.url_of(paths.unit_page(u.id))} for u in v.units.values()],
        "unit_kinds": [{"id": k.id, "name": k.name} for k in v.unit_kinds.values()],
        "levels": [{"id": k.id, "name": k.name} for k in v.levels.values()],
        "parts": [{"id": p.id, "name": p.name, "item_types": p.item_types} for p in v.parts.values()],
    }
    for vocabulary in TYPE_VOCABULARIES:
        catalog[vocabulary] = [{"id": t.id, "name": t.name, "description": t.description,
                                "url": paths.url_of(paths.type_page(vocabulary, t.id))}
                               for t in v.types[vocabulary].values()]
    return catalog


class ReportRecords:
    """catalog.json's reports[], in order: each record made when iterated, never all held at once."""

    def __init__(self, kb: KnowledgeBase, similar: Callable[[Report], list[dict]]):
        self.kb, self.similar = kb, similar

    def __iter__(self) -> Iterator[dict]:
        return (report_record(self.kb, report, self.similar(report)) for report in self.kb.reports)

    def __len__(self) -> int:
        return len(self.kb.reports)


def report_record(kb: KnowledgeBase, report: Report, similar: list[dict]) -> dict:
    v = kb.vocab
    sections = []
    for section in report.sections:
        vocabulary = v.type_vocabulary_of(section.part)
        url = paths.url_of(section.src_path)
        sections.append({
            "id": section.id,
            "part": section.part,
            "heading": plain(section.heading) if section.heading else None,
            "title": section_title(kb, section),
            "theme": section.theme,
            "aspects": kb.section_aspects(section),
            "url": url,
            "text": section.body_text,
            "types": section.types(),
            "items": [{
                "id": item.id,
                "title": item.title,
                "text": item.plain,
                "types": list(item.types),
                "problem_types": list(item.types) if vocabulary == "problem_types" else [],
                "measures": list(item.measures),
                "url": f"{url}#{item.id}",
            } for item in section.items],
        })
    return {
        "id": report.id, "title": report.title, "unit": report.unit, "meeting": report.meeting,
        "year": report.year, "date": report.date or None, "source": report.source,
        "author_kind": report.author_kind, "author_role": report.author_role or None,
        "url": paths.url_of(report.src_path), "sections": sections, "similar": similar,
        "unanswered": [item.id for item in unanswered(report, v)],
        "unreferenced_measures": [answer.id for answer in unreferenced_measures(report, v)],
    }


def write_catalog(catalog: dict, site_dir: Path, also: Callable[[dict], None] = lambda report: None) -> Path:
    """The same bytes as json.dumps(catalog) (reports[] as a list), written a report at a time: the
    whole text at once (and its UTF-8 copy) was the build's peak memory at 1,000 reports. also(record)
    is given each report's record as it is written (the search index is made in the same pass)."""
    target = Path(site_dir) / "catalog.json"
    partial = target.with_name("catalog.json.partial")  # renamed into place whole: never half-written
    try:
        with partial.open("w", encoding="utf-8") as out:
            out.write("{")
            for number, (key, value) in enumerate(catalog.items()):
                out.write(("," if number else "") + compact_json(key) + ":")
                if key == "reports":
                    out.write("[")
                    for position, report in enumerate(value):
                        stop_point()  # under `mkdocs serve` a newer build may stop this one's outputs
                        out.write(("," if position else "") + compact_json(report))
                        also(report)
                    out.write("]")
                else:
                    out.write(compact_json(value))
            out.write("}")
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    return target
