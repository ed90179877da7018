"""The data files are checked on load; graph flags (young consignee, shared director, listed end user);
the bundled S7 demo; the detector's metadata and alert shape."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from computewatch.detectors.registry import check_module
from computewatch.errors import InputError
from computewatch.shipments import detector
from computewatch.shipments.demo import S7_DAY, demo_shipments
from computewatch.shipments.detector import alerts_from_run
from computewatch.shipments.flags import FLAGS, check_flags
from computewatch.shipments.reference import data_file, reference
from computewatch.shipments.scoring import score_shipments
from computewatch.workspace import Workspace


def test_every_flag_in_the_data_has_a_function_weight_and_sources() -> None:
    ref = reference()
    assert check_flags(ref) == []
    assert set(ref.flags) == set(FLAGS)
    for spec in ref.flags.values():
        text = ref.source_text(spec.id)
        assert spec.sources and text and 0 < spec.weight <= 1
    cited = {s.key for f in ref.flags.values() for s in f.sources}
    assert {"fincen-bis-2023", "bis-2025-diversion", "supp3-732"} <= cited
    assert "2023-11-06" in ref.sources["fincen-bis-2023"] and "2025-05-13" in ref.sources["bis-2025-diversion"]


def test_a_broken_data_file_is_refused_with_every_problem(tmp_path: Path) -> None:
    raw = yaml.safe_load(data_file("red_flags.yaml").read_text("utf-8"))
    raw["flags"][0]["weight"] = 1.5
    raw["flags"][1]["sources"][0]["key"] = "nowhere"
    bad = tmp_path / "red_flags.yaml"
    bad.write_text(yaml.safe_dump(raw))
    items = yaml.safe_load(data_file("items.yaml").read_text("utf-8"))
    items["prices"].append({"item": "H1000", "band_usd": [1, 2], "source": "x"})
    bad_items = tmp_path / "items.yaml"
    bad_items.write_text(yaml.safe_dump(items))
    with pytest.raises(InputError) as exc:
        reference(bad, data_file("items.yaml"))
    assert any(p.field == "flags.0.weight" for p in exc.value.problems)
    with pytest.raises(InputError) as exc:
        reference(data_file("red_flags.yaml"), bad_items)
    assert any("'H1000' is not a catalogue name" in p.reason for p in exc.value.problems)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory, real_screener):  # type: ignore[no-untyped-def]
    with Workspace(tmp_path_factory.mktemp("s7-demo")) as ws:
        lines = demo_shipments(ws, real_screener)
        run = score_shipments(ws, real_screener, S7_DAY)
    return lines, run


def test_graph_finds_the_young_consignee_and_its_shared_director(demo_run) -> None:  # type: ignore[no-untyped-def]
    _, run = demo_run
    kin = run.by_id("S7-KIN-1")
    ids = {h.id: h for h in kin.flags}
    assert "recently_incorporated_consignee" in ids
    assert "2026-05-04" in ids["recently_incorporated_consignee"].evidence[0]
    shared = " ".join(ids["shared_address_phone_or_directors"].evidence)
    assert "Zhou Mingyuan" in shared and "Nightjar Compute Pte. Ltd." in shared and "phone" in shared


def test_graph_listing_of_the_end_user_counts(demo_run) -> None:  # type: ignore[no-untyped-def]
    _, run = demo_run
    listed = next(h for h in run.by_id("S7-FWD-1").flags if h.id == "listed_party")
    assert any("s7-fenghua" in e and "export.control" in e for e in listed.evidence)


def test_old_companies_are_not_recently_incorporated(demo_run) -> None:  # type: ignore[no-untyped-def]
    _, run = demo_run
    for s in run.scores:
        if s.consignee in ("Meridian Components Pte. Ltd.", "Tanjung Compute Centre Sdn. Bhd."):
            assert not s.alert and "recently_incorporated_consignee" not in {h.id for h in s.flags}


def test_demo_summary_names_flagged_and_clean_consignees(demo_run) -> None:  # type: ignore[no-untyped-def]
    lines, _ = demo_run
    text = "\n".join(lines)
    assert lines[0].startswith("S7 shipments: 18 loaded")
    assert "Kinabalu Nexus Sdn. Bhd." in text and "description_mismatch" in text
    assert "S7 not flagged: Meridian Components Pte. Ltd." in text and "S7 not flagged: Tanjung Compute Centre Sdn. Bhd." in text


def test_detector_metadata_follows_the_registry_conventions() -> None:
    problems = check_module(detector)
    # everything but the thresholds field, which DetectorSettings gains when the module is registered
    assert problems == [] or all("thresholds 'shipments'" in p for p in problems)


def test_alerts_take_the_contracts_shape(demo_run) -> None:  # type: ignore[no-untyped-def]
    _, run = demo_run
    alerts = alerts_from_run(run)
    records = [a.to_json() for a in alerts]
    assert {r["detector"] for r in records} == {"shipment-diversion", "shipment-diversion-consignee"}
    assert all(r["scenario"] == "S7" and r["as_of"] == "2026-11-25" and r["evidence"] for r in records)
    assert records == sorted(records, key=lambda r: -r["score"])
    kin = next(r for r in records if r["subjects"][0] == "S7-KIN-1")
    assert any("shipments: s7-shipments.csv line" in e["source"] for e in kin["evidence"])
