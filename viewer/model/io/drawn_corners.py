"""A line's or area's own corners, as SitMap's exports write them beside its drawn (densified)
shape (KML: ``sitmap_vertices``; GeoJSON and GeoPackage: ``vertices``), found again on that shape:
opened again, the line is the analyst's, not one with a corner at each drawn point."""

from __future__ import annotations

from typing import Any, Mapping

from viewer.model.io.common import finite_number, json_text


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

    def plain(c: Any) -> bool:  # (numbers, not numbers written as text)
        return isinstance(c, list) and len(c) == 2 and all(
            isinstance(x, (int, float)) and not isinstance(x, bool) and finite_number(x) is not None for x in c)

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
    """Whether every vertex is (within 1e-7 degrees) a point of the lines ``parts`` draw. (The drawn
    points are kept by their position to a millionth of a degree: each vertex looks in its own cell
    and the cells beside it, however many points share a meridian.)"""
    cells: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for p in parts:
        if p["type"] != "LineString":
            continue
        for c in p["coordinates"]:
            cells.setdefault((round(c[0] * 1e6), round(c[1] * 1e6)), []).append((c[0], c[1]))
    if not cells:
        return False
    for lon, lat in vertices:
        candidates = [lon] + ([-lon] if abs(abs(lon) - 180.0) < 1e-7 else [])
        if not any(_near(cells, lo, lat) for lo in candidates):
            return False
    return True


def _near(cells: dict, lon: float, lat: float) -> bool:
    x, y = round(lon * 1e6), round(lat * 1e6)
    return any(abs(a - lon) <= 1e-7 and abs(b - lat) <= 1e-7
               for dx in (-1, 0, 1) for dy in (-1, 0, 1) for a, b in cells.get((x + dx, y + dy), ()))
