"""The alert record of CONTRACTS.md and the metadata every detector carries (after Sigma rules)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("informational", "low", "medium", "high", "critical")
# Where a detector's table work runs: on the run's engine (DuckDB or Spark), or in this process on
# the workspace's DuckDB file whatever the engine (it says so in the run and in `detect`'s output).
RUNS_ON = ("engine", "local")


@dataclass(frozen=True)
class DetectorMeta:
    """What a detector is, for people and for the loader: Sigma's id, title, level and references."""

    id: str  # stable, e.g. "ops-reseller"
    title: str
    scenario: str  # S1..S9
    severity: str  # default severity, one of SEVERITIES
    references: tuple[str, ...]  # public sources the pattern is drawn from
    thresholds: str  # the DetectorSettings field holding its thresholds
    description: str = ""
    runs_on: str = "engine"  # one of RUNS_ON


@dataclass(frozen=True)
class Evidence:
    fact: str
    source: str  # the input rows the fact rests on: "file lines 3-9 (7 rows)", "policy rule ...", ...

    def to_json(self) -> dict[str, str]:
        return {"fact": self.fact, "source": self.source}


@dataclass(frozen=True)
class ListMatch:
    """A (party, list entry) pair an alert rests on, with content hashes of both as screened.

    A decision on the alert ("false positive") is made against these hashes: the same pair is not
    alerted again until the party's screened data or the list entry changes (alerts/suppress.py).
    """

    party: str  # the alert's subject naming the party (an account, an ingested entity, a shipment...)
    entity_id: str  # the list entry
    party_hash: str  # of the party's screened data: name, country, schema (rescreen.parties.party_key)
    entry_hash: str  # of the list entry's content as loaded (list_entities.content_hash)
    party_name: str = ""
    caption: str = ""
    dataset: str = ""

    def to_json(self) -> dict[str, str]:
        return {"party": self.party, "entity_id": self.entity_id, "party_hash": self.party_hash,
                "entry_hash": self.entry_hash, "party_name": self.party_name, "caption": self.caption,
                "dataset": self.dataset}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ListMatch:
        return cls(**{k: str(data.get(k) or "") for k in ("party", "entity_id", "party_hash", "entry_hash",
                                                           "party_name", "caption", "dataset")})  # fmt: skip


@dataclass
class Alert:
    detector: str
    scenario: str
    severity: str
    score: float  # 0..1
    subjects: list[str]  # account ids, lease ids, entity ids; the first is the main subject
    as_of: str
    summary: str
    evidence: list[Evidence] = field(default_factory=list)
    # The evidence key: what tells two findings of one detector on the same subjects apart (most detectors
    # need none). `period` is its older name, still read when `key` is empty (re-screening sets it).
    key: str = ""
    period: str = ""
    # The list matches the finding rests on (list-match alerts): not subjects of their own, and what a
    # false-positive decision is made against. Not part of the finding's identity.
    list_matches: list[ListMatch] = field(default_factory=list)

    @property
    def id(self) -> str:
        return finding_id(self.detector, self.subjects, self.key or self.period)

    def to_json(self) -> dict[str, Any]:
        """The CONTRACTS.md alert record; `list_matches` is added when the alert rests on list matches."""
        record: dict[str, Any] = {
            "id": self.id,
            "detector": self.detector,
            "scenario": self.scenario,
            "severity": self.severity,
            "score": round(self.score, 3),
            "subjects": list(self.subjects),
            "as_of": self.as_of,
            "summary": self.summary,
            "evidence": [e.to_json() for e in self.evidence],
        }
        if self.list_matches:
            record["list_matches"] = [m.to_json() for m in self.list_matches]
        return record


def finding_id(detector: str, subjects: list[str], key: str = "") -> str:
    """The identity of a finding: its detector, every subject (in any order) and its evidence key.

    Neither the day nor the month of the run is part of it, so an ongoing finding keeps one id, and one
    case, from run to run; a finding on other subjects (a newly linked account, another list entry) is new.
    """
    body = "\x1f".join([detector, *sorted({str(s) for s in subjects}), "", key])
    return f"{detector}-{hashlib.sha256(body.encode()).hexdigest()[:12]}"


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)
