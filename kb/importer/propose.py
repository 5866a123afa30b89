"""Proposals the contributor reviews: the theme of each problems section (its heading against the
meeting's theme names) and the types of each item (the `phrasings` and names in data/*_types.yml).
Each proposal carries a confidence in [0, 1]; below LOW it is flagged for review."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text import strip_numbering
from ..vocab import Meeting, Term, Vocabulary
from .censor import uncensored
from .markers import squash
from .parse import Parsed, Section

LOW = 0.5
_NOISE = re.compile(r"[\s，,。；;：:、“”‘’\"'（）()！？!?…—\-]")


def _bigrams(text: str) -> set[str]:
    text = _NOISE.sub("", text)
    return {text[i:i + 2] for i in range(len(text) - 1)}


def dice(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def _covered(needle: str, haystack: str) -> float:
    """Share of needle's bigrams found in haystack."""
    x = _bigrams(needle)
    return len(x & _bigrams(haystack)) / len(x) if x else 0.0


@dataclass
class Proposal:
    ids: list[str]
    confidence: float
    why: str = ""

    @property
    def low(self) -> bool:
        return self.confidence < LOW


@dataclass
class Proposals:
    themes: dict[int, Proposal] = field(default_factory=dict)  # id(section) -> proposal
    aspects: dict[int, Proposal] = field(default_factory=dict)  # id(section) -> proposal (meetings without themes)
    types: dict[int, Proposal] = field(default_factory=dict)  # id(block) -> proposal
    # 整改对账: id(problem block) -> the measures answering it (ids as written in measures="…")
    links: dict[int, Proposal] = field(default_factory=dict)


def _heading_core(heading: str) -> str:
    return re.sub(r"方面[。：:]?$", "", strip_numbering(heading).strip())


def propose_themes(sections: list[Section], meeting: Meeting) -> dict[int, Proposal]:
    themes = meeting.themes
    scores = []
    for index, section in enumerate(sections):
        core = uncensored(_heading_core(section.heading or ""))
        body = uncensored("".join(b.text for b in section.blocks))
        row = []
        for theme in themes:
            s = max(dice(core, theme.name), _covered(core, theme.name) * 0.9, dice(core, theme.short))
            s = max(s, 0.5 * _covered(theme.short, core + body))  # headings that do not quote the theme
            row.append(s)
        scores.append(row)
    # greedy assignment, one theme per section while themes last; the official order breaks ties
    assigned: dict[int, int] = {}
    pairs = sorted(((scores[i][j] + (0.05 if i == j else 0), i, j) for i in range(len(sections)) for j in range(len(themes))),
                   reverse=True)
    taken: set[int] = set()
    for _score, i, j in pairs:
        if i in assigned or j in taken:
            continue
        assigned[i] = j
        taken.add(j)
    result = {}
    for i, section in enumerate(sections):
        j = assigned.get(i)
        if j is None:  # more sections than themes: the best theme again
            j = max(range(len(themes)), key=lambda k: scores[i][k])
        row = sorted(scores[i], reverse=True)
        margin = row[0] - (row[1] if len(row) > 1 else 0)
        confidence = min(1.0, scores[i][j] * 1.2) if scores[i][j] >= row[0] - 1e-9 else scores[i][j] * 0.8
        if margin < 0.05:
            confidence = min(confidence, 0.45)
        result[id(section)] = Proposal([themes[j].id], round(confidence, 2),
                                       f"标题与主题相似度 {scores[i][j]:.2f} / heading-theme similarity")
    return result


def aspect_wordings(vocab: Vocabulary) -> dict[str, list[str]]:
    """How each aspect is worded: its name, the phrases of its description, and the short names of
    every theme of every meeting that examines it (政治素质 → political-loyalty, party-spirit)."""
    wordings: dict[str, list[str]] = {}
    for aspect in vocab.aspects.values():
        words = re.split(r"[（）()、，,]", aspect.name) + re.split(r"[、，,]", aspect.description)
        wordings[aspect.id] = [w for w in words if len(_NOISE.sub("", w)) >= 2]
    for theme in vocab.themes.values():
        for aspect_id in theme.aspects:
            if aspect_id in wordings:
                wordings[aspect_id].append(theme.short or theme.name)
    return wordings


def propose_aspects(section: Section, wordings: dict[str, list[str]]) -> Proposal:
    """The aspects a problems section of a meeting without themes examines: its heading against
    each aspect's wordings, its text where the heading says little ("对照六个方面检视")."""
    core = uncensored(_heading_core(section.heading or ""))
    body = squash(uncensored("".join(b.text for b in section.blocks)))
    scores = {}
    for aspect_id, words in wordings.items():
        heading = max((max(_covered(w, core), 0.9 * _covered(core, w)) for w in words), default=0.0)
        found = sum(1 for w in words if squash(w) in body)
        scores[aspect_id] = max(heading, 0.5 * min(1.0, found / 3))
    ranked = sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))
    best = ranked[0][1] if ranked else 0.0
    if best <= 0:
        return Proposal([ranked[0][0]] if ranked else [], 0.1, "没有匹配的措辞 / no wording matched")
    chosen = [aspect_id for aspect_id, score in ranked if score >= max(0.5, best - 0.05)][:3] or [ranked[0][0]]
    confidence = min(1.0, best) if best >= 0.6 else best * 0.8
    return Proposal(chosen, round(confidence, 2), f"标题与方面措辞相似度 {best:.2f} / heading-aspect similarity")


def _type_score(term: Term, text: str, title: str) -> tuple[float, list[str]]:
    hits = [p for p in term.phrasings if p and squash(p) in text]
    score = sum(1.0 + min(len(squash(p)), 8) / 8 for p in hits)
    if squash(term.name) in text:
        score += 2.0
        hits.append(term.name)
    score += 2.0 * dice(term.name, title)
    return score, hits


def propose_types(text: str, context: str, terms: dict[str, Term]) -> Proposal:
    text, context = uncensored(text), uncensored(context)
    body = squash(text)
    title = re.split(r"[。；;！？]", strip_numbering(text), maxsplit=1)[0]
    scored = []
    for term in terms.values():
        score, hits = _type_score(term, body, title)
        context_score, _ = _type_score(term, squash(context), strip_numbering(context)) if context else (0.0, [])
        scored.append((score + 0.5 * context_score, term.id, hits))
    scored.sort(key=lambda row: (-row[0], row[1]))
    best = scored[0][0]
    if best <= 0:
        return Proposal([scored[0][1]], 0.1, "没有匹配的措辞 / no phrasing matched")
    chosen = [row for row in scored if row[0] >= max(1.2, 0.6 * best)][:3] or scored[:1]
    second = scored[1][0] if len(scored) > 1 else 0.0
    confidence = min(1.0, best / 4) * (1.0 if best - second >= 0.5 or len(chosen) > 1 else 0.8)
    why = "；".join(f"{row[1]}: {'、'.join(row[2][:3]) or '标题相似'}" for row in chosen)
    return Proposal([row[1] for row in chosen], round(confidence, 2), why)


def propose(parsed: Parsed, vocab: Vocabulary, meeting: Meeting) -> Proposals:
    proposals = Proposals()
    for part in parsed.parts:
        vocab_part = vocab.parts.get(part.id)
        if vocab_part is None:
            continue
        if vocab_part.theme_required:
            headed = [s for s in part.sections if s.heading]
            if headed and meeting.themes:
                proposals.themes.update(propose_themes(headed, meeting))
            elif headed:  # no fixed theme set: the section names the aspects it examines
                wordings = aspect_wordings(vocab)
                proposals.aspects.update({id(s): propose_aspects(s, wordings) for s in headed})
        if vocab_part.item_types:
            terms = vocab.types[vocab_part.item_types]
            for section in part.sections:
                for block in section.items:
                    proposals.types[id(block)] = propose_types(block.text, section.heading or "", terms)
    return proposals


# ---------------------------------------------------------------- 整改对账: which measures answer a problem

LINK_MIN = 0.6  # a measure scoring less than this is not proposed
LINK_SPREAD = 0.35  # besides the best, measures within this of it are proposed too
LINK_MAX = 3


@dataclass
class LinkTarget:
    """What a problem item may name: a measure item, or a measures section without items."""

    id: str
    text: str  # its text, with its section heading
    types: list[str]


def link_targets(parsed: Parsed, types: dict[int, Proposal], item_ids: dict[int, str],
                 section_ids: dict[int, str], vocab: Vocabulary) -> list[LinkTarget]:
    targets = []
    for part in parsed.parts:
        vocab_part = vocab.parts.get(part.id)
        if vocab_part is None or vocab_part.item_types != "measure_types":
            continue
        for section in part.sections:
            heading = section.heading or ""
            if section.items:
                targets += [LinkTarget(item_ids[id(b)], heading + b.text, types[id(b)].ids if id(b) in types else [])
                            for b in section.items]
            elif section.blocks:
                targets.append(LinkTarget(section_ids[id(section)], heading + "".join(b.text for b in section.blocks), []))
    return targets


def propose_link(text: str, problem_types: list[str], targets: list[LinkTarget], vocab: Vocabulary) -> Proposal:
    """The measures answering a problem: a measure whose type answers one of the problem's types
    (answered_by in data/problem_types.yml) scores 1, and the wording both share adds to it (twice
    the Dice coefficient of their character bigrams)."""
    terms = vocab.types["problem_types"]
    wanted = {m for t in problem_types if t in terms for m in terms[t].answered_by}
    text = uncensored(text)
    scored = []
    for target in targets:
        by_type = 1.0 if wanted & set(target.types) else 0.0
        by_words = 2 * dice(text, uncensored(target.text))
        scored.append((by_type + by_words, target.id, by_type, by_words))
    scored.sort(key=lambda row: -row[0])  # stable: ties keep the report's order
    if not scored or scored[0][0] < LINK_MIN:
        best = scored[0][0] if scored else 0.0
        return Proposal([], round(0.3 + 0.2 * min(1.0, best / LINK_MIN), 2),
                        "没有类型对应、措辞相近的措施 / no measure of a matching type or wording")
    chosen = [row for row in scored if row[0] >= max(LINK_MIN, scored[0][0] - LINK_SPREAD)][:LINK_MAX]
    typed = all(row[2] for row in chosen)
    confidence = min(1.0, scored[0][0] / 1.4) * (1.0 if typed else 0.7)
    why = "；".join(f"{row[1]}: {'类型对应 type match, ' if row[2] else ''}措辞 wording {row[3]:.2f}" for row in chosen)
    return Proposal([row[1] for row in chosen], round(confidence, 2), why)


def propose_links(parsed: Parsed, vocab: Vocabulary, proposals: Proposals, item_ids: dict[int, str],
                  section_ids: dict[int, str]) -> dict[int, Proposal]:
    """id(problem block) -> the measures proposed as answering it."""
    targets = link_targets(parsed, proposals.types, item_ids, section_ids, vocab)
    links = {}
    for part in parsed.parts:
        vocab_part = vocab.parts.get(part.id)
        if vocab_part is None or vocab_part.item_types != "problem_types":
            continue
        for section in part.sections:
            for block in section.items:
                types = proposals.types[id(block)].ids if id(block) in proposals.types else []
                links[id(block)] = propose_link(block.text, types, targets, vocab)
    return links
