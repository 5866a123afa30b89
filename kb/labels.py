"""Short names of sections and themes, a report's 年度 line and its author, as lists, links and headings show them."""

from __future__ import annotations

from .knowledge import KnowledgeBase
from .model import AUTHOR_KINDS, Report, Section
from .text import chinese_number, heading_title, plain

# An H1 of this many characters fits in three lines on a 390 px wide phone (tests/test_reading.py).
SECTION_H1_CHARS = 30


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


def section_page_heading(kb: KnowledgeBase, section: Section) -> tuple[str, str | None]:
    """H1 of a section page, and the heading as written when the H1 is shorter than it: a themed
    section is headed by its theme's short name (the official wording runs to 100 characters and
    would fill a phone's first screen), a long heading by its first sentence."""
    if section.heading and (section.theme or len(plain(section.heading)) > SECTION_H1_CHARS):
        short = theme_label(kb, section.theme) if section.theme else heading_title(section.heading, SECTION_H1_CHARS)
        return short, section.heading
    return section.heading or section_title(kb, section), None


def theme_label(kb: KnowledgeBase, theme_id: str) -> str:
    theme = kb.vocab.themes[theme_id]
    return f"（{chinese_number(theme.number)}）{theme.label}"


def report_date(report: Report) -> str:
    """The 年度 a report belongs to, always, with the meeting's date when the report gives it."""
    year = f"{report.year}年度" if report.year else ""
    if report.date:
        return f"{year}（{report.date}）" if year else report.date
    return year


def author_label(kb: KnowledgeBase, report: Report) -> str:
    """班子, or 个人 with the author's role: 个人（党委（党组）书记）."""
    label = AUTHOR_KINDS[report.author_kind]
    role = kb.vocab.roles.get(report.author_role)
    return f"{label}（{role.name}）" if role is not None else label
