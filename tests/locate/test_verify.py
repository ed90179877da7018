"""Chips at their claimed site and far from it, impossible sets, replays, bad signatures."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from locate_helpers import landmarks, probe_rows

from computewatch.locate import read_probes, verify_table
from computewatch.settings import LocateSettings


def verdicts(tmp_csv, rows, **kw):  # type: ignore[no-untyped-def]
    return {v.chip_id: v for v in verify_table(read_probes(tmp_csv(rows)), **kw)}


@pytest.mark.parametrize("site", ["frankfurt", "kuala_lumpur", "dallas", "sao_paulo", "sydney", "johannesburg"])
def test_chip_at_its_claimed_site_is_consistent(tmp_csv, site: str) -> None:
    v = verdicts(tmp_csv, probe_rows("CHIP-OK-1", site, site))["CHIP-OK-1"]
    assert v.consistent and v.status == "consistent"
    assert v.to_record()["claimed_country"] in v.feasible_countries
    assert v.min_distance_km_from_claim == 0.0
    assert 0 < v.max_distance_km_from_claim < 1000


@pytest.mark.parametrize(
    ("actual", "claim", "country", "at_least_km"),
    [("beijing", "kuala_lumpur", "CN", 3000), ("sao_paulo", "sydney", "BR", 12000),
     ("dallas", "frankfurt", "US", 7500), ("johannesburg", "singapore", "ZA", 7000)],
)
def test_chip_far_from_its_claim_is_inconsistent(tmp_csv, actual, claim, country, at_least_km) -> None:  # type: ignore[no-untyped-def]
    v = verdicts(tmp_csv, probe_rows("CHIP-FAR-1", actual, claim))["CHIP-FAR-1"]
    record = v.to_record()
    assert record["consistent"] is False and record["status"] == "inconsistent"
    assert country in record["feasible_countries"]
    assert record["max_distance_km_from_claim"] >= record["min_distance_km_from_claim"] >= at_least_km
    assert any("must be in" in r for r in record["reasons"])


def test_impossible_measurements_are_flagged_as_tampering(tmp_csv) -> None:  # type: ignore[no-untyped-def]
    rows = probe_rows("CHIP-TAMPER-1", "frankfurt", "frankfurt")
    for row in rows:
        if row["landmark_id"] in ("TYO", "NYC"):
            row["rtt_ms"] = "3.0"  # 300 km from both Tokyo and New York
    v = verdicts(tmp_csv, rows)["CHIP-TAMPER-1"]
    assert v.status == "impossible" and not v.consistent
    assert any("tampering" in r for r in v.reasons)
    # the other 22 landmarks agree: they name the country, and the two that lie are suspect
    record = v.to_record()
    assert record["feasible_countries"] == ["DE"] and record["suspect_landmarks"] == ["TYO", "NYC"]
    assert record["agreeing_probes"] == len(rows) - 2 and record["claim_fits_agreeing"] is True


def test_replayed_nonce_is_excluded_and_reported(tmp_csv) -> None:  # type: ignore[no-untyped-def]
    rows = probe_rows("CHIP-REPLAY-1", "beijing", "beijing")
    replay = dict(rows[0])
    replay["ts"] = rows[-1]["ts"]  # the recorded answer sent again later
    v = verdicts(tmp_csv, [*rows, replay])["CHIP-REPLAY-1"]
    assert [e.kind for e in v.excluded] == ["replayed"]
    assert v.excluded[0].line == len(rows) + 2
    assert len(v.disks) == len(rows) and v.consistent


def test_unsigned_and_wrongly_signed_answers_are_excluded(tmp_csv) -> None:  # type: ignore[no-untyped-def]
    rows = probe_rows("CHIP-SIG-1", "dallas", "dallas")
    rows[0]["signature"] = ""
    rows[1]["signature"] = "00" * 64
    rows[2]["signature"] = probe_rows("CHIP-OTHER-1", "dallas", "dallas")[2]["signature"]
    v = verdicts(tmp_csv, rows)["CHIP-SIG-1"]
    kinds = sorted(e.kind for e in v.excluded)
    assert kinds == ["bad_signature", "bad_signature", "unsigned"]
    assert len(v.disks) == len(rows) - 3


def test_registered_key_wins_over_the_key_in_the_answer(tmp_csv) -> None:  # type: ignore[no-untyped-def]
    rows = probe_rows("CHIP-KEY-1", "dallas", "dallas")
    impostor_key = probe_rows("CHIP-KEY-2", "dallas", "dallas")[0]["public_key"]
    v = verdicts(tmp_csv, rows, keys={"CHIP-KEY-1": impostor_key})["CHIP-KEY-1"]
    assert v.status == "unverified" and len(v.disks) == 0
    assert all(e.kind == "bad_signature" for e in v.excluded)


def test_landmark_reported_signature_flag_is_honoured(tmp_csv) -> None:  # type: ignore[no-untyped-def]
    rows = [{k: r[k] for k in r if k not in ("signature", "public_key", "chip_ts")} for r in probe_rows("CHIP-FLAG-1", "sydney", "sydney")]
    for i, row in enumerate(rows):
        row["signature_valid"] = "false" if i < 3 else ("" if i == 3 else "true")
    v = verdicts(tmp_csv, rows)["CHIP-FLAG-1"]
    assert sorted(e.kind for e in v.excluded) == ["bad_signature"] * 3 + ["unsigned"]
    assert v.consistent


def test_stale_probes_are_excluded(tmp_csv) -> None:  # type: ignore[no-untyped-def]
    rows = probe_rows("CHIP-OLD-1", "frankfurt", "frankfurt")
    rows[0]["ts"] = "2026-11-19T08:00:00Z"  # a day before the others
    rows[1]["chip_ts"] = "2026-11-20T10:30:00Z"  # chip clock far from the landmark's
    v = verdicts(tmp_csv, rows)["CHIP-OLD-1"]
    assert [e.kind for e in v.excluded] == ["stale", "stale"]
    assert {e.line for e in v.excluded} == {2, 3}


def test_too_few_valid_probes_means_not_verified(tmp_csv) -> None:  # type: ignore[no-untyped-def]
    rows = probe_rows("CHIP-FEW-1", "beijing", "beijing", lms=landmarks("PEK", "SHA", "TYO"))
    rows[0]["signature"] = ""
    v = verdicts(tmp_csv, rows)["CHIP-FEW-1"]
    assert v.status == "unverified" and not v.consistent
    assert any("not verified: 2 valid probe(s), at least 3 needed" in r for r in v.reasons)
    assert v.to_record()["max_distance_km_from_claim"] is None


def test_country_only_claim(tmp_csv) -> None:  # type: ignore[no-untyped-def]
    honest = probe_rows("CHIP-CC-1", "frankfurt", "frankfurt")
    lying = probe_rows("CHIP-CC-2", "beijing", "singapore")
    for row in honest + lying:
        row["claimed_lat"] = row["claimed_lon"] = ""
    vs = verdicts(tmp_csv, honest + lying)
    assert vs["CHIP-CC-1"].consistent and "DE" in vs["CHIP-CC-1"].feasible_countries
    assert not vs["CHIP-CC-2"].consistent and vs["CHIP-CC-2"].feasible_countries == ["CN"]
    assert vs["CHIP-CC-2"].min_distance_km_from_claim > 2000


def test_unsigned_input_without_signature_columns_is_taken_as_measured(tmp_csv) -> None:  # type: ignore[no-untyped-def]
    rows = [{k: r[k] for k in r if k not in ("signature", "public_key", "chip_ts", "nonce")} for r in probe_rows("CHIP-PLAIN-1", "dallas", "dallas")]
    assert verdicts(tmp_csv, rows)["CHIP-PLAIN-1"].consistent
    strict = LocateSettings(require_signatures=True)
    assert verdicts(tmp_csv, rows, settings=strict)["CHIP-PLAIN-1"].status == "unverified"


def test_processing_time_and_speed_settings_shrink_disks(tmp_csv) -> None:  # type: ignore[no-untyped-def]
    rows = probe_rows("CHIP-SET-1", "frankfurt", "frankfurt")
    wide = verdicts(tmp_csv, rows)["CHIP-SET-1"].disks[0].radius_km
    narrow = verdicts(tmp_csv, rows, settings=LocateSettings(km_per_ms_rtt=50))["CHIP-SET-1"].disks[0].radius_km
    assert math.isclose(narrow, wide / 2)


def test_fixture_file_verifies(tmp_path: Path) -> None:
    table = read_probes(Path(__file__).parents[1] / "fixtures" / "locate" / "probes.csv")
    status = {v.chip_id: v.status for v in verify_table(table)}
    assert status == {
        "CHIP-DE-0001": "consistent", "CHIP-MY-0002": "inconsistent",
        "CHIP-US-0003": "consistent", "CHIP-SG-0004": "impossible",
    }
