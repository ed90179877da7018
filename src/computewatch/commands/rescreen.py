"""`computewatch rescreen`: screen and evaluate everything again, alert on what changed.

`lists load` calls the same code after a list changes (unless --no-rescreen).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from computewatch.atomic import atomic_write
from computewatch.commands.common import WorkspaceOption, as_of_day, err, out
from computewatch.crashpoints import crash_point
from computewatch.errors import UsageError
from computewatch.rescreen.state import clear_pending, mark_delivered, undelivered_alerts
from computewatch.settings import default_settings
from computewatch.workspace import Workspace

ACTOR = "system:rescreen"  # who opens the cases, in the audit log


def run_and_report(
    ws: Workspace,
    day: date,
    out_file: Path | None = None,
    cases: bool = True,
    detectors: bool | None = None,
    full: bool = False,
    engine: str = "local",
) -> None:
    """Re-screen, write the alerts, open cases for them, and print what changed."""
    from computewatch.cases.suppressions import decisions_in
    from computewatch.rescreen import rescreen

    decisions = decisions_in(ws.home)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as bar:  # fmt: skip
        task = bar.add_task("re-screening", total=None)

        def progress(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total)

        report = rescreen(ws, day, default_settings(), run_detectors=detectors, progress=progress, keep_outbox=cases,
                          suppressions=decisions, full=full, engine=engine)  # fmt: skip
    crash_point("rescreen-saved")
    records = [a.to_json() for a in report.alerts]
    if out_file is not None:
        with atomic_write(out_file) as fh:
            for record in records:
                fh.write(orjson.dumps(record) + b"\n")
    s = report.summary()
    head = "first re-screening (baseline)" if report.first else f"re-screening run {report.run_id}"
    out.print(
        f"{head} as of {day}: {s['parties']} parties screened, {s['matches']} list matches",
        highlight=False,
    )
    for line in report.list_changes + report.policy_changes:
        out.print(f"  changed: {line}", highlight=False)
    if report.parties:
        out.print(f"  screening: {report.mode}, {report.screened} parties screened ({report.mode_reason})", highlight=False)
    detail = (f"{s['new_matches']} new list matches, {s['lost_matches']} no longer matching, "
              f"{s['new_affiliates']} ownership changes, {s['new_detector_alerts']} new detector alerts"
              + ("" if report.detectors_run else " (detectors not re-run: no list or rule change)")
              + (f"; {len(report.suppressed)} suppressed by false-positive decisions" if report.suppressed else ""))  # fmt: skip
    out.print(
        f"  {len(records)} alerts: {detail}" + (f"; written to {out_file}" if out_file else ""),
        highlight=False,
    )
    if cases and records:
        from computewatch.cases.importing import open_cases

        summary = open_cases(ws.home, records, f"rescreen run {report.run_id}", ACTOR)
        crash_point("cases-opened")
        mark_delivered(ws, report.run_id)
        out.print(f"  cases: {summary.text()}", highlight=False)


def deliver_saved_alerts(ws: Workspace) -> bool:
    """Open the cases of re-screening runs that saved their alerts but stopped before opening them."""
    from computewatch.cases.importing import open_cases

    saved = undelivered_alerts(ws)
    for run_id, records in saved:
        out.print(f"re-screening run {run_id} saved its alerts but did not open their cases: opening them now", highlight=False)
        summary = open_cases(ws.home, records, f"rescreen run {run_id}", ACTOR)  # idempotent: keyed by alert id
        mark_delivered(ws, run_id)
        out.print(f"  cases: {summary.text()}", highlight=False)
    return bool(saved)


def complete_pending(ws: Workspace, cases: bool = True) -> bool:
    """Finish what a stopped process left owed: open the cases of a saved re-screening, and re-screen
    list versions loaded since the last one. Returns whether anything was owed.

    `lists load`, `rescreen`, `detect` and `serve` call it first, so a crash (or `--no-rescreen`)
    never leaves a list change un-screened.
    """
    from computewatch.rescreen.parties import has_parties

    owed = deliver_saved_alerts(ws) if cases else False
    pending = ws.rescreen_pending()
    if not pending:
        return owed
    if not has_parties(ws):
        clear_pending(ws)  # nothing in the workspace to screen against the new lists
        return owed
    versions = ", ".join(f"{ds} version {v}" for v, ds in pending)
    out.print(f"re-screen owed for {versions} (interrupted or deferred): re-screening now", highlight=False)
    run_and_report(ws, date.today(), cases=cases)
    return True


def rescreen_command(
    out_file: Annotated[
        Path | None, typer.Option("--out", help="the new alerts, JSON lines (written atomically)")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="judge as of this day, YYYY-MM-DD (default: today)"),
    ] = None,
    cases: Annotated[
        bool, typer.Option("--cases/--no-cases", help="open a case for every new alert")
    ] = True,
    detectors: Annotated[
        bool | None,
        typer.Option(
            "--detectors/--no-detectors",
            help="re-run the detectors (default: when a list or rule changed)",
        ),
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="screen every party against the whole list (default: only the parties a list update can touch; same alerts)")
    ] = False,
    engine: Annotated[
        str, typer.Option("--engine", help="where parties are screened: local (forked processes) or spark")
    ] = "local",
    workspace: WorkspaceOption = None,
) -> None:
    """Screen every party again against the lists, re-check ownership by listed parties, re-run the
    detectors under the rules of the day, and alert on what changed since the last run.

    Run it after loading a list (`lists load` does so itself), after ingesting data, and daily:
    a dated rule taking effect or ending is a change too.
    """
    from computewatch.commands.screen import SCREENING_ENGINES

    if engine not in SCREENING_ENGINES:
        raise UsageError(f"--engine: choose one of {', '.join(SCREENING_ENGINES)}")
    with Workspace(workspace) as ws:
        if cases:
            deliver_saved_alerts(ws)  # a stopped run's cases first
        run_and_report(ws, as_of_day(as_of), out_file, cases, detectors, full, engine)


def register(app: typer.Typer) -> None:
    app.command("rescreen")(rescreen_command)
