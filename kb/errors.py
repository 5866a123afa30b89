"""Contributor-facing problems: every one names a file, a line where known, what is wrong and what
is allowed, in Chinese and English, so the contributor can fix it without reading code."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    file: str  # path relative to the project root, POSIX style
    line: int | None
    code: str  # stable machine-readable code, e.g. "unknown-theme"
    zh: str
    en: str
    allowed: str = ""  # what would be accepted instead (shown to the contributor)

    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def format(self) -> str:
        text = f"{self.location()}: [{self.code}] {self.zh} / {self.en}"
        if self.allowed:
            text += f"\n    允许的取值 / allowed: {self.allowed}"
        return text

    def github_annotation(self) -> str:
        """One line GitHub Actions turns into an error annotation on the file and line."""
        where = f"file={self.file}" + (f",line={self.line}" if self.line else "")
        message = f"[{self.code}] {self.zh} / {self.en}"
        if self.allowed:
            message += f" 允许 / allowed: {self.allowed}"
        return f"::error {where}::{message.replace(chr(10), ' ')}"


@dataclass
class Problems:
    """Collects every problem of a run so the contributor sees them all at once."""

    items: list[Problem] = field(default_factory=list)
    root: Path | None = None

    def add(self, file: Path | str, line: int | None, code: str, zh: str, en: str, allowed: str = "") -> None:
        self.items.append(Problem(self.relative(file), line, code, zh, en, allowed))

    def relative(self, file: Path | str) -> str:
        path = Path(file)
        if self.root is not None and path.is_absolute():
            try:
                return path.relative_to(self.root).as_posix()
            except ValueError:
                pass
        return path.as_posix()

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Problem]:
        return sorted(self.items, key=lambda p: (p.file, p.line or 0, p.code))


class KnowledgeBaseError(Exception):
    """Raised when the knowledge base cannot be built; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = [p.format() for p in problems]
        super().__init__(
            f"知识库数据有 {len(problems)} 处错误 / {len(problems)} data error(s):\n" + "\n".join(lines)
        )


def allowed_list(values, limit: int = 30) -> str:
    values = list(values)
    shown = "、".join(str(v) for v in values[:limit])
    return shown + (f" …（共 {len(values)} 个 / {len(values)} in all）" if len(values) > limit else "")
