"""How text becomes fingerprints for 查重. assets/similar.js implements the same rules; a change here
must be made there too (tests/test_similarity_browser.py checks that both give the same fingerprints).

1. Normalise: each character folded (NFKC, lower case, as search does: kb.search.tokens), then only
   letters and digits kept. Punctuation, spaces and line breaks vanish, so a copy whose punctuation
   or spacing was changed is the same normalised text. Offsets map back to the original, so a
   passage is shown as it stands.
2. K-grams: every run of K normalised characters, hashed with CRC-32 of its UTF-32LE bytes (four
   bytes per code point; zlib in Python, a table in JS: both exact, and fast in both).
3. Template k-grams (official theme wording, stock formulae: kb.similarity.template) are dropped.
4. Winnowing (Schleimer, Wilkerson, Aiken 2003): of every W consecutive remaining k-grams keep the
   smallest hash (the rightmost on ties). Any shared run of at least W + K - 1 normalised characters
   outside template text shares a fingerprint, and about 2 / (W + 1) of the k-grams are kept."""

from __future__ import annotations

import re
import zlib
from array import array
from bisect import bisect_right
from itertools import accumulate, compress, count, repeat
from operator import and_, lshift, not_, or_, rshift, sub
from dataclasses import dataclass
from functools import cached_property

from ..search.tokens import normalize as fold

K = 5  # k-gram length in normalised characters
W = 6  # winnowing window: shared runs of W + K - 1 = 10 characters always share a fingerprint
GUARANTEE = W + K - 1
_WORD = re.compile(r"[^\W_]")  # letters and digits: JS [\p{L}\p{N}]
_WORD_RUN = re.compile(r"[^\W_]+")
_DROPPED_SPLIT = re.compile(r"([\W_]+)")
_POS_BITS = 24  # positions within one section's normalised text (a section is at most 200 KB)
_POS_MASK = (1 << _POS_BITS) - 1


def normalize(text: str) -> str:
    """The letters and digits of text, folded: what fingerprints are taken over."""
    return "".join(_WORD_RUN.findall(fold(text)))


class OffsetMap:
    """Normalised position -> position in the original text. Most texts fold one character to one,
    so only the runs of dropped characters (punctuation, spaces) are recorded; otherwise every
    normalised character's origin is."""

    def __init__(self, text: str):
        folded = fold(text)
        self.starts: list[int] = []  # normalised position where each run of dropped characters stands
        self.skips: list[int] = []  # characters dropped before that position, that run included
        self.full: list[int] | None = None
        if len(folded) != len(text):
            self.full = [i for i, ch in enumerate(text) for f in fold(ch) if _WORD.match(f)]
            return
        # runs of letters and digits alternating with runs of dropped characters, the first and last
        # letters-and-digits runs possibly empty: lengths summed up in C, no match object per run
        lengths = list(map(len, _DROPPED_SPLIT.split(folded)))
        self.starts = list(accumulate(lengths[0:-1:2]))
        self.skips = list(accumulate(lengths[1::2]))

    def __getitem__(self, pos: int) -> int:
        if self.full is not None:
            return self.full[pos]
        i = bisect_right(self.starts, pos)
        return pos + (self.skips[i - 1] if i else 0)


def original_span(text: str, mapping: OffsetMap, start: int, end: int) -> str:
    """The original text of normalised span [start, end)."""
    return text[mapping[start]:mapping[end - 1] + 1]


def kgram_hashes(norm: str) -> list[int]:
    data = norm.encode("utf-32-le")
    starts = range(0, len(data) - 4 * K + 4, 4)
    # map() keeps the loop in C: this is most of fingerprinting's time
    return list(map(zlib.crc32, map(data.__getitem__, map(slice, starts, range(4 * K, len(data) + 4, 4)))))


@dataclass(eq=False)
class Fingerprinted:
    """One text's normalised form, fingerprints, and where template k-grams stand in it. The
    fingerprints are two parallel arrays of machine integers, not (hash, position) tuples: at 1,000
    reports there are ~800,000 of them, 6 MB so instead of ~100 MB of Python objects that the
    garbage collector would keep walking through."""

    norm: str
    hashes: array  # fingerprints (CRC-32 of a k-gram), in the order of their positions
    positions: array  # where each one's k-gram starts in norm, ascending
    template: list[tuple[int, int]]  # normalised spans [start, end) covered by template k-grams, merged

    @property
    def prints(self) -> list[tuple[int, int]]:
        """(hash, position) of each fingerprint, ascending positions."""
        return list(zip(self.hashes, self.positions))

    @cached_property
    def by_hash(self) -> dict[int, int]:
        """Fingerprint -> its position (the last, for a phrase repeated within the text)."""
        return dict(zip(self.hashes, self.positions))


def fingerprint(text: str, template_hashes: frozenset[int] | set[int] = frozenset()) -> Fingerprinted:
    norm = normalize(text)
    hashes = kgram_hashes(norm)
    # hash and position in one integer: min() then picks the smallest hash, the rightmost on ties
    keys = list(map(or_, map(lshift, hashes, repeat(_POS_BITS)), range(_POS_MASK, _POS_MASK - len(hashes), -1)))
    spans: list[tuple[int, int]] = []
    if not template_hashes.isdisjoint(hashes):
        masked = list(map(template_hashes.__contains__, hashes))
        for pos in compress(count(), masked):
            if spans and spans[-1][1] >= pos:
                spans[-1] = (spans[-1][0], pos + K)
            else:
                spans.append((pos, pos + K))
        keys = list(compress(keys, map(not_, masked)))
    # a window's minimum never stands left of the previous window's: equal minima are consecutive,
    # and the distinct ones come in ascending positions
    if len(keys) <= W:
        chosen = [min(keys)] if keys else []
    else:
        chosen = list(dict.fromkeys(map(min, zip(*(keys[j:len(keys) - W + 1 + j] for j in range(W))))))
    return Fingerprinted(norm, array("I", map(rshift, chosen, repeat(_POS_BITS))),
                         array("I", map(sub, repeat(_POS_MASK), map(and_, chosen, repeat(_POS_MASK)))), spans)
