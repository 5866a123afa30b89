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
    docs_dir = Path(docs_dir)
    for folder, dirs, files in os.walk(docs_dir):  # symbolic links to folders are listed, never followed
        # MkDocs leaves out dot files and folders (kb import stages its work in one), and so does this check.
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in [d for d in dirs if os.path.islink(os.path.join(folder, d))] + sorted(files):
            if name.startswith("."):
                continue
            path = Path(folder, name)
            if path.is_symlink():
                if name in dirs:
                    dirs.remove(name)
                problems.add(path, None, "unexpected-file", "docs/ 下不能有符号链接：它会把别处的文件带进网站",
                             "docs/ may not hold symbolic links: they would bring files from elsewhere into the site", _ALLOWED)
            elif not name.endswith(".md"):
                problems.add(path, None, "unexpected-file",
                             f"docs/ 下只能放报告的 Markdown 文件：“{name}” 会被原样复制到网站上",
                             f'docs/ may hold only report Markdown files: "{name}" would be copied to the site as it is', _ALLOWED)
            elif path.relative_to(docs_dir).parts[0] != REPORTS_DIR:
                problems.add(path, None, "unexpected-file",
                             "docs/reports/ 以外的 Markdown 文件会成为网站页面（可能取代生成的索引页）：报告请放入 docs/reports/<报告id>/",
                             "Markdown outside docs/reports/ would become a site page (maybe replacing a generated one): "
                             "reports go into docs/reports/<report-id>/", _ALLOWED)
