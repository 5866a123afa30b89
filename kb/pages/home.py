"""The home page: what the knowledge base holds, its meetings and themes, the commonest problems."""

from __future__ import annotations

from collections import Counter
from html import escape

from .. import paths
from ..html_page import HtmlPage
from ..knowledge import KnowledgeBase
from ..model import individual_count
from .html import link, table, ul


def home_page(kb: KnowledgeBase) -> HtmlPage:
    here = paths.HOME
    v = kb.vocab
    problem_items = sum(len(items) for (voc, _), items in kb.items_by_type.items() if voc == "problem_types")
    counts = table(["内容", "数量"], [
        [link(here, paths.REPORTS_INDEX, "报告"), str(len(kb.reports))],
        ["其中个人对照检查材料", str(individual_count(kb.reports))],
        ["章节", str(kb.section_count)],
        ["条目（问题、原因、措施）", str(kb.item_count)],
        [link(here, paths.UNITS_INDEX, "单位"), str(len(kb.reports_by_unit))],
        [link(here, paths.THEMES_INDEX, "会议主题"), str(len(v.themes))],
        [link(here, paths.ASPECTS_INDEX, "检视方面"), str(len(v.aspects))],
        [link(here, paths.type_index("problem_types"), "问题类型"), str(len(v.types["problem_types"]))],
        ["已归类的问题条目", str(problem_items)],
    ], numeric={1})
    page = HtmlPage(title="对照检查材料知识库")
    page.heading(1, page.title)
    page.add("<p>汇集各级领导班子民主生活会、组织生活会对照检查材料，按主题、单位、问题类型交叉索引，"
             "便于对照阅读同一主题下各单位的查摆情况、同一类问题的各种表述，以及原因剖析与整改措施的对应关系。</p>")
    page.add(counts)
    reports_by_meeting = Counter(report.meeting for report in kb.reports)
    page.heading(2, "会议")
    page.add(f"<p>各次会议的主题按官方顺序列在{link(here, paths.THEMES_INDEX, '会议主题')}中；"
             f"同一方面跨年度的对照见{link(here, paths.ASPECTS_INDEX, '检视方面')}。</p>")
    page.add(table(["会议", "类型", "主题", "报告"], [
        [link(here, paths.meeting_page(m.id), m.name), escape(m.kind),
         "、".join(link(here, paths.theme_page(t.id), t.label) for t in m.themes) or "（无固定主题）",
         str(reports_by_meeting.get(m.id, 0))]
        for m in v.meetings.values()], numeric={3}))
    counted = sorted(((len(kb.items_by_type.get(("problem_types", t), ())), t) for t in v.types["problem_types"]),
                     key=lambda pair: (-pair[0], pair[1]))
    page.heading(2, "最常见的问题类型")
    page.add(ul([f"{link(here, paths.type_page('problem_types', t), v.types['problem_types'][t].name)}：{count} 条"
                  for count, t in counted[:10] if count]))
    return page
