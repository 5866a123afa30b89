"""The site stands alone and builds reproducibly.

- Viewing it makes no request outside the site: every kind of page is loaded in real Chromium and
  every request is recorded (no repository facts from api.github.com, no fonts, no CDN), search
  included.
- No canonical link or sitemap names a machine that is not the site: site_url comes from
  KB_SITE_URL (mkdocs.yml), unset by default.
- Two builds of the same tree are byte-identical whatever PYTHONHASHSEED is.
- The command line's layers: nothing in kb imports kb.cli (the top), so kb.importer.cli and kb.cli
  form no import cycle."""

from __future__ import annotations

import ast
import gzip
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, built as build, served

DEPLOYED = "https://example.org/kb/"
TEXT_SUFFIXES = {".html", ".xml", ".json", ".txt"}


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def differences(a: Path, b: Path) -> list[str]:
    """What differs between two built sites: missing files first, then files whose bytes differ."""
    fa, fb = files_of(a), files_of(b)
    out = [f"only in {a.name}: {p}" for p in sorted(fa.keys() - fb.keys())]
    out += [f"only in {b.name}: {p}" for p in sorted(fb.keys() - fa.keys())]
    for path in sorted(fa.keys() & fb.keys()):
        if fa[path] != fb[path]:
            at = next((i for i, (x, y) in enumerate(zip(fa[path], fb[path])) if x != y), min(len(fa[path]), len(fb[path])))
            out.append(f"differs: {path} ({len(fa[path])} / {len(fb[path])} bytes, first at byte {at}: "
                       f"{fa[path][max(0, at - 40):at + 40]!r} / {fb[path][max(0, at - 40):at + 40]!r})")
    return out


@pytest.fixture(scope="module")
def default_builds(tmp_path_factory) -> tuple[Path, Path]:
    """The project built twice as a contributor would, under two hash seeds."""
    base = tmp_path_factory.mktemp("repro")
    return tuple(build(ROOT, base / f"seed{seed}", {"PYTHONHASHSEED": str(seed)}) for seed in (1, 2))


@pytest.fixture(scope="module")
def deployed_builds(tmp_path_factory) -> tuple[Path, Path]:
    """The project built twice for a deployment (KB_SITE_URL set, build time pinned), under two hash seeds."""
    base = tmp_path_factory.mktemp("deployed")
    env = {"KB_SITE_URL": DEPLOYED, "SOURCE_DATE_EPOCH": "1700000000"}
    return tuple(build(ROOT, base / f"seed{seed}", dict(env, PYTHONHASHSEED=str(seed))) for seed in (1, 2))


# ---------- reproducible builds ----------

def test_builds_are_byte_identical_whatever_the_hash_seed(default_builds):
    first, second = default_builds
    assert len(files_of(first)) > 100
    diff = differences(first, second)
    assert not diff, f"{len(diff)} file(s) differ between PYTHONHASHSEED=1 and =2:\n" + "\n".join(diff[:10])


def test_deployment_builds_are_byte_identical_whatever_the_hash_seed(deployed_builds):
    first, second = deployed_builds
    assert (first / "sitemap.xml.gz").is_file()
    diff = differences(first, second)
    assert not diff, f"{len(diff)} file(s) differ between PYTHONHASHSEED=1 and =2:\n" + "\n".join(diff[:10])


# ---------- site_url ----------

def _text_files(site: Path):
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            yield path, path.read_text(encoding="utf-8")


def test_default_build_names_no_local_machine(default_builds, site_dir):
    for site in (default_builds[0], site_dir):  # the project, and the tests' fixture corpus
        checked = 0
        for path, text in _text_files(site):
            checked += 1
            for name in ("127.0.0.1", "localhost"):
                assert name not in text, f"{path.relative_to(site)} names {name}"
        assert checked > 100
    site = default_builds[0]
    for page in site.rglob("*.html"):  # no site_url: no canonical links rather than wrong ones
        assert 'rel="canonical"' not in page.read_text(encoding="utf-8"), page
    assert not (site / "sitemap.xml").exists() and not (site / "sitemap.xml.gz").exists()


def test_kb_site_url_gives_canonical_links_and_sitemap(deployed_builds):
    site = deployed_builds[0]
    canonical = re.compile(r'<link rel="canonical" href="([^"]+)">')
    pages = sorted(site.rglob("index.html"))
    assert len(pages) > 50
    for page in pages:
        found = canonical.findall(page.read_text(encoding="utf-8"))
        folder = page.parent.relative_to(site).as_posix()
        assert found == [DEPLOYED + ("" if folder == "." else folder + "/")], page
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert len(locs) == len(pages) and all(loc.startswith(DEPLOYED) for loc in locs)
    assert DEPLOYED + "reports/" in locs
    assert "<lastmod>" not in sitemap  # MkDocs' lastmod is only the build date
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == sitemap
    for path, text in _text_files(site):
        assert "127.0.0.1" not in text and "localhost" not in text, path


def test_edit_links_still_name_the_repository(default_builds):
    """The repository link is a plain link now; repo_url and edit_uri still make the edit buttons."""
    site = default_builds[0]
    report = next(p for p in sorted((site / "reports").glob("*/index.html")))
    html = report.read_text(encoding="utf-8")
    assert re.search(r'<a href="https://github\.com/[^"]+/edit/main/docs/reports/[^"]+/index\.md"[^>]*rel="edit"', html)
    assert 'class="md-source"' in html and 'data-md-component="source"' not in html


# ---------- no request outside the site ----------

def _pages_to_visit(catalog: dict, site_dir: Path) -> dict[str, str]:
    report = catalog["reports"][0]
    section = next(s for s in report["sections"] if s["items"] and s["theme"])
    unit = next(u for u in catalog["units"] if u["id"] == report["unit"])
    theme = next(t for t in catalog["themes"] if t["id"] == section["theme"])
    pages = {
        "home": "", "reports index": "reports/", "report": report["url"], "section": section["url"],
        "themes index": "themes/", "theme": theme["url"], "units index": "units/", "unit": unit["url"],
        "404 page": "404.html",
    }
    for vocabulary, folder in (("problem_types", "problem-types"), ("cause_types", "cause-types"),
                               ("measure_types", "measure-types")):
        pages[f"{folder} index"] = f"{folder}/"
        pages[f"{folder} page"] = catalog[vocabulary][0]["url"]
    for path in sorted(site_dir.rglob("index.html")):  # redirect pages of renamed reports, if the corpus has any
        if 'http-equiv="refresh"' in path.read_text(encoding="utf-8"):
            pages["redirect"] = path.parent.relative_to(site_dir).as_posix() + "/"
            break
    return pages


class _Recorder:
    """Every request a page makes, and every sign of a failed load."""

    def __init__(self, page, base: str):
        self.origin = urlsplit(base)[:2]
        self.requests: list[str] = []
        self.problems: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        # ERR_ABORTED is the page leaving (a redirect's meta refresh), not a load that failed
        page.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED"
                and self.problems.append(f"failed: {r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console error: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))

    def outside(self) -> list[str]:
        return [u for u in self.requests
                if not u.startswith(("data:", "blob:", "about:")) and urlsplit(u)[:2] != self.origin]


def _first_two_characters(catalog: dict) -> str:
    for report in catalog["reports"]:
        for section in report["sections"]:
            for item in section["items"]:
                found = re.search(r"[\u4e00-\u9fff]{2}", item["title"])
                if found:
                    return found.group(0)
    raise AssertionError("no item title with two Chinese characters in catalog.json")


def test_no_request_leaves_the_site(page, site_url, site_dir, catalog):
    recorder = _Recorder(page, site_url)
    pages = _pages_to_visit(catalog, site_dir)
    for kind, path in pages.items():
        page.goto(site_url + path, wait_until="networkidle")
        assert page.locator("h1").count(), f"{kind} ({path}) shows no heading"
    # the search box: the index's meta, shards, documents and facets
    page.goto(site_url, wait_until="networkidle")
    query = _first_two_characters(catalog)
    page.keyboard.press("/")
    page.keyboard.type(query)
    page.wait_for_selector(".kb-search-item")
    page.wait_for_selector(".kb-search[data-state=done]", state="attached")
    page.click(".kb-search-filter-toggle")
    page.wait_for_selector("select[data-facet=part]")
    page.wait_for_load_state("networkidle")
    searched = [u for u in recorder.requests if "/search/" in u]
    assert any("/search/s/" in u for u in searched) and any("/search/d/" in u for u in searched), searched
    assert any("/search/facets.json" in u for u in searched), searched
    assert len(recorder.requests) > 10 * len(pages)
    assert recorder.outside() == [], f"requests outside {site_url} (query {query!r}, pages {pages})"
    assert recorder.problems == []


def test_redirect_page_requests_nothing_outside(project_copy, tmp_path, browser):
    """A renamed report's old URL: the redirect page, then the page it sends the reader to."""
    report = sorted((project_copy / "docs" / "reports").glob("*/index.md"))[0]
    text = report.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    report.write_text("---\nredirect_from: [reports/an-old-name/]\n" + text[4:], encoding="utf-8")
    site = build(project_copy, tmp_path / "site")
    assert 'http-equiv="refresh"' in (site / "reports" / "an-old-name" / "index.html").read_text(encoding="utf-8")
    with served(site) as base:
        context = browser.new_context(locale="zh-CN")
        tab = context.new_page()
        recorder = _Recorder(tab, base)
        tab.goto(base + "reports/an-old-name/")
        tab.wait_for_url(base + f"reports/{report.parent.name}/", timeout=10000)
        tab.wait_for_load_state("networkidle")
        assert recorder.outside() == []
        assert recorder.problems == []
        context.close()


# ---------- command line layers ----------

def _imports(path: Path, module: str) -> set[str]:
    """Every kb module a file imports, anywhere in it (function-level imports included)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            found.update(f"{target}.{alias.name}" for alias in node.names)
            found.add(target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name == "kb" or name.startswith("kb.")}


def test_nothing_in_kb_imports_the_command_line():
    """kb/cli.py registers the importer's commands, so kb.importer.cli (or anything else) importing
    kb.cli back would make a cycle; both take find_root from kb.project."""
    offenders = []
    for path in sorted((ROOT / "kb").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if module != "kb.cli" and "kb.cli" in _imports(path, module):
            offenders.append(module)
    assert offenders == []
    assert "kb.project" in _imports(ROOT / "kb" / "importer" / "cli.py", "kb.importer.cli")


def test_command_line_still_offers_every_command(tmp_path):
    result = subprocess.run([sys.executable, "-m", "kb.cli", "--help"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for command in ("check", "export", "import", "new", "urls", "list"):
        assert command in result.stdout
    # outside any project the root is still looked for upward, and its absence explained
    result = subprocess.run([sys.executable, "-m", "kb.cli", "check"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1 and "project root" in result.stderr
    # from a subfolder of the project the root is found
    result = subprocess.run([sys.executable, "-m", "kb.cli", "urls", "--check"], capture_output=True, text=True,
                            cwd=ROOT / "docs")
    assert result.returncode == 0, result.stdout + result.stderr
