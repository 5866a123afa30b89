"""The static fingerprint index the browser's 查重 page (assets/similar.js) checks a draft against.

Layout under <site>/fingerprints/ (fetched on demand, nothing sent anywhere):
  meta.json     version, parameters (K, W, passage rules), report count, shard count, and the
                template k-gram hashes (theme wording, stock formulae) a draft's k-grams are masked with
  s/<k>.json    the fingerprints whose top bits are k and the reports holding each, packed (a draft of
                3,000 characters has ~850 fingerprints, spread over every shard: bytes matter more
                than JSON's convenience; as many shards as make a typical draft's lookups cheapest,
                _shard_bits: one while the index is small, many small ones once it is large):
                {"h": fingerprints ascending, base-36 differences from the previous one, ","-joined;
                 "r": for each fingerprint its report numbers ascending, base 36, "."-joined; ","-joined}
                common fingerprints (in more than COMMON_REPORTS reports) are left out, as in the build
  d/<n>.json    report n: id, title, unit, URL and its sections' id, title and text (the draft is
                compared with the few reports sharing most of its fingerprints, as the build compares reports)
A 3,000-character draft fetches meta.json, the shards of its fingerprints and a handful of reports:
three rounds of requests, fetched in parallel within each."""

from __future__ import annotations

from pathlib import Path

from .. import paths
from ..labels import section_title
from ..site_files import TreeWriter, compact_json
from . import corpus as corpus_rules
from . import fingerprint as rules
from . import passages as passage_rules

FOLDER = "fingerprints"
TYPICAL_LOOKUPS = 850  # fingerprints of a 3,000-character draft
LOOKUP_BUDGET = 200 * 1024  # bytes of shards such a draft may fetch (~300 KB in all with meta.json and 6 reports)
REQUEST_BYTES = 4096  # what one more request costs, counted in bytes (a round trip, headers)
MAX_SHARD_BITS = 12


def write_fingerprint_index(similarity, site_dir: Path, written: dict[str, str] | None = None) -> dict:
    kb = similarity.kb
    holders = similarity.holders
    hashes = sorted(holders)
    numbers = [_b36(r) for r in range(len(kb.reports))]
    bits = _shard_bits(len(compact_json(_packed(hashes, holders, numbers)).encode("utf-8")))
    shards: list[list[int]] = [[] for _ in range(1 << bits)]
    for h in hashes:
        shards[h >> (32 - bits) if bits else 0].append(h)
    with TreeWriter(Path(site_dir) / FOLDER, written) as out:  # a file at a time: the reports' text is not held twice
        for k, shard in enumerate(shards):
            out.put(f"s/{k}.json", compact_json(_packed(shard, holders, numbers)))
        shard_bytes = out.bytes
        for number, report in enumerate(kb.reports):
            unit = kb.unit_of(report)
            url = paths.url_of(report.src_path)
            out.put(f"d/{number}.json", compact_json({
                "id": report.id, "title": report.title, "unit": unit.name, "url": url,
                "sections": [{"id": s.id, "title": section_title(kb, s), "text": s.body_text}  # anchor: url#s-<id>
                             for s in report.sections],
            }))
        version = out.version()
        out.put("meta.json", compact_json({
            "version": version, "reports": len(kb.reports), "shardBits": bits,
            "k": rules.K, "w": rules.W, "maxGap": passage_rules.MAX_GAP, "maxSkew": passage_rules.MAX_SKEW,
            "minPassage": passage_rules.MIN_PASSAGE, "maxCandidates": corpus_rules.MAX_CANDIDATES,
            "minSharedPrints": corpus_rules.MIN_SHARED_PRINTS, "commonReports": corpus_rules.COMMON_REPORTS,
            "template": [_b36(h) for h in sorted(similarity.template)],
        }))
    return {"reports": len(kb.reports), "shards": 1 << bits, "files": out.files, "bytes": out.bytes,
            "shard_bytes": shard_bytes}


def _shard_bits(size: int) -> int:
    """How many shards (a power of two) make a typical draft's lookups cheapest, counting the bytes of
    the shards it is expected to fetch plus REQUEST_BYTES for each, among those keeping the bytes under
    LOOKUP_BUDGET (size: bytes of the whole index as one shard). A draft's fingerprints are spread over
    all shards, so one file while the index is small; more, smaller ones once it outgrows the budget."""
    def touched(bits: int) -> float:  # expected share of the shards fetched
        return 1 - (1 - 1 / (1 << bits)) ** TYPICAL_LOOKUPS

    within = [bits for bits in range(MAX_SHARD_BITS + 1) if touched(bits) * size <= LOOKUP_BUDGET]
    return min(within or [MAX_SHARD_BITS], key=lambda bits: touched(bits) * (size + (1 << bits) * REQUEST_BYTES))


def _packed(hashes: list[int], holders: dict[int, list[int]], numbers: list[str]) -> dict[str, str]:
    """numbers: report number -> base 36 (each number stands in many fingerprints' lists)."""
    previous, deltas = 0, []
    for h in hashes:
        deltas.append(_b36(h - previous))
        previous = h
    return {"h": ",".join(deltas), "r": ",".join(".".join(map(numbers.__getitem__, sorted(holders[h]))) for h in hashes)}


def _b36(value: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        value, rest = divmod(value, 36)
        out = digits[rest] + out
        if not value:
            return out


