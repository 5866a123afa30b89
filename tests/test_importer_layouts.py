"""Every layout real copies come in, built from the seeds: the recovered structure equals the
curated report's, every character of the seed is in the output in order (whitespace aside), and
every line that was added as noise is listed as dropped."""

from __future__ import annotations

import pytest

import test_importer_support as support
from test_importer_support import (CORPUS, CURATED, FIXTURES, SEED_GOV, SEED_PARTY, UNITS, empty_project, kb_import,
                                   load_report, report_text, squash, structure)

LAYOUTS = {
    "hard-wrapped": lambda t: (support.hard_wrap(t), []),
    "hard-wrapped-no-indent": lambda t: (support.hard_wrap(t, indent=""), []),
    "hard-wrapped-page-footers": lambda t: support.with_footers(support.hard_wrap(t)),
    "page-break-mid-paragraph": support.page_break_mid_paragraph,
    "title-chrome-toc-signature": lambda t: support.title_chrome_toc_signature(t, "导入测试报告"),
    "toc-without-leaders": support.toc_without_leaders,
    "bom-crlf-fullwidth-indent": lambda t: (support.bom_crlf_indent(t), []),
    "single-line": lambda t: (support.single_line(t), []),
    "items-one-per-paragraph": lambda t: (support.items_per_paragraph(t), []),
    "headings-on-own-line": lambda t: (support.headings_own_line(t), []),
    "own-line-and-per-paragraph": lambda t: (support.headings_own_line(support.items_per_paragraph(t)), []),
}


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("seed", [SEED_GOV, SEED_PARTY], ids=["gov-office", "party-committee"])
def test_layout_recovers_structure_losslessly(tmp_path, seed, layout):
    original = seed.read_text(encoding="utf-8")
    damaged, noise = LAYOUTS[layout](original)
    assert damaged != original
    source = tmp_path / "copy.txt"
    source.write_text(damaged, encoding="utf-8", newline="")
    root = empty_project(tmp_path)
    result = kb_import(root, source, UNITS[seed.name])
    assert result.returncode == 0, result.stderr.decode()
    imported = load_report(root / "docs", "2021-imported")
    assert structure(imported) == structure(load_report(CORPUS / "docs", CURATED[seed.name]))
    assert report_text(imported) == squash(original)  # lossless, in order
    out = result.stdout.decode()
    assert f"dropped {len(noise)} line(s)" in out if noise else "dropped no lines" in out
    for line in noise:
        assert line[:60] in out


def test_mixed_width_punctuation_is_kept_as_written(tmp_path):
    root = empty_project(tmp_path)
    assert kb_import(root, SEED_GOV, UNITS[SEED_GOV.name]).returncode == 0
    heading = load_report(root / "docs", "2021-imported").sections[2].heading
    assert "根本问题,心怀“国之大者”,贯彻新发展理念," in heading  # half-width commas among full-width text


def test_extra_parts_and_numbering_styles(tmp_path):
    """基本情况 / 上次整改落实情况 / 典型案例剖析 land as their own parts; 1．/①/1./一是 items; a title,
    web chrome and a signature are dropped; the signature's date becomes the report date."""
    root = empty_project(tmp_path)
    result = kb_import(root, FIXTURES / "extra-parts.txt", "xx-county-gov-office", "2021-extra",
                       title="xx市财政局领导班子2021年度党史学习教育专题民主生活会对照检查材料")
    assert result.returncode == 0, result.stderr.decode()
    report = load_report(root / "docs", "2021-extra")
    assert report.date == "2022-01-20"
    assert report.part_headings == {"situation": "一、基本情况", "last-rectification": "二、上次整改落实情况",
                                    "problems": "三、存在的突出问题及具体表现", "cases": "四、典型案例剖析",
                                    "causes": "五、原因剖析", "measures": "六、整改措施"}
    shape = [(s.id, s.theme, len(s.items)) for s in report.sections]
    assert shape == [("00-preface", None, 0), ("10-situation-intro", None, 0), ("20-last-rectification-intro", None, 0),
                     ("31-problems-1", "dsxx-2021-1-liangge-queli", 2), ("32-problems-2", "dsxx-2021-2-guozhi-dazhe", 2),
                     ("33-problems-3", "dsxx-2021-3-renmin-zhongxin", 1), ("40-cases-intro", None, 0),
                     ("51-causes-1", None, 1), ("52-causes-2", None, 1), ("61-measures-1", None, 2), ("62-measures-2", None, 2)]
    assert [i.id for i in report.items][:5] == ["p1-1", "p1-2", "p2-1", "p2-2", "p3-1"]
    assert report.sections[4].items[0].text.startswith("①抓落实的韧劲不足。")
    lines = (FIXTURES / "extra-parts.txt").read_text(encoding="utf-8").splitlines()
    kept = [line for n, line in enumerate(lines, 1) if n not in (1, 2, 29, 30)]
    assert report_text(report) == squash("".join(kept))
    out = result.stdout.decode()
    for number in (1, 2, 29, 30):
        assert f"line {number} [" in out


COPIES = ["individual-org-life.txt", "mzshh-2022-county-office.txt", "ztjy-2023-township.txt",
          "mzshh-2024-finance-bureau.txt", "mzshh-2024-deputy-themes-as-parts.txt"]
COPY_LAYOUTS = {  # the copies of tests/test_importer_meetings.py as a PDF or a Windows editor would give them
    "hard-wrapped-page-footers": lambda t: support.with_footers(support.hard_wrap(t))[0],
    "hard-wrapped-no-indent": lambda t: support.hard_wrap(t, indent=""),
    "bom-crlf-fullwidth-indent": support.bom_crlf_indent,
}


@pytest.mark.parametrize("layout", list(COPY_LAYOUTS))
@pytest.mark.parametrize("copy", COPIES)
def test_copy_layout_keeps_its_structure(tmp_path, copy, layout):
    """Part headings found by family, run-on items and sub-headed blocks survive hard wraps and page footers."""
    lines = (FIXTURES / copy).read_text(encoding="utf-8").splitlines(keepends=True)
    original = "".join(line for line in lines if not support.CHROME_LINE.match(line))  # a PDF has no web page chrome
    structures = []
    for name, text in (("clean", original), (layout, COPY_LAYOUTS[layout](original))):
        source = tmp_path / f"{name}.txt"
        source.write_text(text, encoding="utf-8", newline="")
        root = empty_project(tmp_path / name)
        result = kb_import(root, source, "xx-county-gov-office", "2021-imported", "--accept-structure")
        assert result.returncode == 0, result.stderr.decode()
        assert "doubtful structure" not in result.stdout.decode()
        structures.append(structure(load_report(root / "docs", "2021-imported")))
    assert structures[1] == structures[0]
