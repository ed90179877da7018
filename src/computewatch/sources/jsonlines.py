"""JSON lines: every reader of one-object-per-line files goes through here."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from computewatch.errors import InputProblem
from computewatch.sources.inputfiles import (
    InputLimits,
    default_limits,
    json_value_problems,
    text_lines,
)

BOM = b"\xef\xbb\xbf"


def json_objects(
    path: str | Path,
    problems: list[InputProblem],
    lines: Iterable[bytes] | None = None,
    limits: InputLimits | None = None,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line that is a JSON object.

    Lines that are not valid JSON, or not an object, become problems naming the
    file and line; reading goes on. A broken last line without a newline means the
    file was cut short, and a string with NUL bytes or of absurd size means damage:
    those problems refuse the whole file (`refuses_file`). The file is decoded by
    sources.inputfiles (legacy encodings where unambiguous); `lines` may be given
    as UTF-8 bytes when the file is already open.
    """
    limits = limits or default_limits()
    source = text_lines(path) if lines is None else _utf8_lines(str(path), lines, problems)
    yield from _objects(str(path), source, problems, limits)


def _utf8_lines(name: str, lines: Iterable[bytes], problems: list[InputProblem]) -> Iterator[tuple[int, str, bool]]:
    for line_no, raw in enumerate(lines, start=1):
        if line_no == 1:
            raw = raw.removeprefix(BOM)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(InputProblem(name, line_no, None, "not valid UTF-8", refuses_file=True))
            continue
        yield line_no, text.rstrip("\r\n"), raw.endswith(b"\n")


def _objects(
    name: str, lines: Iterable[tuple[int, str, bool]], problems: list[InputProblem], limits: InputLimits
) -> Iterator[tuple[int, dict[str, Any]]]:
    for line_no, text, ended in lines:
        if not text.strip():
            continue
        try:
            value = orjson.loads(text)
        except orjson.JSONDecodeError as err:
            if not ended:
                problems.append(InputProblem(name, line_no, None, "the file ends in the middle of a record (truncated?)", refuses_file=True))
            else:
                problems.append(InputProblem(name, line_no, None, f"not valid JSON: {err.msg} (truncated line?)"))
            continue
        if not isinstance(value, dict):
            problems.append(InputProblem(name, line_no, None, "a line must be a JSON object"))
            continue
        damaged = json_value_problems(name, line_no, value, limits)
        if damaged:
            problems.extend(damaged)
            continue
        yield line_no, value
