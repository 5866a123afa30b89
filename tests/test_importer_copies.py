"""Layouts real copies come in beyond the seeds', in texts written for these tests
(tests/fixtures/import/): part headings worded each report's own way, items run on in one paragraph
(一是…；二是…；), sub-headed blocks ("1.政治忠诚" on its own line, its paragraph under it), ASCII
"(一)", censored words. Where the importer cannot trust the structure it finds, it says so, names
the lines and writes nothing unless told to (--accept-structure)."""

from __future__ import annotations

from kb.text import item_title

from test_importer_support import FIXTURES, empty_project, kb_import, load_report, report_text, squash, tree_hash

INDIVIDUAL = FIXTURES / "individual-org-life.txt"


def test_individual_report_with_inline_items_and_sub_headings(tmp_path):
    """The copy that once went through with its whole problems part in the preface."""
    root = empty_project(tmp_path)
    result = kb_import(root, INDIVIDUAL, "xx-county-gov-office", "2021-individual")
    assert result.returncode == 0, result.stderr.decode()
    report = load_report(root / "docs", "2021-individual")
    assert report.part_headings == {"problems": "一、对照检查剖析", "measures": "二、下一步整改措施"}
    shape = [(s.id, s.heading, len(s.items)) for s in report.sections]
    assert shape == [("00-preface", None, 0), ("11-problems-1", "(一)在理论学习方面。", 3),
                     ("12-problems-2", "(二)在ZZ素质方面。", 2), ("13-problems-3", "(三)在能力本领方面。", 2),
                     ("14-problems-4", "(四)在担当作为方面。", 2), ("15-problems-5", "(五)对照“六个方面”检视", 6),
                     ("20-measures-intro", None, 5)]
    first = report.sections[1].items
    assert [i.text[:9] for i in first] == ["一是学习的系统性不", "二是学用结合不够紧", "三是学习的主动性有"]
    assert first[0].text.endswith("存在碎片化现象；")
    sub_headed = report.sections[5].items
    assert [item_title(i.text) for i in sub_headed] == ["政治忠诚", "政治定力", "政治担当", "政治能力", "政治自律", "政治品格"]
    assert sub_headed[0].text.startswith("1.政治忠诚\n本人能够坚定拥护")
    lines = INDIVIDUAL.read_text(encoding="utf-8").splitlines()
    assert report_text(report) == squash("".join(lines[1:22]))  # title and signature dropped, nothing else
    out = result.stdout.decode()
    for number in (1, 23, 24):
        assert f"line {number} [" in out


def test_no_problems_part_stops_the_import_until_accepted(tmp_path):
    root = empty_project(tmp_path)
    before = tree_hash(root)
    source = FIXTURES / "no-problems-part.txt"
    for dry in ([], ["--dry-run"]):
        result = kb_import(root, source, "xx-county-gov-office", "2021-essay", *dry)
        err = result.stderr.decode()
        assert result.returncode == 1
        assert "no-problems-part.txt:3: [no-problems-part]" in err and "一、学习收获" in err
        assert "--accept-structure" in err and "nothing was written" in err
        assert tree_hash(root) == before
    result = kb_import(root, source, "xx-county-gov-office", "2021-essay", "--accept-structure")
    assert result.returncode == 0, result.stderr.decode()
    assert "no-problems-part" in result.stdout.decode()  # still said, for the review
    assert load_report(root / "docs", "2021-essay").part_headings == {"other": "一、学习收获", "measures": "二、下一步打算"}


def test_numbered_block_in_preface_is_named(tmp_path):
    """A problems part under a heading no family knows would land in the preface: refused, lines named."""
    root = empty_project(tmp_path)
    source = tmp_path / "copy.txt"
    source.write_text("按照要求，本人认真查摆。\n对照初心使命\n（一）在学习方面。一是学习不够深入。内容；二是学用结合不紧。内容。\n"
                      "（二）在作风方面。一是调查研究不够。内容；二是联系群众不够。内容。\n二、整改措施\n一是加强学习。二是改进作风。\n",
                      encoding="utf-8")
    before = tree_hash(root)
    result = kb_import(root, source, "xx-county-gov-office")
    err = result.stderr.decode()
    assert result.returncode == 1 and tree_hash(root) == before
    assert "copy.txt:3: [numbered-preface]" in err and "第 3–4 行" in err and "lines 3-4" in err
    assert "对照初心使命" in err
