"""Generated pages compared with small golden files. After an intended change, regenerate with
KB_UPDATE_GOLDEN=1 ./tasks test tests/test_golden.py and review the diff like any other change."""

import os
from pathlib import Path

import pytest

from kb.build import SiteBuild


GOLDEN = Path(__file__).resolve().parent / "golden"
PAGES = [
    "index.md",
    "themes/index.md",
    "themes/dsxx-2021-3-renmin-zhongxin/index.md",
    "units/xx-county-party-committee.md",
    "problem-types/index.md",
    "problem-types/research-shallow/index.md",
    "cause-types/purpose-awareness-weak/index.md",
    "reports/index.md",
]
REWRITTEN = ["reports/2021-xx-county-party-committee/13-problems-3.md"]


@pytest.fixture(scope="module")
def build(fixture_project):
    return SiteBuild(fixture_project)


def _check(name: str, actual: str):
    golden = GOLDEN / (name.replace("/", "__"))
    if os.environ.get("KB_UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"missing golden file {golden.name}: run with KB_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("src_path", PAGES)
def test_generated_page_matches_golden(build, src_path):
    _check(src_path, build.pages[src_path])


@pytest.mark.parametrize("src_path", REWRITTEN)
def test_section_page_matches_golden(build, src_path):
    _check(src_path, build.page_markdown(src_path))
