"""`kb import` on the seed copies reproduces the curated reports (structure compared through
kb.structure) and proposes types that agree with the curated ones; bad inputs give a clear error
and leave the tree untouched; `kb new` writes a skeleton that fails `kb check` only where the
contributor still has to fill something."""

from __future__ import annotations

import re

import pytest

from test_importer_support import (CORPUS, CURATED, FIXTURES, SEED_GOV, SEED_PARTY, UNITS, empty_project, kb_import,
                                  load_report, report_text, resolve_review_notes, run_kb, squash, structure, tree_hash)


@pytest.mark.parametrize("seed", [SEED_GOV, SEED_PARTY], ids=["gov-office", "party-committee"])
def test_seed_reproduces_curated_structure(tmp_path, seed):
    root = empty_project(tmp_path)
    result = kb_import(root, seed, UNITS[seed.name])
    assert result.returncode == 0, result.stderr.decode()
    imported = load_report(root / "docs", "2021-imported")
    curated = load_report(CORPUS / "docs", CURATED[seed.name])
    assert structure(imported) == structure(curated)
    assert [s.id for s in imported.sections] == [s.id for s in curated.sections]  # same file names
    # the seed's own text, word for word (whitespace aside), nothing more and nothing less
    assert report_text(imported) == squash(seed.read_text(encoding="utf-8"))
    resolve_review_notes(root / "docs" / "reports" / "2021-imported")
    assert run_kb(root, "check").returncode == 0


def test_type_proposals_agree_with_curated(tmp_path):
    """Agreement = proposed set overlaps the curated set. Measured: 52/52 items (100 %) overlap;
    the stricter exact-set agreement is printed for the record."""
    overlap = exact = total = 0
    for seed in (SEED_GOV, SEED_PARTY):
        root = empty_project(tmp_path / seed.stem)
        assert kb_import(root, seed, UNITS[seed.name]).returncode == 0
        curated = {i.id: set(i.types) for i in load_report(CORPUS / "docs", CURATED[seed.name]).items}
        for item in load_report(root / "docs", "2021-imported").items:
            total += 1
            overlap += bool(set(item.types) & curated[item.id])
            exact += set(item.types) == curated[item.id]
    print(f"type agreement: overlap {overlap}/{total}, exact {exact}/{total}")
    assert total == 52
    assert overlap / total >= 0.8


def test_proposals_are_printed_with_confidence_and_low_ones_marked(tmp_path):
    root = empty_project(tmp_path)
    result = kb_import(root, SEED_GOV, UNITS[SEED_GOV.name], "2021-imported", "--dry-run")
    out = result.stdout.decode()
    assert result.returncode == 0
    assert "主题 theme: dsxx-2021-1-liangge-queli" in out
    assert re.search(r"p1-1 .*\n\s+类型 types: theory-study-shallow （置信度 confidence \d\.\d\d）", out)
    assert "⚠" in out and "proposals to review" in out
    assert not (root / "docs" / "reports" / "2021-imported").exists()  # dry run writes nothing


def test_low_confidence_types_get_a_review_comment(tmp_path):
    root = empty_project(tmp_path)
    assert kb_import(root, SEED_GOV, UNITS[SEED_GOV.name]).returncode == 0
    text = (root / "docs" / "reports" / "2021-imported" / "12-problems-2.md").read_text(encoding="utf-8")
    front = text.split("---")[1]
    assert "# kb import 建议的类型置信度低" in front and "p2-2" in front


def test_stdin_input(tmp_path):
    root = empty_project(tmp_path)
    result = kb_import(root, "-", UNITS[SEED_PARTY.name], stdin=SEED_PARTY.read_bytes())
    assert result.returncode == 0, result.stderr.decode()
    curated = load_report(CORPUS / "docs", CURATED[SEED_PARTY.name])
    assert structure(load_report(root / "docs", "2021-imported")) == structure(curated)


def test_gbk_copy_is_detected_and_decoded(tmp_path):
    root = empty_project(tmp_path)
    source = tmp_path / "gbk.txt"
    source.write_bytes(SEED_GOV.read_text(encoding="utf-8").encode("gb18030"))
    result = kb_import(root, source, UNITS[SEED_GOV.name])
    assert result.returncode == 0, result.stderr.decode()
    assert "GBK" in result.stdout.decode()
    curated = load_report(CORPUS / "docs", CURATED[SEED_GOV.name])
    assert structure(load_report(root / "docs", "2021-imported")) == structure(curated)


def test_new_unit_is_appended_to_units_yml(tmp_path):
    root = empty_project(tmp_path)
    before = (root / "data" / "units.yml").read_text(encoding="utf-8")
    result = kb_import(root, FIXTURES / "extra-parts.txt", "xx-city-finance-bureau", "2021-xx-city-finance-bureau",
                       "--new-unit-name", "xx市财政局领导班子", "--new-unit-kind", "department",
                       "--new-unit-level", "municipal", "--new-unit-region", "xx市")
    assert result.returncode == 0, result.stderr.decode()
    after = (root / "data" / "units.yml").read_text(encoding="utf-8")
    assert after.startswith(before)  # comments and formatting of the existing file survive
    assert "  - id: xx-city-finance-bureau\n    name: xx市财政局领导班子\n    kind: department\n" in after
    resolve_review_notes(root / "docs" / "reports" / "2021-xx-city-finance-bureau")
    assert run_kb(root, "check").returncode == 0


BAD_INPUTS = {
    "empty": (b"", "empty-input"),
    "blank": (b"  \r\n\xe3\x80\x80\n\n", "empty-input"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", "binary-input"),
    "wrong-encoding": ("Résumé naïve café déjà vu".encode("latin-1") * 3, "bad-encoding"),
    "no-structure": ("今天天气很好，我们去公园散步。\n公园里有很多人。\n".encode(), "no-structure"),
    "numbering-gap": (("一、存在的问题\n（一）学习方面。\n一是学习不深。\n三是学用脱节。\n二、原因剖析\n（一）理想信念不牢。\n"
                       "理想信念有所松懈。\n三、整改措施\n（一）加强学习。\n一是坚持学习。\n").encode(), "numbering-gap"),
    # a web page's line break tag left in the copy: named at its input line, not as a fault of the output
    "html-tag": ("一、存在的问题\n（一）学习方面。\n一是学习不深。<br>学用脱节。\n二、整改措施\n一是坚持学习。\n".encode(), "raw-html"),
    "no-problems-part": ((FIXTURES / "no-problems-part.txt").read_bytes(), "no-problems-part"),
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_gives_clear_error_and_leaves_tree_untouched(tmp_path, name):
    data, code = BAD_INPUTS[name]
    root = empty_project(tmp_path)
    source = tmp_path / "bad.txt"
    source.write_bytes(data)
    before = tree_hash(root)
    result = kb_import(root, source, "xx-county-gov-office")
    err = result.stderr.decode()
    assert result.returncode == 1
    assert f"[{code}]" in err
    assert re.search(r"[\u4e00-\u9fff]", err) and re.search(r"[a-z]{4,} ", err)  # Chinese and English
    assert "nothing was written" in err
    assert tree_hash(root) == before


@pytest.mark.parametrize("name,named", [("numbering-gap", ":4:"), ("html-tag", ":3:"), ("no-problems-part", ":3:")])
def test_error_names_the_input_line(tmp_path, name, named):
    root = empty_project(tmp_path)
    source = tmp_path / "copy.txt"
    source.write_bytes(BAD_INPUTS[name][0])
    err = kb_import(root, source, "xx-county-gov-office").stderr.decode()
    assert f"copy.txt{named}" in err
    assert "internal" not in err
    assert {"numbering-gap": "三是", "html-tag": "<br>", "no-problems-part": "一、学习收获"}[name] in err
    assert err.count(f"copy.txt{named}") == 1  # each problem said once


@pytest.mark.parametrize("option,value,code", [("--meeting", "no-such-meeting", "unknown-meeting"),
                                               ("--unit", "no-such-unit", "unknown-unit"),
                                               ("--year", "2020", "year-mismatch")])
def test_unknown_meeting_or_unit(tmp_path, option, value, code):
    root = empty_project(tmp_path)
    before = tree_hash(root)
    args = ["import", str(SEED_GOV), "--unit", "xx-county-gov-office", "--meeting", "dsxx-2021", "--title", "t",
            "--year", "2021"]
    args[args.index(option) + 1] = value
    result = run_kb(root, *args)
    assert result.returncode == 1
    err = result.stderr.decode()
    assert f"[{code}]" in err and "允许的取值 / allowed" in err
    assert tree_hash(root) == before


def test_existing_report_is_never_overwritten(tmp_path):
    root = empty_project(tmp_path)
    assert kb_import(root, SEED_GOV, UNITS[SEED_GOV.name]).returncode == 0
    before = tree_hash(root)
    result = kb_import(root, SEED_PARTY, UNITS[SEED_PARTY.name])  # same --id
    assert result.returncode == 1 and "[report-exists]" in result.stderr.decode()
    assert tree_hash(root) == before


def test_kb_new_heading_says_fangmian_once(tmp_path):
    """Section headings read "（一）<theme>方面", and a theme worded "…方面" keeps a single 方面."""
    root = empty_project(tmp_path)
    meetings = root / "data" / "meetings.yml"
    text = meetings.read_text(encoding="utf-8")
    first = re.search(r"name: (带头深刻感悟[^\n]*)", text).group(1)
    meetings.write_text(text.replace(first, first + "等方面"), encoding="utf-8")
    result = run_kb(root, "new", "--unit", "xx-county-gov-office", "--meeting", "dsxx-2021", "--title", "手工报告",
                    "--year", "2021", "--id", "2021-hand-made")
    assert result.returncode == 0, result.stderr.decode()
    folder = root / "docs" / "reports" / "2021-hand-made"
    first_heading = (folder / "11-problems-1.md").read_text(encoding="utf-8").splitlines()[-1]
    second_heading = (folder / "12-problems-2.md").read_text(encoding="utf-8").splitlines()[-1]
    assert first_heading.endswith("等方面") and "方面方面" not in first_heading
    assert second_heading.endswith("方面") and "方面方面" not in second_heading


def test_kb_new_skeleton_fails_check_only_where_to_fill(tmp_path):
    root = empty_project(tmp_path)
    result = run_kb(root, "new", "--unit", "xx-county-gov-office", "--meeting", "dsxx-2021", "--title", "手工报告",
                    "--year", "2021", "--id", "2021-hand-made")
    assert result.returncode == 0, result.stderr.decode()
    folder = root / "docs" / "reports" / "2021-hand-made"
    assert sorted(p.name for p in folder.iterdir()) == ["11-problems-1.md", "12-problems-2.md", "13-problems-3.md",
                                                      "14-problems-4.md", "15-problems-5.md", "21-causes-1.md",
                                                      "31-measures-1.md", "index.md"]
    check = run_kb(root, "check")
    codes = re.findall(r"\[([a-z-]+)\]", check.stdout.decode())
    assert sorted(codes) == ["missing-field"] + ["no-items"] * 7
    assert "needs at least one item" in check.stdout.decode()
    # once filled, it passes
    index = folder / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace('source: ""', "source: 手工录入"), encoding="utf-8")
    for n, path in enumerate(sorted(folder.glob("[0-9]*.md"))):
        prefix = {"1": "p", "2": "c", "3": "m"}[path.name[0]]
        types = {"p": "theory-study-shallow", "c": "ideals-faith-weak", "m": "theory-armament"}[prefix]
        number = path.name[1]
        path.write_text(path.read_text(encoding="utf-8") + f"\n一是示例文字。\n{{: #{prefix}{number}-1 types=\"{types}\" }}\n",
                        encoding="utf-8")
    check = run_kb(root, "check")
    assert check.returncode == 0, check.stdout.decode()
