"""The controlled vocabularies in data/: meetings and themes, the aspects themes examine, units, parts,
the roles of individual authors, and the item types of problems, causes and measures. Unknown values
elsewhere are errors, never new terms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problems, allowed_list
from .fields import Fields
from .limits import MAX_DATA_BYTES, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_SOURCE_CHARS, read_text
from .sources import check_not_a_file_name
from .yamlio import LineDict, YamlAliasError, YamlSyntaxError, load_yaml

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TYPE_VOCABULARIES = ("problem_types", "cause_types", "measure_types")
MEETING_KINDS = ("民主生活会", "组织生活会")
SOURCE_FIELDS = ("publication", "url", "date")  # a meeting's source: where its theme wording was found


@dataclass
class Term:
    id: str
    name: str
    file: str
    line: int
    short: str = ""
    description: str = ""
    phrasings: list[str] = field(default_factory=list)
    # Problem types only: the measure types that typically answer such a problem (kb import's proposals).
    answered_by: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.short or self.name


@dataclass
class Theme(Term):
    meeting: str = ""
    number: int = 0  # 1-based position in the meeting's official order
    aspects: list[str] = field(default_factory=list)  # ids in data/aspects.yml


@dataclass
class Meeting(Term):
    kind: str = ""  # one of MEETING_KINDS
    year: int | None = None
    topic: str = ""  # the meeting's overall subject as announced
    source: dict = field(default_factory=dict)  # publication, url, date: where the theme wording was found
    confirmed: bool = False  # the theme set was read in that source as written
    note: str = ""
    # Official order. Empty: no fixed theme set; problems sections then name their aspects themselves.
    themes: list[Theme] = field(default_factory=list)


@dataclass
class Part(Term):
    item_types: str | None = None
    theme_required: bool = False
    headings: list[str] = field(default_factory=list)


@dataclass
class Unit(Term):
    kind: str = ""
    level: str = ""
    region: str = ""


@dataclass
class Vocabulary:
    meetings: dict[str, Meeting]
    themes: dict[str, Theme]
    parts: dict[str, Part]
    unit_kinds: dict[str, Term]
    levels: dict[str, Term]
    units: dict[str, Unit]
    aspects: dict[str, Term]
    roles: dict[str, Term]  # roles of the author of an individual report
    types: dict[str, dict[str, Term]]  # vocabulary name ("problem_types", ...) -> id -> term
    # Stock formulae of party documents, by group (phrasings hold the phrases): 查重 ignores them.
    stock_phrases: dict[str, Term] = field(default_factory=dict)
    # Vocabularies whose file could not be read (already reported once, naming the file): values are
    # not checked against them, or every report would repeat the same error.
    broken: set[str] = field(default_factory=set)

    def type_vocabulary_of(self, part_id: str) -> str | None:
        part = self.parts.get(part_id)
        return part.item_types if part else None


VOCABULARY_FILES = {
    "meetings": "meetings.yml",
    "parts": "parts.yml",
    "units": "units.yml",
    "aspects": "aspects.yml",
    "author_roles": "author_roles.yml",
    "problem_types": "problem_types.yml",
    "cause_types": "cause_types.yml",
    "measure_types": "measure_types.yml",
    "stock_phrases": "stock_phrases.yml",
}
# The top-level keys each file lists its entries under.
TOP_KEYS = {"units": ("kinds", "levels", "units"), "author_roles": ("roles",)}


def _read(name: str, path: Path, problems: Problems) -> LineDict | None:
    """The file's top-level mapping, each of its top-level keys holding a non-empty list; None
    (after one problem naming the file) when the vocabulary cannot be used at all."""
    if not path.exists():
        problems.add(path, None, "missing-vocabulary", f"缺少词表文件 {path.name}",
                     f"vocabulary file {path.name} is missing")
        return None
    text = read_text(path, problems, MAX_DATA_BYTES)
    if text is None:
        return None
    try:
        data = load_yaml(text)
    except YamlAliasError as exc:
        problems.add(path, exc.line, exc.code, exc.zh, exc.en, exc.allowed)
        return None
    except YamlSyntaxError as exc:
        problems.add(path, exc.line, exc.code, f"YAML 语法错误：{exc.message}", f"YAML syntax error: {exc.message}")
        return None
    keys = TOP_KEYS.get(name, (name,))
    wanted = "、".join(f"{key}:" for key in keys)
    if not isinstance(data, LineDict):
        problems.add(path, getattr(data, "line", None), "vocabulary-shape",
                     f"词表文件 {path.name} 是空的或不是映射：应在顶层键 {wanted} 下列出条目",
                     f"vocabulary file {path.name} is empty or not a mapping: it must list its entries under {wanted}",
                     f"{keys[0]}:\n  - id: …\n    name: …")
        return None
    bad = [key for key in keys if not isinstance(data.get(key), list) or not data[key]]
    if bad:
        listed = "、".join(f"{key}:" for key in bad)
        problems.add(path, data.line_of(bad[0]), "vocabulary-shape",
                     f"词表文件 {path.name} 应在顶层键 {listed} 下给出条目列表（不能为空）",
                     f"vocabulary file {path.name} must list its entries under the top-level key(s) {listed} (not empty)",
                     f"{bad[0]}:\n  - id: …\n    name: …")
        return None
    _report_duplicate_keys(data, path, problems)
    return data


def _report_duplicate_keys(value, path: Path, problems: Problems) -> None:
    """YAML keeps the last of two equal keys silently; in a vocabulary that loses a definition."""
    if isinstance(value, LineDict):
        for key, line in value.duplicate_keys:
            problems.add(path, line, "duplicate-key", f"字段 {key} 在同一条目中出现了两次",
                         f"key {key} appears twice in the same entry")
        for child in value.values():
            _report_duplicate_keys(child, path, problems)
    elif isinstance(value, list):
        for child in value:
            _report_duplicate_keys(child, path, problems)


def _entries(data: LineDict | None, key: str, path: Path, problems: Problems) -> list[Fields]:
    """The entries under a top-level key, each to be read field by field; none when the file is broken."""
    if data is None:
        return []
    entries = []
    for entry in data[key]:
        if not isinstance(entry, LineDict):
            problems.add(path, data.line_of(key), "vocabulary-shape", f"{key} 的每个条目都应是映射（id/name …）",
                         f"each entry of {key} must be a mapping (id/name …)")
            continue
        entries.append(Fields(entry, problems.relative(path), problems))
    return entries


def _term(cls, fields: Fields, seen: dict, what: str, **extra):
    entry, problems = fields.meta, fields.problems
    for key in ("id", "name"):
        value = fields.text(key, MAX_NAME_CHARS)
        if not value.strip():
            if entry.get(key) is None or isinstance(entry.get(key), str):  # a wrong type is reported already
                problems.add(fields.file, entry.line, "missing-field", f"{what}条目缺少字段 {key}", f"{what} entry lacks field {key}")
            return None
    term_id = entry["id"]
    if not ID_PATTERN.match(term_id):
        problems.add(fields.file, entry.line_of("id"), "bad-id", f"id “{term_id}”只能用小写英文字母、数字和连字符",
                     f'id "{term_id}" may only hold lowercase ASCII letters, digits and hyphens', "例如 / e.g. theory-study-shallow")
        return None
    if term_id in seen:
        problems.add(fields.file, entry.line_of("id"), "duplicate-id", f"id “{term_id}”重复（第一次出现在第 {seen[term_id].line} 行）",
                     f'duplicate id "{term_id}" (first at line {seen[term_id].line})')
        return None
    term = cls(id=term_id, name=entry["name"].strip(), file=fields.file, line=entry.line,
               short=fields.text("short", MAX_NAME_CHARS), description=fields.text("description", MAX_DESCRIPTION_CHARS),
               phrasings=fields.strings("phrasings"), **extra)
    seen[term_id] = term
    return term


def load_vocabulary(data_dir: Path, problems: Problems) -> Vocabulary:
    data_dir = Path(data_dir)
    paths = {name: data_dir / file for name, file in VOCABULARY_FILES.items()}
    raw = {name: _read(name, path, problems) for name, path in paths.items()}

    aspects: dict[str, Term] = {}
    for fields in _entries(raw["aspects"], "aspects", paths["aspects"], problems):
        _term(Term, fields, aspects, "方面 aspect ")
    roles: dict[str, Term] = {}
    for fields in _entries(raw["author_roles"], "roles", paths["author_roles"], problems):
        _term(Term, fields, roles, "身份 role ")

    meetings: dict[str, Meeting] = {}
    themes: dict[str, Theme] = {}
    for fields in _entries(raw["meetings"], "meetings", paths["meetings"], problems):
        meeting = _meeting(fields, meetings, problems)
        if meeting is None:
            continue
        for number, theme_fields in enumerate(_theme_entries(fields, meeting, problems), 1):
            theme = _term(Theme, theme_fields, themes, "主题 theme ", meeting=meeting.id, number=number,
                          aspects=aspects_of(theme_fields, aspects, check_known=raw["aspects"] is not None))
            if theme is not None:
                meeting.themes.append(theme)

    parts: dict[str, Part] = {}
    for fields in _entries(raw["parts"], "parts", paths["parts"], problems):
        entry = fields.meta
        item_types = entry.get("item_types")
        if item_types is not None and item_types not in TYPE_VOCABULARIES:
            problems.add(fields.file, entry.line_of("item_types"), "bad-field", f"item_types “{item_types}”不是类型词表",
                         f'item_types "{item_types}" is not a type vocabulary', "、".join(TYPE_VOCABULARIES))
            item_types = None
        _term(Part, fields, parts, "部分 part ", item_types=item_types,
              theme_required=bool(entry.get("theme_required")), headings=fields.strings("headings"))

    unit_kinds: dict[str, Term] = {}
    levels: dict[str, Term] = {}
    units: dict[str, Unit] = {}
    for fields in _entries(raw["units"], "kinds", paths["units"], problems):
        _term(Term, fields, unit_kinds, "单位类型 unit kind ")
    for fields in _entries(raw["units"], "levels", paths["units"], problems):
        _term(Term, fields, levels, "行政层级 level ")
    for fields in _entries(raw["units"], "units", paths["units"], problems):
        entry = fields.meta
        unit = _term(Unit, fields, units, "单位 unit ", kind=fields.text("kind"), level=fields.text("level"),
                     region=fields.text("region", MAX_NAME_CHARS))
        if unit is None:
            continue
        if unit.kind not in unit_kinds and "kind" not in fields.bad:
            problems.add(fields.file, entry.line_of("kind"), "unknown-unit-kind", f"单位 {unit.id} 的类型 kind “{unit.kind}”未定义",
                         f'unit {unit.id}: unknown kind "{unit.kind}"', "、".join(unit_kinds))
        if unit.level not in levels and "level" not in fields.bad:
            problems.add(fields.file, entry.line_of("level"), "unknown-level", f"单位 {unit.id} 的层级 level “{unit.level}”未定义",
                         f'unit {unit.id}: unknown level "{unit.level}"', "、".join(levels))

    types: dict[str, dict[str, Term]] = {}
    answered_by_lines: dict[str, tuple[Fields, int]] = {}
    for name in TYPE_VOCABULARIES:
        types[name] = {}
        for fields in _entries(raw[name], name, paths[name], problems):
            term = _term(Term, fields, types[name], "类型 type ")
            if term is not None and name == "problem_types":
                term.answered_by = fields.strings("answered_by")
                answered_by_lines[term.id] = (fields, fields.meta.line_of("answered_by"))
    if raw["measure_types"] is not None:
        measures = types["measure_types"]
        for type_id, (fields, line) in answered_by_lines.items():
            for measure_type in types["problem_types"][type_id].answered_by:
                if measure_type not in measures:
                    problems.add(fields.file, line, "unknown-type",
                                 f"问题类型 {type_id} 的 answered_by 中 “{measure_type}” 不在 data/measure_types.yml 中",
                                 f'problem type {type_id}: answered_by "{measure_type}" is not in data/measure_types.yml',
                                 allowed_list(measures))

    stock_phrases: dict[str, Term] = {}
    for fields in _entries(raw["stock_phrases"], "stock_phrases", paths["stock_phrases"], problems):
        _term(Term, fields, stock_phrases, "套话 stock phrase ")

    return Vocabulary(meetings=meetings, themes=themes, parts=parts, unit_kinds=unit_kinds, levels=levels,
                      units=units, aspects=aspects, roles=roles, types=types, stock_phrases=stock_phrases,
                      broken={name for name, data in raw.items() if data is None})


def _meeting(fields: Fields, meetings: dict, problems: Problems) -> Meeting | None:
    entry = fields.meta
    meeting = _term(Meeting, fields, meetings, "会议 meeting ", kind=fields.text("kind"), year=fields.integer("year"),
                    topic=fields.text("topic", MAX_DESCRIPTION_CHARS), source=_source(fields),
                    confirmed=bool(fields.boolean("confirmed")), note=fields.text("note", MAX_DESCRIPTION_CHARS))
    if meeting is None:
        return None
    if meeting.kind not in MEETING_KINDS and "kind" not in fields.bad:
        problems.add(fields.file, entry.line_of("kind"), "unknown-meeting-kind",
                     f"会议 {meeting.id} 的类型 kind “{meeting.kind}”不是会议类型",
                     f'meeting {meeting.id}: kind "{meeting.kind}" is not a kind of meeting', "、".join(MEETING_KINDS))
    if meeting.year is None and "year" not in fields.bad:
        problems.add(fields.file, entry.line, "missing-field", f"会议 {meeting.id} 缺少年度 year",
                     f"meeting {meeting.id} lacks its year", "year: 2024")
    if not meeting.source.get("publication") and "source" not in fields.bad:
        problems.add(fields.file, entry.line_of("source"), "missing-field",
                     f"会议 {meeting.id} 缺少出处 source.publication：主题表述从哪里查到（会议通知、新闻报道）",
                     f"meeting {meeting.id} lacks source.publication: where its theme wording was found",
                     "source: {publication: ……, url: https://……, date: \"2025-02-25\"}")
    check_not_a_file_name(problems, fields.file, entry.line_of("source"), meeting.source.get("publication", ""))
    return meeting


def _source(fields: Fields) -> dict:
    """A meeting's source: a mapping of publication, url and date, each a string."""
    value = fields.meta.get("source")
    if value is None:
        return {}
    if not isinstance(value, LineDict):
        fields.bad_type("source", "映射（publication、url、date）", "a mapping (publication, url, date)",
                        "source:\n  publication: ……\n  url: https://……\n  date: \"2025-02-25\"", value)
        return {}
    sub = Fields(value, fields.file, fields.problems)
    for key in value:
        if key not in SOURCE_FIELDS:
            fields.problems.add(fields.file, value.line_of(key), "unknown-field", f"source 中的未知字段 “{key}”",
                                f'unknown field "{key}" in source', "、".join(SOURCE_FIELDS))
    return {"publication": sub.text("publication", MAX_SOURCE_CHARS), "url": sub.text("url", MAX_SOURCE_CHARS),
            "date": sub.date("date")}


def _theme_entries(fields: Fields, meeting: Meeting, problems: Problems) -> list[Fields]:
    entry = fields.meta
    theme_entries = entry.get("themes")
    if not isinstance(theme_entries, list):
        problems.add(fields.file, entry.line_of("themes"), "missing-field",
                     f"会议 {meeting.id} 缺少主题列表 themes（没有固定主题的会议写 themes: []）",
                     f"meeting {meeting.id} lacks its list of themes (a meeting without a fixed theme set says themes: [])")
        return []
    out = []
    for theme_entry in theme_entries:
        if not isinstance(theme_entry, LineDict):
            problems.add(fields.file, entry.line_of("themes"), "vocabulary-shape", "每个主题都应是映射（id/name/short/aspects）",
                         "each theme must be a mapping (id/name/short/aspects)")
            continue
        out.append(Fields(theme_entry, fields.file, problems))
    return out


def aspects_of(fields: Fields, aspects: dict[str, Term], check_known: bool = True) -> list[str]:
    """The aspect ids a theme lists: at least one, each in data/aspects.yml (checked only when that
    file could be read)."""
    ids = fields.strings("aspects", single=True)
    if "aspects" not in fields.bad:
        check_aspects(ids, aspects if check_known else None, fields.file, fields.meta, fields.problems)
    return ids


def check_aspects(ids: list[str], aspects: dict[str, Term] | None, file: str, meta: LineDict, problems: Problems) -> None:
    """A theme's or a section's aspects: at least one, each known (when `aspects` is given)."""
    if not ids:
        problems.add(file, meta.line, "missing-aspects",
                     "缺少 aspects：写出它检视的方面（data/aspects.yml 中的 id，可写多个）",
                     "aspects missing: list the aspects it examines (ids from data/aspects.yml, one or more)",
                     named_list(aspects or {}))
    for aspect in ids:
        if aspects is not None and aspect not in aspects:
            problems.add(file, meta.line_of("aspects"), "unknown-aspect",
                         f"方面 “{aspect}” 不在 data/aspects.yml 中", f'aspect "{aspect}" is not in data/aspects.yml',
                         named_list(aspects))


def named_list(terms: dict[str, Term]) -> str:
    """Allowed ids with their names, for messages and help texts: theory-study（理论学习）、…"""
    return allowed_list(f"{term.id}（{term.name}）" for term in terms.values())
