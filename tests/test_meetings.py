"""Meetings of every year, the aspects that join their themes, and both kinds of author, on the real
strict build of the tests' multi-year corpus (tests/fixtures/years/: synthetic reports for 2018–2025,
group and individual authors, meetings without a fixed theme set). Expectations come from that
corpus' catalog.json; pages are read as built, and the aspect page is looked at in Chromium."""

from __future__ import annotations

import json
import math
import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from kb.knowledge import load, load_or_raise

from conftest import built, make_project, served, squash
from test_catalog import links_of, links_of_all_pages
from test_importer_support import empty_project, run_kb

YEARS = Path(__file__).resolve().parent / "fixtures" / "years"
FREE_SECTION = "docs/reports/2022-xx-county-gov-office/11-problems-1.md"


@pytest.fixture(scope="session")
def years_project(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("years") / "project", corpus=YEARS)


@pytest.fixture(scope="session")
def years_site(years_project, tmp_path_factory) -> Path:
    return built(years_project, tmp_path_factory.mktemp("years-site") / "site")


@pytest.fixture(scope="session")
def years_catalog(years_site) -> dict:
    return json.loads((years_site / "catalog.json").read_text(encoding="utf-8"))


def article(site: Path, url: str) -> str:
    text = (site / url.split("#")[0] / "index.html").read_text(encoding="utf-8")
    return text[text.index("<article"):text.index("</article>")]


def plain(html_text: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html_text))


def listing_pages(site: Path, first_url: str) -> list[str]:
    """The articles of a paged listing: its first page and every page-N/ beside it."""
    pages, number = [article(site, first_url)], 2
    while (site / first_url / f"page-{number}" / "index.html").exists():
        pages.append(article(site, f"{first_url}page-{number}/"))
        number += 1
    return pages


def by_id(entries: list[dict]) -> dict[str, dict]:
    return {entry["id"]: entry for entry in entries}


# ---------------------------------------------------------------- catalog


def test_reports_span_eight_years_of_meetings_with_their_theme_sets(years_catalog):
    meetings = by_id(years_catalog["meetings"])
    years = {report["year"] for report in years_catalog["reports"]}
    assert len(years) >= 8, years
    for report in years_catalog["reports"]:
        meeting = meetings[report["meeting"]]
        assert report["year"] == meeting["year"] and str(meeting["year"]) in meeting["name"]
        themed = [s for s in report["sections"] if s["theme"]]
        assert all(s["theme"] in meeting["themes"] for s in themed)
        if not meeting["themes"]:  # a meeting without a fixed theme set: sections name their aspects
            assert all(s["aspects"] for s in report["sections"] if s["part"] == "problems")
    kinds = {meeting["kind"] for meeting in meetings.values() if meeting["id"] in {r["meeting"] for r in years_catalog["reports"]}}
    assert kinds == {"民主生活会", "组织生活会"}


def test_both_author_kinds_with_roles(years_catalog):
    roles = by_id(years_catalog["author_roles"])
    kinds = {report["author_kind"] for report in years_catalog["reports"]}
    assert kinds == {"group", "individual"}
    for report in years_catalog["reports"]:
        if report["author_kind"] == "individual":
            assert report["author_role"] in roles
        else:
            assert report["author_role"] is None


def test_section_aspects_come_from_the_theme_or_the_section(years_catalog):
    themes = by_id(years_catalog["themes"])
    aspects = by_id(years_catalog["aspects"])
    for report in years_catalog["reports"]:
        for section in report["sections"]:
            assert section["aspects"] and set(section["aspects"]) <= set(aspects)
            if section["theme"]:
                assert section["aspects"] == themes[section["theme"]]["aspects"]


# ---------------------------------------------------------------- pages


def aspect_sections(catalog: dict, aspect_id: str) -> list[tuple[dict, dict]]:
    return [(report, section) for report in catalog["reports"] for section in report["sections"]
            if aspect_id in section["aspects"]]


def test_aspect_pages_show_every_unit_year_by_year(years_site, years_catalog):
    meetings = by_id(years_catalog["meetings"])
    units = by_id(years_catalog["units"])
    spanning = 0
    for aspect in years_catalog["aspects"]:
        pages = listing_pages(years_site, aspect["url"])
        text = "".join(pages)
        wanted = aspect_sections(years_catalog, aspect["id"])
        assert f"方面：{aspect['name']}" in plain(pages[0])
        links = set(re.findall(r'href="([^"#]+)"', text))
        for report, section in wanted:
            assert any(section["url"].endswith(href.lstrip("./")) for href in links), section["url"]
            assert meetings[report["meeting"]]["name"] in plain(text)
            assert units[report["unit"]]["name"] in plain(text)
            for item in section["items"]:  # the wording itself is shown (title, then what follows), not only a link
                assert item["title"] in plain(text), item["id"]
                assert item["text"].split("。", 1)[1][:12] in plain(text), item["id"]
        years = [int(y) for y in re.findall(r'<h2 id="y(\d{4})"', text)]
        assert years == sorted(years) and set(years) == {r["year"] for r, _ in wanted}
        spanning += len(set(years)) >= 3
        assert text.count('class="kb-aspect-entry"') == len(wanted)  # and no section of another aspect
    assert spanning, "no aspect spans three years or more: the corpus should compare across years"


def test_aspects_index_maps_every_theme_of_every_meeting(years_site, years_catalog):
    text = plain(article(years_site, "aspects/"))
    aspects = by_id(years_catalog["aspects"])
    for meeting in years_catalog["meetings"]:
        assert meeting["name"] in text
    for theme in years_catalog["themes"]:
        assert theme["short"] in text
    for aspect in aspects.values():
        assert aspect["name"] in text


def test_themes_index_says_where_each_theme_set_comes_from(years_site, years_catalog):
    """The index names each meeting's themes and marks unconfirmed wording; the meeting's own page
    gives the source and every theme's official wording."""
    html_text = article(years_site, "themes/")
    themes = by_id(years_catalog["themes"])
    for meeting in years_catalog["meetings"]:
        start = html_text.index(f'id="{meeting["id"]}"')
        block = html_text[start:html_text.find("<h2", start + 1) if "<h2" in html_text[start + 1:] else None]
        assert f'href="../meetings/{meeting["id"]}/"' in block
        assert ("表述待核对" in plain(block)) == (not meeting["confirmed"])
        assert ("没有固定主题" in plain(block)) == (not meeting["themes"])
        assert all(themes[t]["short"] in plain(block) for t in meeting["themes"])
        own = plain(article(years_site, f"meetings/{meeting['id']}/"))
        assert meeting["source"]["publication"] in own and ("表述待核对" in own) == (not meeting["confirmed"])
        assert all(themes[t]["name"] in own for t in meeting["themes"])


def author_text(catalog: dict, report: dict) -> str:
    if report["author_kind"] == "group":
        return "班子"
    return f"个人（{by_id(catalog['author_roles'])[report['author_role']]['name']}）"


def test_author_kind_is_labelled_on_report_unit_and_index_pages(years_site, years_catalog):
    index_rows = {}
    for page in listing_pages(years_site, "reports/"):
        for row in re.findall(r"<tr>(.*?)</tr>", page, re.S):
            cells = [plain(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            if cells:
                index_rows[cells[0]] = cells
    units = by_id(years_catalog["units"])
    for report in years_catalog["reports"]:
        label = author_text(years_catalog, report)
        assert index_rows[report["title"]][2] == label
        assert f"作者：{label}" in plain(article(years_site, report["url"]))
        unit_page = plain(article(years_site, units[report["unit"]]["url"]))
        assert f"作者：{label}" in unit_page
    branch = next(r for r in years_catalog["reports"] if r["author_kind"] == "individual")
    unit_page = plain(article(years_site, units[branch["unit"]]["url"]))
    assert re.search(r"班子 \d+ 份，个人 [1-9]\d* 份", unit_page)


def test_aspect_pages_are_paged(years_project, monkeypatch):
    from kb import paths, pages as page_registry
    from kb.similarity import Similarity

    kb = load_or_raise(years_project)
    monkeypatch.setitem(page_registry.PER_PAGE, "aspect", 2)
    generated = page_registry.generated_pages(kb, Similarity(kb))
    for aspect_id, sections in kb.sections_by_aspect.items():
        count = math.ceil(len(sections) / 2)
        assert paths.aspect_page(aspect_id, count) in generated
        assert paths.aspect_page(aspect_id, count + 1) not in generated
        shown = []
        for number in range(1, count + 1):
            page = generated[paths.aspect_page(aspect_id, number)]()
            html_text = page.html()
            assert html_text.count('class="kb-aspect-entry"') == len(sections[(number - 1) * 2:number * 2])
            assert re.search(r'<h2 id="y\d{4}"', html_text)  # every page says which year it is in
            shown += re.findall(r'href="[^"]*?([^/"]+/[^/"]+)/"[^>]*>报告全文', html_text)
        assert len(shown) == len(sections)


def test_aspect_page_in_chromium(years_site, years_catalog, page, tmp_path):
    aspect = max(years_catalog["aspects"], key=lambda a: len({r["year"] for r, _ in aspect_sections(years_catalog, a["id"])}))
    with served(years_site) as base:
        page.set_viewport_size({"width": 1280, "height": 1000})
        page.goto(base)
        page.click("nav.md-nav--primary >> text=检视方面")
        page.wait_for_url(base + "aspects/")
        page.click(f"article >> text={aspect['name']}")
        page.wait_for_url(base + aspect["url"])
        years = page.eval_on_selector_all("article h2", "hs => hs.map(h => h.textContent)")
        assert years == sorted(years) and len(years) >= 3
        assert page.locator("article .kb-aspect-entry").count() == len(aspect_sections(years_catalog, aspect["id"]))
        assert page.locator("article .kb-aspect-entry").first.is_visible()
        shot = tmp_path / "aspect.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        # an entry leads to its section, item anchors included
        first_item = page.locator("article .kb-aspect-entry + ul a").first
        href = first_item.get_attribute("href")
        first_item.click()
        page.wait_for_load_state()
        assert page.url.endswith(href.split("/")[-1]) and "#" in href
        assert page.locator(f"p.kb-item#{href.split('#')[1]}").is_visible()


def test_search_filters_by_aspect_across_years(years_site, years_catalog, page):
    aspect = "theory-study"
    want = {f"{r['id']}/{s['id']}" for r, s in aspect_sections(years_catalog, aspect)}
    assert len({sid.split("-")[0] for sid in want}) >= 3
    with served(years_site) as base:
        page.goto(base)
        got = page.evaluate("f => kbSearch.search('', f, {limit: Infinity})", {"aspect": aspect})
        assert got["error"] is None
        assert {r["id"] for r in got["results"]} == want
        # the same filter in the header box's filter panel
        page.keyboard.press("/")
        page.click(".kb-search-filter-toggle")
        page.wait_for_selector("select[data-facet=aspect]")
        names = page.eval_on_selector_all("select[data-facet=aspect] option", "os => os.map(o => o.textContent)")
        assert any(name.startswith("理论学习") for name in names)
        page.select_option("select[data-facet=aspect]", aspect)
        page.wait_for_function("n => document.querySelectorAll('.kb-search-item').length === n "
                               "&& document.querySelector('.kb-search').dataset.state === 'done'", arg=len(want))


# ---------------------------------------------------------------- checks of meetings without themes


def test_meeting_without_themes_needs_aspects_on_its_sections(tmp_path):
    root = make_project(tmp_path / "p", corpus=YEARS)
    path = root / FREE_SECTION
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("aspects: [theory-study]\n", ""), encoding="utf-8")
    _, problems = load(root)
    problem = next(p for p in problems.items if p.code == "missing-aspects")
    assert (problem.file, problem.line) == (FREE_SECTION, 2)
    assert "理论学习" in problem.allowed and "aspects" in problem.en
    path.write_text(text.replace("aspects: [theory-study]", "aspects: [theory]"), encoding="utf-8")
    _, problems = load(root)
    problem = next(p for p in problems.items if p.code == "unknown-aspect")
    assert (problem.file, problem.line) == (FREE_SECTION, 3) and "theory-study（理论学习）" in problem.allowed
    path.write_text(text.replace("aspects: [theory-study]", "theme: mzshh-2024-1-zhengzhi-jilv"), encoding="utf-8")
    _, problems = load(root)
    problem = next(p for p in problems.items if p.code == "unknown-theme")
    assert problem.line == 3 and "没有固定主题" in problem.allowed


# ---------------------------------------------------------------- kb new and kb list


def years_data_project(tmp_path: Path) -> Path:
    root = empty_project(tmp_path)
    shutil.rmtree(root / "data")
    shutil.copytree(YEARS / "data", root / "data")
    return root


def test_kb_new_individual_report_of_a_meeting_without_themes(tmp_path):
    root = years_data_project(tmp_path)
    result = run_kb(root, "new", "--unit", "xx-county-gov-office", "--meeting", "zzshh-2024", "--title", "个人材料",
                    "--year", "2024", "--id", "2024-hand-made", "--author-kind", "individual",
                    "--author-role", "party-member", "--source", "手工录入")
    assert result.returncode == 0, result.stderr.decode()
    folder = root / "docs" / "reports" / "2024-hand-made"
    index = folder / "index.md"
    assert "author_kind: individual\nauthor_role: party-member\n" in index.read_text(encoding="utf-8")
    problems_section = (folder / "11-problems-1.md").read_text(encoding="utf-8")
    assert "aspects: []" in problems_section and "theory-study（理论学习）" in problems_section
    check = run_kb(root, "check").stdout.decode()
    assert sorted(set(re.findall(r"\[([a-z-]+)\]", check))) == ["missing-aspects", "no-items"]
    # filled in, it passes
    problems_section = problems_section.replace("aspects: []", "aspects: [work-style]")
    (folder / "11-problems-1.md").write_text(problems_section + '\n一是示例。\n{: #p1-1 types="research-shallow" }\n',
                                            encoding="utf-8")
    for name, prefix, types in (("21-causes-1.md", "c1", "ideals-faith-weak"), ("31-measures-1.md", "m1", "theory-armament")):
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8") + f'\n一是示例。\n{{: #{prefix}-1 types="{types}" }}\n',
                        encoding="utf-8")
    check = run_kb(root, "check")
    assert check.returncode == 0, check.stdout.decode()


@pytest.mark.parametrize("args,code,named", [
    (["--meeting", "mzshh-2099"], "unknown-meeting", "mzshh-2024（2024年度民主生活会）"),
    (["--author-kind", "individual"], "unknown-author-role", "party-secretary（党委（党组）书记）"),
    (["--author-kind", "individual", "--author-role", "张三"], "unknown-author-role", "party-member（党员）"),
    (["--author-role", "party-member"], "role-without-individual", "--author-kind individual"),
])
def test_kb_new_names_the_allowed_values(tmp_path, args, code, named):
    root = years_data_project(tmp_path)
    base = {"--unit": "xx-county-gov-office", "--meeting": "mzshh-2024", "--title": "t", "--year": "2024"}
    for flag, value in zip(args[::2], args[1::2]):
        base[flag] = value
    result = run_kb(root, "new", *[x for pair in base.items() for x in pair])
    err = result.stderr.decode()
    assert result.returncode == 1 and f"[{code}]" in err and named in err, err
    assert not any((root / "docs" / "reports").iterdir())


def test_kb_list_offers_meetings_aspects_and_roles_by_name(tmp_path):
    root = years_data_project(tmp_path)
    meetings = run_kb(root, "list", "meetings").stdout.decode()
    assert "mzshh-2024  2024年度民主生活会" in meetings
    assert "增强党性、严守纪律、砥砺作风  → 党性修养、纪律与廉洁、作风" in meetings
    assert "zzshh-2024  2024年度组织生活会" in meetings and "无固定主题" in meetings
    assert "theory-study  理论学习" in run_kb(root, "list", "aspects").stdout.decode()
    assert "party-member  党员" in run_kb(root, "list", "roles").stdout.decode()


def test_compare_view_aligns_reports_of_different_meetings_by_aspect(years_site, years_catalog, page):
    """Reports of two meetings (two theme sets, or none) sit side by side by the aspect each section examines."""
    def first_aspects(report):
        return [s["aspects"][0] for s in report["sections"] if s["part"] == "problems" and s["aspects"]]
    pairs = [(a, b) for a in years_catalog["reports"] for b in years_catalog["reports"]
             if a["meeting"] < b["meeting"] and set(first_aspects(a)) & set(first_aspects(b))]
    assert pairs, "the years fixture has reports of different meetings examining a common aspect"
    left, right = pairs[0]
    shared = set(first_aspects(left)) & set(first_aspects(right))
    with served(years_site) as base:
        page.set_viewport_size({"width": 1280, "height": 1000})
        page.goto(f"{base}compare/?r={left['id']}&r={right['id']}")
        page.wait_for_selector(".kb-compare-cell")
        keys = page.eval_on_selector_all(".kb-compare-part[data-part=problems] .kb-compare-row",
                                         "rs => rs.map(r => r.dataset.key)")
        assert {f"aspect:{a}" for a in first_aspects(left) + first_aspects(right)} <= set(keys)
        for aspect in shared:
            cells = page.query_selector_all(f'.kb-compare-row[data-key="aspect:{aspect}"] .kb-compare-cell')
            assert [c.get_attribute("data-report") for c in cells] == [left["id"], right["id"]]
            for cell, report in zip(cells, (left, right)):
                section = next(s for s in report["sections"] if s["part"] == "problems" and s["aspects"][:1] == [aspect])
                assert all(squash(item["text"]) in squash(cell.inner_text()) for item in section["items"])


def test_search_filters_by_author_kind_and_role(years_site, years_catalog, page):
    reports = years_catalog["reports"]
    individual = [r for r in reports if r["author_kind"] == "individual"]
    assert individual and len(individual) < len(reports), "the years fixture has both author kinds"
    role = individual[0]["author_role"]
    cases = [({"author": "individual"}, individual), ({"author": "group"}, [r for r in reports if r["author_kind"] == "group"]),
             ({"role": role}, [r for r in reports if r["author_role"] == role])]
    with served(years_site) as base:
        page.goto(base)
        for filters, chosen in cases:
            got = page.evaluate("f => kbSearch.search('', f, {limit: Infinity})", filters)
            assert got["error"] is None
            assert {r["id"] for r in got["results"]} == {f"{r['id']}/{s['id']}" for r in chosen for s in r["sections"]}, filters
        page.keyboard.press("/")
        page.click(".kb-search-filter-toggle")
        page.wait_for_selector("select[data-facet=author]")
        names = page.eval_on_selector_all("select[data-facet=author] option", "os => os.map(o => o.textContent)")
        assert any(name.startswith("个人") for name in names) and any(name.startswith("班子") for name in names)


def test_units_index_counts_group_and_individual_reports(years_site, years_catalog):
    html_text = "".join(listing_pages(years_site, "units/"))
    for unit in years_catalog["units"]:
        own = [r for r in years_catalog["reports"] if r["unit"] == unit["id"]]
        group = sum(r["author_kind"] == "group" for r in own)
        row = re.search(rf'<a href="[^"]*{re.escape(unit["id"])}/">[^<]*</a></td>(.*?)</tr>', html_text, re.S)
        assert row, unit["id"]
        assert re.findall(r"<td[^>]*>(\d+)</td>", row.group(1)) == [str(group), str(len(own) - group)], unit["id"]


def test_reconcile_view_of_each_meeting(years_site, years_catalog):
    """整改对账 per meeting (reports of one meeting answer the same themes): each meeting's view lists
    exactly its reports and prints its own totals; the site-wide view and every meeting's view link
    each other (expectations from the catalog)."""
    by_meeting: dict[str, list[tuple[dict, int]]] = {}
    for report in years_catalog["reports"]:
        problems = sum(len(s["items"]) for s in report["sections"] if s["part"] == "problems")
        if problems:
            by_meeting.setdefault(report["meeting"], []).append((report, problems))
    assert len(by_meeting) > 1, "the years fixture has reports of several meetings"
    views = ["reconcile/"] + [f"reconcile/meetings/{meeting_id}/" for meeting_id in by_meeting]
    for meeting_id, reports in by_meeting.items():
        first = f"reconcile/meetings/{meeting_id}/"
        links = links_of_all_pages(years_site, first)
        assert {link for link in links if link.endswith("#reconcile")} == {f"{r['url']}#reconcile" for r, _ in reports}
        problems = sum(count for _, count in reports)
        answered = problems - sum(len(r["unanswered"]) for r, _ in reports)
        text = plain(article(years_site, first))
        assert f"{len(reports)} 份报告共查摆 {problems} 条问题，{answered} 条" in text
        name = by_id(years_catalog["meetings"])[meeting_id]["name"]
        assert f"整改对账：{name}" in text
    for view in views:
        assert set(views) - {view} <= links_of(years_site, view)
        assert view not in links_of(years_site, view)  # the view shown is named, not linked
