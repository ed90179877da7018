"""Every party the workspace knows, wherever it appears: ingested entities, cloud accounts,
lessees, media carriers and shipment parties.

Which column names a party, in which role and with which country is data (PARTY_COLUMNS),
so a new input table is one more row. Parties are screened once per distinct
(name, country, schema); each keeps where it appears, for the alert's evidence.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import orjson

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


@dataclass(frozen=True)
class Place:
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


def gather_parties(ws: Workspace) -> dict[str, Party]:
    """Every distinct party, keyed by party_key, in a stable order."""
    parties: dict[str, Party] = {}

    def add(name: str, country: str, schema: str, place: Place, count: int = 1) -> None:
        name = " ".join((name or "").split())
        if not name:
            return
        party = parties.setdefault(party_key(name, country, schema), Party(name, country, schema))
        party.count += count
        if len(party.places) < MAX_PLACES_KEPT:
            party.places.append(place)

    tables = _tables(ws)
    if "graph_entities" in tables:
        rows = ws.con.execute(
            f"""SELECT entity_id, schema, name, coalesce(country, ''), properties FROM graph_entities
                WHERE schema IN ({", ".join(f"'{s}'" for s in GRAPH_SCHEMAS)}) ORDER BY entity_id"""
        ).fetchall()
        for eid, schema, name, country, props in rows:
            extra = orjson.loads(props) if props else {}
            for text in [name, *extra.get("alias", []), *extra.get("previousName", [])]:
                add(text, country, schema, Place("graph_entities", eid, "ingested entity"))
    for col in PARTY_COLUMNS:
        have = tables.get(col.table, set())
        if not {col.key, col.name} <= have:
            continue
        country = (
            f"coalesce(CAST(\"{col.country}\" AS VARCHAR), '')" if col.country in have else "''"
        )
        # One row per distinct party: the first records (by id) and how many there are.
        rows = ws.con.execute(
            f"""SELECT "{col.name}", {country} AS c, count(*),
                       list(DISTINCT {col.record_sql()} ORDER BY {col.record_sql()})[1:{MAX_PLACES_KEPT}]
                FROM {col.table} WHERE "{col.name}" IS NOT NULL AND trim("{col.name}") <> '' AND ({col.where})
                GROUP BY ALL ORDER BY 1, 2"""
        ).fetchall()
        for name, country_code, count, keys in rows:
            keys = [k for k in keys if k] or ["(no id)"]
            add(name, country_code, col.schema, Place(col.table, keys[0], col.role), int(count))
            party = parties[party_key(" ".join(name.split()), country_code, col.schema)]
            for k in keys[1:]:
                if len(party.places) >= MAX_PLACES_KEPT:
                    break
                party.places.append(Place(col.table, k, col.role))
    return parties


def has_parties(ws: Workspace) -> bool:
    """Whether anything in the workspace names a party (cheap: stops at the first row)."""
    tables = _tables(ws)
    wanted = {c.table for c in PARTY_COLUMNS if c.table in tables}
    if "graph_entities" in tables:
        wanted.add("graph_entities")
    return any(ws.con.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() for t in sorted(wanted))
