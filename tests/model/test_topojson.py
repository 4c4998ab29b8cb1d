"""TopoJSON opened as a map: topojson-client's own test topologies (quantized and not) open to the
GeoJSON its tests expect; each object of several is a layer; arcs are joined as the format says
(reversed by ~i, each after the first from where the one before ended); a projected topology is
refused, and a feature whose arcs cannot be read is left out and said."""

from __future__ import annotations

import json

import pytest

from tests.conftest import DATA
from viewer.model.io.open_any import open_map_bytes, open_map_file
from viewer.model.scenario import ScenarioError

TOPO = DATA / "realworld" / "topojson-client"


def ring_of(scenario) -> list:
    [f] = scenario.features
    return f.geometry["coordinates"][0]


@pytest.mark.parametrize("name", ["polygon.json", "polygon-q1e4.json"])
def test_a_polygon_opens_as_the_geojson_topojson_client_expects(name):
    want = ring_of(open_map_file(TOPO / "polygon.geojson")[0])
    got = ring_of(open_map_file(TOPO / name)[0])
    assert len(got) == len(want)
    assert max(max(abs(a - b) for a, b in zip(p, q)) for p, q in zip(got, want)) < 1e-6  # (quantized to 1e-3 of a degree)


@pytest.mark.parametrize("name", ["points.json", "points-q1e5.json", "point.json"])
def test_points_open_at_the_corners(name):
    scenario, _ = open_map_file(TOPO / name)
    corners = sorted((round(f.geometry["coordinates"][0], 6), round(f.geometry["coordinates"][1], 6))
                     for f in scenario.features)
    assert corners == [(0.0, 0.0), (0.0, 10.0), (10.0, 0.0), (10.0, 10.0)]
    assert all(f.kind == "place" for f in scenario.features)


def test_each_object_of_several_is_a_layer_with_its_names():
    scenario, _ = open_map_file(TOPO / "properties.json")
    by_layer: dict[str, list[str]] = {}
    labels = {x["id"]: x["label"] for x in scenario.layers}
    for f in scenario.features:
        by_layer.setdefault(labels[f.properties["layer"]], []).append(f.name)
    assert by_layer["point"] == ["Point E. Daht"]
    assert by_layer["points"] == ["Sir Points-a-Lot", "Sir Points-a-Lot"]
    assert by_layer["polygon"] == ["Polly Gan"]
    assert sorted(by_layer) == ["collection", "point", "points", "polygon"]


def test_a_projected_topology_is_refused_in_one_line():
    for name in ("polygon-mercator.json", "polygon-mercator-q1e4.json"):
        with pytest.raises(ScenarioError, match="not longitude and latitude"):
            open_map_file(TOPO / name)


SHARED = {"type": "Topology", "transform": {"scale": [0.5, 0.25], "translate": [120.0, 30.0]},
          "objects": {"areas": {"type": "GeometryCollection", "geometries": [
              {"type": "Polygon", "arcs": [[0, 1]], "properties": {"name": "West"}, "id": "w"},
              {"type": "Polygon", "arcs": [[2, ~0]], "properties": {"name": "East"}, "id": "e"},
              {"type": "Polygon", "arcs": [[7]], "properties": {"name": "Nowhere"}},
              {"type": "LineString", "arcs": [~1], "properties": {"name": "Border back"}}]}},
          # (delta-encoded: (0,0) (0,4) -> the shared edge x=120..; then the rest of each ring)
          "arcs": [[[2, 0], [0, 4]],            # shared edge: (121, 30) -> (121, 31)
                   [[2, 4], [-2, 0], [0, -4], [2, 0]],  # west: (121, 31) -> (120, 31) -> (120, 30) -> (121, 30)
                   [[2, 0], [2, 0], [0, 4], [-2, 0]]]}  # east: (121, 30) -> (122, 30) -> (122, 31) -> (121, 31)


def test_arcs_are_joined_reversed_and_shared_as_the_format_says():
    scenario, report = open_map_bytes(json.dumps(SHARED).encode(), "shared.topojson")
    # (each line's corners, in order: the reader adds points along long edges, as for GeoJSON, to
    # keep the straight lines a file draws in longitude/latitude)
    got = {f.name: [tuple(p) for p in (f.geometry["coordinates"][0] if f.kind == "area" else f.geometry["coordinates"])
                    if p[0] in (120.0, 121.0, 122.0) and p[1] in (30.0, 31.0)] for f in scenario.features}
    assert got["West"] == [(121.0, 30.0), (121.0, 31.0), (120.0, 31.0), (120.0, 30.0), (121.0, 30.0)]
    assert got["East"] == [(121.0, 30.0), (122.0, 30.0), (122.0, 31.0), (121.0, 31.0), (121.0, 30.0)]  # (closed by the shared edge, reversed)
    assert got["Border back"] == [(121.0, 30.0), (120.0, 30.0), (120.0, 31.0), (121.0, 31.0)]
    assert {f.id for f in scenario.features} >= {"w", "e"}
    assert "Nowhere" not in got and "arc 7 is not one of the topology's 3" in str(report)


def test_a_topology_without_objects_or_arcs_is_refused_in_one_line():
    for doc in ({"type": "Topology", "arcs": []}, {"type": "Topology", "objects": {}, "arcs": 5},
                {"type": "Topology", "objects": {}, "arcs": [], "transform": {"scale": [1]}}):
        with pytest.raises(ScenarioError, match="TopoJSON"):
            open_map_bytes(json.dumps(doc).encode(), "bad.json")


def test_a_topology_imports_into_an_open_map_as_it_opens():
    from viewer.model.io.annotations import import_annotations

    data = (TOPO / "properties.json").read_bytes()
    imported = import_annotations(data, "properties.json")
    opened, _ = open_map_bytes(data, "properties.json")
    assert sorted(f.name for f in imported) == sorted(f.name for f in opened.features)
    assert all("layer" not in f.properties for f in imported)  # (the file's layers stay the file's)


def test_a_geometry_collection_without_geometries_and_a_huge_number_are_left_out_not_a_crash():
    doc = {"type": "Topology", "arcs": [[[125, 39], [10**400, 40]], [[125, 39], [126, 40]]],
           "objects": {"a": {"type": "GeometryCollection", "geometries": {"x": 1}},
                       "b": {"type": "LineString", "arcs": [0], "properties": {"name": "Huge"}},
                       "c": {"type": "LineString", "arcs": [1], "properties": {"name": "Fine"}},
                       "d": {"type": "Point", "coordinates": [10**400, 1]}}}
    scenario, report = open_map_bytes(json.dumps(doc).encode(), "odd.json")
    assert [f.name for f in scenario.features] == ["Fine"]
    said = str(report)
    assert "objects.a (a GeometryCollection without its geometries)" in said
    assert "objects.b (arc 0 cannot be read)" in said and "objects.d (a position that is not two numbers)" in said
