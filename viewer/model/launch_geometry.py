"""The geometry of a launch event's estimate: the flight path (a geodesic from the launch point at a
bearing) and the impact area (range +- spread, bearing +- spread), as stored [lon, lat] positions,
and the rounding every stored coordinate of the event gets. Used by
:mod:`viewer.model.launch_event`."""

from __future__ import annotations

import math

from viewer.model.geodesy import destination
from viewer.model.rules import unwrapped_ring

#: The impact area's arcs are sampled at least this often (degrees of bearing).
ARC_STEP_DEG = 1.0
#: The impact area's radial edges get a vertex at least this often (metres).
RADIAL_STEP_M = 50_000.0
#: Coordinates are stored to 1e-6 degree (about 0.1 m).
DIGITS = 6


def rounded(x: float) -> float:
    return round(x, DIGITS)


def impact_area_ring(lat: float, lon: float, r_inner_m: float, r_outer_m: float,
                     bearing_from: float, bearing_to: float) -> list[list[float]] | None:
    """Closed [lon, lat] ring of the area between two geodesic circles and two radial geodesics.

    Arcs every ``ARC_STEP_DEG`` at most, radial edges every ``RADIAL_STEP_M`` at most. Starts at the
    outer corner of ``bearing_from``, goes in along that radial, along the inner arc, out along the
    ``bearing_to`` radial and back along the outer arc. Longitudes in -180..180 (an area across
    the 180th meridian is stored so, its edges the short way); None when the area would go round a
    pole (no area SitMap draws holds that).
    """
    sweep = bearing_to - bearing_from
    n_arc = max(1, math.ceil(sweep / ARC_STEP_DEG - 1e-9))
    n_rad = max(1, math.ceil((r_outer_m - r_inner_m) / RADIAL_STEP_M - 1e-9))
    bearings = [bearing_from + sweep * i / n_arc for i in range(n_arc + 1)]
    pts: list[tuple[float, float]] = []
    # in along the first radial (outer corner first)
    for j in range(n_rad + 1):
        pts.append(_dest(lat, lon, bearing_from, r_outer_m - (r_outer_m - r_inner_m) * j / n_rad, r_inner_m))
    for b in bearings[1:]:
        pts.append(_dest(lat, lon, b, r_inner_m, r_inner_m))
    for j in range(1, n_rad + 1):
        pts.append(_dest(lat, lon, bearing_to, r_inner_m + (r_outer_m - r_inner_m) * j / n_rad, r_inner_m))
    for b in reversed(bearings[1:-1]):
        pts.append(_dest(lat, lon, b, r_outer_m, r_inner_m))
    ring = [[rounded(lo), rounded(la)] for la, lo in pts]
    ring.append(list(ring[0]))
    unwrapped = unwrapped_ring(ring)  # (a ring round a pole ends a world away from where it began)
    if abs(unwrapped[-1][0] - unwrapped[0][0]) > 180.0:
        return None
    return ring


# A path's edges are drawn the short way between their ends: a flight path longer than this is
# given points along its geodesic so that each edge is the one it follows.
PATH_EDGE_M = 9_000_000.0


def flight_path_vertices(lat: float, lon: float, bearing: float, range_m: float) -> list[list[float]]:
    """[lon, lat] vertices of the geodesic from the launch point at ``bearing`` for ``range_m``:
    its ends, and points along it so that no edge is longer than ``PATH_EDGE_M`` (longitudes in
    -180..180: a path across the 180th meridian or over a pole is stored so)."""
    n = max(1, math.ceil(range_m / PATH_EDGE_M))
    out = [[rounded(lon), rounded(lat)]]
    for k in range(1, n + 1):
        la, lo = destination(lat, lon, bearing, range_m * k / n)
        out.append([rounded(lo), rounded(la)])
    return out


def _dest(lat: float, lon: float, bearing: float, dist: float, r_inner: float) -> tuple[float, float]:
    if dist <= 0.0:
        return lat, lon
    return destination(lat, lon, bearing, dist)
