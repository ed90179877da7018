"""The bundled S7 case (data/demo/shipments): H100/H200 servers diverted through Malaysia and
Singapore, beside a distributor and a data-centre operator that must not be flagged."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

from computewatch.screening.screener import Screener
from computewatch.shipments.rollup import Rollup
from computewatch.shipments.scoring import score_shipments
from computewatch.sources.shipments import load_shipments
from computewatch.workspace import Workspace

S7_DAY = date(2026, 11, 25)
S7_SHIPMENTS = "s7-shipments.csv"
S7_ENTITIES = "s7-entities.jsonl"
NOT_TO_FLAG = ("Meridian Components Pte. Ltd.", "Tanjung Compute Centre Sdn. Bhd.")


def s7_file(name: str) -> Path:
    return Path(str(resources.files("computewatch").joinpath("data", "demo", "shipments", name)))


def demo_shipments(workspace: Workspace, screener: Screener | None) -> list[str]:
    """Load the S7 case (its registry extract into the graph, its shipments), score it, one line per finding."""
    from computewatch.graph.store import GraphStore
    from computewatch.sources.entities import read_entities

    GraphStore(workspace).load(read_entities([s7_file(S7_ENTITIES)]), [s7_file(S7_ENTITIES)])
    report = load_shipments(workspace, [s7_file(S7_SHIPMENTS)])
    run = score_shipments(workspace, screener, S7_DAY)
    lines = [f"S7 shipments: {report.loaded} loaded, scored as of {S7_DAY}: {len(run.alerts)} above the alert score"]
    for s in sorted(run.alerts, key=lambda s: -s.score):
        lines.append(f"S7 {s.shipment_id} to {s.consignee} ({s.consignee_country} -> {s.destination_country}): "
                     f"risk {s.score:.2f}, flags: {', '.join(h.id for h in s.flags)}")  # fmt: skip
    rollup = Rollup()
    for s in run.scores:
        if s.of_interest:
            rollup.add(s)
    for c in rollup.consignees():
        if c.consignee in NOT_TO_FLAG:
            lines.append(f"S7 not flagged: {c.consignee} ({c.country}), {c.shipments} shipments, risk {c.score:.2f}")
        elif c.score >= 0.5:
            lines.append(f"S7 consignee {c.consignee} ({c.country}): risk {c.score:.2f} over {c.shipments} shipments, "
                         f"USD {c.value_usd:,.0f}, {c.accelerators} accelerators")  # fmt: skip
    return lines
