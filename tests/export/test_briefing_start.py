"""How a briefing the app captures starts and is captured: the channel to Python is asked for as
soon as the page's scripts run, the tiles the page carries are done before any timer runs and
drawn once (after its labels are placed), the scale bar's numbers are written without the page's number formatter, and the capture takes the
first frame drawn after the page was ready (the page's corner mark gone) instead of waiting to
see a frame stay the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QElapsedTimer

from tests.ui.conftest import js
from viewer import resources
from viewer.export import briefing as b
from viewer.model.scenario import load_scenario

READY_MS = 60_000
SIZE = (960, 540)


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(resources.default_scenario())


@pytest.fixture
def briefing_view(qtbot, scenario):
    from viewer.ui.capture import close_view, open_briefing

    view = open_briefing(scenario, b.ExportSize.pixels(*SIZE), timeout_ms=READY_MS)
    yield view
    close_view(view)


def test_the_channel_is_asked_for_before_the_map_is_drawn(qtbot, briefing_view):
    t = json.loads(js(qtbot, briefing_view, "JSON.stringify(SitMap.app.timing)"))
    assert t["channelAsked"] <= t["script"] + 50 and t["channelAsked"] < t["init"], t


def test_a_carried_tile_is_done_before_a_timer_runs(qtbot, briefing_view):
    order = js(qtbot, briefing_view, """(function () {
        var tiles = SitMap.briefing.config.frameTiles, key = Object.keys(tiles)[0].split('/').map(Number);
        var layer = SitMap.basemapLayer('sitmap://app/basemap/{z}/{x}/{y}.json', {});
        window.__order = [];
        setTimeout(function () { window.__order.push('timer'); }, 0);
        layer.createTile({z: key[0], x: key[1], y: key[2]}, function (err) { window.__order.push(err ? 'error' : 'done'); });
        return true; })()""")
    assert order is True
    qtbot.waitUntil(lambda: js(qtbot, briefing_view, "window.__order.length") == 2, timeout=10_000)
    assert js(qtbot, briefing_view, "JSON.stringify(window.__order)") == '["done","timer"]'


def test_each_carried_tile_is_drawn_once_after_its_labels_are_placed(qtbot, briefing_view):
    """The page's start places its labels twice (before and after its legend): a tile drawn as it
    was made was drawn again by each placement that left out others of its labels."""
    got = json.loads(js(qtbot, briefing_view, """JSON.stringify((function () {
        var tiles = SitMap.app.basemap._tiles, keys = Object.keys(tiles);
        var blank = keys.filter(function (k) {
            var c = tiles[k].el;
            return c.getContext('2d').getImageData(c.width >> 1, c.height >> 1, 1, 1).data[3] === 0; });
        return {tiles: keys.length, carried: Object.keys(SitMap.briefing.config.frameTiles).length,
                drawings: SitMap.basemapDrawings, blank: blank.length,
                waiting: keys.filter(function (k) { return tiles[k].el._sitmapStale; }).length};
    })())"""))
    assert got["tiles"] >= 4 and got["carried"] >= got["tiles"], got
    assert got["drawings"] == got["tiles"] and got["blank"] == 0 and got["waiting"] == 0, got


@pytest.mark.parametrize("metres,text", [
    (999, "999 m"), (1000, "1 km"), (2000000, "2,000 km"), (1234567, "1,234.6 km"), (12345678, "12,345.7 km"),
    (50000, "50 km"), (1050, "1.1 km"),
])
def test_the_scale_bar_writes_its_distances_in_english(qtbot, briefing_view, metres, text):
    assert js(qtbot, briefing_view, f"SitMap.briefing.distanceText({metres})") == text


def test_the_mark_is_gone_once_ready_and_a_page_to_print_never_has_it(qtbot, scenario, briefing_view):
    from viewer.ui.capture import close_view, open_briefing

    assert briefing_view.briefing.config["frameMark"] == "#ff00fe"
    # in the page's HTML, so that every frame before the page is ready shows it
    assert ('<body class="sitmap-briefing"><div class="sitmap-briefing-frame-mark" style="background:#ff00fe"></div>'
            in briefing_view.briefing.html)
    assert js(qtbot, briefing_view, "document.querySelector('.sitmap-briefing-frame-mark') === null") is True
    printed = open_briefing(scenario, b.ExportSize.pixels(*SIZE), timeout_ms=READY_MS, printed=True)
    try:
        assert printed.briefing.config["frameMark"] is False
        assert "sitmap-briefing-frame-mark" not in printed.briefing.html
        assert js(qtbot, printed, "document.querySelector('.sitmap-briefing-frame-mark') === null") is True
    finally:
        close_view(printed)


def test_a_captured_page_draws_on_a_layer_of_its_own_and_its_mark_is_still_in_the_corner(qtbot, scenario, briefing_view):
    """(The display compositor drew the opaque bottom layer's tiles 5-10 times slower than those of
    a layer with see-through parts: resources/css/briefing.css.) A page to print keeps its one layer."""
    from viewer.ui.capture import close_view, open_briefing

    got = json.loads(js(qtbot, briefing_view, """JSON.stringify((function () {
        var probe = document.body.appendChild(document.createElement('div'));
        probe.className = 'sitmap-briefing-frame-mark';
        var r = probe.getBoundingClientRect();
        document.body.removeChild(probe);
        return {layer: getComputedStyle(document.body).willChange, mark: [r.left, r.top, r.width],
                white: getComputedStyle(document.body).backgroundColor};
    })())"""))
    assert got == {"layer": "transform", "mark": [0, 0, 4], "white": "rgb(255, 255, 255)"}, got
    printed = open_briefing(scenario, b.ExportSize.pixels(*SIZE), timeout_ms=READY_MS, printed=True)
    try:
        assert js(qtbot, printed, "getComputedStyle(document.body).willChange") == "auto"
    finally:
        close_view(printed)


def test_the_capture_takes_the_first_frame_without_the_mark(qtbot, briefing_view, monkeypatch):
    from viewer.ui import capture

    # A frame that must be seen twice would now take 20 s to count as stable: the mark's frame must not.
    monkeypatch.setattr(capture, "FRAME_WAIT_MS", 20_000)
    grabs = []
    grab = briefing_view.grab

    def spy():
        shot = grab()
        grabs.append(shot.toImage())
        return shot

    monkeypatch.setattr(briefing_view, "grab", spy)
    clock = QElapsedTimer()
    clock.start()
    image = capture.wait_for_briefing_frame(briefing_view, timeout_ms=30_000)
    assert clock.elapsed() < 10_000, "the capture waited for a second look at a frame"
    assert not capture._shows_mark(image)
    first = next(g for g in grabs if not capture._looks_blank(g) and not capture._shows_mark(g))
    assert first == image  # (the first frame without the mark is taken)


def test_a_marked_page_is_captured_without_asking_for_tile_samples_and_an_unmarked_one_with_them(
        qtbot, scenario, briefing_view, monkeypatch):
    from viewer.ui import capture

    asked = []
    value = capture._page_value
    monkeypatch.setattr(capture, "_page_value", lambda view, script, *a: (asked.append(script), value(view, script, *a))[1])
    image = capture.wait_for_briefing_frame(briefing_view, timeout_ms=30_000)
    assert not capture._shows_mark(image) and not any("tileSamples" in a for a in asked), asked
    # a page without the mark (here one made to print): its frame is compared with the tiles
    unmarked = capture.open_briefing(scenario, b.ExportSize.pixels(*SIZE), timeout_ms=READY_MS, printed=True)
    try:
        image = capture.wait_for_briefing_frame(unmarked, timeout_ms=30_000)
    finally:
        capture.close_view(unmarked)
    assert any("tileSamples" in a for a in asked) and (image.width(), image.height()) == SIZE


@pytest.mark.parametrize("banner,text,mark", [
    ("#ff00fe", "#FFFFFF", "#00fe01"),  # the banner has the first mark's colour
    ("#ff00fe", "#00fe01", "#0100ff"),  # ... and its text the second's
    ("#ff40ff", "#ff00c0", "#00fe01"),  # a letter's edge blends the two near the first (neither is)
    ("#C8102E", "#FFFFFF", "#ff00fe"),
])
def test_a_briefing_whose_corner_has_a_marks_colour_gets_another_mark(qtbot, scenario, banner, text, mark):
    from viewer.ui import capture

    opts = b.BriefingOptions(banner_text="EXERCISE", banner_colour=banner, banner_text_colour=text).checked()
    assert b.frame_mark_colour(opts) == mark
    view = capture.open_briefing(scenario, b.ExportSize.pixels(*SIZE), opts, timeout_ms=30_000)
    try:  # (the page shows the mark of the colour the capture looks for, from its first frame)
        assert view.briefing.config["frameMark"] == mark
        assert f'<div class="sitmap-briefing-frame-mark" style="background:{mark}"></div>' in view.briefing.html
        clock = QElapsedTimer()
        clock.start()
        image = capture.wait_for_briefing_frame(view, timeout_ms=30_000)
    finally:
        capture.close_view(view)
    assert clock.elapsed() < 20_000
    assert (image.width(), image.height()) == SIZE
    assert capture._shows_mark(image, b.hex_rgb(banner))  # (the corner as the page has it: its banner)


def test_a_frame_that_comes_long_after_the_page_is_ready_is_waited_for(qtbot, briefing_view, monkeypatch):
    """A large map's first frame after its page is ready can take seconds to raster (100,000 lines
    and areas: 1-2 s); until it comes, every grab is the frame before, with the mark. That frame was
    taken once it had stayed the same for a second: a blank picture of the map."""
    from PySide6.QtGui import QColor, QPixmap

    from viewer.ui import capture

    grab = briefing_view.grab
    before = grab().toImage()  # (the frame before the page was ready: the mark in its corner)
    for x in range(4):
        for y in range(4):
            before.setPixelColor(x, y, QColor("#ff00fe"))
    clock = QElapsedTimer()
    clock.start()

    def late():
        return QPixmap.fromImage(before) if clock.elapsed() < 2500 else grab()

    monkeypatch.setattr(briefing_view, "grab", late)
    image = capture.wait_for_briefing_frame(briefing_view, timeout_ms=30_000)
    assert clock.elapsed() >= 2500
    assert not capture._shows_mark(image) and not capture._looks_blank(image)


@pytest.mark.parametrize("printed", [False, True], ids=["captured", "printed"])
def test_the_labels_are_placed_before_the_page_says_it_is_ready(qtbot, scenario, printed):
    """(The placement waits for the next frame; a captured page is ready before that frame, and a
    page to print is printed without one.)"""
    from viewer.ui.capture import close_view, open_briefing

    view = open_briefing(scenario, b.ExportSize.pixels(*SIZE), timeout_ms=READY_MS, printed=printed)
    try:
        t = json.loads(js(qtbot, view, "JSON.stringify(SitMap.app.timing)"))
    finally:
        close_view(view)
    assert "labelsPlaced" in t and t["labelsPlaced"] <= t["ready"], t


def test_a_png_export_leaves_qts_namespace_and_the_pdf_writer_unmade(tmp_path):
    """Naming Qt's namespace makes its 94 enum types (15-20 ms of the export's one thread before its
    page is begun), and the PDF writer's module its page-layout types: a PNG export needs neither."""
    import subprocess
    import sys

    from tests.export.conftest import ROOT

    out = tmp_path / "map.png"
    script = ("import sys\nfrom viewer import api\n"
              f"api.open_map(None).export({str(out)!r}, size=(480, 320))\n"
              "print('Qt' in vars(sys.modules['PySide6.QtCore']), 'viewer.ui.capture_pdf' in sys.modules)\n"
              "from viewer.ui.web import release_profile\nrelease_profile()\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["False", "False"] and out.stat().st_size > 1000


def test_a_briefing_smaller_than_its_layout_shows_no_seams_between_basemap_tiles(qtbot):
    """A 1200x800 briefing is its layout (1280x853 CSS pixels) at 0.9375: its basemap tiles were
    drawn at one pixel a CSS pixel and scaled down, and each tile's first column blended with what
    lay under it: a one-pixel line of the sea's colour every 240 pixels across the land. Drawn at
    the picture's own pixels, the land is even."""
    import numpy as np

    from viewer.model.io.open_any import open_map_bytes
    from viewer.ui import capture

    path = Path(__file__).resolve().parents[1] / "data" / "realworld" / "gpxpy" / "unicode.gpx"  # (from gpxpy's tests)
    scenario, _report = open_map_bytes(path.read_bytes(), path.name)
    image = capture.render_briefing_image(scenario, b.ExportSize.pixels(1200, 800), timeout_ms=30_000)
    image = image.convertToFormat(image.Format.Format_RGB32)
    rows = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    px = rows[:, :image.width() * 4].reshape(image.height(), image.width(), 4)[100:700, 30:1170, :3].astype(int)
    lum = px.sum(axis=2)
    # a column darker than both its neighbours all down the frame: a seam (a point or a label is not)
    darker = (lum[:, 1:-1] <= lum[:, :-2] - 6) & (lum[:, 1:-1] <= lum[:, 2:] - 6)
    assert darker.mean(axis=0).max() < 0.5, np.nonzero(darker.mean(axis=0) >= 0.5)[0] + 31


TILE_PLACES = """JSON.stringify((function () {
  var map = SitMap.app.map, box = map.getContainer().getBoundingClientRect(), out = {zoom: map.getZoom(), tiles: []};
  map.eachLayer(function (layer) {
    if (!(layer instanceof SitMap.BasemapLayer)) { return; }
    Object.keys(layer._tiles).forEach(function (key) {
      var t = layer._tiles[key], level = layer._levels[t.coords.z];
      // where Leaflet puts the tile: its level's origin and scale (GridLayer._setZoomTransform)
      var scale = map.getZoomScale(map.getZoom(), level.zoom);
      var shift = level.origin.multiplyBy(scale).subtract(map._getNewPixelOrigin(map.getCenter(), map.getZoom())).round();
      var at = layer._getTilePos(t.coords), r = t.el.getBoundingClientRect();
      out.tiles.push({want: [shift.x + scale * at.x, shift.y + scale * at.y, scale * t.el._sitmapCss[0]],
                      got: [r.left - box.left, r.top - box.top, r.width], scale: scale,
                      level: getComputedStyle(level.el).transform});
    });
  });
  return out;
})())"""


def test_a_captured_page_at_a_fractional_zoom_shows_each_tile_where_leaflet_puts_it_without_a_scaled_level(qtbot, scenario):
    """At a fractional zoom Leaflet scales the element holding the basemap's tiles, and the
    compositor drew them into a picture of their own larger than the frame (45 ms of a 1920x1080
    frame, traced, against 17-31 without). A captured page's tiles take the scale themselves once
    drawn: each where Leaflet puts it, the same size, its level unscaled."""
    from viewer.ui.capture import close_view, open_briefing

    view = open_briefing(scenario, b.ExportSize.pixels(1920, 1080), timeout_ms=READY_MS)
    try:
        got = json.loads(js(qtbot, view, TILE_PLACES))
    finally:
        close_view(view)
    assert got["zoom"] % 1 != 0 and got["tiles"], got  # (a fractional zoom: what this is about)
    for t in got["tiles"]:
        assert t["scale"] != 1, t
        assert t["level"] == "none" or t["level"].startswith("matrix(1, 0, 0, 1,"), t
        assert all(abs(a - b) < 0.5 for a, b in zip(t["got"], t["want"])), t


LABEL_ENTRIES = """JSON.stringify((function () {
  var out = {};
  SitMap.app.map.eachLayer(function (l) {
    if (!(l instanceof SitMap.BasemapLayer)) { return; }
    Object.keys(l._tiles).forEach(function (k) {
      var s = l._tiles[k].el._sitmap;
      (s && s.data.labels || []).forEach(function (lab, i) {
        if (lab.alt) { return; }
        (out[lab.text] = out[lab.text] || []).push([k, s.keys[i], s.skip[i]]);
      });
    });
  });
  return out;
})())"""


def test_a_label_across_180_is_one_label_drawn_whole_on_both_sides(qtbot):
    """Wellington's name runs past 180 at zoom 4: the tile east of it (given its column on the one
    world, 0) had it as another label than the tile west of it, and placement left one of the two
    out: "Wellingtor", "Ma" for Mata-Utu. Each label's entries now share one key and are drawn or
    left out together."""
    from viewer import api
    from viewer.ui.capture import close_view, open_briefing

    m = api.new_map("Across 180")
    m.add_place(-40.0, 172.0, "A", source="t")
    m.add_place(-14.0, -172.0, "B", source="t")
    view = open_briefing(m.scenario, b.ExportSize.pixels(1920, 1080), timeout_ms=READY_MS)
    try:
        got = json.loads(js(qtbot, view, LABEL_ENTRIES))
        zoom = js(qtbot, view, "SitMap.app.map.getZoom()")
    finally:
        close_view(view)
    assert 4 <= zoom < 5, zoom  # (the zoom at which Wellington's name crosses 180)
    crossing = {text: e for text, e in got.items() if len({k.split(":")[0] for k, _, _ in e}) > 1
                and any(int(k.split(":")[0]) % 16 == 15 for k, _, _ in e) and any(int(k.split(":")[0]) % 16 == 0 for k, _, _ in e)}
    assert "Wellington" in crossing, sorted(crossing)
    for text, entries in crossing.items():
        assert len({key for _, key, _ in entries}) == 1 and len({skip for _, _, skip in entries}) == 1, (text, entries)
    assert not any(skip for _, _, skip in crossing["Wellington"])
