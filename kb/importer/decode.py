"""Bytes of a raw copy to text: UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030 as
Chinese Windows tools save it. Binary files and empty files are refused with a clear message."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import fail

_CJK = range(0x4E00, 0xA000)


@dataclass
class Decoded:
    text: str
    encoding: str  # what was detected, shown to the contributor
    bom: bool


def _looks_like_text(text: str) -> bool:
    """Few control characters, and Chinese where there are letters at all."""
    if not text:
        return True
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f\v")
    return control <= max(2, len(text) // 1000)


def _cjk_share(text: str) -> float:
    letters = [ch for ch in text if not ch.isspace() and not ch.isascii()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if ord(ch) in _CJK) / len(letters)


def decode(data: bytes, file: str) -> Decoded:
    if not data.strip():
        raise fail(file, None, "empty-input", "输入文件是空的（没有任何文字）", "the input file is empty (no text at all)")
    for bom, name in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(name), "UTF-16", True)
            except UnicodeDecodeError:
                break
    if b"\x00" in data:
        raise fail(file, None, "binary-input",
                   "输入文件是二进制文件（含 NUL 字节），不是纯文本：Word/PDF 请先另存为或复制成 .txt 纯文本",
                   "the input is a binary file (holds NUL bytes), not plain text: save Word/PDF documents as .txt first")
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    try:
        text = body.decode("utf-8")
        encoding = "UTF-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
        try:
            text = body.decode("gb18030")
            encoding = "GBK/GB18030"
        except UnicodeDecodeError:
            raise fail(file, _line_of(body, utf8_error.start), "bad-encoding",
                       f"无法识别文件编码：既不是 UTF-8 也不是 GBK（第 {utf8_error.start} 字节处出错）。请用编辑器另存为 UTF-8",
                       f"unknown text encoding: neither UTF-8 nor GBK (error at byte {utf8_error.start}); save the file as UTF-8") from None
        if _cjk_share(text) < 0.5:
            raise fail(file, _line_of(body, utf8_error.start), "bad-encoding",
                       f"文件不是 UTF-8（第 {utf8_error.start} 字节处无法解码），按 GBK 解码也不像中文。请用编辑器另存为 UTF-8",
                       f"the file is not UTF-8 (undecodable byte at offset {utf8_error.start}) and does not read as Chinese in GBK either; save it as UTF-8")
    if not _looks_like_text(text):
        raise fail(file, None, "binary-input", "输入文件含大量控制字符，不像纯文本；请先转换为 .txt 纯文本",
                   "the input holds many control characters and does not look like plain text; convert it to .txt first")
    if text.startswith("\ufeff"):  # a BOM left after decoding (e.g. a doubly saved file)
        text, bom = text[1:], True
    if not text.strip(" \t\r\n\u3000\u00a0\ufeff"):  # full-width spaces only
        raise fail(file, None, "empty-input", "输入文件是空的（只有空白）", "the input file is empty (whitespace only)")
    return Decoded(text, encoding, bom)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1
