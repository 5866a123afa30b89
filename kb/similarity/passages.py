"""Shared passages between two fingerprinted texts, from the fingerprints they share.
assets/similar.js implements the same steps for a draft in the browser.

Matches (position in a, position in b) of equal fingerprints are chained in a's order while they
keep step in b: a following match is at most MAX_GAP characters further in a, and its offset in b
differs from its offset in a by at most MAX_SKEW (a few characters changed, a clause inserted or
left out). A chain is then extended character by character at both ends while a and b agree
(outside template text), so a passage is shown whole, and kept when it holds at least MIN_PASSAGE
characters outside template text. Reordered clauses become several passages."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from .fingerprint import K, W, Fingerprinted

MAX_GAP = 2 * (W + K)  # consecutive fingerprints of one shared run are at most W apart; edits add a little
MAX_SKEW = 12  # characters inserted into, or left out of, a copied passage without breaking it
MIN_PASSAGE = 20  # normalised characters (letters and digits) outside template text


@dataclass(frozen=True)
class Passage:
    a_start: int  # normalised span in a
    a_end: int
    b_start: int  # normalised span in b
    b_end: int
    chars: int  # normalised characters of a's span outside template text


def template_chars(spans: list[tuple[int, int]], start: int, end: int) -> int:
    """How many positions of [start, end) lie in the (sorted, disjoint) template spans."""
    total = 0
    for s, e in spans[max(0, bisect_left(spans, (start, start)) - 1):]:
        if s >= end:
            break
        total += max(0, min(e, end) - max(s, start))
    return total


def _template_before(spans: list[tuple[int, int]], pos: int) -> int:
    """Where the nearest template span ending at or before pos ends (0 when none)."""
    i = bisect_left(spans, (pos, pos))
    return min(spans[i - 1][1], pos) if i > 0 else 0


def _template_after(spans: list[tuple[int, int]], pos: int) -> int | None:
    """Where the nearest template span starting at or after pos starts (None when none)."""
    i = bisect_left(spans, (pos, pos))
    if i > 0 and spans[i - 1][1] > pos:
        return pos
    return spans[i][0] if i < len(spans) else None


def _agreeing(limit: int, same) -> int:
    """The largest n <= limit for which same(0, n) holds, same(at, size) comparing size characters
    from at: blocks doubling in size while they agree (copied passages run long), then halving
    within the block that disagrees."""
    n, step = 0, 16
    while n < limit:
        size = min(step, limit - n)
        if same(n, size):
            n += size
            step *= 2
        else:
            limit = n + size - 1  # they disagree within these size characters
            step = max(1, size // 2)
    return n


def _agree_forward(a: str, b: str, i: int, j: int, stop: int | None) -> int:
    """How many characters a[i:] and b[j:] agree on, not reaching position stop of a."""
    limit = min(len(a) - i, len(b) - j, (stop - i) if stop is not None else len(a))
    return _agreeing(limit, lambda n, size: a[i + n:i + n + size] == b[j + n:j + n + size])


def _agree_backward(a: str, b: str, i: int, j: int, stop: int) -> int:
    """How many characters a[:i] and b[:j] agree on from their ends, not crossing position stop of a."""
    return _agreeing(min(i - stop, j), lambda n, size: a[i - n - size:i - n] == b[j - n - size:j - n])


def chains(matches: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Matches sorted by (a, b) grouped into runs that keep step."""
    out: list[list[tuple[int, int]]] = []
    for a_pos, b_pos in matches:
        for chain in reversed(out[-4:]):  # a repeated fingerprint may continue an earlier chain
            last_a, last_b = chain[-1]
            if 0 < a_pos - last_a <= MAX_GAP and 0 < b_pos - last_b and abs((b_pos - last_b) - (a_pos - last_a)) <= MAX_SKEW:
                chain.append((a_pos, b_pos))
                break
        else:
            out.append([(a_pos, b_pos)])
    return out


def passages(a: Fingerprinted, b: Fingerprinted, matches: list[tuple[int, int]]) -> list[Passage]:
    found: list[Passage] = []
    for chain in chains(sorted(matches)):
        a_start, b_start = chain[0]
        a_end, b_end = chain[-1][0] + K, chain[-1][1] + K
        grow = _agree_backward(a.norm, b.norm, a_start, b_start, _template_before(a.template, a_start))
        a_start, b_start = a_start - grow, b_start - grow
        grow = _agree_forward(a.norm, b.norm, a_end, b_end, _template_after(a.template, a_end))
        a_end, b_end = a_end + grow, b_end + grow
        if found and a_start <= found[-1].a_end + MAX_SKEW:  # overlaps or nearly follows the previous passage in a
            prev = found[-1]
            if b_start <= prev.b_end + MAX_GAP and prev.b_start <= b_end + MAX_GAP:  # near it in b too (clauses
                # reordered, a few characters changed): one passage
                found.pop()
                a_start, b_start = prev.a_start, min(prev.b_start, b_start)
                a_end, b_end = max(prev.a_end, a_end), max(prev.b_end, b_end)
            elif a_start >= prev.a_end:  # follows it in a, but from elsewhere in b: a passage of its own
                pass
            elif a_end - a_start <= prev.a_end - prev.a_start:  # a phrase repeated in b: keep the longer match
                continue
            else:
                found.pop()
        chars = a_end - a_start - template_chars(a.template, a_start, a_end)
        found.append(Passage(a_start, a_end, b_start, b_end, chars))
    return [p for p in found if p.chars >= MIN_PASSAGE]
