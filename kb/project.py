"""Where the project is: shared by every command line entry (kb/cli.py and kb/importer/cli.py), so
neither has to import the other (kb.cli registers the importer's commands; the importer is the
lower layer and never imports kb.cli)."""

from __future__ import annotations

from pathlib import Path


def find_root(start: Path | None = None) -> Path:
    """The project root: the nearest folder upward holding mkdocs.yml and data/."""
    here = (start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        if (folder / "mkdocs.yml").exists() and (folder / "data").is_dir():
            return folder
    raise SystemExit("找不到项目根目录（含 mkdocs.yml 和 data/ 的文件夹）/ project root (folder with mkdocs.yml and data/) not found")
