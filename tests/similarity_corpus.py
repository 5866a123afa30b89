"""Corpora with planted copies for the 查重 tests: hosts written for these tests (original text,
none of it found in the seed reports or in each other), passages of the seed reports planted into
them verbatim and near-verbatim, and hosts sharing only the meetings' theme wording and stock
formulae."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from conftest import CORPUS

from kb.errors import Problems
from kb.similarity.corpus import Corpus
from kb.similarity.fingerprint import fingerprint
from kb.similarity.template import template_hashes, template_texts
from kb.structure import load_reports
from kb.vocab import load_vocabulary

# Original paragraphs written for these tests (in the reports' register, in words of their own).
ORIGINAL = [
    "今年以来班子坚持每月安排一次集中研讨，但研讨题目多由办公室临时拟定，成员发言前准备不足，讨论常常停留在表态层面，很少拿出能落到纸面上的办法。",
    "对基层反映的停车难、菜市场脏乱等小事，有的同志觉得不属于分管范围，转来转去没有结果，直到媒体曝光后才派人处理，群众对此意见较大。",
    "在招商引资中偏重签约数量，对项目落地后的跟踪服务跟不上，个别企业开工后遇到用地、用电困难，反映多次仍未协调到位，影响了营商环境的口碑。",
    "安全生产检查多以听取汇报和查看台账为主，到作业现场随机抽查的次数偏少，对小作坊、老旧楼宇等隐患点位底数不清，防范措施存在漏洞。",
    "财务审批把关不够细，年底突击花钱的现象在个别科室仍有发生，公务接待清单填写不完整，反映出制度执行中存在打折扣、搞变通的情况。",
    "干部考核评价仍然看材料多、看实绩少，年轻干部到信访、拆迁等一线岗位锻炼的机会不多，部分同志遇到复杂矛盾不会处理、不敢表态。",
    "今后将建立问题清单销号制度，每季度由主要负责同志召集专题会逐项过堂，完成一项销号一项，对拖延不办的严肃追究相关人员责任。",
    "下一步要把每周三定为机关干部下沉社区日，带着具体问题走访住户和商户，当场能解决的当场解决，解决不了的登记建档并限期答复。",
    "针对数据统计口径不一的问题，拟由统计部门牵头统一报表格式，压减重复填报的表格三分之一以上，切实为村居干部腾出时间办实事。",
    "班子成员之间谈心谈话次数不少，但谈工作多、谈思想少，相互提醒多停留在私下场合，会上提意见时顾虑重重，难以达到红脸出汗的效果。",
]

LENGTHS = [40, 50, 70, 100]
VARIANTS = ["verbatim", "characters-changed", "punctuation-changed", "clauses-reordered", "clause-inserted"]


@dataclass
class Planted:
    host: str  # report id of the host
    source: str  # report id the passage was taken from
    variant: str
    length: int
    text: str  # as planted


def seed_reports():
    problems = Problems(root=CORPUS)
    vocab = load_vocabulary(CORPUS / "data", problems)
    reports = load_reports(CORPUS / "docs", problems)
    assert not problems, problems.sorted()
    return vocab, reports


def source_passages(vocab, bodies: list[tuple[str, str]], rng: random.Random, length: int,
                    count: int) -> list[tuple[str, str]]:
    """(report id, passage of `length` characters) from the seed reports' section bodies, each mostly
    outside template text (so that what is planted is the report's own wording)."""
    template = template_hashes(template_texts(vocab))
    out = []
    while len(out) < count:
        report_id, body = bodies.pop(rng.randrange(len(bodies)))  # one passage per section: no two hosts share
        if len(body) < length + 10:
            continue
        lines = [line for line in body.split("\n") if len(line) >= length + 10]  # within one paragraph
        if not lines:
            continue
        line = rng.choice(lines)
        start = rng.randrange(0, len(line) - length)
        piece = line[start:start + length]
        prints = fingerprint(piece, template)
        free = len(prints.norm) - sum(e - s for s, e in prints.template)
        if free >= 0.8 * len(prints.norm):
            out.append((report_id, piece))
    return out


def vary(text: str, variant: str, rng: random.Random) -> str:
    if variant == "verbatim":
        return text
    if variant == "characters-changed":  # two characters replaced, a third apart
        chars = list(text)
        for at in (len(chars) // 3, 2 * len(chars) // 3):
            chars[at] = "某" if chars[at] != "某" else "该"
        return "".join(chars)
    if variant == "punctuation-changed":
        text = text.replace("，", "、").replace("。", "；").replace("“", "\"").replace("”", "\"")
        return " ".join(text[i:i + 7] for i in range(0, len(text), 7))  # spaces, as a bad copy-paste leaves
    if variant == "clauses-reordered":
        clauses = [c for c in re.split(r"(?<=[，；。、])", text) if c]
        if len(clauses) >= 2:
            i = rng.randrange(len(clauses) - 1)
            clauses[i], clauses[i + 1] = clauses[i + 1], clauses[i]
            return "".join(clauses)
        half = len(text) // 2
        return text[half:] + text[:half]
    if variant == "clause-inserted":
        half = len(text) // 2
        return text[:half] + "，在实际工作中尤其明显，" + text[half:]
    raise ValueError(variant)


_CHARS = sorted({ch for text in ORIGINAL for ch in text if "\u4e00" <= ch <= "\u9fff"})


def filler(rng: random.Random, length: int) -> str:
    """Text no other text holds: the original paragraphs' characters in random order, in clauses."""
    chars = [rng.choice(_CHARS) for _ in range(length)]
    return "".join(ch + ("，" if i % 9 == 8 else "") for i, ch in enumerate(chars)) + "。"


def theme_only_text(vocab, rng: random.Random) -> str:
    """A host sharing with every report of its meeting only the themes' wording and stock formulae."""
    meeting = next(iter(vocab.meetings.values()))
    phrases = [p for entry in vocab.stock_phrases.values() for p in entry.phrasings]
    parts = [f"（{i + 1}）{theme.name}方面。{filler(rng, 30)}" for i, theme in enumerate(meeting.themes)]
    return "".join(parts) + "".join(f"{filler(rng, 12)}{phrase}，" for phrase in phrases)


def planted_corpus(seed: int = 1):
    """A corpus: the two seed reports; a host per (length, variant) holding original text around a
    planted copy; hosts holding only original text; hosts sharing only theme wording."""
    rng = random.Random(seed)
    vocab, reports = seed_reports()
    ids = [r.id for r in reports]
    sections = [[(s.id, s.body_text) for s in r.sections] for r in reports]
    planted: list[Planted] = []
    bodies = [(r.id, s.body_text) for r in reports for s in r.sections]
    for length in LENGTHS:
        for variant, (source, passage) in zip(VARIANTS, source_passages(vocab, bodies, rng, length, len(VARIANTS))):
            host = f"host-{variant}-{length}"
            text = vary(passage, variant, rng)
            ids.append(host)
            # the copy stands in text of the host's own (the ORIGINAL paragraphs are reports of their own)
            sections.append([("01-own", filler(rng, 80)), ("02-mixed", filler(rng, 25) + text + "。" + filler(rng, 30))])
            planted.append(Planted(host, source, variant, length, text))
    originals = [f"original-{i}" for i in range(len(ORIGINAL))]
    for i, report_id in enumerate(originals):
        ids.append(report_id)
        sections.append([("01-own", ORIGINAL[i])])
    themed = [f"theme-only-{i}" for i in range(3)]
    for i, report_id in enumerate(themed):
        ids.append(report_id)
        sections.append([("01-themes", theme_only_text(vocab, rng))])
    corpus = Corpus(ids, sections, template_hashes(template_texts(vocab)))
    return corpus, planted, originals, themed

