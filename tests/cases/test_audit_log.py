"""Every change and every view is in a hash-chained log; `audit verify` finds any edit or deletion."""

from __future__ import annotations

from cases_helpers import alert
from sqlalchemy import text

from computewatch.cases.audit import AuditLog
from computewatch.cases.db import CaseDB
from computewatch.cases.importing import import_records
from computewatch.cases.store import CaseStore


def _history(db: CaseDB) -> int:
    with db.session() as s:
        store = CaseStore(s, "ann")
        [cid] = import_records(store, [alert()]).created
        store.get(cid)
        store.assign(cid, "bob")
        store.decide(cid, True, "confirmed")
        store.find()
    return cid


def test_views_and_changes_are_recorded_by_whom_and_when(case_db: CaseDB) -> None:
    cid = _history(case_db)
    with case_db.session() as s:
        records = AuditLog(s).recent()
        assert [r.action for r in reversed(records)] == ["create", "view", "assign", "decide", "view_queue"]
        assert {r.actor for r in records} == {"ann"}
        assert all(r.ts.endswith("+00:00") for r in records)
        assert [r.case_id for r in reversed(records)][:4] == [cid] * 4
        verdict = AuditLog(s).verify()
    assert verdict.intact and verdict.records == 5


def test_an_edited_record_is_detected(case_db: CaseDB) -> None:
    _history(case_db)
    with case_db.session() as s:
        s.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3"))
    with case_db.session() as s:
        verdict = AuditLog(s).verify()
    assert not verdict.intact
    assert [(p.seq, "edited" in p.reason) for p in verdict.problems] == [(3, True)]


def test_a_deleted_record_in_the_middle_is_detected(case_db: CaseDB) -> None:
    _history(case_db)
    with case_db.session() as s:
        s.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    with case_db.session() as s:
        problems = AuditLog(s).verify().problems
    assert problems and problems[0].seq == 3 and "missing" in problems[0].reason


def test_deleting_the_newest_records_is_detected(case_db: CaseDB) -> None:
    _history(case_db)
    with case_db.session() as s:
        s.execute(text("DELETE FROM audit_log WHERE seq >= 4"))
    with case_db.session() as s:
        problems = AuditLog(s).verify().problems
    assert len(problems) == 1 and "newest records deleted" in problems[0].reason


def test_rewriting_a_record_and_its_hash_still_breaks_the_chain(case_db: CaseDB) -> None:
    _history(case_db)
    with case_db.session() as s:
        s.execute(text("UPDATE audit_log SET hash = :h WHERE seq = 2"), {"h": "f" * 64})
    with case_db.session() as s:
        problems = AuditLog(s).verify().problems
    assert {p.seq for p in problems} == {2, 3}


def test_an_empty_log_verifies(case_db: CaseDB) -> None:
    with case_db.session() as s:
        verdict = AuditLog(s).verify()
    assert verdict.intact and verdict.records == 0


def _append_many(url: str, worker: int, count: int) -> None:
    from computewatch.cases.db import make_engine
    from computewatch.settings import Settings

    engine = make_engine(url, Settings())
    with engine.connect() as con:
        from sqlalchemy.orm import Session

        for i in range(count):
            with Session(bind=con) as session, session.begin():
                AuditLog(session).append(f"worker-{worker}", "auth_failure", n=i)
    engine.dispose()


def test_appends_from_several_processes_keep_one_unbroken_chain(case_db: CaseDB) -> None:
    """The server's workers are processes: their appends (e.g. wrong keys) must not reuse a sequence number."""
    import multiprocessing as mp

    url = case_db.engine.url.render_as_string(hide_password=False)
    with case_db.session() as session:  # the head exists before the race starts, as in any used store
        AuditLog(session).append("test", "start")
    procs = [mp.get_context("fork").Process(target=_append_many, args=(url, w, 25)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    with case_db.session() as session:
        log = AuditLog(session)
        assert log.verify().intact
        assert len(log.recent(1000)) == 101
