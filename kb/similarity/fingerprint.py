"""How text becomes fingerprints for 查重. assets/similar.js implements the same rules; a change here
must be made there too (tests/test_similarity_browser.py checks that both give the same fingerprints).

1. Normalise: each character folded (NFKC, lower case, as search does: kb.search.tokens), then only
   letters and digits kept. Punctuation, spaces and line breaks vanish, so a copy whose punctuation
   or spacing was changed is the same normalised text. Offsets map back to the original, so a
   passage is shown as it stands.
2. K-grams: every run of K normalised characters, hashed with CRC-32 of its UTF-32LE bytes (four
   bytes per code point; in Python the k-grams of many texts at once in numpy, from tables zlib
   makes, see _KgramHashes; a table in JS: both exact, and fast in both).
3. Template k-grams (official theme wording, stock formulae: kb.similarity.template) are dropped.
4. Winnowing (Schleimer, Wilkerson, Aiken 2003): of every W consecutive remaining k-grams keep the
   smallest hash (the rightmost on ties). Any shared run of at least W + K - 1 normalised characters
   outside template text shares a fingerprint, and about 2 / (W + 1) of the k-grams are kept."""

from __future__ import annotations

import re
import zlib
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..search.tokens import normalize as fold

K = 5  # k-gram length in normalised characters
W = 6  # winnowing window: shared runs of W + K - 1 = 10 characters always share a fingerprint
GUARANTEE = W + K - 1
_WORD_RUN = re.compile(r"[^\W_]+")  # letters and digits: JS [\p{L}\p{N}]
_POS_BITS = 24  # positions within one section's normalised text (a section is at most 200 KB)
_POS_MASK = (1 << _POS_BITS) - 1
BATCH_CHARS = 1 << 19  # normalised characters fingerprinted in one go


class _NormTable(dict):
    """Code point -> its folded form's letters and digits, filled on first use: str.translate then
    normalises a text in one C pass. Folding is per character and so is being a letter or digit,
    so this is the same as folding the text and keeping its letters and digits."""

    def __missing__(self, code: int) -> str:
        kept = self[code] = "".join(_WORD_RUN.findall(fold(chr(code))))
        return kept


_NORM = _NormTable()


def normalize(text: str) -> str:
    """The letters and digits of text, folded: what fingerprints are taken over."""
    return text.translate(_NORM)


class _NormLengths:
    """Code point -> how many normalised characters it becomes (0 for punctuation and spaces, 1 for
    most, more for a few compatibility characters: ㍿ -> 株式会社), a numpy table filled on first use."""

    UNKNOWN = 255

    def __init__(self):
        self.table = np.zeros(0, dtype=np.uint8)

    def __call__(self, codes):
        if not len(codes):
            return np.zeros(0, dtype=np.uint8)
        top = int(codes.max())
        if len(self.table) <= top:
            self.table = np.concatenate((self.table, np.full(top + 1 - len(self.table), self.UNKNOWN, np.uint8)))
        lengths = self.table[codes]
        unknown = np.unique(codes[lengths == self.UNKNOWN])
        if len(unknown):
            self.table[unknown] = [min(len(_NORM[code]), self.UNKNOWN - 1) for code in unknown.tolist()]
            lengths = self.table[codes]
        return lengths


_norm_lengths = _NormLengths()


@dataclass
class OffsetMap:
    """Normalised position -> position in the original text. Most texts' characters each become
    none or one normalised character, so only the runs of dropped characters (punctuation, spaces)
    are recorded; otherwise every normalised character's origin is."""

    starts: list[int]  # normalised position where each run of dropped characters stands
    skips: list[int]  # characters dropped before that position, that run included
    full: list[int] | None = None

    def __getitem__(self, pos: int) -> int:
        if self.full is not None:
            return self.full[pos]
        i = bisect_right(self.starts, pos)
        return pos + (self.skips[i - 1] if i else 0)


def offset_map(text: str) -> OffsetMap:
    return offset_maps([text])[0]


def offset_maps(texts: list[str]) -> list[OffsetMap]:
    """The offset maps of many texts at once, in numpy from each character's normalised length
    (folding each text again was most of the time to show the passages found at 1,000 reports)."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    starts = np.zeros(len(texts), dtype=np.int64)  # each text's first position in the joined texts
    np.cumsum(lengths[:-1], out=starts[1:])
    norm_lengths = _norm_lengths(np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype="<u4"))
    # runs of dropped characters, cut at texts' ends
    dropped = norm_lengths == 0
    firsts, lasts = starts[lengths > 0], (starts + lengths - 1)[lengths > 0]
    begins, ends = dropped.copy(), dropped.copy()
    begins[1:] &= ~dropped[:-1]
    begins[firsts] = dropped[firsts]
    ends[:-1] &= ~dropped[1:]
    ends[lasts] = dropped[lasts]
    run_begins, run_ends = np.flatnonzero(begins), np.flatnonzero(ends) + 1
    run_texts = np.searchsorted(starts, run_begins, side="right") - 1
    run_lengths = run_ends - run_begins
    dropped_so_far = np.cumsum(run_lengths)
    first_runs = np.searchsorted(run_texts, np.arange(len(texts) + 1))  # each text's runs: first_runs[i]:first_runs[i + 1]
    skips = dropped_so_far - np.concatenate(([0], dropped_so_far))[first_runs[run_texts]]
    run_starts = (run_begins - starts[run_texts] - (skips - run_lengths)).tolist()
    skips = skips.tolist()
    multiple = np.zeros(len(texts), dtype=bool)  # texts with a character that becomes several
    if len(firsts):
        multiple[lengths > 0] = np.maximum.reduceat(norm_lengths, firsts) > 1
    maps = []
    for i, (start, length) in enumerate(zip(starts.tolist(), lengths.tolist())):
        if multiple[i]:
            maps.append(OffsetMap([], [], np.repeat(np.arange(length), norm_lengths[start:start + length]).tolist()))
        else:
            maps.append(OffsetMap(run_starts[first_runs[i]:first_runs[i + 1]], skips[first_runs[i]:first_runs[i + 1]]))
    return maps


def original_span(text: str, mapping: OffsetMap, start: int, end: int) -> str:
    """The original text of normalised span [start, end)."""
    return text[mapping[start]:mapping[end - 1] + 1]


def kgram_hashes(*norms: str) -> list[int]:
    """CRC-32 of every k-gram of normalised texts, in order."""
    return _KgramHashes(list(norms)).hashes.tolist()


class _KgramHashes:
    """CRC-32 of every k-gram of many normalised texts at once, in numpy. CRC-32 is affine over
    GF(2): for messages of one length, crc(x ^ y ^ z) = crc(x) ^ crc(y) ^ crc(z). A k-gram's UTF-32LE
    bytes are the XOR of K messages each holding one of its code points in its slot (zeros
    elsewhere), so its CRC is the XOR of K table look-ups (slot, code point), plus crc(zeros) when K
    is even. The tables are made with zlib for the distinct code points only (a few thousand), so
    the values are zlib's exactly."""

    def __init__(self, norms: list[str]):
        joined = "".join(norms)
        lengths = np.fromiter(map(len, norms), dtype=np.int32, count=len(norms))
        starts = np.zeros(len(norms), dtype=np.int32)  # each text's first position in joined
        np.cumsum(lengths[:-1], out=starts[1:])
        distinct = sorted(set(joined))
        code_points = np.frombuffer(joined.encode("utf-32-le"), dtype="<u4")
        index = np.zeros(ord(distinct[-1]) + 1 if distinct else 1, dtype=np.int32)
        index[np.fromiter(map(ord, distinct), dtype=np.int64, count=len(distinct))] = np.arange(len(distinct))
        slots = index[code_points]  # each position's code point as its number among the distinct ones
        zero = bytes(4 * K)
        count = max(0, len(joined) - K + 1)  # k-grams of joined, crossing texts' ends included
        hashes = np.full(count, zlib.crc32(zero) if K % 2 == 0 else 0, dtype=np.uint32)
        for slot in range(K):
            before, after = bytes(4 * slot), bytes(4 * (K - 1 - slot))
            table = np.fromiter((zlib.crc32(before + ch.encode("utf-32-le") + after) for ch in distinct),
                                dtype=np.uint32, count=len(distinct))
            hashes ^= table[slots[slot:slot + count]]
        # the k-grams lying within one text: per position, its text and its place in it
        text_of = np.repeat(np.arange(len(norms), dtype=np.int32), lengths)[:count]
        places = np.arange(count, dtype=np.int32) - starts[text_of]
        inside = places <= (lengths - K)[text_of]
        self.hashes, self.texts, self.places = hashes[inside], text_of[inside], places[inside]


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
    return fingerprints([text], template_hashes)[0]


def fingerprints(texts: list[str], template_hashes: frozenset[int] | set[int] = frozenset()) -> list[Fingerprinted]:
    """Each text's fingerprints, many texts at once: numpy's loops over every k-gram of a batch of
    texts instead of Python's per text (fingerprinting was most of 查重's time). Batches of about
    BATCH_CHARS normalised characters bound the arrays made on the way (~40 bytes a character)."""
    norms = list(map(normalize, texts))
    template = np.array(sorted(template_hashes), dtype=np.uint32)
    out: list[Fingerprinted] = []
    start = 0
    while start < len(norms):
        end, size = start + 1, len(norms[start])
        while end < len(norms) and size + len(norms[end]) <= BATCH_CHARS:
            size += len(norms[end])
            end += 1
        out += _fingerprinted(norms[start:end], template)
        start = end
    return out


def _fingerprinted(norms: list[str], template) -> list[Fingerprinted]:
    grams = _KgramHashes(norms)
    hashes, owner, places = grams.hashes, grams.texts, grams.places
    del grams
    masked = np.zeros(len(hashes), dtype=bool)
    if len(template):
        # the k-grams whose top 16 bits are some template hash's (a table look-up), then exactly
        maybe = np.zeros(1 << 16, dtype=bool)
        maybe[template >> 16] = True
        near = np.flatnonzero(maybe[hashes >> 16])
        found = np.minimum(np.searchsorted(template, hashes[near]), len(template) - 1)
        masked[near] = template[found] == hashes[near]
    spans = _template_spans(len(norms), owner[masked], places[masked])
    kept = ~masked
    # hash and position in one integer: the minimum is the smallest hash, the rightmost on ties
    keys = (hashes[kept].astype(np.uint64) << _POS_BITS) | (_POS_MASK - places[kept]).astype(np.uint64)
    owner = owner[kept]
    del hashes, places, masked, kept
    # the minimum of every window of W keys lying within one text ...
    windows = max(0, len(keys) - W + 1)
    minima = keys[:windows].copy()
    for j in range(1, W):
        np.minimum(minima, keys[j:j + windows], out=minima)
    within = owner[:windows] == owner[W - 1:W - 1 + windows]
    chosen, chosen_owner = minima[within], owner[:windows][within]
    # ... and of every text with fewer than W keys: all of them are one window
    counts = np.bincount(owner, minlength=len(norms))
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    short = (counts > 0) & (counts < W)
    if short.any():
        nonempty = counts > 0
        smallest = np.minimum.reduceat(keys, starts[nonempty])
        chosen = np.concatenate((chosen, smallest[short[nonempty]]))
        chosen_owner = np.concatenate((chosen_owner, np.flatnonzero(short)))
        order = np.argsort(chosen_owner, kind="stable")
        chosen, chosen_owner = chosen[order], chosen_owner[order]
    # a window's minimum never stands left of the previous window's: equal minima are consecutive
    new = np.ones(len(chosen), dtype=bool)
    new[1:] = (chosen[1:] != chosen[:-1]) | (chosen_owner[1:] != chosen_owner[:-1])
    chosen, chosen_owner = chosen[new], chosen_owner[new]
    all_hashes = array("I", (chosen >> np.uint64(_POS_BITS)).astype(np.uint32).tobytes())
    all_positions = array("I", (_POS_MASK - (chosen & np.uint64(_POS_MASK))).astype(np.uint32).tobytes())
    ends = np.cumsum(np.bincount(chosen_owner, minlength=len(norms))).tolist()
    return [Fingerprinted(norm, all_hashes[start:end], all_positions[start:end], text_spans)
            for norm, start, end, text_spans in zip(norms, [0] + ends[:-1], ends, spans)]


def _template_spans(texts: int, owner, places) -> list[list[tuple[int, int]]]:
    """Per text, the normalised spans [start, end) its template k-grams cover, merged (owner, places:
    each template k-gram's text and position, in order)."""
    spans: list[list[tuple[int, int]]] = [[] for _ in range(texts)]
    if not len(places):
        return spans
    first = np.ones(len(places), dtype=bool)  # where a span begins: a new text, or a gap after the last k-gram
    first[1:] = (owner[1:] != owner[:-1]) | (places[1:] > places[:-1] + K)
    begins = np.flatnonzero(first)
    lasts = np.concatenate((begins[1:] - 1, [len(places) - 1]))
    for text, start, end in zip(owner[begins].tolist(), places[begins].tolist(), (places[lasts] + K).tolist()):
        spans[text].append((start, end))
    return spans
