"""`computewatch ingest shipments` and `computewatch shipments score` (S7: diversion red flags)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import orjson
import typer

from computewatch.atomic import atomic_write
from computewatch.commands.common import WorkspaceOption, as_of_day, build_screener, err, out
from computewatch.commands.graph import ingest_app
from computewatch.errors import InputError, UsageError
from computewatch.workspace import Workspace

shipments_app = typer.Typer(no_args_is_help=True, help="Shipment screening: diversion red flags for accelerators (S7).")


@ingest_app.command("shipments")
def ingest_shipments(
    files: Annotated[list[Path], typer.Argument(help="CSV (with header) or JSON lines files")],
    workspace: WorkspaceOption = None,
) -> None:
    """Shipment and sales records: shipment_id, date, shipper, consignee, consignee_country, destination_country,
    description, quantity?, value_usd?, end_user?, notify_party?, payer_country?, freight_forwarder?, ...

    Good rows load in one transaction (a shipment_id loaded again replaces the earlier row); every bad row is
    reported with file, line and field (exit code 1).
    """
    from computewatch.sources.shipments import load_shipments

    with Workspace(workspace) as ws, err.status("loading shipments"):
        report = load_shipments(ws, files)
    out.print(f"loaded {report.loaded} shipments" + (f"; {report.rejected} rows rejected" if report.rejected else ""), highlight=False)
    if report.problems:
        raise InputError.many(report.problems)




@shipments_app.command("score")
def score(
    out_file: Annotated[Path, typer.Option("--out", help="one score per shipment, JSON lines (written atomically)")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="score shipments dated up to this day, YYYY-MM-DD (default: today)")] = None,
    consignees: Annotated[Path | None, typer.Option("--consignees", help="also write the roll-up per consignee over time, JSON lines")] = None,
    alerts: Annotated[Path | None, typer.Option("--alerts", help="also write S7 alerts (CONTRACTS.md alert records), JSON lines")] = None,
    lists: Annotated[list[Path] | None, typer.Option("--lists", help="screen against these list files instead of the workspace's")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Score the diversion risk of every shipment, naming every red flag with its evidence and source."""
    from computewatch.shipments.detector import consignee_alert, shipment_alert
    from computewatch.shipments.rollup import Rollup
    from computewatch.shipments.scoring import ShipmentScorer

    day = as_of_day(as_of)
    try:
        screener = build_screener(workspace, lists)
    except UsageError as exc:
        if lists:
            raise
        err.print(f"[yellow]warning:[/yellow] {exc}; parties are not screened (red flag listed_party is off)")
        screener = None
    rollup, found, period = Rollup(), [], f"{day.year:04d}-{day.month:02d}"
    counts = {"shipments": 0, "of_interest": 0, "alerts": 0}
    with Workspace(workspace) as ws, err.status("scoring shipments"), atomic_write(out_file) as fh:
        scorer = ShipmentScorer(ws, screener, day)
        for s in scorer:
            fh.write(orjson.dumps(s.to_json()) + b"\n")
            counts["shipments"] += 1
            if s.of_interest:
                counts["of_interest"] += 1
                rollup.add(s)
            if s.alert:
                counts["alerts"] += 1
                if alerts:
                    found.append(shipment_alert(s, day.isoformat(), period))
    ranked = rollup.consignees()
    if consignees:
        with atomic_write(consignees) as fh:
            for c in ranked:
                fh.write(orjson.dumps(c.to_json()) + b"\n")
    if alerts:
        th = scorer.th
        found += [consignee_alert(c, day.isoformat(), period) for c in ranked if c.score >= th.consignee_alert_score]
        with atomic_write(alerts) as fh:
            for a in sorted(found, key=lambda a: (-a.score, a.detector, a.subjects)):
                fh.write(orjson.dumps(a.to_json()) + b"\n")
    flagged = sum(1 for c in ranked if c.score >= scorer.th.consignee_alert_score)
    out.print(
        f"{counts['shipments']} shipments as of {day} ({counts['of_interest']} of advanced computing items): "
        f"{counts['alerts']} above the alert score; {flagged} of {len(ranked)} consignees flagged; scores written to {out_file}",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(shipments_app, name="shipments")
