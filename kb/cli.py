"""Command line: `kb check`, `kb import`, `kb new`, `kb list`, `kb export`. The same package the build
uses, so a contributor sees exactly the errors CI and `mkdocs build --strict` would show."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .importer.cli import register  # `kb import`, `kb new`, `kb urls`
from .knowledge import load
from .project import find_root


def cmd_check(args) -> int:
    root = Path(args.root).resolve() if args.root else find_root()
    kb, problems = load(root)
    if problems:
        for problem in problems.sorted():
            print(problem.github_annotation() if args.github else problem.format())
        print(f"\n共 {len(problems)} 处错误，请逐条修改后再运行 kb check / {len(problems)} problem(s): fix them and run kb check again",
              file=sys.stderr)
        return 1
    print(f"检查通过 / check passed: {len(kb.reports)} 份报告 reports, {kb.section_count} 节 sections, "
          f"{kb.item_count} 个条目 items")
    return 0


def cmd_list(args) -> int:
    """The values a contributor may choose, by name: meetings with their themes and aspects, aspects, roles."""
    from .errors import Problems
    from .vocab import load_vocabulary

    root = Path(args.root).resolve() if args.root else find_root()
    problems = Problems(root=root)
    vocab = load_vocabulary(root / "data", problems)
    for problem in problems.sorted():
        print(problem.format(), file=sys.stderr)
    if args.what == "meetings":
        for meeting in vocab.meetings.values():
            mark = "" if meeting.confirmed else "  （主题表述待核对 / wording unconfirmed）"
            print(f"{meeting.id}  {meeting.name}  [{meeting.kind}, {meeting.year}]{mark}")
            for theme in meeting.themes:
                aspects = "、".join(vocab.aspects[a].name for a in theme.aspects if a in vocab.aspects)
                print(f"    {theme.id}  （{theme.number}）{theme.label}  → {aspects}")
            if not meeting.themes:
                print("    （无固定主题：问题章节写 aspects / no fixed themes: problems sections list aspects）")
    else:
        terms = vocab.aspects if args.what == "aspects" else vocab.roles
        for term in terms.values():
            print(f"{term.id}  {term.name}" + (f"  — {term.description}" if term.description else ""))
    return 1 if problems else 0


def cmd_export(args) -> int:
    from .build import SiteBuild
    from .errors import KnowledgeBaseError

    root = Path(args.root).resolve() if args.root else find_root()
    try:
        count = SiteBuild(root).export_markdown(Path(args.out))
    except KnowledgeBaseError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"wrote {count} files to {args.out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kb", description="对照检查材料知识库工具 / knowledge base tools")
    parser.add_argument("--root", help="项目根目录（默认自动查找）/ project root (found automatically)")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="检查全部报告与词表 / check every report and vocabulary")
    check.add_argument("--github", action="store_true", help="输出 GitHub Actions 错误注释 / print GitHub annotations")
    check.set_defaults(func=cmd_check)
    listing = sub.add_parser("list", help="列出可选的会议（含主题和方面）、方面、作者身份 / list meetings, aspects or roles by name")
    listing.add_argument("what", choices=["meetings", "aspects", "roles"])
    listing.set_defaults(func=cmd_list)
    export = sub.add_parser("export", help="导出渲染后的全部 Markdown 页面 / write every page's final Markdown")
    export.add_argument("out", help="输出目录 / output folder")
    export.set_defaults(func=cmd_export)
    register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
