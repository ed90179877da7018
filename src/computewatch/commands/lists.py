"""`computewatch lists load|versions|changes`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from computewatch.commands.common import WorkspaceOption, err, out, print_table
from computewatch.sources.list_guard import ListShrink
from computewatch.sources.lists import FORMATS, read_list
from computewatch.workspace import Workspace

lists_app = typer.Typer(no_args_is_help=True, help="Restricted-party lists in the workspace.")


@lists_app.command("load")
def load(
    files: Annotated[list[Path], typer.Argument(help="CSL CSV/JSON or FollowTheMoney JSON lines files")],
    workspace: WorkspaceOption = None,
    dataset: Annotated[str | None, typer.Option(help="dataset name (default: us_trade_csl for CSL files, else the entities' dataset or the file name)")] = None,
    fmt: Annotated[str | None, typer.Option("--format", help=f"one of {', '.join(FORMATS)} (default: detected)")] = None,
    rescreen: Annotated[
        bool, typer.Option("--rescreen/--no-rescreen", help="when a list changed, re-screen the workspace's parties and alert (--no-rescreen defers it to the next rescreen, detect or serve)")
    ] = True,
    allow_shrink: Annotated[
        bool, typer.Option("--allow-shrink", help="load even when a file removes more than lists.max_removed_share of its dataset, or empties it")
    ] = False,
) -> None:
    """Load restricted-party lists. Each file replaces its dataset completely, or not at all.

    A file that would remove more than 10% of its dataset (setting lists.max_removed_share) or
    leave it empty is refused, nothing is loaded, and the refusal is recorded; --allow-shrink
    loads it anyway. When a list changed and the workspace holds parties (entities, accounts,
    leases, shipments...), they are screened again and what changed becomes alerts and cases
    (see `computewatch rescreen`); a re-screen cut short by a crash is completed by the next
    `lists load`, `rescreen`, `detect` or `serve`.
    """
    from computewatch.settings import default_settings
    from computewatch.sources.list_guard import (
        ListShrinkRefused,
        list_shrink,
        record_refusal,
    )
    from computewatch.sources.lists import default_dataset

    # Read and validate every file before touching the workspace.
    parsed = []
    for path in files:
        with err.status(f"reading {path}"):
            found_fmt, records = read_list(path, fmt)
        parsed.append((path, found_fmt, records, dataset or default_dataset(path, found_fmt, records)))
    limit = default_settings().lists.max_removed_share
    with Workspace(workspace) as ws:
        shrinks = [list_shrink(ws, name, records, path, limit) for path, _, records, name in parsed]
        over = [s for s in shrinks if s.over_limit]
        if over and not allow_shrink:
            for shrink in over:
                record_refusal(ws, shrink)
            _audit(ws, "list_load_refused", over)
            raise ListShrinkRefused(over)
        if over:
            err.print("[yellow]warning:[/yellow] --allow-shrink: " + "\n".join(s.text() for s in over), highlight=False)
            _audit(ws, "list_shrink_allowed", over)
        for path, found_fmt, records, name in parsed:
            with err.status(f"storing {len(records)} entries as {name}"):
                result = ws.load_list(name, records, path, found_fmt)
            if result.unchanged:
                out.print(f"{path}: {name} unchanged ({result.entity_count} entries)")
            else:
                out.print(
                    f"{path}: {name} version {result.version_id}: {result.entity_count} entries "
                    f"(+{result.added} added, -{result.removed} removed, ~{result.modified} modified)"
                )
        if rescreen:
            from computewatch.commands.rescreen import complete_pending

            complete_pending(ws)  # this load's change, and any a crash left owed
        elif ws.rescreen_pending():
            out.print("re-screen deferred (--no-rescreen): the next `computewatch rescreen`, `detect` or `serve` runs it")


def _audit(ws: Workspace, action: str, shrinks: list[ListShrink]) -> None:
    """Record a refused (or allowed) shrink in the case store's audit log, when it can be reached."""
    from sqlalchemy.exc import SQLAlchemyError

    from computewatch.cases.audit import AuditLog
    from computewatch.cases.db import open_case_db
    from computewatch.commands.cases import _actor
    from computewatch.sources.list_guard import audit_details

    try:
        with open_case_db(ws.home) as db, db.session() as session:
            log = AuditLog(session)
            for shrink in shrinks:
                log.append(_actor(None), action, None, **audit_details(shrink))
    except (SQLAlchemyError, OSError) as exc:
        err.print(f"[yellow]warning:[/yellow] the audit log could not be reached ({exc.__class__.__name__}); the refusal is kept in the workspace", highlight=False)


@lists_app.command("refusals")
def refusals(workspace: WorkspaceOption = None) -> None:
    """List loads refused by the shrink guard: when, which file, how much it would have removed."""
    from computewatch.sources.list_guard import list_refusals

    with Workspace(workspace) as ws:
        rows = list_refusals(ws)
    table = Table("refused at", "dataset", "entries", "in the file", "would remove", "limit", "file")
    for r in rows:
        table.add_row(str(r["refused_at"])[:19], str(r["dataset"]), str(r["entries_now"]), str(r["entries_new"]),
                      str(r["removed"]), f"{float(r['max_removed_share']):.0%}", str(r["file"]))  # type: ignore[arg-type]
    out.print(table if rows else "no list load has been refused")


@lists_app.command("versions")
def versions(workspace: WorkspaceOption = None) -> None:
    """Every list version loaded, with what changed."""
    with Workspace(workspace) as ws:
        rows = ws.list_versions()
    table = Table("version", "dataset", "loaded at", "entries", "added", "removed", "modified", "file")
    for r in rows:
        table.add_row(*(str(r[k]) for k in ("version_id", "dataset", "loaded_at", "entity_count", "added", "removed", "modified", "file")))
    print_table(out, table)


@lists_app.command("changes")
def changes(version: int, workspace: WorkspaceOption = None) -> None:
    """Entries added, removed or modified by one list version (for re-screening)."""
    with Workspace(workspace) as ws:
        for entity_id, change in ws.list_changes(version):
            out.print(f"{change}\t{entity_id}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(lists_app, name="lists")
