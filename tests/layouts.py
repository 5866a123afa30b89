"""Copy damage, applied to the seed texts the way real copies come: each function takes the seed's
text and returns the damaged text plus the lines that are noise (what `kb import` must drop)."""

from __future__ import annotations

import re
import unicodedata

from kb.importer.markers import marker_at

NOISE_FOOTER = "- {n} -"
CHROME = "发布时间：2022-01-12 09:30　来源：某某网　浏览量：2345"


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def hard_wrap(text: str, width: int = 60, indent: str = "　　") -> str:
    """A PDF's lines: every paragraph indented, then cut at a fixed visual width (~30 汉字)."""
    out = []
    for para in paragraphs(text):
        line, used = indent, sum(_width(c) for c in indent)
        for ch in para:
            if used + _width(ch) > width:
                out.append(line)
                line, used = "", 0
            line += ch
            used += _width(ch)
        out.append(line)
    return "\n".join(out) + "\n"


def with_footers(text: str, every: int = 17) -> tuple[str, list[str]]:
    lines = text.splitlines()
    out, noise = [], []
    for index, line in enumerate(lines, 1):
        out.append(line)
        if index % every == 0:
            footer = NOISE_FOOTER.format(n=index // every)
            out += ["", footer, ""]
            noise.append(footer)
    return "\n".join(out) + "\n", noise


def page_break_mid_paragraph(text: str) -> tuple[str, list[str]]:
    """Unwrapped copy where a page footer cuts two long paragraphs in half."""
    lines = paragraphs(text)
    noise = []
    cut = 0
    for index, line in enumerate(lines):
        if len(line) < 200 or cut >= 2:
            continue
        pos = len(line) // 2
        while pos < len(line) and (line[pos - 1] in "。，、；：“”,（）" or marker_at(line, pos) is not None):
            pos += 1
        cut += 1
        footer = f"第 {cut} 页 共 9 页"
        lines[index] = line[:pos] + f"\n\n{footer}\n\n" + line[pos:]
        noise.append(footer)
    return "\n".join(lines) + "\n", noise


def title_chrome_toc_signature(text: str, title: str) -> tuple[str, list[str]]:
    heads = [p for p in paragraphs(text) if re.match(r"^[一二三四五六七八九十]、", p)]
    top = [title, CHROME, "", "目  录"] + [f"{h}…………{n}" for n, h in enumerate(heads, 2)] + [""]
    bottom = ["", "xx县人民政府办公室领导班子", "2022年1月10日"]
    noise = [title, CHROME, "目  录"] + [f"{h}…………{n}" for n, h in enumerate(heads, 2)] + bottom[1:]
    return "\n".join(top) + "\n" + text + "\n".join(bottom) + "\n", noise


def toc_without_leaders(text: str) -> tuple[str, list[str]]:
    heads = [p for p in paragraphs(text) if re.match(r"^[一二三四五六七八九十]、", p)]
    return "目录\n" + "\n".join(heads) + "\n\n" + text, ["目录"] + heads


def bom_crlf_indent(text: str) -> str:
    return "\ufeff" + "\r\n".join("　　" + p for p in paragraphs(text)) + "\r\n"


def single_line(text: str) -> str:
    return "".join(paragraphs(text))


def items_per_paragraph(text: str) -> str:
    """一是…二是… each on its own line instead of running on."""
    return re.sub(r"(?<=[。：；])(?=[一二三四五六七八九十]是)", "\n", text)


def headings_own_line(text: str) -> str:
    """A heading sentence run into its body ("（一）理性信念改造不彻底。习总书记…") put on its own line."""
    return re.sub(r"^((?:（[一二三四五六七八九十]+）|[0-9]+、)[^。\n]*。)(?=\S)", r"\1\n", text, flags=re.M)
