"""`computewatch tenders scan`: procurement notices in, one JSON line per notice out."""

from __future__ import annotations

import csv
import os
from datetime import date
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from computewatch.atomic import atomic_write
from computewatch.commands.common import WorkspaceOption, build_screener, err, out
from computewatch.errors import InputError, InputProblem, UsageError
from computewatch.settings import default_settings
from computewatch.tenders.scan import NoticeScanner, notice_files

SHOWN_FINDINGS = 20  # flagged notices named on the terminal; every one is in the output file

app = typer.Typer(help="Procurement notices: find restricted compute bought through intermediaries.", no_args_is_help=True)


def _read_rates(path: Path) -> dict[str, float]:
    """CSV `currency,cny_per_unit` (e.g. USD,7.10): the only way another currency becomes CNY."""
    from computewatch.sources.inputfiles import decoding, open_text, text_encoding

    rates: dict[str, float] = {}
    encoding = text_encoding(path)
    with decoding(path, encoding), open_text(path, encoding) as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            try:
                rates[row["currency"].strip().upper()] = float(row["cny_per_unit"])
            except (KeyError, ValueError, AttributeError) as exc:
                raise InputError(path, line, "cny_per_unit", f"needs columns currency,cny_per_unit with a number ({exc})") from exc
    return rates


@app.command("scan")
def scan(
    paths: Annotated[list[Path], typer.Argument(help="notice files (.html/.htm/.txt/.pdf) or folders, walked recursively")],
    out_file: Annotated[Path, typer.Option("--out", help="JSON lines output, one line per notice")],
    lists: Annotated[list[Path] | None, typer.Option("--lists", help="screen parties against these list files instead of the workspace")] = None,
    destination: Annotated[str, typer.Option("--destination", help="country of the buyers unless a notice says otherwise (ISO alpha-2)")] = "CN",
    as_of: Annotated[str | None, typer.Option("--as-of", help="classify chips as of this day (YYYY-MM-DD) instead of each notice's date")] = None,
    rates: Annotated[Path | None, typer.Option("--rates", help="CSV currency,cny_per_unit to convert other currencies to CNY")] = None,
    max_mb: Annotated[float, typer.Option("--max-mb", help="files larger than this are reported, not read")] = 20.0,
    no_screening: Annotated[bool, typer.Option("--no-screening", help="skip party screening (no lists needed)")] = False,
    record_parties: Annotated[bool, typer.Option("--record/--no-record", help="keep the notices' parties in the workspace for re-screening (when a workspace is in use: --workspace, $COMPUTEWATCH_HOME, or its lists screen)")] = True,
    workspace: WorkspaceOption = None,
) -> None:
    """Scan procurement notices: fields, line items, controlled chips, foreign providers, screened parties, flags.

    The buyer, agency and suppliers of every notice are kept in the workspace (unless --no-record), so
    `computewatch rescreen` and `detect` catch a supplier listed after its notice was scanned."""
    missing = [InputProblem(str(p), None, None, "no such file or folder") for p in paths if not p.exists()]
    if missing:
        raise InputError.many(missing)
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError as exc:
        raise UsageError(f"--as-of {as_of!r} is not a date (YYYY-MM-DD)") from exc
    if len(destination.strip()) != 2:
        raise UsageError(f"--destination {destination!r} is not an ISO 3166-1 alpha-2 code")
    files = list(notice_files(paths))
    if not files:
        raise InputError(paths[0], None, None, "no notice files (.html, .htm, .txt, .pdf) in it")
    screener = None
    if not no_screening:
        with err.status("building the screening index"):
            screener = build_screener(workspace, lists, default_settings())
    scanner = NoticeScanner(screener, destination.strip().upper(), day, _read_rates(rates) if rates else {}, int(max_mb * 2**20))
    flagged = failed = 0
    scanned = []
    findings: list[str] = []  # one line per flagged notice, printed after the scan
    columns = (TextColumn("scanning notices"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as progress, atomic_write(out_file) as fh:
        task = progress.add_task("scan", total=len(files))
        for path in files:
            record = scanner.scan_file(path)
            fh.write(orjson.dumps(record) + b"\n")
            flagged += record["flagged"]
            if record["flagged"]:
                buyer = f" ({record['buyer']})" if record.get("buyer") else ""
                findings.append(f"flagged: {Path(str(record['file'])).name}{buyer}: {'; '.join(record['reasons'])}")
            if record["errors"] and not record["title"]:
                failed += 1
                err.print(f"[yellow]{path}: {'; '.join(record['errors'])}[/yellow]")
            elif record["errors"]:
                err.print(f"[yellow]warning: {path}: {'; '.join(record['errors'])}[/yellow]")
            if record.get("format"):  # read: an unreadable file leaves nothing in the workspace
                scanned.append({k: record.get(k) for k in ("file", "title", "buyer", "agency", "suppliers", "date", "flagged")})
            progress.advance(task)
    for line in findings[:SHOWN_FINDINGS]:
        out.print(line, highlight=False, markup=False)
    if len(findings) > SHOWN_FINDINGS:
        out.print(f"... and {len(findings) - SHOWN_FINDINGS} more flagged notices (all in {out_file})", highlight=False)
    err.print(f"{len(files)} notices scanned, {flagged} flagged, {failed} unreadable; results in {out_file}")
    # Kept in the workspace the scan works with: named, or the one whose lists screened the parties.
    in_use = workspace is not None or os.environ.get("COMPUTEWATCH_HOME") or not (lists or no_screening)
    if record_parties and in_use:
        from computewatch.tenders.record import record_notice_parties
        from computewatch.workspace import Workspace

        with Workspace(workspace) as ws:
            record_notice_parties(ws, scanned)
    if failed:
        raise typer.Exit(1)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="tenders")
