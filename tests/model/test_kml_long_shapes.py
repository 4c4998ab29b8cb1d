"""A KML SitMap wrote of a line or an area with tens of thousands of corners (a country's border,
a long GPS track) opens again with those exact corners: the corners' text SitMap writes beside
the drawn outline is never longer than its own reader takes."""

from __future__ import annotations

import math

import pytest

from viewer import api
from viewer.model.io.open_any import open_map_file


def _circle(n: int, lat: float = 46.0, lon: float = -71.0, r: float = 5.0):
    # (corners with long decimals, as a projected file converted to degrees gives them)
    return [(lat + r * 0.7 * math.sin(2 * math.pi * i / n) + 1e-9 * i, lon + r * math.cos(2 * math.pi * i / n))
            for i in range(n)]


@pytest.mark.parametrize("kind", ["area", "path"])
def test_a_kml_export_of_a_shape_of_40000_corners_reopens_with_every_corner(tmp_path, kind):
    m = api.new_map("Long shapes")
    corners = _circle(40_000)
    if kind == "area":
        m.add_area(corners, "Quebec-sized", id="big")
    else:
        m.add_path(corners, "Long track", id="big")
    out = m.export(tmp_path / "long.kml")
    written = m.feature("big").geometry["coordinates"]
    assert len(" ".join(f"{c[0]!r},{c[1]!r}" for c in (written[0] if kind == "area" else written))) > 1_000_000
    scenario, report = open_map_file(out)
    assert not report.counts, str(report)
    back = scenario.feature("big")
    assert back.kind == kind
    assert back.geometry["coordinates"] == written


@pytest.mark.parametrize("suffix", [".kml", ".kmz"])
def test_a_ring_of_the_antipodal_distance_reopens_from_kml_as_the_ring(tmp_path, suffix):
    """A ring as wide as the world (its radius the antipodal distance) is drawn as the whole world's
    box: opened again it is still the ring (it was left out as a polygon round the world)."""
    from viewer.model import geodesy

    for radius in (geodesy.EARTH_ANTIPODAL_M, 20_003_000.0):
        m = api.new_map("Reach")
        m.add_ring(38.0, 127.0, radius, "Whole reach", source="x")
        out = tmp_path / f"ring{suffix}"
        m.export(out)
        again = api.open_map(out)
        rings = [f for f in again.features if f.kind == "range_ring"]
        assert [f.properties["radius_m"] for f in rings] == [radius], str(again.open_report)
        assert rings[0].geometry["coordinates"][:2] == [127.0, 38.0]
