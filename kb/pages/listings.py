"""The reports list, the units list and each unit's page."""

from __future__ import annotations

from html import escape

from .. import paths
from ..html_page import HtmlPage
from ..knowledge import KnowledgeBase
from ..labels import author_label, report_date, section_title
from ..model import Report, individual_count
from .compare import compare_link, compare_picker, pick_bar
from .html import link, pager, table, ul


def reports_index(kb: KnowledgeBase, reports: list[Report], chunk: list[Report], number: int, pages: int,
                   first: str) -> HtmlPage:
    here = paths.paged(first, number)
    rows = []
    for report in chunk:
        unit = kb.unit_of(report)
        rows.append([link(here, report.src_path, report.title), link(here, paths.unit_page(unit.id), unit.name),
                     escape(author_label(kb, report)), escape(kb.vocab.meetings[report.meeting].name), escape(report_date(report)),
                     str(len(report.sections)), str(len(report.items))])
    page = HtmlPage(title="报告")
    page.heading(1, page.title)
    page.add(f"<p>共 {len(reports)} 份报告。</p>")
    page.add(table(["报告", "单位", "作者", "会议", "年度", "章节", "条目"], rows, numeric={5, 6}))
    page.add(pager(first, number, pages, here))
    return page


def units_index(kb: KnowledgeBase, units: list, chunk: list, number: int, pages: int, first: str) -> HtmlPage:
    here = paths.paged(first, number)
    page = HtmlPage(title="单位")
    page.heading(1, page.title)
    page.add(f"<p>共 {len(units)} 个单位（领导班子），按类型分组。</p>")
    groups: list[tuple[str, list]] = []
    for unit in chunk:
        if not groups or groups[-1][0] != unit.kind:
            groups.append((unit.kind, []))
        reports = kb.reports_by_unit.get(unit.id, ())
        individual = individual_count(reports)
        groups[-1][1].append([link(here, paths.unit_page(unit.id), unit.name), escape(kb.vocab.levels[unit.level].name),
                              escape(unit.region), str(len(reports) - individual), str(individual)])
    for kind, rows in groups:
        page.heading(2, kb.vocab.unit_kinds[kind].name)
        page.add(table(["单位", "层级", "地区", "班子报告", "个人报告"], rows, numeric={3, 4}))
    page.add(pager(first, number, pages, here))
    return page


def unit_page(kb: KnowledgeBase, unit_id: str) -> HtmlPage:
    unit = kb.vocab.units[unit_id]
    here = paths.unit_page(unit_id)
    reports = kb.reports_by_unit.get(unit_id, [])
    facts = (f"类型：{escape(kb.vocab.unit_kinds[unit.kind].name)} · 层级：{escape(kb.vocab.levels[unit.level].name)}"
             + (f" · 地区：{escape(unit.region)}" if unit.region else ""))
    page = HtmlPage(title=unit.name)
    page.heading(1, unit.name)
    page.add(f'<div class="kb-unit-facts"><p>{facts}</p></div>')
    individual = individual_count(reports)
    page.add(f"<p>共 {len(reports)} 份报告：班子 {len(reports) - individual} 份，个人 {individual} 份。</p>"
             if reports else "<p>暂无报告。</p>")
    if len(reports) > 1:
        page.add(f'<p class="kb-compare-links">{compare_link(here, [r.id for r in reports], "对比阅读本单位的各份报告")}</p>')
    for report in reports:
        page.heading(2, report.title, report.id)
        page.add(f"<p>{link(here, report.src_path, '阅读全文')} · 作者：{escape(author_label(kb, report))}"
                 f" · {escape(kb.vocab.meetings[report.meeting].name)} · {escape(report_date(report))}"
                 f"{compare_picker(report.id)}</p>")
        entries = []
        for section in report.sections:
            count = f"，{len(section.items)} 条" if section.items else ""
            entries.append(f"{link(here, section.src_path, section_title(kb, section))}{count}")
        page.add(ul(entries))
    if reports:
        page.add(pick_bar(here))
    return page
