"""How well `kb import`'s proposed 整改对账 links agree with the links a person set (`kb links`):
each report that keeps its raw text in sources/<id>.txt is imported again with its own metadata
into an empty copy of the vocabularies, and the measures proposed for each problem item are
compared with the measures="…" its stored marker names."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..knowledge import KnowledgeBase
from ..reconcile import problem_items
from .report import Options, plan


@dataclass
class Agreement:
    report: str
    problems: int = 0  # problem items compared
    same: int = 0  # problem items whose proposed set equals the set as written (both empty counts)
    proposed: int = 0  # links (problem, measure) proposed
    written: int = 0  # links set by hand
    common: int = 0  # links in both

    def add(self, other: "Agreement") -> None:
        for name in ("problems", "same", "proposed", "written", "common"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float:
        return self.common / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.common / self.written if self.written else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def format(self) -> str:
        return (f"{self.report}: 问题条目 {self.problems} 条，建议与写定完全一致 {self.same} 条 "
                f"({self.same / self.problems:.0%}) / problem items {self.problems}, identical {self.same}; "
                f"links proposed {self.proposed}, set by hand {self.written}, in both {self.common}: "
                f"precision {self.precision:.2f}, recall {self.recall:.2f}, F1 {self.f1:.2f}" if self.problems else
                f"{self.report}: 没有问题条目 / no problem items")


def proposed_links(root: Path, kb: KnowledgeBase, report_id: str, data_copy: Path) -> dict[str, list[str]]:
    """Problem item id -> measures kb import proposes, for a stored report imported again."""
    report = next(r for r in kb.reports if r.id == report_id)
    source = Path(root) / "sources" / f"{report_id}.txt"
    planned = plan(data_copy, source.read_bytes(), source.name,
                   Options(unit=report.unit, meeting=report.meeting, title=report.title, year=report.year or 0,
                           report_id=report_id, author_kind=report.author_kind, author_role=report.author_role))
    return {planned.item_ids[key]: proposal.ids for key, proposal in planned.proposals.links.items()}


def agreements(root: Path, kb: KnowledgeBase) -> list[Agreement]:
    """One Agreement per report with a source, in the reports list's order."""
    results = []
    with tempfile.TemporaryDirectory(prefix="kb-links-") as tmp:
        data_copy = Path(tmp)
        shutil.copytree(Path(root) / "data", data_copy / "data")
        (data_copy / "docs" / "reports").mkdir(parents=True)
        for report in kb.reports:
            if not (Path(root) / "sources" / f"{report.id}.txt").is_file():
                continue
            proposed = proposed_links(root, kb, report.id, data_copy)
            result = Agreement(report.id)
            for item in problem_items(report, kb.vocab):
                mine, theirs = set(proposed.get(item.id, [])), set(item.measures)
                result.problems += 1
                result.same += mine == theirs
                result.proposed += len(mine)
                result.written += len(theirs)
                result.common += len(mine & theirs)
            results.append(result)
    return results
