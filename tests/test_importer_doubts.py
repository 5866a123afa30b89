"""Where the importer cannot trust the structure it finds in a copy (no problems part, a numbered
block before the first part heading), it says so, names the lines and writes nothing unless told to
(--accept-structure). The layouts it does recover are in tests/test_importer_meetings.py."""

from __future__ import annotations

from test_importer_support import FIXTURES, empty_project, kb_import, load_report, tree_hash


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
