"""Contributor content is untrusted: a site whose every free-text field (vocabularies in data/, report
front matter, section headings and text) carries script payloads builds, and in real Chromium no
page of any kind runs them, while the text is still shown literally."""

from __future__ import annotations

import html.parser
import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import built, make_project, served

# Each payload calls alert() if it ever becomes markup; the marker proves the text was shown, not dropped.
MARK = "KBXSS"
PAYLOAD = f'{MARK}<img src=x onerror=alert(1)>"\'><svg onload=alert(2)><script>alert(3)</script>'
# What a contributor could write in report text that passes `kb check` yet would be markup if
# passed to Markdown as written: an attribute list, inline attribute lists, emphasis, entities.
TEXT_PAYLOADS = [
    f'{MARK}*强调*{{: onmouseover="alert(4)" }}',
    f"{MARK}&lt;img src=x onerror=alert(5)&gt;",
    f'{MARK}段落 {{: onclick="alert(6)" }}',
]
TEXT_FIELDS = {"name", "short", "description", "region", "topic", "note", "publication", "date"}
SCRIPT_URL = f"javascript:alert(13);//{PAYLOAD}"  # a meeting source's url: only http(s) may become a link
GOV = "docs/reports/2021-xx-county-gov-office"


def _poison(value):
    """Every free-text string of a vocabulary gets the payload (ids and references stay valid)."""
    if isinstance(value, dict):
        return {k: (v + PAYLOAD if k in TEXT_FIELDS and isinstance(v, str)
                    else SCRIPT_URL if k == "url"
                    else [p + PAYLOAD for p in v] if k == "phrasings" and isinstance(v, list)
                    else _poison(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(v) for v in value]
    return value


def _set_front_matter(path: Path, key: str, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    line = f"{key}: {json.dumps(value, ensure_ascii=False)}"  # a JSON string is a YAML scalar
    if re.search(rf"^{key}:.*$", text, re.M):
        text = re.sub(rf"^{key}:.*$", lambda m: line, text, count=1, flags=re.M)
    else:
        text = text.replace("---\n", f"---\n{line}\n", 1)
    path.write_text(text, encoding="utf-8")


def plant_payloads(root: Path) -> None:
    for path in sorted((root / "data").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(_poison(data), allow_unicode=True, sort_keys=False), encoding="utf-8")
    index = root / GOV / "index.md"
    for key in ("title", "source", "description"):
        _set_front_matter(index, key, f"标题{PAYLOAD}")
    section = root / GOV / "12-problems-2.md"
    text = section.read_text(encoding="utf-8")
    heading = re.search(r"^# .*$", text, re.M).group(0)
    text = text.replace(heading, heading + " " + TEXT_PAYLOADS[2], 1)
    first_item = re.search(r"\n\n(.+)\n\{: #", text).group(1)
    text = text.replace(first_item, first_item + TEXT_PAYLOADS[0] + TEXT_PAYLOADS[1], 1)
    section.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("hostile") / "project")
    plant_payloads(project)
    return built(project, project / "site")


def page_urls(site: Path) -> list[str]:
    """One page of every kind the site has (every generated listing and every report page)."""
    urls = []
    for html in sorted(site.rglob("index.html")):
        url = html.parent.relative_to(site).as_posix() + "/"
        urls.append("" if url == "./" else url)
    return urls


class _Markup(html.parser.HTMLParser):
    """The elements and attributes a browser would build from a page: payloads must not be among them."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        if tag == "img" and dict(attrs).get("src") == "x":  # the payload's own image (the theme's icons are inline SVG)
            self.found.append("<img src=x>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            # a payload's handler (they all call alert(); the theme's own handlers do not), or a script URL
            if name.startswith("on") and "alert(" in value or name in ("href", "src", "action") and \
                    value.startswith(("javascript:", "data:")):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data):
        if self._in_script and "alert(" in data:
            self.found.append(f"<script>{data[:40]}")

    def handle_endtag(self, tag):
        self._in_script = False


def test_payloads_are_text_in_the_html(hostile_site):
    pages = page_urls(hostile_site)
    shown = 0
    for url in pages:
        text = (hostile_site / url / "index.html").read_text(encoding="utf-8")
        parser = _Markup()
        parser.feed(text)
        assert parser.found == [], url
        shown += MARK in text
    assert shown > len(pages) / 2  # the payload text is shown (escaped), not dropped


def test_no_page_runs_contributor_script(hostile_site, browser):
    dialogs: list[str] = []
    with served(hostile_site) as base:
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
        kinds = {}
        for url in page_urls(hostile_site):
            kind = re.sub(r"[^/]+/$", "*/", url) if url.count("/") > 1 else url
            kinds.setdefault(kind, url)
        for url in kinds.values():
            page.goto(base + url)
            page.wait_for_load_state("load")
            page.mouse.move(300, 300)  # hover handlers get their chance too
        # the compare view renders titles, units, headings and text from its per-report data
        ids = [r["id"] for r in json.loads((hostile_site / "catalog.json").read_text(encoding="utf-8"))["reports"]]
        page.goto(base + "compare/?" + "&".join(f"r={i}" for i in ids))
        page.wait_for_selector(".kb-compare-cell")
        page.focus(".kb-compare-add select")  # loads the list of reports to add
        page.wait_for_selector(f'.kb-compare-add option[value="{ids[0]}"]', state="attached")
        assert MARK in page.inner_text(".kb-compare-body") and MARK in page.inner_text(".kb-compare-add")
        # search results render titles, units and snippets from the catalog
        page.goto(base)
        page.keyboard.press("/")
        page.keyboard.type(MARK)
        page.wait_for_selector(".kb-search-link", timeout=10_000)
        assert MARK in page.inner_text(".kb-search-link >> nth=0")
        assert len(kinds) >= 10
        assert dialogs == []
        context.close()


def test_report_text_cannot_become_markup_even_past_the_checker(tmp_path):
    """kb check refuses raw HTML and non-http(s) links in report text; the renderer does not rely on
    it: text that slipped past the checker still comes out as text."""
    from kb.errors import Problems
    from kb.knowledge import KnowledgeBase
    from kb.pages import render_report_page, render_section_page
    from kb.similarity import Similarity
    from kb.structure import load_reports
    from kb.vocab import load_vocabulary

    project = make_project(tmp_path / "project")
    section_file = project / GOV / "12-problems-2.md"
    text = section_file.read_text(encoding="utf-8")
    heading = re.search(r"^# .*$", text, re.M).group(0)
    evil = ('<script>alert(7)</script><img src=x onerror=alert(8)> [点我](javascript:alert(9)) '
            '<javascript:alert(10)> ![x](data:text/html,alert) {: onclick="alert(11)" } [原文](https://example.org/a?b=1)')
    text = text.replace(heading, heading + evil, 1).replace("\n\n", f"\n\n{evil}\n\n[r]: javascript:alert(12)\n\n", 1)
    section_file.write_text(text, encoding="utf-8")
    problems = Problems(root=project)  # loaded without validate(): the checker is bypassed on purpose
    kb = KnowledgeBase(docs_dir=project / "docs", vocab=load_vocabulary(project / "data", problems),
                       reports=load_reports(project / "docs", problems))
    section = kb.sections_by_src["reports/2021-xx-county-gov-office/12-problems-2.md"]
    for page in (render_section_page(kb, section), render_report_page(kb, section.report, Similarity(kb))):
        out = page.html()
        assert "alert(" in out  # the text is there …
        assert '<a href="https://example.org/a?b=1" rel="nofollow noopener">原文</a>' in out  # the one link form kept
        parser = _Markup()
        parser.feed(out)
        assert parser.found == [] and "<javascript" not in out and "<script" not in out  # … as text only
