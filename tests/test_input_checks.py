"""Contributor files are untrusted input: every hostile or careless shape of a report or vocabulary
is one clear problem (file, line, code, zh + en, what is allowed), found quickly, before anything
large is read, parsed or expanded, and without knock-on errors elsewhere."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from kb import limits
from kb.knowledge import load

GOV_ID = "2021-xx-county-gov-office"
PARTY_ID = "2021-xx-county-party-committee"
GOV = f"docs/reports/{GOV_ID}"
PARTY = f"docs/reports/{PARTY_ID}"


# --- helpers: plant a mistake where the fixture files have room for it, return its line -----------

def found(root: Path) -> list[tuple[str, str, int | None]]:
    """(code, file, line) of every problem `kb check` would report."""
    kb, problems = load(root)
    assert kb is None, "the planted mistake was not reported"
    return sorted((p.code, p.file, p.line) for p in problems.items)


def the_problem(root: Path):
    """The one problem of a project that has exactly one."""
    _, problems = load(root)
    assert len(problems) == 1, [p.format() for p in problems.sorted()]
    problem = problems.items[0]
    assert sum(c.isascii() and c.isalpha() for c in problem.en) > 10 and problem.zh != problem.en
    return problem


def sections(root: Path, report: str = GOV) -> list[Path]:
    return sorted((root / report).glob("[0-9][0-9]-*.md"))


def themed_section(root: Path, report: str = GOV) -> Path:
    return next(p for p in sections(root, report) if "\ntheme: " in p.read_text(encoding="utf-8"))


def add_front_matter(path: Path, *lines: str) -> int:
    """Insert lines right after the opening ---; the first lands on line 2."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    path.write_text("---\n" + "".join(f"{line}\n" for line in lines) + text[4:], encoding="utf-8")
    return 2


def set_field(path: Path, key: str, value: str) -> int:
    """Replace a top-level front matter field's value; returns its line."""
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
    lines[number] = f"{key}: {value}"
    path.write_text("\n".join(lines), encoding="utf-8")
    return number + 1


def append_paragraph(path: Path, text: str) -> int:
    """A new last paragraph of a section; returns the line it starts on."""
    body = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(body + "\n\n" + text + "\n", encoding="utf-8")
    return body.count("\n") + 3


def replace_heading(path: Path, heading: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith("# "))
    lines[number] = f"# {heading}"
    path.write_text("\n".join(lines), encoding="utf-8")
    return number + 1


def first_part_line(index: Path) -> tuple[int, str]:
    """Line and part id of the first entry under parts: in a report's index.md."""
    lines = index.read_text(encoding="utf-8").split("\n")
    start = lines.index("parts:")
    part_id = lines[start + 1].split(":")[0].strip()
    return start + 2, part_id


def append_entry(path: Path, key: str, *lines: str) -> int:
    """A new entry at the end of a vocabulary's (last) list; returns the line of its field `key`."""
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n"
    path.write_text(text + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return text.count("\n") + 1 + next(i for i, line in enumerate(lines) if line.strip(" -").startswith(f"{key}:"))


# --- 1. YAML anchors and aliases ---------------------------------------------------------------

def alias_bomb() -> list[str]:
    names = "abcdefghi"
    lines = [f"{names[0]}: &{names[0]} [x, x, x, x, x, x, x, x, x]"]
    lines += [f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]" for p, n in zip(names, names[1:])]
    return lines


def test_alias_bomb_in_front_matter_is_one_error_and_never_expands(project_copy):
    line = add_front_matter(project_copy / GOV / "index.md", *alias_bomb())
    started = time.perf_counter()
    problem = the_problem(project_copy)
    assert time.perf_counter() - started < 1.0
    assert (problem.code, problem.file, problem.line) == ("yaml-alias", f"{GOV}/index.md", line)
    assert "锚点" in problem.zh and "&" in problem.allowed


def test_alias_bomb_in_a_vocabulary_is_one_error(project_copy):
    path = project_copy / "data/problem_types.yml"
    path.write_text(path.read_text(encoding="utf-8") + "".join(f"{line}\n" for line in alias_bomb()), encoding="utf-8")
    started = time.perf_counter()
    problem = the_problem(project_copy)  # and no item is then reported to have an unknown type
    assert time.perf_counter() - started < 1.0
    assert (problem.code, problem.file) == ("yaml-alias", "data/problem_types.yml")


def test_a_single_anchor_or_alias_is_refused_too(project_copy):
    line = set_field(project_copy / GOV / "index.md", "source", "&src 出处")
    problem = the_problem(project_copy)
    assert (problem.code, problem.line) == ("yaml-alias", line)


def test_ampersands_and_asterisks_in_text_are_fine(project_copy):
    set_field(project_copy / GOV / "index.md", "source", '"A & B *星号* 出处"')
    kb, problems = load(project_copy)
    assert kb is not None, [p.format() for p in problems.items]


@pytest.mark.parametrize("value", ["{a: " * 3000 + "1" + "}" * 3000, "[" * 5000 + "]" * 5000])
def test_deep_nesting_is_one_error_not_a_crash(project_copy, value):
    add_front_matter(project_copy / GOV / "index.md", "description: " + value)
    problem = the_problem(project_copy)
    assert problem.code == "front-matter" and "nested" in problem.en


def test_deep_top_level_nesting_is_one_error_not_a_crash(project_copy):
    path = sections(project_copy)[0]
    path.write_text("---\n" + "[" * 20000 + "]" * 20000 + "\n---\n正文。\n", encoding="utf-8")
    problem = the_problem(project_copy)
    assert (problem.code, problem.file) == ("front-matter", f"{GOV}/{path.name}")


# --- 2. sizes ------------------------------------------------------------------------------------

def test_oversized_section_is_refused_before_parsing(project_copy):
    path = sections(project_copy)[-1]
    append_paragraph(path, "字" * (limits.MAX_SECTION_BYTES // 3 + 1))
    problem = the_problem(project_copy)
    assert (problem.code, problem.file, problem.line) == ("file-too-large", f"{GOV}/{path.name}", None)
    assert "200.0 KB" in problem.en and "KB" in problem.zh and problem.allowed == "≤ 200.0 KB"


def test_oversized_index_is_refused(project_copy):
    add_front_matter(project_copy / GOV / "index.md", "# " + "x" * limits.MAX_INDEX_BYTES)
    problem = the_problem(project_copy)
    assert (problem.code, problem.file) == ("file-too-large", f"{GOV}/index.md")
    assert "20.0 KB" in problem.en


def test_oversized_vocabulary_is_one_error(project_copy):
    path = project_copy / "data/units.yml"
    path.write_text(path.read_text(encoding="utf-8") + "# " + "x" * limits.MAX_DATA_BYTES + "\n", encoding="utf-8")
    problem = the_problem(project_copy)  # reports then name units that cannot be checked: no knock-on errors
    assert (problem.code, problem.file) == ("file-too-large", "data/units.yml")
    assert "2.0 MB" in problem.en


def test_report_folder_with_too_many_files(project_copy):
    for n in range(limits.MAX_REPORT_FILES):
        (project_copy / GOV / f"99-extra-{n}.md").write_text("---\npart: other\n---\n", encoding="utf-8")
    problem = the_problem(project_copy)
    assert (problem.code, problem.file) == ("too-many-files", GOV)
    assert str(limits.MAX_REPORT_FILES) in problem.en


def test_overlong_title(project_copy):
    line = set_field(project_copy / GOV / "index.md", "title", "标" * (limits.MAX_TITLE_CHARS + 1))
    problem = the_problem(project_copy)
    assert (problem.code, problem.file, problem.line) == ("field-too-long", f"{GOV}/index.md", line)
    assert str(limits.MAX_TITLE_CHARS) in problem.allowed


# --- 3. types ------------------------------------------------------------------------------------

def _field(path: str, key: str, value: str):
    return lambda root: set_field(root / path, key, value)


def _new_front_matter(path, line: str):
    return lambda root: add_front_matter(path(root), line)


def _part_heading(value: str):
    def plant(root):
        line, part_id = first_part_line(root / GOV / "index.md")
        text = (root / GOV / "index.md").read_text(encoding="utf-8").split("\n")
        text[line - 1] = f"  {part_id}: {value}"
        (root / GOV / "index.md").write_text("\n".join(text), encoding="utf-8")
        return line
    return plant


def _parts_as_list(index: Path) -> int:
    text = index.read_text(encoding="utf-8")
    block = re.search(r"^parts:\n(?:  .*\n)+", text, re.M)
    index.write_text(text[:block.start()] + "parts: [problems]\n" + text[block.end():], encoding="utf-8")
    return text[:block.start()].count("\n") + 1


def _entry(file: str, key: str, *lines: str):
    return lambda root: append_entry(root / "data" / file, key, *lines)


NEW_MEETING = ("  - id: zz-2099", "    name: 新会议", "    kind: 民主生活会", "    year: 2099",
               "    source: {publication: 新闻报道}", "    themes:", "      - id: zz-2099-1", "        name: 主题",
               "        aspects: [work-style]")

# name -> (plant, returning the line; file; expected type named in the English message)
TYPE_CASES = {
    "title mapping": (_field(f"{GOV}/index.md", "title", "{a: 1}"), f"{GOV}/index.md", "a string"),
    "unit list": (_field(f"{GOV}/index.md", "unit", "[xx-county-gov-office]"), f"{GOV}/index.md", "a string"),
    "meeting number": (_field(f"{GOV}/index.md", "meeting", "2021"), f"{GOV}/index.md", "a string"),
    "source boolean": (_field(f"{GOV}/index.md", "source", "true"), f"{GOV}/index.md", "a string"),
    "year quoted": (_field(f"{GOV}/index.md", "year", '"2021"'), f"{GOV}/index.md", "an integer"),
    "date list": (_new_front_matter(lambda r: r / GOV / "index.md", "date: [2022]"), f"{GOV}/index.md", "a string"),
    "description mapping": (_new_front_matter(lambda r: r / GOV / "index.md", "description: {a: 1}"), f"{GOV}/index.md",
                            "a string"),
    "parts list": (lambda r: _parts_as_list(r / GOV / "index.md"), f"{GOV}/index.md", "a mapping"),
    "part heading list": (_part_heading("[一、存在的主要问题]"), f"{GOV}/index.md", "a string"),
    "redirect_from mapping": (_new_front_matter(lambda r: r / GOV / "index.md", "redirect_from: {a: 1}"),
                              f"{GOV}/index.md", "a list of strings"),
    "section part list": (lambda r: set_field(sections(r)[0], "part", "[preface]"), None, "a string"),
    "section redirect_from numbers": (_new_front_matter(lambda r: sections(r)[0], "redirect_from: [1, 2]"), None,
                                      "a list of strings"),
    "section theme number": (lambda r: set_field(themed_section(r), "theme", "3"), None, "a string"),
    "type name list": (_entry("problem_types.yml", "name", "  - id: zz-new", "    name: [新类型]"), "data/problem_types.yml", "a string"),
    "type phrasings string": (_entry("problem_types.yml", "phrasings", "  - id: zz-new", "    name: 新类型", "    phrasings: 性"),
                              "data/problem_types.yml", "a list of strings"),
    "type description mapping": (_entry("cause_types.yml", "description", "  - id: zz-new", "    name: 新类型", "    description: {a: 1}"),
                                 "data/cause_types.yml", "a string"),
    "unit region number": (_entry("units.yml", "region", "  - id: zz-unit", "    name: 新单位", "    kind: department",
                                  "    level: county", "    region: 1"), "data/units.yml", "a string"),
    "unit kind list": (_entry("units.yml", "kind", "  - id: zz-unit", "    name: 新单位", "    kind: [department]",
                              "    level: county"), "data/units.yml", "a string"),
    "meeting year quoted": (_entry("meetings.yml", "year", *NEW_MEETING[:3], '    year: "2099"', *NEW_MEETING[4:]),
                            "data/meetings.yml", "an integer"),
    "meeting source string": (_entry("meetings.yml", "source", *NEW_MEETING[:4], "    source: 新闻报道", *NEW_MEETING[5:]),
                              "data/meetings.yml", "a mapping"),
    "meeting confirmed quoted": (_entry("meetings.yml", "confirmed", *NEW_MEETING, '    confirmed: "yes"'),
                                 "data/meetings.yml", "a boolean"),
    "theme aspects mapping": (_entry("meetings.yml", "aspects", *NEW_MEETING[:-1], "        aspects: {a: 1}"),
                              "data/meetings.yml", "a list of strings"),
    "author_kind list": (_new_front_matter(lambda r: r / GOV / "index.md", "author_kind: [group]"), f"{GOV}/index.md",
                         "a string"),
    "section aspects number": (_new_front_matter(themed_section, "aspects: 3"), None, "a list of strings"),
    "part headings string": (_entry("parts.yml", "headings", "  - id: zz-part", "    name: 新部分", "    headings: 一、新部分"),
                             "data/parts.yml", "a list of strings"),
}


@pytest.mark.parametrize("name", TYPE_CASES)
def test_wrong_type_is_one_bad_type_error(project_copy, name):
    plant, file, expected = TYPE_CASES[name]
    line = plant(project_copy)
    problem = the_problem(project_copy)
    assert problem.code == "bad-type", problem.format()
    assert file is None or problem.file == file
    assert problem.line == line, problem.format()
    assert f"must be {expected}" in problem.en and "应是" in problem.zh and problem.allowed


def test_unquoted_date_is_read_as_written(project_copy):
    add_front_matter(project_copy / GOV / "index.md", "date: 2022-01-10")
    kb, problems = load(project_copy)
    assert kb is not None, [p.format() for p in problems.items]
    assert next(r for r in kb.reports if r.id == GOV_ID).date == "2022-01-10"


def test_the_model_holds_only_strings_where_strings_are_declared(fixture_project):
    kb, problems = load(fixture_project)
    assert kb is not None, [p.format() for p in problems.items]
    for report in kb.reports:
        assert all(isinstance(v, str) for v in (report.title, report.unit, report.meeting, report.date, report.source))
        assert isinstance(report.year, int)
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in report.part_headings.items())
        for section in report.sections:
            assert isinstance(section.part, str) and (section.theme is None or isinstance(section.theme, str))
    vocab = kb.vocab
    terms = [*vocab.meetings.values(), *vocab.themes.values(), *vocab.parts.values(), *vocab.unit_kinds.values(),
             *vocab.levels.values(), *vocab.units.values(), *(t for v in vocab.types.values() for t in v.values())]
    for term in terms:
        assert all(isinstance(v, str) for v in (term.id, term.name, term.short, term.description))
        assert all(isinstance(p, str) for p in term.phrasings)
    for unit in vocab.units.values():
        assert all(isinstance(v, str) for v in (unit.kind, unit.level, unit.region))
    for part in vocab.parts.values():
        assert all(isinstance(h, str) for h in part.headings)
    assert all(isinstance(m.year, int) and m.kind in ("民主生活会", "组织生活会") for m in vocab.meetings.values())
    assert all(isinstance(a, str) for t in vocab.themes.values() for a in t.aspects)


# --- 4. broken vocabulary files ---------------------------------------------------------------------

VOCABULARY_FILES = ["meetings.yml", "parts.yml", "units.yml", "problem_types.yml", "cause_types.yml", "measure_types.yml",
                    "aspects.yml", "author_roles.yml"]


@pytest.mark.parametrize("content", ["", "# 只有注释\n", "- a\n- b\n", "problem_types: 无\n"])
@pytest.mark.parametrize("file", VOCABULARY_FILES)
def test_unusable_vocabulary_is_one_error_naming_its_file(project_copy, file, content):
    (project_copy / "data" / file).write_text(content, encoding="utf-8")
    problem = the_problem(project_copy)
    assert (problem.code, problem.file) == ("vocabulary-shape", f"data/{file}")
    assert file in problem.zh and file in problem.en


# --- 5. only reports under docs/ ------------------------------------------------------------------

@pytest.mark.parametrize("name", [f"{GOV}/evil.html", f"{GOV}/app.js", f"{GOV}/photo.png", f"{GOV}/page.markdown",
                                  "docs/themes/x/index.md", "docs/index.md", "docs/extra.css", "docs/reports/x.txt"])
def test_files_other_than_reports_are_refused(project_copy, name):
    path = project_copy / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("<script>alert(1)</script>\n", encoding="utf-8")
    (project_copy / GOV / ".DS_Store").write_bytes(b"\0")  # hidden files: MkDocs leaves them out, and so does the check
    problem = the_problem(project_copy)
    assert (problem.code, problem.file, problem.line) == ("unexpected-file", name, None)


def test_strict_build_fails_on_a_file_that_is_not_a_report(project_copy, tmp_path):
    from conftest import mkdocs_build

    (project_copy / GOV / "evil.html").write_text("<script>alert(1)</script>\n", encoding="utf-8")
    result = mkdocs_build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert f"{GOV}/evil.html: [unexpected-file]" in result.stdout + result.stderr


@pytest.mark.parametrize("link", [f"{GOV}/99-link.md", "docs/reports/elsewhere"])
def test_symbolic_links_are_refused_and_never_followed(project_copy, tmp_path, link):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    target = outside / "index.md" if link.endswith(".md") else outside
    (project_copy / link).symlink_to(target)
    problem = the_problem(project_copy)
    assert (problem.code, problem.file) == ("unexpected-file", link)


@pytest.mark.parametrize("report_id", ["page-2", "index"])
def test_report_ids_of_generated_pages_are_refused(project_copy, report_id):
    copy = project_copy / "docs" / "reports" / report_id
    copy.mkdir()
    for path in (project_copy / GOV).iterdir():
        copy.joinpath(path.name).write_bytes(path.read_bytes())
    set_field(copy / "index.md", "title", "另一份报告")
    problem = the_problem(project_copy)
    assert (problem.code, problem.file) == ("bad-id", f"docs/reports/{report_id}/index.md")


# --- 6. report text is plain text ---------------------------------------------------------------

MARKUP_CASES = {
    "tag": ("一是<script>alert(1)</script>问题。", "raw-html"),
    "closing tag": ("一是问题。</div>", "raw-html"),
    "comment": ("一是问题。<!-- 注释 -->", "raw-html"),
    "processing instruction": ("<?php echo 1; ?>", "raw-html"),
    "autolink": ("见 <javascript:alert(1)>", "raw-html"),
    "javascript link": ("见[原文](javascript:alert(1))", "bad-link"),
    "spaced mixed-case scheme": ("见[原文]( JaVaScRiPt:alert(1))", "bad-link"),
    "nested brackets": ("见[原 [文] 件](javascript:alert(1))", "bad-link"),
    "data image": ("![图](data:image/png;base64,AAAA)", "bad-link"),
    "web image": ("![图](https://example.org/x.png)", "bad-link"),
    "reference definition": ("[原文]: javascript:alert(1)", "bad-link"),
    "relative link": ("见[另一份报告](../2021-xx-county-party-committee/)", "bad-link"),
}


@pytest.mark.parametrize("name", MARKUP_CASES)
def test_markup_in_section_text(project_copy, name):
    text, code = MARKUP_CASES[name]
    path = sections(project_copy)[0]
    line = append_paragraph(path, "这是一段说明。\n" + text)
    problem = the_problem(project_copy)
    assert (problem.code, problem.file, problem.line) == (code, f"{GOV}/{path.name}", line + 1)
    assert "https://" in problem.allowed


@pytest.mark.parametrize("name", ["tag", "javascript link"])
def test_markup_in_a_section_heading(project_copy, name):
    text, code = MARKUP_CASES[name]
    path = themed_section(project_copy)
    line = replace_heading(path, "（一）方面" + text)
    problem = the_problem(project_copy)
    assert (problem.code, problem.file, problem.line) == (code, f"{GOV}/{path.name}", line)


@pytest.mark.parametrize("name", ["comment", "spaced mixed-case scheme"])
def test_markup_in_a_part_heading(project_copy, name):
    text, code = MARKUP_CASES[name]
    line = _part_heading(f'"一、存在的问题{text}"')(project_copy)
    problem = the_problem(project_copy)
    assert (problem.code, problem.file, problem.line) == (code, f"{GOV}/index.md", line)


def test_plain_text_and_web_links_pass(project_copy):
    append_paragraph(sections(project_copy)[0], "a < b、x<1、&lt;b&gt;、**强调**、见[原文](https://example.org/a?b=1)。")
    kb, problems = load(project_copy)
    assert kb is not None, [p.format() for p in problems.items]


# --- 7. redirect_from ------------------------------------------------------------------------------

BAD_OLD_URLS = ["reports/{other}/./", "reports/x/../{other}/", "reports//x/", "reports\\\\x\\\\", "reports/%2e%2e/",
                "reports/Old-Id/", "reports/旧报告/", "reports/{other}/99-gone/", "reports/page-2/", "reports/",
                "javascript:alert(1)", "reports/a/b/c/"]


@pytest.mark.parametrize("old", BAD_OLD_URLS)
def test_only_normalised_old_urls_are_accepted(project_copy, old):
    path = sections(project_copy)[0]
    line = add_front_matter(path, f'redirect_from: ["{old.format(other=PARTY_ID)}"]')
    problem = the_problem(project_copy)
    assert (problem.code, problem.file, problem.line) == ("bad-redirect", f"{GOV}/{path.name}", line)
    assert "reports/<" in problem.allowed


def test_renames_still_redirect(project_copy):
    add_front_matter(project_copy / GOV / "index.md", "redirect_from: [reports/2020-old-id/]")
    add_front_matter(sections(project_copy)[-1], f"redirect_from: [reports/{GOV_ID}/99-old-name/]")
    kb, problems = load(project_copy)
    assert kb is not None, [p.format() for p in problems.items]


def test_kb_check_names_a_dot_segment_redirect(project_copy):
    from test_importer_support import run_kb

    line = add_front_matter(project_copy / GOV / "index.md", f"redirect_from: [reports/{PARTY_ID}/./]")
    result = run_kb(project_copy, "check")
    assert result.returncode == 1
    assert f"{GOV}/index.md:{line}: [bad-redirect]" in result.stdout.decode()


# --- 8. year, review notes, duplicate item ids ---------------------------------------------------------

def test_year_must_match_the_meeting(project_copy):
    index = project_copy / GOV / "index.md"
    year = int(re.search(r"^year: (\d+)", index.read_text(encoding="utf-8"), re.M).group(1))
    line = set_field(index, "year", str(year - 1))
    problem = the_problem(project_copy)
    assert (problem.code, problem.file, problem.line) == ("year-mismatch", f"{GOV}/index.md", line)
    assert str(year - 1) in problem.en and str(year) in problem.en and problem.allowed == str(year)


@pytest.mark.parametrize("source", ["网络流传文本（种子材料 000_da571a64ecad6506.txt）", "单位内部 copy-2.docx"])
def test_a_source_must_be_something_a_reader_can_use_not_a_file_name(project_copy, source):
    line = set_field(project_copy / GOV / "index.md", "source", source)
    problem = the_problem(project_copy)
    assert (problem.code, problem.file, problem.line) == ("source-file-name", f"{GOV}/index.md", line)


def test_a_meeting_source_must_not_be_a_file_name_either(project_copy):
    line = append_entry(project_copy / "data" / "meetings.yml", "source", *NEW_MEETING[:4],
                        "    source: {publication: 本库报告原文（sources/2099-x.txt）}", *NEW_MEETING[5:])
    problem = the_problem(project_copy)
    assert (problem.code, problem.file, problem.line) == ("source-file-name", "data/meetings.yml", line)
    assert "sources/2099-x.txt" in problem.zh


@pytest.mark.parametrize("source", ["https://example.org/a/report.html", "《党建》2022年第3期", "网络流传文本"])
def test_publications_and_urls_are_sources(project_copy, source):
    set_field(project_copy / GOV / "index.md", "source", source)
    assert load(project_copy)[0] is not None


def test_review_notes_of_kb_import_must_be_resolved(project_copy):
    themed = themed_section(project_copy)
    lines = themed.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith("theme: "))
    lines[number] += "  # kb import 建议，置信度 0.31，请核对 / proposed, review"
    themed.write_text("\n".join(lines), encoding="utf-8")
    other = sections(project_copy, PARTY)[-1]
    add_front_matter(other, "# kb import 建议的类型置信度低，请核对后删去这些注释 / low-confidence proposed types: review, then delete these comments",
                     "#   m5-1: a b（置信度 0.20）")
    assert found(project_copy) == sorted([("review-marker", f"{GOV}/{themed.name}", number + 1),
                                          ("review-marker", f"{PARTY}/{other.name}", 2)])


def test_duplicate_item_id_names_both_places(project_copy):
    marker = re.compile(r"^\{: #([a-z0-9-]+) ", re.M)
    first, second = [p for p in sections(project_copy) if marker.search(p.read_text(encoding="utf-8"))][:2]
    first_text = first.read_text(encoding="utf-8")
    first_id = marker.search(first_text).group(1)
    first_line = first_text[:marker.search(first_text).start()].count("\n") + 1
    second_text = second.read_text(encoding="utf-8")
    match = marker.search(second_text)
    second.write_text(second_text[:match.start(1)] + first_id + second_text[match.end(1):], encoding="utf-8")
    second_line = second_text[:match.start()].count("\n") + 1
    problem = the_problem(project_copy)
    assert (problem.code, problem.file, problem.line) == ("duplicate-id", f"{GOV}/{second.name}", second_line)
    for text in (problem.zh, problem.en):
        assert f"{GOV}/{first.name}:{first_line}" in text and f"{GOV}/{second.name}:{second_line}" in text


# --- 9. layers ------------------------------------------------------------------------------------

# Reading and checking contributor files: none of them may reach up to the loaded knowledge base or
# what is built from it (knowledge -> validate -> redirects -> knowledge was a cycle).
CHECKING = ["errors", "limits", "yamlio", "fields", "model", "text", "paths", "structure", "vocab", "markup", "layout",
            "redirects", "reconcile", "validate"]
UPPER = {"knowledge", "build", "pages", "labels", "catalog", "compare_data", "statistics", "cli", "newreport", "importer",
         "search"}


def _kb_imports(path: Path) -> set[str]:
    """The kb modules a kb/*.py file imports anywhere (function-level imports included)."""
    import ast

    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names.update([node.module.split(".")[0]] if node.module else [a.name for a in node.names])
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            names.update(m.split(".")[1] for m in modules if m.startswith("kb."))
    return names


@pytest.mark.parametrize("module", CHECKING)
def test_the_checking_layer_imports_nothing_above_it(module):
    from conftest import ROOT

    assert _kb_imports(ROOT / "kb" / f"{module}.py") & UPPER == set()


# --- everything at once -------------------------------------------------------------------------

def plant_everything(root: Path) -> list[tuple[str, str, int | None]]:
    """One of each mistake in one project; returns the (code, file, line) each must give."""
    copy = root / "docs" / "reports" / "page-2"  # a whole report under an id the reports list uses
    copy.mkdir()
    for path in (root / PARTY).iterdir():
        copy.joinpath(path.name).write_bytes(path.read_bytes())
    set_field(copy / "index.md", "title", "另一份报告")
    expected = [("bad-id", "docs/reports/page-2/index.md", None)]

    bomb = root / "docs" / "reports" / "2021-zz-alias-bomb"
    bomb.mkdir()
    (bomb / "index.md").write_text("---\n" + "\n".join(alias_bomb()) + "\n---\n", encoding="utf-8")
    expected.append(("yaml-alias", "docs/reports/2021-zz-alias-bomb/index.md", 2))

    crowded = root / "docs" / "reports" / "2021-zz-crowded"
    crowded.mkdir()
    for n in range(limits.MAX_REPORT_FILES + 1):
        (crowded / f"{n:02d}-x.md").write_text("", encoding="utf-8")
    expected.append(("too-many-files", "docs/reports/2021-zz-crowded", None))

    big = sections(root)[-1]
    append_paragraph(big, "字" * (limits.MAX_SECTION_BYTES // 3 + 1))
    expected.append(("file-too-large", f"{GOV}/{big.name}", None))

    line = add_front_matter(root / GOV / "index.md", f"redirect_from: [reports/{PARTY_ID}/./]")
    expected.append(("bad-redirect", f"{GOV}/index.md", line))

    line = set_field(root / GOV / "index.md", "title", "标" * (limits.MAX_TITLE_CHARS + 1))
    expected.append(("field-too-long", f"{GOV}/index.md", line))

    themed = themed_section(root, PARTY)
    line = set_field(themed, "theme", "3")
    expected.append(("bad-type", f"{PARTY}/{themed.name}", line))

    (root / "data" / "cause_types.yml").write_text("", encoding="utf-8")
    expected.append(("vocabulary-shape", "data/cause_types.yml", None))

    for name in (f"{GOV}/evil.html", "docs/themes/x/index.md"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("<script>alert(1)</script>\n", encoding="utf-8")
        expected.append(("unexpected-file", name, None))

    first = sections(root)[0]
    line = append_paragraph(first, "一是<script>alert(1)</script>问题。")
    expected.append(("raw-html", f"{GOV}/{first.name}", line))

    first = sections(root, PARTY)[0]
    line = append_paragraph(first, "见[原文](javascript:alert(1))。")
    expected.append(("bad-link", f"{PARTY}/{first.name}", line))

    index = root / PARTY / "index.md"
    year = int(re.search(r"^year: (\d+)", index.read_text(encoding="utf-8"), re.M).group(1))
    line = set_field(index, "year", str(year - 1))
    expected.append(("year-mismatch", f"{PARTY}/index.md", line))

    themed = themed_section(root)
    line = add_front_matter(themed, "# kb import 建议的类型置信度低，请核对后删去这些注释 / low-confidence proposed types: review")
    expected.append(("review-marker", f"{GOV}/{themed.name}", line))

    marked = [p for p in sections(root, PARTY) if "\n{: #" in p.read_text(encoding="utf-8")]
    # the item renamed is one no problem item names in measures="…" (else that link breaks too)
    named = {m for p in marked for links in re.findall(r'measures="([^"]*)"', p.read_text(encoding="utf-8"))
             for m in links.split()}
    one = marked[0]
    other = next(p for p in reversed(marked)
                 if re.search(r"^\{: #([a-z0-9-]+)", p.read_text(encoding="utf-8"), re.M).group(1) not in named)
    first_id = re.search(r"^\{: #([a-z0-9-]+)", one.read_text(encoding="utf-8"), re.M).group(1)
    text = other.read_text(encoding="utf-8")
    match = re.search(r"^\{: #([a-z0-9-]+)", text, re.M)
    other.write_text(text[:match.start(1)] + first_id + text[match.end(1):], encoding="utf-8")
    expected.append(("duplicate-id", f"{PARTY}/{other.name}", text[:match.start()].count("\n") + 1))
    return sorted(expected, key=lambda e: (e[0], e[1], e[2] or 0))


def test_every_mistake_at_once_gives_exactly_its_own_error(project_copy):
    from conftest import tree_hash
    from test_importer_support import run_kb

    expected = plant_everything(project_copy)
    before = tree_hash(project_copy)
    started = time.perf_counter()
    result = run_kb(project_copy, "check", "--github")
    assert time.perf_counter() - started < 5.0
    assert result.returncode == 1
    reported = [(code, file, int(line) if line else None) for file, line, code in
                re.findall(r"^::error file=([^,:]+)(?:,line=(\d+))?::\[([a-z-]+)\]", result.stdout.decode(), re.M)]
    assert sorted(reported, key=lambda e: (e[0], e[1], e[2] or 0)) == expected, result.stdout.decode()
    assert tree_hash(project_copy) == before
