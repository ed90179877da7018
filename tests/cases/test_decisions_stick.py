"""Decisions that stick: a (party, list entry) match closed as a false positive is suppressed against the content
hashes it was decided on; suppressions are audited, listed and lifted (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest

from computewatch.cases.actions import CaseActions
from computewatch.cases.audit import AuditLog
from computewatch.cases.db import CaseDB
from computewatch.cases.errors import CaseConflict, CaseInputError
from computewatch.cases.importing import ImportSummary, import_records
from computewatch.cases.store import CaseFilter, CaseStore
from computewatch.cases.suppressions import SuppressionStore


def _match(party: str = "acc-tamarind", entity_id: str = "fic-tamarind", party_hash: str = "p1", entry_hash: str = "e1") -> dict[str, str]:
    return {"party": party, "entity_id": entity_id, "party_hash": party_hash, "entry_hash": entry_hash,
            "party_name": "Tamarind Consulting Pte. Ltd.", "caption": f"Listed {entity_id}", "dataset": "fictional_list"}  # fmt: skip


def _listed(alert_id: str = "party-listed-1", detector: str = "party-listed", **match: str) -> dict[str, Any]:
    m = _match(**match)
    return {"id": alert_id, "detector": detector, "scenario": "S9", "severity": "critical", "score": 0.95,
            "subjects": [m["party"], m["entity_id"]], "as_of": "2026-11-25",
            "summary": f"{m['party_name']} matches listed '{m['caption']}'",
            "evidence": [{"fact": "screening match 0.95", "source": "fictional_list: list.jsonl (version 1)"}],
            "list_matches": [m]}  # fmt: skip


def _import(db: CaseDB, *records: dict[str, Any]) -> ImportSummary:
    with db.session() as s:
        return import_records(CaseStore(s, "system:rescreen"), list(records), "rescreen run 2")


def _decide_false(db: CaseDB, case_id: int, reason: str = "Namesake in Dubai; other registration and directors") -> None:
    with db.session() as s:
        CaseStore(s, "ann").decide(case_id, False, reason)


def _cleared(db: CaseDB) -> int:
    [cid] = _import(db, _listed()).created
    _decide_false(db, cid)
    return cid


def test_a_false_positive_keeps_what_it_was_decided_against_and_is_audited(case_db: CaseDB) -> None:
    cid = _cleared(case_db)
    [row], total = CaseActions(case_db, "ann").suppressions(True, None, 10, 0)
    assert total == 1
    assert (row["party"], row["entity_id"], row["party_hash"], row["entry_hash"]) == ("acc-tamarind", "fic-tamarind", "p1", "e1")
    assert row["case_id"] == cid and row["active"] and row["created_by"] == "ann" and "Namesake" in row["reason"]
    with case_db.session() as s:
        actions = [r.action for r in AuditLog(s).for_case(cid, include_views=False)]
        assert actions == ["create", "decide", "suppress"] and AuditLog(s).verify().intact


def test_the_same_match_is_not_alerted_again_by_any_detector(case_db: CaseDB) -> None:
    cid = _cleared(case_db)
    again = _import(case_db, _listed(), _listed("rescreen-list-match-7", "rescreen-list-match"))
    assert again.created == [] and again.joined == []
    assert again.suppressed == {"party-listed-1": [cid], "rescreen-list-match-7": [cid]}
    with case_db.session() as s:
        assert [r.action for r in AuditLog(s).recent(3)][0] == "suppressed"  # the import says what it held back


def test_a_different_list_entry_for_the_cleared_party_still_alerts(case_db: CaseDB) -> None:
    _cleared(case_db)
    other = _import(case_db, _listed("party-listed-2", entity_id="fic-tamarind-holdings"))
    assert len(other.created) == 1 and not other.suppressed


def test_a_changed_party_record_brings_the_alert_back_with_the_earlier_decision(case_db: CaseDB) -> None:
    cid = _cleared(case_db)
    back = _import(case_db, _listed("party-listed-3", party_hash="p2"))
    [new] = back.created
    assert new != cid and not back.suppressed
    detail = CaseActions(case_db, "ann").detail(new)
    assert [d["case_id"] for d in detail["earlier_decisions"]] == [cid]
    facts = " | ".join(e["fact"] for e in detail["evidence"])
    assert f"case {cid} closed as a false positive by ann" in facts and "Namesake in Dubai" in facts
    assert "the party's screened data (name, country or type) changed since that decision" in facts


def test_a_changed_list_entry_brings_the_same_alert_back_as_a_new_case(case_db: CaseDB) -> None:
    cid = _cleared(case_db)
    back = _import(case_db, _listed(entry_hash="e2"))  # the same finding id, decided on another version of the entry
    [new] = back.created
    assert new != cid
    detail = CaseActions(case_db, "ann").detail(new)
    assert "the list entry changed since that decision" in " ".join(e["fact"] for e in detail["evidence"])
    assert detail["earlier_decisions"][0]["case_id"] == cid
    assert _import(case_db, _listed(entry_hash="e2")).existing == [new]  # and only once


def test_lifting_a_suppression_is_audited_and_the_match_alerts_again(case_db: CaseDB) -> None:
    cid = _cleared(case_db)
    [row], _ = CaseActions(case_db, "ann").suppressions(True, None, 10, 0)
    with pytest.raises(CaseInputError):
        CaseActions(case_db, "bob").lift(row["id"], "  ")
    lifted = CaseActions(case_db, "bob").lift(row["id"], "The Dubai company opened a Singapore branch")
    assert not lifted["active"] and lifted["lifted_by"] == "bob"
    with pytest.raises(CaseConflict, match="lifted already"):
        CaseActions(case_db, "bob").lift(row["id"], "again")
    assert CaseActions(case_db, "ann").suppressions(True, None, 10, 0)[1] == 0
    assert CaseActions(case_db, "ann").suppressions(False, "tamarind", 10, 0)[1] == 1
    back = _import(case_db, _listed())
    assert len(back.created) == 1 and not back.suppressed
    detail = CaseActions(case_db, "ann").detail(back.created[0])
    assert "the suppression was lifted" in " ".join(e["fact"] for e in detail["evidence"])
    with case_db.session() as s:
        assert "lift" in [r.action for r in AuditLog(s).for_case(cid, include_views=False)]


def test_reopening_the_case_lifts_its_suppressions(case_db: CaseDB) -> None:
    cid = _cleared(case_db)
    with case_db.session() as s:
        CaseStore(s, "ann").reopen(cid, "the registration number matches after all")
    assert CaseActions(case_db, "ann").suppressions(True, None, 10, 0)[1] == 0
    assert _import(case_db, _listed("party-listed-9")).joined == [cid]  # alerts again, into the reopened case


def test_a_true_positive_suppresses_nothing(case_db: CaseDB) -> None:
    [cid] = _import(case_db, _listed()).created
    with case_db.session() as s:
        CaseStore(s, "ann").decide(cid, True, "the listed company")
    assert CaseActions(case_db, "ann").suppressions(False, None, 10, 0)[1] == 0
    assert _import(case_db, _listed("party-listed-2")).created  # a new finding on the party opens a case


def test_an_alert_resting_on_a_cleared_and_an_open_match_is_alerted(case_db: CaseDB) -> None:
    _cleared(case_db)
    both = _listed("party-listed-4")
    both["list_matches"].append(_match(entity_id="fic-other"))
    assert len(_import(case_db, both).created) == 1


def test_bulk_closing_as_false_suppresses_every_case(case_db: CaseDB) -> None:
    one = _import(case_db, _listed("a1", party="acc-1")).created
    two = _import(case_db, _listed("a2", party="acc-2")).created
    with case_db.session() as s:
        result = CaseStore(s, "ann").bulk_decide(one + two, False, "namesakes")
    assert result.done == one + two
    with case_db.session() as s:
        assert len(SuppressionStore(s, "ann").active()) == 2
    assert _import(case_db, _listed("a1", party="acc-1"), _listed("a2", party="acc-2")).suppressed.keys() == {"a1", "a2"}
    rows, _ = CaseActions(case_db, "ann").queue(CaseFilter(open_only=True), 10, 0)
    assert rows == []
