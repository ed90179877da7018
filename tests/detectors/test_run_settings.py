"""The detectors use the settings passed to the run, never the global defaults (listed parties, shipments)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from computewatch import settings as settings_module
from computewatch.detectors.runner import run_detectors
from computewatch.settings import ScreeningSettings, Settings
from computewatch.settings.detectors import DetectorSettings
from computewatch.sources.lists import read_list
from computewatch.sources.operations import load_operations
from computewatch.sources.shipments import load_shipments
from computewatch.workspace import Workspace

DAY = date(2026, 11, 25)
LISTED = {"id": "fic-zenith", "schema": "Company", "datasets": ["fictional_list"],
          "properties": {"name": ["Zenith Ridge Computing Technology Co., Ltd."], "country": ["cn"]}}  # fmt: skip
NEAR = "Zenith Ridge Computing Ltd"  # scores about 0.69 against the entry: a match at 0.6, not at the default 0.8


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    lst = tmp_path / "list.jsonl"
    lst.write_text(json.dumps(LISTED) + "\n", encoding="utf-8")
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(f"account_id,holder_name,country,created_at\nacc-1,{NEAR},CN,2026-01-05\n", encoding="utf-8")
    shipments = tmp_path / "shipments.csv"
    shipments.write_text("shipment_id,date,shipper,consignee,consignee_country,destination_country,description,quantity,value_usd\n"
                         f"S-1,2026-10-01,Alder Systems Inc.,{NEAR},CN,CN,NVIDIA H100 SXM5 80GB,8,240000\n", encoding="utf-8")  # fmt: skip
    # the environment's defaults say 0.6: a detector that reads them instead of the run's settings is caught
    monkeypatch.setattr(settings_module, "default_settings", lambda: Settings(screening=ScreeningSettings(threshold=0.6)))
    with Workspace(tmp_path / "ws") as w:
        fmt, records = read_list(lst)
        w.load_list("fictional_list", records, lst, fmt)
        assert not load_operations(w, "accounts", [accounts]).problems
        assert not load_shipments(w, [shipments]).problems
        yield w


def _listed(alerts) -> set[str]:  # type: ignore[no-untyped-def]
    return {a.subjects[0] for a in alerts if a.detector == "party-listed"}


def _shipment_flags(alerts) -> set[str]:  # type: ignore[no-untyped-def]
    return {e.fact.split(":")[0] for a in alerts if a.detector == "shipment-diversion" for e in a.evidence}


def test_listed_parties_screen_at_the_run_threshold(ws) -> None:  # type: ignore[no-untyped-def]
    strict = run_detectors(ws, DAY, settings=DetectorSettings(), screening=ScreeningSettings(), record=False).alerts
    assert not _listed(strict)
    loose = run_detectors(ws, DAY, settings=DetectorSettings(), screening=ScreeningSettings(threshold=0.6), record=False).alerts
    assert _listed(loose) == {"acc-1"}  # the account holder, who is also the consignee


def test_shipment_parties_screen_at_the_run_threshold(ws) -> None:  # type: ignore[no-untyped-def]
    title = "a party to the shipment is on a restricted-party list"
    strict = run_detectors(ws, DAY, settings=DetectorSettings(), screening=ScreeningSettings(), record=False).alerts
    loose = run_detectors(ws, DAY, settings=DetectorSettings(), screening=ScreeningSettings(threshold=0.6), record=False).alerts
    assert title not in _shipment_flags(strict) and title in _shipment_flags(loose)


def test_without_settings_the_run_takes_the_built_in_defaults(ws) -> None:  # type: ignore[no-untyped-def]
    """Analysis never reads the global settings (they say 0.6 here): only the interfaces do, and pass them."""
    assert not _listed(run_detectors(ws, DAY, record=False).alerts)


def test_the_detect_command_passes_the_configured_settings(ws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import typer.testing

    import computewatch.commands.monitoring as monitoring
    from computewatch.cli import _register_commands, app

    monkeypatch.setattr(monitoring, "default_settings", lambda: Settings(screening=ScreeningSettings(threshold=0.6)))
    ws.close()  # the command opens the workspace itself
    _register_commands()
    out = tmp_path / "alerts.jsonl"
    done = typer.testing.CliRunner().invoke(app, ["detect", "--workspace", str(tmp_path / "ws"), "--as-of", DAY.isoformat(), "--out", str(out)])
    assert done.exit_code == 0, done.output
    listed = {json.loads(line)["subjects"][0] for line in out.read_text().splitlines() if json.loads(line)["detector"] == "party-listed"}
    assert listed == {"acc-1"}
