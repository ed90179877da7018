"""Shell indicators and successors (SCENARIOS.md S6), with the negatives that must not fire."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from graph_helpers import codes, load, report

from computewatch.graph.store import GraphStore
from computewatch.graph.successors import find_successors, successor_json
from computewatch.settings.graph import GraphSettings
from computewatch.workspace import Workspace

DAY = date(2025, 12, 1)


def test_the_re_registered_lessee_is_found_and_explained(s6: GraphStore) -> None:
    found = {(s.old, s.new): s for s in find_successors(s6, DAY, GraphSettings())}
    s = found[("s6-kestrel-sg", "s6-kestrel-my")]
    assert s.is_successor and s.score >= 0.9
    assert [t.contract for t in s.takeovers] == ["s6-lease"]
    assert {x.kind for x in s.shared} == {"director", "owner", "phone", "name"}
    assert "took over Lease of 300 GPU servers, Nusajaya DC-3 (lease) from Kestrel Compute Pte. Ltd. (SG) on 2025-06-01" in s.text
    assert "re-registered from SG to MY" in s.text
    record = successor_json(s, s6)
    assert record["new"]["entity_id"] == "s6-kestrel-my" and record["successor"] is True
    assert record["takeovers"][0]["old_until"] == "2025-05-31"


def test_a_takeover_is_not_seen_before_it_happens(s6: GraphStore) -> None:
    early = find_successors(s6, date(2025, 5, 1), GraphSettings())
    assert not any(s.new == "s6-kestrel-my" for s in early)


def test_a_shared_business_park_address_alone_is_weak(s6: GraphStore) -> None:
    found = {(s.old, s.new): s for s in find_successors(s6, DAY, GraphSettings())}
    s = found[("s6-oakridge", "s6-brightlake")]
    assert not s.is_successor
    assert [x.kind for x in s.shared] == ["crowded_address"]
    assert "weak evidence alone" in s.text


def test_sharing_without_a_takeover_is_not_a_successor(tmp_path: Path) -> None:
    data = tmp_path / "e.jsonl"
    data.write_text(
        '{"id": "a", "schema": "Company", "properties": {"name": ["Fernhill Data Pte. Ltd."], "phone": ["+65 6000 1111"]}}\n'
        '{"id": "b", "schema": "Company", "properties": {"name": ["Fernhill Data Sdn. Bhd."], "phone": ["+65 6000 1111"]}}\n'
        '{"id": "p", "schema": "Person", "properties": {"name": ["Ong Li"]}}\n'
        '{"id": "d1", "schema": "Directorship", "properties": {"director": ["p"], "organization": ["a"]}}\n'
        '{"id": "d2", "schema": "Directorship", "properties": {"director": ["p"], "organization": ["b"]}}\n'
        '{"id": "c", "schema": "Contract", "properties": {"title": ["Cloud account 7781"], "type": ["account"]}}\n'
        '{"id": "w1", "schema": "ContractAward", "properties": {"contract": ["c"], "supplier": ["a"], "startDate": ["2024-01-01"]}}\n'
    )
    with Workspace(tmp_path / "ws") as ws:
        store = load(ws, data)
        assert find_successors(store, DAY, GraphSettings()) == []
        # the account then passes to b: now it is a successor
        extra = tmp_path / "more.jsonl"
        extra.write_text('{"id": "w2", "schema": "ContractAward", "properties": {"contract": ["c"], "supplier": ["b"], "startDate": ["2025-02-01"]}}\n')
        load(ws, extra)
        (s,) = find_successors(store, DAY, GraphSettings(), "b")
        assert (s.old, s.new, s.is_successor) == ("a", "b", True)
        assert "Cloud account 7781 (account)" in s.text


def test_a_takeover_by_an_unrelated_company_is_not_a_successor(s6: GraphStore) -> None:
    settings = GraphSettings(link_weights={**GraphSettings().link_weights, "director": 0, "owner": 0, "phone": 0, "name": 0})
    found = {(s.old, s.new): s for s in find_successors(s6, DAY, settings)}
    assert not found[("s6-kestrel-sg", "s6-kestrel-my")].is_successor


def test_successor_flag_in_the_owners_report(s6: GraphStore) -> None:
    from computewatch.graph.report import owners_report

    rep = owners_report(s6, "s6-kestrel-my", DAY)
    flags = [f for f in rep["flags"] if f["code"] == "successor"]
    assert flags and flags[0]["evidence"] == {"role": "successor of", "other": "s6-kestrel-sg"}
    assert any(r["successor"] for r in rep["successors"])


def test_shell_indicators_of_the_new_lessee(s6: GraphStore) -> None:
    rep = report(s6, "s6-kestrel-my")
    found = codes(rep)
    for code in ("recently_incorporated", "many_companies_at_address", "no_web_or_email_domain", "hub_with_owners_in_country_of_concern"):
        assert code in found
    assert "director_of_many_companies" not in found


def test_shell_indicators_stay_quiet_for_an_established_company(s6: GraphStore) -> None:
    found = codes(report(s6, "s6-tianrui"))
    for code in ("recently_incorporated", "many_companies_at_address", "no_web_or_email_domain", "hub_with_owners_in_country_of_concern"):
        assert code not in found
    # incorporated on 2025-02-10: not "recent" a year and a half later
    assert "recently_incorporated" not in codes(report(s6, "s6-kestrel-my", "2026-11-25"))


def test_a_director_on_many_boards_is_flagged(s6: GraphStore) -> None:
    # Chen Yuting sat on both Kestrel boards until the Singapore company was dissolved
    assert "director_of_many_companies" in codes(report(s6, "s6-kestrel-my", "2025-03-01", busy_director=2))
    assert "director_of_many_companies" not in codes(report(s6, "s6-kestrel-my", "2025-12-01", busy_director=2))
