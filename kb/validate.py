"""Checks of reports against the vocabularies: every unknown value, missing field and duplicate is
reported with its file and line, what is wrong and what is allowed."""

from __future__ import annotations

import re

from . import markup
from .errors import Problems, allowed_list
from .model import AUTHOR_KINDS, Item, Report, Section
from .reconcile import PROBLEMS, measure_targets
from .redirects import check_redirects
from .sources import check_not_a_file_name
from .structure import REVIEW_NOTE, ReportCache
from .vocab import Vocabulary, check_aspects, named_list

REPORT_FIELDS = {  # required field -> what it holds (zh, en)
    "title": ("报告标题", "report title"),
    "unit": ("单位 id，见 data/units.yml", "unit id, see data/units.yml"),
    "meeting": ("会议 id，见 data/meetings.yml", "meeting id, see data/meetings.yml"),
    "year": ("年度，四位数字", "year, four digits"),
    "source": ("来源", "source"),
}
REPORT_OPTIONAL = {"date", "parts", "description", "redirect_from", "author_kind", "author_role"}
SECTION_FIELDS = {"part"}
SECTION_OPTIONAL = {"theme", "aspects", "redirect_from"}
DATE = re.compile(r"^\d{4}(-\d{2}){0,2}$")
# A local file's name (what a contributor's own copy was called) is no source a reader can look up.


def validate(vocab: Vocabulary, reports: list[Report], problems: Problems, cache: ReportCache | None = None) -> None:
    """cache (under `mkdocs serve`): a report read from it that passed against an equal vocabulary
    last time passes again; only the checks across reports run for it (a tenth of a rebuild at 1,000)."""
    seen_titles: dict[str, Report] = {}
    passed = cache.passed if cache is not None and cache.checked_against == vocab else {}
    passing: dict[str, Report] = {}
    for report in reports:
        before = len(problems)
        if passed.get(report.id) is not report:
            _check_report(vocab, report, problems)
        if len(problems) == before:
            passing[report.id] = report
        key = f"{report.unit}|{report.meeting}|{report.title}"
        if report.title and key in seen_titles:
            problems.add(report.file, report.meta.line_of("title"), "duplicate-report",
                         f"与 {seen_titles[key].file} 重复：同一单位、同一会议、同一标题的报告只能有一份",
                         f"duplicates {seen_titles[key].file}: one report per unit, meeting and title")
        seen_titles.setdefault(key, report)
    if cache is not None:
        cache.checked_against, cache.passed = vocab, passing
    check_redirects(reports, problems)  # redirect_from: old URLs of renamed reports and sections


def check_review_markers(reports: list[Report], problems: Problems) -> None:
    """Review notes `kb import` leaves beside proposals it is unsure of. Not part of validate():
    kb import checks its own result with validate(), notes included."""
    for owner in [r for r in reports] + [s for r in reports for s in r.sections]:
        for line in owner.review_lines:
            problems.add(owner.file, line, "review-marker",
                         f"还留有 kb import 的核对提示（“{REVIEW_NOTE}…”）：请核对它所说的建议（主题、类型或对应措施），改正后删去这条注释",
                         f'a review note of kb import ("{REVIEW_NOTE}…") is still here: check the proposal it names '
                         "(theme, types or measures), correct it if needed, then delete the comment")


def _missing(meta, key: str) -> bool:
    """Absent or empty; a value of the wrong type was reported as bad-type when it was read."""
    return meta.get(key) in (None, "")


def _unknown_fields(meta, allowed: set[str], file: str, problems: Problems) -> None:
    for key in meta:
        if key not in allowed:
            problems.add(file, meta.line_of(key), "unknown-field", f"未知的元数据字段 “{key}”",
                         f'unknown front matter field "{key}"', "、".join(sorted(allowed)))


def _check_report(vocab: Vocabulary, report: Report, problems: Problems) -> None:
    meta, file = report.meta, report.file
    _unknown_fields(meta, set(REPORT_FIELDS) | REPORT_OPTIONAL, file, problems)
    for key, what in REPORT_FIELDS.items():
        if _missing(meta, key):
            problems.add(file, meta.line, "missing-field", f"报告缺少必填字段 {key}（{what[0]}）",
                         f"report lacks required field {key} ({what[1]})")
    if report.year is not None and not 1949 <= report.year <= 2100:
        problems.add(file, meta.line_of("year"), "bad-field", f"year “{meta.get('year')}” 不是有效年份",
                     f'year "{meta.get("year")}" is not a valid year', "例如 / e.g. 2021")
    if report.date and not DATE.match(report.date):
        problems.add(file, meta.line_of("date"), "bad-field", f"date “{report.date}” 格式不对", f'date "{report.date}" is malformed',
                     "YYYY-MM-DD、YYYY-MM 或 YYYY")
    check_not_a_file_name(problems, file, meta.line_of("source"), report.source)
    if report.unit and report.unit not in vocab.units and "units" not in vocab.broken:
        problems.add(file, meta.line_of("unit"), "unknown-unit", f"未知单位 “{report.unit}”：请先在 data/units.yml 中登记",
                     f'unknown unit "{report.unit}": register it in data/units.yml first', allowed_list(vocab.units))
    meeting = vocab.meetings.get(report.meeting)
    if report.meeting and meeting is None and "meetings" not in vocab.broken:
        problems.add(file, meta.line_of("meeting"), "unknown-meeting", f"未知会议 “{report.meeting}”",
                     f'unknown meeting "{report.meeting}"', allowed_list(vocab.meetings))
    _check_author(vocab, report, problems)
    meeting_year = meeting.year if meeting is not None else None
    if report.year is not None and meeting_year is not None and report.year != meeting_year:
        problems.add(file, meta.line_of("year"), "year-mismatch",
                     f"year {report.year} 与会议 {meeting.id} 的年度 {meeting_year}（data/meetings.yml）不一致",
                     f"year {report.year} differs from the year {meeting_year} of meeting {meeting.id} (data/meetings.yml)",
                     str(meeting_year))
    parts = meta.get("parts")
    for part_id in report.part_headings:
        if part_id not in vocab.parts and "parts" not in vocab.broken:
            problems.add(file, parts.line_of(part_id), "unknown-part", f"未知部分 “{part_id}”", f'unknown part "{part_id}"',
                         allowed_list(vocab.parts))
    markup.check_report(report, problems)
    if not report.sections:
        problems.add(file, None, "empty-report", "报告没有任何章节文件（NN-名称.md）",
                     "report has no section files (NN-name.md)")
    used_parts = {s.part for s in report.sections}
    for part_id in report.part_headings:
        if part_id in vocab.parts and part_id not in used_parts:
            problems.add(file, parts.line_of(part_id), "unused-part", f"parts 中的 “{part_id}” 没有任何章节使用",
                         f'part "{part_id}" in parts is used by no section')
    seen_parts: set[str] = set()
    for part_id, _ in report.part_runs():
        if part_id in seen_parts and part_id in vocab.parts:
            problems.add(file, None, "split-part", f"部分 “{part_id}” 的章节不连续：请调整文件序号，让同一部分的章节相邻",
                         f'the sections of part "{part_id}" are not consecutive: renumber the files so they stand together')
        seen_parts.add(part_id)
    item_ids: dict[str, Item] = {}  # first item of each id in the report
    for section in report.sections:
        _check_section(vocab, report, meeting, section, item_ids, problems)
    if "parts" not in vocab.broken and not report.unread_sections:  # else its links may name what was not read
        _check_measure_links(vocab, report, problems)


def _check_author(vocab: Vocabulary, report: Report, problems: Problems) -> None:
    """A 班子 (group) or one member (individual, with a role: never a name)."""
    meta, file = report.meta, report.file
    if report.author_kind not in AUTHOR_KINDS:
        problems.add(file, meta.line_of("author_kind"), "unknown-author-kind",
                     f"author_kind “{report.author_kind}” 不是作者类型：班子（或支委会）集体写的是 group，个人写的是 individual",
                     f'author_kind "{report.author_kind}" is not a kind of author: group for a 班子 as a whole, individual for one member',
                     "group、individual")
        return
    if report.author_kind == "individual":
        if not report.author_role:
            problems.add(file, meta.line_of("author_kind"), "missing-field",
                         "个人对照检查材料要写 author_role（作者的身份，不写姓名）",
                         "an individual report needs author_role (the author's role, never a name)", named_list(vocab.roles))
        elif report.author_role not in vocab.roles and "author_roles" not in vocab.broken:
            problems.add(file, meta.line_of("author_role"), "unknown-author-role",
                         f"author_role “{report.author_role}” 不在 data/author_roles.yml 中",
                         f'author_role "{report.author_role}" is not in data/author_roles.yml', named_list(vocab.roles))
    elif report.author_role:
        problems.add(file, meta.line_of("author_role"), "role-without-individual",
                     "只有个人对照检查材料（author_kind: individual）才写 author_role",
                     "only an individual report (author_kind: individual) has an author_role", "author_kind: individual")


def _check_section(vocab, report, meeting, section: Section, item_ids: dict, problems: Problems) -> None:
    meta, file = section.meta, section.file
    _unknown_fields(meta, SECTION_FIELDS | SECTION_OPTIONAL, file, problems)
    markup.check_section(section, problems)
    part = vocab.parts.get(section.part)
    if _missing(meta, "part"):
        problems.add(file, meta.line, "missing-field", "章节缺少必填字段 part（所属部分）", "section lacks required field part",
                     allowed_list(vocab.parts))
    elif part is None and section.part and "parts" not in vocab.broken:
        problems.add(file, meta.line_of("part"), "unknown-part", f"未知部分 “{section.part}”", f'unknown part "{section.part}"',
                     allowed_list(vocab.parts))
    free = meeting is not None and not meeting.themes  # no fixed theme set: the section names its aspects
    themed_part = part is not None and part.theme_required
    if section.aspects and not (free and themed_part):
        problems.add(file, meta.line_of("aspects"), "aspects-not-allowed",
                     "只有没有固定主题的会议（themes: []）的“存在的问题”章节才写 aspects；有主题的章节，方面来自主题（data/meetings.yml）",
                     "only problems sections of a meeting without themes (themes: []) list aspects; a themed section's aspects "
                     "come from its theme (data/meetings.yml)")
    elif free and themed_part and (section.heading is not None or section.aspects):
        check_aspects(section.aspects, None if "aspects" in vocab.broken else vocab.aspects, file, meta, problems)
    if themed_part and section.heading is not None and not free:
        if _missing(meta, "theme"):
            problems.add(file, meta.line, "missing-theme", f"“{part.name}”部分的章节必须注明主题 theme",
                         f'a section of part "{part.id}" must name its theme', _themes_allowed(vocab, meeting))
    if section.theme is not None:
        if part is not None and not part.theme_required:
            problems.add(file, meta.line_of("theme"), "theme-not-allowed", f"只有“存在的问题”类章节才标主题，“{part.name}”部分不标",
                         f'only problems sections carry a theme, not part "{part.id}"')
        elif meeting is not None and section.theme not in {t.id for t in meeting.themes}:
            problems.add(file, meta.line_of("theme"), "unknown-theme",
                         f"主题 “{section.theme}” 不属于会议 {meeting.id}（{meeting.name}）",
                         f'theme "{section.theme}" is not a theme of meeting {meeting.id}', _themes_allowed(vocab, meeting))
        elif meeting is None and section.theme not in vocab.themes and "meetings" not in vocab.broken:
            problems.add(file, meta.line_of("theme"), "unknown-theme", f"未知主题 “{section.theme}”",
                         f'unknown theme "{section.theme}"', allowed_list(vocab.themes))
    vocabulary_name = part.item_types if part is not None else None
    items = section.items
    if part is not None and vocabulary_name and section.heading is not None and not items:
        problems.add(file, section.heading_line, "no-items",
                     f"“{part.name}”部分的章节至少要有一个条目：在每条（一是…/1、…）段落的下一行加上 {{: #id types=\"…\" }}",
                     f'a section of part "{part.id}" needs at least one item: put {{: #id types="…" }} on the line after each numbered paragraph')
    if part is not None and items and not vocabulary_name:
        problems.add(file, items[0].line, "items-not-allowed", f"“{part.name}”部分不分条目，请删去条目标记",
                     f'part "{part.id}" has no items: remove the item markers')
        return
    vocabulary = vocab.types.get(vocabulary_name or "", {})
    for item in items:
        first = item_ids.get(item.id)
        if first is not None:
            here, there = f"{file}:{item.line}", f"{first.section.file}:{first.line}"
            problems.add(file, item.line, "duplicate-id",
                         f"条目 id “{item.id}” 在本报告中重复：{there} 与 {here}，同一报告内条目 id 必须唯一",
                         f'item id "{item.id}" is used twice in this report: {there} and {here}; item ids are unique per report')
        item_ids.setdefault(item.id, item)
        if not vocabulary_name:
            continue
        if not item.types:
            problems.add(file, item.line, "missing-types", f"条目 {item.id} 没有类型：请写 types=\"类型id …\"",
                         f'item {item.id} has no types: write types="type-id …"', allowed_list(vocabulary))
        for type_id in item.types:
            if type_id not in vocabulary and vocabulary_name not in vocab.broken:
                problems.add(file, item.line, "unknown-type",
                             f"条目 {item.id} 的类型 “{type_id}” 不在 data/{vocabulary_name}.yml 中",
                             f'item {item.id}: type "{type_id}" is not in data/{vocabulary_name}.yml', allowed_list(vocabulary))


def _check_measure_links(vocab: Vocabulary, report: Report, problems: Problems) -> None:
    """整改对账: a problem item's measures="…" names measure items (or measures sections without
    items) of the same report; no other item names any."""
    targets = measure_targets(report, vocab)
    allowed = allowed_list(targets) if targets else "本报告没有整改措施部分 / this report has no measures part"
    for section in report.sections:
        problem_part = vocab.type_vocabulary_of(section.part) == PROBLEMS
        for item in section.items:
            if item.measures and not problem_part:
                problems.add(section.file, item.line, "measures-not-allowed",
                             f"只有问题条目才写 measures（回应它的整改措施）；条目 {item.id} 不是问题条目，请删去 measures=\"…\"",
                             f'only problem items name the measures answering them; item {item.id} is not a problem item: '
                             'remove measures="…"')
                continue
            seen: set[str] = set()
            for measure_id in item.measures:
                if measure_id in seen:
                    problems.add(section.file, item.line, "duplicate-measure",
                                 f"条目 {item.id} 的 measures 中 “{measure_id}” 写了两次",
                                 f'item {item.id} names measure "{measure_id}" twice', allowed)
                elif measure_id not in targets:
                    problems.add(section.file, item.line, "unknown-measure",
                                 f"条目 {item.id} 的 measures 中 “{measure_id}” 不是本报告的整改措施：应写本报告措施条目的 id"
                                 "（如 m1-2），措施章节没有条目时写章节文件名（如 31-measures-1）",
                                 f'item {item.id}: measure "{measure_id}" is not a measure of this report: name a measure '
                                 "item of this report by its id (e.g. m1-2), or a measures section without items by its "
                                 "file stem (e.g. 31-measures-1)", allowed)
                seen.add(measure_id)


def _themes_allowed(vocab: Vocabulary, meeting) -> str:
    if meeting is None:
        return allowed_list(vocab.themes)
    if not meeting.themes:
        return (f"会议 {meeting.id} 没有固定主题：删去 theme，用 aspects 写出检视的方面 / meeting {meeting.id} has no fixed "
                f"themes: drop theme and list the aspects instead — {named_list(vocab.aspects)}")
    return "；".join(f"{t.id}（{t.short or t.name}）" for t in meeting.themes)
