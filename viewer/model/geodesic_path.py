"""Geodesic paths on WGS84: the shortest line through given points, sampled densely enough
that Leaflet's straight Mercator segments stay within a tolerance of it, unwrapped for the
screen and split at the antimeridian for GeoJSON. Pure Python (shapely only for exports)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Sequence

from geographiclib.geomath import Math

from viewer.model import numeric
from viewer.model.geodesic_solver import solver
from viewer.model.geodesy_sampling import (
    _GEOD,
    _LINE_CAPS,
    _POS_MASK,
    _SAFETY,
    _check_lat,
    _deep_copy,
    _finite,
    _norm_lon,
    _refine,
    _Vertex,
    _vertex,
)
from viewer.model.meridian_crossing import crossing_lat


# --------------------------------------------------------------------------
# Paths
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class PathGeometry:
    """A polyline of geodesic segments.

    ``display`` is the densified geodesic as (lat, lon) with continuous,
    unwrapped longitudes (the first vertex's longitude is reduced to
    [-180, 180]); ``length_m`` is the total geodesic length.
    """

    points: tuple[tuple[float, float], ...]
    display: list[tuple[float, float]]
    length_m: float
    # index in ``display`` of every input point
    vertex_index: tuple[int, ...] = field(default=(), repr=False, compare=False)
    # (rows, first) where the bulk solver drew it: ``display`` is ``rows[first:first + len(display)]``,
    # ``rows`` a numpy array of (lat, lon) rows it shares with the other paths drawn with it
    rows_at: tuple | None = field(default=None, repr=False, compare=False)

    @cached_property
    def _geojson(self) -> dict:
        parts = _split_polyline([(lat, lam) for lat, lam in self.display])
        if len(parts) == 1:
            return {"type": "LineString", "coordinates": parts[0]}
        return {"type": "MultiLineString", "coordinates": parts}

    def to_geojson(self) -> dict:
        """RFC 7946 LineString, or MultiLineString when split at the antimeridian."""
        g = self._geojson
        return {"type": g["type"], "coordinates": _deep_copy(g["coordinates"])}

    def to_shapely(self):
        numeric.load()
        from shapely.geometry import shape

        return shape(self._geojson)


def made_path(points: tuple, display: list, length_m: float, vertex_index: tuple, rows_at: tuple | None,
              _new=object.__new__) -> PathGeometry:
    """``PathGeometry(points, display, length_m, vertex_index, rows_at)``, made without the frozen
    dataclass's ``__init__`` (a large map's bulk solver makes 100,000 of them; each field set one
    by one through ``object.__setattr__`` took half of each one's making): its fields put in its
    own dict, in order (a dict of its own given whole holds no keys in common with the others', and
    took twice the memory). Every field is given."""
    g = _new(PathGeometry)
    d = g.__dict__
    d["points"] = points
    d["display"] = display
    d["length_m"] = length_m
    d["vertex_index"] = vertex_index
    d["rows_at"] = rows_at
    return g


def _split_polyline(pts: list[tuple[float, float]]) -> list[list[list[float]]]:
    """Cut an unwrapped (lat, lam) polyline at lon = 180 + k*360 and bring
    every part into [-180, 180]; coordinates as [lon, lat]."""
    if -180.0 <= min(lam for _, lam in pts) and max(lam for _, lam in pts) <= 180.0:
        return [_in_range(pts)]  # nothing to cut (most paths: saving 50,000 of them)
    return _split_across(pts)


def _in_range(pts: list[tuple[float, float]]) -> list[list[float]]:
    """:func:`_split_across`'s one part of a polyline within [-180, 180]: [lon, lat] each, a
    point equal to the one before it left out, a lone point given twice."""
    part: list[list[float]] = []
    last = None
    for lat, lam in pts:
        pt = [lam, lat]
        if pt != last:
            part.append(pt)
            last = pt
    if len(part) == 1:
        part.append(list(part[0]))
    return part


def _split_across(pts: list[tuple[float, float]]) -> list[list[list[float]]]:

    def world(lam: float) -> int:
        k = math.floor((lam + 180.0) / 360.0)
        while lam > 360.0 * k + 180.0:
            k += 1
        while lam < 360.0 * k - 180.0 or (k > 0 and lam == 360.0 * k - 180.0):
            k -= 1
        return k

    def add(part, lon_, lat_):
        pt = [max(-180.0, min(180.0, lon_)), lat_]
        if not part or part[-1] != pt:
            part.append(pt)

    parts: list[list[list[float]]] = []
    lat0, lam0 = pts[0]
    k = world(lam0)
    cur: list[list[float]] = []
    add(cur, lam0 - 360.0 * k, lat0)
    prev = pts[0]
    for lat, lam in pts[1:]:
        plat, plam = prev
        while True:
            lo_b = 360.0 * k - 180.0
            hi_b = 360.0 * k + 180.0
            if lam > hi_b:
                b, nk, enter = hi_b, k + 1, -180.0
            elif lam < lo_b:
                b, nk, enter = lo_b, k - 1, 180.0
            else:
                break
            blat = crossing_lat(plat, plam, lat, lam, b)  # (on the geodesic between them)
            add(cur, -enter, blat)
            if len(cur) >= 2:
                parts.append(cur)
            cur = []
            add(cur, enter, blat)
            k = nk
            plat, plam = blat, b
        add(cur, lam - 360.0 * k, lat)
        prev = (lat, lam)
    if len(cur) >= 2 or not parts:
        if len(cur) == 1:
            cur.append(list(cur[0]))
        parts.append(cur)
    return parts


# Beyond this longitude difference an edge's points come from its own geodesic line, which
# unrolls longitudes itself (ends nearly antipodal: the geodesic can go either way round).
_DIRECT_MAX_LON12 = 150.0


def _checked_points(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    pts = []
    try:  # the common case at once; any problem is named by the point-by-point check below
        for la, lo in points:
            la, lo = float(la), float(lo)
            if not (-90.0 <= la <= 90.0 and math.isfinite(lo)):  # (NaN fails the comparison)
                raise ValueError
            pts.append((la, lo))
    except (TypeError, ValueError):
        return _named_points(points)
    if len(pts) < 2:
        raise ValueError("a path needs at least two points")
    return pts


def _named_points(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    pts = []
    for i, p in enumerate(points):
        try:
            la, lo = p
        except (TypeError, ValueError):
            raise ValueError(f"point {i} must be a (lat, lon) pair, got {p!r}") from None
        pts.append((_check_lat(f"points[{i}] lat", la), _finite(f"points[{i}] lon", lo)))
    if len(pts) < 2:
        raise ValueError("a path needs at least two points")
    return pts


def _unrolled(lam: float, lo2: float) -> tuple[float, float]:
    """(the end's longitude unrolled as GeographicLib unrolls it, the longitude difference):
    lam plus the difference reduced to [-180, 180] (which is lo2 itself when the two are less
    than 180 apart)."""
    lon12 = lo2 - lam
    if not -180.0 < lon12 < 180.0:
        lon12, err = Math.AngDiff(lam, lo2)
        lon12 += err
    return lo2 + 360.0 * round((lam + lon12 - lo2) / 360.0), lon12


def _edge(la1: float, lam: float, la2: float, lo2: float, end_lam: float, lon12: float, s13: float,
          azi1: float, azi2: float, tol: float, direct) -> list[tuple[float, float]]:
    """The display points after an edge's start: its end, and before it whatever points keep the
    drawn straight segments within ``tol`` of the geodesic."""
    lines: list = []
    if direct is not None and abs(lon12) < _DIRECT_MAX_LON12:
        def point(s: float, a=(la1, lam, azi1)) -> _Vertex:
            # Longitude moves one way along a geodesic, by less than lon12: the point's
            # longitude unrolls to the one within 180 degrees of the start's.
            lat, lon, azi = direct(a[0], a[1], a[2], s)
            return _vertex(s, lat, a[1] + Math.AngDiff(a[1], lon)[0], azi)
    else:
        def point(s: float, a=(la1, lam, la2, lo2), lines=lines) -> _Vertex:
            if not lines:
                lines.append(_GEOD.InverseLine(*a, _LINE_CAPS))
            p = lines[0].Position(s, _POS_MASK)
            return _vertex(s, p["lat2"], p["lon2"], p["azi2"])

    start = _vertex(0.0, la1, lam, azi1)
    end = _vertex(s13, la2, end_lam, azi2)
    chain = _refine(start, end, max(1, math.ceil(s13 / 1_000_000.0)), point, _SAFETY * tol,
                    max(1e-6, s13 * 1e-12))
    return [(v[1], v[2]) for v in chain[1:]]


def _edges(pts: list[tuple[float, float]]) -> list[tuple[float, float, float, float, float, float]]:
    """Each edge of a checked path as (lat1, lam1, lat2, lon2, lam2, lon12): lam1 and lam2 its
    ends' longitudes unrolled from the first point's, lon2 the end's as given."""
    out = []
    lam = _norm_lon(pts[0][1])
    for (la1, _), (la2, lo2) in zip(pts, pts[1:]):
        end_lam, lon12 = _unrolled(lam, lo2)
        out.append((la1, lam, la2, lo2, end_lam, lon12))
        lam = end_lam
    return out


def _assemble(pts, edges, solved, straight, tolerance_m: float | None, direct) -> PathGeometry:
    """The path from its edges and their inverse problems ((s13, azi1, azi2) each); ``straight``:
    for each edge, True where it is known to need no point between its ends, the (lat, lam) of
    the one point it is known to need, else False (None: nothing is known)."""
    display = [(pts[0][0], edges[0][1])]
    index = [0]
    total = 0.0
    for j, ((la1, lam, la2, lo2, end_lam, lon12), (s13, azi1, azi2)) in enumerate(zip(edges, solved)):
        if s13 > 0.0:
            total += s13
            if straight is not None and straight[j]:
                if straight[j] is not True:
                    display.append(straight[j])  # its one point between, worked out with the others
                display.append((la2, end_lam))
            else:
                tol = tolerance_m if tolerance_m is not None else max(1.0, 0.0005 * s13)
                display.extend(_edge(la1, lam, la2, lo2, end_lam, lon12, s13, azi1, azi2, tol, direct))
        else:
            display.append((la2, end_lam))
        index.append(len(display) - 1)
    return PathGeometry(tuple(pts), display, total, tuple(index))


def geodesic_path(points: Sequence[tuple[float, float]], tolerance_m: float | None = None) -> PathGeometry:
    """Geodesic polyline through ``points`` ((lat, lon) pairs, at least two).

    Every segment is densified so that the straight Web Mercator segments
    Leaflet draws stay within ``tolerance_m`` of the true geodesic; by default
    ``max(1 m, 0.0005 * segment length)``.
    """
    pts = _checked_points(points)
    if tolerance_m is not None:
        tolerance_m = _finite("tolerance_m", tolerance_m)
        if tolerance_m <= 0.0:
            raise ValueError(f"tolerance_m must be > 0, got {tolerance_m!r}")
    inverse, direct = solver()
    edges = _edges(pts)
    # The inverse problem alone: a short edge (most edges of a large map) needs no point between
    # its ends, and then no geodesic line object either (a third of the cost).
    solved = [inverse(la1, lam, la2, lo2) for la1, lam, la2, lo2, _, _ in edges]
    return _assemble(pts, edges, solved, None, tolerance_m, direct)
