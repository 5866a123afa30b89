"""The aspects index and each aspect's page: what every unit wrote under one standing aspect (理论学习,
作风, …), year by year and meeting by meeting, across meetings whose themes are worded differently."""

from __future__ import annotations

from html import escape

from .. import paths
from ..html_page import HtmlPage
from ..knowledge import KnowledgeBase
from ..labels import author_label, section_title, theme_label
from ..model import Section
from .compare import compare_picker, pick_bar
from .html import item_list, link, pager, table, ul



def aspect_years(kb: KnowledgeBase, aspect_id: str) -> str:
    years = sorted({s.report.year for s in kb.sections_by_aspect.get(aspect_id, ()) if s.report.year})
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def aspects_index(kb: KnowledgeBase) -> HtmlPage:
    here = paths.ASPECTS_INDEX
    v = kb.vocab
    page = HtmlPage(title="检视方面")
    page.heading(1, page.title)
    page.add("<p>每次会议的主题措辞不同，检视的方面却年年相通。每个会议主题都归入一个或几个方面；"
             "点开一个方面，可按年度、按会议对照各单位在这一方面查摆的问题。没有固定主题的会议（如组织生活会），"
             "由各章节自己标注方面。</p>")
    themes_of = {a: [t for t in v.themes.values() if a in t.aspects] for a in v.aspects}
    page.add(table(["方面", "说明", "主题", "章节", "年度"], [
        [link(here, paths.aspect_page(a.id), a.name), escape(a.description), str(len(themes_of[a.id])),
         str(len(kb.sections_by_aspect.get(a.id, ()))), escape(aspect_years(kb, a.id))]
        for a in v.aspects.values()], numeric={2, 3}))
    page.heading(2, "各次会议的主题与方面")
    for meeting in v.meetings.values():
        page.heading(3, meeting.name, f"m-{meeting.id}")
        if not meeting.themes:
            page.add("<p>没有固定主题：各章节按自己的标题查摆，并标注所属方面。</p>")
            continue
        page.add(table(["主题", "方面"], [
            [link(here, paths.theme_page(t.id), theme_label(kb, t.id)),
             "、".join(link(here, paths.aspect_page(a), v.aspects[a].name) for a in t.aspects)]
            for t in meeting.themes]))
    return page


def aspect_page(kb: KnowledgeBase, aspect_id: str, report_count: int, span: str, sections: list[Section], chunk: list[Section],
                number: int, pages: int, first: str) -> HtmlPage:
    v = kb.vocab
    aspect = v.aspects[aspect_id]
    here = paths.paged(first, number)
    page = HtmlPage(title=f"方面：{aspect.name}")
    page.heading(1, page.title)
    if aspect.description:
        page.add(f"<p>{escape(aspect.description)}</p>")
    themes = [t for t in v.themes.values() if aspect_id in t.aspects]
    if themes:
        page.add("<p>归入这一方面的会议主题：</p>")
        page.add(ul([f"{escape(v.meetings[t.meeting].name)}：{link(here, paths.theme_page(t.id), theme_label(kb, t.id))}"
                     for t in themes]))
    page.add(f"<p>共 {len(sections)} 节，来自 {report_count} 份报告" + (f"，{span}年度" if span else "") + "。</p>"
             if sections else "<p>暂无章节。</p>")
    year = meeting_id = None
    for section in chunk:
        report = section.report
        if report.year != year:
            year, meeting_id = report.year, None
            page.heading(2, f"{year}年度", f"y{year}")
        if report.meeting != meeting_id:
            meeting_id = report.meeting
            page.heading(3, v.meetings[meeting_id].name, f"y{year}-{meeting_id}")
        unit = kb.unit_of(report)
        page.add(f'<p class="kb-aspect-entry"><strong>{link(here, paths.unit_page(unit.id), unit.name)}</strong>'
                 f" · {escape(author_label(kb, report))}"
                 f" · {link(here, section.src_path, section_title(kb, section))}"
                 f" · {link(here, report.src_path, '报告全文')}{compare_picker(report.id)}</p>")
        page.add(item_list(here, section))
    page.add(pager(first, number, pages, here))
    page.add(pick_bar(here))
    return page
