"""GeoPackage export: the drawn map as GDAL (what QGIS reads GeoPackages with) and SitMap's own
reader read it back: tables by geometry, properties as columns, the facts as an attribute table."""

from __future__ import annotations

import json
import sqlite3

import pytest
import shapely

from viewer import resources
from viewer.export.geojson import drawn_geojson
from viewer.export.geopackage import export_geopackage, write_geopackage
from viewer.model.io.open_any import open_map_file
from viewer.model.scenario import Feature, Scenario, load_scenario

pyogrio = pytest.importorskip("pyogrio")  # (GDAL, in a wheel: a test dependency)


@pytest.fixture(scope="module")
def built():
    return load_scenario(resources.default_scenario())


def _gdal(path, layer):
    from pyogrio.raw import read

    meta, fids, geoms, fields = read(path, layer=layer)
    rows = [dict(zip(meta["fields"], values)) for values in zip(*fields)]
    return meta, [] if geoms is None else [shapely.from_wkb(g) for g in geoms], rows


def test_gdal_reads_every_table_with_its_type_system_attributes_and_the_drawn_geometry(built, tmp_path):
    path = tmp_path / "built.gpkg"
    write_geopackage(built, path)
    layers = {name: kind for name, kind in pyogrio.list_layers(path)}
    assert layers == {"points": "Point", "lines": "MultiLineString", "areas": "MultiPolygon", "facts": None,
                      "sitmap_map": None}
    drawn = {f["id"]: f for f in drawn_geojson(built)["features"]}
    seen = set()
    for table in ("points", "lines", "areas"):
        meta, geoms, rows = _gdal(path, table)
        assert meta["crs"] == "EPSG:4326"
        for geom, row in zip(geoms, rows):
            want = drawn[row["id"]]
            seen.add(row["id"])
            expected = shapely.geometry.shape(want["geometry"])
            if table != "points":  # (written as their Multi type)
                assert geom.geom_type.startswith("Multi")
            assert shapely.equals_exact(shapely.normalize(geom), shapely.normalize(
                expected if table == "points" or expected.geom_type.startswith("Multi")
                else type(geom)([expected])), tolerance=1e-12)
            for key in ("name", "status", "source", "kind"):
                if want["properties"].get(key) is not None:
                    assert row[key] == want["properties"][key]
    assert seen == set(drawn)
    meta, _, rows = _gdal(path, "areas")
    ring = next(r for r in rows if r["id"] == "ring-380km")
    assert ring["radius_m"] == 380_000 and json.loads(ring["centre"]) == drawn["ring-380km"]["properties"]["centre"]
    meta, _, facts = _gdal(path, "facts")
    assert [(f["label"], f["value"], f["source"], f["status"]) for f in facts] == \
        [(f.label, f.value, f.source, f.status) for f in built.facts]


def test_the_file_is_a_geopackage_by_its_header_and_sitmap_reopens_it(built, tmp_path):
    path = tmp_path / "map.gpkg"
    path.write_bytes(export_geopackage(built))
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
    assert db.execute("PRAGMA user_version").fetchone()[0] == 10400
    assert {r[0] for r in db.execute("SELECT srs_id FROM gpkg_spatial_ref_sys")} == {-1, 0, 4326}
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    scenario, report = open_map_file(path)
    drawn = [f for f in drawn_geojson(built)["features"] if f["properties"].get("kind") != "uncertainty"]
    assert len(scenario.features) == len(drawn)  # (an uncertainty circle is drawn from its point again)
    assert {f.name for f in scenario.features} == {f["properties"]["name"] for f in drawn}
    assert sorted(f.id for f in scenario.features) == sorted(f["id"] for f in drawn)  # (its id column: the ids kept)
    assert scenario.facts == built.facts and scenario.groups == built.groups  # (its facts and fields tables)
    assert "facts" not in str(report)


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_reopening_the_drawn_export_gives_the_rings_back_with_their_kinds_and_styles(built, tmp_path, suffix):
    # (the export draws a range ring as its circle; reopened, it is the ring again, round its centre,
    # with its radius, not an area of 128 corners; a style a GeoPackage column holds as JSON text is
    # the style again)
    from viewer.export.writers import writer_for
    from viewer.render.layers import draw_scenario, drawn_to_geojson

    path = tmp_path / f"map{suffix}"
    writer_for(path).write(built, path)
    scenario, _ = open_map_file(path)
    before = {f.id: f for f in built.features}
    after = {f.id: f for f in scenario.features}
    assert {i: f.kind for i, f in after.items()} == {i: f.kind for i, f in before.items()}
    exported = {f["id"]: f["properties"] for f in drawn_geojson(built)["features"]}
    for i, f in after.items():
        assert (f.properties.get("style") or {}) == exported[i]["style"], i  # (each one's own style)
        assert not any(k.startswith("original_") and k != "original_layer" for k in f.properties), i
    (ring,) = [f for f in after.values() if f.kind == "range_ring"]
    assert ring.geometry == before[ring.id].geometry and ring.properties["radius_m"] == before[ring.id].properties["radius_m"]
    assert "in_range" not in ring.properties  # (derived: listed again by the next export)
    drawn = {f["id"]: f["geometry"] for f in drawn_to_geojson(scenario, draw_scenario(scenario))["features"]}
    assert drawn[ring.id] == {f["id"]: f["geometry"] for f in drawn_geojson(built)["features"]}[ring.id]


def test_a_ring_whose_radius_or_centre_is_not_sound_opens_as_the_area_it_draws():
    from viewer.model.io.open_any import open_map_bytes

    circle = [[125 + dx, 39 + dy] for dx, dy in ((1, 0), (0, 1), (-1, 0), (0, -1), (1, 0))]
    for props in ({"radius_m": -5, "centre": [125, 39]}, {"radius_m": 1000, "centre": "[125, 99]"},
                  {"radius_m": 1000}, {"radius_m": "far", "centre": [125, 39]}):
        doc = {"type": "Feature", "properties": {"kind": "range_ring", "name": "R", **props},
               "geometry": {"type": "Polygon", "coordinates": [circle]}}
        scenario, _ = open_map_bytes(json.dumps(doc).encode(), "ring.geojson")
        (f,) = scenario.features
        assert f.kind == "area" and f.properties["original_kind"] == "range_ring", props


def test_a_ring_across_the_antimeridian_odd_property_names_and_values_are_written_as_gdal_reads_them(tmp_path):
    s = Scenario(title="Across", features=[
        Feature("far", "range_ring", {"type": "Point", "coordinates": [179.5, 10.0]},
                {"radius_m": 200_000, "name": "Far ring", "status": "estimated", "source": "me"}),
        Feature("odd", "place", {"type": "Point", "coordinates": [1.0, 2.0]},
                {"name": "Odd", "status": "claimed", "source": "me", "FID": "mine", "geom": 3, "tags": ["a", "b"],
                 "count": 4, "flag": True}),
    ], facts=[])
    path = tmp_path / "across.gpkg"
    write_geopackage(s, path)
    _, geoms, rows = _gdal(path, "areas")
    (ring,) = geoms
    assert ring.geom_type == "MultiPolygon" and len(ring.geoms) == 2  # (cut at 180, as RFC 7946 asks)
    assert all(-180 <= x <= 180 for x in shapely.get_coordinates(ring)[:, 0])
    _, _, (odd,) = _gdal(path, "points")
    assert odd["FID_1"] == "mine" and odd["geom_1"] == 3 and json.loads(odd["tags"]) == ["a", "b"]
    assert odd["count"] == 4 and odd["flag"] in (True, 1)
    assert pyogrio.read_info(path, layer="points")["fields"].tolist()[0] == "id"  # (SitMap's id first)


def test_true_false_lists_and_objects_come_back_as_they_were_and_gdal_reads_them_so(tmp_path):
    # (a column of lists and objects is a JSON field, as GDAL writes one: described in the schema
    # extension's gpkg_data_columns as application/json; a column of true and false is BOOLEAN)
    s = Scenario(title="Kinds", features=[
        Feature("a", "place", {"type": "Point", "coordinates": [1.0, 2.0]},
                {"name": "A", "status": "claimed", "source": "me", "tags": ["x", "y"], "meta": {"k": [1, 2.5]},
                 "flag": True, "mixed": "text"}),
        Feature("b", "place", {"type": "Point", "coordinates": [1.5, 2.0]},
                {"name": "B", "status": "claimed", "source": "me", "tags": [], "meta": {"\u00e9": None},
                 "flag": False, "mixed": [1]}),
        Feature("c", "place", {"type": "Point", "coordinates": [2.0, 2.0]}, {"name": "C", "status": "claimed",
                                                                           "source": "me"}),
    ], facts=[])
    path = tmp_path / "kinds.gpkg"
    write_geopackage(s, path)
    info = pyogrio.read_info(path, layer="points")
    subtype = dict(zip(info["fields"], info["ogr_subtypes"]))
    assert subtype["tags"] == subtype["meta"] == "OFSTJSON" and subtype["flag"] == "OFSTBoolean"
    assert subtype["mixed"] == "OFSTNone"  # (text and a list: a text column, the list as its JSON)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT extension_name FROM gpkg_extensions WHERE table_name = 'gpkg_data_columns'").fetchone() \
        == ("gpkg_schema",)
    db.close()
    scenario, report = open_map_file(path)
    got = {f.id: f.properties for f in scenario.features}
    for f in s.features:
        for key in ("tags", "meta", "flag"):
            assert got[f.id].get(key) == f.properties.get(key), (f.id, key)
    assert type(got["a"]["flag"]) is bool and got["b"]["flag"] is False and "flag" not in got["c"]
    assert got["a"]["mixed"] == "text" and got["b"]["mixed"] == "[1]"  # (not said to be JSON: kept as text)


def test_a_json_column_whose_text_is_not_json_a_map_can_hold_keeps_the_text(tmp_path):
    s = Scenario(title="J", features=[Feature("a", "place", {"type": "Point", "coordinates": [1.0, 2.0]},
                                              {"name": "A", "status": "claimed", "source": "me", "tags": ["x"]})],
                 facts=[])
    path = tmp_path / "j.gpkg"
    write_geopackage(s, path)
    texts = ["not json", "[1,", "null", "[" * 100 + "]" * 100, '"\\ud800"', "NaN", "[1e999]", '{"k": 3}', "7"]
    db = sqlite3.connect(path)
    for i, text in enumerate(texts[1:], start=2):
        db.execute("INSERT INTO points (geom, id, name, status, source, tags) SELECT geom, ?, name, status, source, ? "
                   "FROM points WHERE fid = 1", (f"a{i}", text))
    db.execute("UPDATE points SET tags = ? WHERE fid = 1", (texts[0],))
    db.commit()
    db.close()
    scenario, report = open_map_file(path)
    got = [f.properties.get("tags") for f in sorted(scenario.features, key=lambda f: f.id)]
    assert got == ["not json", "[1,", "null", "[" * 100 + "]" * 100, '"\\ud800"', "NaN", "[1e999]", {"k": 3}, 7]


def test_sitmap_s_own_keys_keep_their_columns_when_another_tool_s_differ_only_in_case(tmp_path):
    # (SQLite's column names are caseless: a layer's NAME column once took "name", and SitMap's own
    # name, written as name_1, was not the name reopened: an edited name came back as it was before)
    import dataclasses

    from viewer.model.io.open_any import open_map_bytes

    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [10, 50]}, "properties": {"NAME": "Old", "fid": 1}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [11, 50]}, "properties": {"Name": "Bridge"}}]}
    s, _ = open_map_bytes(json.dumps(doc).encode(), "layer.geojson")
    s.features[0] = dataclasses.replace(s.features[0], properties={**s.features[0].properties, "name": "Renamed"})
    path = tmp_path / "names.gpkg"
    write_geopackage(s, path)
    again, _ = open_map_file(path)
    assert [f.name for f in again.features] == ["Renamed", "Bridge"]
    # (the other tool's keys, in columns NAME_1 and fid_1, come back under their own names: the
    # columns' names in the schema extension's gpkg_data_columns say them)
    assert again.features[0].properties["NAME"] == "Old" and again.features[0].properties["fid"] == 1
    assert "NAME_1" not in again.features[0].properties
    _, _, rows = _gdal(path, "points")
    assert [r["name"] for r in rows] == ["Renamed", "Bridge"] and rows[0]["NAME_1"] == "Old"
    # (a column's name there that is a label, as GDAL writes a field's alternative name, is no key)
    import sqlite3

    with sqlite3.connect(path) as db:
        db.execute("UPDATE gpkg_data_columns SET name = 'Old names' WHERE column_name = 'NAME_1'")
    again, _ = open_map_file(path)
    assert again.features[0].properties["NAME_1"] == "Old" and "Old names" not in again.features[0].properties


def test_more_keys_than_a_table_has_columns_go_in_one_json_column(tmp_path):
    # (an OpenStreetMap export: each feature its own tags, 2,100 keys in all; SQLite's tables have
    # 2,000 columns at most, and the export once stopped with its error)
    from viewer.export.geopackage import MAX_PROPERTY_COLUMNS

    features = [Feature(f"n{i}", "place", {"type": "Point", "coordinates": [10 + i * 1e-4, 50.0]},
                        {"name": f"n{i}", "status": "reported", "source": "OSM", f"tag:{i}": i})
                for i in range(2100)]
    s = Scenario(title="OSM", features=features, facts=[])
    path = tmp_path / "many.gpkg"
    write_geopackage(s, path)
    info = pyogrio.read_info(path, layer="points")
    assert len(info["fields"]) == MAX_PROPERTY_COLUMNS and info["fields"][-1] == "more_properties"
    assert info["ogr_subtypes"][-1] == "OFSTJSON"
    again, _ = open_map_file(path)
    for f in again.features:
        i = int(f.id[1:])
        assert f.properties[f"tag:{i}"] == i and f.name == f"n{i}" and "more_properties" not in f.properties, f.id


def test_an_empty_map_writes_a_geopackage_of_one_empty_points_table(tmp_path):
    # (a file of no feature table at all is no map to open again; GDAL reads this one)
    path = tmp_path / "empty.gpkg"
    write_geopackage(Scenario(title="Empty", features=[], facts=[]), path)
    db = sqlite3.connect(path)
    assert db.execute("SELECT table_name, data_type, min_x FROM gpkg_contents").fetchall() == [
        ("points", "features", None), ("sitmap_map", "attributes", None)]  # (the second: its title)
    assert db.execute("SELECT count(*) FROM points").fetchone()[0] == 0
    db.close()
    assert [list(x) for x in pyogrio.list_layers(path)] == [["points", "Point"], ["sitmap_map", None]]


def test_an_integer_beyond_64_bits_is_written_as_its_digits_not_a_crash(tmp_path):
    """(Found in review: the GeoJSON reader keeps such an integer whole, and the export stopped.)"""
    import json
    import sqlite3

    from viewer.export.geopackage import write_geopackage
    from viewer.model.io.open_any import open_map_bytes

    doc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "a", "big": 2 ** 64},
                                                      "geometry": {"type": "Point", "coordinates": [125, 39]}}]}
    scenario, _ = open_map_bytes(json.dumps(doc).encode(), "big.geojson")
    out = tmp_path / "big.gpkg"
    write_geopackage(scenario, out)
    with sqlite3.connect(out) as db:
        table = db.execute("SELECT table_name FROM gpkg_contents").fetchone()[0]
        assert db.execute(f'SELECT big FROM "{table}"').fetchone()[0] == str(2 ** 64)


def test_a_style_column_is_each_style_s_own_json_text_written_once_per_style():
    # (the same few styles on most of a large map's features: each one's text made once and kept;
    # a value told by its type and its repr, so -0.0 is not 0.0 and true is not 1)
    import json

    from viewer.export.geopackage import _value

    styles = [{}, {"color": "#FF0000"}, {"weight": 0.0}, {"weight": -0.0}, {"weight": 1}, {"weight": True},
              {"weight": 1.0}, {"dash": None, "color": "é"}, {"nested": {"a": 1}}, {"list": [1, 2]}]
    for _ in range(2):
        for style in styles:
            assert _value(dict(style), "JSON") == json.dumps(style, ensure_ascii=False, separators=(",", ":"))
    assert _value({"weight": -0.0}, "JSON") == '{"weight":-0.0}' and _value({"weight": 0.0}, "JSON") == '{"weight":0.0}'
    assert _value({"weight": True}, "JSON") == '{"weight":true}' and _value({"weight": 1}, "JSON") == '{"weight":1}'
