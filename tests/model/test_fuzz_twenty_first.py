"""Inputs a fuzzing campaign of the openers and the save-and-reopen round trip found mishandled: a
damaged LZMA member of a zip, a WKT multipoint with an empty point, and a property name or value
holding a NUL character on its way through the GeoPackage and CSV exports."""

import io
import zipfile

import pytest

from viewer.export.geopackage import export_geopackage
from viewer.model.io.annotations import import_annotations, import_leniently
from viewer.model.io.csv_points import export_csv
from viewer.model.io.open_any import open_map_bytes
from viewer.model.project import project_bytes
from viewer.model.scenario import ScenarioError

KML = (b'<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>P</name>'
       b'<Point><coordinates>125,39</coordinates></Point></Placemark></kml>')


def _lzma_zip(name: str, data: bytes, damaged: bool) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_LZMA) as zf:
        zf.writestr(name, data)
    raw = bytearray(buf.getvalue())
    if damaged:  # the start of the LZMA stream, after the local header, the name and LZMA's own 4 + 5 bytes
        start = 30 + len(name) + 4 + 5
        raw[start:start + 8] = b"\xff" * 8
    return bytes(raw)


@pytest.mark.parametrize("opener", [open_map_bytes, import_annotations, import_leniently])
@pytest.mark.parametrize("member, name", [("doc.kml", "x.kmz"), ("a.shp", "a.zip")])
def test_a_damaged_lzma_member_is_refused_in_words_not_raised(opener, member, name):
    raw = _lzma_zip(member, KML if member.endswith(".kml") else b"\x00\x00\x27\x0a" + b"\x00" * 96, damaged=True)
    with pytest.raises(ScenarioError, match="cannot be unpacked"):
        opener(raw, name)


def test_an_lzma_kmz_that_is_whole_opens():
    scenario, _ = open_map_bytes(_lzma_zip("doc.kml", KML, damaged=False), "x.kmz")
    assert [f.name for f in scenario.features] == ["P"]


@pytest.mark.parametrize("opener", [open_map_bytes, import_leniently])
def test_a_wkt_multipoint_with_an_empty_point_opens_with_its_other_points(opener):
    raw = (b'name,wkt\na,"MULTIPOINT (EMPTY, (125 39))"\n'
           b'b,"GEOMETRYCOLLECTION (POINT (126 40), MULTIPOINT ((127 41), EMPTY))"\n')
    got = opener(raw, "x.csv")
    scenario = got[0] if isinstance(got, tuple) else got
    features = scenario.features if hasattr(scenario, "features") else scenario
    coords = sorted(tuple(f.geometry["coordinates"]) for f in features if f.kind == "place")
    assert coords == [(125.0, 39.0), (126.0, 40.0), (127.0, 41.0)]


def test_a_wkt_multipoint_of_nothing_but_empty_points_is_left_out_in_words():
    with pytest.raises(ScenarioError, match="empty"):
        open_map_bytes(b"wkt\nMULTIPOINT (EMPTY)\n", "x.csv")


NUL_MAP = (b'{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point",'
           b'"coordinates":[125.5,39.5]},"properties":{"name":"n","a\\u0000b":1,"c":"x\\u0000y"}}]}')


def test_a_property_named_with_a_nul_goes_through_a_geopackage_and_comes_back_as_it_was():
    scenario, _ = open_map_bytes(NUL_MAP, "x.geojson")
    assert scenario.features[0].properties["a\x00b"] == 1  # (another tool's field: kept as it is)
    back, _ = open_map_bytes(export_geopackage(scenario), "x.gpkg")
    props = back.features[0].properties
    assert props["a\x00b"] == 1 and props["c"] == "x\x00y"
    again, _ = open_map_bytes(project_bytes(back), "x.geojson")  # (and SitMap's own file holds it)
    assert again.features[0].properties["a\x00b"] == 1


def test_a_nul_in_a_csv_export_is_written_as_the_replacement_character_and_the_file_opens_again():
    scenario, _ = open_map_bytes(NUL_MAP, "x.geojson")
    data = export_csv(scenario)
    assert b"\x00" not in data
    back, _ = open_map_bytes(data, "x.csv")
    props = back.features[0].properties
    assert props["c"] == "x\ufffdy" and props["a\ufffdb"] in ("1", 1)
