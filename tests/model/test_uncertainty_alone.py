"""A point's uncertainty circle, as SitMap's exports draw it beside the point: read back as part of
the point; but where the point is gone (deleted in another tool), the circle opens as an area."""

import json

from viewer import resources
from viewer.export.geojson import exchange_geojson
from viewer.model.io.open_any import open_map_file
from viewer.model.scenario import load_scenario


def _exported():
    return exchange_geojson(load_scenario(resources.default_scenario()))


def _circles(doc):
    return [f for f in doc["features"] if (f.get("properties") or {}).get("kind") == "uncertainty"]


def test_the_circle_of_a_point_in_the_file_is_read_as_part_of_it(tmp_path):
    doc = _exported()
    assert _circles(doc), "the export draws the launch point's uncertainty"
    p = tmp_path / "map.geojson"
    p.write_text(json.dumps(doc), encoding="utf-8")
    s, report = open_map_file(p)
    assert not any("uncertainty" in f.name.lower() for f in s.features if f.kind == "area")
    assert s.feature("launch-point").properties.get("uncertainty_m")


def test_the_circle_of_a_point_deleted_in_another_tool_opens_as_an_area(tmp_path):
    doc = _exported()
    circle = _circles(doc)[0]
    of = circle["properties"]["of"]
    doc["features"] = [f for f in doc["features"] if f.get("id", (f.get("properties") or {}).get("id")) != of]
    p = tmp_path / "edited.geojson"
    p.write_text(json.dumps(doc), encoding="utf-8")
    s, report = open_map_file(p)
    assert s.feature(of) is None
    shown = [f for f in s.features if f.geometry["type"] in ("Polygon", "MultiPolygon")
             and f.properties.get("radius_m") == circle["properties"].get("radius_m")]
    assert shown, "the circle was dropped without a word"
