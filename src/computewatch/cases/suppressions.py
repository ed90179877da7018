"""Decisions that stick: closing a case as a false positive suppresses its (party, list entry) matches
against the data they were decided on; suppressions are audited, listed and lifted here.

Detect, re-screening and case import read the active ones (`decisions_in`, `SuppressionStore.active`)
and apply them with alerts/suppress.py. Reopening a case lifts the suppressions its decision made.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select, tuple_
from sqlalchemy.orm import Session

from computewatch.alerts.model import ListMatch
from computewatch.alerts.suppress import Suppression, Suppressions
from computewatch.cases.audit import AuditLog
from computewatch.cases.errors import CaseConflict, CaseInputError
from computewatch.cases.models import Case, MatchSuppression, as_utc_text, utcnow
from computewatch.cases.records import list_matches_of
from computewatch.errors import NotFound
from computewatch.settings import Settings, default_settings


def to_decision(row: MatchSuppression) -> Suppression:
    return Suppression(row.id, row.party, row.entity_id, row.party_hash, row.entry_hash, row.case_id,
                       row.reason, row.created_by, as_utc_text(row.created_at) or "")  # fmt: skip


def case_list_matches(case: Case) -> list[ListMatch]:
    """Every list match the case's alerts rest on, once each."""
    found: list[ListMatch] = []
    for alert in case.alerts:
        try:
            found += list_matches_of(alert.record)
        except ValueError:
            continue
    return list(dict.fromkeys(found))


def suppression_view(row: MatchSuppression) -> dict[str, Any]:
    return {
        "id": row.id, "party": row.party, "party_name": row.party_name, "entity_id": row.entity_id,
        "caption": row.caption, "dataset": row.dataset, "party_hash": row.party_hash, "entry_hash": row.entry_hash,
        "case_id": row.case_id, "reason": row.reason, "created_by": row.created_by,
        "created_at": as_utc_text(row.created_at), "active": row.active, "lifted_at": as_utc_text(row.lifted_at),
        "lifted_by": row.lifted_by, "lift_reason": row.lift_reason,
    }  # fmt: skip


class SuppressionStore:
    def __init__(self, session: Session, actor: str, audit: AuditLog | None = None):
        self.session = session
        self.actor = actor
        self.audit = audit or AuditLog(session)

    def active(self) -> Suppressions:
        rows = self.session.execute(select(MatchSuppression).where(MatchSuppression.lifted_at.is_(None))).scalars()
        return Suppressions(to_decision(r) for r in rows)

    def on_pairs(self, matches: list[ListMatch], exclude_case: int | None = None) -> list[MatchSuppression]:
        """Every decision (active or lifted) ever made on the pairs of these matches, oldest first."""
        pairs = sorted({(m.party, m.entity_id) for m in matches})
        if not pairs:
            return []
        query = select(MatchSuppression).where(tuple_(MatchSuppression.party, MatchSuppression.entity_id).in_(pairs))
        if exclude_case is not None:
            query = query.where(MatchSuppression.case_id != exclude_case)
        return list(self.session.execute(query.order_by(MatchSuppression.id)).scalars())

    def made_by(self, case_id: int) -> list[MatchSuppression]:
        query = select(MatchSuppression).where(MatchSuppression.case_id == case_id).order_by(MatchSuppression.id)
        return list(self.session.execute(query).scalars())

    def record_decision(self, case: Case) -> list[MatchSuppression]:
        """A case closed as a false positive: suppress each of its list matches as decided (audited)."""
        made = []
        held = self.active()
        for m in case_list_matches(case):
            if held.holding_match(m) is not None:
                continue  # decided so already
            row = MatchSuppression(party=m.party, entity_id=m.entity_id, party_hash=m.party_hash, entry_hash=m.entry_hash,
                                   party_name=m.party_name[:500], caption=m.caption[:500], dataset=m.dataset[:200],
                                   case_id=case.id, reason=case.decision_reason or "", created_by=self.actor,
                                   created_at=utcnow())  # fmt: skip
            self.session.add(row)
            self.session.flush()
            self.audit.append(self.actor, "suppress", case.id, suppression=row.id, party=row.party, entity_id=row.entity_id,
                              party_hash=row.party_hash, entry_hash=row.entry_hash)  # fmt: skip
            made.append(row)
        return made

    def get(self, suppression_id: int) -> MatchSuppression:
        row = self.session.get(MatchSuppression, suppression_id)
        if row is None:
            raise NotFound("suppression", str(suppression_id))
        return row

    def lift(self, suppression_id: int, reason: str) -> MatchSuppression:
        """Stop suppressing a match: the next detect or re-screening alerts on it again (audited)."""
        reason = reason.strip()
        if not reason:
            raise CaseInputError("lifting a suppression needs a reason")
        row = self.get(suppression_id)
        if not row.active:
            raise CaseConflict(f"suppression {row.id} was lifted already ({as_utc_text(row.lifted_at)} by {row.lifted_by})")
        self._lift(row, reason)
        return row

    def _lift(self, row: MatchSuppression, reason: str) -> None:
        row.lifted_at, row.lifted_by, row.lift_reason = utcnow(), self.actor, reason
        self.audit.append(self.actor, "lift", row.case_id, suppression=row.id, party=row.party, entity_id=row.entity_id,
                          reason=reason)  # fmt: skip

    def lift_for_case(self, case_id: int, reason: str) -> list[MatchSuppression]:
        rows = [r for r in self.made_by(case_id) if r.active]
        for row in rows:
            self._lift(row, reason)
        return rows

    def find(self, active_only: bool = True, text: str | None = None, limit: int = 100, offset: int = 0) -> tuple[list[MatchSuppression], int]:
        """Suppressions, newest first (the listing is audited as a view)."""
        query = select(MatchSuppression)
        if active_only:
            query = query.where(MatchSuppression.lifted_at.is_(None))
        if text:
            words = text.lower()
            query = query.where(or_(*(func.lower(c).contains(words, autoescape=True) for c in (
                MatchSuppression.party, MatchSuppression.party_name, MatchSuppression.entity_id, MatchSuppression.caption))))  # fmt: skip
        total = int(self.session.execute(select(func.count()).select_from(query.subquery())).scalar_one())
        rows = list(self.session.execute(query.order_by(MatchSuppression.id.desc()).limit(limit).offset(offset)).scalars())
        self.audit.append(self.actor, "view_suppressions", None, active_only=active_only, shown=[r.id for r in rows])
        return rows, total


def decisions_in(workspace: str | Path | None, settings: Settings | None = None) -> Suppressions:
    """The active decisions of the workspace's case store; none when it has no case store yet."""
    from computewatch.cases.db import open_case_db
    from computewatch.workspace import resolve_home

    settings = settings or default_settings()
    if not settings.database_url and not (resolve_home(workspace) / settings.cases.database_file).exists():
        return Suppressions()
    with open_case_db(workspace, settings) as db, db.session() as session:
        return SuppressionStore(session, "system").active()
