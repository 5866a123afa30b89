"""Reports of every kind of meeting, imported as a contributor does (`kb import`, review notes
resolved, `kb check`) and built with `mkdocs build --strict`: the 2022, 2023 (six aspects),
2024 (four 带头) and 2025 (five 带头) 民主生活会 and an individual's 组织生活会 report — the copy
that once went through with its problems part in the preface. Each copy was written for these tests
(tests/fixtures/import/) in a layout real copies use: web chrome, 第一部分, (一) in ASCII, spaces
inside numbers, censored words, items run on as 一是…；二是…；, sub-headed blocks, a PDF's hard
wraps, the themes numbered as parts. What the options leave out (--title, --meeting, --year,
--author-kind) is proposed from the copy.

The vocabularies are the tests' own (tests/fixtures/corpus/data/ with tests/fixtures/import/data/
over it), so the project's data/ may grow without touching these tests; expected themes come from
the built catalog (the meeting's themes in official order), not from copies of their ids here."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import make_project, mkdocs_build
from kb.text import item_title
from test_importer_support import FIXTURES, load_report, report_text, resolve_review_notes, run_kb, squash

COPIES = {
    # report id: (copy, kb import options beyond --source, what must come out)
    "2022-xx-county-party-office": ("mzshh-2022-county-office.txt", [
        "--title", "xx县委办公室领导班子2022年度民主生活会对照检查材料", "--unit", "xx-county-party-office",
        "--new-unit-name", "xx县委办公室领导班子", "--new-unit-kind", "department", "--new-unit-level", "county"], {
        "meeting": "mzshh-2022", "year": 2022, "author": ("group", ""), "date": "2023-02-08",
        "parts": {"last-rectification": "一、2021年度民主生活会整改落实情况", "problems": "二、对照“六个带头”查摆的问题",
                  "causes": "三、问题产生的根源", "measures": "四、下一步努力方向"},
        "items": {"00-preface": 0, "10-last-rectification-intro": 0, "21-problems-1": 2, "22-problems-2": 2,
                  "23-problems-3": 1, "24-problems-4": 2, "25-problems-5": 1, "26-problems-6": 2, "31-causes-1": 1,
                  "32-causes-2": 1, "33-causes-3": 1, "41-measures-1": 2, "42-measures-2": 2, "43-measures-3": 2},
        # no theme set known for 2022: the sections name their aspects (those the heading states plainly)
        "aspects": {"21-problems-1": "political-loyalty", "24-problems-4": "people-centred", "25-problems-5": "struggle",
                    "26-problems-6": "party-governance"},
        "dropped": [1, 2, 31, 32]}),
    "2023-xx-town-party-committee": ("ztjy-2023-township.txt", [
        "--title", "xx镇党委领导班子主题教育专题民主生活会对照检查材料", "--unit", "xx-town-party-committee",
        "--new-unit-name", "xx镇党委领导班子", "--new-unit-kind", "township", "--new-unit-level", "township"], {
        "meeting": "ztjy-2023", "year": 2023, "author": ("group", ""), "date": "2024-01-16",
        "parts": {"problems": "一、查摆问题", "causes": "二、原因分析", "measures": "三、整改措施"},
        "items": {"00-preface": 0, "11-problems-1": 2, "12-problems-2": 2, "13-problems-3": 2, "14-problems-4": 2,
                  "15-problems-5": 2, "16-problems-6": 2, "21-causes-1": 1, "22-causes-2": 1, "23-causes-3": 1,
                  "31-measures-1": 2, "32-measures-2": 2, "33-measures-3": 2},
        "headings": {"12-problems-2": "(二)ZZ素质方面", "13-problems-3": "( 三 )能力本领方面"},
        "dropped": [1, 24, 25]}),
    "2024-xx-county-finance-bureau": ("mzshh-2024-finance-bureau.txt", [
        "--title", "xx县财政局党组领导班子2024年度民主生活会对照检查材料", "--year", "2024", "--unit", "xx-county-finance-bureau",
        "--new-unit-name", "xx县财政局党组领导班子", "--new-unit-kind", "party-group", "--new-unit-level", "county"], {
        "meeting": "mzshh-2024", "year": 2024, "author": ("group", ""), "date": "2025-02-12",
        "parts": {"last-rectification": "第一部分 上年度民主生活会整改落实情况", "problems": "第二部分 对照“四个带头”查摆的问题",
                  "cases": "第三部分 反面典型案例剖析", "causes": "第四部分 问题产生的原因", "measures": "第五部分 整改措施"},
        "items": {"00-preface": 0, "10-last-rectification-intro": 0, "21-problems-1": 2, "22-problems-2": 2,
                  "23-problems-3": 2, "24-problems-4": 2, "30-cases-intro": 0, "41-causes-1": 1, "42-causes-2": 1,
                  "43-causes-3": 1, "51-measures-1": 2, "52-measures-2": 2, "53-measures-3": 2},
        "dropped": [1, 2]}),
    "2024-xx-finance-deputy": ("mzshh-2024-deputy-themes-as-parts.txt", [  # the four 带头 numbered as parts, no problems heading
        "--title", "xx县财政局副局长2024年度民主生活会个人发言提纲", "--unit", "xx-county-finance-bureau"], {
        "meeting": "mzshh-2024", "year": 2024, "author": ("individual", "leading-member"), "date": "",
        "parts": {"causes": "五、问题产生的原因", "measures": "六、下一步整改措施"},
        "items": {"00-preface": 0, "11-problems-1": 2, "12-problems-2": 2, "13-problems-3": 2, "14-problems-4": 2,
                  "21-causes-1": 1, "22-causes-2": 1, "30-measures-intro": 3},
        "dropped": [1]}),
    "2025-xx-township-secretary": ("mzshh-2025-township-secretary.txt", [
        "--meeting", "mzshh-2025", "--unit", "xx-township-committee",
        "--new-unit-name", "xx乡党委领导班子", "--new-unit-kind", "township", "--new-unit-level", "township"], {
        "meeting": "mzshh-2025", "year": 2025, "author": ("individual", "party-secretary"), "date": "2026-01-25",
        "parts": {"problems": "一、检视剖析", "causes": "二、根源剖析", "measures": "三、整改方向",
                  "personal-matters": "四、个人有关事项"},
        "items": {"00-preface": 0, "11-problems-1": 2, "12-problems-2": 2, "13-problems-3": 2, "14-problems-4": 2,
                  "15-problems-5": 2, "21-causes-1": 1, "22-causes-2": 1, "23-causes-3": 1, "31-measures-1": 2,
                  "32-measures-2": 2, "33-measures-3": 2, "40-personal-matters-intro": 0},
        "dropped": [1, 44, 45]}),
    "2023-xx-branch-member": ("individual-org-life.txt", [
        "--unit", "xx-office-party-branch",
        "--new-unit-name", "xx单位机关党支部", "--new-unit-kind", "party-branch", "--new-unit-level", "county"], {
        "meeting": "zzshh-2023", "year": 2023, "author": ("individual", "party-member"), "date": "2024-01-18",
        "parts": {"problems": "一、对照检查剖析", "measures": "二、下一步整改措施"},
        "items": {"00-preface": 0, "11-problems-1": 3, "12-problems-2": 2, "13-problems-3": 2, "14-problems-4": 2,
                  "15-problems-5": 6, "20-measures-intro": 5},
        "aspects": {"11-problems-1": "theory-study", "12-problems-2": "political-loyalty", "13-problems-3": "ability",
                    "14-problems-4": "responsibility"},
        "titles": {"15-problems-5": ["政治忠诚", "政治定力", "政治担当", "政治能力", "政治自律", "政治品格"]},
        "dropped": [1, 23, 24]}),
}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Every copy imported into one project of the fixture corpus, reviewed, checked and built."""
    base = tmp_path_factory.mktemp("meetings")
    root = make_project(base / "project")
    for name in ("meetings.yml", "parts.yml"):
        shutil.copy(FIXTURES / "data" / name, root / "data" / name)
    outputs = {}
    for report_id, (copy, options, _expected) in COPIES.items():
        result = run_kb(root, "import", str(FIXTURES / copy), "--id", report_id, "--source", f"https://example.org/{report_id}",
                        *options)
        assert result.returncode == 0, result.stderr.decode()
        outputs[report_id] = result.stdout.decode()
        resolve_review_notes(root / "docs" / "reports" / report_id)
    check = run_kb(root, "check")
    assert check.returncode == 0, check.stdout.decode()
    site = base / "site"
    build = mkdocs_build(root, site)
    assert build.returncode == 0, build.stdout + build.stderr
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    return root, site, catalog, outputs


@pytest.mark.parametrize("report_id", list(COPIES))
def test_copy_imports_to_its_structure(imported, report_id):
    root, _site, _catalog, outputs = imported
    copy, _options, expected = COPIES[report_id]
    report = load_report(root / "docs", report_id)
    lines = (FIXTURES / copy).read_text(encoding="utf-8").splitlines()
    assert report.title == lines[0].strip()  # given as --title, or (no --title) the copy's title line
    assert (report.meeting, report.year, report.date) == (expected["meeting"], expected["year"], expected["date"])
    assert (report.author_kind, report.author_role) == expected["author"]
    assert report.part_headings == expected["parts"]
    assert {s.id: len(s.items) for s in report.sections} == expected["items"]
    sections = {s.id: s for s in report.sections}
    for section_id, heading in expected.get("headings", {}).items():
        assert sections[section_id].heading == heading  # kept as written: ASCII brackets, spaces, censored words
    for section_id, aspect in expected.get("aspects", {}).items():
        assert aspect in sections[section_id].aspects, (section_id, sections[section_id].aspects)
    for section_id, titles in expected.get("titles", {}).items():  # sub-headed blocks: "1.政治忠诚" + its paragraph
        items = sections[section_id].items
        assert [item_title(i.text) for i in items] == titles
        assert [i.text.split("\n")[0] for i in items] == [f"{n}.{title}" for n, title in enumerate(titles, 1)]
    # every character of the copy is in the report, in order, but for the lines listed as dropped
    kept = [line for number, line in enumerate(lines, 1) if number not in expected["dropped"]]
    assert report_text(report) == squash("".join(kept))
    for number in expected["dropped"]:
        assert f"line {number} [" in outputs[report_id]


@pytest.mark.parametrize("report_id", list(COPIES))
def test_built_site_indexes_the_copy(imported, report_id):
    _root, site, catalog, _outputs = imported
    _copy, _options, expected = COPIES[report_id]
    report = next(r for r in catalog["reports"] if r["id"] == report_id)
    meeting = next(m for m in catalog["meetings"] if m["id"] == expected["meeting"])
    assert report["author_kind"] == expected["author"][0]
    problems = [s for s in report["sections"] if s["part"] == "problems" and s["heading"]]
    if meeting["themes"]:  # one problems section per theme, in the meeting's official order
        assert [s["theme"] for s in problems] == meeting["themes"]
        for section in problems:
            assert f"{report_id}/" in (site / "themes" / section["theme"] / "index.html").read_text(encoding="utf-8")
    else:  # a meeting without themes: every problems section names its aspects
        assert all(s["aspects"] for s in problems)
    assert sum(len(s["items"]) for s in report["sections"]) == sum(expected["items"].values())
    for section in report["sections"]:
        assert (site / section["url"] / "index.html").is_file()
