"""Cases: alerts, flagged screening results and flagged tenders become work an analyst can do.

SQLAlchemy models with Alembic migrations; SQLite at <workspace>/cases.sqlite by
default, PostgreSQL (or any SQLAlchemy URL) via COMPUTEWATCH_DATABASE_URL. Every
change of state and every view of case data is written to an append-only,
hash-chained audit log.

Public API (imported lazily: settings.py imports cases.settings)::

    open_case_db(workspace, settings=None) -> CaseDB        # migrated to the newest schema
    CaseStore(session, actor)                                # cases: list, get, status, assign, decide, notes
    import_records(store, records) -> ImportSummary          # alerts, screening results, tender records
    AuditLog(session).verify() -> AuditVerdict
    create_api_key(session, name, role) -> (ApiKey, secret)
    demo_cases(workspace) -> list[str]
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "CaseDB": "computewatch.cases.db",
    "open_case_db": "computewatch.cases.db",
    "CaseStore": "computewatch.cases.store",
    "import_records": "computewatch.cases.importing",
    "ImportSummary": "computewatch.cases.importing",
    "AuditLog": "computewatch.cases.audit",
    "AuditVerdict": "computewatch.cases.audit",
    "create_api_key": "computewatch.cases.keys",
    "demo_cases": "computewatch.cases.demo",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(name)
