"""Registering a new unit: its entry is appended as text to data/units.yml, so every existing
comment and the file's formatting survive."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..errors import allowed_list
from ..vocab import ID_PATTERN, Unit, Vocabulary
from .errors import fail

_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9][^:#]*$")


def yaml_scalar(value: object) -> str:
    """A YAML scalar that reads back as exactly this string (or int)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    if text and _PLAIN.match(text) and text.strip() == text and text.lower() not in {"true", "false", "yes", "no", "null", "on", "off", "~"}:
        return text
    return json.dumps(text, ensure_ascii=False)


@dataclass
class NewUnit:
    id: str
    name: str
    kind: str
    level: str
    region: str = ""
    short: str = ""

    def check(self, vocab: Vocabulary, file: str) -> None:
        if not ID_PATTERN.match(self.id):
            raise fail(file, None, "bad-id", f"新单位 id “{self.id}” 只能用小写英文字母、数字和连字符",
                       f'new unit id "{self.id}" may only hold lowercase ASCII letters, digits and hyphens', "例如 / e.g. xx-city-finance-bureau")
        if self.id in vocab.units:
            raise fail(file, vocab.units[self.id].line, "duplicate-id", f"单位 “{self.id}” 已经在 data/units.yml 中：去掉 --new-unit-* 选项即可",
                       f'unit "{self.id}" is already in data/units.yml: drop the --new-unit-* options')
        if not self.name.strip():
            raise fail(file, None, "missing-field", "新单位需要 --new-unit-name（单位全称）", "a new unit needs --new-unit-name (its full name)")
        if self.kind not in vocab.unit_kinds:
            raise fail(file, None, "unknown-unit-kind", f"未知单位类型 “{self.kind}”", f'unknown unit kind "{self.kind}"',
                       allowed_list(vocab.unit_kinds))
        if self.level not in vocab.levels:
            raise fail(file, None, "unknown-level", f"未知行政层级 “{self.level}”", f'unknown level "{self.level}"',
                       allowed_list(vocab.levels))

    def as_unit(self) -> Unit:
        return Unit(id=self.id, name=self.name, file="data/units.yml", line=0, short=self.short, kind=self.kind,
                    level=self.level, region=self.region)

    def entry(self) -> str:
        lines = [f"  - id: {self.id}", f"    name: {yaml_scalar(self.name)}"]
        if self.short:
            lines.append(f"    short: {yaml_scalar(self.short)}")
        lines += [f"    kind: {self.kind}", f"    level: {self.level}"]
        if self.region:
            lines.append(f"    region: {yaml_scalar(self.region)}")
        return "\n".join(lines) + "\n"


def append_unit(text: str, unit: NewUnit) -> str:
    """data/units.yml with the unit added at the end of its `units:` list."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(r"^units:\s*(#.*)?$", line)), None)
    if start is None:
        return text + ("" if text.endswith("\n") or not text else "\n") + "units:\n" + unit.entry()
    end = len(lines)
    for i in range(start + 1, len(lines)):
        if re.match(r"^[^\s#]", lines[i]):  # the next top-level key
            end = i
            break
    insert = end
    while insert > start + 1 and not lines[insert - 1].strip():  # keep blank lines before the next key
        insert -= 1
    if insert > 0 and not lines[insert - 1].endswith("\n"):
        lines[insert - 1] += "\n"
    lines.insert(insert, unit.entry())
    return "".join(lines)
