"""GeoJSON from other tools, read leniently where the meaning is plain: positions with a fourth
value (a measure, as measured shapes carry it) open without it, and the report names them; the
project file SitMap writes stays strict (a SitMap scenario keeps refusing such positions)."""

from __future__ import annotations

import json

import pytest

from viewer.model.exchange import import_geojson
from viewer.model.io.open_any import open_map_bytes
from viewer.model.scenario import ScenarioError, parse_scenario

MEASURED = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"name": "Gauge"}, "geometry": {"type": "Point", "coordinates": [125.0, 39.0, 10.0, 5.0]}},
    {"type": "Feature", "properties": {"name": "Survey"},
     "geometry": {"type": "MultiLineString", "coordinates": [[[125.0, 39.0, 10.0, 0.0], [126.0, 39.5, 12.0, 55.1]],
                                                            [[127.0, 40.0, 1.0, 0.0], [127.5, 40.5, 1.0, 9.9]]]}},
    {"type": "Feature", "properties": {"name": "Plain"}, "geometry": {"type": "Point", "coordinates": [125.5, 39.5]}}]}


def test_a_measure_after_the_altitude_is_not_kept_and_the_report_says_so():
    s, report = open_map_bytes(json.dumps(MEASURED).encode(), "measured.geojson")
    coords = {f.name: f.geometry["coordinates"] for f in s.features}
    assert coords["Gauge"] == [125.0, 39.0, 10.0]
    given = [[125.0, 39.0, 10.0], [126.0, 39.5, 12.0], [127.0, 40.0, 1.0], [127.5, 40.5, 1.0]]
    # (its degree-long edges given points along their straight line: test_straight_edges)
    assert [c for f in s.features if f.name == "Survey" for c in f.geometry["coordinates"] if c in given] == given
    assert coords["Plain"] == [125.5, 39.5]
    assert report.left_out_count == 0 and report.anything_to_say  # (before: both refused, "left out")
    text = str(report)
    assert "opened 4 feature(s)" in text and "2 \u00d7 features whose positions had a fourth value" in text
    assert "Gauge" in text and "Survey" in text and "Plain" not in text


def test_import_takes_them_too():
    features = import_geojson(json.dumps(MEASURED).encode(), "measured.geojson")
    assert [len(f.geometry["coordinates"]) for f in features if f.geometry["type"] == "Point"] == [3, 2]


def test_a_sitmap_scenario_stays_strict():
    doc = {"type": "FeatureCollection", "sitmap": {"title": "t"}, "features": [
        {"type": "Feature", "id": "p", "geometry": {"type": "Point", "coordinates": [125.0, 39.0, 10.0, 5.0]},
         "properties": {"kind": "place", "name": "p", "status": "reported", "source": "t"}}]}
    with pytest.raises(ScenarioError):
        parse_scenario(doc, "t")


def test_longitudes_past_180_as_leaflet_writes_a_shape_drawn_on_a_world_copy_are_the_same_places():
    # (Leaflet's toGeoJSON, geojson.io and uMap keep the longitudes a shape was drawn at on a
    # neighbouring copy of the world: before, refused as outside the world)
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Route"}, "geometry": {"type": "LineString",
                                                                          "coordinates": [[170, 10], [190, 12], [200, 14]]}},
        {"type": "Feature", "properties": {"name": "West"}, "geometry": {"type": "Point", "coordinates": [-190, 10]}},
        {"type": "Feature", "properties": {"name": "Far"}, "geometry": {"type": "Point", "coordinates": [541, 10]}}]}
    s, report = open_map_bytes(json.dumps(doc).encode(), "drawn.geojson")
    coords = {f.name: f.geometry["coordinates"] for f in s.features}
    given = [[170.0, 10.0], [-170.0, 12.0], [-160.0, 14.0]]
    assert [c for c in coords.pop("Route") if c in given] == given  # (and points along its 10-degree edge)
    assert coords == {"West": [170.0, 10.0]}
    assert report.left_out_count == 1 and "Far" in str(report)  # (past 540: no longitude any tool means)
    (south, west), (north, east) = s.view["bounds"]
    assert west < 180 < east and east - west < 40  # (opened on it, across 180)


def test_a_position_past_180_or_90_by_a_rounding_is_that_edge_not_the_far_side():
    # (single precision writes 180 as 180.0000019: the antimeridian itself, not -179.9999981)
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "east"}, "geometry": {"type": "Point", "coordinates": [180.0000019, 10]}},
        {"type": "Feature", "properties": {"name": "west"}, "geometry": {"type": "Point", "coordinates": [-180.0000019, 10]}},
        {"type": "Feature", "properties": {"name": "pole"}, "geometry": {"type": "Point", "coordinates": [5, 90.000001]}},
        {"type": "Feature", "properties": {"name": "copy"}, "geometry": {"type": "Point", "coordinates": [190, 10]}}]}
    scenario, _ = open_map_bytes(json.dumps(doc).encode(), "edges.geojson")
    assert [f.geometry["coordinates"] for f in scenario.features] == [[180.0, 10], [-180.0, 10], [5, 90.0], [-170.0, 10]]


def test_features_of_one_look_keep_each_its_own_changed_colour_among_many_unchanged():
    """SitMap's exchange file gives each feature its own style (``{}``: none) and the colour it
    draws it with for other tools; a colour another tool changed is the feature's own again. The
    work is kept for each look: the features that share one still each get their own answer."""
    from viewer.model.style import style_of

    def place(i, colour, status="estimated"):
        return {"type": "Feature", "id": f"p-{i}", "geometry": {"type": "Point", "coordinates": [125.0, 39.0 + i / 100]},
                "properties": {"kind": "place", "role": "marker", "annotation": True, "name": f"P{i}",
                               "status": status, "source": "Analyst", "style": {}, "marker-color": colour}}

    plain = place(0, None)
    del plain["properties"]["marker-color"]
    drawn = style_of(open_map_bytes(json.dumps({"type": "FeatureCollection", "features": [plain]}).encode(),
                                    "x.geojson")[0].features[0]).color  # (what SitMap draws such a place with)
    changed = {3, 7, 20}
    feats = [place(i, "#123456" if i in changed else drawn) for i in range(30)]
    feats.append(place(30, "#123456", status="reported"))  # (another look, the same colour)
    feats.append(place(31, drawn.lower()))  # (the drawn colour written in lower case: unchanged)
    scenario, _ = open_map_bytes(json.dumps({"type": "FeatureCollection", "features": feats}).encode(), "x.geojson")
    own = {f.id: (f.properties.get("style") or {}).get("color") for f in scenario.features}
    assert {fid for fid, c in own.items() if c} == {"p-3", "p-7", "p-20", "p-30"}
    assert own["p-3"] == own["p-30"] == "#123456"


def test_a_style_of_minus_zero_after_one_of_zero_keeps_its_own():
    # (the two are equal as numbers: each feature's own style is still what its file gave)
    def line(i, weight):
        return {"type": "Feature", "id": f"l-{i}", "geometry": {"type": "LineString", "coordinates": [[125, 39], [126, 39]]},
                "properties": {"kind": "path", "name": f"L{i}", "status": "reported", "style": {"weight": weight}}}

    scenario, _ = open_map_bytes(json.dumps({"type": "FeatureCollection", "features": [line(1, 0.0), line(2, -0.0)]})
                                 .encode(), "x.geojson")
    weights = [f.properties["style"]["weight"] for f in scenario.features]
    assert [str(w) for w in weights] == ["0.0", "-0.0"]
