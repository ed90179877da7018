"""The fleet on one map: every chip at its declared site, coloured by its last verdict, and, where
the chip cannot be there, a line to where its last round puts it.

Layout only (numbers and country outlines, equirectangular like map.py); the web app draws
it as inline SVG with links, so nothing is fetched and nothing runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from computewatch.locate.countries import country_atlas
from computewatch.locate.geometry import lat_lon
from computewatch.locate.map import WIDTH, _View
from computewatch.locate.region import Region

MIN_SPAN_DEG = 40.0  # a fleet in one city still shows its neighbours
SPREAD_PX = 7.0  # chips declared at the same site are drawn around it


@dataclass
class Pin:
    chip_id: str
    lat: float
    lon: float
    verdict: str  # consistent, inconsistent, impossible, unverified, silent
    title: str  # tooltip text
    href: str
    where: tuple[float, float] | None = None  # (lat, lon) where the last round puts the chip, when not at its site
    silent: bool = False  # no round for too long
    moved: bool = False  # its region moved between recent rounds


@dataclass
class Marker:
    pin: Pin
    x: float
    y: float
    to: tuple[float, float] | None = None  # end of the line to where the chip must be


@dataclass
class FleetMap:
    width: int
    height: int
    countries: list[tuple[str, str]]  # (code, SVG path)
    markers: list[Marker] = field(default_factory=list)


def region_centre(region: Region | None) -> tuple[float, float] | None:
    """A point to draw for a region: the normalised mean of its sample points (inside it when it is convex)."""
    if region is None or region.empty:
        return None
    mean = region.points.mean(axis=0)
    if np.linalg.norm(mean) < 1e-9:
        return None
    lat, lon = lat_lon(mean / np.linalg.norm(mean))
    return float(lat), float(lon)


@lru_cache(maxsize=16)
def _countries(bounds: tuple[float, float, float, float]) -> tuple[tuple[str, str], ...]:
    view = _View(*bounds)
    return tuple(
        (code, view.path(geometry.simplify(0.5 / view.scale)))
        for code, geometry in country_atlas().within((view.lon0, view.lat0, view.lon1, view.lat1))
    )


def _bounds(pins: list[Pin]) -> tuple[float, float, float, float]:
    lats = [p.lat for p in pins] + [p.where[0] for p in pins if p.where]
    lons = [p.lon for p in pins] + [p.where[1] for p in pins if p.where]
    if not lats:
        return -170.0, -55.0, 170.0, 75.0
    box = [min(lons), min(lats), max(lons), max(lats)]
    for lo, hi in ((0, 2), (1, 3)):
        if box[hi] - box[lo] < MIN_SPAN_DEG:
            mid = (box[hi] + box[lo]) / 2
            box[lo], box[hi] = mid - MIN_SPAN_DEG / 2, mid + MIN_SPAN_DEG / 2
    # rounded, so that similar fleets share the cached outlines
    return (math.floor(box[0] / 5) * 5, math.floor(box[1] / 5) * 5, math.ceil(box[2] / 5) * 5, math.ceil(box[3] / 5) * 5)


def fleet_map(pins: list[Pin]) -> FleetMap:
    bounds = _bounds(pins)
    view = _View(*bounds)
    out = FleetMap(WIDTH, view.height, list(_countries(bounds)))
    at_site: dict[tuple[float, float], list[Pin]] = {}
    for pin in pins:
        at_site.setdefault((round(pin.lat, 3), round(pin.lon, 3)), []).append(pin)
    for group in at_site.values():
        for k, pin in enumerate(group):
            x, y = view.xy(pin.lon, pin.lat)
            if len(group) > 1:
                angle = 2 * math.pi * k / len(group)
                x, y = x + SPREAD_PX * math.cos(angle), y + SPREAD_PX * math.sin(angle)
            to = view.xy(pin.where[1], pin.where[0]) if pin.where else None
            out.markers.append(Marker(pin, round(x, 1), round(y, 1), (round(to[0], 1), round(to[1], 1)) if to else None))
    return out

