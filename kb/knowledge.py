"""The loaded knowledge base: vocabularies, reports, and the cross-report indexes (by theme, unit,
type) that every generated page and catalog.json are made from. Built once per build, linear in
the corpus."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .errors import KnowledgeBaseError, Problems
from .model import Item, Report, Section
from .structure import load_reports
from .validate import validate
from .vocab import TYPE_VOCABULARIES, Vocabulary, load_vocabulary

# Where each type vocabulary's pages live (URL folder).
TYPE_FOLDERS = {"problem_types": "problem-types", "cause_types": "cause-types", "measure_types": "measure-types"}


@dataclass
class KnowledgeBase:
    root: Path
    docs_dir: Path
    vocab: Vocabulary
    reports: list[Report]
    sections_by_theme: dict[str, list[Section]] = field(default_factory=dict)
    reports_by_unit: dict[str, list[Report]] = field(default_factory=dict)
    items_by_type: dict[tuple[str, str], list[Item]] = field(default_factory=dict)
    reports_by_src: dict[str, Report] = field(default_factory=dict)
    sections_by_src: dict[str, Section] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.reports.sort(key=self.report_sort_key)
        by_theme, by_unit, by_type = defaultdict(list), defaultdict(list), defaultdict(list)
        for report in self.reports:
            self.reports_by_src[report.src_path] = report
            by_unit[report.unit].append(report)
            for section in report.sections:
                self.sections_by_src[section.src_path] = section
                if section.theme:
                    by_theme[section.theme].append(section)
                vocabulary = self.vocab.type_vocabulary_of(section.part)
                for item in section.items:
                    for type_id in item.types:
                        by_type[(vocabulary, type_id)].append(item)
        self.sections_by_theme = dict(by_theme)
        self.reports_by_unit = dict(by_unit)
        self.items_by_type = dict(by_type)

    def report_sort_key(self, report: Report):
        unit = self.vocab.units.get(report.unit)
        kind_order = list(self.vocab.unit_kinds).index(unit.kind) if unit and unit.kind in self.vocab.unit_kinds else 99
        return (-(report.year or 0), report.meeting, kind_order, unit.name if unit else report.unit, report.id)

    def unit_of(self, report: Report):
        return self.vocab.units[report.unit]

    def theme_section_count(self, theme_id: str) -> int:
        return len(self.sections_by_theme.get(theme_id, ()))

    @property
    def item_count(self) -> int:
        return sum(len(s.items) for r in self.reports for s in r.sections)

    @property
    def section_count(self) -> int:
        return sum(len(r.sections) for r in self.reports)


def load(root: Path, docs_dir: Path | None = None) -> tuple[KnowledgeBase | None, Problems]:
    """Read and check everything; the knowledge base is None when there are problems."""
    root = Path(root).resolve()
    docs_dir = Path(docs_dir).resolve() if docs_dir else root / "docs"
    problems = Problems(root=root)
    vocab = load_vocabulary(root / "data", problems)
    reports = load_reports(docs_dir, problems)
    validate(vocab, reports, problems)
    if problems:
        return None, problems
    return KnowledgeBase(root=root, docs_dir=docs_dir, vocab=vocab, reports=reports), problems


def load_or_raise(root: Path, docs_dir: Path | None = None) -> KnowledgeBase:
    kb, problems = load(root, docs_dir)
    if kb is None:
        raise KnowledgeBaseError(problems.sorted())
    return kb


__all__ = ["KnowledgeBase", "load", "load_or_raise", "TYPE_FOLDERS", "TYPE_VOCABULARIES"]
