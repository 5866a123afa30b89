"""The themes index and each theme's page: every unit's section under one theme, its items in their
own words, side by side."""

from __future__ import annotations

from html import escape

from .. import paths
from ..html_page import HtmlPage
from ..knowledge import KnowledgeBase
from ..labels import author_label, report_date, section_title, theme_label
from ..model import Section
from ..vocab import Meeting
from .compare import compare_picker, pick_bar
from .html import item_list, link, pager, table, ul, web_address


def themes_index(kb: KnowledgeBase) -> HtmlPage:
    """Every meeting with its themes by short name: what a reader picks from. The official wording,
    the source and its notes are on each meeting's page, so this page stays light as years are added."""
    here = paths.THEMES_INDEX
    page = HtmlPage(title="会议主题")
    page.heading(1, page.title)
    page.add("<p>各次会议的对照检查主题，按官方顺序排列；点开一个主题，可并排阅读各单位在该主题下查摆的问题；"
             "点开会议，可看主题的官方表述及其出处。"
             f"跨年度对照同一方面，见{link(here, paths.ASPECTS_INDEX, '检视方面')}。</p>")
    for meeting in kb.vocab.meetings.values():
        page.heading(2, meeting.name, meeting.id)
        unconfirmed = "" if meeting.confirmed else ' <span class="kb-unconfirmed">（表述待核对）</span>'
        page.add(f"<p>{escape(meeting.kind)} · {meeting.year}年度 · {link(here, paths.meeting_page(meeting.id), '官方表述与出处')}"
                 f"{unconfirmed}</p>")
        if not meeting.themes:
            page.add(_no_theme_set(here))
            continue
        page.add(ul([f"{link(here, paths.theme_page(t.id), t.label)}（{kb.theme_section_count(t.id)} 节）"
                     for t in meeting.themes], "kb-meeting-themes"))
    return page


def _no_theme_set(here: str) -> str:
    return f"<p>没有固定主题：各单位按自己的章节标题查摆，章节按{link(here, paths.ASPECTS_INDEX, '检视方面')}索引。</p>"


def meeting_page(kb: KnowledgeBase, meeting_id: str) -> HtmlPage:
    """One meeting: kind, year, subject, where its theme wording was found, and its themes in full."""
    meeting = kb.vocab.meetings[meeting_id]
    here = paths.meeting_page(meeting_id)
    page = HtmlPage(title=meeting.name)
    page.heading(1, meeting.name)
    page.add(meeting_facts(meeting))
    if not meeting.themes:
        page.add(_no_theme_set(here))
    else:
        page.add(table(["序号", "主题", "官方表述", "章节数"], [
            [str(t.number), link(here, paths.theme_page(t.id), t.label), escape(t.name), str(kb.theme_section_count(t.id))]
            for t in meeting.themes], numeric={0, 3}))
    page.add(f"<p>{link(here, paths.THEMES_INDEX, '全部会议', meeting.id)}</p>")
    return page


def meeting_facts(meeting: Meeting) -> str:
    """Kind, year, subject and where the theme wording comes from; unconfirmed wording is marked."""
    source = meeting.source
    where = escape(source.get("publication", ""))
    url = source.get("url", "")
    if url:
        where += f"（{web_address(url)}）"
    if source.get("date"):
        where += f"，{escape(source['date'])}"
    rows = [f"类型：{escape(meeting.kind)} · 年度：{meeting.year}"]
    if meeting.topic:
        rows.append(f"会议主题：{escape(meeting.topic)}")
    rows.append(f"出处：{where}" + ("" if meeting.confirmed else ' <span class="kb-unconfirmed">（表述待核对）</span>'))
    if meeting.note:
        rows.append(f"说明：{escape(meeting.note)}")
    return '<div class="kb-meeting-facts">\n' + "\n".join(f"<p>{row}</p>" for row in rows) + "\n</div>"


def theme_page(kb: KnowledgeBase, theme_id: str, sections: list[Section], chunk: list[Section], number: int,
                pages: int, first: str) -> HtmlPage:
    theme = kb.vocab.themes[theme_id]
    meeting = kb.vocab.meetings[theme.meeting]
    here = paths.paged(first, number)
    page = HtmlPage(title=theme_label(kb, theme_id))
    page.heading(1, page.title)
    page.add(f'<div class="kb-theme-wording"><p><strong>{link(here, paths.meeting_page(meeting.id), meeting.name)}'
             f' · 主题 {theme.number}</strong>：'
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
        page.heading(3, unit.name + ("" if report.author_kind == "group" else f" · {author_label(kb, report)}"), report.id)
        page.add(f"<p>{link(here, section.src_path, section_title(kb, section))}"
                 f" · 报告：{link(here, report.src_path, report.title)}"
                 f" · {link(here, paths.unit_page(unit.id), '单位')} · {escape(report_date(report))}{compare_picker(report.id)}</p>")
        page.add(item_list(here, section))
    page.add(pager(first, number, pages, here))
    page.add(pick_bar(here))
    return page
