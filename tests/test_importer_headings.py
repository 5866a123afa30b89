"""Part headings in the wordings real copies use, recognised by family (data/parts.yml lists the
usual wordings; the rest are placed by the words that say what a part is), and lines that only
mention such words left alone. The vocabulary is the import tests' own (fixture corpus + import data)."""

from __future__ import annotations

import shutil

import pytest

from kb.importer.headings import PartHeadings
from kb.importer.report import load_vocab
from test_importer_support import CORPUS, FIXTURES

PARTS = {
    "problems": ["一、对照检查剖析", "一、查摆问题", "二、检视剖析", "一、存在的差距和不足", "二、对照“六个带头”查摆的问题",
                 "一、主要问题", "一、查摆的问题及表现", "第二部分 对照“四个带头”查摆的问题", "一、存在的问题及原因分析",
                 "一、对照检查情况", "一．检视问题", "（一）存在的问题"],
    "causes": ["二、问题产生的原因", "二、原因分析", "三、根源剖析", "二、剖析问题产生的根源", "三、问题根源", "二、存在问题的原因剖析",
               "二、深挖问题根源", "第四部分 问题产生的原因"],
    "measures": ["三、下一步整改措施", "四、努力方向", "四、整改方向", "三、今后的努力方向和整改措施", "三、下步打算", "三、整改举措",
                 "三、整改措施和努力方向"],
    "last-rectification": ["一、上年度整改落实情况", "一、2022年度民主生活会整改落实情况", "一、关于上年度民主生活会整改情况",
                           "第一部分 上年度民主生活会整改落实情况"],
    "cases": ["三、反面典型案例剖析", "二、以案促改情况"],
    "personal-matters": ["五、个人有关事项", "四、个人有关事项报告情况"],
    "situation": ["一、会前准备情况", "一、学习研讨情况", "一、征求意见情况"],
    "other": ["五、其他需要说明的问题"],
}
NOT_PARTS = ["（一）在政治忠诚方面存在的问题", "（一）理论学习方面", "2023年度组织生活会个人对照检查材料",
             "但遇到一些具体问题还有考虑情面的现象。", "1.政治忠诚"]
# (Numbered like a section, "(五)对照“六个方面”检视" reads like a part heading on its own: it stays a section
# because the report's part headings are numbered 一、二、, see tests/test_importer_meetings.py.)


@pytest.fixture(scope="module")
def headings(tmp_path_factory):
    root = tmp_path_factory.mktemp("headings")
    shutil.copytree(CORPUS / "data", root / "data")
    for path in (FIXTURES / "data").iterdir():
        shutil.copy(path, root / "data" / path.name)
    return PartHeadings(load_vocab(root))


@pytest.mark.parametrize("part,heading", [(part, h) for part, wordings in PARTS.items() for h in wordings])
def test_heading_is_placed_in_its_part(headings, part, heading):
    hit = headings.whole(heading)
    assert hit is not None and hit.part == part, (heading, hit)


@pytest.mark.parametrize("line", NOT_PARTS)
def test_line_that_only_mentions_part_words_is_no_heading(headings, line):
    assert headings.whole(line) is None
