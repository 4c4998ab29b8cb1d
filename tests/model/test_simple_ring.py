"""Small polygons without shapely (viewer.model.simple_ring): "valid" only where shapely agrees, the
label point where shapely puts it, and a small map read, drawn and exported without loading shapely
or numpy."""

from __future__ import annotations

import math
import random
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import shapely
from shapely.geometry import Polygon

from viewer.model.simple_ring import _orient, interior_point, plainly_valid, valid_polygon

ROOT = Path(__file__).resolve().parents[2]


def _rings(seed: int, n: int):
    """Star-shaped rings (simple), random ones (mostly crossing themselves) and rings on a coarse
    grid (vertices repeated, edges touching and lying along each other)."""
    rnd = random.Random(seed)
    for trial in range(n):
        k = rnd.randint(3, 30)
        if trial % 3 == 0:
            cx, cy = rnd.uniform(-170, 170), rnd.uniform(-80, 80)
            angles = sorted(rnd.uniform(0, 2 * math.pi) for _ in range(k))
            pts = [(cx + rnd.uniform(0.01, 5) * math.cos(a), cy + rnd.uniform(0.01, 5) * math.sin(a)) for a in angles]
        elif trial % 3 == 1:
            pts = [(rnd.uniform(0, 10), rnd.uniform(0, 10)) for _ in range(k)]
        else:
            pts = [(float(rnd.randint(0, 4)), float(rnd.randint(0, 4))) for _ in range(k)]
        yield pts + [pts[0]]


def test_a_ring_is_called_valid_only_where_shapely_finds_it_valid_and_most_simple_ones_are():
    said_valid = simple = simple_said_valid = 0
    for ring in _rings(5, 9000):
        valid = shapely.is_valid(Polygon(ring))
        if plainly_valid(ring):
            said_valid += 1
            assert valid, ring
        if valid:
            simple += 1
            simple_said_valid += plainly_valid(ring)
    assert said_valid > 500
    assert simple_said_valid >= 0.9 * simple  # the rest (touching, in a line) go to shapely


def _quadrilaterals(seed: int, n: int):
    """Four-cornered rings: convex ones (squares, boxes, slivers), dents, bow ties, corners on a
    coarse grid (repeated, in a line), either way round."""
    rnd = random.Random(seed)
    for trial in range(n):
        k = trial % 4
        if k == 0:  # convex: corners at increasing angles round a centre
            cx, cy, r = rnd.uniform(-170, 170), rnd.uniform(-80, 80), rnd.choice((1e-9, 1e-4, 0.25, 5.0))
            angles = sorted(rnd.uniform(0, 2 * math.pi) for _ in range(4))
            pts = [(cx + r * math.cos(a), cy + r * rnd.uniform(1e-6, 1.0) * math.sin(a)) for a in angles]
        elif k == 1:
            pts = [(rnd.uniform(0, 1), rnd.uniform(0, 1)) for _ in range(4)]
        elif k == 2:  # a sliver: two corners nearly on the line through the other two
            x, y, d = rnd.uniform(0, 10), rnd.uniform(0, 10), rnd.choice((1e-15, 1e-12, 1e-9, 0.0))
            pts = [(x, y), (x + 1.0, y + d), (x + 2.0, y), (x + 1.0, y - rnd.choice((d, -d, 1.0)))]
        else:
            pts = [(float(rnd.randint(0, 2)), float(rnd.randint(0, 2))) for _ in range(4)]
        if rnd.random() < 0.5:
            pts.reverse()
        yield pts + [pts[0]]


def test_a_quadrilateral_is_called_valid_only_where_shapely_finds_it_valid_and_a_convex_one_at_once():
    said = convex = 0
    for ring in _quadrilaterals(7, 20000):
        valid = shapely.is_valid(Polygon(ring))
        if plainly_valid(ring):
            said += 1
            assert valid, ring
        turns = {_orient(a, b, c) for a, b, c in zip(ring[-2:-1] + ring[:-2], ring[:-1], ring[1:])}
        if len(turns) == 1 and 0 not in turns and len(set(ring[:-1])) == 4:
            convex += 1
            assert plainly_valid(ring), ring  # (four turns one way: convex, and simple)
    assert said > 4000 and convex > 4000


def test_turns_near_a_straight_line_are_told_exactly():
    a, b = (0.0, 0.0), (1.0, 1.0)
    for dy in (1e-300, 1e-17, 5e-16, 1e-12, 0.0, -1e-17, -1e-300):
        c = (2.0, 2.0 + dy)
        exact = (Fraction(b[0]) - Fraction(a[0])) * (Fraction(c[1]) - Fraction(a[1])) \
            - (Fraction(b[1]) - Fraction(a[1])) * (Fraction(c[0]) - Fraction(a[0]))
        assert _orient(a, b, c) == (exact > 0) - (exact < 0), dy
    # a spike back along the same line, a repeated vertex, an unclosed ring: not certain
    assert not plainly_valid([(0, 0), (2, 0), (1, 0), (1, 1), (0, 0)])
    assert not plainly_valid([(0, 0), (1, 0), (1, 0), (1, 1), (0, 0)])
    assert not plainly_valid([(0, 0), (1, 0), (1, 1), (0, 1)])


def test_once_shapely_is_loaded_or_a_polygon_has_holes_shapely_judges():
    shell = [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]
    assert valid_polygon(shell)
    assert valid_polygon(shell, [[(2, 2), (4, 2), (4, 4), (2, 4), (2, 2)]])
    assert not valid_polygon(shell, [[(2, 2), (14, 2), (14, 4), (2, 4), (2, 2)]])  # a hole out of its shell
    assert not valid_polygon([(0, 0), (10, 10), (10, 0), (0, 10), (0, 0)])  # a bow tie


def test_the_label_point_is_shapelys_representative_point():
    tried = 0
    for ring in _rings(11, 6000):
        poly = Polygon(ring)
        if not poly.is_valid:
            continue
        tried += 1
        rp = poly.representative_point()
        x, y = interior_point(ring)
        assert math.hypot(rp.x - x, rp.y - y) < 1e-9, ring
        assert poly.contains(shapely.Point(x, y)) or poly.boundary.distance(shapely.Point(x, y)) < 1e-9
    assert tried > 500


def test_a_small_map_is_read_drawn_and_its_basemap_credited_without_shapely_or_numpy():
    code = """
import sys
from viewer import resources
from viewer.model.scenario import load_scenario
from viewer.render import layers
from viewer.render.basemap import Basemap
s = load_scenario(resources.default_scenario())
drawn = layers.draw_scenario(s)
assert any(d.kind == "area" and d.label_at for d in drawn)
assert Basemap.load().attribution
print(sorted(m for m in ("shapely", "numpy", "pyproj") if m in sys.modules))
"""
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_an_area_with_holes_of_different_lengths_is_judged_not_refused():
    """(shapely.polygons took the holes as one array: two holes of 4 and 5 positions made a
    ValueError, and the reader refused a valid area with a crash instead of a reason.)"""
    from viewer.model.scenario import ScenarioError, parse_scenario

    square = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    triangle, small_square = [[1, 1], [2, 1], [2, 2], [1, 1]], [[5, 5], [6, 5], [6, 6], [5, 6], [5, 5]]
    assert valid_polygon([tuple(p) for p in square], [triangle, small_square])

    def area(*rings):
        return {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "a", "properties": {
            "kind": "area", "name": "A"}, "geometry": {"type": "Polygon", "coordinates": list(rings)}}]}

    s = parse_scenario(area(square, triangle, small_square))
    assert len(s.features[0].geometry["coordinates"]) == 3
    crossing = [[1, 1], [2, 1], [2, 2], [1, 2], [1, 1]]  # meets the triangle along an edge
    with pytest.raises(ScenarioError, match="invalid polygon"):
        parse_scenario(area(square, triangle, crossing))
