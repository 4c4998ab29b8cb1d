"""A briefing of a North Korean launch names the countries it shows: a country's name whose own spot
is covered by the event's labels or symbols, or lies outside the frame, stands at another free spot
inside the country, before the city and river names there."""

import json

import pytest

from tests.ui.conftest import intersections, js
from viewer import resources
from viewer.export import briefing as b
from viewer.model.scenario import load_scenario

READY_MS = 60_000

_SHOWN = """JSON.stringify((function () {
    var f = SitMap.app.map.getContainer().getBoundingClientRect();
    var taken = Array.prototype.map.call(document.querySelectorAll(
      '.leaflet-control, .sitmap-briefing-facts, .sitmap-briefing-scale, .leaflet-marker-icon.sitmap-marker'),
      function (e) { var r = e.getBoundingClientRect(); return {text: e.className, left: r.left, top: r.top,
                                                              right: r.right, bottom: r.bottom}; })
      .filter(function (r) { return r.right > r.left && r.bottom > r.top; });
    return {frame: {left: f.left, top: f.top, right: f.right, bottom: f.bottom}, labels: SitMap.labels.boxes(),
            taken: taken}; })())"""


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(resources.default_scenario())


@pytest.mark.parametrize("size,facts", [(b.ExportSize.pixels(1920, 1080), False),
                                        (b.ExportSize.for_paper("a4", 150), True)], ids=["slide", "a4-150-facts"])
def test_the_default_briefing_names_north_korea_and_china(qtbot, scenario, size, facts):
    from viewer.ui.capture import close_view, open_briefing

    view = open_briefing(scenario, size, b.BriefingOptions(show_facts=facts), timeout_ms=READY_MS)
    try:
        got = json.loads(js(qtbot, view, _SHOWN))
    finally:
        close_view(view)
    names = {x["text"]: x for x in got["labels"] if x["source"] == "basemap"}
    for country in ("North Korea", "China", "South Korea", "Japan"):
        assert country in names, sorted(names)
        r, f = names[country], got["frame"]
        assert f["left"] <= r["left"] and r["right"] <= f["right"] and f["top"] <= r["top"] and r["bottom"] <= f["bottom"]
    # each name once, clear of every other label, of the map's boxes and of the event's symbols
    assert [x["text"] for x in got["labels"]].count("North Korea") == 1
    assert intersections(got["labels"]) == []
    countries = [names[c] for c in ("North Korea", "China", "South Korea", "Japan")]
    assert intersections(countries, got["taken"]) == []


_RING = """JSON.stringify((function () {
    var m = SitMap.app.map, f = SitMap.app.features['ring-380km'], out = [];
    f.layer.eachLayer(function (l) {
      if (!(l instanceof L.Polyline) || !l._parts || l.options.stroke === false) { return; }
      l._parts.forEach(function (part) {
        out.push(part.map(function (p) {
          var c = m.layerPointToContainerPoint(p), r = m.getContainer().getBoundingClientRect();
          return [c.x + r.left, c.y + r.top];
        }));
      });
    });
    return {lines: out, labels: SitMap.labels.boxes()}; })())"""


@pytest.mark.parametrize("size,facts", [(b.ExportSize.pixels(1920, 1080), False),
                                        (b.ExportSize.for_paper("a4", 150), True)], ids=["slide", "a4-150-facts"])
def test_south_koreas_name_stands_where_the_range_ring_does_not_cross_it(qtbot, scenario, size, facts):
    """A country's name that a line would cross (the 380 km ring cut "SOUTH KOREA" in two) stands
    at another of its spots that is free, where there is one."""
    from shapely.geometry import LineString, box

    from viewer.ui.capture import close_view, open_briefing

    view = open_briefing(scenario, size, b.BriefingOptions(show_facts=facts), timeout_ms=READY_MS)
    try:
        got = json.loads(js(qtbot, view, _RING))
    finally:
        close_view(view)
    assert got["lines"] and max(len(line) for line in got["lines"]) > 50
    name = next(x for x in got["labels"] if x["source"] == "basemap" and x["text"] == "South Korea")
    rect = box(name["left"], name["top"], name["right"], name["bottom"])
    ring = [LineString(line + line[:1]) for line in got["lines"] if len(line) > 1]
    assert not any(line.intersects(rect) for line in ring), name


def test_a_shown_launch_historys_tracks_count_as_lines_crossing_a_name(qtbot, scenario):
    """The history's tracks (on a canvas of their own) are lines a country's name keeps off where
    it can: a box over the tracks' common start (the launch sites) is crossed, one far from any
    track is not, and with the layer hidden nothing is."""
    from viewer.export.history import page_layer
    from viewer.model import history as hist
    from viewer.ui.capture import close_view, open_briefing

    opts = b.BriefingOptions(history=page_layer(hist.load_default(), hist.HistoryFilter(), scenario))
    view = open_briefing(scenario, b.ExportSize.pixels(1920, 1080), opts, timeout_ms=READY_MS)
    try:
        got = json.loads(js(qtbot, view, """JSON.stringify((function () {
            var m = SitMap.app.map, r = m.getContainer().getBoundingClientRect();
            var at = function (lat, lon, half) {
              var p = m.latLngToContainerPoint([lat, lon]);
              return {left: r.left + p.x - half, right: r.left + p.x + half, top: r.top + p.y - half, bottom: r.top + p.y + half};
            };
            var sites = at(39.0, 125.8, 30), far = at(46.0, 110.0, 10);  // (Pyongyang's sites; Mongolia)
            var out = {sites: SitMap.history.crosses({left: sites.left - r.left, right: sites.right - r.left,
                                                      top: sites.top - r.top, bottom: sites.bottom - r.top}),
                       far: SitMap.labels.crossedByLine(far)};
            SitMap.history.on = false;
            out.hidden = SitMap.history.crosses({left: sites.left - r.left, right: sites.right - r.left,
                                                 top: sites.top - r.top, bottom: sites.bottom - r.top});
            SitMap.history.on = true;
            return out; })())"""))
    finally:
        close_view(view)
    assert got == {"sites": True, "far": False, "hidden": False}, got
