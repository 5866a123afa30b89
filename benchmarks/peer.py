"""The peer a user would otherwise pick: a plain Material for MkDocs site of the same reports, one
page per report (its parts and sections as headings, its paragraphs as text), Material's own search
(with jieba when installed, as Material uses it for Chinese) and navigation.prune (without it every
page carries the whole 1,000-entry navigation and the build grows with the square of the corpus).
No hooks, no generated indexes, no section pages.

    python -m benchmarks.peer CORPUS_ROOT TARGET   # writes TARGET/mkdocs.yml and TARGET/docs/
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from kb.knowledge import load_or_raise

CONFIG = """site_name: 对照检查材料（对照组）
theme:
  name: material
  language: zh
  font: false
  features:
    - navigation.prune
plugins:
  - search
markdown_extensions:
  - toc:
      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}
"""


def make_peer(corpus: Path, target: Path) -> Path:
    """Write the peer project for the corpus at `corpus` (a project root with data/ and docs/)."""
    kb = load_or_raise(corpus)
    target = Path(target)
    if target.exists():
        shutil.rmtree(target)
    docs = target / "docs"
    (docs / "reports").mkdir(parents=True)
    (target / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    lines = ["# 对照检查材料", ""]
    for report in kb.reports:
        lines.append(f"- [{report.title}](reports/{report.id}.md)")
        out = [f"# {report.title}", ""]
        for part_id, sections in report.part_runs():
            heading = report.part_headings.get(part_id)
            if heading:
                out += [f"## {heading}", ""]
            for section in sections:
                if section.heading:
                    out += [f"### {section.heading}", ""]
                out += [p for block in section.blocks for p in (block.text, "")]
        (docs / "reports" / f"{report.id}.md").write_text("\n".join(out), encoding="utf-8")
    (docs / "index.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("target")
    args = parser.parse_args(argv)
    make_peer(Path(args.corpus), Path(args.target))


if __name__ == "__main__":
    main()
