"""The controlled vocabularies in data/: meetings and themes, units, parts, and the item types of
problems, causes and measures. Unknown values elsewhere are errors, never new terms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problems
from .structure import read_text
from .yamlio import LineDict, YamlSyntaxError, load_yaml

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TYPE_VOCABULARIES = ("problem_types", "cause_types", "measure_types")


@dataclass
class Term:
    id: str
    name: str
    file: str
    line: int
    short: str = ""
    description: str = ""
    phrasings: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.short or self.name


@dataclass
class Theme(Term):
    meeting: str = ""
    number: int = 0  # 1-based position in the meeting's official order


@dataclass
class Meeting(Term):
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
    types: dict[str, dict[str, Term]]  # vocabulary name ("problem_types", ...) -> id -> term

    def type_vocabulary_of(self, part_id: str) -> str | None:
        part = self.parts.get(part_id)
        return part.item_types if part else None


VOCABULARY_FILES = {
    "meetings": "meetings.yml",
    "parts": "parts.yml",
    "units": "units.yml",
    "problem_types": "problem_types.yml",
    "cause_types": "cause_types.yml",
    "measure_types": "measure_types.yml",
}


def _read(path: Path, problems: Problems):
    if not path.exists():
        problems.add(path, None, "missing-vocabulary", f"缺少词表文件 {path.name}",
                     f"vocabulary file {path.name} is missing")
        return None
    text = read_text(path, problems)
    if text is None:
        return None
    try:
        data = load_yaml(text)
    except YamlSyntaxError as exc:
        problems.add(path, exc.line, "yaml-syntax", f"YAML 语法错误：{exc.message}", f"YAML syntax error: {exc.message}")
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


def _entries(data, key: str, path: Path, problems: Problems) -> list[LineDict]:
    if not isinstance(data, LineDict) or not isinstance(data.get(key), list):
        problems.add(path, getattr(data, "line", None), "vocabulary-shape",
                     f"词表应在顶层键 {key}: 下给出条目列表", f"vocabulary must list its entries under the top-level key {key}:")
        return []
    entries = []
    for entry in data[key]:
        if not isinstance(entry, LineDict):
            problems.add(path, None, "vocabulary-shape", f"{key} 的每个条目都应是映射（id/name …）",
                         f"each entry of {key} must be a mapping (id/name …)")
            continue
        entries.append(entry)
    return entries


def _term(cls, entry: LineDict, path: Path, problems: Problems, seen: dict, what: str, required=("id", "name"), **extra):
    for key in required:
        if not isinstance(entry.get(key), str) or not entry.get(key).strip():
            problems.add(path, entry.line, "missing-field", f"{what}条目缺少字段 {key}", f"{what} entry lacks field {key}")
            return None
    term_id = entry["id"]
    if not ID_PATTERN.match(term_id):
        problems.add(path, entry.line_of("id"), "bad-id", f"id “{term_id}”只能用小写英文字母、数字和连字符",
                     f'id "{term_id}" may only hold lowercase ASCII letters, digits and hyphens', "例如 / e.g. theory-study-shallow")
        return None
    if term_id in seen:
        problems.add(path, entry.line_of("id"), "duplicate-id", f"id “{term_id}”重复（第一次出现在第 {seen[term_id].line} 行）",
                     f'duplicate id "{term_id}" (first at line {seen[term_id].line})')
        return None
    phrasings = entry.get("phrasings") or []
    if not isinstance(phrasings, list) or not all(isinstance(p, str) for p in phrasings):
        problems.add(path, entry.line_of("phrasings"), "bad-field", "phrasings 应是字符串列表", "phrasings must be a list of strings")
        phrasings = []
    term = cls(id=term_id, name=entry["name"].strip(), file=problems.relative(path), line=entry.line,
               short=str(entry.get("short") or ""), description=str(entry.get("description") or ""),
               phrasings=phrasings, **extra)
    seen[term_id] = term
    return term


def load_vocabulary(data_dir: Path, problems: Problems) -> Vocabulary:
    data_dir = Path(data_dir)
    raw = {name: _read(data_dir / file, problems) for name, file in VOCABULARY_FILES.items()}

    meetings: dict[str, Meeting] = {}
    themes: dict[str, Theme] = {}
    path = data_dir / VOCABULARY_FILES["meetings"]
    for entry in _entries(raw["meetings"], "meetings", path, problems) if raw["meetings"] is not None else []:
        meeting = _term(Meeting, entry, path, problems, meetings, "会议 meeting ",
                        extra={"year": entry.get("year"), "kind": entry.get("kind")})
        if meeting is None:
            continue
        theme_entries = entry.get("themes")
        if not isinstance(theme_entries, list) or not theme_entries:
            problems.add(path, entry.line, "missing-field", f"会议 {meeting.id} 缺少主题列表 themes",
                         f"meeting {meeting.id} lacks its list of themes")
            continue
        for number, theme_entry in enumerate(theme_entries, 1):
            if not isinstance(theme_entry, LineDict):
                problems.add(path, entry.line, "vocabulary-shape", "每个主题都应是映射（id/name/short）",
                             "each theme must be a mapping (id/name/short)")
                continue
            theme = _term(Theme, theme_entry, path, problems, themes, "主题 theme ", meeting=meeting.id, number=number)
            if theme is not None:
                meeting.themes.append(theme)

    parts: dict[str, Part] = {}
    path = data_dir / VOCABULARY_FILES["parts"]
    for entry in _entries(raw["parts"], "parts", path, problems) if raw["parts"] is not None else []:
        item_types = entry.get("item_types")
        if item_types is not None and item_types not in TYPE_VOCABULARIES:
            problems.add(path, entry.line_of("item_types"), "bad-field", f"item_types “{item_types}”不是类型词表",
                         f'item_types "{item_types}" is not a type vocabulary', "、".join(TYPE_VOCABULARIES))
            item_types = None
        _term(Part, entry, path, problems, parts, "部分 part ", item_types=item_types,
              theme_required=bool(entry.get("theme_required")), headings=list(entry.get("headings") or []))

    unit_kinds: dict[str, Term] = {}
    levels: dict[str, Term] = {}
    units: dict[str, Unit] = {}
    path = data_dir / VOCABULARY_FILES["units"]
    if raw["units"] is not None:
        for entry in _entries(raw["units"], "kinds", path, problems):
            _term(Term, entry, path, problems, unit_kinds, "单位类型 unit kind ")
        for entry in _entries(raw["units"], "levels", path, problems):
            _term(Term, entry, path, problems, levels, "行政层级 level ")
        for entry in _entries(raw["units"], "units", path, problems):
            unit = _term(Unit, entry, path, problems, units, "单位 unit ", kind=str(entry.get("kind") or ""),
                         level=str(entry.get("level") or ""), region=str(entry.get("region") or ""))
            if unit is None:
                continue
            if unit.kind not in unit_kinds:
                problems.add(path, entry.line_of("kind"), "unknown-unit-kind", f"单位 {unit.id} 的类型 kind “{unit.kind}”未定义",
                             f'unit {unit.id}: unknown kind "{unit.kind}"', "、".join(unit_kinds))
            if unit.level not in levels:
                problems.add(path, entry.line_of("level"), "unknown-level", f"单位 {unit.id} 的层级 level “{unit.level}”未定义",
                             f'unit {unit.id}: unknown level "{unit.level}"', "、".join(levels))

    types: dict[str, dict[str, Term]] = {}
    for name in TYPE_VOCABULARIES:
        path = data_dir / VOCABULARY_FILES[name]
        types[name] = {}
        if raw[name] is None:
            continue
        for entry in _entries(raw[name], name, path, problems):
            _term(Term, entry, path, problems, types[name], "类型 type ")

    return Vocabulary(meetings=meetings, themes=themes, parts=parts, unit_kinds=unit_kinds, levels=levels,
                      units=units, types=types)
