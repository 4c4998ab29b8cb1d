"""A map with more than a thousand lines and areas draws them on one canvas, not as an SVG path
each, and they are picked as on any map: an area by its edge (its inside lets a drag pan), a line
anywhere along it."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, Qt

from tests.ui.conftest import READY_MS, js
from tools.big_projects import write_project

N = 1500  # half paths, half areas: past the page's thousand shapes


def _open(qtbot, window, tmp_path):
    path = write_project(tmp_path / "shapes.geojson", N, "mixed", seed=4)
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert window.open_path(path)
    return window.map_view, json.loads(path.read_text(encoding="utf-8"))["features"]


def _lone_edge_area(features) -> str:
    """An area whose first (southern) edge no other area shares: the generated squares sit on a
    quarter-degree grid, where neighbours often share edges."""
    squares = [(f["id"], f["geometry"]["coordinates"][0]) for f in features if f["id"].startswith("a-")]
    for fid, ring in squares:
        (w, s), (e, _) = ring[0], ring[1]
        mid = (w + e) / 2
        if not any(other != fid and min(r[0][0], r[2][0]) <= mid <= max(r[0][0], r[2][0])
                   and s in (r[0][1], r[2][1]) for other, r in squares):
            return fid
    raise AssertionError("no area with an edge of its own")


def _focus(qtbot, view, fid):
    """Zoom onto one feature; returns the container point of the middle of its first edge."""
    view.run_js(f"SitMap.app.map.fitBounds(SitMap.app.features['{fid}'].main.getBounds(), "
                "{animate: false, maxZoom: 11, padding: [120, 120]}); 'ok'")
    return json.loads(js(qtbot, view, f"""(function () {{
      var f = SitMap.app.features['{fid}'], ll = f.main.getLatLngs();
      while (Array.isArray(ll[0])) {{ ll = ll[0]; }}
      var a = SitMap.app.map.latLngToContainerPoint(ll[0]), b = SitMap.app.map.latLngToContainerPoint(ll[1]);
      return JSON.stringify([Math.round((a.x + b.x) / 2), Math.round((a.y + b.y) / 2)]); }})()"""))


def test_many_lines_and_areas_share_one_canvas(qtbot, window, tmp_path):
    view, _features = _open(qtbot, window, tmp_path)
    kinds = json.loads(js(qtbot, view, """JSON.stringify((function () {
      var app = SitMap.app, on = 0, off = 0;
      Object.keys(app.features).forEach(function (id) {
        var m = app.features[id].main;
        if (m instanceof L.Path && !(m instanceof L.CircleMarker)) { if (m._renderer === app.shapeCanvas) { on += 1; } else { off += 1; } }
      });
      return [on, off, !!app.shapeCanvas && app.shapeCanvas instanceof L.Canvas,
              document.querySelectorAll('svg path.leaflet-interactive').length];
    })())"""))
    on, off, canvas, svg_paths = kinds
    assert canvas and on >= N and off == 0
    assert svg_paths < 10  # (a ring's centre dot keeps its SVG)
    # the page's count of its features (kept without listing them), as for a small map's
    counted = "JSON.stringify([SitMap.app.featureTotal, Object.keys(SitMap.app.features).length])"
    assert json.loads(js(qtbot, view, counted)) == [len(window.scenario.features)] * 2


def test_an_area_on_the_canvas_is_picked_by_its_edge_not_its_inside(qtbot, window, tmp_path):
    view, features = _open(qtbot, window, tmp_path)
    target = view.focusProxy()
    fid = _lone_edge_area(features)
    edge = _focus(qtbot, view, fid)
    # a point inside, off the quarter-degree grid where other squares have their edges
    centre = json.loads(js(qtbot, view, f"""(function () {{
      var b = SitMap.app.features['{fid}'].main.getBounds(), s = b.getSouth(), w = b.getWest();
      var c = SitMap.app.map.latLngToContainerPoint([s + 0.41 * (b.getNorth() - s), w + 0.37 * (b.getEast() - w)]);
      return JSON.stringify([Math.round(c.x), Math.round(c.y)]); }})()"""))
    # its inside: a click there picks nothing (a drag there pans the map)
    with qtbot.assertNotEmitted(view.bridge.featureSelected, wait=600):
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=QPoint(*centre))
    with qtbot.waitSignal(view.bridge.featureSelected, timeout=5000) as sig:
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=QPoint(*edge))
    assert sig.args == [fid]


def test_a_line_on_the_canvas_is_picked_along_it(qtbot, window, tmp_path):
    view, _features = _open(qtbot, window, tmp_path)
    fid = "l-3"
    mid = _focus(qtbot, view, fid)
    with qtbot.waitSignal(view.bridge.featureSelected, timeout=5000) as sig:
        qtbot.mouseClick(view.focusProxy(), Qt.MouseButton.LeftButton, pos=QPoint(*mid))
    assert sig.args == [fid]


def _frames_then(qtbot, view, script):
    """Run script, let the page paint two frames, then return what SitMap._probe() gives."""
    view.run_js("window.__painted = 0; " + script +
                "; requestAnimationFrame(function () { requestAnimationFrame(function () { window.__painted = 1; }); }); 'ok'")
    qtbot.waitUntil(lambda: js(qtbot, view, "window.__painted === 1"), timeout=5000)
    return json.loads(js(qtbot, view, "JSON.stringify(SitMap._probe())"))


def test_each_shape_is_one_layer_drawn_and_picked_on_the_world_copies_too(qtbot, window, tmp_path):
    view, _features = _open(qtbot, window, tmp_path)
    counts = json.loads(js(qtbot, view, """JSON.stringify((function () {
      var app = SitMap.app, shapes = 0;
      Object.keys(app.features).forEach(function (id) {
        var d = app.features[id].data; if (d && d.shape !== 'marker') { shapes += 1; } });
      return [shapes, Object.keys(app.shapeCanvas._layers).length]; })())"""))
    # no world-copy layers, no edge-target layers (three or four layers a shape before): only the
    # built-in rings' outlines and edge targets come on top
    assert counts[0] >= N and counts[0] <= counts[1] < counts[0] + 10
    fid = "l-3"
    _focus(qtbot, view, fid)
    # the same place one world to the east: only the canvas's copy of the line is there
    js(qtbot, view, "(function () { var m = SitMap.app.map, c = m.getCenter(); "
                    "m.setView([c.lat, c.lng + 360], m.getZoom(), {animate: false}); return 'ok'; })()")
    probe = """SitMap._probe = function () {
      var app = SitMap.app, map = app.map, c = app.shapeCanvas, ll = app.features['l-3'].main.getLatLngs();
      var a = map.latLngToContainerPoint([ll[0].lat, ll[0].lng + 360]), b = map.latLngToContainerPoint([ll[1].lat, ll[1].lng + 360]);
      var x = Math.round((a.x + b.x) / 2), y = Math.round((a.y + b.y) / 2);
      var lp = map.containerPointToLayerPoint([x, y]), m = L.Browser.retina ? 2 : 1;
      var px = c._ctx.getImageData(Math.round((lp.x - c._bounds.min.x) * m) - 3, Math.round((lp.y - c._bounds.min.y) * m) - 3, 7, 7).data;
      var ink = 0; for (var i = 3; i < px.length; i += 4) { ink = Math.max(ink, px[i]); }
      return [x, y, ink, map.getCenter().lng];
    }"""
    x, y, ink, lng = _frames_then(qtbot, view, probe)
    assert lng > 180 and ink > 100  # drawn there
    with qtbot.waitSignal(view.bridge.featureSelected, timeout=5000) as sig:
        qtbot.mouseClick(view.focusProxy(), Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    assert sig.args == [fid]  # and picked there


def test_a_pan_inside_what_the_canvas_shows_does_not_redraw_it(qtbot, window, tmp_path):
    view, _features = _open(qtbot, window, tmp_path)
    js(qtbot, view, """(function () { var c = SitMap.app.shapeCanvas, draw = c._draw;
      c._draw = function () { c._drawCount = (c._drawCount || 0) + 1; return draw.apply(this, arguments); };
      SitMap._probe = function () { return c._drawCount || 0; }; return 'ok'; })()""")
    before = _frames_then(qtbot, view, "0")
    inside = _frames_then(qtbot, view, "SitMap.app.map.panBy([60, 40], {animate: false})")
    assert inside == before
    beyond = _frames_then(qtbot, view, "SitMap.app.map.panBy([3000, 0], {animate: false})")
    assert beyond > inside


def test_after_a_jump_the_shapes_on_the_canvas_hold_their_outlines_and_are_picked_the_others_hold_none(qtbot, window, tmp_path):
    view, _features = _open(qtbot, window, tmp_path)
    fid = "l-3"
    _focus(qtbot, view, fid)
    # a jump farther than the window and back: two view resets of the canvas
    js(qtbot, view, "(function () { var m = SitMap.app.map; m.panBy([5000, 0], {animate: false}); "
                    "m.panBy([-5000, 0], {animate: false}); return 'ok'; })()")
    state = json.loads(js(qtbot, view, """JSON.stringify((function () {
      var c = SitMap.app.shapeCanvas, b = c._bounds, on = 0, off = 0, wrong = 0;
      c._shapes.forEach(function (l) {
        var pb = l._pxBounds, reach = pb && pb.min.x <= b.max.x && pb.max.x >= b.min.x && pb.min.y <= b.max.y && pb.max.y >= b.min.y;
        if (!l._sitmapOnCopies) { return; }
        if (reach) { on += 1; if (!l._parts.length) { wrong += 1; } } else { off += 1; if (l._parts.length) { wrong += 1; } }
      });
      return [on, off, wrong]; })())"""))
    on, off, wrong = state
    assert on > 0 and off > on and wrong == 0  # zoomed in: most shapes are off the canvas, holding nothing
    mid = json.loads(js(qtbot, view, """(function () {
      var ll = SitMap.app.features['l-3'].main.getLatLngs(), m = SitMap.app.map;
      var a = m.latLngToContainerPoint(ll[0]), b = m.latLngToContainerPoint(ll[1]);
      return JSON.stringify([Math.round((a.x + b.x) / 2), Math.round((a.y + b.y) / 2)]); })()"""))
    with qtbot.waitSignal(view.bridge.featureSelected, timeout=5000) as sig:
        qtbot.mouseClick(view.focusProxy(), Qt.MouseButton.LeftButton, pos=QPoint(*mid))
    assert sig.args == [fid]


def test_a_small_maps_page_counts_its_features_as_a_large_maps_does(qtbot, window):
    counted = "JSON.stringify([SitMap.app.featureTotal, Object.keys(SitMap.app.features).length])"
    assert json.loads(js(qtbot, window.map_view, counted)) == [len(window.scenario.features)] * 2


def test_a_shape_of_many_gets_its_popup_and_hover_name_when_first_asked(qtbot, window, tmp_path):
    view, _features = _open(qtbot, window, tmp_path)
    # the analyst's shapes (the map's own labelled rings are hovered for their labels: bound)
    bound = """JSON.stringify((function () {
      var app = SitMap.app, n = 0;
      Object.keys(app.wholeFeatures).forEach(function (id) {
        var m = app.features[id].main;
        if (/^[la]-/.test(id) && m._renderer === app.shapeCanvas && (m._popup || m._tooltip)) { n += 1; } });
      return n; })())"""
    assert json.loads(js(qtbot, view, bound)) == 0  # none bound up front
    # asked for: bound at once, as any layer's
    assert js(qtbot, view, "SitMap.app.features['a-4'].main.getPopup() instanceof L.Popup") is True
    assert json.loads(js(qtbot, view, bound)) == 1
    fid = "l-3"
    mid = _focus(qtbot, view, fid)
    qtbot.mouseMove(view.focusProxy(), QPoint(mid[0] - 40, mid[1] - 40))
    hover = "(function () { var t = document.querySelector('.sitmap-hover'); return t ? t.textContent : ''; })()"
    moves = [0]

    def hovered() -> bool:
        # (the canvas looks at the pointer at most every 32 ms: a move in between is not looked at,
        # so the pointer moves again, a pixel along the line's middle, until it is)
        moves[0] += 1
        qtbot.mouseMove(view.focusProxy(), QPoint(mid[0] + moves[0] % 2, mid[1]))
        return js(qtbot, view, hover) == "L3 \u2014 estimated"

    qtbot.waitUntil(hovered, timeout=5000)
    with qtbot.waitSignal(view.bridge.featureSelected, timeout=5000) as sig:
        qtbot.mouseClick(view.focusProxy(), Qt.MouseButton.LeftButton, pos=QPoint(*mid))
    assert sig.args == [fid]
    popup = "(function () { var p = SitMap.app.openPopup; return p ? p.getElement().textContent : ''; })()"
    qtbot.waitUntil(lambda: js(qtbot, view, popup).startswith("L3"), timeout=5000)
    assert "Source: Analyst" in js(qtbot, view, popup)


def test_the_canvas_paints_exactly_what_leaflets_own_drawing_of_each_shape_paints(qtbot, window, tmp_path):
    view, _features = _open(qtbot, window, tmp_path)
    # the whole canvas drawn by its own loop (a pen set only where a shape's style differs), then
    # with each shape drawn by Leaflet (style set anew for each): the same pixels
    same = json.loads(js(qtbot, view, """JSON.stringify((function () {
      var c = SitMap.app.shapeCanvas, ctx = c._ctx, w = c._container.width, h = c._container.height;
      function whole() { c._redrawBounds = null; c._clear(); c._draw(); c._finishMargin(); return ctx.getImageData(0, 0, w, h).data; }
      var ours = whole(), shapes = 0, ink = 0;
      c._shapes.forEach(function (l) { if (l._sitmapOnCopies) { shapes += 1; l._sitmapOnCopies = false; } });
      var leaflets = whole();
      c._shapes.forEach(function (l) { if (l.hasOwnProperty('_sitmapOnCopies')) { delete l._sitmapOnCopies; } });
      var differ = 0;
      for (var i = 0; i < ours.length; i++) { if (ours[i] !== leaflets[i]) { differ += 1; } if (i % 4 === 3 && ours[i]) { ink += 1; } }
      return [shapes, ink, differ]; })())"""))
    shapes, ink, differ = same
    assert shapes >= N and ink > 10000
    assert differ == 0


# The canvas as it is, against the canvas painted again in one pass: SitMap._unlike of the two.
UNLIKE = """SitMap._unlike = function (p, q) {
      var n = 0, inked = 0;
      for (var i = 0; i < p.length; i += 4) {
        var a = p[i + 3], b = q[i + 3], d = Math.abs(a - b);
        if (a || b) { inked += 1; }
        for (var k = 0; k < 3; k++) { d = Math.max(d, Math.abs(p[i + k] * a - q[i + k] * b) / 255); }
        if (d > 8) { n += 1; }
      }
      return [n, inked];
    }; 'ok'"""
APART_AND_ONCE = """JSON.stringify((function () {
      var c = SitMap.app.shapeCanvas, ctx = c._ctx, w = c._container.width, h = c._container.height;
      var apart = ctx.getImageData(0, 0, w, h).data;
      var kept = c._kept; c._kept = null;  // (painted anew, not a picture kept for this place)
      c._viewFirst = false; c._redrawBounds = null; c._clear(); c._draw(); c._viewFirst = undefined; c._kept = kept;
      var once = ctx.getImageData(0, 0, w, h).data;
      return SitMap._unlike(apart, once); })())"""


def test_a_whole_redraw_paints_the_view_first_and_the_margin_when_idle_as_one_pass_would(qtbot, window, tmp_path):
    view, _features = _open(qtbot, window, tmp_path)
    js(qtbot, view, "SitMap.app.map.setZoom(SitMap.app.map.getZoom() + 1, {animate: false}); 'ok'")
    # counted: a zoom redraws the whole canvas once (Leaflet also asked for a second, next frame)
    js(qtbot, view, """(function () { var c = SitMap.app.shapeCanvas, draw = c._draw;
      c._draw = function () { if (!this._redrawBounds) { c._whole = (c._whole || 0) + 1; } return draw.apply(this, arguments); };
      SitMap._probe = function () {
        var ctx = c._ctx, w = c._container.width, h = c._container.height, v = c._viewRect(), b = c._bounds;
        var px = ctx.getImageData(0, 0, w, h).data, inView = 0, inMargin = 0;
        for (var y = 0; y < h; y++) { for (var x = 0; x < w; x++) {
          if (!px[4 * (y * w + x) + 3]) { continue; }
          var lx = x + b.min.x, ly = y + b.min.y;
          if (lx >= v[0] && lx < v[2] && ly >= v[1] && ly < v[3]) { inView += 1; } else { inMargin += 1; } } }
        return [c._whole || 0, inView, inMargin, !!c._marginDue];
      }; return 'ok'; })()""")
    # Pixels that differ between two drawings beyond a blend's rounding (premultiplied: a nearly
    # clear pixel's colour counts for nothing), and those of all the inked ones. (Drawn clipped,
    # a dashed outline's dashes near the clip's edge may fall a fraction of a pixel otherwise: a
    # few hundred pixels of hundreds of thousands. A margin painted twice, or not at all, makes
    # tens of thousands.)
    js(qtbot, view, UNLIKE)
    whole, in_view, in_margin, due = _frames_then(qtbot, view, "SitMap.app.map.setZoom(SitMap.app.map.getZoom() + 1, {animate: false})")
    assert whole == 1 and in_view > 5000
    assert due or in_margin > 5000  # (painted already, on a fast machine)
    qtbot.waitUntil(lambda: js(qtbot, view, "!SitMap.app.shapeCanvas._marginDue"), timeout=10_000)
    _whole, _in_view, in_margin, due = json.loads(js(qtbot, view, "JSON.stringify(SitMap._probe())"))
    assert in_margin > 5000 and not due
    # what the view and the margin, painted apart, make is what one pass paints (but for the
    # rounding of a blend here and there: a drawing clipped to a rectangle, or to four, is
    # rasterised a little differently)
    same = json.loads(js(qtbot, view, APART_AND_ONCE))
    assert same[1] > 100_000 and same[0] < 0.005 * same[1]
    # a selection redrawn while the margin is being painted: the margin painted again, once
    js(qtbot, view, """(function () { var c = SitMap.app.shapeCanvas; c._redrawBounds = null; c._clear(); c._draw();
      c._paintMargin(0); c._paintMargin(0); c._paintMargin(0);  // (a few hundred shapes a call)
      SitMap.app.select('l-3', false); return 'ok'; })()""")
    qtbot.waitUntil(lambda: js(qtbot, view, "!SitMap.app.shapeCanvas._marginDue"), timeout=10_000)
    after = json.loads(js(qtbot, view, APART_AND_ONCE))
    assert after[1] > 100_000 and after[0] < 0.005 * after[1]


@pytest.mark.parametrize("begun", [False, True])
def test_a_pan_while_the_margin_is_still_due_paints_only_what_the_view_now_shows_of_it(qtbot, window, tmp_path, begun):
    """Right after a whole redraw (a zoom, a large map just shown) the margin is still being
    painted while the page is idle: a pan that stays on the canvas paints the margin's shapes only
    where the view now is (the rest still while idle), not the whole margin at once, and the canvas
    ends as one pass paints it."""
    view, _features = _open(qtbot, window, tmp_path)
    js(qtbot, view, UNLIKE)
    got = json.loads(js(qtbot, view, """JSON.stringify((function () {
      var m = SitMap.app.map, c = SitMap.app.shapeCanvas;
      m.setZoom(m.getZoom() + 1, {animate: false});  // (a whole redraw: the view now, the margin while idle)
      var due = !!c._marginDue, before = c._marginDue ? c._marginDue.rects.length : 0;
      if (%s) { c._paintMargin(0); }  // (begun: a few hundred shapes painted there already)
      m.panBy([Math.round(m.getSize().x / 4), 0], {animate: false});
      var v = c._viewRect(), left = c._marginDue ? c._marginDue.rects : [];
      var overlap = left.some(function (r) { return r.min.x < v[2] && r.max.x > v[0] && r.min.y < v[3] && r.max.y > v[1]; });
      return [due, before, !!c._marginDue, overlap]; })())""" % ("true" if begun else "false")))
    due, before, still_due, overlap = got
    assert due and before >= 1
    assert still_due and not overlap  # (what the view shows of the margin painted; the rest still to come)
    qtbot.waitUntil(lambda: js(qtbot, view, "!SitMap.app.shapeCanvas._marginDue"), timeout=10_000)
    unlike, inked = json.loads(js(qtbot, view, APART_AND_ONCE))
    assert inked > 100_000 and unlike < 0.005 * inked


def test_a_paced_redraw_paints_its_view_a_slice_a_frame_and_ends_as_one_pass_would(qtbot, window, tmp_path):
    """On a map a user moves with many shapes (here: paced from any number, a slice of 32 shapes),
    a whole redraw paints its view a slice a frame, the lowest shapes first, the margin after it;
    a pan while the view is still being painted paints the view it comes to anew; either way the
    finished picture is what one pass paints. A page not yet ready (as a briefing's when it is
    captured) paints its view whole."""
    view, _features = _open(qtbot, window, tmp_path)
    js(qtbot, view, UNLIKE)
    # (each checked in the call that starts the redraw: the page's idle steps may finish a small
    # map's view before the next call)
    started = """(function () {
      var c = SitMap.app.shapeCanvas, due = c._viewDue, v = c._viewRect(), r = due && due.rects[0];
      return JSON.stringify({painted: c.viewPainted(), started: !!(due && due.at), margin: !!c._marginDue,
                             here: !!(r && r.min.x === v[0] && r.min.y === v[1] && r.max.x === v[2] && r.max.y === v[3])});
    })()"""
    first = json.loads(js(qtbot, view, """(function () { var c = SitMap.app.shapeCanvas, m = SitMap.app.map;
      window.__o = [c.options.pacedFrom, c.options.viewStepMs];
      c.options.pacedFrom = 0; c.options.viewStepMs = 0;
      m.setZoom(m.getZoom() + 1, {animate: false}); return """ + started + "; })()"))
    assert not first["painted"] and first["started"] and first["margin"] and first["here"], first
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.shapeCanvas.viewPainted()") is True, timeout=20_000)
    qtbot.waitUntil(lambda: js(qtbot, view, "!SitMap.app.shapeCanvas._marginDue"), timeout=20_000)
    same = json.loads(js(qtbot, view, APART_AND_ONCE))
    assert same[1] > 100_000 and same[0] < 0.005 * same[1], same
    # a zoom, then a pan inside the canvas before its view is painted: the new view is painted anew
    moved = json.loads(js(qtbot, view, "(function () { var m = SitMap.app.map; m.setZoom(m.getZoom() + 1, {animate: false});"
                                       " m.panBy([150, 90], {animate: false}); return " + started + "; })()"))
    assert not moved["painted"] and moved["here"], moved
    # the window's map exported as an image: its view is finished first
    from viewer.ui.capture import grab_view_png

    js(qtbot, view, """(function () { var c = SitMap.app.shapeCanvas, finish = c.finishView;
      window.__finished = 0; c.finishView = function () { window.__finished += 1; return finish.apply(this, arguments); };
      return 'ok'; })()""")
    grab_view_png(view, tmp_path / "shown.png")
    assert (tmp_path / "shown.png").stat().st_size > 10_000
    assert js(qtbot, view, "window.__finished") == 1 and js(qtbot, view, "SitMap.app.shapeCanvas.viewPainted()") is True
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.shapeCanvas.viewPainted()") is True, timeout=20_000)
    qtbot.waitUntil(lambda: js(qtbot, view, "!SitMap.app.shapeCanvas._marginDue"), timeout=20_000)
    same = json.loads(js(qtbot, view, APART_AND_ONCE))
    assert same[1] > 100_000 and same[0] < 0.005 * same[1], same
    whole = js(qtbot, view, """(function () { var a = SitMap.app, c = a.shapeCanvas;
      a.ready = false; c._kept = null; c._redrawBounds = null; c._redraw();
      var painted = c.viewPainted(); a.ready = true;
      c.options.pacedFrom = window.__o[0]; c.options.viewStepMs = window.__o[1];
      return painted; })()""")
    assert whole is True


def test_a_shapes_place_at_each_zoom_is_where_leaflet_projects_its_corners(qtbot, window, tmp_path):
    view, _features = _open(qtbot, window, tmp_path)
    # (and a line reaching nearer the poles than Mercator's edge, 85.05 degrees, where Leaflet clamps it)
    js(qtbot, view, """new SitMap.shapeCanvas.Polyline([[89.5, 120], [40, 125], [-88, 130.25]],
      {renderer: SitMap.app.shapeCanvas}).addTo(SitMap.app.map); 'ok'""")
    check = """JSON.stringify((function () {
      var app = SitMap.app, map = app.map, n = 0, wrong = 0;
      app.shapeCanvas._shapes.forEach(function (l) {
        if (!l._sitmapOnCopies) { return; }
        var b = l.getBounds(), want = L.bounds(map.latLngToLayerPoint(b.getNorthWest()), map.latLngToLayerPoint(b.getSouthEast()));
        n += 1;
        if (!l._rawPxBounds || !l._rawPxBounds.min.equals(want.min) || !l._rawPxBounds.max.equals(want.max)) { wrong += 1; }
      });
      return [n, wrong]; })())"""
    for step in ("0", "SitMap.app.map.setZoom(SitMap.app.map.getZoom() + 2, {animate: false})",
                 "SitMap.app.map.panBy([5000, -3000], {animate: false})",
                 "SitMap.app.map.setZoom(SitMap.app.map.getZoom() - 3, {animate: false})"):
        js(qtbot, view, step + "; 'ok'")
        n, wrong = json.loads(js(qtbot, view, check))
        assert n >= N and wrong == 0, step



def test_a_shapes_vertices_at_each_zoom_are_where_leaflet_projects_them(qtbot, window, tmp_path):
    """A shape's vertices are projected once, to the unit square, and placed at each zoom and pixel
    origin by scaling and rounding them: each where Leaflet's own projection puts it, an area with a
    hole and a shape moved (new vertices) included, after zooms and a pan that resets the origin."""
    view, _features = _open(qtbot, window, tmp_path)
    js(qtbot, view, """(function () { var c = SitMap.app.shapeCanvas, m = SitMap.app.map, k = m.getCenter();
      SitMap._holed = new SitMap.shapeCanvas.Polygon([
        [[k.lat - 1, k.lng - 1], [k.lat - 1, k.lng + 1.3], [k.lat + 0.8, k.lng + 1.1], [k.lat + 1, k.lng - 0.9]],
        [[k.lat - 0.3, k.lng - 0.3], [k.lat - 0.2, k.lng + 0.4], [k.lat + 0.35, k.lng + 0.1]]], {renderer: c}).addTo(m);
      return 'ok'; })()""")
    check = """JSON.stringify((function () {
      var n = 0, wrong = 0, vertices = 0;
      SitMap.app.shapeCanvas._shapes.forEach(function (l) {
        if (!l._sitmapOnCopies) { return; }
        l._rings = null; l._clipPoints();
        if (!l._parts.length) { return; }
        var want = []; l._projectLatlngs(l._latlngs, want, new L.Bounds());
        n += 1;
        var same = want.length === l._parts.length && want.every(function (ring, i) {
          var got = l._parts[i]; vertices += ring.length;
          return ring.length === got.length && ring.every(function (p, j) { return p.equals(got[j]); }); });
        if (!same) { wrong += 1; }
        l._update();
      });
      return [n, wrong, vertices, SitMap._holed._parts.length]; })())"""
    seen = []
    for step in ("0", "SitMap.app.map.setZoom(SitMap.app.map.getZoom() + 2, {animate: false})",
                 "var l = null; SitMap.app.shapeCanvas._shapes.forEach(function (x) { if (!l && x._parts.length"
                 " && x._sitmapOnCopies && x instanceof SitMap.shapeCanvas.Polygon === false) { l = x; } });"
                 " function move(a) { return a.map(function (p) { return p.lat !== undefined ? L.latLng(p.lat + 0.01, p.lng) : move(p); }); }"
                 " l.setLatLngs(move(l.getLatLngs()))",
                 "SitMap.app.map.panBy([5000, -3000], {animate: false})",
                 "SitMap.app.map.setZoom(SitMap.app.map.getZoom() - 3, {animate: false})",
                 "SitMap.app.map.setView(SitMap._holed.getBounds().getCenter(), 9, {animate: false})"):
        js(qtbot, view, step + "; 'ok'")
        n, wrong, vertices, holed = json.loads(js(qtbot, view, check, timeout=30_000))
        assert vertices >= 3 * n and wrong == 0, (step, n, wrong)
        seen.append(n)
    assert min(seen[:3]) >= 100 and seen[-1] >= 1 and holed == 2, seen  # (the area and its hole, at the last view)

def test_thousands_of_shapes_imported_into_a_small_map_join_the_shared_canvas_in_a_few_calls(
        qtbot, window, tmp_path, monkeypatch):
    """An import is one change: its features go to the page a few thousand a call, and lines and
    areas past the page's thousand are drawn on the shared canvas, redrawn once after the last."""
    path = write_project(tmp_path / "shapes.geojson", N, "mixed", seed=4)
    view = window.map_view
    before = int(js(qtbot, view, "SitMap.app.featureTotal"))
    calls = []
    real = view.call
    monkeypatch.setattr(view, "call", lambda name, *a, **k: (calls.append(name), real(name, *a, **k))[1])
    added = window.files.import_path(path)
    assert added > N
    qtbot.waitUntil(lambda: int(js(qtbot, view, "SitMap.app.featureTotal")) == before + added, timeout=20_000)
    assert calls.count("addFeatures") == -(-added // 2000)
    state = json.loads(js(qtbot, view, """JSON.stringify((function () {
      var app = SitMap.app, c = app.shapeCanvas;
      return [!!c, c ? c._shapes.size : 0, c ? !!c._held : null];
    })())"""))
    assert state[0] and state[1] >= N and state[2] is False
    # a shape asking for its own box right after the import's last call does not narrow the whole
    # redraw that is due; the count of lines and areas grows only by shapes new to the page
    due = json.loads(js(qtbot, view, """JSON.stringify((function () {
      var app = SitMap.app, c = app.shapeCanvas, one = c._shapes.values().next().value, n = app.payload._shapeCount;
      c.hold(true); c._requestRedraw(one); c.hold(false); c._requestRedraw(one);
      var whole = c._redrawBounds === null && c._wholeDue === true;
      var f = app.features[Object.keys(app.features).filter(function (id) { return id.indexOf('a-') === 0; })[0]].data;
      app.addFeatures([f], {}, false);
      return [whole, app.payload._shapeCount === n];
    })())"""))
    assert due == [True, True]
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.shapeCanvas._wholeDue") is False, timeout=5000)
    window.undo_stack.undo()  # and all leave the page at once
    qtbot.waitUntil(lambda: int(js(qtbot, view, "SitMap.app.featureTotal")) == before, timeout=20_000)
    assert calls.count("removeFeatures") == -(-added // 2000)


def test_a_pan_or_zoom_back_puts_the_kept_picture_back_and_paints_anew_only_what_changed(qtbot, window, tmp_path):
    """A canvas of many shapes keeps its last whole pictures: back at a place it painted whole (a
    pan away and back, a zoom in and out) it puts that picture back, pixel for pixel, and paints no
    shape. Shapes changed since (a style, as a selection sets it; a shape moved) are painted anew
    where they are and were, and the picture is what a whole redraw paints now; after more changes
    than it remembers, the whole canvas is painted anew."""
    view, _features = _open(qtbot, window, tmp_path)
    js(qtbot, view, UNLIKE)
    js(qtbot, view, """(function () { var c = SitMap.app.shapeCanvas, paint = c._paint, draw = c._draw;
      c._paint = function () { c._painted = (c._painted || 0) + 1; return paint.apply(this, arguments); };
      // whole redraws that painted their shapes (not a kept picture put back)
      c._draw = function () { var whole = !this._redrawBounds, puts = this._puts || 0, r = draw.apply(this, arguments);
        if (whole && (this._puts || 0) === puts) { c._wholes = (c._wholes || 0) + 1; } return r; };
      SitMap._probe = function () {
        var w = c._container.width, h = c._container.height, px = c._ctx.getImageData(0, 0, w, h).data, sum = 0, inked = 0;
        for (var i = 0; i < px.length; i += 4) { if (px[i + 3]) { inked += 1; sum = (sum * 31 + px[i] + 7 * px[i + 1] + 13 * px[i + 2] + px[i + 3]) % 1000000007; } }
        return [c._painted || 0, c._puts || 0, inked, sum, !!c._marginDue];
      }; return 'ok'; })()""")
    probe = lambda: json.loads(js(qtbot, view, "JSON.stringify(SitMap._probe())"))  # noqa: E731
    settle = lambda: qtbot.waitUntil(lambda: js(qtbot, view, "!SitMap.app.shapeCanvas._marginDue"), timeout=10_000)  # noqa: E731
    js(qtbot, view, "SitMap.app.map.setZoom(SitMap.app.map.getZoom() + 1, {animate: false}); 'ok'")
    settle()
    _painted, puts, inked, here, _due = probe()
    assert inked > 50_000
    # shapes near the middle of the view, to change while away
    assert js(qtbot, view, """(function () { var c = SitMap.app.shapeCanvas, m = SitMap.app.map, s = m.getSize();
      var mid = m.containerPointToLayerPoint([s.x / 2, s.y / 2]), near = [];
      c._shapes.forEach(function (l) { var b = l._pxBounds; if (b && l._parts.length) { near.push([b.getCenter().distanceTo(mid), l]); } });
      near.sort(function (a, b) { return a[0] - b[0]; });
      SitMap._near = near.slice(0, 80).map(function (x) { return x[1]; }); return SitMap._near.length === 80; })()""") is True
    away = "SitMap.app.map.panBy([3 * SitMap.app.map.getSize().x, 0], {animate: false})"
    back = "SitMap.app.map.panBy([-3 * SitMap.app.map.getSize().x, 0], {animate: false})"

    def there_and_back(change: str):
        _frames_then(qtbot, view, away)
        settle()
        if change:
            js(qtbot, view, change + "; 'ok'")
        mark = probe()
        return mark, _frames_then(qtbot, view, back)

    mark, got = there_and_back("")
    assert got[:2] == [mark[0], mark[1] + 1]  # (no shape painted: the picture put back)
    assert got[2:4] == [inked, here] and not got[4]  # (the same pixels, whole at once)
    # a zoom in and out: the same
    _frames_then(qtbot, view, "SitMap.app.map.setZoom(SitMap.app.map.getZoom() + 1, {animate: false})")
    settle()
    mark = probe()
    got = _frames_then(qtbot, view, "SitMap.app.map.setZoom(SitMap.app.map.getZoom() - 1, {animate: false})")
    assert got[:2] == [mark[0], mark[1] + 1] and got[2:4] == [inked, here]
    # a style changed while away: the picture put back, the shape's area painted anew
    wholes = js(qtbot, view, "SitMap.app.shapeCanvas._wholes || 0")
    mark, got = there_and_back("SitMap._near[0].setStyle({weight: 9, color: '#ff00ff'})")
    assert got[1] == mark[1] + 1 and got[0] > mark[0] and js(qtbot, view, "SitMap.app.shapeCanvas._wholes || 0") == wholes
    settle()
    same = json.loads(js(qtbot, view, APART_AND_ONCE))
    assert same[1] > 50_000 and same[0] < 0.005 * same[1], same
    assert probe()[3] != here  # (the change shows)
    # a shape moved while away: painted anew where it is and where it was (no trace of it left)
    wholes = js(qtbot, view, "SitMap.app.shapeCanvas._wholes || 0")
    mark, got = there_and_back("var l = SitMap._near[1], d = 3; SitMap._was = l.getBounds();"
                               " function move(a) { return a.map(function (p) { return p.lat !== undefined ? L.latLng(p.lat + d, p.lng + d) : move(p); }); }"
                               " l.setLatLngs(move(l.getLatLngs()))")
    assert got[1] == mark[1] + 1 and js(qtbot, view, "SitMap.app.shapeCanvas._wholes || 0") == wholes
    settle()
    there = json.loads(js(qtbot, view, """JSON.stringify((function () {
      var c = SitMap.app.shapeCanvas, m = SitMap.app.map, b = c._bounds, p = m.latLngToLayerPoint(SitMap._was.getNorthWest()),
          q = m.latLngToLayerPoint(SitMap._was.getSouthEast());
      var x = Math.max(0, Math.floor(p.x - b.min.x) - 3), y = Math.max(0, Math.floor(p.y - b.min.y) - 3);
      var w = Math.ceil(q.x - p.x) + 6, h = Math.ceil(q.y - p.y) + 6, now = c._ctx.getImageData(x, y, w, h).data;
      var kept = c._kept; c._kept = null; c._redrawBounds = null; c._clear(); c._viewFirst = false; c._draw(); c._viewFirst = undefined; c._kept = kept;
      return SitMap._unlike(now, c._ctx.getImageData(x, y, w, h).data).concat([w * h]); })())"""))
    assert there[2] > 100 and there[0] <= 0.02 * there[2], there
    # back to a place a little off the one kept (as after a popup's own pan): the picture put back
    # where it belongs, what it does not cover painted when the page is idle, and the whole as a
    # whole redraw paints it
    settle()
    _frames_then(qtbot, view, "SitMap.app.map.setZoom(SitMap.app.map.getZoom() + 2, {animate: false})")  # (shapes to the edges)
    settle()
    js(qtbot, view, "SitMap.app.map.panBy([-90, -60], {animate: false}); 'ok'")  # (inside the drawn margin)
    _frames_then(qtbot, view, away)
    settle()
    mark = probe()
    wholes = js(qtbot, view, "SitMap.app.shapeCanvas._wholes || 0")
    puts, strips = json.loads(js(qtbot, view, """JSON.stringify((function () { var c = SitMap.app.shapeCanvas, b;
      """ + back + """;
      SitMap._strips = (c._marginDue ? c._marginDue.rects : []).map(function (r) {
        return [r.min.x - c._bounds.min.x, r.min.y - c._bounds.min.y, r.max.x - c._bounds.min.x, r.max.y - c._bounds.min.y]; });
      return [c._puts, SitMap._strips.length]; })())"""))
    assert puts == mark[1] + 1 and strips >= 1 and js(qtbot, view, "SitMap.app.shapeCanvas._wholes || 0") == wholes
    settle()
    same = json.loads(js(qtbot, view, APART_AND_ONCE))
    assert same[1] > 50_000 and same[0] < 0.005 * same[1], same
    strip = json.loads(js(qtbot, view, """JSON.stringify((function () {  // (what was painted when idle: as a whole redraw paints it)
      var c = SitMap.app.shapeCanvas, ctx = c._ctx, now = SitMap._strips.map(function (r) { return ctx.getImageData(r[0], r[1], r[2] - r[0], r[3] - r[1]).data; });
      var kept = c._kept; c._kept = null; c._redrawBounds = null; c._clear(); c._viewFirst = false; c._draw(); c._viewFirst = undefined; c._kept = kept;
      return SitMap._strips.reduce(function (acc, r, i) { var u = SitMap._unlike(now[i], ctx.getImageData(r[0], r[1], r[2] - r[0], r[3] - r[1]).data);
        return [acc[0] + u[0], acc[1] + u[1]]; }, [0, 0]); })())"""))
    assert strip[1] > 1000 and strip[0] < 0.01 * strip[1], strip
    # more changes than are remembered: the whole canvas painted anew
    wholes = js(qtbot, view, "SitMap.app.shapeCanvas._wholes || 0")
    mark, got = there_and_back("SitMap._near.forEach(function (l) { l.setStyle({weight: 4}); })")
    assert got[1] == mark[1] and js(qtbot, view, "SitMap.app.shapeCanvas._wholes || 0") == wholes + 1


_STACK = """JSON.stringify((function () {
  var app = SitMap.app, c = app.shapeCanvas, group = {}, out = [];
  Object.keys(app.features).forEach(function (id) { group[L.stamp(app.features[id].main)] = app.features[id].data.group; });
  for (var o = c._drawFirst; o; o = o.next) { var g = group[L.stamp(o.layer)]; if (g && out[out.length - 1] !== g) { out.push(g); } }
  return out; })())"""


def test_the_layers_come_stacked_as_arranged_so_the_same_order_again_moves_nothing(qtbot, window, tmp_path):
    """The page stacks its layers in the window's arrangement as they join the map: the order the
    window sends once the map is up moves no shape and paints nothing again (for 100,000 shapes,
    a second's painting). Once a shape has come to the front (a selection), it is laid again."""
    view, _features = _open(qtbot, window, tmp_path)
    order = [x["id"] for x in window.current_layers()]
    assert order[-1] == "annotations" and len(order) >= 3
    assert json.loads(js(qtbot, view, "JSON.stringify(SitMap.app.groupOrder)")) == order
    assert json.loads(js(qtbot, view, _STACK)) == [g for g in reversed(order) if g != "places"]  # (bottom first; markers apart)
    js(qtbot, view, """(function () { var c = SitMap.app.shapeCanvas, front = c._bringToFront, draw = c._draw, n = [0, 0];
      c._bringToFront = function () { n[0] += 1; return front.apply(this, arguments); };
      c._draw = function () { n[1] += 1; return draw.apply(this, arguments); };
      SitMap._probe = function () { var r = n.slice(); n[0] = n[1] = 0; return r; }; return 'ok'; })()""")
    assert _frames_then(qtbot, view, f"SitMap.app.setGroupOrder({json.dumps(order)})") == [0, 0]
    shape = next(d.id for d in window.map_view.drawn if d.group == "annotations" and d.shape == "polygon")
    assert _frames_then(qtbot, view, f"SitMap.app.select('{shape}')")[0] == 1
    moved, drawn = _frames_then(qtbot, view, f"SitMap.app.setGroupOrder({json.dumps(order)})")
    assert moved > 1000 and drawn >= 1
    stack = json.loads(js(qtbot, view, _STACK))
    assert stack == [g for g in reversed(order) if g != "places"]
    assert _frames_then(qtbot, view, f"SitMap.app.setGroupOrder({json.dumps(order)})") == [0, 0]


def test_a_batch_s_lines_and_areas_reach_the_page_as_they_would_whole(qtbot, window, tmp_path):
    """Each line and area of a large map's batch (its own values, the entry it shares, its
    positions among all the batch's) is put back together in the page exactly as the feature
    would have been sent whole, with nothing of the batch's own bookkeeping left in it."""
    view, _features = _open(qtbot, window, tmp_path)
    drawn = [d for d in window.map_view.drawn if d.shape != "marker"]
    picks = drawn[:3] + drawn[len(drawn) // 2:len(drawn) // 2 + 3] + drawn[-3:]
    ids = json.dumps([d.id for d in picks])
    got = json.loads(js(qtbot, view, f"JSON.stringify({ids}.map(function (id) {{ return SitMap.app.features[id].data; }}))"))
    for d, data in zip(picks, got):
        whole = json.loads(json.dumps(d.to_page()))
        assert {k: data.get(k) for k in whole} == whole, d.id
        assert "$" not in data and "n" not in data


def test_a_shape_of_many_holds_no_handler_of_its_own_until_asked(qtbot, window, tmp_path):
    """Leaflet's attribution control gives every layer that may carry an attribution a handler for
    its removal: the shapes on the shared canvas carry none, so 100,000 shapes hold no handlers."""
    view, _features = _open(qtbot, window, tmp_path)
    counts = json.loads(js(qtbot, view, """JSON.stringify((function () {
      var app = SitMap.app, on = 0, listening = [];
      Object.keys(app.features).forEach(function (id) {
        var m = app.features[id].main;
        if (m._renderer === app.shapeCanvas && /^[la]-/.test(id)) {
          on += 1;
          if (m._events && Object.keys(m._events).length) { listening.push(id + ": " + Object.keys(m._events)); }
        }
      });
      return [on, listening]; })())"""))
    assert counts[0] == N and counts[1] == []  # (the analyst's shapes: the built-in map's have labels bound)
