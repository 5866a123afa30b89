"""The compare view (对比阅读) at compare/?r=ID&r=ID, and the controls other pages use to pick reports
for it. The page itself is a frame: assets/compare.js reads the report ids from its address,
fetches each report's data (kb/compare_data.py) and lays the reports side by side, aligned by part
and theme; the address is what a reader shares or bookmarks."""

from __future__ import annotations

from html import escape

from .. import paths
from ..html_page import HtmlPage
from ..knowledge import KnowledgeBase

MAX_REPORTS = 6  # columns a screen can still read side by side; compare.js keeps to the same number


def compare_page(kb: KnowledgeBase) -> HtmlPage:
    page = HtmlPage(title="对比阅读")
    page.meta["hide"] = ["navigation", "toc"]  # the columns need the whole width
    page.heading(1, page.title)
    page.add("<p>把两份或多份报告并排阅读：同一部分、同一会议主题的章节排在同一行（不同会议的报告按检视方面对齐），手机上逐份依次排列。"
             "在报告页、单位页或主题页选好报告，或在下面添加；本页网址即可分享，也可以打印。</p>")
    page.add(f'<div class="kb-compare" data-kb-compare data-max="{MAX_REPORTS}">\n'
             '<div class="kb-compare-controls">\n'
             '<label class="kb-compare-add">添加报告 <select><option value="">选择一份报告…</option></select></label>\n'
             '<button type="button" class="kb-compare-add-button md-button">添加</button>\n'
             "</div>\n"
             '<p class="kb-compare-status" role="status">正在加载…</p>\n'
             '<div class="kb-compare-body"></div>\n'
             "</div>\n"
             "<noscript><p>对比阅读需要浏览器启用脚本；也可以分别打开各份报告阅读。</p></noscript>")
    return page


def compare_picker(report_id: str) -> str:
    """A check box choosing one report for the compare view; pick_bar() turns the choices into a link."""
    return f'<label class="kb-compare-pick"><input type="checkbox" value="{escape(report_id)}"> 选入对比</label>'


def pick_bar(here: str) -> str:
    """The link to the compare view of the reports checked on this page (assets/compare.js keeps
    it up to date; hidden until a report is checked)."""
    return (f'<div class="kb-compare-bar" data-compare="{escape(paths.href(here, paths.COMPARE))}" hidden>'
            '<a class="md-button md-button--primary" href="#">对比阅读所选报告</a>'
            '<span class="kb-compare-bar-note"></span></div>')


def compare_link(here: str, report_ids: list[str], text: str) -> str:
    return f'<a class="kb-compare-link" href="{escape(paths.compare_url(here, report_ids[:MAX_REPORTS]))}">{escape(text)}</a>'
