"""A line's or area's own corners, as SitMap's exports write them beside its drawn (densified)
shape (KML: ``sitmap_vertices``; GeoJSON and GeoPackage: ``vertices``), found again on that shape:
opened again, the line is the analyst's, not one with a corner at each drawn point."""

from __future__ import annotations

import math
from typing import Any, Mapping

from viewer.model.io.common import finite_number, json_text


def corners_of(props: Mapping[str, Any]) -> tuple[str, list] | None:
    """The kind (path or area) and the corners SitMap's export wrote beside a line's or area's
    drawn shape (``vertices``: a line's positions, an area's rings), where they can be a shape's
    (numbers, not numbers written as text; rings of four positions or more); else None."""
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
    return kind, corners


def own_corners(props: Mapping[str, Any], parts: list[dict], redrawn: dict | None = None) -> dict | None:
    """A line's or area's own geometry from the corners SitMap's export writes beside its drawn
    shape (:func:`corners_of`), where every corner is on that shape (not edited in another tool
    since); None for anything else, which opens as drawn. ``redrawn``: the kind and corners of
    ``props`` and SitMap's own drawing of them, worked out beforehand (:func:`redrawn_features`):
    a file that holds just that drawing is SitMap's, with nothing more to ask."""
    found = corners_of(props) if redrawn is None else redrawn[:2]
    if found is None:
        return None
    kind, corners = found
    try:
        drawn = (redrawn is not None and same_parts(redrawn[2], parts)) or drawn_by(kind, corners, parts)
    except (TypeError, IndexError, KeyError, ValueError, ArithmeticError):
        return None  # (positions that are not positions: the file's shape, checked as any other's)
    if not drawn:
        return None  # (its drawing edited since: a point added or moved)
    return {"type": "LineString" if kind == "path" else "Polygon", "coordinates": corners}


def redrawn_shapes(found: list[tuple[int, str, list]]) -> dict[int, tuple[str, list, Any]]:
    """SitMap's drawing of many lines' and areas' corners (``found``: each one's number, kind and
    corners, :func:`corners_of`), worked out together as a large map's are drawn (their geodesic
    edges in bulk, in C), by number: the kind, the corners and the drawn shape
    (:class:`viewer.model.geometry.Shape`, whose ``geojson`` is what SitMap's files hold for it).
    A large exchange file of SitMap's lines and areas is compared with these, not each drawn point
    tested on its own (100,000 lines and areas: 3.5 s). Nothing is worked out for a few (they are
    drawn one by one, the screen's way for a small map), nor for one that cannot be drawn."""
    from viewer.model.geometry import many_geodesics, prepare_many, shape_of
    from viewer.model.scenario import Feature

    made = [(n, Feature("redrawn", kind, {"type": "LineString" if kind == "path" else "Polygon",
                                         "coordinates": corners}, {"kind": kind}))
            for n, kind, corners in found]
    features = [f for _, f in made]
    if not many_geodesics(features):
        return {}
    out = {}
    prepare_many(features)
    for n, f in made:
        try:
            out[n] = (f.kind, f.geometry["coordinates"], shape_of(f))
        except (ValueError, ArithmeticError, TypeError, IndexError, KeyError):
            continue
    return out


def redrawn_features(items: list) -> dict[int, tuple[str, list, Any]]:
    """:func:`redrawn_shapes` of the lines and areas among a GeoJSON's features (``items``: each
    one's label and feature object) that carry SitMap's corners (``vertices``; not a SitMap KML's
    columns, read otherwise), by their number."""
    found = []
    for n, (_, f) in enumerate(items):
        props = f.get("properties") if isinstance(f, dict) else None
        if isinstance(props, dict) and "vertices" in props and props.get("kind") in ("path", "area") \
                and "sitmap_kind" not in props:
            corners = corners_of(props)
            if corners is not None:
                found.append((n, *corners))
    return redrawn_shapes(found) if found else {}


def same_parts(shape: Any, parts: list[dict]) -> bool:
    """Whether a file's ``parts`` (its LineString or Polygon pieces) are the drawn ``shape``'s
    GeoJSON (a Multi one's parts one by one), each position within :data:`SAME_POSITION_DEG`."""
    try:
        g = shape.make_geojson()  # (not kept: a large map's files are written from it only when asked)
    except (ValueError, ArithmeticError, TypeError, IndexError, KeyError):
        return False
    single = g["type"] in ("LineString", "Polygon")
    pieces = [g["coordinates"]] if single else g["coordinates"]
    kind = g["type"].removeprefix("Multi")
    if len(pieces) != len(parts) or any(p.get("type") != kind for p in parts):
        return False
    depth = 0 if kind == "LineString" else 1
    return all(_same_positions(a, p["coordinates"], depth) for a, p in zip(pieces, parts))


def drawn_by(kind: str, corners: list, parts: list[dict]) -> bool:
    """Whether ``parts`` (a file's LineString or Polygon pieces) are SitMap's drawing of a line's or
    an area's ``corners`` (a line's positions, an area's rings), not edited in another tool since:
    each corner on the drawn shape and each drawn point on the geodesic between two of them, or
    else the very shape SitMap draws from them (an area whose geodesic edges cross is made a valid
    area for other tools as it is written, which can leave out a hole or cut a sliver's corner).
    A corner given twice in a row (an edge of no length, which draws nothing) is looked for once."""
    if _drawn_by(kind, corners, parts):
        return True
    fewer = _without_repeats(kind, corners)
    return fewer is not None and _drawn_by(kind, fewer, parts)


def _without_repeats(kind: str, corners: list) -> list | None:
    """The corners without one given twice in a row, where there was one (None: none, or too few
    left for a shape)."""
    def once(line: list) -> list:
        return [c for k, c in enumerate(line) if k == 0 or c != line[k - 1]]

    if kind == "path":
        out = once(corners)
        return out if len(out) != len(corners) and len(out) >= 2 else None
    rings = [once(ring) for ring in corners]
    if sum(map(len, rings)) == sum(map(len, corners)) or any(len(r) < 4 for r in rings):
        return None
    return rings


def _drawn_by(kind: str, corners: list, parts: list[dict]) -> bool:
    drawn = parts if kind == "path" else outlines(parts)
    positions = corners if kind == "path" else [c for ring in corners for c in ring]
    if vertices_on_line(positions, drawn) and drawn_from(
            [corners] if kind == "path" else corners, [d["coordinates"] for d in drawn], kind == "area"):
        return True
    return kind == "area" and _area_redrawn_same(corners, parts)


SAME_POSITION_DEG = 1e-7  # two written positions this close are one (files keep 7 to 9 decimals)


def _area_redrawn_same(rings: list, parts: list[dict]) -> bool:
    """Whether ``parts`` are, polygon by polygon and ring by ring, what SitMap draws and writes
    for an area of these ``rings``."""
    from viewer.model.geometry import drawn_area_geojson

    try:
        g = drawn_area_geojson(rings)
    except (ValueError, ArithmeticError, TypeError, IndexError):
        return False
    pieces = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
    if len(pieces) != len(parts) or any(p["type"] != "Polygon" for p in parts):
        return False
    return all(_same_positions(a, p["coordinates"], 1) for a, p in zip(pieces, parts))


def _same_positions(a: list, b: list, depth: int) -> bool:
    if len(a) != len(b):
        return False
    if depth:
        return all(_same_positions(x, y, depth - 1) for x, y in zip(a, b))
    return all(len(q) >= 2 and abs(p[0] - q[0]) <= SAME_POSITION_DEG and abs(p[1] - q[1]) <= SAME_POSITION_DEG
               for p, q in zip(a, b))


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


DRAWN_TOLERANCE_M = 0.1  # how far a drawn point may be from the geodesic between its two corners
_CUT = 1e-9  # a longitude this close to +-180: a point where the shape is cut at the antimeridian


def drawn_from(corners: list[list[list[float]]], drawn: list[list[list[float]]], closed: bool) -> bool:
    """Whether the ``drawn`` lines (each [lon, lat] points) are what the ``corners`` draw, not
    edited since in another tool: every drawn point a corner, or on the geodesic between two
    corners next to each other (within :data:`DRAWN_TOLERANCE_M`); a line's corners (``corners``:
    one line) met one after the other from the first to the last, an area's rings (``closed``:
    ``corners`` its rings) in either direction from any corner. A point on the antimeridian, where
    the shape is cut (and the cut's edge along it), is passed over. A point added or moved in
    Google Earth or QGIS is off those geodesics: then the file's shape is the user's."""
    rings = [ring[:-1] if closed and len(ring) > 1 and ring[0] == ring[-1] else ring for ring in corners]
    index: dict[tuple[int, int], list[tuple[int, int]]] = {}  # cell: (ring, corner) there
    for r, ring in enumerate(rings):
        for k, (lon, lat) in enumerate(ring):
            index.setdefault(_cell(lon, lat), []).append((r, k))
    edge = _Edges(rings, closed, sum(map(len, drawn)))
    if not closed:  # (a line: its corners in order along all its drawn parts)
        points = [p for line in drawn for p in line]
        hits = [_corner_at(index, p, rings) for p in points]
        return _line_follows(points, hits, rings[0], edge)
    for line in drawn:
        points = line[:-1] if len(line) > 1 and line[0] == line[-1] else line
        hits = [_corner_at(index, p, rings) for p in points]
        if not _ring_follows(points, hits, edge):
            return False
    return True


def _cell(lon: float, lat: float) -> tuple[int, int]:
    lon = (lon + 180.0) % 360.0 - 180.0  # (+-180 as -180)
    return round(lon * 1e6), round(lat * 1e6)


def _corner_at(index: dict, p: list[float], rings: list) -> list[tuple[int, int]]:
    """The corners (ring, index) within 1e-7 degrees of ``p``."""
    x, y = _cell(p[0], p[1])
    lon = (p[0] + 180.0) % 360.0 - 180.0
    out = []
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            for r, k in index.get((x + dx, y + dy), ()):
                c = rings[r][k]
                d = abs((c[0] - lon + 180.0) % 360.0 - 180.0)
                if d <= 1e-7 and abs(c[1] - p[1]) <= 1e-7:
                    out.append((r, k))
    return out


def _on_cut(p: list[float]) -> bool:
    return abs(abs(p[0]) - 180.0) <= _CUT


def _line_follows(points: list, hits: list, corners: list, edge: "_Edges") -> bool:
    at = -1  # the corner last met
    for p, found in zip(points, hits):
        ks = [k for _, k in found]
        if ks:
            k = at + 1 if at + 1 in ks else at if at in ks else min(ks)
            if k not in (at, at + 1) or (at < 0 and k != 0):
                return False
            at = k
        elif _on_cut(p):
            continue
        elif at < 0 or at + 1 >= len(corners) or not edge.holds((0, at), (0, at + 1), p):
            return False
    return at == len(corners) - 1


def _ring_follows(points: list, hits: list, edge: "_Edges") -> bool:
    """A drawn ring (closed, its last point not repeated): each run of points between two corners
    met (with no cut between) on the edge between them, those corners next to each other; a run
    the cut bounds on one side, on an edge of its one corner; on both, on some edge."""
    n = len(points)
    if not n:
        return False
    met = [i for i in range(n) if hits[i]]
    if not met:
        return all(_on_cut(p) or edge.any_holds(p) for p in points)
    start = met[0]
    order = [(start + i) % n for i in range(n)] + [start]  # (round the ring from a corner met, back to it)
    before: list[tuple[int, int]] | None = hits[start]
    run: list[list[float]] = []
    for i in order[1:]:
        p = points[i]
        if hits[i]:
            after = hits[i]
            if run and not _run_on(run, before, after, edge):
                return False
            before, run = after, []
        elif _on_cut(p):
            if run and not _run_on(run, before, None, edge):
                return False
            before, run = None, []
        else:
            run.append(p)
    return not run or _run_on(run, before, None, edge)


def _run_on(run: list, before, after, edge: "_Edges") -> bool:
    ends = list(before or []) + list(after or [])
    if before and after:
        pairs = [(a, b) for a in before for b in after if edge.next_to(a, b)]
    else:
        pairs = [pair for c in ends for pair in edge.of(c)]
    if not ends:
        return all(edge.any_holds(p) for p in run)
    return any(all(edge.holds(a, b, p) for p in run) for a, b in pairs)


# Drawn points looked at in Python before GeographicLib's C library is loaded for the rest (its
# import pays for itself after a few thousand: a large map's lines, one after the other)
PYTHON_POINTS = 5_000
_looked_at = [0]


def _inverse(points: int):
    from viewer.model.geodesic_solver import compiled, solver

    _looked_at[0] += points
    if _looked_at[0] <= PYTHON_POINTS:
        return solver().inverse
    with compiled():  # (the C solver, or Python's where pyproj cannot be loaded)
        return solver().inverse


class _Edges:
    """The corners' edges, each a geodesic, with the inverse problem of each solved once."""

    def __init__(self, rings: list, closed: bool, points: int):
        self.rings, self.closed = rings, closed
        self.inverse = _inverse(points)
        self.solved: dict = {}

    def next_to(self, a: tuple[int, int], b: tuple[int, int]) -> bool:
        if a[0] != b[0]:
            return False
        n = len(self.rings[a[0]])
        return abs(a[1] - b[1]) == 1 or (self.closed and n > 2 and abs(a[1] - b[1]) == n - 1)

    def of(self, c: tuple[int, int]) -> list:
        n = len(self.rings[c[0]])
        ks = {c[1] - 1, c[1] + 1} if not self.closed else {(c[1] - 1) % n, (c[1] + 1) % n}
        return [(c, (c[0], k)) for k in ks if 0 <= k < n and k != c[1]]

    def any_holds(self, p: list[float]) -> bool:
        for r, ring in enumerate(self.rings):
            for k in range(len(ring) - (0 if self.closed else 1)):
                if self.holds((r, k), (r, (k + 1) % len(ring)), p):
                    return True
        return False

    def holds(self, a: tuple[int, int], b: tuple[int, int], p: list[float]) -> bool:
        """Whether ``p`` is on the geodesic between corners ``a`` and ``b``."""
        pa, pb = self.rings[a[0]][a[1]], self.rings[b[0]][b[1]]
        if abs(pa[1]) > 89.99 and abs(pb[1]) <= 89.99:  # (no azimuth from a pole: from the other end)
            pa, pb = pb, pa
        key = (pa[0], pa[1], pb[0], pb[1])
        solved = self.solved.get(key)
        if solved is None:
            solved = self.solved[key] = self.inverse(pa[1], pa[0], pb[1], pb[0])[:2]
        s_ab, azi_ab = solved
        s_ap, azi_ap = self.inverse(pa[1], pa[0], p[1], p[0])[:2]
        if s_ap <= DRAWN_TOLERANCE_M:
            return True
        turn = math.radians((azi_ap - azi_ab + 180.0) % 360.0 - 180.0)
        return (abs(s_ap * math.sin(turn)) <= DRAWN_TOLERANCE_M and math.cos(turn) > 0
                and s_ap * math.cos(turn) <= s_ab + DRAWN_TOLERANCE_M)
