"""Parse the staged text columns by the table spec, in SQL, and name every bad field.

`parse_sql` makes ops_parsed (typed values next to the raw text); `problems_sql`
lists (line, field, reason) for every field that did not parse or break a rule.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Protocol

import duckdb

from computewatch.errors import InputProblem
from computewatch.policy import UnknownChip, find_chip
from computewatch.sources.operations.staging import STAGE, stage_file
from computewatch.sources.operations.tables import Column, TableSpec

PARSED = "ops_parsed"
_OFFSET = r"\s*(Z|z|[+-]\d\d(:?\d\d)?)$"
_TS_MACRO = rf"""CREATE OR REPLACE TEMP MACRO cw_ts(v) AS CASE
    WHEN v IS NULL OR trim(v) = '' THEN NULL
    WHEN regexp_matches(trim(v), '\d:\d\d(:\d\d(\.\d+)?)?{_OFFSET}') THEN
        TRY_CAST(regexp_replace(trim(v), '{_OFFSET}', '') AS TIMESTAMP)
        - to_minutes(CAST(coalesce(nullif(regexp_extract(trim(v), '([+-])(\d\d):?(\d\d)?$', 1), ''), '+') || '1' AS INTEGER)
            * (CAST(coalesce(nullif(regexp_extract(trim(v), '([+-])(\d\d):?(\d\d)?$', 2), ''), '0') AS INTEGER) * 60
               + CAST(coalesce(nullif(regexp_extract(trim(v), '([+-])(\d\d):?(\d\d)?$', 3), ''), '0') AS INTEGER)))
    ELSE TRY_CAST(trim(v) AS TIMESTAMP) END"""
_TRUE = "('true', 't', 'yes', 'y', '1')"
_BOOL = "('true', 't', 'yes', 'y', '1', 'false', 'f', 'no', 'n', '0')"


@lru_cache(maxsize=1)
def country_codes() -> tuple[str, ...]:
    from computewatch.policy.countries import is_country_code

    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return tuple(a + b for a in letters for b in letters if is_country_code(a + b))


def prepare(con: duckdb.DuckDBPyConnection, spec: TableSpec) -> None:
    """Temp macro and lookup tables the parse needs (country codes, the chips named in the file)."""
    con.execute(_TS_MACRO)
    con.execute("CREATE OR REPLACE TEMP TABLE ops_country_codes (code VARCHAR)")
    con.execute("INSERT INTO ops_country_codes SELECT unnest(?::VARCHAR[])", [list(country_codes())])
    chips = [c.name for c in spec.columns if c.type == "chip"]
    con.execute("CREATE OR REPLACE TEMP TABLE ops_chip_map (raw VARCHAR, name VARCHAR, reason VARCHAR)")
    rows = []
    for col in chips:
        for (raw,) in con.execute(f'SELECT DISTINCT trim("{col}") FROM {STAGE} WHERE trim("{col}") <> \'\'').fetchall():
            try:
                rows.append([raw, find_chip(raw).name, None])
            except UnknownChip as exc:
                rows.append([raw, None, str(exc)])
    if rows:
        columns = [[r[i] for r in rows] for i in range(3)]
        con.execute("INSERT INTO ops_chip_map SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[])", columns)


def _raw(col: Column) -> str:
    return f'"{col.name}"'


def _number(col: Column) -> str:
    return f"TRY_CAST(trim({_raw(col)}) AS DOUBLE)"


def _parsed(col: Column) -> str:
    raw = _raw(col)
    if col.type in ("id", "text"):
        value = f"nullif(trim({raw}), '')"
        return f"lower({value})" if col.lower else value
    if col.type == "country":
        return f"nullif(upper(trim({raw})), '')"
    if col.type == "timestamp":
        return f"cw_ts({raw})"
    if col.type == "int":
        return f"TRY_CAST({_number(col)} AS BIGINT)"
    if col.type in ("number", "fraction"):
        return _number(col)
    if col.type == "bool":
        return f"CASE WHEN nullif(trim({raw}), '') IS NULL THEN NULL ELSE lower(trim({raw})) IN {_TRUE} END"
    if col.type == "chip":
        return f"(SELECT m.name FROM ops_chip_map m WHERE m.raw = trim({raw}))"
    raise ValueError(f"unknown column type {col.type!r}")


def parse_sql(spec: TableSpec, file: str) -> str:
    cols = [f'{_parsed(c)} AS "{c.name}", {_raw(c)} AS "raw_{c.name}"' for c in spec.columns]
    return (
        f"CREATE OR REPLACE TEMP TABLE {PARSED} AS SELECT __line, {', '.join(cols)}, __extra, "
        f"'{file.replace(chr(39), chr(39) * 2)}' AS src_file FROM {STAGE}"
    )


def _checks(col: Column) -> list[tuple[str, str]]:
    """(condition on ops_parsed that marks the field bad, reason expression)."""
    given = f"nullif(trim(\"raw_{col.name}\"), '') IS NOT NULL"
    value, raw = f'"{col.name}"', f'"raw_{col.name}"'
    shown = f"'''' || {raw} || ''''"
    checks: list[tuple[str, str]] = []
    if col.required:
        checks.append((f"NOT ({given})", "'required value is missing'"))
    if col.type == "country":
        checks.append((f"{given} AND {value} NOT IN (SELECT code FROM ops_country_codes)",
                       f"{shown} || ' is not an ISO 3166-1 alpha-2 country code'"))  # fmt: skip
    elif col.type == "timestamp":
        checks.append((f"{given} AND {value} IS NULL", f"{shown} || ' is not an ISO 8601 date or timestamp'"))
    elif col.type in ("int", "number", "fraction"):
        number = f"TRY_CAST(trim({raw}) AS DOUBLE)"
        bad = f"{number} IS NULL OR NOT isfinite({number})"
        what = "a number"
        if col.type == "int":
            bad += f" OR {number} <> floor({number})"
            what = "a whole number"
        if col.type == "fraction":
            bad += f" OR {number} < 0 OR {number} > 1"
            what = "a number from 0 to 1"
        elif col.minimum is not None:
            bad += f" OR {number} < {col.minimum!r}"
            what += f" >= {col.minimum:g}"
        checks.append((f"{given} AND ({bad})", f"{shown} || ' is not {what}'"))
    elif col.type == "bool":
        checks.append((f"{given} AND lower(trim({raw})) NOT IN {_BOOL}", f"{shown} || ' is not true or false'"))
    elif col.type == "chip":
        checks.append((f"{given} AND {value} IS NULL",
                       f"coalesce((SELECT m.reason FROM ops_chip_map m WHERE m.raw = trim({raw})), {shown} || ' is not a known accelerator')"))  # fmt: skip
    return checks


def problems_sql(spec: TableSpec) -> str:
    parts = []
    for col in spec.columns:
        for cond, reason in _checks(col):
            parts.append(f"SELECT __line AS line, '{col.name}' AS field, {reason} AS reason FROM {PARSED} WHERE {cond}")
    if spec.ordered:
        start, end = spec.ordered
        parts.append(
            f"SELECT __line, '{end}', '''' || \"raw_{end}\" || ''' is before {start} (''' || \"raw_{start}\" || ''')' "
            f'FROM {PARSED} WHERE "{end}" < "{start}"'
        )
    if spec.key:
        parts.append(
            f"SELECT __line, '{spec.key}', 'duplicate {spec.key} ''' || \"{spec.key}\" || ''' (first on line ' || first || ')' "
            f'FROM (SELECT __line, "{spec.key}", min(__line) OVER (PARTITION BY "{spec.key}") AS first FROM {PARSED} '
            f'WHERE "{spec.key}" IS NOT NULL) WHERE __line > first'
        )
    return " UNION ALL ".join(parts)


MAX_PROBLEMS_KEPT = 10_000  # problems named per file; the count of bad rows is always whole


class HasProblems(Protocol):
    problems: list[InputProblem]
    rejected: int


def stage_and_check(con: duckdb.DuckDBPyConnection, spec: TableSpec, path: Path, tmp: Path, report: HasProblems, problems_table: str) -> bool:
    """Stage one file, parse it into PARSED and put its bad rows in `problems_table`, counting them in the
    report; False when the file is refused as a whole (nothing parsed)."""
    read_problems = stage_file(con, path, spec, tmp)
    report.problems.extend(read_problems)
    if any(p.refuses_file for p in read_problems):
        return False  # the load is refused once every file has been read
    report.rejected += len([p for p in read_problems if p.line is not None])
    prepare(con, spec)
    con.execute(parse_sql(spec, path.name))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {problems_table} AS {problems_sql(spec)}")
    rows = con.execute(f"SELECT line, field, reason FROM {problems_table} ORDER BY line, field LIMIT {MAX_PROBLEMS_KEPT}").fetchall()
    report.problems.extend(InputProblem(str(path), int(line), field, reason) for line, field, reason in rows)
    report.rejected += int(con.execute(f"SELECT count(DISTINCT line) FROM {problems_table}").fetchone()[0])  # type: ignore[index]
    return True

