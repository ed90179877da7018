"""`ingest probes`: probe rounds kept in the workspace table ops_probes, read by the probes reader.

Like the operational tables: every good row loads, every bad row is named by file,
line and field, all files of one command in one transaction; a file whose exact
bytes were loaded before is skipped. A probe is one measurement (chip, landmark,
time, nonce): loading the same measurement again, from any file, replaces it, so
overlapping exports never look like replayed answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import orjson

from computewatch.errors import UsageError
from computewatch.sources.operations.load import LoadReport, new_file
from computewatch.sources.operations.tables import LOADS_SQL
from computewatch.sources.probes import Probe, parse_probes
from computewatch.workspace import Workspace

TABLE = "ops_probes"
KIND = "probes"
COLUMNS = (
    ("chip_id", "VARCHAR"), ("claimed_country", "VARCHAR"), ("claimed_lat", "DOUBLE"), ("claimed_lon", "DOUBLE"),
    ("site", "VARCHAR"), ("landmark_id", "VARCHAR"), ("landmark_lat", "DOUBLE"), ("landmark_lon", "DOUBLE"),
    ("rtt_ms", "DOUBLE"), ("ts", "TIMESTAMP"), ("nonce", "VARCHAR"), ("signature_valid", "BOOLEAN"),
    ("signature", "VARCHAR"), ("public_key", "VARCHAR"), ("chip_ts", "TIMESTAMP"),
    ("file_signed", "BOOLEAN"),  # the file carried signature evidence (columns signature or signature_valid)
    ("file_nonced", "BOOLEAN"),  # the file had a nonce column
    ("src_file", "VARCHAR"), ("src_line", "BIGINT"), ("extra", "VARCHAR"),
)  # fmt: skip
KEY = ("chip_id", "landmark_id", "ts", "nonce")


def ensure_probes_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} ({', '.join(f'{c} {t}' for c, t in COLUMNS)})")


def _utc(ts: datetime | None) -> datetime | None:
    return None if ts is None else ts.astimezone(UTC).replace(tzinfo=None)


def _row(p: Probe, file: str, signed: bool, nonced: bool) -> list[Any]:
    return [
        p.chip_id, p.claimed_country, p.claimed_lat, p.claimed_lon, p.site, p.landmark_id, p.landmark_lat,
        p.landmark_lon, p.rtt_ms, _utc(p.ts), p.nonce, p.signature_valid, p.signature.hex() if p.signature else None,
        p.public_key, _utc(p.chip_ts), signed, nonced, file, p.line, orjson.dumps(p.extra).decode() if p.extra else None,
    ]  # fmt: skip


def _insert(con: duckdb.DuckDBPyConnection, rows: list[list[Any]]) -> None:
    """Replace measurements with the same key, then append (column-wise: executemany is row by row)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE probes_new ({', '.join(f'{c} {t}' for c, t in COLUMNS)})")
    values = [[r[i] for r in rows] for i in range(len(COLUMNS))]
    unnest = ", ".join(f"unnest(${i + 1}::{t}[])" for i, (_, t) in enumerate(COLUMNS))
    con.execute(f"INSERT INTO probes_new SELECT {unnest}", values)
    same = " AND ".join(f"{TABLE}.{k} IS NOT DISTINCT FROM probes_new.{k}" for k in KEY)
    con.execute(f"DELETE FROM {TABLE} WHERE EXISTS (SELECT 1 FROM probes_new WHERE {same})")
    con.execute(f"INSERT INTO {TABLE} SELECT * FROM probes_new")
    con.execute("DROP TABLE probes_new")


def load_probes(ws: Workspace, files: Sequence[Path]) -> LoadReport:
    """Load the probes of every file, all or nothing (one transaction); returns counts and problems."""
    missing = [str(f) for f in files if not Path(f).is_file()]
    if missing:
        raise UsageError("file not found: " + ", ".join(missing))
    report = LoadReport(KIND)
    ensure_probes_table(ws.con)
    ws.con.execute(LOADS_SQL)
    with ws.transaction() as con:
        for path in map(Path, files):
            sha = new_file(con, KIND, path, report)
            if sha is None:
                continue
            table, problems = parse_probes(path, same_claim=False)
            report.problems.extend(problems)
            header_missing = any(p.reason == "required column is missing" for p in problems)
            rejected = 1 if header_missing else len({p.line for p in problems if p.line is not None})
            latest: dict[tuple[object, ...], Probe] = {}
            for p in table.probes:  # one row per measurement; a repeated row in the file counts once
                latest[(p.chip_id, p.landmark_id, _utc(p.ts), p.nonce)] = p
            rows = [_row(p, path.name, table.has_signature_evidence, table.has_nonces) for p in latest.values()]
            if rows:
                _insert(con, rows)
            report.loaded += len(rows)
            report.rejected += rejected
            con.execute(
                "INSERT INTO ops_loads VALUES (?, ?, ?, ?, ?, ?)",
                [datetime.now(UTC).replace(tzinfo=None), KIND, str(path), sha, len(rows), rejected],
            )
    report.problems.sort(key=lambda p: (p.file, p.line or 0, p.field or ""))
    return report
