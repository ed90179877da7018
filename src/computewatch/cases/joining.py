"""One open case per subject: a record opens a case, or joins the open case of one of its subjects
as new evidence (the timeline says when it joined); the case's severity is the highest of its alerts.

A record touching the open cases of two subjects joins the oldest, and says so in its evidence;
its subjects that belong to the other case stay there, so no subject has two open cases.
"""

from __future__ import annotations

from dataclasses import dataclass

from computewatch.alerts.model import SEVERITIES
from computewatch.cases.models import (
    Case,
    CaseAlert,
    CaseEntity,
    CaseEvidence,
    CaseSubject,
    MatchSuppression,
    as_utc_text,
    utcnow,
)
from computewatch.cases.records import Incoming
from computewatch.cases.store import CaseStore


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else -1


@dataclass
class Placed:
    case_id: int
    created: bool


def earlier_decision_text(row: MatchSuppression, now_changed: str) -> str:
    who = f" by {row.created_by}" if row.created_by else ""
    lifted = (f"; lifted {as_utc_text(row.lifted_at)[:10]} by {row.lifted_by}: {row.lift_reason}"  # type: ignore[index]
              if row.lifted_at else "")  # fmt: skip
    reason = f": '{row.reason}'" if row.reason else ""
    return (f"earlier decision on {row.party_name or row.party} x list entry {row.entity_id} ({row.caption or row.dataset}): "
            f"case {row.case_id} closed as a false positive{who} on {(as_utc_text(row.created_at) or '')[:10]}{reason}"
            f"{lifted}; {now_changed}")  # fmt: skip


def _case_alert(incoming: Incoming, source_key: str, origin: str) -> CaseAlert:
    return CaseAlert(source_key=source_key, alert_id=incoming.alert_id, kind=incoming.kind, detector=incoming.detector,
                     scenario=incoming.scenario, severity=incoming.severity, score=incoming.score, summary=incoming.summary,
                     as_of=incoming.as_of, record=incoming.record, origin=origin[:200], joined_at=utcnow())  # fmt: skip


def _add_parts(case: Case, incoming: Incoming, row: CaseAlert, subjects: list[str], notes: list[tuple[str, str]]) -> None:
    now = utcnow()
    have_subjects = {s.subject for s in case.subjects}
    case.subjects += [CaseSubject(subject=s, joined_at=now) for s in subjects if s not in have_subjects]
    have_entities = {(e.entity_id, e.name, e.role) for e in case.entities}
    position = len(case.entities)
    for e in incoming.entities:
        if (e.entity_id, e.name, e.role) not in have_entities:
            case.entities.append(CaseEntity(position=position, entity_id=e.entity_id, name=e.name, role=e.role, listed=e.listed))
            have_entities.add((e.entity_id, e.name, e.role))
            position += 1
    position = len(case.evidence)
    for i, (fact, source) in enumerate(incoming.evidence + notes):
        case.evidence.append(CaseEvidence(position=position + i, fact=fact, source=source, case_alert_id=row.id))


def place(store: CaseStore, incoming: Incoming, source_key: str, origin: str, notes: list[tuple[str, str]]) -> Placed:
    """Open a case for the record, or add it to the open case of one of its subjects (audited either way).

    `notes`: more evidence to keep with it (an earlier decision on one of its list matches)."""
    taken = store.open_cases_of(incoming.subjects)
    if taken:
        case = store._load(min(taken.values()))
        others = sorted({cid for cid in taken.values() if cid != case.id})
        notes = notes + [(f"also concerns open case {cid} (subject {', '.join(s for s, c in taken.items() if c == cid)})",
                          "case store") for cid in others]  # fmt: skip
        row = _case_alert(incoming, source_key, origin)
        case.alerts.append(row)
        store.session.flush()
        _add_parts(case, incoming, row, [s for s in incoming.subjects if taken.get(s, case.id) == case.id], notes)
        before = case.severity
        if severity_rank(incoming.severity) > severity_rank(case.severity):
            case.severity = incoming.severity
        case.score = max(case.score, incoming.score)
        if incoming.as_of and (not case.as_of or str(incoming.as_of) > str(case.as_of)):
            case.as_of = incoming.as_of
        case.updated_at = utcnow()
        store.session.flush()
        store.audit.append(store.actor, "join", case.id, source_key=source_key, kind=incoming.kind, detector=incoming.detector,
                           severity=incoming.severity, case_severity=[before, case.severity], origin=origin,
                           summary=incoming.summary[:300])  # fmt: skip
        return Placed(case.id, False)
    case = Case(source_key=source_key[:200], kind=incoming.kind, title=incoming.title, summary=incoming.summary,
                scenario=incoming.scenario, detector=incoming.detector, severity=incoming.severity, score=incoming.score,
                as_of=incoming.as_of, record=incoming.record, status="new")  # fmt: skip
    case.created_at = case.updated_at = utcnow()
    row = _case_alert(incoming, source_key, origin)
    case.alerts = [row]
    store.session.add(case)
    store.session.flush()
    _add_parts(case, incoming, row, incoming.subjects, notes)
    store.session.flush()
    store.audit.append(store.actor, "create", case.id, source_key=source_key, kind=incoming.kind, origin=origin)
    return Placed(case.id, True)
