"""The themes index and each theme's page: every unit's section under one theme, its items in their
own words, side by side."""

from __future__ import annotations

from html import escape

from .. import paths
from ..html_page import HtmlPage
from ..knowledge import KnowledgeBase
from ..labels import report_date, section_title, theme_label
from ..model import Item, Section
from .compare import compare_picker, pick_bar
from .html import link, pager, table


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


def _item_html(here: str, item: Item) -> str:
    """The item's whole text, its title sentence a link to the item in its section."""
    text, title = item.plain, item.title
    target = escape(paths.href(here, item.section.src_path, item.id))
    at = text.find(title) if title else -1
    if at < 0:
        return f'{escape(text, quote=False)}（<a href="{target}">原文</a>）'
    return (escape(text[:at], quote=False) + f'<a href="{target}">{escape(title, quote=False)}</a>'
            + escape(text[at + len(title):], quote=False))


def theme_page(kb: KnowledgeBase, theme_id: str, sections: list[Section], chunk: list[Section], number: int,
                pages: int, first: str) -> HtmlPage:
    theme = kb.vocab.themes[theme_id]
    meeting = kb.vocab.meetings[theme.meeting]
    here = paths.paged(first, number)
    page = HtmlPage(title=theme_label(kb, theme_id))
    page.heading(1, page.title)
    page.add(f'<div class="kb-theme-wording"><p><strong>{escape(meeting.name)} · 主题 {theme.number}</strong>：'
             f"{escape(theme.name)}</p></div>")
    page.add(f"<p>共 {len(sections)} 份报告在此主题下查摆了问题，按单位类型分组，列出每一条问题的原文；"
             "勾选“选入对比”可把几份报告并排对比阅读。</p>")
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
                 f" · {escape(report_date(report))}{compare_picker(report.id)}</p>")
        if section.items:
            page.add('<ul class="kb-theme-items">\n'
                     + "\n".join(f"<li>{_item_html(here, item)}</li>" for item in section.items) + "\n</ul>")
    page.add(pager(first, number, pages, here))
    page.add(pick_bar(here))
    return page
