"""A printed briefing's layout, checked in the real page: the legend is never cut off by the map's
frame nor stacked in a corner other boxes hold (the launch history's legend, the scale), no basemap
place name is cut by the frame, and a range ring's name stands clear of its line."""

from __future__ import annotations

import json

import pytest

from tests.ui.conftest import js

_LAYOUT = """JSON.stringify((function () { try {
    var map = SitMap.app.map, c = map.getContainer().getBoundingClientRect();
    function box(e) { var r = e.getBoundingClientRect(); return {left: r.left, top: r.top, right: r.right,
                                                                bottom: r.bottom, height: r.height}; }
    function corner(e) { var p = e.parentNode; return p ? p.className : ''; }
    var legend = document.querySelector('.sitmap-legend'), hist = document.querySelector('.sitmap-history-legend');
    var ring = null;
    Object.keys(SitMap.app.features).forEach(function (id) {
      var f = SitMap.app.features[id];
      if (f.data.symbol === 'ring') {
        var pts = [];
        (function walk(ll) { if (typeof ll[0] === 'number') { pts.push(ll); } else { ll.forEach(walk); } })(f.data.latlngs);
        var north = pts.reduce(function (a, q) { return q[0] > a[0] ? q : a; });
        var p = map.latLngToContainerPoint(north);
        ring = {x: c.left + p.x, y: c.top + p.y};
      }
    });
    var ringLabel = document.querySelector('.sitmap-ring-label');
    return {frame: {left: c.left, top: c.top, right: c.right, bottom: c.bottom},
            legend: box(legend), legendCorner: corner(legend), form: SitMap.briefing.legendForm,
            history: hist ? box(hist) : null, historyCorner: hist ? corner(hist) : null,
            labels: SitMap.labels.boxes(), ringNorth: ring, ringLabel: ringLabel ? box(ringLabel) : null};
  } catch (e) { return {error: String(e)}; } })())"""


def _layout(qtbot, scenario, width, height, opts):
    from viewer.export import briefing as b
    from viewer.ui.capture import close_view, open_briefing

    view = open_briefing(scenario, b.ExportSize.pixels(width, height), opts, timeout_ms=60_000)
    try:
        return json.loads(js(qtbot, view, _LAYOUT))
    finally:
        close_view(view)


def _inside(r, frame, slack=0.5):
    return (r["left"] >= frame["left"] - slack and r["right"] <= frame["right"] + slack
            and r["top"] >= frame["top"] - slack and r["bottom"] <= frame["bottom"] + slack)


@pytest.fixture(scope="module")
def built():
    from viewer import resources
    from viewer.model.scenario import load_scenario

    return load_scenario(resources.default_scenario())


@pytest.mark.parametrize("size", [(1920, 1080), (1200, 800)])
def test_with_the_launch_history_the_legend_stands_whole_in_a_corner_of_its_own(qtbot, built, size):
    from viewer.export import briefing as b
    from viewer.export.history import page_layer
    from viewer.model import history as hist

    opts = b.BriefingOptions(history=page_layer(hist.load_default(), hist.HistoryFilter(), built))
    got = _layout(qtbot, built, *size, opts)
    assert got["history"] is not None and got["history"]["height"] > 100, got
    assert _inside(got["legend"], got["frame"]), got  # (at 1920x1080 its title was cut off above the frame)
    assert got["legendCorner"] != got["historyCorner"], got


@pytest.mark.parametrize("size", [(1920, 1080), (1200, 800)])
def test_no_basemap_place_name_is_cut_by_the_frame_of_a_printed_briefing(qtbot, built, size):
    from viewer.export import briefing as b

    got = _layout(qtbot, built, *size, b.BriefingOptions())
    names = [x for x in got["labels"] if x["source"] == "basemap"]
    assert len(names) > 20, got
    cut = [x["text"] for x in names if not _inside(x, got["frame"])]
    assert cut == [], cut


def test_a_range_rings_name_stands_above_its_line(qtbot, built):
    from viewer.export import briefing as b

    got = _layout(qtbot, built, 1200, 800, b.BriefingOptions())
    north, label = got["ringNorth"], got["ringLabel"]
    assert north is not None and label is not None, got
    # just outside the ring, over its northernmost point: the line does not run through the name
    assert label["bottom"] <= north["y"] - 1 and north["y"] - label["bottom"] < 12, got
    assert label["left"] < north["x"] < label["right"], got


def test_the_sources_end_right_above_the_credits(qtbot, built):
    # (the sources' box is sized from an estimate of its lines: the room it did not need showed as a
    # blank line between the sources and the credits)
    from viewer.export import briefing as b
    from viewer.ui.capture import close_view, open_briefing

    view = open_briefing(built, b.ExportSize.pixels(1920, 1080), b.BriefingOptions(), timeout_ms=60_000)
    try:
        got = json.loads(js(qtbot, view, """JSON.stringify((function () {
            var s = document.querySelector('.sitmap-briefing-sources'), c = document.querySelector('.sitmap-briefing-credits');
            var range = document.createRange(); range.selectNodeContents(s);
            var text = range.getBoundingClientRect();
            return {textBottom: text.bottom, textTop: text.top, boxTop: s.getBoundingClientRect().top,
                    credits: c.getBoundingClientRect().top, line: parseFloat(getComputedStyle(s).fontSize) * 1.35}; })())"""))
    finally:
        close_view(view)
    assert got["credits"] - got["textBottom"] < 0.5 * got["line"], got
    assert got["textTop"] >= got["boxTop"] - 0.5, got  # (no line cut at the top)


_HISTORY_UNDER = """JSON.stringify((function () {
    var c = SitMap.app.map.getContainer().getBoundingClientRect();
    var r = document.querySelector('.sitmap-legend').getBoundingClientRect(), all = 0, under = 0;
    SitMap.history.samplePoints(function (x, y) {
      all += 1;
      if (x + c.left >= r.left && x + c.left <= r.right && y + c.top >= r.top && y + c.top <= r.bottom) { under += 1; }
    }, 1e9);
    var boxes = Array.prototype.map.call(document.querySelectorAll('.leaflet-control'), function (e) {
      var b = e.getBoundingClientRect();
      return {cls: e.className, left: b.left, top: b.top, right: b.right, bottom: b.bottom, height: b.height};
    });
    return {all: all, under: under, boxes: boxes};
  })())"""


@pytest.mark.parametrize("size", [(1920, 1080), (1200, 800)])
def test_with_the_launch_history_the_legend_keeps_off_its_tracks_and_the_other_boxes(qtbot, built, size):
    """The legend's corner is chosen with the launch history's tracks and sites counted: it hides
    hardly any of them (at the top right, where it stood before, it hid the ends of the tracks
    fanning out east), and it overlaps no box of another corner."""
    from viewer.export import briefing as b
    from viewer.export.history import page_layer
    from viewer.model import history as hist
    from viewer.ui.capture import close_view, open_briefing

    opts = b.BriefingOptions(history=page_layer(hist.load_default(), hist.HistoryFilter(), built))
    view = open_briefing(built, b.ExportSize.pixels(*size), opts, timeout_ms=60_000)
    try:
        got = json.loads(js(qtbot, view, _HISTORY_UNDER))
    finally:
        close_view(view)
    assert got["all"] > 1000, got["all"]
    assert got["under"] <= 0.03 * got["all"], (got["under"], got["all"])
    legend = next(x for x in got["boxes"] if "sitmap-legend" in x["cls"].split())
    for other in got["boxes"]:
        if other is legend or other["height"] <= 0:
            continue
        assert not (other["right"] > legend["left"] and other["left"] < legend["right"]
                    and other["bottom"] > legend["top"] and other["top"] < legend["bottom"]), (other, legend)


_TRIED = """JSON.stringify((function () {
    var legend = SitMap.app.legend, tried = [], set = legend.setPosition;
    legend.setPosition = function (corner) { tried.push(corner); return set.call(legend, corner); };
    try {
      var corner = SitMap.briefing.placeLegend(SitMap.app.map);
      return {corner: corner, score: SitMap.briefing.legendScore, tried: tried};
    } finally { delete legend.setPosition; }
  })())"""


def test_the_legend_stops_trying_corners_at_one_that_costs_nothing(qtbot, built):
    """The corners are tried in order (bottom right, bottom left, top right, top left) and the
    cheapest clear one taken, a tie to the earlier: once one costs nothing, none after it could be
    taken instead, so none is tried, and the legend stays where it was tried last."""
    from viewer.export import briefing as b
    from viewer.ui.capture import close_view, open_briefing

    view = open_briefing(built, b.ExportSize.pixels(1920, 1080), b.BriefingOptions(), timeout_ms=60_000)
    try:
        got = json.loads(js(qtbot, view, _TRIED))
        after = json.loads(js(qtbot, view, _LAYOUT))
    finally:
        close_view(view)
    order = ["bottomright", "bottomleft", "topright", "topleft"]
    assert got["score"] == 0 and got["corner"] in order, got
    assert got["tried"] == order[:order.index(got["corner"]) + 1], got  # (the built-in map's: top right)
    vertical, horizontal = ("top", got["corner"][3:]) if got["corner"].startswith("top") else ("bottom", got["corner"][6:])
    assert {"leaflet-" + vertical, "leaflet-" + horizontal} <= set(after["legendCorner"].split()), after


_HEADS = """JSON.stringify(['.sitmap-briefing-title', '.sitmap-briefing-subtitle', '.folium-map'].map(function (q) {
    var e = document.querySelector(q), r = e.getBoundingClientRect(), range = document.createRange();
    range.selectNodeContents(e);
    var lines = Math.round(range.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight));
    // (over: past its box's width, or, wrapped, more lines than the two it has)
    var wrapped = getComputedStyle(e).whiteSpace !== 'nowrap';
    return {text: e.textContent, over: wrapped ? Math.max(0, lines - 2) : e.scrollWidth - e.clientWidth,
            size: parseFloat(getComputedStyle(e).fontSize), top: r.top, bottom: r.bottom, lines: lines}; }))"""
SUBTITLE = "Launch 162350Z JAN 22, two missiles fired from near Pyongyang"


def _heads(qtbot, title, size=(1200, 800), subtitle=SUBTITLE, banner=""):
    from viewer import resources
    from viewer.export import briefing as b
    from viewer.model.scenario import load_scenario
    from viewer.ui.capture import close_view, open_briefing

    view = open_briefing(load_scenario(resources.default_scenario()), b.ExportSize.pixels(*size),
                         b.BriefingOptions(title=title, subtitle=subtitle, banner_text=banner), timeout_ms=60_000)
    try:
        return json.loads(js(qtbot, view, _HEADS))
    finally:
        close_view(view)


def test_a_title_too_long_for_two_lines_is_set_smaller_then_cut_after_a_whole_word(qtbot):
    # (before: the line's own ellipsis cut inside a word, "...fired two suspec...")
    title = "A very long title for a briefing that will never fit on one line however wide it is made " * 3
    t, s, frame = _heads(qtbot, title)
    assert t["over"] <= 0.5 and t["text"].endswith("\u2026") and t["lines"] == 2, t
    shown = t["text"][:-1]
    assert title.startswith(shown) and title[len(shown)] == " ", t  # (whole words only)
    assert s["text"] == SUBTITLE and s["over"] <= 0.5, s  # (one that fits is as it was)
    assert t["bottom"] <= s["top"] + 0.5 and s["bottom"] <= frame["top"] + 0.5, (t, s, frame)


def test_a_title_too_long_for_its_line_takes_a_second_and_the_map_makes_room(qtbot):
    """(It was cut after about 70 characters at 1200x800, with two thirds of a line's room left
    unused below the subtitle's.) Whole, on two lines at its own size; the subtitle below it, the
    map's frame below that and ending where it did."""
    title = "North Korea fires two short-range ballistic missiles from Sunan airfield near Pyongyang"
    short = _heads(qtbot, "North Korea fires two missiles")
    t, s, frame = _heads(qtbot, title)
    assert short[0]["lines"] == 1 and short[0]["over"] <= 0.5
    assert t["text"] == title and t["over"] <= 0.5 and t["lines"] == 2, t
    assert t["size"] == short[0]["size"], (t, short[0])
    assert t["bottom"] <= s["top"] + 0.5 and s["bottom"] <= frame["top"] + 0.5, (t, s, frame)
    line = t["size"] * 1.18
    assert abs((frame["top"] - short[2]["top"]) - line) < 1 and abs(frame["bottom"] - short[2]["bottom"]) < 0.5, (frame, short[2])


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_the_facts_box_says_how_many_of_the_shown_facts_it_leaves_out(qtbot, built, size):
    """The built-in map has more facts about what a briefing shows than its box lists (eight at
    most, fewer where the box would reach the scale bar): it says how many it leaves out, all of
    them (it said none, or only those dropped to fit)."""
    from viewer.export import briefing as b
    from viewer.render import layers
    from viewer.ui.capture import close_view, open_briefing

    shown = b.shown_facts(built, layers.draw_scenario(built), ())
    assert len(shown) > b.FACTS_GIVEN
    view = open_briefing(built, b.ExportSize.pixels(*size), b.BriefingOptions(show_facts=True), timeout_ms=60_000)
    try:
        got = json.loads(js(qtbot, view, """JSON.stringify({
          rows: document.querySelectorAll('.sitmap-briefing-fact').length,
          more: Array.prototype.map.call(document.querySelectorAll('.sitmap-briefing-fact-more'),
                                         function (e) { return e.textContent; })})"""))
    finally:
        close_view(view)
    assert 1 <= got["rows"] <= b.FACTS_GIVEN
    assert got["more"] == [f"{len(shown) - got['rows']} more facts not shown"]
