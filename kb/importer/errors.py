"""The importer's one failure: a list of contributor-facing problems (file, line, zh, en), raised
before anything is written."""

from __future__ import annotations

from ..errors import Problem


class ImporterError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))


def fail(file: str, line: int | None, code: str, zh: str, en: str, allowed: str = "") -> ImporterError:
    return ImporterError([Problem(file, line, code, zh, en, allowed)])
