"""One open case per subject: alerts on a subject with an open case join it as new evidence (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from cases_helpers import screening_result, tender

from computewatch.cases.actions import CaseActions
from computewatch.cases.audit import AuditLog
from computewatch.cases.db import CaseDB
from computewatch.cases.errors import CaseConflict
from computewatch.cases.importing import ImportSummary, import_records
from computewatch.cases.store import CaseFilter, CaseStore


def _alert(alert_id: str, detector: str, subjects: list[str], severity: str = "high", score: float = 0.8,
           list_matches: list[dict[str, str]] | None = None) -> dict[str, Any]:  # fmt: skip
    record: dict[str, Any] = {
        "id": alert_id, "detector": detector, "scenario": "S1", "severity": severity, "score": score, "subjects": subjects,
        "as_of": "2026-11-01", "summary": f"{detector} on {', '.join(subjects)}",
        "evidence": [{"fact": f"{detector} fact", "source": "accounts: accounts.csv line 2"}],
    }  # fmt: skip
    if list_matches is not None:
        record["list_matches"] = list_matches
    return record


def _match(party: str, entity_id: str, party_hash: str = "p1", entry_hash: str = "e1") -> dict[str, str]:
    return {"party": party, "entity_id": entity_id, "party_hash": party_hash, "entry_hash": entry_hash,
            "party_name": f"party {party}", "caption": f"entry {entity_id}", "dataset": "fictional_list"}  # fmt: skip


def _import(db: CaseDB, *records: dict[str, Any]) -> ImportSummary:
    with db.session() as s:
        return import_records(CaseStore(s, "importer"), list(records), "alerts.jsonl")


def _open_cases(db: CaseDB) -> list[dict[str, Any]]:
    rows, _ = CaseActions(db, "ann").queue(CaseFilter(open_only=True), 100, 0)
    return rows


def test_two_detectors_on_one_account_give_one_case_with_both_alerts(case_db: CaseDB) -> None:
    first = _import(case_db, _alert("ops-reseller-1", "ops-reseller", ["acc-lotus"], "medium", 0.6))
    then = _import(case_db, _alert("ops-token-resale-1", "ops-token-resale", ["acc-lotus"], "critical", 0.9))
    assert len(first.created) == 1 and then.created == [] and then.joined == first.created
    [case] = _open_cases(case_db)
    assert case["subjects"] == ["acc-lotus"] and case["alerts"] == 2
    assert (case["severity"], case["score"]) == ("critical", 0.9)  # the highest of its alerts
    detail = CaseActions(case_db, "ann").detail(case["id"])
    assert [a["detector"] for a in detail["alert_records"]] == ["ops-reseller", "ops-token-resale"]
    assert [e["fact"] for a in detail["alert_records"] for e in a["evidence"]] == ["ops-reseller fact", "ops-token-resale fact"]
    joins = [t for t in detail["timeline"] if t["action"] == "join"]
    assert len(joins) == 1 and joins[0]["details"]["detector"] == "ops-token-resale"
    assert joins[0]["details"]["case_severity"] == ["medium", "critical"]
    assert detail["alert_records"][1]["joined_at"] >= detail["alert_records"][0]["joined_at"]


def test_alerts_on_different_accounts_stay_different_cases(case_db: CaseDB) -> None:
    summary = _import(case_db, _alert("a", "ops-reseller", ["acc-lotus"]), _alert("b", "ops-reseller", ["acc-brightwater"]))
    assert len(summary.created) == 2 and summary.joined == []


def test_a_shipment_and_its_consignee_meet_in_one_case(case_db: CaseDB) -> None:
    _import(case_db, _alert("s1", "shipment-diversion", ["SHP-1", "kinabalu nexus"]),
            _alert("s2", "shipment-diversion", ["SHP-2", "kinabalu nexus"]),
            _alert("c1", "shipment-diversion-consignee", ["kinabalu nexus"]))  # fmt: skip
    [case] = _open_cases(case_db)
    assert case["alerts"] == 3 and set(case["subjects"]) == {"SHP-1", "SHP-2", "kinabalu nexus"}


def test_two_parties_matching_one_list_entry_are_two_cases(case_db: CaseDB) -> None:
    """The list entry a party matched is not a subject: different parties never meet through it."""
    _import(case_db, _alert("m1", "party-listed", ["acc-1", "fic-zenith"], list_matches=[_match("acc-1", "fic-zenith")]),
            _alert("m2", "party-listed", ["acc-2", "fic-zenith"], list_matches=[_match("acc-2", "fic-zenith")]),
            # an alert from before alerts carried list_matches: the entry after the party is known by its detector
            _alert("m3", "rescreen-list-match", ["acc-3", "fic-zenith"]))  # fmt: skip
    cases = _open_cases(case_db)
    assert sorted(tuple(c["subjects"]) for c in cases) == [("acc-1",), ("acc-2",), ("acc-3",)]
    detail = CaseActions(case_db, "ann").detail(cases[0]["id"])
    assert any(e["entity_id"] == "fic-zenith" and e["listed"] and e["role"] == "list_match" for e in detail["entities"])


def test_a_rescreen_alert_and_a_detector_alert_on_one_listed_party_give_one_case(case_db: CaseDB) -> None:
    match = [_match("acc-summit", "fic-summit")]
    _import(case_db, _alert("rescreen-list-match-1", "rescreen-list-match", ["acc-summit", "fic-summit"], "critical", 0.97, match),
            _alert("party-listed-1", "party-listed", ["acc-summit", "fic-summit"], "critical", 0.97, match),
            _alert("ops-token-resale-1", "ops-token-resale", ["acc-summit"]))  # fmt: skip
    [case] = _open_cases(case_db)
    assert case["alerts"] == 3 and case["subjects"] == ["acc-summit"]


def test_a_closed_case_is_not_joined_a_new_alert_opens_a_case(case_db: CaseDB) -> None:
    [cid] = _import(case_db, _alert("a", "ops-reseller", ["acc-lotus"])).created
    with case_db.session() as s:
        CaseStore(s, "ann").decide(cid, True, "KYC files confirm resale to CN")
    again = _import(case_db, _alert("b", "ops-token-resale", ["acc-lotus"]))
    assert len(again.created) == 1 and again.created != [cid] and again.joined == []
    # the alert already decided stays decided: importing it again adds nothing
    assert _import(case_db, _alert("a", "ops-reseller", ["acc-lotus"])).existing == [cid]


def test_an_alert_touching_two_open_cases_joins_the_oldest_and_no_subject_gets_two(case_db: CaseDB) -> None:
    [one] = _import(case_db, _alert("a", "ops-reseller", ["acc-hexa-a"])).created
    [two] = _import(case_db, _alert("b", "ops-reseller", ["acc-hexa-b"])).created
    linked = _import(case_db, _alert("c", "ops-account-linkage", ["acc-hexa-a", "acc-hexa-b"]))
    assert linked.joined == [one]
    cases = {c["id"]: c for c in _open_cases(case_db)}
    assert cases[one]["subjects"] == ["acc-hexa-a"] and cases[two]["subjects"] == ["acc-hexa-b"]
    facts = [e["fact"] for e in CaseActions(case_db, "ann").detail(one)["evidence"]]
    assert f"also concerns open case {two} (subject acc-hexa-b)" in facts


def test_reopening_is_refused_while_a_subject_has_another_open_case(case_db: CaseDB) -> None:
    [old] = _import(case_db, _alert("a", "ops-reseller", ["acc-lotus"])).created
    with case_db.session() as s:
        CaseStore(s, "ann").decide(old, True, "confirmed")
    [new] = _import(case_db, _alert("b", "ops-token-resale", ["acc-lotus"])).created
    with pytest.raises(CaseConflict, match=f"acc-lotus has an open case \\({new}\\)"), case_db.session() as s:
        CaseStore(s, "ann").reopen(old, "second look")
    with case_db.session() as s:
        CaseStore(s, "ann").decide(new, True, "confirmed as well")
    with case_db.session() as s:
        assert CaseStore(s, "ann").reopen(old, "second look").status == "in_review"


def test_screening_results_and_notices_keep_their_own_subjects(case_db: CaseDB) -> None:
    _import(case_db, screening_result("q1"), tender(file="/srv/computewatch/notices/s1.html"),
            _alert("a", "ops-reseller", ["acc-lotus"]))  # fmt: skip
    subjects = sorted(tuple(c["subjects"]) for c in _open_cases(case_db))
    assert subjects == [("acc-lotus",), ("q1",), ("s1.html",)]


def test_the_audit_log_stays_intact_through_joins(case_db: CaseDB) -> None:
    _import(case_db, _alert("a", "ops-reseller", ["acc-lotus"]), _alert("b", "ops-token-resale", ["acc-lotus"]))
    with case_db.session() as s:
        assert AuditLog(s).verify().intact
