"""`computewatch screen`: batch (CSV in, JSON lines out) or one name."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from computewatch.atomic import atomic_write
from computewatch.commands.common import WorkspaceOption, build_screener, err, out, print_table
from computewatch.errors import UsageError
from computewatch.screening.batch import read_queries, screen_lines
from computewatch.screening.model import Query
from computewatch.settings import default_settings

SCREENING_ENGINES = ("local", "spark")


def screen(
    queries: Annotated[Path | None, typer.Argument(help="CSV with a header holding at least 'name'; optional id, country, schema")] = None,
    out_file: Annotated[Path | None, typer.Option("--out", help="JSON lines output, one line per query in input order")] = None,
    name: Annotated[str | None, typer.Option("--name", help="screen one name")] = None,
    country: Annotated[str, typer.Option("--country", help="ISO alpha-2 country of the party (evidence, not a filter)")] = "",
    schema: Annotated[str, typer.Option("--schema", help="Company, Person, Organization, Vessel...")] = "",
    lists: Annotated[list[Path] | None, typer.Option("--lists", help="screen against these list files instead of the workspace")] = None,
    threshold: Annotated[float | None, typer.Option(help="match threshold (default from settings: 0.80)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of a table (single query)")] = False,
    engine: Annotated[str, typer.Option("--engine", help="batch screening on: local (forked processes) or spark (docs/screening.md)")] = "local",
    workspace: WorkspaceOption = None,
) -> None:
    """Screen names against the restricted-party lists."""
    settings = default_settings()
    if threshold is not None:
        settings = settings.model_copy(update={"screening": settings.screening.model_copy(update={"threshold": threshold})})
    if (queries is None) == (name is None):
        raise UsageError("give either a QUERIES.csv file (with --out) or --name NAME")
    if queries is not None and out_file is None:
        raise UsageError("batch screening needs --out RESULTS.jsonl")
    if engine not in SCREENING_ENGINES:
        raise UsageError(f"--engine: choose one of {', '.join(SCREENING_ENGINES)}")
    batch = read_queries(queries) if queries is not None else None
    with err.status("building the screening index"):
        screener = build_screener(workspace, lists, settings)
    if batch is not None:
        assert out_file is not None
        columns = (TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        matched = 0
        with Progress(*columns, console=err, disable=len(batch) < 2000) as progress, atomic_write(out_file) as fh:
            task = progress.add_task("screen", total=len(batch))
            if engine == "spark":
                from computewatch.screening.spark import screen_lines_on_spark

                lines = screen_lines_on_spark(batch, screener, master=settings.engine.spark_master)
            else:
                lines = screen_lines(batch, screener, settings.screening.workers, lambda n: progress.advance(task, n))
            for line in lines:
                fh.write(line + b"\n")
                matched += b'"match":true' in line
        err.print(f"{len(batch)} queries screened, {matched} with a match; results in {out_file}")
        return
    assert name is not None
    query = Query(name, "1", country, schema)
    matches = screener.screen(query)
    if as_json:
        from computewatch.screening.batch import result_record

        out.print_json(orjson.dumps(result_record(query, screener)).decode())
        return
    if not matches:
        out.print(f"No list entry scores {settings.screening.min_score:.2f} or more for '{name}'.")
        return
    # the explanations are sentences: under the table, one per row, rather than squeezed into a column
    table = Table("#", "score", "match", "listed name", "list", "countries", title=f"Screening '{name}'")
    for i, m in enumerate(matches, 1):
        table.add_row(str(i), f"{m.score:.2f}", "yes" if m.match else "no", m.entity.caption, m.entity.source, ", ".join(m.entity.countries).upper())
    print_table(out, table)
    for i, m in enumerate(matches, 1):
        out.print(f"{i}. {m.explanation}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("screen")(screen)
