"""The shared ground of SitMap's geodesy: WGS84 constants, argument checks and the adaptive
sampling that keeps every drawn segment (a ring's, a sector's, a path's) within its tolerance
of the true curve in Web Mercator. Used by :mod:`viewer.model.geodesy` (rings and sectors) and
:mod:`viewer.model.geodesic_path` (paths); pure Python, no Qt."""

from __future__ import annotations

import math
from typing import Callable

from geographiclib.geodesic import Geodesic

from viewer.model import mercator
from viewer.model.coords import normalise_lon

_GEOD = Geodesic.WGS84
_E2 = _GEOD.f * (2.0 - _GEOD.f)  # first eccentricity squared
_ONE_MINUS_E2 = 1.0 - _E2

#: Longest possible shortest-path distance on WGS84: pole to pole along a
#: meridian (half the meridian ellipse perimeter), ~20,003,931.46 m.  It is
#: also the distance from any point to its antipode.
EARTH_ANTIPODAL_M: float = _GEOD.Inverse(90.0, 0.0, -90.0, 0.0, Geodesic.DISTANCE)["s12"]

#: Default ring density: Mercator segments stay within 0.05 % of the radius.
DEFAULT_TOLERANCE = 0.0005

#: Web Mercator latitude limit (Leaflet clamps to ~85.0511287798); pole caps
#: and world boxes of ``display`` are closed along this latitude.
MERCATOR_MAX_LAT = mercator.MAX_LAT

# Estimated deviations must stay below this fraction of the allowed one.  The
# Hermite estimate is within ~1 % of the true deviation for the segments the
# tolerance produces; the margin absorbs that (checked exactly by the tests).
_SAFETY = 0.95
# Tangents may not differ from the chord direction by more than this before a
# segment is split regardless of the estimate (keeps the Hermite model valid).
_MAX_TANGENT_COS = math.cos(math.radians(20.0))
# Bisection never goes below this azimuth step (degrees) / this fraction of a
# geodesic segment; only reachable in degenerate, numerically noisy spots.
_MIN_ALPHA_STEP = 1e-9
_MAX_VERTICES = 200_000

_POS_MASK = Geodesic.LATITUDE | Geodesic.LONGITUDE | Geodesic.AZIMUTH | Geodesic.LONG_UNROLL
_LINE_CAPS = Geodesic.LATITUDE | Geodesic.LONGITUDE | Geodesic.AZIMUTH | Geodesic.DISTANCE_IN
_POLE_EPS_DEG = 1e-9  # a vertex this close to a pole is treated as the pole


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------
def _finite(name: str, value) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(v):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return v


def _check_lat(name: str, value) -> float:
    v = _finite(name, value)
    if not -90.0 <= v <= 90.0:
        raise ValueError(f"{name} must be within [-90, 90] degrees, got {v!r}")
    return v


def _norm_lon(lon: float) -> float:
    """Longitude reduced to [-180, 180] (180 stays 180)."""
    return normalise_lon(lon, keep_180=True)


def _norm_bearing(b: float) -> float:
    b = math.fmod(b, 360.0)
    if b < 0.0:
        b += 360.0
    if b >= 360.0:  # -1e-17 % 360 style rounding
        b = 0.0
    return b + 0.0


_mercator_y = mercator.y_of
_mercator_lat = mercator.lat_of


# --------------------------------------------------------------------------
# Adaptive sampling
# --------------------------------------------------------------------------
# A vertex is a tuple (param, lat, lam, x, y, tx, ty, heading): the sampling
# parameter (azimuth in degrees or distance in metres), geodetic latitude,
# unwrapped longitude, Web Mercator x/y (radians), the unit tangent of the
# curve in the Mercator plane (direction of increasing parameter) and that
# direction as an azimuth in degrees.
_Vertex = tuple


def _vertex(param: float, lat: float, lam: float, heading_deg: float) -> _Vertex:
    phi = math.radians(lat)
    sphi = math.sin(phi)
    theta = math.radians(heading_deg)
    # Web Mercator applies the spherical formula to geodetic latitude, which is
    # not conformal on the ellipsoid: dx/dy = tan(heading) * M / N.
    vx = math.sin(theta) * _ONE_MINUS_E2 / (1.0 - _E2 * sphi * sphi)
    vy = math.cos(theta)
    norm = math.hypot(vx, vy)
    return (param, lat, lam, math.radians(lam), _mercator_y(lat), vx / norm, vy / norm, heading_deg)


def _scale_m(y: float, nx: float, ny: float) -> float:
    """Metres per Web Mercator unit at Mercator ordinate y, in direction (nx, ny)."""
    s = math.tanh(y)  # sin(lat)
    w = 1.0 - _E2 * s * s
    sw = math.sqrt(w)
    # cos(lat) * hypot(nx * N, ny * M), N = a/sqrt(w), M = a(1-e2)/w^1.5
    return _GEOD.a / (math.cosh(y) * sw) * math.hypot(nx, ny * _ONE_MINUS_E2 / w)


def _hermite_dev(p1x, p1y, t1x, t1y, p2x, p2y, t2x, t2y, scale) -> float:
    """Largest offset (metres) between the chord p1-p2 and the cubic Hermite
    curve with unit end tangents t1, t2, sampled at t = 1/4, 1/2, 3/4.

    ``scale(y, nx, ny)`` converts a planar offset along (nx, ny) at ordinate y
    to metres; it must not increase with |y|, so evaluating it at the chord's
    point nearest the equator bounds it along the whole chord.  Infinity when
    a tangent differs too much from the chord direction."""
    dx = p2x - p1x
    dy = p2y - p1y
    length = math.hypot(dx, dy)
    if length == 0.0:
        return 0.0
    ux = dx / length
    uy = dy / length
    if t1x * ux + t1y * uy < _MAX_TANGENT_COS or t2x * ux + t2y * uy < _MAX_TANGENT_COS:
        return math.inf
    a = t1y * ux - t1x * uy  # tangent components along the chord normal (-uy, ux)
    b = t2y * ux - t2x * uy
    # Cubic Hermite offset from the chord: L*[t(1-t)^2 a - t^2(1-t) b] at t = 1/2, 1/4, 3/4
    off = max(abs(a - b) * 0.125, abs(9.0 * a - 3.0 * b) / 64.0, abs(3.0 * a - 9.0 * b) / 64.0)
    if off == 0.0:
        return 0.0
    y = 0.0 if p1y * p2y <= 0.0 else (p1y if abs(p1y) < abs(p2y) else p2y)
    return off * length * scale(y, -uy, ux)


def _plate_carree_tangent(v: _Vertex) -> tuple[float, float]:
    phi = math.radians(v[1])
    s = math.sin(phi)
    w = 1.0 - _E2 * s * s
    theta = math.radians(v[7])
    # dlam/ds = sin(theta) / (N cos(phi)), dphi/ds = cos(theta) / M
    vx = math.sin(theta) * math.sqrt(w) / max(math.cos(phi), 1e-12)
    vy = math.cos(theta) * w * math.sqrt(w) / _ONE_MINUS_E2
    norm = math.hypot(vx, vy)
    return vx / norm, vy / norm


def _plate_carree_scale(y: float, nx: float, ny: float) -> float:
    """Metres per radian of the lon/lat plane at latitude y (radians), in
    direction (nx, ny)."""
    s = math.sin(y)
    w = 1.0 - _E2 * s * s
    sw = math.sqrt(w)
    return _GEOD.a / sw * math.hypot(nx * math.cos(y), ny * _ONE_MINUS_E2 / w)


def _segment_dev(v1: _Vertex, v2: _Vertex) -> float:
    """Estimated largest distance (metres) between the straight segment v1-v2
    as drawn and the true curve (see ``_hermite_dev``).

    Normally the segment is straight in Web Mercator (what Leaflet draws).  A
    segment with one end beyond the Mercator latitude limit is checked
    unclamped, which drives its vertices close to where the curve leaves the
    map.  A segment with both ends beyond the limit is not drawn on the map;
    it is checked as a straight lon/lat segment instead, so that the GeoJSON
    export (straight lines in lon/lat, RFC 7946) stays faithful near the poles.
    """
    if abs(v1[1]) > MERCATOR_MAX_LAT and abs(v2[1]) > MERCATOR_MAX_LAT:
        y1 = math.radians(v1[1])
        y2 = math.radians(v2[1])
        t1 = _plate_carree_tangent(v1)
        t2 = _plate_carree_tangent(v2)
        dev = _hermite_dev(v1[3], y1, t1[0], t1[1], v2[3], y2, t2[0], t2[1], _plate_carree_scale)
        # Right next to a pole the lon/lat image of a short arc can turn
        # sharply although it is only metres long: half the metric length of
        # the chord bounds the deviation there.
        dx = v2[3] - v1[3]
        dy = y2 - y1
        length = math.hypot(dx, dy)
        if length > 0.0:
            dev = min(dev, 0.5 * length * _plate_carree_scale(0.5 * (y1 + y2), dx / length, dy / length))
        return dev
    return _hermite_dev(v1[3], v1[4], v1[5], v1[6], v2[3], v2[4], v2[5], v2[6], _scale_m)


def _segment_ok(v1: _Vertex, v2: _Vertex, limit_m: float) -> bool:
    return _segment_dev(v1, v2) <= limit_m


def _refine(
    start: _Vertex,
    end: _Vertex,
    pieces: int,
    point: Callable[[float], _Vertex],
    limit_m: float,
    min_step: float,
) -> list[_Vertex]:
    """Vertices from ``start`` to ``end`` (both included): ``pieces`` equal
    steps of the parameter, then recursive bisection of every segment that
    fails the density rule."""
    p0 = start[0]
    p1 = end[0]
    step = (p1 - p0) / pieces
    todo = [end]
    for i in range(pieces - 1, 0, -1):
        todo.append(point(p0 + i * step))
    out = [start]
    cur = start
    while todo:
        nxt = todo[-1]
        if nxt[0] - cur[0] <= min_step or len(out) + len(todo) > _MAX_VERTICES or _segment_ok(cur, nxt, limit_m):
            out.append(nxt)
            cur = nxt
            todo.pop()
        else:
            todo.append(point(0.5 * (cur[0] + nxt[0])))
    return out


def _circle_step(tolerance: float) -> float:
    """Azimuth step (degrees) at which a chord of an undistorted circle just
    meets the safety-scaled tolerance."""
    return 2.0 * math.degrees(math.acos(max(-1.0, 1.0 - _SAFETY * tolerance)))


_COARSE_MAX_STEP = 22.5  # largest azimuth step (degrees) of the first pass


def _sample_arc(start: _Vertex, end: _Vertex, point: Callable[[float], _Vertex], limit_m: float,
                tolerance: float) -> list[_Vertex]:
    """Adaptive vertices between two circle vertices (parameter = azimuth).

    A coarse pass (steps of about three undistorted-circle steps, at most
    22.5 deg) estimates each segment's deviation; the segment is then split
    into as many equal steps as the estimate predicts (deviation ~ step^2), and
    finally every segment still failing the density rule is bisected
    recursively.  Where the coarse estimate is unusable the first split uses
    the step of an undistorted circle.
    """
    span = end[0] - start[0]
    fine = _circle_step(tolerance)
    coarse = max(1, math.ceil(span / min(_COARSE_MAX_STEP, 3.0 * fine) - 1e-9))
    step = span / coarse
    cv = [start] + [point(start[0] + i * step) for i in range(1, coarse)] + [end]
    out = [start]
    for a, b in zip(cv, cv[1:]):
        dev = _segment_dev(a, b)
        if dev == math.inf:
            pieces = math.ceil((b[0] - a[0]) / fine - 1e-9)
        elif dev <= limit_m:
            pieces = 1
        else:
            pieces = math.ceil(math.sqrt(dev / limit_m) * 1.02)
        out.extend(_refine(a, b, max(1, pieces), point, limit_m, _MIN_ALPHA_STEP)[1:])
    return out


def _fix_pole_longitudes(chain: list[list]) -> None:
    """A lone vertex exactly at a pole (a circle through the pole) has no
    meaningful longitude; give it the longitude of its predecessor (or
    successor) so the chain stays continuous.  Runs of pole vertices (a circle
    shrunk onto the opposite pole) keep their limit longitudes."""
    n = len(chain)

    def at_pole(i: int) -> bool:
        return abs(chain[i][1]) >= 90.0 - _POLE_EPS_DEG

    for i in range(n):
        if at_pole(i) and not (i > 0 and at_pole(i - 1)) and not (i + 1 < n and at_pole(i + 1)):
            if i > 0:
                chain[i][2] = chain[i - 1][2]
            elif n > 1:
                chain[i][2] = chain[1][2]


def _deep_copy(c):
    """GeoJSON coordinates copied (a position, a list of numbers, at once)."""
    if isinstance(c, list):
        return [x[:] if type(x) is list and x and type(x[0]) is float else _deep_copy(x) for x in c]
    return c
