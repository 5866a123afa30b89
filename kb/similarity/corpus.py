"""查重 across the corpus: every report against every other, near-linear in the corpus' size.

Each section's body (catalog.json's `text`) is fingerprinted (kb.similarity.fingerprint). An
inverted index maps a fingerprint to the reports holding it; a fingerprint found in more than
COMMON_REPORTS reports is common wording (a formula everyone writes, or a 范文 everyone copied) and
is left out, as MOSS does, which also bounds the work per fingerprint. A report's candidates are
the reports sharing most of its fingerprints (at most MAX_CANDIDATES); for each, the shared
passages are found (kb.similarity.passages) and counted in normalised characters."""

from __future__ import annotations

import gc
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain

from ..knowledge import KnowledgeBase
from ..model import Report
from .fingerprint import (POSITION_BITS, POSITION_MASK, Fingerprinted, OffsetMap, fingerprint, fingerprints, offset_map,
                          offset_maps, original_span)
from .passages import Passage, passages, template_chars
from .template import template_hashes, template_texts

COMMON_REPORTS = 50
MAX_CANDIDATES = 6
MIN_SHARED_PRINTS = 2  # one fingerprint alone is one K-character k-gram: no passage of MIN_PASSAGE
DUPLICATE_SHARE = 0.9  # a report this much of which stands in one other report is a duplicate submission
OFFSET_CHUNK = 1 << 20  # characters of text whose offset maps are made at once (numpy temporaries ~8 bytes a character)

# Whether the caches below keep each build's work for the next: only `mkdocs serve` rebuilds reuse
# it (its hooks turn this on at startup). A one-off build keeping it would hold tens of MB at 1,000
# reports for nothing.
_keeping = False


def keep_for_rebuilds(keep: bool) -> None:
    """Turn on (under `mkdocs serve`) or off keeping 查重's work between builds; off empties the caches."""
    global _keeping
    _keeping = keep
    if not keep:
        for cache in (_fingerprints, _holders, _comparisons, _spans, _entries):
            cache.clear()


@dataclass(eq=False)
class Text:
    """One section's body (or a draft), fingerprinted."""

    report: int  # position in Corpus.ids (-1 for a draft)
    order: int  # position among its report's sections
    section: str
    text: str
    prints: Fingerprinted | None  # None once let go of (Corpus.all_matches with release)

    @property
    def own_chars(self) -> int:
        """Normalised characters outside template text: what a share is a fraction of."""
        return len(self.prints.norm) - sum(e - s for s, e in self.prints.template)

    @cached_property
    def offsets(self) -> OffsetMap:
        return offset_map(self.text)

    def span(self, start: int, end: int) -> str:
        return original_span(self.text, self.offsets, start, end)


@dataclass
class Match:
    """Passages of one text (a report's or a draft's) that stand in one other report."""

    report: int
    shared_chars: int = 0
    passages: list[tuple[Text, Text, Passage]] = field(default_factory=list)  # (own text, other text, passage)
    # all_matches under `mkdocs serve`: which comparison this is (ComparisonCache's key and the side), and
    # whether it is the last build's, reused (its entry can be too: EntryCache)
    comparison: tuple | None = None
    reused: bool = False


class Corpus:
    def __init__(self, ids: list[str], sections: list[list[tuple[str, str]]], template: frozenset[int]):
        """ids: report ids; sections: per report, (section id, body text) in order."""
        self.ids = ids
        self.template = template
        prints = _fingerprints.of([body for secs in sections for _, body in secs], template)
        self.texts: list[list[Text]] = [[Text(r, i, sid, body, next(prints)) for i, (sid, body) in enumerate(secs)]
                                        for r, secs in enumerate(sections)]
        self.lengths = [sum(t.own_chars for t in texts) for texts in self.texts]
        self.common: frozenset[int]  # fingerprints held by more than COMMON_REPORTS reports
        self.holders: dict[int, tuple[int, ...]]  # every other fingerprint -> the reports holding it, ascending
        self._known_candidates: dict[int, list[int]]  # report -> its candidates, where the last build's stand
        self._candidates_kept: dict[int, list[int]]  # where report_candidates leaves them for the next build
        _holders.index(self)

    def hashes(self, r: int) -> set[int]:
        return _hashes(self.texts[r])

    def report_candidates(self, r: int) -> list[int]:
        """The candidates of report r (the reports sharing most of its fingerprints)."""
        found = self._known_candidates.get(r)
        if found is None:
            found = self.candidates(self.hashes(r), exclude=r)
        self._candidates_kept[r] = found
        return found

    # ------------------------------------------------------------------ queries

    def candidates(self, hashes: set[int], exclude: int = -1) -> list[int]:
        counts = Counter(chain.from_iterable(filter(None, map(self.holders.get, hashes))))
        counts.pop(exclude, None)
        ranked = sorted((-n, r) for r, n in counts.items() if n >= MIN_SHARED_PRINTS)
        return [r for _, r in ranked[:MAX_CANDIDATES]]

    @cached_property
    def _wheres(self) -> dict[int, dict[int, tuple[int, ...]]]:
        return {}

    def _where(self, r: int) -> dict[int, tuple[int, ...]]:
        """Fingerprint -> section << POSITION_BITS | position, for each section of report r holding it
        (common ones left out), as tuples of ints (out of the garbage collector's sight, see holders);
        made when r is first compared with (a rebuild reusing most comparisons needs few)."""
        where = self._wheres.get(r)
        if where is None:
            where = self._wheres[r] = {}
            common = self.common
            for index, text in enumerate(self.texts[r]):
                section = index << POSITION_BITS
                # as by_hash has it, but not kept: most texts are compared with long before their own
                # report's turn (all_matches), and each text's dict would stay until then
                for h, pos in dict(zip(text.prints.hashes, text.prints.positions)).items():
                    if h not in common:
                        where[h] = where.get(h, ()) + (section | pos,)
        return where

    def compare(self, own: list[Text], other: int) -> Match:
        """The passages of own (texts of one report or draft) that stand in report `other`."""
        where = self._where(other)
        match = Match(other)
        for text in own:
            mine = text.prints.by_hash
            pairs: dict[int, list[tuple[int, int]]] = defaultdict(list)
            for h in mine.keys() & where.keys():
                for packed in where[h]:
                    pairs[packed >> POSITION_BITS].append((mine[h], packed & POSITION_MASK))
            covered: list[tuple[int, int]] = []
            for index in sorted(pairs):
                other_text = self.texts[other][index]
                for passage in passages(text.prints, other_text.prints, pairs[index]):
                    match.passages.append((text, other_text, passage))
                    covered.append((passage.a_start, passage.a_end))
            match.shared_chars += _union(covered, text)
        match.passages.sort(key=lambda p: (p[0].order, p[2].a_start))
        return match

    def matches(self, own: list[Text], exclude: int = -1) -> list[Match]:
        hashes = _hashes(own)
        found = [m for m in (self.compare(own, r) for r in self.candidates(hashes, exclude)) if m.passages]
        found.sort(key=lambda m: (-m.shared_chars, self.ids[m.report]))
        return found

    def all_matches(self, release: bool = False) -> list[list[Match]]:
        """Every report's matches. A pair is compared once, when one of the two finds the other among
        its candidates, and both list it (the other side mirrored): a report many others copied
        lists them all. release: let go of each report's fingerprints once it has been compared
        with every candidate (after which this corpus cannot compare again)."""
        compared: dict[tuple[int, int], tuple[Match, Match]] = {}
        reuse = _comparisons.reuse(self)
        pairs = sorted({(min(r, other), max(r, other)) for r in range(len(self.ids)) for other in self.report_candidates(r)})
        done = 0  # reports before this one are done with
        for n, (a, b) in enumerate(pairs):
            compared[(a, b)] = reuse.compare(a, b)
            if n + 1 == len(pairs) or pairs[n + 1][0] != a:
                self._done_with(a)
                if release:  # every pair holding a report up to a is compared: (x, r) has x < r
                    for r in range(done, a + 1):
                        for text in self.texts[r]:
                            text.prints = None
                    done = a + 1
        reuse.keep()
        out: list[list[Match]] = [[] for _ in self.ids]
        for (a, b), (match, mirrored) in sorted(compared.items()):
            if match.passages:
                out[a].append(match)
                out[b].append(mirrored)
        for found in out:
            found.sort(key=lambda m: (-m.shared_chars, self.ids[m.report]))
        return out

    def _done_with(self, r: int) -> None:
        """Pairs (a, b), a < b, are compared in order: once report r's own turn is over, neither its
        texts' fingerprint dicts (own side) nor its fingerprint -> positions (other side) are needed
        again. Let go at once, they would have added ~50 MB at 1,000 reports."""
        self._wheres.pop(r, None)
        for text in self.texts[r]:
            text.prints.__dict__.pop("by_hash", None)

    def mirror(self, match: Match, report: int) -> Match:
        """The other report's view of a match of `report`'s texts."""
        mirrored = Match(report)
        spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for own, other, p in match.passages:
            chars = p.b_end - p.b_start - template_chars(other.prints.template, p.b_start, p.b_end)
            mirrored.passages.append((other, own, Passage(p.b_start, p.b_end, p.a_start, p.a_end, chars)))
            spans[id(other)].append((p.b_start, p.b_end))
        texts = {id(own): own for own, _, _ in mirrored.passages}
        mirrored.shared_chars = sum(_union(s, texts[key]) for key, s in spans.items())
        mirrored.passages.sort(key=lambda p: (p[0].order, p[2].a_start))
        return mirrored

    def release_comparison_indexes(self) -> None:
        """Drop what comparing builds on the way (fingerprint -> positions per report and per text,
        offset maps): about 45 MB at 1,000 reports, no longer needed once every report has been
        compared. A later comparison (a draft) builds them again."""
        self.__dict__.pop("_wheres", None)
        for texts in self.texts:
            for text in texts:
                if text.prints is not None:  # None: let go of already (all_matches)
                    text.prints.__dict__.pop("by_hash", None)
                text.__dict__.pop("offsets", None)

    def draft(self, text: str) -> Text:
        return Text(-1, 0, "", text, fingerprint(text, self.template))


class FingerprintCache:
    """The last corpus' fingerprints by section text: under `mkdocs serve` every rebuild builds a
    new Corpus, and one whose texts are mostly those of the last build fingerprints only the texts
    that changed (fingerprinting is most of 查重's time). A text's fingerprints depend on nothing
    but the text and the template hashes, so the result is that of fingerprinting every text.
    Only the last corpus' texts are kept: what a build no longer has is dropped."""

    def __init__(self):
        self.template: frozenset[int] = frozenset()
        self.prints: dict[str, Fingerprinted] = {}

    def of(self, texts: list[str], template: frozenset[int]):
        """The fingerprints of texts, in order (an iterator)."""
        if not _keeping:
            return iter(fingerprints(texts, template))
        known = self.prints if template == self.template else {}
        prints = {text: known.get(text) for text in texts}
        missing = [text for text, found in prints.items() if found is None]
        prints.update(zip(missing, fingerprints(missing, template)))
        self.template, self.prints = template, prints
        return map(prints.__getitem__, texts)

    def clear(self) -> None:
        self.template, self.prints = frozenset(), {}


_fingerprints = FingerprintCache()


class HoldersCache:
    """The last corpus' fingerprint holders and its reports' candidates. Under `mkdocs serve` a
    rebuild after an edit has the same reports in the same order: the holders are then updated for
    the fingerprints of the reports whose texts changed, instead of indexing every report again, and
    a report keeps its candidates unless one of its non-common fingerprints changed holders (a
    report's candidates are counted over those). The result is that of indexing every report.
    Only the last corpus' are kept."""

    def __init__(self):
        self.clear()

    def clear(self) -> None:
        self.ids: list[str] | None = None
        self.template: frozenset[int] = frozenset()
        self.states: list[tuple] = []  # per report: its texts' fingerprints (objects, see FingerprintCache)
        self.holders: dict[int, tuple[int, ...]] = {}
        self.common_holders: dict[int, tuple[int, ...]] = {}  # the common fingerprints' holders
        self.candidates: dict[int, list[int]] = {}  # filled as the last corpus' reports are compared

    def index(self, corpus: Corpus) -> None:
        """Set corpus.holders, .common and ._known_candidates (kept for the next build only under serve)."""
        states = [tuple(t.prints for t in texts) for texts in corpus.texts] if _keeping else []
        if _keeping and self.ids == corpus.ids and self.template == corpus.template:
            holders, common_holders, affected = self._updated(states)
            known = {r: found for r, found in self.candidates.items() if r not in affected}
        else:
            holders, known = self._indexed(corpus), {}
            common_holders = {h: holders.pop(h) for h in [h for h, rs in holders.items() if len(rs) > COMMON_REPORTS]}
        corpus.holders, corpus.common, corpus._known_candidates = holders, frozenset(common_holders), known
        corpus._candidates_kept = {}
        if _keeping:
            self.ids, self.template, self.states = list(corpus.ids), corpus.template, states
            self.holders, self.common_holders, self.candidates = holders, common_holders, corpus._candidates_kept

    @staticmethod
    def _indexed(corpus: Corpus) -> dict[int, tuple[int, ...]]:
        holders: dict[int, list[int]] = defaultdict(list)
        for r in range(len(corpus.ids)):
            for h in corpus.hashes(r):
                holders[h].append(r)
        # tuples of ints, unlike lists, drop out of the garbage collector's sight: hundreds of
        # thousands of them would otherwise be walked by every full collection for the rest of the build
        return {h: tuple(rs) for h, rs in holders.items()}

    def _updated(self, states: list[tuple]) -> tuple[dict, dict, set[int]]:
        """The last holders with the changed reports' fingerprints moved, and the reports whose
        candidates may differ (the changed ones and every holder, before or after, of a non-common
        fingerprint whose holders changed)."""
        holders, common_holders = dict(self.holders), dict(self.common_holders)
        affected: set[int] = set()
        for r, (old, new) in enumerate(zip(self.states, states)):
            if old == new:
                continue
            affected.add(r)
            before, after = _print_hashes(old), _print_hashes(new)
            for h in before ^ after:
                rs = holders.pop(h, None) or common_holders.pop(h, None) or ()
                if len(rs) <= COMMON_REPORTS:
                    affected.update(rs)
                rs = tuple(sorted(set(rs) ^ {r}))
                if len(rs) > COMMON_REPORTS:
                    common_holders[h] = rs
                elif rs:
                    holders[h] = rs
                    affected.update(rs)
        return holders, common_holders, affected


_holders = HoldersCache()


class ComparisonCache:
    """The last build's comparisons of report pairs, so that a rebuild under `mkdocs serve` after an
    edit compares again only the pairs whose texts changed. A comparison of report a with report b
    depends on their texts and on which of the fingerprints they share are common (in more than
    COMMON_REPORTS reports); it is reused when both reports hold the very same fingerprinted texts
    (FingerprintCache gives an unchanged text the same object) under the same template, and no
    fingerprint they share changed from common to not or back. The result is that of comparing
    every pair again. Only the last build's pairs are kept."""

    def __init__(self):
        self.template: frozenset[int] = frozenset()
        self.common: frozenset[int] = frozenset()
        self.found: dict[tuple, _Packed] = {}  # (state of a, state of b) -> a's match with b
        self.mirrored: dict[tuple, _Packed] = {}  # the same pairs -> b's view of that match (Corpus.mirror)

    def reuse(self, corpus: Corpus) -> "_Reuse":
        same = _keeping and corpus.template == self.template
        return _Reuse(self, corpus, self.found if same else {}, self.mirrored if same else {},
                      self.common ^ corpus.common if same else frozenset(), _keeping)

    def clear(self) -> None:
        self.template, self.common, self.found, self.mirrored = frozenset(), frozenset(), {}, {}


_Packed = tuple[int, list[tuple[int, int, Passage]]]  # a Match without its objects: (shared characters, (own order, other order, passage))


@dataclass
class _Reuse:
    """One all_matches run against the last build's comparisons."""

    cache: ComparisonCache
    corpus: Corpus
    found: dict  # the last build's ComparisonCache.found
    mirrored: dict  # and .mirrored
    changed: frozenset[int]  # fingerprints common in one of the two builds only
    keeping: bool  # whether this build's comparisons are kept for the next
    kept: dict = field(default_factory=dict)  # this build's, the same way
    kept_mirrored: dict = field(default_factory=dict)

    def __post_init__(self):
        # a report's state: its sections' ids and fingerprinted texts (objects: alive while cached)
        self.states = [tuple((t.section, t.prints) for t in texts) for texts in self.corpus.texts] if self.keeping else []

    def compare(self, a: int, b: int) -> tuple[Match, Match]:
        """Report a's match with report b, and b's view of it (Corpus.mirror)."""
        corpus = self.corpus
        if not self.keeping:
            match = corpus.compare(corpus.texts[a], b)
            return match, corpus.mirror(match, a)
        state = (self.states[a], self.states[b])
        known = self.found.get(state)
        reused = known is not None and (not self.changed or self.changed.isdisjoint(corpus.hashes(a) & corpus.hashes(b)))
        if reused:
            match, mirrored = self._unpacked(a, b, known), self._unpacked(b, a, self.mirrored[state])
        else:
            match = corpus.compare(corpus.texts[a], b)
            mirrored = corpus.mirror(match, a)
        match.comparison, mirrored.comparison = (state, 0), (state, 1)
        match.reused = mirrored.reused = reused
        self.kept[state] = _packed(match)
        self.kept_mirrored[state] = _packed(mirrored)
        return match, mirrored

    def _unpacked(self, own: int, other: int, packed: _Packed) -> Match:
        texts = self.corpus.texts
        shared_chars, found = packed
        return Match(other, shared_chars, [(texts[own][i], texts[other][j], p) for i, j, p in found])

    def keep(self) -> None:
        if not self.keeping:
            return
        cache = self.cache
        cache.template, cache.common = self.corpus.template, self.corpus.common
        cache.found, cache.mirrored = self.kept, self.kept_mirrored


def _packed(match: Match) -> _Packed:
    return match.shared_chars, [(own.order, other.order, p) for own, other, p in match.passages]


_comparisons = ComparisonCache()


def _hashes(texts: list[Text]) -> set[int]:
    return _print_hashes([t.prints for t in texts])


def _print_hashes(prints) -> set[int]:
    return set().union(*(p.hashes for p in prints))


def _union(spans: list[tuple[int, int]], text: Text) -> int:
    """Characters of text in any of the spans, outside template text (passages may overlap when a
    passage of one section stands in two sections of the other report)."""
    total, end = 0, -1
    for s, e in sorted(spans):
        s = max(s, end)
        if e > s:
            total += e - s - template_chars(text.prints.template, s, e)
            end = e
    return total


def corpus_of(kb: KnowledgeBase) -> Corpus:
    return Corpus([r.id for r in kb.reports], [[(s.id, s.body_text) for s in r.sections] for r in kb.reports],
                  template_hashes(template_texts(kb.vocab)))


def _share(shared_chars: int, own_length: int) -> float:
    return round(min(1.0, shared_chars / own_length), 4) if own_length else 0


def match_record(corpus: Corpus, own_length: int, match: Match) -> dict:
    """A draft's match as catalog.json's reports[].similar lists a report's (README); own_length:
    the normalised characters of the draft outside template text."""
    return {
        "report": corpus.ids[match.report],
        "shared_chars": match.shared_chars,
        "share": _share(match.shared_chars, own_length),
        "passages": [{"section": own.section, "text": own.span(p.a_start, p.a_end),
                      "other_section": other.section, "other_text": other.span(p.b_start, p.b_end)}
                     for own, other, p in match.passages],
    }


@dataclass(frozen=True, slots=True)
class SimilarEntry:
    """A report's match with one other report, as the build keeps it: each passage as (own section's
    position, start, end, other section's position, start, end), spans of the sections' body text
    (Section.body_text) as it stands. The catalog.json record (README) is made from it when asked
    for: the passages' text is not held for the whole build, nor twice."""

    report: str  # the other report's id
    shared_chars: int
    share: float
    passages: tuple[tuple[int, int, int, int, int, int], ...]

    def record(self, own: Report, other: Report) -> dict:
        passages = []
        for i, a, b, j, c, d in self.passages:
            mine, theirs = own.sections[i], other.sections[j]
            passages.append({"section": mine.id, "text": mine.body_text[a:b],
                             "other_section": theirs.id, "other_text": theirs.body_text[c:d]})
        return {"report": self.report, "shared_chars": self.shared_chars, "share": self.share, "passages": passages}


@contextmanager
def _cycles_not_collected():
    """Comparing the corpus allocates hundreds of thousands of tuples, dicts and records, none in a
    reference cycle (reference counting frees what is dropped); each 700 of them would otherwise set
    off a cyclic collection, and the older generations' collections walk the whole heap: a fifth of
    查重's time at 1,000 reports. The collector is paused meanwhile (then resumed, if it was on)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_Span = tuple[str, int, int]  # a text and a normalised span of it


class SpanCache:
    """Where passages stand in their texts: (text, normalised span) -> (start, end) in the text as
    it stands, which depends on nothing else. Finding it needs the text's offset map, most of the
    time to make the entries; under `mkdocs serve` a rebuild finds again the passages of every pair
    it did not compare again (ComparisonCache), and takes their places from the last build's."""

    def __init__(self):
        self.last: dict[_Span, tuple[int, int]] = {}

    def places(self, found: list[list[Match]]) -> dict[_Span, tuple[int, int]]:
        """The places of every passage of found (both sides)."""
        last, places = self.last, {}
        todo: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for matches in found:
            for m in matches:
                for own, other, p in m.passages:
                    for key in ((own.text, p.a_start, p.a_end), (other.text, p.b_start, p.b_end)):
                        if key not in places:
                            known = places[key] = last.get(key)
                            if known is None:
                                todo[key[0]].append(key[1:])
        texts = list(todo)
        start = 0
        while start < len(texts):  # the offset maps of a chunk of texts at once, dropped before the next
            end, size = start, 0
            while end < len(texts) and (size < OFFSET_CHUNK or end == start):
                size += len(texts[end])
                end += 1
            for text, mapping in zip(texts[start:end], offset_maps(texts[start:end])):
                for s, e in todo[text]:
                    places[(text, s, e)] = (mapping[s], mapping[e - 1] + 1)
            start = end
        if _keeping:
            self.last = places
        return places

    def clear(self) -> None:
        self.last = {}


_spans = SpanCache()


class EntryCache:
    """The last build's entries (SimilarEntry) by comparison: an entry depends on the comparison
    (both reports' texts, hence where its passages stand), the report's own length (its share) and
    the other report's id, nothing else. Under `mkdocs serve` a rebuild after an edit reuses every
    comparison but those of the edited report (ComparisonCache), and with this their entries: where
    their passages stand need not be found again. The same entry objects also make the report pages'
    keys (kb.pages.page_inputs) compare at once. Only the last build's are kept."""

    def __init__(self):
        self.last: dict[tuple, SimilarEntry] = {}

    def made(self, corpus: Corpus, found: list[list[Match]]) -> dict[str, list[SimilarEntry]]:
        """Report id -> the entries of its matches (found, emptied on the way)."""
        last, now = self.last, {}
        keys = [[(m.comparison, corpus.lengths[r], corpus.ids[m.report]) if m.comparison is not None else None
                 for m in matches] for r, matches in enumerate(found)]
        known = [[last.get(key) if key is not None and m.reused else None for m, key in zip(matches, row)]
                 for matches, row in zip(found, keys)]
        places = _spans.places([[m for m, entry in zip(matches, row) if entry is None]
                                for matches, row in zip(found, known)])
        entries: dict[str, list[SimilarEntry]] = {}
        for r, matches in enumerate(found):
            made = []
            for m, key, entry in zip(matches, keys[r], known[r]):
                if entry is None:
                    entry = _entry(corpus, corpus.lengths[r], m, places)
                if key is not None and _keeping:
                    now[key] = entry
                made.append(entry)
            entries[corpus.ids[r]] = made
            found[r] = []  # its passages are freed as its entries take their place
        self.last = now
        return entries

    def clear(self) -> None:
        self.last = {}


_entries = EntryCache()


@dataclass
class ReportPair:
    """Two reports sharing passages (a < b, report ids): each side's share of its own text and shared
    characters, as its catalog entry says; a side is missing when only the other report listed the
    pair among its most similar."""

    a: str
    b: str
    share: dict[str, float]
    chars: dict[str, int]


class Similarity:
    """Every report's matches, computed once per build when first asked for."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self._index: tuple[dict[int, tuple[int, ...]], frozenset[int]] = ({}, frozenset())

    @cached_property
    def corpus(self) -> Corpus:
        with _cycles_not_collected():
            return corpus_of(self.kb)

    @cached_property
    def entries(self) -> dict[str, list[SimilarEntry]]:
        """Report id -> its matches, the most shared first. The corpus (fingerprints, texts) is let go
        once they are made: only the fingerprint index's holders stay (a draft compared later, as `kb
        similar` does, makes the corpus again)."""
        corpus = self.corpus
        with _cycles_not_collected():
            found = corpus.all_matches(release=not _keeping)  # under serve the caches hold them anyway
            # let go of the comparison indexes before the entries are made, which then take their place
            # in memory instead of fragmenting what is freed later
            corpus.release_comparison_indexes()
            entries = _entries.made(corpus, found)
            del found
        self._index = corpus.holders, corpus.template
        del self.__dict__["corpus"]
        return entries

    @property
    def holders(self) -> dict[int, tuple[int, ...]]:
        """Every non-common fingerprint -> the positions (in kb.reports) of the reports holding it."""
        self.entries
        return self._index[0]

    @property
    def template(self) -> frozenset[int]:
        """The k-gram hashes of template text (theme wording, stock formulae), masked in every text."""
        self.entries
        return self._index[1]

    def entries_of(self, report: Report) -> list[SimilarEntry]:
        return self.entries.get(report.id, [])

    def of(self, report: Report) -> list[dict]:
        """report's catalog.json similar entries (README), made when asked for."""
        reports = self.kb.reports_by_id
        return [entry.record(report, reports[entry.report]) for entry in self.entries_of(report)]

    @cached_property
    def pairs(self) -> list[ReportPair]:
        """Every pair of reports sharing passages, once, the largest share first."""
        by_key: dict[tuple[str, str], ReportPair] = {}
        for report_id, entries in self.entries.items():
            for entry in entries:
                a, b = sorted((report_id, entry.report))
                pair = by_key.get((a, b))
                if pair is None:
                    pair = by_key[(a, b)] = ReportPair(a, b, {}, {})
                pair.share[report_id] = entry.share
                pair.chars[report_id] = entry.shared_chars
        return sorted(by_key.values(), key=lambda p: (-max(p.share.values()), p.a, p.b))


def _entry(corpus: Corpus, own_length: int, match: Match, places: dict[_Span, tuple[int, int]]) -> SimilarEntry:
    return SimilarEntry(corpus.ids[match.report], match.shared_chars, _share(match.shared_chars, own_length), tuple(
        (own.order, *places[(own.text, p.a_start, p.a_end)], other.order, *places[(other.text, p.b_start, p.b_end)])
        for own, other, p in match.passages))
