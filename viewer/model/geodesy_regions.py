"""Regions for the geodesy: a ring's or sector's loop turned into valid polygons (around a
pole, across the antimeridian, the world minus a hole), their RFC 7946 GeoJSON and the
screen's unwrapped rings. Uses shapely, imported only when a region is built."""

from __future__ import annotations

import math
from typing import Sequence

from viewer.model import numeric
from viewer.model.meridian_crossing import with_crossings


# --------------------------------------------------------------------------
# Region construction (GeoJSON and complex display shapes), via shapely
# --------------------------------------------------------------------------
def _polygons_of(geom) -> list:
    numeric.load()
    from shapely.geometry import GeometryCollection, MultiPolygon, Polygon

    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom] if geom.area > 0.0 else []
    if isinstance(geom, (MultiPolygon, GeometryCollection)):
        out = []
        for g in geom.geoms:
            out.extend(_polygons_of(g))
        return out
    return []


def _valid(geom):
    numeric.load()
    import shapely

    if geom.is_valid:
        return geom
    return shapely.make_valid(geom)


def _region_polygons(loop: Sequence[Sequence[float]], left: float, pole_lat: float, outside: bool,
                     centre: tuple[float, float] | None = None) -> list:
    """Planar (x=lam, y=lat) polygons of the region bounded by ``loop``.

    ``loop`` is a closed list of (lat, lam): the last vertex is the first one
    again, with its longitude shifted by the winding W (0 or +-360).  The region
    lies on the right-hand side of the direction of travel: for W = 0 it is the
    inside of the loop, or (``outside``, both poles covered) everything but the
    inside; for W = -360 it is above the curve, for W = +360 below.  The result is
    clipped to the strip ``left <= x <= left + 360`` and ``|y| <= pole_lat``;
    latitudes are clamped to +-pole_lat.
    """
    numeric.load()
    import shapely
    from shapely.geometry import Polygon, box

    right = left + 360.0
    strip = box(left, -pole_lat, right, pole_lat)
    # (its crossings of +-180 on the geodesic: the strip's edges cut it there, not between two vertices)
    pts = [(x, max(-pole_lat, min(pole_lat, y))) for x, y in with_crossings([(p[1], p[0]) for p in loop], centre=centre)]
    winding = round((pts[-1][0] - pts[0][0]) / 360.0)
    lo = min(p[0] for p in pts)
    hi = max(p[0] for p in pts)
    if winding == 0:
        ring = pts[:-1]
        if len(ring) < 3:
            return [strip] if outside else []
        poly = _valid(Polygon(ring))
        pieces = []
        for k in range(math.floor((left - hi) / 360.0), math.ceil((right - lo) / 360.0) + 1):
            moved = shapely.affinity.translate(poly, xoff=360.0 * k) if k else poly
            if moved.bounds[2] <= left or moved.bounds[0] >= right:
                continue
            pieces.extend(_polygons_of(moved.intersection(strip)))
        if not outside:
            return pieces
        if not pieces:
            return [strip]
        return _polygons_of(strip.difference(shapely.union_all(pieces)))
    # The loop winds around the poles: the region is above (travel westwards)
    # or below (travel eastwards) the curve.  Unroll the curve periodically so
    # that it spans well beyond the strip on both sides, close it along the
    # pole line and clip.
    top = winding < 0
    base = pts if winding > 0 else pts[::-1]
    if abs(winding) != 1:
        raise ValueError("boundary winds more than once around the pole")
    period = 360.0
    k0 = math.floor((left - 360.0 - hi) / period) - 1
    k1 = math.ceil((right + 360.0 - lo) / period) + 1
    curve = []
    for k in range(k0, k1 + 1):
        off = k * period
        curve.extend((x + off, y) for x, y in base[:-1])
    curve.append((base[-1][0] + k1 * period, base[-1][1]))
    y_close = pole_lat if top else -pole_lat
    curve.append((curve[-1][0], y_close))
    curve.append((curve[0][0], y_close))
    poly = _valid(Polygon(curve))
    return _polygons_of(poly.intersection(strip))


HOLE_AREA_MIN_DEG2 = 1e-10  # (about a square metre at the equator)


def _geojson_polygons(polys: list) -> dict:
    numeric.load()
    from shapely.geometry import Polygon
    from shapely.geometry.polygon import orient

    def ring_coords(ring) -> list:
        out = []
        for x, y in ring.coords:
            out.append([max(-180.0, min(180.0, x)), max(-90.0, min(90.0, y))])
        if out[0] != out[-1]:
            out.append(list(out[0]))
        return out

    coords = []
    for p in polys:
        p = orient(p, sign=1.0)
        # (a hole of no area, left where a ring near the antipodal distance is cut at the
        # antimeridian, has no orientation for RFC 7946 to ask of it, and holds nothing: left out)
        coords.append([ring_coords(p.exterior)] + [ring_coords(r) for r in p.interiors
                                                   if abs(Polygon(r).area) > HOLE_AREA_MIN_DEG2])
    if len(coords) == 1:
        return {"type": "Polygon", "coordinates": coords[0]}
    return {"type": "MultiPolygon", "coordinates": coords}


def _display_from_polygons(polys: list) -> list[list[list[tuple[float, float]]]]:
    out = []
    for p in polys:
        rings = [p.exterior] + list(p.interiors)
        out.append([[(y, x) for x, y in r.coords[:-1]] for r in rings])
    return out
