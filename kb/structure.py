"""Reading reports from docs/reports/: one folder per report (index.md holds the report's metadata),
one NN-slug.md file per section. Only structure is read here; vocabulary checks live in validate.py."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from .errors import Problems
from .fields import Fields
from .limits import (MAX_DESCRIPTION_CHARS, MAX_INDEX_BYTES, MAX_REPORT_FILES, MAX_SECTION_BYTES, MAX_SOURCE_CHARS,
                     MAX_TITLE_CHARS, read_text)
from .model import Block, Item, Report, Section
from .yamlio import Document, FrontMatterError, read_document

REPORTS_DIR = "reports"
SECTION_FILE = re.compile(r"^[0-9]{2}-[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
REPORT_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Report ids taken by generated pages: the reports index is paged as reports/page-2/ …
RESERVED_REPORT_ID = re.compile(r"^(?:index|page-[0-9]+)$")
# What `kb import` writes next to proposals it is unsure of; the contributor reviews and deletes it.
REVIEW_NOTE = "kb import 建议"
# Item marker: the line right after a paragraph, e.g. {: #p1-2 types="a b" measures="m1-1" }
MARKER = re.compile(r"^\{:?\s*(.*?)\s*\}\s*$")
MARKER_TOKEN = re.compile(r'#([^\s"]+)|([A-Za-z_-]+)="([^"]*)"|(\S+)')
ITEM_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


def read_markdown(path: Path, problems: Problems, max_bytes: int) -> tuple[Document, list[int]] | None:
    """The document and the lines holding review notes of `kb import` (reported by `kb check`)."""
    text = read_text(path, problems, max_bytes)
    if text is None:
        return None
    try:
        doc = read_document(text)
    except FrontMatterError as exc:
        problems.add(path, exc.line, exc.code, exc.zh, exc.en, exc.allowed)
        return None
    for key, line in doc.meta.duplicate_keys:
        problems.add(path, line, "duplicate-key", f"元数据字段 {key} 出现了两次", f"front matter key {key} appears twice")
    review_lines: list[int] | tuple[()] = ()  # most files have none: one shared empty tuple, not a list each
    if REVIEW_NOTE in text:
        review_lines = [n for n, line in enumerate(text.split("\n"), 1) if REVIEW_NOTE in line]
    return doc, review_lines


# A report folder as last read: (signature of its files, the report). `mkdocs serve` keeps one
# across rebuilds so that only folders whose files changed are read again.
class ReportCache(dict):
    """Kept by `mkdocs serve` between rebuilds: report id -> (folder signature, report) of each folder
    read cleanly; and the reports that passed the checks against the vocabulary `checked_against`
    (kb.validate), so that an unchanged report is not checked again while data/ stays the same."""

    def __init__(self):
        super().__init__()
        self.checked_against = None
        self.passed: dict[str, Report] = {}
        self.vocabulary: tuple | None = None  # (signature of data/, the vocabulary read cleanly from it)


def load_reports(docs_dir: Path, problems: Problems, cache: ReportCache | None = None) -> list[Report]:
    """Every report under docs/reports/, sections in file-name order. With a cache, a folder whose
    files have the same names, sizes, inodes and modification times as when it was cached (and
    which had no problems then) is not read again: its cached report is used."""
    reports_root = Path(docs_dir) / REPORTS_DIR
    reports: list[Report] = []
    if not reports_root.is_dir():
        return reports
    for entry in sorted(reports_root.iterdir()):
        if entry.name.startswith(".") or entry.is_symlink():  # layout.py reports symbolic links
            continue
        if entry.is_file():
            if entry.suffix == ".md":
                problems.add(entry, None, "outside-report",
                             "Markdown 文件直接放在 docs/reports/ 下，不属于任何报告：请放入 docs/reports/<报告id>/",
                             "Markdown file directly under docs/reports/ belongs to no report: move it into docs/reports/<report-id>/")
            continue
        if cache is None:
            report = _load_report(entry, problems)
        else:
            report = _load_report_cached(entry, problems, cache)
        if report is not None:
            reports.append(report)
    return reports


def folder_signature(folder: Path) -> tuple:
    """What changes when any file of a report folder is written, added, removed or renamed."""
    with os.scandir(folder) as scan:
        stats = [(e.name, e.stat(follow_symlinks=False)) for e in scan]
    return tuple(sorted((name, st.st_mode, st.st_ino, st.st_size, st.st_mtime_ns) for name, st in stats))


def _load_report_cached(folder: Path, problems: Problems, cache: ReportCache) -> Report | None:
    signature = folder_signature(folder)
    cached = cache.get(folder.name)
    if cached is not None and cached[0] == signature:
        return cached[1]
    before = len(problems)
    report = _load_report(folder, problems)
    if report is not None and len(problems) == before and folder_signature(folder) == signature:
        cache[folder.name] = (signature, report)  # only a clean read, of files that did not change meanwhile
    else:
        cache.pop(folder.name, None)
    return report


def _load_report(folder: Path, problems: Problems) -> Report | None:
    index = folder / "index.md"
    with os.scandir(folder) as scan:
        entries = list(scan)
    if len(entries) > MAX_REPORT_FILES:
        problems.add(folder, None, "too-many-files",
                     f"报告文件夹 {folder.name}/ 里有 {len(entries)} 个文件，超过上限 {MAX_REPORT_FILES}",
                     f"report folder {folder.name}/ holds {len(entries)} files, over the limit of {MAX_REPORT_FILES}",
                     f"≤ {MAX_REPORT_FILES}")
        return None
    markdown_files = _markdown_files(entries)
    if index.is_symlink():  # layout.py reports it; never followed
        return None
    if not index.exists():
        for path in markdown_files or [folder]:
            problems.add(path, None, "outside-report",
                         f"文件夹 {folder.name}/ 没有 index.md，其中的章节不属于任何报告：请添加 index.md（报告元数据）",
                         f"folder {folder.name}/ has no index.md, so its sections belong to no report: add index.md (the report's metadata)")
        return None
    if not REPORT_ID.match(folder.name):
        problems.add(index, None, "bad-id", f"报告文件夹名 “{folder.name}” 只能用小写英文字母、数字和连字符（它就是报告的网址）",
                     f'report folder name "{folder.name}" may only hold lowercase ASCII letters, digits and hyphens (it is the report URL)',
                     "例如 / e.g. 2021-xx-county-gov-office")
    elif RESERVED_REPORT_ID.match(folder.name):
        problems.add(index, None, "bad-id", f"报告 id “{folder.name}” 与生成的页面（报告列表 reports/page-N/ 等）冲突",
                     f'report id "{folder.name}" collides with a generated page (the reports list reports/page-N/ …)',
                     "不能用 index 或 page-数字 / neither index nor page-<number>")
    read = read_markdown(index, problems, MAX_INDEX_BYTES)
    if read is None:
        return None
    doc, review_lines = read
    meta = doc.meta
    fields = Fields(meta, problems.relative(index), problems)
    report = Report(
        id=folder.name, src_path=f"{REPORTS_DIR}/{folder.name}/index.md", file=fields.file, meta=meta,
        title=fields.text("title", MAX_TITLE_CHARS), unit=fields.text("unit"), meeting=fields.text("meeting"),
        year=fields.integer("year"), date=fields.date("date"), source=fields.text("source", MAX_SOURCE_CHARS),
        part_headings=fields.headings("parts", MAX_TITLE_CHARS), review_lines=review_lines,
        author_kind=fields.text("author_kind") or "group", author_role=fields.text("author_role"),
    )
    fields.text("description", MAX_DESCRIPTION_CHARS)
    fields.strings("redirect_from", single=True)
    if doc.body.strip():
        problems.add(index, doc.body_line, "report-body",
                     "报告的 index.md 只放元数据；正文请写进各章节文件（NN-名称.md）",
                     "a report's index.md holds metadata only; put text into section files (NN-name.md)")
    for path in markdown_files:
        if path.parent != folder:
            problems.add(path, None, "outside-report", "章节文件必须直接放在报告文件夹下，不能再分子文件夹",
                         "section files must sit directly in the report folder, not in a subfolder")
            continue
        if not SECTION_FILE.match(path.name):
            problems.add(path, None, "bad-file-name", f"章节文件名 “{path.name}” 不合规：应为两位序号-英文名.md",
                         f'section file name "{path.name}" is invalid: use two digits, a hyphen and an ASCII slug',
                         "例如 / e.g. 11-problems-1.md、20-causes-intro.md")
            continue
        section = _load_section(path, f"{REPORTS_DIR}/{folder.name}/{path.name}", problems)
        if section is not None:
            section.report = report
            report.sections.append(section)
        else:
            report.unread_sections += 1
    return report


def _markdown_files(entries: list[os.DirEntry]) -> list[Path]:
    """The folder's Markdown files other than index.md, sorted; subfolders are searched too so that
    misplaced files get reported (os.scandir: rglob's pathlib overhead showed at 17,000 files)."""
    found = []
    for entry in entries:
        if entry.is_symlink():  # layout.py reports it; never followed
            continue
        if entry.is_dir():
            found.extend(Path(entry.path).rglob("*.md"))
        elif entry.name.endswith(".md") and entry.name != "index.md":
            found.append(Path(entry.path))
    return sorted(found)


def _load_section(path: Path, src_path: str, problems: Problems) -> Section | None:
    read = read_markdown(path, problems, MAX_SECTION_BYTES)
    if read is None:
        return None
    doc, review_lines = read
    fields = Fields(doc.meta, problems.relative(path), problems)
    fields.strings("redirect_from", single=True)
    lines = doc.body.split("\n")
    heading = heading_line = None
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start < len(lines) and re.match(r"^#\s+\S", lines[start]):
        heading = lines[start][1:].strip()
        heading_line = doc.body_line + start
        start += 1
    section = Section(
        id=path.stem, src_path=src_path, file=fields.file, meta=doc.meta,
        part=fields.text("part"), theme=fields.text("theme") or None, aspects=fields.strings("aspects", single=True) or (),
        heading=heading, heading_line=heading_line, blocks=[], review_lines=review_lines,
    )
    for block_lines, first_line in _paragraphs(lines, start, doc.body_line):
        block = _read_block(block_lines, first_line, path, problems)
        if block is None:
            continue
        if block.item is not None:
            block.item.section = section
        section.blocks.append(block)
    return section


def _paragraphs(lines: list[str], start: int, body_line: int):
    current: list[str] = []
    first = 0
    for index in range(start, len(lines)):
        line = lines[index].rstrip("\r")
        if line.strip():
            if not current:
                first = body_line + index
            current.append(line)
        elif current:
            yield current, first
            current = []
    if current:
        yield current, first


def _read_block(lines: list[str], first_line: int, path: Path, problems: Problems) -> Block | None:
    last = lines[-1].strip()
    marker = MARKER.match(last)
    if marker is None:
        return Block(text="\n".join(lines), line=first_line)
    marker_line = first_line + len(lines) - 1
    if len(lines) == 1:
        problems.add(path, marker_line, "detached-marker",
                     "条目标记 {: #id types=\"…\" } 前面空了一行，它必须紧接在条目段落的下一行",
                     'item marker {: #id types="…" } is separated by a blank line: put it on the line right after its paragraph')
        return None
    item_id = None
    types: list[str] = []
    measures: list[str] = []
    for token in MARKER_TOKEN.finditer(marker.group(1)):
        anchor, key, value, other = token.groups()
        # ids are interned: the same few (p1-1, type ids) stand in every report, 100,000 times at 1,000 reports
        if anchor is not None:
            item_id = sys.intern(anchor)
        elif key == "types":
            types = list(map(sys.intern, value.split()))
        elif key == "measures":
            measures = list(map(sys.intern, value.split()))
        else:
            bad = other or f"{key}=…"
            problems.add(path, marker_line, "bad-marker", f"条目标记中的 “{bad}” 无法识别",
                         f'item marker part "{bad}" is not understood', '{: #条目id types="类型id 类型id" measures="措施id …" }')
    if item_id is None:
        problems.add(path, marker_line, "missing-item-id", "条目标记缺少 #id", "item marker lacks its #id",
                     '{: #p1-1 types="…" }')
        item_id = f"line-{marker_line}"
    elif not ITEM_ID.match(item_id):
        problems.add(path, marker_line, "bad-id", f"条目 id “{item_id}” 只能用小写英文字母开头、字母数字和连字符",
                     f'item id "{item_id}" must start with a lowercase letter and hold only a-z, 0-9 and hyphens', "例如 / e.g. p1-2")
    text = "\n".join(lines[:-1])
    return Block(text=text, line=first_line, item=Item(id=item_id, text=text, types=types, line=marker_line,
                                                            measures=measures or ()))
