"""`computewatch ingest accounts|usage|access|leases|media|probes` and `computewatch detect`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import orjson
import typer

from computewatch.atomic import atomic_write
from computewatch.commands.common import WorkspaceOption, as_of_day, err, out
from computewatch.commands.graph import ingest_app
from computewatch.errors import InputError, UsageError
from computewatch.settings import default_settings
from computewatch.workspace import Workspace

FilesArgument = Annotated[list[Path], typer.Argument(help="CSV (with header), JSON lines, or Parquet files")]


def _ingest(kind: str, files: list[Path], workspace: Path | None) -> None:
    from computewatch.sources.inputfiles import check_input_file
    from computewatch.sources.operations import load_operations
    from computewatch.sources.probes_table import load_probes

    for path in files:
        check_input_file(path)  # before the workspace is opened (or created)
    with Workspace(workspace) as ws, err.status(f"loading {kind}"):
        report = load_probes(ws, files) if kind == "probes" else load_operations(ws, kind, files)
    text = f"loaded {report.loaded} {kind} rows"
    if report.rejected:
        text += f"; {report.rejected} rows rejected"
    if report.skipped_files:
        text += f"; already loaded (same content), skipped: {', '.join(report.skipped_files)}"
    out.print(text, highlight=False)
    if report.problems:
        raise InputError.many(report.problems)


def _command(kind: str, doc: str) -> None:
    def command(files: FilesArgument, workspace: WorkspaceOption = None) -> None:
        _ingest(kind, files, workspace)

    command.__doc__ = doc + (
        "\n\nGood rows load in one transaction; every bad row is reported with file, line and field (exit code 1)."
    )
    ingest_app.command(kind)(command)


_command("accounts", "Cloud customers: account_id, holder_name, country, created_at, ... (keyed by account_id).")
_command("usage", "Accelerator usage: account_id, start, end, accelerator, accelerator_count, ... (Parquet for large files).")
_command("access", "Logins and API calls: account_id, ts, ip?, country?, end_user_id?, api_key_id?, service?, tokens?.")
_command("leases", "Data-centre rentals: lease_id, lessee_name, site_country, signed_at, start, servers, accelerator, ...")
_command("media", "Loading-dock / media ingest: site_country, ts, devices, bytes, lease_id?, lessee_name?, carried_by?, ...")
_command("probes", "Chip location probe rounds (S8): chip_id, claimed_country, landmark_id, landmark_lat, landmark_lon, rtt_ms, ts, "
         "claimed_lat?, claimed_lon?, site?, nonce?, signature_valid?, signature?, public_key?, chip_ts? (CSV or JSON lines).")




def detect(
    out_file: Annotated[Path, typer.Option("--out", help="alerts, JSON lines (written atomically)")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="judge as of this day, YYYY-MM-DD (default: today)")] = None,
    engine: Annotated[str, typer.Option("--engine", help="duckdb (default) or spark")] = "duckdb",
    workspace: WorkspaceOption = None,
) -> None:
    """Run every detector over the workspace; one alert per line, most severe first.

    List matches closed as false positives in the case store are left out while the party and the
    list entry are as they were decided (`computewatch cases suppressions`)."""
    from computewatch.cases.suppressions import decisions_in
    from computewatch.detectors.runner import run_detectors
    from computewatch.engine import ENGINES

    if engine not in ENGINES:
        raise UsageError(f"--engine: choose one of {', '.join(ENGINES)}")
    day = as_of_day(as_of)
    with Workspace(workspace) as ws:
        from computewatch.commands.rescreen import complete_pending

        complete_pending(ws)  # a list change a crash (or --no-rescreen) left un-screened
        with err.status(f"running detectors on {engine}"):
            run = run_detectors(ws, day, engine, default_settings(), suppressions=decisions_in(ws.home))
    if run.local:
        err.print(f"{', '.join(run.local)}: run locally on the workspace's DuckDB file, not on {engine}", highlight=False)
    with atomic_write(out_file) as fh:
        for record in run.records():
            fh.write(orjson.dumps(record) + b"\n")
    counts: dict[str, int] = {}
    for a in run.alerts:
        counts[a.detector] = counts.get(a.detector, 0) + 1
    detail = ", ".join(f"{k} x{v}" for k, v in sorted(counts.items()))
    quiet = f"; {len(run.suppressed)} suppressed by false-positive decisions" if run.suppressed else ""
    out.print(f"{len(run.alerts)} alerts as of {day} ({detail or 'none'}) written to {out_file}{quiet}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("detect")(detect)
