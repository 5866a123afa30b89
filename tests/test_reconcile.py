"""整改对账 (issue 11): a problem item names the measures answering it (measures="…" in its marker).
The links as written in the report files appear in catalog.json and in each report page's 整改对账
table; a problem no measure answers is flagged there and on the site-wide view; kb check names a link
to a missing id with its file and line; kb import proposes links and `kb links` measures how well the
proposals agree with the links set by hand. Expectations are read from the report files themselves
(never from kb's parser), so the live corpus can grow without a test edit."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

from kb.importer.agreement import agreements, proposed_links
from kb.importer.report import Options, plan
from kb.knowledge import load_or_raise

from conftest import CORPUS, ROOT, built
from test_catalog import links_of, links_of_all_pages, page_html
from test_importer_support import run_kb

PARTY = "2021-xx-county-party-committee"
MARKER = re.compile(r'^\{: #([a-z][a-z0-9-]*)\b([^\n]*)\}[ \t]*$', re.M)


def written_links(root: Path) -> dict[str, dict[str, list[str]]]:
    """Report id -> problem item id -> measures as written in its marker, read from the files."""
    found: dict[str, dict[str, list[str]]] = {}
    for folder in sorted((root / "docs" / "reports").iterdir()):
        if not (folder / "index.md").is_file():
            continue
        links = found.setdefault(folder.name, {})
        for path in sorted(folder.glob("*.md")):
            text = path.read_text(encoding="utf-8")
            if not re.search(r"^part: problems\s*$", text, re.M):
                continue
            for item_id, rest in MARKER.findall(text):
                measures = re.search(r'measures="([^"]*)"', rest)
                links[item_id] = measures.group(1).split() if measures else []
    return found


def reconcile_rows(page: str) -> list[tuple[str, list[str], bool]]:
    """The 整改对账 table of a report page: (problem anchor, measure anchors, flagged unanswered)."""
    start = page.index('id="reconcile"')
    table = page[start:page.index("</table>", start)]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        problem_cell, measures_cell = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        problem = re.search(r'href="[^"#]*#([^"]+)"', problem_cell).group(1)
        measures = re.findall(r'href="[^"#]*#([^"]+)"', measures_cell)
        rows.append((problem, measures, "kb-unanswered" in measures_cell))
    return rows


def unreferenced(report: dict, written: dict[str, list[str]]) -> list[str]:
    """The measures no problem names, in report order: measure items, and measure sections without
    items that have a heading (report: its catalog record; written: its links as in the files)."""
    if not written:
        return []
    named = {m for measures in written.values() for m in measures}
    found = []
    for section in report["sections"]:
        if section["part"] != "measures":
            continue
        if not section["items"] and section["heading"] is not None:
            found.append(section["id"])
        found += [item["id"] for item in section["items"]]
    return [m for m in found if m not in named]


def unreferenced_anchors(page: str) -> list[str] | None:
    """The measures a report page lists as named by no problem (None: no such list)."""
    found = re.search(r'<p class="kb-reconcile-unreferenced">(.*?)</p>', page, re.S)
    return re.findall(r'href="[^"#]*#([^"]+)"', found.group(1)) if found else None


def _corpus_root(any_site) -> Path:
    """The corpus a site of any_site was built from (conftest: the live one in a live-site* folder)."""
    site_dir, _ = any_site
    return ROOT if site_dir.parent.name.startswith("live-site") else CORPUS


def test_links_as_written_appear_in_the_catalog(any_site):
    site_dir, catalog = any_site
    written = written_links(_corpus_root(any_site))
    assert any(any(links.values()) for links in written.values()), "no report sets any link"
    for report in catalog["reports"]:
        problems = [item for s in report["sections"] if s["part"] == "problems" for item in s["items"]]
        assert {item["id"]: item["measures"] for item in problems} == written[report["id"]]
        assert report["unanswered"] == [item["id"] for item in problems if not item["measures"]]
        assert report["unreferenced_measures"] == unreferenced(report, written[report["id"]])
        measure_ids = {i["id"] for s in report["sections"] if s["part"] == "measures" for i in s["items"]}
        measure_ids |= {s["id"] for s in report["sections"] if s["part"] == "measures" and not s["items"]}
        for item in problems:
            assert set(item["measures"]) <= measure_ids
        for section in report["sections"]:
            if section["part"] != "problems":
                assert all(item["measures"] == [] for item in section["items"])


def test_links_as_written_appear_on_the_report_pages(any_site):
    site_dir, catalog = any_site
    written = written_links(_corpus_root(any_site))
    for report in catalog["reports"]:
        page = page_html(site_dir, report["url"])
        rows = reconcile_rows(page)
        expected = written[report["id"]]
        assert [row[0] for row in rows] == list(expected)  # every problem item, in report order
        ids = set(re.findall(r'id="([^"]+)"', page))
        for problem, anchors, flagged in rows:
            measures = expected[problem]
            assert anchors == [m if re.match(r"^[a-z]", m) else f"s-{m}" for m in measures]
            assert flagged == (not measures)
            assert problem in ids and set(anchors) <= ids  # the links land on the page's own anchors
        unused = unreferenced(report, expected)
        assert unreferenced_anchors(page) == ([m if re.match(r"^[a-z]", m) else f"s-{m}" for m in unused] or None)


def test_a_measure_no_problem_names_is_listed_once_a_link_to_it_goes(project_copy, tmp_path):
    folder = project_copy / "docs" / "reports" / PARTY
    written = written_links(project_copy)[PARTY]
    measure = next(m for measures in written.values() for m in measures)
    for path in sorted(folder.glob("1*-problems-*.md")):  # every problem naming it names it no more
        text = path.read_text(encoding="utf-8")
        text = re.sub(r'measures="([^"]*)"', lambda m: f'measures="{" ".join(x for x in m.group(1).split() if x != measure)}"', text)
        path.write_text(text.replace(' measures=""', ""), encoding="utf-8")
    site = built(project_copy, tmp_path / "site")
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    report = next(r for r in catalog["reports"] if r["id"] == PARTY)
    assert measure in report["unreferenced_measures"]
    assert measure in unreferenced_anchors(page_html(site, report["url"]))


def test_seed_links_set_by_hand(catalog):
    """The fixture corpus holds the seeds with their links as set by hand (read from the files)."""
    written = written_links(CORPUS)
    linked = sum(bool(m) for links in written.values() for m in links.values())
    total = sum(len(links) for links in written.values())
    assert 0 < linked <= total
    assert sorted(r["id"] for r in catalog["reports"]) == sorted(written)


def test_site_wide_view_lists_every_unanswered_problem_and_each_share(any_site):
    site_dir, catalog = any_site
    links = links_of_all_pages(site_dir, "reconcile/")
    text = html.unescape(page_html(site_dir, "reconcile/"))
    problems = answered = 0
    for report in catalog["reports"]:
        items = [i for s in report["sections"] if s["part"] == "problems" for i in s["items"]]
        if not items:
            continue
        problems += len(items)
        answered += len(items) - len(report["unanswered"])
        assert f"{report['url']}#reconcile" in links
        for item_id in report["unanswered"]:
            assert f"{report['url']}#{item_id}" in links
    assert f"共查摆 {problems} 条问题，{answered} 条" in text


def test_a_problem_no_measure_answers_is_flagged(project_copy, tmp_path):
    # every problem of this report is answered; take the links of its last problem away
    folder = project_copy / "docs" / "reports" / PARTY
    section = sorted(folder.glob("1*-problems-*.md"))[-1]
    text = section.read_text(encoding="utf-8")
    item_id, _rest = MARKER.findall(text)[-1]
    assert written_links(project_copy)[PARTY][item_id], "the fixture's last problem is answered"
    section.write_text(re.sub(rf'(\{{: #{item_id} [^\n]*?) measures="[^"]*"', r"\1", text), encoding="utf-8")
    site = built(project_copy, tmp_path / "site")
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    report = next(r for r in catalog["reports"] if r["id"] == PARTY)
    assert report["unanswered"] == [item_id]
    rows = {row[0]: row for row in reconcile_rows(page_html(site, report["url"]))}
    assert rows[item_id][2] and rows[item_id][1] == []
    assert sum(row[2] for row in rows.values()) == 1
    page = html.unescape(page_html(site, report["url"]))
    assert "1 条未对应整改措施" in page
    assert f"{report['url']}#{item_id}" in links_of(site, "reconcile/")


def test_kb_check_names_a_link_to_a_missing_id_with_file_and_line(project_copy):
    folder = project_copy / "docs" / "reports" / PARTY
    section = sorted(folder.glob("1*-problems-*.md"))[0]
    text = section.read_text(encoding="utf-8")
    match = re.search(r'measures="', text)
    line = text[:match.start()].count("\n") + 1
    section.write_text(text[:match.end()] + "m9-9 " + text[match.end():], encoding="utf-8")
    result = run_kb(project_copy, "check")
    out = result.stdout.decode()
    assert result.returncode == 1
    relative = section.relative_to(project_copy).as_posix()
    assert f"{relative}:{line}: [unknown-measure]" in out, out
    assert "“m9-9” 不是本报告的整改措施" in out and 'measure "m9-9" is not a measure of this report' in out
    assert "允许的取值 / allowed: m1-1" in out


# ---------------------------------------------------------------- kb import's proposals


def test_import_proposes_links_to_measures_of_the_same_report(tmp_path):
    """The seed imported again: its problem items carry proposed measures="…" (ids of its own
    measures, passing kb check but for the review notes of low-confidence links)."""
    kb = load_or_raise(CORPUS)
    report = next(r for r in kb.reports if r.id == PARTY)
    project = tmp_path / "project"
    (project / "docs" / "reports").mkdir(parents=True)
    (project / "data").symlink_to(CORPUS / "data")
    source = CORPUS / "sources" / f"{PARTY}.txt"
    planned = plan(project, source.read_bytes(), source.name,
                   Options(unit=report.unit, meeting=report.meeting, title=report.title, year=report.year, report_id=PARTY))
    problems_files = [text for name, text in planned.files.items() if "-problems-" in name]
    measure_ids = {m for name, text in planned.files.items() if "-measures-" in name
                   for m, _rest in MARKER.findall(text)}
    proposed = [m for text in problems_files for links in re.findall(r'measures="([^"]*)"', text) for m in links.split()]
    assert proposed and set(proposed) <= measure_ids
    low = [p for p in planned.proposals.links.values() if p.low]
    notes = sum(text.count("#   p") for text in problems_files if "对应措施" in text)
    assert notes == len(low)  # each low-confidence link proposal is left for review


def test_kb_links_agreement_is_complete_when_the_links_are_the_proposals(project_copy, tmp_path):
    """`kb links` prints the agreement of kb import's proposals with the links as written; with the
    proposals written in as they are, agreement is total."""
    kb = load_or_raise(project_copy)
    assert [a.report for a in agreements(project_copy, kb)] == [r.id for r in kb.reports]
    empty = tmp_path / "empty"
    shutil.copytree(project_copy / "data", empty / "data")
    (empty / "docs" / "reports").mkdir(parents=True)
    proposals = {r.id: proposed_links(project_copy, kb, r.id, empty) for r in kb.reports}
    for path in (project_copy / "docs" / "reports").glob("*/1*-problems-*.md"):
        links = proposals[path.parent.name]
        text = re.sub(r' measures="[^"]*"', "", path.read_text(encoding="utf-8"))
        text = MARKER.sub(lambda m: m.group(0).rstrip()[:-1].rstrip() + (f' measures="{" ".join(links[m.group(1)])}" }}'
                                                                          if links.get(m.group(1)) else " }"), text)
        path.write_text(text, encoding="utf-8")
    result = run_kb(project_copy, "links")
    out = result.stdout.decode()
    assert result.returncode == 0, out + result.stderr.decode()
    total = sum(len(links) for links in proposals.values())
    assert f"problem items {total}, identical {total}" in out and "F1 1.00" in out, out


def test_site_wide_view_is_paged_and_declares_what_each_page_shows(monkeypatch):
    """At 1,000 reports the view stays light: paged, each page keyed (mkdocs serve) on its reports."""
    from kb.build import SiteBuild
    from kb.pages import reconcile

    monkeypatch.setattr(reconcile, "PER_PAGE", 1)
    build = SiteBuild(CORPUS)
    pages = {src: builder for src, builder in build.generated.items()
             if src.startswith("reconcile/") and not src.startswith("reconcile/meetings/")}
    assert sorted(pages) == ["reconcile/index.md", "reconcile/page-2.md"]
    assert sorted(r.id for builder in pages.values() for r in builder.shows) == sorted(r.id for r in build.kb.reports)
    for builder in pages.values():
        assert 'class="kb-pager"' in builder().html()
    states = {r.id: "a" for r in build.kb.reports}
    before = build.page_inputs(states)
    changed = pages["reconcile/page-2.md"].shows[0].id
    after = build.page_inputs(dict(states, **{changed: "b"}))
    assert before["reconcile/index.md"] == after["reconcile/index.md"]
    assert before["reconcile/page-2.md"] != after["reconcile/page-2.md"]
    assert before["stats/index.md"] is None  # counts of the whole corpus: rebuilt every time
