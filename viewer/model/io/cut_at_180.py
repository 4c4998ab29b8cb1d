"""Shapes another tool (or SitMap's own GeoJSON export) cut at the antimeridian, as RFC 7946 asks,
put back together when a file is read: the parts of a MultiPolygon that meet along 180 degrees are
one area again, the parts of a MultiLineString that end and go on there one line. SitMap draws
each edge as the geodesic between its ends, so the joined shape crosses 180 where the cut was (the
cut's vertices stay on it as points of its edges). Parts that do not meet there, or that would not
make one simple shape, are left as they were."""

from __future__ import annotations

from typing import Any

from viewer.model.coords import normalise_lon

_EDGE = 1e-9  # (a longitude this close to +-180 is on the cut)


def _lon_lat(c: Any) -> tuple[float, float] | None:
    if isinstance(c, (list, tuple)) and len(c) >= 2 and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                                             for v in c[:2]):
        try:
            return float(c[0]), float(c[1])
        except OverflowError:  # (an integer too large for a float: no position, left for the checks)
            return None
    return None


def _ring_lons(part: dict) -> list[float] | None:
    coords = part.get("coordinates")
    if not isinstance(coords, list) or not coords or not isinstance(coords[0], list):
        return None
    out = []
    for ring in coords:
        if not isinstance(ring, list):
            return None
        for c in ring:
            p = _lon_lat(c)
            if p is None:
                return None
            out.append(p[0])
    return out


def joined_at_180(parts: list[dict]) -> list[dict]:
    """``parts`` (GeoJSON geometries: a Multi* or a KML MultiGeometry split) with the areas and the
    lines cut at 180 joined (the rest as they were)."""
    polygons = [p for p in parts if p.get("type") == "Polygon"]
    lines = [p for p in parts if p.get("type") == "LineString"]
    joined_polygons = _join_polygons(polygons) if len(polygons) > 1 else polygons
    joined_lines = _join_lines(lines) if len(lines) > 1 else lines
    if len(joined_polygons) == len(polygons) and len(joined_lines) == len(lines):
        return parts
    return [p for p in parts if p.get("type") not in ("Polygon", "LineString")] + joined_polygons + joined_lines


def _side(lons: list[float]) -> int:
    """+1: a part on the east side of 180 that reaches it; -1: on the west side (from -180); 0: neither."""
    if max(lons) >= 180.0 - _EDGE and min(lons) >= 0.0:
        return 1
    if min(lons) <= -180.0 + _EDGE and max(lons) <= 0.0:
        return -1
    return 0


def _join_polygons(parts: list[dict]) -> list[dict]:
    sides = []
    for p in parts:
        lons = _ring_lons(p)
        sides.append(_side(lons) if lons else 0)
    if 1 not in sides or -1 not in sides:
        return parts
    from viewer.model import numeric

    numeric.load()
    from shapely.geometry import Polygon, mapping
    from shapely.ops import unary_union

    try:
        pieces = []
        for p, side in zip(parts, sides):
            if not side:
                continue
            shift = 360.0 if side < 0 else 0.0
            rings = [[(x + shift, y) for x, y in (_lon_lat(c) for c in ring)] for ring in p["coordinates"]]
            poly = Polygon(rings[0], rings[1:])
            if not poly.is_valid or poly.is_empty:
                return parts  # (a part the checks will speak of: left for them)
            pieces.append(poly)
        union = unary_union(pieces)
    except Exception:  # noqa: BLE001 (a geometry shapely cannot join: the parts stay as they are)
        return parts
    joined = list(union.geoms) if hasattr(union, "geoms") else [union]
    if len(joined) >= len(pieces) or any(g.geom_type != "Polygon" or g.is_empty for g in joined):
        return parts  # nothing met along 180
    out = [p for p, side in zip(parts, sides) if not side]
    for g in joined:
        west, _s, east, _n = g.bounds
        if east - west >= 360.0:
            return parts
        rings = mapping(g)["coordinates"]
        out.append({"type": "Polygon", "coordinates": [
            [[normalise_lon(x, keep_180=True), y] for x, y in ring] for ring in rings]})
    return out


def _join_lines(parts: list[dict]) -> list[dict]:
    """A line that ends on 180 and the next one that starts there at the same latitude (on the other
    side) are one line."""
    out: list[dict] = []
    joined = False  # whether out[-1] is a line made here (its list of positions is its own to extend)
    for p in parts:
        coords = p.get("coordinates")
        prev = out[-1]["coordinates"] if out else None
        if isinstance(prev, list) and prev and isinstance(coords, list) and len(coords) >= 2:
            a, b = _lon_lat(prev[-1]), _lon_lat(coords[0])
            if (a and b and abs(abs(a[0]) - 180.0) <= _EDGE and abs(abs(b[0]) - 180.0) <= _EDGE
                    and a[0] * b[0] < 0 and abs(a[1] - b[1]) <= 1e-7):
                # (extended in place: a line cut thousands of times was rebuilt at each cut)
                if not joined:
                    out[-1] = {"type": "LineString", "coordinates": list(prev)}
                    joined = True
                out[-1]["coordinates"].extend(coords[1:])
                continue
        out.append(p)
        joined = False
    return out
