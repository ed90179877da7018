"""Records in, cases out: alerts (CONTRACTS.md alert shape), flagged screening results and flagged tenders.

Each case remembers the record it came from under a stable key ("alert:<id>",
"screening:<query id>", "tender:<file>"), so importing the same file again adds
nothing and a re-run of the detectors only adds the alerts that are new.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import String, select

from computewatch.cases.models import Case, CaseEntity, CaseEvidence, utcnow
from computewatch.cases.store import CaseStore
from computewatch.errors import InputProblem
from computewatch.sources.jsonlines import json_objects

ALERT_KEYS = ("id", "detector", "scenario", "severity", "score", "subjects", "summary", "evidence")


@dataclass
class ImportSummary:
    created: list[int] = field(default_factory=list)
    existing: list[int] = field(default_factory=list)  # cases that were already there for a record
    not_flagged: int = 0  # screening and tender records with nothing to work on
    problems: list[InputProblem] = field(default_factory=list)

    @property
    def already(self) -> int:
        return len(self.existing)

    def text(self) -> str:
        parts = [f"{len(self.created)} new cases", f"{self.already} already open or decided"]
        if self.not_flagged:
            parts.append(f"{self.not_flagged} records not flagged")
        if self.problems:
            parts.append(f"{len(self.problems)} records rejected")
        return ", ".join(parts)


def record_kind(record: dict[str, Any]) -> str | None:
    if "detector" in record and "evidence" in record:
        return "alert"
    if "matches" in record and "query" in record:
        return "screening"
    if "flagged" in record and "file" in record:
        return "tender"
    return None


def _alert_case(rec: dict[str, Any]) -> Case:
    missing = [k for k in ALERT_KEYS if k not in rec]
    if missing:
        raise ValueError(f"alert lacks {', '.join(missing)}")
    if not isinstance(rec["evidence"], list) or not isinstance(rec["subjects"], list):
        raise ValueError("alert 'evidence' and 'subjects' must be lists")
    case = Case(source_key=f"alert:{rec['id']}", kind="alert", title=str(rec["summary"])[:500], summary=str(rec["summary"]),
                scenario=rec.get("scenario"), detector=rec.get("detector"), severity=str(rec["severity"]),
                score=float(rec["score"]), as_of=rec.get("as_of"))  # fmt: skip
    case.entities = [CaseEntity(position=i, entity_id=str(s), role="subject") for i, s in enumerate(rec["subjects"])]
    case.evidence = [
        CaseEvidence(position=i, fact=str(e.get("fact", "")), source=str(e.get("source", "")))
        for i, e in enumerate(rec["evidence"]) if isinstance(e, dict)
    ]  # fmt: skip
    return case


def _screening_case(rec: dict[str, Any]) -> Case | None:
    hits = [m for m in rec.get("matches") or [] if m.get("match")]
    if not hits:
        return None
    query = rec.get("query") or {}
    name = str(query.get("name", ""))
    best = hits[0]
    qid = rec.get("id") or hashlib.sha256(orjson.dumps(query, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]
    title = f"Screening: '{name}' matches {best.get('caption')} ({best.get('source') or ', '.join(best.get('datasets') or [])})"
    case = Case(source_key=f"screening:{qid}:{name}", kind="screening", title=title[:500], summary=title, scenario="S9",
                detector="screening", severity="high" if float(best.get("score", 0)) >= 0.9 else "medium",
                score=float(best.get("score", 0)))  # fmt: skip
    case.entities = [CaseEntity(position=0, entity_id=query.get("id") or None, name=name, role="query")]
    case.entities += [
        CaseEntity(position=i + 1, entity_id=m.get("entity_id"), name=m.get("caption"), role="list_match", listed=True)
        for i, m in enumerate(hits)
    ]
    case.evidence = [
        CaseEvidence(position=i, fact=str(m.get("explanation") or f"score {m.get('score')}"),
                     source=str(m.get("source") or ", ".join(m.get("datasets") or [])))
        for i, m in enumerate(hits)
    ]  # fmt: skip
    return case


def _tender_case(rec: dict[str, Any]) -> Case | None:
    if not rec.get("flagged"):
        return None
    name = Path(str(rec["file"])).name
    reasons = [str(r) for r in rec.get("reasons") or []]
    title = f"Tender {name}: {rec.get('buyer') or 'unknown buyer'}"
    listed = any(p.get("listed") for p in rec.get("parties_screened") or [])
    case = Case(source_key=f"tender:{rec['file']}", kind="tender", title=title[:500], summary="; ".join(reasons),
                scenario="S2" if any("token" in r.lower() for r in reasons) else "S1", detector="tenders",
                severity="high" if listed else "medium", score=1.0 if listed else 0.7, as_of=rec.get("date"))  # fmt: skip
    parties = rec.get("parties_screened") or []
    case.entities = [
        CaseEntity(position=i, name=p.get("name"), role=p.get("role", "party"), listed=bool(p.get("listed")),
                   entity_id=next((m.get("entity_id") for m in p.get("matches") or [] if m.get("match")), None))
        for i, p in enumerate(parties)
    ]  # fmt: skip
    case.evidence = [CaseEvidence(position=i, fact=r, source=str(rec["file"])) for i, r in enumerate(reasons)]
    return case


BUILDERS = {"alert": _alert_case, "screening": _screening_case, "tender": _tender_case}


def check_columns(case: Case) -> None:
    """Raise ValueError when a value would not fit its column (text where text goes, within its length)."""
    for obj in (case, *case.entities, *case.evidence):
        for column in obj.__table__.columns:
            value = getattr(obj, column.key, None)
            if value is None or not isinstance(column.type, String):
                continue
            if not isinstance(value, str):
                raise ValueError(f"'{column.key}' must be text, not {type(value).__name__}")
            if column.type.length and len(value) > column.type.length:
                raise ValueError(f"'{column.key}' is {len(value)} characters long, over {column.type.length}")


def import_records(
    store: CaseStore, records: Iterable[dict[str, Any]], origin: str = "records", lines: list[int] | None = None
) -> ImportSummary:
    """Make a case of every alert and of every flagged screening or tender record not already in the store.

    `lines` gives each record's line in `origin` (for problem reports); by default 1, 2, 3...
    """
    summary = ImportSummary()
    for i, rec in enumerate(records):
        line = lines[i] if lines else i + 1
        kind = record_kind(rec) if isinstance(rec, dict) else None
        if kind is None:
            summary.problems.append(InputProblem(origin, line, None, "not an alert, screening or tender record"))
            continue
        try:
            case = BUILDERS[kind](rec)
            if case is not None:
                check_columns(case)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:  # a record of the wrong shape
            summary.problems.append(InputProblem(origin, line, None, str(exc)))
            continue
        if case is None:
            summary.not_flagged += 1
            continue
        existing = store.session.execute(select(Case.id).where(Case.source_key == case.source_key)).scalar_one_or_none()
        if existing is not None:
            summary.existing.append(existing)
            continue
        case.record = rec
        case.status = "new"
        case.created_at = case.updated_at = utcnow()
        store.session.add(case)
        store.session.flush()
        store.audit.append(store.actor, "create", case.id, source_key=case.source_key, kind=kind, origin=origin)
        summary.created.append(case.id)
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
