"""A self-contained HTML page per chip: inline SVG of countries, disks, feasible region and claim.

Equirectangular view around the landmarks, claim and region. No scripts, no
tiles, nothing fetched when the page is viewed.
"""

from __future__ import annotations

import html

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from computewatch.locate.countries import country_atlas
from computewatch.locate.geometry import circle_points, km_to_angle, lat_lon, unit_vectors
from computewatch.locate.region import lon_lat_polygon
from computewatch.locate.verify import Verdict

WIDTH = 960
COLOURS = {"consistent": "#1a7f37", "inconsistent": "#cf222e", "impossible": "#8250df", "unverified": "#9a6700"}


class _View:
    def __init__(self, lon0: float, lat0: float, lon1: float, lat1: float):
        pad_x, pad_y = max(2.0, 0.08 * (lon1 - lon0)), max(2.0, 0.08 * (lat1 - lat0))
        self.lon0, self.lon1 = max(-180.0, lon0 - pad_x), min(180.0, lon1 + pad_x)
        self.lat0, self.lat1 = max(-90.0, lat0 - pad_y), min(90.0, lat1 + pad_y)
        self.scale = WIDTH / (self.lon1 - self.lon0)
        self.height = int((self.lat1 - self.lat0) * self.scale)

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.lon0) * self.scale, (self.lat1 - lat) * self.scale

    def path(self, geometry: BaseGeometry) -> str:
        clipped = geometry.intersection(shapely.box(self.lon0, self.lat0, self.lon1, self.lat1))
        polygons = [clipped] if isinstance(clipped, Polygon) else list(getattr(clipped, "geoms", []))
        parts = []
        for poly in polygons:
            if not isinstance(poly, Polygon | MultiPolygon) or poly.is_empty:
                continue
            for sub in poly.geoms if isinstance(poly, MultiPolygon) else [poly]:
                for ring in [sub.exterior, *sub.interiors]:
                    pts = [self.xy(x, y) for x, y in ring.coords]
                    parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
        return "".join(parts)


def _disk_geometry(lat: float, lon: float, radius_km: float) -> BaseGeometry:
    angle = float(km_to_angle(radius_km))
    if angle >= np.pi - 1e-6:
        return shapely.box(-180, -90, 180, 90)
    ring = circle_points(unit_vectors(lat, lon), max(angle, 1e-5), 240)
    rlat, rlon = lat_lon(ring)
    return lon_lat_polygon(np.append(rlat, rlat[0]), np.append(rlon, rlon[0]))


def render_map(verdict: Verdict) -> str:
    """The page for one chip."""
    disks = [(d, _disk_geometry(d.lat, d.lon, d.radius_km)) for d in verdict.disks]
    region = verdict.region.polygon if verdict.region is not None else None
    focus: list[BaseGeometry] = [shapely.points(d.lon, d.lat) for d in verdict.disks]
    if verdict.claimed_lat is not None and verdict.claimed_lon is not None:
        focus.append(shapely.points(verdict.claimed_lon, verdict.claimed_lat))
    if region is not None:
        focus.append(region)
    if not focus:
        focus.append(shapely.box(-180, -60, 180, 80))
    view = _View(*shapely.union_all(focus).bounds)
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {view.height}" width="100%">']
    svg.append(f'<rect width="{WIDTH}" height="{view.height}" fill="#dbe9f6"/>')
    bounds = (view.lon0, view.lat0, view.lon1, view.lat1)
    for code, geometry in country_atlas().within(bounds):
        simple = geometry.simplify(0.5 / view.scale)
        svg.append(f'<path d="{view.path(simple)}" fill="#f6f4ee" stroke="#999" stroke-width="0.6"><title>{code}</title></path>')
    for _, geometry in disks:
        svg.append(f'<path d="{view.path(geometry)}" fill="#0969da" fill-opacity="0.06" stroke="#0969da" stroke-width="1"/>')
    if region is not None:
        svg.append(f'<path d="{view.path(region)}" fill="#fb8500" fill-opacity="0.45" stroke="#c25e00" stroke-width="1.5"><title>feasible region</title></path>')
    for d, _ in disks:
        x, y = view.xy(d.lon, d.lat)
        label = html.escape(f"{d.landmark_id} {d.rtt_ms:g} ms <= {d.radius_km:,.0f} km")
        svg.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#0969da"><title>{label}</title></circle>')
        svg.append(f'<text x="{x + 6:.1f}" y="{y - 6:.1f}" font-size="11" fill="#0a3069">{html.escape(d.landmark_id)}</text>')
    if verdict.claimed_lat is not None and verdict.claimed_lon is not None:
        x, y = view.xy(verdict.claimed_lon, verdict.claimed_lat)
        colour = COLOURS.get(verdict.status, "#000")
        svg.append(f'<path d="M{x:.1f},{y - 9:.1f}L{x + 8:.1f},{y + 6:.1f}L{x - 8:.1f},{y + 6:.1f}Z" fill="{colour}" stroke="#000"><title>claimed site</title></path>')
    svg.append("</svg>")
    record = verdict.to_record()
    facts = "".join(f"<li>{html.escape(r)}</li>" for r in verdict.reasons)
    title = html.escape(f"Chip {verdict.chip_id}: {verdict.status}")
    distance = record["max_distance_km_from_claim"]
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{title}</title>"
        "<style>body{font-family:system-ui,sans-serif;margin:1.5em;max-width:1000px}"
        ".s{font-weight:bold;color:" + COLOURS.get(verdict.status, "#000") + "}</style></head><body>"
        f"<h1>{title}</h1>"
        f"<p>Claimed country <b>{html.escape(verdict.claimed_country)}</b>"
        + (f", site {verdict.claimed_lat:.4f}, {verdict.claimed_lon:.4f}" if verdict.claimed_lat is not None else "")
        + f". Verdict: <span class='s'>{html.escape(verdict.status)}</span>. "
        f"Feasible countries: {html.escape(', '.join(verdict.feasible_countries) or 'none')}. "
        f"Farthest feasible point from the claim: {'n/a' if distance is None else f'{distance:,.0f} km'}.</p>"
        + "".join(svg)
        + "<p>Blue: landmarks and the distance bound from each round-trip time; orange: where the chip can be "
        "(inside every bound); triangle: the claimed site.</p>"
        f"<ul>{facts}</ul></body></html>"
    )
