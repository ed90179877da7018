"""Shipment screening: diversion red flags for accelerators and AI servers (SCENARIOS.md S7).

The red flags, their weights and sources (data/red_flags.yaml), the HS codes, item
classes and market price bands (data/items.yaml) are data; the modules here read
descriptions (items), look parties up (parties: screening and the graph), keep each
consignee's history (history), evaluate the flags (flags), score every shipment and
roll the scores up per consignee (scoring, rollup), and turn them into S7 alerts
(detector); batch scores a million shipments in chunks of whole consignees on every
CPU, with the same output as one process.

Public API::

    score_shipments(workspace, screener, as_of, thresholds=None) -> ScoringRun
    recognise(description, hs_code="") -> ItemReading
    reference() -> Reference                       # the data files, validated once
    ShipmentThresholds                             # thresholds, with defaults
    demo_shipments(workspace, screener) -> list[str]
    batch.write_scores(ShipmentScorer(...), out, workers=0) -> ScoreSummary   # `shipments score`
"""

from __future__ import annotations

from computewatch.settings.shipments import ShipmentThresholds
from computewatch.shipments.demo import demo_shipments
from computewatch.shipments.items import ItemReading, recognise
from computewatch.shipments.reference import reference
from computewatch.shipments.scoring import ScoringRun, ShipmentScore, score_shipments

__all__ = [
    "ItemReading",
    "ScoringRun",
    "ShipmentScore",
    "ShipmentThresholds",
    "demo_shipments",
    "recognise",
    "reference",
    "score_shipments",
]
