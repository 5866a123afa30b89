"""A synthetic corpus for benchmarks: a complete, valid project copy with N reports made by
recombining the seed reports' sentences (numbers and place names varied), deterministic per seed.

    python -m benchmarks.corpus 1000 /tmp/corpus-1000

The copy holds mkdocs.yml (custom_dir pointing at the real kb/theme), hooks/, data/ (synthetic
units appended to units.yml) and docs/ with the seed reports plus synthetic ones, N in all."""

from __future__ import annotations

import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kb.errors import Problems
from kb.structure import REPORTS_DIR, load_reports
from kb.vocab import load_vocabulary

REPO = Path(__file__).resolve().parent.parent
THEME_DIR = REPO / "kb" / "theme"

CN_NUMBERS = "一二三四五六七八九十"
# Leading numbering of items and headings as the seeds write it: 一是 / 1、 / （一） / （1）
LEADING_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+是|[0-9]+、|（[一二三四五六七八九十0-9]+）|[一二三四五六七八九十]+、)\s*")
SENTENCE = re.compile(r"[^。！？]+[。！？]?")
PLACE_SYLLABLES = "青河东西南北安平阳山江湖宁远泉溪石林丰长新永兴华清和德临川桂云"
PLACE_SUFFIX = {"central": "", "provincial": "省", "municipal": "市", "county": "县", "township": "镇"}
MEETING = "dsxx-2021"  # the meeting whose themes the seed reports follow
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


@dataclass
class Pools:
    """What the seed reports offer to recombine, by part (and by theme for problems)."""

    prefaces: list[str] = field(default_factory=list)
    intros: dict[str, list[str]] = field(default_factory=dict)  # part -> non-item paragraphs
    items: dict[str, list[tuple[str, list[str]]]] = field(default_factory=dict)  # part -> (text, types)
    theme_items: dict[int, list[tuple[str, list[str]]]] = field(default_factory=dict)  # theme number -> items
    headings: dict[str, list[str]] = field(default_factory=dict)  # part -> section headings, numbering removed
    sentences: dict[str, list[str]] = field(default_factory=dict)  # part -> every item sentence


@lru_cache(maxsize=1)
def _seed_material():
    problems = Problems(root=REPO)
    vocab = load_vocabulary(REPO / "data", problems)
    reports = load_reports(REPO / "docs", problems)
    if problems:
        raise SystemExit("the repository's own data has problems; run kb check first:\n" + "\n".join(
            p.format() for p in problems.sorted()))
    pools = Pools()
    for report in reports:
        for section in report.sections:
            part = section.part
            if part == "preface":
                pools.prefaces.extend(b.text for b in section.blocks)
                continue
            if section.heading and part != "problems":
                pools.headings.setdefault(part, []).append(LEADING_NUMBER.sub("", section.heading))
            for block in section.blocks:
                if block.item is None:
                    pools.intros.setdefault(part, []).append(block.text)
                    continue
                entry = (block.item.text, list(block.item.types))
                pools.items.setdefault(part, []).append(entry)
                if section.theme:
                    pools.theme_items.setdefault(vocab.themes[section.theme].number, []).append(entry)
                body = LEADING_NUMBER.sub("", block.item.text)
                pools.sentences.setdefault(part, []).extend(s for s in SENTENCE.findall(body)[1:] if len(s) > 8)
    return vocab, reports, pools


class _Writer:
    """Random text from the pools, with numbers and placeholder names varied."""

    def __init__(self, rng: random.Random, pools: Pools, region: str, short: str):
        self.rng, self.pools, self.region, self.short = rng, pools, region, short

    def vary(self, text: str) -> str:
        rng = self.rng
        # counts vary, years (four digits) stay
        text = re.sub(r"(?<![0-9])[0-9]{1,3}(?![0-9])", lambda m: str(max(1, int(m.group()) + rng.randint(-3, 9))), text)
        for name in ("xx县委常委班子", "县委常委班子", "县政府办"):  # the seeds' units, before their county
            text = text.replace(name, self.short)
        text = text.replace("xx县", self.region)
        return text.replace("xxx", rng.choice(SURNAMES) + rng.choice("建国志强红霞明华") + "同志")

    def item(self, part: str, number: str, theme: int | None = None) -> tuple[str, list[str]]:
        rng = self.rng
        pool = (self.pools.theme_items.get(theme) if theme else None) or self.pools.items[part]
        text, types = rng.choice(pool)
        sentences = SENTENCE.findall(LEADING_NUMBER.sub("", text))
        lead, rest = sentences[0], sentences[1:]
        # about as long as the seed item: some of its sentences, sometimes one from another item
        body = rest[: rng.randint(max(0, len(rest) - 2), len(rest))]
        if rng.random() < 0.4:
            body.insert(rng.randint(0, len(body)), rng.choice(self.pools.sentences[part]))
        return number + self.vary(lead + "".join(body)), types


def _number(style: int, index: int) -> str:
    cn = CN_NUMBERS[index]
    return (f"{cn}是", f"{index + 1}、", f"（{index + 1}）")[style]


def _section(part: str, heading: str | None, paragraphs: list[str], theme: str | None = None) -> str:
    head = f"---\npart: {part}\n" + (f"theme: {theme}\n" if theme else "") + "---\n"
    body = ([f"# {heading}"] if heading else []) + paragraphs
    return head + "\n\n".join(body) + "\n"


def _item_paragraph(text: str, item_id: str, types: list[str]) -> str:
    return f'{text}\n{{: #{item_id} types="{" ".join(types)}" }}'


def _synthetic_unit(rng: random.Random, index: int, vocab) -> dict:
    level = rng.choice([level for level in vocab.levels if level != "central"])  # "中央" names no place
    kind = rng.choice(list(vocab.unit_kinds))
    place = "".join(rng.sample(PLACE_SYLLABLES, 2))
    region = place + PLACE_SUFFIX.get(level, "")
    kind_name = vocab.unit_kinds[kind].name
    return {"id": f"syn-unit-{index:05d}", "name": f"{region}{kind_name}（合成{index}）",
            "short": region + re.sub(r"（.*?）|领导班子|班子", "", kind_name), "kind": kind, "level": level, "region": region}


def _report_files(rng: random.Random, index: int, unit: dict, vocab, pools: Pools) -> dict[str, str]:
    meeting = vocab.meetings[MEETING]
    year = int(meeting.year)
    writer = _Writer(rng, pools, unit["region"], unit["short"])
    heads = {part: rng.choice(vocab.parts[part].headings) for part in ("problems", "causes", "measures")}
    files = {"index.md": (
        "---\n"
        f"title: {unit['name']}{meeting.name}对照检查材料\n"
        f"unit: {unit['id']}\nmeeting: {meeting.id}\nyear: {year}\n"
        f"date: {year + 1}-{rng.randint(1, 2):02d}-{rng.randint(1, 28):02d}\n"
        f"source: 合成测试材料 {index}（benchmarks/corpus.py）\n"
        "parts:\n"
        f"  problems: 一、{heads['problems']}\n  causes: 二、{heads['causes']}\n  measures: 三、{heads['measures']}\n"
        "---\n")}
    files["00-preface.md"] = _section("preface", None, [writer.vary(rng.choice(pools.prefaces))])
    style = rng.randrange(3)
    for number, theme in enumerate(meeting.themes, start=1):
        paragraphs = [writer.vary(rng.choice(pools.intros["problems"]))] if rng.random() < 0.5 else []
        for n in range(rng.randint(1, 4)):
            text, types = writer.item("problems", _number(style, n), theme.number)
            paragraphs.append(_item_paragraph(text, f"p{number}-{n + 1}", types))
        heading = f"（{CN_NUMBERS[number - 1]}）{theme.name}方面"
        files[f"1{number}-problems-{number}.md"] = _section("problems", heading, paragraphs, theme.id)
    for digit, part, letter in ((2, "causes", "c"), (3, "measures", "m")):
        files[f"{digit}0-{part}-intro.md"] = _section(part, None, [writer.vary(rng.choice(pools.intros[part]))])
        for number in range(1, 5):
            heading = f"（{CN_NUMBERS[number - 1]}）{writer.vary(rng.choice(pools.headings[part]))}"
            paragraphs = []
            for n in range(rng.randint(1, 3)):
                text, types = writer.item(part, _number(style, n) if n or rng.random() < 0.5 else "")
                paragraphs.append(_item_paragraph(text, f"{letter}{number}-{n + 1}", types))
            files[f"{digit}{number}-{part}-{number}.md"] = _section(part, heading, paragraphs)
    return files


def _yaml_scalar(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _mkdocs_config(source: str) -> str:
    """The repository's mkdocs.yml with custom_dir pointing at the real kb/theme."""
    config, count = re.subn(r"(?m)^(\s*custom_dir:\s*).*$", lambda m: m.group(1) + str(THEME_DIR), source)
    if count != 1:
        raise SystemExit("mkdocs.yml: expected exactly one custom_dir line to repoint")
    return config


def make_corpus(n_reports: int, target: Path, seed: int = 0) -> Path:
    """Write a project copy with n_reports reports (the seed reports included) into target."""
    target = Path(target)
    vocab, seed_reports, pools = _seed_material()
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    (target / "mkdocs.yml").write_text(_mkdocs_config((REPO / "mkdocs.yml").read_text(encoding="utf-8")), encoding="utf-8")
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(REPO / "hooks", target / "hooks", ignore=ignore)
    shutil.copytree(REPO / "data", target / "data", ignore=ignore)
    shutil.copytree(REPO / "docs", target / "docs", ignore=ignore)  # seed reports and any other page

    rng = random.Random(seed)
    units_yml = [(target / "data" / "units.yml").read_text(encoding="utf-8").rstrip("\n")]
    reports_dir = target / "docs" / REPORTS_DIR
    for index in range(1, n_reports - len(seed_reports) + 1):
        unit = _synthetic_unit(rng, index, vocab)
        units_yml.append("\n".join([f"  - id: {unit['id']}"] + [f"    {key}: {_yaml_scalar(unit[key])}"
                                                                 for key in ("name", "short", "kind", "level", "region")]))
        folder = reports_dir / f"{vocab.meetings[MEETING].year}-syn-{index:05d}"
        folder.mkdir()
        for name, content in _report_files(rng, index, unit, vocab, pools).items():
            (folder / name).write_text(content, encoding="utf-8")
    (target / "data" / "units.yml").write_text("\n".join(units_yml) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        raise SystemExit("usage: python -m benchmarks.corpus N_REPORTS TARGET [SEED]")
    out = make_corpus(int(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) == 4 else 0)
    print(out)
