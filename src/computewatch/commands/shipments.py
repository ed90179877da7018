"""`computewatch ingest shipments` and `computewatch shipments score` (S7: diversion red flags)."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Annotated

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
    from computewatch.sources.inputfiles import check_input_file
    from computewatch.sources.shipments import load_shipments

    for path in files:
        check_input_file(path)  # before the workspace is opened (or created)
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
    workers: Annotated[int | None, typer.Option("--workers", help="processes that score (0: one per CPU; default: the detectors.shipments.workers setting)")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Score the diversion risk of every shipment, naming every red flag with its evidence and source.

    Thresholds come from the settings (detectors.shipments). A million shipments are scored in chunks of
    whole consignees on every CPU; the output is the same whatever the number of workers.
    """
    from computewatch.settings import default_settings
    from computewatch.shipments.batch import write_scores
    from computewatch.shipments.scoring import ShipmentScorer

    day = as_of_day(as_of)
    settings = default_settings()
    th = settings.detectors.shipments
    try:
        screener = build_screener(workspace, lists, settings)
    except UsageError as exc:
        if lists:
            raise
        err.print(f"[yellow]warning:[/yellow] {exc}; parties are not screened (red flag listed_party is off)")
        screener = None
    with ExitStack() as files:
        ws = files.enter_context(Workspace(workspace))
        files.enter_context(err.status("scoring shipments"))
        fh, cons, found = (files.enter_context(atomic_write(path)) if path else None for path in (out_file, consignees, alerts))
        assert fh is not None
        since = listing_dates_of(lists) if lists and screener is not None else None
        summary = write_scores(ShipmentScorer(ws, screener, day, th, since), fh, cons, found, th.workers if workers is None else workers)
    out.print(
        f"{summary.shipments} shipments as of {day} ({summary.of_interest} of advanced computing items): "
        f"{summary.alerts} above the alert score; {summary.flagged} of {summary.consignees} consignees flagged; "
        f"scores written to {out_file}",
        highlight=False,
    )


def listing_dates_of(paths: list[Path]) -> dict[str, date]:
    """List entry id -> listing day, from list files given with --lists (a party listed after a shipment is not flagged)."""
    from computewatch.shipments.parties import listing_date
    from computewatch.sources.lists import read_list

    found = {}
    for path in paths:
        for record in read_list(path)[1]:
            if (day := listing_date(record.source_fields)) is not None:
                found[record.id] = day
    return found


def register(app: typer.Typer) -> None:
    app.add_typer(shipments_app, name="shipments")
