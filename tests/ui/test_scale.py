"""A project with 10,000 point annotations opens, draws, pans and answers clicks without freezing
the page. No timings here (benchmarks/annotations.py measures them): only that each step finishes
within the test's bounds and the page keeps answering."""

import json

from tests.ui.conftest import READY_MS, js
from tools import big_projects

N = 10_000


def write_points_project(path, n=N, seed=7):
    return big_projects.write_points_project(path, n, seed)


def test_ten_thousand_annotations_open_draw_pan_and_click(window, qtbot, tmp_path):
    path = write_points_project(tmp_path / "points.geojson")
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS) as ready:
        assert window.open_path(path)
    assert len(ready.args[0]["features"]) >= N
    view = window.map_view
    count = js(qtbot, view, "JSON.stringify(Object.keys(SitMap.app.state().features).length)", timeout=30_000)
    assert json.loads(count) >= N + 10  # the points and the scenario's own features

    # The many points are points of the one point layer, each a light handle (no Leaflet layer per
    # point: the map holds a few dozen layers); the scenario's own markers keep their symbols.
    kinds = json.loads(js(qtbot, view, """JSON.stringify((function (a) { var p = a.features['p-17'];
        return [p.point === true && p.main === p && p.layer === p && !(p instanceof L.Layer),
                a.pointLayer instanceof SitMap.PointLayer && a.map.hasLayer(a.pointLayer) && a.pointLayer.count() >= %d,
                Object.keys(a.map._layers).length < 1000,
                a.features['launch-point'].main instanceof L.Marker, a.shown(p), a.state().features['p-17'].visible]; })(SitMap.app))""" % N))
    assert kinds == [True, True, True, True, True, True]
    # The batch carried each plain point as a short row: the page put it back together whole.
    for fid in ("p-17", "p-9999"):
        data = json.loads(js(qtbot, view, f"JSON.stringify(SitMap.app.features[{fid!r}].data)"))
        assert data == json.loads(json.dumps(window.map_view.drawn.get(fid).to_page())), fid

    # A pan, then a round trip: the page is not frozen.
    before = json.loads(js(qtbot, view, "JSON.stringify(SitMap.app.map.getCenter())"))
    view.run_js("SitMap.app.map.panBy([300, 0], {animate: false})")
    after = json.loads(js(qtbot, view, "JSON.stringify(SitMap.app.map.getCenter())", timeout=30_000))
    assert after["lng"] > before["lng"]

    # Click on a point: Python hears which one, the page highlights it; the hover label shows its name.
    with qtbot.waitSignal(view.bridge.featureSelected, timeout=10_000) as clicked:
        view.run_js("var p = SitMap.app.features['p-17'].main; p.fire('click', {latlng: p.getLatLng()})")
    assert clicked.args == ["p-17"]
    assert window.selected_feature == "p-17"
    sel = json.loads(js(qtbot, view, "JSON.stringify([SitMap.app.selected, SitMap.app.features['p-17'].main.options.weight])"))
    assert sel[0] == "p-17" and sel[1] > 2
    label = js(qtbot, view, "SitMap.app.features['p-42'].main.fire('mouseover'); SitMap.app.pointLabel.textContent")
    assert label == "P42"


PIXEL_AT = """(function (id) {
  var m = SitMap.app.map, p = SitMap.app.features[id].main, c = SitMap.app.pointLayer._container;
  var at = m.latLngToContainerPoint(p.getLatLng()), box = m.getContainer().getBoundingClientRect();
  var x = box.left + at.x, y = box.top + at.y, r = c.getBoundingClientRect();
  var px = c.getContext('2d').getImageData(Math.round((x - r.left) * c.width / r.width),
                                          Math.round((y - r.top) * c.height / r.height), 1, 1).data;
  var s = m.getSize(), shown = at.x >= 0 && at.y >= 0 && at.x < s.x && at.y < s.y;
  return JSON.stringify({x: x, y: y, alpha: px[3], shown: shown, draws: SitMap.app.pointLayer._draws || 0});
})(%r)"""


def test_many_points_stay_drawn_and_clickable_after_pans_inside_and_beyond_the_canvas_margin(window, qtbot, tmp_path):
    """A pan inside the margin the point canvas already covers does not redraw it; one beyond it
    does. Either way each point is painted where it is and a click there picks it."""
    path = write_points_project(tmp_path / "points.geojson", 2_000)
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert window.open_path(path)
    view = window.map_view
    js(qtbot, view, "SitMap.app.pointLayer._draws = 0; 'ok'")
    visible = json.loads(js(qtbot, view, """JSON.stringify(Object.keys(SitMap.app.features).filter(function (id) {
        var p = SitMap.app.features[id].main, s = SitMap.app.map.getSize();
        if (!p.point) { return false; }
        var at = SitMap.app.map.latLngToContainerPoint(p.getLatLng());
        return at.x > s.x * 0.45 && at.x < s.x * 0.55 && at.y > s.y * 0.4 && at.y < s.y * 0.6; }))"""))
    assert visible
    fid = visible[0]
    width = json.loads(js(qtbot, view, "JSON.stringify(SitMap.app.map.getSize().x)"))
    for dx, redrawn in ((width // 10, False), (-(width // 10), False), (2 * width, True), (-2 * width, True)):
        before = json.loads(js(qtbot, view, PIXEL_AT % fid))["draws"]
        view.run_js(f"SitMap.app.map.panBy([{dx}, 0], {{animate: false}})")
        at = json.loads(js(qtbot, view, PIXEL_AT % fid))
        assert (at["draws"] > before) is redrawn, (dx, at)
        assert at["shown"] is (dx != 2 * width), (dx, at)
        if at["shown"]:
            assert at["alpha"] > 0, (dx, at)  # painted where the point is now
    with qtbot.waitSignal(view.bridge.featureSelected, timeout=10_000) as clicked:
        view.run_js(f"""(function () {{ var a = JSON.parse({PIXEL_AT % fid});
            var c = SitMap.app.pointLayer._container;
            ['mousedown', 'mouseup', 'click'].forEach(function (t) {{
              c.dispatchEvent(new MouseEvent(t, {{clientX: a.x, clientY: a.y, bubbles: true, button: 0}})); }}); }})()""")
    picked = clicked.args[0]
    near = json.loads(js(qtbot, view, f"""JSON.stringify(SitMap.app.map.latLngToContainerPoint(
        SitMap.app.features[{picked!r}].main.getLatLng()).distanceTo(
        SitMap.app.map.latLngToContainerPoint(SitMap.app.features[{fid!r}].main.getLatLng())))"""))
    assert picked.startswith("p-") and near <= 10


def test_after_zooms_every_canvas_point_sits_where_leaflet_projects_it(window, qtbot, tmp_path):
    """Each redraw after a zoom paints a circle centred where Leaflet projects each point in reach
    of the canvas, and nowhere else."""
    path = write_points_project(tmp_path / "points.geojson", 2_000)
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert window.open_path(path)
    for step in (1, 2, -3, 4):
        off = json.loads(js(qtbot, window.map_view, f"""(function () {{
            var a = SitMap.app, m = a.map, c = a.pointLayer, ctx = c._ctx, drawn = {{}}, at = {{}}, bad = [], n = 0;
            // a point moved between zooms (a drag does this) is projected where it went
            a.features['p-{step + 10}'].main.setLatLng([37 + {step} / 10, 128]);
            var put = ctx.drawImage, all = c._paintAll;
            ctx.drawImage = function (img, x, y, w, h) {{ drawn[(x + w / 2) + ',' + (y + h / 2)] = 1; return put.apply(ctx, arguments); }};
            c._paintAll = function (list, listed, stampOf, scale, o) {{  // a whole redraw: the stamps it copies
              for (var j = 0; j < listed; j++) {{
                var i = list[j]; drawn[(Math.round(scale * c._mx[i]) - o.x) + ',' + (Math.round(scale * c._my[i]) - o.y)] = 1;
              }}
              return all.apply(this, arguments);
            }};
            m.setZoom(m.getZoom() + {step}, {{animate: false}});
            c._slots = []; c._dirty = null; c._redraw();  // (the move's redraw waits for a frame: all of it now)
            ctx.drawImage = put; c._paintAll = all;
            var b = c._bounds;
            Object.keys(a.features).forEach(function (id) {{
              var f = a.features[id];
              if (!f.point) {{ return; }}
              var q = m.latLngToLayerPoint(f.getLatLng());
              if (q.x < b.min.x || q.y < b.min.y || q.x > b.max.x || q.y > b.max.y) {{ return; }}
              n += 1;
              if (!drawn[q.x + ',' + q.y]) {{ bad.push(id); }}
              at[q.x + ',' + q.y] = 1;
            }});
            var stray = Object.keys(drawn).filter(function (k) {{
              var x = +k.split(',')[0], y = +k.split(',')[1];
              return !at[k] && x >= b.min.x && y >= b.min.y && x <= b.max.x && y <= b.max.y; }});
            return JSON.stringify([n, bad.slice(0, 3), stray.slice(0, 3), m.getZoom()]); }})()"""))
        assert off[0] > 0 and off[1] == [] and off[2] == [], off



def test_with_a_batch_the_map_and_its_basemap_start_before_the_features_come(window, qtbot, tmp_path):
    """A large map's page starts its view and basemap, and its channel to Python, while its
    features are on their way (they come as one batch): not after they have come."""
    from tools.big_projects import write_points_project

    path = write_points_project(tmp_path / "points.geojson", 3000, 5)
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert window.open_path(path)
    timing = json.loads(js(qtbot, window.map_view, "JSON.stringify(SitMap.app.timing)"))
    assert timing["init"] <= timing["basemapAdded"] < timing["fetched"] <= timing["drawn"] <= timing["ready"], timing
    counted = "JSON.stringify([SitMap.app.featureTotal, !!SitMap.app.features['p-1']])"
    assert json.loads(js(qtbot, window.map_view, counted)) == [len(window.scenario.features), True]


def test_a_large_maps_labels_are_placed_as_a_small_maps_are(window, qtbot, tmp_path):
    """The event's own labels (the rail crossing, the cities) are placed the same way with
    thousands of annotations on the map as without: moved to another side of their point before
    they give way, not hidden where the small map shows them."""
    from tools.big_projects import write_points_project

    shown = """JSON.stringify((function () {  // (the built-in map's own first view)
      SitMap.app.map.fitBounds([[33.0, 115.5], [43.5, 141.0]], {animate: false, padding: [10, 10]});
      SitMap.labels.place();
      return Array.prototype.filter.call(document.querySelectorAll('.leaflet-tooltip.sitmap-label'), function (e) {
        return e.offsetParent && !e.classList.contains('sitmap-label-hidden'); })
        .map(function (e) { return e.textContent; }).sort(); })())"""
    small = json.loads(js(qtbot, window.map_view, shown))
    path = write_points_project(tmp_path / "points.geojson", 3500, 7)
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert window.open_path(path)
    assert js(qtbot, window.map_view, "SitMap.app.featureTotal") > 3000
    large = json.loads(js(qtbot, window.map_view, shown))
    assert any("rail crossing" in t for t in small), small
    assert large == small
