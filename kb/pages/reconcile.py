"""整改对账: on each report page a table of its problem items and the measures answering them
(unanswered ones flagged; the measures no problem names listed below it), and the site-wide view and
one per meeting: every report's share of answered problems and the problems no measure answers,
least answered first, paged."""

from __future__ import annotations

from functools import partial
from html import escape

from .. import paths
from ..html_page import HtmlPage
from ..knowledge import KnowledgeBase
from ..labels import section_title
from ..model import Item, Report
from ..reconcile import answers, measure_targets, problem_items, unreferenced_measures
from .html import PageBuilder, link, paged, pager, table, view_links

PER_PAGE = 15  # worst case (no problem answered): ~27 KB of article, ~47 KB a page, at 1,000 synthetic reports
ANCHOR = "reconcile"  # the table's heading on a report page
UNANSWERED = "未对应整改措施"
UNREFERENCED = "没有被任何问题引用"  # a hint, not a flag: a measure may answer the problems at large
TITLE = "整改对账"
FLAG = f'<span class="kb-unanswered">⚠ {UNANSWERED}</span>'


def add_reconcile_table(page: HtmlPage, kb: KnowledgeBase, report: Report) -> None:
    """The report page's 整改对账 table: each problem item, the measures it names (links to their
    anchors on the same page), or the flag that none answers it."""
    problems = problem_items(report, kb.vocab)
    if not problems:
        return
    here = report.src_path
    targets = measure_targets(report, kb.vocab)
    rows = []
    for item in problems:
        named = answers(item, targets)
        cell = "<br>".join(link(here, here, f"{answer.id} {_answer_title(kb, answer)}", answer.anchor)
                           for answer in named) or FLAG
        rows.append([link(here, here, f"{item.id} {item.title}", item.id), cell])
    answered = sum(1 for item in problems if item.measures)
    page.heading(2, TITLE, ANCHOR)
    page.add(f'<p class="kb-reconcile-summary">共 {len(problems)} 条问题，{answered} 条有对应的整改措施'
             + (f"，{len(problems) - answered} 条{UNANSWERED}" if answered < len(problems) else "") + "。</p>")
    page.add(f'<div class="kb-reconcile">\n{table(["查摆的问题", "对应的整改措施"], rows)}\n</div>')
    unused = unreferenced_measures(report, kb.vocab)
    if unused:
        named = "；".join(link(here, here, f"{answer.id} {_answer_title(kb, answer)}", answer.anchor) for answer in unused)
        page.add(f'<p class="kb-reconcile-unreferenced">{len(unused)} 条整改措施{UNREFERENCED}：{named}。</p>')


def _answer_title(kb: KnowledgeBase, answer) -> str:
    return answer.item.title if answer.item is not None else section_title(kb, answer.section)


def report_shares(kb: KnowledgeBase) -> list[tuple[Report, list[Item], int]]:
    """Each report with problem items: (report, its unanswered items, its number of problem items),
    least answered first, then in the reports list's order."""
    rows = []
    for report in kb.reports:
        problems = problem_items(report, kb.vocab)
        if problems:
            rows.append((report, [item for item in problems if not item.measures], len(problems)))
    rows.sort(key=lambda row: -len(row[1]) / row[2])  # stable: ties keep the reports list's order
    return rows


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "—"


def reconcile_pages(kb: KnowledgeBase) -> dict[str, PageBuilder]:
    """The site-wide view and one per meeting (reports of one meeting answer the same themes, and are
    weighed against each other), paged; every page prints the totals of its whole view and links the
    other views."""
    rows = report_shares(kb)
    meetings = [m for m in kb.vocab.meetings.values() if any(row[0].meeting == m.id for row in rows)]
    views = [(paths.RECONCILE_INDEX, TITLE, rows)]
    views += [(paths.reconcile_meeting(m.id), f"{TITLE}：{m.name}", [row for row in rows if row[0].meeting == m.id])
              for m in meetings]
    filters = tuple((m.id, m.name) for m in meetings)
    pages: dict[str, PageBuilder] = {}
    for first, title, chosen in views:
        totals = (len(chosen), sum(row[2] for row in chosen), sum(len(row[1]) for row in chosen))
        by_report = {id(row[0]): row for row in chosen}
        listing = paged([row[0] for row in chosen], PER_PAGE, first,
                        partial(_reconcile_page, kb, title, by_report, totals, filters))
        for builder in listing.values():
            builder.listing_size = (totals, filters)  # each page prints these figures and links these views
        pages.update(listing)
    return pages


def _filters(filters: tuple[tuple[str, str], ...], first: str, here: str) -> str:
    views = [(paths.RECONCILE_INDEX, "全部")] + [(paths.reconcile_meeting(meeting_id), name) for meeting_id, name in filters]
    return f'<nav class="kb-reconcile-filter"><p>按会议：{view_links(here, views, first)}</p></nav>'


def _reconcile_page(kb: KnowledgeBase, title: str, rows: dict, totals: tuple[int, int, int],
                    filters: tuple[tuple[str, str], ...], _reports: list[Report], chunk: list[Report], number: int,
                    count: int, first: str) -> HtmlPage:
    here = paths.paged(first, number)
    reports, problems, open_items = totals
    page = HtmlPage(title=title)
    page.heading(1, page.title)
    page.add(f"<p>对照检查材料的问题、原因、措施应一一对应。{reports} 份报告共查摆 {problems} 条问题，"
             f"{problems - open_items} 条（{percent(problems - open_items, problems)}）有对应的整改措施，"
             f"{open_items} 条{UNANSWERED}。按未对应问题所占比例从高到低排列；点报告名看它的整改对账表。</p>")
    page.add(_filters(filters, first, here))
    table_rows = []
    for report in chunk:
        _report, unanswered_items, total = rows[id(report)]
        answered = total - len(unanswered_items)
        open_links = "<br>".join(link(here, report.src_path, f"{item.id} {item.title}", item.id)
                                 for item in unanswered_items) or "—"
        table_rows.append([link(here, report.src_path, report.title, ANCHOR), escape(kb.unit_of(report).name),
                           str(total), str(answered), percent(answered, total), open_links])
    page.add(table(["报告", "单位", "问题", "已对应", "对应比例", UNANSWERED + "的问题"], table_rows, numeric={2, 3, 4}))
    page.add(pager(first, number, count, here))
    return page
