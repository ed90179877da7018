"""Working cases: list, open, move through statuses, assign, decide, annotate. Every call is audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session, selectinload

from computewatch.cases.audit import AuditLog
from computewatch.cases.errors import CaseConflict, CaseInputError
from computewatch.cases.models import (
    OPEN_STATUSES,
    STATUSES,
    Case,
    CaseAlert,
    CaseNote,
    CaseSubject,
    as_utc_text,
    utcnow,
)
from computewatch.cases.suppressions import SuppressionStore
from computewatch.errors import NotFound

__all__ = ["SEVERITY_ORDER", "SORTS", "BulkResult", "CaseFilter", "CaseStore", "as_utc_text"]

SEVERITY_ORDER = ("critical", "high", "medium", "low", "informational", "info")
# Moves an analyst may make with `set_status`; closing goes through `decide`, reopening is its own call.
MANUAL_MOVES = {s: set(OPEN_STATUSES) - {s} for s in OPEN_STATUSES}
# Queue orders: most severe first (then score), or by age: the oldest (longest waiting) or the newest first.
SORTS = ("severity", "oldest", "newest")
SORT_ALIASES = {"age": "oldest", "-age": "newest"}
MAX_BULK = 1000


@dataclass
class CaseFilter:
    status: str | None = None
    severity: str | None = None
    scenario: str | None = None
    kind: str | None = None
    assignee: str | None = None
    text: str | None = None
    open_only: bool = False
    sort: str = "severity"

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
        return {k: v for k, v in self.__dict__.items() if v not in (None, False, "") and (k, v) != ("sort", "severity")}

    def order(self) -> list[Any]:
        sort = SORT_ALIASES.get(self.sort, self.sort)
        if sort not in SORTS:
            raise CaseInputError(f"unknown sort {self.sort!r}; one of: {', '.join(SORTS)} (or age, -age)")
        if sort == "oldest":
            return [Case.created_at, Case.id]
        if sort == "newest":
            return [Case.created_at.desc(), Case.id.desc()]
        rank = sql_case({s: i for i, s in enumerate(SEVERITY_ORDER)}, value=Case.severity, else_=len(SEVERITY_ORDER))
        return [rank, Case.score.desc(), Case.id]


@dataclass
class BulkResult:
    """A move made on many cases at once: the cases it was made on, and why it was not on the others."""

    done: list[int]
    skipped: dict[int, str]


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
        order = filters.order()
        query = filters.apply(select(Case))
        total = int(self.session.execute(select(func.count()).select_from(query.subquery())).scalar_one())
        query = query.order_by(*order).limit(limit).offset(offset).options(selectinload(Case.entities), selectinload(Case.subjects))
        cases = list(self.session.execute(query).scalars())
        self.audit.append(self.actor, "view_queue", None, filters=filters.as_dict(), shown=[c.id for c in cases])
        return cases, total

    def _load(self, case_id: int) -> Case:
        case = self.session.execute(
            select(Case).where(Case.id == case_id).options(
                selectinload(Case.entities), selectinload(Case.evidence), selectinload(Case.notes),
                selectinload(Case.alerts), selectinload(Case.subjects),
            )
        ).scalar_one_or_none()
        if case is None:
            raise NotFound("case", str(case_id))
        return case

    def get(self, case_id: int, purpose: str = "view") -> Case:
        case = self._load(case_id)
        self.audit.append(self.actor, "view", case.id, purpose=purpose)
        return case

    def alert_counts(self, case_ids: list[int]) -> dict[int, int]:
        """How many alerts each case holds."""
        if not case_ids:
            return {}
        query = select(CaseAlert.case_id, func.count()).where(CaseAlert.case_id.in_(case_ids)).group_by(CaseAlert.case_id)
        return {int(cid): int(n) for cid, n in self.session.execute(query).all()}

    def find_alerts(self, scenario: str | None = None, severity: str | None = None, status: str | None = None,
                    limit: int = 100, offset: int = 0) -> tuple[list[tuple[CaseAlert, Case]], int]:  # fmt: skip
        """Alerts (newest first) with their case; the listing is audited as a view."""
        if status:
            _check_status(status)
        query = select(CaseAlert, Case).join(Case, Case.id == CaseAlert.case_id).where(CaseAlert.kind == "alert")
        if scenario:
            query = query.where(CaseAlert.scenario == scenario)
        if severity:
            query = query.where(CaseAlert.severity == severity)
        if status:
            query = query.where(Case.status == status)
        total = int(self.session.execute(select(func.count()).select_from(query.subquery())).scalar_one())
        rows = [(a, c) for a, c in self.session.execute(query.order_by(CaseAlert.id.desc()).limit(limit).offset(offset)).all()]
        self.audit.append(self.actor, "view_alerts", None, shown=sorted({c.id for _, c in rows}))
        return rows, total

    def open_cases_of(self, subjects: list[str], exclude: int | None = None) -> dict[str, int]:
        """Subject -> its open case (the oldest, should there be two from before one case per subject)."""
        if not subjects:
            return {}
        query = (select(CaseSubject.subject, Case.id).join(Case, Case.id == CaseSubject.case_id)
                 .where(CaseSubject.subject.in_(sorted(set(subjects))), Case.status.in_(OPEN_STATUSES)).order_by(Case.id))  # fmt: skip
        if exclude is not None:
            query = query.where(Case.id != exclude)
        found: dict[str, int] = {}
        for subject, case_id in self.session.execute(query).all():
            found.setdefault(subject, int(case_id))
        return found

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
        if not outcome:  # a false positive: its list matches stay quiet until the party or the entry changes
            SuppressionStore(self.session, self.actor, self.audit).record_decision(case)
        return case

    def reopen(self, case_id: int, reason: str) -> Case:
        reason = reason.strip()
        if not reason:
            raise CaseInputError("reopening needs a reason")
        self.audit.lock()  # no alert opens a case on its subjects meanwhile
        case = self._load(case_id)
        if case.status in OPEN_STATUSES:
            raise CaseConflict(f"case {case.id} is open ({case.status})")
        taken = self.open_cases_of([s.subject for s in case.subjects], exclude=case.id)
        if taken:
            subject, other = next(iter(taken.items()))
            raise CaseConflict(f"{subject} has an open case ({other}): one open case per subject; work it there, "
                               f"or close it before reopening case {case.id}")  # fmt: skip
        old = case.status
        case.status = "in_review"
        case.decision = case.decision_reason = case.decided_by = None
        case.decided_at = None
        self._touch(case)
        self.audit.append(self.actor, "reopen", case.id, old=old, new="in_review", reason=reason)
        SuppressionStore(self.session, self.actor, self.audit).lift_for_case(case.id, f"case {case.id} reopened: {reason}")
        return case

    # --- many cases at once ---
    def _bulk(self, case_ids: list[int], move: Any) -> BulkResult:
        ids = list(dict.fromkeys(int(i) for i in case_ids))
        if not ids:
            raise CaseInputError("choose at least one case")
        if len(ids) > MAX_BULK:
            raise CaseInputError(f"{len(ids)} cases at once; at most {MAX_BULK}")
        result = BulkResult([], {})
        for case_id in ids:
            try:
                with self.session.begin_nested():  # a case that cannot move leaves the others moved
                    move(case_id)
                result.done.append(case_id)
            except (CaseConflict, NotFound) as exc:
                result.skipped[case_id] = str(exc)
        return result

    def bulk_assign(self, case_ids: list[int], assignee: str | None) -> BulkResult:
        return self._bulk(case_ids, lambda cid: self.assign(cid, assignee))

    def bulk_decide(self, case_ids: list[int], outcome: bool, reason: str) -> BulkResult:
        """Close many cases with one decision and one reason (each case's decision is audited)."""
        if not reason.strip():
            raise CaseInputError("a decision needs a reason")
        return self._bulk(case_ids, lambda cid: self.decide(cid, outcome, reason))

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

