"""Real files whose shapes cross 180 degrees unsplit, as GDAL's ogr2ogr writes them (an edge from
170 to -170: tests/data/realworld/antimeridian, from the antimeridian project's test suite): each
opens on its shapes across 180, not on the whole world; an area is drawn whole across it (not
round the world the other way); the GeoJSON SitMap writes is split there (RFC 7946) and reopens as
the same area; a polygon that is only a band round the globe in another tool's reading is refused,
saying why."""

from __future__ import annotations

import json

import pytest

from tests.conftest import DATA
from viewer.export.geojson import write_geojson
from viewer.model.io.open_any import open_map_file
from viewer.render import layers

FILES = DATA / "realworld" / "antimeridian"
# (multi-line: a line across 180 and one at 0 degrees: 0 to 190, narrower than -170 to 170)
OPEN = ["split", "line", "multi-line", "multi-split", "one-hole", "two-holes", "over-180", "crossing-latitude",
        "cw-split", "point-on-antimeridian", "almost-180", "complex-split", "great-circle"]


def _pairs(v):
    if isinstance(v[0], (int, float)):
        return [tuple(v[:2])]
    return [p for x in v for p in _pairs(x)]


def lons_of(v, out):
    if isinstance(v[0], (int, float)):
        out.append(v[1])
    else:
        for x in v:
            lons_of(x, out)
    return out


@pytest.mark.parametrize("name", OPEN)
def test_each_opens_on_its_shapes_across_the_antimeridian(name):
    scenario, _report = open_map_file(FILES / f"{name}.json")
    (south, west), (north, east) = scenario.view["bounds"]
    assert west <= 180.0 <= east or west <= -180.0 <= east, scenario.view  # the view reaches 180
    assert east - west <= (195.0 if name == "multi-line" else 125.0), scenario.view  # (not the whole world: 360)
    assert -90 <= south < north <= 90


def test_an_unsplit_box_across_180_is_drawn_whole_there_and_written_split():
    scenario, report = open_map_file(FILES / "split.json")
    assert report.lines() == [report.lines()[0], "  1 line(s) or area(s) given points along long edges, to keep the "
                              "straight lines the file draws in longitude/latitude."]
    (area,) = layers.draw_scenario(scenario)
    lons = lons_of(area.latlngs, [])
    assert max(lons) - min(lons) == pytest.approx(20.0)  # 170 to 190, not -170 round to 170
    # its edges along 40° and 50° N followed across 180 (the short way, as the box is drawn), as the
    # antimeridian package splits it, not the geodesic's bulge of 50 km north
    lats = _pairs(area.latlngs)  # (lat, lon)
    assert len(lats) > 10 and 40.0 - 1e-6 <= min(lat for lat, _ in lats) and max(lat for lat, _ in lats) <= 50.01
    assert scenario.view["bounds"] == [[39.8, 169.8], [50.2, 190.2]]


def test_its_geojson_is_split_at_180_and_reopens_as_the_same_area(tmp_path):
    scenario, _ = open_map_file(FILES / "one-hole.json")
    out = tmp_path / "one-hole.geojson"
    write_geojson(scenario, out)
    written = json.loads(out.read_text(encoding="utf-8"))
    (geom,) = [f["geometry"] for f in written["features"]]
    assert geom["type"] == "MultiPolygon"  # (RFC 7946: cut at the antimeridian)
    assert all(-180 <= x <= 180 for x in lons_of(geom["coordinates"], []))
    again, report = open_map_file(out)
    assert not report.anything_to_say
    (a,), (b,) = layers.draw_scenario(scenario), layers.draw_scenario(again)
    lons_a, lons_b = lons_of(a.latlngs, []), lons_of(b.latlngs, [])
    assert min(lons_b) == pytest.approx(min(lons_a)) and max(lons_b) == pytest.approx(max(lons_a))
    # the same span across 180 (its edges densified: the view reaches the geodesics' bulge north)
    (s0, w0), (n0, e0) = scenario.view["bounds"]
    (s1, w1), (n1, e1) = again.view["bounds"]
    assert (w1, e1, s1) == pytest.approx((w0, e0, s0)) and n0 <= n1 < n0 + 0.5


def test_a_band_round_the_globe_opens_as_the_band_between_its_parallels():
    # (-180 to 180 along a parallel: the whole parallel, as GIS tools draw it; as a geodesic it is
    # one point, and the band was refused as enclosing nothing)
    import math

    from geographiclib.geodesic import Geodesic

    scenario, report = open_map_file(FILES / "latitude-band.json")
    (band,) = scenario.features
    ring = band.geometry["coordinates"][0]
    assert {p[1] for p in ring} == {40.0, 50.0} and min(p[0] for p in ring) == -180 and max(p[0] for p in ring) == 180
    g = Geodesic.WGS84
    e = math.sqrt(g.f * (2 - g.f))

    def zone(lat):  # (the ellipsoid's area from the equator to lat, over 2 pi b²)
        s = math.sin(math.radians(lat))
        return s / (2 * (1 - (e * s) ** 2)) + math.log((1 + e * s) / (1 - e * s)) / (4 * e)

    b = g.a * (1 - g.f)
    assert _area_m2(ring) == pytest.approx(2 * math.pi * b * b * (zone(50) - zone(40)), rel=1e-3)
    assert "given points along long edges" in str(report)
    (south, _), (north, _) = scenario.view["bounds"]
    assert 39 < south < 40 and 50 < north < 51


def _area_m2(ring):
    from geographiclib.geodesic import Geodesic

    poly = Geodesic.WGS84.Polygon()
    for lon, lat in ring[:-1]:
        poly.AddPoint(lat, lon)
    return abs(poly.Compute(False, True)[2])


def test_country_parts_cut_at_180_are_one_area_again_with_the_same_area(monkeypatch):
    # (world.geo.json's countries, cut at 180 as RFC 7946 asks: Fiji's Vanua Levu and Russia's
    # Chukotka and Wrangel Island in two pieces each; before: opened as those pieces)
    from viewer.model.io import geojson_any

    # (the pieces' own edges, as the file has them: not given points along long edges, which a
    # joined edge and its two halves are given each within its own tolerance; test_straight_edges)
    monkeypatch.setattr(geojson_any, "follow_straight_edges", lambda geometries: 0)
    path = DATA / "realworld" / "world.geo.json" / "countries.geo.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    scenario, _ = open_map_file(path)
    for name, before, after in (("Fiji", 3, 2), ("Russia", 13, 11)):
        raw = next(f for f in doc["features"] if f["properties"]["name"] == name)["geometry"]["coordinates"]
        mine = [f for f in scenario.features if f.name == name]
        assert (len(raw), len(mine)) == (before, after)
        assert sum(_area_m2(p[0]) for p in raw) == pytest.approx(sum(_area_m2(f.geometry["coordinates"][0]) for f in mine),
                                                                  rel=1e-9)
        across = [f for f in mine if max(c[0] for c in f.geometry["coordinates"][0]) > 179.9
                  and min(c[0] for c in f.geometry["coordinates"][0]) < -179.8]
        assert across, name  # one area either side of 180
    assert len(scenario.features) == 289  # (292 parts, three pairs joined)


def test_a_path_across_180_written_split_reopens_as_one_path():
    from viewer.model.io.open_any import open_map_bytes
    from viewer.model.scenario import parse_scenario

    line = {"type": "Feature", "id": "route", "geometry": {"type": "LineString", "coordinates": [[170.0, 10.0], [-170.0, 12.0]]},
            "properties": {"kind": "path", "name": "Route", "status": "estimated", "source": "test"}}
    s = parse_scenario({"type": "FeatureCollection", "sitmap": {"title": "t"}, "features": [line]}, "t")
    written = layers.drawn_to_geojson(s, layers.draw_scenario(s))
    assert written["features"][0]["geometry"]["type"] == "MultiLineString"
    again, report = open_map_bytes(json.dumps(written).encode(), "route.geojson")
    assert not report.anything_to_say
    (f,) = again.features  # (before: two paths, or one foreign feature per part)
    assert f.kind == "path" and f.name == "Route"
    (d,) = layers.draw_scenario(again)
    lons = lons_of(d.latlngs, [])
    assert min(lons) == pytest.approx(170.0) and max(lons) == pytest.approx(190.0)


def test_a_kml_multigeometry_cut_at_180_opens_as_one_area(tmp_path):
    # (Fiji as QGIS writes a layer to KML: one Placemark, a MultiGeometry of its three polygons,
    # two of them the halves of Vanua Levu cut at 180)
    path = DATA / "realworld" / "world.geo.json" / "countries.geo.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    fiji = next(f for f in doc["features"] if f["properties"]["name"] == "Fiji")["geometry"]["coordinates"]
    polygons = "".join("<Polygon><outerBoundaryIs><LinearRing><coordinates>"
                       + " ".join(f"{x},{y}" for x, y in p[0]) + "</coordinates></LinearRing></outerBoundaryIs></Polygon>"
                       for p in fiji)
    kml = tmp_path / "fiji.kml"
    kml.write_text('<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
                   f"<Placemark><name>Fiji</name><MultiGeometry>{polygons}</MultiGeometry></Placemark></Document></kml>",
                   encoding="utf-8")
    scenario, report = open_map_file(kml)
    assert not report.anything_to_say
    assert len(scenario.features) == 2  # (before: 3)
    assert sum(_area_m2(p[0]) for p in fiji) == pytest.approx(
        sum(_area_m2(f.geometry["coordinates"][0]) for f in scenario.features), rel=1e-9)
    (south, west), (north, east) = scenario.view["bounds"]
    assert west < 180 < east and east - west < 5


@pytest.mark.parametrize("holes", [[], [[[0, 0], [0, 10], [10, 10], [10, 0], [0, 0]]]])
def test_a_polygon_round_the_whole_world_is_left_out_and_said_not_turned_into_its_hole(tmp_path, holes):
    # (another tool's world box, or the world less a hole: its edges along the poles and the
    # antimeridian are geodesics of no length; its hole was kept as the area, "repaired")
    from viewer.model.scenario import ScenarioError

    world = {"type": "Polygon", "coordinates": [[[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]]] + holes}
    square = {"type": "Polygon", "coordinates": [[[20, 0], [30, 0], [30, 10], [20, 10], [20, 0]]]}
    path = tmp_path / "mask.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "outside"}, "geometry": world},
        {"type": "Feature", "properties": {"name": "square"}, "geometry": square}]}))
    scenario, report = open_map_file(path)
    assert [f.name for f in scenario.features] == ["square"]
    assert "polygons around the whole world from pole to pole" in str(report) and "repaired" not in str(report)
    path.write_text(json.dumps({"type": "Feature", "properties": {}, "geometry": world}))
    with pytest.raises(ScenarioError, match="whole world"):
        open_map_file(path)


def test_a_kml_range_ring_round_both_poles_reopens_as_that_ring(tmp_path):
    from viewer.export.writers import writer_for
    from viewer.model.scenario import Feature, Scenario

    ring = Feature("wide", "range_ring", {"type": "Point", "coordinates": [125.7, 39.0]},
                   {"kind": "range_ring", "name": "15,000 km", "radius_m": 15_000_000.0, "source": "x"})
    path = tmp_path / "wide.kml"
    writer_for(path).write(Scenario(title="t", features=[ring], facts=[]), path)
    again, _ = open_map_file(path)
    (back,) = again.features
    assert back.kind == "range_ring" and back.properties["radius_m"] == 15_000_000.0
    assert back.geometry["coordinates"] == [125.7, 39.0]


def test_a_line_cut_at_180_thousands_of_times_is_joined_whole_and_its_pieces_left_as_they_were():
    # (each join rebuilt the whole line so far: a line of 3,000 crossings took seconds to reopen)
    from viewer.model.io.cut_at_180 import joined_at_180

    n = 3001  # corners, at 170 E and 170 W in turn: each edge crosses 180
    lon = [170.0 if i % 2 == 0 else -170.0 for i in range(n)]
    y = [i * 0.01 for i in range(n)]
    mid = [(y[i] + y[i + 1]) / 2 for i in range(n - 1)]

    def at_180(i, leaving):  # where edge i crosses, on the side of corner i (leaving) or i + 1
        side = lon[i] if leaving else lon[i + 1]
        return [180.0 if side > 0 else -180.0, mid[i]]

    pieces = [{"type": "LineString", "coordinates": [[lon[0], y[0]], at_180(0, True)]}]
    pieces += [{"type": "LineString", "coordinates": [at_180(i - 1, False), [lon[i], y[i]], at_180(i, True)]}
               for i in range(1, n - 1)]
    pieces.append({"type": "LineString", "coordinates": [at_180(n - 2, False), [lon[n - 1], y[n - 1]]]})
    before = [[list(c) for c in p["coordinates"]] for p in pieces]
    out = joined_at_180(pieces)
    want = [[lon[0], y[0]]] + [c for i in range(1, n) for c in (at_180(i - 1, True), [lon[i], y[i]])]
    assert out == [{"type": "LineString", "coordinates": want}]
    assert [p["coordinates"] for p in pieces] == before  # (the pieces themselves untouched)
