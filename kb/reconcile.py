"""整改对账: which measures answer each problem item of a report. A problem item names them in its
marker (measures="m1-1 m2-3"): the ids of measure items of the same report, or of a measures
section that has no items (then its file stem, e.g. 31-measures-1). A problem item naming none is
unanswered; a measure no problem names is unreferenced. Read by kb check (unknown ids), catalog.json,
the report page and the site-wide views."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Item, Report, Section
from .vocab import Vocabulary

PROBLEMS, MEASURES = "problem_types", "measure_types"  # the type vocabularies of the two parts


@dataclass(frozen=True, eq=False)
class Answer:
    """A measure a problem item names: an item, or a measures section without items."""

    id: str
    section: Section
    item: Item | None

    @property
    def anchor(self) -> str:
        """Its anchor on the report page (items keep their id, sections are s-<id>)."""
        return self.item.id if self.item is not None else f"s-{self.section.id}"


def measure_targets(report: Report, vocab: Vocabulary) -> dict[str, Answer]:
    """What a problem item of this report may name, by id, in report order."""
    targets: dict[str, Answer] = {}
    for section in report.sections:
        if vocab.type_vocabulary_of(section.part) != MEASURES:
            continue
        items = section.items
        if not items:
            targets.setdefault(section.id, Answer(section.id, section, None))
        for item in items:
            targets.setdefault(item.id, Answer(item.id, section, item))
    return targets


def problem_items(report: Report, vocab: Vocabulary) -> list[Item]:
    return [item for section in report.sections if vocab.type_vocabulary_of(section.part) == PROBLEMS
            for item in section.items]


def unanswered(report: Report, vocab: Vocabulary) -> list[Item]:
    """The problem items no measure answers, in report order."""
    return [item for item in problem_items(report, vocab) if not item.measures]


def unreferenced_measures(report: Report, vocab: Vocabulary) -> list[Answer]:
    """The measures no problem item of the report names, in report order: measure items, and measure
    sections without items that have a heading (a measures part's heading-less opening paragraphs
    introduce the measures rather than being one). Not an error: a measure may answer problems at
    large; reviewers weigh whether it answers anything admitted."""
    problems = problem_items(report, vocab)
    if not problems:
        return []
    named = {measure_id for item in problems for measure_id in item.measures}
    return [answer for answer_id, answer in measure_targets(report, vocab).items()
            if answer_id not in named and (answer.item is not None or answer.section.heading is not None)]


def answers(item: Item, targets: dict[str, Answer]) -> list[Answer]:
    """The measures a problem item names (kb check has made sure every id is among targets)."""
    return [targets[measure_id] for measure_id in item.measures if measure_id in targets]
