"""The loaded knowledge base: vocabularies, reports, and the cross-report indexes (by theme, unit,
type) that every generated page and catalog.json are made from. Built once per build, linear in
the corpus."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .errors import KnowledgeBaseError, Problems
from .layout import check_layout
from .model import Item, Report, Section
from .structure import ReportCache, folder_signature, load_reports
from .validate import check_review_markers, validate
from .vocab import Vocabulary, load_vocabulary



@dataclass
class KnowledgeBase:
    docs_dir: Path
    vocab: Vocabulary
    reports: list[Report]
    sections_by_theme: dict[str, list[Section]] = field(default_factory=dict)
    reports_by_unit: dict[str, list[Report]] = field(default_factory=dict)
    items_by_type: dict[tuple[str, str], list[Item]] = field(default_factory=dict)
    # aspect -> problems sections examining it, in time order: year, meeting (as listed), theme, unit
    sections_by_aspect: dict[str, list[Section]] = field(default_factory=dict)
    reports_by_src: dict[str, Report] = field(default_factory=dict)
    reports_by_id: dict[str, Report] = field(default_factory=dict)
    sections_by_src: dict[str, Section] = field(default_factory=dict)
    theme_position: dict[int, int] = field(default_factory=dict)  # id(section) -> index in its theme's list
    kind_rank: dict[str, int] = field(default_factory=dict)  # unit kind -> order in data/units.yml

    def __post_init__(self) -> None:
        self.kind_rank = {kind: rank for rank, kind in enumerate(self.vocab.unit_kinds)}
        self.reports.sort(key=self.report_sort_key)
        by_theme, by_unit, by_type = defaultdict(list), defaultdict(list), defaultdict(list)
        for report in self.reports:
            self.reports_by_src[report.src_path] = report
            self.reports_by_id[report.id] = report
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
        self.theme_position = {id(s): i for sections in by_theme.values() for i, s in enumerate(sections)}
        self.reports_by_unit = dict(by_unit)
        self.items_by_type = dict(by_type)
        self.sections_by_aspect = self._index_aspects()

    def _index_aspects(self) -> dict[str, list[Section]]:
        meeting_rank = {meeting_id: rank for rank, meeting_id in enumerate(self.vocab.meetings)}
        by_aspect = defaultdict(list)
        for report in self.reports:
            for section in report.sections:
                for aspect in self.section_aspects(section):
                    by_aspect[aspect].append(section)

        def key(section: Section):
            report = section.report
            theme = self.vocab.themes.get(section.theme or "")
            unit = self.vocab.units.get(report.unit)
            return (report.year or 0, meeting_rank.get(report.meeting, 0), theme.number if theme else 0,
                    self.unit_sort_key(unit) if unit else (99, report.unit), report.id, section.id)

        return {aspect: sorted(sections, key=key) for aspect, sections in by_aspect.items()}

    def section_aspects(self, section: Section) -> list[str]:
        """What a section examines: its theme's aspects, or (meeting without themes) its own."""
        theme = self.vocab.themes.get(section.theme or "")
        return list(theme.aspects) if theme is not None else list(section.aspects)

    def report_sort_key(self, report: Report):
        unit = self.vocab.units.get(report.unit)
        return (-(report.year or 0), report.meeting, self.unit_sort_key(unit) if unit else (99, report.unit), report.id)

    def unit_sort_key(self, unit):
        return (self.kind_rank.get(unit.kind, 99), unit.name)

    def unit_of(self, report: Report):
        return self.vocab.units[report.unit]

    def theme_section_count(self, theme_id: str) -> int:
        return len(self.sections_by_theme.get(theme_id, ()))

    @cached_property  # the home page and the stats page show it; counting walks every block
    def item_count(self) -> int:
        return sum(len(s.items) for r in self.reports for s in r.sections)

    @property
    def section_count(self) -> int:
        return sum(len(r.sections) for r in self.reports)


def load(root: Path, docs_dir: Path | None = None,
         report_cache: ReportCache | None = None) -> tuple[KnowledgeBase | None, Problems]:
    """Read and check everything; the knowledge base is None when there are problems. report_cache
    (kept by `mkdocs serve` between rebuilds) spares reading report folders that did not change."""
    root = Path(root).resolve()
    docs_dir = Path(docs_dir).resolve() if docs_dir else root / "docs"
    problems = Problems(root=root)
    vocab = _vocabulary(root / "data", problems, report_cache)
    check_layout(docs_dir, problems)
    reports = load_reports(docs_dir, problems, report_cache)
    validate(vocab, reports, problems, report_cache)
    check_review_markers(reports, problems)
    if problems:
        return None, problems
    return KnowledgeBase(docs_dir=docs_dir, vocab=vocab, reports=reports), problems


def _vocabulary(data_dir: Path, problems: Problems, cache: ReportCache | None) -> Vocabulary:
    """data/'s vocabularies; under `mkdocs serve` (cache) the last build's while data/'s files have the
    same names, sizes, inodes and modification times (reading units.yml alone took a quarter second
    at 1,000 units), and only if they were read without problems (those are reported every build)."""
    if cache is None:
        return load_vocabulary(data_dir, problems)
    signature = folder_signature(data_dir) if data_dir.is_dir() else None
    if signature is not None and cache.vocabulary is not None and cache.vocabulary[0] == signature:
        return cache.vocabulary[1]
    before = len(problems)
    vocab = load_vocabulary(data_dir, problems)
    cache.vocabulary = (signature, vocab) if signature is not None and len(problems) == before else None
    return vocab


def load_or_raise(root: Path, docs_dir: Path | None = None, report_cache: ReportCache | None = None) -> KnowledgeBase:
    kb, problems = load(root, docs_dir, report_cache)
    if kb is None:
        raise KnowledgeBaseError(problems.sorted())
    return kb


__all__ = ["KnowledgeBase", "load", "load_or_raise"]
