"""What the case store takes from a record: an alert (CONTRACTS.md shape), a flagged screening result
or a flagged tender finding, read into one `Incoming` shape.

The subjects of a record are who or what it is about; they decide which open case it joins:
- an alert: its `subjects` (account ids, lease ids, ingested entity ids, shipment ids, consignee
  keys, chip and landmark ids, as each detector names them), except the list entries it matched
  (`list_matches`): two parties matching one list entry are two cases, not one;
- a screening result: the query's id (else its name);
- a tender finding: the notice (its file name).
Subjects are compared as given: a detector that knows two ids name one party (a lease and its
lessee entity, a shipment and its consignee) names both, and that is how different detectors meet.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import orjson

from computewatch.alerts.model import ListMatch

ALERT_KEYS = ("id", "detector", "scenario", "severity", "score", "subjects", "summary", "evidence")
# Alerts of these detectors made before alerts carried `list_matches` name the list entry after the party.
LIST_MATCH_DETECTORS = ("party-listed", "rescreen-list-match", "rescreen-list-delisted")
MAX_SUBJECTS = 50
TEXT_LIMITS = {"title": 500, "detector": 100, "scenario": 10, "severity": 20, "as_of": 40}
ID_LIMIT = 200


@dataclass
class Linked:
    entity_id: str | None
    name: str | None
    role: str
    listed: bool = False


@dataclass
class Incoming:
    kind: str
    source_key: str  # stable per record: importing it again adds nothing
    title: str
    summary: str
    severity: str
    score: float
    record: dict[str, Any]
    subjects: list[str]
    alert_id: str | None = None
    scenario: str | None = None
    detector: str | None = None
    as_of: str | None = None
    entities: list[Linked] = field(default_factory=list)
    evidence: list[tuple[str, str]] = field(default_factory=list)  # (fact, source)
    list_matches: list[ListMatch] = field(default_factory=list)
    legacy_key: str | None = None  # the key the same record had in older versions

    def check(self) -> None:
        """Raise ValueError when a value would not fit the store (text where text goes, within its length)."""
        for name, limit in TEXT_LIMITS.items():
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"'{name}' must be text, not {type(value).__name__}")
            if value is not None and len(value) > limit:
                raise ValueError(f"'{name}' is {len(value)} characters long, over {limit}")
        for text in [*self.subjects, *(e.entity_id for e in self.entities if e.entity_id)]:
            if len(text) > ID_LIMIT:
                raise ValueError(f"subject or entity id '{text[:40]}...' is {len(text)} characters long, over {ID_LIMIT}")
        for e in self.entities:
            if e.name is not None and len(e.name) > 500:
                raise ValueError(f"the name '{e.name[:40]}...' is {len(e.name)} characters long, over 500")
            if len(e.role) > 50:
                raise ValueError(f"the role '{e.role[:40]}...' is over 50 characters")


def record_kind(record: dict[str, Any]) -> str | None:
    if "detector" in record and "evidence" in record:
        return "alert"
    if "matches" in record and "query" in record:
        return "screening"
    if "flagged" in record and "file" in record:
        return "tender"
    return None


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ValueError(f"'{what}' must be text, not {type(value).__name__}")
    return str(value)


def list_matches_of(rec: dict[str, Any]) -> list[ListMatch]:
    raw = rec.get("list_matches") or []
    if not isinstance(raw, list) or not all(isinstance(m, dict) for m in raw):
        raise ValueError("alert 'list_matches' must be a list of objects")
    matches = [ListMatch.from_json(m) for m in raw]
    if any(not m.party or not m.entity_id for m in matches):
        raise ValueError("each of the alert's 'list_matches' needs a party and an entity_id")
    return matches


def alert_subjects(rec: dict[str, Any], matches: list[ListMatch]) -> list[str]:
    subjects = [_text(s, "subjects") for s in rec["subjects"]]
    if matches:
        counterparts = {m.entity_id for m in matches} - {m.party for m in matches}
    elif rec.get("detector") in LIST_MATCH_DETECTORS:
        counterparts = set(subjects[1:]) - set(subjects[:1])
    else:
        counterparts = set()
    return [s for s in dict.fromkeys(subjects) if s and s not in counterparts][:MAX_SUBJECTS]


def alert_incoming(rec: dict[str, Any]) -> Incoming:
    missing = [k for k in ALERT_KEYS if k not in rec]
    if missing:
        raise ValueError(f"alert lacks {', '.join(missing)}")
    if not isinstance(rec["evidence"], list) or not isinstance(rec["subjects"], list):
        raise ValueError("alert 'evidence' and 'subjects' must be lists")
    matches = list_matches_of(rec)
    subjects = alert_subjects(rec, matches)
    listed = {m.entity_id: m for m in matches}
    names = {m.party: m.party_name for m in matches if m.party_name}
    entities = [Linked(s, names.get(s), "subject") for s in subjects]
    entities += [Linked(eid, m.caption or None, "list_match", True) for eid, m in listed.items() if eid not in subjects]
    summary = _text(rec["summary"], "summary")
    return Incoming(
        kind="alert", source_key=f"alert:{rec['id']}", alert_id=_text(rec["id"], "id"), title=summary[:500], summary=summary,
        severity=_text(rec["severity"], "severity"), score=float(rec["score"]), record=rec, subjects=subjects,
        scenario=rec.get("scenario"), detector=rec.get("detector"), as_of=rec.get("as_of"), entities=entities,
        evidence=[(str(e.get("fact", "")), str(e.get("source", ""))) for e in rec["evidence"] if isinstance(e, dict)],
        list_matches=matches,
    )  # fmt: skip


def screening_incoming(rec: dict[str, Any]) -> Incoming | None:
    hits = [m for m in rec.get("matches") or [] if m.get("match")]
    if not hits:
        return None
    query = rec.get("query") or {}
    name = str(query.get("name", ""))
    best = hits[0]
    qid = rec.get("id") or hashlib.sha256(orjson.dumps(query, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]
    title = f"Screening: '{name}' matches {best.get('caption')} ({best.get('source') or ', '.join(best.get('datasets') or [])})"
    subject = str(query.get("id") or rec.get("id") or name)
    return Incoming(
        kind="screening", source_key=f"screening:{qid}:{name}", title=title[:500], summary=title, scenario="S9",
        detector="screening", severity="high" if float(best.get("score", 0)) >= 0.9 else "medium",
        score=float(best.get("score", 0)), record=rec, subjects=[subject] if subject else [],
        entities=[Linked(query.get("id") or None, name, "query")]
        + [Linked(m.get("entity_id"), m.get("caption"), "list_match", True) for m in hits],
        evidence=[(str(m.get("explanation") or f"score {m.get('score')}"),
                   str(m.get("source") or ", ".join(m.get("datasets") or []))) for m in hits],
    )  # fmt: skip


def notice_name(file: str) -> str:
    """A notice by its file name: the server's folders are nobody's evidence."""
    return PurePath(file.replace("\\", "/")).name or file


def tender_key(file: str) -> str:
    return f"tender:{hashlib.sha256(file.encode()).hexdigest()[:12]}:{notice_name(file)}"[:200]


def tender_incoming(rec: dict[str, Any]) -> Incoming | None:
    if not rec.get("flagged"):
        return None
    file = str(rec["file"])
    name = notice_name(file)
    reasons = [str(r) for r in rec.get("reasons") or []]
    listed = any(p.get("listed") for p in rec.get("parties_screened") or [])
    title = f"Tender {name}: {rec.get('buyer') or 'unknown buyer'}"
    return Incoming(
        kind="tender", source_key=tender_key(file), title=title[:500], summary="; ".join(reasons),
        scenario="S2" if any("token" in r.lower() for r in reasons) else "S1", detector="tenders",
        severity="high" if listed else "medium", score=1.0 if listed else 0.7, as_of=rec.get("date"),
        record={**rec, "file": name}, subjects=[name],
        entities=[Linked(next((m.get("entity_id") for m in p.get("matches") or [] if m.get("match")), None),
                         p.get("name"), p.get("role", "party"), bool(p.get("listed")))
                  for p in rec.get("parties_screened") or []],
        evidence=[(r, f"notice {name}") for r in reasons], legacy_key=f"tender:{file}"[:200],
    )  # fmt: skip


BUILDERS = {"alert": alert_incoming, "screening": screening_incoming, "tender": tender_incoming}

