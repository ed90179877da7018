"""The bundled S6 case (data/demo/graph): a Singapore lessee re-registered in Malaysia."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

from computewatch.graph.report import owners_report
from computewatch.graph.store import GraphStore
from computewatch.graph.successors import find_successors
from computewatch.settings.graph import GraphSettings
from computewatch.sources.entities import read_entities
from computewatch.workspace import Workspace

S6_FILE = "s6-entities.jsonl"
S6_ENTITY = "s6-kestrel-my"
S6_DAYS = (date(2025, 12, 1), date(2026, 11, 25))  # Affiliates rule suspended, then in force again


def s6_file() -> Path:
    return Path(str(resources.files("computewatch").joinpath("data", "demo", "graph", S6_FILE)))


def demo_graph(workspace: Workspace) -> list[str]:
    """Load the S6 case into the workspace and summarise what the graph finds, one line per finding."""
    store = GraphStore(workspace)
    batch = read_entities([s6_file()])
    summary = store.load(batch, [s6_file()])
    settings = GraphSettings()
    lines = [f"S6 graph: {summary.entities} entities, {summary.relations} relationships, {summary.listings} listings loaded"]
    for day in S6_DAYS:
        report = owners_report(store, S6_ENTITY, day, None, settings, successors=False)
        rule = report["affiliates_rule"]
        lines.append(
            f"S6 {day}: {report['entity']['label']}: {len(report['owners'])} owners; listed parties own "
            f"{report['restricted_ownership_pct']:g}% (look-through {report['restricted_lookthrough_pct']:g}%); "
            f"Affiliates rule {rule['status']}, {'binds' if rule['binds'] else 'risk evidence only'}"
        )
        if day == S6_DAYS[0]:
            listed = [o for o in report["owners"] if o["listed"]]
            lines += [f"S6 path: {text}" for o in listed for text in o["path_text"][:1]]
            lines += [f"S6 flag {f['code']}: {f['text']}" for f in report["flags"] if f["severity"] != "low"]
    for s in find_successors(store, S6_DAYS[0], settings):
        lines.append(f"S6 {'successor' if s.is_successor else 'takeover, not a successor'}: {s.text}")
    return lines
