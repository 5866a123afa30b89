"""Shared by the importer tests: run `kb import` the way a contributor does (the real command line,
in a throwaway project) and read the result back with kb.structure, like `kb check` does."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from kb.errors import Problems
from kb.structure import load_reports

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
SEED_GOV = SEEDS / "000_da571a64ecad6506.txt"
SEED_PARTY = SEEDS / "004_8d8bc3386ff15bee.txt"
CURATED = {SEED_GOV.name: "2021-xx-county-gov-office", SEED_PARTY.name: "2021-xx-county-party-committee"}
UNITS = {SEED_GOV.name: "xx-county-gov-office", SEED_PARTY.name: "xx-county-party-committee"}


def empty_project(tmp_path: Path) -> Path:
    """data/ of the real project, no reports yet."""
    root = tmp_path / "proj"
    (root / "docs" / "reports").mkdir(parents=True)
    shutil.copytree(ROOT / "data", root / "data")
    (root / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    return root


def run_kb(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "kb.cli", "--root", str(root), *args], input=stdin,
                          capture_output=True, env=env, cwd=root)


def kb_import(root: Path, source: Path | str, unit: str, report_id: str = "2021-imported", *extra: str,
              stdin: bytes | None = None, title: str = "导入测试报告") -> subprocess.CompletedProcess:
    return run_kb(root, "import", str(source), "--unit", unit, "--meeting", "dsxx-2021", "--title", title,
                  "--year", "2021", "--id", report_id, "--source", "test", *extra, stdin=stdin)


def load_report(docs: Path, report_id: str):
    problems = Problems(root=docs)
    reports = [r for r in load_reports(docs, problems) if r.id == report_id]
    assert not problems, problems.sorted()
    assert len(reports) == 1
    return reports[0]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def structure(report) -> list[tuple]:
    """What must be recovered: parts (with headings), sections, headings, items, themes."""
    out = [("parts", tuple(sorted(report.part_headings.items())))]
    for section in report.sections:
        out.append(("section", section.id, section.part, section.theme, squash(section.heading or "")))
        for block in section.blocks:
            out.append(("item" if block.item else "text", block.item.id if block.item else None, squash(block.text)))
    return out


def report_text(report) -> str:
    """Every character a report holds, in reading order (part headings where their part starts)."""
    out = []
    for part_id, sections in report.part_runs():
        out.append(report.part_headings.get(part_id, ""))
        for section in sections:
            out.append(section.heading or "")
            out.extend(block.text for block in section.blocks)
    return squash("".join(out))


def tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(path.relative_to(root).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()
