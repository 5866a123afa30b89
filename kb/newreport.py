"""`kb new`: an empty report skeleton to fill by hand. It is valid wherever nothing is left to fill,
so `kb check` fails exactly at the places the contributor still has to write: every section with a
heading needs its items (`no-items`), the report needs its `source` (`missing-field`), and for a
meeting without a fixed theme set the problems section needs its aspects (`missing-aspects`)."""

from __future__ import annotations

from pathlib import Path

from .importer.errors import fail
from .importer.report import Options, check_options, default_id, load_vocab, report_meta, write_files
from .importer.units import append_unit
from .vocab import named_list
from .structure import REPORT_ID
from .text import chinese_number

PART_HEADINGS = {"problems": "一、存在的问题", "causes": "二、产生问题的原因", "measures": "三、整改措施"}


def _aspect_heading(theme_name: str) -> str:
    """Reports head each problems section "（一）<theme>方面"; a theme already worded so keeps one 方面."""
    return theme_name if theme_name.endswith("方面") else f"{theme_name}方面"


def skeleton_files(options: Options, meeting, aspects: dict) -> dict[str, str]:
    meta = report_meta(options, options.date, options.source)
    if not options.source:
        meta.append('source: ""  # 待填写：原文网址或出处 / to fill: where the text comes from')
    meta.append("# 部分标题请改成原文的写法 / write the part headings as the report words them")
    meta.append("parts:")
    meta += [f"  {part}: {heading}" for part, heading in PART_HEADINGS.items()]
    files = {"index.md": "---\n" + "\n".join(meta) + "\n---\n"}
    hint = ("# 待填写：标题改成原文的写法；每条{what}一段，段落的下一行写 {{: #{prefix}{n}-1 types=\"类型id\" }}（类型见 data/{vocab}.yml）\n"
            "# to fill: the heading as written; one paragraph per {en}, followed on the next line by its marker\n")
    for n, theme in enumerate(meeting.themes, 1):
        files[f"1{n}-problems-{n}.md"] = (
            f"---\npart: problems\ntheme: {theme.id}\n"
            + hint.format(what="问题", prefix="p", n=n, vocab="problem_types", en="problem")
            + f"---\n# （{chinese_number(n)}）{_aspect_heading(theme.name)}\n")
    if not meeting.themes:  # no fixed theme set: one section to copy per heading, naming its aspects
        files["11-problems-1.md"] = (
            "---\npart: problems\naspects: []\n"
            + f"# 待填写：aspects 写本节检视的方面，可写多个 / to fill: the aspects this section examines: {named_list(aspects)}\n"
            + hint.format(what="问题", prefix="p", n=1, vocab="problem_types", en="problem")
            + "---\n# （一）\n")
    files["21-causes-1.md"] = ("---\npart: causes\n" + hint.format(what="原因", prefix="c", n=1, vocab="cause_types", en="cause")
                               + "---\n# （一）\n")
    files["31-measures-1.md"] = ("---\npart: measures\n" + hint.format(what="措施", prefix="m", n=1, vocab="measure_types", en="measure")
                                 + "---\n# （一）\n")
    return files


def skeleton(root: Path, options: Options) -> tuple[Path, list[str]]:
    root = Path(root)
    vocab = load_vocab(root)
    meeting = check_options(options, vocab, "kb new")
    report_id = options.report_id or default_id(options)
    if not REPORT_ID.match(report_id):
        raise fail("kb new", None, "bad-id", f"报告 id “{report_id}” 只能用小写英文字母、数字和连字符",
                   f'report id "{report_id}" may only hold lowercase ASCII letters, digits and hyphens')
    if (root / "docs" / "reports" / report_id).exists():
        raise fail(f"docs/reports/{report_id}", None, "report-exists", f"报告 {report_id} 已存在，不会覆盖：请用 --id 另起一个 id",
                   f"report {report_id} already exists and is never overwritten: choose another --id")
    files = skeleton_files(options, meeting, vocab.aspects)
    extra = {}
    if options.new_unit is not None:
        units = root / "data" / "units.yml"
        extra[units] = append_unit(units.read_text(encoding="utf-8"), options.new_unit)
    target = write_files(root, report_id, files, extra)
    return target, sorted(files)
