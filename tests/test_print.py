"""Printing (issue 5): pages of the real built site printed to PDF by real headless Chromium, the way
the browser's own print does it, then read back with poppler (pdftotext, pdffonts).

What must hold on paper: A4, a document header (title, unit, meeting, date; part and theme on a
section page), every sentence of the report or section in order, none of the screen furniture
(navigation, search, cross-links, type chips, buttons), page numbers, one source line on page 1
only, CJK text extractable and drawn with embedded fonts, and a page count that matches what the
text needs (no blank or near-empty trailing pages)."""

from __future__ import annotations

import math
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from kb.knowledge import load_or_raise

from conftest import CORPUS, squash

GOV = "2021-xx-county-gov-office"
PARTY = "2021-xx-county-party-committee"
SECTION = (GOV, "11-problems-1")  # a problems section: has a part and a theme

# The paper as print.css lays it out: A4, 2.5cm top/bottom and 2cm left/right margins.
PT_PER_MM = 72 / 25.4
A4_PT = (210 * PT_PER_MM, 297 * PT_PER_MM)
CONTENT_W = (210 - 2 * 20) * PT_PER_MM  # 481.9pt: 40 characters of 12pt body text a line
CONTENT_H = (297 - 2 * 25) * PT_PER_MM  # 700.2pt: 33 lines of 12pt x 1.75 a page

# Screen furniture that must never reach paper (checked on report and section pages).
FURNITURE = ["关联阅读", "单独查看本节", "在全文中查看", "上一节", "下一节", "问题类型：", "原因类型：",
             "措施类型：", "会议主题", "原因类型", "措施类型", "搜索", "编辑此页", "打印", "回到页面顶部",
             "知识库", "Material", "MkDocs"]
# On index pages the page's own heading may use a vocabulary label ("问题类型：学用脱节"), so only
# what is never part of an index page's content is checked there.
INDEX_FURNITURE = ["关联阅读", "单独查看本节", "搜索", "编辑此页", "打印", "回到页面顶部", "Material", "MkDocs",
                   "原因类型", "措施类型"]

SERIF_FAMILIES = {"SimSun", "宋体", "Songti SC", "STSong", "Noto Serif CJK SC", "Source Han Serif SC"}


def sentences(text: str) -> list[str]:
    """A section's text split after 。！？, whitespace removed."""
    return [s for s in (squash(part) for part in re.split(r"(?<=[。！？])", text)) if s]


@dataclass
class Printed:
    path: Path
    pages: list[str]  # text of each page in drawing order (pdftotext -raw keeps table cells whole)

    @property
    def text(self) -> str:
        return squash("".join(self.pages))

    @property
    def body(self) -> str:
        """The document's text without footers, so sentences that run across a page break join up."""
        return "".join(self.page_body(index) for index in range(len(self.pages)))

    def page_body(self, index: int) -> str:
        """A page's text without the footer (page number, source line)."""
        body = re.sub(r"第\s*\d+\s*页，\s*共\s*\d+\s*页", "", self.pages[index])
        body = re.sub(r"本页网址：\S+", "", body)
        return squash(body)


def print_pdf(page, url: str, path: Path) -> Printed:
    """Open the page and print it as Chromium's print-to-PDF does (the page's own @page size)."""
    page.goto(url)
    page.wait_for_load_state("load")
    page.pdf(path=str(path), format="A4", prefer_css_page_size=True)
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # pdftotext ends every page with a form feed
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    assert abs(float(size.group(1)) - A4_PT[0]) < 1 and abs(float(size.group(2)) - A4_PT[1]) < 1, info
    assert len(pages) == count, (len(pages), count)
    return Printed(path=path, pages=pages)


# ---------------------------------------------------------------- the page-count model


def _lines(chars: int, size_pt: float, indent_em: float = 0) -> int:
    per_line = math.floor(CONTENT_W / size_pt)
    return max(1, math.ceil((chars + indent_em) / per_line))


class Column:
    """Heights of the blocks print.css lays out, stacked with collapsing vertical margins."""

    def __init__(self):
        self.height = 0.0
        self.last_after = 0.0

    def block(self, chars: int, size: float, line_height: float, before: float, after: float,
              indent_em: float = 0, extra: float = 0) -> None:
        self.height += max(0.0, before - self.last_after) + _lines(chars, size, indent_em) * size * line_height
        self.height += extra + after
        self.last_after = after

    def rows(self, row_chars: list[tuple[int, float]], after: float) -> None:
        """The header block: rows of 10.5pt (title row 12pt) at 1.6, 0.4em padding, two rules."""
        body = sum(_lines(chars, size) * size * 1.6 for chars, size in row_chars)
        self.height += body + 2 * 0.4 * 10.5 + 2.25 + after
        self.last_after = after

    def table(self, rows: list[list[list[int]]], before: float, after: float) -> None:
        """A ruled table of 10.5pt text at 1.5 (print.css), its columns sharing the width evenly:
        rows of cells, each cell the character counts of its lines (<br>-separated)."""
        size, padding = 10.5, 2 * 0.3 * 10.5
        for row in rows:
            width = CONTENT_W / len(row) - 10.5  # 0.5em padding each side
            per_line = math.floor(width / size)
            lines = max(sum(max(1, math.ceil(chars / per_line)) for chars in cell) for cell in row)
            self.height += lines * size * 1.5 + padding + 0.5
        self.height += max(0.0, before - self.last_after) + after
        self.last_after = after

    @property
    def pages(self) -> float:
        return self.height / CONTENT_H


def paragraphs(section: dict) -> list[str]:
    return [p for p in section["text"].split("\n\n") if p.strip()]


def author_text(catalog: dict, report: dict) -> str:
    """The header's author row as the page words it: 班子, or 个人（role）."""
    if report["author_kind"] == "group":
        return "班子"
    return f"个人（{next(r['name'] for r in catalog['author_roles'] if r['id'] == report['author_role'])}）"


def report_model(kb, catalog, report_id: str) -> Column:
    report = next(r for r in catalog["reports"] if r["id"] == report_id)
    model_report = next(r for r in kb.reports if r.id == report_id)
    unit = next(u for u in catalog["units"] if u["id"] == report["unit"])
    meeting = next(m for m in catalog["meetings"] if m["id"] == report["meeting"])
    column = Column()
    column.block(len(report["title"]), 18, 1.45, 0, 0.6 * 18)
    column.rows([(3 + len(unit["name"]), 10.5), (3 + len(author_text(catalog, report)), 10.5),
                 (3 + len(meeting["name"]), 10.5), (9, 10.5), (3 + len(report["source"]), 10.5)], after=1.2 * 10.5)
    part = None
    for section in report["sections"]:
        if section["part"] != part:
            part = section["part"]
            heading = model_report.part_headings.get(part)
            if heading:
                column.block(len(heading), 14, 1.6, 1.2 * 14, 0.5 * 14)
        if section["heading"]:
            column.block(len(section["heading"]), 12, 1.75, 12, 0.4 * 12)
        for text in paragraphs(section):
            column.block(len(text), 12, 1.75, 0, 6, indent_em=2)
    # the 整改对账 table: a heading, one line of totals, a row per problem item (its measures one a line)
    problems = [item for section in report["sections"] if section["part"] == "problems" for item in section["items"]]
    if problems:
        titles = {s["id"]: s["title"] for s in report["sections"]}
        titles.update({item["id"]: item["title"] for s in report["sections"] for item in s["items"]})
        column.block(4, 14, 1.6, 1.2 * 14, 0.5 * 14)
        column.block(40, 12, 1.75, 0, 6, indent_em=2)
        rows = [[[len(item["id"]) + 1 + len(item["title"])],
                 [len(m) + 1 + len(titles[m]) for m in item["measures"]] or [9]] for item in problems]
        column.table([[[4], [7]]] + rows, before=0.5 * 10.5, after=0.5 * 10.5)
    return column


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def kb():
    return load_or_raise(CORPUS)


def by_id(items: list[dict], item_id: str) -> dict:
    return next(item for item in items if item["id"] == item_id)


def assert_clean(printed: Printed, furniture: list[str], source_text: str) -> None:
    """None of the labels on paper; source_text (what should print) proves none belongs there."""
    text = printed.text
    for label in furniture:
        assert label not in squash(source_text), f"{label!r} is in the content itself: pick another label"
        assert label not in text, f"screen furniture {label!r} printed"
    assert "\ufffd" not in text, "replacement characters in the PDF text"


def assert_footer(printed: Printed, url: str) -> None:
    """Page numbers on every page; exactly one address, at the foot of page 1, and no other URL."""
    total = len(printed.pages)
    for number, page_text in enumerate(printed.pages, start=1):
        assert f"第{number}页，共{total}页" in squash(page_text), f"page {number} has no page number"
    assert squash(printed.pages[0]).count("本页网址：" + url) == 1, printed.pages[0][-300:]
    assert printed.text.count("http") == 1, "a raw URL other than the source line was printed"


def assert_fonts(printed: Printed) -> None:
    """Every font embedded; the CJK glyphs come as Chromium's embedded Type 3 fonts."""
    listing = subprocess.run(["pdffonts", str(printed.path)], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    assert listing, "pdffonts lists no fonts: nothing was drawn"
    for row in listing:
        assert re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", row), row
        emb = re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", row).group(1)
        assert emb == "yes", f"font not embedded: {row}"
    assert any("Type 3" in row for row in listing), "no Type 3 font: CJK glyphs were not drawn by Noto CJK"
    # the text really is CJK and extractable
    assert len(re.findall(r"[\u4e00-\u9fff]", printed.text)) > 50


def assert_pages_filled(printed: Printed) -> None:
    """No blank page anywhere; the last page carries real text, not a stray line or nothing."""
    for index in range(len(printed.pages)):
        assert len(printed.page_body(index)) >= 20, f"page {index + 1} is (nearly) empty"


# ---------------------------------------------------------------- report pages


@pytest.mark.parametrize("report_id", [GOV, PARTY])
def test_report_prints_whole_report_in_order(page, site_url, catalog, kb, tmp_path, report_id):
    report = by_id(catalog["reports"], report_id)
    unit = by_id(catalog["units"], report["unit"])
    meeting = by_id(catalog["meetings"], report["meeting"])
    url = site_url + report["url"]
    printed = print_pdf(page, url, tmp_path / "report.pdf")
    text = printed.body

    # document header on page 1: title, unit, meeting, date
    first = squash(printed.pages[0])
    for value in (report["title"], unit["name"], meeting["name"], str(report["date"] or report["year"])):
        assert squash(value) in first, f"header lacks {value!r}"

    # every sentence of every section, in the report's order
    position = 0
    for section in report["sections"]:
        if section["heading"]:
            found = text.find(squash(section["heading"]), position)
            assert found >= 0, f"heading of {section['id']} missing or out of order"
            position = found
        for sentence in sentences(section["text"]):
            found = text.find(sentence, position)
            assert found >= 0, f"{section['id']}: sentence missing or out of order: {sentence}"
            position = found

    # no heading left alone at the foot of a page (break-after: avoid)
    headings = [squash(h) for h in next(r for r in kb.reports if r.id == report_id).part_headings.values()]
    headings += [squash(s["heading"]) for s in report["sections"] if s["heading"]]
    for index in range(len(printed.pages) - 1):
        ending = printed.page_body(index)
        assert not any(ending.endswith(h) for h in headings), f"page {index + 1} ends with a heading"

    source = report["title"] + unit["name"] + meeting["name"] + report["source"] + "".join(
        (s["heading"] or "") + s["text"] for s in report["sections"])
    assert_clean(printed, FURNITURE, source)
    assert_footer(printed, url)
    assert_fonts(printed)
    assert_pages_filled(printed)

    # page count: what the text needs under print.css's layout, plus at most the room that
    # keep-together rules (headings with their text, 3-line orphans/widows) may leave unused
    expected = report_model(kb, catalog, report_id).pages
    assert expected <= len(printed.pages) <= math.ceil(expected * 1.12), (expected, len(printed.pages))


# ---------------------------------------------------------------- a section page


def test_section_prints_that_section_alone(page, site_url, catalog, kb, tmp_path):
    report_id, section_id = SECTION
    report = by_id(catalog["reports"], report_id)
    section = by_id(report["sections"], section_id)
    unit = by_id(catalog["units"], report["unit"])
    meeting = by_id(catalog["meetings"], report["meeting"])
    theme = by_id(catalog["themes"], section["theme"])
    part_heading = next(r for r in kb.reports if r.id == report_id).part_headings[section["part"]]
    url = site_url + section["url"]
    printed = print_pdf(page, url, tmp_path / "section.pdf")
    text = printed.body

    # header block first (report title, unit, meeting, date, part, theme), then the section heading
    for value in (report["title"], unit["name"], meeting["name"], str(report["date"] or report["year"]),
                  part_heading, theme["short"]):
        assert squash(value) in text, f"header lacks {value!r}"
    assert text.find(squash(report["title"])) < text.find(squash(section["heading"])), \
        "the header block should come before the section heading on paper"

    for sentence in sentences(section["text"]):
        assert sentence in text, f"sentence missing: {sentence}"
    # that section alone: nothing of its neighbours
    index = report["sections"].index(section)
    for other in (report["sections"][index - 1], report["sections"][index + 1]):
        for sentence in sentences(other["text"])[:2]:
            assert sentence not in text, f"text of {other['id']} printed with {section_id}"

    assert_clean(printed, FURNITURE, report["title"] + part_heading + theme["short"] + section["heading"]
                 + section["text"])
    assert_footer(printed, url)
    assert_fonts(printed)
    assert_pages_filled(printed)

    column = Column()
    column.rows([(len(report["title"]), 12), (3 + len(unit["name"]), 10.5), (3 + len(author_text(catalog, report)), 10.5),
                 (3 + len(meeting["name"]), 10.5), (9, 10.5), (3 + len(part_heading), 10.5), (6 + len(theme["short"]), 10.5)],
                after=1.2 * 10.5)
    column.block(len(section["heading"]), 14, 1.45, 0, 0.6 * 14)
    for paragraph in paragraphs(section):
        column.block(len(paragraph), 12, 1.75, 0, 6, indent_em=2)
    assert len(printed.pages) == math.ceil(column.pages), (column.pages, len(printed.pages))


# ---------------------------------------------------------------- index pages


def _index_urls(catalog) -> dict[str, str]:
    report = by_id(catalog["reports"], GOV)
    section = by_id(report["sections"], SECTION[1])
    problem_type = section["items"][0]["problem_types"][0]
    return {
        "theme": by_id(catalog["themes"], section["theme"])["url"],
        "unit": by_id(catalog["units"], report["unit"])["url"],
        "problem-type": by_id(catalog["problem_types"], problem_type)["url"],
        "reports": "reports/",
    }


@pytest.mark.parametrize("kind", ["theme", "unit", "problem-type", "reports"])
def test_index_page_prints_as_clean_list(page, site_url, catalog, tmp_path, kind):
    path = _index_urls(catalog)[kind]
    url = site_url + path
    page.goto(url)
    # what the screen shows in the article is what paper must show, minus the buttons and the
    # controls choosing reports for the compare view
    article = page.locator("article.md-content__inner")
    heading = article.locator("h1").inner_text()
    links = [text for text in article.locator("a:not(.md-content__button):not(.kb-compare-link):visible").all_inner_texts()
             if text.strip()]
    cells = article.locator("td, th").all_inner_texts()
    screen_text = article.inner_text()
    printed = print_pdf(page, url, tmp_path / f"{kind}.pdf")
    text = printed.body

    assert squash(heading) in squash(printed.pages[0])
    assert links, "index page has no links to check"
    for link_text in links:
        assert squash(link_text) in text, f"link text {link_text!r} missing on paper"
    for cell in cells:
        assert squash(cell) in text, f"table cell {cell!r} missing on paper"
    assert_clean(printed, INDEX_FURNITURE, screen_text)
    assert_footer(printed, url)
    assert_fonts(printed)
    assert_pages_filled(printed)
    # an index page's text, at no less than 60% of a full page of body text a page, needs this many
    body = sum(len(printed.page_body(i)) for i in range(len(printed.pages)))
    assert len(printed.pages) <= math.ceil(body / (40 * 33 * 0.6)), (body, len(printed.pages))


# ---------------------------------------------------------------- fonts and the button


def test_body_text_uses_a_cjk_serif_from_the_machine(page, site_url, catalog):
    """The serif stack resolves to an installed CJK serif (here Debian's Noto Serif CJK SC)."""
    report = by_id(catalog["reports"], GOV)
    page.goto(site_url + report["url"])
    page.emulate_media(media="print")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    for selector in ("p.kb-item", "h3", ".kb-docmeta-row:nth-child(2)"):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": f"article {selector}"})["nodeId"]
        assert node, selector
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        families = {font["familyName"] for font in fonts}
        assert families and families <= SERIF_FAMILIES, (selector, fonts)


@pytest.mark.parametrize("kind", ["report", "section", "theme", "unit", "problem-type"])
def test_print_button_calls_print(page, site_url, catalog, kind):
    report = by_id(catalog["reports"], GOV)
    urls = dict(_index_urls(catalog), report=report["url"],
                section=by_id(report["sections"], SECTION[1])["url"])
    page.goto(site_url + urls[kind])
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    button = page.get_by_role("button", name="打印")
    assert button.count() == 1
    button.click()
    assert page.evaluate("window.__printed") == 1
    # and it is not on paper
    page.emulate_media(media="print")
    assert not button.is_visible()
