"""JSON lines: every reader of one-object-per-line files goes through here."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from computewatch.errors import InputProblem

BOM = b"\xef\xbb\xbf"


def json_objects(
    path: str | Path, problems: list[InputProblem], lines: Iterable[bytes] | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line that is a JSON object.

    Lines that are not valid JSON, or not an object, become problems naming the
    file and line; reading goes on. `lines` may be given when the file is already open.
    """
    if lines is None:
        with Path(path).open("rb") as fh:
            yield from _objects(str(path), fh, problems)
    else:
        yield from _objects(str(path), lines, problems)


def _objects(name: str, lines: Iterable[bytes], problems: list[InputProblem]) -> Iterator[tuple[int, dict[str, Any]]]:
    for line_no, raw in enumerate(lines, start=1):
        if line_no == 1:
            raw = raw.removeprefix(BOM)
        if not raw.strip():
            continue
        try:
            value = orjson.loads(raw)
        except orjson.JSONDecodeError as err:
            problems.append(InputProblem(name, line_no, None, f"not valid JSON: {err.msg} (truncated line?)"))
            continue
        if not isinstance(value, dict):
            problems.append(InputProblem(name, line_no, None, "a line must be a JSON object"))
            continue
        yield line_no, value
