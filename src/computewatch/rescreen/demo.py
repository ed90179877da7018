"""The bundled S9 re-screening case: a baseline run as of the demo's monitoring day, then a
(fictional) list update and a later day on which the Affiliates rule binds again."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

from computewatch.rescreen.run import RescreenReport, rescreen
from computewatch.settings import Settings
from computewatch.sources.lists import read_list
from computewatch.workspace import Workspace

BASELINE_DAY = date(2026, 11, 1)  # the Affiliates rule is suspended until 2026-11-10
UPDATE_DAY = date(2026, 11, 25)


def update_file(name: str = "list-update.ftm.jsonl") -> Path:
    """A fictional list update of the demo (a second one, list-update-2.ftm.jsonl, comes after a decision)."""
    return Path(str(resources.files("computewatch").joinpath("data", "demo", "lists", name)))


def demo_rescreen(ws: Workspace, settings: Settings | None = None) -> tuple[list[str], RescreenReport]:
    base = rescreen(ws, BASELINE_DAY, settings)
    path = update_file()
    fmt, records = read_list(path)
    loaded = ws.load_list("demo_list_update", records, path, fmt)
    report = rescreen(ws, UPDATE_DAY, settings)
    s = report.summary()
    lines = [
        f"re-screening: baseline as of {BASELINE_DAY} screened {base.parties} parties ({base.matches} list matches)",
        f"then a fictional list update (demo_list_update version {loaded.version_id}, +{loaded.added} {'entry' if loaded.added == 1 else 'entries'}) and the "
        f"day {UPDATE_DAY} (the Affiliates rule binds again): {len(report.alerts)} new alerts: {s['new_matches']} new "
        f"list matches, {s['new_affiliates']} ownership changes, {s['new_detector_alerts']} new detector alerts",
    ]
    lines += [
        f"  {a.detector}: {a.summary}" for a in report.alerts if a.detector.startswith("rescreen-")
    ][:6]
    return lines, report
