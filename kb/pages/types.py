"""The problem/cause/measure type indexes and each type's page: every item of one type."""

from __future__ import annotations

from html import escape

from .. import paths
from ..html_page import HtmlPage
from ..knowledge import KnowledgeBase
from ..labels import section_title
from ..model import Item
from ..vocab import TYPE_VOCABULARIES
from .html import link, pager, table
from .report import TYPE_LABELS


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
    term = kb.vocab.types[vocabulary][type_id]
    here = paths.paged(first, number)
    page = HtmlPage(title=f"{TYPE_LABELS[vocabulary]}：{term.name}")
    page.heading(1, page.title)
    if term.description:
        page.add(f"<p>{escape(term.description)}</p>")
    if term.phrasings:
        page.add("<p>常见表述：" + "、".join(f"“{escape(p)}”" for p in term.phrasings) + "</p>")
    page.add(f"<p>共 {len(items)} 条，来自 {report_count} 份报告。</p>")
    rows = []
    for item in chunk:
        section = item.section
        report = section.report
        unit = kb.unit_of(report)
        where = section_title(kb, section)
        rows.append([link(here, section.src_path, item.title, item.id), link(here, paths.unit_page(unit.id), unit.label),
                     f"{link(here, report.src_path, report.title)} · {escape(where)}"])
    if rows:
        page.add(table(["条目", "单位", "报告 · 章节"], rows))
    page.add(pager(first, number, pages, here))
    return page
