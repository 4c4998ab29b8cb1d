"""A large exchange file of SitMap's own lines and areas is recognised by SitMap's drawing of their
corners, worked out together (their geodesics in bulk, as a large map is drawn) and compared with
the file, instead of each drawn point tested on its own; the drawing is kept with the features it
opens as, so the map is not drawn a second time. A line or area edited in another tool since is
still found, by the test each drawn point passes, and opens as the file draws it."""

from __future__ import annotations

import json

import pytest

from tools.big_projects import write_project
from viewer.export.writers import writer_for
from viewer.model import geometry
from viewer.model.io import drawn_corners
from viewer.model.io.open_any import open_map_bytes, open_map_file
from viewer.model.scenario import Feature, load_scenario

N = 1_200  # (over the 500 lines and areas from which a map's are drawn in bulk)


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("redrawn")
    scenario = load_scenario(write_project(tmp / "mixed.geojson", N, "mixed"))
    files = {}
    for suffix in (".geojson", ".gpkg"):
        files[suffix] = tmp / f"out{suffix}"
        writer_for(files[suffix]).write(scenario, files[suffix])
    return scenario, files


def _own(scenario):
    return {f.id: (f.kind, f.geometry) for f in scenario.features if f.kind in ("path", "area")}


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_a_large_file_of_sitmaps_lines_and_areas_opens_with_their_corners_without_testing_each_point(
        large, suffix, monkeypatch):
    scenario, files = large
    tested = []
    real = drawn_corners.drawn_by
    monkeypatch.setattr(drawn_corners, "drawn_by", lambda *a: tested.append(a) or real(*a))
    opened, report = open_map_file(files[suffix])
    assert _own(opened) == _own(scenario) and len(_own(opened)) == N + 3  # (and the built-in map's three)
    assert tested == []  # (each recognised by SitMap's drawing, none point by point)
    # the drawing kept with each: the one the map would work out (its lines and areas in bulk)
    shapes = [f for f in opened.features if f.kind in ("path", "area")]
    fresh = [Feature(f.id, f.kind, f.geometry, f.properties) for f in shapes]
    geometry.prepare_many(fresh)
    for f, again in zip(shapes, fresh):
        kept = geometry._kept(f)
        assert kept is not None and kept is not geometry._kept(again)
        assert kept.display == geometry.shape_of(again).display and kept.geojson == geometry.shape_of(again).geojson


def test_a_line_and_an_area_edited_in_another_tool_open_as_the_file_draws_them(large):
    scenario, files = large
    doc = json.loads(files[".geojson"].read_bytes())
    by_id = {f["id"]: f for f in doc["features"]}
    line = next(f for f in doc["features"] if f["properties"].get("kind") == "path")
    area = next(f for f in doc["features"] if f["properties"].get("kind") == "area")
    line["geometry"]["coordinates"][1][1] += 0.01  # (a drawn point moved in QGIS)
    ring = area["geometry"]["coordinates"][0]
    ring.insert(2, [(ring[1][0] + ring[2][0]) / 2 + 0.01, (ring[1][1] + ring[2][1]) / 2])  # (a point added)
    opened, report = open_map_bytes(json.dumps(doc).encode(), "edited.geojson")
    got = {f.id: f for f in opened.features}
    assert got[line["id"]].geometry["coordinates"] == line["geometry"]["coordinates"]  # (as the file draws it)
    assert got[area["id"]].geometry["coordinates"][0] == ring
    # every other line and area: its own corners again
    own = _own(scenario)
    for fid, f in got.items():
        if fid in own and fid not in (line["id"], area["id"]):
            assert (f.kind, f.geometry) == own[fid]
    assert len(by_id) == len(doc["features"])


def test_a_few_lines_are_tested_point_by_point_as_before(tmp_path, monkeypatch):
    scenario = load_scenario(write_project(tmp_path / "few.geojson", 20, "mixed"))
    path = tmp_path / "few-out.geojson"
    writer_for(path).write(scenario, path)
    tested = []
    real = drawn_corners.drawn_by
    monkeypatch.setattr(drawn_corners, "drawn_by", lambda *a: tested.append(a) or real(*a))
    opened, _ = open_map_file(path)
    assert _own(opened) == _own(scenario) and len(tested) == 23  # (one by one, the built-in map's three too)


@pytest.mark.parametrize("suffix", [".kml", ".kmz", ".geojson", ".gpkg"])
def test_a_corner_given_twice_in_a_row_comes_back_from_every_exchange_file(tmp_path, suffix):
    """A line or area with a corner given twice in a row (an edge of no length, which draws nothing):
    its corners were not found on the drawing, so it reopened with one corner fewer (KML) or with
    its own only as original_vertices (GeoJSON, GeoPackage)."""
    from viewer import api

    m = api.new_map("Repeats")
    m.add_path([(10, 20), (10, 20), (11, 21)], "Path", source="S")
    m.add_area([(10, 20), (10, 21), (10, 21), (11, 21)], "Area", source="S")
    out = tmp_path / f"repeats{suffix}"
    m.export(out)
    again = api.open_map(out)
    got = [(f.kind, f.geometry["coordinates"]) for f in again.features]
    assert got == [(f.kind, f.geometry["coordinates"]) for f in m.features]
    assert not any("original_vertices" in f.properties for f in again.features)


@pytest.mark.parametrize("suffix", [".kml", ".geojson", ".gpkg"])
def test_a_path_from_pole_to_pole_comes_back_with_its_own_corners(tmp_path, suffix):
    """An edge from one pole to the other: its drawn points were taken for corners (28 instead of
    2), the azimuth at the pole it was tested from meaning nothing once both ends were swapped."""
    from viewer import api

    m = api.new_map("Poles")
    m.add_path([(-90, 0), (90, 50)], "Pole to pole", source="S")
    m.add_path([(10, 20), (90, 20), (-90, 0)], "Over both", source="S")
    out = tmp_path / f"poles{suffix}"
    m.export(out)
    again = api.open_map(out)
    assert [f.geometry["coordinates"] for f in again.features] == [f.geometry["coordinates"] for f in m.features]
