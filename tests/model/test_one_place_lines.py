"""A line whose points are all one place: refused when stored, opened from another tool's file
as the point it is (a GPS track standing still), said in the open report."""

import pytest

from tests.conftest import DATA
from viewer.model.io.open_any import open_map_file
from viewer.model.rules import ScenarioError
from viewer.model.scenario import parse_scenario

GPX = next(DATA.rglob("empty_ele.gpx"))  # (togeojson's test file: OsmAnd's track of one place, twice)


def test_another_tools_track_of_one_place_opens_as_that_point_and_says_so():
    scenario, report = open_map_file(GPX)
    assert [(f.kind, f.geometry) for f in scenario.features] == [
        ("place", {"type": "Point", "coordinates": [-77.01059, 38.892101]})]
    assert scenario.features[0].properties["time_utc"] == "2007-05-11T15:22:06+00:00"
    assert any("all one place opened as point" in n for n in report.notes)


def test_a_kml_line_of_one_place_beside_a_real_line(tmp_path):
    kml = tmp_path / "lines.kml"
    kml.write_text(
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        '<Placemark><name>Still</name><LineString><coordinates>125,39 125,39 125,39</coordinates></LineString></Placemark>'
        '<Placemark><name>Moving</name><LineString><coordinates>125,39 126,40</coordinates></LineString></Placemark>'
        '</Document></kml>', encoding="utf-8")
    scenario, _report = open_map_file(kml)
    assert sorted((f.properties["name"], f.geometry["type"]) for f in scenario.features) == [
        ("Moving", "LineString"), ("Still", "Point")]


def test_a_line_of_one_place_or_an_area_round_a_pole_an_earlier_version_saved_reopens(tmp_path):
    """Refused as a change now, but an earlier SitMap let a map hold them: such a map reopens."""
    from viewer import api
    from viewer.model.document import Document
    from viewer.model.edits import AddFeatures
    from viewer.model.scenario import Feature

    doc = {"type": "FeatureCollection", "sitmap": {"version": 1, "title": "t"}, "facts": [], "features": [
        {"type": "Feature", "id": "l", "geometry": {"type": "LineString", "coordinates": [[1.0, 2.0], [1.0, 2.0]]},
         "properties": {"kind": "path", "name": "l", "source": "s", "status": "reported"}},
        {"type": "Feature", "id": "a", "geometry": {"type": "Polygon", "coordinates": [
            [[0.0, 60.0], [120.0, 70.0], [-120.0, 65.0], [0.0, 60.0]]]},
         "properties": {"kind": "area", "name": "a", "source": "s", "status": "reported"}}]}
    scenario = parse_scenario(doc)
    assert [f.id for f in scenario.features] == ["l", "a"]
    path = tmp_path / "old.sitmap.geojson"
    import json

    path.write_text(json.dumps(doc), encoding="utf-8")
    m = api.open_map(path)
    assert [f.id for f in m.features] == ["l", "a"]
    m.save(tmp_path / "again.sitmap.geojson")
    assert [f.id for f in api.open_map(tmp_path / "again.sitmap.geojson").features] == ["l", "a"]
    # as a change: refused
    d = Document(parse_scenario({**doc, "features": []}))
    for f in doc["features"]:
        with pytest.raises(ScenarioError, match="two different points|round a pole"):
            d.execute(AddFeatures([Feature(f["id"] + "2", f["properties"]["kind"], f["geometry"], f["properties"])]))
