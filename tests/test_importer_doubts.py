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
    """The individual's copy with its problems part headed in words no family knows: the part would
    land in the preface, so the import stops and names its lines (and the line above, its heading)."""
    root = empty_project(tmp_path)
    source = tmp_path / "copy.txt"
    text = (FIXTURES / "individual-org-life.txt").read_text(encoding="utf-8")
    source.write_text(text.replace("一、对照检查剖析\n", "对照初心使命\n"), encoding="utf-8")
    before = tree_hash(root)
    result = kb_import(root, source, "xx-county-gov-office")
    err = result.stderr.decode()
    assert result.returncode == 1 and tree_hash(root) == before
    assert "copy.txt:4: [numbered-preface]" in err and "第 4–20 行" in err and "lines 4-20" in err
    assert "“对照初心使命”下的“(一)在理论学习方面" in err
    assert "[no-problems-part]" in err


def test_preparations_listed_in_the_preface_are_no_doubt(tmp_path):
    """A preface listing the meeting's preparations paragraph by paragraph (一是…二是…) is a preface."""
    root = empty_project(tmp_path)
    source = tmp_path / "copy.txt"
    text = (FIXTURES / "individual-org-life.txt").read_text(encoding="utf-8")
    preparations = ("会前主要做了以下准备：\n一是深入学习研讨。认真学习党的创新理论，撰写心得体会。\n"
                    "二是广泛征求意见。通过座谈会、个别访谈等方式征求意见建议8条。\n三是深入谈心谈话。与支部委员、党员逐一谈心。\n")
    source.write_text(text.replace("一、对照检查剖析\n", preparations + "一、对照检查剖析\n"), encoding="utf-8")
    result = kb_import(root, source, "xx-county-gov-office", "2021-imported", "--dry-run")
    assert result.returncode == 0, result.stderr.decode()
