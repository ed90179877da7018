"""From round-trip time to an upper bound on distance.

The default is the physical bound: light in fibre covers about 200 km per ms one
way, so d <= (RTT - processing time) x 100 km/ms. A landmark may instead be
calibrated with the "bestline" of Constraint-Based Geolocation (Gueye et al.,
2006): the line RTT = m * d + b lying below all of its calibration measurements
and closest to them, never steeper than physics allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from numpy.typing import NDArray


def physical_bound_km(
    rtt_ms: NDArray[np.float64], km_per_ms_rtt: float, processing_ms: float = 0.0
) -> NDArray[np.float64]:
    """Largest distance (km) a signal can cover and come back within each RTT."""
    return np.clip(rtt_ms - processing_ms, 0.0, None) * km_per_ms_rtt


@dataclass(frozen=True)
class Bestline:
    """RTT (ms) = slope_ms_per_km * distance (km) + intercept_ms, below every calibration point."""

    landmark_id: str
    slope_ms_per_km: float
    intercept_ms: float
    points: int

    def bound_km(self, rtt_ms: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.clip(rtt_ms - self.intercept_ms, 0.0, None) / self.slope_ms_per_km


def fit_bestline(
    landmark_id: str,
    distances_km: Sequence[float],
    rtts_ms: Sequence[float],
    km_per_ms_rtt: float,
) -> Bestline:
    """CBG bestline through calibration measurements (distance to a known target, RTT).

    Among lines with slope >= 1 / km_per_ms_rtt and intercept >= 0 that lie on or
    below every point, pick the one minimising the total vertical gap. The optimum
    is a vertex of that feasible set, so enumerating vertices is exact.
    """
    d = np.asarray(distances_km, dtype=np.float64)
    t = np.asarray(rtts_ms, dtype=np.float64)
    if len(d) == 0:
        raise ValueError(f"landmark {landmark_id}: no calibration measurements")
    min_slope = 1.0 / km_per_ms_rtt
    candidates: list[tuple[float, float]] = [(min_slope, 0.0)]
    for i in range(len(d)):
        candidates.append((min_slope, t[i] - min_slope * d[i]))
        if d[i] > 0:
            candidates.append((t[i] / d[i], 0.0))
    for i, j in combinations(range(len(d)), 2):
        if abs(d[i] - d[j]) > 1e-9:
            m = (t[j] - t[i]) / (d[j] - d[i])
            candidates.append((m, t[i] - m * d[i]))
    best: tuple[float, float] | None = None
    best_gap = np.inf
    for m, b in candidates:
        if m < min_slope - 1e-15 or b < -1e-9:
            continue
        gaps = t - (m * d + b)
        if np.any(gaps < -1e-9):
            continue
        total = float(gaps.sum())
        if total < best_gap:
            best, best_gap = (m, max(b, 0.0)), total
    if best is None:
        raise ValueError(
            f"landmark {landmark_id}: a calibration RTT is shorter than light in fibre allows"
        )
    return Bestline(landmark_id, float(best[0]), float(best[1]), len(d))
