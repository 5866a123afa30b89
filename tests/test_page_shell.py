"""Pages filled in from a page shell (kb/page_shell.py) are exactly what Material renders."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

from conftest import ROOT, SHELL_CHECK, mkdocs_build


def test_every_page_filled_from_a_shell_equals_materials_render(fixture_project, tmp_path):
    result = mkdocs_build(fixture_project, tmp_path / "site", env=SHELL_CHECK)
    assert result.returncode == 0, result.stdout + result.stderr
    filled, pages, shells = map(int, re.search(r"kb: (\d+) of (\d+) pages filled in from (\d+) page shells",
                                               result.stderr).groups())
    sections = len(list((fixture_project / "docs" / "reports").glob("*/[0-9]*.md")))
    # every page was compared in full; the shortcut was really taken, for most pages and from few shells:
    # one per page shape (depth, part of the site, table of contents or not), not one per page. This small
    # corpus has about one page of each generated kind beside its 32 section pages, so a fifth of the
    # filled pages is the bound; a shell per page would be five times over it.
    assert sections <= filled <= pages and shells <= filled / 5, result.stderr


def test_a_template_reading_a_value_the_shape_misses_gets_every_page_right(project_copy, tmp_path):
    """A theme override printing page.url (not a slot): pages of one shape then differ in a way the
    shell cannot fill in; the first pages compared in full catch it and the rest are rendered in full."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "kb" / "theme", theme)
    (theme / "main.html").write_text('{% extends "base.html" %}\n{% block extrahead %}'
                                     '<meta name="kb-test-url" content="{{ page.url }}">{% endblock %}\n',
                                     encoding="utf-8")
    config = project_copy / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"custom_dir: .*", f"custom_dir: {theme}", text), encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(project_copy, site)
    assert result.returncode == 0, result.stdout + result.stderr
    checked = 0
    for html in sorted(site.rglob("index.html")):
        url = html.parent.relative_to(site).as_posix() + "/"
        match = re.search(r'<meta name="kb-test-url" content="([^"]*)">', html.read_text(encoding="utf-8"))
        assert match, html
        assert unescape(match.group(1)) == ("" if url == "./" else url), html
        checked += 1
    assert checked > 20
