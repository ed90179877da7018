"""Records in, cases out: alerts (CONTRACTS.md alert shape), flagged screening results and flagged tenders.

Each record is kept under a stable key ("alert:<id>", "screening:<query id>:<name>",
"tender:<hash>:<file name>"), so importing the same file again adds nothing and a re-run of the
detectors only adds the alerts that are new. A new record joins the open case of one of its
subjects (cases/joining.py), else opens a case. An alert whose list matches were all closed as
false positives, against the same party data and list entry, is suppressed (cases/suppressions.py);
when the party or the entry has changed since, it comes back, with the earlier decision in its evidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from sqlalchemy import func, select

from computewatch.alerts.model import Alert
from computewatch.alerts.suppress import Suppressions
from computewatch.cases.joining import earlier_decision_text, place
from computewatch.cases.models import Case, CaseAlert
from computewatch.cases.records import BUILDERS, Incoming, record_kind
from computewatch.cases.store import CaseStore
from computewatch.cases.suppressions import SuppressionStore
from computewatch.errors import InputProblem
from computewatch.sources.jsonlines import json_objects


@dataclass
class ImportSummary:
    created: list[int] = field(default_factory=list)
    existing: list[int] = field(default_factory=list)  # cases that were already there for a record
    joined: list[int] = field(default_factory=list)  # open cases a new record joined (one entry per record)
    suppressed: dict[str, list[int]] = field(default_factory=dict)  # alert id -> the cases whose decisions hold it
    not_flagged: int = 0  # screening and tender records with nothing to work on
    problems: list[InputProblem] = field(default_factory=list)

    @property
    def already(self) -> int:
        return len(self.existing)

    def text(self) -> str:
        parts = [f"{len(self.created)} new cases"]
        if self.joined:
            n = len(self.joined)
            parts.append(f"{n} {'alert' if n == 1 else 'alerts'} joined open cases ({', '.join(map(str, sorted(set(self.joined))))})")
        parts.append(f"{self.already} already open or decided")
        if self.suppressed:
            cases = sorted({c for ids in self.suppressed.values() for c in ids})
            parts.append(f"{len(self.suppressed)} suppressed by earlier false-positive decisions "
                         f"(case{'' if len(cases) == 1 else 's'} {', '.join(map(str, cases))})")
        if self.not_flagged:
            parts.append(f"{self.not_flagged} records not flagged")
        if self.problems:
            parts.append(f"{len(self.problems)} records rejected")
        return ", ".join(parts)


def _as_alert(incoming: Incoming) -> Alert:
    return Alert(incoming.detector or "", incoming.scenario or "", incoming.severity, incoming.score, incoming.subjects,
                 incoming.as_of or "", incoming.summary, list_matches=incoming.list_matches)  # fmt: skip


def _latest_row(store: CaseStore, incoming: Incoming) -> CaseAlert | None:
    keys = [incoming.source_key] + ([incoming.legacy_key] if incoming.legacy_key else [])
    query = select(CaseAlert).where(CaseAlert.source_key.in_(keys))
    if incoming.alert_id is not None:
        query = select(CaseAlert).where(CaseAlert.alert_id == incoming.alert_id)
    return store.session.execute(query.order_by(CaseAlert.id.desc()).limit(1)).scalar_one_or_none()


def _comes_back(store: CaseStore, row: CaseAlert, decisions: SuppressionStore, incoming: Incoming) -> bool:
    """A record already in a case comes back only when that case was closed as a false positive whose
    suppression of these list matches no longer holds (lifted, or the party or the entry changed)."""
    case = store.session.get(Case, row.case_id)
    if case is None or case.status != "closed_false" or not incoming.list_matches:
        return False
    return any(d.case_id == case.id for d in decisions.on_pairs(incoming.list_matches))


def _next_key(store: CaseStore, incoming: Incoming) -> str:
    n = store.session.execute(select(func.count()).where(CaseAlert.alert_id == incoming.alert_id)).scalar_one()
    return f"{incoming.source_key}#{int(n) + 1}"


def _earlier_decisions(decisions: SuppressionStore, held: Suppressions, incoming: Incoming) -> list[tuple[str, str]]:
    """Evidence naming the earlier decisions on the record's list matches, and what changed since."""
    notes = []
    for row in decisions.on_pairs(incoming.list_matches):
        match = next(m for m in incoming.list_matches if (m.party, m.entity_id) == (row.party, row.entity_id))
        if not row.active:
            changed = "the suppression was lifted, so the match is alerted again"
        else:
            changed = [s for s in held.decisions_on(match) if s.id == row.id][0].what_changed(match) + " that decision"
        notes.append((earlier_decision_text(row, changed), f"case {row.case_id}"))
    return notes


def import_records(
    store: CaseStore, records: Iterable[dict[str, Any]], origin: str = "records", lines: list[int] | None = None
) -> ImportSummary:
    """Put every alert and every flagged screening or tender record not already in the store into a case.

    `lines` gives each record's line in `origin` (for problem reports); by default 1, 2, 3...
    """
    summary = ImportSummary()
    store.audit.lock()  # which case a subject has is read, then written: one import at a time
    decisions = SuppressionStore(store.session, store.actor, store.audit)
    held = decisions.active()
    shown_origin = PurePath(origin).name or origin  # a file by its name, never the server's folders
    for i, rec in enumerate(records):
        line = lines[i] if lines else i + 1
        kind = record_kind(rec) if isinstance(rec, dict) else None
        if kind is None:
            summary.problems.append(InputProblem(origin, line, None, "not an alert, screening or tender record"))
            continue
        try:
            incoming = BUILDERS[kind](rec)
            if incoming is not None:
                incoming.check()
        except (ValueError, TypeError, KeyError, AttributeError) as exc:  # a record of the wrong shape
            summary.problems.append(InputProblem(origin, line, None, str(exc)))
            continue
        if incoming is None:
            summary.not_flagged += 1
            continue
        holding = held.holding(_as_alert(incoming))
        if holding:
            summary.suppressed[incoming.alert_id or incoming.source_key] = sorted({s.case_id for s in holding})
            continue
        source_key = incoming.source_key
        row = _latest_row(store, incoming)
        if row is not None:
            if not _comes_back(store, row, decisions, incoming):
                summary.existing.append(row.case_id)
                continue
            source_key = _next_key(store, incoming)
        placed = place(store, incoming, source_key, shown_origin, _earlier_decisions(decisions, held, incoming))
        (summary.created if placed.created else summary.joined).append(placed.case_id)
    if summary.suppressed:
        store.audit.append(store.actor, "suppressed", None, origin=shown_origin,
                           alerts={k: v for k, v in sorted(summary.suppressed.items())})  # fmt: skip
    return summary


def read_jsonl(path: Path) -> tuple[list[dict[str, Any]], list[int], list[InputProblem]]:
    """The JSON objects of a JSON lines file, their line numbers, and a problem per bad line."""
    records: list[dict[str, Any]] = []
    numbers: list[int] = []
    problems: list[InputProblem] = []
    for i, value in json_objects(path, problems):
        records.append(value)
        numbers.append(i)
    if not records and not problems:
        problems.append(InputProblem(str(path), None, None, "no records (only blank lines)", refuses_file=True))
    return records, numbers, problems


def open_cases(workspace: str | Path | None, records: list[dict[str, Any]], origin: str, actor: str) -> ImportSummary:
    """import_records into the workspace's case store, in one transaction."""
    from computewatch.cases.db import open_case_db

    with open_case_db(workspace) as db, db.session() as session:
        return import_records(CaseStore(session, actor), records, origin)
