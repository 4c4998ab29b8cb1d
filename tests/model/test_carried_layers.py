"""The map's layers as they travel in the exchange files (GeoJSON, GeoPackage, KML, KMZ): each comes
back with its own id, features, hidden and locked flags and place in the order, two layers of one
label included, and an empty layer the analyst made comes back too; a file an older SitMap or
another tool wrote is matched by label."""

from __future__ import annotations

import json

import pytest

from viewer.export.writers import writer_for
from viewer.model.io.open_any import open_map_bytes, open_map_file
from viewer.model.scenario import parse_scenario

SUFFIXES = [".geojson", ".gpkg", ".kml", ".kmz"]


def pt(lon, lat):
    return {"type": "Point", "coordinates": [lon, lat]}


def place(fid, lon, layer):
    return {"type": "Feature", "id": fid, "geometry": pt(lon, 39), "properties": {"kind": "place", "name": fid.upper(),
                                                                                 "layer": layer}}


def alike_map():
    """Two layers labelled alike ("Units"), the top one locked, the other hidden, and an empty
    hidden layer between them."""
    return parse_scenario({"type": "FeatureCollection", "sitmap": {"title": "Layers", "layers": [
        {"id": "units-north", "label": "Units", "visible": True, "locked": True},
        {"id": "to-do", "label": "To do", "visible": False, "locked": True},
        {"id": "units-south", "label": "Units", "visible": False, "locked": False},
        {"id": "sites", "label": "Sites", "visible": True, "locked": False}]},
        "features": [place("a", 125, "units-south"), place("b", 126, "units-north"), place("c", 127, "sites"),
                     place("d", 128, "units-south")]}, "s")


def arrangement(s):
    return [(x["id"], x["label"], x["visible"], x["locked"]) for x in s.layers]


def layer_of(s):
    return {f.id: f.properties.get("layer") for f in s.features}


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_two_layers_of_one_label_come_back_each_with_its_own_features_flags_and_place(tmp_path, suffix):
    s = alike_map()
    path = tmp_path / f"map{suffix}"
    writer_for(path).write(s, path)
    again, report = open_map_file(path)
    assert arrangement(again) == arrangement(s)
    assert layer_of(again) == layer_of(s)
    assert not report.anything_to_say


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_an_empty_layer_the_analyst_made_comes_back_in_its_place(tmp_path, suffix):
    s = parse_scenario({"type": "FeatureCollection", "sitmap": {"title": "Layers", "layers": [
        {"id": "later", "label": "For later", "visible": True, "locked": True},
        {"id": "sites", "label": "Sites", "visible": True, "locked": False},
        {"id": "spare", "label": "Spare", "visible": False, "locked": False}]},
        "features": [place("a", 125, "sites")]}, "s")
    path = tmp_path / f"map{suffix}"
    writer_for(path).write(s, path)
    again, _ = open_map_file(path)
    assert arrangement(again) == arrangement(s)
    assert layer_of(again) == {"a": "sites"}


def test_a_feature_added_in_another_tool_goes_to_the_layer_it_names():
    from viewer.export.geojson import exchange_geojson

    doc = exchange_geojson(alike_map())
    doc["features"].append(place("e", 129, "Units"))  # (QGIS: a row added, its layer typed in)
    doc["features"].append(place("f", 130, "Roads"))  # (and a layer the map did not have)
    doc["features"].append(place("g", 131, "To do"))  # (the empty layer given a feature)
    again, _ = open_map_bytes(json.dumps(doc).encode(), "edited.geojson")
    *mine, new = arrangement(again)
    assert mine == arrangement(alike_map())
    assert new[1:] == ("Roads", True, False) and new[0] not in {x[0] for x in mine}
    assert layer_of(again) == {**layer_of(alike_map()), "e": "units-north", "f": new[0], "g": "to-do"}


def test_a_layer_the_map_did_not_have_never_takes_the_id_of_one_it_had():
    from viewer.export.geojson import exchange_geojson

    doc = exchange_geojson(alike_map())
    doc["sitmap_map"]["layers"][3]["id"] = "layer-1-roads"  # (the id a reader makes of "Roads")
    doc["features"].insert(0, place("f", 130, "Roads"))
    again, _ = open_map_bytes(json.dumps(doc).encode(), "edited.geojson")
    ids = [x["id"] for x in again.layers]
    assert len(set(ids)) == len(ids) == 5
    assert layer_of(again)["f"] == ids[-1] != "layer-1-roads" and layer_of(again)["c"] == "layer-1-roads"


def test_an_older_arrangement_without_features_matches_layers_of_one_label_in_turn(tmp_path):
    # (an older SitMap's KML: two folders named alike, its arrangement naming each layer by label only)
    s = alike_map()
    path = tmp_path / "map.kml"
    writer_for(path).write(s, path)
    text = path.read_text(encoding="utf-8")
    start = text.index('<Data name="sitmap_map">')
    value_at = text.index("<value>", start) + len("<value>")
    end = text.index("</value>", value_at)
    import html

    carried = json.loads(html.unescape(text[value_at:end]))
    for x in carried["layers"]:
        x.pop("features", None)
    older = text[:value_at] + html.escape(json.dumps(carried), quote=False) + text[end:]
    again, _ = open_map_bytes(older.encode(), "older.kml")
    assert arrangement(again) == [x for x in arrangement(s) if x[0] != "to-do"]
    assert layer_of(again) == layer_of(s)


def test_a_geojsons_map_member_another_tool_made_null_is_said_left_out():
    from viewer.export.geojson import exchange_geojson

    doc = exchange_geojson(alike_map())
    doc["sitmap_map"] = None
    again, report = open_map_bytes(json.dumps(doc).encode(), "edited.geojson")
    assert len(again.features) == 4
    assert "The map's own fields and its layers' arrangement (sitmap_map) were left out: null" in report.notes


def test_a_layer_labelled_as_a_built_in_group_the_map_relabelled_stays_a_layer_of_its_own():
    from viewer.export.geojson import exchange_geojson
    from viewer.model.style import group_of

    s = parse_scenario({"type": "FeatureCollection", "sitmap": {"title": "Layers", "layers": [
        {"id": "places", "label": "Towns", "visible": False, "locked": False}]},
        "features": [{"type": "Feature", "id": "p", "geometry": pt(125, 39), "properties": {"kind": "place"}}]}, "s")
    doc = exchange_geojson(s)
    doc["features"].append(place("q", 126, "Towns"))  # (another tool's layer of that name)
    again, _ = open_map_bytes(json.dumps(doc).encode(), "edited.geojson")
    q = again.feature("q")
    assert group_of(q) not in ("places", "annotations") and group_of(again.feature("p")) == "places"
    assert next(x for x in again.layers if x["id"] == group_of(q))["visible"] is True
    assert next(x for x in again.layers if x["id"] == "places") == s.layers[0]  # (the map's relabelling)
