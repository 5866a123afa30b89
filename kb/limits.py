"""Limits on contributor input, in one place. Reports and vocabularies arrive in pull requests from
strangers; each limit is far above anything a real report needs (the longest seed report is 12 KB
in all) yet keeps `kb check`, CI and the build quick and their memory small whatever is sent.
Files are measured before they are read or parsed."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import Problems

KB = 1024
# A section is one part of one report: a whole real report is about 12 KB.
MAX_SECTION_BYTES = 200 * KB
# index.md holds only metadata (title, unit, meeting, year, source, part headings).
MAX_INDEX_BYTES = 20 * KB
# data/*.yml grow with the corpus (units.yml gains a line per unit); 2 MB is thousands of units.
MAX_DATA_BYTES = 2 * KB * KB
# A report has a few dozen sections at most; more files means something else was committed.
MAX_REPORT_FILES = 200

# Single-line fields: shown whole in page headings, lists and search results.
MAX_TITLE_CHARS = 200  # a report's title and its part headings
MAX_NAME_CHARS = 400  # vocabulary names: the official wording of a meeting theme runs to 130 characters
MAX_SOURCE_CHARS = 1000  # a URL with its query string, or a bibliographic note
MAX_DESCRIPTION_CHARS = 2000  # a paragraph explaining a report or a vocabulary term


def _size_text(size: int) -> str:
    return f"{size / (KB * KB):.1f} MB" if size >= KB * KB else f"{size / KB:.1f} KB"


def read_text(path: Path, problems: Problems, max_bytes: int) -> str | None:
    """A contributor file's text, or None after reporting why it cannot be used: not a regular file
    (a symbolic link could pull in any file of the machine), larger than its limit, or not UTF-8."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        problems.add(path, None, "unreadable", f"无法读取文件：{exc.strerror}", f"cannot read the file: {exc.strerror}")
        return None
    if not stat.S_ISREG(info.st_mode):
        problems.add(path, None, "unexpected-file", "不是普通文件（符号链接、设备等）：请提交文件本身",
                     "not a regular file (symbolic link, device …): commit the file itself")
        return None
    if info.st_size > max_bytes:
        problems.add(path, None, "file-too-large",
                     f"文件有 {_size_text(info.st_size)}，超过了这类文件的上限 {_size_text(max_bytes)}",
                     f"file is {_size_text(info.st_size)}, over the limit of {_size_text(max_bytes)} for this kind of file",
                     f"≤ {_size_text(max_bytes)}")
        return None
    try:
        return path.read_text(encoding="utf-8")  # universal newlines, as every reader of docs/ sees them
    except UnicodeDecodeError as exc:
        problems.add(path, None, "encoding", f"文件不是 UTF-8 编码（第 {exc.start} 字节处无法解码），请另存为 UTF-8",
                     f"file is not UTF-8 (undecodable byte at offset {exc.start}); save it as UTF-8")
        return None
