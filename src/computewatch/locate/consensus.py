"""The largest group of landmarks whose distance bounds agree, when all of them together cannot.

A chip can only make its answers slower (delay adds to an RTT; nothing makes light
faster), so an honest landmark's disk always holds the chip. A disk too small to
meet the others comes from a landmark that reports an RTT shorter than physics
allows: a lying or colluding landmark, or a broken clock. When the disks have no
common point, we look for the largest set of disks that do have one (a maximum
consistent subset), name the chip's region from that set, and call the others suspect.

Algorithm: the deepest point of the arrangement of disks on the sphere, searched
exactly over a finite set of candidates. The intersection of the largest agreeing
set is a closed region whose boundary is made of circle arcs; it contains either a
point where two circles cross (a vertex of its boundary), or, when its boundary has
no vertex, a whole circle, so one point of every circle and every crossing of two
circles are enough: the set of disks holding a candidate is an agreeing set, and the
largest such set is the largest agreeing set. That is O(K^3) for K landmarks,
vectorised with numpy over many chips. We chose it over:
- greedy removal of the most contradicted landmark: fast, but not optimal, and
  colluding landmarks can steer which honest one is removed;
- random sampling (RANSAC): neither exact nor reproducible, and a verdict must be both;
- maximum clique of the "pairwise overlapping" graph: NP-hard in general, and wrong
  here, since three disks can overlap in pairs with no point common to all three.
The same exactness lets us report ties: two equally large groups that disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from computewatch.locate.geometry import circle_intersections, perpendicular, walk

Array = NDArray[np.float64]
Mask = NDArray[np.bool_]


@dataclass
class Agreement:
    """For each chip: the distinct largest agreeing groups of its disks (first = the one reported)."""

    groups: list[list[Mask]]  # per chip, one (K,) mask per equally large group, in a fixed order

    def members(self, i: int) -> Mask:
        return self.groups[i][0]

    def size(self, i: int) -> int:
        return int(self.groups[i][0].sum())

    def tied(self, i: int) -> bool:
        return len(self.groups[i]) > 1


def _candidates(lm: Array, r: Array, valid: Mask) -> tuple[Array, Mask]:
    """(N, C, 3) candidate points and whether each is usable: a point of every circle, and crossings."""
    n, k = r.shape
    on_circle = walk(lm, perpendicular(lm), r)
    parts, oks = [lm, on_circle], [valid, valid]
    if k > 1:
        a, b = np.triu_indices(k, 1)
        cos_r = np.cos(r)
        p1, p2, ok = circle_intersections(lm[:, a], cos_r[:, a], lm[:, b], cos_r[:, b])
        both = ok & valid[:, a] & valid[:, b]
        norm1 = np.linalg.norm(p1, axis=-1, keepdims=True)
        norm2 = np.linalg.norm(p2, axis=-1, keepdims=True)
        parts += [p1 / np.where(norm1 > 0, norm1, 1.0), p2 / np.where(norm2 > 0, norm2, 1.0)]
        oks += [both, both]
    return np.concatenate(parts, axis=1), np.concatenate(oks, axis=1)


def largest_agreeing_groups(
    landmarks: Array, radius: Array, valid: Mask, tolerance_km: float, earth_radius_km: float, chunk: int = 256
) -> Agreement:
    """landmarks (N, K, 3) unit vectors, radius (N, K) radians, valid (N, K): the largest agreeing groups."""
    tol = tolerance_km / earth_radius_km + 1e-9
    groups: list[list[Mask]] = []
    for s in range(0, len(radius), chunk):
        lm, r, ok_disk = landmarks[s : s + chunk], radius[s : s + chunk], valid[s : s + chunk]
        cand, ok = _candidates(lm, r, ok_disk)
        cos_test = np.cos(np.clip(r + tol, 0.0, np.pi))
        inside = np.einsum("ncd,nkd->nck", cand, lm) >= cos_test[:, None, :]
        inside &= ok_disk[:, None, :]
        depth = np.where(ok, inside.sum(axis=2), -1)
        best = depth.max(axis=1)
        for i in range(len(r)):
            rows = inside[i, depth[i] == best[i]]
            distinct = np.unique(rows, axis=0)  # sorted: a fixed order whatever the input order
            groups.append([m for m in distinct[::-1]])  # the group holding the lowest-indexed disks first
    return Agreement(groups)
