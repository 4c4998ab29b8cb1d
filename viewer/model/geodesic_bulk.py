"""Many geodesic paths at once (a large map's lines and area rings): what
:func:`~viewer.model.geodesic_path.geodesic_path` gives each, worked out together with numpy and
GeographicLib's C library (through pyproj) inside :func:`~viewer.model.geodesic_solver.compiled`."""

from __future__ import annotations

from functools import reduce
from itertools import chain
from operator import add
from typing import Sequence

from geographiclib.geomath import Math

from viewer.model import numeric
from viewer.model.coords import to_latlon
from viewer.model.geodesic_path import (
    _DIRECT_MAX_LON12,
    PathGeometry,
    _assemble,
    _checked_points,
    _edges,
    geodesic_path,
    made_path,
)
from viewer.model.geodesic_solver import solver
from viewer.model.geodesy_sampling import _GEOD, _SAFETY, MERCATOR_MAX_LAT


def geodesic_paths(paths: Sequence[Sequence[tuple[float, float]]], of_floats: bool = False,
                   arrays: tuple | None = None) -> list[PathGeometry]:
    """What :func:`geodesic_path` gives each of many paths (a large map's lines and area rings),
    worked out together: inside :func:`~viewer.model.geodesic_solver.compiled`, every edge's
    inverse problem is solved in one call to GeographicLib's C library and the edges are screened
    with numpy; an edge the screen finds well within its tolerance as one straight segment gets
    no point between its ends (as :func:`geodesic_path` would find exactly), every other edge is
    worked out as :func:`geodesic_path` does. Outside it, one path after another. ``of_floats``:
    each path is a list of (lat, lon) tuples of floats (then they are checked all at once).
    ``arrays``: (lats, lons) of all the paths' points as numpy arrays, the paths so checked
    already (:func:`geodesic_paths_of_positions`)."""
    direct = solver().direct
    if direct is None or not paths:
        return [geodesic_path(p) for p in paths]
    numeric.load()
    import numpy as np

    from viewer.model.geodesic_solver import c_arrays

    checked, lat, lon = (paths, *arrays) if arrays is not None else _checked_all(np, paths, of_floats)
    sizes = np.fromiter(map(len, checked), dtype=np.int64, count=len(checked))
    ends = np.cumsum(sizes)
    starts = ends - sizes
    later = np.ones(len(lat), dtype=bool)
    later[ends - 1] = False
    src = np.nonzero(later)[0]  # each edge's start (every path has two points or more)
    dst = src + 1
    first_edge = starts - np.arange(len(checked))  # each path's first edge's index
    path_of = np.repeat(np.arange(len(checked)), sizes - 1)
    cols, plain = _edge_columns(np, checked, lat, lon, src, dst, starts, first_edge, path_of)
    s13, azi1, azi2 = c_arrays(cols[:, 0], cols[:, 1], cols[:, 2], cols[:, 3])
    fine_arr = _straight_enough(cols[:, 0], cols[:, 1], azi1, cols[:, 2], cols[:, 4], azi2, s13)
    mid_idx, mid_lat, mid_lam = _one_point_between(cols, s13, azi1, azi2, fine_arr)
    # A path is put together at once where its edges were unrolled plainly and each has
    # nothing, or its one point, between its ends; any other as geodesic_path puts it together.
    has_mid = np.zeros(len(s13), dtype=bool)
    has_mid[mid_idx] = True
    mids = np.empty((len(s13), 2))
    mids[mid_idx, 0] = mid_lat
    mids[mid_idx, 1] = mid_lam
    with np.errstate(invalid="ignore"):
        ahead = s13 > 0.0
    other = ahead & ~fine_arr & ~has_mid
    whole = plain.copy()
    whole[path_of[other]] = False
    out: list = [None] * len(checked)
    if whole.any():
        _put_together(np, out, checked, whole, cols, s13, ahead, has_mid, mids, sizes, first_edge, path_of)
    solved = fine = None
    for p in np.nonzero(~whole)[0].tolist():
        if solved is None:
            solved = list(zip(s13.tolist(), azi1.tolist(), azi2.tolist()))
            fine = fine_arr.tolist()
            for j, la, lm in zip(mid_idx.tolist(), mid_lat.tolist(), mid_lam.tolist()):
                fine[j] = (la, lm)
        a, n = int(first_edge[p]), int(sizes[p]) - 1
        out[p] = _assemble(checked[p], _edges(checked[p]), solved[a:a + n], fine[a:a + n], None, direct)
    return out


def geodesic_paths_of_positions(positions: Sequence[Sequence[Sequence[float]]]) -> list[PathGeometry]:
    """What :func:`geodesic_paths` gives the paths of these GeoJSON positions ([longitude,
    latitude] each: a large map's lines and area rings as its features hold them), each turned to
    (lat, lon) floats as :func:`~viewer.model.coords.to_latlon` turns it. Inside
    :func:`~viewer.model.geodesic_solver.compiled`, where every position is a pair of numbers and
    every latitude inside [-90, 90], all are turned at once with numpy (the arrays the solver
    needs too); else one path after another."""
    if solver().direct is not None and positions:
        got = _pairs_at_once(positions)
        if got is not None:
            return geodesic_paths(got[0], arrays=got[1:])
    return geodesic_paths([to_latlon(p) for p in positions], of_floats=True)


def _pairs_at_once(positions):
    """(paths of (lat, lon) float tuples, lats, lons) of the positions, turned all at once, or
    None where a path has fewer than two of them, a position is not a pair of numbers, a latitude
    is outside [-90, 90] or a longitude not finite (those are turned and checked path by path,
    which names what is wrong)."""
    numeric.load()
    import numpy as np

    try:
        sizes = list(map(len, positions))
        if min(sizes) < 2:
            return None
        flat = list(chain.from_iterable(positions))
        if set(map(len, flat)) != _PAIR:
            return None
        xy = np.fromiter(chain.from_iterable(flat), dtype=np.float64, count=2 * len(flat))
    except (TypeError, ValueError, OverflowError):
        return None
    lon, lat = xy[0::2], xy[1::2]
    if not _in_range(np, lat, lon):
        return None
    pairs = list(zip(lat.tolist(), lon.tolist()))
    paths = []
    at = 0
    for n in sizes:
        paths.append(pairs[at:at + n])
        at += n
    return paths, lat, lon


_PAIR = {2}


def _checked_all(np, paths, of_floats: bool):
    """([_checked_points(p) for p in paths], their lats, their lons). ``of_floats``: each path is
    a list of (lat, lon) tuples of floats (as :func:`~viewer.model.coords.to_latlon` gives them):
    then, where every path has two points or more, every lat is inside [-90, 90] and every lon is
    finite, the paths are what _checked_points would give, as they are. Else each path is checked,
    and a wrong one named, by _checked_points."""
    if of_floats and min(map(len, paths)) >= 2:
        lat, lon = _lats_lons(np, paths)
        if _in_range(np, lat, lon):
            return paths, lat, lon
    checked = [_checked_points(p) for p in paths]
    return (checked, *_lats_lons(np, checked))


def _in_range(np, lat, lon) -> bool:
    """Every latitude inside [-90, 90] and every longitude finite: the paths need no check one by one."""
    return bool((np.abs(lat) <= 90.0).all() and np.isfinite(lon).all())


def _lats_lons(np, paths):
    """All the paths' (lat, lon) pairs as two arrays, in order."""
    xy = np.fromiter(chain.from_iterable(chain.from_iterable(paths)), dtype=np.float64, count=2 * sum(map(len, paths)))
    return xy[0::2], xy[1::2]


def _edge_columns(np, checked, lat, lon, src, dst, starts, first_edge, path_of):
    """Each edge as :func:`_edges` gives it (lat1, lam1, lat2, lon2, lam2, lon12), as numpy columns,
    and for each path whether its edges were unrolled plainly: its first longitude is inside
    (-180, 180) and no edge spans 180 degrees or more, so each end's unrolled longitude is its own
    (plus 0.0, as the unrolling adds it). The other paths' edges are :func:`_edges`' own."""
    lat1, lon1, lat2, lon2 = lat[src], lon[src], lat[dst], lon[dst]
    with np.errstate(all="ignore"):
        lam1 = lon1 + 0.0
        lon12 = lon2 - lam1
        # (the unrolling's whole turns: none, for an edge of less than 180 degrees)
        turns = np.round((lam1 + lon12 - lon2) / 360.0)
        edge_ok = (-180.0 < lon12) & (lon12 < 180.0) & (turns == 0.0)
        lam2 = lon2 + 0.0
    first = lon[starts]
    plain = (-180.0 < first) & (first < 180.0)
    plain[path_of[~edge_ok]] = False
    cols = np.column_stack((lat1, lam1, lat2, lon2, lam2, lon12))
    for p in np.nonzero(~plain)[0].tolist():
        edges = _edges(checked[p])
        a = int(first_edge[p])
        cols[a:a + len(edges)] = edges
    return cols, plain


def _put_together(np, out, checked, whole, cols, s13, ahead, has_mid, mids, sizes, first_edge, path_of):
    """The paths marked ``whole`` as :func:`_assemble` puts each together (display, length,
    vertex index), from all their edges at once: a path's first point, then for each edge its
    one point between where it has one, and its end."""
    edge_in = whole[path_of]
    e_idx = np.nonzero(edge_in)[0]
    mid_here = has_mid[e_idx] & ahead[e_idx]
    emitted = 1 + mid_here.astype(np.int64)  # rows each edge adds
    p_idx = np.nonzero(whole)[0]
    n_edges = sizes[p_idx] - 1
    # each path's rows: its first point and what its edges add
    e_first = np.cumsum(n_edges) - n_edges  # its first edge among e_idx
    csum = np.cumsum(emitted)
    before = np.concatenate(([0], csum))[e_first]  # rows added by the paths' edges before it
    rows_of = 1 + np.add.reduceat(emitted, e_first) if len(e_idx) else np.ones(len(p_idx), dtype=np.int64)
    row0 = np.cumsum(rows_of) - rows_of  # each path's first row
    rel_end = csum - np.repeat(before, n_edges)  # an edge's end's row, within its path
    at_end = np.repeat(row0, n_edges) + rel_end
    table = np.empty((int(rows_of.sum()), 2))
    table[row0, 0] = cols[first_edge[p_idx], 0]  # the first point: (lat1, lam1) of the first edge
    table[row0, 1] = cols[first_edge[p_idx], 1]
    table[at_end, 0] = cols[e_idx, 2]
    table[at_end, 1] = cols[e_idx, 4]
    if mid_here.any():
        table[at_end[mid_here] - 1] = mids[e_idx[mid_here]]
    rows = list(zip(table[:, 0].tolist(), table[:, 1].tolist()))
    lengths = np.where(ahead[e_idx], s13[e_idx], 0.0)
    totals, summed = _lengths_summed(np, lengths, e_first, n_edges)
    rest = lengths.tolist() if summed < int(n_edges.max(initial=0)) else None
    rel = rel_end.tolist()
    for p, r0, nr, e0, ne, total in zip(p_idx.tolist(), row0.tolist(), rows_of.tolist(), e_first.tolist(),
                                        n_edges.tolist(), totals):
        if ne > summed:  # (a path of more edges: the rest of its sum, one edge after another)
            total = reduce(add, rest[e0 + summed:e0 + ne], total)
        out[p] = made_path(tuple(checked[p]), rows[r0:r0 + nr], total, (0,) + tuple(rel[e0:e0 + ne]), (table, r0))


SUMMED_AT_ONCE = 8  # edges of each path whose lengths are summed for all paths at once


def _lengths_summed(np, lengths, e_first, n_edges) -> tuple[list[float], int]:
    """Each path's length, summed one edge after another from 0.0 as _assemble sums them (adding
    0.0 for an edge of length 0 changes nothing), for its first ``k`` edges: the first edges of all
    the paths added at once, then the second, ... (the same additions, in the same order, as one
    path after another: the same sums to the last bit). Returns (the sums, k): a path of more than
    k edges has the rest of its sum to add."""
    totals = np.zeros(len(e_first))
    k = min(int(n_edges.max(initial=0)), SUMMED_AT_ONCE)
    for j in range(k):
        more = n_edges > j
        if more.all():
            totals += lengths[e_first + j]
        else:
            totals[more] += lengths[e_first[more] + j]
    return totals.tolist(), k


# The screen's margin: an edge counts as straight enough when the estimate is below this share
# of its limit, far beyond any difference between numpy's arithmetic and the exact check's.
_SCREEN_MARGIN = 0.9


# Beyond any difference between numpy's arithmetic and the exact check's (about 1e-15 of it): a
# deviation this far from its limit is on the same side of it in both.
_SURE = 1e-6


def _limits(np, s13):
    """How far each edge's drawn segments may stray from its geodesic (the density rule, as
    geodesic_path applies it: max(1 m, 0.0005 of the edge), with its safety factor)."""
    return _SAFETY * np.maximum(1.0, 0.0005 * s13)


def _one_point_between(cols, s13, azi1, azi2, fine):
    """The edges the screen left where :func:`_edge` certainly finds exactly one point between the
    ends, at the middle: the whole edge certainly fails the density rule, both halves certainly
    pass it. Gives (edge indices, lats, lams) of those points as arrays, each as :func:`_edge`
    works it out (the same direct problem, solved by the same C library, its longitude unrolled
    the same way). Most edges of a large map's areas (tens of kilometres along a parallel) are
    these."""
    numeric.load()
    import numpy as np

    from viewer.model.geodesic_solver import c_direct_arrays

    lat1, lam1, lat2, lam2, lon12 = cols[:, 0], cols[:, 1], cols[:, 2], cols[:, 4], cols[:, 5]
    with np.errstate(all="ignore"):
        limit = _limits(np, s13)
        cand = (~fine & (s13 > 0.0) & (s13 <= 1_000_000.0) & (np.abs(lon12) < _DIRECT_MAX_LON12)
                & (np.abs(lat1) <= MERCATOR_MAX_LAT) & (np.abs(lat2) <= MERCATOR_MAX_LAT))
        idx = np.nonzero(cand)[0]
        if not len(idx):
            return idx, np.empty(0), np.empty(0)
        la1, lm1, a1, la2, lm2, a2, lim = lat1[idx], lam1[idx], azi1[idx], lat2[idx], lam2[idx], azi2[idx], limit[idx]
        whole, whole_ok = _deviation(la1, lm1, a1, la2, lm2, a2)
        fails = whole_ok & (whole > lim * (1.0 + _SURE))
        idx, la1, lm1, a1, la2, lm2, a2, lim = (v[fails] for v in (idx, la1, lm1, a1, la2, lm2, a2, lim))
        if not len(idx):
            return idx, np.empty(0), np.empty(0)
        latm, lonm, azim = c_direct_arrays(la1, lm1, a1, 0.5 * s13[idx])
        # (unrolled as _edge does, below; for the check, within 180 degrees of the start's)
        lamm = lm1 + (np.mod(lonm - lm1 + 180.0, 360.0) - 180.0)
        d1, ok1 = _deviation(la1, lm1, a1, latm, lamm, azim)
        d2, ok2 = _deviation(latm, lamm, azim, la2, lm2, a2)
        sure = (ok1 & ok2 & (d1 <= lim * (1.0 - _SURE)) & (d2 <= lim * (1.0 - _SURE))
                & (np.abs(latm) <= MERCATOR_MAX_LAT))
        idx, latm, lam, lon = idx[sure], latm[sure], lm1[sure], lonm[sure]
        # lam + AngDiff(lam, lon)[0]: where both are inside (-180, 180) and differ by less than
        # 180 but do differ, GeographicLib's difference is the plain one, lon - lam (its
        # remainders leave each as it is, and adding the rounding error of lon - lam back to it
        # gives it again); elsewhere GeographicLib's own
        d = lon - lam
        plain = (np.abs(lam) < 180.0) & (np.abs(lon) < 180.0) & (np.abs(d) < 180.0) & (d != 0.0)
    lamm = lam + d
    for k in np.nonzero(~plain)[0].tolist():
        lamm[k] = lam[k] + Math.AngDiff(float(lam[k]), float(lon[k]))[0]
    return idx, latm, lamm


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
        limit = _limits(np, s13)
        return (ok & (s13 > 0.0) & (s13 <= 1_000_000.0) & (np.abs(lat1) <= MERCATOR_MAX_LAT)
                & (np.abs(lat2) <= MERCATOR_MAX_LAT) & (dev <= _SCREEN_MARGIN * limit))
