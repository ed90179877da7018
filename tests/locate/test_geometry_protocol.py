"""The sphere maths, the bestline and the challenge-response protocol on their own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from locate_helpers import agent

from computewatch.locate import DiskBatch, Landmark, decide, fit_bestline
from computewatch.locate.geometry import EARTH_RADIUS_KM, great_circle_km, km_to_angle, unit_vectors
from computewatch.locate.protocol import public_key_from_hex


def test_great_circle_distance_frankfurt_beijing() -> None:
    assert abs(float(great_circle_km(50.11, 8.68, 39.90, 116.40)) - 7790) < 30


def test_extreme_distances_match_brute_force_sampling() -> None:
    rng = np.random.default_rng(3)
    sphere = rng.normal(size=(300_000, 3))
    sphere /= np.linalg.norm(sphere, axis=1, keepdims=True)
    centres = unit_vectors(np.array([[48.0, 52.0, 50.0]]), np.array([[2.0, 13.0, 8.0]]))
    radii = km_to_angle(np.array([[700.0, 600.0, 400.0]]))
    claim = unit_vectors(np.array([40.0]), np.array([-3.7]))
    result = decide(DiskBatch(centres, radii, np.ones((1, 3), bool), claim), tolerance_km=0)
    inside = np.all(sphere @ centres[0].T >= np.cos(radii[0]), axis=1)
    dist = np.arccos(np.clip(sphere[inside] @ claim[0], -1, 1)) * EARTH_RADIUS_KM
    assert not result.claim_inside[0]
    assert abs(result.min_km[0] - dist.min()) < 40 and abs(result.max_km[0] - dist.max()) < 40


def test_disjoint_disks_make_an_empty_region() -> None:
    centres = unit_vectors(np.array([[50.11, 35.68, 40.0]]), np.array([[8.68, 139.69, 100.0]]))
    radii = km_to_angle(np.array([[300.0, 300.0, 9000.0]]))
    result = decide(DiskBatch(centres, radii, np.ones((1, 3), bool), centres[:, 0]))
    assert result.region_empty[0] and not result.claim_inside[0]


def test_bestline_lies_below_every_calibration_point_and_respects_physics() -> None:
    line = fit_bestline("FRA", [100, 500, 1000, 2000], [3.0, 8.0, 14.0, 30.0], km_per_ms_rtt=100)
    assert line.slope_ms_per_km >= 0.01
    for d, t in [(100, 3.0), (500, 8.0), (1000, 14.0), (2000, 30.0)]:
        assert line.slope_ms_per_km * d + line.intercept_ms <= t + 1e-9
    assert float(line.bound_km(np.array([14.0]))[0]) < 1400  # tighter than the physical 1,400 km


def test_landmark_accepts_a_fresh_signed_answer_once() -> None:
    chip = agent("CHIP-PROTO-1")
    key = public_key_from_hex(chip.public_key_hex)
    lm = Landmark("FRA", 50.11, 8.68)
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    challenge = lm.challenge(now)
    answer = chip.answer(challenge, now + timedelta(milliseconds=2))
    first = lm.check(answer, key, now + timedelta(milliseconds=4))
    assert first.accepted and abs(first.rtt_ms - 4.0) < 1e-6
    assert lm.check(answer, key, now + timedelta(seconds=9)).reason == "replayed nonce"


def test_landmark_rejects_forged_unsigned_and_late_answers() -> None:
    chip, forger = agent("CHIP-PROTO-2"), agent("CHIP-PROTO-3")
    key = public_key_from_hex(chip.public_key_hex)
    lm = Landmark("PEK", 39.9, 116.4, max_clock_skew_s=5)
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    forged = forger.answer(lm.challenge(now), now)
    forged = type(forged)(chip.chip_id, forged.nonce, forged.chip_ts, forged.signature)
    assert lm.check(forged, key, now).reason == "signature does not verify"
    assert lm.check(chip.answer(lm.challenge(now), now), None, now).reason == "unsigned answer"
    late = chip.answer(lm.challenge(now), now + timedelta(minutes=5))
    assert "stale" in (lm.check(late, key, now + timedelta(minutes=5)).reason or "")
    unknown = chip.answer(Landmark("X", 0, 0).challenge(now), now)
    assert not lm.check(unknown, key, now).accepted
