"""The two seed reports live in the knowledge base word for word (whitespace aside, typos kept)."""

import re

import pytest

from kb.knowledge import load_or_raise

from conftest import CORPUS, SEEDS, report_text, squash

SEED_REPORTS = {
    "2021-xx-county-gov-office.txt": "2021-xx-county-gov-office",
    "2021-xx-county-party-committee.txt": "2021-xx-county-party-committee",
}


@pytest.fixture(scope="module")
def kb():
    return load_or_raise(CORPUS)


@pytest.mark.parametrize("seed,report_id", SEED_REPORTS.items())
def test_seed_text_is_recoverable_from_stored_sections(kb, seed, report_id):
    report = next(r for r in kb.reports if r.id == report_id)
    assert report_text(report) == squash((SEEDS / seed).read_text(encoding="utf-8"))


def test_seed_typos_are_kept(kb):
    text = "".join(report_text(r) for r in kb.reports)
    for typo in ["理性信念改造不彻底", "中国特色社会主义想,树立", "安排支部利开展", "有地在完成阶段"]:
        assert typo in text


@pytest.mark.parametrize("seed,report_id", SEED_REPORTS.items())
def test_report_page_contains_every_sentence_of_its_seed(site_dir, seed, report_id):
    html = (site_dir / "reports" / report_id / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    visible = squash(re.sub(r"<[^>]+>", "", article)).replace("&ldquo;", "“").replace("&rdquo;", "”")
    import html as htmllib

    visible = htmllib.unescape(visible)
    seed_lines = (SEEDS / seed).read_text(encoding="utf-8").splitlines()
    sentences = [s for line in seed_lines for s in re.split(r"(?<=[。！？；：])", squash(line)) if s]
    missing = [s for s in sentences if s not in visible]
    assert not missing, missing[:3]
    assert len(sentences) > 40
