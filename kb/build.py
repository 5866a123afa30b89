"""One build of the site, independent of MkDocs: load and check the knowledge base, render every page
kb owns (generated indexes, redirect pages, report and section pages) as HTML when it is asked for,
write catalog.json, the compare view's data and the search index. The MkDocs hooks
(hooks/kb_site.py) and `kb export` both drive this class."""

from __future__ import annotations

import json
from pathlib import Path

from . import paths
from .catalog import build_catalog, write_catalog
from .compare_data import write_compare_data
from .html_page import HtmlPage
from .knowledge import KnowledgeBase, load_or_raise
from .pages import PageBuilder, generated_pages, page_inputs, redirect_pages, render_report_page, render_section_page
from .similarity import Similarity, write_fingerprint_index
from .statistics import write_stats_data
from .structure import ReportCache


class SiteBuild:
    def __init__(self, root: Path, docs_dir: Path | None = None, report_cache: ReportCache | None = None):
        self.kb: KnowledgeBase = load_or_raise(root, docs_dir, report_cache)
        self.similarity = Similarity(self.kb)  # 查重: every report compared with the rest, once per build
        self.generated: dict[str, PageBuilder] = generated_pages(self.kb, self.similarity)
        self.generated.update(redirect_pages(self.kb.reports))  # old URLs of renamed reports and sections

    def owns(self, src_path: str) -> bool:
        """Whether kb renders this page (MkDocs then only wraps it in the theme's template)."""
        return src_path in self.generated or src_path in self.kb.reports_by_src or src_path in self.kb.sections_by_src

    def page_inputs(self, report_states: dict[str, str]) -> dict[str, tuple | None]:
        """What each page shows (kb.pages.page_inputs), for `mkdocs serve` to compare between builds."""
        return page_inputs(self.kb, self.generated, report_states, self.similarity)

    def page(self, src_path: str) -> HtmlPage | None:
        """The rendered article of a page kb owns; None for any other page."""
        builder = self.generated.get(src_path)
        if builder is not None:
            return builder()
        report = self.kb.reports_by_src.get(src_path)
        if report is not None:
            return render_report_page(self.kb, report, self.similarity)
        section = self.kb.sections_by_src.get(src_path)
        if section is not None:
            return render_section_page(self.kb, section)
        return None

    def catalog(self) -> dict:
        return build_catalog(self.kb, self.similarity.of)

    def write_outputs(self, site_dir: Path, written: dict[str, dict[str, str]] | None = None) -> None:
        """catalog.json, the compare view's data, the search index, the 查重 fingerprint index and the
        stats page's CSV files, each written a file (catalog.json: a report) at a time. written (kept
        by `mkdocs serve`): per folder, what is on disk, so that the folders are updated in place
        (kb.site_files)."""
        site_dir = Path(site_dir)
        in_place = (lambda folder: written.setdefault(folder, {})) if written is not None else (lambda folder: None)
        catalog = self.catalog()
        from .search import SearchIndexWriter  # the search index is built from the catalog's records

        search = SearchIndexWriter(catalog, site_dir, in_place("search"))
        write_catalog(catalog, site_dir, also=search.add)  # one pass: each record is made once
        search.finish()
        write_compare_data(self.kb, site_dir, in_place("compare"))  # one file per report
        write_fingerprint_index(self.similarity, site_dir, in_place("fingerprints"))
        write_stats_data(self.kb, site_dir, in_place(paths.STATS_DATA))  # the stats page's CSV files

    def export_markdown(self, out_dir: Path) -> int:
        """Write every page as a Markdown file holding its rendered HTML (title in front matter) into
        out_dir: the same pages can then be built without hooks (benchmarks, or a toolchain without
        a hook system)."""
        out_dir = Path(out_dir)
        sources = sorted(self.generated) + sorted(self.kb.reports_by_src) + sorted(self.kb.sections_by_src)
        for src_path in sources:
            page = self.page(src_path)
            target = out_dir / src_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f"---\ntitle: {json.dumps(page.title, ensure_ascii=False)}\n---\n{page.html()}",
                              encoding="utf-8")
        return len(sources)
