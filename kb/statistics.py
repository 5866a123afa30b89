"""The corpus at a glance (the stats page): counts taken from the same loaded knowledge base that
catalog.json and the index pages are made from, so the three always agree. Each chart is a table
of counts (rows × columns) that the page draws as SVG, prints as a table and writes as CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from collections import Counter
from dataclasses import dataclass

from . import paths
from .knowledge import KnowledgeBase
from .labels import theme_label
from .site_files import write_tree

BIN_WIDTH = 5  # items per report are counted in bins of this width: 0–4, 5–9, …


@dataclass
class Chart:
    slug: str  # CSV file name and anchor: ASCII
    title: str
    note: str  # what is counted, in words
    row_head: str
    rows: list[str]  # row labels (untrusted: vocabulary names), in display order
    columns: list[str]  # column labels; one column: a bar chart, more: a grid
    values: list[list[int]]  # values[row][column]
    row_links: list[str | None]  # src path each row label links to, if any

    @property
    def grid(self) -> bool:
        return len(self.columns) > 1


def problem_type_chart(kb: KnowledgeBase) -> Chart:
    terms = kb.vocab.types["problem_types"]
    counted = sorted(((len(kb.items_by_type.get(("problem_types", t), ())), index, t) for index, t in enumerate(terms)),
                     key=lambda row: (-row[0], row[1]))
    return Chart("problem-types", "问题类型的条目数", "每个问题类型下的问题条目数（一条问题可归入几个类型）", "问题类型",
                 [terms[t].name for _count, _index, t in counted], ["条目"], [[count] for count, _index, _t in counted],
                 [paths.type_page("problem_types", t) for _count, _index, t in counted])


def theme_unit_kind_chart(kb: KnowledgeBase) -> Chart:
    """Problems sections by theme (rows: themes with any, in meeting order) and unit kind."""
    counts: Counter = Counter()
    for theme_id, sections in kb.sections_by_theme.items():
        for section in sections:
            counts[(theme_id, kb.unit_of(section.report).kind)] += 1
    themes = [t for t in kb.vocab.themes if kb.sections_by_theme.get(t)]
    kinds = [k for k in kb.vocab.unit_kinds if any(counts[(t, k)] for t in themes)]
    return Chart("themes-unit-kinds", "会议主题 × 单位类型", "各会议主题下各类单位报告的问题章节数", "会议主题",
                 [f"{kb.vocab.meetings[kb.vocab.themes[t].meeting].year}{theme_label(kb, t)}" for t in themes],
                 [kb.vocab.unit_kinds[k].name for k in kinds], [[counts[(t, k)] for k in kinds] for t in themes],
                 [paths.theme_page(t) for t in themes])


def aspect_year_chart(kb: KnowledgeBase) -> Chart:
    """Problem items by the aspect their section examines (rows) and the report's year."""
    counts: Counter = Counter()
    for aspect_id, sections in kb.sections_by_aspect.items():
        for section in sections:
            counts[(aspect_id, section.report.year)] += len(section.items)
    years = sorted({year for _aspect, year in counts if year is not None})
    aspects = [a for a in kb.vocab.aspects if any(counts[(a, y)] for y in years)]
    return Chart("aspects-years", "检视方面 × 年度", "各检视方面在各年度报告中的问题条目数（一节可检视几个方面）", "检视方面",
                 [kb.vocab.aspects[a].name for a in aspects], [f"{y}年" for y in years],
                 [[counts[(a, y)] for y in years] for a in aspects], [paths.aspect_page(a) for a in aspects])


def items_per_report_chart(kb: KnowledgeBase) -> Chart:
    """How many reports have how many items (problems, causes and measures), in bins."""
    sizes = [len(report.items) for report in kb.reports]
    top = max(sizes, default=0) // BIN_WIDTH
    bins = Counter(size // BIN_WIDTH for size in sizes)
    return Chart("items-per-report", "每份报告的条目数", f"条目（问题、原因、措施）数每 {BIN_WIDTH} 条一档，各档的报告数",
                 "条目数", [f"{b * BIN_WIDTH}–{b * BIN_WIDTH + BIN_WIDTH - 1}" for b in range(top + 1)], ["报告"],
                 [[bins[b]] for b in range(top + 1)], [None] * (top + 1))


def charts(kb: KnowledgeBase) -> list[Chart]:
    return [problem_type_chart(kb), theme_unit_kind_chart(kb), aspect_year_chart(kb), items_per_report_chart(kb)]


def _cell(value: str) -> str:
    """A spreadsheet runs a cell starting with = + - @ as a formula: such labels get a leading '."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_text(chart: Chart) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([_cell(chart.row_head), *(_cell(c) for c in chart.columns)])
    for label, row in zip(chart.rows, chart.values):
        writer.writerow([_cell(label), *row])
    return out.getvalue()


def csv_files(kb: KnowledgeBase) -> dict[str, str]:
    """File name -> content of every chart's CSV (UTF-8 with a BOM, which spreadsheet programs need
    to read Chinese)."""
    return {f"{chart.slug}.csv": "\ufeff" + csv_text(chart) for chart in charts(kb)}


def write_stats_data(kb: KnowledgeBase, site_dir: Path, written: dict[str, str] | None = None) -> None:
    """The CSV files the stats page links to, in site/stats/data/ (kb.site_files: swapped in whole,
    or under `mkdocs serve` updated in place)."""
    write_tree(Path(site_dir) / paths.STATS_DATA, csv_files(kb), written)
