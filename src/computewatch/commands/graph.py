"""`computewatch ingest entities` and `computewatch graph owners|successors|resolve`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.table import Table

from computewatch.commands.common import WorkspaceOption, as_of_day, err, out, print_table
from computewatch.errors import InputError, NotFound, UsageError, refuse_damaged
from computewatch.settings import default_settings
from computewatch.workspace import Workspace

ingest_app = typer.Typer(no_args_is_help=True, help="Load input tables (CONTRACTS.md) into the workspace.")
graph_app = typer.Typer(no_args_is_help=True, help="The ownership and control graph.")

AsOfOption = Annotated[str | None, typer.Option("--as-of", help="the day to answer for, YYYY-MM-DD (default: today)")]
JsonOption = Annotated[bool, typer.Option("--json", help="print JSON instead of text")]




@ingest_app.command("entities")
def ingest_entities(
    files: Annotated[list[Path], typer.Argument(help="FollowTheMoney entity JSON lines files")],
    workspace: WorkspaceOption = None,
) -> None:
    """Load companies, people, ownership, directorships, addresses, contracts and sanctions.

    Every good row is loaded (in one transaction); every bad row is reported with
    file, line and field, and the exit code is then 1.
    """
    from computewatch.graph.store import GraphStore
    from computewatch.sources.entities import read_entities

    with err.status("reading entities"):
        batch = read_entities(files)
    refuse_damaged(batch.problems)
    with Workspace(workspace) as ws, err.status("loading the graph"):
        summary = GraphStore(ws).load(batch, files)
    out.print(
        f"loaded {summary.entities} entities, {summary.relations} relationships and {summary.listings} listings"
        + (f"; skipped (not used by the graph): {', '.join(f'{k} x{v}' for k, v in sorted(summary.skipped.items()))}" if summary.skipped else "")
        + (f"; {summary.problems} rows rejected" if summary.problems else "")
    )
    if batch.problems:
        raise InputError.many(sorted(batch.problems, key=lambda p: (p.file, p.line or 0, p.field or "")))


def _screen(ws: Workspace, store: object, enabled: bool) -> object:
    if not enabled or not ws.con.execute("SELECT count(*) FROM list_entities").fetchone()[0]:  # type: ignore[index]
        return None
    from computewatch.graph.restricted import ListScreen
    from computewatch.screening.screener import Screener

    with err.status("building the screening index"):
        return ListScreen.from_workspace(store, Screener(ws.list_entities(), default_settings().screening))  # type: ignore[arg-type]


def _resolve_id(store: object, key: str) -> str:
    from computewatch.graph.resolve import EntityResolver

    found = EntityResolver(store).resolve(entity_id=key, registration_number=key, name=key)  # type: ignore[arg-type]
    if not found:
        raise NotFound("entity", key)
    if found[0].method != "id":
        err.print(f"'{key}' resolved by {found[0].method} to {found[0].entity_id} ({found[0].name})", highlight=False)
    return found[0].entity_id


@graph_app.command("owners")
def owners(
    entity_id: Annotated[str, typer.Argument(help="an ingested entity id (a registration number or a name also works)")],
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
    screen: Annotated[bool, typer.Option("--screen/--no-screen", help="count matches against the loaded lists as listed")] = True,
    workspace: WorkspaceOption = None,
) -> None:
    """Ultimate owners with effective percentages and paths, restricted ownership, and flags."""
    from computewatch.graph.report import owners_report
    from computewatch.graph.store import GraphStore

    day = as_of_day(as_of)
    with Workspace(workspace) as ws:
        store = GraphStore(ws)
        report = owners_report(store, _resolve_id(store, entity_id), day, _screen(ws, store, screen),  # type: ignore[arg-type]
                               default_settings().graph)
    if as_json:
        out.print_json(orjson.dumps(report).decode())
        return
    entity = report["entity"]
    out.print(f"[bold]{entity['label']}[/bold] as of {report['as_of']}", highlight=False)
    table = Table("owner", "country", "effective %", "listed", "paths", show_lines=True)
    for o in report["owners"]:
        pct = "?" if o["effective_percentage"] is None else f"{o['effective_percentage']:g}"
        table.add_row(o["name"], o["country"] or "", pct, ", ".join(o["listings"]) or "no", "\n".join(o["path_text"][:5]))
    if report["owners"]:
        print_table(out, table)
    else:
        out.print("no owners recorded on that day")
    rule = report["affiliates_rule"]
    out.print(f"restricted ownership: {report['restricted_ownership_pct']:g}% (look-through {report['restricted_lookthrough_pct']:g}%); "
              f"Affiliates rule {rule['id']}: {rule['status']}", highlight=False)  # fmt: skip
    for flag in report["flags"]:
        out.print(f"[{flag['severity']}] {flag['code']}: {flag['text']}", highlight=False, markup=False)


@graph_app.command("successors")
def successors(
    entity_id: Annotated[str | None, typer.Argument(help="only pairs with this entity (default: every takeover)")] = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
    all_pairs: Annotated[bool, typer.Option("--all", help="also list takeovers without enough shared evidence")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """New entities that took over a lease, account or contract and share people or contacts with the old one."""
    from computewatch.graph.store import GraphStore
    from computewatch.graph.successors import find_successors, successor_json

    day = as_of_day(as_of)
    with Workspace(workspace) as ws:
        store = GraphStore(ws)
        key = _resolve_id(store, entity_id) if entity_id else None
        found = [s for s in find_successors(store, day, default_settings().graph, key) if all_pairs or s.is_successor]
        records = [successor_json(s, store) for s in found]
    if as_json:
        out.print_json(orjson.dumps(records).decode())
        return
    for r in records:
        out.print(r["text"], highlight=False, markup=False)
    if not records:
        out.print("no successors found")


@graph_app.command("resolve")
def resolve(
    name: Annotated[str, typer.Option("--name", help="the party's name as another source spells it")] = "",
    registration_number: Annotated[str, typer.Option("--registration-number", help="company registration number")] = "",
    entity_id: Annotated[str, typer.Option("--id", help="an entity id")] = "",
    country: Annotated[str, typer.Option("--country", help="ISO alpha-2 country (evidence)")] = "",
    as_json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Which graph entity a lease, shipment or registry extract means: ids, registration numbers, then names."""
    from computewatch.graph.resolve import EntityResolver
    from computewatch.graph.store import GraphStore

    if not (name or registration_number or entity_id):
        raise UsageError("give --name, --registration-number or --id")
    with Workspace(workspace) as ws:
        found = EntityResolver(GraphStore(ws)).resolve(
            entity_id=entity_id, registration_number=registration_number, name=name, country=country
        )
    records = [r.__dict__ for r in found]
    if as_json:
        out.print_json(orjson.dumps(records).decode())
        return
    for r in found:
        out.print(f"{r.entity_id}\t{r.name}\t{r.country}\t{r.method}\t{r.score:.2f}\t{r.explanation}", highlight=False, markup=False)
    if not found:
        out.print("no entity found")


def register(app: typer.Typer) -> None:
    app.add_typer(ingest_app, name="ingest")
    app.add_typer(graph_app, name="graph")
