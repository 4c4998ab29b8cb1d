"""File > Import of a GeoJSON that names a coordinate system (QGIS writes CRS84 into every
GeoJSON it exports; GDAL writes a projected layer's own) or of a TopoJSON decodes the file once:
it is read from the same document it was told apart by, and reads as before (a projected layer
and a topology as when the file is opened, any other as GeoJSON)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import DATA
from viewer.model import json_read
from viewer.model.io import common
from viewer.model.io.annotations import import_annotations
from viewer.model.io.open_any import open_map_bytes
from viewer.model.scenario import ScenarioError

QGIS_CRS84 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
MERCATOR = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}


def _points(crs: dict | None, coords) -> bytes:
    doc = {"type": "FeatureCollection", "name": "layer",
           "features": [{"type": "Feature", "properties": {"name": f"P{i}"},
                         "geometry": {"type": "Point", "coordinates": list(c)}} for i, c in enumerate(coords)]}
    if crs is not None:
        doc["crs"] = crs
    return json.dumps(doc).encode()


@pytest.fixture
def decodings(monkeypatch):
    calls: list[int] = []
    real = json_read.decode_json

    def counted(doc):
        calls.append(len(doc))
        return real(doc)

    monkeypatch.setattr(json_read, "decode_json", counted)
    monkeypatch.setattr(common, "decode_json", counted)
    return calls


def _where(features) -> list:
    return [(f.name, [round(v, 6) for v in f.geometry["coordinates"]]) for f in features]


def test_a_qgis_geojson_in_longitude_latitude_is_decoded_once(decodings):
    coords = [(125.75, 39.03), (124.4, 40.1)]
    imported = import_annotations(_points(QGIS_CRS84, coords), "qgis.geojson")
    assert len(decodings) == 1
    assert _where(imported) == _where(import_annotations(_points(None, coords), "plain.geojson"))
    assert all(f.properties.get("annotation") for f in imported)


def test_a_projected_geojson_is_decoded_once_and_reads_as_it_opens(decodings):
    data = _points(MERCATOR, [(13_998_000.0, 4_726_000.0), (13_850_000.0, 4_880_000.0)])
    imported = import_annotations(data, "mercator.geojson")
    assert len(decodings) == 1
    opened, _ = open_map_bytes(data, "mercator.geojson")
    assert _where(imported) == _where(opened.features)
    assert 125.0 < imported[0].geometry["coordinates"][0] < 126.0


def test_a_topology_is_decoded_once(decodings):
    data = (DATA / "realworld" / "topojson-client" / "properties.json").read_bytes()
    imported = import_annotations(data, "properties.json")
    assert len(decodings) == 1
    opened, _ = open_map_bytes(data, "properties.json")
    assert sorted(f.name for f in imported) == sorted(f.name for f in opened.features)


@pytest.mark.parametrize("data, said", [
    (b'{"type": "FeatureCollection", "crs": {}, "features": [}', "not valid JSON"),
    (b'{"type": "Topology", "crs": 1, "x": NaN}', "not a valid JSON number"),
    (b'{"type": "FeatureCollection", "crs": "\xff", "features": []}', "not UTF-8 text"),
])
def test_an_unreadable_one_is_refused_as_any_geojson_is(data, said):
    with pytest.raises(ScenarioError, match=said):
        import_annotations(data, "bad.geojson")
