"""Web Mercator (EPSG:3857), as Leaflet draws it: the one place its formulas live.

World pixel coordinates at zoom ``z`` run from 0 to ``256 * 2**z`` west to east and north to
south; latitudes beyond :data:`MAX_LAT` are clamped, as Leaflet does."""

from __future__ import annotations

import math

MAX_LAT = 85.0511287798066  # atan(sinh(pi)): the square world's edge
TILE = 256


def clamp_lat(lat: float) -> float:
    return max(-MAX_LAT, min(MAX_LAT, lat))


def y_of(lat: float) -> float:
    """Mercator ordinate in radians (unbounded toward the poles; the poles themselves are nudged)."""
    phi = math.radians(max(-89.999999999, min(89.999999999, lat)))
    return math.asinh(math.tan(phi))


def lat_of(y: float) -> float:
    return math.degrees(math.atan(math.sinh(y)))


def world_xy(lat: float, lng: float, zoom: float) -> tuple[float, float]:
    """Leaflet's world pixel coordinates of (lat, lng) at ``zoom``."""
    scale = TILE * 2 ** zoom
    s = math.sin(math.radians(clamp_lat(lat)))
    return (lng + 180.0) / 360.0 * scale, (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale


def latlng_of(x: float, y: float, zoom: float) -> tuple[float, float]:
    scale = TILE * 2 ** zoom
    return lat_of(math.pi - 2 * math.pi * y / scale), x / scale * 360.0 - 180.0


def tile_of(lng: float, lat: float, z: int) -> tuple[int, int]:
    """XYZ tile (x, y) holding a point at zoom ``z``."""
    n = 1 << z
    fx, fy = world_xy(lat, lng, 0)
    fx, fy = fx / TILE, fy / TILE
    return min(n - 1, max(0, int(fx * n))), min(n - 1, max(0, int(fy * n)))
