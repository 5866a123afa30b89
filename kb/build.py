"""One build of the site, independent of MkDocs: load and check the knowledge base, produce the
generated pages, rewrite report and section pages, write catalog.json and the search index. The
MkDocs hooks (hooks/kb_site.py) and `kb export` both drive this class."""

from __future__ import annotations

from pathlib import Path

from .catalog import build_catalog, write_catalog
from .knowledge import KnowledgeBase, load_or_raise
from .redirects import redirect_pages
from .render import generated_pages, render_report_page, render_section_page


class SiteBuild:
    def __init__(self, root: Path, docs_dir: Path | None = None):
        self.kb: KnowledgeBase = load_or_raise(root, docs_dir)
        self.pages: dict[str, str] = generated_pages(self.kb)
        self.pages.update(redirect_pages(self.kb.reports))  # old URLs of renamed reports and sections

    def page_markdown(self, src_path: str) -> str | None:
        """Markdown to show for a report or section file; None for any other page."""
        report = self.kb.reports_by_src.get(src_path)
        if report is not None:
            return render_report_page(self.kb, report)
        section = self.kb.sections_by_src.get(src_path)
        if section is not None:
            return render_section_page(self.kb, section)
        return None

    def catalog(self) -> dict:
        return build_catalog(self.kb)

    def write_outputs(self, site_dir: Path) -> None:
        catalog = self.catalog()
        write_catalog(catalog, site_dir)
        from .search import write_search_index  # the search index is built from the catalog

        write_search_index(catalog, Path(site_dir))

    def export_markdown(self, out_dir: Path) -> int:
        """Write every page as MkDocs would see it (generated and rewritten) into out_dir: the same
        site can then be built without hooks (benchmarks, or a toolchain without a hook system)."""
        out_dir = Path(out_dir)
        count = 0
        docs_dir = self.kb.docs_dir
        for path in sorted(docs_dir.rglob("*")):
            if path.is_dir():
                continue
            rel = path.relative_to(docs_dir).as_posix()
            target = out_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            rewritten = self.page_markdown(rel) if rel.endswith(".md") else None
            if rewritten is not None:
                target.write_text(rewritten, encoding="utf-8")
            else:
                target.write_bytes(path.read_bytes())
            count += 1
        for rel, content in self.pages.items():
            target = out_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
            count += 1
        return count
