"""The briefing PNG: exact pixel size, the ring where the projection puts it, filled regions."""


import pytest
from PySide6.QtGui import QImage

from tests.export.conftest import colour_near, ink, run_cli
from tests.ui.conftest import js
from viewer import resources
from viewer.export import briefing as b
from viewer.model.scenario import load_scenario
from viewer.render import layers

RING = (0xD5, 0x5E, 0x00)
READY_MS = 60_000


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(resources.default_scenario())


@pytest.mark.parametrize("size", [b.ExportSize.pixels(1920, 1080), b.ExportSize.for_paper("a4", 150)],
                         ids=["slide", "a4-150"])
def test_the_ring_is_drawn_where_the_projection_puts_it(qtbot, scenario, size):
    from viewer.ui.capture import close_view, open_briefing, wait_for_briefing_frame

    view = open_briefing(scenario, size, b.BriefingOptions(banner_text="UNCLASSIFIED"), timeout_ms=READY_MS)
    try:
        ring = next(d for d in layers.draw_scenario(scenario) if d.id == "ring-380km")
        outline = ring.outline[0]
        picks = [outline[i] for i in range(0, len(outline), max(1, len(outline) // 24))]
        points = js(qtbot, view, "JSON.stringify(%s.map(function (p) { return SitMap.briefing.pagePoint(p[0], p[1]); }))"
                     % [list(p) for p in picks])
        import json

        points = json.loads(points)
        regions = json.loads(js(qtbot, view, "JSON.stringify(SitMap.briefing.regions())"))
        image = wait_for_briefing_frame(view)
    finally:
        close_view(view)
    assert (image.width(), image.height()) == (size.width, size.height)
    z = size.zoom
    assert regions["viewport"]["width"] == pytest.approx(size.css_size[0], abs=1)

    def covered(x, y):  # under the legend, scale box or a label, the ring is hidden by design
        for key in ("legend", "scale"):
            r = regions[key]
            if r and r["left"] - 4 <= x <= r["left"] + r["width"] + 4 and r["top"] - 4 <= y <= r["top"] + r["height"] + 4:
                return True
        return False

    visible = [(x, y) for x, y in points if not covered(x, y)]
    assert len(visible) >= 15
    hits = sum(colour_near(image, x * z, y * z, RING, radius=max(2, round(z))) for x, y in visible)
    assert hits >= 0.85 * len(visible), f"ring colour found at {hits} of {len(visible)} projected points"
    for key in ("title", "legend", "scale", "sources", "credits", "bannerTop"):
        r = regions[key]
        assert r is not None and r["width"] > 0, key
        bg = (0, 0x7A, 0x33) if key == "bannerTop" else (255, 255, 255)
        share = ink(image, (r["left"] * z, r["top"] * z, r["width"] * z, r["height"] * z), bg)
        assert share > 0.01, f"{key} region looks empty"
    assert regions["title"]["text"] == scenario.title
    assert "Range ring, 380 km (reported)" in regions["legend"]["text"]


def test_the_scale_bar_is_true_at_the_centre_latitude(qtbot, scenario):
    import json

    from geographiclib.geodesic import Geodesic

    from viewer.ui.capture import close_view, open_briefing

    view = open_briefing(scenario, b.ExportSize.pixels(1280, 720), timeout_ms=READY_MS)
    try:
        sc = json.loads(js(qtbot, view, "JSON.stringify(SitMap.briefing.regions())"))["scaleInfo"]
        text = json.loads(js(qtbot, view, "JSON.stringify(document.querySelector('.sitmap-briefing-scale').textContent)"))
    finally:
        close_view(view)
    # Ground distance along the centre parallel covered by the bar's pixels, on WGS84.
    lon_span = sc["px"] / (256 * 2 ** sc["zoom"]) * 360.0
    ground = Geodesic.WGS84.Inverse(sc["lat"], 0.0, sc["lat"], lon_span)["s12"]
    # A short geodesic along a parallel is within 0.1% of the parallel arc at these spans.
    assert ground == pytest.approx(sc["metres"], rel=0.002)
    assert f"Scale true at {round(sc['lat'])}\u00b0 N" in text
    # The map spans 33-44 N: scale differs by more than 5% between its edges, so the warning shows.
    assert sc["warn"]
    assert "Scale varies with latitude \u2014 use the range rings for distance" in text
    assert 0.08 <= sc["px"] / 1280 <= 0.3, sc


def test_a_close_up_briefing_has_no_varies_with_latitude_warning(qtbot, scenario):
    import json

    from viewer.model import edits
    from viewer.model.document import Document
    from viewer.ui.capture import close_view, open_briefing

    doc = Document(scenario)
    doc.execute(edits.SetMeta(view={"bounds": [[40.05, 124.3], [40.15, 124.5]]}))  # the Dandong-Sinuiju crossing
    view = open_briefing(doc.scenario, b.ExportSize.pixels(1280, 720), timeout_ms=READY_MS)
    try:
        sc = json.loads(js(qtbot, view, "JSON.stringify(SitMap.briefing.regions())"))["scaleInfo"]
    finally:
        close_view(view)
    assert not sc["warn"], sc


def test_cli_png_has_the_requested_size_and_banner(tmp_path):
    out = tmp_path / "brief.png"
    r = run_cli("--export", str(out), "--size", "1600x900", "--banner", "unclassified", "--title", "Test title")
    assert r.returncode == 0, r.stderr
    assert "[4/4]" in r.stderr
    img = QImage(str(out))
    assert (img.width(), img.height()) == (1600, 900)
    assert colour_near(img, 4, 4, (0x00, 0x7A, 0x33), radius=0, tol=3)
    assert colour_near(img, 4, 895, (0x00, 0x7A, 0x33), radius=0, tol=3)


@pytest.mark.parametrize("args, words", [
    (["--size", "1920x1080", "--paper", "a4"], "--size and --paper"),
    (["--dpi", "300"], "--dpi goes with --paper"),
    (["--paper", "a5"], "invalid choice"),
    (["--banner", "SECRET", "--banner-colour", "red"], "#RRGGBB"),
])
def test_bad_briefing_arguments_exit_2_with_one_line(tmp_path, args, words):
    r = run_cli("--export", str(tmp_path / "x.png"), *args)
    assert r.returncode == 2, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and words in r.stderr


@pytest.mark.parametrize("width", [1280, 1920])
def test_the_credits_line_is_read_whole(qtbot, scenario, width):
    """The credits (basemap licences, map, time) are one line: smaller type before any of it is cut."""
    import json

    from viewer.ui.capture import close_view, open_briefing

    view = open_briefing(scenario, b.ExportSize.pixels(width, width * 9 // 16), timeout_ms=READY_MS)
    try:
        got = json.loads(js(qtbot, view, """(function () { var c = document.querySelector('.sitmap-briefing-credits');
            var s = document.querySelector('.sitmap-briefing-sources');
            return JSON.stringify([c.scrollWidth, c.clientWidth, parseFloat(getComputedStyle(c).fontSize),
                                   parseFloat(getComputedStyle(s).fontSize), c.textContent]); })()"""))
    finally:
        close_view(view)
    scroll, client, size, sources_size, text = got
    assert scroll <= client + 1, got
    assert size >= 0.8 * sources_size - 0.01 and text.endswith("UTC"), got


def test_no_label_is_printed_over_another_feature_s_symbol(qtbot, scenario):
    """With the key facts box taking the map's left side, the crossing's label once fell on the
    launch point's triangle; labels now treat other features' symbols as taken ground."""
    import json

    from viewer.ui.capture import close_view, open_briefing

    opts = b.BriefingOptions(banner_text="UNCLASSIFIED", show_facts=True)
    view = open_briefing(scenario, b.ExportSize.pixels(1920, 1080), opts, timeout_ms=READY_MS)
    try:
        clashes = json.loads(js(qtbot, view, """(function () {
            var out = [], icons = Object.keys(SitMap.app.features).map(function (id) {
              var i = SitMap.app.features[id].main && SitMap.app.features[id].main._icon;
              return i && i.classList.contains('sitmap-marker') ? [id, i.getBoundingClientRect()] : null;
            }).filter(Boolean);
            Array.prototype.forEach.call(document.querySelectorAll('.leaflet-tooltip'), function (e) {
              if (e.classList.contains('sitmap-label-hidden') || !e.offsetParent) { return; }
              var r = e.getBoundingClientRect();
              icons.forEach(function (ic) {
                var q = ic[1], mine = SitMap.app.features[ic[0]].main.getTooltip && SitMap.app.features[ic[0]].main.getTooltip();
                if (mine && mine.getElement() === e) { return; }  // a symbol's own label stands beside it
                if (r.left < q.right && r.right > q.left && r.top < q.bottom && r.bottom > q.top) {
                  out.push([e.textContent, ic[0]]);
                }
              });
            });
            return JSON.stringify(out); })()"""))
        shown = json.loads(js(qtbot, view, "JSON.stringify(Array.prototype.filter.call("
                                            "document.querySelectorAll('.leaflet-tooltip'), function (e) {"
                                            " return !e.classList.contains('sitmap-label-hidden'); }).length)"))
    finally:
        close_view(view)
    assert shown >= 4 and clashes == [], clashes


def test_no_seam_shows_between_basemap_tiles_at_a_fractional_scale(qtbot, scenario):
    """At 1200x800 a briefing's CSS pixel is 0.9375 of a device pixel: two basemap tiles side by
    side each covered their shared edge's pixel only in part, and the sea colour behind them showed
    as a faint line across the land. Each tile now reaches a pixel into the next, filled with its
    own edge, so the rows and columns where tiles meet look like those beside them."""
    import json

    from viewer.ui.capture import close_view, open_briefing, wait_for_briefing_frame

    view = open_briefing(scenario, b.ExportSize.pixels(1200, 800), b.BriefingOptions(), timeout_ms=READY_MS)
    try:
        edges = json.loads(js(qtbot, view, """(function () {
          var f = document.querySelector('.leaflet-container').getBoundingClientRect(), rows = {}, cols = {};
          document.querySelectorAll('canvas.sitmap-basemap-tile').forEach(function (c) {
            var r = c.getBoundingClientRect();
            if (r.top > f.top + 4 && r.top < f.bottom - 4) { rows[r.top] = 1; }
            if (r.left > f.left + 4 && r.left < f.right - 4) { cols[r.left] = 1; }
          });
          return JSON.stringify({rows: Object.keys(rows).map(Number), cols: Object.keys(cols).map(Number),
                                 frame: [f.left, f.top, f.right, f.bottom]}); })()"""))
        zoom = view.zoomFactor()
        image = wait_for_briefing_frame(view)
    finally:
        close_view(view)
    assert edges["rows"] and edges["cols"], edges
    x0, y0, x1, y1 = (round(v * zoom) for v in edges["frame"])

    def odd(a, b, c) -> bool:  # a pixel unlike its two neighbours, which are alike (a line one pixel wide)
        return b == c and a != b and abs(sum((a >> s & 255) - (b >> s & 255) for s in (0, 8, 16))) > 6

    worst = 0
    for edge in edges["rows"]:
        for y in {int(edge * zoom), round(edge * zoom)}:
            n = sum(odd(image.pixel(x, y), image.pixel(x, y - 1), image.pixel(x, y + 1)) for x in range(x0 + 2, x1 - 2))
            worst = max(worst, n / (x1 - x0))
    for edge in edges["cols"]:
        for x in {int(edge * zoom), round(edge * zoom)}:
            n = sum(odd(image.pixel(x, y), image.pixel(x - 1, y), image.pixel(x + 1, y)) for y in range(y0 + 2, y1 - 2))
            worst = max(worst, n / (y1 - y0))
    assert worst < 0.05, worst


TILES_DRAWN = """JSON.stringify([SitMap.app.map.getZoom(),
    Array.prototype.map.call(document.querySelectorAll('canvas.sitmap-basemap-tile'), function (c) {
      var m = c._sitmap, n = m ? Math.pow(2, m.coords.z) : 1;
      return m ? [m.coords.z + '/' + (((m.coords.x % n) + n) % n) + '/' + m.coords.y, m.ratio] : null; })])"""


@pytest.mark.parametrize("width, height, zoom, ratio", [(1920, 1080, 5.25, 1.5 * 2 ** 0.25), (1200, 800, 6, 0.9375)])
def test_a_briefing_carries_the_tiles_of_its_frame_and_draws_them_at_the_resolution_they_are_shown(
        qtbot, scenario, width, height, zoom, ratio):
    """The briefing's frame is its map's view from the start, and the page carries the basemap
    tiles of that view (viewer/export/frame_view.py): it draws exactly those, and asks the app for
    none. Each tile is drawn at the device pixels it covers: the export's pixels per CSS pixel (fewer
    than one where the picture is smaller than its layout: drawn at one and scaled down, the tiles'
    edges showed as seams), times the enlargement of a quarter zoom step where there is one."""
    import json

    from viewer.export.frame_view import frame_tiles
    from viewer.ui.capture import briefing_view_class, close_view, open_briefing

    view = briefing_view_class()()
    view.network_guard.requests.clear()
    view = open_briefing(scenario, b.ExportSize.pixels(width, height), b.BriefingOptions(), timeout_ms=READY_MS,
                         view=view)
    try:
        got = json.loads(js(qtbot, view, TILES_DRAWN))
        asked = [u for u in view.network_guard.requests if "/basemap/" in u]
        frame = view.briefing.layout.frame
    finally:
        close_view(view)
    carried = {f"{z}/{x}/{y}" for z, x, y in frame_tiles(layers.view_of(scenario, layers.draw_scenario(scenario)),
                                                         frame.width, frame.height)}
    assert got[0] == zoom
    assert asked == []
    assert {t[0] for t in got[1]} == carried and len(got[1]) == len(carried)
    assert all(abs(t[1] - ratio) < 1e-9 for t in got[1]), got


def test_a_tile_the_briefing_does_not_carry_is_asked_for(qtbot, scenario, monkeypatch):
    """A frame whose tiles the page does not all carry (the view moved) asks the app for the rest,
    and draws every tile."""
    import json

    from viewer.export import frame_view
    from viewer.ui.capture import briefing_view_class, close_view, open_briefing

    real = frame_view.frame_tiles
    left = []

    def all_but_one(*args):
        keys = real(*args)
        left.append(keys[0])
        return keys[1:]

    monkeypatch.setattr(frame_view, "frame_tiles", all_but_one)
    view = briefing_view_class()()
    view.network_guard.requests.clear()
    view = open_briefing(scenario, b.ExportSize.pixels(1200, 800), b.BriefingOptions(), timeout_ms=READY_MS, view=view)
    try:
        got = json.loads(js(qtbot, view, TILES_DRAWN))
        asked = [u.split("/basemap/")[1] for u in view.network_guard.requests if "/basemap/" in u]
    finally:
        close_view(view)
    z, x, y = left[0]
    assert asked == [f"{z}/{x}/{y}.json"]
    assert f"{z}/{x}/{y}" in {t[0] for t in got[1]} and all(t is not None for t in got[1])


@pytest.mark.parametrize("size", ["1000x16", "16x1000"])
def test_a_briefing_strip_a_few_pixels_high_or_wide_is_captured(tmp_path, size):
    # (the basemap samples the capture waits for lay outside a 16-pixel strip: it waited 60 s, then failed)
    from PySide6.QtGui import QImage

    out = tmp_path / "strip.png"
    r = run_cli("--export", str(out), "--size", size, timeout=60)
    assert r.returncode == 0, r.stderr
    image = QImage(str(out))
    assert f"{image.width()}x{image.height()}" == size


def test_the_png_is_written_before_its_view_is_closed_and_the_view_is_closed(qtbot, scenario, tmp_path, monkeypatch):
    """The file does not wait for the briefing's view to close (8-10 ms); the view still closes,
    written or not."""
    from viewer.ui import capture

    seen = []
    close = capture.close_view
    out = tmp_path / "slide.png"
    target = [out]

    def closing(view):
        seen.append(target[0].exists())
        close(view)

    monkeypatch.setattr(capture, "close_view", closing)
    capture.export_briefing_png(scenario, out, b.ExportSize.pixels(640, 360))
    assert seen == [True]
    image = QImage(str(out))
    assert (image.width(), image.height()) == (640, 360)

    def refused(_path, _data):
        raise OSError("disk full")

    monkeypatch.setattr("viewer.model.project.write_atomic", refused)
    target[0] = tmp_path / "other.png"
    with pytest.raises(OSError):
        capture.export_briefing_png(scenario, target[0], b.ExportSize.pixels(640, 360))
    assert seen == [True, False]


def test_features_a_few_kilometres_apart_are_framed_close_with_a_scale_bar_of_their_size(qtbot):
    """Three places, a 1 km ring, a path and an area within 3 km of each other: a degree's margin
    round them framed some 400 km, where they were one dot; and a 1 km scale bar's middle mark
    read "1" (0.5 rounded)."""
    import json

    from viewer import api
    from viewer.ui.capture import close_view, open_briefing

    m = api.new_map("City centre")
    m.add_place(39.0194, 125.7381, "Square", source="Test", status="reported")
    m.add_place(39.0305, 125.7533, "Stadium", source="Test", status="reported")
    m.add_place(39.0366, 125.7309, "Hill", source="Test", status="reported")
    m.add_ring(39.0194, 125.7381, 1_000, "1 km ring", source="Test", status="estimated")
    m.add_area([(39.025, 125.735), (39.03, 125.735), (39.03, 125.745), (39.025, 125.745)], "Cordon", source="Test")
    view = open_briefing(m.scenario, b.ExportSize.pixels(1280, 720), timeout_ms=READY_MS)
    try:
        sc = json.loads(js(qtbot, view, "JSON.stringify(SitMap.briefing.regions())"))["scaleInfo"]
        marks = json.loads(js(qtbot, view, "JSON.stringify(Array.prototype.map.call("
                                           "document.querySelectorAll('.sitmap-briefing-scale-bar text'), "
                                           "function (t) { return t.textContent; }))"))
        width_m = json.loads(js(qtbot, view, "JSON.stringify(SitMap.app.map.distance("
                                             "SitMap.app.map.containerPointToLatLng([0, 300]), "
                                             "SitMap.app.map.containerPointToLatLng([SitMap.app.map.getSize().x, 300])))"))
    finally:
        close_view(view)
    assert width_m < 15_000, width_m  # (the frame a few times the features' 3 km, not hundreds of km)
    assert sc["metres"] <= 2_000
    half = sc["metres"] / 2
    want = str(round(half / 1000, 1)).rstrip("0").rstrip(".") if sc["metres"] >= 1000 else str(round(half))
    assert want in marks, (marks, sc)
