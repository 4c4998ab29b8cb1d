"""Areas as drawn by hand: a corner list that crosses itself (a bow-tie) is split into the
simple areas it encloses, so what was drawn is kept and every piece can be saved."""

from __future__ import annotations

from viewer.model import numeric
from viewer.model.rules import unwrapped_ring


def repaired_areas(corners: list[list[float]]) -> list[list[list[float]]]:
    """Closed ``[lon, lat]`` rings of valid areas covering what ``corners`` enclose.

    One ring, unchanged, when the outline is already simple; several when it crosses itself;
    none when it encloses nothing (all corners on a line)."""
    numeric.load()
    from shapely import make_valid
    from shapely.geometry import Polygon

    from viewer.model.coords import normalise_lon

    ring = [list(c[:2]) for c in corners]
    if ring[0] != ring[-1]:
        ring.append(list(ring[0]))
    if len(ring) < 4:
        return []
    unwrapped = unwrapped_ring(ring)
    poly = Polygon(unwrapped)
    if poly.is_valid and poly.area > 0:
        return [ring]
    pieces = []
    fixed = make_valid(poly)
    for p in getattr(fixed, "geoms", [fixed]):
        if p.geom_type == "Polygon" and p.area > 0:
            coords = [[normalise_lon(x), y] for x, y in p.exterior.coords]
            coords[-1] = list(coords[0])
            pieces.append(coords)
    return pieces
