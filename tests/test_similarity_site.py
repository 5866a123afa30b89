"""查重 in the built site and on the command line, on the fixture corpus plus a planted near-copy of
one seed report (a few characters changed): catalog.json's reports[].similar, the 雷同 block and the
marks on report pages, the ranking pages, `kb similar` and the duplicate-submission check of CI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import built, make_project

from kb.html_page import text_html

ORIGINAL_ID = "2021-xx-county-gov-office"
COPY_ID = "2021-copy-gov-office"


def plant_copy(project) -> None:
    """A second report of the same unit: seed 000's text with a few characters changed."""
    reports = project / "docs" / "reports"
    shutil.copytree(reports / ORIGINAL_ID, reports / COPY_ID)
    index = reports / COPY_ID / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("对照检查材料", "对照检查材料（另一版本）", 1), encoding="utf-8")
    for path in sorted((reports / COPY_ID).glob("*-problems-*.md"))[:2]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("班子", "领导班子", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def dup_project(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("similar") / "project")
    plant_copy(project)
    return project


@pytest.fixture(scope="module")
def dup_site(dup_project, tmp_path_factory):
    return built(dup_project, tmp_path_factory.mktemp("similar-site") / "site")


@pytest.fixture(scope="module")
def dup_catalog(dup_site):
    return json.loads((dup_site / "catalog.json").read_text(encoding="utf-8"))


def test_catalog_lists_the_copy_with_passages_as_they_stand(dup_catalog):
    reports = {r["id"]: r for r in dup_catalog["reports"]}
    for own, other in ((COPY_ID, ORIGINAL_ID), (ORIGINAL_ID, COPY_ID)):
        similar = reports[own]["similar"]
        assert [s["report"] for s in similar] == [other]  # the other seed shares template text only
        entry = similar[0]
        assert set(entry) == {"report", "shared_chars", "share", "passages"}
        assert entry["share"] >= 0.9 and entry["shared_chars"] > 1000
        texts = {s["id"]: s["text"] for s in reports[own]["sections"]}
        other_texts = {s["id"]: s["text"] for s in reports[other]["sections"]}
        for passage in entry["passages"]:
            assert set(passage) == {"section", "text", "other_section", "other_text"}
            assert passage["text"] in texts[passage["section"]]
            assert passage["other_text"] in other_texts[passage["other_section"]]


def test_seed_reports_share_nothing_beyond_template_text(catalog):
    assert all(report["similar"] == [] for report in catalog["reports"])


def test_report_page_shows_the_similar_block_and_marks_shared_text(dup_site, dup_catalog):
    html = (dup_site / "reports" / COPY_ID / "index.html").read_text(encoding="utf-8")
    block = html[html.index("<div class=\"kb-similar\">"):]
    assert "雷同" in block and "占本报告" in block
    first = next(r for r in dup_catalog["reports"] if r["id"] == COPY_ID)["similar"][0]["passages"][0]
    assert f'href="../{ORIGINAL_ID}/#s-{first["other_section"]}"' in block  # links to the other's section
    assert html.count('<mark class="kb-shared">') >= 10


def test_ranking_pages_list_the_pair(dup_site):
    for page in ("similar/index.html", "similar/meetings/dsxx-2021/index.html", "similar/years/2021/index.html"):
        html = (dup_site / page).read_text(encoding="utf-8")
        assert f"reports/{COPY_ID}/" in html and f"reports/{ORIGINAL_ID}/" in html, page
        assert "共 1 对报告" in html


def test_marks_keep_report_text_escaped():
    html = text_html("甲<script>alert(1)</script>乙 [链接](https://example.org/) 丙", ["<script>alert(1)", "乙 [链"])
    assert "<script>" not in html
    assert '<mark class="kb-shared">&lt;script&gt;alert(1)</mark>' in html
    assert '<a href="https://example.org/"' in html  # a mark never breaks a link apart


def kb(*args, cwd):
    return subprocess.run([sys.executable, "-m", "kb.cli", *args], cwd=cwd, capture_output=True, text=True)


def test_kb_similar_on_a_draft_and_a_report(dup_project, tmp_path):
    section = (dup_project / "docs" / "reports" / ORIGINAL_ID / "11-problems-1.md").read_text(encoding="utf-8")
    paragraph = max(section.split("\n\n"), key=len)
    draft = tmp_path / "draft.txt"
    draft.write_text("我们的草稿开头是自己写的话。" + paragraph[:80] + "结尾也是自己的。", encoding="utf-8")
    found = kb("--root", str(dup_project), "similar", str(draft), cwd=tmp_path)
    assert found.returncode == 1, found.stdout + found.stderr
    assert ORIGINAL_ID in found.stdout and COPY_ID in found.stdout and "11-problems-1" in found.stdout
    original = tmp_path / "original.txt"
    original.write_text("今年以来班子坚持每月安排一次集中研讨，但研讨题目多由办公室临时拟定，成员发言前准备不足。", encoding="utf-8")
    nothing = kb("--root", str(dup_project), "similar", str(original), cwd=tmp_path)
    assert nothing.returncode == 0 and "未发现" in nothing.stdout
    report = kb("--root", str(dup_project), "similar", COPY_ID, cwd=tmp_path)
    assert report.returncode == 1 and ORIGINAL_ID in report.stdout


def test_ci_fails_a_near_duplicate_submission_naming_both_reports(tmp_path):
    project = make_project(tmp_path / "project")
    git = lambda *args: subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                                       cwd=project, capture_output=True, text=True, check=True)
    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "base")
    unchanged = kb("--root", str(project), "similar", "--added", "HEAD", cwd=project)
    assert unchanged.returncode == 0, unchanged.stdout + unchanged.stderr
    plant_copy(project)
    git("add", "-A")
    git("commit", "-qm", "a pull request adding a copy")
    result = kb("--root", str(project), "similar", "--added", "HEAD~1", cwd=project)
    assert result.returncode == 1, result.stdout + result.stderr
    error = next(line for line in result.stdout.splitlines() if "duplicate submission" in line)
    assert COPY_ID in error and ORIGINAL_ID in error and "重复提交" in error


def test_report_and_ranking_pages_print_the_shared_passages(dup_site, dup_catalog, page, tmp_path):
    from conftest import served
    from test_print import print_pdf

    with served(dup_site) as url:
        report = print_pdf(page, url + f"reports/{COPY_ID}/", tmp_path / "report.pdf")
        ranking = print_pdf(page, url + "similar/", tmp_path / "ranking.pdf")
    original_title = next(r["title"] for r in dup_catalog["reports"] if r["id"] == ORIGINAL_ID)
    text = "".join(report.text.split())
    assert "雷同" in text and "".join(original_title.split()) in text and "占本报告" in text
    assert "另见查重排行" not in text  # a link for the screen, not for paper
    ranking_text = "".join(ranking.text.split())
    assert "报告甲" in ranking_text and "".join(original_title.split()) in ranking_text
