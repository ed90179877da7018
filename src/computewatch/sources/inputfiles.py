"""Input files before any reader sees them: checked, decoded, and held to sane field sizes.

Every reader of CSV or JSON (lists, queries, the operational tables, shipments, probes,
entities, case imports) opens its file here, so every door refuses the same things the
same way, by file, line and field:

- a path that is missing, a directory, unreadable or empty;
- text in an encoding that cannot be told for sure (UTF-8, a byte-order mark, UTF-16
  without one, GB18030/GBK, Big5 and Windows-1252/Latin-1 are decoded when the bytes say
  so unambiguously; a legacy encoding is decoded with a warning);
- binary content, NUL bytes in a field, and fields longer than `inputs.max_field_chars`.

    check_input_file(path)              -> size in bytes, or InputError
    open_text(path)                     -> a text stream (strict decoding, newline='')
    decoding(path, encoding)            -> context turning a late decode error into an InputError
    value_problem(value, limits)        -> why a field value is refused, or None
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import os
import stat
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TextIO

from computewatch.errors import InputError, InputProblem

log = logging.getLogger("computewatch.inputs")

SAMPLE_BYTES = 1 << 20  # the encoding is decided on the first MiB; a later bad byte is still caught, by line
CSV_FIELD_LIMIT = 2**31 - 1  # the csv module's own limit is lifted: we check sizes ourselves, naming the field
DEFAULT_MAX_FIELD_CHARS = 100_000


@dataclass(frozen=True)
class InputLimits:
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS


def default_limits() -> InputLimits:
    from computewatch.settings import default_settings

    return InputLimits(default_settings().inputs.max_field_chars)


@dataclass(frozen=True)
class TextEncoding:
    codec: str  # Python codec name
    label: str  # what people are told
    legacy: bool = False  # not Unicode: decoded on the evidence of the bytes, with a warning


UTF8 = TextEncoding("utf-8", "UTF-8")
UTF8_BOM = TextEncoding("utf-8-sig", "UTF-8 (with byte-order mark)")
_BOMS = (
    (codecs.BOM_UTF32_LE, TextEncoding("utf-32", "UTF-32")),  # before UTF-16: its BOM starts the same
    (codecs.BOM_UTF32_BE, TextEncoding("utf-32", "UTF-32")),
    (codecs.BOM_UTF8, UTF8_BOM),
    (codecs.BOM_UTF16_LE, TextEncoding("utf-16", "UTF-16")),
    (codecs.BOM_UTF16_BE, TextEncoding("utf-16", "UTF-16")),
)
GB18030 = TextEncoding("gb18030", "GB18030 (GBK)", legacy=True)
BIG5 = TextEncoding("big5hkscs", "Big5 (HKSCS)", legacy=True)
WINDOWS_1252 = TextEncoding("cp1252", "Windows-1252 (Latin-1)", legacy=True)
EUC_KR = TextEncoding("cp949", "EUC-KR (CP949)", legacy=True)  # only a rival: GB bytes often decode as Korean
LEGACY = (GB18030, BIG5, WINDOWS_1252, EUC_KR)
MIN_PLAUSIBLE = 0.8  # share of a decoding's non-ASCII characters that must look like real text
MIN_LEAD = 0.2  # and by how much it must beat every other decoding


def check_input_file(path: str | Path) -> int:
    """The size of a readable, non-empty regular file; otherwise an InputError saying what the path is."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(path, None, None, "file not found") from None
    except OSError as exc:
        raise InputError(path, None, None, f"cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, None, None, "is a directory; give a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, None, None, "is not a regular file")
    if not os.access(path, os.R_OK):
        raise InputError(path, None, None, "cannot read: permission denied")
    if info.st_size == 0:
        raise InputError(path, None, None, "empty file")
    return info.st_size


def _read_sample(path: Path) -> tuple[bytes, bool]:
    with path.open("rb") as fh:
        sample = fh.read(SAMPLE_BYTES)
        complete = not fh.read(1)
    return sample, complete


_CONTROL_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 27), *range(28, 32)])


def utf16_without_bom(data: bytes) -> TextEncoding | None:
    """ASCII-heavy UTF-16 shows a NUL in every other byte."""
    head = data[:4096]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.05 * len(even):
        return TextEncoding("utf-16-le", "UTF-16 (little-endian, no byte-order mark)")
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.05 * len(odd):
        return TextEncoding("utf-16-be", "UTF-16 (big-endian, no byte-order mark)")
    return None


def detect_encoding(path: str | Path, data: bytes, complete: bool = True) -> TextEncoding:
    """The encoding of text that starts with `data` (the whole file when `complete`).

    Unicode first (a byte-order mark, UTF-16 without one, strict UTF-8); then a legacy
    encoding only when one decoding is plainly right; otherwise an InputError asking for UTF-8.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    utf16 = utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    head = data[:8192]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if head.count(0) > 8 or controls > max(8, len(head) // 20):
        first = min((i for i in (head.find(0), *(head.find(b) for b in _CONTROL_BYTES[1:])) if i >= 0), default=0)
        raise InputError(path, head.count(b"\n", 0, first) + 1, None, "binary content (NUL or control bytes), not a text file")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=complete)
        return UTF8
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if not complete:
        data = data[: data.rfind(b"\n") + 1] or data  # a multi-byte character may be cut at the sample's end
    found = guess_legacy_encoding(data)
    if isinstance(found, TextEncoding):
        return found
    line = data.count(b"\n", 0, first_bad) + 1
    raise InputError(path, line, None, f"not UTF-8, and the encoding cannot be told for sure ({found}); save the file as UTF-8")


def guess_legacy_encoding(data: bytes) -> TextEncoding | str:
    """The one legacy encoding whose strict decoding reads as real text, or a reason why none is sure."""
    scores: list[tuple[float, TextEncoding]] = []
    for encoding in LEGACY:
        try:
            text = data.decode(encoding.codec)
        except UnicodeDecodeError:
            continue
        scores.append((_plausibility(text, encoding), encoding))
    if not scores:
        return "no legacy encoding decodes it either"
    scores.sort(key=lambda s: -s[0])
    best, encoding = scores[0]
    runner_up = scores[1] if len(scores) > 1 else (0.0, None)
    if best < MIN_PLAUSIBLE or encoding is EUC_KR:
        return f"{encoding.label} decodes it but does not read as text" if best < MIN_PLAUSIBLE else "it may be Korean (EUC-KR)"
    if runner_up[0] > best - MIN_LEAD and runner_up[1] is not None:
        return f"it could be {encoding.label} or {runner_up[1].label}"
    return encoding


@lru_cache(maxsize=1)
def _common_han() -> frozenset[str]:
    """The level-1 (most frequent) characters of GB2312 and of Big5: what real Chinese text is mostly made of."""
    chars: set[str] = set()
    trails = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
    for codec, leads in (("gb2312", range(0xB0, 0xD8)), ("big5", range(0xA4, 0xC7))):
        for lead in leads:
            for trail in trails:
                chars.update(bytes([lead, trail]).decode(codec, errors="ignore"))
    return frozenset(chars)


_TEXT_SYMBOLS = frozenset("°€£¥§©®±²³µ¶·×÷‘’‚“”„–—…•′″‰™¼½¾¿¡«»")


def _plausibility(text: str, encoding: TextEncoding) -> float:
    """Share of the non-ASCII characters that make sense in this encoding's kind of text."""
    others = [c for c in text if ord(c) > 127]
    if not others:
        return 1.0
    if encoding is EUC_KR:
        good = sum(1 for c in others if "\uac00" <= c <= "\ud7a3")
    elif encoding is WINDOWS_1252:
        good = sum(1 for c in others if c in _TEXT_SYMBOLS or (unicodedata.category(c).startswith("L") and ord(c) < 0x250))
        runs = _long_runs(text)
        if runs > 0.3 * len(others):  # Latin text has an accent here and there, not runs of them
            good = min(good, len(others) - runs)
    else:
        common = _common_han()
        good = sum(1 for c in others if c in common or _is_cjk_punctuation(c))
    return good / len(others)


def _is_cjk_punctuation(c: str) -> bool:
    return "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef" or "\u2010" <= c <= "\u2027" or c == "\u00b7"


def _long_runs(text: str) -> int:
    """Non-ASCII characters in runs of three or more."""
    count = run = 0
    for c in text + "a":
        if ord(c) > 127:
            run += 1
            continue
        if run >= 3:
            count += run
        run = 0
    return count


def text_encoding(path: str | Path, warn: bool = True) -> TextEncoding:
    """Check the file and decide its encoding (warning when it is a legacy one)."""
    path = Path(path)
    check_input_file(path)
    try:
        sample, complete = _read_sample(path)
    except OSError as exc:
        raise InputError(path, None, None, f"cannot read: {exc.strerror or exc}") from None
    encoding = detect_encoding(path, sample, complete)
    if encoding.legacy and warn:
        log.warning("%s: not UTF-8; read as %s", path, encoding.label)
    return encoding


def text_head(path: str | Path, chars: int = 4096) -> str:
    """The first characters of a checked, decoded file (to tell its format)."""
    path = Path(path)
    encoding = text_encoding(path, warn=False)
    with decoding(path, encoding), open_text(path, encoding) as fh:
        return fh.read(chars)


def open_text(path: str | Path, encoding: TextEncoding | None = None) -> TextIO:
    """The file as text, decoded strictly (newline='' as the csv module wants); wrap reading in `decoding`."""
    path = Path(path)
    encoding = encoding or text_encoding(path)
    csv.field_size_limit(CSV_FIELD_LIMIT)
    return io.TextIOWrapper(path.open("rb"), encoding=encoding.codec, errors="strict", newline="")


def read_text(path: str | Path) -> str:
    """The whole file as text (for JSON documents); decode errors name the line."""
    path = Path(path)
    encoding = text_encoding(path)
    with decoding(path, encoding), open_text(path, encoding) as fh:
        return fh.read()


@contextmanager
def decoding(path: str | Path, encoding: TextEncoding | None = None) -> Iterator[None]:
    """Turn a decode error met while reading (after the sample) into an InputError naming its line."""
    try:
        yield
    except UnicodeDecodeError as exc:
        codec = encoding.codec if encoding else exc.encoding
        label = encoding.label if encoding else exc.encoding
        line = first_undecodable_line(Path(path), codec)
        raise InputError(path, line, None, f"not valid {label} (the file mixes encodings or is damaged); save it as UTF-8") from None


def first_undecodable_line(path: Path, codec: str) -> int | None:
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    line = 1
    with path.open("rb") as fh:
        for raw in fh:
            try:
                text = decoder.decode(raw)
            except UnicodeDecodeError:
                return line
            line += text.count("\n")
    return None


def text_lines(path: str | Path) -> Iterator[tuple[int, str, bool]]:
    """(line number, text, ends with a newline) for every line of a text file, decoded strictly."""
    path = Path(path)
    encoding = text_encoding(path)
    with decoding(path, encoding), open_text(path, encoding) as fh:
        number = 0
        for number, line in enumerate(fh, start=1):  # noqa: B007 - the last number is used below
            if number == 1:
                line = line.removeprefix("\ufeff")
            yield number, line.rstrip("\r\n"), line.endswith("\n")


def ends_with_newline(path: str | Path) -> bool:
    """Whether the file's last byte ends a line (a file cut short usually does not)."""
    with Path(path).open("rb") as fh:
        fh.seek(0, os.SEEK_END)
        if not fh.tell():
            return False
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) in (b"\n", b"\r")


TRUNCATED = "the file ends in the middle of a row (truncated?)"


def value_problem(value: str, limits: InputLimits) -> str | None:
    """Why a field value is refused (NUL bytes, absurd size), or None."""
    if "\x00" in value:
        return "contains NUL bytes (binary data, or a file saved in the wrong encoding)"
    if len(value) > limits.max_field_chars:
        return (f"is {len(value):,} characters long, over the limit of {limits.max_field_chars:,} "
                "(setting inputs.max_field_chars)")  # fmt: skip
    return None


def json_value_problems(
    file: str, line: int | None, value: Any, limits: InputLimits, where: str = ""
) -> list[InputProblem]:
    """Problems of every string (keys included) inside a decoded JSON value, each named by its path."""
    found: list[InputProblem] = []
    stack: list[tuple[str, Any]] = [(where, value)]
    while stack:
        name, item = stack.pop()
        if isinstance(item, str):
            reason = value_problem(item, limits)
            if reason:
                found.append(InputProblem(file, line, name or None, reason, refuses_file=True))
        elif isinstance(item, dict):
            for key, sub in item.items():
                key_text = str(key)
                if value_problem(key_text, limits):
                    found.append(InputProblem(file, line, name or None, "a key " + str(value_problem(key_text, limits)), refuses_file=True))
                    continue
                stack.append((f"{name}.{key_text}" if name else key_text, sub))
        elif isinstance(item, list):
            stack.extend((f"{name}[{i}]", sub) for i, sub in enumerate(item))
    return found


def checked_rows(
    reader: Iterator[list[str]], line_num: Callable[[], int], path: Path, header: list[str], limits: InputLimits,
    problems: list[InputProblem],
) -> Iterator[tuple[int, list[str]]]:  # fmt: skip
    """(line, row) for each CSV row after the header that is whole and sound: blank rows are skipped;
    a row with a bad cell or the wrong number of fields is a problem named by its line, and left out.

    `line_num` reads the reader's physical line (csv's `line_num`), so a row's line is where it starts.
    csv.Error is the caller's to catch (the file is malformed from there on)."""
    last = line_num()
    for row in reader:
        line, last = last + 1, line_num()
        if not any(cell.strip() for cell in row):
            continue
        damaged = row_problems(str(path), line, header, row, limits)
        if damaged:
            problems.extend(damaged)
            continue
        if len(row) != len(header):
            problems.append(InputProblem(str(path), line, None, f"{len(row)} fields where the header has {len(header)} (truncated or malformed row)"))
            continue
        yield line, row


def row_problems(file: str, line: int, header: list[str], row: list[str], limits: InputLimits) -> list[InputProblem]:
    """Problems of the cells of one CSV row, each named by its column."""
    found = []
    for i, cell in enumerate(row):
        reason = value_problem(cell, limits)
        if reason:
            name = header[i] if i < len(header) else f"column {i + 1}"
            found.append(InputProblem(file, line, name, reason, refuses_file=True))
    return found


_OTHER_DELIMITERS = (";", "\t", "|")


def delimiter_hint(header: list[str]) -> str:
    """A hint when a one-column header is really separated by something other than commas."""
    if len(header) == 1:
        for sep in _OTHER_DELIMITERS:
            if header[0].count(sep) >= 1:
                shown = "tab" if sep == "\t" else f"'{sep}'"
                return f" (the header looks {shown}-separated; computewatch reads comma-separated CSV)"
    return ""
