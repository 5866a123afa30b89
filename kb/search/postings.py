"""Posting lists (sorted document numbers) as short ASCII strings: a bitset over all documents
when the list is dense, else delta-coded varints, whichever is shorter. search.js decodes both."""

from __future__ import annotations

import base64

import numpy as np

# Varint digits: 32 terminal values then 32 continuation values, 5 bits each.
DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
BITSET_MARK = "~"


def encode(docs, total: int) -> str:
    """docs: strictly increasing numbers in range(total)."""
    posting = Posting()
    for d in docs:
        posting.add(d)
    return posting.encode(total)


class Posting:
    """A posting list made a document at a time (numbers ascending), kept in its delta-coded form
    (one byte for nearly every gap) rather than as numbers (four bytes each): at 3,000 reports the
    search index's postings were what the build held most of at its peak."""

    __slots__ = ("varints", "last")

    def __init__(self):
        self.varints = bytearray()
        self.last = -1

    def add(self, doc: int) -> None:
        gap = doc - self.last - 1  # gaps of consecutive docs are 0
        self.last = doc
        self.varints += _SMALL_GAPS[gap] if gap < 32768 else _varint(gap)

    def __len__(self) -> int:
        return len(self.varints.translate(None, _CONTINUATIONS))  # one terminal digit per document

    def encode(self, total: int) -> str:
        """A bitset over all documents when the list is dense, else the delta-coded varints,
        whichever is shorter."""
        bitset_len = 1 + ((total + 7) // 8 * 4 + 2) // 3
        varints = self.varints
        if len(self) * 2 > bitset_len or len(varints) > bitset_len:
            return _bitset(_docs(varints), total)
        return varints.decode("ascii")


def _bitset(docs: np.ndarray, total: int) -> str:
    bits = np.zeros(total, dtype=bool)
    bits[docs] = True
    return BITSET_MARK + base64.urlsafe_b64encode(np.packbits(bits, bitorder="little").tobytes()).decode("ascii").rstrip("=")


def _varint(gap: int) -> bytes:
    chunks = []
    while True:
        chunks.append(gap & 31)
        gap >>= 5
        if not gap:
            break
    # most significant chunk first; all but the last carry the continuation flag
    return ("".join(DIGITS[32 + c] for c in reversed(chunks[1:])) + DIGITS[chunks[0]]).encode("ascii")


_SMALL_GAPS = [_varint(g) for g in range(1 << 15)]  # up to three digits: nearly every gap in practice
_CONTINUATIONS = DIGITS[32:].encode("ascii")
_DIGIT_VALUES = np.zeros(256, dtype=np.int64)
_DIGIT_VALUES[np.frombuffer(DIGITS.encode("ascii"), dtype=np.uint8)] = np.arange(64)


def _docs(varints: bytes) -> np.ndarray:
    """The document numbers of delta-coded varints, in numpy (dense lists are long)."""
    digits = _DIGIT_VALUES[np.frombuffer(bytes(varints), dtype=np.uint8)]
    ends = np.flatnonzero(digits < 32)  # each varint's last digit
    starts = np.concatenate(([0], ends[:-1] + 1))
    gaps = np.zeros(len(ends), dtype=np.int64)
    for k in range(int((ends - starts).max(initial=0)) + 1):  # digit k of the varints that have one
        has = starts + k <= ends
        gaps[has] = (gaps[has] << 5) | (digits[starts[has] + k] & 31)
    return np.cumsum(gaps + 1) - 1


def decode(encoded: str, total: int) -> list[int]:
    """Inverse of encode (used by tests; the browser has its own decoder)."""
    if encoded.startswith(BITSET_MARK):
        raw = encoded[1:]
        bits = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
        return [i for i in range(total) if bits[i >> 3] >> (i & 7) & 1]
    docs, value, previous = [], 0, -1
    for ch in encoded:
        digit = DIGITS.index(ch)
        if digit >= 32:
            value = (value << 5) | (digit - 32)
        else:
            value = (value << 5) | digit
            previous = previous + value + 1
            docs.append(previous)
            value = 0
    return docs
