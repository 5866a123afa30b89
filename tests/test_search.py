"""Full-text search on the real built site in real Chromium: recall and precision of a query table
through the same code path the header box uses (window.kbSearch), then the box itself.

Expected results are computed here from catalog.json (section heading + text, NFKC + lower case),
never from the index."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qs, urlparse

import pytest


def norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", ch).lower() for ch in text)


def sections(catalog):
    units = {u["id"]: u for u in catalog["units"]}
    for report in catalog["reports"]:
        for section in report["sections"]:
            facets = {
                "meeting": {report["meeting"]}, "unit": {report["unit"]}, "kind": {units[report["unit"]]["kind"]},
                "part": {section["part"]}, "theme": {section["theme"]} if section["theme"] else set(),
                "aspect": set(section["aspects"]),
                "ptype": {t for item in section["items"] for t in item["problem_types"]},
            }
            body = norm((section["heading"] or "") + "\n" + section["text"])
            yield f"{report['id']}/{section['id']}", body, facets


def expected(catalog, terms, filters):
    return [sid for sid, body, facets in sections(catalog)
            if all(norm(t) in body for t in terms) and all(v in facets[k] for k, v in filters.items())]


def body_of(catalog, sid):
    return next(body for s, body, _ in sections(catalog) if s == sid)


# (query as typed, the terms every result must contain, filters)
QUERIES = [
    ("从严治党", ["从严治党"], {}),
    ("治党", ["治党"], {}),
    ("两个维护", ["两个维护"], {}),
    ("维护", ["维护"], {}),
    ("主义", ["主义"], {}),
    ("形式主义", ["形式主义"], {}),
    ("官僚主义", ["官僚主义"], {}),
    ('"两个维护"', ["两个维护"], {}),
    ("“四个意识”", ["四个意识"], {}),
    ('"国之大者"', ["国之大者"], {}),
    ('"八项规定"', ["八项规定"], {}),
    ('"四风"', ["四风"], {}),
    ('"一岗双责"', ["一岗双责"], {}),
    ('"三会一课"', ["三会一课"], {}),
    ("走马观花", ["走马观花"], {}),
    ("文山会海", ["文山会海"], {}),
    ("解剖麻雀", ["解剖麻雀"], {}),
    ("咬耳扯袖", ["咬耳扯袖"], {}),
    ("20次", ["20次"], {}),
    ("6次", ["6次"], {}),
    ("xx县", ["xx县"], {}),
    ("XX县", ["xx县"], {}),
    ("xxx", ["xxx"], {}),
    ("2021", ["2021"], {}),
    ("理想信念", ["理想信念"], {}),
    ("宗旨意识", ["宗旨意识"], {}),
    ("党性", ["党性"], {}),
    ("党史", ["党史"], {}),
    ("一把手", ["一把手"], {}),
    ("微腐败", ["微腐败"], {}),
    ("以人民为中心", ["以人民为中心"], {}),
    ("政治纪律", ["政治纪律"], {}),
    ("习近平新时代中国特色社会主义思想", ["习近平新时代中国特色社会主义思想"], {}),
    ("落实", ["落实"], {}),
    ("问题", ["问题"], {}),
    ("从严 治党", ["从严", "治党"], {}),
    ("政治 纪律 规矩", ["政治", "纪律", "规矩"], {}),
    ("批评与自我批评", ["批评与自我批评"], {}),
    ("为民服务全心全意", ["为民服务全心全意"], {}),
    ("不存在的词语组合", ["不存在的词语组合"], {}),
    ("", [], {"part": "causes"}),
    ("", [], {"unit": "xx-county-gov-office", "part": "measures"}),
    ("", [], {"theme": "dsxx-2021-5-congyan-zhidang", "kind": "government-office"}),
    ("", [], {"ptype": "political-guidance-weak"}),
    ("", [], {"meeting": "dsxx-2021", "part": "preface"}),
    ("", [], {"aspect": "party-governance"}),
    ("", [], {"aspect": "discipline-integrity", "kind": "government-office"}),
    ("落实", ["落实"], {"aspect": "people-centred"}),
    ("问题", ["问题"], {"part": "problems"}),
    ("落实", ["落实"], {"unit": "xx-county-party-committee", "part": "measures"}),
    ("两个维护", ["两个维护"], {"kind": "government-office"}),
]

API = "([q, f, limit]) => kbSearch.search(q, f, {limit: limit === null ? Infinity : limit})"


@pytest.mark.parametrize("query,terms,filters", QUERIES, ids=[f"{q or '∅'}|{f}" for q, _, f in QUERIES])
def test_query_recall_and_precision(page, site_url, catalog, query, terms, filters):
    page.goto(site_url)
    want = expected(catalog, terms, filters)
    got = page.evaluate(API, [query, filters, None])
    assert got["error"] is None
    ids = [r["id"] for r in got["results"]]
    assert len(ids) == len(set(ids))
    missing = set(want) - set(ids)
    assert not missing, f"{query!r}: sections containing the query were not found: {sorted(missing)}"
    wrong = [i for i in ids if i not in want]
    assert not wrong, f"{query!r}: results that do not contain the query: {wrong}"
    top = page.evaluate(API, [query, filters, 5])["results"]
    assert len(top) == min(5, len(want))
    for result in top:
        body = body_of(catalog, result["id"])
        assert all(norm(t) in body for t in terms), (query, result["id"])


def test_sanity_of_the_table(catalog):
    """The table must exercise real hits: most queries find something, infixes find more than the word."""
    hits = [q for q, t, f in QUERIES if expected(catalog, t, f)]
    assert len(hits) >= 40
    assert len(expected(catalog, ["治党"], {})) > len(expected(catalog, ["从严治党"], {}))
    assert len(expected(catalog, ["主义"], {})) > len(expected(catalog, ["形式主义"], {}))
    assert expected(catalog, ["不存在的词语组合"], {}) == []


def test_exact_phrase_ranks_first(page, site_url, catalog):
    page.goto(site_url)
    results = page.evaluate(API, ["群众 利益", {}, None])["results"]
    phrase = [norm("群众利益") in body_of(catalog, r["id"]) for r in results]
    assert any(phrase) and not all(phrase)
    in_catalog_order = [norm("群众利益") in body_of(catalog, sid) for sid in expected(catalog, ["群众", "利益"], {})]
    assert in_catalog_order != sorted(in_catalog_order, reverse=True), "the case must need ranking"
    assert phrase == sorted(phrase, reverse=True), "sections holding the exact phrase must come first"


def test_single_character_query_asks_for_more(page, site_url):
    page.goto(site_url)
    got = page.evaluate(API, ["党", {}, None])
    assert got["results"] == [] and "两个" in got["error"]


def test_tokenizer_matches_python(page, site_url):
    """search.js and kb/search/tokens.py must cut and hash keys identically, or queries miss."""
    from kb.search.tokens import bigrams, normalize, shard_of

    page.goto(site_url)
    for text in ["从严治党，20次ＸＸ县", "（一）“两个维护”", "Ⅻ①ｶﾞ𠀋𠀋字"]:
        assert page.evaluate("t => kbSearch.normalize(t)", text) == normalize(text)
        assert sorted(page.evaluate("t => kbSearch.bigrams(t)", text)) == sorted(bigrams(text))
        for key in bigrams(text):
            assert page.evaluate("([k, n]) => kbSearch.shardOf(k, n)", [key, 1024]) == shard_of(key, 1024)


# ---------- the header box ----------

def open_and_type(page, text):
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "kb-search-input"
    page.keyboard.type(text)
    page.wait_for_selector(".kb-search-item")
    page.wait_for_selector(".kb-search[data-state=done]", state="attached")


def test_box_shows_title_unit_heading_and_highlighted_snippet(page, site_url, catalog):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site_url)
    open_and_type(page, "咬耳扯袖")
    items = page.query_selector_all(".kb-search-item")
    assert len(items) == len(expected(catalog, ["咬耳扯袖"], {})) == 1
    report = catalog["reports"][0]
    section = next(s for s in report["sections"] if "咬耳扯袖" in s["text"])
    unit = next(u for u in catalog["units"] if u["id"] == report["unit"])
    assert items[0].query_selector(".kb-search-report").inner_text() == report["title"]
    assert items[0].query_selector(".kb-search-unit").inner_text() == unit["name"]
    assert items[0].query_selector(".kb-search-heading").inner_text().startswith(section["heading"][:10])
    assert items[0].query_selector(".kb-search-snippet mark").inner_text() == "咬耳扯袖"
    assert page.is_visible(".kb-search-item")
    # never the whole corpus: no catalog.json, only the search index and its assets
    assert not [u for u in requests if "catalog.json" in u]


def test_keyboard_navigation(page, site_url, catalog):
    page.goto(site_url)
    open_and_type(page, "治党")
    count = len(page.query_selector_all(".kb-search-item"))
    assert count == len(expected(catalog, ["治党"], {})) >= 3
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    active = page.eval_on_selector_all(".kb-search-item", "els => els.map(e => e.classList.contains('kb-search-item--active'))")
    assert active == [False, True] + [False] * (count - 2)
    page.keyboard.press("ArrowUp")
    assert page.eval_on_selector(".kb-search-item--active", "e => e === e.parentNode.firstElementChild")
    # Esc closes, s reopens with the results kept
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
    assert page.evaluate("document.activeElement.id") != "kb-search-input"
    page.keyboard.press("s")
    assert page.evaluate("document.getElementById('__search').checked")
    assert page.evaluate("document.activeElement.id") == "kb-search-input"
    assert page.is_visible(".kb-search-item--active")
    href = page.eval_on_selector(".kb-search-item--active a", "a => a.href")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == href


def test_click_lands_on_the_item_with_the_match(page, site_url, catalog):
    page.goto(site_url)
    open_and_type(page, "红脸出汗")
    with page.expect_navigation():
        page.click(".kb-search-link")
    item = next(i for r in catalog["reports"] for s in r["sections"] for i in s["items"] if "红脸出汗" in i["text"])
    url = urlparse(page.url)
    assert url.path == "/" + item["url"].split("#")[0] and url.fragment == item["id"]
    assert parse_qs(url.query)["hl"] == ["红脸出汗"]
    mark = page.wait_for_selector(f"#{item['id']} mark.kb-search-hl--current")
    assert mark.inner_text() == "红脸出汗"
    box = mark.bounding_box()
    assert 0 <= box["y"] <= page.viewport_size["height"], "the match is scrolled into view"


def test_match_in_heading_lands_on_the_section(page, site_url):
    page.goto(site_url)
    open_and_type(page, "国之大者")
    with page.expect_navigation():
        page.click(".kb-search-link")
    assert re.search(r"/reports/[^/]+/12-problems-2/$", urlparse(page.url).path)
    assert page.wait_for_selector("h1 mark.kb-search-hl").inner_text() == "国之大者"


def test_filters_in_the_box(page, site_url, catalog):
    page.goto(site_url)
    page.keyboard.press("/")
    page.click(".kb-search-filter-toggle")
    page.wait_for_selector("select[data-facet=part]")
    assert page.is_disabled("select[data-facet=unit]")  # units are listed per unit kind
    facets = page.eval_on_selector_all("select[data-facet]", "ss => ss.map(s => s.dataset.facet)")
    assert facets.index("kind") + 1 == facets.index("unit")  # in dependency order: 单位类别, then 单位
    page.select_option("select[data-facet=kind]", "government-office")
    page.wait_for_selector("select[data-facet=unit]:not([disabled])")
    assert page.eval_on_selector_all("select[data-facet=unit] option", "os => os.map(o => o.value)") == ["", "xx-county-gov-office"]
    page.select_option("select[data-facet=unit]", "xx-county-gov-office")
    page.select_option("select[data-facet=part]", "causes")
    want = expected(catalog, [], {"kind": "government-office", "unit": "xx-county-gov-office", "part": "causes"})
    page.wait_for_function("n => document.querySelectorAll('.kb-search-item').length === n "
                           "&& document.querySelector('.kb-search').dataset.state === 'done'", arg=len(want))
    hrefs = page.eval_on_selector_all(".kb-search-link", "els => els.map(a => new URL(a.href).pathname)")
    assert hrefs == ["/reports/" + sid + "/" for sid in want]
    # a query on top of the filters
    page.fill("#kb-search-input", "纪律")
    want = expected(catalog, ["纪律"], {"unit": "xx-county-gov-office", "part": "causes"})
    assert want
    page.wait_for_function("n => document.querySelectorAll('.kb-search-item').length === n "
                           "&& document.querySelectorAll('.kb-search-snippet mark, .kb-search-heading mark').length > 0",
                           arg=len(want))


def test_load_more(page, site_url, catalog):
    page.goto(site_url)
    open_and_type(page, "问题")
    want = expected(catalog, ["问题"], {})
    assert len(want) > 10
    assert len(page.query_selector_all(".kb-search-item")) == 10
    page.click(".kb-search-more")
    page.wait_for_function("n => document.querySelectorAll('.kb-search-item').length === n", arg=min(20, len(want)))
    if len(want) <= 20:
        assert page.is_hidden(".kb-search-more")


def test_works_on_nested_and_generated_pages(page, site_url, catalog):
    for path in [catalog["reports"][1]["sections"][3]["url"], "themes/", "problem-types/political-guidance-weak/"]:
        page.goto(site_url + path)
        page.keyboard.press("/")
        page.keyboard.type("两个维护")
        page.wait_for_function("document.querySelectorAll('.kb-search-item').length === 3")
        hrefs = page.eval_on_selector_all(".kb-search-link", "els => els.map(a => a.href)")
        for href in hrefs:
            response = page.request.get(href)
            assert response.status == 200, href
