"""The statistics page (issue 11): build-time SVG charts with their numbers in tables and as CSV.
Every number is checked against counts computed here from catalog.json alone (the contract outside
tools read), on the fixture corpus and on the live one; the SVG is drawn by real Chromium (the
screenshot is kept for a person to look at) and printed to a real PDF."""

from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter
from pathlib import Path

from conftest import served
from test_print import print_pdf

CHARTS = ["problem-types", "themes-unit-kinds", "aspects-years", "items-per-report"]


def _cells(row_html: str) -> list[str]:
    return [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row_html, re.S)]


def chart_tables(page: str) -> dict[str, tuple[list[str], list[tuple[str, str, list[int]]]]]:
    """Chart slug -> (column heads, rows of (label, linked site-root URL or "", numbers)) as shown."""
    found = {}
    for slug in CHARTS:
        start = page.index(f'id="{slug}"')
        table = page[page.index("<table>", start):page.index("</table>", start)]
        head, *rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
        parsed = []
        for row in rows:
            cells = _cells(row)
            href = re.search(r'href="([^"]+)"', row)
            target = (Path("/stats") / html.unescape(href.group(1))).resolve().as_posix().lstrip("/") + "/" if href else ""
            parsed.append((cells[0], target, [int(c) for c in cells[1:]]))
        found[slug] = (_cells(head), parsed)
    return found


def expected_counts(catalog: dict) -> dict[str, dict[tuple[str, str], int]]:
    """(row key, column key) -> count for each chart, from catalog.json: rows keyed by their page URL
    (types, themes, aspects) or bin label, columns by unit kind name or year."""
    units = {u["id"]: u for u in catalog["units"]}
    kinds = {k["id"]: k["name"] for k in catalog["unit_kinds"]}
    type_urls = {t["id"]: t["url"] for t in catalog["problem_types"]}
    theme_urls = {t["id"]: t["url"] for t in catalog["themes"]}
    aspect_urls = {a["id"]: a["url"] for a in catalog["aspects"]}
    counts = {slug: Counter() for slug in CHARTS}
    for type_id, url in type_urls.items():
        counts["problem-types"][(url, "条目")] += 0
    for report in catalog["reports"]:
        items = 0
        for section in report["sections"]:
            items += len(section["items"])
            for item in section["items"]:
                for type_id in item["problem_types"]:
                    counts["problem-types"][(type_urls[type_id], "条目")] += 1
            if section["theme"]:
                kind = kinds[units[report["unit"]]["kind"]]
                counts["themes-unit-kinds"][(theme_urls[section["theme"]], kind)] += 1
            for aspect in section["aspects"]:
                counts["aspects-years"][(aspect_urls[aspect], f"{report['year']}年")] += len(section["items"])
        low = items // 5 * 5
        counts["items-per-report"][(f"{low}–{low + 4}", "报告")] += 1
    return counts


def test_stats_numbers_equal_counts_from_the_catalog(any_site):
    site_dir, catalog = any_site
    page = (site_dir / "stats" / "index.html").read_text(encoding="utf-8")
    expected = expected_counts(catalog)
    for slug, (heads, rows) in chart_tables(page).items():
        shown = Counter()
        for label, url, numbers in rows:
            for column, number in zip(heads[1:], numbers):
                shown[(url or label, column)] = number
        want = expected[slug]
        assert {k: v for k, v in shown.items() if v} == {k: v for k, v in want.items() if v}, slug
        if slug == "problem-types":  # every type, commonest first
            assert len(rows) == len(catalog["problem_types"])
            assert [n[0] for _l, _u, n in rows] == sorted((n[0] for _l, _u, n in rows), reverse=True)
        if slug == "items-per-report":
            assert sum(n[0] for _l, _u, n in rows) == len(catalog["reports"])


def test_each_chart_has_its_data_as_csv_equal_to_its_table(any_site):
    site_dir, _catalog = any_site
    page = (site_dir / "stats" / "index.html").read_text(encoding="utf-8")
    for slug, (heads, rows) in chart_tables(page).items():
        assert f'href="data/{slug}.csv"' in page
        raw = (site_dir / "stats" / "data" / f"{slug}.csv").read_text(encoding="utf-8")
        assert raw.startswith("\ufeff")  # spreadsheet programs read UTF-8 Chinese only with a BOM
        table = list(csv.reader(io.StringIO(raw.removeprefix("\ufeff"))))
        assert table[0] == heads
        assert [(r[0], [int(v) for v in r[1:]]) for r in table[1:]] == [(label, numbers) for label, _u, numbers in rows]


def test_svg_charts_have_the_tables_numbers_and_no_script(any_site):
    site_dir, _catalog = any_site
    page = (site_dir / "stats" / "index.html").read_text(encoding="utf-8")
    svgs = re.findall(r'<svg class="kb-chart-svg".*?</svg>', page, re.S)
    tables = chart_tables(page)
    assert len(svgs) == len([slug for slug in CHARTS if tables[slug][1]])
    for svg, (slug, (heads, rows)) in zip(svgs, [(s, t) for s, t in tables.items() if t[1]]):
        assert "<script" not in svg and not re.search(r"\son[a-z]+\s*=", svg)
        drawn = [int(n) for n in re.findall(r">(\d+)</text>", svg)]
        assert drawn == [n for _l, _u, numbers in rows for n in numbers], slug


def test_svg_renders_in_chromium_and_prints(page, site_dir, tmp_path):
    with served(site_dir) as base:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(base + "stats/")
        charts = page.locator("svg.kb-chart-svg")
        assert charts.count() == 4
        for index in range(charts.count()):
            box = charts.nth(index).bounding_box()
            assert box["width"] > 150 and box["height"] > 20, box
            # the bars and cells are drawn: the browser lays out shapes inside the box
            shapes = charts.nth(index).locator("rect")
            assert max(shapes.nth(i).bounding_box()["width"] for i in range(shapes.count())) > 10
        page.screenshot(path=str(tmp_path / "stats.png"), full_page=True)
        printed = print_pdf(page, base + "stats/", tmp_path / "stats.pdf")
    text = printed.text
    for heading in ("问题类型的条目数", "会议主题×单位类型", "检视方面×年度", "每份报告的条目数"):
        assert heading in text
    # a chart label prints twice: drawn in the SVG and written in its table
    label = re.sub(r"\s+", "", page_label(site_dir))
    assert text.count(label) >= 2, label


def page_label(site_dir: Path) -> str:
    """The first problem type row of the stats page as shown (short enough to stand uncut in the SVG)."""
    page = (site_dir / "stats" / "index.html").read_text(encoding="utf-8")
    return chart_tables(page)["problem-types"][1][0][0]
