"""An empty map (File > New Map, nothing drawn yet) written to each file SitMap can open again
reopens as an empty map: whatever SitMap wrote, it reopens. Empty files of other tools open the
same way; a file whose every feature was left out is still refused, saying why."""

from __future__ import annotations

import pytest

from viewer.export.writers import writer_for
from viewer.model.io.open_any import open_map_bytes, open_map_file
from viewer.model.scenario import Scenario, ScenarioError


@pytest.mark.parametrize("suffix", [".geojson", ".json", ".kml", ".kmz", ".csv", ".gpkg"])
def test_an_empty_map_written_reopens_empty(tmp_path, suffix):
    path = tmp_path / f"nothing yet{suffix}"
    writer_for(path).write(Scenario(title="Nothing yet", features=[], facts=[]), path)
    scenario, report = open_map_file(path)
    assert scenario.features == []
    assert not report.anything_to_say and report.opened == 0
    if suffix in (".kml", ".kmz"):
        assert scenario.title == "Nothing yet"


@pytest.mark.parametrize("name, raw", [
    ("qgis-layer.geojson", b'{"type": "FeatureCollection", "name": "empty", "crs": {"type": "name", "properties":'
                           b' {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}, "features": []}'),
    ("my-places.kml", b'<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
                      b'<Document><name>My Places</name><Folder><name>Trip</name></Folder></Document></kml>'),
    ("device.gpx", b'<?xml version="1.0"?><gpx version="1.1" creator="Garmin"'
                   b' xmlns="http://www.topografix.com/GPX/1/1"><metadata><name>Log</name></metadata></gpx>'),
    ("sheet.csv", b"name,latitude,longitude\r\n"),
])
def test_an_empty_file_of_another_tool_opens_as_an_empty_map(name, raw):
    scenario, report = open_map_bytes(raw, name)
    assert scenario.features == [] and scenario.view == {}
    assert str(report) == f"{name}: opened 0 feature(s)."


@pytest.mark.parametrize("name, raw, said", [
    ("pins.kml", b'<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>x</name></Placemark>'
                 b"</Document></kml>", "without coordinates"),
    ("far.geojson", b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},'
                    b' "geometry": {"type": "Point", "coordinates": [10, 95]}}]}', "outside the world"),
    ("cols.csv", b"a,b,c\n1,2,3\n", "no latitude column"),
    ("page.kml", b"<html><body>hi</body></html>", "not a KML document"),
])
def test_a_file_whose_features_were_all_left_out_or_unreadable_is_still_refused(name, raw, said):
    with pytest.raises(ScenarioError, match=said):
        open_map_bytes(raw, name)


def test_a_geopackage_of_facts_alone_reopens_as_an_empty_map_with_its_facts(tmp_path):
    from viewer.model.scenario import Fact

    path = tmp_path / "facts only.gpkg"
    facts = [Fact("range", "flight", "Range", "380 km", "JCS", "reported")]
    writer_for(path).write(Scenario(title="Facts only", features=[], facts=facts), path)
    scenario, report = open_map_file(path)
    assert scenario.features == [] and scenario.facts == facts and not report.anything_to_say


def _geopackage(path, contents, geometry_columns=True):
    import sqlite3

    db = sqlite3.connect(path)
    db.execute("CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT, identifier TEXT, "
               "description TEXT)")
    if geometry_columns:
        db.execute("CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, geometry_type_name TEXT, "
                   "srs_id INTEGER, z INTEGER, m INTEGER)")
    for table, kind in contents:
        db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY" + (", geom BLOB)" if kind == "features" else ")"))
        db.execute("INSERT INTO gpkg_contents VALUES (?, ?, ?, '')", (table, kind, table))
        if kind == "features":
            db.execute("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POINT', 4326, 0, 0)", (table,))
    db.commit()
    db.close()
    return path


def test_a_geopackage_of_tiles_or_attributes_alone_is_refused_naming_what_it_holds(tmp_path):
    # (no gpkg_geometry_columns, which only feature tables need: once called "not a GeoPackage")
    tiles = _geopackage(tmp_path / "denver.gpkg", [("denver", "tiles")], geometry_columns=False)
    with pytest.raises(ScenarioError, match=r"no feature tables in this GeoPackage \(it holds denver \(tiles\)\)"):
        open_map_file(tiles)
    table = _geopackage(tmp_path / "table.gpkg", [("census", "attributes")], geometry_columns=False)
    with pytest.raises(ScenarioError, match=r"it holds census \(attributes\)"):
        open_map_file(table)


def test_a_geopackage_whose_feature_table_is_empty_opens_as_an_empty_map_with_its_note(tmp_path):
    path = _geopackage(tmp_path / "nospatial.gpkg", [("sites", "features"), ("census", "attributes")])
    scenario, report = open_map_file(path)
    assert scenario.features == [] and "Not opened as map features: census (attributes)" in str(report)
