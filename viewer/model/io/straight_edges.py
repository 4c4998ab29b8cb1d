"""Edges drawn straight in longitude/latitude, as GIS files mean them, kept so.

SitMap draws an edge between two positions as the geodesic (the shortest line on the ellipsoid).
GeoJSON (RFC 7946 §3.1.1), shapefiles and GeoPackages in longitude/latitude mean a straight line
in those coordinates: QGIS, geojson.io and GDAL draw a box's edge along its parallel. The two agree
for short edges; a long one bends: the 3-degree edge of a box along 38° N is a kilometre off its
parallel as a geodesic. So an edge whose geodesic strays from the file's straight line (at its
quarter, middle or three-quarter point) by more than :data:`SHARE` of its length (and at least
:data:`FLOOR_M`) is given points along that line, as many as keep each piece's geodesic within
the same of its own length, each piece checked; every other edge is left exactly as the file has it.

An edge from -180 to 180 along one parallel is that whole parallel (a band round the globe, as GIS
tools draw it; as a geodesic it would be a single point). An edge of more than 180 degrees of
longitude is followed the short way round, as SitMap draws it (a map made in a web map's copy of
the world, 170 to 200, reads as 170 to -160; the long way round is not what such a file means).
Not touched: an edge of exactly 180 degrees or of 360 or more (other than a whole parallel), an
edge with an end within a degree of a pole, and a line that is not plain positions (the checks
after say what is wrong; the file's other lines are followed all the same)."""

from __future__ import annotations

import math
from itertools import chain
from typing import Any

from viewer.model import numeric

SHARE = 0.001  # of an edge's length: how far its geodesic may stray from the file's straight line
FLOOR_M = 1.0
MAX_PIECES = 256  # one edge's pieces at most (a pole-to-pole edge of a degree's width needs far fewer)
MAX_PARALLEL_PIECES = 4096  # a whole parallel's (at 88 degrees: about 980)
MAX_ADDED = 1_000_000  # points given to one file at most (then fewer to each edge, in proportion)
_R = 6_371_008.8  # mean Earth radius (m): for the first, generous screen only
_M_PER_DEG = math.pi * _R / 180.0
_SCREEN = 1.5 / (8.0 * _R)  # (see _screened)
PYTHON_SCREEN_MAX = 20_000  # positions: more are screened with numpy


def follow_straight_edges(geometries: list[dict]) -> int:
    """Each LineString's and Polygon's long edges given points along their straight line, in place
    (``geometries``: GeoJSON geometry mappings). Returns how many geometries were changed. A line
    or ring that is not plain positions is left as it is (the checks after say what is wrong) and
    does not keep the others from being followed."""
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
    except _NOT_POSITIONS:  # (some line is not plain positions: the others, on their own)
        plain = [r for r, ring in enumerate(rings) if _plain(ring)]
        if not plain:
            return 0
        try:
            found = _pieces([rings[r] for r in plain])
        except _NOT_POSITIONS:
            return 0
        pieces = {plain[r]: cuts for r, cuts in found.items()} if found else None
    if pieces is None:
        return 0
    changed = set()
    for r, cuts in pieces.items():
        (g, k), ring = owners[r], rings[r]
        try:
            new = _with_points(ring, cuts)
        except _NOT_POSITIONS:  # (the checks after say what)
            continue
        if k < 0:
            g["coordinates"] = new
        else:
            g["coordinates"] = list(g["coordinates"])
            g["coordinates"][k] = new
        changed.add(id(g))
    return len(changed)


_NOT_POSITIONS = (TypeError, ValueError, IndexError, KeyError, OverflowError, AttributeError)


def _plain(ring: list) -> bool:
    """A line of positions, each two or three finite numbers."""
    for p in ring:
        if not isinstance(p, (list, tuple)) or not 2 <= len(p) <= 3:
            return False
        for x in p:
            if not isinstance(x, (int, float)) or isinstance(x, bool):
                return False
            try:
                if not math.isfinite(x):
                    return False
            except OverflowError:  # (an integer too large for a float)
                return False
    return bool(ring)


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

        if all(len(p) == 2 for p in flat):  # (positions of two numbers each, as most are: read at once)
            xy = np.fromiter(chain.from_iterable(flat), dtype=np.float64, count=2 * len(flat))
        else:  # (some with a height, or not positions: the latter refused by the checks after)
            xy = np.fromiter(chain.from_iterable(p[:2] for p in flat), dtype=np.float64, count=2 * len(flat))
        lon_a, lat_a = xy[0::2], xy[1::2]
        idx, parallels = _screened_arrays(np, lon_a, lat_a, sizes)
        if not len(idx) and not parallels:
            return None
    starts, pieces = _needed(np, idx, np.asarray(parallels, dtype=np.int64), lon_a, lat_a)
    if not len(starts):
        return None
    out: dict[int, dict[int, int]] = {}
    ends = np.cumsum(sizes)
    which = np.searchsorted(ends, starts, side="right")  # each edge's ring
    for r, i, k in zip(which.tolist(), starts.tolist(), pieces.tolist()):
        if k > 1:
            out.setdefault(r, {})[i - int(ends[r] - sizes[r])] = k
    return out or None


def _needed(np, idx, parallels, lon, lat):
    """(flat index of each edge's start, its pieces) for the edges that need points: those of
    ``idx`` any of whose quarter points strays too far, and the whole parallels. The number of
    pieces is first estimated (the stray of an edge along a parallel shrinks with the square of
    its length), then checked: an edge any of whose pieces still strays too far is cut in twice as
    many, up to its bound (:data:`MAX_PIECES`, :data:`MAX_PARALLEL_PIECES`)."""
    lo1, la1 = lon[idx], lat[idx]
    lo2, la2 = lo1 + _short_way(np, lon[idx + 1] - lo1), lat[idx + 1]
    stray, s12 = _stray(np, lo1, la1, lo2, la2)
    tol = np.maximum(FLOOR_M, SHARE * s12)
    over = np.isfinite(stray) & (stray > tol)
    st, s = stray[over], s12[over]
    # each of n pieces strays about 1/n² as far: within FLOOR_M once n² >= stray / FLOOR_M, and
    # within SHARE of the piece's length (1/n of the edge's) once n >= stray / (SHARE s12)
    need = np.ceil(1.1 * np.minimum(np.sqrt(st / FLOOR_M), st / (SHARE * s)))
    # a whole parallel: the geodesic across a piece of w radians of longitude at latitude φ rises
    # about R w² sin φ cos φ / 8 above it, and SHARE of its length is SHARE R w cos φ
    lat_p = np.radians(np.abs(lat[parallels]))
    with np.errstate(divide="ignore"):
        w = 8.0 * SHARE / np.sin(lat_p)
    starts = np.concatenate([idx[over], parallels])
    a = (np.concatenate([lo1[over], lon[parallels]]), np.concatenate([la1[over], lat[parallels]]),
         np.concatenate([lo2[over], lon[parallels + 1]]), np.concatenate([la2[over], lat[parallels + 1]]))
    cap = np.concatenate([np.full(len(need), MAX_PIECES), np.full(len(parallels), MAX_PARALLEL_PIECES)])
    n = np.concatenate([np.clip(need, 2, MAX_PIECES), np.clip(np.ceil(1.25 * 2.0 * math.pi / w), 4, MAX_PARALLEL_PIECES)])
    n = n.astype(np.int64)
    todo = np.arange(len(n))
    while len(todo) and int((n - 1).sum()) <= MAX_ADDED:
        bad = _any_piece_over(np, *(x[todo] for x in a), n[todo])
        todo = todo[bad & (n[todo] < cap[todo])]
        grown = np.minimum(cap[todo], 2 * n[todo])
        if int((n - 1).sum() + (grown - n[todo]).sum()) > MAX_ADDED:
            break
        n[todo] = grown
    added = int((n - 1).sum())
    if added > MAX_ADDED:  # (a file of very many long edges: fewer points each, the file's size bounded)
        n = 1 + np.floor((n - 1) * (MAX_ADDED / added)).astype(np.int64)
    return starts, n


def _short_way(np, dlon):
    """Differences of longitude the short way round, as SitMap draws an edge (one of 360 degrees or
    more is left so, and not followed; nor is one of exactly 180)."""
    wide = (np.abs(dlon) > 180.0) & (np.abs(dlon) < 360.0)
    return np.where(wide, dlon - np.copysign(360.0, dlon), dlon)


def _stray(np, lo1, la1, lo2, la2):
    """(How far each geodesic strays from its straight line at its quarter, middle and three-quarter
    points at most, its length) in metres, for arrays of edges."""
    from viewer.model.geodesic_solver import c_arrays, c_direct_arrays

    s12, azi1, _ = c_arrays(la1, lo1, la2, lo2)
    with np.errstate(all="ignore"):
        ux = (lo2 - lo1) * np.cos(np.radians(0.5 * (la1 + la2)))
        uy = la2 - la1
        norm = np.hypot(ux, uy)
        worst = np.zeros(len(s12))
        for f in (0.25, 0.5, 0.75):
            gla, glo, _ = c_direct_arrays(la1, lo1, azi1, s12 * f)
            px, py = lo1 + (lo2 - lo1) * f, la1 + (la2 - la1) * f
            dx = ((glo - px + 180.0) % 360.0 - 180.0) * np.cos(np.radians(py))
            dy = gla - py
            # (across the line, in the plane about the point: along it is no stray)
            across = np.abs(dx * uy - dy * ux) / norm * _M_PER_DEG
            worst = np.maximum(worst, np.where(np.isfinite(across), across, np.inf))
    return worst, s12


def _any_piece_over(np, lo1, la1, lo2, la2, n):
    """For each edge cut in n pieces along its straight line: does any piece stray too far?"""
    edge = np.repeat(np.arange(len(n)), n)
    j = np.arange(len(edge)) - np.repeat(np.cumsum(n) - n, n)
    k = n[edge]
    t0, t1 = j / k, (j + 1) / k
    dlo, dla = (lo2 - lo1)[edge], (la2 - la1)[edge]
    x0, y0 = lo1[edge] + dlo * t0, la1[edge] + dla * t0
    x1, y1 = lo1[edge] + dlo * t1, la1[edge] + dla * t1
    stray, s12 = _stray(np, x0, y0, x1, y1)
    bad = ~(stray <= np.maximum(FLOOR_M, SHARE * s12))
    return np.bincount(edge, weights=bad, minlength=len(n)) > 0


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
                if not 180.0 < abs(dlon) < 360.0:
                    continue
                dlon -= math.copysign(360.0, dlon)  # (the short way round, as SitMap draws it)
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
        whole = (np.abs(lo2 - lo1) == 360.0) & (la1 == la2) & (np.abs(la1) < 89.0)
        dlon = _short_way(np, lo2 - lo1)
        top = np.maximum(np.abs(la1), np.abs(la2))
        dx = dlon * np.cos(np.radians(0.5 * (la1 + la2)))
        length = _M_PER_DEG * np.hypot(dx, la2 - la1)
        keep = (-180.0 < dlon) & (dlon < 180.0) & (top < 89.0) & np.isfinite(la1) & np.isfinite(la2) & ~whole \
            & (_SCREEN * length * length * (np.tan(np.radians(top)) + 0.05) > np.maximum(FLOOR_M, SHARE * length))
    return i[keep], i[whole].tolist()


def _with_points(ring: list, cuts: dict[int, int]) -> list:
    """The ring with edge i cut into cuts[i] pieces along its straight line, the short way round
    unless it is a whole parallel (a height, where both ends have one, goes evenly between them)."""
    out: list[Any] = []
    for i, p in enumerate(ring):
        out.append(p)
        k = cuts.get(i)
        if not k:
            continue
        q = ring[i + 1]
        x0, y0, x1, y1 = float(p[0]), float(p[1]), float(q[0]), float(q[1])
        dx = x1 - x0
        if 180.0 < abs(dx) < 360.0:
            dx -= math.copysign(360.0, dx)
        z = len(p) > 2 and len(q) > 2
        for j in range(1, k):
            t = j / k
            x = x0 + dx * t
            pt = [round(x - math.copysign(360.0, x) if abs(x) > 180.0 else x, 9), round(y0 + (y1 - y0) * t, 9)]
            if z:
                pt.append(float(p[2]) + (float(q[2]) - float(p[2])) * t)
            out.append(pt)
    return out
