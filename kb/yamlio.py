"""YAML and front matter reading that keeps line numbers, so every error can point at its line."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

import yaml

try:  # libyaml's parser is ~10x faster; at 1,000 reports every file's front matter is read once
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _BaseLoader = yaml.SafeLoader


class LineDict(dict):
    """A mapping that remembers where it and each of its keys stand in the source (1-based). Slots, not
    an attribute dict: every report and section file's front matter is one, kept for the whole build.
    key_lines: each key's line, in the mapping's key order (a tuple, not a second dict per mapping:
    front matter holds a few keys, and line numbers are asked for rarely, mostly for messages)."""

    __slots__ = ("line", "key_lines", "duplicate_keys")

    def line_of(self, key: str) -> int:
        for known, line in zip(self, self.key_lines):
            if known == key:
                return line
        return self.line


class _LineLoader(_BaseLoader):
    pass


# Keys and short values (ids: part, theme, unit, meeting) are interned: the same few strings stand in
# 17,000 front matters at 1,000 reports, one copy each instead of one per file.
_SHARED_VALUE_CHARS = 64


def _construct_mapping(loader, node, deep=False):
    pairs = []
    key_lines: dict = {}
    duplicates = []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        value = loader.construct_object(value_node, deep=True)
        if isinstance(key, (list, dict)):
            key = str(key)
        if isinstance(key, str):
            key = sys.intern(key)
        if isinstance(value, str) and len(value) <= _SHARED_VALUE_CHARS:
            value = sys.intern(value)
        if key in key_lines:
            duplicates.append((key, key_node.start_mark.line + 1))
        key_lines[key] = key_node.start_mark.line + 1  # a repeated key: its last line, as its value is the last
        pairs.append((key, value))
    mapping = LineDict(pairs)
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = tuple(key_lines.values())  # same order as the mapping's keys
    mapping.duplicate_keys = duplicates or ()  # nearly always none: not an empty list per mapping
    return mapping


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


class YamlSyntaxError(Exception):
    code = "yaml-syntax"

    def __init__(self, line: int | None, message: str):
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}")


class YamlAliasError(YamlSyntaxError):
    """Anchors (&a) and aliases (*a) are refused in contributor files: nine nested aliases expand
    to 9^9 values (an "alias bomb"), and no report or vocabulary needs them."""

    code = "yaml-alias"
    zh = "不允许使用 YAML 锚点（&名称）和别名（*名称）：请把值直接写出来"
    en = "YAML anchors (&name) and aliases (*name) are not allowed: write each value out"
    allowed = "键: 值（不带 & 或 *）/ key: value (no & or *)"

    def __init__(self, line: int):
        super().__init__(line, self.en)


def _refuse_anchors(text: str, first_line: int) -> None:
    """Parser events only (nothing is constructed, so nothing expands); skipped for the usual text
    without '&' or '*'."""
    if "&" not in text and "*" not in text:
        return
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlAliasError(event.start_mark.line + first_line)


class _TooDeep(YamlSyntaxError):
    """Values nested past Python's recursion limit (a few hundred levels; real files use five)."""

    def __init__(self):
        super().__init__(None, "values are nested too deeply")


def load_yaml(text: str, first_line: int = 1):
    """Parse YAML; mappings come back as LineDict. `first_line` is the file line of text's line 1."""
    try:
        _refuse_anchors(text, first_line)
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark is not None else None
        raise YamlSyntaxError(line, f"{exc.context or ''} {exc.problem or ''}".strip()) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(None, str(exc)) from None
    except RecursionError:  # mappings are constructed recursively
        raise _TooDeep() from None
    if first_line != 1:
        try:
            _shift_lines(data, first_line - 1)
        except RecursionError:  # a top-level sequence is constructed without recursion, and may go deeper
            raise _TooDeep() from None
    return data


def _shift_lines(value, offset: int) -> None:
    if isinstance(value, LineDict):
        value.line += offset
        value.key_lines = tuple(line + offset for line in value.key_lines)
        if value.duplicate_keys:
            value.duplicate_keys = [(k, v + offset) for k, v in value.duplicate_keys]
        for child in value.values():
            _shift_lines(child, offset)
    elif isinstance(value, list):
        for child in value:
            _shift_lines(child, offset)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


@dataclass
class Document:
    meta: LineDict
    body: str
    body_line: int  # file line where body starts (1-based)


class FrontMatterError(Exception):
    def __init__(self, line: int | None, zh: str, en: str, code: str = "front-matter", allowed: str = ""):
        self.line, self.zh, self.en, self.code, self.allowed = line, zh, en, code, allowed
        super().__init__(en)


def read_document(text: str) -> Document:
    """Split a Markdown file into its front matter (parsed) and body."""
    if text.startswith("\ufeff"):
        text = text[1:]
    match = _FRONT_MATTER.match(text)
    if not match:
        if text.startswith("---"):
            raise FrontMatterError(1, "元数据（front matter）没有以单独一行的 --- 结束",
                                   "front matter is not closed by a line holding only ---")
        raise FrontMatterError(1, "文件缺少元数据（front matter）：第一行应为 ---",
                               "file has no front matter: its first line must be ---")
    try:
        meta = load_yaml(match.group(1) or "", first_line=2)
    except YamlAliasError as exc:
        raise FrontMatterError(exc.line, exc.zh, exc.en, exc.code, exc.allowed) from None
    except YamlSyntaxError as exc:
        raise FrontMatterError(exc.line, f"元数据不是合法的 YAML：{exc.message}",
                               f"front matter is not valid YAML: {exc.message}") from None
    if meta is None:
        meta = LineDict()
        meta.line, meta.key_lines, meta.duplicate_keys = 2, {}, []
    if not isinstance(meta, LineDict):
        raise FrontMatterError(2, "元数据必须是“键: 值”形式的映射", "front matter must be a mapping of key: value")
    body_line = text.count("\n", 0, match.end()) + 1
    return Document(meta=meta, body=text[match.end():], body_line=body_line)
