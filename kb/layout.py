"""docs/ may hold only reports. MkDocs copies every other file to the site as it is (a contributor's
.html or .js would run in readers' browsers) and makes every other Markdown file a page (a
docs/themes/x/index.md would replace a generated page). Markdown files under docs/reports/ are
checked by structure.py (`outside-report`, `bad-file-name`); everything else is reported here."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import Problems
from .structure import REPORTS_DIR

_ALLOWED = "docs/reports/<报告id>/index.md 与 / and docs/reports/<报告id>/NN-名称.md"


def check_layout(docs_dir: Path, problems: Problems) -> None:
    """os.scandir: its entries know whether they are links without a system call per file (17,000
    files at 1,000 reports); symbolic links are reported, never followed."""
    docs_dir = Path(docs_dir)
    pending = [docs_dir]
    while pending:
        folder = pending.pop()
        under_reports = folder != docs_dir and folder.relative_to(docs_dir).parts[0] == REPORTS_DIR
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
        for entry in entries:
            # MkDocs leaves out dot files and folders (kb import stages its work in one), and so does this check.
            if entry.name.startswith("."):
                continue
            if entry.is_symlink():
                problems.add(entry.path, None, "unexpected-file", "docs/ 下不能有符号链接：它会把别处的文件带进网站",
                             "docs/ may not hold symbolic links: they would bring files from elsewhere into the site", _ALLOWED)
            elif entry.is_dir():
                pending.append(Path(entry.path))
            elif not entry.name.endswith(".md"):
                problems.add(entry.path, None, "unexpected-file",
                             f"docs/ 下只能放报告的 Markdown 文件：“{entry.name}” 会被原样复制到网站上",
                             f'docs/ may hold only report Markdown files: "{entry.name}" would be copied to the site as it is',
                             _ALLOWED)
            elif not under_reports:  # Markdown under docs/reports/ is structure.py's to check
                problems.add(entry.path, None, "unexpected-file",
                             "docs/reports/ 以外的 Markdown 文件会成为网站页面（可能取代生成的索引页）：报告请放入 docs/reports/<报告id>/",
                             "Markdown outside docs/reports/ would become a site page (maybe replacing a generated one): "
                             "reports go into docs/reports/<report-id>/", _ALLOWED)
