"""Rebuilds under `mkdocs serve` (kb/preview.py) give exactly the site a cold build of the same tree
gives. tools/serve_session.py builds the way `mkdocs serve` does (one process, config reloaded per
build, on_startup(command="serve"), the same site directory); after every edit the site it holds
is compared file by file with a fresh session's first build of a copy of the edited tree."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, mkdocs_build

SESSION = ROOT / "tests" / "tools" / "serve_session.py"
GOV = "docs/reports/2021-xx-county-gov-office"
PARTY = "docs/reports/2021-xx-county-party-committee"


class ServeSession:
    def __init__(self, project: Path, site: Path, dirty: bool = False, overlap: bool = False):
        self.site = site
        args = ([sys.executable, str(SESSION), str(project), str(site)] + (["--dirty"] if dirty else [])
                + (["--overlap"] if overlap else []))
        self.process = subprocess.Popen(args, cwd=project, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, encoding="utf-8")

    def result(self) -> str:
        line = self.process.stdout.readline()
        assert line, "serve session ended: " + self.process.stderr.read()[-3000:]
        self.last_line = line.strip()
        return line.split()[0]

    def rebuild(self) -> str:
        self.process.stdin.write("rebuild\n")
        self.process.stdin.flush()
        return self.result()

    def settle(self) -> None:
        """(--overlap) Wait for the last build's background outputs."""
        self.process.stdin.write("settle\n")
        self.process.stdin.flush()
        assert self.result() == "settled"

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.write("quit\n")
            self.process.stdin.flush()
            self.process.wait(timeout=120)


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def cold_site(project: Path, work: Path) -> dict[str, bytes]:
    """A fresh `serve` process's first build of a copy of the tree as it is now."""
    copy = work / "cold-project"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("site"))
    site = work / "cold-site"
    shutil.rmtree(site, ignore_errors=True)
    session = ServeSession(copy, site)
    try:
        assert session.result() == "built"
        return files_of(site)
    finally:
        session.close()


def assert_same_site(rebuilt: Path, cold: dict[str, bytes]) -> None:
    now = files_of(rebuilt)
    assert sorted(now) == sorted(cold), (sorted(set(now) - set(cold))[:10], sorted(set(cold) - set(now))[:10])
    differing = [name for name in now if now[name] != cold[name]]
    assert differing == []


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_text(project: Path) -> None:
    replace_in(project / GOV / "11-problems-1.md", "三是离“做实”有差距。", "三是离“做实”仍有差距。")


def retype_item(project: Path) -> None:
    replace_in(project / GOV / "11-problems-1.md", '{: #p1-3 types="learning-practice-gap" measures="m2-1" }',
               '{: #p1-3 types="theory-study-shallow" measures="m2-1" }')


def copy_report(project: Path, suffix: str, title: str) -> Path:
    """A copy of the party committee's report under another id and title: 查重 finds it whole."""
    copy = project / f"{PARTY}-{suffix}"
    shutil.copytree(project / PARTY, copy)
    set_title(copy, title)
    (copy / "index.md").write_text("\n".join(line for line in (copy / "index.md").read_text(encoding="utf-8")
                                             .splitlines() if not line.startswith("redirect_from")) + "\n",
                                   encoding="utf-8")
    return copy


def set_title(report: Path, title: str) -> None:
    text = (report / "index.md").read_text(encoding="utf-8")
    replace_in(report / "index.md", next(line for line in text.splitlines() if line.startswith("title:")), f"title: {title}")


def add_report(project: Path) -> None:
    copy_report(project, "b", "另一份对照检查材料（预览测试）")


def rewrite_section(report: Path, index: int, words: str) -> None:
    """Replace a stretch of one problems section's longest paragraph with words of its own."""
    section = sorted(report.glob("1*-problems-*.md"))[index]
    lines = section.read_text(encoding="utf-8").splitlines()
    body = max((line for line in lines if not line.startswith(("{:", "#", "---", "part:", "theme:"))), key=len)
    replace_in(section, body[10:40], words)


def edit_added_report(project: Path) -> None:
    """Only the copy changes, yet the page of the report it copies shows its passages (查重's 雷同 block)."""
    rewrite_section(project / f"{PARTY}-b", 0, "此处改写为自己的话与原文不同")


def remove_added_report(project: Path) -> None:
    shutil.rmtree(project / "docs/reports/2021-xx-county-party-committee-b")


def rename_unit(project: Path) -> None:
    units = project / "data" / "units.yml"
    text = units.read_text(encoding="utf-8")
    name = next(line for line in text.splitlines() if line.strip().startswith("name:"))
    replace_in(units, name, name.rstrip() + "（改）")


EDITS = [edit_text, retype_item, add_report, edit_added_report, remove_added_report, rename_unit]


@pytest.mark.parametrize("dirty", [False, True], ids=["serve", "serve-dirty"])
def test_every_rebuild_equals_a_cold_build(project_copy, tmp_path, dirty):
    site = tmp_path / "served-site"
    session = ServeSession(project_copy, site, dirty=dirty)
    try:
        assert session.result() == "built"
        assert_same_site(site, cold_site(project_copy, tmp_path))  # nothing changed yet
        for edit in EDITS:
            edit(project_copy)
            assert session.rebuild() == "built", edit.__name__
            assert_same_site(site, cold_site(project_copy, tmp_path))
    finally:
        session.close()


def test_saves_in_quick_succession_end_in_the_cold_build(project_copy, tmp_path):
    """A save while the last build's outputs (catalog.json, the search index, …) are still being
    written stops them (kb/preview.py); the next build writes them all, and once it has, the site
    is the cold build's."""
    site = tmp_path / "served-site"
    session = ServeSession(project_copy, site, overlap=True)
    try:
        assert session.result() == "built"
        overlapped = 0
        for edit in [edit_text, retype_item, add_report, edit_added_report]:
            edit(project_copy)  # at once: the last build's outputs are still being written
            assert session.rebuild() == "built", edit.__name__
            overlapped += session.last_line.endswith("overlapped")
        assert overlapped
        session.settle()
        assert_same_site(site, cold_site(project_copy, tmp_path))
    finally:
        session.close()


def test_stopped_outputs_leave_whole_files(tmp_path):
    """Stopped, the writers leave every file whole: catalog.json as it was, no partial file, the
    files of an in-place folder each either old or new, and what is recorded as written true."""
    import threading

    from kb.catalog import write_catalog
    from kb.site_files import OutputsStopped, TreeWriter, stoppable

    (tmp_path / "catalog.json").write_text("old", encoding="utf-8")
    stop = threading.Event()
    seen = []

    def record(report):
        seen.append(report)
        if len(seen) == 2:
            stop.set()  # a newer build asks to stop after the second report

    with stoppable(stop), pytest.raises(OutputsStopped):
        write_catalog({"reports": [{"id": n} for n in range(5)]}, tmp_path, also=record)
    assert len(seen) == 2 and (tmp_path / "catalog.json").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog.json"]

    written: dict[str, str] = {}
    with TreeWriter(tmp_path / "folder", written) as out:
        out.put("a.json", "1")
    stop.clear()
    with stoppable(stop), pytest.raises(OutputsStopped):
        with TreeWriter(tmp_path / "folder", written) as out:
            out.put("b.json", "2")
            stop.set()
            out.put("a.json", "changed")
    assert {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "folder").iterdir()} == {"a.json": "1", "b.json": "2"}
    assert sorted(written) == ["a.json", "b.json"]
    with TreeWriter(tmp_path / "folder", written) as out:  # outside stoppable: never stopped
        out.put("a.json", "changed")
    assert sorted(p.name for p in (tmp_path / "folder").iterdir()) == ["a.json"]


def test_a_failed_rebuild_is_followed_by_a_correct_one(project_copy, tmp_path):
    site = tmp_path / "served-site"
    section = project_copy / GOV / "12-problems-2.md"
    original = section.read_text(encoding="utf-8")
    session = ServeSession(project_copy, site)
    try:
        assert session.result() == "built"
        section.write_text(original.replace("part: problems", "part: [problems", 1), encoding="utf-8")
        assert session.rebuild() == "failed"
        section.write_text(original.replace("。", "．", 1), encoding="utf-8")
        assert session.rebuild() == "built"
        assert_same_site(site, cold_site(project_copy, tmp_path))
    finally:
        session.close()


def test_an_unchanged_rebuild_leaves_report_pages_to_the_last_build(project_copy, tmp_path):
    """The reuse is real: report and section pages of an untouched tree are not written again."""
    site = tmp_path / "served-site"
    session = ServeSession(project_copy, site)
    try:
        assert session.result() == "built"
        page = site / "reports" / "2021-xx-county-gov-office" / "11-problems-1" / "index.html"
        before = page.stat()
        assert session.rebuild() == "built"
        after = page.stat()
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
        edit_text(project_copy)
        assert session.rebuild() == "built"
        assert page.stat().st_mtime_ns != before.st_mtime_ns
    finally:
        session.close()


def test_a_vocabulary_change_checks_unchanged_reports_again(project_copy, tmp_path):
    """Reports that passed are not checked again while data/ is the same (kb/validate.py): once a
    type an untouched report uses is taken out of data/, the rebuild must fail like a cold build."""
    site = tmp_path / "served-site"
    types = project_copy / "data" / "problem_types.yml"
    original = types.read_text(encoding="utf-8")
    session = ServeSession(project_copy, site)
    try:
        assert session.result() == "built"
        assert session.rebuild() == "built"  # the reports now come from the cache, checks remembered
        used = "learning-practice-gap"
        assert f"id: {used}" in original and used in (project_copy / GOV / "11-problems-1.md").read_text(encoding="utf-8")
        types.write_text(original.replace(f"id: {used}", f"id: {used}-renamed", 1), encoding="utf-8")
        assert session.rebuild() == "failed"
        assert session.last_line == "failed Abort"  # the data check stops the build, not a crash further on
        cold = mkdocs_build(project_copy, tmp_path / "cold")
        assert cold.returncode != 0 and "unknown" in cold.stderr  # as a cold build does
        types.write_text(original, encoding="utf-8")
        assert session.rebuild() == "built"
        assert_same_site(site, cold_site(project_copy, tmp_path))
    finally:
        session.close()


def ranking_rows(site: Path) -> list[list[str]]:
    """The 查重 ranking's rows as the reports each links to, in order."""
    page = (site / "similar" / "index.html").read_text(encoding="utf-8")
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.findall(r"reports/([^/\"]+)/", row) for row in body.split("<tr>")[1:]]


def test_ranking_pages_follow_what_their_rows_show(project_copy, tmp_path):
    """The 查重 ranking pages are rebuilt when a row's printed figures or reports change (a pair moves,
    a title changes) and only then: each rebuild equals a cold build, and an edit elsewhere, or one in
    a paired report that changes no printed figure, leaves them."""
    site = tmp_path / "served-site"
    session = ServeSession(project_copy, site)
    ranking = site / "similar" / "index.html"
    try:
        assert session.result() == "built"
        b = copy_report(project_copy, "b", "副本乙（预览测试）")
        c = copy_report(project_copy, "c", "副本丙（预览测试）")
        rewrite_section(c, 0, "丙在这里写下了完全属于自己的一段话")
        assert session.rebuild() == "built"
        assert_same_site(site, cold_site(project_copy, tmp_path))
        before = ranking_rows(site)
        assert len(before) == 3 and before[0] == [PARTY.split("/")[-1], b.name]  # the whole copy comes first

        for index, words in enumerate(["乙把这一段改成了自己的说法", "乙又把另一段也换了说法", "乙的第三段同样改写过了"]):
            rewrite_section(b, index, words)  # b now shares less with the party committee's report than c
        assert session.rebuild() == "built"
        assert_same_site(site, cold_site(project_copy, tmp_path))
        after = ranking_rows(site)
        assert sorted(map(sorted, after)) == sorted(map(sorted, before)) and after != before  # a pair moved

        set_title(c, "副本丙改了标题（预览测试）")
        assert session.rebuild() == "built"
        assert_same_site(site, cold_site(project_copy, tmp_path))
        assert "副本丙改了标题" in ranking.read_text(encoding="utf-8")

        by_year = site / "similar" / "years" / "2021" / "index.html"  # lists the same pairs, not in the nav
        assert by_year.read_text(encoding="utf-8").count("<tr>") == 4  # the head and three pairs
        written = by_year.stat()
        edit_text(project_copy)  # the government office's report (2021 too) is in no pair
        assert session.rebuild() == "built"
        assert_same_site(site, cold_site(project_copy, tmp_path))
        assert (by_year.stat().st_ino, by_year.stat().st_mtime_ns) == (written.st_ino, written.st_mtime_ns)

        written = by_year.stat()  # b's own words reworded, same length: no printed figure changes
        replace_in(sorted(b.glob("1*-problems-*.md"))[0], "乙把这一段改成了自己的说法", "乙把这一段换成了自己的说法")
        assert session.rebuild() == "built"
        assert_same_site(site, cold_site(project_copy, tmp_path))
        assert (by_year.stat().st_ino, by_year.stat().st_mtime_ns) == (written.st_ino, written.st_mtime_ns)
    finally:
        session.close()


def listed(files) -> list[tuple]:
    return [(f.src_uri, f.src_dir, f.dest_dir, f.dest_uri, f.url, f.abs_src_path, f.abs_dest_path, f.inclusion)
            for f in files]


def test_the_serve_listing_is_mkdocs_own(project_copy, tmp_path):
    """kb/serve_listing.py lists what MkDocs' get_files and add_files_from_theme list, in the same order,
    as files are added, renamed and removed under docs/ and in the theme, and as they are saved in place."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    from kb.serve_listing import FileListing

    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "kb" / "theme", theme)
    listing = FileListing()

    def assert_same_listing():
        config = load_config(config_file=str(project_copy / "mkdocs.yml"), site_dir=str(tmp_path / "site"),
                             theme={"name": "material", "custom_dir": str(theme)})
        ours = listing.get_files(config)
        ours.add_files_from_theme(config.theme.get_env(), config)
        theirs = get_files(config)
        theirs.add_files_from_theme(config.theme.get_env(), config)
        assert listed(ours) == listed(theirs)
        return {f.src_uri: f for f in ours}

    assert_same_listing()
    assert_same_listing()  # the last listing again
    edit_text(project_copy)  # saved in place
    assert_same_listing()
    section = project_copy / GOV / "19-extra.md"
    section.write_text("---\npart: problems\n---\n", encoding="utf-8")
    assert "reports/2021-xx-county-gov-office/19-extra.md" in assert_same_listing()
    section.rename(project_copy / GOV / "18-extra.md")
    assert "reports/2021-xx-county-gov-office/18-extra.md" in assert_same_listing()
    add_report(project_copy)  # a new folder
    assert "reports/2021-xx-county-party-committee-b/index.md" in assert_same_listing()
    remove_added_report(project_copy)
    (project_copy / GOV / "18-extra.md").unlink()
    assert_same_listing()
    (theme / "assets" / "extra.js").write_text("", encoding="utf-8")
    assert assert_same_listing()["assets/extra.js"].src_dir == str(theme)
    (project_copy / "docs" / "assets").mkdir()
    (project_copy / "docs" / "assets" / "kb.css").write_text("", encoding="utf-8")  # a docs/ file wins over the theme's
    assert assert_same_listing()["assets/kb.css"].src_dir == str(project_copy / "docs")
    (theme / "assets" / "extra.js").unlink()
    assert "assets/extra.js" not in assert_same_listing()


def test_a_written_folders_version_names_its_files_and_nothing_else(tmp_path):
    """A folder's version (its meta.json names it, and the browser asks for each file with it) is the
    same for the same files however the folder is written (staged, or in place under `mkdocs serve`),
    and changes when any file's path or content does."""
    from kb.site_files import TreeWriter

    def version(files: dict[str, str], written: dict[str, str] | None = None, name: str = "folder") -> str:
        with TreeWriter(tmp_path / name, written) as out:
            for rel, content in files.items():
                out.put(rel, content)
        assert out.files == len(files)
        return out.version()

    files = {"d/0.json": '{"a":1}', "d/1.json": '{"b":2}', "meta.json": "{}"}
    staged = version(files)
    assert version(dict(files), {}, "in-place") == staged
    assert version({**files, "d/1.json": '{"b":3}'}) != staged
    assert version({"d/0.json": '{"a":1}', "d/2.json": '{"b":2}', "meta.json": "{}"}) != staged
    assert version({**files, "d/3.json": ""}) != staged
    assert version(files) == staged
