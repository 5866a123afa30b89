"""The themes index and each theme's page: every unit's section under one theme, side by side."""

from __future__ import annotations

from html import escape

from .. import paths
from ..html_page import HtmlPage
from ..knowledge import KnowledgeBase
from ..labels import section_title, theme_label
from ..model import Section
from ..text import item_gist
from .html import link, pager, table, ul


def themes_index(kb: KnowledgeBase) -> HtmlPage:
    here = paths.THEMES_INDEX
    page = HtmlPage(title="会议主题")
    page.heading(1, page.title)
    page.add("<p>各次会议的对照检查主题，按官方顺序排列；点开一个主题，可并排阅读各单位在该主题下查摆的问题。</p>")
    for meeting in kb.vocab.meetings.values():
        page.heading(2, meeting.name)
        page.add(table(["序号", "主题", "官方表述", "章节数"], [
            [str(t.number), link(here, paths.theme_page(t.id), t.label), escape(t.name), str(kb.theme_section_count(t.id))]
            for t in meeting.themes], numeric={0, 3}))
    return page


def theme_page(kb: KnowledgeBase, theme_id: str, sections: list[Section], chunk: list[Section], number: int,
                pages: int, first: str) -> HtmlPage:
    theme = kb.vocab.themes[theme_id]
    meeting = kb.vocab.meetings[theme.meeting]
    here = paths.paged(first, number)
    page = HtmlPage(title=theme_label(kb, theme_id))
    page.heading(1, page.title)
    page.add(f'<div class="kb-theme-wording"><p><strong>{escape(meeting.name)} · 主题 {theme.number}</strong>：'
             f"{escape(theme.name)}</p></div>")
    page.add(f"<p>共 {len(sections)} 份报告在此主题下查摆了问题，按单位类型分组。</p>")
    current_kind = None
    for section in chunk:
        report = section.report
        unit = kb.unit_of(report)
        if unit.kind != current_kind:
            current_kind = unit.kind
            page.heading(2, kb.vocab.unit_kinds[unit.kind].name)
        page.heading(3, unit.name, report.id)
        page.add(f"<p>{link(here, section.src_path, section_title(kb, section))}"
                 f" · 报告：{link(here, report.src_path, report.title)}"
                 f" · {link(here, paths.unit_page(unit.id), '单位')}</p>")
        if section.items:
            page.add(ul([f"{link(here, section.src_path, item.title, item.id)}：{escape(item_gist(item.text, 60))}"
                          for item in section.items]))
    page.add(pager(first, number, pages, here))
    return page
