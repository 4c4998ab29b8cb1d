"""Edges drawn straight in longitude/latitude, as GIS files mean them, kept so.

SitMap draws an edge between two positions as the geodesic (the shortest line on the ellipsoid).
GeoJSON (RFC 7946 §3.1.1), shapefiles and GeoPackages in longitude/latitude mean a straight line
in those coordinates: QGIS, geojson.io and GDAL draw a box's edge along its parallel. The two agree
for short edges; a long one bends: the 3-degree edge of a box along 38° N is a kilometre off its
parallel as a geodesic. So an edge whose geodesic strays from the file's straight line by more than
:data:`SHARE` of its length (and at least :data:`FLOOR_M`) is given points along that line, as many
as keep each piece's geodesic within it; every other edge is left exactly as the file has it.

An edge from -180 to 180 along one parallel is that whole parallel (a band round the globe, as GIS
tools draw it; as a geodesic it would be a single point). Not touched: any other edge of 180 degrees
of longitude or more (its straight line is the long way round, which no tool means: SitMap reads the
short way, as before), an edge with an end within a degree of a pole, and anything that is not a
plain position list (the checks after say what is wrong)."""

from __future__ import annotations

import math
from itertools import chain
from typing import Any

from viewer.model import numeric

SHARE = 0.001  # of an edge's length: how far its geodesic may stray from the file's straight line
FLOOR_M = 1.0
MAX_PIECES = 256  # one edge's pieces at most (a pole-to-pole edge of a degree's width needs far fewer)
MAX_PARALLEL_PIECES = 4096  # a whole parallel's (at 88 degrees: about 950)
MAX_ADDED = 1_000_000  # points given to one file at most (then fewer to each edge, in proportion)
_R = 6_371_008.8  # mean Earth radius (m): for the first, generous screen only
_M_PER_DEG = math.pi * _R / 180.0
_SCREEN = 1.5 / (8.0 * _R)  # (see _screened)
PYTHON_SCREEN_MAX = 20_000  # positions: more are screened with numpy


def follow_straight_edges(geometries: list[dict]) -> int:
    """Each LineString's and Polygon's long edges given points along their straight line, in place
    (``geometries``: GeoJSON geometry mappings). Returns how many geometries were changed."""
    rings: list[list] = []
    owners: list[tuple[dict, int]] = []  # (geometry, ring index; -1 for a LineString's one line)
    for g in geometries:
        coords = g.get("coordinates")
        kind = g.get("type")
        if kind == "LineString" and isinstance(coords, list):
            rings.append(coords)
            owners.append((g, -1))
        elif kind == "Polygon" and isinstance(coords, list):
            for k, ring in enumerate(coords):
                if isinstance(ring, list):
                    rings.append(ring)
                    owners.append((g, k))
    if not rings:
        return 0
    try:
        pieces = _pieces(rings)
    except (TypeError, ValueError, IndexError, KeyError, OverflowError):  # (not plain positions: the checks after say what)
        return 0
    if pieces is None:
        return 0
    changed = set()
    for r, cuts in pieces.items():
        (g, k), ring = owners[r], rings[r]
        try:
            new = _with_points(ring, cuts)
        except (TypeError, ValueError, IndexError, KeyError, OverflowError):  # (the checks after say what)
            continue
        if k < 0:
            g["coordinates"] = new
        else:
            g["coordinates"] = list(g["coordinates"])
            g["coordinates"][k] = new
        changed.add(id(g))
    return len(changed)


def _pieces(rings: list[list]) -> dict[int, dict[int, int]] | None:
    """{ring (or line) index: {edge index: pieces}} of the edges to be given points; None: none."""
    sizes = [len(r) for r in rings]
    if min(sizes) < 1:
        raise ValueError("empty line")
    flat = list(chain.from_iterable(rings))
    if len(flat) < PYTHON_SCREEN_MAX:  # (a small file is read without numpy: it is not imported for it)
        lon = [float(p[0]) for p in flat]
        lat = [float(p[1]) for p in flat]
        candidates, parallels = _screened(lon, lat, sizes)
        if not candidates and not parallels:
            return None
        numeric.load()
        import numpy as np

        idx = np.asarray(candidates, dtype=np.int64)
        lon_a, lat_a = np.asarray(lon), np.asarray(lat)
    else:
        numeric.load()
        import numpy as np

        try:  # (positions of two numbers each, as most are: read at once)
            xy = np.fromiter(chain.from_iterable(flat), dtype=np.float64, count=2 * len(flat))
        except ValueError:  # (some with a height, or not numbers: the latter refused by the checks after)
            xy = np.fromiter(chain.from_iterable(p[:2] for p in flat), dtype=np.float64, count=2 * len(flat))
        lon_a, lat_a = xy[0::2], xy[1::2]
        idx, parallels = _screened_arrays(np, lon_a, lat_a, sizes)
        if not len(idx) and not parallels:
            return None
    ends = np.cumsum(sizes)
    found: list[tuple[Any, Any]] = []  # (flat index of each edge's start, its pieces)
    if parallels:  # a whole parallel, -180 to 180: cut so each piece stays within SHARE of it
        lat_p = np.abs(lat_a[np.asarray(parallels, dtype=np.int64)])
        with np.errstate(divide="ignore"):
            step = 8.0 * SHARE / np.sin(np.radians(lat_p))  # radians of longitude a piece may span
        found.append((np.asarray(parallels, dtype=np.int64),
                      np.clip(np.ceil(2.0 * math.pi / step * 1.1), 4, MAX_PARALLEL_PIECES).astype(np.int64)))
    if len(idx):
        from viewer.model.geodesic_solver import c_arrays, c_direct_arrays

        lo1, la1, lo2, la2 = lon_a[idx], lat_a[idx], lon_a[idx + 1], lat_a[idx + 1]
        s12, azi1, _ = c_arrays(la1, lo1, la2, lo2)
        mla, mlo, _ = c_direct_arrays(la1, lo1, azi1, s12 / 2.0)  # the geodesic's middle
        plo, pla = lo1 + (lo2 - lo1) / 2.0, (la1 + la2) / 2.0  # the straight line's middle
        stray, _, _ = c_arrays(mla, mlo, pla, plo)
        tol = np.maximum(FLOOR_M, SHARE * s12)
        over = np.isfinite(stray) & (stray > tol)
        # the stray grows with the square of an edge's length: each of n pieces strays about 1/n²
        # as far, which is within FLOOR_M once n² >= stray / FLOOR_M, and within SHARE of the
        # piece's length (1/n of the edge's) once n >= stray / (SHARE s12)
        st = stray[over]
        need = np.minimum(np.sqrt(st / FLOOR_M), st / (SHARE * s12[over]))
        found.append((idx[over], np.minimum(MAX_PIECES, np.ceil(need * 1.1)).astype(np.int64)))
    if not found:
        return None
    starts = np.concatenate([a for a, _ in found])
    pieces = np.concatenate([b for _, b in found])
    added = int((pieces - 1).sum())
    if added > MAX_ADDED:  # (a file of very many long edges: fewer points each, the file's size bounded)
        pieces = 1 + np.floor((pieces - 1) * (MAX_ADDED / added)).astype(np.int64)
    out: dict[int, dict[int, int]] = {}
    which = np.searchsorted(ends, starts, side="right")  # each edge's ring
    for r, i, k in zip(which.tolist(), starts.tolist(), pieces.tolist()):
        if k > 1:
            out.setdefault(r, {})[i - int(ends[r] - sizes[r])] = k
    return out or None


def _screened(lon: list[float], lat: list[float], sizes: list[int]) -> tuple[list[int], list[int]]:
    """The index (in the flat positions) of each edge's start that may stray too far, and of each
    edge that is a whole parallel (from -180 to 180 at one latitude: a band's edge): a first
    screen, with a margin. An edge along a parallel strays from it by about L² tan(lat) / 8R at its
    middle (the bulge of a great circle towards the pole); one that climbs as well strays less than
    its whole length would along a parallel at its higher end. An edge under half as far again as
    its tolerance is left at once (the tests check the screen against the exact stray)."""
    candidates: list[int] = []
    parallels: list[int] = []  # (edges that are a whole parallel)
    start = 0
    for n in sizes:
        for i in range(start, start + n - 1):
            lo1, la1, lo2, la2 = lon[i], lat[i], lon[i + 1], lat[i + 1]
            dlon = lo2 - lo1
            if not -180.0 < dlon < 180.0:
                if abs(dlon) == 360.0 and la1 == la2 and abs(la1) < 89.0:
                    parallels.append(i)
                continue
            top = max(abs(la1), abs(la2))
            if top >= 89.0 or not (math.isfinite(dlon) and math.isfinite(la1) and math.isfinite(la2)):
                continue
            dx = dlon * math.cos(math.radians(0.5 * (la1 + la2)))
            length = _M_PER_DEG * math.hypot(dx, la2 - la1)
            if _SCREEN * length * length * (math.tan(math.radians(top)) + 0.05) > max(FLOOR_M, SHARE * length):
                candidates.append(i)
        start += n
    return candidates, parallels


def _screened_arrays(np, lon, lat, sizes: list[int]):
    """:func:`_screened` for many positions at once, with numpy."""
    ends = np.cumsum(sizes)
    starts = np.ones(len(lon), dtype=bool)
    starts[ends - 1] = False  # (a line's last position begins no edge)
    i = np.nonzero(starts)[0]
    lo1, la1, lo2, la2 = lon[i], lat[i], lon[i + 1], lat[i + 1]
    with np.errstate(all="ignore"):
        dlon = lo2 - lo1
        top = np.maximum(np.abs(la1), np.abs(la2))
        dx = dlon * np.cos(np.radians(0.5 * (la1 + la2)))
        length = _M_PER_DEG * np.hypot(dx, la2 - la1)
        keep = (-180.0 < dlon) & (dlon < 180.0) & (top < 89.0) & np.isfinite(la1) & np.isfinite(la2) \
            & (_SCREEN * length * length * (np.tan(np.radians(top)) + 0.05) > np.maximum(FLOOR_M, SHARE * length))
        whole = (np.abs(dlon) == 360.0) & (la1 == la2) & (np.abs(la1) < 89.0)
    return i[keep], i[whole].tolist()


def _with_points(ring: list, cuts: dict[int, int]) -> list:
    """The ring with edge i cut into cuts[i] pieces along its straight line (a height, where both
    ends have one, goes evenly between them)."""
    out: list[Any] = []
    for i, p in enumerate(ring):
        out.append(p)
        k = cuts.get(i)
        if not k:
            continue
        q = ring[i + 1]
        x0, y0, x1, y1 = float(p[0]), float(p[1]), float(q[0]), float(q[1])
        z = len(p) > 2 and len(q) > 2
        for j in range(1, k):
            t = j / k
            pt = [round(x0 + (x1 - x0) * t, 9), round(y0 + (y1 - y0) * t, 9)]
            if z:
                pt.append(float(p[2]) + (float(q[2]) - float(p[2])) * t)
            out.append(pt)
    return out
