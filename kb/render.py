"""The article of every page kb shows: the generated indexes (home, reports, themes, units, types)
and the report and section pages, as kb.html_page.HtmlPage (HTML, title, TOC) without Markdown.

Everything is escaped text and HTML we write, with relative URLs from paths.href. Report text is
untrusted plain text (kb.html_page.text_html): nothing a contributor writes becomes HTML, a link
(but [text](https://…)), an attribute or structure. Generated pages are built lazily, one when
MkDocs asks for it, so the corpus' HTML is never held in memory at once."""

from __future__ import annotations

import math
from functools import partial
from html import escape
from typing import Callable

from . import paths
from .html_page import HtmlPage, text_html
from .knowledge import KnowledgeBase
from .model import Item, Report, Section
from .redirects import redirects
from .text import chinese_number, heading_title, item_gist
from .vocab import TYPE_VOCABULARIES

PageBuilder = Callable[[], HtmlPage]

PER_PAGE = {"reports": 50, "theme": 20, "type": 50, "units": 100}
RELATED_SAME_THEME = 8
TYPE_LABELS = {"problem_types": "问题类型", "cause_types": "原因类型", "measure_types": "措施类型"}


# ---------------------------------------------------------------- labels


def section_title(kb: KnowledgeBase, section: Section) -> str:
    """Short name of a section for lists and links."""
    if section.theme:  # the meeting's own short name reads better in lists than a 100-character heading
        return theme_label(kb, section.theme)
    if section.heading:
        return heading_title(section.heading, 36)
    part = kb.vocab.parts[section.part]
    if section.part == "preface":
        return part.name
    heading = section.report.part_headings.get(section.part)
    return f"{heading_title(heading, 30) if heading else part.name}·引言"


def section_page_heading(kb: KnowledgeBase, section: Section) -> str:
    """H1 of a section page: the heading as written, or a label for intro text without one."""
    return section.heading or section_title(kb, section)


def theme_label(kb: KnowledgeBase, theme_id: str) -> str:
    theme = kb.vocab.themes[theme_id]
    return f"（{chinese_number(theme.number)}）{theme.label}"


def _report_date(report: Report) -> str:
    return report.date or (f"{report.year}年度" if report.year else "")


# ---------------------------------------------------------------- HTML pieces


def _a(here: str, target_src: str, text: str, anchor: str | None = None, cls: str | None = None) -> str:
    attr = f' class="{cls}"' if cls else ""
    return f'<a{attr} href="{escape(paths.href(here, target_src, anchor))}">{escape(text)}</a>'


def _table(head: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    """An HTML table; cells are HTML already (escaped by the caller)."""
    def cell(tag, index, value):
        align = ' style="text-align: right"' if index in numeric else ""
        return f"<{tag}{align}>{value}</{tag}>"

    head_html = "".join(cell("th", i, escape(h)) for i, h in enumerate(head))
    body = "\n".join("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in rows)
    return f"<table>\n<thead><tr>{head_html}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def _ul(entries: list[str], cls: str | None = None) -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>\n" + "\n".join(f"<li>{e}</li>" for e in entries) + "\n</ul>"


def _pager(first_src: str, page: int, pages: int, current_src: str) -> str:
    if pages <= 1:
        return ""
    links = [f"<strong>{n}</strong>" if n == page else _a(current_src, paths.paged(first_src, n), str(n))
             for n in range(1, pages + 1)]
    return f'<nav class="kb-pager">第 {page}/{pages} 页：' + " ".join(links) + "</nav>"


def _paginate(entries: list, per_page: int) -> list[list]:
    pages = max(1, math.ceil(len(entries) / per_page))
    return [entries[i * per_page:(i + 1) * per_page] for i in range(pages)]


def _docmeta(kb: KnowledgeBase, report: Report, here: str, section: Section | None = None) -> str:
    """The document header: what a printed page must carry (title, unit, meeting, date, part, theme)."""
    unit = kb.unit_of(report)
    meeting = kb.vocab.meetings[report.meeting]
    title = _a(here, report.src_path, report.title) if section else escape(report.title)
    rows = [f'<span class="kb-docmeta-title">{title}</span>',
            f"单位：{_a(here, paths.unit_page(unit.id), unit.name)}",
            f"会议：{escape(meeting.name)}"]
    if _report_date(report):
        rows.append(f"时间：{escape(_report_date(report))}")
    if section is not None:
        heading = report.part_headings.get(section.part)
        rows.append(f"部分：{escape(heading or kb.vocab.parts[section.part].name)}")
        if section.theme:
            rows.append(f"主题：{_a(here, paths.theme_page(section.theme), theme_label(kb, section.theme))}")
    elif report.source:
        rows.append(f"来源：{escape(report.source)}")
    body = "\n".join(f'<p class="kb-docmeta-row">{row}</p>' for row in rows)
    return f'<div class="kb-docmeta">\n{body}\n</div>'


def _type_links(kb: KnowledgeBase, vocabulary: str, type_ids: list[str], here: str) -> str:
    terms = kb.vocab.types[vocabulary]
    return "、".join(_a(here, paths.type_page(vocabulary, t), terms[t].name) for t in type_ids)


def _add_blocks(page: HtmlPage, kb: KnowledgeBase, section: Section, here: str) -> None:
    vocabulary = kb.vocab.type_vocabulary_of(section.part)
    label = TYPE_LABELS.get(vocabulary, "类型")
    for block in section.blocks:
        if block.item is None:
            page.add(f"<p>{text_html(block.text)}</p>")
            continue
        item = block.item  # id and types are checked against their patterns and vocabularies by kb check
        page.add(f'<p class="kb-item" data-types="{escape(" ".join(item.types))}" id="{escape(item.id)}">'
                 f"{text_html(block.text)}</p>", item.id)
        if vocabulary:
            page.add(f'<p class="kb-item-types">{label}：{_type_links(kb, vocabulary, item.types, here)}</p>')


# ---------------------------------------------------------------- report and section pages


def render_section_page(kb: KnowledgeBase, section: Section) -> HtmlPage:
    here = section.src_path
    page = HtmlPage(title=section_page_heading(kb, section))
    page.heading(1, page.title)
    page.add(_docmeta(kb, section.report, here, section))
    _add_blocks(page, kb, section, here)
    page.add(_related(kb, section))
    return page


def _related(kb: KnowledgeBase, section: Section) -> str:
    here = section.src_path
    report = section.report
    unit = kb.unit_of(report)
    rows = [f"<strong>所属报告</strong>：{_a(here, report.src_path, report.title)}"
            f"（{_a(here, report.src_path, '在全文中查看', 's-' + section.id)}）",
            f"<strong>单位</strong>：{_a(here, paths.unit_page(unit.id), unit.name)}"]
    vocabulary = kb.vocab.type_vocabulary_of(section.part)
    if section.theme:
        rows.append(f"<strong>主题</strong>：{_a(here, paths.theme_page(section.theme), theme_label(kb, section.theme))}")
    section_types = section.types()
    if vocabulary and section_types:
        rows.append(f"<strong>{TYPE_LABELS[vocabulary]}</strong>：{_type_links(kb, vocabulary, section_types, here)}")
    if section.theme:
        peers = kb.sections_by_theme[section.theme]
        position = kb.theme_position[id(section)]
        others = [s for s in peers[max(0, position - RELATED_SAME_THEME // 2): position + RELATED_SAME_THEME // 2 + 2]
                  if s is not section][:RELATED_SAME_THEME]
        if others:
            links = "；".join(_a(here, s.src_path, kb.unit_of(s.report).label) for s in others)
            more = len(peers) - 1
            rows.append(f"<strong>同一主题的其他报告</strong>：{links}"
                        + (f"（共 {more} 份，{_a(here, paths.theme_page(section.theme), '查看全部')}）"
                           if more > len(others) else ""))
    index = report.sections.index(section)
    neighbours = []
    if index > 0:
        prev = report.sections[index - 1]
        neighbours.append(f"<strong>上一节</strong>：{_a(here, prev.src_path, section_title(kb, prev))}")
    if index + 1 < len(report.sections):
        nxt = report.sections[index + 1]
        neighbours.append(f"<strong>下一节</strong>：{_a(here, nxt.src_path, section_title(kb, nxt))}")
    if neighbours:
        rows.append(" · ".join(neighbours))
    return f'<div class="kb-related">\n<p class="kb-related-title">关联阅读</p>\n{_ul(rows)}\n</div>'


def render_report_page(kb: KnowledgeBase, report: Report) -> HtmlPage:
    """The whole report on one page, in order: what a reader reads through and what gets printed."""
    here = report.src_path
    page = HtmlPage(title=report.title)
    if report.meta.get("description"):
        page.meta["description"] = str(report.meta["description"])
    page.heading(1, report.title)
    page.add(_docmeta(kb, report, here))
    for part_id, sections in report.part_runs():
        heading = report.part_headings.get(part_id)
        level = 2
        if heading:
            page.heading(2, heading, f"part-{part_id}")
            level = 3
        for section in sections:
            if section.heading:
                page.heading(level, section.heading, f"s-{section.id}")
            else:
                page.add(f'<span id="s-{section.id}"></span>', f"s-{section.id}")
            page.add(f"<p>{_a(here, section.src_path, '单独查看本节', cls='kb-section-link')}</p>")
            _add_blocks(page, kb, section, here)
    return page


# ---------------------------------------------------------------- generated index pages


def generated_pages(kb: KnowledgeBase) -> dict[str, PageBuilder]:
    """Every generated page's source path, with what builds it when it is asked for."""
    pages: dict[str, PageBuilder] = {paths.HOME: partial(_home, kb)}
    pages.update(_paged(kb.reports, PER_PAGE["reports"], paths.REPORTS_INDEX, partial(_reports_index, kb)))
    pages[paths.THEMES_INDEX] = partial(_themes_index, kb)
    for meeting in kb.vocab.meetings.values():
        for theme in meeting.themes:
            pages.update(_paged(kb.sections_by_theme.get(theme.id, []), PER_PAGE["theme"], paths.theme_page(theme.id),
                                partial(_theme_page, kb, theme.id)))
    units = sorted(kb.vocab.units.values(), key=kb.unit_sort_key)
    pages.update(_paged(units, PER_PAGE["units"], paths.UNITS_INDEX, partial(_units_index, kb)))
    for unit_id in kb.vocab.units:
        pages[paths.unit_page(unit_id)] = partial(_unit_page, kb, unit_id)
    for vocabulary in TYPE_VOCABULARIES:
        pages[paths.type_index(vocabulary)] = partial(_type_index, kb, vocabulary)
        for type_id in kb.vocab.types[vocabulary]:
            items = kb.items_by_type.get((vocabulary, type_id), [])
            report_count = len({id(item.section.report) for item in items})  # once per type, not per page of it
            pages.update(_paged(items, PER_PAGE["type"], paths.type_page(vocabulary, type_id),
                                partial(_type_page, kb, vocabulary, type_id, report_count)))
    return pages


def _paged(entries: list, per_page: int, first: str, build) -> dict[str, PageBuilder]:
    """A listing cut into pages: page k is built by build(entries, chunk, k, pages, its src path)."""
    chunks = _paginate(entries, per_page)
    return {paths.paged(first, number): partial(build, entries, chunk, number, len(chunks), first)
            for number, chunk in enumerate(chunks, 1)}


def _home(kb: KnowledgeBase) -> HtmlPage:
    here = paths.HOME
    v = kb.vocab
    problem_items = sum(len(items) for (voc, _), items in kb.items_by_type.items() if voc == "problem_types")
    counts = _table(["内容", "数量"], [
        [_a(here, paths.REPORTS_INDEX, "报告"), str(len(kb.reports))],
        ["章节", str(kb.section_count)],
        ["条目（问题、原因、措施）", str(kb.item_count)],
        [_a(here, paths.UNITS_INDEX, "单位"), str(len(kb.reports_by_unit))],
        [_a(here, paths.THEMES_INDEX, "会议主题"), str(len(v.themes))],
        [_a(here, paths.type_index("problem_types"), "问题类型"), str(len(v.types["problem_types"]))],
        ["已归类的问题条目", str(problem_items)],
    ], numeric={1})
    page = HtmlPage(title="对照检查材料知识库")
    page.heading(1, page.title)
    page.add("<p>汇集各级领导班子民主生活会、组织生活会对照检查材料，按主题、单位、问题类型交叉索引，"
             "便于对照阅读同一主题下各单位的查摆情况、同一类问题的各种表述，以及原因剖析与整改措施的对应关系。</p>")
    page.add(counts)
    for meeting in v.meetings.values():
        page.heading(2, meeting.name)
        page.add("<ol>\n" + "\n".join(
            f"<li>{_a(here, paths.theme_page(t.id), t.label)}（{kb.theme_section_count(t.id)} 节）</li>"
            for t in meeting.themes) + "\n</ol>")
    counted = sorted(((len(kb.items_by_type.get(("problem_types", t), ())), t) for t in v.types["problem_types"]),
                     key=lambda pair: (-pair[0], pair[1]))
    page.heading(2, "最常见的问题类型")
    page.add(_ul([f"{_a(here, paths.type_page('problem_types', t), v.types['problem_types'][t].name)}：{count} 条"
                  for count, t in counted[:10] if count]))
    return page


def _reports_index(kb: KnowledgeBase, reports: list[Report], chunk: list[Report], number: int, pages: int,
                   first: str) -> HtmlPage:
    here = paths.paged(first, number)
    rows = []
    for report in chunk:
        unit = kb.unit_of(report)
        rows.append([_a(here, report.src_path, report.title), _a(here, paths.unit_page(unit.id), unit.name),
                     escape(kb.vocab.meetings[report.meeting].name), escape(_report_date(report)),
                     str(len(report.sections)), str(len(report.items))])
    page = HtmlPage(title="报告")
    page.heading(1, page.title)
    page.add(f"<p>共 {len(reports)} 份报告。</p>")
    page.add(_table(["报告", "单位", "会议", "年度", "章节", "条目"], rows, numeric={4, 5}))
    page.add(_pager(first, number, pages, here))
    return page


def _themes_index(kb: KnowledgeBase) -> HtmlPage:
    here = paths.THEMES_INDEX
    page = HtmlPage(title="会议主题")
    page.heading(1, page.title)
    page.add("<p>各次会议的对照检查主题，按官方顺序排列；点开一个主题，可并排阅读各单位在该主题下查摆的问题。</p>")
    for meeting in kb.vocab.meetings.values():
        page.heading(2, meeting.name)
        page.add(_table(["序号", "主题", "官方表述", "章节数"], [
            [str(t.number), _a(here, paths.theme_page(t.id), t.label), escape(t.name), str(kb.theme_section_count(t.id))]
            for t in meeting.themes], numeric={0, 3}))
    return page


def _theme_page(kb: KnowledgeBase, theme_id: str, sections: list[Section], chunk: list[Section], number: int,
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
        page.add(f"<p>{_a(here, section.src_path, section_title(kb, section))}"
                 f" · 报告：{_a(here, report.src_path, report.title)}"
                 f" · {_a(here, paths.unit_page(unit.id), '单位')}</p>")
        if section.items:
            page.add(_ul([f"{_a(here, section.src_path, item.title, item.id)}：{escape(item_gist(item.text, 60))}"
                          for item in section.items]))
    page.add(_pager(first, number, pages, here))
    return page


def _units_index(kb: KnowledgeBase, units: list, chunk: list, number: int, pages: int, first: str) -> HtmlPage:
    here = paths.paged(first, number)
    page = HtmlPage(title="单位")
    page.heading(1, page.title)
    page.add(f"<p>共 {len(units)} 个单位（领导班子），按类型分组。</p>")
    groups: list[tuple[str, list]] = []
    for unit in chunk:
        if not groups or groups[-1][0] != unit.kind:
            groups.append((unit.kind, []))
        groups[-1][1].append([_a(here, paths.unit_page(unit.id), unit.name), escape(kb.vocab.levels[unit.level].name),
                              escape(unit.region), str(len(kb.reports_by_unit.get(unit.id, ())))])
    for kind, rows in groups:
        page.heading(2, kb.vocab.unit_kinds[kind].name)
        page.add(_table(["单位", "层级", "地区", "报告数"], rows, numeric={3}))
    page.add(_pager(first, number, pages, here))
    return page


def _unit_page(kb: KnowledgeBase, unit_id: str) -> HtmlPage:
    unit = kb.vocab.units[unit_id]
    here = paths.unit_page(unit_id)
    reports = kb.reports_by_unit.get(unit_id, [])
    facts = (f"类型：{escape(kb.vocab.unit_kinds[unit.kind].name)} · 层级：{escape(kb.vocab.levels[unit.level].name)}"
             + (f" · 地区：{escape(unit.region)}" if unit.region else ""))
    page = HtmlPage(title=unit.name)
    page.heading(1, unit.name)
    page.add(f'<div class="kb-unit-facts"><p>{facts}</p></div>')
    page.add(f"<p>共 {len(reports)} 份报告。</p>" if reports else "<p>暂无报告。</p>")
    for report in reports:
        page.heading(2, report.title, report.id)
        page.add(f"<p>{_a(here, report.src_path, '阅读全文')} · {escape(kb.vocab.meetings[report.meeting].name)}"
                 f" · {escape(_report_date(report))}</p>")
        entries = []
        for section in report.sections:
            count = f"，{len(section.items)} 条" if section.items else ""
            entries.append(f"{_a(here, section.src_path, section_title(kb, section))}{count}")
        page.add(_ul(entries))
    return page


def _type_index(kb: KnowledgeBase, vocabulary: str) -> HtmlPage:
    here = paths.type_index(vocabulary)
    label = TYPE_LABELS[vocabulary]
    rows = [[_a(here, paths.type_page(vocabulary, type_id), term.name), escape(term.description),
             str(len(kb.items_by_type.get((vocabulary, type_id), ())))]
            for type_id, term in kb.vocab.types[vocabulary].items()]
    others = [v for v in TYPE_VOCABULARIES if v != vocabulary]
    page = HtmlPage(title=label)
    page.heading(1, label)
    page.add(f"<p>每个{label}列出归入该类的全部条目，可跨报告对照同一类问题的不同表述。</p>")
    page.add(_table([label, "说明", "条目数"], rows, numeric={2}))
    page.add("<p>另见：" + "、".join(_a(here, paths.type_index(v), TYPE_LABELS[v]) for v in others) + "</p>")
    return page


def _type_page(kb: KnowledgeBase, vocabulary: str, type_id: str, report_count: int, items: list[Item],
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
        rows.append([_a(here, section.src_path, item.title, item.id), _a(here, paths.unit_page(unit.id), unit.label),
                     f"{_a(here, report.src_path, report.title)} · {escape(where)}"])
    if rows:
        page.add(_table(["条目", "单位", "报告 · 章节"], rows))
    page.add(_pager(first, number, pages, here))
    return page


# ---------------------------------------------------------------- redirect pages


def redirect_pages(reports: list[Report]) -> dict[str, PageBuilder]:
    """Generated pages (src path -> builder), one at each old URL: a meta refresh and a plain link."""
    pages = {}
    for old, target, title, _file, _line in redirects(reports):  # renamed reports and sections (kb/redirects.py)
        src = f"{old}index.md"
        if src not in pages:
            pages[src] = partial(_redirect_page, paths.href(src, target), title)
    return pages


def _redirect_page(refresh: str, title: str) -> HtmlPage:
    page = HtmlPage(title="页面已移动")
    page.heading(1, page.title)
    page.add(f'<meta http-equiv="refresh" content="0; url={escape(refresh)}">')
    page.add(f'<p>本页已移至 / this page has moved to: <a href="{escape(refresh)}">{escape(title)}</a></p>')
    return page
