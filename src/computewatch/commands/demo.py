"""`computewatch demo`: build a workspace from the bundled data and run every capability on it."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from computewatch.commands.common import WorkspaceOption, err, out
from computewatch.screening.batch import read_queries
from computewatch.screening.screener import Screener
from computewatch.settings import default_settings
from computewatch.sources.lists import default_dataset, read_list
from computewatch.workspace import Workspace


def bundled(*parts: str) -> Path:
    return Path(str(resources.files("computewatch").joinpath("data", *parts)))


def demo_screening(ws: Workspace) -> None:
    list_file = bundled("lists", "bis-lists.csl.csv")
    with err.status(f"loading {list_file.name}"):
        fmt, records = read_list(list_file)
        result = ws.load_list(default_dataset(list_file, fmt, records), records, list_file, fmt)
    out.print(f"[bold]Lists[/bold]: {result.entity_count} entries of the BIS Entity, MEU and Denied Persons lists loaded")
    screener = Screener(ws.list_entities(), default_settings().screening)
    parties = read_queries(bundled("demo", "parties.csv"))
    table = Table("party", "country", "best list entry", "score", "match", "why", title="Screening bundled parties", show_lines=True)
    for query in parties:
        matches = screener.screen(query)
        if matches:
            m = matches[0]
            table.add_row(query.name, query.country, m.entity.caption, f"{m.score:.2f}", "yes" if m.match else "no", m.explanation)
        else:
            table.add_row(query.name, query.country, "-", "-", "no", "no list entry scores 0.50 or more")
    out.print(table)


def demo(
    workspace: WorkspaceOption = None,
    serve: Annotated[bool, typer.Option("--serve", help="start the web app afterwards (not available yet)")] = False,
) -> None:
    """Build a workspace from the bundled scenario data, run everything, print a summary."""
    with Workspace(workspace) as ws:
        out.print(f"workspace: {ws.home.resolve()}")
        demo_screening(ws)
    if serve:
        err.print("the web app is not built yet (see the cases/API issue)")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
