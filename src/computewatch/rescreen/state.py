"""What the last re-screening saw, kept in the workspace so the next one can say what changed.

rescreen_runs        one row per run: when, as of which day, up to which list version, the policy snapshot
rescreen_matches     current list matches per party (party_key, list entry, score)
rescreen_affiliates  entities owned 50% or more by listed parties, and whether the Affiliates rule bound
rescreen_detections  (detector, main subject) of every detector alert of the last run
rescreen_parties     every party screened (to tell a newly ingested party from a list change)
rescreen_basis       what the screening was done with (settings and code fingerprint)
rescreen_list_snapshot  the list entries as screening saw them (what a delta re-screen compares with)
rescreen_probe_parties  every party screened, by a number, with the weight of its name (screening.touch)
rescreen_probe_keys  every party's hashed lookup keys, one row each: a delta re-screen looks up
                     the keys of the changed entries here (one join), not every party's keys

A run updates the current-state tables and appends its run row in one transaction: a full
sweep replaces them; a delta re-screen rewrites only the rows of the parties it screened
again, of the parties that left the workspace and of the list entries that changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import orjson

from computewatch.screening.touch import ProbeColumns
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
    "CREATE TABLE IF NOT EXISTS rescreen_probe_parties (party INTEGER, party_key VARCHAR, weight DOUBLE)",
    "CREATE TABLE IF NOT EXISTS rescreen_probe_keys (key UBIGINT, party INTEGER, credit FLOAT, grp USMALLINT)",
)
LEGACY = ("rescreen_probes",)  # earlier layouts of the basis, dropped by the next run that saves one


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
    # the parties it screened stay in rescreen_parties: asked in SQL (rescreen.parties.PartyTable.not_in)

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
    return prev


@dataclass
class Delta:
    """What a delta re-screen changed: the rows it rewrites in place of every row."""

    screened: set[str]  # parties screened again (new ones included): their matches and probes replaced
    left: set[str]  # parties no longer in the workspace
    joined: set[str]  # parties not screened before
    entries: list[tuple[str, str]]  # (dataset, entity id) of the list entries added, changed or removed


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
    delta: Delta | None = None  # a delta re-screen: only these rows change; None: every row is rewritten


def save_run(ws: Workspace, cur: Current, parties: set[str]) -> int:
    """Save the run and the state the next one starts from, in one transaction. `parties`: every
    party of the workspace (a delta re-screen reads only cur.delta)."""
    ensure_state(ws)
    delta = cur.delta
    with ws.transaction() as con:
        if delta is None:
            con.execute("DELETE FROM rescreen_parties")
            con.execute("DELETE FROM rescreen_matches")
            _insert(con, "rescreen_parties", [sorted(parties)])
            _insert_matches(con, cur.matches)
        else:
            _delete(con, "rescreen_parties", "party_key", delta.left)
            _insert(con, "rescreen_parties", [sorted(delta.joined)])
            _delete(con, "rescreen_matches", "party_key", delta.screened | delta.left)
            _insert_matches(con, [m for m in cur.matches if m.party_key in delta.screened])
        (run_id,) = con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM rescreen_runs").fetchone()  # type: ignore[misc]
        con.execute("DELETE FROM rescreen_affiliates")
        if cur.affiliates:
            rows = [(eid, name, pct, binds) for eid, (name, pct, binds) in sorted(cur.affiliates.items())]
            _insert(con, "rescreen_affiliates", [list(c) for c in zip(*rows, strict=True)])
        if cur.detections is not None:
            con.execute("DELETE FROM rescreen_detections")
            if cur.detections:
                _insert(con, "rescreen_detections", [list(c) for c in zip(*cur.detections, strict=True)])
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
        if delta is None:
            _save_basis(con, cur)
        else:
            _update_basis(con, cur, delta)
    return int(run_id)


def _insert(con: Any, table: str, columns: list[list[Any]]) -> None:
    """Rows given column by column, in one statement (executemany goes row by row)."""
    if columns and columns[0]:
        con.execute(f"INSERT INTO {table} SELECT {', '.join('unnest(?)' for _ in columns)}", columns)


def _insert_matches(con: Any, matches: list[StoredMatch]) -> None:
    columns = ("party_key", "name", "country", "schema", "entity_id", "caption", "dataset", "score")
    _insert(con, "rescreen_matches", [[getattr(m, c) for m in matches] for c in columns])


def _delete(con: Any, table: str, column: str, values: set[str]) -> None:
    if values:
        con.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT unnest(?))", [sorted(values)])


def _save_basis(con: Any, cur: Current) -> None:
    """What the next run may re-screen from: the list as screened, the settings, every party's probes."""
    for table in ("rescreen_basis", "rescreen_list_snapshot", "rescreen_probe_parties", "rescreen_probe_keys"):
        con.execute(f"DELETE FROM {table}")
    for table in LEGACY:
        con.execute(f"DROP TABLE IF EXISTS {table}")
    if not cur.fingerprint or cur.probes is None:
        return  # nothing to build on: the next run sweeps in full
    con.execute("INSERT INTO rescreen_basis VALUES (?)", [cur.fingerprint])
    con.execute(
        """INSERT INTO rescreen_list_snapshot
           SELECT dataset, entity_id, schema, caption, names, countries, source FROM list_entities"""
    )
    _insert_probes(con, cur.probes, sorted(cur.probes), 0)


def _update_basis(con: Any, cur: Current, delta: Delta) -> None:
    """The basis of a delta re-screen: the changed list entries and the probes of the parties
    screened again replace theirs; every other row stays."""
    if delta.entries:
        entries = sorted(f"{ds}\x1f{eid}" for ds, eid in delta.entries)
        where = "dataset || chr(31) || entity_id IN (SELECT unnest(?))"
        con.execute(f"DELETE FROM rescreen_list_snapshot WHERE {where}", [entries])
        con.execute(
            f"""INSERT INTO rescreen_list_snapshot
                SELECT dataset, entity_id, schema, caption, names, countries, source FROM list_entities WHERE {where}""",
            [entries],
        )
    out = sorted(delta.screened | delta.left)
    if out:
        con.execute(
            """DELETE FROM rescreen_probe_keys WHERE party IN
               (SELECT party FROM rescreen_probe_parties WHERE party_key IN (SELECT unnest(?)))""",
            [out],
        )
        con.execute("DELETE FROM rescreen_probe_parties WHERE party_key IN (SELECT unnest(?))", [out])
    (start,) = con.execute("SELECT coalesce(max(party), -1) + 1 FROM rescreen_probe_parties").fetchone()
    assert cur.probes is not None
    _insert_probes(con, cur.probes, sorted(delta.screened), int(start))


def _insert_probes(con: Any, probes: dict[str, bytes], keys: list[str], start: int) -> None:
    """The probes of the parties `keys`, numbered from `start`, one row per key."""
    if not keys:
        return
    cols = ProbeColumns.from_blobs([probes[k] for k in keys])
    numbers = np.arange(start, start + len(keys), dtype=np.int32)
    _insert(con, "rescreen_probe_parties", [numbers.tolist(), keys, cols.weights.tolist()])
    rows = {"key": cols.keys, "party": numbers[cols.query_of], "credit": cols.credits, "grp": cols.groups}
    con.register("probe_rows", rows)
    try:
        con.execute("INSERT INTO rescreen_probe_keys SELECT key, party, credit, grp FROM probe_rows")
    finally:
        con.unregister("probe_rows")


def load_basis(ws: Workspace) -> str | None:
    """The fingerprint of the screening the last run left a basis of, or None (a full sweep is needed)."""
    ensure_state(ws)
    row = ws.con.execute("SELECT fingerprint FROM rescreen_basis").fetchone()
    return None if row is None else str(row[0])


def probes_meeting(ws: Workspace, keys: np.ndarray) -> tuple[list[str], ProbeColumns]:
    """The stored probes whose key is one of `keys` (one join in the workspace, not a read of
    every party's probes), and the parties they belong to: query i of the columns is party i."""
    con = ws.con
    con.register("wanted_keys", {"key": np.unique(keys.astype(np.uint64))})
    try:
        rows = con.execute(
            "SELECT party, key, credit, grp FROM rescreen_probe_keys WHERE key IN (SELECT key FROM wanted_keys)"
        ).fetchnumpy()
    finally:
        con.unregister("wanted_keys")
    numbers, query_of = np.unique(rows["party"], return_inverse=True)
    con.register("wanted_parties", {"party": numbers})
    try:
        found = con.execute(
            """SELECT party, party_key, weight FROM rescreen_probe_parties
               WHERE party IN (SELECT party FROM wanted_parties) ORDER BY party"""
        ).fetchnumpy()
    finally:
        con.unregister("wanted_parties")
    assert np.array_equal(found["party"], numbers), "probes of a party not in rescreen_probe_parties"
    cols = ProbeColumns(query_of.astype(np.int64), rows["key"], rows["credit"], rows["grp"], found["weight"])
    return found["party_key"].tolist(), cols


def parties_without_probes(ws: Workspace) -> set[str]:
    """Parties the last run screened whose probes it did not keep (a delta re-screens them)."""
    rows = ws.con.execute(
        "SELECT party_key FROM rescreen_parties WHERE party_key NOT IN (SELECT party_key FROM rescreen_probe_parties)"
    ).fetchall()
    return {r[0] for r in rows}


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
