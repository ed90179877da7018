"""Detector metadata (Sigma-style), the alert record of CONTRACTS.md, deduplication and --as-of."""

from __future__ import annotations

import types
from datetime import date

import pytest
from ops_helpers import alerts_for

from computewatch.detectors.model import Alert, DetectorMeta, Evidence
from computewatch.detectors.registry import DetectorError, check_module, load_detectors
from computewatch.detectors.runner import dedupe, run_detectors

CONTRACT_KEYS = ["id", "detector", "scenario", "severity", "score", "subjects", "as_of", "summary", "evidence"]


def test_every_detector_declares_its_metadata_and_thresholds() -> None:
    detectors = load_detectors()
    assert [d.meta.id for d in detectors] == [
        "ops-reseller", "ops-token-resale", "ops-bulk-import", "ops-training-run", "ops-young-lessee", "party-listed",
        "ops-account-linkage", "shipment-diversion", "chip-location",
    ]  # fmt: skip
    for d in detectors:
        assert d.meta.references and d.meta.title and d.meta.scenario in ("S1", "S2", "S5", "S7", "S8", "S9")


def test_a_detector_without_metadata_is_refused() -> None:
    bare = types.ModuleType("computewatch.detectors.bare")
    bare.detect = lambda ctx: []  # type: ignore[attr-defined]
    assert "no METADATA" in check_module(bare)[0]
    sloppy = types.ModuleType("sloppy")
    sloppy.METADATA = DetectorMeta("Bad Id", "", "S10", "urgent", (), "nothing")  # type: ignore[attr-defined]
    problems = " ".join(check_module(sloppy))
    for word in ("id", "title", "scenario", "severity", "references", "thresholds", "detect"):
        assert word in problems
    with pytest.raises(DetectorError):
        load_detectors(["computewatch.detectors.no_such_detector"])


def test_alerts_have_exactly_the_contract_shape(ops_alerts: list[Alert]) -> None:
    for alert in ops_alerts:
        record = alert.to_json()
        assert list(record) == CONTRACT_KEYS
        assert 0 <= record["score"] <= 1 and record["as_of"] == "2026-11-01"
        assert all(list(e) == ["fact", "source"] and e["fact"] and e["source"] for e in record["evidence"])


def test_alerts_are_deduplicated_per_subject_and_period() -> None:
    def make(score: float, fact: str, as_of: date) -> Alert:
        return Alert("ops-x", "S1", "high", score, ["acc-1"], as_of.isoformat(), "s", [Evidence(fact, "src")], period=f"{as_of:%Y-%m}")

    merged = dedupe([make(0.6, "a", date(2026, 11, 1)), make(0.8, "b", date(2026, 11, 20))])
    assert len(merged) == 1 and merged[0].score == 0.8 and [e.fact for e in merged[0].evidence] == ["b", "a"]
    assert len(dedupe([make(0.6, "a", date(2026, 11, 1)), make(0.6, "a", date(2026, 12, 1))])) == 2


def test_rerunning_keeps_the_same_ids_and_records_each_once(ops_ws) -> None:  # type: ignore[no-untyped-def]
    first = run_detectors(ops_ws, date(2026, 11, 1)).alerts
    second = run_detectors(ops_ws, date(2026, 11, 25)).alerts
    assert [a.id for a in first] == [a.id for a in second]
    stored = ops_ws.con.execute("SELECT count(*), count(DISTINCT id) FROM ops_alerts").fetchone()
    assert stored == (len(first), len(first))


def test_as_of_ignores_later_data(ops_ws) -> None:  # type: ignore[no-untyped-def]
    assert alerts_for(ops_ws, as_of=date(2026, 1, 1)) == []
