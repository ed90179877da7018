"""Every party the workspace knows, wherever it appears: ingested entities, cloud accounts,
lessees, media carriers and shipment parties.

Which column names a party, in which role and with which country is data (PARTY_COLUMNS),
so a new input table is one more row. Parties are screened once per distinct
(name, country, schema); each keeps where it appears, for the alert's evidence.

The parties are gathered by one DuckDB query into a table of the session (PartyTable): a
delta re-screen asks it how many parties there are, which are new, and builds Party objects
only for the few it alerts on or screens again. The party key is computed in SQL for names
in printable ASCII (there it is the same text as party_key's), in Python for the others.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from computewatch.workspace import Workspace

MAX_PLACES_KEPT = 20  # occurrences named in an alert; the count is always exact


@dataclass(frozen=True)
class PartyColumn:
    table: str
    key: str  # the record's id column (shown as the alert's subject)
    name: str  # the column naming the party
    role: str
    country: str | None = None  # the column giving the party's own country, when the table has one
    schema: str = "LegalEntity"  # Person / Company / LegalEntity (either)
    where: str = "TRUE"  # which rows of the table (SQL)
    shown: str | None = None  # SQL for the record id alerts name, when not the key column itself

    def record_sql(self) -> str:
        return self.shown or f'CAST("{self.key}" AS VARCHAR)'


NOTICE_NAME = r"regexp_extract(replace(file, '\', '/'), '[^/]*$')"  # a notice by its file name, not the server's path
PARTY_COLUMNS = (
    PartyColumn("ops_accounts", "account_id", "holder_name", "account holder", "country"),
    PartyColumn("ops_accounts", "account_id", "payer_name", "payer", "billing_country"),
    PartyColumn("ops_leases", "lease_id", "lessee_name", "lessee"),
    PartyColumn("ops_media", "lease_id", "lessee_name", "media lessee"),
    PartyColumn(
        "ops_media", "lease_id", "carried_by", "media carrier", "carrier_nationality", "Person"
    ),
    PartyColumn("shipments", "shipment_id", "shipper", "shipper"),
    PartyColumn("shipments", "shipment_id", "consignee", "consignee", "consignee_country"),
    PartyColumn("shipments", "shipment_id", "end_user", "end user", "end_user_country"),
    PartyColumn("shipments", "shipment_id", "notify_party", "notify party"),
    PartyColumn("shipments", "shipment_id", "freight_forwarder", "freight forwarder"),
    PartyColumn("shipments", "shipment_id", "payer", "payer", "payer_country"),
    PartyColumn("tender_parties", "file", "name", "notice buyer", where="role = 'buyer'", shown=NOTICE_NAME),
    PartyColumn("tender_parties", "file", "name", "notice agency", where="role = 'agency'", shown=NOTICE_NAME),
    PartyColumn("tender_parties", "file", "name", "notice supplier", where="role = 'supplier'", shown=NOTICE_NAME),
)
GRAPH_SCHEMAS = ("Company", "Organization", "Person", "LegalEntity", "PublicBody")


class Place(NamedTuple):
    """One record naming the party."""

    table: str
    record: str
    role: str

    def text(self) -> str:
        return f"{self.role} in {self.table} {self.record}"


@dataclass
class Party:
    name: str
    country: str
    schema: str
    places: list[Place] = field(default_factory=list)
    count: int = 0  # records naming it (places keeps the first MAX_PLACES_KEPT)

    @property
    def key(self) -> str:
        return party_key(self.name, self.country, self.schema)

    @property
    def subject(self) -> str:
        """The main subject of its alerts: the ingested entity when there is one, else the first record."""
        graph = [p.record for p in self.places if p.table == "graph_entities"]
        return graph[0] if graph else self.places[0].record

    def where(self) -> str:
        shown = "; ".join(p.text() for p in self.places[:5])
        more = self.count - min(self.count, 5)
        return shown + (f"; and {more} more records" if more else "")


def party_key(name: str, country: str, schema: str) -> str:
    text = "\x1f".join((" ".join(name.split()).casefold(), country.upper(), schema))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _tables(ws: Workspace) -> dict[str, set[str]]:
    rows = ws.con.execute(
        "SELECT table_name, column_name FROM information_schema.columns"
    ).fetchall()
    found: dict[str, set[str]] = {}
    for table, column in rows:
        found.setdefault(table, set()).add(column)
    return found


_PLAIN = "regexp_full_match({}, '[ -~]*')"  # printable ASCII: casefold() is lower(), split() splits at spaces only
_TABLES = itertools.count()


def _sources(tables: dict[str, set[str]]) -> list[str]:
    """One SELECT per source of party names, each row a group of records naming one spelling:
    (src, k1, k2, k3: its place in the order parties are met; raw name, country, schema, records
    counted, the first MAX_PLACES_KEPT record ids, table, role). Ids sort '' first and NULL
    last, so the first ids hold a real one whenever the group has one."""
    parts = []
    if "graph_entities" in tables:
        props = "CASE WHEN properties IS NULL OR properties = '' THEN NULL ELSE json_extract(properties, '$.{}') END"
        names = f"list_concat([name], coalesce(CAST({props.format('alias')} AS VARCHAR[]), []), coalesce(CAST({props.format('previousName')} AS VARCHAR[]), []))"
        parts.append(
            f"""SELECT 0 AS src, entity_id AS k1, '' AS k2, pos AS k3, raw, country, schema, 1 AS n,
                       [entity_id] AS records, 'graph_entities' AS tbl, 'ingested entity' AS role
                FROM (SELECT entity_id, schema, coalesce(country, '') AS country,
                             unnest(texts) AS raw, generate_subscripts(texts, 1) AS pos
                      FROM (SELECT entity_id, schema, country, {names} AS texts FROM graph_entities
                            WHERE schema IN ({", ".join(f"'{s}'" for s in GRAPH_SCHEMAS)})))"""
        )
    for i, col in enumerate(PARTY_COLUMNS, start=1):
        have = tables.get(col.table, set())
        if not {col.key, col.name} <= have:
            continue
        country = f"coalesce(CAST(\"{col.country}\" AS VARCHAR), '')" if col.country in have else "''"
        # One row per distinct spelling: the first records (by id) and how many there are.
        parts.append(
            f"""SELECT {i} AS src, raw AS k1, c AS k2, 0 AS k3, raw, c AS country, '{col.schema}' AS schema, n,
                       CASE WHEN has_id THEN records ELSE ['(no id)'] END AS records,
                       '{col.table}' AS tbl, '{col.role}' AS role
                FROM (SELECT CAST("{col.name}" AS VARCHAR) AS raw, {country} AS c, count(*) AS n,
                             count({col.record_sql()}) FILTER (WHERE {col.record_sql()} <> '') > 0 AS has_id,
                             list(DISTINCT {col.record_sql()} ORDER BY {col.record_sql()})[1:{MAX_PLACES_KEPT}] AS records
                      FROM {col.table} WHERE "{col.name}" IS NOT NULL AND trim("{col.name}") <> '' AND ({col.where})
                      GROUP BY ALL)"""
        )
    return parts


class PartyTable:
    """Every distinct party of the workspace, keyed by party_key, gathered into a temporary table
    of this connection (one row per spelling a source names it by, with its key): a full sweep
    loads every party, a delta re-screen counts them, finds the new and the departed ones in SQL
    and loads only the parties it needs."""

    def __init__(self, ws: Workspace):
        self.ws = ws
        self.table = f"rescreen_party_groups_{next(_TABLES)}"
        con = ws.con
        parts = _sources(_tables(ws))
        if not parts:
            con.execute(f"""CREATE TEMP TABLE {self.table} (src INTEGER, k1 VARCHAR, k2 VARCHAR, k3 BIGINT, raw VARCHAR,
                            country VARCHAR, schema VARCHAR, n BIGINT, records VARCHAR[], tbl VARCHAR, role VARCHAR,
                            norm VARCHAR, key VARCHAR)""")  # fmt: skip
            return
        # printable ASCII (most names): the normalised name and the key in SQL, as party_key makes them
        plain = _PLAIN.format("raw || country || schema")
        con.execute(
            f"""CREATE TEMP TABLE {self.table} AS
                SELECT *, CASE WHEN {plain} THEN regexp_replace(trim(raw), '  +', ' ', 'g') END AS norm,
                       CASE WHEN {plain} THEN left(sha256(lower(norm) || chr(31) || upper(country) || chr(31) || schema), 20) END AS key
                FROM ({" UNION ALL ".join(parts)}) WHERE raw IS NOT NULL"""
        )
        # the other spellings: in Python, by party_key itself
        other = con.execute(f"SELECT DISTINCT raw, country, schema FROM {self.table} WHERE key IS NULL").fetchall()
        if other:
            names = [" ".join(raw.split()) for raw, _, _ in other]
            con.execute(
                f"""UPDATE {self.table} t SET norm = k.norm, key = k.key
                    FROM (SELECT unnest(?) AS raw, unnest(?) AS country, unnest(?) AS schema, unnest(?) AS norm, unnest(?) AS key) k
                    WHERE t.key IS NULL AND t.raw = k.raw AND t.country = k.country AND t.schema = k.schema""",
                [[r for r, _, _ in other], [c for _, c, _ in other], [sc for _, _, sc in other], names,
                 [party_key(nm, c, sc) for nm, (_, c, sc) in zip(names, other, strict=True)]],
            )  # fmt: skip
        con.execute(f"DELETE FROM {self.table} WHERE norm = ''")

    def __len__(self) -> int:
        return int(self.ws.con.execute(f"SELECT count(DISTINCT key) FROM {self.table}").fetchone()[0])  # type: ignore[index]

    def load(self, keys: Iterable[str] | None = None) -> dict[str, Party]:
        """The parties of `keys` that are in the workspace (None: every party), in party order:
        each spelling's records added in the order the sources are read, as they are met."""
        where, args = "", []
        if keys is not None:
            where, args = "WHERE key IN (SELECT unnest(?))", [sorted(set(keys))]
        rows = self.ws.con.execute(
            f"SELECT key, norm, country, schema, n, src, records, tbl, role FROM {self.table} {where} ORDER BY src, k1, k2, k3", args
        ).fetchall()
        parties: dict[str, Party] = {}
        for key, name, country, schema, n, src, records, table, role in rows:
            party = parties.get(key)
            if party is None:
                party = parties[key] = Party(name, country, schema)
            party.count += n
            room = MAX_PLACES_KEPT - len(party.places)
            if room > 0:
                # a record without an id names none (the sources give '(no id)' when no record has one)
                ids = records if src == 0 else [r for r in records if r]
                party.places.extend(Place(table, r, role) for r in ids[:room])
        return parties

    def not_in(self, table: str, column: str) -> set[str]:
        """The parties whose key is not in `column` of `table` (not screened by the last run)."""
        sql = f"SELECT DISTINCT key FROM {self.table} WHERE key NOT IN (SELECT {column} FROM {table})"
        return {r[0] for r in self.ws.con.execute(sql).fetchall()}

    def gone_from(self, table: str, column: str) -> set[str]:
        """The keys in `column` of `table` that are no party of the workspace now."""
        sql = f"SELECT {column} FROM {table} WHERE {column} NOT IN (SELECT key FROM {self.table})"
        return {r[0] for r in self.ws.con.execute(sql).fetchall()}

    def drop(self) -> None:
        self.ws.con.execute(f"DROP TABLE IF EXISTS {self.table}")


def gather_parties(ws: Workspace) -> dict[str, Party]:
    """Every distinct party, keyed by party_key, in a stable order."""
    found = PartyTable(ws)
    try:
        return found.load()
    finally:
        found.drop()


def has_parties(ws: Workspace) -> bool:
    """Whether anything in the workspace names a party (cheap: stops at the first row)."""
    tables = _tables(ws)
    wanted = {c.table for c in PARTY_COLUMNS if c.table in tables}
    if "graph_entities" in tables:
        wanted.add("graph_entities")
    return any(ws.con.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() for t in sorted(wanted))
