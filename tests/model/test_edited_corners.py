"""A line or area SitMap saved carries its own corners beside its drawn (densified) shape; where
another tool (Google Earth, QGIS) added or moved a point of that shape, the file's shape is what the
user made: it opens as drawn (its points as corners), the carried corners left out. Unedited, and
across the antimeridian, the carried corners come back."""

from __future__ import annotations

import json

import pytest

from viewer.export.geojson import exchange_geojson
from viewer.export.geopackage import export_geopackage
from viewer.model.io.kml_write import export_kml
from viewer.model.io.open_any import open_map_bytes
from viewer.model.scenario import Feature, Scenario

CORNERS = [[125.0, 39.0], [135.0, 40.0], [140.0, 45.0]]  # (long edges: many drawn points on each)
AREA = [[125.0, 30.0], [140.0, 31.0], [138.0, 40.0], [125.0, 30.0]]
ACROSS = [[170.0, 50.0], [-170.0, 52.0], [-160.0, 40.0]]


def _map(path=CORNERS, area=AREA) -> Scenario:
    base = {"source": "Analyst", "status": "estimated"}
    return Scenario(title="Edited", facts=[], features=[
        Feature(id="track", kind="path", geometry={"type": "LineString", "coordinates": path},
                properties={**base, "name": "Track"}),
        Feature(id="zone", kind="area", geometry={"type": "Polygon", "coordinates": [area]},
                properties={**base, "name": "Zone"})])


def _coords_text(kml: str, value: str) -> tuple[int, int]:
    """Where the coordinates of the placemark whose sitmap_id is ``value`` begin and end."""
    at = kml.index(f'<SimpleData name="sitmap_id">{value}</SimpleData>')
    start = kml.index("<coordinates>", at) + len("<coordinates>")
    return start, kml.index("</coordinates>", start)


def _edited_kml(which: str, edit) -> bytes:
    kml = export_kml(_map()).decode("utf-8")
    start, end = _coords_text(kml, which)
    points = [[float(x) for x in p.split(",")] for p in kml[start:end].split()]
    edit(points)
    return (kml[:start] + " ".join(f"{x!r},{y!r}" for x, y in points) + kml[end:]).encode()


def _moved(points):  # (a drawn point between two corners, dragged 2 km north)
    k = len(points) // 4
    assert all(points[k] != c for c in CORNERS + AREA)
    points[k][1] += 0.02


def _added(points):  # (a point put between two drawn ones, off the line)
    k = len(points) // 4
    a, b = points[k], points[k + 1]
    points.insert(k + 1, [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2 + 0.05])


def test_an_unedited_line_and_area_open_with_their_own_corners():
    s, report = open_map_bytes(export_kml(_map()), "m.kml")
    assert s.feature("track").geometry["coordinates"] == CORNERS
    assert s.feature("zone").geometry["coordinates"] == [AREA]


@pytest.mark.parametrize("edit", [_moved, _added], ids=["moved", "added"])
@pytest.mark.parametrize("which", ["track", "zone"])
def test_a_shape_edited_in_google_earth_opens_as_the_file_draws_it(which, edit):
    data = _edited_kml(which, edit)
    s, _ = open_map_bytes(data, "edited.kml")
    f = s.feature(which)
    got = f.geometry["coordinates"] if which == "track" else f.geometry["coordinates"][0]
    assert len(got) > len(CORNERS) + 2, "the carried corners were taken over the user's edit"
    start, end = _coords_text(data.decode(), which)
    edited = [[float(x) for x in p.split(",")] for p in data.decode()[start:end].split()]
    k = len(edited) // 4
    assert any(abs(c[0] - edited[k][0]) < 1e-9 and abs(c[1] - edited[k][1]) < 1e-9 for c in got)


@pytest.mark.parametrize("edit", [_moved, _added], ids=["moved", "added"])
@pytest.mark.parametrize("which", ["track", "zone"])
def test_a_geojson_shape_edited_in_another_tool_opens_as_the_file_draws_it(which, edit):
    doc = exchange_geojson(_map())
    [f] = [f for f in doc["features"] if f["id"] == which]
    assert f["properties"]["vertices"] == (CORNERS if which == "track" else [AREA])
    edit(f["geometry"]["coordinates"] if which == "track" else f["geometry"]["coordinates"][0])
    s, _ = open_map_bytes(json.dumps(doc).encode(), "edited.geojson")
    assert s.feature(which).geometry["coordinates"] == f["geometry"]["coordinates"]
    assert "vertices" not in s.feature(which).properties
    s, _ = open_map_bytes(json.dumps(exchange_geojson(_map())).encode(), "m.geojson")
    assert s.feature(which).geometry["coordinates"] == (CORNERS if which == "track" else [AREA])


def test_a_line_and_area_across_the_antimeridian_open_with_their_own_corners():
    area = ACROSS + [ACROSS[0]]
    s, _ = open_map_bytes(export_kml(_map(ACROSS, area)), "m.kml")
    assert s.feature("track").geometry["coordinates"] == ACROSS
    assert s.feature("zone").geometry["coordinates"] == [area]
    s, _ = open_map_bytes(json.dumps(exchange_geojson(_map(ACROSS, area))).encode(), "m.geojson")
    assert s.feature("track").geometry["coordinates"] == ACROSS
    assert s.feature("zone").geometry["coordinates"] == [area]


# An area whose geodesic edges cross where its straight ones do not is made a valid area as it is
# written (for QGIS and Google Earth), which can cut a corner or leave out a hole: still SitMap's
# drawing, it opens with its own corners (before: the drawn shape, a hole or a corner lost, unsaid).
SLIVER = [[16.82055473327637, 43.15188229063789], [17.183610916137706, 43.11047393387421],
          [16.63305473327637, 43.17300230644625], [16.82055473327637, 43.15188229063789]]  # (Croatia in mapnik's world_merc.shp)
SHELL = [[0.0, 60.0], [30.0, 60.0], [30.0, 70.0], [0.0, 70.0], [0.0, 60.0]]
HOLES = [[[14.0, 60.3], [16.0, 60.3], [15.0, 61.0], [14.0, 60.3]],  # (above the straight edge, below its geodesic)
         [[10.0, 65.0], [12.0, 65.0], [11.0, 66.0], [10.0, 65.0]]]


def _written(area, how):
    s = Scenario(title="Drawn", facts=[], features=[Feature(
        id="zone", kind="area", geometry={"type": "Polygon", "coordinates": area},
        properties={"source": "Analyst", "status": "estimated", "name": "Zone"})])
    if how == "kml":
        return export_kml(s), "m.kml"
    if how == "gpkg":
        return export_geopackage(s), "m.gpkg"
    return json.dumps(exchange_geojson(s)).encode(), "m.geojson"


@pytest.mark.parametrize("how", ["geojson", "kml", "gpkg"])
@pytest.mark.parametrize("area", [[SLIVER], [SHELL] + HOLES], ids=["sliver", "hole-across-an-edge"])
def test_an_area_written_other_than_its_corners_draw_opens_with_its_own_corners(area, how):
    data, name = _written(area, how)
    s, report = open_map_bytes(data, name)
    assert s.feature("zone").geometry["coordinates"] == area and not report.lines()
    assert "vertices" not in s.feature("zone").properties


def test_such_an_area_edited_in_another_tool_opens_as_the_file_draws_it():
    doc = json.loads(_written([SHELL] + HOLES, "geojson")[0])
    _moved(doc["features"][0]["geometry"]["coordinates"][0])
    s, _ = open_map_bytes(json.dumps(doc).encode(), "edited.geojson")
    assert s.feature("zone").geometry["coordinates"] == doc["features"][0]["geometry"]["coordinates"]
