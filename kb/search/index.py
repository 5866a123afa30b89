"""Build the static search index from catalog.json data (report and section content only, so
generated index pages never show up in results).

Layout under <site>/search/ (all fetched by assets/search.js on demand):
  meta.json          version, document count, shard count, facet names
  s/<k>.json         {bigram: posting, "^"+bigram: posting} for bigrams hashing to shard k;
                     "^" keys index headings and item titles only (ranking)
  d/<n>.json         one section: what a result shows, and its text to verify matches and cut snippets
  facets.json        facet options with counts (loaded when the filter panel opens), except units:
  f/unit-by-kind/<kind>.json  unit options of one unit kind (loaded when that kind is chosen)
  f/<facet>/<value>.txt       posting of one facet value
A query downloads a handful of shards, a few facet files and the documents it shows: nothing
proportional to the corpus."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from ..site_files import TreeWriter, compact_json
from . import postings
from .tokens import bigrams, normalize, shard_of

TARGET_SHARD_BYTES = 8 * 1024  # a 4-character query fetches about 3 shards
MAX_SHARDS = 16384
TITLE_MARK = "^"

# Facet keys, their Chinese names, and where their options come from in the catalog.
FACETS = [
    ("meeting", "会议", "meetings"),
    ("theme", "主题", "themes"),
    ("aspect", "检视方面", "aspects"),
    ("kind", "单位类别", "unit_kinds"),  # before 单位: the unit list is chosen within a kind
    ("unit", "单位", "units"),
    ("author", "作者", "author_kinds"),
    ("role", "作者身份", "author_roles"),  # individual reports only
    ("part", "部分", "parts"),
    ("ptype", "问题类型", "problem_types"),
    ("ctype", "原因类型", "cause_types"),
    ("mtype", "措施类型", "measure_types"),
]
BY_KIND = "unit"  # the one facet whose options grow with the corpus
SAFE_VALUE = re.compile(r"^[A-Za-z0-9_.-]+$")
TYPE_FACETS = {"problem_types": "ptype", "cause_types": "ctype", "measure_types": "mtype"}


class SearchIndexError(Exception):
    """The search index would be missing, empty or inconsistent: the build must stop."""


class SearchIndexWriter:
    """The index under <site>/search/, made a report at a time: each section's document file is
    written as soon as it is made and only its postings and facet values are kept, so the index
    never holds the corpus' text (at 3,000 reports the documents, and then all files' text, were the
    build's peak memory). add() each catalog report record, then finish().
    written: as kb.site_files.TreeWriter (`mkdocs serve` updates the folder in place)."""

    def __init__(self, catalog: dict, site_dir: Path, written: dict[str, str] | None = None):
        site_dir = Path(site_dir)
        _check_assets(site_dir)
        self.catalog = catalog  # the vocabularies: units, parts, themes and the facets' option lists
        self.units = {u["id"]: u for u in catalog.get("units", [])}
        self.parts = {p["id"]: p["name"] for p in catalog.get("parts", [])}
        self.item_types = {p["id"]: p.get("item_types") for p in catalog.get("parts", [])}  # part -> its type vocabulary
        self.themes = {t["id"]: t for t in catalog.get("themes", [])}
        self.total = 0
        self.lists: dict[str, postings.Posting] = defaultdict(postings.Posting)  # doc numbers ascend, as postings need
        self.members: dict[str, dict[str, postings.Posting]] = {key: defaultdict(postings.Posting) for key, _, _ in FACETS}
        self.out = TreeWriter(site_dir / "search", written)

    def add(self, report: dict) -> None:
        """One catalog report record (README: catalog.json reports[])."""
        unit = self.units.get(report["unit"], {})
        for section in report.get("sections", []):
            number = self.total
            self.total += 1
            record = _record(report, section, unit, self.parts, self.themes)
            self.out.put(f"d/{number}.json", compact_json(record))
            body = record["heading"] + "\n" + "\n\n".join(para for _, para in record["paras"])
            for key in bigrams(body):
                self.lists[key].add(number)
            titles = "\n".join([record["heading"]] + [i.get("title") or "" for i in section.get("items", [])])
            for key in bigrams(titles):
                self.lists[TITLE_MARK + key].add(number)
            for key, values in _facet_values(report, section, unit, self.item_types).items():
                for value in sorted(values):
                    self.members[key][value].add(number)

    def finish(self) -> dict:
        """Write postings, facets and meta.json and put the folder in place; SearchIndexError (and
        nothing swapped in) when the index would be empty."""
        with self.out:
            return self._finish()

    def _finish(self) -> dict:
        if not self.total:
            raise SearchIndexError("搜索索引为空：catalog.json 中没有任何章节 / search index would be empty: "
                                   "catalog.json holds no sections")
        lists = self.lists
        if not any(not k.startswith(TITLE_MARK) for k in lists):
            raise SearchIndexError("搜索索引为空：章节没有可检索的文字 / search index would be empty: "
                                   "no section has searchable text")
        total = self.total
        # each stage's input is let go as the next is made (the postings, their encoded form and the
        # shards together were the build's peak memory)
        encoded = {key: lists.pop(key).encode(total) for key in list(lists)}
        keys = len(encoded)
        size = sum(len(k) * 3 + len(v) + 6 for k, v in encoded.items())
        shards = 1
        while shards < MAX_SHARDS and size / shards > TARGET_SHARD_BYTES:
            shards *= 2
        shard_maps: list[dict[str, str]] = [{} for _ in range(shards)]
        for key in list(encoded):
            shard_maps[shard_of(key[1:] if key.startswith(TITLE_MARK) else key, shards)][key] = encoded.pop(key)
        for k in range(shards):
            # keys sorted: bigrams() is a set, so insertion order followed PYTHONHASHSEED and two builds
            # of the same tree differed in every shard and in meta.json's version
            self.out.put(f"s/{k}.json", compact_json(dict(sorted(shard_maps[k].items()))))
            shard_maps[k] = {}
        public_facets = []
        for facet in self._facet_options():
            for option in facet["options"]:
                if not SAFE_VALUE.match(option["v"]):
                    raise SearchIndexError(f"筛选值不能用作文件名：{facet['key']}={option['v']!r}（只允许字母、数字、-、_、.）"
                                           f" / facet value unusable as a file name: {facet['key']}={option['v']!r}")
                self.out.put(f"f/{facet['key']}/{option['v']}.txt", option.pop("docs").encode(total))
            if facet["key"] == BY_KIND:
                # units grow with the corpus: their options are loaded per unit kind, not all at once
                kinds: dict[str, list[dict]] = defaultdict(list)
                for option in facet["options"]:
                    kinds[option.pop("kind")].append(option)
                for kind, options in kinds.items():
                    self.out.put(f"f/{BY_KIND}-by-kind/{kind}.json", compact_json(options))
                facet = {"key": facet["key"], "name": facet["name"], "byKind": True, "options": []}
            public_facets.append(facet)
        self.out.put("facets.json", compact_json({"facets": public_facets}))
        version = self.out.version()
        meta = {"version": version, "docs": total, "shards": shards, "titleMark": TITLE_MARK,
                "facets": [{"key": f["key"], "name": f["name"]} for f in public_facets]}
        self.out.put("meta.json", compact_json(meta))
        return {"docs": total, "shards": shards, "keys": keys, "files": self.out.files,
                "bytes": self.out.bytes, "version": version}

    def _facet_options(self) -> list[dict]:
        out = []
        for key, name, source in FACETS:
            members = self.members[key]
            options = []
            for entry in self.catalog.get(source, []):
                if entry["id"] in members:
                    label = entry.get("name", entry["id"])
                    if key == "theme":
                        label = entry.get("short") or label
                    option = {"v": entry["id"], "name": label, "n": len(members[entry["id"]]), "docs": members[entry["id"]]}
                    if key == BY_KIND:
                        option["kind"] = entry.get("kind") or "none"
                    options.append(option)
            out.append({"key": key, "name": name, "options": options})
        return out


def _record(report: dict, section: dict, unit: dict, parts: dict, themes: dict) -> dict:
    """What a result shows (d/<n>.json), with the section's text to verify matches and cut snippets."""
    items = {i["text"].strip(): i for i in section.get("items", [])}
    paragraphs = []
    for para in section.get("text", "").split("\n\n"):
        item = items.get(para.strip())
        paragraphs.append([item["id"] if item else "", para])
    theme = themes.get(section.get("theme") or "")
    return {
        "id": f"{report['id']}/{section['id']}",
        "url": section["url"],
        "report": report["title"],
        "reportUrl": report["url"],
        "unit": unit.get("name", report["unit"]),
        "part": parts.get(section["part"], section["part"]),
        "theme": theme["short"] if theme else "",
        "heading": section.get("heading") or "",
        "title": section.get("title") or "",
        "paras": paragraphs,
    }


def _facet_values(report: dict, section: dict, unit: dict, item_types: dict) -> dict[str, set[str]]:
    values: dict[str, set[str]] = {
        "meeting": {report["meeting"]}, "unit": {report["unit"]}, "part": {section["part"]},
        "theme": {section["theme"]} if section.get("theme") else set(),
        "aspect": set(section.get("aspects") or ()),
        "kind": {unit["kind"]} if unit.get("kind") else set(),
        "author": {report.get("author_kind") or "group"},  # the model's default
        "role": {report["author_role"]} if report.get("author_role") else set(),
    }
    type_facet = TYPE_FACETS.get(item_types.get(section["part"]) or "")
    for item in section.get("items", []) if type_facet else ():
        values.setdefault(type_facet, set()).update(item.get("types", []))
    return values


def write_search_index(catalog: dict, site_dir: Path, written: dict[str, str] | None = None) -> dict:
    """The index of a whole catalog (its reports iterated once)."""
    index = SearchIndexWriter(catalog, site_dir, written)
    for report in catalog.get("reports", []):
        index.add(report)
    return index.finish()


# The browser half of search: without it (or without the header box) the index is useless.
REQUIRED_ASSETS = {"assets/search.js": "kbSearch", "assets/search.css": ".kb-search"}
_HEADER_BOX = re.compile(r'id="kb-search-input"')


def _check_assets(site_dir: Path) -> None:
    for rel, marker in REQUIRED_ASSETS.items():
        path = site_dir / rel
        if not path.is_file() or marker not in path.read_text(encoding="utf-8", errors="replace"):
            raise SearchIndexError(
                f"搜索资源缺失或不完整：{path}（应包含 {marker}），请检查 kb/theme/{rel} 与 mkdocs.yml 的 extra_javascript/extra_css "
                f"/ search asset missing or incomplete: {path} (must contain {marker}); check kb/theme/{rel} and mkdocs.yml")
    home = site_dir / "index.html"
    if home.is_file() and not _HEADER_BOX.search(home.read_text(encoding="utf-8", errors="replace")):
        raise SearchIndexError(
            f"页眉中没有搜索框：{home} 缺少 id=\"kb-search-input\"，请检查 kb/theme/partials/header.html 是否生效 "
            f"/ no search box in the header of {home}: check that kb/theme/partials/header.html is used")
    sample = "从严治党20次xx县"
    if sorted(bigrams(sample)) != sorted(["从严", "严治", "治党", "党2", "20", "0次", "次x", "xx", "x县"]) \
            or normalize("ＡＢ１") != "ab1":
        raise SearchIndexError("搜索分词自检失败 / search tokenizer self-check failed (Unicode data changed?)")
