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
from .fingerprint import (_POS_BITS, _POS_MASK, Fingerprinted, OffsetMap, fingerprint, fingerprints, offset_map,
                          offset_maps, original_span)
from .passages import Passage, passages, template_chars
from .template import template_hashes, template_texts

COMMON_REPORTS = 50
MAX_CANDIDATES = 6
MIN_SHARED_PRINTS = 2  # one fingerprint alone is one K-character k-gram: no passage of MIN_PASSAGE
DUPLICATE_SHARE = 0.9  # a report this much of which stands in one other report is a duplicate submission


@dataclass(eq=False)
class Text:
    """One section's body (or a draft), fingerprinted."""

    report: int  # position in Corpus.ids (-1 for a draft)
    order: int  # position among its report's sections
    section: str
    text: str
    prints: Fingerprinted

    @property
    def own_chars(self) -> int:
        """Normalised characters outside template text: what a share is a fraction of."""
        return len(self.prints.norm) - sum(e - s for s, e in self.prints.template)

    @cached_property
    def offsets(self) -> OffsetMap:  # Corpus.map_offsets makes many at once
        return offset_map(self.text)

    def span(self, start: int, end: int) -> str:
        return original_span(self.text, self.offsets, start, end)


@dataclass
class Match:
    """Passages of one text (a report's or a draft's) that stand in one other report."""

    report: int
    shared_chars: int = 0
    passages: list[tuple[Text, Text, Passage]] = field(default_factory=list)  # (own text, other text, passage)


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
        """Fingerprint -> section << _POS_BITS | position, for each section of report r holding it
        (common ones left out), as tuples of ints (out of the garbage collector's sight, see holders);
        made when r is first compared with (a rebuild reusing most comparisons needs few)."""
        where = self._wheres.get(r)
        if where is None:
            where = self._wheres[r] = {}
            common = self.common
            for index, text in enumerate(self.texts[r]):
                section = index << _POS_BITS
                for h, pos in text.prints.by_hash.items():
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
                    pairs[packed >> _POS_BITS].append((mine[h], packed & _POS_MASK))
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

    def all_matches(self) -> list[list[Match]]:
        """Every report's matches. A pair is compared once, when one of the two finds the other among
        its candidates, and both list it (the other side mirrored): a report many others copied
        lists them all."""
        compared: dict[tuple[int, int], tuple[Match, Match]] = {}
        reuse = _comparisons.reuse(self)
        for r in range(len(self.ids)):
            for other in self.report_candidates(r):
                key = (min(r, other), max(r, other))
                if key not in compared:
                    compared[key] = reuse.compare(*key)
        reuse.keep()
        out: list[list[Match]] = [[] for _ in self.ids]
        for (a, b), (match, mirrored) in sorted(compared.items()):
            if match.passages:
                out[a].append(match)
                out[b].append(mirrored)
        for found in out:
            found.sort(key=lambda m: (-m.shared_chars, self.ids[m.report]))
        return out

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

    def map_offsets(self, texts) -> None:
        """Make the offset maps of texts (to show passages as they stand) all at once."""
        todo = list({id(t): t for t in texts if "offsets" not in t.__dict__}.values())
        for text, mapping in zip(todo, offset_maps([t.text for t in todo])):
            text.__dict__["offsets"] = mapping  # where cached_property keeps it

    def release_comparison_indexes(self) -> None:
        """Drop what comparing builds on the way (fingerprint -> positions per report and per text,
        offset maps): about 45 MB at 1,000 reports, no longer needed once every report has been
        compared. A later comparison (a draft) builds them again."""
        self.__dict__.pop("_wheres", None)
        for texts in self.texts:
            for text in texts:
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
        """Set corpus.holders, .common and ._known_candidates."""
        states = [tuple(t.prints for t in texts) for texts in corpus.texts]
        if self.ids == corpus.ids and self.template == corpus.template:
            holders, common_holders, affected = self._updated(states)
            known = {r: found for r, found in self.candidates.items() if r not in affected}
        else:
            holders, common_holders, known = self._indexed(corpus), {}, {}
            for h in [h for h, rs in holders.items() if len(rs) > COMMON_REPORTS]:
                common_holders[h] = holders.pop(h)
        self.ids, self.template, self.states = list(corpus.ids), corpus.template, states
        self.holders, self.common_holders, self.candidates = holders, common_holders, {}
        corpus.holders, corpus.common = holders, frozenset(common_holders)
        corpus._known_candidates, corpus._candidates_kept = known, self.candidates

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
        same = corpus.template == self.template
        return _Reuse(self, corpus, self.found if same else {}, self.mirrored if same else {}, self.common ^ corpus.common)

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
    kept: dict = field(default_factory=dict)  # this build's, the same way
    kept_mirrored: dict = field(default_factory=dict)

    def __post_init__(self):
        # a report's state: its sections' ids and fingerprinted texts (objects: alive while cached)
        self.states = [tuple((t.section, t.prints) for t in texts) for texts in self.corpus.texts]

    def compare(self, a: int, b: int) -> tuple[Match, Match]:
        """Report a's match with report b, and b's view of it (Corpus.mirror)."""
        corpus = self.corpus
        state = (self.states[a], self.states[b])
        known = self.found.get(state)
        if known is not None and (not self.changed or self.changed.isdisjoint(corpus.hashes(a) & corpus.hashes(b))):
            match, mirrored = self._unpacked(a, b, known), self._unpacked(b, a, self.mirrored[state])
        else:
            match = corpus.compare(corpus.texts[a], b)
            mirrored = corpus.mirror(match, a)
        self.kept[state] = _packed(match)
        self.kept_mirrored[state] = _packed(mirrored)
        return match, mirrored

    def _unpacked(self, own: int, other: int, packed: _Packed) -> Match:
        texts = self.corpus.texts
        shared_chars, found = packed
        return Match(other, shared_chars, [(texts[own][i], texts[other][j], p) for i, j, p in found])

    def keep(self) -> None:
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


def match_record(corpus: Corpus, own_length: int, match: Match, span=Text.span) -> dict:
    """A match as catalog.json's reports[].similar lists it (README); own_length: the normalised
    characters of the report (or draft) outside template text; span(text, start, end): a passage's
    original text (SpanCache.span gives the same, remembered)."""
    return {
        "report": corpus.ids[match.report],
        "shared_chars": match.shared_chars,
        "share": round(min(1.0, match.shared_chars / own_length), 4) if own_length else 0,
        "passages": [{"section": own.section, "text": span(own, p.a_start, p.a_end),
                      "other_section": other.section, "other_text": span(other, p.b_start, p.b_end)}
                     for own, other, p in match.passages],
    }


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


class SpanCache:
    """The last build's passage texts by (section text, normalised span): a passage's original text
    depends on nothing else. Under `mkdocs serve` a rebuild finds again the passages of every pair it
    did not compare again (ComparisonCache); cutting them out anew needs each text's offset map,
    most of the records' time. Only the last build's are kept."""

    def __init__(self):
        self.last: dict[tuple[str, int, int], str] = {}
        self.now: dict[tuple[str, int, int], str] = {}

    def span(self, text: Text, start: int, end: int) -> str:
        key = (text.text, start, end)
        found = self.last.get(key)
        if found is None:
            found = text.span(start, end)
        self.now[key] = found
        return found

    def uncut(self, found: list[list[Match]]):
        """The texts some passage of which is not known yet (their offset maps are needed)."""
        last = self.last
        for matches in found:
            for m in matches:
                for own, other, p in m.passages:
                    if (own.text, p.a_start, p.a_end) not in last:
                        yield own
                    if (other.text, p.b_start, p.b_end) not in last:
                        yield other

    def keep(self) -> None:
        """This build's records are made: they are what the next build reuses."""
        self.last, self.now = self.now, {}

    def clear(self) -> None:
        self.last, self.now = {}, {}


_spans = SpanCache()


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

    @cached_property
    def corpus(self) -> Corpus:
        with _cycles_not_collected():
            return corpus_of(self.kb)

    @cached_property
    def records(self) -> dict[str, list[dict]]:
        corpus = self.corpus
        with _cycles_not_collected():
            found = corpus.all_matches()
            # let go of the comparison indexes before the records' text is made, which then takes their
            # place in memory instead of fragmenting what is freed later
            corpus.release_comparison_indexes()
            corpus.map_offsets(_spans.uncut(found))
            records = {corpus.ids[r]: [match_record(corpus, corpus.lengths[r], m, _spans.span) for m in matches]
                       for r, matches in enumerate(found)}
            _spans.keep()
        corpus.release_comparison_indexes()  # the offset maps the records needed; the rest of the build reads the records
        return records

    def of(self, report: Report) -> list[dict]:
        return self.records.get(report.id, [])

    @cached_property
    def pairs(self) -> list[ReportPair]:
        """Every pair of reports sharing passages, once, the largest share first."""
        by_key: dict[tuple[str, str], ReportPair] = {}
        for report_id, entries in self.records.items():
            for entry in entries:
                a, b = sorted((report_id, entry["report"]))
                pair = by_key.get((a, b))
                if pair is None:
                    pair = by_key[(a, b)] = ReportPair(a, b, {}, {})
                pair.share[report_id] = entry["share"]
                pair.chars[report_id] = entry["shared_chars"]
        return sorted(by_key.values(), key=lambda p: (-max(p.share.values()), p.a, p.b))
