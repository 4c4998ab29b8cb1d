"""A briefing of the whole world (an ICBM's range rings) shows the world once: at the zoom that
fits such a map the frame was wider than the world, and showed every place and feature twice over,
with bands past the projection's last latitude. The frame shows it at the first quarter zoom step
where no feature shows twice and the world is as tall as the frame, centred as the map is, within
the world's top and bottom; the page carries exactly the basemap tiles of that view (viewer/export/frame_view.py
computes it as resources/js/briefing.js does). A regional map is fitted as before."""

import json

import pytest

from tests.ui.conftest import js
from viewer import api
from viewer.export import briefing as b
from viewer.export.frame_view import fitted_view, frame_tiles, one_world_zoom
from viewer.render import layers

READY_MS = 60_000

VIEW = """JSON.stringify((function () {
  var map = SitMap.app.map, size = map.getSize(), zoom = map.getZoom();
  var origin = map.getPixelOrigin(), world = 256 * Math.pow(2, zoom), c = map.getCenter();
  return {zoom: zoom, w: size.x, h: size.y, world: world, top: origin.y, bottom: origin.y + size.y,
          lat: c.lat, lng: c.lng,
          tiles: Array.prototype.map.call(document.querySelectorAll('canvas.sitmap-basemap-tile'), function (t) {
            var m = t._sitmap, n = m ? Math.pow(2, m.coords.z) : 1;
            return m ? m.coords.z + '/' + (((m.coords.x % n) + n) % n) + '/' + m.coords.y : null; })};
})())"""


def _reach_map():
    m = api.new_map("Hwasong-17 reach")
    m.add_place(39.03, 125.75, "Pyongyang (Sunan)")
    m.add_ring(39.03, 125.75, 13_000_000, "13,000 km")
    m.add_ring(39.03, 125.75, 5_500_000, "5,500 km")
    m.add_place(38.9, -77.0, "Washington")
    return m.scenario


def _regional_map():
    m = api.new_map("Regional")
    m.add_place(39.03, 125.75, "Pyongyang (Sunan)")
    m.add_ring(39.03, 125.75, 380_000, "380 km")
    return m.scenario


def _briefing_view(qtbot, scenario, width, height):
    from viewer.ui.capture import briefing_view_class, close_view, open_briefing

    view = briefing_view_class()()
    view.network_guard.requests.clear()
    view = open_briefing(scenario, b.ExportSize.pixels(width, height), b.BriefingOptions(), timeout_ms=READY_MS,
                         view=view)
    try:
        got = json.loads(js(qtbot, view, VIEW))
        asked = [u for u in view.network_guard.requests if "/basemap/" in u]
        frame = view.briefing.layout.frame
    finally:
        close_view(view)
    return got, asked, frame


@pytest.mark.parametrize("width, height", [(1920, 1080), (1200, 800), (800, 1100)])
def test_a_whole_world_briefing_shows_the_world_once(qtbot, width, height):
    scenario = _reach_map()
    got, asked, frame = _briefing_view(qtbot, scenario, width, height)
    view = layers.view_of(scenario, layers.draw_scenario(scenario))
    (_, west), (_, east) = view["bounds"]
    share = (east - west) / 360
    assert share > 0.95  # (the rings reach round the world)
    # no feature twice (the world at least frame / (2 - share) wide) and the world as tall as the
    # frame, at the first quarter step where it is
    assert got["world"] >= got["w"] / (2 - share) - 1e-6 and got["world"] >= got["h"] - 1e-6, got
    assert got["zoom"] == one_world_zoom(got["w"], got["h"], east - west), got
    # no band past the world's top or bottom
    assert got["top"] >= -0.5 and got["bottom"] <= got["world"] + 0.5, got
    # the page's view is the one the app computed, and it carries exactly its tiles
    (lat, lng), zoom = fitted_view(view, frame.width, frame.height, one_world=True)
    assert zoom == got["zoom"]
    assert abs(lat - got["lat"]) < 0.5 and abs(lng - got["lng"]) < 0.5, (lat, lng, got)
    carried = {f"{z}/{x}/{y}" for z, x, y in frame_tiles(view, frame.width, frame.height)}
    assert asked == [] and set(got["tiles"]) == carried


def test_a_regional_briefing_is_fitted_as_before(qtbot):
    scenario = _regional_map()
    got, asked, frame = _briefing_view(qtbot, scenario, 1200, 800)
    view = layers.view_of(scenario, layers.draw_scenario(scenario))
    assert fitted_view(view, frame.width, frame.height, one_world=True) == fitted_view(view, frame.width, frame.height)
    (_, west), (_, east) = view["bounds"]
    assert got["zoom"] == fitted_view(view, frame.width, frame.height)[1] > one_world_zoom(frame.width, frame.height,
                                                                                           east - west)
    assert asked == []


RING_LABELS = """JSON.stringify((function () {
  var f = SitMap.app.map.getContainer().getBoundingClientRect();
  return Array.prototype.map.call(document.querySelectorAll('.leaflet-tooltip.sitmap-ring-label'), function (e) {
    var r = e.getBoundingClientRect();
    return {text: e.textContent, inside: r.left >= f.left && r.right <= f.right && r.top >= f.top && r.bottom <= f.bottom,
            shown: getComputedStyle(e).visibility !== 'hidden' && getComputedStyle(e).display !== 'none'};
  });
})())"""


def test_a_ring_whose_top_the_frame_cuts_off_keeps_its_name_in_the_frame(qtbot):
    """A ring's name stands above its northernmost point; where the frame does not show it (the
    5,500 km ring reaches 88 degrees north), above the highest point of the ring the frame shows."""
    from viewer.ui.capture import close_view, open_briefing

    view = open_briefing(_reach_map(), b.ExportSize.pixels(1920, 1080), b.BriefingOptions(), timeout_ms=READY_MS)
    try:
        rings = json.loads(js(qtbot, view, RING_LABELS))
    finally:
        close_view(view)
    assert sorted(r["text"] for r in rings) == ["13,000 km", "5,500 km"], rings
    assert all(r["inside"] and r["shown"] for r in rings), rings
