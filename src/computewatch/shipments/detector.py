"""S7 alerts from shipment scores, in the CONTRACTS.md alert shape and the detectors' conventions.

`METADATA` and `detect(ctx)` follow detectors/registry.py (Sigma-style metadata; a
function from the detection context to alerts); the module is in DETECTOR_MODULES, so
`computewatch detect` runs it, with the thresholds of DetectorSettings.shipments.
`alerts_from_run` makes the same alerts from a ScoringRun in memory.
"""

from __future__ import annotations

from typing import Any

from computewatch.alerts import Alert, DetectorMeta
from computewatch.screening.screener import Screener
from computewatch.settings.shipments import ShipmentThresholds
from computewatch.shipments.alerts import DETECTOR, consignee_alert, shipment_alert
from computewatch.shipments.batch import score_chunks
from computewatch.shipments.rollup import ConsigneeRollup, Rollup, rank
from computewatch.shipments.scoring import ScoringRun, ShipmentScorer, dated_up_to
from computewatch.sources.shipments import TABLE

METADATA = DetectorMeta(
    id=DETECTOR,
    title="Shipment of advanced computing items with diversion red flags",
    scenario="S7",
    severity="high",
    references=(
        "FinCEN and BIS Joint Notice FIN-2023-NTC2 (2023-11-06): red flags of global export-control evasion",
        "BIS, Industry Guidance to Prevent Diversion of Advanced Computing Integrated Circuits (2025-05-13)",
        "15 CFR Part 732, Supplement No. 3: 'Know Your Customer' Guidance and Red Flags",
    ),
    thresholds="shipments",
    runs_on="local",  # rows read from the workspace's DuckDB, scored in Python on every CPU (batch.py)
    description="Every shipment of accelerators, accelerator cards or AI servers is scored on the red flags of "
    "shipments/data/red_flags.yaml; a shipment scoring alert_score or more, and a consignee whose roll-up does, is an alert.",
)
def alerts_from_run(run: ScoringRun, th: ShipmentThresholds | None = None) -> list[Alert]:
    th = th or ShipmentThresholds()
    as_of = run.as_of.isoformat()
    alerts = [shipment_alert(s, as_of) for s in run.scores if s.score >= th.alert_score]
    rollup = Rollup()
    for s in run.scores:
        if s.of_interest:
            rollup.add(s)
    alerts += [consignee_alert(c, as_of) for c in rollup.consignees() if c.score >= th.consignee_alert_score]
    return sorted(alerts, key=lambda a: (-a.score, a.detector, a.subjects))


def detect(ctx: Any) -> list[Alert]:
    """The registry's entry point: ctx is a detectors.context.DetectionContext.

    The alerts of alerts_from_run(score_shipments(...)), made chunk by chunk on every CPU
    (batch.score_chunks) without keeping a million scores in memory.
    """
    th = getattr(ctx.settings, "shipments", None) or ShipmentThresholds()
    ws = ctx.parties.ws
    if not ws.has_table(TABLE) or not ws.con.execute(f"SELECT count(*) FROM {TABLE} WHERE {dated_up_to(ctx.as_of)}").fetchone()[0]:  # type: ignore[index]
        return []  # no shipments to score: no screener to build
    entities = ws.list_entities()
    screener = Screener(entities, ctx.screening) if entities else None
    scorer = ShipmentScorer(ws, screener, ctx.as_of, th)
    as_of = ctx.as_of.isoformat()

    def per_consignee(c: ConsigneeRollup) -> tuple[tuple[float, float, str], Alert | None]:
        return rank(c), consignee_alert(c, as_of) if c.score >= th.consignee_alert_score else None

    alerts, ranked = [], []
    for chunk in score_chunks(scorer, lines=False, on_alert=lambda s: shipment_alert(s, as_of),
                              on_consignee=per_consignee, workers=th.workers):  # fmt: skip
        alerts += chunk.found
        ranked += chunk.consignees
    ranked.sort(key=lambda c: c[0])
    alerts += [alert for _, alert in ranked if alert is not None]
    return sorted(alerts, key=lambda a: (-a.score, a.detector, a.subjects))
