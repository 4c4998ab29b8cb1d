"""A map's own layers (a KML's folders, a GeoJSON's layer property, a GeoPackage's tables) survive
SitMap's GeoJSON, GeoPackage, KML and KMZ exports opened again: the same layers under the same
labels, each feature in its layer; a map without layers of its own gains none (not even SitMap's
GeoPackage tables for points, lines and areas)."""

from __future__ import annotations

import pytest

from tests.conftest import DATA
from viewer import resources
from viewer.export.writers import writer_for
from viewer.model.io.open_any import open_map_file
from viewer.model.scenario import load_scenario

MY_MAPS = DATA / "realworld" / "sitmap-made" / "my-maps-export.kml"
QGIS = DATA / "realworld" / "sitmap-made" / "qgis-export.geojson"


def _membership(scenario):
    labels = {x["id"]: x["label"] for x in scenario.layers}
    return {f.id: labels.get(f.properties.get("layer")) for f in scenario.features}


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".kml", ".kmz"])
def test_a_maps_layers_come_back_from_each_export(tmp_path, suffix):
    opened, _ = open_map_file(MY_MAPS)
    assert len(opened.layers) == 3
    path = tmp_path / f"layers{suffix}"
    writer_for(path).write(opened, path)
    again, _ = open_map_file(path)
    assert [x["label"] for x in again.layers] == [x["label"] for x in opened.layers]
    want = _membership(opened)
    assert {i: layer for i, layer in _membership(again).items() if i in want} == want
    known = {x["id"] for x in again.layers}
    assert all(f.properties.get("layer") in known for f in again.features if "layer" in f.properties)


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".kml"])
def test_a_map_without_layers_of_its_own_gains_none(tmp_path, suffix):
    built = load_scenario(resources.default_scenario())
    path = tmp_path / f"built{suffix}"
    writer_for(path).write(built, path)
    again, _ = open_map_file(path)
    # (its one entry, relabelling the built-in crossing group, where that group has features again)
    assert all(x in built.layers for x in again.layers) and not any("layer" in f.properties for f in again.features)
    assert len(again.features) == len(built.features)


def test_another_tools_geopackage_tables_named_points_and_lines_are_its_layers(tmp_path):
    import sqlite3

    built = load_scenario(resources.default_scenario())
    path = tmp_path / "theirs.gpkg"
    writer_for(path).write(built, path)
    db = sqlite3.connect(path)  # (as another tool describes its tables)
    db.execute("UPDATE gpkg_contents SET description = 'roads and sites'")
    db.commit()
    db.close()
    again, _ = open_map_file(path)
    assert {x["label"] for x in again.layers} == {"points", "lines", "areas"}


def test_a_layer_name_is_the_layer_not_also_an_original_layer_property(tmp_path):
    opened, _ = open_map_file(QGIS)
    assert opened.layers and not any("original_layer" in f.properties for f in opened.features)
    path = tmp_path / "again.geojson"
    writer_for(path).write(opened, path)
    again, _ = open_map_file(path)
    assert [x["label"] for x in again.layers] == [x["label"] for x in opened.layers]
    assert not any("original_layer" in f.properties for f in again.features)


def test_a_value_kept_as_original_by_an_earlier_opening_is_not_written_over():
    import json

    from viewer.model.io.open_any import open_map_bytes

    doc = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]},
           "properties": {"name": "P", "style": "bold", "original_style": "from before"}}
    scenario, _ = open_map_bytes(json.dumps(doc).encode(), "p.geojson")
    props = scenario.features[0].properties
    assert props["original_style"] == "from before" and props["original_style_2"] == "bold"


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".kml", ".kmz"])
def test_a_layer_a_feature_names_and_the_maps_list_leaves_out_comes_back_under_its_id(tmp_path, suffix):
    from viewer import api

    m = api.new_map("Layers")
    unlisted = m.add_place(39.0, 125.0, "Unlisted", layer="ghost", annotation=True)
    listed = m.add_place(39.5, 125.5, "Listed", annotation=True)
    m.set_properties(layers=[{"id": "real", "label": "Real layer", "visible": True, "locked": False}])
    m.edit(listed, layer="real")
    assert [x["id"] for x in m.scenario.layers] == ["real"]
    path = tmp_path / f"layers{suffix}"
    m.export(path)
    again, _ = open_map_file(path)
    layer_of = {f.properties["name"]: f.properties.get("layer") for f in again.features}
    assert layer_of == {"Unlisted": "ghost", "Listed": "real"}, unlisted
    assert {x["id"]: x["label"] for x in again.layers} == {"real": "Real layer", "ghost": "ghost"}
