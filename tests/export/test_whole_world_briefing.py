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


def _pacific_map():
    # (a frame whose edge falls a fraction of a pixel from a tile's: the page needed one more
    # column of tiles than were carried, and asked for them)
    m = api.new_map("Pacific reach")
    m.add_ring(-17.0, 178.0, 12_000_000, "12,000 km")
    m.add_place(21.0, -157.0, "Hawaii")
    return m.scenario


def _regional_map():
    m = api.new_map("Regional")
    m.add_place(39.03, 125.75, "Pyongyang (Sunan)")
    m.add_ring(39.03, 125.75, 380_000, "380 km")
    return m.scenario


def _briefing_view(qtbot, scenario, width, height, opts=None):
    from viewer.ui.capture import briefing_view_class, close_view, open_briefing

    view = briefing_view_class()()
    view.network_guard.requests.clear()
    view = open_briefing(scenario, b.ExportSize.pixels(width, height), opts or b.BriefingOptions(),
                         timeout_ms=READY_MS, view=view)
    try:
        got = json.loads(js(qtbot, view, VIEW))
        asked = [u for u in view.network_guard.requests if "/basemap/" in u]
        frame = view.briefing.layout.frame
    finally:
        close_view(view)
    return got, asked, frame


@pytest.mark.parametrize("case, width, height, legend", [
    ("reach", 1920, 1080, True), ("reach", 1200, 800, True), ("reach", 800, 1100, True),
    ("pacific", 800, 1100, True), ("reach", 30, 30, False), ("reach", 200, 30, False)])
def test_a_whole_world_briefing_shows_the_world_once(qtbot, case, width, height, legend):
    scenario = _reach_map() if case == "reach" else _pacific_map()
    got, asked, frame = _briefing_view(qtbot, scenario, width, height, b.BriefingOptions(show_legend=legend))
    view = layers.view_of(scenario, layers.draw_scenario(scenario))
    (_, west), (_, east) = view["bounds"]
    share = (east - west) / 360
    assert share > (0.95 if case == "reach" else 0.6)  # (the rings reach round the world, or most of it)
    # nothing twice (the world at least as wide as the frame) and the world as tall as the frame,
    # at the first quarter step where it is (never below 2, the basemap's least)
    assert got["world"] >= got["w"] - 1e-6 and got["world"] >= got["h"] - 1e-6, got
    assert got["zoom"] == one_world_zoom(got["w"], got["h"], east - west)[1], got
    # centred across on the middle of its places and rings' centres (on the copy nearest the
    # bounds' middle), the frame showing them where it can
    if case == "reach":
        assert abs((got["lng"] - view["focus"] + 180) % 360 - 180) < 0.5, (got, view["focus"])
    # no band past the world's top or bottom
    assert got["top"] >= -0.5 and got["bottom"] <= got["world"] + 0.5, got
    # the page's view is the one the app computed, and it carries exactly its tiles
    (lat, lng), zoom = fitted_view(view, frame.width, frame.height, one_world=True)
    assert zoom == got["zoom"]
    assert abs(lat - got["lat"]) < 0.5 and abs(lng - got["lng"]) < 0.5, (lat, lng, got)
    carried = {f"{z}/{x}/{y}" for z, x, y in frame_tiles(view, frame.width, frame.height)}
    assert asked == [] and set(got["tiles"]) <= carried, (asked, sorted(set(got["tiles"]) - carried))


def test_a_regional_briefing_is_fitted_as_before(qtbot):
    scenario = _regional_map()
    got, asked, frame = _briefing_view(qtbot, scenario, 1200, 800)
    view = layers.view_of(scenario, layers.draw_scenario(scenario))
    assert fitted_view(view, frame.width, frame.height, one_world=True) == fitted_view(view, frame.width, frame.height)
    (_, west), (_, east) = view["bounds"]
    assert got["zoom"] == fitted_view(view, frame.width, frame.height)[1] >= one_world_zoom(frame.width, frame.height,
                                                                                            east - west)[0]
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


def test_a_frame_narrower_than_its_padding_is_not_zoomed_to_the_street(qtbot):
    """16x1000: the legend goes beside a map a few pixels wide, where no zoom fits the map
    (Leaflet's answer is its greatest zoom): it was shown at zoom 18; now at the whole-world rule's."""
    got, _asked, _frame = _briefing_view(qtbot, _reach_map(), 16, 1000)
    assert got["zoom"] <= 6, got


def test_a_whole_world_briefing_is_centred_on_its_places(qtbot):
    """The rings of a Pacific map reach round the world, their bounds' middle in Africa: the frame,
    which cannot show the whole world, was centred there, Seattle and Hawaii off its edge. It is
    centred across on the middle of the places and rings' centres (layers.view_of's focus)."""
    from viewer.ui.capture import close_view, open_briefing

    m = api.new_map("Pacific")
    places = {"Pyongyang": (39.03, 125.75), "Guam": (13.58, 144.93), "Hawaii": (21.35, -157.95),
              "Seattle": (47.45, -122.3)}
    for name, (lat, lon) in places.items():
        m.add_place(lat, lon, name)
    m.add_ring(39.03, 125.75, 5_500_000, "5,500 km")
    m.add_ring(39.03, 125.75, 10_000_000, "10,000 km")
    view = open_briefing(m.scenario, b.ExportSize.pixels(1200, 800), b.BriefingOptions(), timeout_ms=READY_MS)
    try:
        inside = json.loads(js(qtbot, view, """JSON.stringify((function () {
          var map = SitMap.app.map, size = map.getSize();
          return %s.map(function (p) {
            // (on the world copy nearest the view's middle, as the page draws its markers)
            var ll = [p[0], p[1] + SitMap.worldsToward(p[1], map.getCenter().lng)];
            var q = map.latLngToContainerPoint(ll);
            return q.x > 0 && q.x < size.x && q.y > 0 && q.y < size.y;
          });
        })())""" % json.dumps(list(places.values()))))
    finally:
        close_view(view)
    assert all(inside), dict(zip(places, inside))


PLACES = """JSON.stringify((function () {
  var map = SitMap.app.map, size = map.getSize(), world = 256 * Math.pow(2, map.getZoom());
  return Object.keys(SitMap.app.features).map(function (id) {
    var p = map.latLngToContainerPoint(SitMap.app.features[id].main.getLatLng());
    return {id: id, x: p.x, y: p.y, w: size.x, h: size.y, world: world};
  });
})())"""


@pytest.mark.parametrize("width, height", [(1600, 900), (1920, 1080)])
def test_a_wide_briefing_of_places_far_north_and_south_round_the_world_shows_every_one_once(qtbot, width, height):
    """Places from Wellington and Ushuaia to Longyearbyen, most of the way round the world: at the
    zoom where the world is as wide as a 16:9 frame, the far north and south ran off its top and
    bottom (two of five shown, all five in the legend). Shown a step further out at a time until they
    fit: each in the frame, none twice (the basemap may show a strip of the world twice)."""
    m = api.new_map("Fit world")
    for lat, lon, name in ((-41.29, 174.78, "Wellington"), (64.73, 177.5, "Anadyr"), (61.22, -149.9, "Anchorage"),
                           (-54.8, -68.3, "Ushuaia"), (78.22, 15.65, "Longyearbyen")):
        m.add_place(lat, lon, name)
    scenario = m.scenario
    from viewer.ui.capture import close_view, open_briefing

    view = open_briefing(scenario, b.ExportSize.pixels(width, height), b.BriefingOptions(), timeout_ms=READY_MS)
    try:
        places = json.loads(js(qtbot, view, PLACES))
        got = json.loads(js(qtbot, view, VIEW))
        frame = view.briefing.layout.frame
    finally:
        close_view(view)
    assert len(places) == 5
    for p in places:  # (each drawn on every world copy: one of them in the frame, no other)
        shown = [k for k in range(-3, 4) if 0 <= p["x"] + k * p["world"] <= p["w"]]
        assert len(shown) == 1 and 0 <= p["y"] <= p["h"], p
    drawn = layers.draw_scenario(scenario)
    (lat, lng), zoom = fitted_view(layers.view_of(scenario, drawn), frame.width, frame.height, one_world=True)
    assert zoom == got["zoom"] and abs(lng - got["lng"]) < 0.5 and abs(lat - got["lat"]) < 0.5, (lat, lng, zoom, got)
