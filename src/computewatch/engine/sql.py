"""Portable SQL: written in DuckDB's dialect, translated by SQLGlot for other engines.

Only constructs that mean the same on every engine are allowed in detector SQL;
tests/engine checks each detector step on DuckDB and Spark. Known traps (Splink
issues #2076, #324): concat with NULL, NULL ordering; see EngineTraits.
"""

from __future__ import annotations

from functools import lru_cache

import sqlglot


@lru_cache(maxsize=512)
def translate(portable: str, dialect: str) -> str:
    """Translate one statement from the portable (DuckDB) dialect; raises sqlglot.ParseError on bad SQL."""
    if dialect == "duckdb":
        sqlglot.parse_one(portable, read="duckdb")  # parse anyway: a step that only DuckDB accepts fails here too
        return portable
    return sqlglot.transpile(portable, read="duckdb", write=dialect, unsupported_level=sqlglot.ErrorLevel.RAISE)[0]


def literal(value: object) -> str:
    """A Python value as a SQL literal (numbers, strings, dates), for parameters written into steps."""
    from datetime import date, datetime

    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(float(value)) if isinstance(value, float) else str(value)
    if isinstance(value, datetime):
        return f"CAST('{value.isoformat(sep=' ')}' AS TIMESTAMP)"
    if isinstance(value, date):
        return f"CAST('{value.isoformat()}' AS DATE)"
    text = str(value).replace("'", "''")
    return f"'{text}'"


def in_list(values: object) -> str:
    items = [literal(v) for v in values]  # type: ignore[attr-defined]
    return "(" + ", ".join(items or ["NULL"]) + ")"
