"""Markdown for every page the build shows: the generated indexes (home, reports, themes, units,
types) and the rewritten report and section pages. Metadata is escaped with md_inline; report text
is the contributor's Markdown and passes through as written."""

from __future__ import annotations

import math
import re

from . import paths
from .knowledge import TYPE_FOLDERS, KnowledgeBase
from .model import Block, Item, Report, Section
from .text import heading_title, item_gist, md_inline
from .vocab import TYPE_VOCABULARIES

PER_PAGE = {"reports": 50, "theme": 20, "type": 50, "units": 100}
RELATED_SAME_THEME = 8
TYPE_LABELS = {"problem_types": "问题类型", "cause_types": "原因类型", "measure_types": "措施类型"}
_HEADING_LINE = re.compile(r"^(#{1,6})(\s)", re.M)


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
    if section.heading:
        return section.heading
    return md_inline(section_title(kb, section))


def theme_label(kb: KnowledgeBase, theme_id: str) -> str:
    theme = kb.vocab.themes[theme_id]
    return f"（{_chinese_number(theme.number)}）{theme.label}"


def _chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n <= 10:
        return "十" if n == 10 else digits[n]
    return ("" if n < 20 else digits[n // 10]) + "十" + (digits[n % 10] if n % 10 else "")


def _report_date(report: Report) -> str:
    return report.date or (f"{report.year}年度" if report.year else "")


# ---------------------------------------------------------------- shared pieces


def _pager(first_src: str, page: int, pages: int, current_src: str) -> str:
    if pages <= 1:
        return ""
    links = []
    for number in range(1, pages + 1):
        if number == page:
            links.append(f"**{number}**")
        else:
            links.append(f"[{number}]({paths.link(current_src, paths.paged(first_src, number))})")
    return f"\n<nav class=\"kb-pager\" markdown>\n第 {page}/{pages} 页：" + " ".join(links) + "\n</nav>\n"


def _paginate(entries: list, per_page: int) -> list[list]:
    pages = max(1, math.ceil(len(entries) / per_page))
    return [entries[i * per_page:(i + 1) * per_page] for i in range(pages)]


def _cell(value: object) -> str:
    return md_inline(value).replace("\n", " ")


def _docmeta(kb: KnowledgeBase, report: Report, here: str, section: Section | None = None) -> str:
    """The document header: what a printed page must carry (title, unit, meeting, date, part, theme)."""
    unit = kb.unit_of(report)
    meeting = kb.vocab.meetings[report.meeting]
    rows = [
        f"<span class=\"kb-docmeta-title\">[{md_inline(report.title)}]({paths.link(here, report.src_path)})</span>"
        if section else f"<span class=\"kb-docmeta-title\">{md_inline(report.title)}</span>",
        f"单位：[{md_inline(unit.name)}]({paths.link(here, paths.unit_page(unit.id))})",
        f"会议：{md_inline(meeting.name)}",
    ]
    if _report_date(report):
        rows.append(f"时间：{md_inline(_report_date(report))}")
    if section is not None:
        part = kb.vocab.parts[section.part]
        heading = report.part_headings.get(section.part)
        rows.append(f"部分：{md_inline(heading or part.name)}")
        if section.theme:
            rows.append(f"主题：[{md_inline(theme_label(kb, section.theme))}]({paths.link(here, paths.theme_page(section.theme))})")
    elif report.source:
        rows.append(f"来源：{md_inline(report.source)}")
    body = "\n".join(f"<p class=\"kb-docmeta-row\" markdown>{row}</p>" for row in rows)
    return f"<div class=\"kb-docmeta\" markdown>\n{body}\n</div>\n"


def _type_links(kb: KnowledgeBase, vocabulary: str, type_ids: list[str], here: str) -> str:
    terms = kb.vocab.types[vocabulary]
    return "、".join(f"[{md_inline(terms[t].name)}]({paths.link(here, paths.type_page(vocabulary, t))})" for t in type_ids)


def _render_blocks(kb: KnowledgeBase, section: Section, here: str, demote: int = 0) -> str:
    vocabulary = kb.vocab.type_vocabulary_of(section.part)
    out = []
    for block in section.blocks:
        text = _demote(block.text, demote) if demote else block.text
        if block.item is None:
            out.append(text)
            continue
        item = block.item
        marker = f'{{: #{item.id} .kb-item data-types="{" ".join(item.types)}" }}'
        label = TYPE_LABELS.get(vocabulary, "类型")
        chips = f"{label}：{_type_links(kb, vocabulary, item.types, here)}\n{{: .kb-item-types }}" if vocabulary else ""
        out.append(f"{text}\n{marker}" + (f"\n\n{chips}" if chips else ""))
    return "\n\n".join(out)


def _demote(markdown: str, levels: int) -> str:
    return _HEADING_LINE.sub(lambda m: "#" * min(6, len(m.group(1)) + levels) + m.group(2), markdown)


# ---------------------------------------------------------------- report and section pages


def render_section_page(kb: KnowledgeBase, section: Section) -> str:
    here = section.src_path
    report = section.report
    parts = [f"# {section_page_heading(kb, section)}", _docmeta(kb, report, here, section),
             _render_blocks(kb, section, here), _related(kb, section)]
    return "\n\n".join(p for p in parts if p) + "\n"


def _related(kb: KnowledgeBase, section: Section) -> str:
    here = section.src_path
    report = section.report
    unit = kb.unit_of(report)
    rows = [f"**所属报告**：[{md_inline(report.title)}]({paths.link(here, report.src_path)})"
            f"（[在全文中查看]({paths.link(here, report.src_path, 's-' + section.id)})）",
            f"**单位**：[{md_inline(unit.name)}]({paths.link(here, paths.unit_page(unit.id))})"]
    vocabulary = kb.vocab.type_vocabulary_of(section.part)
    if section.theme:
        rows.append(f"**主题**：[{md_inline(theme_label(kb, section.theme))}]({paths.link(here, paths.theme_page(section.theme))})")
    if vocabulary and section.types():
        rows.append(f"**{TYPE_LABELS[vocabulary]}**：{_type_links(kb, vocabulary, section.types(), here)}")
    if section.theme:
        peers = kb.sections_by_theme[section.theme]
        position = _position(kb, section)
        others = [s for s in peers[max(0, position - RELATED_SAME_THEME // 2): position + RELATED_SAME_THEME // 2 + 2]
                  if s is not section][:RELATED_SAME_THEME]
        if others:
            links = "；".join(f"[{md_inline(kb.unit_of(s.report).label)}]({paths.link(here, s.src_path)})" for s in others)
            more = len(peers) - 1
            rows.append(f"**同一主题的其他报告**：{links}"
                        + (f"（共 {more} 份，[查看全部]({paths.link(here, paths.theme_page(section.theme))})）"
                           if more > len(others) else ""))
    index = report.sections.index(section)
    neighbours = []
    if index > 0:
        prev = report.sections[index - 1]
        neighbours.append(f"**上一节**：[{md_inline(section_title(kb, prev))}]({paths.link(here, prev.src_path)})")
    if index + 1 < len(report.sections):
        nxt = report.sections[index + 1]
        neighbours.append(f"**下一节**：[{md_inline(section_title(kb, nxt))}]({paths.link(here, nxt.src_path)})")
    if neighbours:
        rows.append(" · ".join(neighbours))
    body = "\n".join(f"- {row}" for row in rows)
    return f"<div class=\"kb-related\" markdown>\n<p class=\"kb-related-title\">关联阅读</p>\n\n{body}\n\n</div>"


def _position(kb: KnowledgeBase, section: Section) -> int:
    # Computed once per build for all sections: a list.index() per page would be O(n²) at scale.
    positions = getattr(kb, "_theme_positions", None)
    if positions is None:
        positions = {id(s): i for sections in kb.sections_by_theme.values() for i, s in enumerate(sections)}
        kb._theme_positions = positions
    return positions[id(section)]


def render_report_page(kb: KnowledgeBase, report: Report) -> str:
    """The whole report on one page, in order: what a reader reads through and what gets printed."""
    here = report.src_path
    out = [f"# {md_inline(report.title)}", _docmeta(kb, report, here)]
    for part_id, sections in report.part_runs():
        heading = report.part_headings.get(part_id)
        level = 2
        if heading:
            out.append(f"## {heading} {{#part-{part_id}}}")
            level = 3
        for section in sections:
            if section.heading:
                out.append(f"{'#' * level} {section.heading} {{#s-{section.id}}}")
            else:
                out.append(f'<span id="s-{section.id}"></span>')
            out.append(f"[单独查看本节]({paths.link(here, section.src_path)}){{: .kb-section-link }}")
            out.append(_render_blocks(kb, section, here, demote=level - 1))
    return "\n\n".join(out) + "\n"


# ---------------------------------------------------------------- generated index pages


def generated_pages(kb: KnowledgeBase) -> dict[str, str]:
    pages: dict[str, str] = {paths.HOME: _home(kb)}
    pages.update(_reports_index(kb))
    pages[paths.THEMES_INDEX] = _themes_index(kb)
    for meeting in kb.vocab.meetings.values():
        for theme in meeting.themes:
            pages.update(_theme_pages(kb, theme.id))
    pages.update(_units_index(kb))
    for unit_id in kb.vocab.units:
        pages[paths.unit_page(unit_id)] = _unit_page(kb, unit_id)
    for vocabulary in TYPE_VOCABULARIES:
        pages[paths.type_index(vocabulary)] = _type_index(kb, vocabulary)
        for type_id in kb.vocab.types[vocabulary]:
            pages.update(_type_pages(kb, vocabulary, type_id))
    return pages


def _home(kb: KnowledgeBase) -> str:
    here = paths.HOME
    v = kb.vocab
    problem_items = sum(len(items) for (voc, _), items in kb.items_by_type.items() if voc == "problem_types")
    lines = [
        "# 对照检查材料知识库",
        "",
        "汇集各级领导班子民主生活会、组织生活会对照检查材料，按主题、单位、问题类型交叉索引，"
        "便于对照阅读同一主题下各单位的查摆情况、同一类问题的各种表述，以及原因剖析与整改措施的对应关系。",
        "",
        "| 内容 | 数量 |",
        "| --- | ---: |",
        f"| [报告]({paths.link(here, paths.REPORTS_INDEX)}) | {len(kb.reports)} |",
        f"| 章节 | {kb.section_count} |",
        f"| 条目（问题、原因、措施） | {kb.item_count} |",
        f"| [单位]({paths.link(here, paths.UNITS_INDEX)}) | {len(kb.reports_by_unit)} |",
        f"| [会议主题]({paths.link(here, paths.THEMES_INDEX)}) | {len(v.themes)} |",
        f"| [问题类型]({paths.link(here, paths.type_index('problem_types'))}) | {len(v.types['problem_types'])} |",
        f"| 已归类的问题条目 | {problem_items} |",
        "",
    ]
    for meeting in v.meetings.values():
        lines += [f"## {md_inline(meeting.name)}", ""]
        for theme in meeting.themes:
            lines.append(f"{theme.number}. [{md_inline(theme.label)}]({paths.link(here, paths.theme_page(theme.id))})"
                         f"（{kb.theme_section_count(theme.id)} 节）")
        lines.append("")
    counted = sorted(((len(kb.items_by_type.get(("problem_types", t), ())), t) for t in v.types["problem_types"]),
                     key=lambda pair: (-pair[0], pair[1]))
    lines += ["## 最常见的问题类型", ""]
    for count, type_id in counted[:10]:
        if count:
            lines.append(f"- [{md_inline(v.types['problem_types'][type_id].name)}]"
                         f"({paths.link(here, paths.type_page('problem_types', type_id))})：{count} 条")
    return "\n".join(lines) + "\n"


def _reports_index(kb: KnowledgeBase) -> dict[str, str]:
    pages = {}
    chunks = _paginate(kb.reports, PER_PAGE["reports"])
    for number, chunk in enumerate(chunks, 1):
        here = paths.paged(paths.REPORTS_INDEX, number)
        lines = ["# 报告", "", f"共 {len(kb.reports)} 份报告。", "",
                 "| 报告 | 单位 | 会议 | 年度 | 章节 | 条目 |", "| --- | --- | --- | --- | ---: | ---: |"]
        for report in chunk:
            unit = kb.unit_of(report)
            lines.append(f"| [{_cell(report.title)}]({paths.link(here, report.src_path)}) "
                         f"| [{_cell(unit.name)}]({paths.link(here, paths.unit_page(unit.id))}) "
                         f"| {_cell(kb.vocab.meetings[report.meeting].name)} | {_cell(_report_date(report))} "
                         f"| {len(report.sections)} | {len(report.items)} |")
        lines.append(_pager(paths.REPORTS_INDEX, number, len(chunks), here))
        pages[here] = "\n".join(lines) + "\n"
    return pages


def _themes_index(kb: KnowledgeBase) -> str:
    here = paths.THEMES_INDEX
    lines = ["# 会议主题", "", "各次会议的对照检查主题，按官方顺序排列；点开一个主题，可并排阅读各单位在该主题下查摆的问题。", ""]
    for meeting in kb.vocab.meetings.values():
        lines += [f"## {md_inline(meeting.name)}", "", "| 序号 | 主题 | 官方表述 | 章节数 |", "| ---: | --- | --- | ---: |"]
        for theme in meeting.themes:
            lines.append(f"| {theme.number} | [{_cell(theme.label)}]({paths.link(here, paths.theme_page(theme.id))}) "
                         f"| {_cell(theme.name)} | {kb.theme_section_count(theme.id)} |")
        lines.append("")
    return "\n".join(lines) + "\n"


def _theme_pages(kb: KnowledgeBase, theme_id: str) -> dict[str, str]:
    theme = kb.vocab.themes[theme_id]
    meeting = kb.vocab.meetings[theme.meeting]
    sections = kb.sections_by_theme.get(theme_id, [])
    first = paths.theme_page(theme_id)
    chunks = _paginate(sections, PER_PAGE["theme"])
    pages = {}
    for number, chunk in enumerate(chunks, 1):
        here = paths.paged(first, number)
        lines = [f"# {md_inline(theme_label(kb, theme_id))}", "",
                 f"<div class=\"kb-theme-wording\" markdown>\n**{md_inline(meeting.name)} · 主题 {theme.number}**："
                 f"{md_inline(theme.name)}\n</div>", "",
                 f"共 {len(sections)} 份报告在此主题下查摆了问题，按单位类型分组。", ""]
        current_kind = None
        for section in chunk:
            report = section.report
            unit = kb.unit_of(report)
            if unit.kind != current_kind:
                current_kind = unit.kind
                lines += [f"## {md_inline(kb.vocab.unit_kinds[unit.kind].name)}", ""]
            lines += [f"### {md_inline(unit.name)} {{#{report.id}}}", "",
                      f"[{md_inline(section_title(kb, section))}]({paths.link(here, section.src_path)})"
                      f" · 报告：[{md_inline(report.title)}]({paths.link(here, report.src_path)})"
                      f" · [单位]({paths.link(here, paths.unit_page(unit.id))})", ""]
            for item in section.items:
                lines.append(f"- [{md_inline(item.title)}]({paths.link(here, section.src_path, item.id)})"
                             f"：{md_inline(item_gist(item.text, 60))}")
            lines.append("")
        lines.append(_pager(first, number, len(chunks), here))
        pages[here] = "\n".join(lines) + "\n"
    return pages


def _units_index(kb: KnowledgeBase) -> dict[str, str]:
    units = sorted(kb.vocab.units.values(),
                   key=lambda u: (list(kb.vocab.unit_kinds).index(u.kind) if u.kind in kb.vocab.unit_kinds else 99, u.name))
    chunks = _paginate(units, PER_PAGE["units"])
    pages = {}
    for number, chunk in enumerate(chunks, 1):
        here = paths.paged(paths.UNITS_INDEX, number)
        lines = ["# 单位", "", f"共 {len(units)} 个单位（领导班子），按类型分组。", ""]
        current_kind = None
        for unit in chunk:
            if unit.kind != current_kind:
                current_kind = unit.kind
                lines += ["", f"## {md_inline(kb.vocab.unit_kinds[unit.kind].name)}", "",
                          "| 单位 | 层级 | 地区 | 报告数 |", "| --- | --- | --- | ---: |"]
            lines.append(f"| [{_cell(unit.name)}]({paths.link(here, paths.unit_page(unit.id))}) "
                         f"| {_cell(kb.vocab.levels[unit.level].name)} | {_cell(unit.region)} "
                         f"| {len(kb.reports_by_unit.get(unit.id, ()))} |")
        lines.append(_pager(paths.UNITS_INDEX, number, len(chunks), here))
        pages[here] = "\n".join(lines) + "\n"
    return pages


def _unit_page(kb: KnowledgeBase, unit_id: str) -> str:
    unit = kb.vocab.units[unit_id]
    here = paths.unit_page(unit_id)
    reports = kb.reports_by_unit.get(unit_id, [])
    lines = [f"# {md_inline(unit.name)}", "",
             f"<div class=\"kb-unit-facts\" markdown>\n类型：{md_inline(kb.vocab.unit_kinds[unit.kind].name)} · "
             f"层级：{md_inline(kb.vocab.levels[unit.level].name)}"
             + (f" · 地区：{md_inline(unit.region)}" if unit.region else "") + "\n</div>", "",
             f"共 {len(reports)} 份报告。", ""]
    if not reports:
        lines.append("暂无报告。")
    for report in reports:
        lines += [f"## [{md_inline(report.title)}]({paths.link(here, report.src_path)})", "",
                  f"{md_inline(kb.vocab.meetings[report.meeting].name)} · {md_inline(_report_date(report))}", ""]
        for section in report.sections:
            extra = f"（主题：{md_inline(theme_label(kb, section.theme))}）" if section.theme else ""
            count = f"，{len(section.items)} 条" if section.items else ""
            lines.append(f"- [{md_inline(section_title(kb, section))}]({paths.link(here, section.src_path)}){extra}{count}")
        lines.append("")
    return "\n".join(lines) + "\n"


def _type_index(kb: KnowledgeBase, vocabulary: str) -> str:
    here = paths.type_index(vocabulary)
    label = TYPE_LABELS[vocabulary]
    lines = [f"# {label}", "", f"每个{label}列出归入该类的全部条目，可跨报告对照同一类问题的不同表述。", "",
             f"| {label} | 说明 | 条目数 |", "| --- | --- | ---: |"]
    for type_id, term in kb.vocab.types[vocabulary].items():
        lines.append(f"| [{_cell(term.name)}]({paths.link(here, paths.type_page(vocabulary, type_id))}) "
                     f"| {_cell(term.description)} | {len(kb.items_by_type.get((vocabulary, type_id), ()))} |")
    others = [v for v in TYPE_VOCABULARIES if v != vocabulary]
    lines += ["", "另见：" + "、".join(f"[{TYPE_LABELS[v]}]({paths.link(here, paths.type_index(v))})" for v in others)]
    return "\n".join(lines) + "\n"


def _type_pages(kb: KnowledgeBase, vocabulary: str, type_id: str) -> dict[str, str]:
    term = kb.vocab.types[vocabulary][type_id]
    items: list[Item] = kb.items_by_type.get((vocabulary, type_id), [])
    first = paths.type_page(vocabulary, type_id)
    chunks = _paginate(items, PER_PAGE["type"])
    report_count = len({id(i.section.report) for i in items})
    pages = {}
    for number, chunk in enumerate(chunks, 1):
        here = paths.paged(first, number)
        lines = [f"# {TYPE_LABELS[vocabulary]}：{md_inline(term.name)}", ""]
        if term.description:
            lines += [md_inline(term.description), ""]
        if term.phrasings:
            lines += ["常见表述：" + "、".join(f"“{md_inline(p)}”" for p in term.phrasings), ""]
        lines += [f"共 {len(items)} 条，来自 {report_count} 份报告。", ""]
        if items:
            lines += ["| 条目 | 单位 | 报告 · 章节 |", "| --- | --- | --- |"]
        for item in chunk:
            section = item.section
            report = section.report
            unit = kb.unit_of(report)
            where = theme_label(kb, section.theme) if section.theme else section_title(kb, section)
            lines.append(f"| [{_cell(item.title)}]({paths.link(here, section.src_path, item.id)}) "
                         f"| [{_cell(unit.label)}]({paths.link(here, paths.unit_page(unit.id))}) "
                         f"| [{_cell(report.title)}]({paths.link(here, report.src_path)}) · {_cell(where)} |")
        lines.append(_pager(first, number, len(chunks), here))
        pages[here] = "\n".join(lines) + "\n"
    return pages
