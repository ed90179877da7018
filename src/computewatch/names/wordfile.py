"""The tab-separated word files of names/data (glossary.tsv, world_words.tsv): rows checked as they are read,
each problem named by file, line and field."""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from computewatch.errors import InputError


@dataclass(frozen=True)
class WordRow:
    """One row: `word` (the key column, never empty), `kind` (one of the file's kinds), `english`
    (its renderings, split on '|'), the other cells as read (stripped)."""

    line: int
    word: str
    kind: str
    english: tuple[str, ...]
    cells: dict[str, str]


def word_rows(path: Path, columns: list[str], key: str, kinds: Collection[str]) -> Iterator[WordRow]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        if reader.fieldnames is None or list(reader.fieldnames)[: len(columns)] != columns:
            raise InputError(path, 1, "header", f"expected columns {columns}, got {reader.fieldnames}")
        for line, row in enumerate(reader, start=2):
            cells = {k: (v or "").strip() for k, v in row.items() if isinstance(k, str) and isinstance(v, str)}
            word, kind = cells.get(key, ""), cells.get("kind", "")
            if not word:
                raise InputError(path, line, key, "empty")
            if kind not in kinds:
                raise InputError(path, line, "kind", f"{kind!r} is not one of {sorted(kinds)}")
            english = tuple(e.strip() for e in cells.get("english", "").split("|") if e.strip())
            yield WordRow(line, word, kind, english, cells)
