"""Options and helpers shared by several commands."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from computewatch.errors import UsageError
from computewatch.screening.model import ListEntity
from computewatch.screening.screener import Screener
from computewatch.settings import Settings, default_settings
from computewatch.sources.lists import read_list
from computewatch.workspace import Workspace, resolve_home

out = Console(soft_wrap=True)  # plain lines stay whole when piped
err = Console(stderr=True)

WorkspaceOption = Annotated[
    Path | None,
    typer.Option("--workspace", "-w", help="workspace folder (default: $COMPUTEWATCH_HOME or ./computewatch-data)"),
]


def as_of_day(text: str | None) -> date:
    """The day an `--as-of` option names (default: today)."""
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"--as-of: {text!r} is not a date (YYYY-MM-DD)") from exc


def list_entities(workspace: Path | None, list_files: list[Path] | None) -> list[ListEntity]:
    """Entities from list files given on the command line, else from the workspace."""
    if list_files:
        entities: list[ListEntity] = []
        for path in list_files:
            fmt, records = read_list(path)
            dataset = path.stem
            entities.extend(r.to_list_entity(dataset) for r in records)
        return entities
    with Workspace(workspace) as ws:
        entities = ws.list_entities()
    if not entities:
        raise UsageError("no lists loaded in the workspace: run `computewatch lists load FILE` or pass --lists FILE")
    return entities


def build_screener(workspace: Path | None, list_files: list[Path] | None, settings: Settings | None = None) -> Screener:
    """A screener over the list files given, else over the workspace's lists (with the entries'
    name analyses kept in the workspace for the next command)."""
    settings = settings or default_settings()
    home = None if list_files else resolve_home(workspace)
    return Screener(list_entities(workspace, list_files), settings.screening, home=home)


def print_table(console: Console, table: Table) -> None:
    """The table when its columns fit the terminal; else each row as a block of `column  value`
    lines (the first cell as its heading), so that no column is squeezed to '…' in 80 columns."""
    if Measurement.get(console, console.options.update(max_width=10_000), table).minimum <= console.width:
        console.print(table)
        return
    if table.title:
        console.print(table.title, style="bold")
    columns = table.columns
    cells = [list(c.cells) for c in columns]
    for i in range(table.row_count):
        block = Table(show_header=False, box=None, padding=(0, 1, 0, 2), expand=False)
        block.add_column(style="dim", no_wrap=True)
        block.add_column(overflow="fold")
        for column, values in zip(columns[1:], cells[1:], strict=True):
            if str(values[i]).strip():  # an empty cell says nothing here
                block.add_row(column.header, values[i])
        heading = str(cells[0][i])
        if heading.isdigit():  # a bare number says more with its column: '# 12', 'version 3'
            heading = f"{columns[0].header} {heading}"
        console.print(heading, style="bold", highlight=False)
        console.print(block)
