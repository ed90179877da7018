"""The list store of the workspace: restricted-party lists by version (tables list_versions,
list_entities, list_changes), each load complete or not at all, with what it changed.

The readers (sources/) give it list records; screening reads its entities back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import duckdb
import orjson

from computewatch.crashpoints import crash_point

SCHEMA = """
CREATE SEQUENCE IF NOT EXISTS list_version_seq START 1;
CREATE TABLE IF NOT EXISTS list_versions (
    version_id INTEGER PRIMARY KEY,
    dataset VARCHAR NOT NULL,
    file VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    format VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    entity_count INTEGER NOT NULL,
    added INTEGER NOT NULL,
    removed INTEGER NOT NULL,
    modified INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS list_entities (
    dataset VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL,
    schema VARCHAR NOT NULL,
    caption VARCHAR NOT NULL,
    names VARCHAR NOT NULL,        -- JSON list: primary name first, then aliases
    countries VARCHAR NOT NULL,    -- JSON list of ISO alpha-2 (lower case)
    source VARCHAR NOT NULL,       -- the list the entry is on
    entity VARCHAR NOT NULL,       -- FollowTheMoney entity JSON
    source_fields VARCHAR NOT NULL,-- every field of the source row(s), JSON
    content_hash VARCHAR NOT NULL,
    version_id INTEGER NOT NULL,
    PRIMARY KEY (dataset, entity_id)
);
CREATE TABLE IF NOT EXISTS list_rescreen_pending (  -- a list version whose re-screen has not completed
    version_id INTEGER PRIMARY KEY,
    dataset VARCHAR NOT NULL,
    marked_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS list_changes (
    version_id INTEGER NOT NULL,
    dataset VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL,
    change VARCHAR NOT NULL        -- added, removed, modified
);
"""


@dataclass(frozen=True)
class ListEntity:
    """A restricted party as screening sees it; the full FtM entity stays in the workspace."""

    id: str
    schema: str
    caption: str
    names: tuple[str, ...]  # primary name first, then aliases
    countries: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    source: str = ""  # the list it is on, e.g. 'Entity List (EL) - Bureau of Industry and Security'


class ListRecord(Protocol):
    """What a list reader gives the store (sources/records.py ListRecord)."""

    entity: dict[str, Any]
    source_fields: dict[str, Any]

    @property
    def id(self) -> str: ...

    def content_hash(self) -> str: ...

    def to_list_entity(self, dataset: str) -> ListEntity: ...


@dataclass
class LoadResult:
    dataset: str
    version_id: int | None  # None when the file held nothing new
    entity_count: int
    added: int
    removed: int
    modified: int

    @property
    def unchanged(self) -> bool:
        return self.version_id is None


def _insert_columns(con: duckdb.DuckDBPyConnection, table: str, width: int, rows: Sequence[Sequence[Any]], tail: str = "") -> None:
    """Insert rows column by column (each column one list, unnested together): executemany
    goes row by row, minutes for a list of a million entries. `tail`: constant last columns."""
    if not rows:
        return
    columns = [[row[i] for row in rows] for i in range(width)]
    unnest = ", ".join(f"unnest(${i + 1})" for i in range(width))
    con.execute(f"INSERT INTO {table} SELECT {unnest}{tail}", columns)


class ListStore:
    """The list tables of a workspace connection (created on first use, unless the connection is read-only)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, transaction: Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]],
                 create: bool = True):  # fmt: skip
        self.con = con
        self.transaction = transaction
        if create:
            self.con.execute(SCHEMA)

    def load_list(self, dataset: str, records: Sequence[ListRecord], file: Path, fmt: str) -> LoadResult:
        """Replace a dataset with a new version, completely or not at all, and record the changes."""
        sha = hashlib.sha256(file.read_bytes()).hexdigest()
        new = {r.id: (r, r.content_hash()) for r in records}
        old = dict(
            self.con.execute(
                "SELECT entity_id, content_hash FROM list_entities WHERE dataset = ?", [dataset]
            ).fetchall()
        )
        added = sorted(set(new) - set(old))
        removed = sorted(set(old) - set(new))
        modified = sorted(k for k in set(new) & set(old) if new[k][1] != old[k])
        if old and not (added or removed or modified):
            return LoadResult(dataset, None, len(new), 0, 0, 0)
        rows = []
        for eid, (record, digest) in new.items():
            entity = record.to_list_entity(dataset)
            rows.append(
                (dataset, eid, entity.schema, entity.caption, orjson.dumps(list(entity.names)).decode(),
                 orjson.dumps(list(entity.countries)).decode(), entity.source,
                 orjson.dumps(record.entity).decode(), orjson.dumps(record.source_fields).decode(), digest)
            )  # fmt: skip
        with self.transaction() as con:
            (version_id,) = con.execute("SELECT nextval('list_version_seq')").fetchone()  # type: ignore[misc]
            con.execute("DELETE FROM list_entities WHERE dataset = ?", [dataset])
            _insert_columns(con, "list_entities", 10, rows, f", {int(version_id)}")
            changes = [(version_id, dataset, e, "added") for e in added]
            changes += [(version_id, dataset, e, "removed") for e in removed]
            changes += [(version_id, dataset, e, "modified") for e in modified]
            _insert_columns(con, "list_changes", 4, changes)
            now = datetime.now(UTC).replace(tzinfo=None)
            con.execute(
                "INSERT INTO list_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [version_id, dataset, str(file), sha, fmt, now, len(new), len(added), len(removed), len(modified)],
            )
            # Durable with the version itself: the re-screen this change needs is owed until one completes.
            con.execute("INSERT INTO list_rescreen_pending VALUES (?, ?, ?)", [version_id, dataset, now])
            crash_point("list-version-staged")
        crash_point("list-version-committed")
        return LoadResult(dataset, int(version_id), len(new), len(added), len(removed), len(modified))

    def list_entities(self) -> list[ListEntity]:
        rows = self.con.execute(
            "SELECT entity_id, schema, caption, names, countries, dataset, source FROM list_entities ORDER BY dataset, entity_id"
        ).fetchall()
        return [
            ListEntity(eid, schema, caption, tuple(orjson.loads(names)), tuple(orjson.loads(countries)), (dataset,), source)
            for eid, schema, caption, names, countries, dataset, source in rows
        ]

    def list_versions(self) -> list[dict[str, object]]:
        cur = self.con.execute("SELECT * FROM list_versions ORDER BY version_id")
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    def rescreen_pending(self) -> list[tuple[int, str]]:
        """(version, dataset) of every list version still owed a re-screen (a crash, or --no-rescreen)."""
        return self.con.execute("SELECT version_id, dataset FROM list_rescreen_pending ORDER BY version_id").fetchall()

    def list_changes(self, version_id: int) -> list[tuple[str, str]]:
        return self.con.execute(
            "SELECT entity_id, change FROM list_changes WHERE version_id = ? ORDER BY change, entity_id", [version_id]
        ).fetchall()
