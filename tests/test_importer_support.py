"""Shared by the importer tests (no tests here): run `kb import` the way a contributor does (the real
command line, in a throwaway project), read the result back with kb.structure like `kb check` does,
and damage the seed texts the way real copies come (each damage returns the noise lines it added)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

from kb.importer.markers import marker_at

from kb.errors import Problems
from kb.structure import load_reports

from conftest import CORPUS, ROOT, SEEDS, report_text, squash, tree_hash  # noqa: F401  (re-exported to the importer tests)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
SEED_GOV = SEEDS / "2021-xx-county-gov-office.txt"
SEED_PARTY = SEEDS / "2021-xx-county-party-committee.txt"
CURATED = {SEED_GOV.name: "2021-xx-county-gov-office", SEED_PARTY.name: "2021-xx-county-party-committee"}
UNITS = {SEED_GOV.name: "xx-county-gov-office", SEED_PARTY.name: "xx-county-party-committee"}


def empty_project(tmp_path: Path) -> Path:
    """data/ of the fixture corpus, no reports yet."""
    root = tmp_path / "proj"
    (root / "docs" / "reports").mkdir(parents=True)
    shutil.copytree(CORPUS / "data", root / "data")
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


NEW_UNIT_REPORT = "2021-xx-city-finance-bureau"


def import_new_unit_report(root: Path) -> Path:
    """What a contributor does for a report of a unit not yet in data/: `kb import` with --new-unit-*,
    then the review notes resolved and `kb check` passing. Returns the report folder."""
    result = run_kb(root, "import", str(FIXTURES / "extra-parts.txt"), "--unit", "xx-city-finance-bureau",
                    "--meeting", "dsxx-2021", "--year", "2021", "--source", "https://example.org/xx-finance-2021",
                    "--title", "xx市财政局领导班子2021年度党史学习教育专题民主生活会对照检查材料",
                    "--new-unit-name", "xx市财政局领导班子", "--new-unit-kind", "department",
                    "--new-unit-level", "municipal", "--new-unit-region", "xx市")
    assert result.returncode == 0, result.stderr.decode()
    folder = root / "docs" / "reports" / NEW_UNIT_REPORT
    resolve_review_notes(folder)
    check = run_kb(root, "check")
    assert check.returncode == 0, check.stdout.decode()
    return folder


def resolve_review_notes(folder: Path) -> int:
    """What a contributor does after `kb import`: check each proposal it marked for review and
    delete its review comments (kb check refuses them while they stand). Returns how many."""
    count = 0
    for path in folder.glob("*.md"):
        lines = path.read_text(encoding="utf-8").split("\n")
        kept = []
        for line in lines:
            if "kb import 建议" in line and line.lstrip().startswith("#") or re.match(r"^#   [a-z][a-z0-9-]*: ", line):
                count += 1
                continue
            if "# kb import 建议" in line:
                count += 1
                line = line[:line.index("# kb import 建议")].rstrip()
            kept.append(line)
        path.write_text("\n".join(kept), encoding="utf-8")
    return count


def load_report(docs: Path, report_id: str):
    problems = Problems(root=docs)
    reports = [r for r in load_reports(docs, problems) if r.id == report_id]
    assert not problems, problems.sorted()
    assert len(reports) == 1
    return reports[0]


def structure(report) -> list[tuple]:
    """What must be recovered: parts (with headings), sections, headings, items, themes."""
    out = [("parts", tuple(sorted(report.part_headings.items())))]
    for section in report.sections:
        out.append(("section", section.id, section.part, section.theme, squash(section.heading or "")))
        for block in section.blocks:
            out.append(("item" if block.item else "text", block.item.id if block.item else None, squash(block.text)))
    return out


# ---------------------------------------------------------------- copy damage

NOISE_FOOTER = "- {n} -"
CHROME = "发布时间：2022-01-12 09:30　来源：某某网　浏览量：2345"
CHROME_LINE = re.compile(r"^发布时间：")


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def hard_wrap(text: str, width: int = 60, indent: str = "　　") -> str:
    """A PDF's lines: every paragraph indented, then cut at a fixed visual width (~30 汉字)."""
    out = []
    for para in paragraphs(text):
        line, used = indent, sum(_width(c) for c in indent)
        for ch in para:
            if used + _width(ch) > width:
                out.append(line)
                line, used = "", 0
            line += ch
            used += _width(ch)
        out.append(line)
    return "\n".join(out) + "\n"


def with_footers(text: str, every: int = 17) -> tuple[str, list[str]]:
    lines = text.splitlines()
    out, noise = [], []
    for index, line in enumerate(lines, 1):
        out.append(line)
        if index % every == 0:
            footer = NOISE_FOOTER.format(n=index // every)
            out += ["", footer, ""]
            noise.append(footer)
    return "\n".join(out) + "\n", noise


def page_break_mid_paragraph(text: str) -> tuple[str, list[str]]:
    """Unwrapped copy where a page footer cuts two long paragraphs in half."""
    lines = paragraphs(text)
    noise = []
    cut = 0
    for index, line in enumerate(lines):
        if len(line) < 200 or cut >= 2:
            continue
        pos = len(line) // 2
        while pos < len(line) and (line[pos - 1] in "。，、；：“”,（）" or marker_at(line, pos) is not None):
            pos += 1
        cut += 1
        footer = f"第 {cut} 页 共 9 页"
        lines[index] = line[:pos] + f"\n\n{footer}\n\n" + line[pos:]
        noise.append(footer)
    return "\n".join(lines) + "\n", noise


def title_chrome_toc_signature(text: str, title: str) -> tuple[str, list[str]]:
    heads = [p for p in paragraphs(text) if re.match(r"^[一二三四五六七八九十]、", p)]
    top = [title, CHROME, "", "目  录"] + [f"{h}…………{n}" for n, h in enumerate(heads, 2)] + [""]
    bottom = ["", "xx县人民政府办公室领导班子", "2022年1月10日"]
    noise = [title, CHROME, "目  录"] + [f"{h}…………{n}" for n, h in enumerate(heads, 2)] + bottom[1:]
    return "\n".join(top) + "\n" + text + "\n".join(bottom) + "\n", noise


def toc_without_leaders(text: str) -> tuple[str, list[str]]:
    heads = [p for p in paragraphs(text) if re.match(r"^[一二三四五六七八九十]、", p)]
    return "目录\n" + "\n".join(heads) + "\n\n" + text, ["目录"] + heads


def bom_crlf_indent(text: str) -> str:
    return "\ufeff" + "\r\n".join("　　" + p for p in paragraphs(text)) + "\r\n"


def single_line(text: str) -> str:
    return "".join(paragraphs(text))


def items_per_paragraph(text: str) -> str:
    """一是…二是… each on its own line instead of running on."""
    return re.sub(r"(?<=[。：；])(?=[一二三四五六七八九十]是)", "\n", text)


def headings_own_line(text: str) -> str:
    """A heading sentence run into its body ("（一）理性信念改造不彻底。习总书记…") put on its own line."""
    return re.sub(r"^((?:（[一二三四五六七八九十]+）|[0-9]+、)[^。\n]*。)(?=\S)", r"\1\n", text, flags=re.M)
