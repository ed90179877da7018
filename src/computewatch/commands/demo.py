"""`computewatch demo`: build a workspace from the bundled data, run every capability, summarise per scenario."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from computewatch.commands.common import WorkspaceOption, err, print_table
from computewatch.screening.batch import read_queries
from computewatch.screening.screener import Screener
from computewatch.settings import default_settings
from computewatch.sources.lists import default_dataset, read_list
from computewatch.workspace import Workspace

out = Console()  # tables and panels wrap to the terminal


def bundled(*parts: str) -> Path:
    return Path(str(resources.files("computewatch").joinpath("data", *parts)))


class Demo:
    """One demo run: a workspace, a screener over the bundled lists, a summary per scenario."""

    def __init__(self, ws: Workspace):
        self.ws = ws
        self.summary: dict[str, list[str]] = {}
        self._screener: Screener | None = None

    @property
    def screener(self) -> Screener:
        if self._screener is None:
            self._screener = Screener(self.ws.list_entities(), default_settings().screening, home=self.ws.home)
        return self._screener

    def note(self, scenario: str, line: str) -> None:
        self.summary.setdefault(scenario, []).append(line)


def demo_lists_and_screening(demo: Demo) -> None:
    list_file = bundled("lists", "bis-lists.csl.csv")
    with err.status(f"loading {list_file.name}"):
        fmt, records = read_list(list_file)
        result = demo.ws.load_list(default_dataset(list_file, fmt, records), records, list_file, fmt)
    demo.note("S9", f"lists: {result.entity_count} entries of the BIS Entity, MEU and Denied Persons lists in the workspace")
    parties = read_queries(bundled("demo", "parties.csv"))
    table = Table("party", "country", "best list entry", "score", "match", "why", title="Screening bundled parties", show_lines=True)
    hits = 0
    for query in parties:
        matches = demo.screener.screen(query)
        if matches:
            m = matches[0]
            hits += m.match
            table.add_row(query.name, query.country, m.entity.caption, f"{m.score:.2f}", "yes" if m.match else "no", m.explanation)
        else:
            table.add_row(query.name, query.country, "-", "-", "no", "no list entry scores 0.50 or more")
    print_table(out, table)
    demo.note("S9", f"screening: {hits} of {len(parties)} bundled parties match a listed entity across scripts")


def demo_tenders(demo: Demo) -> None:
    from computewatch.tenders.demo import demo_tenders as scan_demo_notices
    from computewatch.tenders.record import record_notice_parties

    records = scan_demo_notices(demo.screener)
    record_notice_parties(demo.ws, records)  # re-screened with the workspace's other parties
    table = Table("notice", "buyer", "suppliers", "flagged", "reasons", title="Procurement notices (S1-S3)", show_lines=True)
    for rec in records:
        table.add_row(Path(rec["file"]).name, rec.get("buyer") or "-", ", ".join(rec.get("suppliers") or []) or "-",
                      "yes" if rec.get("flagged") else "no", "; ".join(rec.get("reasons") or [])[:400])  # fmt: skip
        name = Path(rec["file"]).name
        scenario = "S2" if "token" in name else "S1" if rec.get("flagged") else "S3"
        verdict = "flagged: " + (rec.get("reasons") or ["?"])[0] if rec.get("flagged") else "not flagged"
        demo.note(scenario, f"notice {name} ({rec.get('buyer') or 'unknown buyer'}): {verdict}")
    print_table(out, table)


def demo_graph(demo: Demo) -> None:
    from computewatch.graph.demo import demo_graph as graph_findings

    lines = graph_findings(demo.ws)
    out.print(Panel(escape("\n".join(lines)), title="Ownership and successors (S6)"))
    for line in lines:
        demo.note("S6", line.removeprefix("S6 "))


def demo_operations(demo: Demo) -> None:
    from computewatch.detectors.demo import demo_detectors

    lines = demo_detectors(demo.ws, default_settings())
    out.print(Panel(escape("\n".join(lines)), title="Cloud and data-centre monitoring (S1, S2, S5)"))
    scenario = "S9"
    for line in lines:
        head, _, rest = line.strip().partition(" ")
        if head in ("S1", "S2", "S5", "S6"):
            scenario, line = head, rest
        demo.note(scenario, line.strip())


def demo_shipments(demo: Demo) -> None:
    from computewatch.shipments.demo import demo_shipments as score_demo_shipments

    lines = score_demo_shipments(demo.ws, demo.screener)
    out.print(Panel(escape("\n".join(lines)), title="Shipments and consignees (S7)"))
    for line in lines:
        demo.note("S7", line.removeprefix("S7 "))


def demo_rescreening(demo: Demo) -> None:
    from computewatch.cases.demo import demo_false_positive
    from computewatch.cases.importing import open_cases
    from computewatch.commands.rescreen import ACTOR
    from computewatch.rescreen.demo import demo_rescreen

    lines, report = demo_rescreen(demo.ws, default_settings())
    summary = open_cases(demo.ws.home, [a.to_json() for a in report.alerts], "demo re-screening", ACTOR)
    out.print(Panel(escape("\n".join(lines)), title="Re-screening after a list and a rule change (S9)"))
    demo.note("S9", lines[0].removeprefix("re-screening: ") + "; " + lines[1] + f" ({summary.text()})")
    decided = demo_false_positive(demo.ws, default_settings())
    out.print(Panel(escape("\n".join(decided)), title="A false positive stays quiet (S9)"))
    for line in decided:
        demo.note("S9", line)


def demo_classification(demo: Demo) -> None:
    from computewatch.policy import classify_accelerator

    cases = [("H100-SXM", "CN", date(2024, 6, 1)), ("A800 80GB", "CN", date(2023, 11, 16)), ("A800 80GB", "CN", date(2023, 11, 17)),
             ("H20", "CN", date(2025, 4, 8)), ("H20", "CN", date(2025, 4, 9)), ("RTX 3060", "CN", date(2025, 1, 1)),
             ("H100-SXM", "MY", date(2025, 3, 1))]  # fmt: skip
    table = Table("chip", "destination", "date", "TPP", "ECCN", "licence", "decided by", title="Export-control classification (S4)")
    for chip, destination, on in cases:
        c = classify_accelerator(chip, destination, on)
        table.add_row(chip, destination, on.isoformat(), f"{c.tpp:,.0f}" if c.tpp else "-", c.eccn or "none",
                      "required" if c.license_required else "not required", ", ".join(r.id for r in c.rules[:3]))  # fmt: skip
        demo.note("S4", f"{chip} to {destination} on {on}: {c.eccn or 'not 3A090'}, licence {'required' if c.license_required else 'not required'}")
    print_table(out, table)


def demo_location(demo: Demo) -> None:
    from computewatch.locate import read_probes, verify_table

    verdicts = verify_table(read_probes(bundled("demo", "locate", "probes.csv")), default_settings().locate)
    table = Table("chip", "claimed", "consistent", "feasible countries", "why", title="Where is the chip? (S8)", show_lines=True)
    for v in verdicts:
        rec = v.to_record()
        table.add_row(rec["chip_id"], rec["claimed_country"], "yes" if rec["consistent"] else "no",
                      ", ".join(rec["feasible_countries"][:8]), "; ".join(rec["reasons"])[:300])  # fmt: skip
        demo.note("S8", f"{rec['chip_id']} claims {rec['claimed_country']}: {'consistent' if rec['consistent'] else 'NOT consistent'}")
    print_table(out, table)
    demo_fleet(demo)


def demo_fleet(demo: Demo) -> None:
    """The bundled fleet's probe rounds kept in the workspace and watched by the chip-location detector."""
    from computewatch.detectors.demo import DEMO_AS_OF
    from computewatch.detectors.runner import run_detectors
    from computewatch.sources.probes_table import load_probes

    fleet = bundled("demo", "locate", "fleet.csv")
    load_probes(demo.ws, [fleet])  # a second demo run skips the file
    from computewatch.cases.suppressions import decisions_in

    decisions = decisions_in(demo.ws.home)
    found = [a for a in run_detectors(demo.ws, DEMO_AS_OF, settings=default_settings(), suppressions=decisions).alerts
             if a.scenario == "S8"]  # recorded: cases open for them  # fmt: skip
    chips = demo.ws.con.execute("SELECT count(DISTINCT chip_id) FROM ops_probes").fetchone()[0]  # type: ignore[index]
    lines = [f"fleet: {chips} chips, probe rounds from {fleet.name}; {len(found)} location alert(s) as of {DEMO_AS_OF}"]
    lines += [f"  {a.detector} ({a.severity}): {a.summary}" for a in found]
    out.print(Panel(escape("\n".join(lines)), title="Fleet monitoring: chip-location detector (S8)"))
    demo.note("S8", lines[0])
    for a in found:
        demo.note("S8", escape(f"{a.detector} ({a.severity}): {a.summary}"))


STEPS: list[tuple[str, Callable[[Demo], None]]] = [
    ("lists and screening", demo_lists_and_screening),
    ("procurement notices", demo_tenders),
    ("ownership graph", demo_graph),
    ("cloud and data-centre monitoring", demo_operations),
    ("shipments", demo_shipments),
    ("re-screening", demo_rescreening),
    ("classification", demo_classification),
    ("location verification", demo_location),
]


def demo(
    workspace: WorkspaceOption = None,
    serve: Annotated[bool, typer.Option("--serve", help="then start the web app on the demo workspace")] = False,
    host: Annotated[str, typer.Option(help="with --serve: address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="with --serve: port")] = 8000,
) -> None:
    """Build a workspace from the bundled scenario data, run everything, print a summary per scenario."""
    with Workspace(workspace) as ws:
        out.print(f"workspace: {ws.home.resolve()}")
        home = ws.home
        run = Demo(ws)
        for title, step in STEPS:
            with err.status(f"demo: {title}"):
                step(run)
    from computewatch.cases import demo_cases

    with err.status("demo: cases"):
        for line in demo_cases(home):
            run.note("S9", line)
    lines = []
    for scenario in ("S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9"):
        found = run.summary.get(scenario)
        lines.append(f"[bold]{scenario}[/bold] " + (escape("; ".join(found)) if found else "[dim]nothing in the bundled data[/dim]"))
    out.print(Panel("\n".join(lines), title="Summary per scenario"))
    if serve:
        from computewatch.api.server import ServeOptions, run_server

        settings = default_settings()
        out.print(f"serving the demo workspace on http://{host}:{port}/ui/ (create a key: computewatch keys create NAME --role analyst)")
        run_server(home, ServeOptions(host, port, settings.api.workers, settings.api.access_log), settings)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
