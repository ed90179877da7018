"""Load operational tables into the workspace: every good row, in one transaction; every bad row named.

A file whose exact bytes were already loaded for the same table is skipped (event
tables are appended, so loading a file twice would count its usage twice).
Tables with a key (accounts, leases) replace older rows with the same key.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from computewatch.errors import InputError, InputProblem, UsageError, refuse_damaged
from computewatch.sources.inputfiles import check_input_file
from computewatch.sources.operations.staging import STAGE
from computewatch.sources.operations.tables import TABLES, TableSpec, ensure_tables
from computewatch.sources.operations.validate import PARSED, stage_and_check
from computewatch.workspace import Workspace


@dataclass
class LoadReport:
    kind: str
    loaded: int = 0
    rejected: int = 0
    skipped_files: list[str] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def new_file(con: duckdb.DuckDBPyConnection, kind: str, path: Path, report: LoadReport) -> str | None:
    """The file's SHA-256 when this table has not loaded it yet; else None, and the report names it skipped."""
    sha = _sha256(path)
    seen = con.execute("SELECT count(*) FROM ops_loads WHERE kind = ? AND file_sha256 = ?", [kind, sha]).fetchone()
    if seen and seen[0]:
        report.skipped_files.append(str(path))
        return None
    return sha


def _insert(con: duckdb.DuckDBPyConnection, spec: TableSpec) -> int:
    cols = [f'"{c.name}"' for c in spec.columns]
    derived = [f"{sql} AS \"{name}\"" for name, _, sql in spec.derived]
    good = f"FROM {PARSED} WHERE __line NOT IN (SELECT line FROM ops_problems)"
    if spec.key:
        con.execute(f'DELETE FROM {spec.table} WHERE "{spec.key}" IN (SELECT "{spec.key}" {good})')
    before = con.execute(f"SELECT count(*) FROM {spec.table}").fetchone()[0]  # type: ignore[index]
    con.execute(
        f"INSERT INTO {spec.table} SELECT {', '.join(cols + derived)}, src_file, __line, __extra {good} ORDER BY __line"
    )
    after = con.execute(f"SELECT count(*) FROM {spec.table}").fetchone()[0]  # type: ignore[index]
    return int(after) - int(before)


def _load_file(con: duckdb.DuckDBPyConnection, spec: TableSpec, path: Path, tmp: Path, report: LoadReport) -> int:
    if not stage_and_check(con, spec, path, tmp, report, "ops_problems"):
        return 0
    loaded = _insert(con, spec)
    for temp in (PARSED, "ops_problems"):
        con.execute(f"DROP TABLE IF EXISTS {temp}")
    con.execute(f"DROP VIEW IF EXISTS {STAGE}")
    return loaded


def load_operations(ws: Workspace, kind: str, files: Sequence[Path]) -> LoadReport:
    """Load the files into the table of `kind`, all or nothing (one transaction); returns counts and problems.

    A damaged file (undecodable, NUL bytes, absurd fields, truncated, no rows, not the table)
    raises InputError and nothing is stored; so does a load in which no row is good.
    """
    spec = TABLES.get(kind)
    if spec is None:
        raise UsageError(f"unknown table {kind!r}; known: {', '.join(TABLES)}")
    report = LoadReport(kind)
    for f in files:
        check_input_file(f)
    with tempfile.TemporaryDirectory(prefix="cw-ops-") as tmp, ws.transaction() as con:
        ensure_tables(con)
        for path in map(Path, files):
            sha = new_file(con, kind, path, report)
            if sha is None:
                continue
            rejected_before = report.rejected
            loaded = _load_file(con, spec, path, Path(tmp), report)
            report.loaded += loaded
            con.execute(
                "INSERT INTO ops_loads VALUES (?, ?, ?, ?, ?, ?)",
                [datetime.now(UTC).replace(tzinfo=None), kind, str(path), sha, loaded, report.rejected - rejected_before],
            )
        refuse_damaged(report.problems)
        if report.problems and not report.loaded:
            raise InputError.many(sorted(report.problems, key=lambda p: (p.file, p.line or 0, p.field or "")))
    report.problems.sort(key=lambda p: (p.file, p.line or 0, p.field or ""))
    return report
