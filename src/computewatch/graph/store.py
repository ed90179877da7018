"""The graph's tables in the workspace DuckDB file, bulk loading, and the lookups the analyses need.

Relationships are looked up by either end through ART indexes, so an
ultimate-owner query reads a few index pages per level of the chain instead of
scanning millions of rows (see bench/graph_bench.py).
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import orjson

from computewatch.graph.model import Edge, Listing, Node
from computewatch.sources.entities import EntityBatch, check_references
from computewatch.workspace import Workspace

TABLES = {
    "graph_entities": """entity_id VARCHAR, schema VARCHAR, name VARCHAR, country VARCHAR, countries VARCHAR,
        incorporation_date DATE, dissolution_date DATE, topics VARCHAR, properties VARCHAR, file VARCHAR, line INTEGER""",
    "graph_relations": """rel_id VARCHAR, kind VARCHAR, source VARCHAR, target VARCHAR, percentage DOUBLE,
        start_date DATE, end_date DATE, role VARCHAR, file VARCHAR, line INTEGER""",
    "graph_listings": """listing_id VARCHAR, entity_id VARCHAR, program VARCHAR, authority VARCHAR,
        start_date DATE, end_date DATE, file VARCHAR, line INTEGER""",
    "graph_contacts": "entity_id VARCHAR, kind VARCHAR, value VARCHAR",
}
INDEXES = {
    "graph_entities_id": "graph_entities(entity_id)",
    "graph_relations_target": "graph_relations(target)",
    "graph_relations_source": "graph_relations(source)",
    "graph_listings_entity": "graph_listings(entity_id)",
    "graph_contacts_value": "graph_contacts(value)",
    "graph_contacts_entity": "graph_contacts(entity_id)",
}
LOG = """CREATE TABLE IF NOT EXISTS graph_loads (loaded_at TIMESTAMP, files VARCHAR, entities INTEGER,
    relations INTEGER, listings INTEGER, problems INTEGER)"""
REBUILD_INDEXES_ABOVE = 50_000  # rows: above this, drop the indexes, load, and build them again
_ID_KEYS = ("graph_entities", "entity_id"), ("graph_relations", "rel_id"), ("graph_listings", "listing_id")


@dataclass
class LoadSummary:
    entities: int
    relations: int
    listings: int
    problems: int
    skipped: dict[str, int]


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _in(ids: list[str]) -> str:
    """An IN list DuckDB answers from the ART index: literal placeholders for short lists
    (`IN (SELECT unnest(?))` scans the table instead)."""
    return "(" + ", ".join("?" * len(ids)) + ")" if len(ids) <= 2000 else "(SELECT unnest(?))"


def _args(ids: list[str]) -> list[Any]:
    return list(ids) if len(ids) <= 2000 else [ids]


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()


class GraphStore:
    """The ownership and control graph of one workspace."""

    def __init__(self, workspace: Workspace):
        self.ws = workspace
        self.con: duckdb.DuckDBPyConnection = workspace.con
        for table, columns in TABLES.items():
            self.con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
        self.con.execute(LOG)
        self._create_indexes()
        self._owners_cache: dict[str, list[tuple[Any, ...]]] | None = None

    def _create_indexes(self) -> None:
        for name, target in INDEXES.items():
            self.con.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")

    # ---- loading -------------------------------------------------------------------------

    def schemas_of(self, ids: Iterable[str]) -> dict[str, str]:
        wanted = list(set(ids))
        if not wanted:
            return {}
        rows = self.con.execute(
            f"SELECT entity_id, schema FROM graph_entities WHERE entity_id IN {_in(wanted)}", _args(wanted)
        ).fetchall()
        return dict(rows)

    def load(self, batch: EntityBatch, files: Sequence[Path] = ()) -> LoadSummary:
        """Check references, then replace (by id) or add every good row, all in one transaction."""
        known = {e.entity_id: e.schema for e in batch.entities}
        known.update(self.schemas_of(ref[3] for ref in batch.references if ref[3] not in known))
        check_references(batch, known)
        contacts = self._resolve_address_refs(batch)
        rows = len(batch.entities) + len(batch.relations) + len(contacts)
        self._owners_cache = None
        with tempfile.TemporaryDirectory(prefix="cw-graph-") as tmp:
            paths = self._write_staging(Path(tmp), batch, contacts)
            with self.ws.transaction() as con:
                rebuild = rows > REBUILD_INDEXES_ABOVE
                if rebuild:
                    for name in INDEXES:
                        con.execute(f"DROP INDEX IF EXISTS {name}")
                self._replace(con, paths)
                if rebuild:
                    self._create_indexes()
                con.execute(
                    "INSERT INTO graph_loads VALUES (?, ?, ?, ?, ?, ?)",
                    [datetime.now(UTC).replace(tzinfo=None), _json([str(f) for f in files]), len(batch.entities),
                     len(batch.relations), len(batch.listings), len(batch.problems)],
                )  # fmt: skip
        return LoadSummary(len(batch.entities), len(batch.relations), len(batch.listings), len(batch.problems), dict(batch.skipped))

    def _resolve_address_refs(self, batch: EntityBatch) -> list[tuple[str, str, str]]:
        """An addressEntity link becomes an 'address' contact keyed by the Address's text, so two
        Address entities with the same text count as one place."""
        texts = {eid: v for eid, kind, v in batch.contacts if kind == "address_text"}
        refs = {v for _, kind, v in batch.contacts if kind == "address_ref" and v not in texts}
        if refs:
            texts.update(self.con.execute(
                "SELECT entity_id, value FROM graph_contacts WHERE kind = 'address_text' AND entity_id IN (SELECT unnest(?))",
                [sorted(refs)],
            ).fetchall())  # fmt: skip
        out = []
        for eid, kind, value in batch.contacts:
            if kind == "address_ref":
                out.append((eid, "address", texts.get(value) or f"ref:{value}"))
            else:
                out.append((eid, kind, value))
        return list(dict.fromkeys(out))

    def _write_staging(self, folder: Path, batch: EntityBatch, contacts: list[tuple[str, str, str]]) -> dict[str, Path]:
        rows: dict[str, Iterable[Sequence[Any]]] = {
            "graph_entities": (
                (e.entity_id, e.schema, e.name, e.country, _json(e.countries), _day(e.incorporation_date),
                 _day(e.dissolution_date), _json(e.topics), _json(e.properties), e.file, e.line)
                for e in batch.entities
            ),
            "graph_relations": (
                (r.rel_id, r.kind, r.source, r.target, "" if r.percentage is None else repr(r.percentage),
                 _day(r.start_date), _day(r.end_date), r.role, r.file, r.line)
                for r in batch.relations
            ),
            "graph_listings": (
                (x.listing_id, x.entity_id, x.program, x.authority, _day(x.start_date), _day(x.end_date), x.file, x.line)
                for x in batch.listings
            ),
            "graph_contacts": contacts,
        }  # fmt: skip
        paths = {}
        for table, table_rows in rows.items():
            path = paths[table] = folder / f"{table}.csv"
            with path.open("w", newline="", encoding="utf-8") as fh:
                csv.writer(fh, lineterminator="\n").writerows(table_rows)
        return paths

    def _replace(self, con: duckdb.DuckDBPyConnection, paths: dict[str, Path]) -> None:
        def source(table: str) -> str:
            columns = ", ".join(f"'{c.split()[0]}': '{c.split()[1]}'" for c in TABLES[table].replace("\n", " ").split(","))
            return (f"read_csv('{paths[table]}', header=false, auto_detect=false, quote='\"', escape='\"', "
                    f"nullstr='', columns={{{columns}}})")  # fmt: skip

        order = {"graph_entities": "entity_id", "graph_relations": "target", "graph_listings": "entity_id"}
        for table, key in _ID_KEYS:
            con.execute(f"CREATE OR REPLACE TEMP TABLE staged AS SELECT * FROM {source(table)}")
            con.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM staged)")
            if table == "graph_entities":
                con.execute("DELETE FROM graph_contacts WHERE entity_id IN (SELECT entity_id FROM staged)")
            con.execute(f"INSERT INTO {table} SELECT * FROM staged ORDER BY {order[table]}")
        con.execute(f"INSERT INTO graph_contacts SELECT * FROM {source('graph_contacts')} ORDER BY value")
        con.execute("DROP TABLE IF EXISTS staged")

    # ---- reading -------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        return {t: int(self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES}  # type: ignore[index]

    def nodes(self, ids: Iterable[str]) -> dict[str, Node]:
        wanted = list(set(ids))
        if not wanted:
            return {}
        rows = self.con.execute(
            f"""SELECT entity_id, schema, name, coalesce(country, ''), countries, incorporation_date,
                      dissolution_date, topics, properties
               FROM graph_entities WHERE entity_id IN {_in(wanted)}""",
            _args(wanted),
        ).fetchall()
        return {
            r[0]: Node(r[0], r[1], r[2] or r[0], r[3], tuple(orjson.loads(r[4])), r[5], r[6],
                       tuple(orjson.loads(r[7])), orjson.loads(r[8]))
            for r in rows
        }  # fmt: skip

    def node(self, entity_id: str) -> Node | None:
        return self.nodes([entity_id]).get(entity_id)

    def _edges(self, column: str, ids: Iterable[str], kinds: Sequence[str], on: date | None) -> list[Edge]:
        wanted = list(set(ids))
        if not wanted:
            return []
        # Only the indexed column in the WHERE clause: another condition makes DuckDB scan the table.
        sql = f"""SELECT rel_id, kind, source, target, percentage, start_date, end_date, coalesce(role, '')
                  FROM graph_relations WHERE {column} IN {_in(wanted)}"""
        edges = [Edge(*row) for row in self.con.execute(sql, _args(wanted)).fetchall()]
        return sorted(e for e in edges if e.kind in kinds and (on is None or e.held_on(on)))

    def edges_into(self, targets: Iterable[str], kinds: Sequence[str], on: date | None = None) -> list[Edge]:
        """Relationships whose target (asset, organisation, contract...) is one of `targets`."""
        cache = self._owners_cache
        if cache is not None and set(kinds) <= {"ownership", "parent"}:
            edges = [Edge(*row) for t in set(targets) for row in cache.get(t, ())]
            return sorted(e for e in edges if e.kind in kinds and (on is None or e.held_on(on)))
        return self._edges("target", targets, kinds, on)

    def preload_ownership(self) -> int:
        """Hold every ownership and parent relationship in memory, by asset, for a session that asks
        many ultimate-owner questions (the web app, batch detectors). Dropped by the next load."""
        cache: dict[str, list[tuple[Any, ...]]] = {}
        cur = self.con.execute(
            """SELECT rel_id, kind, source, target, percentage, start_date, end_date, coalesce(role, '')
               FROM graph_relations WHERE kind IN ('ownership', 'parent')"""
        )
        count = 0
        while rows := cur.fetchmany(100_000):
            for row in rows:
                cache.setdefault(row[3], []).append(row)
            count += len(rows)
        self._owners_cache = cache
        return count

    def edges_from(self, sources: Iterable[str], kinds: Sequence[str], on: date | None = None) -> list[Edge]:
        return self._edges("source", sources, kinds, on)

    def listings(self, ids: Iterable[str]) -> list[Listing]:
        wanted = list(set(ids))
        if not wanted:
            return []
        rows = self.con.execute(
            f"""SELECT entity_id, coalesce(nullif(program, ''), nullif(authority, ''), 'sanction'), start_date,
                      end_date, coalesce(authority, '') FROM graph_listings
               WHERE entity_id IN {_in(wanted)} ORDER BY start_date NULLS FIRST, listing_id""",
            _args(wanted),
        ).fetchall()
        return [Listing(eid, label, since, until, "sanction record", detail) for eid, label, since, until, detail in rows]

    def contacts(self, ids: Iterable[str]) -> list[tuple[str, str, str]]:
        wanted = list(set(ids))
        if not wanted:
            return []
        return self.con.execute(
            f"SELECT entity_id, kind, value FROM graph_contacts WHERE entity_id IN {_in(wanted)} ORDER BY ALL", _args(wanted)
        ).fetchall()

    def entities_with(self, kind: str, values: Iterable[str]) -> list[tuple[str, str]]:
        """(entity id, value) of every entity holding one of these contact values of this kind."""
        wanted = list(set(values))
        if not wanted:
            return []
        return self.con.execute(
            f"SELECT DISTINCT entity_id, value FROM graph_contacts WHERE value IN {_in(wanted)} AND kind = ? ORDER BY ALL",
            [*_args(wanted), kind],
        ).fetchall()

    def count_sharing(self, kind: str, values: Iterable[str]) -> dict[str, int]:
        """How many entities hold each contact value (companies at one address, ...)."""
        wanted = list(set(values))
        if not wanted:
            return {}
        rows = self.con.execute(
            f"""SELECT value, count(DISTINCT entity_id) FROM graph_contacts
               WHERE value IN {_in(wanted)} AND kind = ? GROUP BY value""",
            [*_args(wanted), kind],
        ).fetchall()
        return {v: int(n) for v, n in rows}

    def count_edges_from(self, sources: Iterable[str], kind: str, on: date | None = None) -> dict[str, int]:
        counts: dict[str, set[str]] = {}
        for edge in self.edges_from(sources, [kind], on):
            counts.setdefault(edge.source, set()).add(edge.target)
        return {k: len(v) for k, v in counts.items()}

    def contracts_with_several_holders(self) -> list[str]:
        rows = self.con.execute(
            """SELECT target FROM graph_relations WHERE kind = 'holding'
               GROUP BY target HAVING count(DISTINCT source) > 1 ORDER BY target"""
        ).fetchall()
        return [r[0] for r in rows]

    def party_names(self) -> list[tuple[str, str, str, str, list[str]]]:
        """(id, schema, name, country, aliases) of every party, for name resolution."""
        rows = self.con.execute(
            """SELECT entity_id, schema, name, coalesce(country, ''), properties FROM graph_entities
               WHERE schema IN ('Company', 'Organization', 'Person', 'LegalEntity', 'PublicBody') ORDER BY entity_id"""
        ).fetchall()
        out = []
        for eid, schema, name, country, props in rows:
            p = orjson.loads(props)
            out.append((eid, schema, name, country, p.get("alias", []) + p.get("previousName", [])))
        return out
