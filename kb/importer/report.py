"""`kb import` end to end: decode, clean, parse, propose, render, check the result with the same
code `kb check` uses, then move it into docs/reports/ in one rename (never overwriting), with the
raw text kept as provenance in sources/<report-id>.txt."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import paths
from ..errors import Problem, Problems, allowed_list
from ..markup import offences
from ..published import PUBLISHED, with_urls
from ..structure import REPORT_ID, load_reports
from ..validate import validate
from ..model import AUTHOR_KINDS
from ..vocab import Meeting, Vocabulary, load_vocabulary, named_list
from .context import Found, propose_author, propose_meeting, propose_role, propose_year
from .decode import decode
from .errors import ImporterError, fail
from .lines import Dropped, clean
from .markers import squash
from .headings import PartHeadings
from .parse import Parsed, parse
from .propose import Proposal, Proposals, propose, propose_links
from .units import NewUnit, append_unit, yaml_scalar

ITEM_PREFIX = {"problems": "p", "causes": "c", "measures": "m"}
COPY_MARKUP = ("报告只收录文字：网页复制留下的 HTML 标签（如 <br>）换成换行或删去，图片删去，链接只留文字或 https:// 网址，然后再导入 / "
               "reports hold text only: replace HTML tags left by a web copy (such as <br>) with a line break or delete them, "
               "delete images, keep links as text or https:// URLs, then import again")


@dataclass
class Options:
    unit: str
    meeting: str
    title: str
    year: int
    date: str = ""
    source: str = ""
    report_id: str = ""
    new_unit: NewUnit | None = None
    accept_structure: bool = False  # import even when the structure is doubtful (Parsed.doubts)
    author_kind: str = "group"  # or "individual", with author_role: a role id, never a name; kb import: "" = propose
    author_role: str = ""


@dataclass
class Planned:
    report_id: str
    files: dict[str, str]  # file name -> content
    parsed: Parsed
    proposals: Proposals
    dropped: list[Dropped]
    notes: list[str]
    encoding: str
    names: dict[int, str] = field(default_factory=dict)  # id(section) -> file name
    item_ids: dict[int, str] = field(default_factory=dict)  # id(block) -> item id
    units_text: str | None = None  # new data/units.yml when a unit is added
    source_text: str = ""  # the raw copy as decoded: kept in sources/<report-id>.txt
    found: dict[str, Found] = field(default_factory=dict)  # meeting, year, author proposed from the copy


def load_vocab(root: Path) -> Vocabulary:
    problems = Problems(root=root)
    vocab = load_vocabulary(root / "data", problems)
    if problems:
        raise ImporterError(problems.sorted())
    return vocab


def check_options(options: Options, vocab: Vocabulary, file: str) -> Meeting:
    meeting = vocab.meetings.get(options.meeting)
    if meeting is None:
        raise fail(file, None, "unknown-meeting", f"未知会议 “{options.meeting}”（见 data/meetings.yml）",
                   f'unknown meeting "{options.meeting}" (see data/meetings.yml)', named_list(vocab.meetings))
    if options.author_kind not in AUTHOR_KINDS:
        raise fail(file, None, "unknown-author-kind", f"--author-kind “{options.author_kind}” 不是作者类型",
                   f'--author-kind "{options.author_kind}" is not a kind of author', "group（班子）、individual（个人）")
    if options.author_kind == "individual" and options.author_role not in vocab.roles:
        raise fail(file, None, "unknown-author-role",
                   f"个人对照检查材料要用 --author-role 写出作者身份（不写姓名），“{options.author_role}” 不在 data/author_roles.yml 中",
                   f'an individual report needs --author-role, the author\'s role (never a name); "{options.author_role}" '
                   "is not in data/author_roles.yml", named_list(vocab.roles))
    if options.author_kind == "group" and options.author_role:
        raise fail(file, None, "role-without-individual", "只有个人对照检查材料（--author-kind individual）才写 --author-role",
                   "only an individual report (--author-kind individual) has an --author-role", "--author-kind individual")
    if options.new_unit is not None:
        if options.new_unit.id != options.unit:
            options.new_unit.id = options.unit
        options.new_unit.check(vocab, file)
    elif options.unit not in vocab.units:
        raise fail(file, None, "unknown-unit",
                   f"未知单位 “{options.unit}”：请先在 data/units.yml 登记，或用 --new-unit-name/--new-unit-kind/--new-unit-level 一并添加",
                   f'unknown unit "{options.unit}": register it in data/units.yml, or add it with --new-unit-name/--new-unit-kind/--new-unit-level',
                   allowed_list(vocab.units))
    if not options.title.strip():
        raise missing_title(file)
    if not 1949 <= int(options.year) <= 2100:
        raise fail(file, None, "bad-field", f"year “{options.year}” 不是有效年份", f'year "{options.year}" is not a valid year')
    if meeting.year is not None and int(options.year) != meeting.year:
        raise fail(file, None, "year-mismatch",
                   f"--year {options.year} 与会议 {meeting.id}（{meeting.name}）的年度 {meeting.year} 不一致：改正年度，或选对会议",
                   f"--year {options.year} differs from the year {meeting.year} of meeting {meeting.id}: correct the year or pick the right meeting",
                   allowed_list(m.id for m in vocab.meetings.values() if m.year == int(options.year)) or str(meeting.year))
    if options.date and not re.match(r"^\d{4}(-\d{2}){0,2}$", options.date):
        raise fail(file, None, "bad-field", f"date “{options.date}” 格式不对", f'date "{options.date}" is malformed', "YYYY-MM-DD")
    return meeting


def missing_title(file: str) -> ImporterError:
    return fail(file, None, "missing-field", "需要 --title（报告标题）：原文开头没有像标题的一行（以“对照检查材料”“发言提纲”结尾）",
                "--title (the report title) is required: the copy does not begin with a title line (ending in 对照检查材料, 发言提纲)")


def report_meta(options: Options, date: str, source: str, found: dict | None = None) -> list[str]:
    """The front matter lines of index.md before its part headings (kb import and kb new alike);
    what kb import proposed with little to go on carries a review note."""
    found = found or {}

    def note(key: str) -> str:
        return _review_note(found[key]) if key in found else ""

    meta = [f"title: {yaml_scalar(options.title)}", f"unit: {options.unit}", f"meeting: {options.meeting}{note('meeting')}",
            f"year: {int(options.year)}{note('year')}"]
    if options.author_kind != "group":
        meta += [f"author_kind: {options.author_kind}{note('author_kind')}", f"author_role: {options.author_role}{note('author_role')}"]
    elif "author_kind" in found:
        meta.append(f"author_kind: group{note('author_kind')}")
    if date:
        meta.append(f"date: {yaml_scalar(date)}")
    if source:
        meta.append(f"source: {yaml_scalar(source)}")
    return meta


def default_id(options: Options) -> str:
    unit = options.unit
    return unit if unit.startswith(f"{options.year}-") else f"{options.year}-{unit}"


def plan(root: Path, data: bytes, file: str, options: Options) -> Planned:
    """Everything `kb import` would write, computed and checked, nothing written."""
    root = Path(root)
    vocab = load_vocab(root)
    decoded = decode(data, file)
    headings = PartHeadings(vocab)
    cleaned = clean(decoded.text, options.title, lambda text: headings.whole(text) is not None)
    check_plain_text(cleaned.paragraphs, file)
    parsed = parse(cleaned.paragraphs, vocab, file)
    _check_lossless(cleaned, parsed, file)
    options = replace(options)  # what the copy says about itself fills in what the options leave out
    found = resolve_context(options, cleaned, parsed, vocab, file)
    meeting = check_options(options, vocab, file)
    report_id = options.report_id or default_id(options)
    if not REPORT_ID.match(report_id):
        raise fail(file, None, "bad-id", f"报告 id “{report_id}” 只能用小写英文字母、数字和连字符（它就是网址）",
                   f'report id "{report_id}" may only hold lowercase ASCII letters, digits and hyphens (it is the URL)',
                   "例如 / e.g. 2021-xx-county-gov-office")
    target = root / "docs" / "reports" / report_id
    if target.exists():
        raise fail(problems_path(root, target), None, "report-exists",
                   f"报告 {report_id} 已存在，不会覆盖：请用 --id 另起一个 id，或先删除旧报告",
                   f"report {report_id} already exists and is never overwritten: choose another --id or remove the old report first")
    source = source_path(root, report_id)
    if source.exists():
        raise fail(problems_path(root, source), None, "source-exists",
                   f"{problems_path(root, source)} 已存在（另一份报告的原文？），不会覆盖：请用 --id 另起一个 id，或先删除它",
                   f"{problems_path(root, source)} already exists (another report's raw text?) and is never overwritten: "
                   "choose another --id or remove it first")
    proposals = propose(parsed, vocab, meeting)
    notes = list(cleaned.notes)
    if decoded.bom:
        notes.insert(0, "去掉了 BOM / BOM removed")
    if decoded.encoding != "UTF-8":
        notes.insert(0, f"按 {decoded.encoding} 解码 / decoded as {decoded.encoding}")
    planned = Planned(report_id, {}, parsed, proposals, cleaned.dropped, notes, decoded.encoding,
                      source_text=decoded.text, found=found)
    date = options.date or cleaned.date
    planned.names = section_names(parsed)
    planned.item_ids = item_ids(parsed)
    section_ids = {key: name.removesuffix(".md") for key, name in planned.names.items()}
    proposals.links = propose_links(parsed, vocab, proposals, planned.item_ids, section_ids)
    planned.files = render(planned, options, date, vocab)
    if options.new_unit is not None:
        planned.units_text = append_unit((root / "data" / "units.yml").read_text(encoding="utf-8"), options.new_unit)
        vocab.units[options.new_unit.id] = options.new_unit.as_unit()
    _check_result(planned, vocab, file)
    return planned


def resolve_context(options: Options, cleaned, parsed: Parsed, vocab: Vocabulary, file: str) -> dict[str, Found]:
    """Meeting, year and author where the options leave them out, proposed from the copy (its title,
    preface and date; for the author, its whole text). Fills `options` in; returns what was proposed."""
    titles = [d for d in cleaned.dropped if d.en in ("title line", "repeated title")]
    title_lines = [d.text for d in titles]
    preface = [b.text for p in parsed.parts if p.id == "preface" for s in p.sections for b in s.blocks]
    head = "".join([options.title, *title_lines, *(preface or [cleaned.paragraphs[0].text])])
    found: dict[str, Found] = {}
    if not options.title.strip() and titles:  # the copy's own title line, as written
        options.title = titles[0].text
        found["title"] = Found(options.title, 0.9, f"原文第 {titles[0].number} 行 / line {titles[0].number}")
    if not options.title.strip():
        raise missing_title(file)
    if options.meeting and not options.year and options.meeting in vocab.meetings:
        options.year = vocab.meetings[options.meeting].year or 0
    if not options.year:
        year = propose_year(head, options.date or cleaned.date)
        if year is None:
            raise fail(file, None, "missing-field", "标题、导语和日期都没有写明年度：请用 --year 指定",
                       "neither the title, the preface nor a date says the year: give it with --year")
        options.year = int(year.value)
        found["year"] = year
    if not options.meeting:
        found["meeting"] = propose_meeting(head, options.year, vocab, file)
        options.meeting = found["meeting"].value
    text = "".join(p.text for p in cleaned.paragraphs)
    if not options.author_kind:
        found["author_kind"] = propose_author(head, text)
        options.author_kind = found["author_kind"].value
    if options.author_kind == "individual" and not options.author_role:
        found["author_role"] = propose_role(text, vocab.meetings.get(options.meeting), vocab.roles)
        options.author_role = found["author_role"].value
    return found


def check_plain_text(paragraphs, file: str) -> None:
    """HTML, images and non-web links in the copy (a web page's <br> left in the text) are named at
    their input line here, before they could turn up as a fault of the imported files."""
    found: dict[tuple[int, str], Problem] = {}
    for paragraph in paragraphs:
        for offset, code, zh, en in offences(paragraph.text):
            line = paragraph.line_at(offset)
            found.setdefault((line, code), Problem(file, line, code, f"第 {line} 行：{zh}", f"line {line}: {en}", COPY_MARKUP))
    if found:
        raise ImporterError([found[key] for key in sorted(found)])


def problems_path(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _check_lossless(cleaned, parsed: Parsed, file: str) -> None:
    source = squash("".join(p.text for p in cleaned.paragraphs))
    result = squash("".join(parsed.pieces()))
    if source != result:  # a bug, never the contributor's fault: refuse rather than lose text
        at = next((i for i, (a, b) in enumerate(zip(source, result)) if a != b), min(len(source), len(result)))
        raise fail(file, None, "internal-loss", f"导入器内部错误：输出与原文在第 {at} 个字符处不一致，未写入任何文件，请报告此问题",
                   f"importer bug: the output differs from the input at character {at}; nothing was written, please report this")


def section_names(parsed: Parsed) -> dict[int, str]:
    """File names in the seeds' layout: 00-preface, then part k's sections k0-…-intro, k1-…-1, …"""
    body_parts = [p for p in parsed.parts if p.id != "preface"]
    decade = all(len([s for s in p.sections if s.number]) <= 9 for p in body_parts) and len(body_parts) <= 9
    names: dict[int, str] = {}
    counter = 0
    for part in parsed.parts:
        if part.id == "preface":
            names[id(part.sections[0])] = "00-preface.md"
            continue
        index = body_parts.index(part) + 1
        for section in part.sections:
            slug = f"{part.id}-{section.number}" if section.number else f"{part.id}-intro"
            counter += 1
            prefix = f"{index}{section.number}" if decade else f"{counter:02d}"
            names[id(section)] = f"{prefix}-{slug}.md"
    return names


def item_ids(parsed: Parsed) -> dict[int, str]:
    """id(block) -> item id in the seeds' scheme: p<section>-<n> for problems, c… causes, m… measures."""
    ids = {}
    for part in parsed.parts:
        prefix = ITEM_PREFIX.get(part.id, part.id[0])
        for section in part.sections:
            for n, block in enumerate(section.items, 1):
                ids[id(block)] = f"{prefix}{section.number}-{n}"
    return ids


def render(planned: Planned, options: Options, date: str, vocab: Vocabulary) -> dict[str, str]:
    parsed, proposals = planned.parsed, planned.proposals
    files: dict[str, str] = {}
    meta = report_meta(options, date, options.source or "未注明来源（kb import 导入）", planned.found)
    headed_parts = [p for p in parsed.parts if p.heading]
    if headed_parts:
        meta.append("parts:")
        meta += [f"  {p.id}: {yaml_scalar(p.heading)}" for p in headed_parts]
    files["index.md"] = "---\n" + "\n".join(meta) + "\n---\n"
    for part in parsed.parts:
        for section in part.sections:
            front = [f"part: {part.id}"]
            theme = proposals.themes.get(id(section))
            review, link_review = [], []
            if theme is not None:
                front.append(f"theme: {theme.ids[0]}" + _review_note(theme))
            aspects = proposals.aspects.get(id(section))
            if aspects is not None:
                front.append(f"aspects: [{', '.join(aspects.ids)}]" + _review_note(aspects))
            lines = []
            if section.heading:
                lines.append(f"# {section.heading}")
            for block in section.blocks:
                if block.item:
                    item_id = planned.item_ids[id(block)]
                    proposal = proposals.types.get(id(block)) or Proposal([], 0.0)
                    link = proposals.links.get(id(block))
                    measures = f' measures="{" ".join(link.ids)}"' if link is not None and link.ids else ""
                    lines.append(f'{block.text}\n{{: #{item_id} types="{" ".join(proposal.ids)}"{measures} }}')
                    if proposal.low:
                        review.append(f"#   {item_id}: {' '.join(proposal.ids)}（置信度 {proposal.confidence:.2f}）")
                    if link is not None and link.low:
                        link_review.append(f"#   {item_id}: {' '.join(link.ids) or '（无 / none）'}（置信度 {link.confidence:.2f}）")
                else:
                    lines.append(block.text)
            if review:
                front.append("# kb import 建议的类型置信度低，请核对后删去这些注释 / low-confidence proposed types: review, then delete these comments")
                front += review
            if link_review:
                front.append("# kb import 建议的对应措施 measures 置信度低，请核对后删去这些注释 / "
                             "low-confidence proposed measures: review, then delete these comments")
                front += link_review
            files[planned.names[id(section)]] = "---\n" + "\n".join(front) + "\n---\n" + "\n\n".join(lines) + "\n"
    return files


def _review_note(proposal: Proposal | Found) -> str:
    return f"  # kb import 建议，置信度 {proposal.confidence:.2f}，请核对 / proposed, review" if proposal.low else ""


def _check_result(planned: Planned, vocab: Vocabulary, file: str) -> None:
    """The files as `kb check` will read them: any problem here is the importer's, so refuse."""
    with tempfile.TemporaryDirectory(prefix="kb-import-check-") as tmp:
        folder = Path(tmp) / "reports" / planned.report_id
        folder.mkdir(parents=True)
        for name, content in planned.files.items():
            (folder / name).write_text(content, encoding="utf-8")
        problems = Problems(root=Path(tmp))
        reports = load_reports(Path(tmp), problems)
        validate(vocab, reports, problems)
        if problems:
            raise ImporterError([Problem(file, None, "internal-invalid",
                                         f"导入结果未通过检查（未写入任何文件）：{p.zh}", f"the imported report fails the check (nothing written): {p.en}",
                                         p.location()) for p in problems.sorted()])


def source_path(root: Path, report_id: str) -> Path:
    return Path(root) / "sources" / f"{report_id}.txt"


def write(root: Path, planned: Planned) -> Path:
    """The report, its raw text, its URLs in data/published-urls.txt and a new unit, all or nothing."""
    extra = {source_path(root, planned.report_id): planned.source_text}
    if planned.units_text is not None:
        extra[Path(root) / "data" / "units.yml"] = planned.units_text
    published = Path(root) / PUBLISHED
    folder = f"reports/{planned.report_id}"
    urls = [paths.url_of(f"{folder}/{name}") for name in ["index.md", *sorted(n for n in planned.files if n != "index.md")]]
    extra[published], _ = with_urls(published.read_text(encoding="utf-8") if published.exists() else None, urls)
    return write_files(root, planned.report_id, planned.files, extra)


def write_files(root: Path, report_id: str, files: dict[str, str], extra: dict[Path, str]) -> Path:
    """All or nothing: every file is staged first; the report folder then appears complete in one
    rename and each other file (data/units.yml, sources/…) is swapped in whole; if any step fails,
    what was already moved is put back as it was."""
    reports = Path(root) / "docs" / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    target = reports / report_id
    staging = Path(tempfile.mkdtemp(prefix=".kb-import-", dir=reports))  # dot folders are ignored by the build
    staged: list[tuple[Path, Path, str | None]] = []  # (temp file, destination, previous content)
    done: list[tuple[Path, Path, str | None]] = []
    moved = False
    try:
        folder = staging / report_id
        folder.mkdir()
        for name, content in files.items():
            (folder / name).write_text(content, encoding="utf-8")
        for destination, content in extra.items():
            destination.parent.mkdir(parents=True, exist_ok=True)
            temp = destination.with_name(f".{destination.name}.kb-import")
            temp.write_text(content, encoding="utf-8")
            previous = destination.read_text(encoding="utf-8") if destination.exists() else None
            staged.append((temp, destination, previous))
        if target.exists():
            raise fail(problems_path(Path(root), target), None, "report-exists", f"报告 {report_id} 已存在，不会覆盖",
                       f"report {report_id} already exists and is never overwritten")
        os.rename(folder, target)
        moved = True
        for entry in staged:
            os.replace(entry[0], entry[1])
            done.append(entry)
    except BaseException:
        for _temp, destination, previous in reversed(done):
            if previous is None:
                destination.unlink(missing_ok=True)
            else:
                destination.write_text(previous, encoding="utf-8")
        if moved:
            shutil.rmtree(target, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        for temp, _destination, _previous in staged:
            temp.unlink(missing_ok=True)
    return target
