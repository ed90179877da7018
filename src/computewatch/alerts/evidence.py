"""Where a fact comes from: input rows by file and line, so an analyst can open them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

MAX_LINES_LISTED = 12


def _lines(numbers: list[int]) -> str:
    numbers = sorted(set(numbers))
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def row_source(table: str, rows: Iterable[Mapping[str, Any]]) -> str:
    """'accounts: accounts.csv line 3' or 'access: access.csv lines 4, 7-9' from rows with src_file, src_line."""
    by_file: dict[str, list[int]] = {}
    for row in rows:
        if row.get("src_file") is not None and row.get("src_line") is not None:
            by_file.setdefault(str(row["src_file"]), []).append(int(row["src_line"]))
    if not by_file:
        return table
    parts = []
    for file, numbers in sorted(by_file.items()):
        if len(set(numbers)) > MAX_LINES_LISTED:
            parts.append(f"{file} lines {min(numbers)}-{max(numbers)} ({len(set(numbers))} rows)")
        else:
            parts.append(f"{file} line{'s' if len(set(numbers)) > 1 else ''} {_lines(numbers)}")
    return f"{table}: " + "; ".join(parts)


def span_source(table: str, spans: Iterable[Mapping[str, Any]]) -> str:
    """From aggregated rows with src_file, first_line, last_line, n_rows: 'usage: u.csv lines 2-40 (12 rows)'."""
    by_file: dict[str, list[int]] = {}
    for s in spans:
        if s.get("src_file") is None:
            continue
        entry = by_file.setdefault(str(s["src_file"]), [s["first_line"], s["last_line"], 0])
        entry[0] = min(entry[0], int(s["first_line"]))
        entry[1] = max(entry[1], int(s["last_line"]))
        entry[2] += int(s["n_rows"])
    if not by_file:
        return table
    parts = []
    for file, (first, last, n) in sorted(by_file.items()):
        where = f"line {first}" if first == last else f"lines {first}-{last}"
        parts.append(f"{file} {where} ({n} row{'s' if n != 1 else ''})")
    return f"{table}: " + "; ".join(parts)


def human_bytes(n: float) -> str:
    for unit, size in (("PB", 1e15), ("TB", 1e12), ("GB", 1e9), ("MB", 1e6)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n:.0f} bytes"
