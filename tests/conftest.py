"""Shared fixtures: sites built by real MkDocs, served on loopback by a plain static server, and
Debian's Chromium driven by Playwright (no browser download, ever).

Two corpora. The tests' own fixture corpus (tests/fixtures/corpus/: data/, docs/, sources/, frozen,
owned by the tests) is what page-level expectations, golden files, search, print and the
break-it-on-purpose tests run on, so they never change when reports are added to docs/. The live
corpus (the project's own data/ and docs/) is checked only by tests that derive every expectation
from it (tests/test_corpus.py and the link checks), so a contributor who adds a valid report never
has to edit a test."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
SEEDS = CORPUS / "sources"  # the two seed texts as circulated, named by the report made from them
SHELL_CHECK = {"KB_PAGE_SHELL_CHECK": "1"}  # compare every page shell with Material's render (kb/page_shell.py)
CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def squash(text: str) -> str:
    """Text without any whitespace: the seeds' line breaks, pdftotext's wrapping and the Markdown
    layout may all differ while the characters may not."""
    return re.sub(r"\s+", "", text)


def report_text(report) -> str:
    """Every character a stored report holds, in reading order (part headings where their part starts)."""
    out = []
    for part_id, sections in report.part_runs():
        out.append(report.part_headings.get(part_id, ""))
        for section in sections:
            out.append(section.heading or "")
            out.extend(block.text for block in section.blocks)
    return squash("".join(out))


def tree_hash(root: Path) -> str:
    """Names and bytes of every file and folder below root: equal before and after means untouched."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(path.relative_to(root).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def mkdocs_build(config_dir: Path, site_dir: Path, strict: bool = True,
                 env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the real `mkdocs build` the way a contributor would: a deployment's KB_SITE_URL and
    SOURCE_DATE_EPOCH from the caller's environment are left out unless env sets them."""
    command = [sys.executable, "-m", "mkdocs", "build", "--clean", "-f", str(config_dir / "mkdocs.yml"),
               "-d", str(site_dir)]
    if strict:
        command.append("--strict")
    full_env = {k: v for k, v in os.environ.items() if k not in ("KB_SITE_URL", "SOURCE_DATE_EPOCH")}
    full_env.update(NO_MKDOCS_2_WARNING="1", **(env or {}))
    return subprocess.run(command, cwd=config_dir, capture_output=True, text=True, env=full_env)


def make_project(target: Path, corpus: Path = CORPUS) -> Path:
    """A buildable project at target: a corpus' data/, docs/ and sources/, with this checkout's
    mkdocs.yml, hooks and theme (the code under test)."""
    target.mkdir(parents=True)
    for name in ("data", "docs", "sources"):
        if (corpus / name).is_dir():
            shutil.copytree(corpus / name, target / name)
    shutil.copytree(ROOT / "hooks", target / "hooks")
    # the theme overrides live in the package; point custom_dir at the real one
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "custom_dir: kb/theme" in config
    config = config.replace("custom_dir: kb/theme", f"custom_dir: {ROOT / 'kb' / 'theme'}")
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    return target


def built(config_dir: Path, target: Path, env: dict[str, str] | None = None) -> Path:
    """A strict build that must succeed."""
    result = mkdocs_build(config_dir, target, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return target


@pytest.fixture(scope="session")
def fixture_project(tmp_path_factory) -> Path:
    """The fixture corpus as a project (read-only: break things in project_copy instead)."""
    return make_project(tmp_path_factory.mktemp("fixture") / "project")


@pytest.fixture(scope="session")
def site_dir(fixture_project, tmp_path_factory) -> Path:
    """The fixture corpus built by the real strict build, every page shell checked against
    Material's full render (kb/page_shell.py)."""
    return built(fixture_project, tmp_path_factory.mktemp("site") / "site", env=SHELL_CHECK)


@pytest.fixture(scope="session")
def live_site_dir(tmp_path_factory) -> Path:
    """The project's own corpus (docs/, data/) built by the real strict build (page shells checked)."""
    return built(ROOT, tmp_path_factory.mktemp("live-site") / "site", env=SHELL_CHECK)


@pytest.fixture(scope="session")
def live_catalog(live_site_dir) -> dict:
    return json.loads((live_site_dir / "catalog.json").read_text(encoding="utf-8"))


@pytest.fixture(params=["fixture", "live"])
def any_site(request) -> tuple[Path, dict]:
    """(site folder, catalog) of each corpus in turn, for checks whose expectations come from the catalog."""
    if request.param == "fixture":
        return request.getfixturevalue("site_dir"), request.getfixturevalue("catalog")
    return request.getfixturevalue("live_site_dir"), request.getfixturevalue("live_catalog")


@pytest.fixture(scope="session")
def catalog(site_dir) -> dict:
    return json.loads((site_dir / "catalog.json").read_text(encoding="utf-8"))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def served(directory: Path) -> Iterator[str]:
    """A built site on a plain static server on loopback (no gzip, no rewriting), as any host would
    serve it; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(site_dir):
    with served(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run ./tasks test, which installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A throwaway project of the fixture corpus (data/, docs/, sources/, mkdocs.yml, hooks/) to break on purpose."""
    return make_project(tmp_path / "project")
