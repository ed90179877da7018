"""Working cases: list, open, move through statuses, assign, decide, annotate. Every call is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session, selectinload

from computewatch.cases.audit import AuditLog
from computewatch.cases.errors import CaseConflict, CaseInputError
from computewatch.cases.models import OPEN_STATUSES, STATUSES, Case, CaseNote, utcnow
from computewatch.errors import NotFound

SEVERITY_ORDER = ("critical", "high", "medium", "low", "informational", "info")
# Moves an analyst may make with `set_status`; closing goes through `decide`, reopening is its own call.
MANUAL_MOVES = {s: set(OPEN_STATUSES) - {s} for s in OPEN_STATUSES}


@dataclass
class CaseFilter:
    status: str | None = None
    severity: str | None = None
    scenario: str | None = None
    kind: str | None = None
    assignee: str | None = None
    text: str | None = None
    open_only: bool = False

    def apply(self, query: Select[Any]) -> Select[Any]:
        if self.status:
            query = query.where(Case.status == self.status)
        if self.open_only:
            query = query.where(Case.status.in_(OPEN_STATUSES))
        if self.severity:
            query = query.where(Case.severity == self.severity)
        if self.scenario:
            query = query.where(Case.scenario == self.scenario)
        if self.kind:
            query = query.where(Case.kind == self.kind)
        if self.assignee:
            query = query.where(Case.assignee == self.assignee)
        if self.text:
            words = self.text.lower()  # autoescape: % and _ in the words are matched as themselves
            query = query.where(func.lower(Case.title).contains(words, autoescape=True)
                                | func.lower(Case.summary).contains(words, autoescape=True))  # fmt: skip
        return query

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, False, "")}


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise CaseInputError(f"unknown status {status!r}; one of: {', '.join(STATUSES)}")


class CaseStore:
    def __init__(self, session: Session, actor: str):
        self.session = session
        self.actor = actor
        self.audit = AuditLog(session)

    # --- reading (each read of case data is audited as a view) ---
    def find(self, filters: CaseFilter | None = None, limit: int = 50, offset: int = 0) -> tuple[list[Case], int]:
        filters = filters or CaseFilter()
        if filters.status:
            _check_status(filters.status)
        query = filters.apply(select(Case))
        total = int(self.session.execute(select(func.count()).select_from(query.subquery())).scalar_one())
        rank = sql_case({s: i for i, s in enumerate(SEVERITY_ORDER)}, value=Case.severity, else_=len(SEVERITY_ORDER))
        query = query.order_by(rank, Case.score.desc(), Case.id).limit(limit).offset(offset).options(selectinload(Case.entities))
        cases = list(self.session.execute(query).scalars())
        self.audit.append(self.actor, "view_queue", None, filters=filters.as_dict(), shown=[c.id for c in cases])
        return cases, total

    def _load(self, case_id: int) -> Case:
        case = self.session.execute(
            select(Case).where(Case.id == case_id).options(
                selectinload(Case.entities), selectinload(Case.evidence), selectinload(Case.notes)
            )
        ).scalar_one_or_none()
        if case is None:
            raise NotFound("case", str(case_id))
        return case

    def get(self, case_id: int, purpose: str = "view") -> Case:
        case = self._load(case_id)
        self.audit.append(self.actor, "view", case.id, purpose=purpose)
        return case

    def cases_for_entity(self, entity_id: str) -> list[Case]:
        from computewatch.cases.models import CaseEntity

        linked = select(CaseEntity.case_id).where(CaseEntity.entity_id == entity_id)
        query = select(Case).where(Case.id.in_(linked)).order_by(Case.id)
        cases = list(self.session.execute(query).scalars())
        self.audit.append(self.actor, "view_entity_cases", None, entity_id=entity_id, shown=[c.id for c in cases])
        return cases

    # --- changing state ---
    def _touch(self, case: Case) -> None:
        case.updated_at = utcnow()

    def set_status(self, case_id: int, status: str) -> Case:
        _check_status(status)
        case = self._load(case_id)
        if status in ("closed_true", "closed_false"):
            raise CaseConflict("close a case by deciding it (true or false, with a reason)")
        if case.status not in OPEN_STATUSES:
            raise CaseConflict(f"case {case.id} is {case.status}; reopen it first")
        if status not in MANUAL_MOVES[case.status]:
            raise CaseConflict(f"case {case.id} is already {status}")
        old = case.status
        case.status = status
        self._touch(case)
        self.audit.append(self.actor, "status", case.id, old=old, new=status)
        return case

    def assign(self, case_id: int, assignee: str | None) -> Case:
        case = self._load(case_id)
        assignee = (assignee or "").strip() or None
        old = case.assignee
        case.assignee = assignee
        self._touch(case)
        self.audit.append(self.actor, "assign", case.id, old=old, new=assignee)
        return case

    def decide(self, case_id: int, outcome: bool, reason: str) -> Case:
        """Close the case as a true positive (outcome True) or a false positive, with the reason why."""
        reason = reason.strip()
        if not reason:
            raise CaseInputError("a decision needs a reason")
        case = self._load(case_id)
        if case.status not in OPEN_STATUSES:
            raise CaseConflict(f"case {case.id} is already decided ({case.status}); reopen it first")
        old = case.status
        case.status = "closed_true" if outcome else "closed_false"
        case.decision = "true" if outcome else "false"
        case.decision_reason = reason
        case.decided_by = self.actor
        case.decided_at = utcnow()
        self._touch(case)
        self.audit.append(self.actor, "decide", case.id, old=old, new=case.status, reason=reason)
        return case

    def reopen(self, case_id: int, reason: str) -> Case:
        reason = reason.strip()
        if not reason:
            raise CaseInputError("reopening needs a reason")
        case = self._load(case_id)
        if case.status in OPEN_STATUSES:
            raise CaseConflict(f"case {case.id} is open ({case.status})")
        old = case.status
        case.status = "in_review"
        case.decision = case.decision_reason = case.decided_by = None
        case.decided_at = None
        self._touch(case)
        self.audit.append(self.actor, "reopen", case.id, old=old, new="in_review", reason=reason)
        return case

    def add_note(self, case_id: int, text: str) -> CaseNote:
        text = text.strip()
        if not text:
            raise CaseInputError("a note needs text")
        case = self._load(case_id)
        note = CaseNote(case_id=case.id, author=self.actor, text=text, created_at=utcnow())
        self.session.add(note)
        self._touch(case)
        self.session.flush()
        self.audit.append(self.actor, "note", case.id, note_id=note.id, text=text)
        return note


def as_utc_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat(timespec="seconds") if value.tzinfo else value.isoformat(timespec="seconds") + "+00:00"
