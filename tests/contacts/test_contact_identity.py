"""One contact identity everywhere (computewatch.contacts): the ownership graph, the account linkage and the
shipments key a phone, an e-mail address or a domain the same way."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from computewatch.contacts import domain_key, email_key, phone_key
from computewatch.detectors.linkage import link_accounts
from computewatch.engine import open_engine
from computewatch.settings.detectors import LinkageThresholds
from computewatch.sources.entities import read_entities
from computewatch.sources.operations import ensure_tables
from computewatch.workspace import Workspace


@pytest.mark.parametrize(
    ("raw", "country", "key"),
    [
        ("+65 6000 1111", None, "+6560001111"),
        ("6000 1111", "SG", "+6560001111"),  # read in the record's country
        ("(65) 6000-1111", "sg", "+6560001111"),
        ("0065 6000 1111", None, "+6560001111"),  # 00, the common international prefix
        ("03-7967 0001", "MY", "+60379670001"),  # a trunk 0 is dropped
        ("+60 3 7967 0001", "SG", "+60379670001"),  # an explicit country code wins over the record's
        ("010 5555 0001", "CN", "+861055550001"),
        ("6000 1111", "HK", "+85260001111"),  # the same digits in another country are another number
        ("6000 1111", None, "60001111"),  # no country to read it in: its digits, kept
        ("12-34", "SG", ""),  # too short to be a phone
        ("", "SG", ""),
    ],
)
def test_phone_keys(raw: str, country: str | None, key: str) -> None:
    assert phone_key(raw, country) == key


def test_email_and_domain_keys() -> None:
    assert email_key(" Ops@Example.COM ") == "ops@example.com" == email_key("mailto:ops@example.com")
    assert email_key("no-at-sign") == ""
    for raw in ("@Example.com.", "ops@example.com", "https://www.example.com/about", "EXAMPLE.COM", "www.example.com:443"):
        assert domain_key(raw) == "example.com", raw


def test_the_graph_keys_phones_in_the_entitys_country(tmp_path: Path) -> None:
    path = tmp_path / "entities.jsonl"
    rows = [
        {"id": "e-1", "schema": "Company", "properties": {"name": ["Kite Hill Trading Pte. Ltd."], "country": ["sg"], "phone": ["+65 6000 1111"],
                                                          "email": ["Sales@KiteHill.example"]}},
        {"id": "e-2", "schema": "Company", "properties": {"name": ["Marlow Reach Pte. Ltd."], "country": ["sg"], "phone": ["6000 1111"],
                                                          "website": ["https://www.kitehill.example/"]}},
        {"id": "e-3", "schema": "Company", "properties": {"name": ["Orbit Lane Ltd."], "country": ["hk"], "phone": ["6000 1111"]}},
    ]  # fmt: skip
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    batch = read_entities([path])
    assert not batch.problems
    phones = {eid: value for eid, kind, value in batch.contacts if kind == "phone"}
    assert phones == {"e-1": "+6560001111", "e-2": "+6560001111", "e-3": "+85260001111"}
    domains = {(eid, value) for eid, kind, value in batch.contacts if kind == "domain"}
    assert {("e-1", "kitehill.example"), ("e-2", "kitehill.example")} <= domains
    assert ("e-1", "email", "sales@kitehill.example") in batch.contacts


def test_accounts_giving_one_phone_two_ways_are_linked_like_the_graph_links_them(tmp_path: Path) -> None:
    accounts = {
        "acc-a": {"account_id": "acc-a", "country": "SG", "phone": "+65 6000 1111", "email_domain": "@KiteHill.example",
                  "src_file": "accounts.csv", "src_line": 2},
        "acc-b": {"account_id": "acc-b", "country": "SG", "phone": "6000 1111", "email_domain": "kitehill.example.",
                  "src_file": "accounts.csv", "src_line": 3},
        "acc-c": {"account_id": "acc-c", "country": "HK", "phone": "6000 1111", "src_file": "accounts.csv", "src_line": 4},
    }  # fmt: skip
    with Workspace(tmp_path / "ws") as ws:
        ensure_tables(ws.con)
        with open_engine("duckdb", ws.con) as engine:
            customers = link_accounts(engine, accounts, datetime(2026, 1, 1), datetime(2026, 12, 1), LinkageThresholds())
    assert customers.groups == {"acc-a": ["acc-a", "acc-b"]}
    kinds = {(v.kind, v.value) for v in customers.shared["acc-a"]}
    assert kinds == {("phone", "+6560001111"), ("email_domain", "kitehill.example")}
