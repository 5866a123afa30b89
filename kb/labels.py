"""Short names of sections and themes, a report's date line and its author, as lists and links show them."""

from __future__ import annotations

from .knowledge import KnowledgeBase
from .model import AUTHOR_KINDS, Report, Section
from .text import chinese_number, heading_title


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


def report_date(report: Report) -> str:
    return report.date or (f"{report.year}年度" if report.year else "")


def author_label(kb: KnowledgeBase, report: Report) -> str:
    """班子, or 个人 with the author's role: 个人（党委（党组）书记）."""
    label = AUTHOR_KINDS[report.author_kind]
    role = kb.vocab.roles.get(report.author_role)
    return f"{label}（{role.name}）" if role is not None else label
