"""Template text that two reports share without one copying the other: the official wording of
the meetings' themes (data/meetings.yml), which every report of a meeting repeats, and the stock
formulae of party documents (data/stock_phrases.yml). Their k-grams are never fingerprints."""

from __future__ import annotations

from ..vocab import Vocabulary
from .fingerprint import kgram_hashes, normalize


def template_texts(vocab: Vocabulary) -> list[str]:
    texts = []
    for meeting in vocab.meetings.values():
        texts.append(meeting.name)
        texts.extend(theme.name for theme in meeting.themes)
    for entry in vocab.stock_phrases.values():
        texts.extend(entry.phrasings)
    return texts


def template_hashes(texts: list[str]) -> frozenset[int]:
    return frozenset(kgram_hashes(*map(normalize, texts)))
