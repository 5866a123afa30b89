"""`kb similar`: the passages of a draft (a text file) or of a stored report found elsewhere in the
corpus, and the duplicate-submission check CI runs on the reports a pull request adds."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ..knowledge import KnowledgeBase
from ..labels import section_title
from .corpus import DUPLICATE_SHARE, Similarity, match_record
from .fingerprint import normalize


def draft_records(similarity: Similarity, text: str) -> list[dict]:
    """catalog.json-style similar entries for a draft (its one text has section id "")."""
    corpus = similarity.corpus
    draft = corpus.draft(text)
    return [match_record(corpus, draft.own_chars, m) for m in corpus.matches([draft])]


def format_records(kb: KnowledgeBase, label: str, records: list[dict], own=None) -> str:
    """What `kb similar` prints: each report with its share, then each passage and where it stands."""
    if not records:
        return f"{label}：未发现与其他报告相同的段落 / no passage found in any other report"
    reports = kb.reports_by_id
    lines = [f"{label}：与 {len(records)} 份报告有相同段落 / shares passages with {len(records)} report(s)"]
    for record in records:
        other = reports[record["report"]]
        lines.append(f"  {other.id}  {other.title}")
        lines.append(f"    相同 {record['shared_chars']} 字，占 {record['share'] * 100:.1f}% "
                     f"/ {record['shared_chars']} characters, {record['share'] * 100:.1f}% shared")
        for passage in record["passages"]:
            theirs = next(s for s in other.sections if s.id == passage["other_section"])
            where = f"{own.id}/{passage['section']} → " if own is not None else ""
            lines.append(f"    - {where}{other.id}/{theirs.id}（{section_title(kb, theirs)}）："
                         f"{_one_line(passage['text'])}")
    return "\n".join(lines)


def _one_line(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def duplicates(records: list[dict]) -> list[dict]:
    """The reports a report is a near-duplicate of (DUPLICATE_SHARE or more of it stands in one)."""
    return [r for r in records if r["share"] >= DUPLICATE_SHARE]


def added_reports(root: Path, base: str) -> list[str]:
    """Ids of the reports added since git revision `base` (their index.md is new)."""
    out = subprocess.run(["git", "diff", "--name-only", "--diff-filter=A", f"{base}...HEAD", "--", "docs/reports"],
                         cwd=root, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"git diff 失败 / git diff failed: {out.stderr.strip()}")
    ids = []
    for line in out.stdout.splitlines():
        parts = line.split("/")
        if len(parts) == 4 and parts[3] == "index.md":
            ids.append(parts[2])
    return sorted(ids)


__all__ = ["added_reports", "draft_records", "duplicates", "format_records", "normalize"]
