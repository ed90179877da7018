"""Cases: alerts, flagged screening results and flagged tenders become work an analyst can do.

SQLAlchemy models with Alembic migrations; SQLite at <workspace>/cases.sqlite by
default, PostgreSQL (or any SQLAlchemy URL) via COMPUTEWATCH_DATABASE_URL. Every
change of state and every view of case data is written to an append-only,
hash-chained audit log.

Public API::

    open_case_db(workspace, settings=None) -> CaseDB        # migrated to the newest schema
    CaseStore(session, actor)                                # cases: list, get, status, assign, decide, notes
    import_records(store, records) -> ImportSummary          # alerts, screening results, tender records
    AuditLog(session).verify() -> AuditVerdict
    create_api_key(session, name, role) -> (ApiKey, secret)
    demo_cases(workspace) -> list[str]
"""

from __future__ import annotations

from computewatch.cases.audit import AuditLog, AuditVerdict
from computewatch.cases.db import CaseDB, open_case_db
from computewatch.cases.demo import demo_cases
from computewatch.cases.importing import ImportSummary, import_records
from computewatch.cases.keys import create_api_key
from computewatch.cases.store import CaseStore

__all__ = [
    "AuditLog",
    "AuditVerdict",
    "CaseDB",
    "CaseStore",
    "ImportSummary",
    "create_api_key",
    "demo_cases",
    "import_records",
    "open_case_db",
]
