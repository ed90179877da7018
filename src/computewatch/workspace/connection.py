"""The workspace connection: one embedded DuckDB file holding every table computewatch works on,
its transactions, and whether a table is there yet.

`--workspace DIR`, else $COMPUTEWATCH_HOME, else ./computewatch-data (CONTRACTS.md).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

DB_FILE = "computewatch.duckdb"


def resolve_home(workspace: str | Path | None) -> Path:
    if workspace:
        return Path(workspace)
    return Path(os.environ.get("COMPUTEWATCH_HOME") or "computewatch-data")


class Connection:
    def __init__(self, home: str | Path | None = None, read_only: bool = False):
        """`read_only`: for readers that may run in several processes at once (the API's workers); the
        file must exist."""
        self.home = resolve_home(home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.path = self.home / DB_FILE
        self.read_only = read_only
        self.con = duckdb.connect(str(self.path), read_only=read_only)

    def close(self) -> None:
        self.con.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def tables(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}

    def has_table(self, name: str) -> bool:
        return bool(self.con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()[0])  # type: ignore[index]
