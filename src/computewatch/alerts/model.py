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
    period: str = ""  # the dedup period (set by the runner)

    @property
    def id(self) -> str:
        key = "|".join([self.detector, self.subjects[0] if self.subjects else "", self.period])
        return f"{self.detector}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"

    def to_json(self) -> dict[str, Any]:
        """Exactly the CONTRACTS.md alert record."""
        return {
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


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)
