"""The statistics page (stats/): the corpus at a glance. Each chart of kb.statistics is drawn as
inline SVG with its numbers in a table beside it (readable without the picture, printable,
accessible) and a link to the same data as CSV (written with the site, kb.build)."""

from __future__ import annotations

from html import escape

from .. import paths
from ..html_page import HtmlPage
from ..knowledge import KnowledgeBase
from ..statistics import Chart, charts
from .charts import chart_svg
from .html import link, table


def _numbers(chart: Chart, here: str) -> str:
    rows = []
    for label, target, values in zip(chart.rows, chart.row_links, chart.values):
        rows.append([link(here, target, label) if target else escape(label), *(str(v) for v in values)])
    return table([chart.row_head, *chart.columns], rows, numeric=set(range(1, len(chart.columns) + 1)))


def stats_page(kb: KnowledgeBase) -> HtmlPage:
    here = paths.STATS
    page = HtmlPage(title="统计")
    page.heading(1, page.title)
    page.add(f"<p>全库 {len(kb.reports)} 份报告、{kb.section_count} 节、{kb.item_count} 个条目的分布。"
             "每张图旁边的表格给出图中的数字，也可以下载数据表（电子表格软件可直接打开）；数字与各索引页一致。</p>")
    for chart in charts(kb):
        page.heading(2, chart.title, chart.slug)
        csv_href = f"data/{chart.slug}.csv"  # paths.STATS_DATA, relative to the page's URL stats/
        page.add(f'<p class="kb-chart-note">{escape(chart.note)}。'
                 f'<a class="kb-chart-csv" href="{escape(csv_href)}" download>下载数据表</a></p>')
        if not chart.rows:
            page.add("<p>暂无数据。</p>")
            continue
        page.add(f'<div class="kb-chart">\n<figure class="kb-chart-figure">{chart_svg(chart)}</figure>\n'
                 f'<div class="kb-chart-numbers">\n{_numbers(chart, here)}\n</div>\n</div>')
    return page
