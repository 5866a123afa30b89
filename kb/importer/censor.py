"""Words that 范文 sites censor in their copies ("ZZ" for 政治, "X" for 党, "XJP" for 习近平). The
report keeps them verbatim; only matching (part headings, themes, types, the meeting) reads them
as the words they stand for."""

from __future__ import annotations

import re

_CJK = r"[\u4e00-\u9fff“”「」]"
# Longest first; a letter code counts only where it touches Chinese text, so "ZZ" in "ZZ素质" is
# 政治 while an English word, a model number or the placeholder "XX县" stays what it is.
CODES = [("XJP", "习近平"), ("GCD", "共产党"), ("ZZ", "政治"), ("zz", "政治"), ("X", "党")]
_PATTERN = re.compile("|".join(rf"(?<![A-Za-z])(?:(?<={_CJK}){code}|{code}(?={_CJK}))(?![A-Za-z])" for code, _ in CODES))
_WORDS = dict(CODES)


def uncensored(text: str) -> str:
    if not re.search(r"[A-Za-z]", text):
        return text
    return _PATTERN.sub(lambda match: _WORDS[match.group(0)], text)
