"""SitMap's KML placemark after GDAL made columns of it (sitmap_kind, sitmap_properties, ...): its
sitmap_properties JSON is read as the other JSON text columns are (common.json_text): what SitMap's
JSON reader refuses (NaN, Infinity, 1e999) or a text longer than the KML reader takes is not
taken, and the feature opens with the rest of its fields."""

from __future__ import annotations

import json

import pytest

from viewer.model.io.kml import MAX_MACHINE_CHARS
from viewer.model.io.kml_columns import from_kml_columns
from viewer.model.io.open_any import open_map_bytes


def _columns(properties_text: str) -> dict:
    return {"sitmap_kind": "place", "sitmap_id": "a", "sitmap_status": "reported", "Name": "Pad",
            "sitmap_properties": properties_text}


def test_the_columns_sitmap_properties_are_taken():
    out = from_kml_columns(_columns(json.dumps({"role": "launch", "uncertainty_m": 5000})))
    assert out["role"] == "launch" and out["uncertainty_m"] == 5000 and out["id"] == "a"


@pytest.mark.parametrize("text", ['{"role": "launch", "uncertainty_m": NaN}', '{"role": "launch", "x": 1e999}',
                                  '{"role": "launch", "x": -Infinity}'])
def test_a_sitmap_properties_column_json_refuses_is_not_taken_and_the_feature_opens(text):
    assert "role" not in from_kml_columns(_columns(text))
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}, "properties": _columns(text)}]}
    s, _ = open_map_bytes(json.dumps(doc).encode(), "from-qgis.geojson")
    assert [(f.id, f.name) for f in s.features] == [("a", "Pad")]


def test_a_sitmap_properties_column_longer_than_the_kml_reader_takes_is_not_taken():
    text = json.dumps({"role": "launch", "pad": "x" * MAX_MACHINE_CHARS})
    assert "role" not in from_kml_columns(_columns(text))
    assert from_kml_columns(_columns(json.dumps({"role": "launch", "pad": "x" * 100})))["role"] == "launch"
