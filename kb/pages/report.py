"""The report page (the whole text, in order: what is read through and printed) and the section pages
(one section with its document header and 关联阅读)."""

from __future__ import annotations

from html import escape

from .. import paths
from ..html_page import HtmlPage, text_html
from ..knowledge import KnowledgeBase
from ..labels import author_label, report_date, section_page_heading, section_title, theme_label
from ..model import Report, Section
from ..similarity import SimilarEntry, Similarity
from .compare import compare_link
from .html import link, ul, web_address
from .reconcile import add_reconcile_table
from .similarity import shared_marks, similar_block


RELATED_SAME_THEME = 8
TYPE_LABELS = {"problem_types": "问题类型", "cause_types": "原因类型", "measure_types": "措施类型"}


def _docmeta(kb: KnowledgeBase, report: Report, here: str, section: Section | None = None) -> str:
    """The document header: what a printed page must carry (unit, meeting, 年度, part, theme; on a
    section page also the report it belongs to, whose own page has the title as its H1)."""
    unit = kb.unit_of(report)
    meeting = kb.vocab.meetings[report.meeting]
    rows = [f'<span class="kb-docmeta-title">{link(here, report.src_path, report.title)}</span>'] if section else []
    rows += [f"单位：{link(here, paths.unit_page(unit.id), unit.name)}",
             f"作者：{escape(author_label(kb, report))}",
             f"会议：{link(here, paths.meeting_page(meeting.id), meeting.name)}"]
    if report_date(report):
        rows.append(f"年度：{escape(report_date(report))}")
    if section is not None:
        heading = report.part_headings.get(section.part)
        rows.append(f"部分：{escape(heading or kb.vocab.parts[section.part].name)}")
        if section.theme:
            rows.append(f"主题：{link(here, paths.theme_page(section.theme), theme_label(kb, section.theme))}")
    elif report.source:
        rows.append(f"来源：{web_address(report.source)}")
    body = "\n".join(f'<p class="kb-docmeta-row">{row}</p>' for row in rows)
    return f'<div class="kb-docmeta">\n{body}\n</div>'


def _type_links(kb: KnowledgeBase, vocabulary: str, type_ids: list[str], here: str) -> str:
    terms = kb.vocab.types[vocabulary]
    return "、".join(link(here, paths.type_page(vocabulary, t), terms[t].name) for t in type_ids)


def _add_blocks(page: HtmlPage, kb: KnowledgeBase, section: Section, here: str, marks: list[str] = ()) -> None:
    """The section's paragraphs; marks: pieces of its text that stand in other reports (查重)."""
    vocabulary = kb.vocab.type_vocabulary_of(section.part)
    label = TYPE_LABELS.get(vocabulary, "类型")
    for block in section.blocks:
        if block.item is None:
            page.add(f"<p>{text_html(block.text, marks)}</p>")
            continue
        item = block.item  # id and types are checked against their patterns and vocabularies by kb check
        page.add(f'<p class="kb-item" data-types="{escape(" ".join(item.types))}" id="{escape(item.id)}">'
                 f"{text_html(block.text, marks)}</p>", item.id)
        if vocabulary:
            page.add(f'<p class="kb-item-types">{label}：{_type_links(kb, vocabulary, item.types, here)}</p>')


# ---------------------------------------------------------------- report and section pages


def render_section_page(kb: KnowledgeBase, section: Section) -> HtmlPage:
    here = section.src_path
    title, as_written = section_page_heading(kb, section)
    page = HtmlPage(title=title)
    page.heading(1, title)
    if as_written:
        page.add(f'<p class="kb-subtitle">{text_html(as_written)}</p>')
    page.add(_docmeta(kb, section.report, here, section))
    _add_blocks(page, kb, section, here)
    page.add(_related(kb, section))
    return page


def _related(kb: KnowledgeBase, section: Section) -> str:
    here = section.src_path
    report = section.report
    unit = kb.unit_of(report)
    rows = [f"<strong>所属报告</strong>：{link(here, report.src_path, report.title)}"
            f"（{link(here, report.src_path, '在全文中查看', 's-' + section.id)}）",
            f"<strong>单位</strong>：{link(here, paths.unit_page(unit.id), unit.name)}"]
    vocabulary = kb.vocab.type_vocabulary_of(section.part)
    if section.theme:
        rows.append(f"<strong>主题</strong>：{link(here, paths.theme_page(section.theme), theme_label(kb, section.theme))}")
    aspects = kb.section_aspects(section)
    if aspects:
        rows.append("<strong>检视方面</strong>：" + "、".join(link(here, paths.aspect_page(a), kb.vocab.aspects[a].name)
                                                       for a in aspects))
    section_types = section.types()
    if vocabulary and section_types:
        rows.append(f"<strong>{TYPE_LABELS[vocabulary]}</strong>：{_type_links(kb, vocabulary, section_types, here)}")
    if section.theme:
        others, more = related_sections(kb, section)
        if others:
            links = "；".join(link(here, s.src_path, kb.unit_of(s.report).label) for s in others)
            rows.append(f"<strong>同一主题的其他报告</strong>：{links}"
                        + (f"（共 {more} 份，{link(here, paths.theme_page(section.theme), '查看全部')}）"
                           if more > len(others) else ""))
    index = report.sections.index(section)
    neighbours = []
    if index > 0:
        prev = report.sections[index - 1]
        neighbours.append(f"<strong>上一节</strong>：{link(here, prev.src_path, section_title(kb, prev))}")
    if index + 1 < len(report.sections):
        nxt = report.sections[index + 1]
        neighbours.append(f"<strong>下一节</strong>：{link(here, nxt.src_path, section_title(kb, nxt))}")
    if neighbours:
        rows.append(" · ".join(neighbours))
    return f'<div class="kb-related">\n<p class="kb-related-title">关联阅读</p>\n{ul(rows)}\n</div>'


def related_sections(kb: KnowledgeBase, section: Section) -> tuple[list[Section], int]:
    """The other reports' sections under the same theme that a section page links to (its
    neighbours in the theme's order), and how many there are in all."""
    if not section.theme:
        return [], 0
    peers = kb.sections_by_theme[section.theme]
    position = kb.theme_position[id(section)]
    window = peers[max(0, position - RELATED_SAME_THEME // 2): position + RELATED_SAME_THEME // 2 + 2]
    return [s for s in window if s is not section][:RELATED_SAME_THEME], len(peers) - 1


def report_page_inputs(report: Report, state: str, similar: list[SimilarEntry], states: dict[str, str]) -> tuple:
    """What a report page shows beyond the vocabularies: its own files (state is their signature)
    and its 雷同 block: the passages it shares (similar: where they stand in its sections and the
    other reports') and the reports they stand in (whose text, titles, units and section titles come
    from those reports' files)."""
    return ("report", report.id, state, tuple(similar), tuple(states[entry.report] for entry in similar))


def section_page_inputs(kb: KnowledgeBase, section: Section, state: str) -> tuple:
    """What a section page shows: its report's files (the document header, the previous and next
    sections' titles) and the sections of other reports its 关联阅读 links to."""
    others, total = related_sections(kb, section)
    return ("section", section.src_path, state, tuple(s.src_path for s in others), total)


def render_report_page(kb: KnowledgeBase, report: Report, similarity: Similarity) -> HtmlPage:
    """The whole report on one page, in order: what a reader reads through and what gets printed,
    then its 整改对账 table, with the 雷同 block at the end (text shared with other reports marked in place)."""
    here = report.src_path
    similar = similarity.of(report)
    marks = shared_marks(similar)
    page = HtmlPage(title=report.title)
    if report.meta.get("description"):
        page.meta["description"] = str(report.meta["description"])
    page.heading(1, report.title)
    page.add(_docmeta(kb, report, here))
    page.add(f'<p class="kb-compare-links">{compare_link(here, [report.id], "对比阅读：把本报告与其他报告并排")}</p>')
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
            page.add(f"<p>{link(here, section.src_path, '单独查看本节', cls='kb-section-link')}</p>")
            _add_blocks(page, kb, section, here, marks.get(section.id, ()))
    add_reconcile_table(page, kb, report)
    page.add(similar_block(kb, report, similar))
    return page
