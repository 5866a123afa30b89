"""How a contributor's own text shows on the built page."""

import importlib.util
import logging
import re

from conftest import ROOT, mkdocs_build

from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from kb.build import SiteBuild

PARTY = "docs/reports/2021-xx-county-party-committee"


def test_arabic_numbering_stays_text_not_a_renumbered_list(project_copy, tmp_path):
    path = project_copy / PARTY / "15-problems-5.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("3、家风家规建设有所放松。", "3. 家风家规建设有所放松。"), encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(project_copy, site)
    assert result.returncode == 0, result.stderr
    for page in ["15-problems-5", ""]:
        html = (site / "reports/2021-xx-county-party-committee" / page / "index.html").read_text(encoding="utf-8")
        article = html[html.index("<article"):html.index("</article>")]
        assert re.search(r'<p class="kb-item"[^>]*>3\. 家风家规建设有所放松。', article)
        assert "<ol" not in article


def test_a_written_pages_anchor_ids_are_found_again_when_mkdocs_asks(fixture_project, caplog):
    """The hooks put a slim stand-in in each written kb page's place; MkDocs' own check of links to
    anchors (made once every page is written) still finds that page's anchor ids, and no others."""
    spec = importlib.util.spec_from_file_location("kb_site_hooks", ROOT / "hooks" / "kb_site.py")
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    build = SiteBuild(fixture_project, fixture_project / "docs")
    config = load_config(config_file=str(fixture_project / "mkdocs.yml"))
    report = build.kb.reports[0]
    for src_path in (report.src_path, report.sections[1].src_path):
        ids = build.page(src_path).ids
        target = File(src_path, config.docs_dir, config.site_dir, True)
        target.page = hooks.WrittenPage(build, target)
        linking = Page("linking", File("index.md", config.docs_dir, config.site_dir, True), config)
        linking.links_to_anchors = {target: {anchor: f"{src_path}#{anchor}" for anchor in [*ids, "no-such-anchor"]}}
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="mkdocs"):
            linking.validate_anchor_links(files=Files([target]), log_level=logging.WARNING)
        assert ids
        assert [r.getMessage() for r in caplog.records] == [
            f"Doc file 'index.md' contains a link '{src_path}#no-such-anchor', but the doc '{src_path}' "
            "does not contain an anchor '#no-such-anchor'."]
