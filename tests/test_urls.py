"""URL stability and links: every published URL (data/published-urls.txt) is served as a page or a
redirect; renames with redirect_from keep old URLs working (meta refresh, followed by real
Chromium); every internal link and anchor of the built site resolves; report and section pages have
an "edit this page" link, generated pages none."""

from __future__ import annotations

import html.parser
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from conftest import CORPUS, ROOT, mkdocs_build, served
from kb.published import missing_urls, read_published
from test_importer_support import run_kb


def test_published_urls_are_served(live_site_dir, live_catalog):
    urls = read_published(ROOT)
    assert len(urls) >= len(live_catalog["reports"])
    assert missing_urls(live_site_dir, urls) == []


def test_every_current_page_is_listed_as_published(live_catalog):
    """New reports register their URLs (kb import does it; after `kb new` or a rename run `kb urls`)."""
    listed = set(read_published(ROOT))
    reports = live_catalog["reports"]
    current = [r["url"] for r in reports] + [s["url"] for r in reports for s in r["sections"]]
    unlisted = [url for url in current if url not in listed]
    assert unlisted == [], "run `kb urls` to add these to data/published-urls.txt"


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key) and not (tag == "link" and attrs.get("rel") in ("canonical", "alternate")):
                self.links.append(attrs[key])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(site: Path) -> list[str]:
    """Internal links whose target file (or #anchor in it) does not exist in the built site."""
    site = site.resolve()
    pages = {p: _parse(p) for p in site.rglob("*.html")}
    broken = []
    for page, parsed in pages.items():
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:", "data:")):
                continue
            if parts.path.startswith("/"):  # 404.html links from the site root (site_url's path is /)
                target = (site / unquote(parts.path).lstrip("/")).resolve()
                if parts.path.endswith("/"):
                    target = target / "index.html"
            elif parts.path:
                target = (page.parent / unquote(parts.path)).resolve()
                if target.is_dir() or parts.path.endswith("/"):
                    target = target / "index.html"
            else:
                target = page
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {link}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(site)} -> {link} (anchor)")
    return broken


def test_internal_links_and_anchors_resolve(any_site):
    """`mkdocs build --strict` already checks links written in Markdown (validation: links: warn);
    this also covers links the theme and the generated pages put into the HTML."""
    site_dir, _ = any_site
    assert broken_links(site_dir) == []


def test_edit_link_on_report_and_section_pages_only(site_dir, catalog):
    edit = re.compile(r'<a href="([^"]+)"[^>]*rel="edit"')
    report = catalog["reports"][0]
    page = (site_dir / report["url"] / "index.html").read_text(encoding="utf-8")
    assert edit.search(page).group(1).endswith(f"/edit/main/docs/reports/{report['id']}/index.md")
    section = report["sections"][1]
    page = (site_dir / section["url"] / "index.html").read_text(encoding="utf-8")
    assert edit.search(page).group(1).endswith(f"/edit/main/docs/reports/{report['id']}/{section['id']}.md")
    generated = ["index.html", "reports/index.html", "themes/index.html", catalog["themes"][0]["url"] + "index.html",
                 catalog["units"][0]["url"] + "index.html", catalog["problem_types"][0]["url"] + "index.html"]
    for rel in generated:
        assert not edit.search((site_dir / rel).read_text(encoding="utf-8")), rel


def _add_front_matter(path: Path, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    path.write_text("---\n" + line + "\n" + text[4:], encoding="utf-8")


def test_renames_keep_published_urls_working(project_copy, tmp_path, browser):
    reports = project_copy / "docs" / "reports"
    # a renamed report (its sections move with it) and a renamed section, both with redirect_from
    old, new = reports / "2021-xx-county-gov-office", reports / "2021-xx-county-gov-office-v2"
    old.rename(new)
    _add_front_matter(new / "index.md", "redirect_from: [reports/2021-xx-county-gov-office/]")
    (new / "34-measures-4.md").rename(new / "34-measures-zilv.md")
    _add_front_matter(new / "34-measures-zilv.md", "redirect_from: [reports/2021-xx-county-gov-office/34-measures-4/]")
    # a section renamed without a redirect: exactly its old URL must be reported missing
    party = reports / "2021-xx-county-party-committee"
    (party / "35-measures-5.md").rename(party / "35-measures-zuofeng.md")
    site = tmp_path / "site"
    result = mkdocs_build(project_copy, site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert missing_urls(site, read_published(project_copy)) == ["reports/2021-xx-county-party-committee/35-measures-5/"]
    assert broken_links(site) == []
    page = (site / "reports/2021-xx-county-gov-office/index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../2021-xx-county-gov-office-v2/">' in page
    assert 'href="../2021-xx-county-gov-office-v2/"' in page  # a plain link too, no JavaScript needed
    with served(site) as base:
        context = browser.new_context(java_script_enabled=False)
        tab = context.new_page()
        for old_url, new_url in [("reports/2021-xx-county-gov-office/", "reports/2021-xx-county-gov-office-v2/"),
                                 ("reports/2021-xx-county-gov-office/12-problems-2/",
                                  "reports/2021-xx-county-gov-office-v2/12-problems-2/"),
                                 ("reports/2021-xx-county-gov-office/34-measures-4/",
                                  "reports/2021-xx-county-gov-office-v2/34-measures-zilv/")]:
            tab.goto(base + old_url)
            tab.wait_for_url(base + new_url, timeout=10000)
            assert tab.locator("article h1").first.inner_text()
        context.close()


def test_redirect_onto_an_existing_page_is_an_error(project_copy):
    index = project_copy / "docs" / "reports" / "2021-xx-county-gov-office" / "index.md"
    _add_front_matter(index, "redirect_from: [reports/2021-xx-county-party-committee/]")
    result = run_kb(project_copy, "check")
    out = result.stdout.decode()
    assert result.returncode == 1
    assert "[redirect-to-page]" in out and "docs/reports/2021-xx-county-gov-office/index.md:2" in out


def test_kb_urls_only_appends(tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(CORPUS / "data", root / "data")
    shutil.copytree(CORPUS / "docs", root / "docs")
    (root / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    published = root / "data" / "published-urls.txt"
    published.write_text("# header\nreports/gone-long-ago/\n", encoding="utf-8")
    assert run_kb(root, "urls", "--check").returncode == 1
    assert run_kb(root, "urls").returncode == 0
    lines = published.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["# header", "reports/gone-long-ago/"]  # nothing removed
    assert run_kb(root, "urls", "--check").returncode == 0
    assert len(read_published(root)) == 34


NAV_LINK = re.compile(r'<a href="([^"]*)" class="md-nav__link(?: md-nav__link--active)?">')


def test_every_page_navigation_leads_to_the_nav_pages(site_dir):
    """The primary navigation is rendered once and reused across pages (kb/site_theme.py): on every
    page its links must still lead, relative to that page, to the pages of the nav."""
    expected = ["", "reports/", "themes/", "aspects/", "units/", "problem-types/", "cause-types/", "measure-types/", "similar/", "compare/"]
    pages = sorted(site_dir.rglob("index.html"))
    for path in pages:
        url = path.parent.relative_to(site_dir).as_posix().removeprefix(".")
        page_url = "http://site/" + (url + "/" if url else "")
        hrefs = [h for h in NAV_LINK.findall(path.read_text(encoding="utf-8")) if not h.startswith("#")]  # active page's TOC
        resolved = [urljoin(page_url, h if h != ".." else "../").removeprefix("http://site/") for h in hrefs]
        assert resolved == expected, (url, hrefs)
    assert len(pages) > 50
