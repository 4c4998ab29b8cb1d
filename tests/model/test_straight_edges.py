"""Edges GIS files draw straight in longitude/latitude keep their line when SitMap draws them as
geodesics: long ones are given points along it (viewer.model.io.straight_edges)."""

from __future__ import annotations

import json

import pytest
from geographiclib.geodesic import Geodesic

from tests.conftest import DATA
from viewer.model.geometry import shape_of
from viewer.model.io.open_any import open_map_bytes, open_map_file
from viewer.model.io.straight_edges import FLOOR_M, SHARE, follow_straight_edges

G = Geodesic.WGS84


def _short(a, b):
    """b's longitude the short way round from a's (as SitMap draws an edge)."""
    d = b[0] - a[0]
    return b[0] - 360 * (d > 180) + 360 * (d < -180)


def stray_m(a, b) -> float:
    """How far the geodesic from a to b ([lon, lat]) strays from their straight line (the short way
    round): the farthest of its quarter, middle and three-quarter points from the nearest point of
    that line, found by a golden-section search along it (geographiclib throughout)."""
    bx = _short(a, b)
    inv = G.Inverse(a[1], a[0], b[1], bx)

    def dist(s, g):
        return G.Inverse(g["lat2"], g["lon2"], a[1] + (b[1] - a[1]) * s, a[0] + (bx - a[0]) * s)["s12"]

    worst = 0.0
    for f in (0.25, 0.5, 0.75):
        g = G.Direct(a[1], a[0], inv["azi1"], inv["s12"] * f)
        lo, hi = max(0.0, f - 0.2), min(1.0, f + 0.2)
        for _ in range(16):
            m1, m2 = hi - (hi - lo) * 0.618, lo + (hi - lo) * 0.618
            if dist(m1, g) < dist(m2, g):
                hi = m2
            else:
                lo = m1
        worst = max(worst, dist((lo + hi) / 2, g))
    return worst


def within(ring) -> bool:
    return all(stray_m(a, b) <= 1.05 * max(FLOOR_M, SHARE * G.Inverse(a[1], a[0], b[1], b[0])["s12"])
               for a, b in zip(ring, ring[1:]))


def test_the_border_along_the_49th_parallel_stays_on_it():
    # (world.geo.json's United States: its border with Canada, edges of three degrees along 49° N)
    scenario, report = open_map_file(DATA / "realworld" / "world.geo.json" / "countries.geo.json")
    usa = [f for f in scenario.features if f.name == "United States of America"]
    (mainland,) = [f for f in usa if [-110.05, 49] in f.geometry["coordinates"][0]]
    ring = mainland.geometry["coordinates"][0]
    assert within(ring)
    # what the screen draws (the geodesics between the points): on the parallel within 50 m, where
    # the file's own corners alone made it bulge a kilometre north between -113 and -110.05
    display = shape_of(mainland).display[0][0]  # (its outer ring, as (lat, lon))
    border = [lat for lat, lon in display if -112.9 < lon < -110.1 and lat > 48.9]
    assert border and max(border) - 49.0 < 50 / 111_000
    assert "given points along long edges" in str(report)


def test_a_box_keeps_its_corners_and_its_parallels_and_heights_go_evenly():
    box = {"type": "Feature", "properties": {"name": "Zone"}, "geometry": {"type": "Polygon", "coordinates": [
        [[127, 37, 0], [130, 37, 30], [130, 39, 30], [127, 39, 0], [127, 37, 0]]]}}
    scenario, _ = open_map_bytes(json.dumps(box).encode(), "zone.geojson")
    ring = scenario.features[0].geometry["coordinates"][0]
    corners = [[127, 37, 0], [130, 37, 30], [130, 39, 30], [127, 39, 0], [127, 37, 0]]
    assert [p for p in ring if p in corners] == corners
    assert len(ring) > len(corners) and within(ring)
    south = [p for p in ring[:-1] if p[1] == 37]
    assert all(p[2] == pytest.approx((p[0] - 127) * 10) for p in south)  # (the height along the edge)
    assert all(q[0] - p[0] > 0 for p, q in zip(south, south[1:]))
    # the meridians (geodesics already) are given nothing
    assert [p for p in ring if p[0] == 130] == [[130, 37, 30], [130, 39, 30]]


def test_short_edges_poles_half_the_world_and_what_sitmap_wrote_are_left_as_they_are():
    keep = [
        {"type": "LineString", "coordinates": [[127.0, 37.0], [127.2, 37.1], [127.4, 37.0]]},  # short
        {"type": "LineString", "coordinates": [[0.0, 60.0], [180.0, 60.0]]},  # 180 degrees: either way
        {"type": "LineString", "coordinates": [[0.0, 89.5], [90.0, 89.5]]},  # by the pole
        {"type": "LineString", "coordinates": [[10.0, 0.0], [40.0, 0.0]]},  # the equator: a geodesic
        {"type": "Polygon", "coordinates": "not positions"},
        {"type": "LineString", "coordinates": [["a", 1], [2, 3]]},
    ]
    before = json.loads(json.dumps(keep))
    assert follow_straight_edges(keep) == 0 and keep == before
    path = {"type": "Feature", "properties": {"kind": "path", "name": "Track", "status": "estimated",
                                              "source": "me"},
            "geometry": {"type": "LineString", "coordinates": [[120.0, 40.0], [140.0, 45.0]]}}
    scenario, report = open_map_bytes(json.dumps(path).encode(), "mine.geojson")  # (SitMap's drawn kinds)
    assert scenario.features[0].geometry["coordinates"] == [[120.0, 40.0], [140.0, 45.0]]
    assert "long edges" not in str(report)


def test_a_projected_layer_keeps_its_positions_and_a_geographic_one_is_followed(tmp_path):
    import shapely

    from tests.model.test_gis_files import _gpkg

    line = shapely.to_wkb(shapely.LineString([(124.0, 38.0), (130.0, 38.0)]))
    scenario, _ = open_map_bytes(_gpkg(tmp_path, 4326, [line]), "geo.gpkg")
    assert len(scenario.features[0].geometry["coordinates"]) > 2 and within(scenario.features[0].geometry["coordinates"])
    mercator = shapely.to_wkb(shapely.LineString([(13_803_616.86, 4_579_425.81), (14_471_533.80, 4_579_425.81)]))
    scenario, _ = open_map_bytes(_gpkg(tmp_path, 3857, [mercator]), "merc.gpkg")  # (straight in its projection)
    assert len(scenario.features[0].geometry["coordinates"]) == 2


def test_the_first_screen_passes_every_edge_that_strays_too_far():
    import random

    from viewer.model.io import straight_edges as se

    rng = random.Random(5)
    lon, lat, sizes = [], [], []
    for _ in range(3000):  # edges of every length, heading and latitude (to 88 degrees)
        a0, a1 = rng.uniform(-180, 180), rng.uniform(-88, 88)
        span = 10 ** rng.uniform(-2, 1.3)
        b0, b1 = a0 + rng.uniform(-span, span), max(-88.0, min(88.0, a1 + rng.uniform(-span, span)))
        lon += [a0, b0]
        lat += [a1, b1]
        sizes.append(2)
    import numpy as np

    passed, parallels = se._screened(lon, lat, sizes)
    numpy_passed, numpy_parallels = se._screened_arrays(np, np.asarray(lon), np.asarray(lat), sizes)
    assert set(passed) == set(numpy_passed.tolist()) and parallels == numpy_parallels == []
    passed = set(passed)
    over = 0
    for i in range(0, len(lon), 2):
        a, b = (lon[i], lat[i]), (lon[i + 1], lat[i + 1])
        length = G.Inverse(a[1], a[0], b[1], b[0])["s12"]
        if stray_m(a, b) > max(FLOOR_M, SHARE * length):
            over += 1
            assert i in passed, (a, b)
    assert over > 100  # (the sample holds many that stray too far)
    assert len(passed) < 0.8 * len(sizes)  # (and the screen leaves many at once)


def test_a_whole_parallel_is_cut_along_it_either_way_and_in_a_large_file_too():
    def band():
        return {"type": "Polygon", "coordinates": [[[180, -30], [-180, -30], [-180, -20], [180, -20], [180, -30]]]}

    small = [band()]
    filler = [{"type": "LineString", "coordinates": [[x / 1000, 1.0], [x / 1000 + 0.0005, 1.0]]} for x in range(12_000)]
    large = [band()] + filler  # (past PYTHON_SCREEN_MAX positions: screened with numpy)
    for geoms in (small, large):
        assert follow_straight_edges(geoms) == 1
        ring = geoms[0]["coordinates"][0]
        south = [p for p in ring[:-1] if p[1] == -30]
        assert south[0] == [180, -30] and south[-1][0] == -180 and all(q[0] < p[0] for p, q in zip(south, south[1:]))
        assert within(ring)
    assert small[0] == large[0]


def test_an_import_into_the_open_map_keeps_the_straight_edges_as_opening_does():
    from viewer.model.io.annotations import import_annotations

    zone = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Box"}, "geometry": {"type": "Polygon", "coordinates": [
            [[131, 36], [137, 36], [137, 40], [131, 40], [131, 36]]]}},
        {"type": "Feature", "properties": {"kind": "path", "name": "Mine", "status": "estimated", "source": "me"},
         "geometry": {"type": "LineString", "coordinates": [[120.0, 40.0], [140.0, 45.0]]}}]}
    data = json.dumps(zone).encode()
    imported = import_annotations(data, "zone.geojson")
    opened, _ = open_map_bytes(data, "zone.geojson")
    assert [f.geometry for f in imported] == [f.geometry for f in opened.features]
    assert len(imported[0].geometry["coordinates"][0]) > 5 and within(imported[0].geometry["coordinates"][0])
    assert imported[1].geometry["coordinates"] == [[120.0, 40.0], [140.0, 45.0]]  # (SitMap's own: a geodesic)


def test_a_file_of_very_many_long_edges_is_given_a_bounded_number_of_points(monkeypatch):
    from viewer.model.io import straight_edges as se

    monkeypatch.setattr(se, "MAX_ADDED", 1000)
    lines = [{"type": "LineString", "coordinates": [[0.0, 60.0], [20.0, 60.0], [40.0, 60.0]]} for _ in range(50)]
    assert follow_straight_edges(lines) == 50
    added = sum(len(g["coordinates"]) - 3 for g in lines)
    assert 500 <= added <= 1000  # (each edge would take dozens: 100 edges share the thousand)
    assert all(g["coordinates"][0] == [0.0, 60.0] and [20.0, 60.0] in g["coordinates"] for g in lines)


def test_an_edge_whose_middle_is_on_its_line_is_followed_where_its_quarters_stray():
    # (from 60° S to 60° N: the geodesic and the straight line cross at the equator, their middles,
    # and part either side of it by hundreds of kilometres)
    line = [{"type": "LineString", "coordinates": [[0.0, -60.0], [60.0, 60.0]]}]
    assert stray_m([0.0, -60.0], [60.0, 60.0]) > 100_000
    assert follow_straight_edges(line) == 1
    coords = line[0]["coordinates"]
    assert coords[0] == [0.0, -60.0] and coords[-1] == [60.0, 60.0] and within(coords)


def test_every_piece_is_checked_near_the_equator_and_at_the_bound(monkeypatch):
    from viewer.model.io import straight_edges as se

    # a band a quarter of a degree north of the equator: four pieces of 90 degrees would bulge 11 km
    band = [{"type": "Polygon", "coordinates": [[[-180, 0.25], [180, 0.25], [180, 1], [-180, 1], [-180, 0.25]]]}]
    assert follow_straight_edges(band) == 1 and within(band[0]["coordinates"][0])
    # edges that climb: their pieces nearer the pole stray more than the estimate (from the whole
    # edge's stray) allows for; checked, cut again
    calls = []
    checked = se._any_piece_over
    monkeypatch.setattr(se, "_any_piece_over", lambda np, *a: calls.append(a[-1].tolist()) or checked(np, *a))
    for ends in ([[100.0, 10.0], [140.0, 60.0]], [[-10.0, -70.0], [30.0, 75.0]]):
        calls.clear()
        steep = [{"type": "LineString", "coordinates": ends}]
        assert follow_straight_edges(steep) == 1 and within(steep[0]["coordinates"])
        assert len(calls) > 1 and len(steep[0]["coordinates"]) - 1 == calls[-1][0] == 2 * calls[-2][0]
    # one that would need more than MAX_PIECES is given that many, no more
    steepest = [{"type": "LineString", "coordinates": [[-80.0, -75.0], [80.0, 75.0]]}]
    assert follow_straight_edges(steepest) == 1 and len(steepest[0]["coordinates"]) - 1 == se.MAX_PIECES


def test_an_edge_across_180_from_a_web_maps_copy_of_the_world_follows_its_parallel():
    # (Leaflet and geojson.io write 170 to 200 for an edge drawn east across 180; SitMap reads 200
    # as -160 and draws the short way: along the parallel too, not the great circle's bulge north)
    line = {"type": "Feature", "properties": {"name": "Across"},
            "geometry": {"type": "LineString", "coordinates": [[170.0, 60.0], [200.0, 60.0]]}}
    scenario, report = open_map_bytes(json.dumps(line).encode(), "across.geojson")
    coords = scenario.features[0].geometry["coordinates"]
    assert coords[0] == [170.0, 60.0] and coords[-1] == [-160.0, 60.0] and len(coords) > 10
    assert all(-180 <= lon <= 180 and lat == pytest.approx(60.0) for lon, lat in coords)
    east = [lon % 360 for lon, _ in coords]
    assert all(q > p for p, q in zip(east, east[1:])) and within(coords)
    assert "given points along long edges" in str(report)


def test_positions_with_heights_in_a_large_file_are_read_as_longitude_and_latitude():
    # (past PYTHON_SCREEN_MAX positions, each with a height: screened with numpy, three numbers each)
    filler = [{"type": "LineString", "coordinates": [[x / 1000, 1.0, 5.0], [x / 1000 + 0.0005, 1.0, 5.0]]}
              for x in range(12_000)]
    box = {"type": "Polygon", "coordinates": [[[127, 37, 1], [130, 37, 1], [130, 39, 1], [127, 39, 1], [127, 37, 1]]]}
    small, large = [json.loads(json.dumps(box))], [json.loads(json.dumps(box))] + filler
    assert follow_straight_edges(small) == 1 and follow_straight_edges(large) == 1
    assert large[0] == small[0] and within(small[0]["coordinates"][0])
    assert all(len(g["coordinates"]) == 2 for g in large[1:])


@pytest.mark.parametrize("bad", [
    [[-100, 38, "a"], [-97, 38, "b"]],  # (a height that is text)
    [{"a": 1}, [-97, 38]],  # (an object for a position)
    [[-100, 38, 10 ** 400], [-97, 38, 0]],  # (a height too large for a float)
    [[-100, 38], [-97]],  # (a position of one number)
    [],  # (no positions)
])
def test_a_line_that_is_not_plain_positions_is_left_and_the_others_are_followed(bad):
    geoms = [{"type": "LineString", "coordinates": bad},
             {"type": "LineString", "coordinates": [[-100.0, 49.0], [-97.0, 49.0]]}]
    for many in (False, True):  # (read without numpy, and with it)
        filler = [{"type": "LineString", "coordinates": [[x / 1000, 1.0], [x / 1000 + 0.0005, 1.0]]}
                  for x in range(12_000 if many else 0)]
        g = [dict(geoms[0]), dict(geoms[1])]
        assert follow_straight_edges(g + filler) == 1
        assert g[0]["coordinates"] is bad and len(g[1]["coordinates"]) > 2 and within(g[1]["coordinates"])
    feature = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Bad"}, "geometry": {"type": "LineString", "coordinates": bad}},
        {"type": "Feature", "properties": {"name": "Border"}, "geometry": geoms[1]}]}
    scenario, report = open_map_bytes(json.dumps(feature).encode(), "mixed.geojson")
    assert [f.name for f in scenario.features] == ["Border"] and "features[0] (name 'Bad')" in str(report)
    assert len(scenario.features[0].geometry["coordinates"]) > 2


@pytest.mark.parametrize("lat", [30, 60, 80, 88])
def test_a_whole_parallel_gets_no_more_pieces_than_it_needs(lat):
    """(Found in review: the estimate of a whole parallel's piece held an extra cos² φ, cutting it
    into 4-5 times the pieces its tolerance needs.) The geodesic across a piece of w radians rises
    about R w² sin φ cos φ / 8: about 8 SHARE / sin φ radians a piece."""
    import math

    g = [{"type": "LineString", "coordinates": [[-180, lat], [180, lat]]}]
    follow_straight_edges(g)
    pts = g[0]["coordinates"]
    assert len(pts) - 1 <= 1.3 * 2 * math.pi / (8 * SHARE / math.sin(math.radians(lat))) + 4
    assert within(pts)
