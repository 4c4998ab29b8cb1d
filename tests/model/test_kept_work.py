"""Work done once per feature or per style and kept: a feature's drawn shape stays with it, a
style is worked out once for all features that share what it depends on, and a saved file
writes each feature on one line."""

from __future__ import annotations

import dataclasses
import json

from viewer import resources
from viewer.model import geometry
from viewer.model.project import project_bytes
from viewer.model.scenario import Feature, load_scenario, parse_scenario_bytes
from viewer.model.style import style_of


def _path(fid="l-1"):
    return Feature(fid, "path", {"type": "LineString", "coordinates": [[120.0, 30.0], [140.0, 45.0]]},
                   {"kind": "path", "name": "L", "status": "estimated"})


def test_a_features_shape_is_worked_out_once_and_does_not_change_what_it_equals(monkeypatch):
    calls = []
    real = geometry._compute
    monkeypatch.setattr(geometry, "_compute", lambda f: calls.append(f.id) or real(f))
    f = _path()
    first = geometry.shape_of(f)
    assert geometry.shape_of(f) is first and calls == ["l-1"]
    twin = _path()
    assert twin == f and hash(repr(twin)) == hash(repr(f))  # the kept shape is no field
    assert geometry.shape_of(twin).geojson == first.geojson and calls == ["l-1", "l-1"]
    moved = dataclasses.replace(f, geometry={"type": "LineString", "coordinates": [[120.0, 30.0], [121.0, 31.0]]})
    assert geometry.shape_of(moved).geojson != first.geojson


def test_a_style_depends_on_what_the_feature_says_even_when_values_compare_equal():
    def mark(weight):
        return Feature("m", "place", {"type": "Point", "coordinates": [1.0, 2.0]},
                       {"kind": "place", "style": {"weight": weight}})

    assert style_of(mark(3)).weight == 3 and type(style_of(mark(3)).weight) is int
    assert type(style_of(mark(3.0)).weight) is float
    assert style_of(mark(3)) is style_of(mark(3))
    a = Feature("a", "place", {"type": "Point", "coordinates": [1.0, 2.0]}, {"kind": "place", "role": "launch"})
    b = Feature("b", "place", {"type": "Point", "coordinates": [1.0, 2.0]}, {"kind": "place", "role": "crossing"})
    assert style_of(a).symbol == "launch" and style_of(b).symbol == "station"


def test_a_saved_map_has_one_line_per_feature_and_reads_back_equal():
    s = load_scenario(resources.default_scenario())
    data = project_bytes(s)
    text = data.decode("utf-8")
    lines = text.splitlines()
    start = lines.index(' "features": [')
    feature_lines = lines[start + 1:start + 1 + len(s.features)]
    assert [json.loads(line.rstrip(","))["id"] for line in feature_lines] == [f.id for f in s.features]
    assert lines[start + 1 + len(s.features)] == " ]"
    again = parse_scenario_bytes(data, "saved.geojson")
    assert again == s and project_bytes(again) == data


def test_a_map_without_features_saves_an_empty_list():
    s = dataclasses.replace(load_scenario(resources.default_scenario()), features=[], facts=[])
    assert json.loads(project_bytes(s))["features"] == []


def test_a_feature_orjson_cannot_write_is_written_by_the_standard_writer_on_its_line():
    # an integer beyond 64 bits in a property of a file the standard reader read: kept exactly
    s = load_scenario(resources.default_scenario())
    big = Feature("big", "place", {"type": "Point", "coordinates": [126.5, 39.25]},
                  {"kind": "place", "name": "Großer Punkt \u2013 平壤", "status": "reported", "count": 2 ** 70})
    s = dataclasses.replace(s, features=[*s.features, big])
    data = project_bytes(s)
    lines = data.decode("utf-8").splitlines()
    line = next(x for x in lines if '"id": "big"' in x or '"id":"big"' in x)
    assert json.loads(line.rstrip(","))["properties"]["count"] == 2 ** 70
    assert "平壤" in line  # UTF-8 as it is, not escaped
    again = parse_scenario_bytes(data, "saved.geojson")
    assert again.feature("big").properties["count"] == 2 ** 70 and again == s
