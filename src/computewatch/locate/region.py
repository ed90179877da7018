"""The feasible region of one chip as points and a lon/lat polygon, and the countries it touches.

The region (intersection of disks) is sampled on its boundary (circle arcs and
their crossings) and inside (a polar grid over the smallest disk). When it fits in
a hemisphere it is spherically convex, so its hull in a gnomonic projection (where
great circles are straight lines) is the region; that hull becomes a polygon in
lon/lat, split at the antimeridian and closed over a pole when it holds one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
import shapely.affinity
from numpy.typing import NDArray
from shapely.geometry import MultiPoint, Polygon
from shapely.geometry.base import BaseGeometry

from computewatch.locate.countries import CountryAtlas
from computewatch.locate.geometry import (
    EARTH_RADIUS_KM,
    circle_intersections,
    circle_points,
    gnomonic,
    inverse_gnomonic,
    lat_lon,
    perpendicular,
)

Array = NDArray[np.float64]
CIRCLE_SAMPLES = 180
RINGS = 24
RING_SAMPLES = 72


@dataclass
class Region:
    points: Array  # (S, 3) unit vectors inside the region (boundary and interior samples)
    polygon: BaseGeometry | None  # lon/lat polygon, None when empty or wider than a hemisphere

    @property
    def empty(self) -> bool:
        return len(self.points) == 0

    def countries(self, atlas: CountryAtlas) -> list[str]:
        if self.empty:
            return []
        lat, lon = lat_lon(self.points)
        found = {c for c in atlas.at(lat, lon) if c}
        if self.polygon is not None:
            found |= atlas.touching(self.polygon)
        return sorted(found)

    def farthest_km(self, site: Array) -> float:
        if self.empty:
            return float("nan")
        return float(np.arccos(np.clip(self.points @ site, -1, 1)).max() * EARTH_RADIUS_KM)


def _inside_all(points: Array, centres: Array, radii: Array, tol: float) -> NDArray[np.bool_]:
    return np.all(points @ centres.T >= np.cos(np.minimum(radii + tol, np.pi)), axis=1)


def feasible_region(centres: Array, radii: Array, tolerance_km: float = 1.0) -> Region:
    """Sample the intersection of disks (centres (M, 3), angular radii (M,))."""
    tol = tolerance_km / EARTH_RADIUS_KM + 1e-9
    if len(radii) == 0:
        return Region(np.zeros((0, 3)), None)
    boundary = [circle_points(c, float(r), CIRCLE_SAMPLES) for c, r in zip(centres, radii, strict=True)]
    a, b = np.triu_indices(len(radii), 1)
    if len(a):
        cos_r = np.cos(radii)
        p1, p2, ok = circle_intersections(centres[a], cos_r[a], centres[b], cos_r[b])
        boundary += [p1[ok], p2[ok]]
    edge = np.concatenate(boundary)
    edge = edge[_inside_all(edge, centres, radii, tol)]
    smallest = int(np.argmin(radii))
    grid = _polar_grid(centres[smallest], float(radii[smallest]))
    grid = grid[_inside_all(grid, centres, radii, tol)]
    points = np.concatenate([edge, grid])
    if len(points) == 0:
        return Region(points, None)
    return Region(points, _polygon(edge if len(edge) >= 3 else points))


def _polar_grid(centre: Array, radius: float) -> Array:
    e1 = perpendicular(centre)
    e2 = np.cross(centre, e1)
    rho = radius * np.sqrt(np.arange(1, RINGS + 1) / RINGS)
    theta = np.linspace(0, 2 * np.pi, RING_SAMPLES, endpoint=False)
    rr, tt = np.meshgrid(rho, theta, indexing="ij")
    direction = np.cos(tt)[..., None] * e1 + np.sin(tt)[..., None] * e2
    ring = np.cos(rr)[..., None] * centre + np.sin(rr)[..., None] * direction
    return np.concatenate([centre[None], ring.reshape(-1, 3)])


def _polygon(edge: Array) -> BaseGeometry | None:
    centre = edge.mean(axis=0)
    norm = np.linalg.norm(centre)
    if norm < 1e-9:
        return None
    centre = centre / norm
    if np.min(edge @ centre) < 0.05:  # too wide for one gnomonic view
        return None
    hull = MultiPoint(gnomonic(edge, centre)).convex_hull
    if not isinstance(hull, Polygon):
        hull = hull.buffer(1e-6)  # a point or a segment: a sliver of the right place
    dense = shapely.segmentize(hull, max_segment_length=0.01)
    assert isinstance(dense, Polygon)
    ring = inverse_gnomonic(np.asarray(dense.exterior.coords), centre)
    lat, lon = lat_lon(ring)
    return lon_lat_polygon(lat, lon)


def lon_lat_polygon(lat: Array, lon: Array) -> BaseGeometry:
    """A closed ring of lat/lon points as a polygon, split at the antimeridian, closed over a pole."""
    lon_u = np.degrees(np.unwrap(np.radians(lon)))
    turn = lon_u[-1] - lon_u[0]
    if abs(turn) > 180:  # the ring winds around a pole
        pole = 90.0 if np.mean(lat) > 0 else -90.0
        lon_u = np.concatenate([lon_u, [lon_u[-1], lon_u[0]]])
        lat = np.concatenate([lat, [pole, pole]])
    poly = shapely.make_valid(Polygon(np.column_stack([lon_u, lat])))
    world = shapely.box(-180, -90, 180, 90)
    pieces = [
        shapely.affinity.translate(poly, xoff=shift).intersection(world) for shift in (-360, 0, 360)
    ]
    return shapely.union_all([p for p in pieces if not p.is_empty])
