"""Shared helpers: real landmark cities, fictional chips, deterministic keys."""

from __future__ import annotations

import csv
import hashlib
import random
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from computewatch.locate import ChipAgent, Landmark, Site, simulate_probes

CITIES = {
    "FRA": (50.11, 8.68), "PAR": (48.86, 2.35), "LON": (51.51, -0.13), "WAW": (52.23, 21.01),
    "MAD": (40.42, -3.70), "STO": (59.33, 18.07), "PEK": (39.90, 116.40), "SHA": (31.23, 121.47),
    "TYO": (35.68, 139.69), "SEL": (37.57, 126.98), "SIN": (1.35, 103.82), "BOM": (19.08, 72.88),
    "DXB": (25.20, 55.27), "NYC": (40.71, -74.01), "CHI": (41.88, -87.63), "LAX": (34.05, -118.24),
    "GRU": (-23.55, -46.63), "JNB": (-26.20, 28.05), "SYD": (-33.87, 151.21), "HKG": (22.32, 114.17),
    "KUL": (3.14, 101.69), "BKK": (13.76, 100.50), "SCL": (-33.45, -70.67), "DFW": (32.78, -96.80),
}
SITES = {
    "frankfurt": Site(50.11, 8.68, "DE"), "kuala_lumpur": Site(3.14, 101.69, "MY"),
    "beijing": Site(39.90, 116.40, "CN"), "dallas": Site(32.78, -96.80, "US"),
    "sao_paulo": Site(-23.55, -46.63, "BR"), "sydney": Site(-33.87, 151.21, "AU"),
    "singapore": Site(1.29, 103.85, "SG"), "johannesburg": Site(-26.20, 28.05, "ZA"),
}
START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def agent(chip_id: str) -> ChipAgent:
    seed = hashlib.sha256(chip_id.encode()).digest()
    return ChipAgent(chip_id, Ed25519PrivateKey.from_private_bytes(seed))


def landmarks(*ids: str) -> list[Landmark]:
    chosen = ids or tuple(CITIES)
    return [Landmark(i, *CITIES[i]) for i in chosen]


def probe_rows(
    chip_id: str, actual: str, claim: str, seed: int = 7, lms: list[Landmark] | None = None, start: datetime = START
) -> list[dict[str, str]]:
    where = SITES[actual]
    return simulate_probes(agent(chip_id), (where.lat, where.lon), SITES[claim], lms or landmarks(), start, random.Random(seed))


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


