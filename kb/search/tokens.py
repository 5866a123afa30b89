"""How text becomes search keys. search.js implements the same rules; a change here must be made
there too (tests/test_search_index.py pins the shared cases).

Text is normalized one character at a time (NFKC, then lower case) so that offsets in the normalized
text map back to the original. Keys are overlapping character bigrams inside runs of letters and
digits (CJK ideographs are letters): the Lucene CJK analyzer's scheme. Every substring of two or
more word characters therefore contains only indexed bigrams: full infix recall without a
dictionary or a segmenter to keep in sync."""

from __future__ import annotations

import re
import unicodedata


class _FoldTable(dict):
    """Code point -> its NFKC + lower-case form, filled on first use: str.translate then folds a
    text in one C pass (per-character normalize() calls were most of the indexing time)."""

    def __missing__(self, code: int) -> str:
        folded = unicodedata.normalize("NFKC", chr(code)).lower()
        self[code] = folded
        return folded


_FOLD = _FoldTable()
# [^\W_] is exactly "category L* or N*" for str patterns (str.isalnum), the browser's [\p{L}\p{N}]
_WORD_RUN = re.compile(r"[^\W_]+")


def normalize(text: str) -> str:
    return text.translate(_FOLD)


def runs(normalized: str) -> list[str]:
    """Maximal runs of word characters."""
    return _WORD_RUN.findall(normalized)


def bigrams(text: str) -> set[str]:
    """Distinct bigram keys of raw text."""
    keys: set[str] = set()
    for run in runs(normalize(text)):
        keys.update(run[i:i + 2] for i in range(len(run) - 1))
    return keys


def shard_of(key: str, shards: int) -> int:
    """FNV-1a over the key's UTF-16 code units (what a JS string holds), modulo the shard count."""
    h = 0x811C9DC5
    data = key.encode("utf-16-le")
    for i in range(0, len(data), 2):
        h ^= data[i] | (data[i + 1] << 8)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h % shards
