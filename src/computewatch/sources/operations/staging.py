"""Read a CSV, JSON lines or Parquet file into a staging view of text columns, with each row's line.

CSV and JSON lines are parsed in Python (so line numbers are exact, even with
quoted newlines) and written to a temporary CSV that DuckDB reads; Parquet is
read by DuckDB directly (the line is the row number, from 1).
"""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import orjson

from computewatch.errors import InputError, InputProblem
from computewatch.sources.inputfiles import (
    TRUNCATED,
    check_input_file,
    checked_rows,
    decoding,
    default_limits,
    delimiter_hint,
    ends_with_newline,
    open_text,
    text_encoding,
    value_problem,
)
from computewatch.sources.jsonlines import json_objects
from computewatch.sources.operations.tables import TableSpec

STAGE = "ops_stage"


def file_format(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".parquet") or name.endswith(".pq"):
        return "parquet"
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    return "csv"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return repr(value)
    return orjson.dumps(value).decode()


def _missing(spec: TableSpec, header: list[str], path: Path) -> list[InputProblem]:
    return [
        InputProblem(str(path), 1, c.name, "required column is missing from the header")
        for c in spec.columns
        if c.required and c.name not in header
    ]


def _records_csv(path: Path, spec: TableSpec, problems: list[InputProblem]) -> list[list[str]] | None:
    names = [c.name for c in spec.columns]
    out: list[list[str]] = []
    limits = default_limits()
    encoding = text_encoding(path)
    with decoding(path, encoding), open_text(path, encoding) as fh:
        reader = csv.reader(fh)
        try:
            header = [h.strip().removeprefix("\ufeff") for h in next(reader)]
        except StopIteration:
            return out
        missing = _missing(spec, header, path)
        if missing:
            hint = delimiter_hint(header)
            problems.extend(replace(p, reason=p.reason + hint, refuses_file=True) for p in missing)
            return None
        index = {h: i for i, h in enumerate(header)}
        extra = [h for h in header if h not in names]
        last = reader.line_num
        try:
            for line, row in checked_rows(reader, lambda: reader.line_num, path, header, limits, problems):
                rest = {h: row[index[h]] for h in extra if row[index[h]] != ""}
                out.append([str(line), *(row[index[n]] if n in index else "" for n in names), orjson.dumps(rest).decode() if rest else ""])
            last = reader.line_num
        except csv.Error as err:
            problems.append(InputProblem(str(path), reader.line_num, None, f"malformed CSV: {err} (truncated file?)", refuses_file=True))
    if problems and problems[-1].line == last and problems[-1].field is None and not ends_with_newline(path):
        problems[-1] = replace(problems[-1], reason=f"{problems[-1].reason}; {TRUNCATED}", refuses_file=True)
    return out


def _records_jsonl(path: Path, spec: TableSpec, problems: list[InputProblem]) -> list[list[str]]:
    names = [c.name for c in spec.columns]
    out: list[list[str]] = []
    for line, obj in json_objects(path, problems):
        rest = {k: v for k, v in obj.items() if k not in names and v is not None}
        out.append([str(line), *(_text(obj.get(n)) for n in names), orjson.dumps(rest).decode() if rest else ""])
    return out


def check_parquet(path: Path) -> None:
    size = check_input_file(path)
    with path.open("rb") as fh:
        head = fh.read(4)
        fh.seek(max(0, size - 4))
        tail = fh.read(4)
    if size < 12 or head != b"PAR1" or tail != b"PAR1":
        raise InputError(path, None, None, "not a Parquet file (no PAR1 marks at its start and end: truncated or another format?)")


def stage_file(con: duckdb.DuckDBPyConnection, path: Path, spec: TableSpec, tmp: Path) -> list[InputProblem]:
    """Create the view ops_stage(__line, <every column as VARCHAR>, __extra) over the file.

    Returns problems found while reading (bad JSON, ragged rows, missing required columns).
    """
    problems: list[InputProblem] = []
    names = [c.name for c in spec.columns]
    fmt = file_format(path)
    if fmt == "parquet":
        check_parquet(path)
        try:
            present = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{_quote(path)}')").fetchall()]
        except duckdb.Error as exc:
            raise InputError(path, None, None, f"cannot read as Parquet: {str(exc).splitlines()[0]}") from None
        missing = _missing(spec, present, path)
        if missing:
            return missing
        cols = [f'CAST("{n}" AS VARCHAR) AS "{n}"' if n in present else f'NULL::VARCHAR AS "{n}"' for n in names]
        extra = [p for p in present if p not in names]
        extra_sql = ("to_json({" + ", ".join(f"'{e}': \"{e}\"" for e in extra) + "})::VARCHAR") if extra else "NULL::VARCHAR"
        source = f"read_parquet('{_quote(path)}', file_row_number=true)"
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {STAGE} AS SELECT file_row_number + 1 AS __line, {', '.join(cols)}, "
            f"{extra_sql} AS __extra FROM {source}"
        )
        return _damaged_parquet_values(con, path, names)
    records = _records_jsonl(path, spec, problems) if fmt == "jsonl" else _records_csv(path, spec, problems)
    if records is None:
        return problems
    if not records and not problems:
        problems.append(InputProblem(str(path), None, None, "no rows (only a header, or blank lines)", refuses_file=True))
    staged = tmp / f"{path.name}.stage.csv"
    with staged.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows(records)  # so a value holding \r or \n is quoted
    columns = ", ".join(["'__line': 'BIGINT'", *(f"'{n}': 'VARCHAR'" for n in names), "'__extra': 'VARCHAR'"])
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {STAGE} AS SELECT * FROM read_csv('{_quote(staged)}', header=false, "
        f"auto_detect=false, delim=',', quote='\"', escape='\"', new_line='\\r\\n', nullstr='', columns={{{columns}}})"
    )
    return problems


def _damaged_parquet_values(con: duckdb.DuckDBPyConnection, path: Path, names: list[str]) -> list[InputProblem]:
    """NUL bytes and absurd sizes in a Parquet file's text (CSV and JSON lines are checked as they are read)."""
    limits = default_limits()
    found: list[InputProblem] = []
    for name in names:
        col = f'"{name}"'
        try:
            rows = con.execute(
                f"SELECT __line, {col} FROM {STAGE} WHERE strpos({col}, chr(0)) > 0 OR length({col}) > ? ORDER BY __line LIMIT 20",
                [limits.max_field_chars],
            ).fetchall()
        except duckdb.Error as exc:
            raise InputError(path, None, name, f"cannot read as Parquet: {str(exc).splitlines()[0]}") from None
        found.extend(InputProblem(str(path), int(line), name, value_problem(value, limits) or "damaged", refuses_file=True) for line, value in rows)
    return found


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
