"""A line's or area's own corners, as SitMap's exports write them beside its drawn (densified)
shape (KML: ``sitmap_vertices``; GeoJSON and GeoPackage: ``vertices``), found again on that shape:
opened again, the line is the analyst's, not one with a corner at each drawn point."""

from __future__ import annotations

import json
from bisect import bisect_left
from typing import Any, Mapping

from viewer.model.io.common import finite_number


def json_text(value: Any) -> Any:
    """A JSON list or object written as text (a GeoPackage's column), decoded; else None."""
    if not isinstance(value, str) or not value.startswith(("[", "{")):
        return None
    try:
        return json.loads(value)
    except (ValueError, RecursionError):
        return None


def own_corners(props: Mapping[str, Any], parts: list[dict]) -> dict | None:
    """A line's or area's own geometry from the corners SitMap's export writes beside its drawn
    shape (``vertices``: a line's positions, an area's rings), where every corner is on that shape
    (not edited in another tool since); None for anything else, which opens as drawn."""
    kind = props.get("kind")
    corners = props.get("vertices")
    if isinstance(corners, str):  # (a GeoPackage's column: the list as JSON text)
        corners = json_text(corners)
    if kind not in ("path", "area") or not isinstance(corners, list) or not corners:
        return None
    positions = corners if kind == "path" else [c for ring in corners if isinstance(ring, list) for c in ring]

    def plain(c: Any) -> bool:
        return isinstance(c, list) and len(c) == 2 and all(finite_number(x) is not None and not isinstance(x, bool)
                                                            for x in c)

    if kind == "area" and not all(isinstance(ring, list) and len(ring) >= 4 for ring in corners):
        return None
    if len(positions) < 2 or not all(plain(c) for c in positions):
        return None
    drawn = parts if kind == "path" else outlines(parts)
    if not vertices_on_line(positions, drawn):
        return None
    return {"type": "LineString" if kind == "path" else "Polygon", "coordinates": corners}


def outlines(parts: list[dict]) -> list[dict]:
    """Polygon rings as lines, to find an area's own corners on its drawn (densified) outline."""
    return [{"type": "LineString", "coordinates": ring} for p in parts if p["type"] == "Polygon"
            for ring in p["coordinates"]]


def vertices_on_line(vertices: list[list[float]], parts: list[dict]) -> bool:
    """Whether every vertex is (within 1e-7 degrees) a point of the lines ``parts`` draw."""
    pts = sorted((c[0], c[1]) for p in parts if p["type"] == "LineString" for c in p["coordinates"])
    if not pts:
        return False
    lons = [p[0] for p in pts]
    for lon, lat in vertices:
        candidates = [lon] + ([-lon] if abs(abs(lon) - 180.0) < 1e-7 else [])
        ok = False
        for lo in candidates:
            i = bisect_left(lons, lo - 1e-7)
            while i < len(pts) and pts[i][0] <= lo + 1e-7:
                if abs(pts[i][1] - lat) <= 1e-7:
                    ok = True
                    break
                i += 1
            if ok:
                break
        if not ok:
            return False
    return True
