"""The chip-location detector over a monitored fleet (tests/fixtures/locate/fleet.csv, see make_fleet.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from locate_helpers import probe_rows, write_csv

from computewatch.alerts.model import Alert
from computewatch.detectors.registry import load_detectors
from computewatch.detectors.runner import run_detectors
from computewatch.settings.detectors import ChipLocationThresholds, DetectorSettings
from computewatch.sources.probes_table import load_probes
from computewatch.workspace import Workspace

FLEET = Path(__file__).parents[1] / "fixtures" / "locate" / "fleet.csv"
AS_OF = date(2026, 10, 31)


def chip_alerts(ws: Workspace, as_of: date = AS_OF, **thresholds: object) -> dict[str, Alert]:
    settings = DetectorSettings(chip_location=ChipLocationThresholds(**thresholds))  # type: ignore[arg-type]
    run = run_detectors(ws, as_of, "duckdb", settings, record=False)
    return {a.subjects[0]: a for a in run.alerts if a.detector.startswith("chip-location")}


@pytest.fixture(scope="module")
def fleet_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    with Workspace(tmp_path_factory.mktemp("fleet") / "ws") as ws:
        report = load_probes(ws, [FLEET])
        assert not report.problems and report.loaded == 1584
        yield ws


@pytest.fixture(scope="module")
def alerts(fleet_ws: Workspace) -> dict[str, Alert]:
    return chip_alerts(fleet_ws)


def test_the_detector_is_registered_with_its_metadata() -> None:
    meta = {d.meta.id: d.meta for d in load_detectors()}["chip-location"]
    assert meta.scenario == "S8" and meta.thresholds == "chip_location" and meta.references


def test_chips_where_they_are_declared_raise_nothing(alerts: dict[str, Alert]) -> None:
    # honest landmarks agreeing; and chips whose one lying landmark is outvoted by the others
    for chip in ("CHIP-FRA-OK-01", "CHIP-SIN-05", "CHIP-SIN-06", "CHIP-SIN-07"):
        assert chip not in alerts


def test_a_chip_that_moved_is_critical_with_both_rounds_as_evidence(alerts: dict[str, Alert]) -> None:
    a = alerts["CHIP-KUL-MOVE-02"]
    assert a.detector == "chip-location" and a.scenario == "S8" and a.severity == "critical"
    assert a.subjects == ["CHIP-KUL-MOVE-02"]
    assert "moved about" in a.summary and "must be in CN" in a.summary and "site KUL-DC-2" in a.summary
    facts = [e.fact for e in a.evidence]
    assert any("region in MY" in f and "KUL " in f and " ms <= " in f for f in facts)  # landmarks and bounds
    assert any("region in CN" in f and "PEK " in f for f in facts)
    assert any("no place fits both rounds" in f for f in facts)
    assert all(e.source.startswith("probes") for e in a.evidence)
    assert any("fleet.csv line" in e.source for e in a.evidence)


def test_before_the_move_the_same_chip_is_quiet(fleet_ws: Workspace) -> None:
    assert "CHIP-KUL-MOVE-02" not in chip_alerts(fleet_ws, date(2026, 10, 29))


def test_replayed_nonces_are_named_with_their_first_use(alerts: dict[str, Alert]) -> None:
    a = alerts["CHIP-DAL-REPLAY-03"]
    assert a.severity == "high" and "replayed nonces (5 in recent rounds)" in a.summary
    replays = [e for e in a.evidence if "replayed nonce" in e.fact]
    assert len(replays) == 5
    assert all("first answered by this chip" in e.fact and "fleet.csv line" in e.fact for e in replays)


def test_a_silent_chip_has_stopped_answering(fleet_ws: Workspace, alerts: dict[str, Alert]) -> None:
    a = alerts["CHIP-SIN-STALE-04"]
    assert a.severity == "medium" and "stopped answering" in a.summary
    assert "CHIP-SIN-STALE-04" not in chip_alerts(fleet_ws, silent_after_hours=200)


def test_colluding_landmarks_near_the_declared_site_do_not_hide_where_the_chip_is(alerts: dict[str, Alert]) -> None:
    a = alerts["CHIP-KUL-COLLUDE-08"]
    assert a.severity == "critical" and "must be in CN" in a.summary
    assert "suspect: SIN, KUL, BKK" in a.summary
    assert sum("suspect landmark" in e.fact for e in a.evidence) == 3


def test_a_landmark_that_lies_for_several_chips_is_an_alert(fleet_ws: Workspace, alerts: dict[str, Alert]) -> None:
    a = alerts["BKK"]
    assert a.detector == "chip-location-landmark" and a.severity == "high"
    assert "4 chips" in a.summary and len(a.evidence) == 4
    assert {"KUL", "SIN"}.isdisjoint(alerts)  # each lied for one chip only
    assert "BKK" not in chip_alerts(fleet_ws, suspect_min_chips=5)


def test_unsigned_answers_are_an_alert(alerts: dict[str, Alert]) -> None:
    a = alerts["CHIP-DAL-UNSIGNED-09"]
    assert a.severity == "medium" and "unsigned answers (12 in recent rounds)" in a.summary


@pytest.mark.parametrize(("new_site", "severity"), [("frankfurt", "low"), ("beijing", "critical")])
def test_a_move_to_a_newly_declared_site(tmp_path: Path, new_site: str, severity: str) -> None:
    """Declared moves are reported, low, unless the chip now sits in a country of concern."""
    start = datetime(2026, 10, 30, tzinfo=UTC)
    rows = probe_rows("CHIP-RELOC-1", "kuala_lumpur", "kuala_lumpur", seed=1, start=start)
    rows += probe_rows("CHIP-RELOC-1", "kuala_lumpur", "kuala_lumpur", seed=2, start=start + timedelta(hours=6))
    rows += probe_rows("CHIP-RELOC-1", new_site, new_site, seed=3, start=start + timedelta(hours=12))
    with Workspace(tmp_path / "ws") as ws:
        load_probes(ws, [write_csv(tmp_path / "declared.csv", rows)])
        a = chip_alerts(ws)["CHIP-RELOC-1"]
    assert "to its newly declared site" in a.summary and "contradicts" not in a.summary
    assert a.severity == severity


def test_alerts_open_cases_that_name_the_chip(tmp_path: Path) -> None:
    """ingest probes -> detect -> cases import: one case per alert, the chip (or landmark) its subject."""
    import subprocess
    import sys

    import orjson

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "computewatch", *args, "--workspace", str(tmp_path / "ws")],
                              capture_output=True, text=True, timeout=600)  # fmt: skip

    assert cli("ingest", "probes", str(FLEET)).returncode == 0
    out = tmp_path / "alerts.jsonl"
    done = cli("detect", "--as-of", "2026-10-31", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "chip-location x5" in done.stdout and "chip-location-landmark x1" in done.stdout
    assert cli("cases", "import", str(out)).returncode == 0
    listed = orjson.loads(cli("cases", "list", "--json", "--scenario", "S8").stdout)
    subjects = {s for case in listed["results"] for s in case["subjects"]}
    assert listed["total"] == 6 and "CHIP-KUL-MOVE-02" in subjects and "BKK" in subjects
    assert "CHIP-FRA-OK-01" not in subjects


def test_rescreening_raises_the_location_alerts_too(tmp_path: Path) -> None:
    from computewatch.rescreen.run import rescreen

    with Workspace(tmp_path / "ws") as ws:
        load_probes(ws, [FLEET])
        first = rescreen(ws, AS_OF, run_detectors=True)
        again = rescreen(ws, AS_OF, run_detectors=True)
    found = {a.subjects[0] for a in first.alerts if a.scenario == "S8"}
    assert {"CHIP-KUL-MOVE-02", "CHIP-KUL-COLLUDE-08", "BKK"} <= found and "CHIP-FRA-OK-01" not in found
    assert not [a for a in again.alerts if a.scenario == "S8"]  # nothing new the second time
