"""An area's written geometry (viewer.model.geometry.split_polygon): inside -180..180 it is the
area's own rings, closed, rounded and turned as shapely's ``orient`` turns them; across the
antimeridian it is cut into pieces, each back in range; a self-crossing outline is repaired to all it
encloses, less its holes."""

from __future__ import annotations

import math
import random

import pytest
import shapely
from shapely.geometry import Polygon, mapping, shape
from shapely.geometry.polygon import orient

from viewer.model.geometry import split_polygon


def _oracle(rings_latlon):
    """What the written geometry must be: shapely's oriented polygon, every number rounded."""
    shell, *holes = [[[lon, lat] for lat, lon in r] for r in rings_latlon]
    out = mapping(orient(Polygon(shell, holes), 1.0))

    def lists(c):
        if isinstance(c[0], (int, float)):
            return [round(float(c[0]), 9), round(float(c[1]), 9)]
        return [lists(x) for x in c]

    return {"type": "Polygon", "coordinates": lists(out["coordinates"])}


def _star(rng, lat, lon, r, n, clockwise):
    """A simple (star-shaped) ring of n vertices round (lat, lon), not closed."""
    angles = sorted(rng.uniform(0, 2 * math.pi) for _ in range(n))
    pts = [(lat + r * rng.uniform(0.4, 1.0) * math.sin(a), lon + r * rng.uniform(0.4, 1.0) * math.cos(a)) for a in angles]
    return pts[::-1] if clockwise else pts


def test_areas_inside_the_range_are_their_own_rings_oriented_as_shapely_does():
    rng = random.Random(5)
    checked = 0
    for _ in range(800):
        lat, lon = rng.uniform(-80, 80), rng.uniform(-175, 175)
        shell = _star(rng, lat, lon, rng.uniform(0.01, 4), rng.randint(3, 12), rng.random() < 0.5)
        rings = [shell]
        if rng.random() < 0.3:  # a small hole round the middle
            rings.append(_star(rng, lat, lon, 0.05 * rng.uniform(0.001, 0.3), rng.randint(3, 6), rng.random() < 0.5))
        shell_ll = [[x, y] for y, x in shell]
        if not shapely.is_valid(shapely.polygons(shell_ll, [[[x, y] for y, x in h] for h in rings[1:]] or None)):
            continue
        assert split_polygon(rings) == _oracle(rings)
        checked += 1
    assert checked > 500


def test_an_area_across_the_antimeridian_is_cut_into_pieces_in_range():
    g = split_polygon([[(10.0, 170.0), (10.0, 190.0), (20.0, 190.0), (20.0, 170.0)]])
    assert g["type"] == "MultiPolygon" and len(g["coordinates"]) == 2
    assert all(-180 <= x <= 180 for poly in g["coordinates"] for ring in poly for x, _ in ring)
    assert shape(g).is_valid
    # cut where its top and bottom edges, geodesics, cross 180 (a little poleward of 10 and 20 N)
    cuts = sorted({y for poly in g["coordinates"] for x, y in poly[0] if abs(x) == 180.0})
    assert len(cuts) == 2 and 10.0 < cuts[0] < 10.2 and 20.0 < cuts[1] < 20.4
    assert shape(g).area == pytest.approx(200.0, rel=0.01)


def test_a_self_crossing_outline_is_written_as_a_valid_area_of_all_it_encloses():
    g = split_polygon([[(0.0, 0.0), (1.0, 1.0), (1.0, 0.0), (0.0, 1.0)]])  # a bow tie
    geom = shape(g)
    # (both lobes, as the page fills it; before: one lobe only, half of what the map showed)
    assert geom.is_valid and geom.area == pytest.approx(0.5)
    assert g["type"] == "MultiPolygon" and len(g["coordinates"]) == 2


def test_a_hole_across_its_outline_is_written_as_a_notch():
    shell = [(0.0, 0.0), (0.0, 1.0), (1.0, 1.0), (1.0, 0.0)]
    hole = [(-0.2, 0.4), (-0.2, 0.6), (0.3, 0.5)]  # (lat, lon): a triangle over the southern edge
    geom = shape(split_polygon([shell, hole]))
    expected = Polygon([(x, y) for y, x in shell]).difference(Polygon([(x, y) for y, x in hole]))
    assert geom.is_valid and geom.symmetric_difference(expected).area < 1e-12
    assert geom.area == pytest.approx(1.0 - 0.5 * 0.12 * 0.3)  # (the part of the hole inside: 0.12 wide at the edge)
