"""Cases as plain dicts (for the API, the web pages and reports)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson

from computewatch.cases.models import (
    AuditRecord,
    Case,
    CaseAlert,
    MatchSuppression,
    as_utc,
    as_utc_text,
    utcnow,
)
from computewatch.cases.suppressions import suppression_view

STATUS_LABELS = {"new": "new", "in_review": "in review", "escalated": "escalated",
                 "closed_true": "closed as true", "closed_false": "closed as false"}  # fmt: skip


def age_text(days: float) -> str:
    """'35 min', '5 h', '3 d' (the queue's age column)."""
    if days < 1 / 24:
        return f"{max(0, int(days * 1440))} min"
    if days < 1:
        return f"{int(days * 24)} h"
    return f"{int(days)} d"


def age_days(created: datetime, now: datetime | None = None) -> float:
    return max(0.0, ((now or utcnow()) - as_utc(created)).total_seconds() / 86400)


def case_summary(case: Case, alerts: int | None = None, now: datetime | None = None) -> dict[str, Any]:
    age = age_days(case.created_at, now)
    return {
        "id": case.id, "kind": case.kind, "title": case.title, "scenario": case.scenario, "detector": case.detector,
        "severity": case.severity, "score": round(case.score, 4), "status": case.status, "assignee": case.assignee,
        "decision": case.decision, "created_at": as_utc_text(case.created_at), "updated_at": as_utc_text(case.updated_at),
        "age_days": round(age, 3), "age": age_text(age), "alerts": alerts if alerts is not None else len(case.alerts),
        "subjects": [s.subject for s in case.subjects],
    }  # fmt: skip


def audit_entry(rec: AuditRecord) -> dict[str, Any]:
    return {"seq": rec.seq, "ts": rec.ts, "actor": rec.actor, "action": rec.action, "case_id": rec.case_id,
            "details": orjson.loads(rec.details)}  # fmt: skip


def alert_view(row: CaseAlert, evidence: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": row.id, "alert_id": row.alert_id, "kind": row.kind, "detector": row.detector, "scenario": row.scenario,
            "severity": row.severity, "score": round(row.score, 4), "summary": row.summary, "as_of": row.as_of,
            "origin": row.origin, "joined_at": as_utc_text(row.joined_at), "evidence": evidence, "record": row.record}  # fmt: skip


def case_detail(case: Case, timeline: list[AuditRecord], made: list[MatchSuppression] | None = None,
                earlier: list[MatchSuppression] | None = None) -> dict[str, Any]:  # fmt: skip
    """`made`: the suppressions this case's decision made; `earlier`: decisions of other cases on its list matches."""
    data = case_summary(case)
    evidence = [{"fact": e.fact, "source": e.source, "alert": e.case_alert_id} for e in case.evidence]
    data.update({
        "summary": case.summary, "as_of": case.as_of, "decision_reason": case.decision_reason,
        "decided_by": case.decided_by, "decided_at": as_utc_text(case.decided_at),
        "entities": [{"entity_id": e.entity_id, "name": e.name, "role": e.role, "listed": e.listed} for e in case.entities],
        "evidence": evidence,
        "alert_records": [alert_view(a, [e for e in evidence if e["alert"] == a.id]) for a in case.alerts],
        "notes": [{"id": n.id, "author": n.author, "text": n.text, "created_at": as_utc_text(n.created_at) or ""} for n in case.notes],
        "timeline": [audit_entry(r) for r in timeline],
        "suppressions": [suppression_view(s) for s in made or []],
        "earlier_decisions": [suppression_view(s) for s in earlier or []],
        "record": case.record,
    })  # fmt: skip
    return data
