"""The search index builder on small inputs, and the build failing loudly when search would degrade."""

from __future__ import annotations

import base64
import json
import random
import shutil

import pytest

from kb.search import SearchIndexError, write_search_index
from kb.search import postings
from kb.search.index import TITLE_MARK
from kb.search.tokens import bigrams, normalize, runs, shard_of

from conftest import ROOT, mkdocs_build


def test_normalize_and_runs():
    assert normalize("ＸＸ县２０次") == "xx县20次"
    assert runs(normalize("（一）从严治党，“四风”、xx县")) == ["一", "从严治党", "四风", "xx县"]


def test_bigrams_cover_every_infix():
    keys = bigrams("全面从严治党，反对形式主义")
    assert {"从严", "严治", "治党", "主义", "形式"} <= keys
    assert "党反" not in keys  # punctuation breaks runs: no bigram across it
    assert bigrams("20次xx县") == {"20", "0次", "次x", "xx", "x县"}
    assert bigrams("党") == set()


def test_shard_of_is_fnv1a_over_utf16_units():
    # for ASCII, FNV-1a over UTF-16 code units equals the published FNV-1a 32 of the bytes
    assert shard_of("ab", 1 << 32) == 0x4D2505CA
    assert shard_of("a", 1 << 32) == 0xE40C292C
    assert all(0 <= shard_of(k, 7) < 7 for k in bigrams("从严治党形式主义"))


@pytest.mark.parametrize("docs,total", [([0], 1), ([3, 4, 5, 200], 1000), (list(range(0, 1000, 2)), 1000),
                                        ([999], 1000), ([31, 32, 33, 1055, 40000], 40001)])
def test_postings_round_trip(docs, total):
    encoded = postings.encode(docs, total)
    assert postings.decode(encoded, total) == docs


def test_postings_pick_the_shorter_form():
    assert postings.encode(list(range(1000)), 1000).startswith(postings.BITSET_MARK)
    assert not postings.encode([5, 900], 1000).startswith(postings.BITSET_MARK)


def small_catalog():
    def section(sid, part, heading, paragraphs, items=(), theme=None):
        return {"id": sid, "part": part, "heading": heading, "title": heading or "导语", "theme": theme,
                "url": f"reports/r1/{sid}/", "text": "\n\n".join(paragraphs), "types": [],
                "items": [{"id": iid, "title": paragraphs[i][:6], "text": paragraphs[i], "types": types,
                           "problem_types": types if part == "problems" else [], "url": f"reports/r1/{sid}/#{iid}"}
                          for i, iid, types in items]}
    return {
        "reports": [{"id": "r1", "title": "某县委对照检查材料", "unit": "u1", "meeting": "m1", "year": 2021,
                     "url": "reports/r1/", "sections": [
                         section("00-preface", "preface", None, ["按照要求，认真查摆问题。"]),
                         section("11-problems-1", "problems", "（一）全面从严治党方面",
                                 ["1、管党治党不力。对“一岗双责”认识不足。", "2、形式主义仍有表现，开会20次。"],
                                 [(0, "p1-1", ["t1"]), (1, "p1-2", ["t2"])], theme="th1"),
                     ]}],
        "meetings": [{"id": "m1", "name": "会议", "year": 2021, "themes": ["th1"]}],
        "themes": [{"id": "th1", "name": "从严治党", "short": "从严治党", "meeting": "m1", "number": 1, "url": "themes/th1/"}],
        "units": [{"id": "u1", "name": "中共某县委常委班子", "short": "县委", "kind": "k1", "level": "county",
                   "region": "某县", "url": "units/u1/"}],
        "unit_kinds": [{"id": "k1", "name": "党委常委班子"}],
        "parts": [{"id": "preface", "name": "导语", "item_types": None}, {"id": "problems", "name": "存在的问题", "item_types": "problem_types"}],
        "problem_types": [{"id": "t1", "name": "管党不力"}, {"id": "t2", "name": "形式主义"}],
        "cause_types": [], "measure_types": [],
    }


def fake_site(tmp_path):
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    shutil.copy(ROOT / "kb/theme/assets/search.js", site / "assets/search.js")
    shutil.copy(ROOT / "kb/theme/assets/search.css", site / "assets/search.css")
    (site / "index.html").write_text('<input id="kb-search-input">', encoding="utf-8")
    return site


def test_index_of_a_small_catalog(tmp_path):
    site = fake_site(tmp_path)
    stats = write_search_index(small_catalog(), site)
    out = site / "search"
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["docs"] == stats["docs"] == 2 and meta["shards"] >= 1

    def posting(key):
        shard = json.loads((out / "s" / f"{shard_of(key.lstrip(TITLE_MARK), meta['shards'])}.json").read_text(encoding="utf-8"))
        return postings.decode(shard.get(key, ""), meta["docs"])

    assert posting("治党") == [1] and posting("查摆") == [0] and posting("20") == [1]
    assert posting(TITLE_MARK + "治党") == [1]  # the heading is a title field
    assert posting(TITLE_MARK + "查摆") == []
    doc = json.loads((out / "d" / "1.json").read_text(encoding="utf-8"))
    assert doc["id"] == "r1/11-problems-1" and doc["unit"] == "中共某县委常委班子" and doc["report"] == "某县委对照检查材料"
    assert [p[0] for p in doc["paras"]] == ["p1-1", "p1-2"]
    facets = {f["key"]: f for f in json.loads((out / "facets.json").read_text(encoding="utf-8"))["facets"]}
    assert [(o["v"], o["n"]) for o in facets["part"]["options"]] == [("preface", 1), ("problems", 1)]
    assert [o["v"] for o in facets["ptype"]["options"]] == ["t1", "t2"]
    assert postings.decode((out / "f" / "theme" / "th1.txt").read_text(encoding="ascii"), 2) == [1]
    assert facets["unit"]["byKind"] and facets["unit"]["options"] == []
    units = json.loads((out / "f" / "unit-by-kind" / "k1.json").read_text(encoding="utf-8"))
    assert units == [{"v": "u1", "name": "中共某县委常委班子", "n": 2}]
    assert not (site / "search.tmp").exists()


def test_empty_catalog_fails_loudly(tmp_path):
    catalog = small_catalog()
    catalog["reports"] = []
    with pytest.raises(SearchIndexError, match="empty"):
        write_search_index(catalog, fake_site(tmp_path))


def test_missing_asset_fails_loudly(tmp_path):
    site = fake_site(tmp_path)
    (site / "assets/search.js").write_text("", encoding="utf-8")
    with pytest.raises(SearchIndexError, match="search.js"):
        write_search_index(small_catalog(), site)


def test_missing_header_box_fails_loudly(tmp_path):
    site = fake_site(tmp_path)
    (site / "index.html").write_text("<header></header>", encoding="utf-8")
    with pytest.raises(SearchIndexError, match="header"):
        write_search_index(small_catalog(), site)


def test_real_build_fails_when_the_index_would_be_empty(project_copy, tmp_path):
    for report in (project_copy / "docs" / "reports").iterdir():
        if report.is_dir():
            shutil.rmtree(report)
    result = mkdocs_build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "search index would be empty" in result.stdout + result.stderr


def test_real_build_writes_the_index(site_dir, catalog):
    meta = json.loads((site_dir / "search" / "meta.json").read_text(encoding="utf-8"))
    assert meta["docs"] == sum(len(r["sections"]) for r in catalog["reports"])
    assert len(list((site_dir / "search" / "d").iterdir())) == meta["docs"]


def _plain_encode(docs: list[int], total: int) -> str:
    """The encoding's rules one step at a time: each gap as base-32 digits, most significant first,
    all but the last from the continuation half of DIGITS; a bitset (little-endian bits, URL-safe
    base64 unpadded) when it is not longer."""
    varints = ""
    previous = -1
    for d in docs:
        gap, digits = d - previous - 1, []
        previous = d
        while True:
            digits.append(gap & 31)
            gap >>= 5
            if not gap:
                break
        varints += "".join(postings.DIGITS[32 + c] for c in reversed(digits[1:])) + postings.DIGITS[digits[0]]
    bits = bytearray((total + 7) // 8)
    for d in docs:
        bits[d >> 3] |= 1 << (d & 7)
    bitset = postings.BITSET_MARK + base64.urlsafe_b64encode(bytes(bits)).decode("ascii").rstrip("=")
    return bitset if len(docs) * 2 > len(bitset) or len(varints) > len(bitset) else varints


@pytest.mark.parametrize("seed", range(6))
def test_postings_made_a_document_at_a_time_follow_the_rules(seed):
    rng = random.Random(seed)
    total = rng.choice([1, 7, 64, 1000, 70000])
    density = rng.choice([0.001, 0.02, 0.3, 0.9])
    docs = sorted(d for d in range(total) if rng.random() < density) or [total - 1]
    if total > 40000:
        docs = sorted(set(docs) | {0, 35000, total - 1})  # gaps of four digits
    built = postings.Posting()
    for d in docs:
        built.add(d)
    assert len(built) == len(docs)
    assert built.encode(total) == _plain_encode(docs, total)
    assert postings.decode(built.encode(total), total) == docs
