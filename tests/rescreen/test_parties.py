"""Parties gathered in SQL are the parties the earlier Python loop gathered, key for key, name
for name, place for place: names in and out of printable ASCII (where the key is computed in
SQL or by party_key), spellings that differ only in case or spaces, aliases, records without an
id, more records than are kept. Every name here is fictional."""

from __future__ import annotations

import random
from pathlib import Path

import orjson

from computewatch.rescreen.parties import (
    GRAPH_SCHEMAS,
    MAX_PLACES_KEPT,
    PARTY_COLUMNS,
    Party,
    PartyTable,
    Place,
    _tables,
    gather_parties,
    party_key,
)
from computewatch.workspace import Workspace

SPELLINGS = [
    "Amberwick Trading Co., Ltd.", "AMBERWICK  TRADING CO., LTD. ", "amberwick trading co., ltd.", " Brightmoor\tSystems ",
    "Brightmoor Systems", "Straße Cobaltine GmbH", "STRASSE COBALTINE GMBH", "Dunhollow\u00a0Research", "Dunhollow Research",
    "峰岭算力科技有限公司", "Элмсгейт Электроника", "Fernbury\u2003 Labs", "Glenholt Ǆ Works", "ǆ glenholt works", "   ", "",
    "Harrowmere Semiconductor", "harrowmere semiconductor", "Quillonmark\x1fData", "Ravensholt ~ Tidewend!",
]  # fmt: skip


def _reference(ws: Workspace) -> dict[str, Party]:
    """The earlier gather_parties, row by row in Python (the definition the SQL must keep)."""
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
        country = f"coalesce(CAST(\"{col.country}\" AS VARCHAR), '')" if col.country in have else "''"
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


def _workspace(home: Path) -> Workspace:
    rng = random.Random(3)
    ws = Workspace(home)
    con = ws.con
    con.execute("""CREATE TABLE graph_entities (entity_id VARCHAR, schema VARCHAR, name VARCHAR, country VARCHAR,
                   properties VARCHAR)""")  # fmt: skip
    for i in range(60):
        props = {"alias": rng.sample(SPELLINGS, 2)} if i % 3 else {"previousName": [rng.choice(SPELLINGS)]}
        con.execute("INSERT INTO graph_entities VALUES (?, ?, ?, ?, ?)",
                    [f"ent-{i:03d}", rng.choice(["Company", "Person", "Vessel"]), rng.choice(SPELLINGS + [None]),  # type: ignore[list-item]
                     rng.choice(["cn", "", None, "ß"]), orjson.dumps(props).decode() if i % 5 else ("" if i % 2 else None)])  # fmt: skip
    con.execute("CREATE TABLE ops_accounts (account_id VARCHAR, holder_name VARCHAR, country VARCHAR, payer_name VARCHAR, billing_country VARCHAR)")
    for i in range(400):
        con.execute("INSERT INTO ops_accounts VALUES (?, ?, ?, ?, ?)",
                    [rng.choice([f"acc-{i}", f"acc-{i % 7}", "", None]), rng.choice(SPELLINGS), rng.choice(["SG", "sg", "CN", None]),
                     rng.choice(SPELLINGS + [None]), rng.choice(["cn", "CN", ""])])  # fmt: skip
    con.execute("CREATE TABLE tender_parties (file VARCHAR, name VARCHAR, role VARCHAR)")
    for i in range(50):
        con.execute("INSERT INTO tender_parties VALUES (?, ?, ?)",
                    [f"C:\\notices\\n-{i}.xml" if i % 2 else f"/srv/notices/n-{i}.xml", rng.choice(SPELLINGS), rng.choice(["buyer", "supplier", "other"])])  # fmt: skip
    return ws


def test_parties_gathered_in_sql_are_the_parties_of_the_python_loop(tmp_path: Path) -> None:
    with _workspace(tmp_path / "ws") as ws:
        expected = _reference(ws)
        found = gather_parties(ws)
    assert list(found) == list(expected)  # the same keys, in the same order
    assert found == expected  # names, countries, schemas, counts and places
    assert any(len(p.places) == MAX_PLACES_KEPT for p in found.values())
    assert len({p.schema for p in found.values()}) > 1 and any(not p.name.isascii() for p in found.values())


def test_a_party_table_loads_the_parties_asked_for_and_tells_new_and_gone_keys(tmp_path: Path) -> None:
    with _workspace(tmp_path / "ws") as ws:
        everyone = gather_parties(ws)
        table = PartyTable(ws)
        keys = list(everyone)
        assert len(table) == len(everyone)
        some = table.load([keys[5], keys[1], "not-a-party"])
        assert list(some) == [keys[1], keys[5]] and some[keys[5]] == everyone[keys[5]]
        ws.con.execute("CREATE TABLE seen AS SELECT unnest(?) AS k", [keys[3:] + ["left-the-workspace"]])
        assert table.not_in("seen", "k") == set(keys[:3])
        assert table.gone_from("seen", "k") == {"left-the-workspace"}
        table.drop()
