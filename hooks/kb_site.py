"""MkDocs hooks: a thin adapter from MkDocs events to kb.build.SiteBuild.

Data errors are logged one per line at ERROR (so `mkdocs build --strict` and plain builds both
fail) and the build stops with a summary naming every file."""

from __future__ import annotations

import gc
import html
import logging
import zlib
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc

from kb.build import SiteBuild
from kb.errors import KnowledgeBaseError
from kb.search import SearchIndexError
from kb.site_theme import cache_navigation, navigation_key

log = logging.getLogger("mkdocs.hooks.kb")
_build: SiteBuild | None = None  # one per build; `mkdocs serve` keeps the module, so it is reset in on_files
_packed: dict[str, bytes] = {}  # compressed articles between on_page_content and on_page_context


def on_config(config):
    if not config.use_directory_urls:
        raise PluginError("kb: use_directory_urls must stay true (catalog and links assume directory URLs)")
    return config


def on_files(files, config):
    global _build
    _build = None
    _packed.clear()
    root = Path(config.config_file_path).resolve().parent
    try:
        _build = SiteBuild(root, Path(config.docs_dir))
    except KnowledgeBaseError as exc:
        for problem in exc.problems:
            log.error(problem.format())
        raise PluginError(f"知识库数据有 {len(exc.problems)} 处错误，见上 / {len(exc.problems)} data error(s), see above") from None
    # The loaded corpus is long-lived: keep the cyclic GC from re-scanning it on every collection
    # MkDocs triggers per page (at 1,000 reports that rescanning cost more than the hooks' own work).
    gc.collect()
    gc.freeze()
    for src_path in _build.generated:
        if files.get_file_from_path(src_path) is None:  # kb check allows no other file in docs/ to collide
            files.append(File.generated(config, src_path, content=""))
    return files


def on_page_read_source(page, config):
    # kb renders its pages itself (on_page_content): MkDocs need not read them, parse their front
    # matter or run Markdown over them (that was over half of the build at 1,000 reports).
    if _build is not None and _build.owns(page.file.src_uri):
        return ""
    return None


def on_page_content(html_content, page, config, files):
    rendered = _build.page(page.file.src_uri) if _build else None
    if rendered is not None:
        # MkDocs holds every page's content from here until all templates are rendered: keep kb's
        # articles compressed meanwhile (a third of their size) and unpack each one for its template.
        _packed[page.file.src_uri] = zlib.compress(rendered.html().encode("utf-8"), 1)
        html_content = ""
        page.toc = get_toc(rendered.toc())
        page.present_anchor_ids = rendered.ids  # MkDocs validates links to anchors against these
        page.meta.update(rendered.meta)
        page.meta["title"] = rendered.title
    # Material prints the title (into <title>, the header and the nav) and the description (into a
    # meta tag) unescaped, and MkDocs takes the title from front matter or from the rendered H1 as
    # plain text: store the escaped forms once. kb check allows no other front matter key Material reads.
    page.meta["title"] = html.escape(str(page.title or ""))
    if "description" in page.meta:
        page.meta["description"] = html.escape(str(page.meta["description"]))
    return html_content


def on_env(env, config, files):
    return cache_navigation(env)


def on_page_context(context, page, config, nav):
    context["kb_nav_key"] = navigation_key(page, nav)
    packed = _packed.pop(page.file.src_uri, None)
    if packed is not None:
        page.content = zlib.decompress(packed).decode("utf-8")
    return context


def on_post_page(output, page, config):
    if _build is not None and _build.owns(page.file.src_uri):
        page.content = None  # written: its article need not stay in memory for the rest of the build
    return output


def on_post_build(config):
    gc.unfreeze()  # `mkdocs serve` rebuilds in the same process: let the old corpus be collected
    if _build is None:
        return
    try:
        _build.write_outputs(Path(config.site_dir))
    except SearchIndexError as exc:  # search would silently degrade: stop with the reason, not a traceback
        log.error(str(exc))
        raise PluginError(str(exc)) from None
