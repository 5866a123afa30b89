"""The problem/cause/measure type indexes and each type's page: every item of one type, in its own words."""

from __future__ import annotations

from html import escape

from .. import paths
from ..html_page import HtmlPage, marked_html, phrase_pattern, quote_window
from ..knowledge import KnowledgeBase
from ..labels import section_title
from ..model import Item
from ..vocab import TYPE_VOCABULARIES
from .html import link, pager, table
from .report import TYPE_LABELS

QUOTE_CHARS = 800  # an item longer than this (rare: most are under 300) shows this much around its match


def type_index(kb: KnowledgeBase, vocabulary: str) -> HtmlPage:
    here = paths.type_index(vocabulary)
    label = TYPE_LABELS[vocabulary]
    rows = [[link(here, paths.type_page(vocabulary, type_id), term.name), escape(term.description),
             str(len(kb.items_by_type.get((vocabulary, type_id), ())))]
            for type_id, term in kb.vocab.types[vocabulary].items()]
    others = [v for v in TYPE_VOCABULARIES if v != vocabulary]
    page = HtmlPage(title=label)
    page.heading(1, label)
    page.add(f"<p>每个{label}列出归入该类的全部条目，可跨报告对照同一类问题的不同表述。</p>")
    page.add(table([label, "说明", "条目数"], rows, numeric={2}))
    page.add("<p>另见：" + "、".join(link(here, paths.type_index(v), TYPE_LABELS[v]) for v in others) + "</p>")
    return page


def type_page(kb: KnowledgeBase, vocabulary: str, type_id: str, report_count: int, items: list[Item],
               chunk: list[Item], number: int, pages: int, first: str) -> HtmlPage:
    """Every item of one type in its own words, grouped by 年度 and unit kind (the order of the
    reports list), the type's typical phrasings marked: one page reads as a comparison."""
    term = kb.vocab.types[vocabulary][type_id]
    here = paths.paged(first, number)
    pattern = phrase_pattern(tuple(term.phrasings))
    page = HtmlPage(title=f"{TYPE_LABELS[vocabulary]}：{term.name}")
    page.heading(1, page.title)
    if term.description:
        page.add(f"<p>{escape(term.description)}</p>")
    if term.phrasings:
        page.add("<p>常见表述：" + "、".join(f"<mark>{escape(p)}</mark>" for p in term.phrasings) + "</p>")
    page.add(f"<p>共 {len(items)} 条，来自 {report_count} 份报告，按年度和单位类型分组"
             + ("；条目中的常见表述已标出" if term.phrasings else "") + "。</p>")
    add_item_quotes(page, kb, chunk, here, pattern)
    page.add(pager(first, number, pages, here))
    return page


def add_item_quotes(page: HtmlPage, kb: KnowledgeBase, items: list[Item], here: str, pattern) -> None:
    """Items as quotations under 年度 (H2) and unit kind (H3) headings, each naming its unit and section."""
    group = None
    for item in items:
        section = item.section
        report = section.report
        unit = kb.unit_of(report)
        year = f"{report.year}年度" if report.year else "年度不详"
        if group is None or group[0] != year:
            page.heading(2, year)
            group = (year, None)
        if group[1] != unit.kind:
            page.heading(3, kb.vocab.unit_kinds[unit.kind].name)
            group = (year, unit.kind)
        text, cut = quote_window(item.plain, pattern, QUOTE_CHARS)
        whole = f"（{link(here, section.src_path, '全文', item.id)}）" if cut else ""
        page.add(f'<div class="kb-quote">\n<p class="kb-quote-who">{link(here, paths.unit_page(unit.id), unit.name)}'
                 f" · {link(here, section.src_path, section_title(kb, section), item.id)}</p>\n"
                 f'<p class="kb-quote-text">{marked_html(text, pattern)}{whole}</p>\n</div>')
