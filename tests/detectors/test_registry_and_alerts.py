"""Detector metadata (Sigma-style), the alert record of CONTRACTS.md, deduplication and --as-of."""

from __future__ import annotations

import types
from datetime import date

import pytest
from ops_helpers import alerts_for

from computewatch.alerts.model import Alert, DetectorMeta, Evidence, finding_id
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


def test_alerts_of_one_finding_are_merged_whatever_the_day() -> None:
    def make(score: float, fact: str, as_of: date, subjects: tuple[str, ...] = ("acc-1",), key: str = "") -> Alert:
        return Alert("ops-x", "S1", "high", score, list(subjects), as_of.isoformat(), "s", [Evidence(fact, "src")], key=key)

    merged = dedupe([make(0.6, "a", date(2026, 11, 1)), make(0.8, "b", date(2026, 11, 20))])
    assert len(merged) == 1 and merged[0].score == 0.8 and [e.fact for e in merged[0].evidence] == ["b", "a"]
    assert len(dedupe([make(0.6, "a", date(2026, 11, 1)), make(0.6, "a", date(2026, 12, 1))])) == 1  # the next month: the same finding
    assert len(dedupe([make(0.6, "a", date(2026, 11, 1)), make(0.6, "a", date(2026, 11, 1), ("acc-1", "acc-2"))])) == 2
    assert len(dedupe([make(0.6, "a", date(2026, 11, 1), key="entry-1"), make(0.6, "a", date(2026, 11, 1), key="entry-2")])) == 2


def test_a_finding_is_its_detector_subjects_and_evidence_key() -> None:
    assert finding_id("ops-x", ["acc-1", "ent-9"]) == finding_id("ops-x", ["ent-9", "acc-1"])  # subjects in any order
    assert finding_id("ops-x", ["acc-1", "ent-9"]) != finding_id("ops-x", ["acc-1", "ent-8"])  # not only the first subject
    assert finding_id("ops-x", ["acc-1"]) != finding_id("ops-y", ["acc-1"])
    assert finding_id("ops-x", ["acc-1"], "B-17") != finding_id("ops-x", ["acc-1"], "B-18")
    alert = Alert("ops-x", "S1", "high", 0.5, ["acc-1", "ent-9"], "2026-11-01", "s", key="B-17")
    assert alert.id == finding_id("ops-x", ["acc-1", "ent-9"], "B-17")


def test_an_ongoing_finding_keeps_its_id_and_record_from_month_to_month(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from ops_helpers import build_workspace

    with build_workspace(tmp_path / "ws") as ws:
        november = run_detectors(ws, date(2026, 11, 1)).alerts
        december = run_detectors(ws, date(2026, 12, 1)).alerts
        both = {(a.detector, tuple(a.subjects)) for a in november} & {(a.detector, tuple(a.subjects)) for a in december}
        assert len(both) >= 5
        ids = {(a.detector, tuple(a.subjects)): a.id for a in november}
        assert all(ids[(a.detector, tuple(a.subjects))] == a.id for a in december if (a.detector, tuple(a.subjects)) in both)
        stored = ws.con.execute("SELECT count(*) FROM ops_alerts").fetchone()[0]
        assert stored == len({a.id for a in november + december})  # one record per finding, not one per month


def test_rerunning_keeps_the_same_ids_and_records_each_once(ops_ws) -> None:  # type: ignore[no-untyped-def]
    first = run_detectors(ops_ws, date(2026, 11, 1)).alerts
    second = run_detectors(ops_ws, date(2026, 11, 25)).alerts
    assert [a.id for a in first] == [a.id for a in second]
    stored = ops_ws.con.execute("SELECT count(*), count(DISTINCT id) FROM ops_alerts").fetchone()
    assert stored == (len(first), len(first))


def test_as_of_ignores_later_data(ops_ws) -> None:  # type: ignore[no-untyped-def]
    assert alerts_for(ops_ws, as_of=date(2026, 1, 1)) == []
