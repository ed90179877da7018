"""Vectorised decision for many chips at once: is the claimed site inside every disk?

Input is padded arrays, one row per chip and one column per probe. The feasible
region is the intersection of the valid disks. Its extreme points are found
exactly: the region's boundary is made of circle arcs, so the farthest and the
nearest region points from the claim are either where two circles cross
(vertices) or the farthest/nearest point of one circle. Disks that contain
another disk cannot shape the region and are dropped first, which keeps the
work per chip small.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from computewatch.locate.geometry import (
    EARTH_RADIUS_KM,
    angle_between,
    circle_intersections,
    toward,
    walk,
)

Array = NDArray[np.float64]
Mask = NDArray[np.bool_]


@dataclass
class DiskBatch:
    """N chips x K probes. Rows with fewer probes are padded with valid=False."""

    landmarks: Array  # (N, K, 3) unit vectors
    radius: Array  # (N, K) angular radii, radians
    valid: Mask  # (N, K)
    claim: Array  # (N, 3) unit vector of the claimed site (any point when none is claimed)


@dataclass
class BatchDecision:
    valid_probes: NDArray[np.int64]  # (N,)
    claim_inside: Mask  # claimed site lies in every valid disk
    region_empty: Mask  # no point lies in every valid disk: physically impossible
    min_km: Array  # distance from the claim to the nearest region point (0 inside; nan if empty)
    max_km: Array  # distance from the claim to the farthest region point (nan if empty)
    active: Mask  # (N, K) disks that shape the region (not containing another disk)


def shaping_disks(batch: DiskBatch, tol: float) -> Mask:
    """Valid disks that do not contain another valid disk (ties broken by index)."""
    k = batch.radius.shape[1]
    lm = batch.landmarks
    r = batch.radius
    dots = np.zeros((len(r), k, k))
    for axis in range(3):
        comp = lm[:, :, axis]
        dots += comp[:, :, None] * comp[:, None, :]
    # disk i inside disk j  <=>  angle(i, j) <= r_j - r_i  <=>  dots >= cos(r_j - r_i), r_j >= r_i
    rj = np.minimum(r + tol, np.pi)
    cos_gap = np.cos(rj)[:, None, :] * np.cos(r)[:, :, None]
    cos_gap += np.sin(rj)[:, None, :] * np.sin(r)[:, :, None]
    gap = r[:, None, :] - r[:, :, None]  # [n, i, j] = r_j - r_i
    inside = (dots >= cos_gap) & (gap >= -tol)
    inside |= (r >= np.pi - tol)[:, None, :]  # disk j covers the whole sphere
    idx = np.arange(k)
    smaller = (gap > 1e-12) | ((np.abs(gap) <= 1e-12) & (idx[:, None] < idx[None, :])[None])
    inside &= smaller
    inside &= batch.valid[:, :, None]
    inside &= ~np.eye(k, dtype=bool)[None]
    redundant = np.any(inside, axis=1)  # some smaller valid disk i lies inside disk j
    return batch.valid & ~redundant


def _decide_group(
    lm: Array, r: Array, claim: Array, tol: float
) -> tuple[Mask, Array, Array]:
    """Chips with the same number M >= 1 of shaping disks: (empty, min angle, max angle)."""
    n, m = r.shape
    cos_r = np.cos(r)
    cos_test = np.cos(np.clip(r + tol, 0.0, np.pi))
    c = claim[:, None, :]
    dc = angle_between(c, lm)  # (n, M)
    tangent = toward(np.broadcast_to(c, lm.shape), lm)
    far = walk(c, tangent, dc + r)  # farthest point of each circle (past the antipode if > pi)
    near = walk(c, tangent, dc - r)  # nearest point of each circle
    parts = [far, near, -c]
    oks = [np.ones((n, m), bool), np.ones((n, m), bool), np.ones((n, 1), bool)]
    if m > 1:
        a, b = np.triu_indices(m, 1)
        p1, p2, ok = circle_intersections(lm[:, a], cos_r[:, a], lm[:, b], cos_r[:, b])
        parts += [p1, p2]
        oks += [ok, ok]
    cand = np.concatenate(parts, axis=1)  # (n, C, 3)
    cand_ok = np.concatenate(oks, axis=1)
    in_all = np.all(np.matmul(cand, np.swapaxes(lm, 1, 2)) >= cos_test[:, None, :], axis=2)
    feasible = cand_ok & in_all
    cand_dots = np.einsum("ncd,nd->nc", cand, claim)
    empty = ~feasible.any(axis=1)
    max_ang = np.arccos(np.clip(np.where(feasible, cand_dots, 2.0).min(axis=1), -1.0, 1.0))
    min_ang = np.arccos(np.clip(np.where(feasible, cand_dots, -2.0).max(axis=1), -1.0, 1.0))
    inside = np.all(dc <= r + tol, axis=1)
    min_ang = np.where(inside, 0.0, min_ang)
    max_ang = np.where(empty, np.nan, max_ang)
    min_ang = np.where(empty, np.nan, min_ang)
    return empty, min_ang, max_ang


def decide(batch: DiskBatch, tolerance_km: float = 1.0, chunk: int = 4096) -> BatchDecision:
    """Claim inside the region, region empty, and nearest/farthest region distances for every chip."""
    parts = [
        _decide_chunk(
            DiskBatch(
                batch.landmarks[s : s + chunk],
                batch.radius[s : s + chunk],
                batch.valid[s : s + chunk],
                batch.claim[s : s + chunk],
            ),
            tolerance_km,
        )
        for s in range(0, len(batch.radius), chunk)
    ]
    if not parts:
        return _decide_chunk(batch, tolerance_km)
    return BatchDecision(
        valid_probes=np.concatenate([p.valid_probes for p in parts]),
        claim_inside=np.concatenate([p.claim_inside for p in parts]),
        region_empty=np.concatenate([p.region_empty for p in parts]),
        min_km=np.concatenate([p.min_km for p in parts]),
        max_km=np.concatenate([p.max_km for p in parts]),
        active=np.concatenate([p.active for p in parts]),
    )


def _decide_chunk(batch: DiskBatch, tolerance_km: float) -> BatchDecision:
    tol = tolerance_km / EARTH_RADIUS_KM + 1e-9  # rounding slack for points on a circle
    n = len(batch.radius)
    valid_probes = batch.valid.sum(axis=1)
    claim_dots = np.einsum("nkd,nd->nk", batch.landmarks, batch.claim)
    in_disk = claim_dots >= np.cos(np.minimum(batch.radius + tol, np.pi))
    claim_inside = np.all(in_disk | ~batch.valid, axis=1) & (valid_probes > 0)
    active = shaping_disks(batch, tol)
    counts = active.sum(axis=1)
    order = np.argsort(~active, axis=1, kind="stable")
    lm_sorted = np.take_along_axis(batch.landmarks, order[:, :, None], axis=1)
    r_sorted = np.take_along_axis(batch.radius, order, axis=1)
    empty = np.zeros(n, bool)
    min_ang = np.full(n, np.nan)
    max_ang = np.full(n, np.nan)
    for m in np.unique(counts):
        if m == 0:
            continue
        rows = np.nonzero(counts == m)[0]
        e, lo, hi = _decide_group(lm_sorted[rows, :m], r_sorted[rows, :m], batch.claim[rows], tol)
        empty[rows], min_ang[rows], max_ang[rows] = e, lo, hi
    return BatchDecision(
        valid_probes=valid_probes,
        claim_inside=claim_inside & ~empty,
        region_empty=empty,
        min_km=min_ang * EARTH_RADIUS_KM,
        max_km=max_ang * EARTH_RADIUS_KM,
        active=active,
    )
