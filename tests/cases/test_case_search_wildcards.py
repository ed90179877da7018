"""The queue's word search treats % and _ as the characters they are, not as LIKE wildcards (SQLite and PostgreSQL)."""

from __future__ import annotations

from cases_helpers import alert

from computewatch.cases.db import CaseDB
from computewatch.cases.importing import import_records
from computewatch.cases.store import CaseFilter, CaseStore


def _with_summaries(case_db: CaseDB, *summaries: str) -> None:
    records = [{**alert(f"a{i}", subject=f"acct-{i}"), "summary": s} for i, s in enumerate(summaries)]
    with case_db.session() as s:
        import_records(CaseStore(s, "test"), records)


def _found(case_db: CaseDB, text: str) -> list[str]:
    with case_db.session() as s:
        cases, total = CaseStore(s, "test").find(CaseFilter(text=text))
        assert total == len(cases)
        return sorted(c.summary for c in cases)


def test_percent_and_underscore_match_only_themselves(case_db: CaseDB) -> None:
    _with_summaries(case_db, "owns 50% of Harbourline", "account acct_7 resells", "plain summary", "path C:\\ data")
    assert _found(case_db, "%") == ["owns 50% of Harbourline"]
    assert _found(case_db, "50%") == ["owns 50% of Harbourline"]
    assert _found(case_db, "_") == ["account acct_7 resells"]
    assert _found(case_db, "acct_7") == ["account acct_7 resells"]
    assert _found(case_db, "acct%7") == []
    assert _found(case_db, "p_ain") == []
    assert _found(case_db, "\\") == ["path C:\\ data"]
    assert _found(case_db, "PLAIN") == ["plain summary"]  # still case-insensitive
