"""Geometry on the sphere, vectorised with numpy.

Points are unit vectors (x, y, z); disks ("caps") are a centre and an angular
radius in radians. Every function accepts arrays with any leading shape.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius


def unit_vectors(lat_deg: Array | float, lon_deg: Array | float) -> Array:
    """Unit vectors for latitudes and longitudes in degrees; shape (..., 3)."""
    lat = np.radians(np.asarray(lat_deg, dtype=np.float64))
    lon = np.radians(np.asarray(lon_deg, dtype=np.float64))
    cos_lat = np.cos(lat)
    return np.stack([cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)], axis=-1)


def lat_lon(vectors: Array) -> tuple[Array, Array]:
    """Latitudes and longitudes in degrees of (not necessarily unit) vectors (..., 3)."""
    x, y, z = vectors[..., 0], vectors[..., 1], vectors[..., 2]
    lat = np.degrees(np.arctan2(z, np.hypot(x, y)))
    lon = np.degrees(np.arctan2(y, x))
    return lat, lon


def angle_between(u: Array, v: Array) -> Array:
    """Angle in radians between unit vectors; accurate for tiny and near-antipodal angles."""
    cross = np.linalg.norm(np.cross(u, v), axis=-1)
    dot = np.sum(u * v, axis=-1)
    return np.arctan2(cross, dot)


def great_circle_km(lat1: Array | float, lon1: Array | float, lat2: Array | float, lon2: Array | float) -> Array:
    """Great-circle distance in km between points given in degrees."""
    return angle_between(unit_vectors(lat1, lon1), unit_vectors(lat2, lon2)) * EARTH_RADIUS_KM


def km_to_angle(km: Array | float) -> Array:
    """Angular radius (radians, clipped to [0, pi]) of a distance in km."""
    return np.clip(np.asarray(km, dtype=np.float64) / EARTH_RADIUS_KM, 0.0, np.pi)


def perpendicular(v: Array) -> Array:
    """A unit vector perpendicular to each unit vector in v."""
    helper = np.zeros_like(v)
    use_z = np.abs(v[..., 2]) < 0.9
    helper[..., 2] = np.where(use_z, 1.0, 0.0)
    helper[..., 0] = np.where(use_z, 0.0, 1.0)
    p = np.cross(v, helper)
    return p / np.linalg.norm(p, axis=-1, keepdims=True)


def toward(origin: Array, target: Array) -> Array:
    """Unit tangent at origin pointing along the great circle to target (any when they coincide)."""
    t = target - np.sum(origin * target, axis=-1, keepdims=True) * origin
    norm = np.linalg.norm(t, axis=-1, keepdims=True)
    degenerate = norm < 1e-12
    fallback = perpendicular(origin)
    safe = np.where(degenerate, 1.0, norm)
    return np.where(degenerate, fallback, t / safe)


def walk(origin: Array, tangent: Array, angle: Array) -> Array:
    """Point reached from origin along tangent after angle radians (angle may be negative)."""
    a = np.asarray(angle, dtype=np.float64)[..., None]
    return np.cos(a) * origin + np.sin(a) * tangent


def circle_points(centre: Array, radius: float, count: int) -> Array:
    """count points evenly spaced on the circle of angular radius around centre; shape (count, 3)."""
    e1 = perpendicular(centre)
    e2 = np.cross(centre, e1)
    t = np.linspace(0.0, 2 * np.pi, count, endpoint=False)
    ring = np.cos(t)[:, None] * e1 + np.sin(t)[:, None] * e2
    return np.cos(radius) * centre + np.sin(radius) * ring


def circle_intersections(
    a: Array, cos_ra: Array, b: Array, cos_rb: Array
) -> tuple[Array, Array, NDArray[np.bool_]]:
    """The two points where circles (a, ra) and (b, rb) cross, and whether they do.

    Tangent circles give two equal points; disjoint, nested or concentric ones give ok=False.
    """
    d = np.sum(a * b, axis=-1)
    denom = 1.0 - d * d
    ok = denom > 1e-12
    safe = np.where(ok, denom, 1.0)
    alpha = (cos_ra - d * cos_rb) / safe
    beta = (cos_rb - d * cos_ra) / safe
    base = alpha[..., None] * a + beta[..., None] * b
    gamma2 = (1.0 - np.sum(base * base, axis=-1)) / safe
    ok &= gamma2 > -1e-9
    gamma = np.sqrt(np.clip(gamma2, 0.0, None))[..., None]
    axis = np.cross(a, b)
    return base + gamma * axis, base - gamma * axis, ok


def gnomonic(points: Array, centre: Array) -> Array:
    """Gnomonic projection (great circles become straight lines) around centre; shape (..., 2)."""
    e1 = perpendicular(centre)
    e2 = np.cross(centre, e1)
    depth = points @ centre
    return np.stack([(points @ e1) / depth, (points @ e2) / depth], axis=-1)


def inverse_gnomonic(xy: Array, centre: Array) -> Array:
    """Unit vectors for gnomonic plane coordinates around centre."""
    e1 = perpendicular(centre)
    e2 = np.cross(centre, e1)
    v = centre + xy[..., 0:1] * e1 + xy[..., 1:2] * e2
    return v / np.linalg.norm(v, axis=-1, keepdims=True)
