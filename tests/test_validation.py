"""The checker's error table: each contributor mistake gives its error with file, line, what is
wrong (zh + en) and what is allowed, all problems at once, and files stay untouched."""

import subprocess
import sys
from pathlib import Path

import pytest

from kb.knowledge import load

from conftest import mkdocs_build, tree_hash

GOV = "docs/reports/2021-xx-county-gov-office"


def replace(path: Path, old: str, new: str, count: int = 1):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {path}: {old!r}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def strip_markers(path: Path):
    text = path.read_text(encoding="utf-8")
    path.write_text("\n".join(line for line in text.split("\n") if not line.startswith("{: #")), encoding="utf-8")


def make_orphan_folder(root):
    folder = root / "docs/reports/orphan-report"
    folder.mkdir()
    (folder / "11-problems-1.md").write_text("---\npart: problems\n---\n# x\n", encoding="utf-8")


def make_gbk_section(root):
    path = root / GOV / "00-preface.md"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))


def make_duplicate_problem_type(root):
    path = root / "data/problem_types.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "  - id: research-shallow\n    name: 重复的类型\n", encoding="utf-8")


# (mutation, expected code, file, line or None, a fragment of the Chinese message, a fragment of the allowed values)
CASES = {
    "unknown theme": (lambda r: replace(r / GOV / "11-problems-1.md", "theme: dsxx-2021-1-liangge-queli", "theme: dsxx-2021-9-foo"),
                      "unknown-theme", f"{GOV}/11-problems-1.md", 3, "不属于会议", "dsxx-2021-1-liangge-queli"),
    "theme missing": (lambda r: replace(r / GOV / "12-problems-2.md", "theme: dsxx-2021-2-guozhi-dazhe\n", ""),
                      "missing-theme", f"{GOV}/12-problems-2.md", 2, "必须注明主题", "dsxx-2021-2-guozhi-dazhe"),
    "unknown unit": (lambda r: replace(r / GOV / "index.md", "unit: xx-county-gov-office", "unit: no-such-unit"),
                     "unknown-unit", f"{GOV}/index.md", 3, "未知单位", "xx-county-gov-office"),
    "missing field": (lambda r: replace(r / GOV / "index.md", "year: 2021\n", ""),
                      "missing-field", f"{GOV}/index.md", 2, "缺少必填字段 year", ""),
    "missing unit": (lambda r: replace(r / GOV / "index.md", "unit: xx-county-gov-office\n", ""),
                     "missing-field", f"{GOV}/index.md", 2, "缺少必填字段 unit", ""),
    "unknown field": (lambda r: replace(r / GOV / "index.md", "year: 2021\n", "year: 2021\nuint: x\n"),
                      "unknown-field", f"{GOV}/index.md", 6, "未知的元数据字段", "unit"),
    "unknown meeting": (lambda r: replace(r / GOV / "index.md", "meeting: dsxx-2021", "meeting: zt-2023"),
                        "unknown-meeting", f"{GOV}/index.md", 4, "未知会议", "dsxx-2021"),
    "malformed yaml": (lambda r: replace(r / GOV / "13-problems-3.md", "part: problems", "part: [problems"),
                       "front-matter", f"{GOV}/13-problems-3.md", 3, "不是合法的 YAML", ""),
    "front matter not closed": (lambda r: replace(r / GOV / "00-preface.md", "part: preface\n---", "part: preface\n"),
                                "front-matter", f"{GOV}/00-preface.md", 1, "没有以单独一行的 --- 结束", ""),
    "duplicate item id": (lambda r: replace(r / GOV / "11-problems-1.md", "{: #p1-2 ", "{: #p1-1 "),
                          "duplicate-id", f"{GOV}/11-problems-1.md", None, "重复", ""),
    "item without types": (lambda r: replace(r / GOV / "11-problems-1.md", '{: #p1-1 types="theory-study-shallow" measures="m2-1" }', "{: #p1-1 }"),
                           "missing-types", f"{GOV}/11-problems-1.md", None, "没有类型", "theory-study-shallow"),
    "unknown problem type": (lambda r: replace(r / GOV / "11-problems-1.md", 'types="theory-study-shallow"', 'types="lazy"'),
                             "unknown-type", f"{GOV}/11-problems-1.md", None, "不在 data/problem_types.yml 中", "theory-study-shallow"),
    "cause type on a problem": (lambda r: replace(r / GOV / "11-problems-1.md", 'types="theory-study-shallow"', 'types="ideals-faith-weak"'),
                                "unknown-type", f"{GOV}/11-problems-1.md", None, "ideals-faith-weak", "theory-study-shallow"),
    "detached marker": (lambda r: replace(r / GOV / "11-problems-1.md", '\n{: #p1-1 ', '\n\n{: #p1-1 '),
                        "detached-marker", f"{GOV}/11-problems-1.md", None, "空了一行", ""),
    "problems section without items": (lambda r: strip_markers(r / GOV / "13-problems-3.md"),
                                       "no-items", f"{GOV}/13-problems-3.md", 5, "至少要有一个条目", ""),
    "section outside any report": (make_orphan_folder, "outside-report", "docs/reports/orphan-report/11-problems-1.md", None,
                                   "不属于任何报告", ""),
    "bad section file name": (lambda r: (r / GOV / "11-problems-1.md").rename(r / GOV / "问题一.md"),
                              "bad-file-name", f"{GOV}/问题一.md", None, "文件名", "11-problems-1.md"),
    "not utf-8": (make_gbk_section, "encoding", f"{GOV}/00-preface.md", None, "不是 UTF-8", ""),
    "duplicate vocabulary id": (make_duplicate_problem_type, "duplicate-id", "data/problem_types.yml", None, "重复", ""),
    "duplicate key in a vocabulary": (lambda r: replace(r / "data/meetings.yml", "    year: 2021\n", "    year: 2021\n    year: 2022\n"),
                                      "duplicate-key", "data/meetings.yml", 8, "出现了两次", ""),
    "repeated key: its last value, at its line": (lambda r: replace(r / GOV / "index.md", "year: 2021\n", "year: 2021\nyear: 二〇二一\n"),
                                                  "bad-type", f"{GOV}/index.md", 6, "year", ""),
    # aspects of themes (data/meetings.yml) and the meeting's own fields
    "unknown aspect of a theme": (lambda r: replace(r / "data/meetings.yml", "aspects: [people-centred]", "aspects: [people-first]"),
                                  "unknown-aspect", "data/meetings.yml", 26, "不在 data/aspects.yml 中", "people-centred（为民宗旨）"),
    "theme without aspects": (lambda r: replace(r / "data/meetings.yml", "        aspects: [people-centred]\n", ""),
                              "missing-aspects", "data/meetings.yml", 23, "缺少 aspects", "theory-study（理论学习）"),
    "unknown meeting kind": (lambda r: replace(r / "data/meetings.yml", "kind: 民主生活会", "kind: 座谈会"),
                             "unknown-meeting-kind", "data/meetings.yml", 6, "不是会议类型", "民主生活会、组织生活会"),
    "meeting without source": (lambda r: replace(r / "data/meetings.yml", "    source:\n", "    source_note:\n"),
                               "missing-field", "data/meetings.yml", 4, "缺少出处 source.publication", "publication"),
    "aspects on a themed section": (lambda r: replace(r / GOV / "13-problems-3.md", "part: problems\n", "part: problems\naspects: [work-style]\n"),
                                    "aspects-not-allowed", f"{GOV}/13-problems-3.md", 3, "方面来自主题", ""),
    # author: a 班子 or one member with a role
    "individual without role": (lambda r: replace(r / GOV / "index.md", "year: 2021\n", "year: 2021\nauthor_kind: individual\n"),
                                "missing-field", f"{GOV}/index.md", 6, "author_role", "party-secretary（党委（党组）书记）"),
    "unknown author role": (lambda r: replace(r / GOV / "index.md", "year: 2021\n", "year: 2021\nauthor_kind: individual\nauthor_role: 县长\n"),
                            "unknown-author-role", f"{GOV}/index.md", 7, "不在 data/author_roles.yml 中", "party-member（党员）"),
    "role of a group report": (lambda r: replace(r / GOV / "index.md", "year: 2021\n", "year: 2021\nauthor_role: party-member\n"),
                               "role-without-individual", f"{GOV}/index.md", 6, "author_kind: individual", "author_kind: individual"),
    "unknown author kind": (lambda r: replace(r / GOV / "index.md", "year: 2021\n", "year: 2021\nauthor_kind: person\n"),
                            "unknown-author-kind", f"{GOV}/index.md", 6, "不是作者类型", "group、individual"),
    # 整改对账: a problem item names the measures answering it, by ids of the same report
    "link to a missing measure": (lambda r: replace(r / GOV / "11-problems-1.md", 'measures="m2-1" }', 'measures="m2-1 m9-9" }'),
                                  "unknown-measure", f"{GOV}/11-problems-1.md", 10, "“m9-9” 不是本报告的整改措施", "m1-1、m2-1"),
    "link to a section with items": (lambda r: replace(r / GOV / "11-problems-1.md", 'measures="m2-1" }', 'measures="32-measures-2" }'),
                                     "unknown-measure", f"{GOV}/11-problems-1.md", 10, "不是本报告的整改措施", "30-measures-intro"),
    "link named twice": (lambda r: replace(r / GOV / "11-problems-1.md", 'measures="m2-1" }', 'measures="m2-1 m2-1" }'),
                         "duplicate-measure", f"{GOV}/11-problems-1.md", 10, "写了两次", "m2-1"),
    "link on a cause": (lambda r: replace(r / GOV / "21-causes-1.md", 'party-spirit-weak" }', 'party-spirit-weak" measures="m1-1" }'),
                        "measures-not-allowed", f"{GOV}/21-causes-1.md", 7, "只有问题条目才写 measures", ""),
    "answered_by unknown measure type": (lambda r: replace(r / "data/problem_types.yml", "answered_by: [theory-armament]",
                                                           "answered_by: [theory-armament, no-such-measure]"),
                                         "unknown-type", "data/problem_types.yml", 10, "“no-such-measure” 不在 data/measure_types.yml 中",
                                         "theory-armament"),
}


@pytest.mark.parametrize("name", CASES)
def test_error_table(project_copy, name):
    mutate, code, file, line, zh_fragment, allowed_fragment = CASES[name]
    mutate(project_copy)
    before = tree_hash(project_copy)
    kb, problems = load(project_copy)
    assert kb is None
    matching = [p for p in problems.items if p.code == code and p.file == file]
    assert matching, [p.format() for p in problems.items]
    problem = matching[0]
    if line is not None:
        assert problem.line == line, problem.format()
    else:
        assert problem.line is None or problem.line > 0
    assert zh_fragment in problem.zh, problem.format()
    assert sum(c.isascii() and c.isalpha() for c in problem.en) > 10  # an English sentence is there too
    assert allowed_fragment in problem.allowed
    assert tree_hash(project_copy) == before  # checking never writes


def test_all_problems_are_reported_at_once(project_copy):
    CASES["unknown theme"][0](project_copy)
    CASES["unknown unit"][0](project_copy)
    CASES["item without types"][0](project_copy)
    _, problems = load(project_copy)
    assert {p.code for p in problems.items} >= {"unknown-theme", "unknown-unit", "missing-types"}


def test_strict_build_fails_on_data_error_naming_the_file(project_copy, tmp_path):
    CASES["unknown theme"][0](project_copy)
    result = mkdocs_build(project_copy, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"{GOV}/11-problems-1.md:3: [unknown-theme]" in output
    assert "data error" in output


def test_kb_check_command(project_copy):
    command = [sys.executable, "-m", "kb.cli", "--root", str(project_copy), "check"]
    ok = subprocess.run(command, capture_output=True, text=True)
    assert ok.returncode == 0 and "检查通过" in ok.stdout
    CASES["unknown problem type"][0](project_copy)
    bad = subprocess.run(command, capture_output=True, text=True)
    assert bad.returncode == 1
    assert f"{GOV}/11-problems-1.md:" in bad.stdout and "[unknown-type]" in bad.stdout and "允许的取值" in bad.stdout
    github = subprocess.run(command + ["--github"], capture_output=True, text=True)
    assert f"::error file={GOV}/11-problems-1.md,line=" in github.stdout


def test_metadata_is_escaped_on_generated_pages(project_copy, tmp_path):
    replace(project_copy / GOV / "index.md", "title: xx县人民政府办公室领导班子",
            "title: <script>alert(1)</script>[链接](http://x)*强调*xx县人民政府办公室领导班子")
    site = tmp_path / "site"
    result = mkdocs_build(project_copy, site)
    assert result.returncode == 0, result.stderr
    for page in ["reports/index.html", "reports/2021-xx-county-gov-office/index.html",
                 "themes/dsxx-2021-1-liangge-queli/index.html", "units/xx-county-gov-office/index.html"]:
        html = (site / page).read_text(encoding="utf-8")
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;[链接](http://x)*强调*" in html.replace("&#60;", "&lt;").replace(
            "&#62;", "&gt;").replace("&#91;", "[").replace("&#93;", "]").replace("&#42;", "*").replace("&#40;", "(").replace("&#41;", ")")
