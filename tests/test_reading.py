"""Reading and comparing, as a reader does it in Chromium on the fixture corpus (desktop and a
390x844 phone): type and theme pages show every item's own words; the compare view (对比阅读) puts
chosen reports side by side aligned by part and theme, stacks them on a phone, keeps its address
shareable and prints; headings fit a phone; no page shows English UI, "Made with" or a file name.
Every expectation comes from catalog.json, so the tests hold for any corpus."""

from __future__ import annotations

import re
import subprocess
from urllib.parse import parse_qs, urlparse

import pytest

from conftest import squash
from kb.html_page import marked_html, phrase_pattern, quote_window

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TYPE_VOCABULARIES = ("problem_types", "cause_types", "measure_types")


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def _items(catalog, vocabulary, type_id):
    return [(report, section, item) for report in catalog["reports"] for section in report["sections"]
            for item in section["items"] if type_id in item["types"]
            and next(p for p in catalog["parts"] if p["id"] == section["part"])["item_types"] == vocabulary]


def _article_text(page) -> str:
    return squash(page.inner_text("article"))


# ---------------------------------------------------------------- type and theme pages


def test_type_pages_show_every_items_text_with_phrasings_marked(page, site_url, catalog):
    checked = 0
    for vocabulary in TYPE_VOCABULARIES:
        for term in catalog[vocabulary]:
            items = _items(catalog, vocabulary, term["id"])
            if not items:
                continue
            page.goto(site_url + term["url"])
            shown = _article_text(page)
            for _, _, item in items:
                assert squash(item["text"]) in shown, (term["id"], item["url"])
                checked += 1
            # grouped by 年度, each item names its unit and links to itself in its section
            years = {f"{r['year']}年度" for r, _, _ in items}
            assert set(page.eval_on_selector_all("article h2", "hs => hs.map(h => h.textContent)")) == years
            links = page.eval_on_selector_all(".kb-quote-who a", "as => as.map(a => a.getAttribute('href'))")
            assert len(page.query_selector_all(".kb-quote")) == len(items)
            assert sum("#" in href for href in links) == len(items)
            for mark in page.eval_on_selector_all(".kb-quote-text mark", "ms => ms.map(m => m.textContent)"):
                assert mark in shown  # only the type's phrasings are marked
    assert checked == sum(len(i["types"]) for r in catalog["reports"] for s in r["sections"] for i in s["items"])


def test_theme_pages_show_every_items_text(page, site_url, catalog):
    for theme in catalog["themes"]:
        sections = [s for r in catalog["reports"] for s in r["sections"] if s["theme"] == theme["id"]]
        page.goto(site_url + theme["url"])
        shown = _article_text(page)
        assert squash(theme["name"]) in shown  # the official wording under the short H1
        assert all(page.inner_text("article h1") == s["title"] for s in sections)  # the short name
        for section in sections:
            for item in section["items"]:
                assert squash(item["text"]) in shown, item["url"]


def test_long_items_are_quoted_around_their_match_and_phrasings_are_escaped():
    pattern = phrase_pattern(("走过场", "走走过场", "<b>"))
    assert marked_html("要走走过场吗<b>", pattern) == "要<mark>走走过场</mark>吗<mark>&lt;b&gt;</mark>"
    text = "甲" * 1000 + "走过场" + "乙" * 1000
    quoted, cut = quote_window(text, pattern, 800)
    assert cut and "走过场" in quoted and quoted.startswith("…") and quoted.endswith("…")
    assert len(quoted) == 802
    assert quote_window("短文", pattern, 800) == ("短文", False)


# ---------------------------------------------------------------- the compare view


def _compare_url(site_url, ids):
    return site_url + "compare/?" + "&".join(f"r={i}" for i in ids)


def _open_compare(page, site_url, ids):
    page.goto(_compare_url(site_url, ids))
    page.wait_for_selector(".kb-compare-cell")


def _problem_rows(catalog):
    """theme id -> [the section of each report under it, or None], for the two reports compared."""
    reports = catalog["reports"][:2]
    themes = []
    for report in reports:
        themes += [s["theme"] for s in report["sections"] if s["theme"] and s["theme"] not in themes]
    return reports, {theme: [next((s for s in r["sections"] if s["theme"] == theme), None) for r in reports]
                     for theme in themes}


def test_compare_view_aligns_problem_sections_by_theme(page, site_url, catalog):
    reports, rows = _problem_rows(catalog)
    ids = [r["id"] for r in reports]
    page.set_viewport_size(DESKTOP)
    _open_compare(page, site_url, ids)
    assert page.eval_on_selector_all(".kb-compare-report", "cs => cs.map(c => c.dataset.report)") == ids
    order = page.eval_on_selector_all(".kb-compare-part[data-part=problems] .kb-compare-row",
                                      "rs => rs.map(r => r.dataset.key)")
    theme_numbers = {t["id"]: (t["meeting"], t["number"]) for t in catalog["themes"]}
    assert order == [f"theme:{t}" for t in sorted(rows, key=theme_numbers.get)]  # in the official order
    for theme, sections in rows.items():
        row = page.query_selector(f'.kb-compare-row[data-key="theme:{theme}"]')
        cells = row.query_selector_all(".kb-compare-cell")
        assert [c.get_attribute("data-report") for c in cells] == ids
        for cell, section in zip(cells, sections):
            text = squash(cell.inner_text())
            if section is None:
                assert "没有对应的章节" in text
                continue
            for item in section["items"]:
                assert squash(item["text"]) in text, item["url"]
        # side by side: one line of cells, left to right
        boxes = [c.bounding_box() for c in cells]
        assert abs(boxes[0]["y"] - boxes[1]["y"]) < 2 and boxes[0]["x"] + boxes[0]["width"] <= boxes[1]["x"]
    name = next(t for t in catalog["themes"] if t["id"] == next(iter(rows)))["name"]
    assert squash(name) in squash(page.inner_text(".kb-compare-part[data-part=problems]"))  # official wording


def test_compare_view_stacks_reports_on_a_phone(phone, site_url, catalog):
    reports, rows = _problem_rows(catalog)
    _open_compare(phone, site_url, [r["id"] for r in reports])
    width = phone.evaluate("document.documentElement.clientWidth")
    assert phone.evaluate("document.documentElement.scrollWidth") <= width  # nothing runs off the screen
    for theme in rows:
        cells = phone.query_selector_all(f'.kb-compare-row[data-key="theme:{theme}"] .kb-compare-cell')
        first, second = (c.bounding_box() for c in cells)
        assert second["y"] >= first["y"] + first["height"]  # one report after the other
        assert first["width"] > width * 0.8
        assert [squash(c.query_selector(".kb-compare-who").inner_text()) for c in cells] == [
            squash(f"{u['short'] or u['name']}·{r['year']}年度") for r in reports
            for u in catalog["units"] if u["id"] == r["unit"]]


def test_compare_address_is_shareable_and_follows_adding_and_removing(page, site_url, catalog):
    first, second = [r["id"] for r in catalog["reports"][:2]]
    page.goto(_compare_url(site_url, [first, "Bad<id>", first]))
    page.wait_for_selector(".kb-compare-report")
    assert "不是报告编号" in page.inner_text(".kb-compare-status")
    assert page.eval_on_selector_all(".kb-compare-report", "cs => cs.map(c => c.dataset.report)") == [first]
    page.wait_for_selector(f'.kb-compare-add select option[value="{second}"]', state="attached")
    page.select_option(".kb-compare-add select", second)
    page.click(".kb-compare-add-button")
    page.wait_for_selector(f'.kb-compare-report[data-report="{second}"]')
    assert parse_qs(urlparse(page.url).query)["r"] == [first, second]
    page.click(f'.kb-compare-report[data-report="{first}"] .kb-compare-remove')
    page.wait_for_function(f"!document.querySelector('.kb-compare-report[data-report=\"{first}\"]')")
    assert parse_qs(urlparse(page.url).query)["r"] == [second]
    page.goto(_compare_url(site_url, ["no-such-report", second]))
    page.wait_for_selector(".kb-compare-report")
    assert "找不到报告“no-such-report”" in page.inner_text(".kb-compare-status")


@pytest.mark.parametrize("where", ["theme", "unit"])
def test_reports_are_picked_for_comparison_on_theme_and_unit_pages(page, site_url, catalog, where):
    if where == "theme":
        theme = next(t for t in catalog["themes"]
                     if sum(s["theme"] == t["id"] for r in catalog["reports"] for s in r["sections"]) >= 2)
        page.goto(site_url + theme["url"])
    else:
        unit = max(catalog["units"], key=lambda u: sum(r["unit"] == u["id"] for r in catalog["reports"]))
        page.goto(site_url + unit["url"])
    boxes = page.query_selector_all(".kb-compare-pick input")
    if where == "unit" and len(boxes) < 2:
        boxes[0].check()
        picked = [boxes[0].get_attribute("value")]
    else:
        boxes[0].check()
        boxes[1].check()
        picked = [boxes[0].get_attribute("value"), boxes[1].get_attribute("value")]
    assert page.is_visible(".kb-compare-bar")
    with page.expect_navigation():
        page.click(".kb-compare-bar a")
    assert urlparse(page.url).path.endswith("/compare/") and parse_qs(urlparse(page.url).query)["r"] == picked
    page.wait_for_selector(".kb-compare-report")
    assert page.eval_on_selector_all(".kb-compare-report", "cs => cs.map(c => c.dataset.report)") == picked


def test_report_page_links_to_the_compare_view(page, site_url, catalog):
    report = catalog["reports"][0]
    page.goto(site_url + report["url"])
    with page.expect_navigation():
        page.click(".kb-compare-link")
    assert parse_qs(urlparse(page.url).query)["r"] == [report["id"]]


def test_compare_view_prints_both_reports_side_by_side(page, site_url, catalog, tmp_path):
    reports, rows = _problem_rows(catalog)
    _open_compare(page, site_url, [r["id"] for r in reports])
    pdf = tmp_path / "compare.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    text = squash(subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                                 check=True).stdout)
    assert all(squash(r["title"]) in text for r in reports)
    assert "添加报告" not in text and "移除" not in text  # the controls stay on screen
    for sections in rows.values():
        for section in sections:
            if section and section["items"]:
                first_sentence = re.split(r"[。；]", section["items"][0]["text"])[0]
                assert squash(first_sentence)[:12] in text


# ---------------------------------------------------------------- headings and chrome


def test_section_h1_fits_three_lines_on_a_phone(phone, site_url, catalog):
    for report in catalog["reports"]:
        for section in report["sections"]:
            phone.goto(site_url + section["url"])
            lines = phone.eval_on_selector("article h1", "h => h.getBoundingClientRect().height / "
                                                         "parseFloat(getComputedStyle(h).lineHeight)")
            assert lines <= 3.05, (section["url"], lines)
            if section["heading"]:  # the heading as written stays on the page
                assert squash(section["heading"]) in _article_text(phone)


def _one_page_of_each_kind(site_dir):
    kinds = {}
    for html in sorted(site_dir.rglob("index.html")):
        url = html.parent.relative_to(site_dir).as_posix() + "/"
        url = "" if url == "./" else url
        kinds.setdefault(re.sub(r"[^/]+/$", "*/", url) if url.count("/") > 1 else url, url)
    return sorted(kinds.values())


# Latin words a Chinese reader may see: product and repository names, the Esc key of the search hint,
# and the corpus' own "xx" placeholders.
ALLOWED_LATIN = {"MkDocs", "Material", "duizhao", "kb", "Esc", "xx"}


def test_no_page_shows_english_ui_made_with_or_a_file_name(page, site_url, site_dir, catalog):
    urls = _one_page_of_each_kind(site_dir) + ["404.html"] + [
        _compare_url(site_url, [r["id"] for r in catalog["reports"][:2]])[len(site_url):]]
    corpus_words = set(re.findall(r"[A-Za-z]{2,}", " ".join(
        s["text"] + (s["heading"] or "") for r in catalog["reports"] for s in r["sections"])))
    for url in urls:
        page.goto(site_url + url)
        if "?r=" in url:
            page.wait_for_selector(".kb-compare-cell")
        text = page.inner_text("body")
        assert "Made with" not in text, url
        assert not re.search(r"[\w-]+\.(txt|md|docx?)\b", text), url
        latin = set(re.findall(r"[A-Za-z]{2,}", text)) - ALLOWED_LATIN - corpus_words
        assert latin == set(), (url, latin)
    for report in catalog["reports"]:
        page.goto(site_url + report["url"])
        assert page.eval_on_selector_all("article", "as => as[0].innerText.split(document.querySelector("
                                         "'article h1').textContent).length - 1") == 1, report["url"]  # title once


@pytest.mark.parametrize("source,shown", [
    ("https://example.org/a?b=1&c=2", '来源：<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow noopener">'),
    ("javascript:alert(1)", "来源：javascript:alert(1)</p>"),
    ("《党建》2022年第3期", "来源：《党建》2022年第3期</p>"),
])
def test_the_source_line_links_web_addresses_only(project_copy, source, shown):
    from kb.knowledge import load_or_raise
    from kb.pages import render_report_page
    from kb.similarity import Similarity

    index = next((project_copy / "docs" / "reports").glob("*/index.md"))
    index.write_text(re.sub(r"^source: .*$", f"source: '{source}'", index.read_text(encoding="utf-8"), flags=re.M),
                     encoding="utf-8")
    kb = load_or_raise(project_copy)
    report = next(r for r in kb.reports if r.file.endswith(index.relative_to(project_copy).as_posix()))
    assert shown in render_report_page(kb, report, Similarity(kb)).html()


def test_reports_list_gives_the_year_always_and_the_date_when_known(page, site_url, catalog):
    page.goto(site_url + "reports/")
    column = page.eval_on_selector_all("article table tbody tr td:nth-child(4)", "tds => tds.map(t => t.textContent)")
    for report, shown in zip(catalog["reports"], column):
        assert shown.startswith(f"{report['year']}年度")
        assert (report["date"] or "") in shown
