"""查重 pages: the 雷同 block of a report page, the site-wide ranking of report pairs by shared text
(all, by meeting, by year), and the page where a writer checks a draft in the browser
(assets/similar.js; the draft never leaves the reader's machine)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, partial
from html import escape

from .. import paths
from ..html_page import HtmlPage
from ..knowledge import KnowledgeBase
from ..labels import section_title
from ..model import Report
from ..similarity import ReportPair, Similarity
from .html import PageBuilder, link, pager, paged, table, view_links

SHOWN_REPORTS = 5  # on a report page: the reports sharing most, and their first passages
SHOWN_PASSAGES = 5
PER_PAGE = 50  # about 40 KB of HTML a page at 1,000 reports (100 rows made 82 KB)
EXCLUDED = "已排除主题的官方原文、常用套话和见于很多报告的常见表述"


def percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def _section_named(kb: KnowledgeBase, report: Report, section_id: str):
    return next((s for s in report.sections if s.id == section_id), None)


def similar_block(kb: KnowledgeBase, report: Report, entries: list[dict]) -> str:
    """The 雷同 block of a report page: which reports share how much, and where."""
    here = report.src_path
    ranking = f'<span class="kb-similar-see">另见{link(here, paths.SIMILAR_INDEX, "查重排行")}。</span>'
    if not entries:  # on screen only: nothing to print
        return (f'<div class="kb-similar kb-similar-none">\n<p class="kb-similar-title">雷同</p>\n'
                f"<p>未发现与本库其他报告相同的段落（{EXCLUDED}）。{ranking}</p>\n</div>")
    blocks = []
    for entry in entries[:SHOWN_REPORTS]:
        other = kb.reports_by_id[entry["report"]]
        passages = []
        for passage in entry["passages"][:SHOWN_PASSAGES]:
            own = _section_named(kb, report, passage["section"])
            theirs = _section_named(kb, other, passage["other_section"])
            passages.append(
                f'<li><span class="kb-similar-where">本报告{link(here, here, section_title(kb, own), "s-" + own.id)}'
                f"，对方{link(here, other.src_path, section_title(kb, theirs), 's-' + theirs.id)}：</span>"
                f'<q class="kb-similar-text">{escape(passage["text"], quote=False)}</q></li>')
        more = len(entry["passages"]) - SHOWN_PASSAGES
        blocks.append(
            f'<p class="kb-similar-report">{link(here, other.src_path, other.title)}'
            f"（{escape(kb.unit_of(other).name)}）：相同 {entry['shared_chars']} 字，占本报告 {percent(entry['share'])}</p>\n"
            + "<ol>\n" + "\n".join(passages) + "\n</ol>"
            + (f"\n<p>另有 {more} 段。</p>" if more > 0 else ""))
    more = len(entries) - SHOWN_REPORTS
    return ('<div class="kb-similar">\n<p class="kb-similar-title">雷同</p>\n'
            f"<p>以下报告与本报告有相同的段落（{EXCLUDED}）；正文中相同的文字已标出。{ranking}</p>\n"
            + "\n".join(blocks) + (f"\n<p>另有 {more} 份报告。</p>" if more > 0 else "") + "\n</div>")


def shared_marks(entries: list[dict]) -> dict[str, list[str]]:
    """Section id -> the pieces of its text that stand in other reports (one per paragraph)."""
    marks: dict[str, list[str]] = {}
    for entry in entries:
        for passage in entry["passages"]:
            pieces = [piece.strip() for piece in passage["text"].split("\n\n")]
            marks.setdefault(passage["section"], []).extend(p for p in pieces if p)
    return marks


def similar_pages(kb: KnowledgeBase, similarity: Similarity) -> dict[str, PageBuilder]:
    """The ranking of report pairs (all, per meeting, per year), paged, and the draft check page."""
    reports = kb.reports_by_id
    pairs = similarity.pairs
    years = _years(kb)

    def involving(keep) -> list[ReportPair]:
        return [p for p in pairs if keep(reports[p.a]) or keep(reports[p.b])]

    views = [(paths.SIMILAR_INDEX, "查重：报告之间的相同段落", pairs)]
    for meeting in kb.vocab.meetings.values():
        views.append((paths.similar_meeting(meeting.id), f"查重：{meeting.name}",
                      involving(lambda r, m=meeting.id: r.meeting == m)))
    for year in years:
        views.append((paths.similar_year(year), f"查重：{year}年度", involving(lambda r, y=year: r.year == y)))
    pages: dict[str, PageBuilder] = {paths.SIMILAR_CHECK: check_page}
    ranked = _Ranked(kb, reports, years)  # what every ranking page looks up, made once
    for first, title, chosen in views:
        listing = paged(chosen, PER_PAGE, first, partial(ranking_page, ranked, title))
        for builder in listing.values():  # each page prints the pair count and links every year's ranking
            builder.listing_size = (len(chosen), tuple(years))
        pages.update(listing)
    return pages


def _years(kb: KnowledgeBase) -> list[int]:
    return sorted({r.year for r in kb.reports if r.year}, reverse=True)


@dataclass
class _Ranked:
    """What the ranking pages show of the corpus (hundreds of pages at 1,000 reports: looked up once)."""

    kb: KnowledgeBase
    reports: dict[str, Report]
    years: list[int]

    @cached_property
    def about(self) -> dict[str, str]:
        """Report id -> its unit and year, as a ranking row shows them under its title."""
        return {r.id: f"<br><small>{escape(self.kb.unit_of(r).name)} · {r.year or ''}</small>" for r in self.kb.reports}


def _filters(ranked: _Ranked, here: str) -> str:
    meetings = view_links(here, [(paths.SIMILAR_INDEX, "全部")] + [
        (paths.similar_meeting(m.id), m.name) for m in ranked.kb.vocab.meetings.values()])
    years = view_links(here, [(paths.similar_year(y), f"{y}年度") for y in ranked.years])
    return f'<nav class="kb-similar-filter"><p>按会议：{meetings}</p><p>按年度：{years}</p></nav>'


def row_figures(pair: ReportPair) -> tuple[str, str, str]:
    """The figures a ranking row prints: shared characters and each side's share as shown (rounded)."""
    shares = [percent(pair.share[side]) if side in pair.share else "—" for side in (pair.a, pair.b)]
    return str(max(pair.chars.values())), shares[0], shares[1]


def row_inputs(kb: KnowledgeBase, pair: ReportPair) -> tuple:
    """What a ranking row shows (kb.pages.page_inputs): its figures as printed, and each report's id,
    title, unit and year. Not the reports' files as a whole, nor the unrounded shares: an edit to a
    paired report's text moves its shares a little, mostly without changing a printed figure, and
    each ranking page (hundreds at 1,000 reports) would be rebuilt for it."""
    sides = tuple((r.id, r.title, r.unit, r.year) for r in (kb.reports_by_id[pair.a], kb.reports_by_id[pair.b]))
    return (row_figures(pair), sides)


def ranking_page(ranked: _Ranked, title: str, pairs: list[ReportPair], chunk: list[ReportPair], number: int,
                 pages: int, first: str) -> HtmlPage:
    """One page of a ranking: what it shows is declared to `mkdocs serve` (kb.pages.page_inputs) as
    its rows (row_inputs), the pair count and the years, so that an edit rebuilds only the pages
    whose rows it moved or whose printed figures it changed."""
    here = paths.paged(first, number)
    reports = ranked.reports
    page = HtmlPage(title=title)
    page.heading(1, title)
    page.add(f"<p>按相同文字占报告的比例排列（取两份报告中较高的一方；{EXCLUDED}）。"
             f"相同的段落见各报告页的“雷同”部分。检查一份草稿：{link(here, paths.SIMILAR_CHECK, '草稿查重')}。</p>")
    page.add(_filters(ranked, here))
    if not pairs:
        page.add("<p>没有发现相同的段落。</p>")
        return page
    rows = []
    for pair in chunk:
        cells = []
        for side in (pair.a, pair.b):
            report = reports[side]
            cells.append(link(here, report.src_path, report.title, 'kb-similar') + ranked.about[report.id])
        rows.append(cells + list(row_figures(pair)))
    page.add(f"<p>共 {len(pairs)} 对报告。</p>")
    page.add(table(["报告甲", "报告乙", "相同字数", "占甲", "占乙"], rows, numeric={2, 3, 4}))
    page.add(pager(first, number, pages, here))
    return page


def check_page() -> HtmlPage:
    page = HtmlPage(title="草稿查重")
    page.heading(1, page.title)
    page.add('<div class="kb-check" id="kb-check">\n'
             "<p>把草稿粘贴到下面，点“查重”：在本网站收录的全部报告中查找相同或近似的段落。"
             "比对完全在浏览器里进行，草稿不会发送到任何地方（断网也能用）。"
             f"{EXCLUDED}。</p>\n"
             '<textarea id="kb-check-draft" rows="12" placeholder="在此粘贴草稿全文"></textarea>\n'
             '<p><button type="button" id="kb-check-run" class="md-button md-button--primary">查重</button> '
             '<span id="kb-check-status" role="status"></span></p>\n'
             '<div id="kb-check-results"></div>\n</div>')
    return page
