"""Posting lists (sorted document numbers) as short ASCII strings: a bitset over all documents
when the list is dense, else delta-coded varints, whichever is shorter. search.js decodes both."""

from __future__ import annotations

import base64

# Varint digits: 32 terminal values then 32 continuation values, 5 bits each.
DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
BITSET_MARK = "~"


def encode(docs: list[int], total: int) -> str:
    """docs: strictly increasing numbers in range(total)."""
    bitset_len = 1 + ((total + 7) // 8 * 4 + 2) // 3
    # cheap size estimate of the varint form before building it: one digit per 5 bits of each gap
    if len(docs) * 2 > bitset_len:
        return _bitset(docs, total)
    deltas = _varints(docs)
    return deltas if len(deltas) <= bitset_len else _bitset(docs, total)


def _bitset(docs: list[int], total: int) -> str:
    bits = bytearray((total + 7) // 8)
    for d in docs:
        bits[d >> 3] |= 1 << (d & 7)
    return BITSET_MARK + base64.urlsafe_b64encode(bytes(bits)).decode("ascii").rstrip("=")


def _varint(gap: int) -> str:
    chunks = []
    while True:
        chunks.append(gap & 31)
        gap >>= 5
        if not gap:
            break
    # most significant chunk first; all but the last carry the continuation flag
    return "".join(DIGITS[32 + c] for c in reversed(chunks[1:])) + DIGITS[chunks[0]]


_SMALL_GAPS = [_varint(g) for g in range(1 << 15)]  # up to three digits: nearly every gap in practice


def _varints(docs: list[int]) -> str:
    out = []
    previous = -1
    for d in docs:
        gap = d - previous - 1  # gaps of consecutive docs are 0
        previous = d
        out.append(_SMALL_GAPS[gap] if gap < 32768 else _varint(gap))
    return "".join(out)


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
