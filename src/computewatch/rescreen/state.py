"""What the last re-screening saw, kept in the workspace so the next one can say what changed.

rescreen_runs        one row per run: when, as of which day, up to which list version, the policy snapshot
rescreen_matches     current list matches per party (party_key, list entry, score)
rescreen_affiliates  entities owned 50% or more by listed parties, and whether the Affiliates rule bound
rescreen_detections  (detector, main subject) of every detector alert of the last run
rescreen_parties     every party screened (to tell a newly ingested party from a list change)
rescreen_basis       what the screening was done with (settings and code fingerprint)
rescreen_list_snapshot  the list entries as screening saw them (what a delta re-screen compares with)
rescreen_probes      every party's hashed lookup keys (screening.touch), in parts of PROBE_PART parties

A run replaces the current-state tables and appends its run row in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import orjson

from computewatch.workspace import Workspace

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS rescreen_runs (run_id INTEGER PRIMARY KEY, run_at TIMESTAMP, as_of DATE,
       list_version INTEGER, policy VARCHAR, parties INTEGER, alerts INTEGER, summary VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS rescreen_matches (party_key VARCHAR, name VARCHAR, country VARCHAR, schema VARCHAR,
       entity_id VARCHAR, caption VARCHAR, dataset VARCHAR, score DOUBLE)""",
    """CREATE TABLE IF NOT EXISTS rescreen_affiliates (entity_id VARCHAR PRIMARY KEY, name VARCHAR,
       restricted_pct DOUBLE, binds BOOLEAN)""",
    "CREATE TABLE IF NOT EXISTS rescreen_detections (detector VARCHAR, subject VARCHAR, alert_id VARCHAR)",
    "CREATE TABLE IF NOT EXISTS rescreen_parties (party_key VARCHAR)",
    # The alerts of a run whose cases are not opened yet (the case store is another database):
    # saved with the run, removed once the cases are opened, delivered again after a crash.
    "CREATE TABLE IF NOT EXISTS rescreen_outbox (run_id INTEGER PRIMARY KEY, saved_at TIMESTAMP, alerts VARCHAR)",
    # What a delta re-screen needs from the last run (rescreen/delta.py); missing or stale: a full sweep.
    "CREATE TABLE IF NOT EXISTS rescreen_basis (fingerprint VARCHAR)",
    """CREATE TABLE IF NOT EXISTS rescreen_list_snapshot (dataset VARCHAR, entity_id VARCHAR, schema VARCHAR,
       caption VARCHAR, names VARCHAR, countries VARCHAR, source VARCHAR)""",
    "CREATE TABLE IF NOT EXISTS rescreen_probes (part INTEGER, parties VARCHAR, offsets BLOB, probes BLOB)",
)
PROBE_PART = 50_000  # parties per row of rescreen_probes


@dataclass(frozen=True)
class StoredMatch:
    party_key: str
    name: str
    country: str
    schema: str
    entity_id: str
    caption: str
    dataset: str
    score: float
    explanation: str = ""  # from this run's screening; not kept in the workspace


@dataclass
class Previous:
    """The last run's view; empty (run_id None) before the first run."""

    run_id: int | None = None
    at: datetime | None = None
    as_of: date | None = None
    list_version: int = 0
    policy: dict[str, Any] | None = None
    matches: dict[tuple[str, str], StoredMatch] = field(
        default_factory=dict
    )  # (party_key, entity_id)
    affiliates: dict[str, tuple[float, bool]] = field(default_factory=dict)
    detections: set[tuple[str, str]] = field(default_factory=set)
    parties: set[str] = field(default_factory=set)

    @property
    def first(self) -> bool:
        return self.run_id is None


def ensure_state(ws: Workspace) -> None:
    for sql in SCHEMA:
        ws.con.execute(sql)


def load_previous(ws: Workspace) -> Previous:
    ensure_state(ws)
    con = ws.con
    row = con.execute(
        "SELECT run_id, run_at, as_of, list_version, policy FROM rescreen_runs ORDER BY run_id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return Previous()
    prev = Previous(
        row[0], row[1], row[2], int(row[3] or 0), orjson.loads(row[4]) if row[4] else None
    )
    for r in con.execute("SELECT * FROM rescreen_matches").fetchall():
        m = StoredMatch(*r)
        prev.matches[(m.party_key, m.entity_id)] = m
    prev.affiliates = {
        eid: (pct, binds)
        for eid, _, pct, binds in con.execute("SELECT * FROM rescreen_affiliates").fetchall()
    }
    prev.detections = {
        (d, s) for d, s, _ in con.execute("SELECT * FROM rescreen_detections").fetchall()
    }
    prev.parties = {r[0] for r in con.execute("SELECT party_key FROM rescreen_parties").fetchall()}
    return prev


@dataclass
class Current:
    """This run's view, written by save_run."""

    as_of: date
    list_version: int
    policy: dict[str, Any]
    parties: int
    matches: list[StoredMatch]
    affiliates: dict[str, tuple[str, float, bool]]  # entity id -> (name, restricted pct, binds)
    detections: list[tuple[str, str, str]] | None  # None: detectors not run, keep the last run's
    alerts: int = 0
    summary: dict[str, Any] = field(default_factory=dict)
    outbox: list[dict[str, Any]] | None = None  # alert records whose cases the caller will open
    fingerprint: str = ""  # the screening's settings and code (rescreen/delta.py); '' keeps no basis
    probes: dict[str, bytes] | None = None  # party key -> its lookup keys (screening.touch.Probes.to_bytes)


def save_run(ws: Workspace, cur: Current, parties: set[str]) -> int:
    ensure_state(ws)
    with ws.transaction() as con:
        con.execute("DELETE FROM rescreen_parties")
        if parties:
            con.execute("INSERT INTO rescreen_parties SELECT unnest(?)", [sorted(parties)])
        (run_id,) = con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM rescreen_runs").fetchone()  # type: ignore[misc]
        con.execute("DELETE FROM rescreen_matches")
        if cur.matches:
            con.executemany(
                "INSERT INTO rescreen_matches VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        m.party_key,
                        m.name,
                        m.country,
                        m.schema,
                        m.entity_id,
                        m.caption,
                        m.dataset,
                        m.score,
                    )
                    for m in cur.matches
                ],
            )
        con.execute("DELETE FROM rescreen_affiliates")
        if cur.affiliates:
            con.executemany(
                "INSERT INTO rescreen_affiliates VALUES (?, ?, ?, ?)",
                [
                    (eid, name, pct, binds)
                    for eid, (name, pct, binds) in sorted(cur.affiliates.items())
                ],
            )
        if cur.detections is not None:
            con.execute("DELETE FROM rescreen_detections")
            if cur.detections:
                con.executemany("INSERT INTO rescreen_detections VALUES (?, ?, ?)", cur.detections)
        con.execute(
            "INSERT INTO rescreen_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, datetime.now(UTC).replace(tzinfo=None), cur.as_of, cur.list_version,
             orjson.dumps(cur.policy).decode(), cur.parties, cur.alerts, orjson.dumps(cur.summary).decode()],
        )  # fmt: skip
        # The list versions this run has seen are re-screened: their pending marks go with the run.
        con.execute("DELETE FROM list_rescreen_pending WHERE version_id <= ?", [cur.list_version])
        if cur.outbox:
            con.execute(
                "INSERT INTO rescreen_outbox VALUES (?, ?, ?)",
                [run_id, datetime.now(UTC).replace(tzinfo=None), orjson.dumps(cur.outbox).decode()],
            )
        _save_basis(con, cur)
    return int(run_id)


def _save_basis(con: Any, cur: Current) -> None:
    """What the next run may re-screen from: the list as screened, the settings, every party's probes."""
    for table in ("rescreen_basis", "rescreen_list_snapshot", "rescreen_probes"):
        con.execute(f"DELETE FROM {table}")
    if not cur.fingerprint or cur.probes is None:
        return  # nothing to build on: the next run sweeps in full
    con.execute("INSERT INTO rescreen_basis VALUES (?)", [cur.fingerprint])
    con.execute(
        """INSERT INTO rescreen_list_snapshot
           SELECT dataset, entity_id, schema, caption, names, countries, source FROM list_entities"""
    )
    keys = sorted(cur.probes)
    for part, start in enumerate(range(0, len(keys), PROBE_PART)):
        chunk = keys[start : start + PROBE_PART]
        blobs = [cur.probes[k] for k in chunk]
        offsets = np.cumsum([0] + [len(b) for b in blobs], dtype=np.int64)  # byte offsets
        con.execute(
            "INSERT INTO rescreen_probes VALUES (?, ?, ?, ?)",
            [part, orjson.dumps(chunk).decode(), offsets.tobytes(), b"".join(blobs)],
        )


def load_basis(ws: Workspace) -> tuple[str, dict[str, bytes]] | None:
    """(fingerprint, party key -> probes) the last run left, or None (a full sweep is needed)."""
    ensure_state(ws)
    row = ws.con.execute("SELECT fingerprint FROM rescreen_basis").fetchone()
    if row is None:
        return None
    probes: dict[str, bytes] = {}
    for keys, offsets, blob in ws.con.execute("SELECT parties, offsets, probes FROM rescreen_probes ORDER BY part").fetchall():
        bounds = np.frombuffer(offsets, dtype=np.int64).tolist()
        for key, a, b in zip(orjson.loads(keys), bounds, bounds[1:], strict=False):
            probes[key] = bytes(blob[a:b])
    return str(row[0]), probes


def undelivered_alerts(ws: Workspace) -> list[tuple[int, list[dict[str, Any]]]]:
    """(run id, alert records) of runs whose cases were not opened (the process stopped first)."""
    ensure_state(ws)
    rows = ws.con.execute("SELECT run_id, alerts FROM rescreen_outbox ORDER BY run_id").fetchall()
    return [(int(run_id), orjson.loads(alerts)) for run_id, alerts in rows]


def mark_delivered(ws: Workspace, run_id: int) -> None:
    with ws.transaction() as con:
        con.execute("DELETE FROM rescreen_outbox WHERE run_id = ?", [run_id])


def clear_pending(ws: Workspace) -> None:
    """Nothing to re-screen (no parties in the workspace): the marks are settled as they are."""
    with ws.transaction() as con:
        con.execute("DELETE FROM list_rescreen_pending")


def list_changes_since(ws: Workspace, version: int) -> dict[str, tuple[int, str, str]]:
    """Entry id -> (version, dataset, change) for every list change after `version` (the latest wins)."""
    rows = ws.con.execute(
        "SELECT version_id, dataset, entity_id, change FROM list_changes WHERE version_id > ? ORDER BY version_id",
        [version],
    ).fetchall()
    return {eid: (int(v), ds, change) for v, ds, eid, change in rows}


def latest_list_version(ws: Workspace) -> int:
    row = ws.con.execute("SELECT coalesce(max(version_id), 0) FROM list_versions").fetchone()
    return int(row[0]) if row else 0
