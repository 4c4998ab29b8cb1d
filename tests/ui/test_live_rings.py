"""Rings that other tools get wrong, drawn in the real page: pixels inside are filled,
pixels outside are not (positions from the page's own projection)."""

import json

import pytest
from PySide6.QtGui import QColor

from tests.ui.conftest import READY_MS, js
from viewer.ui.capture import wait_for_frame
from viewer.model import geodesy
from viewer.model.scenario import parse_scenario
from viewer.render.page import PageOptions

FILL = "#FF00FF"


def ring_scenario(lat, lon, radius_m, view):
    return parse_scenario({
        "type": "FeatureCollection",
        "sitmap": {"version": 1, "title": "ring test", "view": view},
        "features": [{"type": "Feature", "id": "ring", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                      "properties": {"kind": "range_ring", "radius_m": radius_m, "label": " ",
                                     "style": {"color": FILL, "fill_opacity": 0.6, "weight": 1}}}],
    }, "test")


def magenta_ish(c: QColor) -> bool:
    return c.red() > c.green() + 60 and c.blue() > c.green() + 60


@pytest.fixture()
def view(qtbot):
    from viewer.ui.map_view import MapView

    v = MapView()
    qtbot.addWidget(v)
    v.resize(1024, 1024)
    v.show()
    return v


def check(qtbot, view, scenario, inside, outside):
    with qtbot.waitSignal(view.mapReady, timeout=READY_MS):
        view.show_scenario(scenario, opts=PageOptions(interactive=False, online_layers=False))
    pts = json.loads(js(qtbot, view, "JSON.stringify(%s.map(p => { var q = SitMap.app.map.latLngToContainerPoint(p);"
                                      " return [q.x, q.y]; }))" % json.dumps(inside + outside)))
    image = wait_for_frame(view)
    for (lat, lon), (x, y) in zip(inside + outside, pts):
        assert 0 <= x < image.width() and 0 <= y < image.height(), (lat, lon, x, y)
        filled = magenta_ish(QColor(image.pixel(int(x), int(y))))
        assert filled == ((lat, lon) in inside), f"{(lat, lon)} at pixel {(x, y)}: filled={filled}"


def test_13000_km_ring_around_pyongyang_covers_the_north_pole_region(qtbot, view):
    lat, lon, r = 39.0194, 125.7381, 13_000_000
    inside = [(39.0, 125.7), (80.0, 0.0), (80.0, -120.0), (60.0, -100.0), (0.0, 60.0)]
    outside = [(-39.0, -54.3), (-30.0, -70.0), (-45.0, -40.0)]
    for p in inside:
        assert geodesy.distance_bearing(lat, lon, p[0], p[1])[0] < r
    for p in outside:
        assert geodesy.distance_bearing(lat, lon, p[0], p[1])[0] > r
    check(qtbot, view, ring_scenario(lat, lon, r, {"center": [0.0, 0.0], "zoom": 2}), inside, outside)


def test_2000_km_ring_around_fiji_is_one_shape_across_the_antimeridian(qtbot, view):
    lat, lon, r = -17.7, 178.0, 2_000_000
    # Longitudes east of 180 are written unwrapped (190 = -170) so they sit on the same world copy.
    inside = [(-17.7, 178.0), (-17.7, 190.0), (-10.0, 175.0), (-28.0, 184.0)]
    outside = [(-17.7, 155.0), (-17.7, 205.0), (5.0, 178.0)]
    for p in inside:
        assert geodesy.distance_bearing(lat, lon, p[0], p[1])[0] < r
    for p in outside:
        assert geodesy.distance_bearing(lat, lon, p[0], p[1])[0] > r
    check(qtbot, view, ring_scenario(lat, lon, r, {"center": [-17.7, 180.0], "zoom": 4}), inside, outside)
