"""catalog.json contract and the cross-links of the built site, checked on the real strict build.
Tests taking `any_site` run on the fixture corpus and on the live corpus with expectations computed
from that corpus' catalog; the rest hold facts of the fixture corpus (the two seed reports)."""

import html
import re
from pathlib import Path

import pytest

EXPECTED_ITEMS = {
    "2021-xx-county-gov-office": [3, 3, 3, 3, 3],
    "2021-xx-county-party-committee": [2, 1, 2, 2, 3],
}


def page_html(site_dir: Path, url: str) -> str:
    path = url.split("#")[0]
    return (site_dir / path / "index.html").read_text(encoding="utf-8")


def links_of(site_dir: Path, page_url: str) -> set[str]:
    """Every link of a page's article, resolved to a site-root URL (with #anchor)."""
    text = page_html(site_dir, page_url)
    article = text[text.index("<article"):text.index("</article>")]
    resolved = set()
    for href in re.findall(r'href="([^"]+)"', article):
        href = html.unescape(href)
        if href.startswith(("http:", "https:", "mailto:")):
            continue
        base = Path("/" + page_url.split("#")[0])
        target, _, anchor = href.partition("#")
        full = (base / target).resolve() if target else base
        url = full.as_posix().lstrip("/")
        url = url + "/" if url and not url.endswith("/") else url
        resolved.add(url + (f"#{anchor}" if anchor else ""))
    return resolved


def links_of_all_pages(site_dir: Path, first_url: str) -> set[str]:
    """Links of a paged listing: its first page and every page-N/ beside it."""
    links = links_of(site_dir, first_url)
    number = 2
    while (site_dir / first_url / f"page-{number}" / "index.html").exists():
        links |= links_of(site_dir, f"{first_url}page-{number}/")
        number += 1
    return links


def test_catalog_shape(any_site):
    _, catalog = any_site
    assert set(catalog) >= {"reports", "meetings", "themes", "units", "problem_types"}
    for report in catalog["reports"]:
        assert set(report) >= {"id", "title", "unit", "meeting", "url", "sections"}
        for section in report["sections"]:
            assert set(section) >= {"id", "part", "heading", "theme", "url", "text", "items"}
            for item in section["items"]:
                assert set(item) >= {"id", "title", "text", "problem_types", "url"}
                assert item["url"] == f"{section['url']}#{item['id']}"
    theme_ids = {t["id"] for t in catalog["themes"]}
    for meeting in catalog["meetings"]:
        assert set(meeting["themes"]) <= theme_ids  # empty: a meeting without a fixed theme set
        assert meeting["kind"] in ("民主生活会", "组织生活会") and isinstance(meeting["year"], int)
        assert str(meeting["year"]) in meeting["name"] and meeting["source"]["publication"]
        assert isinstance(meeting["confirmed"], bool)
    aspect_ids = {a["id"] for a in catalog["aspects"]}
    themes = {t["id"]: t for t in catalog["themes"]}
    for theme in catalog["themes"]:
        assert theme["aspects"] and set(theme["aspects"]) <= aspect_ids
    roles = {r["id"] for r in catalog["author_roles"]}
    meetings = {m["id"]: m for m in catalog["meetings"]}
    for report in catalog["reports"]:
        assert report["author_kind"] in ("group", "individual")
        assert (report["author_role"] in roles) if report["author_kind"] == "individual" else report["author_role"] is None
        assert report["year"] == meetings[report["meeting"]]["year"]
        for section in report["sections"]:
            assert set(section["aspects"]) <= aspect_ids
            if section["theme"]:
                assert section["aspects"] == themes[section["theme"]]["aspects"]
            elif section["part"] == "problems" and section["heading"]:
                assert not meetings[report["meeting"]]["themes"] and section["aspects"]
    for unit in catalog["units"]:
        assert set(unit) >= {"id", "name", "kind", "level", "url"}
    for term in catalog["problem_types"]:
        assert set(term) >= {"id", "name", "url"}


def test_fixture_reports_have_five_problem_sections_in_official_theme_order(catalog):
    themes = next(m for m in catalog["meetings"] if m["id"] == "dsxx-2021")["themes"]
    assert sorted(r["id"] for r in catalog["reports"]) == sorted(EXPECTED_ITEMS)
    for report in catalog["reports"]:
        problems = [s for s in report["sections"] if s["part"] == "problems"]
        assert [s["theme"] for s in problems] == themes
        assert [len(s["items"]) for s in problems] == EXPECTED_ITEMS[report["id"]]
        for section in problems:
            for item in section["items"]:
                assert item["problem_types"], item["id"]
                assert item["text"].startswith(("一是", "二是", "三是", "1、", "2、", "3、"))


def test_every_item_of_every_part_is_typed(any_site):
    _, catalog = any_site
    ids = {t["id"] for name in ("problem_types", "cause_types", "measure_types") for t in catalog[name]}
    for report in catalog["reports"]:
        for section in report["sections"]:
            for item in section["items"]:
                assert item["types"] and set(item["types"]) <= ids


def test_urls_and_item_anchors_exist_in_the_built_site(any_site):
    site_dir, catalog = any_site
    for report in catalog["reports"]:
        assert (site_dir / report["url"] / "index.html").exists()
        report_html = page_html(site_dir, report["url"])
        for section in report["sections"]:
            section_html = page_html(site_dir, section["url"])
            for item in section["items"]:
                assert f'id="{item["id"]}"' in section_html
                assert f'id="{item["id"]}"' in report_html  # the whole report on one page keeps the anchors


def test_theme_pages_link_every_section_of_their_theme(any_site):
    site_dir, catalog = any_site
    themed = 0
    for theme in catalog["themes"]:
        links = links_of_all_pages(site_dir, theme["url"])
        expected = {s["url"] for r in catalog["reports"] for s in r["sections"] if s["theme"] == theme["id"]}
        assert expected <= links, expected - links
        themed += bool(expected)
    assert themed  # the corpus has problems sections under some theme, so the check above checked something


def test_problem_type_pages_link_every_item_at_its_anchor(any_site):
    site_dir, catalog = any_site
    for term in catalog["problem_types"]:
        links = links_of_all_pages(site_dir, term["url"])
        expected = {i["url"] for r in catalog["reports"] for s in r["sections"] for i in s["items"]
                    if term["id"] in i["problem_types"]}
        assert expected <= links, (term["id"], expected - links)


def test_unit_pages_link_their_reports(any_site):
    site_dir, catalog = any_site
    for unit in catalog["units"]:
        links = links_of(site_dir, unit["url"])
        for report in catalog["reports"]:
            if report["unit"] == unit["id"]:
                assert report["url"] in links


def test_section_pages_carry_cross_links(site_dir, catalog):
    report = catalog["reports"][0]
    problems = [s for s in report["sections"] if s["part"] == "problems"]
    section = problems[1]
    links = links_of(site_dir, section["url"])
    theme_url = next(t["url"] for t in catalog["themes"] if t["id"] == section["theme"])
    unit_url = next(u["url"] for u in catalog["units"] if u["id"] == report["unit"])
    type_urls = {t["url"] for t in catalog["problem_types"]
                 if any(t["id"] in i["problem_types"] for i in section["items"])}
    others = {s["url"] for r in catalog["reports"] if r is not report for s in r["sections"] if s["theme"] == section["theme"]}
    index = report["sections"].index(section)
    neighbours = {report["sections"][index - 1]["url"], report["sections"][index + 1]["url"]}
    assert {theme_url, unit_url, report["url"]} | type_urls | others | neighbours <= links


@pytest.mark.parametrize("path", ["", "themes/", "aspects/", "units/", "problem-types/", "reports/", "reconcile/", "stats/"])
def test_index_pages_exist_and_are_light(any_site, path):
    page = any_site[0] / path / "index.html"
    assert page.exists()
    assert page.stat().st_size < 50_000


def test_home_page_counts(any_site):
    site_dir, catalog = any_site
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page_html(site_dir, ""))))
    sections = sum(len(r["sections"]) for r in catalog["reports"])
    items = sum(len(s["items"]) for r in catalog["reports"] for s in r["sections"])
    individual = sum(r["author_kind"] == "individual" for r in catalog["reports"])
    assert (f"报告 {len(catalog['reports'])} 其中个人对照检查材料 {individual} 章节 {sections} "
            f"条目（问题、原因、措施） {items}") in text
    assert f"检视方面 {len(catalog['aspects'])}" in text
    assert f"问题类型 {len(catalog['problem_types'])}" in text


def test_generated_pages_are_not_written_into_docs(site_dir):
    assert (site_dir / "themes" / "index.html").exists()  # the build made them, in site/ only
    docs = Path(__file__).resolve().parent.parent / "docs"
    assert not (docs / "themes").exists() and not (docs / "index.md").exists()
