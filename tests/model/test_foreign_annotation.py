"""Another tool's field named like one of SitMap's own, whose value is not SitMap's, is kept as
``original_<key>``: also ``annotation`` (before: overwritten by SitMap's own true, the value lost)."""

from __future__ import annotations

import json

from viewer.model.io.open_any import open_map_bytes


def test_a_foreign_annotation_field_is_kept_as_original_annotation():
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [10, 50]},
         "properties": {"name": "A", "annotation": "see the survey", "kind": "school", "status": "closed"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [11, 50]},
         "properties": {"name": "B", "annotation": True}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [12, 50]},
         "properties": {"name": "C", "annotation": False}}]}
    scenario, _ = open_map_bytes(json.dumps(doc).encode(), "survey.geojson")
    a, b, c = scenario.features
    assert a.properties["original_annotation"] == "see the survey" and a.properties["annotation"] is True
    assert (a.properties["original_kind"], a.properties["original_status"]) == ("school", "closed")
    assert b.properties["annotation"] is True and "original_annotation" not in b.properties
    assert "annotation" not in c.properties and "original_annotation" not in c.properties  # (one of a map's own)
