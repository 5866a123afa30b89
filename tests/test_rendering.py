"""How a contributor's own text shows on the built page."""

import re

from conftest import mkdocs_build

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
