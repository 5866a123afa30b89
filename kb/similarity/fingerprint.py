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
# A fingerprint's place packed into one integer, here and in the corpus' comparison index
# (section << POSITION_BITS | position): positions within one section's normalised text (a section is
# at most 200 KB)
POSITION_BITS = 24
POSITION_MASK = (1 << POSITION_BITS) - 1
BATCH_CHARS = 1 << 19  # characters of text fingerprinted in one go


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


class _NormCodes:
    """Code point -> how many normalised characters it becomes (0 for punctuation and spaces, 1 for
    most, more for a few compatibility characters: ㍿ -> 株式会社) and, when one, which: numpy tables
    indexed by code point, filled from _NORM on first use."""

    UNKNOWN = 255

    def __init__(self):
        self.lengths = np.zeros(0, dtype=np.uint8)
        self.chars = np.zeros(0, dtype=np.uint32)

    def lengths_of(self, codes):
        """Each code point's normalised length (codes: a numpy array of code points)."""
        if not len(codes):
            return np.zeros(0, dtype=np.uint8)
        top = int(codes.max())
        if len(self.lengths) <= top:
            grow = top + 1 - len(self.lengths)
            self.lengths = np.concatenate((self.lengths, np.full(grow, self.UNKNOWN, np.uint8)))
            self.chars = np.concatenate((self.chars, np.zeros(grow, np.uint32)))
        lengths = self.lengths[codes]
        unknown = np.unique(codes[lengths == self.UNKNOWN]).tolist()
        if unknown:
            kept = [_NORM[code] for code in unknown]
            self.lengths[unknown] = [min(len(k), self.UNKNOWN - 1) for k in kept]
            self.chars[unknown] = [ord(k) if len(k) == 1 else 0 for k in kept]
            lengths = self.lengths[codes]
        return lengths


_norm_codes = _NormCodes()


def _code_points(text: str):
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


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
    norm_lengths = _norm_codes.lengths_of(_code_points("".join(texts)))
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
    lengths = np.fromiter(map(len, norms), dtype=np.int32, count=len(norms))
    return _KgramHashes(_code_points("".join(norms)), lengths).hashes.tolist()


class _CrcTables:
    """CRC-32 is affine over GF(2): for messages of one length, crc(x ^ y ^ z) = crc(x) ^ crc(y) ^
    crc(z). A k-gram's UTF-32LE bytes are the XOR of K messages each holding one of its code points
    in its slot (zeros elsewhere), so its CRC is the XOR of K table look-ups (slot, code point), plus
    crc(zeros) when K is even. The tables are made with zlib, for the code points met so far (a few
    thousand), so the values are zlib's exactly."""

    def __init__(self):
        self.rows = np.full(0, -1, dtype=np.int32)  # code point -> its row in the tables (-1: none yet)
        self.tables = np.zeros((K, 0), dtype=np.uint32)  # slot, row -> CRC of that code point alone in that slot

    def rows_of(self, codes):
        if not len(codes):
            return np.zeros(0, dtype=np.int32)
        top = int(codes.max())
        if len(self.rows) <= top:
            self.rows = np.concatenate((self.rows, np.full(top + 1 - len(self.rows), -1, np.int32)))
        rows = self.rows[codes]
        new = np.unique(codes[rows < 0]).tolist()
        if new:
            made = [[zlib.crc32(bytes(4 * slot) + chr(code).encode("utf-32-le") + bytes(4 * (K - 1 - slot)))
                     for code in new] for slot in range(K)]
            self.rows[new] = np.arange(self.tables.shape[1], self.tables.shape[1] + len(new), dtype=np.int32)
            self.tables = np.concatenate((self.tables, np.array(made, dtype=np.uint32)), axis=1)
            rows = self.rows[codes]
        return rows

    def kgram_hashes(self, codes):
        """The CRC-32 of every K consecutive code points."""
        rows = self.rows_of(codes)
        count = max(0, len(codes) - K + 1)
        hashes = np.full(count, zlib.crc32(bytes(4 * K)) if K % 2 == 0 else 0, dtype=np.uint32)
        for slot in range(K):
            hashes ^= self.tables[slot][rows[slot:slot + count]]
        return hashes


_crc_tables = _CrcTables()


class _KgramHashes:
    """CRC-32 of every k-gram of many normalised texts at once, in numpy (_CrcTables), each with the
    text it stands in and its place there."""

    def __init__(self, codes, lengths):
        """codes: the normalised texts' code points, one after the other; lengths: each text's."""
        starts = np.zeros(len(lengths), dtype=np.int32)  # each text's first position in codes
        np.cumsum(lengths[:-1], out=starts[1:])
        hashes = _crc_tables.kgram_hashes(codes)  # k-grams crossing texts' ends included
        count = len(hashes)
        # the k-grams lying within one text: per position, its text and its place in it
        text_of = np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)[:count]
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
    """Each text's fingerprints, many texts at once: numpy's loops over every character and k-gram
    of a batch of texts instead of Python's per text (fingerprinting was most of 查重's time).
    Batches of about BATCH_CHARS characters bound the arrays made on the way (~40 bytes a character)."""
    template = np.array(sorted(template_hashes), dtype=np.uint32)
    out: list[Fingerprinted] = []
    start = 0
    while start < len(texts):
        end, size = start + 1, len(texts[start])
        while end < len(texts) and size + len(texts[end]) <= BATCH_CHARS:
            size += len(texts[end])
            end += 1
        out += _fingerprinted(texts[start:end], template)
        start = end
    return out


def _normalized(texts: list[str]):
    """normalize() of each text, its code points one text after the other, and each one's length."""
    codes = _code_points("".join(texts))
    sizes = _norm_codes.lengths_of(codes)
    if len(sizes) and sizes.max() > 1:  # a character becoming several (rare): one text at a time
        norms = list(map(normalize, texts))
        return norms, _code_points("".join(norms)), np.fromiter(map(len, norms), dtype=np.int32, count=len(norms))
    codes = _norm_codes.chars[codes[sizes == 1]]
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)))
    kept_before = np.concatenate(([0], np.cumsum(sizes, dtype=np.int64)))[ends]  # normalised characters up to each text's end
    lengths = np.diff(kept_before, prepend=0).astype(np.int32)
    joined = codes.tobytes().decode("utf-32-le")
    bounds = kept_before.tolist()
    return [joined[a:b] for a, b in zip([0] + bounds[:-1], bounds)], codes, lengths


def _fingerprinted(texts: list[str], template) -> list[Fingerprinted]:
    norms, codes, lengths = _normalized(texts)
    grams = _KgramHashes(codes, lengths)
    hashes, owner, places = grams.hashes, grams.texts, grams.places
    del grams, codes
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
    keys = (hashes[kept].astype(np.uint64) << POSITION_BITS) | (POSITION_MASK - places[kept]).astype(np.uint64)
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
    all_hashes = array("I", (chosen >> np.uint64(POSITION_BITS)).astype(np.uint32).tobytes())
    all_positions = array("I", (POSITION_MASK - (chosen & np.uint64(POSITION_MASK))).astype(np.uint32).tobytes())
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
