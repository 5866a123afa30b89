"""Pages kb renders (the article HTML, with its title and table of contents) compared with small
golden files, on the tests' own fixture corpus. After an intended change, regenerate with
KB_UPDATE_GOLDEN=1 ./tasks test tests/test_golden.py and review the diff like any other change."""

import os
from pathlib import Path

import pytest

from kb.build import SiteBuild


GOLDEN = Path(__file__).resolve().parent / "golden"
PAGES = [
    "index.md",
    "themes/index.md",
    "meetings/dsxx-2021.md",
    "themes/dsxx-2021-3-renmin-zhongxin/index.md",
    "aspects/index.md",
    "aspects/discipline-integrity/index.md",
    "units/xx-county-party-committee.md",
    "problem-types/index.md",
    "problem-types/research-shallow/index.md",
    "cause-types/purpose-awareness-weak/index.md",
    "reports/index.md",
    "similar/index.md",
    "similar/check.md",
]
REWRITTEN = ["reports/2021-xx-county-party-committee/13-problems-3.md"]


def rendered(build, src_path: str) -> str:
    """What kb hands MkDocs for a page: its title, TOC outline and article HTML."""
    page = build.page(src_path)

    def outline(tokens, depth=0):
        return "".join(f"{'  ' * depth}- {t['name']} #{t['id']}\n" + outline(t["children"], depth + 1) for t in tokens)

    return f"title: {page.title}\ntoc:\n{outline(page.toc())}---\n{page.html()}"


@pytest.fixture(scope="module")
def build(fixture_project):
    return SiteBuild(fixture_project)


def _check(name: str, actual: str):
    golden = GOLDEN / (name.replace("/", "__").removesuffix(".md") + ".html")
    if os.environ.get("KB_UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"missing golden file {golden.name}: run with KB_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("src_path", PAGES)
def test_generated_page_matches_golden(build, src_path):
    _check(src_path, rendered(build, src_path))


@pytest.mark.parametrize("src_path", REWRITTEN)
def test_section_page_matches_golden(build, src_path):
    _check(src_path, rendered(build, src_path))
