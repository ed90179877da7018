"""Cases as plain dicts (for the API, the web pages and reports)."""

from __future__ import annotations

from typing import Any

import orjson

from computewatch.cases.models import AuditRecord, Case
from computewatch.cases.store import as_utc_text

STATUS_LABELS = {"new": "new", "in_review": "in review", "escalated": "escalated",
                 "closed_true": "closed as true", "closed_false": "closed as false"}  # fmt: skip


def case_summary(case: Case) -> dict[str, Any]:
    return {
        "id": case.id, "kind": case.kind, "title": case.title, "scenario": case.scenario, "detector": case.detector,
        "severity": case.severity, "score": round(case.score, 4), "status": case.status, "assignee": case.assignee,
        "decision": case.decision, "created_at": as_utc_text(case.created_at), "updated_at": as_utc_text(case.updated_at),
        "subjects": [e.entity_id or e.name or "" for e in case.entities if e.role in ("subject", "query") or e.listed][:10],
    }  # fmt: skip


def audit_entry(rec: AuditRecord) -> dict[str, Any]:
    return {"seq": rec.seq, "ts": rec.ts, "actor": rec.actor, "action": rec.action, "case_id": rec.case_id,
            "details": orjson.loads(rec.details)}  # fmt: skip


def case_detail(case: Case, timeline: list[AuditRecord]) -> dict[str, Any]:
    data = case_summary(case)
    data.update({
        "summary": case.summary, "as_of": case.as_of, "decision_reason": case.decision_reason,
        "decided_by": case.decided_by, "decided_at": as_utc_text(case.decided_at),
        "entities": [{"entity_id": e.entity_id, "name": e.name, "role": e.role, "listed": e.listed} for e in case.entities],
        "evidence": [{"fact": e.fact, "source": e.source} for e in case.evidence],
        "notes": [{"id": n.id, "author": n.author, "text": n.text, "created_at": as_utc_text(n.created_at) or ""} for n in case.notes],
        "timeline": [audit_entry(r) for r in timeline],
        "record": case.record,
    })  # fmt: skip
    return data
