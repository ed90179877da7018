"""Benchmark: a monitored fleet through `ingest probes` and the chip-location detector (DuckDB).

A synthetic fleet: chips anywhere on land, probed by the 12 nearest of 200 landmarks, a round every 6 hours for 7 days
(28 rounds), RTT = distance x 1.3-2.0 + 0.2-1.5 ms, nonces, no signatures (taken as measured);
5% of the chips are moved half-way, 5% claim a site 2,000+ km away. Reported: rows/s of the
ingest, seconds of the detector, and, as the baseline measured in the same run, the seconds of
`verify_probes` (what `locate verify` does) on the same fleet's latest rounds only; the ratio
says what watching history costs over judging one snapshot.

run(quick) -> dict
"""

from __future__ import annotations

import csv
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from computewatch.detectors.runner import run_detectors
from computewatch.locate.geometry import EARTH_RADIUS_KM, angle_between, unit_vectors
from computewatch.locate.probes import read_probes
from computewatch.locate.verify import verify_table
from computewatch.settings.detectors import DetectorSettings
from computewatch.sources.probes_table import load_probes
from computewatch.workspace import Workspace

LANDMARKS = 12
ROUNDS = 28
FIRST = datetime(2026, 10, 25, tzinfo=UTC)
AS_OF = date(2026, 11, 1)


def _sites(rng: np.random.Generator, chips: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Sites on land, with their country (Natural Earth)."""
    from computewatch.locate.countries import country_atlas

    lat, lon, codes = [], [], []
    while len(lat) < chips:
        la, lo = rng.uniform(-40, 60, 4 * chips), rng.uniform(-180, 180, 4 * chips)
        for a, b, code in zip(la, lo, country_atlas().at(la, lo), strict=True):
            if code and len(lat) < chips:
                lat.append(a), lon.append(b), codes.append(code)
    return np.array(lat), np.array(lon), codes


def write_fleet(path: Path, chips: int, seed: int = 0, latest_only: bool = False) -> int:
    rng = np.random.default_rng(seed)
    lm_lat, lm_lon = rng.uniform(-50, 65, 200), rng.uniform(-180, 180, 200)
    site_lat, site_lon, countries = _sites(rng, chips)
    moved = rng.random(chips) < 0.05
    claim_lat = np.where(rng.random(chips) < 0.05, np.clip(site_lat + 20, -80, 80), site_lat)
    landmarks = unit_vectors(lm_lat, lm_lon)
    rows = 0
    with path.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["chip_id", "claimed_country", "claimed_lat", "claimed_lon", "site", "landmark_id", "landmark_lat",
                      "landmark_lon", "rtt_ms", "ts", "nonce"])  # fmt: skip
        for n in range(chips):
            chosen = np.argsort(angle_between(unit_vectors(site_lat[n], site_lon[n]), landmarks))[:LANDMARKS]
            for r in range(ROUNDS - 1 if latest_only else 0, ROUNDS):
                lat = site_lat[n] + (15.0 if moved[n] and r >= ROUNDS // 2 else 0.0)
                km = angle_between(unit_vectors(lat, site_lon[n]), unit_vectors(lm_lat[chosen], lm_lon[chosen])) * EARTH_RADIUS_KM
                rtt = km * rng.uniform(1.3, 2.0, LANDMARKS) / 100 + rng.uniform(0.2, 1.5, LANDMARKS)
                start = FIRST + timedelta(hours=6 * r)
                for k, lm in enumerate(chosen):
                    ts = (start + timedelta(seconds=2 * k)).strftime("%Y-%m-%dT%H:%M:%SZ")
                    out.writerow([f"CHIP-{n:06d}", countries[n], f"{claim_lat[n]:.4f}", f"{site_lon[n]:.4f}", f"DC-{n % 50}", f"L{lm}",
                                  f"{lm_lat[lm]:.4f}", f"{lm_lon[lm]:.4f}", f"{rtt[k]:.3f}", ts, f"{n:06d}-{r:03d}-{k:02d}"])  # fmt: skip
                    rows += 1
    return rows


def run(quick: bool = False) -> dict[str, Any]:
    chips = 200 if quick else 2000
    with tempfile.TemporaryDirectory(prefix="cw-fleet-bench-") as tmp:
        fleet, latest = Path(tmp) / "fleet.csv", Path(tmp) / "latest.csv"
        rows = write_fleet(fleet, chips)
        write_fleet(latest, chips, latest_only=True)  # the same chips and latest rounds (same seed)
        with Workspace(Path(tmp) / "ws") as ws:
            t = time.perf_counter()
            load_probes(ws, [fleet])
            ingest_s = time.perf_counter() - t
            run_detectors(ws, AS_OF, "duckdb", DetectorSettings(), record=False)  # warm: atlas, policy data
            t = time.perf_counter()
            found = run_detectors(ws, AS_OF, "duckdb", DetectorSettings(), record=False)
            detect_s = found.seconds["chip-location"]
        t = time.perf_counter()
        verdicts = verify_table(read_probes(latest), countries="inconsistent")
        verify_s = time.perf_counter() - t
    alerts = [a for a in found.alerts if a.detector == "chip-location"]
    return {
        "chips": chips, "landmarks": LANDMARKS, "rounds_per_chip": ROUNDS, "probe_rows": rows,
        "ingest_rows_per_s": round(rows / ingest_s), "detector_seconds": round(detect_s, 2),
        "baseline_verify_latest_seconds": round(verify_s, 2), "detector_over_baseline": round(detect_s / verify_s, 2),
        "chip_alerts": len(alerts), "moves_found": sum("moved about" in a.summary for a in alerts),
        "not_consistent_latest_by_verify": sum(v.status != "consistent" for v in verdicts),
    }  # fmt: skip
