"""Where a text or a wording comes from, as reports (`source:`) and meetings (`source.publication`)
name it: checks both share. A reader must be able to look the source up, so an internal file name
(种子材料 000.txt, sources/…) is refused."""

from __future__ import annotations

import re

from .errors import Problems

FILE_NAME = re.compile(r"[\w./-]+\.(?:txt|docx?|pdf|wps|rtf|md|html?)\b", re.I | re.A)


def check_not_a_file_name(problems: Problems, file: str, line: int | None, text: str) -> None:
    if not text or "://" in text or not FILE_NAME.search(text):
        return
    name = FILE_NAME.search(text).group(0)
    problems.add(file, line, "source-file-name",
                 f"来源写的是文件名 “{name}”：读者查不到它，请写原文的出处（刊物、网站名称或网址）",
                 f'the source names a file, "{name}", which no reader can look up: give where the text was '
                 "published (publication, website or URL)", "例如 / e.g. https://…、《某某》2022年第3期、网络流传文本")
