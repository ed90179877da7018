"""Benchmark: chips verified per second, 16 probes each (target >= 50,000/s).

run(quick) -> dict with chips/s for the vectorised decision (claim inside the
region, impossible sets, nearest/farthest distances), its peak memory, and the
end-to-end rate of verify_probes (screening + decision, countries for the
inconsistent chips only) and of Ed25519 signature checks, for context.
"""

from __future__ import annotations

import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from computewatch.locate.batch import DiskBatch, decide
from computewatch.locate.geometry import EARTH_RADIUS_KM, angle_between, km_to_angle, unit_vectors
from computewatch.locate.probes import Probe
from computewatch.locate.verify import verify_probes

PROBES_PER_CHIP = 16


def _synthetic(chips: int, seed: int = 0) -> tuple[DiskBatch, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Chips anywhere, 16 random landmarks each, RTT = distance x 1.2-2.5 inflation + 0.2-2 ms; 10% lie."""
    rng = np.random.default_rng(seed)
    lat = rng.uniform(-60, 70, (chips, PROBES_PER_CHIP))
    lon = rng.uniform(-180, 180, (chips, PROBES_PER_CHIP))
    true_lat, true_lon = rng.uniform(-50, 60, chips), rng.uniform(-180, 180, chips)
    landmarks, actual = unit_vectors(lat, lon), unit_vectors(true_lat, true_lon)
    km = angle_between(actual[:, None, :], landmarks) * EARTH_RADIUS_KM
    rtt = km * rng.uniform(1.2, 2.5, km.shape) / 100 + rng.uniform(0.2, 2.0, km.shape)
    claim_lat = true_lat.copy()
    claim_lat[::10] = np.clip(claim_lat[::10] + 25, -89, 89)
    batch = DiskBatch(landmarks, km_to_angle(rtt * 100), np.ones(rtt.shape, bool), unit_vectors(claim_lat, true_lon))
    return batch, lat, lon, rtt, np.column_stack([claim_lat, true_lon])


def _decision_rate(chips: int, repeats: int) -> dict[str, Any]:
    batch, *_ = _synthetic(chips)
    decide(DiskBatch(batch.landmarks[:100], batch.radius[:100], batch.valid[:100], batch.claim[:100]))
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = decide(batch)
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    decide(batch)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "chips": chips,
        "probes_per_chip": PROBES_PER_CHIP,
        "seconds": round(best, 4),
        "chips_per_s": round(chips / best),
        "peak_mb": round(peak / 2**20, 1),
        "input_mb": round((batch.landmarks.nbytes + batch.radius.nbytes + batch.claim.nbytes) / 2**20, 1),
        "inconsistent": int((~result.claim_inside).sum()),
    }


def _end_to_end_rate(chips: int) -> dict[str, Any]:
    _, lat, lon, rtt, claim = _synthetic(chips, seed=1)
    ts = datetime(2026, 11, 25, tzinfo=UTC)
    probes = [
        Probe(n * PROBES_PER_CHIP + k + 2, f"CHIP-{n:06d}", "ZZ", float(claim[n, 0]), float(claim[n, 1]), f"L{k}",
              float(lat[n, k]), float(lon[n, k]), float(rtt[n, k]), ts + timedelta(seconds=k))
        for n in range(chips) for k in range(PROBES_PER_CHIP)
    ]
    start = time.perf_counter()
    verify_probes(probes, countries="none")
    elapsed = time.perf_counter() - start
    return {"chips": chips, "seconds": round(elapsed, 3), "chips_per_s": round(chips / elapsed)}


def _signature_rate(count: int) -> dict[str, Any]:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    public = key.public_key()
    messages = [f"nonce-{i}".encode() for i in range(count)]
    signatures = [key.sign(m) for m in messages]
    start = time.perf_counter()
    for m, s in zip(messages, signatures, strict=True):
        public.verify(s, m)
    elapsed = time.perf_counter() - start
    return {"signatures": count, "per_s": round(count / elapsed)}


def run(quick: bool = False) -> dict[str, Any]:
    chips = 5_000 if quick else 50_000
    decision = _decision_rate(chips, repeats=3)
    return {
        "name": "locate",
        "target_chips_per_s": 50_000,
        "chips_per_s": decision["chips_per_s"],
        "meets_target": decision["chips_per_s"] >= 50_000,
        "decision": decision,
        "end_to_end_python_objects": _end_to_end_rate(1_000 if quick else 10_000),
        "ed25519_verify": _signature_rate(1_000 if quick else 10_000),
    }


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
