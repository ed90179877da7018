"""S7 alerts from shipment scores, in the CONTRACTS.md alert shape and the detectors' conventions.

`METADATA` and `detect(ctx)` follow detectors/registry.py (Sigma-style metadata; a
function from the detection context to alerts); the module is in DETECTOR_MODULES, so
`computewatch detect` runs it, with the thresholds of DetectorSettings.shipments.
`alerts_from_run` makes the same alerts from a ScoringRun in memory.
"""

from __future__ import annotations

from typing import Any

from computewatch.detectors.model import Alert, DetectorMeta, Evidence
from computewatch.screening.screener import Screener
from computewatch.shipments.rollup import ConsigneeRollup, Rollup, rank
from computewatch.shipments.scoring import (
    ScoringRun,
    ShipmentScore,
    ShipmentScorer,
    dated_up_to,
    severity_of,
)
from computewatch.shipments.settings import ShipmentThresholds

METADATA = DetectorMeta(
    id="shipment-diversion",
    title="Shipment of advanced computing items with diversion red flags",
    scenario="S7",
    severity="high",
    references=(
        "FinCEN and BIS Joint Notice FIN-2023-NTC2 (2023-11-06): red flags of global export-control evasion",
        "BIS, Industry Guidance to Prevent Diversion of Advanced Computing Integrated Circuits (2025-05-13)",
        "15 CFR Part 732, Supplement No. 3: 'Know Your Customer' Guidance and Red Flags",
    ),
    thresholds="shipments",
    description="Every shipment of accelerators, accelerator cards or AI servers is scored on the red flags of "
    "shipments/data/red_flags.yaml; a shipment scoring alert_score or more, and a consignee whose roll-up does, is an alert.",
)
CONSIGNEE_DETECTOR = "shipment-diversion-consignee"


def shipment_alert(s: ShipmentScore, as_of: str) -> Alert:
    evidence = [Evidence(f"{h.title}: {text}", f"{h.source} | {s.source}") for h in s.flags for text in h.evidence]
    evidence += [Evidence(f"mitigating: {m}", s.source) for m in s.mitigations]
    evidence += [Evidence(f"not counted: {n}", s.source) for n in s.notes]
    names = ", ".join(h.id for h in s.flags)
    return Alert(
        detector=METADATA.id, scenario=METADATA.scenario, severity=severity_of(s.score), score=s.score,
        subjects=[s.shipment_id, s.consignee_key], as_of=as_of,
        summary=f"shipment {s.shipment_id} on {s.date} to {s.consignee} ({s.consignee_country}), destination "
                f"{s.destination_country}: diversion risk {s.score:.2f} ({len(s.flags)} red flags: {names})",
        evidence=evidence,
    )  # fmt: skip


def consignee_alert(c: ConsigneeRollup, as_of: str) -> Alert:
    evidence = [Evidence(f"{f['title']}: {f['count']} of {c.shipments} shipments ({', '.join(f['shipments'][:5])})", f["source"])
                for f in c.to_json()["flags"]]  # fmt: skip
    evidence.append(Evidence(f"{c.shipments} shipments from {c.first} to {c.last}, USD {c.value_usd:,.0f}, "
                             f"{c.accelerators} accelerators, to {', '.join(sorted(c.destinations))}", "shipments"))  # fmt: skip
    return Alert(
        detector=CONSIGNEE_DETECTOR, scenario="S7", severity=severity_of(c.score), score=c.score,
        subjects=[c.consignee_key], as_of=as_of,
        summary=f"consignee {c.consignee} ({c.country}): diversion risk {c.score:.2f} over {c.shipments} shipments "
                f"({c.alerts} above the alert threshold)",
        evidence=evidence,
    )  # fmt: skip


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
    from computewatch.shipments.batch import score_chunks
    from computewatch.sources.shipments import TABLE

    th = ctx.settings.shipments
    ws = ctx.parties.ws
    tables = {r[0] for r in ws.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if TABLE not in tables or not ws.con.execute(f"SELECT count(*) FROM {TABLE} WHERE {dated_up_to(ctx.as_of)}").fetchone()[0]:  # type: ignore[index]
        return []  # no shipments to score: no screener to build
    from computewatch.settings import ScreeningSettings

    entities = ws.list_entities()
    screening = getattr(ctx, "screening", None) or ScreeningSettings()  # the run's, never the global defaults
    screener = Screener(entities, screening) if entities else None
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
