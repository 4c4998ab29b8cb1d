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


def stray_m(a, b) -> float:
    """How far the geodesic from a to b ([lon, lat]) strays from their straight line, at its middle."""
    inv = G.Inverse(a[1], a[0], b[1], b[0])
    mid = G.Direct(a[1], a[0], inv["azi1"], inv["s12"] / 2)
    return G.Inverse(mid["lat2"], mid["lon2"], (a[1] + b[1]) / 2, (a[0] + b[0]) / 2)["s12"]


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


def test_short_edges_poles_the_long_way_round_and_what_sitmap_wrote_are_left_as_they_are():
    keep = [
        {"type": "LineString", "coordinates": [[127.0, 37.0], [127.2, 37.1], [127.4, 37.0]]},  # short
        {"type": "LineString", "coordinates": [[170.0, 60.0], [-170.0, 60.0]]},  # 340 degrees: the short way
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
