"""Alerts, flagged screening results and flagged tenders become cases an analyst can work."""

from __future__ import annotations

import pytest
from cases_helpers import alert, screening_result, tender

from computewatch.cases.audit import AuditLog
from computewatch.cases.db import CaseDB, open_case_db
from computewatch.cases.errors import CaseConflict, CaseInputError
from computewatch.cases.importing import import_records
from computewatch.cases.store import CaseFilter, CaseStore
from computewatch.errors import NotFound
from computewatch.settings import Settings


def _import(db: CaseDB, records: list[dict], actor: str = "importer") -> list[int]:  # type: ignore[type-arg]
    with db.session() as s:
        return import_records(CaseStore(s, actor), records).created


def test_an_alert_becomes_a_new_case_with_its_subjects_and_evidence(case_db: CaseDB) -> None:
    [case_id] = _import(case_db, [alert()])
    with case_db.session() as s:
        case = CaseStore(s, "ann").get(case_id)
        assert case.status == "new" and case.kind == "alert" and case.scenario == "S1"
        assert case.severity == "high" and case.score == pytest.approx(0.91)
        assert [e.entity_id for e in case.entities] == ["acct-reseller-abc123", "acct-reseller-abc123-payer"]
        assert [e.fact for e in case.evidence] == ["7 end users log in from CN", "payments from a card issued in CN"]
        assert case.record["id"] == "reseller-abc123"


def test_importing_the_same_alert_twice_adds_nothing(case_db: CaseDB) -> None:
    _import(case_db, [alert()])
    with case_db.session() as s:
        summary = import_records(CaseStore(s, "x"), [alert(), alert("reseller-new")])
    assert len(summary.created) == 1 and summary.already == 1


def test_only_flagged_screening_and_tender_records_become_cases(case_db: CaseDB) -> None:
    with case_db.session() as s:
        summary = import_records(CaseStore(s, "x"), [screening_result("q1"), screening_result("q2", matched=False),
                                                     tender(), tender(flagged=False, file="n2.html")])  # fmt: skip
        assert len(summary.created) == 2 and summary.not_flagged == 2
        cases, total = CaseStore(s, "x").find()
        assert total == 2
        kinds = {c.kind: CaseStore(s, "x").get(c.id) for c in cases}
        assert kinds["screening"].entities[1].entity_id == "fic-qinghe" and kinds["screening"].entities[1].listed
        assert kinds["tender"].evidence[0].fact.startswith("controlled chip H100-SXM")
        assert kinds["tender"].entities[0].entity_id == "fic-qinghe"


def test_bad_records_are_reported_with_their_line_and_good_ones_kept(case_db: CaseDB) -> None:
    broken = alert("broken")
    del broken["severity"]
    with case_db.session() as s:
        summary = import_records(CaseStore(s, "x"), [{"hello": 1}, broken, alert("fine")], origin="alerts.jsonl")
    assert len(summary.created) == 1
    assert [(p.file, p.line) for p in summary.problems] == [("alerts.jsonl", 1), ("alerts.jsonl", 2)]
    assert "lacks severity" in summary.problems[1].reason


def test_a_case_moves_through_review_to_a_decision_with_a_reason(case_db: CaseDB) -> None:
    [cid] = _import(case_db, [alert()])
    with case_db.session() as s:
        store = CaseStore(s, "ann")
        store.assign(cid, "bob")
        store.set_status(cid, "in_review")
        store.set_status(cid, "escalated")
        store.add_note(cid, "Asked the provider for KYC files.")
        store.decide(cid, True, "End users in CN confirmed by KYC files.")
    with case_db.session() as s:
        case = CaseStore(s, "bob").get(cid)
        assert (case.status, case.assignee, case.decision, case.decided_by) == ("closed_true", "bob", "true", "ann")
        assert case.decision_reason == "End users in CN confirmed by KYC files."
        assert [n.text for n in case.notes] == ["Asked the provider for KYC files."]
        actions = [r.action for r in AuditLog(s).for_case(cid, include_views=False)]
    assert actions == ["create", "assign", "status", "status", "note", "decide"]


def test_closing_as_false_then_reopening(case_db: CaseDB) -> None:
    [cid] = _import(case_db, [alert()])
    with case_db.session() as s:
        store = CaseStore(s, "ann")
        assert store.decide(cid, False, "the account is a university lab, KYC on file").status == "closed_false"
        with pytest.raises(CaseConflict, match="already decided"):
            store.decide(cid, True, "again")
        with pytest.raises(CaseConflict, match="reopen it first"):
            store.set_status(cid, "in_review")
        case = store.reopen(cid, "new evidence")
        assert case.status == "in_review" and case.decision is None


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda st, cid: st.set_status(cid, "done"), CaseInputError, "unknown status"),
        (lambda st, cid: st.set_status(cid, "closed_true"), CaseConflict, "deciding it"),
        (lambda st, cid: st.set_status(cid, "new"), CaseConflict, "already new"),
        (lambda st, cid: st.decide(cid, True, "  "), CaseInputError, "needs a reason"),
        (lambda st, cid: st.add_note(cid, ""), CaseInputError, "needs text"),
        (lambda st, cid: st.reopen(cid, "why"), CaseConflict, "is open"),
        (lambda st, cid: st.get(cid + 1000), NotFound, "unknown case"),
    ],
)
def test_wrong_moves_are_refused_with_a_message(case_db: CaseDB, call, error, message) -> None:  # type: ignore[no-untyped-def]
    [cid] = _import(case_db, [alert()])
    with case_db.session() as s, pytest.raises(error, match=message):
        call(CaseStore(s, "ann"), cid)


def test_queue_filters_and_orders_by_severity(case_db: CaseDB) -> None:
    _import(case_db, [alert("a-low", "low", 0.99), alert("a-crit", "critical", 0.5), alert("a-high", "high", 0.8), tender()])
    with case_db.session() as s:
        store = CaseStore(s, "ann")
        cases, total = store.find()
        assert total == 4
        assert [c.severity for c in cases] == ["critical", "high", "high", "low"]
        only_low, n = store.find(CaseFilter(severity="low"))
        assert n == 1 and only_low[0].record["id"] == "a-low"
        tenders, n = store.find(CaseFilter(kind="tender"))
        assert n == 1 and tenders[0].kind == "tender"
        found, n = store.find(CaseFilter(text="RESELLS"))
        assert n == 3
        store.decide(cases[0].id, False, "benign")
        open_cases, n = store.find(CaseFilter(open_only=True))
        assert n == 3 and cases[0].id not in [c.id for c in open_cases]
        page, n = store.find(limit=2, offset=2)
        assert n == 4 and [c.id for c in page] == [c.id for c in cases[2:]]


def test_cases_of_an_entity(case_db: CaseDB) -> None:
    _import(case_db, [alert("a1", subject="acct-x"), alert("a2", subject="acct-y")])
    with case_db.session() as s:
        found = CaseStore(s, "ann").cases_for_entity("acct-x")
    assert [c.record["id"] for c in found] == ["a1"]


def test_the_schema_is_migrated_once_and_reopening_keeps_the_data(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with open_case_db(tmp_path, Settings()) as db:
        _import(db, [alert()])
    assert (tmp_path / "cases.sqlite").exists()
    with open_case_db(tmp_path, Settings()) as db, db.session() as s:
        assert CaseStore(s, "x").find()[1] == 1
        from alembic.script import ScriptDirectory
        from sqlalchemy import text

        from computewatch.cases.db import alembic_config

        newest = ScriptDirectory.from_config(alembic_config(db.engine)).get_current_head()
        assert s.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == newest
