"""Geodesically correct range rings, sectors and paths on the WGS84 ellipsoid.

Everything here is pure Python (geographiclib for the geodesic problems, shapely
only for the lazily computed GeoJSON/shapely exports); no Qt, no folium. The adaptive
sampling shared with paths is in :mod:`viewer.model.geodesy_sampling`, the polygons of a
region (poles, antimeridian, world minus a hole) in :mod:`viewer.model.geodesy_regions`,
and paths in :mod:`viewer.model.geodesic_path` (``PathGeometry`` and ``geodesic_path``
are importable from here too).

Coordinate conventions
----------------------
* Inputs and ``display`` coordinates are ``(lat, lon)`` tuples in degrees.
* ``display`` longitudes are *unwrapped*: they are continuous along every drawn
  ring/path and may go beyond +-180 so that Leaflet draws one continuous shape
  next to the centre's world copy.  Display rings are *open* (the first vertex is
  not repeated; Leaflet closes polygons itself).
* GeoJSON output follows RFC 7946: ``[lon, lat]`` order, longitudes within
  [-180, 180], split at the antimeridian, counter-clockwise exterior rings,
  clockwise holes, closed rings.

How a ring is built
-------------------
A geodesic circle of radius ``r`` is sampled by azimuth: the vertex at azimuth
``a`` is the end of the geodesic of length ``r`` leaving the centre at ``a``
(``Geodesic.Direct``).  The azimuth interval is bisected recursively until the
straight segment that Leaflet draws in Web Mercator between consecutive
vertices stays within ``tolerance * r`` of the true circle.  The deviation of a
segment is estimated from the two end vertices and the circle's tangent there
(which geographiclib returns for free: the circle is perpendicular to the
radial geodesic, Gauss's lemma) with a cubic Hermite model evaluated at 1/4,
1/2 and 3/4 of the segment; a safety factor keeps the true deviation below the
tolerance (this is verified exactly by the test-suite).

When the circle encloses a pole the radial geodesics at azimuth 0 (north pole)
or 180 (south pole) pass over it, and the unwrapped longitude of the circle
jumps by 360 degrees there; rings are cut at that azimuth and closed along the
top/bottom of the map.  When the radius exceeds the distance to *both* poles
the ring is a hole around the antipode and the covered area is the world minus
that hole.  Very close to the antipodal distance (within ~34 km of it) some
radial geodesics are no longer the shortest path (they have crossed the cut
locus, a short piece of the antipodal parallel); those azimuths are excluded so
that every vertex really lies at distance ``r`` from the centre.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Sequence

from geographiclib.geodesic import Geodesic

from viewer.model import numeric
from viewer.model.geodesic_bulk import geodesic_paths, geodesic_paths_of_positions
from viewer.model.geodesic_path import PathGeometry, geodesic_path
from viewer.model.geodesy_regions import (
    _display_from_polygons,
    _geojson_polygons,
    _region_polygons,
)
from viewer.model.geodesy_sampling import (
    _GEOD,
    _LINE_CAPS,
    _POLE_EPS_DEG,
    _POS_MASK,
    _SAFETY,
    DEFAULT_TOLERANCE,
    EARTH_ANTIPODAL_M,
    MERCATOR_MAX_LAT,
    _check_lat,
    _deep_copy,
    _finite,
    _fix_pole_longitudes,
    _norm_bearing,
    _norm_lon,
    _refine,
    _sample_arc,
    _Vertex,
    _vertex,
)

__all__ = [
    "EARTH_ANTIPODAL_M",
    "DEFAULT_TOLERANCE",
    "MERCATOR_MAX_LAT",
    "distance_bearing",
    "destination",
    "format_distance",
    "RingGeometry",
    "range_ring",
    "annular_sector",
    "PathGeometry",
    "geodesic_path",
    "geodesic_paths",
    "geodesic_paths_of_positions",
]

def distance_bearing(lat1: float, lon1: float, lat2: float, lon2: float) -> tuple[float, float, float]:
    """Shortest geodesic between two points on WGS84.

    Returns ``(distance_m, initial_bearing_deg, final_bearing_deg)``; bearings are
    clockwise from true north in [0, 360); the final bearing is the direction of
    travel on arrival at point 2.
    """
    lat1 = _check_lat("lat1", lat1)
    lat2 = _check_lat("lat2", lat2)
    lon1 = _finite("lon1", lon1)
    lon2 = _finite("lon2", lon2)
    res = _GEOD.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE | Geodesic.AZIMUTH)
    return res["s12"], _norm_bearing(res["azi1"]), _norm_bearing(res["azi2"])


def destination(lat: float, lon: float, bearing_deg: float, distance_m: float) -> tuple[float, float]:
    """Point reached by following the geodesic from (lat, lon) at ``bearing_deg``
    for ``distance_m`` metres; returns ``(lat, lon)`` with lon in [-180, 180]."""
    lat = _check_lat("lat", lat)
    lon = _finite("lon", lon)
    bearing_deg = _finite("bearing_deg", bearing_deg)
    distance_m = _finite("distance_m", distance_m)
    res = _GEOD.Direct(lat, lon, bearing_deg, distance_m, Geodesic.LATITUDE | Geodesic.LONGITUDE)
    return res["lat2"], _norm_lon(res["lon2"])


def bearing_text(az: float, nd: int = 0, width: int = 0) -> str:
    """A bearing in degrees as shown, from 0 up to below 360 (359.7 shows as 0, not 360), to ``nd``
    decimals, zero-padded to ``width`` characters."""
    v = round(az % 360.0, nd)
    if v >= 360.0:
        v = 0.0
    return f"{v:0{width}.{nd}f}" if width else f"{v:.{nd}f}"


def format_distance(m: float) -> dict[str, float]:
    """A distance in metres expressed in kilometres, nautical miles and statute miles."""
    m = _finite("m", m)
    return {"km": m / 1000.0, "nmi": m / 1852.0, "mi": m / 1609.344}


# --------------------------------------------------------------------------
# Circles
# --------------------------------------------------------------------------
class _Circle:
    """Sampling of one geodesic circle (centre lon already normalised)."""

    def __init__(self, lat: float, lon: float, radius: float, d_north: float, d_south: float):
        self.lat = lat
        self.lon = lon
        self.r = radius
        self.north_in = d_north < radius
        self.south_in = d_south < radius

    def raw(self, alpha: float) -> tuple[float, float, float]:
        d = _GEOD.Direct(self.lat, self.lon, alpha, self.r, _POS_MASK)
        return d["lat2"], d["lon2"], d["azi2"]

    def point(self, alpha: float) -> _Vertex:
        lat, lam, azi2 = self.raw(alpha)
        return _vertex(alpha, lat, lam, azi2 + 90.0)

    def jump_kind(self, alpha: float) -> int:
        """+1 if the radial geodesic at ``alpha`` passes the north pole, -1 the
        south pole, 0 otherwise (i.e. the unwrapped longitude jumps there)."""
        m = _norm_bearing(alpha)
        if m == 0.0 and self.north_in:
            return 1
        if m == 180.0 and self.south_in:
            return -1
        return 0

    def end_vertex(self, alpha: float, side: int) -> _Vertex:
        """Vertex at ``alpha`` seen from the side ``side`` (+1: the arc continues
        to larger azimuths, -1: it comes from smaller ones).  At a pole jump the
        longitude is the one-sided limit."""
        lat, lam, azi2 = self.raw(alpha)
        kind = self.jump_kind(alpha)
        if kind == 1:  # north: 0+ -> lon+180, 360- -> lon-180
            lam = self.lon + 180.0 if side > 0 else self.lon - 180.0
        elif kind == -1:  # south: 180- -> lon+180, 180+ -> lon-180
            lam = self.lon - 180.0 if side > 0 else self.lon + 180.0
        return _vertex(alpha, lat, lam, azi2 + 90.0)

    def arc(self, a0: float, a1: float, tolerance: float) -> list[list]:
        """Adaptive vertices for azimuths a0 <= a <= a1 as mutable lists
        [alpha, lat, lam, ...], longitudes continuous along the arc."""
        limit = _SAFETY * tolerance * self.r
        # breakpoints: multiples of 90 degrees (0/180 are where pole jumps occur)
        cuts = [a0]
        k = math.floor(a0 / 90.0) + 1
        while k * 90.0 < a1:
            cuts.append(k * 90.0)
            k += 1
        cuts.append(a1)
        chain: list[list] = []
        for i in range(len(cuts) - 1):
            b0, b1 = cuts[i], cuts[i + 1]
            if b1 - b0 <= 0.0:
                continue
            v0 = self.end_vertex(b0, +1)
            v1 = self.end_vertex(b1, -1)
            part = _sample_arc(v0, v1, self.point, limit, tolerance)
            if chain:
                shift = 360.0 * round((chain[-1][2] - part[0][2]) / 360.0)
                part = [(p[0], p[1], p[2] + shift) + tuple(p[3:]) for p in part] if shift else part
                part = part[1:]
            chain.extend(list(p) for p in part)
        _fix_pole_longitudes(chain)
        return chain


def _pole_distances(lat: float) -> tuple[float, float]:
    """Geodesic distances (metres) from latitude ``lat`` to the north and south
    poles (along the meridian; they add up to EARTH_ANTIPODAL_M)."""
    if lat == 90.0:
        return 0.0, EARTH_ANTIPODAL_M
    if lat == -90.0:
        return EARTH_ANTIPODAL_M, 0.0
    phi = math.radians(lat)
    # the pole is 90 deg minus the reduced latitude away on the auxiliary sphere
    beta = math.degrees(math.atan2((1.0 - _GEOD.f) * math.sin(phi), math.cos(phi)))
    line = _GEOD.Line(lat, 0.0, 0.0, Geodesic.DISTANCE)
    d_north = line.ArcPosition(90.0 - beta, Geodesic.DISTANCE)["s12"]
    return d_north, EARTH_ANTIPODAL_M - d_north


def _shortest_ok(circle: _Circle, alpha: float) -> bool:
    """Is the radial geodesic at ``alpha`` still a shortest path at the radius?"""
    lat, lam, _ = circle.raw(alpha)
    s = _GEOD.Inverse(circle.lat, circle.lon, lat, lam, Geodesic.DISTANCE)["s12"]
    return s >= circle.r - 1e-6


def _cut_locus_gaps(circle: _Circle) -> tuple[tuple[float, float] | None, tuple[float, float] | None]:
    """Azimuth intervals (around 90 and around 270 degrees) whose geodesics have
    crossed the cut locus before reaching the radius, i.e. where no point of
    the circle lies.  Only radii within ~34 km of EARTH_ANTIPODAL_M have any;
    the cut distance is smallest due east/west and grows towards the
    meridians (numerically verified), so each gap is one interval."""
    if circle.r <= EARTH_ANTIPODAL_M - 50_000.0:
        return None, None
    east = west = None
    if not _shortest_ok(circle, 90.0):
        east = (_boundary(circle, 0.0, 90.0), _boundary(circle, 180.0, 90.0))
    if not _shortest_ok(circle, 270.0):
        west = (_boundary(circle, 180.0, 270.0), _boundary(circle, 360.0, 270.0))
    return east, west


def _boundary(circle: _Circle, good: float, bad: float) -> float:
    for _ in range(200):
        mid = 0.5 * (good + bad)
        if mid in (good, bad) or abs(bad - good) < 1e-13:
            break
        if _shortest_ok(circle, mid):
            good = mid
        else:
            bad = mid
    return good


# --------------------------------------------------------------------------
# Ring / sector geometry
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class RingGeometry:
    """A range ring (or annular sector) ready to draw and export.

    ``display`` is what the map draws: Leaflet polygon(s) as
    ``[polygon][ring][(lat, lon)]``, outer ring first then holes, rings open
    (first vertex not repeated), longitudes unwrapped around the centre's world
    copy, latitudes clamped to +-MERCATOR_MAX_LAT only on the vertices added to
    close a pole cap / world box.  For a range ring:

    * no pole inside: ``[[circle]]`` (may extend beyond +-180, e.g. Fiji);
    * one pole inside: ``[[circle + 2 closing vertices]]``: the circle runs
      from lon_c+180 to lon_c-180 (north pole) or back (south pole) and is
      closed along the top/bottom of the map, so the fill is the cap;
    * both poles inside: ``[[world box, east half-hole, west half-hole]]``:
      the box spans lon_c-180..lon_c+180 and +-MERCATOR_MAX_LAT; the hole
      around the antipode straddles the box edge (the antipode is at
      lon_c+180), so it is given as its two halves, each closed along that
      edge; holes are oriented opposite to the box (any fill rule works);
    * radius = EARTH_ANTIPODAL_M: ``[[world box]]``.

    Leaflet would stroke the closing edges too; draw the fill without stroke
    and stroke :meth:`ring_arcs` (true circle chains) to avoid that.
    """

    centre: tuple[float, float]
    radius_m: float
    display: list[list[list[tuple[float, float]]]]
    contains_north_pole: bool
    contains_south_pole: bool
    inner_radius_m: float = 0.0
    # (radius_m, ((lat, lon), ...)) for every drawn chain of true circle
    # vertices, longitudes as in ``display``.
    arcs: tuple = field(default=(), repr=False, compare=False)
    # closed boundary loop ((lat, lam), ...) with the region on its right; the
    # last vertex repeats the first with its longitude shifted by 0 or +-360.
    boundary: tuple = field(default=(), repr=False, compare=False)

    # -- outline -----------------------------------------------------------
    def ring_arcs(self) -> list[tuple[float, list[tuple[float, float]]]]:
        """``(radius_m, chain)`` for every drawn chain of circle vertices (outer
        circle, and inner circle of a sector).  The chains are the parts of the
        display rings that are true circle, in display coordinates; drawing them
        as polylines strokes the outline without the pole-cap/world-box edges."""
        return [(r, list(chain)) for r, chain in self.arcs]

    def ring_vertices(self) -> list[tuple[float, float]]:
        """Every true circle vertex at ``radius_m`` (no pole-cap / world-box
        closing vertices, no radial-edge vertices of a sector)."""
        out: list[tuple[float, float]] = []
        for r, chain in self.arcs:
            if r == self.radius_m:
                out.extend(chain)
        return out

    def label_point(self, bearing_deg: float = 0.0) -> tuple[float, float]:
        """A point on the (outer) circle at ``bearing_deg`` from the centre,
        longitude unwrapped consistently with ``display``."""
        b = _finite("bearing_deg", bearing_deg)
        lat_c, lon_c = self.centre
        d = _GEOD.Direct(lat_c, lon_c, b, self.radius_m, Geodesic.LATITUDE | Geodesic.LONGITUDE | Geodesic.LONG_UNROLL)
        lat, lam = d["lat2"], d["lon2"]
        if (self.radius_m > EARTH_ANTIPODAL_M - 50_000.0
                and _GEOD.Inverse(lat_c, lon_c, lat, lam, Geodesic.DISTANCE)["s12"] < self.radius_m - 1e-3):
            # beyond the cut locus (radius within ~34 km of antipodal): use the
            # nearest true circle vertex instead.
            verts = self.ring_vertices()
            if verts:
                best = min(verts, key=lambda v: _GEOD.Inverse(lat, lam, v[0], v[1], Geodesic.DISTANCE)["s12"])
                return best
        # bring into the display longitude range
        if lam > lon_c + 180.0:
            lam -= 360.0
        elif lam < lon_c - 180.0:
            lam += 360.0
        return lat, lam

    # -- export --------------------------------------------------------------
    @cached_property
    def _geojson(self) -> dict:
        if not self.boundary:  # the whole world
            return {
                "type": "Polygon",
                "coordinates": [[[-180.0, -90.0], [180.0, -90.0], [180.0, 90.0], [-180.0, 90.0], [-180.0, -90.0]]],
            }
        polys = _region_polygons(self.boundary, -180.0, 90.0, self.contains_north_pole and self.contains_south_pole,
                                 centre=self.centre)
        return _geojson_polygons(polys)

    def to_geojson(self) -> dict:
        """RFC 7946 geometry (Polygon or MultiPolygon), split at the antimeridian."""
        g = self._geojson
        return {"type": g["type"], "coordinates": _deep_copy(g["coordinates"])}

    def to_shapely(self):
        """shapely geometry of :meth:`to_geojson` (lon/lat plane)."""
        numeric.load()
        from shapely.geometry import shape

        return shape(self._geojson)


def _check_tolerance(tolerance) -> float:
    t = _finite("tolerance", tolerance)
    if not 0.0 < t <= 0.1:
        raise ValueError(f"tolerance must be in (0, 0.1], got {t!r}")
    return t


def _check_radius(name: str, value, allow_zero: bool = False) -> float:
    r = _finite(name, value)
    if r < 0.0 or (r == 0.0 and not allow_zero):
        raise ValueError(f"{name} must be > 0 metres, got {r!r}")
    if r > EARTH_ANTIPODAL_M:
        raise ValueError(
            f"{name} must not exceed the antipodal distance {EARTH_ANTIPODAL_M:.1f} m, got {r!r}"
        )
    return r


def _strip(chain: Sequence[Sequence[float]]) -> tuple[tuple[float, float], ...]:
    return tuple((v[1], v[2]) for v in chain)


def range_ring(lat: float, lon: float, radius_m: float, tolerance: float = DEFAULT_TOLERANCE) -> RingGeometry:
    """Geodesic circle of ``radius_m`` around (lat, lon) on WGS84.

    Raises ValueError for a latitude outside [-90, 90], non-finite numbers, or
    a radius <= 0 or > EARTH_ANTIPODAL_M.
    """
    lat = _check_lat("lat", lat)
    lon = _norm_lon(_finite("lon", lon))
    radius_m = _check_radius("radius_m", radius_m)
    tolerance = _check_tolerance(tolerance)

    d_north, d_south = _pole_distances(lat)
    circle = _Circle(lat, lon, radius_m, d_north, d_south)
    north, south = circle.north_in, circle.south_in
    top = MERCATOR_MAX_LAT
    left, right = lon - 180.0, lon + 180.0

    if not (north and south):
        start = 180.0 if (south and not north) else 0.0
        chain = circle.arc(start, start + 360.0, tolerance)
        if not north and not south:
            ring = [(v[1], v[2]) for v in chain[:-1]]
            display = [[ring]]
            arcs = ((radius_m, tuple(ring)),)
            boundary = _strip(chain[:-1]) + ((chain[0][1], chain[0][2]),)
        else:
            ring = [(v[1], v[2]) for v in chain]
            if north:  # from lon+180 westwards to lon-180, close along the top
                outer = ring + [(top, left), (top, right)]
            else:  # from lon-180 eastwards to lon+180, close along the bottom
                outer = ring + [(-top, right), (-top, left)]
            display = [[outer]]
            arcs = ((radius_m, tuple(ring)),)
            boundary = _strip(chain)
        return RingGeometry((lat, lon), radius_m, display, north, south, 0.0, arcs, boundary)

    # Both poles inside: the circle is a hole around the antipode.  The east
    # half (azimuths 0..180) lies left of lon+180, the west half right of lon-180.
    box = [(top, left), (top, right), (-top, right), (-top, left)]
    east_ranges = [(0.0, 180.0)]
    west_ranges = [(180.0, 360.0)]
    if radius_m >= EARTH_ANTIPODAL_M:
        return _whole_world(lat, lon, radius_m, box)
    cut = _cut_locus_gaps(circle)
    if cut[0]:
        east_ranges = [(0.0, cut[0][0]), (cut[0][1], 180.0)]
    if cut[1]:
        west_ranges = [(180.0, cut[1][0]), (cut[1][1], 360.0)]
    east = _joined_arcs(circle, east_ranges, tolerance)
    west = _joined_arcs(circle, west_ranges, tolerance)
    if _degenerate(east) and _degenerate(west):
        return _whole_world(lat, lon, radius_m, box)
    east_ring = [(v[1], v[2]) for v in east]
    west_ring = [(v[1], v[2]) for v in west]
    display = [[box, east_ring, west_ring]]
    arcs = ((radius_m, tuple(east_ring)), (radius_m, tuple(west_ring)))
    # hole loop around lon+180: east half then the west half shifted by +360
    boundary = _strip(east) + tuple((v[1], v[2] + 360.0) for v in west[1:])
    return RingGeometry((lat, lon), radius_m, display, True, True, 0.0, arcs, boundary)


def _joined_arcs(circle: _Circle, ranges, tolerance) -> list[list]:
    """One display chain from several azimuth ranges of the same circle (the
    near-antipodal case, where the ranges meet at a corner on the cut locus)."""
    pieces = [circle.arc(a0, a1, tolerance) for a0, a1 in ranges if a1 > a0]
    return _chain(pieces)[0]


def _degenerate(chain) -> bool:
    """A hole narrower than ~1 mm (radius within nanometres of antipodal)."""
    if len(chain) < 2:
        return True
    lats = [v[1] for v in chain]
    lams = [v[2] for v in chain]
    return max(lats) - min(lats) < 1e-8 or max(lams) - min(lams) < 1e-8


def _whole_world(lat, lon, radius_m, box) -> RingGeometry:
    antipode = (-lat, lon + 180.0)
    return RingGeometry((lat, lon), radius_m, [[box]], True, True, 0.0, ((radius_m, (antipode,)),), ())


# --------------------------------------------------------------------------
# Annular sector
# --------------------------------------------------------------------------
def _radial(lat: float, lon: float, alpha: float, s0: float, s1: float, limit: float,
            d_north: float, d_south: float, side: int) -> list[list]:
    """Vertices along the geodesic from the centre at azimuth ``alpha`` for
    s0 <= s <= s1 (increasing s).  ``side`` = +1 if the region lies at larger
    azimuths (start edge), -1 if at smaller ones (end edge); it decides the
    longitude used beyond a pole the edge runs exactly through."""
    line = _GEOD.Line(lat, lon, alpha, _LINE_CAPS)
    m = _norm_bearing(alpha)
    pole = 0
    d_pole = 0.0
    if m == 0.0:
        pole, d_pole = 1, d_north
    elif m == 180.0:
        pole, d_pole = -1, d_south

    def fix(s: float, la: float, lam: float) -> float:
        if pole and s > d_pole:
            if pole == 1:
                return lon + 180.0 if side > 0 else lon - 180.0
            return lon - 180.0 if side > 0 else lon + 180.0
        return lam

    def point(s: float) -> _Vertex:
        p = line.Position(s, _POS_MASK)
        return _vertex(s, p["lat2"], fix(s, p["lat2"], p["lon2"]), p["azi2"])

    def pieces_for(a: float, b: float) -> int:
        return max(1, math.ceil((b - a) / 1_000_000.0))

    min_step = max(1e-6, (s1 - s0) * 1e-12)
    if pole and s0 < d_pole < s1:
        # the edge runs exactly over the pole: go up to it, along the pole
        # line (two vertices at the pole) and down the other meridian
        pole_lat = 90.0 * pole
        before = _refine(point(s0), _vertex(d_pole, pole_lat, lon, 0.0), pieces_for(s0, d_pole), point, limit, min_step)
        after = _refine(_vertex(d_pole, pole_lat, fix(s1, 0.0, 0.0), 0.0), point(s1), pieces_for(d_pole, s1),
                        point, limit, min_step)
        return [list(v) for v in before] + [list(v) for v in after]
    chain = [list(v) for v in _refine(point(s0), point(s1), pieces_for(s0, s1), point, limit, min_step)]
    for i, v in enumerate(chain):  # apex at a pole: longitude of the neighbour
        if abs(v[1]) >= 90.0 - _POLE_EPS_DEG:
            v[2] = chain[i + 1][2] if i + 1 < len(chain) else chain[i - 1][2]
    return chain


def _chain(pieces: list[list[list]]) -> tuple[list[list], list[int]]:
    """Concatenate pieces, shifting each by a multiple of 360 degrees so that
    the longitude is continuous.  At a pole the pole line is crossed eastwards
    at the north pole and westwards at the south pole (region on the right).
    Returns the chain and the index of every piece's first vertex in it."""
    out: list[list] = []
    starts: list[int] = []
    for piece in pieces:
        if not piece:
            starts.append(max(0, len(out) - 1))
            continue
        if out:
            last = out[-1]
            first = piece[0]
            if abs(last[1]) >= 90.0 - _POLE_EPS_DEG:
                diff = first[2] - last[2]
                if last[1] > 0:
                    shift = -360.0 * math.floor(diff / 360.0)
                else:
                    shift = -360.0 * math.ceil(diff / 360.0)
            else:
                shift = 360.0 * round((last[2] - first[2]) / 360.0)
            if shift:
                piece = [[v[0], v[1], v[2] + shift] + list(v[3:]) for v in piece]
            if abs(last[1] - piece[0][1]) < 1e-12 and abs(last[2] - piece[0][2]) < 1e-12:
                piece = piece[1:]
                starts.append(len(out) - 1)
            else:
                starts.append(len(out))
        else:
            starts.append(0)
        out.extend(piece)
    return out, starts


def annular_sector(
    lat: float,
    lon: float,
    r_inner_m: float,
    r_outer_m: float,
    bearing_from_deg: float,
    bearing_to_deg: float,
    tolerance: float = DEFAULT_TOLERANCE,
) -> RingGeometry:
    """The area between two geodesic circles (radii ``r_inner_m`` <
    ``r_outer_m``; ``r_inner_m`` may be 0 for a pie slice) and two radial
    geodesics, sweeping clockwise from ``bearing_from_deg`` to
    ``bearing_to_deg``.  ``radius_m`` of the result is ``r_outer_m``,
    ``inner_radius_m`` is ``r_inner_m``.
    """
    lat = _check_lat("lat", lat)
    lon = _norm_lon(_finite("lon", lon))
    r_in = _check_radius("r_inner_m", r_inner_m, allow_zero=True)
    r_out = _check_radius("r_outer_m", r_outer_m)
    if not r_in < r_out:
        raise ValueError(f"r_inner_m ({r_in!r}) must be smaller than r_outer_m ({r_out!r})")
    b_from = _finite("bearing_from_deg", bearing_from_deg)
    b_to = _finite("bearing_to_deg", bearing_to_deg)
    tolerance = _check_tolerance(tolerance)
    sweep = _norm_bearing(b_to - b_from)
    if sweep == 0.0:
        raise ValueError("bearing_from_deg and bearing_to_deg must differ (use range_ring for a full circle)")
    a0 = _norm_bearing(b_from)
    a1 = a0 + sweep

    d_north, d_south = _pole_distances(lat)
    outer = _Circle(lat, lon, r_out, d_north, d_south)
    for gap in _cut_locus_gaps(outer):
        if gap and any(gap[0] + k < a1 and a0 < gap[1] + k for k in (0.0, 360.0)):
            raise ValueError(
                f"r_outer_m {r_out!r} is so close to the antipodal distance that no point at that "
                f"distance exists at bearings {gap[0]:.3f}-{gap[1]:.3f} deg (beyond the cut locus); "
                "choose a smaller radius or other bearings"
            )
    limit = _SAFETY * tolerance * r_out
    outer_arc = outer.arc(a0, a1, tolerance)
    pieces = [outer_arc]
    pieces.append(_radial(lat, lon, a1, r_in, r_out, limit, d_north, d_south, -1)[::-1])
    inner_arc: list[list] = []
    if r_in > 0.0:
        inner = _Circle(lat, lon, r_in, d_north, d_south)
        inner_arc = inner.arc(a0, a1, tolerance)
        pieces.append(inner_arc[::-1])
    pieces.append(_radial(lat, lon, a0, r_in, r_out, limit, d_north, d_south, +1))
    loop, starts = _chain(pieces)
    # close: the last vertex is the first one again (maybe shifted by 360)
    first, last = loop[0], loop[-1]
    if abs(first[1] - last[1]) < 1e-9 and abs(math.remainder(first[2] - last[2], 360.0)) < 1e-9:
        loop[-1] = [last[0], first[1], first[2] + 360.0 * round((last[2] - first[2]) / 360.0)] + list(last[3:])
    else:
        loop.append(list(first))
    boundary = _strip(loop)

    def within(dist: float, bearing: float) -> bool:
        inside_sweep = a0 < bearing < a1 or a0 < bearing + 360.0 < a1
        return r_in < dist < r_out and inside_sweep

    north = within(d_north, 0.0) and lat != 90.0
    south = within(d_south, 180.0) and lat != -90.0

    lams = [v[2] for v in loop]
    winding = round((lams[-1] - lams[0]) / 360.0)
    shift = 0.0
    if winding == 0 and not (north and south):
        # an ordinary shape: draw it as one continuous polygon, moved to the
        # world copy nearest the centre's longitude
        shift = -360.0 * round((0.5 * (min(lams) + max(lams)) - lon) / 360.0)
        display = [[[(v[1], v[2] + shift) for v in loop[:-1]]]]
    else:  # encloses a pole or both: clip to the centre's world copy
        display = _display_from_polygons(_region_polygons(boundary, lon - 180.0, MERCATOR_MAX_LAT, north and south))

    # circle chains as they appear in the boundary loop
    outer_pts = tuple((v[1], v[2] + shift) for v in loop[: len(outer_arc)])
    arcs = [(r_out, outer_pts)]
    if inner_arc:
        seg = loop[starts[2]: starts[2] + len(inner_arc)]
        arcs.append((r_in, tuple((v[1], v[2] + shift) for v in seg)))
    return RingGeometry((lat, lon), r_out, display, north, south, r_in, tuple(arcs), boundary)
