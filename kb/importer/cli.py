"""`kb import`, `kb new` and `kb urls`: registered on kb's command line by kb/cli.py."""

from __future__ import annotations

import sys
from pathlib import Path

from ..project import find_root
from ..text import item_title
from .errors import ImporterError
from .report import Options, Planned, plan, write
from .units import NewUnit


def _root(args) -> Path:
    return Path(args.root).resolve() if args.root else find_root()


def _add_report_options(parser, proposed: bool = False) -> None:
    """`proposed`: meeting, year and author may be left out, to be proposed from the copy (kb import)."""
    parser.add_argument("--unit", required=True, help="单位 id（data/units.yml）/ unit id")
    later = "（不写时从原文的标题、导语和日期推断）/ proposed from the copy when left out" if proposed else ""
    parser.add_argument("--meeting", required=not proposed, default="",
                        help=f"会议 id（data/meetings.yml；kb list meetings 列出全部会议及其主题）/ meeting id (kb list meetings){later}")
    parser.add_argument("--title", required=not proposed, default="",
                        help=f"报告标题 / report title{'（不写时用原文的标题行）/ the copy’s title line when left out' if proposed else ''}")
    parser.add_argument("--year", required=not proposed, type=int, default=0, help=f"年度 / year{later}")
    parser.add_argument("--date", default="", help="日期 YYYY-MM-DD（可选）/ date (optional)")
    parser.add_argument("--source", default="", help="来源（网址或出处）/ where the text comes from")
    parser.add_argument("--author-kind", choices=["group", "individual"], default="" if proposed else "group",
                        help="作者：group 班子（或支委会）集体，individual 个人" + ("（不写时从原文推断）" if proposed else "（默认 group）")
                        + " / a 班子 as a whole or one member" + (", proposed from the copy when left out" if proposed else " (default group)"))
    parser.add_argument("--author-role", default="",
                        help="个人材料作者的身份 id，不写姓名（kb list roles）/ an individual author's role id, never a name")
    parser.add_argument("--id", dest="report_id", default="", help="报告 id（默认 <年度>-<单位id>）/ report id (default <year>-<unit>)")
    parser.add_argument("--new-unit-name", help="新单位全称：与下面两项一起把 --unit 登记进 data/units.yml / full name of a new unit")
    parser.add_argument("--new-unit-kind", help="新单位类型 id / kind id of the new unit")
    parser.add_argument("--new-unit-level", help="新单位层级 id / level id of the new unit")
    parser.add_argument("--new-unit-region", default="", help="新单位所在地区（可选）/ region (optional)")
    parser.add_argument("--new-unit-short", default="", help="新单位简称（可选）/ short name (optional)")


def _options(args) -> Options:
    new_unit = None
    if args.new_unit_name or args.new_unit_kind or args.new_unit_level:
        new_unit = NewUnit(id=args.unit, name=args.new_unit_name or "", kind=args.new_unit_kind or "",
                           level=args.new_unit_level or "", region=args.new_unit_region, short=args.new_unit_short)
    return Options(unit=args.unit, meeting=args.meeting, title=args.title, year=args.year, date=args.date,
                   source=args.source, report_id=args.report_id, new_unit=new_unit, author_kind=args.author_kind,
                   author_role=args.author_role, accept_structure=getattr(args, "accept_structure", False))


def _fail(exc: ImporterError) -> int:
    for problem in exc.problems:
        print(problem.format(), file=sys.stderr)
    print("未写入任何文件 / nothing was written", file=sys.stderr)
    return 1


def describe(planned: Planned) -> str:
    """What the import found and proposes; ⚠ marks what the contributor must review."""
    out = []
    if planned.notes:
        out.append("处理 / fixed: " + "；".join(planned.notes))
    if planned.dropped:
        out.append(f"丢弃 {len(planned.dropped)} 行（不是报告正文）/ dropped {len(planned.dropped)} line(s) (not report text):")
        for line in planned.dropped:
            out.append(f"  第 {line.number} 行 line {line.number} [{line.zh} / {line.en}] {line.text[:60]}")
    else:
        out.append("丢弃 0 行 / dropped no lines")
    low = 0
    labels = {"title": "标题 title", "year": "年度 year", "meeting": "会议 meeting", "author_kind": "作者 author", "author_role": "身份 role"}
    for key, found in planned.found.items():
        mark = " ⚠ 请核对 / review" if found.low else ""
        out.append(f"推断 / proposed {labels[key]}: {found.value} （置信度 confidence {found.confidence:.2f}；依据 from {found.why}）{mark}")
        low += found.low
    out.append(f"结构 / structure of {planned.report_id}:")
    for part in planned.parsed.parts:
        out.append(f"  [{part.id}] {part.heading or ''}")
        for section in part.sections:
            name = planned.names.get(id(section), "?")
            line = f"    {name}  {(section.heading or '（无标题 / no heading）')[:40]}"
            for label, proposal in (("主题 theme", planned.proposals.themes.get(id(section))),
                                    ("方面 aspects", planned.proposals.aspects.get(id(section)))):
                if proposal is not None:
                    line += f"\n      {label}: {' '.join(proposal.ids)} （置信度 confidence {proposal.confidence:.2f}）"
                    if proposal.low:
                        line += " ⚠ 请核对 / review"
                        low += 1
            out.append(line)
            for block in section.blocks:
                if not block.item:
                    out.append(f"      · 段落 paragraph (line {block.line}) {block.text[:24]}…")
                    continue
                item_id = planned.item_ids.get(id(block), "?")
                proposal = planned.proposals.types.get(id(block))
                types = " ".join(proposal.ids) if proposal else ""
                mark = ""
                if proposal is not None and proposal.low:
                    mark = " ⚠ 请核对 / review"
                    low += 1
                confidence = f"{proposal.confidence:.2f}" if proposal else "-"
                why = f"\n        依据 matched: {proposal.why}" if proposal is not None and proposal.why else ""
                out.append(f"      {item_id} (line {block.line}) {item_title(block.text, section.heading)[:24]}\n"
                           f"        类型 types: {types} （置信度 confidence {confidence}）{mark}{why}")
                link = planned.proposals.links.get(id(block))
                if link is not None:
                    link_mark = " ⚠ 请核对 / review" if link.low else ""
                    low += link.low
                    out.append(f"        对应措施 measures: {' '.join(link.ids) or '（无 / none）'} "
                               f"（置信度 confidence {link.confidence:.2f}）{link_mark}\n        依据 matched: {link.why}")
    out.append(f"需要核对的建议 / proposals to review: {low}（⚠）")

    return "\n".join(out)


def cmd_import(args) -> int:
    root = _root(args)
    try:
        if args.input == "-":
            data, label = sys.stdin.buffer.read(), "<stdin>"
        else:
            path = Path(args.input)
            if not path.is_file():
                print(f"{args.input}: [missing-input] 找不到输入文件 / input file not found", file=sys.stderr)
                return 1
            data, label = path.read_bytes(), args.input
        planned = plan(root, data, label, _options(args))
    except ImporterError as exc:
        return _fail(exc)
    print(describe(planned))
    if planned.parsed.doubts:
        if not args.accept_structure:
            return _fail(ImporterError(planned.parsed.doubts))
        for doubt in planned.parsed.doubts:  # accepted as found: still said, for the review
            print(f"⚠ 结构存疑，照此导入（--accept-structure）/ doubtful structure, imported as found: {doubt.format()}")
    if args.dry_run:
        print("--dry-run：未写入任何文件 / nothing written")
        return 0
    try:
        target = write(root, planned)
    except ImporterError as exc:
        return _fail(exc)
    print(f"已写入 / wrote {target.relative_to(root).as_posix()}/ ({len(planned.files)} 个文件 files)，"
          f"原文存为 / raw text kept as sources/{planned.report_id}.txt"
          + ("，并在 data/units.yml 登记了新单位 / and registered the new unit in data/units.yml" if planned.units_text else ""))
    print("下一步 / next: 核对 ⚠ 标出的建议，然后运行 kb check 和 mkdocs build --strict / review ⚠ proposals, then run kb check and mkdocs build --strict")
    return 0


def cmd_new(args) -> int:
    from ..newreport import skeleton

    root = _root(args)
    try:
        target, files = skeleton(root, _options(args))
    except ImporterError as exc:
        return _fail(exc)
    print(f"已写入骨架 / wrote skeleton {target.relative_to(root).as_posix()}/: {', '.join(files)}")
    print("kb check 会指出每处还需填写的地方 / kb check names every place still to fill")
    return 0


def cmd_urls(args) -> int:
    from ..errors import KnowledgeBaseError
    from ..knowledge import load_or_raise
    from ..redirects import update_published_urls

    root = _root(args)
    try:
        reports = load_or_raise(root).reports
    except KnowledgeBaseError as exc:  # URLs are only recorded for a knowledge base that passes kb check
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        print("请先改正上面的错误（kb check）/ fix the problems above first (kb check)", file=sys.stderr)
        return 1
    added, path = update_published_urls(root, reports, check_only=args.check)
    if args.check:
        if added:
            print("\n".join(f"未登记 / unlisted: {url}" for url in added))
            print(f"{path} 缺少 {len(added)} 个已有网址：运行 kb urls 更新 / {len(added)} current URL(s) missing: run kb urls", file=sys.stderr)
            return 1
        print(f"{path} 已包含全部当前网址 / lists every current URL")
        return 0
    print(f"{path}: 新增 {len(added)} 个网址 / added {len(added)} URL(s)")
    return 0


def register(sub) -> None:
    imp = sub.add_parser("import", help="把一份原始文本导入为报告 / import a raw report text")
    imp.add_argument("input", help="原始文本文件（- 表示标准输入）/ raw text file (- for stdin)")
    _add_report_options(imp, proposed=True)
    imp.add_argument("--dry-run", action="store_true", help="只显示识别结果，不写文件 / show what was found, write nothing")
    imp.add_argument("--accept-structure", action="store_true",
                     help="结构存疑（没有问题部分、导语里有编号内容）时仍照识别结果导入 / import even when the structure found is doubtful")
    imp.set_defaults(func=cmd_import)
    new = sub.add_parser("new", help="写一份待手工填写的空报告骨架 / write an empty report skeleton to fill by hand")
    _add_report_options(new)
    new.set_defaults(func=cmd_new)
    urls = sub.add_parser("urls", help="把当前报告和章节网址追加到 data/published-urls.txt / record published URLs")
    urls.add_argument("--check", action="store_true", help="只检查是否都已登记 / only check that every URL is listed")
    urls.set_defaults(func=cmd_urls)
