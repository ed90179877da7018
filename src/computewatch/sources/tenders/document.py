"""A notice file as text: decoded (UTF-8, GB18030/GBK, Big5...), HTML and PDF flattened.

`read_document` never guesses silently: a file it cannot read raises
`NoticeFileError` with the reason (empty, too large, binary, damaged PDF, no text).
"""

from __future__ import annotations

import re
from pathlib import Path

from computewatch.sources.inputfiles import TextEncoding, guess_legacy_encoding, utf16_without_bom
from computewatch.sources.tenders.html import html_document
from computewatch.sources.tenders.pdf import pdf_document
from computewatch.sources.tenders.text import Document, NoticeFileError, normalise_text

SUFFIXES = (".html", ".htm", ".txt", ".pdf")
DEFAULT_MAX_BYTES = 20 * 2**20

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_\-]+)""", re.I)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "x-gbk", "euc-cn", "hz-gb-2312"}
_BIG5_FAMILY = {"big5", "big5-hkscs", "cp950", "x-big5"}


def _canonical_encoding(name: str) -> str:
    name = name.lower().replace("_", "-")
    if name in _GB_FAMILY:
        return "gb18030"  # superset of GB2312 and GBK
    if name in _BIG5_FAMILY:
        return "big5hkscs"  # superset of Big5
    return name


_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32)])


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or utf16_without_bom(head):
        return False  # UTF-16, with or without a byte-order mark
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > len(head) // 20


def decode_text(data: bytes, path: Path, is_html: bool, warnings: list[str] | None = None) -> tuple[str, str]:
    """Decode bytes as UTF-8, else a declared HTML charset, else the legacy encoding the bytes make
    unambiguous (sources/inputfiles.py), else a best guess, said in `warnings`."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    utf16 = utf16_without_bom(data)
    if utf16 is not None:
        return data.decode(utf16.codec, errors="replace"), utf16.codec
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if is_html:
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            encoding = _canonical_encoding(declared.group(1).decode("ascii"))
            try:
                return data.decode(encoding), encoding
            except (LookupError, UnicodeDecodeError):
                pass
    found = guess_legacy_encoding(data)  # the decoder every input file goes through
    if isinstance(found, TextEncoding):
        return data.decode(found.codec), found.codec
    guessed = _guess_han_encoding(data)  # a notice is read to the end: lenient last resorts, said
    if guessed is not None:
        if warnings is not None:
            warnings.append(f"the text encoding is not certain ({found}); read as {guessed[1]}")
        return guessed
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 2**20]).best()
    if best is None:
        raise NoticeFileError(path, "cannot detect the text encoding (binary content?)")
    encoding = _canonical_encoding(best.encoding)
    if warnings is not None:
        warnings.append(f"the text encoding is not certain ({found}); read as {encoding}")
    return data.decode(encoding, errors="replace"), encoding


# Characters frequent in notices; Big5 bytes often decode as GB18030 too, into rare characters.
_COMMON = frozenset("的一是在了有和人中大公司年月日元号第及与或为对于项目采购招标供应商金额单位名称地址联系电话"
                    "項目採購招標供應商金額單位名稱地址聯繫電話與為對於號")


def _guess_han_encoding(data: bytes) -> tuple[str, str] | None:
    """GB18030 or Big5-HKSCS, whichever decodes strictly into more common characters."""
    best: tuple[int, str, str] | None = None
    for encoding in ("gb18030", "big5hkscs"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = sum(1 for ch in text[:20000] if ch in _COMMON)
        if best is None or score > best[0]:
            best = (score, text, encoding)
    return None if best is None else (best[1], best[2])


def read_document(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one notice file; raises NoticeFileError for a file that cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise NoticeFileError(path, f"not a notice file type ({', '.join(SUFFIXES)})")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise NoticeFileError(path, f"file is {size / 2**20:.1f} MB, over the {max_bytes / 2**20:.0f} MB limit")
        data = path.read_bytes()
    except OSError as exc:
        raise NoticeFileError(path, f"cannot read the file: {exc.strerror or exc}") from exc
    if not data.strip():
        raise NoticeFileError(path, "empty file")
    if suffix == ".pdf" or data.startswith(b"%PDF-"):
        return pdf_document(path, data)
    if looks_binary(data):
        raise NoticeFileError(path, "binary content, not a text or HTML notice")
    is_html = suffix in (".html", ".htm") or data.lstrip()[:15].lower().startswith((b"<!doctype", b"<html"))
    warnings: list[str] = []
    text, encoding = decode_text(data, path, is_html, warnings)
    if is_html:
        doc = html_document(path, text, encoding)
    else:
        doc = Document(path, "txt", encoding, normalise_text(text))
    doc.warnings[:0] = warnings
    if not doc.text.strip():
        raise NoticeFileError(path, "no text in the file")
    return doc
