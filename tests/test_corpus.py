"""The live corpus (docs/, data/, sources/) checked with expectations derived from itself: every
report keeps the raw text it was made from in sources/<report-id>.txt, and importing that text
again gives back the report's characters in order (the importer never loses or reorders text, and
a curated report never drifts from its source). Adding, editing or removing a report never needs
a test edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb.importer.report import Options, plan
from kb.knowledge import load_or_raise
from kb.structure import load_reports
from kb.errors import Problems

from conftest import ROOT, report_text

REPORT_IDS = sorted(p.name for p in (ROOT / "docs" / "reports").iterdir() if (p / "index.md").is_file())


@pytest.fixture(scope="module")
def live_kb():
    return load_or_raise(ROOT)


@pytest.fixture(scope="module")
def empty_live_project(tmp_path_factory) -> Path:
    """The live vocabularies with no reports: where each source is imported again."""
    root = tmp_path_factory.mktemp("reimport")
    shutil.copytree(ROOT / "data", root / "data")
    (root / "docs" / "reports").mkdir(parents=True)
    return root


def test_the_live_corpus_is_not_empty():
    assert REPORT_IDS


def test_every_source_belongs_to_a_report():
    sources = sorted(p.stem for p in (ROOT / "sources").glob("*.txt"))
    assert [s for s in sources if s not in REPORT_IDS] == []


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_source_text_reimports_to_the_stored_report(live_kb, empty_live_project, tmp_path, report_id):
    report = next(r for r in live_kb.reports if r.id == report_id)
    source = ROOT / "sources" / f"{report_id}.txt"
    assert source.is_file(), f"sources/{report_id}.txt is missing: every report keeps its raw text there"
    planned = plan(empty_live_project, source.read_bytes(), source.name,
                   Options(unit=report.unit, meeting=report.meeting, title=report.title, year=report.year or 0,
                           report_id=report_id))
    folder = tmp_path / "reports" / report_id
    folder.mkdir(parents=True)
    for name, content in planned.files.items():
        (folder / name).write_text(content, encoding="utf-8")
    problems = Problems(root=tmp_path)
    reimported = load_reports(tmp_path, problems)
    assert not problems, problems.sorted()
    assert report_text(reimported[0]) == report_text(report)
