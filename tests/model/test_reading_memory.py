"""What a large file leaves in memory once read: its properties objects are used, not copied,
and the words 100,000 features repeat (kind, role, status, source) are held once each."""

from __future__ import annotations

import copy
import json

from tools.big_projects import write_points_project
from viewer.model.io.open_any import open_map_file
from viewer.model.scenario import load_scenario, parse_scenario


def test_repeated_words_are_held_once(tmp_path):
    path = write_points_project(tmp_path / "points.geojson", 2000, 3)
    for scenario in (load_scenario(path), open_map_file(path)[0]):
        marks = [f for f in scenario.features if f.id.startswith("p-")]
        assert len(marks) == 2000
        for key in ("kind", "role", "status", "source"):
            assert len({id(f.properties[key]) for f in marks}) == 1, key


def test_a_document_handed_in_is_left_as_it_was_unless_it_is_owned():
    doc = {"type": "FeatureCollection", "sitmap": {"title": "t"}, "features": [
        {"type": "Feature", "id": "a", "geometry": {"type": "Point", "coordinates": [126.0, 39.0]},
         "properties": {"name": "A"}}]}
    before = copy.deepcopy(doc)
    s = parse_scenario(doc)
    assert doc == before  # the caller's object: copied, never completed in place
    assert s.features[0].properties["status"] == "reported"
    owned = json.loads(json.dumps(doc))
    s = parse_scenario(owned, owned=True)
    assert s.features[0].properties is owned["features"][0]["properties"]
    assert s.features[0].properties["kind"] == "place"
