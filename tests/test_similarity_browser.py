"""查重 in real Chromium: the browser's fingerprints (assets/similar.js) equal Python's
(kb/similarity/fingerprint.py) on the same input, and a draft pasted into the 查重 page finds what
`kb similar` finds, fetching only files of the site: on the fixture corpus (one shard), and on a
synthetic corpus of more than COMMON_REPORTS reports with its index split into shards."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest

from conftest import CORPUS, served

from kb.errors import Problems
from kb.knowledge import load_or_raise
from kb.similarity import Similarity, site_index, write_fingerprint_index
from kb.similarity.draft import draft_records
from kb.similarity.fingerprint import fingerprint
from kb.similarity.template import template_hashes, template_texts
from kb.vocab import load_vocabulary

SHOTS = Path(tempfile.gettempdir()) / "kb-screenshots"  # to look at; not kept in the repository

JS_FINGERPRINT = """([text]) => kbSimilar.load('meta.json').then(meta => {
  const template = new Set(meta.template.map(h => parseInt(h, 36)));
  const f = kbSimilar.fingerprint(text, meta, template);
  return {norm: String.fromCodePoint(...f.norm.cps), prints: f.prints, template: f.template};
})"""


@pytest.fixture(scope="module")
def similarity():
    return Similarity(load_or_raise(CORPUS))


def samples(catalog) -> list[str]:
    texts = [s["text"] for r in catalog["reports"] for s in r["sections"]][:6]
    return texts + [
        "ＡＢＣ１２３，全角字母与数字；①②③ Ⅻ ﬁ 𠀀𠀁𠀂𠀃𠀄𠀅 👍 İstanbul 'quoted' — dash",
        "带头深刻感悟“两个确立”的决定性意义，这是主题原文；后面是自己的话，不与任何报告相同。",
        "短",
        "",
    ]


def test_browser_and_python_fingerprints_agree(site_dir, catalog, page):
    problems = Problems(root=CORPUS)
    template = template_hashes(template_texts(load_vocabulary(CORPUS / "data", problems)))
    with served(site_dir) as url:
        page.goto(url + "similar/check/")
        page.wait_for_function("() => window.kbSimilar")
        for text in samples(catalog):
            python = fingerprint(text, template)
            browser = page.evaluate(JS_FINGERPRINT, [text])
            assert browser == {"norm": python.norm, "prints": [list(p) for p in python.prints],
                               "template": [list(s) for s in python.template]}, text[:40]


def draft_text(catalog) -> str:
    """Own words, a verbatim passage of one seed report, theme wording, a near-verbatim passage of
    the other (punctuation changed, a character replaced), own words again."""
    first, second = catalog["reports"][0], catalog["reports"][1]
    a = max((s["text"] for s in first["sections"]), key=len).split("\n\n")[0]
    b = max((s["text"] for s in second["sections"]), key=len).split("\n\n")[-1]
    near = b[10:90].replace("，", "、").replace("的", "得", 1)
    theme = catalog["meetings"][0]
    theme_name = next(t["name"] for t in catalog["themes"] if t["id"] == theme["themes"][0])
    return ("我们单位今年的情况比较特殊，先说说背景。" + a[:70] + "。" + theme_name + "方面，"
            + "下面这段话是从别处抄来的：" + near + "。最后是我们自己的打算，明年一月底前完成。")


def test_pasting_a_draft_shows_the_reports_it_copies(site_dir, catalog, similarity, page):
    draft = draft_text(catalog)
    expected = draft_records(similarity, draft)
    assert len(expected) == 2  # both seed reports, each for its own passage
    titles = {r["id"]: r["title"] for r in catalog["reports"]}
    requests: list[str] = []
    with served(site_dir) as url:
        page.on("request", lambda request: requests.append(request.url))
        page.goto(url + "similar/check/")
        page.fill("#kb-check-draft", draft)
        page.click("#kb-check-run")
        page.wait_for_selector("#kb-check-results[data-done]", timeout=10000)
        heads = page.eval_on_selector_all(".kb-check-report", "els => els.map(e => e.textContent)")
        shown = page.eval_on_selector_all(".kb-check-draft-text", "els => els.map(e => e.textContent)")
        others = page.eval_on_selector_all(".kb-check-other-text", "els => els.map(e => e.textContent)")
        links = page.eval_on_selector_all(".kb-check-passage a", "els => els.map(e => e.getAttribute('href'))")
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "similar-check.png"), full_page=True)
    assert len(heads) == len(expected)
    for head, record in zip(heads, expected):
        assert head.startswith(titles[record["report"]])
        assert f"相同 {record['shared_chars']} 字" in head
        assert f"{record['share'] * 100:.1f}%" in head
    assert shown == [p["text"] for r in expected for p in r["passages"]]
    assert others == [p["other_text"] for r in expected for p in r["passages"]]
    assert all(f"#s-{p['other_section']}" in link for link, r in zip(links, expected) for p in r["passages"][:1])
    assert all(request.startswith(url) for request in requests)  # nothing leaves the site


def test_a_draft_of_original_text_finds_nothing(site_dir, page):
    with served(site_dir) as url:
        page.goto(url + "similar/check/")
        page.fill("#kb-check-draft", "今年以来班子坚持每月安排一次集中研讨，但研讨题目多由办公室临时拟定，成员发言前准备不足。")
        page.click("#kb-check-run")
        page.wait_for_selector("#kb-check-results[data-done='0']", timeout=10000)
        assert "未在本库收录的报告中发现" in page.text_content("#kb-check-results")


def test_report_text_in_results_stays_text(tmp_path, page):
    """A report's text holding markup is shown as text (the index holds it as the report wrote it)."""
    from conftest import built, make_project

    project = make_project(tmp_path / "project")
    section = project / "docs" / "reports" / "2021-xx-county-gov-office" / "11-problems-1.md"
    text = section.read_text(encoding="utf-8")
    paragraph = max(text.split("\n\n"), key=len)
    section.write_text(text.replace(paragraph[:30], paragraph[:30] + "&lt;b&gt;加粗&lt;/b&gt;", 1), encoding="utf-8")
    site = built(project, tmp_path / "site")
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    body = next(s["text"] for r in catalog["reports"] for s in r["sections"] if s["id"] == "11-problems-1"
                and r["id"] == "2021-xx-county-gov-office")
    start = body.index("&lt;b&gt;")
    with served(site) as url:
        page.goto(url + "similar/check/")
        page.fill("#kb-check-draft", body[start - 40:start + 60])
        page.click("#kb-check-run")
        page.wait_for_selector("#kb-check-results[data-done]", timeout=10000)
        assert page.query_selector("#kb-check-results b") is None
        assert "&lt;b&gt;加粗" in page.text_content("#kb-check-results")


MANY = 60  # reports: more than COMMON_REPORTS, so some fingerprints are common and left out of the index
JS_CHECK = """async (text) => (await kbSimilar.check(text)).reports.map(r => ({
  report: r.doc.id, shared_chars: r.sharedChars, share: Math.round(r.share * 1e4) / 1e4,
  passages: r.passages.map(p => ({section: "", text: p.text, other_section: p.section.id, other_text: p.otherText}))}))"""


@pytest.fixture(scope="module")
def many_reports(site_dir, tmp_path_factory):
    """A copy of the fixture site serving the fingerprint index of a synthetic corpus (benchmarks/corpus.py)
    of MANY reports instead, split into shards (a lookup budget small enough to need several)."""
    from benchmarks.corpus import make_corpus

    work = tmp_path_factory.mktemp("similar-many")
    similarity = Similarity(load_or_raise(make_corpus(MANY, work / "project")))
    site = work / "site"
    shutil.copytree(site_dir, site, ignore=shutil.ignore_patterns(site_index.FOLDER))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(site_index, "LOOKUP_BUDGET", 16 * 1024)
        write_fingerprint_index(similarity, site)
    return similarity, site


def test_a_draft_checked_against_a_sharded_index_with_common_fingerprints(many_reports, page):
    similarity, site = many_reports
    corpus = similarity.corpus
    meta = json.loads((site / site_index.FOLDER / "meta.json").read_text(encoding="utf-8"))
    assert meta["shardBits"] >= 1 and corpus.common  # the paths this test is about
    draft = "\n".join(t.text for r in (MANY // 2, MANY // 2 + 1) for t in corpus.texts[r])[:3000]
    expected = draft_records(similarity, draft)
    assert expected
    fetched: list[str] = []
    with served(site) as url:
        base = url + site_index.FOLDER + "/"
        page.on("request", lambda request: fetched.append(request.url[len(base):]) if request.url.startswith(base) else None)
        page.goto(url + "similar/check/")
        page.wait_for_function("() => window.kbSimilar")
        assert page.evaluate(JS_CHECK, draft) == expected
    # meta.json, the shards holding the draft's fingerprints, and the candidates compared: each once,
    # each of the index's files asking for this version of it (no stale cached copy of an older build)
    prints = corpus.draft(draft).prints.prints
    version = f"?v={meta['version']}"
    shards = {f"s/{h >> (32 - meta['shardBits'])}.json{version}" for h, _ in prints}
    candidates = {f"d/{r}.json{version}" for r in corpus.candidates({h for h, _ in prints})}
    assert sorted(fetched) == sorted({"meta.json"} | shards | candidates)
