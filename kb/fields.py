"""Typed reading of contributor fields (report and section front matter, vocabulary entries). YAML
gives whatever type the text spells (`title: {a: 1}` is a mapping, `year: "2021"` a string), so each
field is read with the type the model declares: a wrong type is one `bad-type` problem naming the
field, its line and the expected type, and the model gets an empty value instead of "{'a': 1}"."""

from __future__ import annotations

import datetime

from .errors import Problems
from .yamlio import LineDict

# Most specific first: bool is an int and datetime a date to Python, not to a contributor.
_TYPE_NAMES = [(bool, "布尔值 true/false", "a boolean"), (int, "整数", "an integer"), (float, "小数", "a number"),
               (str, "字符串", "a string"), (list, "列表", "a list"), (dict, "映射", "a mapping"),
               (datetime.datetime, "日期时间", "a date and time"), (datetime.date, "日期", "a date"),
               (type(None), "空值", "empty")]


def _type_name(value) -> tuple[str, str]:
    for kind, zh, en in _TYPE_NAMES:
        if isinstance(value, kind):
            return zh, en
    return type(value).__name__, type(value).__name__


def _absent(value) -> bool:
    """An empty field is a missing one (reported as `missing-field` where it is required)."""
    return value is None or value == ""


class Fields:
    """The fields of one mapping (front matter or vocabulary entry) and where it stands."""

    def __init__(self, meta: LineDict, file, problems: Problems):
        self.meta, self.file, self.problems = meta, file, problems
        self.bad: set[str] = set()  # keys reported as bad-type: checks of their value would only repeat it

    def bad_type(self, key: str, zh: str, en: str, example: str, value, line: int | None = None) -> None:
        got_zh, got_en = _type_name(value)
        self.bad.add(key)
        self.problems.add(self.file, line or self.meta.line_of(key), "bad-type",
                          f"字段 {key} 应是{zh}，这里写成了{got_zh}", f"field {key} must be {en}, not {got_en}", example)

    def _length(self, key: str, value: str, max_chars: int | None, line: int | None = None) -> None:
        if max_chars is not None and len(value) > max_chars:
            self.problems.add(self.file, line or self.meta.line_of(key), "field-too-long",
                              f"字段 {key} 有 {len(value)} 个字符，超过上限 {max_chars}",
                              f"field {key} has {len(value)} characters, over the limit of {max_chars}",
                              f"≤ {max_chars} 个字符 / characters")

    def text(self, key: str, max_chars: int | None = None) -> str:
        """A string field; "" when absent or of another type."""
        value = self.meta.get(key)
        if _absent(value):
            return ""
        if not isinstance(value, str):
            self.bad_type(key, "字符串", "a string", f'{key}: "……"（有引号也可以 / quotes are fine）', value)
            return ""
        self._length(key, value, max_chars)
        return value

    def integer(self, key: str) -> int | None:
        value = self.meta.get(key)
        if _absent(value):
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            self.bad_type(key, "整数（不加引号）", "an integer (without quotes)", f"{key}: 2021", value)
            return None
        return value

    def boolean(self, key: str) -> bool | None:
        value = self.meta.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.bad_type(key, "布尔值 true/false（不加引号）", "a boolean true/false (without quotes)", f"{key}: true", value)
            return None
        return value

    def date(self, key: str) -> str:
        """A date as written: "2022-01-10", "2022-01" or "2022". YAML reads an unquoted 2022-01-10 as a
        date and 2022 as an integer; both are taken as the text they were written as."""
        value = self.meta.get(key)
        if isinstance(value, (datetime.date, int)) and not isinstance(value, bool):
            return str(value)
        return self.text(key, max_chars=None)

    def strings(self, key: str, single: bool = False) -> list[str]:
        """A list of strings ([] when absent); with `single`, one string stands for a list of one."""
        value = self.meta.get(key)
        if value is None:
            return []
        if single and isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            wrong = next((v for v in value if not isinstance(v, str)), value) if isinstance(value, list) else value
            self.bad_type(key, "字符串列表", "a list of strings", f"{key}: [……, ……]", wrong)
            return []
        return value

    def headings(self, key: str, max_chars: int | None = None) -> dict[str, str]:
        """A mapping of ids to text, e.g. parts: {problems: 一、存在的主要问题}; {} when absent."""
        value = self.meta.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.bad_type(key, "“id: 文字”的映射", "a mapping of id: text", f"{key}:\n  problems: 一、存在的主要问题", value)
            return {}
        out = {}
        for sub_key, text in value.items():
            line = value.line_of(sub_key) if isinstance(value, LineDict) else None
            name = f"{key}.{sub_key}"
            if not isinstance(text, str):
                self.bad_type(name, "字符串", "a string", f"{sub_key}: 一、存在的主要问题", text, line)
                continue
            self._length(name, text, max_chars, line)
            out[str(sub_key)] = text
        return out
