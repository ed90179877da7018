"""Roll shipment scores up per consignee over time: volumes, flags and scores, month by month.

A consignee's score is 1 - (1 - w1)(1 - w2)... over the distinct flags its shipments
raised, each at the largest weight it carried on any of them: a pattern spread over
several shipments counts as if on one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from computewatch.shipments.scoring import ShipmentScore, round3, severity_of


@dataclass
class ConsigneeRollup:
    consignee_key: str
    consignee: str
    country: str
    shipments: int = 0
    first: date | None = None
    last: date | None = None
    value_usd: float = 0.0
    accelerators: int = 0
    max_shipment_score: float = 0.0
    alerts: int = 0
    flags: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> {"title", "count", "weight", "source", "shipments"}
    months: dict[str, dict[str, Any]] = field(default_factory=dict)  # 'YYYY-MM' -> {"shipments", "value_usd", "max_score"}
    names: set[str] = field(default_factory=set)
    destinations: set[str] = field(default_factory=set)

    def add(self, s: ShipmentScore) -> None:
        self.shipments += 1
        day, value, score = s.date, s.value_usd or 0.0, s.score
        if self.first is None or day < self.first:
            self.first = day
        if self.last is None or day > self.last:
            self.last = day
        self.value_usd += value
        self.accelerators += s.accelerators or 0
        if score > self.max_shipment_score:
            self.max_shipment_score = score
        self.alerts += s.alert
        self.names.add(s.consignee)
        self.destinations.add(s.destination_country)
        key = _month(day)
        month = self.months.get(key)
        if month is None:
            month = self.months[key] = {"shipments": 0, "value_usd": 0.0, "max_score": 0.0}
        month["shipments"] += 1
        month["value_usd"] += value
        rounded = round3(score)
        if rounded > month["max_score"]:
            month["max_score"] = rounded
        for hit in s.flags:
            entry = self.flags.get(hit.id)
            if entry is None:
                entry = self.flags[hit.id] = {"title": hit.title, "count": 0, "weight": 0.0, "source": hit.source, "shipments": []}
            entry["count"] += 1
            if hit.applied > entry["weight"]:
                entry["weight"] = hit.applied
            if len(entry["shipments"]) < 20:
                entry["shipments"].append(s.shipment_id)

    @property
    def score(self) -> float:
        keep = 1.0
        for entry in self.flags.values():
            keep *= 1.0 - entry["weight"]
        return max(1.0 - keep, self.max_shipment_score)

    def to_json(self) -> dict[str, Any]:
        return {
            "consignee_key": self.consignee_key, "consignee": self.consignee, "names": sorted(self.names),
            "country": self.country, "score": round(self.score, 3), "severity": severity_of(self.score),
            "shipments": self.shipments, "alerts": self.alerts, "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None, "value_usd": round(self.value_usd, 2),
            "accelerators": self.accelerators, "destinations": sorted(self.destinations),
            "max_shipment_score": round(self.max_shipment_score, 3),
            "flags": [{"id": k, **{**v, "weight": round(v["weight"], 3)}} for k, v in sorted(self.flags.items(), key=lambda kv: -kv[1]["weight"])],
            "months": [{"month": m, **{**v, "value_usd": round(v["value_usd"], 2)}} for m, v in sorted(self.months.items())],
        }  # fmt: skip


@lru_cache(maxsize=65_536)
def _month(day: date) -> str:
    return day.strftime("%Y-%m")


class Rollup:
    """Feed it shipment scores in any order; ask for the consignees, riskiest first."""

    def __init__(self) -> None:
        self.by_key: dict[str, ConsigneeRollup] = {}

    def add(self, s: ShipmentScore) -> None:
        entry = self.by_key.get(s.consignee_key)
        if entry is None:
            entry = self.by_key[s.consignee_key] = ConsigneeRollup(s.consignee_key, s.consignee, s.consignee_country)
        entry.add(s)

    def merge(self, rollups: list[ConsigneeRollup]) -> None:
        """Take in the roll-ups of consignees not seen yet (batch.ScoredChunk.consignees: a consignee is in one chunk only)."""
        for c in rollups:
            if c.consignee_key in self.by_key:
                raise ValueError(f"consignee {c.consignee_key!r} rolled up twice")
            self.by_key[c.consignee_key] = c

    def consignees(self) -> list[ConsigneeRollup]:
        return sorted(self.by_key.values(), key=rank)


def rank(c: ConsigneeRollup) -> tuple[float, float, str]:
    """Riskiest first, then the largest by value; a consignee key is unique, so the order is total."""
    return (-round(c.score, 3), -c.value_usd, c.consignee_key)
