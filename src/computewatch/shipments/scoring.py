"""Score every shipment: evaluate the red flags, combine their weights, name every flag with its
evidence and its source.

score = 1 - (1 - w1)(1 - w2)... over the flags that fired. A consignee with a long,
consistent history lowers the flags marked mitigable; a shipment naming no 3A090/4A090
item (and not misdescribed) is scaled down. Shipments of nothing of interest score 0.
Rows are read in consignee and date order, so each shipment is judged against the
consignee's earlier shipments only.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any

from computewatch.errors import ComputewatchError
from computewatch.screening.screener import Screener
from computewatch.shipments.facts import COLUMNS, Facts, Shipment
from computewatch.shipments.flags import FLAGS, Checks, check_flags, consistent_history
from computewatch.shipments.history import CONSIGNEE_KEY, History, shared_contacts
from computewatch.shipments.items import recognise
from computewatch.shipments.parties import PartyChecks
from computewatch.shipments.policy_view import PolicyView, epoch
from computewatch.shipments.prices import item_band
from computewatch.shipments.reference import reference
from computewatch.shipments.settings import ShipmentThresholds
from computewatch.sources.shipments import ensure_shipments_table
from computewatch.workspace import Workspace

BATCH = 50_000
ALWAYS_FULL = ("listed_party", "description_mismatch")  # never scaled down for an uncontrolled item


def severity_of(score: float) -> str:
    for bound, name in ((0.9, "critical"), (0.7, "high"), (0.5, "medium"), (0.25, "low")):
        if score >= bound:
            return name
    return "informational"


@dataclass
class FlagHit:
    id: str
    title: str
    weight: float  # as in the data file
    applied: float  # after mitigation and scaling
    evidence: list[str]
    source: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "weight": self.weight, "applied_weight": round(self.applied, 3),
                "evidence": self.evidence, "source": self.source}  # fmt: skip


@dataclass
class ShipmentScore:
    shipment_id: str
    date: date
    consignee: str
    consignee_key: str
    consignee_country: str
    destination_country: str
    score: float
    alert: bool
    flags: list[FlagHit]
    items: dict[str, Any]
    mitigations: list[str]
    source: str
    value_usd: float | None = None
    accelerators: int | None = None
    of_interest: bool = False

    @property
    def severity(self) -> str:
        return severity_of(self.score)

    def to_json(self) -> dict[str, Any]:
        return {
            "shipment_id": self.shipment_id, "date": self.date.isoformat(), "consignee": self.consignee,
            "consignee_key": self.consignee_key, "consignee_country": self.consignee_country,
            "destination_country": self.destination_country, "score": round(self.score, 3), "severity": self.severity,
            "alert": self.alert, "flags": [h.to_json() for h in self.flags], "items": self.items,
            "mitigations": self.mitigations, "value_usd": self.value_usd, "accelerators": self.accelerators,
            "of_interest": self.of_interest, "source": self.source,
        }  # fmt: skip


@dataclass
class ScoringRun:
    as_of: date
    scores: list[ShipmentScore] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def alerts(self) -> list[ShipmentScore]:
        return [s for s in self.scores if s.alert]

    def by_id(self, shipment_id: str) -> ShipmentScore:
        return next(s for s in self.scores if s.shipment_id == shipment_id)


class ShipmentScorer:
    """Everything one run needs, built once: data files, policy cache, party checks, shared contacts."""

    def __init__(self, ws: Workspace, screener: Screener | None, as_of: date, th: ShipmentThresholds | None = None):
        self.ws, self.as_of = ws, as_of
        self.th = th or ShipmentThresholds()
        self.ref = reference()
        problems = check_flags(self.ref)
        if problems:
            raise ComputewatchError("\n".join(problems))
        ensure_shipments_table(ws.con)
        end = datetime.combine(as_of + timedelta(days=1), dtime())
        self.where = f"\"date\" < TIMESTAMP '{end.isoformat(sep=' ')}'"
        self.checks = Checks(
            self.ref, self.th, PolicyView(self.th.concern_groups, self.th.concern_countries),
            PartyChecks(ws, screener, self.th.screening_threshold, self.th.max_shared_listed),
            shared_contacts(ws.con, self.where, self.th.max_shared_listed),
        )
        self._classified: dict[tuple[Any, ...], tuple[list[tuple[str, str]], list[dict[str, Any]]]] = {}

    def rows(self) -> Iterator[tuple[str, Shipment]]:
        cols = ", ".join(f'"{c}"' for c in COLUMNS)
        cur = self.ws.con.cursor()
        cur.execute(f"SELECT {CONSIGNEE_KEY} AS ckey, {cols} FROM shipments WHERE {self.where} ORDER BY ckey, \"date\", shipment_id")
        while batch := cur.fetchmany(BATCH):
            for row in batch:
                yield row[0], Shipment.from_row(row[1:])

    def __iter__(self) -> Iterator[ShipmentScore]:
        history, current = History(), None
        for ckey, row in self.rows():
            if ckey != current:
                history, current = History(), ckey
            scored = self.score(ckey, row, history)
            yield scored
            if scored.of_interest:  # history: earlier shipments of advanced computing items
                history.add(row.date, row.value_usd)

    def score(self, ckey: str, row: Shipment, history: History) -> ShipmentScore:
        reading = recognise(row.description, row.hs_code or "")
        f = Facts(row, ckey, reading, history)
        base = ShipmentScore(row.shipment_id, row.date, row.consignee, ckey, row.consignee_country, row.destination_country,
                             0.0, False, [], {"recognised": reading.describe()}, [], row.where, row.value_usd, None)  # fmt: skip
        if not reading.of_interest:
            return base
        base.of_interest = True
        key = (reading, row.consignee_country, row.destination_country, row.end_user_country, epoch(row.date))
        known = self._classified.get(key)
        if known is None:
            policy = self.checks.policy
            f.controlled = [(i, e) for i in (*reading.systems, *reading.chips) if (e := policy.eccn(i, row.date))]
            known = self._classified[key] = (f.controlled, self._classification(f))
        f.controlled = known[0]
        base.accelerators = f.accelerators
        base.items = self._items(f, known[1])
        mitigation = consistent_history(f, self.th)
        if mitigation:
            base.mitigations.append(mitigation)
        if row.licence_number:
            base.mitigations.append(f"licence {row.licence_number} declared")
        scale = 1.0 if f.controlled else self.th.uncontrolled_factor
        keep = 1.0
        for flag_id, fn in FLAGS.items():
            evidence = fn(f, self.checks)
            if not evidence:
                continue
            spec = self.ref.flags[flag_id]
            applied = spec.weight * (self.th.history_mitigation if mitigation and spec.mitigable else 1.0)
            base.flags.append(FlagHit(flag_id, spec.title, spec.weight, applied, evidence, self.ref.source_text(flag_id)))
            if flag_id in ALWAYS_FULL:
                scale = 1.0
        for hit in base.flags:
            hit.applied *= 1.0 if hit.id in ALWAYS_FULL else scale
            keep *= 1.0 - hit.applied
        if scale < 1.0 and base.flags:
            base.mitigations.append(f"no 3A090/4A090 item recognised: flags weigh x {scale:g}")
        base.score = 1.0 - keep
        base.alert = base.score >= self.th.alert_score
        return base

    def _classification(self, f: Facts) -> list[dict[str, Any]]:
        r, policy = f.row, self.checks.policy
        countries = list(dict.fromkeys(x for x in (r.consignee_country, r.destination_country, r.end_user_country) if x))
        classified = []
        for item, eccn in f.controlled:
            for country in countries:
                rules = policy.licence_rules(item, country, r.date)
                classified.append({"item": item, "eccn": eccn, "country": country, "licence_required": bool(rules), "rules": rules})
        return classified

    def _items(self, f: Facts, classified: list[dict[str, Any]]) -> dict[str, Any]:
        reading = f.reading
        band = item_band(reading)
        return {
            "recognised": reading.describe(), "chips": list(reading.chips), "systems": list(reading.systems),
            "classes": list(reading.classes), "hs_codes": list(reading.hs_codes), "per_unit": reading.per_unit,
            "unit_value_usd": None if f.unit_value is None else round(f.unit_value, 2),
            "market_band": band.text() if band else None, "classification": classified,
        }  # fmt: skip


def score_shipments(
    ws: Workspace, screener: Screener | None, as_of: date | None = None, thresholds: ShipmentThresholds | None = None
) -> ScoringRun:
    """Score every shipment dated on or before as_of (default today); all scores in memory."""
    as_of = as_of or date.today()
    started = time.perf_counter()
    run = ScoringRun(as_of, list(ShipmentScorer(ws, screener, as_of, thresholds)))
    run.seconds = time.perf_counter() - started
    return run
