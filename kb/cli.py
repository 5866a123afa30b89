"""Command line: `kb check`, `kb import`, `kb new`, `kb list`, `kb export`. The same package the build
uses, so a contributor sees exactly the errors CI and `mkdocs build --strict` would show."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .importer.cli import register  # `kb import`, `kb new`, `kb urls`
from .knowledge import load, load_or_raise
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


def cmd_similar(args) -> int:
    """Exit 1 when passages are found (a draft or report), or, with --added, when an added report
    is a near-duplicate of another; 0 otherwise; 2 on bad input."""
    from .errors import KnowledgeBaseError
    from .similarity import DUPLICATE_SHARE, Similarity
    from .similarity.draft import added_reports, draft_records, duplicates, format_records

    root = Path(args.root).resolve() if args.root else find_root()
    try:
        kb = load_or_raise(root)
    except KnowledgeBaseError as exc:
        print(exc, file=sys.stderr)
        return 2
    similarity = Similarity(kb)
    reports = kb.reports_by_id
    if args.added is not None:
        try:
            added = added_reports(root, args.added)
        except RuntimeError as exc:
            print(exc, file=sys.stderr)
            return 2
        failed = False
        for report_id in added:
            if report_id not in reports:
                continue
            records = similarity.of(reports[report_id])
            print(format_records(kb, f"新报告 / new report {report_id}", records, reports[report_id]))
            for record in duplicates(records):
                failed = True
                print(f"::error::重复提交：新报告 {report_id} 有 {record['share'] * 100:.1f}% 的文字与已有报告 "
                      f"{record['report']} 相同（上限 {DUPLICATE_SHARE:.0%}）/ duplicate submission: "
                      f"{record['share'] * 100:.1f}% of new report {report_id} stands in {record['report']}")
        if not added:
            print(f"没有新增的报告 / no report added since {args.added}")
        return 1 if failed else 0
    if not args.target:
        print("请给出草稿文件或报告 id / give a draft file or a report id", file=sys.stderr)
        return 2
    if args.target in reports:
        report = reports[args.target]
        records = similarity.of(report)
        print(format_records(kb, f"报告 / report {report.id}", records, report))
    else:
        path = Path(args.target)
        try:
            text = sys.stdin.read() if args.target == "-" else path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"无法读取草稿 {args.target}：不是报告 id，也不是可读的 UTF-8 文本文件（{exc}）/ "
                  f"cannot read draft {args.target}: neither a report id nor a readable UTF-8 text file", file=sys.stderr)
            return 2
        records = draft_records(similarity, text)
        print(format_records(kb, f"草稿 / draft {args.target}", records))
    return 1 if records else 0


def cmd_links(args) -> int:
    """整改对账: kb import's proposed links against the links set in the reports (those with a source)."""
    from .errors import KnowledgeBaseError
    from .importer.agreement import Agreement, agreements
    from .importer.errors import ImporterError

    root = Path(args.root).resolve() if args.root else find_root()
    try:
        results = agreements(root, load_or_raise(root))
    except (KnowledgeBaseError, ImporterError) as exc:
        print(exc, file=sys.stderr)
        return 2
    total = Agreement("合计 / all")
    for result in results:
        print(result.format())
        total.add(result)
    print(total.format())
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
    similar = sub.add_parser("similar", help="查重：草稿或报告与全库相同的段落 / passages shared with the corpus")
    similar.add_argument("target", nargs="?", help="草稿文本文件（- 为标准输入）或报告 id / a draft text file (- for stdin) or a report id")
    similar.add_argument("--added", metavar="BASE", help="检查自 git 版本 BASE 以来新增的报告（CI）/ check the reports added since git revision BASE (CI)")
    similar.set_defaults(func=cmd_similar)
    links = sub.add_parser("links", help="整改对账：kb import 建议的“问题→措施”对应与报告中写定的对应比较 / "
                                          "agreement of kb import's proposed problem→measure links with the links set in the reports")
    links.set_defaults(func=cmd_links)
    register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
