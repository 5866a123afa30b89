"""A report added only through `kb import` + `kb check` builds with --strict and appears in every
index: theme pages, its unit page, problem-type pages, the reports index and catalog.json."""

from __future__ import annotations

import json

from conftest import mkdocs_build
from test_importer_support import NEW_UNIT_REPORT as REPORT, import_new_unit_report, run_kb


def test_imported_report_builds_and_is_indexed(project_copy, tmp_path):
    import_new_unit_report(project_copy)
    assert run_kb(project_copy, "urls", "--check").returncode == 0  # kb import registered the new URLs itself
    site = tmp_path / "site"
    build = mkdocs_build(project_copy, site)
    assert build.returncode == 0, build.stdout + build.stderr

    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    report = next(r for r in catalog["reports"] if r["id"] == REPORT)
    assert report["unit"] == "xx-city-finance-bureau" and report["date"] == "2022-01-20"
    assert {s["part"] for s in report["sections"]} >= {"situation", "last-rectification", "problems", "cases",
                                                       "causes", "measures"}
    assert (site / report["url"] / "index.html").is_file()

    def links_report(page: str) -> bool:
        return f"{REPORT}/" in (site / page / "index.html").read_text(encoding="utf-8")

    for section in report["sections"]:
        assert (site / section["url"] / "index.html").is_file()
        if section["theme"]:
            assert links_report(f"themes/{section['theme']}"), section["theme"]
        for item in section["items"]:
            for type_id in item["problem_types"]:
                assert links_report(f"problem-types/{type_id}"), type_id
    assert links_report("units/xx-city-finance-bureau")
    assert links_report("reports")
    problem_types = {t for s in report["sections"] for i in s["items"] for t in i["problem_types"]}
    assert problem_types  # the loop above did check some type pages
