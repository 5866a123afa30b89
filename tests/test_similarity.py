"""查重 on corpora with planted copies (tests/similarity_corpus.py): every copy of 40 characters or
more is found, verbatim or near-verbatim; original text and text sharing only theme wording and
stock formulae are never flagged. Recall and false alarms are printed (pytest -s)."""

from __future__ import annotations

import pytest

from similarity_corpus import LENGTHS, VARIANTS, planted_corpus

from kb.similarity.fingerprint import normalize


@pytest.fixture(scope="module", params=[1, 2, 3])
def planted(request):
    """Three corpora (random choices of passages and edits, seeded: the same every run)."""
    corpus, planted, originals, themed = planted_corpus(request.param)
    matches = {corpus.ids[r]: found for r, found in enumerate(corpus.all_matches())}
    return corpus, planted, originals, themed, matches


def _found(corpus, matches, copy) -> bool:
    """The host lists the source report, with a passage lying in the planted text."""
    planted_norm = normalize(copy.text)
    for match in matches[copy.host]:
        if corpus.ids[match.report] != copy.source:
            continue
        for own, _, passage in match.passages:
            if own.prints.norm[passage.a_start:passage.a_end] in planted_norm:
                return True
    return False


def test_planted_copies_of_40_characters_or_more_are_all_found(planted):
    corpus, copies, _, _, matches = planted
    table = {(c.variant, c.length): _found(corpus, matches, c) for c in copies}
    print("\nrecall by variant (lengths " + ", ".join(map(str, LENGTHS)) + "):")
    for variant in VARIANTS:
        hits = [table[(variant, n)] for n in LENGTHS]
        print(f"  {variant:20s} {sum(hits)}/{len(hits)}")
    missed = [(c.variant, c.length, c.text) for c in copies if not table[(c.variant, c.length)]]
    assert not missed


def test_the_copied_share_is_reported_on_both_sides(planted):
    corpus, copies, _, _, matches = planted
    for copy in copies:
        host = next(m for m in matches[copy.host] if corpus.ids[m.report] == copy.source)
        assert 20 <= host.shared_chars <= len(normalize(copy.text))
        source = next(m for m in matches[copy.source] if corpus.ids[m.report] == copy.host)
        assert source.shared_chars > 0


def test_original_text_and_theme_wording_are_never_flagged(planted):
    corpus, copies, originals, themed, matches = planted
    hosts = {c.host: c.source for c in copies}
    false_alarms = []
    for report_id, found in matches.items():
        for match in found:
            other = corpus.ids[match.report]
            expected = hosts.get(report_id) == other or hosts.get(other) == report_id
            if not expected:
                false_alarms.append((report_id, other, [corpus_text for _, _, p in match.passages
                                                        for corpus_text in [p]]))
    print(f"\nfalse alarms: {len(false_alarms)} among {len(corpus.ids)} reports "
          f"({len(originals)} original, {len(themed)} sharing only theme wording, 2 seed reports)")
    assert not false_alarms
    for report_id in originals + themed:
        assert matches[report_id] == []


def test_the_seed_reports_share_nothing_after_template_exclusion(planted):
    corpus, _, _, _, matches = planted
    seeds = corpus.ids[:2]
    assert all(corpus.ids[m.report] not in seeds for m in matches[seeds[0]])
