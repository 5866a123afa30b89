"""查重's fingerprints against the rules written out plainly (kb/similarity/fingerprint.py's docstring),
and a corpus rebuilt after an edit (as `mkdocs serve` rebuilds) against one built from scratch. The
build computes fingerprints of all texts at once in numpy (CRC-32 from per-slot tables) and reuses
the last corpus' fingerprints; these tests hold both to the definitions."""

from __future__ import annotations

import random
import unicodedata
import zlib

import pytest

from similarity_corpus import filler, planted_corpus, seed_reports

from kb.knowledge import load_or_raise
from kb.similarity import Similarity
from kb.similarity import corpus as corpus_rules
from kb.similarity import fingerprint as fingerprint_rules
from kb.similarity.corpus import (COMMON_REPORTS, Corpus, _comparisons, _entry, _fingerprints, _holders, _spans,
                                  corpus_of, keep_for_rebuilds, match_record)
from kb.similarity.fingerprint import K, W, fingerprint, fingerprints, normalize, offset_map, offset_maps
from kb.similarity.template import template_hashes, template_texts


def plain_fingerprints(text: str, template: frozenset[int]) -> tuple[str, list[tuple[int, int]], list[tuple[int, int]]]:
    """Normalised text, (hash, position) fingerprints and template spans, by the rules one step at a time."""
    norm = "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())
    grams = [(zlib.crc32(norm[i:i + K].encode("utf-32-le")), i) for i in range(len(norm) - K + 1)]
    spans: list[tuple[int, int]] = []
    for value, pos in grams:
        if value in template:
            if spans and spans[-1][1] >= pos:
                spans[-1] = (spans[-1][0], pos + K)
            else:
                spans.append((pos, pos + K))
    kept = [(value, pos) for value, pos in grams if value not in template]
    chosen = set()
    for start in range(max(1, len(kept) - W + 1)):
        window = kept[start:start + W]
        if window:
            smallest = min(value for value, _ in window)
            chosen.add(max((pos, value) for value, pos in window if value == smallest))  # the rightmost on ties
    return norm, sorted((value, pos) for pos, value in chosen), spans


@pytest.fixture(scope="module")
def texts_and_template():
    vocab, reports = seed_reports()
    template = template_hashes(template_texts(vocab))
    texts = [s.body_text for r in reports for s in r.sections]
    corpus = planted_corpus(1)[0]
    texts += [t.text for texts in corpus.texts for t in texts]
    # edge cases: nothing, shorter than a k-gram or a window, repeats (ties), punctuation at both ends
    texts += ["", "，。", "一二三", "一二三四五", "一二三四五六七八九十", "哈" * 40, "哈哈哈哈哈呵" * 9,
              "，开头的标点和结尾的标点。", "Ｆｕｌｌ－ｗｉｄｔｈ ＡＢＣ，１２３ 和 ㍿ 都折叠"]
    return texts, template


@pytest.mark.parametrize("batch", [fingerprint_rules.BATCH_CHARS, 300])
def test_fingerprints_follow_the_rules_written_out_plainly(texts_and_template, batch, monkeypatch):
    monkeypatch.setattr(fingerprint_rules, "BATCH_CHARS", batch)  # 300: many batches, texts longer than one
    texts, template = texts_and_template
    assert any(plain_fingerprints(t, template)[2] for t in texts)  # template masking is exercised
    # the build fingerprints texts in batches: texts' ends (short texts, empty ones, template text
    # at an end) and batches' ends must not leak into their neighbours' k-grams or windows
    mixed = [t for pair in zip(texts, reversed(texts)) for t in pair]  # the short edge cases between long texts
    together = fingerprints(mixed, template)
    assert len(together) == len(mixed)
    for text, in_bulk in zip(mixed, together):
        norm, prints, spans = plain_fingerprints(text, template)
        for got in (fingerprint(text, template), in_bulk):
            assert got.norm == norm == normalize(text)
            assert got.prints == sorted(prints, key=lambda p: p[1]) and list(got.positions) == sorted(got.positions)
            assert got.template == spans
            assert got.by_hash == dict(got.prints)  # the last position of a repeated fingerprint


def test_offsets_map_every_normalised_character_to_where_it_stands(texts_and_template):
    texts, _ = texts_and_template
    mixed = [t for pair in zip(texts, reversed(texts)) for t in pair]  # mapped together, as the build does
    for text, in_bulk in zip(mixed, offset_maps(mixed)):
        norm = normalize(text)
        origins = [i for i, ch in enumerate(text) for f in normalize(ch)]
        assert len(origins) == len(norm)
        for mapping in (offset_map(text), in_bulk):
            assert [mapping[pos] for pos in range(len(norm))] == origins


@pytest.fixture(autouse=True)
def kept_for_rebuilds():
    """These tests are about what `mkdocs serve` rebuilds reuse: kept, as under serve."""
    keep_for_rebuilds(True)
    yield
    keep_for_rebuilds(False)


def _records(corpus: Corpus) -> dict[str, list[dict]]:
    """Passages cut from each text by its own offset map."""
    return {corpus.ids[r]: [match_record(corpus, corpus.lengths[r], m) for m in found]
            for r, found in enumerate(corpus.all_matches())}


def _records_as_built(corpus: Corpus) -> dict[str, list[dict]]:
    """As Similarity.entries makes them (passages' places from the last build's where they are the
    same), as catalog.json records."""
    found = corpus.all_matches()
    places = _spans.places(found)
    records = {}
    for r, matches in enumerate(found):
        records[corpus.ids[r]] = []
        for m in matches:
            entry = _entry(corpus, corpus.lengths[r], m, places)
            own, other = corpus.texts[r], corpus.texts[m.report]
            records[corpus.ids[r]].append({
                "report": entry.report, "shared_chars": entry.shared_chars, "share": entry.share,
                "passages": [{"section": own[i].section, "text": own[i].text[a:b],
                              "other_section": other[j].section, "other_text": other[j].text[c:d]}
                             for i, a, b, j, c, d in entry.passages]})
    return records


def _from_scratch(ids: list[str], sections: list[list[tuple[str, str]]], template: frozenset[int]) -> Corpus:
    _fingerprints.clear()
    _comparisons.clear()
    _spans.clear()
    return Corpus(ids, sections, template)


def _reused(corpus: Corpus, earlier: Corpus) -> list[bool]:
    """Per text (in order, as far as both go): whether its fingerprints are the earlier corpus' object."""
    return [t.prints is old.prints for texts, old_texts in zip(corpus.texts, earlier.texts) for t, old in zip(texts, old_texts)]


def _passage_objects(corpus: Corpus) -> set[int]:
    return {id(p) for found in corpus.all_matches() for m in found for _, _, p in m.passages}


def test_a_rebuilt_corpus_reuses_what_did_not_change_and_equals_one_built_from_scratch():
    first = planted_corpus(2)[0]
    _spans.clear()
    before = _records_as_built(first)
    earlier_spans = dict(_spans.last)
    ids = list(first.ids)
    sections = [[(t.section, t.text) for t in texts] for texts in first.texts]
    host = next(r for r, report_id in enumerate(ids) if report_id.startswith("host-"))
    edited_id, edited_text = sections[host][1]
    sections[host][1] = (edited_id, edited_text[:len(edited_text) // 2] + "这一句是修改时新加进去的原创文字。")
    del sections[-1], ids[-1]  # a report removed

    rebuilt = Corpus(ids, sections, first.template)
    reused = _reused(rebuilt, first)
    assert reused.count(False) == 1 and rebuilt.texts[host][1].prints is not first.texts[host][1].prints
    earlier_passages = {id(p) for p in _kept_passages(_comparisons.found)}
    earlier_mirrored = {id(p) for p in _kept_passages(_comparisons.mirrored)}
    after = _records_as_built(rebuilt)
    assert earlier_spans.keys() & _spans.last.keys()  # passage texts of unchanged pairs were reused
    found = _passage_objects(rebuilt)
    assert earlier_passages & found and earlier_mirrored & found  # comparisons of unchanged pairs, and their mirrors

    scratch = _from_scratch(ids, sections, first.template)
    assert not any(_reused(scratch, rebuilt))
    assert after == _records(scratch)
    assert_indexed_alike(rebuilt, scratch)
    assert after[ids[host]] != before[ids[host]]  # the edit did change what is found


def test_an_edit_in_place_updates_holders_and_candidates_like_from_scratch():
    """Same reports in the same order (an edit under `mkdocs serve`): the holders are updated, not
    made anew, and unchanged reports keep their candidates unless the edit touched their fingerprints'
    holders: an unchanged report that an edited one now copies from finds it."""
    first, _, originals, _ = planted_corpus(4)
    ids = list(first.ids)
    sections = [[(t.section, t.text) for t in texts] for texts in first.texts]
    before = _records_as_built(_from_scratch(ids, sections, first.template))
    source, copier = ids.index(originals[0]), ids.index(originals[1])
    assert originals[1] not in [r["report"] for r in before[originals[0]]]
    section_id, text = sections[copier][0]
    sections[copier][0] = (section_id, text + sections[source][0][1])

    rebuilt = Corpus(ids, sections, first.template)
    assert 0 < len(rebuilt._known_candidates) < len(ids) and source not in rebuilt._known_candidates
    after = _records_as_built(rebuilt)
    assert originals[1] in [r["report"] for r in after[originals[0]]]  # found by the unchanged report too

    scratch = _from_scratch(ids, sections, first.template)
    assert after == _records(scratch)
    assert_indexed_alike(rebuilt, scratch)


def assert_indexed_alike(rebuilt: Corpus, scratch: Corpus) -> None:
    assert rebuilt.holders == scratch.holders and rebuilt.common == scratch.common
    assert ([rebuilt.report_candidates(r) for r in range(len(rebuilt.ids))]
            == [scratch.candidates(scratch.hashes(r), r) for r in range(len(scratch.ids))])


def _kept_passages(kept: dict):
    return [p for _, found in kept.values() for _, _, p in found]


def test_a_fingerprint_turning_common_is_taken_into_account_like_from_scratch():
    """COMMON_REPORTS reports hold one sentence (its fingerprints still count); one more report gets
    it too, so they become common, and two unchanged reports sharing it and a passage compare differently."""
    rng = random.Random(7)
    sentence = filler(rng, 60)
    passage = filler(rng, 80)
    ids = [f"r{i:02d}" for i in range(COMMON_REPORTS + 1)]
    sections = [[("01", sentence if i < COMMON_REPORTS else filler(rng, 60))] for i in range(len(ids))]
    sections[0].append(("02", passage))
    sections[1].append(("02", filler(rng, 30) + passage))
    template = template_hashes(["对照检查材料"])
    before = _records_as_built(_from_scratch(ids, sections, template))
    sections[-1] = [("01", sentence)]

    rebuilt = Corpus(ids, sections, template)
    assert _comparisons.common != rebuilt.common
    after = _records_as_built(rebuilt)
    scratch = _from_scratch(ids, sections, template)
    assert after == _records(scratch)
    assert_indexed_alike(rebuilt, scratch)
    assert [r["report"] for r in after["r00"]] == ["r01"] and after["r00"][0] != before["r00"][0]  # only the passage is left


def test_a_changed_template_fingerprints_every_text_again():
    first = planted_corpus(3)[0]
    sections = [[(t.section, t.text) for t in texts] for texts in first.texts]
    other = Corpus(first.ids, sections, frozenset(list(first.template)[1:]))
    assert not any(_reused(other, first))


def test_a_one_off_build_keeps_nothing_and_its_entries_hold_the_passages_found(tmp_path, monkeypatch):
    """`mkdocs build` (no serve): nothing is kept for a next build, the corpus is let go once the
    entries are made, and the catalog records made from the entries (passages' places found a chunk
    of texts at a time) are those cut from each text by its own offset map."""
    from benchmarks.corpus import make_corpus

    keep_for_rebuilds(False)
    monkeypatch.setattr(corpus_rules, "OFFSET_CHUNK", 700)  # many chunks, texts longer than one
    kb = load_or_raise(make_corpus(24, tmp_path / "project"))
    similarity = Similarity(kb)
    built = {report.id: similarity.of(report) for report in kb.reports}
    assert "corpus" not in similarity.__dict__ and similarity.holders
    assert not (_fingerprints.prints or _holders.holders or _comparisons.found or _spans.last)
    assert built == _records(corpus_of(kb))
    assert sum(map(len, built.values())) > 24  # the synthetic corpus recombines sentences: much is shared
