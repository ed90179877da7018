"""The analyst's actions on cases, one place for the HTTP API and the web app.

Each action opens one session of the case database, acts as the actor (so every read and
move is audited under that name) and returns what both interfaces show. A move returns the
case's detail when asked (`show=True`, the API's answer); the web app redirects instead, so
it asks for nothing and no extra view is audited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from computewatch.cases.audit import AuditLog
from computewatch.cases.db import CaseDB
from computewatch.cases.importing import ImportSummary, import_records
from computewatch.cases.store import BulkResult, CaseFilter, CaseStore, as_utc_text
from computewatch.cases.suppressions import SuppressionStore, case_list_matches, suppression_view
from computewatch.cases.views import case_detail, case_summary


def detail_of(store: CaseStore, case_id: int, purpose: str = "view") -> dict[str, Any]:
    """One case with its timeline, the suppressions its decision made, and earlier decisions on its matches."""
    case = store.get(case_id, purpose)
    decisions = SuppressionStore(store.session, store.actor, store.audit)
    earlier = decisions.on_pairs(case_list_matches(case), exclude_case=case.id)
    return case_detail(case, AuditLog(store.session).for_case(case_id), decisions.made_by(case.id), earlier)


def summaries(store: CaseStore, cases: list[Any]) -> list[dict[str, Any]]:
    counts = store.alert_counts([c.id for c in cases])
    return [case_summary(c, counts.get(c.id, 0)) for c in cases]


def bulk_view(result: BulkResult) -> dict[str, Any]:
    return {"done": result.done, "skipped": [{"id": k, "reason": v} for k, v in result.skipped.items()]}


class CaseActions:
    def __init__(self, db: CaseDB, actor: str):
        self.db = db
        self.actor = actor

    @contextmanager
    def store(self) -> Iterator[CaseStore]:
        with self.db.session() as session:
            yield CaseStore(session, self.actor)

    # --- reading ---
    def queue(self, filters: CaseFilter, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        """One page of the queue (case summaries, most severe first) and how many cases match."""
        with self.store() as store:
            cases, total = store.find(filters, limit, offset)
            return summaries(store, cases), total

    def detail(self, case_id: int) -> dict[str, Any]:
        """One case: evidence, entities, notes, timeline."""
        with self.store() as store:
            return detail_of(store, case_id)

    def for_entity(self, entity_id: str) -> list[dict[str, Any]]:
        with self.store() as store:
            return summaries(store, store.cases_for_entity(entity_id))

    # --- moves ---
    def _move(self, case_id: int, act: Callable[[CaseStore], object], show: bool) -> dict[str, Any]:
        with self.store() as store:
            act(store)
            return detail_of(store, case_id) if show else {}

    def set_status(self, case_id: int, status: str, show: bool = False) -> dict[str, Any]:
        return self._move(case_id, lambda s: s.set_status(case_id, status), show)

    def assign(self, case_id: int, assignee: str | None, show: bool = False) -> dict[str, Any]:
        return self._move(case_id, lambda s: s.assign(case_id, assignee), show)

    def decide(self, case_id: int, outcome: bool, reason: str, show: bool = False) -> dict[str, Any]:
        return self._move(case_id, lambda s: s.decide(case_id, outcome, reason), show)

    def reopen(self, case_id: int, reason: str, show: bool = False) -> dict[str, Any]:
        return self._move(case_id, lambda s: s.reopen(case_id, reason), show)

    def bulk_assign(self, case_ids: list[int], assignee: str | None) -> dict[str, Any]:
        """Assign many cases at once: {"done": [ids], "skipped": [{"id", "reason"}]}."""
        with self.store() as store:
            return bulk_view(store.bulk_assign(case_ids, assignee))

    def bulk_decide(self, case_ids: list[int], outcome: bool, reason: str) -> dict[str, Any]:
        """Close many cases with one outcome and one reason; cases already closed are skipped, with why."""
        with self.store() as store:
            return bulk_view(store.bulk_decide(case_ids, outcome, reason))

    # --- decisions that stick ---
    def suppressions(self, active_only: bool, text: str | None, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        with self.store() as store:
            rows, total = SuppressionStore(store.session, self.actor, store.audit).find(active_only, text, limit, offset)
            return [suppression_view(r) for r in rows], total

    def lift(self, suppression_id: int, reason: str) -> dict[str, Any]:
        """Stop suppressing a match (audited); the next detect or re-screening alerts on it again."""
        with self.store() as store:
            return suppression_view(SuppressionStore(store.session, self.actor, store.audit).lift(suppression_id, reason))

    def add_note(self, case_id: int, text: str) -> dict[str, Any]:
        with self.store() as store:
            note = store.add_note(case_id, text)
            return {"id": note.id, "author": note.author, "text": note.text, "created_at": as_utc_text(note.created_at) or ""}

    def import_records(self, records: list[dict[str, Any]], origin: str) -> ImportSummary:
        """Open cases from alerts, screening results or tender records (one open case per subject)."""
        with self.store() as store:
            return import_records(store, records, origin=origin)
