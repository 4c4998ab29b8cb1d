"""A GeoJSON's uncertainty circles as SitMap's export writes them (``"kind": "uncertainty"``, ``"of"``
its point's id): one whose point is in the file is left out (the point carries it), found at once
when it follows its point, as SitMap writes it; one whose point is gone is opened as it is drawn;
one whose ``of`` is a list or an object names no feature, and the file still opens (it crashed)."""

from __future__ import annotations

import json

import pytest

from viewer.model.io import geojson_any
from viewer.model.io.open_any import open_map_bytes


def _point(fid: str, lon: float = 125.7) -> dict:
    return {"type": "Feature", "id": fid, "geometry": {"type": "Point", "coordinates": [lon, 39.0]},
            "properties": {"name": fid}}


def _circle(of) -> dict:
    ring = [[125.6, 38.9], [125.8, 38.9], [125.8, 39.1], [125.6, 39.1], [125.6, 38.9]]
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"kind": "uncertainty", "of": of, "radius_m": 5000}}


def _opened(*features) -> list:
    doc = {"type": "FeatureCollection", "features": list(features)}
    scenario, _report = open_map_bytes(json.dumps(doc).encode(), "x.geojson")
    return scenario.features


def test_a_circle_just_after_its_point_is_left_out_without_a_look_at_every_feature(monkeypatch):
    def every(_items):
        raise AssertionError("every feature looked at")

    monkeypatch.setattr(geojson_any, "_ids_held", every)
    many = [_point(f"p-{i}", 120 + i / 1000) for i in range(2000)]
    opened = _opened(*many[:1000], _point("launch"), _circle("launch"), *many[1000:])
    assert len(opened) == 2001 and "launch" in {f.id for f in opened}
    assert all(f.kind == "place" for f in opened)


def test_a_circle_whose_point_is_elsewhere_in_the_file_is_left_out_too():
    opened = _opened(_point("launch"), _point("other", 126.0), _circle("launch"))
    assert [f.id for f in opened] == ["launch", "other"]


def test_a_circle_whose_point_is_gone_is_opened_as_drawn():
    opened = _opened(_point("other"), _circle("launch"))
    assert [f.kind for f in opened] == ["place", "area"]
    assert opened[1].properties.get("radius_m") == 5000


@pytest.mark.parametrize("of", [[1], {"id": "launch"}, ["launch"]])
def test_a_circle_of_a_list_or_an_object_opens_not_a_crash(of):
    opened = _opened(_point("launch"), _circle(of))
    assert [f.kind for f in opened] == ["place", "area"]
