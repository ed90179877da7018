"""`computewatch lists load|versions|changes`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from computewatch.commands.common import WorkspaceOption, err, out, print_table
from computewatch.rescreen.parties import has_parties
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
        bool, typer.Option("--rescreen/--no-rescreen", help="when a list changed, re-screen the workspace's parties and alert")
    ] = True,
) -> None:
    """Load restricted-party lists. Each file replaces its dataset completely, or not at all.

    When a list changed and the workspace holds parties (entities, accounts, leases, shipments...),
    they are screened again and what changed becomes alerts and cases (see `computewatch rescreen`).
    """
    # Read and validate every file before touching the workspace.
    parsed = []
    for path in files:
        with err.status(f"reading {path}"):
            found_fmt, records = read_list(path, fmt)
        from computewatch.sources.lists import default_dataset

        parsed.append((path, found_fmt, records, dataset or default_dataset(path, found_fmt, records)))
    changed = False
    with Workspace(workspace) as ws:
        for path, found_fmt, records, name in parsed:
            with err.status(f"storing {len(records)} entries as {name}"):
                result = ws.load_list(name, records, path, found_fmt)
            if result.unchanged:
                out.print(f"{path}: {name} unchanged ({result.entity_count} entries)")
            else:
                changed = True
                out.print(
                    f"{path}: {name} version {result.version_id}: {result.entity_count} entries "
                    f"(+{result.added} added, -{result.removed} removed, ~{result.modified} modified)"
                )
        if changed and rescreen and has_parties(ws):
            from datetime import date

            from computewatch.commands.rescreen import run_and_report

            run_and_report(ws, date.today())


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
