"""Lying and colluding landmarks: the largest group of landmarks that agree names where the chip is."""

from __future__ import annotations

import numpy as np
import pytest
from locate_helpers import CITIES, probe_rows

from computewatch.locate import DiskBatch, decide, read_probes, verify_table
from computewatch.locate.consensus import largest_agreeing_groups
from computewatch.locate.geometry import EARTH_RADIUS_KM, unit_vectors


def verdict(tmp_csv, rows):  # type: ignore[no-untyped-def]
    (v,) = verify_table(read_probes(tmp_csv(rows)))
    return v.to_record()


def test_colluding_landmarks_near_the_claimed_site_are_outvoted(tmp_csv) -> None:  # type: ignore[no-untyped-def]
    rows = probe_rows("CHIP-COLLUDE-1", "beijing", "kuala_lumpur")
    for row in rows:
        if row["landmark_id"] in ("KUL", "SIN", "BKK"):
            row["rtt_ms"] = "0.800"  # "the chip answers from next door": 80 km from each of them
    record = verdict(tmp_csv, rows)
    assert record["status"] == "impossible" and record["consistent"] is False
    assert record["feasible_countries"] == ["CN"]
    assert sorted(record["suspect_landmarks"]) == ["BKK", "KUL", "SIN"]
    assert record["agreeing_probes"] == len(rows) - 3 and record["rival_groups"] == []
    assert record["claim_fits_agreeing"] is False and record["min_distance_km_from_claim"] > 3000
    suspect_reasons = [r for r in record["reasons"] if r.startswith("suspect landmark")]
    assert len(suspect_reasons) == 3 and all("at least" in r and "km from it" in r for r in suspect_reasons)


def test_honest_landmarks_agree_and_no_landmark_is_suspect(tmp_csv) -> None:  # type: ignore[no-untyped-def]
    record = verdict(tmp_csv, probe_rows("CHIP-HONEST-1", "beijing", "kuala_lumpur"))
    assert record["status"] == "inconsistent"
    assert record["suspect_landmarks"] == [] and record["agreeing_probes"] is None
    assert record["claim_fits_agreeing"] is None and "CN" in record["feasible_countries"]


def _row(chip: str, landmark: str, rtt: float, n: int) -> dict[str, str]:
    lat, lon = CITIES[landmark]
    return {"chip_id": chip, "claimed_country": "DE", "claimed_lat": "50.11", "claimed_lon": "8.68", "landmark_id": landmark,
            "landmark_lat": str(lat), "landmark_lon": str(lon), "rtt_ms": str(rtt), "ts": f"2026-11-20T09:00:{n:02d}Z"}  # fmt: skip


def test_two_equally_large_groups_that_disagree_settle_nothing(tmp_csv) -> None:  # type: ignore[no-untyped-def]
    europe = [("FRA", 12.0), ("PAR", 12.0), ("LON", 14.0)]  # all three hold Frankfurt
    asia = [("PEK", 12.0), ("SHA", 20.0), ("SEL", 15.0)]  # all three hold Beijing
    rows = [_row("CHIP-SPLIT-1", lm, rtt, n) for n, (lm, rtt) in enumerate(europe + asia)]
    record = verdict(tmp_csv, rows)
    assert record["status"] == "impossible" and record["agreeing_probes"] == 3
    assert len(record["rival_groups"]) == 1 and record["suspect_landmarks"] == []
    assert record["claim_fits_agreeing"] is None
    assert {"DE", "CN"} <= set(record["feasible_countries"])
    assert any("cannot be settled" in r for r in record["reasons"])


def test_when_no_few_landmarks_agree_nothing_is_named(tmp_csv) -> None:  # type: ignore[no-untyped-def]
    rows = [_row("CHIP-CHAOS-1", lm, 5.0, n) for n, lm in enumerate(("FRA", "PEK", "NYC", "SYD"))]
    record = verdict(tmp_csv, rows)
    assert record["status"] == "impossible" and record["agreeing_probes"] == 1
    assert record["feasible_countries"] == [] and record["claim_fits_agreeing"] is None
    assert any("no 3 landmarks agree" in r for r in record["reasons"])


def _sphere(n: int) -> np.ndarray:
    """n points spread evenly over the sphere (Fibonacci lattice)."""
    i = np.arange(n) + 0.5
    z = 1 - 2 * i / n
    phi = np.pi * (1 + 5**0.5) * i
    r = np.sqrt(1 - z * z)
    return np.stack([r * np.cos(phi), r * np.sin(phi), z], axis=1)


@pytest.mark.parametrize("seed", range(6))
def test_exact_search_finds_at_least_the_deepest_sampled_point(seed: int) -> None:
    """No point on a dense grid lies in more disks than the group found, and that group has a common point."""
    rng = np.random.default_rng(seed)
    n_chips, k = 8, 9
    lat = rng.uniform(-60, 70, (n_chips, k))
    lon = rng.uniform(-180, 180, (n_chips, k))
    radius = rng.uniform(300, 4000, (n_chips, k)) / EARTH_RADIUS_KM
    centres = unit_vectors(lat, lon)
    agreement = largest_agreeing_groups(centres, radius, np.ones((n_chips, k), bool), 1.0, EARTH_RADIUS_KM)
    grid = _sphere(60_000)
    for i in range(n_chips):
        sampled = (grid @ centres[i].T >= np.cos(radius[i])).sum(axis=1).max()
        assert agreement.size(i) >= sampled
        for group in agreement.groups[i]:
            check = decide(DiskBatch(centres[i][None], radius[i][None], group[None], centres[i][:1]), 1.0)
            assert not check.region_empty[0] and group.sum() == agreement.size(i)

