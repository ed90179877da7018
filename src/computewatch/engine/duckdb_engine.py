"""The default engine: DuckDB, embedded, over the workspace file (or over Parquet files given as sources)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import duckdb

from computewatch.engine.base import Engine, EngineTraits, Row

DUCKDB_TRAITS = EngineTraits(
    concat_null_propagates=False, nulls_first_ascending=False, integer_division_is_float=True, timestamps_naive_utc=True
)


class DuckDBEngine(Engine):
    name = "duckdb"
    dialect = "duckdb"
    traits = DUCKDB_TRAITS

    def __init__(self, con: duckdb.DuckDBPyConnection, views: Mapping[str, str] | None = None):
        """`con`: a connection (the workspace's: a cursor of it is used, so temp tables stay private).
        `views`: table name -> DuckDB SELECT replacing that table (e.g. a normalising view over Parquet)."""
        self.con = con.cursor()
        for name, select in (views or {}).items():
            self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {select}")

    def _query(self, sql: str) -> list[Row]:
        cur = self.con.execute(sql)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    def _materialise(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")

    def register_rows(self, name: str, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]]) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({', '.join(f'{c} {t}' for c, t in columns)})")
        if rows:  # column-wise lists, unnested together: executemany is row by row and slow
            values = [[r[i] for r in rows] for i in range(len(columns))]
            unnest = ", ".join(f"unnest(${i + 1}::{t}[])" for i, (_, t) in enumerate(columns))
            self.con.execute(f"INSERT INTO {name} SELECT {unnest}", values)

    def close(self) -> None:
        self.con.close()
