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
    MERCATOR_MAX_LAT,
    _check_lat,
    _deep_copy,
    _finite,
    _norm_lon,
    _refine,
    _Vertex,
    _vertex,
)


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


def _split_polyline(pts: list[tuple[float, float]]) -> list[list[list[float]]]:
    """Cut an unwrapped (lat, lam) polyline at lon = 180 + k*360 and bring
    every part into [-180, 180]; coordinates as [lon, lat]."""

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
            t = (b - plam) / (lam - plam) if lam != plam else 0.0
            blat = plat + t * (lat - plat)
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


def geodesic_paths(paths: Sequence[Sequence[tuple[float, float]]]) -> list[PathGeometry]:
    """What :func:`geodesic_path` gives each of many paths (a large map's lines and area rings),
    worked out together: inside :func:`~viewer.model.geodesic_solver.compiled`, every edge's
    inverse problem is solved in one call to GeographicLib's C library and the edges are screened
    with numpy; an edge the screen finds well within its tolerance as one straight segment gets
    no point between its ends (as :func:`geodesic_path` would find exactly), every other edge is
    worked out as :func:`geodesic_path` does. Outside it, one path after another."""
    direct = solver().direct
    if direct is None or not paths:
        return [geodesic_path(p) for p in paths]
    numeric.load()
    import numpy as np

    from viewer.model.geodesic_solver import c_arrays

    checked = [_checked_points(p) for p in paths]
    edges = [_edges(pts) for pts in checked]
    cols = np.array([e for path in edges for e in path])  # lat1, lam1, lat2, lon2, lam2, lon12
    s13, azi1, azi2 = c_arrays(cols[:, 0], cols[:, 1], cols[:, 2], cols[:, 3])
    fine_arr = _straight_enough(cols[:, 0], cols[:, 1], azi1, cols[:, 2], cols[:, 4], azi2, s13)
    fine = fine_arr.tolist()
    for j, point in _one_point_between(cols, s13, azi1, azi2, fine_arr):
        fine[j] = point
    solved = list(zip(s13.tolist(), azi1.tolist(), azi2.tolist()))
    out = []
    j = 0
    for pts, path in zip(checked, edges):
        n = len(path)
        out.append(_assemble(pts, path, solved[j:j + n], fine[j:j + n], None, direct))
        j += n
    return out


# The screen's margin: an edge counts as straight enough when the estimate is below this share
# of its limit, far beyond any difference between numpy's arithmetic and the exact check's.
_SCREEN_MARGIN = 0.9


# Beyond any difference between numpy's arithmetic and the exact check's (about 1e-15 of it): a
# deviation this far from its limit is on the same side of it in both.
_SURE = 1e-6


def _one_point_between(cols, s13, azi1, azi2, fine):
    """The edges the screen left where :func:`_edge` certainly finds exactly one point between the
    ends, at the middle: the whole edge certainly fails the density rule, both halves certainly
    pass it. Yields (edge index, (lat, lam) of that point), the point as :func:`_edge` works it
    out (the same direct problem, solved by the same C library, its longitude unrolled the same
    way). Most edges of a large map's areas (tens of kilometres along a parallel) are these."""
    numeric.load()
    import numpy as np

    from viewer.model.geodesic_solver import c_direct_arrays

    lat1, lam1, lat2, lam2, lon12 = cols[:, 0], cols[:, 1], cols[:, 2], cols[:, 4], cols[:, 5]
    with np.errstate(all="ignore"):
        limit = _SAFETY * np.maximum(1.0, 0.0005 * s13)
        cand = (~fine & (s13 > 0.0) & (s13 <= 1_000_000.0) & (np.abs(lon12) < _DIRECT_MAX_LON12)
                & (np.abs(lat1) <= MERCATOR_MAX_LAT) & (np.abs(lat2) <= MERCATOR_MAX_LAT))
        idx = np.nonzero(cand)[0]
        if not len(idx):
            return
        la1, lm1, a1, la2, lm2, a2, lim = lat1[idx], lam1[idx], azi1[idx], lat2[idx], lam2[idx], azi2[idx], limit[idx]
        whole, whole_ok = _deviation(la1, lm1, a1, la2, lm2, a2)
        fails = whole_ok & (whole > lim * (1.0 + _SURE))
        idx, la1, lm1, a1, la2, lm2, a2, lim = (v[fails] for v in (idx, la1, lm1, a1, la2, lm2, a2, lim))
        if not len(idx):
            return
        latm, lonm, azim = c_direct_arrays(la1, lm1, a1, 0.5 * s13[idx])
        # (unrolled as _edge does, below; for the check, within 180 degrees of the start's)
        lamm = lm1 + (np.mod(lonm - lm1 + 180.0, 360.0) - 180.0)
        d1, ok1 = _deviation(la1, lm1, a1, latm, lamm, azim)
        d2, ok2 = _deviation(latm, lamm, azim, la2, lm2, a2)
        sure = (ok1 & ok2 & (d1 <= lim * (1.0 - _SURE)) & (d2 <= lim * (1.0 - _SURE))
                & (np.abs(latm) <= MERCATOR_MAX_LAT))
    for j, lat, lam, lon in zip(idx[sure].tolist(), latm[sure].tolist(), lm1[sure].tolist(), lonm[sure].tolist()):
        yield j, (lat, lam + Math.AngDiff(lam, lon)[0])


def _deviation(lat1, lam1, azi1, lat2, lam2, azi2):
    """``_segment_dev`` of segments between vertices within the Mercator limits, vectorised, and
    where both tangents are surely close enough to the chord for it to apply (elsewhere: False)."""
    numeric.load()
    import numpy as np

    from viewer.model.geodesy_sampling import _E2, _MAX_TANGENT_COS, _ONE_MINUS_E2

    def vertex(lat, lam, heading):
        phi = np.radians(lat)
        sphi = np.sin(phi)
        theta = np.radians(heading)
        vx = np.sin(theta) * _ONE_MINUS_E2 / (1.0 - _E2 * sphi * sphi)
        vy = np.cos(theta)
        norm = np.hypot(vx, vy)
        return np.radians(lam), np.arcsinh(np.tan(phi)), vx / norm, vy / norm

    with np.errstate(all="ignore"):
        x1, y1, t1x, t1y = vertex(lat1, lam1, azi1)
        x2, y2, t2x, t2y = vertex(lat2, lam2, azi2)
        dx, dy = x2 - x1, y2 - y1
        length = np.hypot(dx, dy)
        ux, uy = dx / length, dy / length
        a = t1y * ux - t1x * uy
        b = t2y * ux - t2x * uy
        off = np.maximum(np.abs(a - b) * 0.125, np.maximum(np.abs(9.0 * a - 3.0 * b), np.abs(3.0 * a - 9.0 * b)) / 64.0)
        y = np.where(y1 * y2 <= 0.0, 0.0, np.where(np.abs(y1) < np.abs(y2), y1, y2))
        sn = np.tanh(y)
        w = 1.0 - _E2 * sn * sn
        dev = off * length * _GEOD.a / (np.cosh(y) * np.sqrt(w)) * np.hypot(-uy, ux * _ONE_MINUS_E2 / w)
        ok = ((length > 0.0) & np.isfinite(dev) & (t1x * ux + t1y * uy >= _MAX_TANGENT_COS + _SURE)
              & (t2x * ux + t2y * uy >= _MAX_TANGENT_COS + _SURE))
    return dev, ok


def _straight_enough(lat1, lam1, azi1, lat2, lam2, azi2, s13):
    """For each edge, whether one straight Web Mercator segment stays within its tolerance
    (``_segment_dev`` of its ends, vectorised) with room to spare; False where in doubt."""
    numeric.load()
    import numpy as np

    dev, ok = _deviation(lat1, lam1, azi1, lat2, lam2, azi2)
    with np.errstate(all="ignore"):
        limit = _SAFETY * np.maximum(1.0, 0.0005 * s13)
        return (ok & (s13 > 0.0) & (s13 <= 1_000_000.0) & (np.abs(lat1) <= MERCATOR_MAX_LAT)
                & (np.abs(lat2) <= MERCATOR_MAX_LAT) & (dev <= _SCREEN_MARGIN * limit))
