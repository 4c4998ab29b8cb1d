"""The built-in map exported to GeoJSON, GeoPackage, KML or KMZ and opened again is the map it was: the same
layers panel (a built-in group it relabels included, with its label, place and flags), each feature
in the layer it was in and still one of the map's own, its opening view, and only the styles the
analyst gave as the features' own (a default style keeps following its feature's status); a style
another tool changed in the file is kept as that feature's own."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace

import pytest

from viewer import resources
from viewer.export.writers import writer_for
from viewer.model.io.open_any import open_map_bytes, open_map_file
from viewer.model.scenario import load_scenario
from viewer.model.style import assign_colours, group_of, style_of
from viewer.render.layers import arranged_layers, draw_scenario

SUFFIXES = [".geojson", ".gpkg", ".kml", ".kmz"]


@pytest.fixture(scope="module")
def built():
    s = load_scenario(resources.default_scenario())
    return replace(s, features=assign_colours(list(s.features)))  # (as the window holds it: rings coloured)


def reopened(scenario, tmp_path, suffix):
    path = tmp_path / f"map{suffix}"
    writer_for(path).write(scenario, path)
    return open_map_file(path)[0]


def panel(scenario):
    return arranged_layers(scenario, draw_scenario(scenario))


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_the_built_in_maps_layers_panel_comes_back_with_the_relabelled_crossing(built, tmp_path, suffix):
    assert any(x["label"] == "Dandong–Sinuiju rail crossing" for x in panel(built))
    again = reopened(built, tmp_path, suffix)
    assert again.layers == built.layers
    assert panel(again) == panel(built)
    assert {f.id: group_of(f) for f in again.features} == {f.id: group_of(f) for f in built.features}


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_relabelled_built_in_groups_flags_and_place_come_back(built, tmp_path, suffix):
    s = replace(built, layers=[{"id": "places", "label": "Capitals", "visible": True, "locked": True},
                               {"id": "crossing", "label": "Yalu crossing", "visible": False, "locked": False}])
    again = reopened(s, tmp_path, suffix)
    assert again.layers == s.layers and panel(again) == panel(s)


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_the_maps_own_features_stay_its_own_and_its_annotations_annotations(built, tmp_path, suffix):
    point = {"type": "Point", "coordinates": [126.0, 38.5]}
    from viewer.model.scenario import Feature

    note = Feature("note-1", "place", point, {"name": "Checkpoint", "annotation": True, "source": "Analyst"})
    s = replace(built, features=[*built.features, note])
    again = reopened(s, tmp_path, suffix)
    assert {f.id: bool(f.properties.get("annotation")) for f in again.features} == \
        {f.id: bool(f.properties.get("annotation")) for f in s.features}


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_the_built_in_map_reopens_on_its_own_view(built, tmp_path, suffix):
    assert reopened(built, tmp_path, suffix).view == built.view


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_only_the_features_own_style_comes_back_as_their_own(built, tmp_path, suffix):
    again = reopened(built, tmp_path, suffix)
    assert {f.id: f.properties.get("style") for f in again.features} == \
        {f.id: f.properties.get("style") for f in built.features}


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_default_style_follows_a_later_status_change(built, tmp_path, suffix):
    again = reopened(built, tmp_path, suffix)
    path = again.feature("flight-path")
    assert style_of(path).dash == "dashed"  # (estimated)
    reported = replace(path, properties={**path.properties, "status": "reported"})
    assert style_of(reported).dash == "solid"


def test_a_stroke_another_tool_changed_in_the_geojson_is_kept_as_the_features_own(built, tmp_path):
    from viewer.export.geojson import exchange_geojson

    doc = exchange_geojson(built)
    for f in doc["features"]:
        if f["id"] == "flight-path":
            f["properties"]["stroke"] = "#123456"  # (as geojson.io or QGIS saves an edit)
            f["properties"]["stroke-width"] = 6
        if f["id"] == "pyongyang":
            f["properties"]["marker-color"] = "#ABCDEF"
    again, _ = open_map_bytes(json.dumps(doc).encode(), "edited.geojson")
    assert again.feature("flight-path").properties["style"] == {"color": "#123456", "weight": 6}
    assert again.feature("pyongyang").properties["style"] == {"color": "#ABCDEF"}
    assert style_of(again.feature("flight-path")).dash == "dashed"  # (still its status's)
    assert again.feature("seoul").properties.get("style") is None


def test_a_stroke_another_tool_changed_in_the_geopackage_is_kept_as_the_features_own(built, tmp_path):
    path = tmp_path / "map.gpkg"
    writer_for(path).write(built, path)
    db = sqlite3.connect(path)  # (as QGIS saves an edit of the layer's stroke column)
    db.execute("UPDATE lines SET stroke = '#123456' WHERE id = 'flight-path'")
    db.commit()
    db.close()
    again, _ = open_map_file(path)
    assert again.feature("flight-path").properties["style"] == {"color": "#123456"}
    assert again.feature("rail-crossing").properties.get("style") is None


def test_importing_the_export_into_a_map_gives_own_styles_only_and_another_tools_edit():
    from viewer.export.geojson import exchange_geojson
    from viewer.model.io.geojson_any import import_geojson

    doc = exchange_geojson(load_scenario(resources.default_scenario()))
    for f in doc["features"]:
        if f["id"] == "impact-area":
            f["properties"]["fill"] = "#00FF00"
    got = {f.id: f for f in import_geojson(json.dumps(doc).encode(), "export.geojson")}
    assert got["flight-path"].properties.get("style") is None and style_of(got["flight-path"]).dash == "dashed"
    assert got["friendship-bridge"].properties["style"] == {"symbol": "bridge"}
    assert got["impact-area"].properties["style"] == {"fill_color": "#00FF00"}
    assert all(f.properties["annotation"] is True for f in got.values())  # (imported: the analyst's own to edit)


@pytest.mark.parametrize("suffix", [".kml", ".kmz"])
def test_importing_the_kml_export_into_a_map_gives_annotations(built, tmp_path, suffix):
    from viewer.model.io.annotations import import_annotations

    path = tmp_path / f"map{suffix}"
    writer_for(path).write(built, path)
    got = import_annotations(path.read_bytes(), path.name)
    assert got and all(f.properties["annotation"] is True for f in got)  # (imported: the analyst's own to edit)
