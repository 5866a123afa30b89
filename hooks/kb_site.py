"""MkDocs hooks: a thin adapter from MkDocs events to kb.build.SiteBuild.

Data errors are logged one per line at ERROR (so `mkdocs build --strict` and plain builds both
fail) and the build stops with a summary naming every file."""

from __future__ import annotations

import gc
import html
import logging
from functools import partial
from pathlib import Path

from mkdocs import utils as mkdocs_utils
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from kb.build import SiteBuild
from kb.errors import KnowledgeBaseError
from kb.memory import return_freed_memory
from kb.preview import Preview, tree_signature
from kb.search import SearchIndexError
from kb.serve_listing import FileListing
from kb.serve_watch import watch_natively
from kb.page_shell import PAGE_TEMPLATE, PageShells
from kb.site_theme import install_templates, navigation_key

log = logging.getLogger("mkdocs.hooks.kb")
_build: SiteBuild | None = None  # one per build; `mkdocs serve` keeps the module, so it is reset in on_files
_nav_pages: set[str] = set()  # src paths of the pages mkdocs.yml's nav names (read once per build, in on_files)
_nav_rendered: dict = {}  # nav pages' articles, rendered early for their titles (on_page_content), until used
_preview: Preview | None = None  # under `mkdocs serve`: what rebuilds reuse (kb/preview.py)
_watcher = None  # under `mkdocs serve`: the inotify observer watching docs/ and data/, if any (kb/serve_watch.py)
_shells: PageShells | None = None  # one per build (on_env): Material's template cut once per page shape


def on_startup(command, dirty):
    global _preview
    if command == "serve":
        _preview = Preview(dirty=dirty)
        FileListing().install()  # MkDocs' listing of docs/ without deriving 17,000 files' paths anew (kb/serve_listing.py)


def on_serve(server, config, builder):
    global _watcher
    _watcher = watch_natively(server)
    return server


def on_shutdown():
    if _watcher is not None:
        _watcher.stop()
        _watcher.join()
    if _preview is not None:
        _preview.close()
        FileListing.uninstall()


def _expected_sitemap_skip(record: logging.LogRecord) -> bool:
    # Without KB_SITE_URL there is deliberately no sitemap (kb/theme/sitemap.xml renders empty):
    # MkDocs' INFO line about it would be said on every build while needing no attention.
    return "'sitemap.xml' generated empty output" not in record.getMessage()


def on_config(config):
    if not config.use_directory_urls:
        raise PluginError("kb: use_directory_urls must stay true (catalog and links assume directory URLs)")
    build_log = logging.getLogger("mkdocs.commands.build")
    if _expected_sitemap_skip not in build_log.filters:  # `mkdocs serve` calls on_config on every rebuild
        build_log.addFilter(_expected_sitemap_skip)
    return config


def on_files(files, config):
    global _build, _written
    _build = None
    _written = None  # a failed build's last written page is not this build's
    root = Path(config.config_file_path).resolve().parent
    _nav_pages.clear()
    _nav_rendered.clear()
    _nav_pages.update(_nav_sources(config.nav))
    # What lives now (MkDocs, under serve the preview's caches and the last build's garbage) is not
    # scanned again by the collections the loading below triggers: at 1,000 reports rescanning it
    # cost seconds per rebuild. Unfrozen in on_post_build, collected while serve is idle.
    gc.freeze()
    try:
        _build = SiteBuild(root, Path(config.docs_dir), _preview.report_cache if _preview else None)
    except KnowledgeBaseError as exc:
        for problem in exc.problems:
            log.error(problem.format())
        raise PluginError(f"知识库数据有 {len(exc.problems)} 处错误，见上 / {len(exc.problems)} data error(s), see above") from None
    # The loaded corpus is long-lived: keep the cyclic GC from re-scanning it on every collection
    # MkDocs triggers per page (at 1,000 reports that rescanning cost more than the hooks' own work).
    # Under serve the loading's garbage waits for the collection after the build (on_post_build):
    # collecting it here cost a quarter of a second of every rebuild.
    if _preview is None:
        gc.collect()
        return_freed_memory()  # 查重's working set, before MkDocs makes its pages
    gc.freeze()
    kept = _unchanged_pages(config, root) if _preview else set()
    by_src = files.src_uris  # kb's src paths are POSIX already: no get_file_from_path (a PurePath each)
    for src_path in kept:  # their output from the last build stands (put back in on_post_build)
        file = by_src.get(src_path)
        if file is not None:
            files.remove(file)
    for src_path in _build.generated:
        if src_path not in kept and src_path not in by_src:  # kb check allows no collision
            files.append(File.generated(config, src_path, content=""))
    if _preview and _preview.dirty:  # --dirty builds only "modified" files: every kb page left is to be built
        for file in files.documentation_pages():
            if _build.owns(file.src_uri):
                file.is_modified = lambda: True
    # The nav lists the index pages only; reports, sections and the generated detail pages are
    # reached from those by design, so MkDocs need not list them as "not included in the nav"
    # (one line per file, growing with the corpus).
    for file in files.documentation_pages():
        if file.src_uri not in _nav_pages and _build.owns(file.src_uri):
            file.inclusion = InclusionLevel.NOT_IN_NAV
            RenderedPage(None, file, config)  # MkDocs makes a Page for every file without one
    return files


_NO_TOC = get_toc([])


class RenderedPage(Page):
    """A page outside the nav that kb renders itself: MkDocs' Markdown pass is skipped. It would only
    convert an empty source (on_page_read_source), but setting up Markdown and its extensions for each
    of 16,000 section pages cost a tenth of the build."""

    def render(self, config, files):
        self.content = ""
        self.toc = _NO_TOC
        self._title_from_render = None
        self.present_anchor_ids = set()


def _unchanged_pages(config, root: Path) -> set[str]:
    """Under `mkdocs serve`: the pages whose every input is as in the last build. Everything the hooks
    cannot see per page (data/, mkdocs.yml, theme, hooks) goes into one global state."""
    global_state = tree_signature([root / "data", Path(config.config_file_path), root / "hooks",
                                   *(Path(d) for d in config.theme.dirs[:1])])
    inputs = _build.page_inputs(_preview.report_states(_build.kb.reports))
    return _preview.plan(inputs, global_state, never_keep=_nav_pages)


def _nav_sources(nav) -> set[str]:
    """Pages named in mkdocs.yml's nav: MkDocs needs them among its files to build the navigation."""
    found = set()
    for entry in nav or []:
        value = entry if isinstance(entry, str) else next(iter(entry.values()), None) if isinstance(entry, dict) else None
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, list):
            found |= _nav_sources(value)
    return found


def on_page_read_source(page, config):
    # kb renders its pages itself (on_page_context): MkDocs need not read them, parse their front
    # matter or run Markdown over them (that was over half of the build at 1,000 reports).
    if _build is not None and _build.owns(page.file.src_uri):
        return ""
    return None


def on_page_content(html_content, page, config, files):
    if _build is not None and _build.owns(page.file.src_uri):
        page.meta["template"] = PAGE_TEMPLATE  # the whole page is rendered in on_page_context (kb/page_shell.py)
        # kb's article is rendered just before its template (on_page_context): from here MkDocs would
        # hold every page's article until all templates are rendered. A page in the nav needs its
        # title now, though: every other page's navigation shows it.
        if page.file.src_uri in _nav_pages:
            rendered = _nav_rendered[page.file.src_uri] = _build.page(page.file.src_uri)  # used again in on_page_context
            _take_rendered(page, rendered)
        return ""
    _escape_meta(page)
    return html_content


def _take_rendered(page, rendered) -> None:
    page.toc = get_toc(rendered.toc())
    page.present_anchor_ids = rendered.ids  # MkDocs validates links to anchors against these
    page.meta.update(rendered.meta)
    page.meta["title"] = rendered.title
    _escape_meta(page)


def _escape_meta(page) -> None:
    # Material prints the title (into <title>, the header and the nav) and the description (into a
    # meta tag) unescaped, and MkDocs takes the title from front matter or from the rendered H1 as
    # plain text: store the escaped forms once. kb check allows no other front matter key Material reads.
    page.meta["title"] = html.escape(str(page.title or ""))
    if "description" in page.meta:
        page.meta["description"] = html.escape(str(page.meta["description"]))


def on_pre_build(config):
    if _preview is not None:  # runs before MkDocs empties the site directory
        _preview.set_aside(Path(config.site_dir))
        # No cyclic collection while a rebuild runs: its garbage is collected once it has returned
        # (on_post_build), while serve waits for the next save. Collections during a rebuild after
        # an edit at 1,000 reports took a fifth of its time.
        gc.disable()


def on_build_error(error):
    gc.unfreeze()
    gc.enable()
    if _preview is not None:
        _preview.failed()


def on_env(env, config, files):
    global _shells
    env.globals["kb_preview"] = _preview is not None
    if _preview is not None:
        env.bytecode_cache = _preview.templates
    _shells = PageShells(install_templates(env))
    if _preview is not None:
        _preview.page_shells(_shells)
    return env


def on_page_context(context, page, config, nav):
    context["kb_nav_key"] = navigation_key(page, nav)
    if _build is not None and _build.owns(page.file.src_uri):
        rendered = _nav_rendered.pop(page.file.src_uri, None) or _build.page(page.file.src_uri)
        _take_rendered(page, rendered)
        page.content = rendered.html()
        context["kb_page_html"] = _shells.render(context)
    return context


def on_post_page(output, page, config):
    global _written
    if _build is not None and _build.owns(page.file.src_uri):
        if _preview is not None:
            _preview.wrote(page.file.src_uri, page.file.dest_uri)
        if page.file.src_uri not in _nav_pages:  # the nav keeps its pages: every page's navigation shows them
            # written: its article, table of contents, metadata and URLs need not stay in memory for the
            # rest of the build (~1 KB a page, 19,000 pages at 1,000 reports). MkDocs still writes the
            # output after this event, through the file: its derived paths are let go at the next page.
            page.file.page = WrittenPage(_build, page.file)
            _forget_derived_paths(_written)
            _written = page.file
    # MkDocs memoises, without bound, every URL it makes relative to another: ~7 MB at 1,000 reports,
    # growing with the corpus. A page's own links gain from it; across pages only the few nav links do.
    _clear_relative_url_parts()
    return output


_clear_relative_url_parts = getattr(getattr(mkdocs_utils, "_norm_parts", None), "cache_clear", lambda: None)
_written: File | None = None  # the last kb page written (on_post_page)
# File's cached properties derived from src_uri and the config, asked for while the page is built
_DERIVED_PATHS = ("name", "dest_uri", "url", "abs_src_path", "abs_dest_path")


def _forget_derived_paths(file: File | None) -> None:
    """Drop a written file's derived paths (functools.cached_property: made again, the same, if asked for)."""
    if file is not None:
        for name in _DERIVED_PATHS:
            file.__dict__.pop(name, None)


class WrittenPage(Page):
    """What stands in a written kb page's place until the build ends (kb renders its pages itself:
    nothing of MkDocs' page is read once it is written). MkDocs' check of links to anchors (once
    every page is written, and only for pages a Markdown page links into) still finds its anchor ids:
    the page is rendered again then. It has no links of its own to check (links_to_anchors: None)."""

    __slots__ = ("build", "file", "ids")

    def __init__(self, build: SiteBuild, file: File):  # not Page's: no URLs, dates or metadata made
        self.build, self.file, self.ids = build, file, None

    @property
    def present_anchor_ids(self) -> set[str]:
        if self.ids is None:
            self.ids = self.build.page(self.file.src_uri).ids
        return self.ids


def on_post_build(config):
    global _written
    _forget_derived_paths(_written)
    _written = None
    if _shells is not None and _shells.check_all:
        log.info(_shells.summary())
    gc.unfreeze()  # `mkdocs serve` rebuilds in the same process: let the old corpus be collected
    gc.enable()
    if _build is None:
        return
    site_dir = Path(config.site_dir)
    if _preview is None:
        return_freed_memory()  # the pages' garbage, before the catalog and search index are made
        _write_outputs(_build, site_dir)
    else:
        _preview.finish(site_dir)
        _preview.in_background(partial(_write_outputs_and_collect, _build, site_dir, _preview.folders_written))


def _write_outputs_and_collect(build: SiteBuild, site_dir: Path, written: dict) -> None:
    _write_outputs(build, site_dir, written)
    gc.collect()  # the last build's garbage, while `mkdocs serve` waits for the next save


def _write_outputs(build: SiteBuild, site_dir: Path, written: dict | None = None) -> None:
    try:
        build.write_outputs(site_dir, written)
    except SearchIndexError as exc:  # search would silently degrade: stop with the reason, not a traceback
        log.error(str(exc))
        raise PluginError(str(exc)) from None
