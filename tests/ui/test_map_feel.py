"""Issue 16, continued: one label placement for the overlay and the basemap, cities by population,
an export legend that never covers the event, measure labels kept inside the map, and a new
feature's naming in the same undo step as its drawing (real window, real page)."""

import json

from tests.ui.conftest import intersections, js, label_boxes, settle


# ---------------------------------------------------------------- naming: one undo step
def _click(qtbot, view, lat, lng, double=False):
    signal = view.bridge.doubleClickedAt if double else view.bridge.clickedAt
    with qtbot.waitSignal(signal, timeout=5000):
        view.run_js(f"SitMap.app.map.fire('{'dblclick' if double else 'click'}', {{latlng: L.latLng({lat}, {lng})}})")


def test_drawing_a_marker_and_naming_it_is_one_undo_step(qtbot, window):
    view, stack = window.map_view, window.undo_stack
    depth, n = stack.count(), len(window.doc.features)
    window.tool_actions["marker"].trigger()
    _click(qtbot, view, 38.5, 126.5)
    fid = window.doc.features[-1].id
    dlg = window.naming.dialog
    assert dlg.isVisible() and dlg.textValue() == "Marker"
    dlg.setTextValue("Observation post")
    dlg.accept()
    assert window.doc.feature(fid).name == "Observation post"
    assert stack.count() == depth + 1 and stack.index() == depth + 1
    assert stack.undoText() == "Add Observation post"
    qtbot.waitUntil(lambda: js(qtbot, view, f"!!SitMap.app.features['{fid}']"), timeout=5000)
    stack.undo()
    assert window.doc.feature(fid) is None and len(window.doc.features) == n
    qtbot.waitUntil(lambda: js(qtbot, view, f"!!SitMap.app.features['{fid}']") is False, timeout=5000)
    # redo brings it back under the name given
    stack.redo()
    assert window.doc.feature(fid).name == "Observation post" and stack.count() == depth + 1
    # a rename later (not the prompt's) stays its own step
    from viewer.ui.context_menus import rename_feature

    assert rename_feature(window, fid, "OP North")
    assert stack.count() == depth + 2
    stack.undo()
    assert window.doc.feature(fid).name == "Observation post"


def test_a_name_given_after_something_else_was_drawn_is_its_own_step(qtbot, window):
    view, stack = window.map_view, window.undo_stack
    depth = stack.count()
    window.naming.ask = False  # no prompt: the marker keeps "Marker"
    window.tool_actions["marker"].trigger()
    _click(qtbot, view, 38.5, 126.5)
    first = window.doc.features[-1].id
    _click(qtbot, view, 38.9, 126.9)
    assert stack.count() == depth + 2
    window.naming.ask = True
    window.naming.ask_name(first)
    window.naming.dialog.setTextValue("Checkpoint")
    window.naming.dialog.accept()
    # the marker drawn in between is not merged into: the naming is a step of its own
    assert stack.count() == depth + 3 and window.doc.feature(first).name == "Checkpoint"
    stack.undo()
    assert window.doc.feature(first).name == "Marker"


def test_an_area_with_its_numbered_name_and_the_name_typed_is_one_step(qtbot, window):
    view, stack = window.map_view, window.undo_stack
    window.naming.ask = False
    window.tool_actions["area"].trigger()
    for lat, lng in ((38.0, 126.0), (38.0, 127.0), (38.6, 126.5)):
        _click(qtbot, view, lat, lng)
    window.draw.key("Enter")
    window.naming.ask = True
    depth = stack.count()
    for lat, lng in ((37.0, 126.0), (37.0, 127.0), (37.6, 126.5)):
        _click(qtbot, view, lat, lng)
    window.draw.key("Enter")
    fid = window.doc.features[-1].id
    assert window.naming.dialog.textValue() == "Area 2"
    window.naming.dialog.setTextValue("Staging area")
    window.naming.dialog.accept()
    assert stack.count() == depth + 1 and window.doc.feature(fid).name == "Staging area"
    stack.undo()
    assert window.doc.feature(fid) is None


# ---------------------------------------------------------------- labels: overlay and basemap, one placement
def _basemap_names_under_overlay(qtbot, view):
    """Basemap labels (drawn or not) whose box touches a shown overlay label."""
    return json.loads(js(qtbot, view, """JSON.stringify((function () {
        var over = SitMap.labels.boxes().filter(function (b) { return b.source === 'overlay'; }), out = [];
        SitMap.app.basemap.labelBoxes().forEach(function (it) {
          var r = it.box;
          if (over.some(function (q) { return r.left < q.right && r.right > q.left && r.top < q.bottom && r.bottom > q.top; })) {
            out.push([it.text, it.drawn]);
          }
        });
        return out; })())"""))


def test_overlay_and_basemap_labels_never_intersect_and_the_overlay_wins(qtbot, window):
    view = window.map_view
    views = (None, (35.55, 139.7, 7), (35.55, 139.7, 8), (35.5, 139.65, 9), (35.5, 139.65, 10), (39.0, 126.5, 6))
    for v in views:
        if v is not None:
            settle(qtbot, view, f"SitMap.app.map.setView([{v[0]}, {v[1]}], {v[2]}, {{animate: false}})")
        boxes = label_boxes(qtbot, view)
        assert any(b["source"] == "basemap" for b in boxes), v
        assert any(b["source"] == "overlay" for b in boxes), v
        assert intersections(boxes) == [], (v, intersections(boxes))
        # what the overlay covers is not drawn (and was there to be left out)
        assert all(not drawn for _, drawn in _basemap_names_under_overlay(qtbot, view)), v
    # Tokyo over Yokohama: at zoom 5 the overlay's "Tokyo 東京" takes the place of the basemap's Yokohama
    settle(qtbot, view, "SitMap.app.map.setView([35.55, 139.7], 5, {animate: false})")
    boxes = label_boxes(qtbot, view)
    assert any(b["text"].startswith("Tokyo") and b["source"] == "overlay" for b in boxes)
    assert intersections(boxes) == []
    under = _basemap_names_under_overlay(qtbot, view)
    assert ["Yokohama", False] in under and all(not drawn for _, drawn in under)
    assert not any(b["text"] == "Yokohama" for b in boxes)
    assert js(qtbot, view, "SitMap.labels.basemapHidden") >= len(under)


def test_a_basemap_label_given_way_comes_back_when_the_overlay_label_goes(qtbot, window):
    view = window.map_view
    settle(qtbot, view, "SitMap.app.map.setView([35.55, 139.7], 5, {animate: false})")
    label_boxes(qtbot, view)
    under = {t for t, _ in _basemap_names_under_overlay(qtbot, view)}
    assert under
    js(qtbot, view, "SitMap.app.setGroupVisible('places', false)")
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.map.hasLayer(SitMap.app.groups.places)") is False, timeout=5000)
    boxes = label_boxes(qtbot, view)
    shown = {b["text"] for b in boxes if b["source"] == "basemap"}
    assert under & shown, (under, shown)
    assert intersections(boxes) == []


def _scenario_with_yokohama(tmp_path, population=None, before_tokyo=True):
    from viewer import resources
    from viewer.model.scenario import load_scenario

    data = json.loads(resources.default_scenario().read_text(encoding="utf-8"))
    props = {"kind": "place", "role": "context", "name": "Yokohama", "status": "reported", "source": "World cities list"}
    if population is not None:
        props["population"] = population
    yokohama = {"type": "Feature", "id": "yokohama", "geometry": {"type": "Point", "coordinates": [139.638, 35.4437]},
                "properties": props}
    feats = data["features"]
    at = next(i for i, f in enumerate(feats) if f["id"] == "tokyo")
    feats.insert(at if before_tokyo else at + 1, yokohama)  # before Tokyo in the file, or after
    path = tmp_path / "yokohama.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    return load_scenario(path)


def _shown_overlay_labels(qtbot, view):
    return [b["text"] for b in label_boxes(qtbot, view) if b["source"] == "overlay"]


def _on_own_side(qtbot, view):
    """The overlay labels shown where they were put (a label that met a higher-ranked one is
    moved to another side of its point, or hidden when no side is free)."""
    return json.loads(js(qtbot, view, """JSON.stringify(Object.keys(SitMap.app.features).map(function (id) {
        var t = SitMap.app.features[id].main.getTooltip && SitMap.app.features[id].main.getTooltip();
        var e = t && t.getElement();
        if (!e || !e.offsetParent || e.classList.contains('sitmap-label-hidden')) { return null; }
        return t._sitmapSide ? null : e.textContent; }).filter(function (x) { return x; }))"""))


def test_cities_are_ranked_by_population_not_by_file_order(qtbot, window, tmp_path):
    from viewer.render.layers import draw_scenario

    view = window.map_view
    scenario = _scenario_with_yokohama(tmp_path)
    drawn = {d.id: d for d in draw_scenario(scenario)}
    assert drawn["tokyo"].population > drawn["yokohama"].population > 1_000_000
    assert drawn["seoul"].population > drawn["pyongyang"].population > 0
    with qtbot.waitSignal(view.mapReady, timeout=60_000):
        window.set_scenario(scenario, None)
    settle(qtbot, view, "SitMap.app.map.setView([35.55, 139.7], 6, {animate: false})")
    own = _on_own_side(qtbot, view)  # Yokohama gives way: moved aside or hidden
    assert any(t.startswith("Tokyo") for t in own) and not any(t.startswith("Yokohama") for t in own), own
    # zoomed in far enough for both: both show
    settle(qtbot, view, "SitMap.app.map.setView([35.55, 139.7], 10, {animate: false})")
    shown = _shown_overlay_labels(qtbot, view)
    assert any(t.startswith("Tokyo") for t in shown) and any(t.startswith("Yokohama") for t in shown), shown


def test_a_population_in_the_file_ranks_the_city(qtbot, window, tmp_path):
    view = window.map_view
    with qtbot.waitSignal(view.mapReady, timeout=60_000):
        window.set_scenario(_scenario_with_yokohama(tmp_path, population=40_000_000, before_tokyo=False), None)
    settle(qtbot, view, "SitMap.app.map.setView([35.55, 139.7], 6, {animate: false})")
    own = _on_own_side(qtbot, view)
    assert any(t.startswith("Yokohama") for t in own) and not any(t.startswith("Tokyo") for t in own), own


# ---------------------------------------------------------------- measure labels stay inside the map
_MEASURE_BOXES = """JSON.stringify((function () {
    var c = SitMap.app.map.getContainer().getBoundingClientRect(), out = [];
    var labels = SitMap.draw.legLabels ? SitMap.draw.legLabels.getLayers() : [];
    if (SitMap.draw.sketchLabel) { labels = labels.concat([SitMap.draw.sketchLabel]); }
    labels.forEach(function (t) {
      var e = t.getElement();
      if (!e || e.style.display === 'none') { return; }
      var r = e.getBoundingClientRect();
      out.push({text: e.textContent, left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width});
    });
    return {map: {left: c.left, top: c.top, right: c.right, bottom: c.bottom}, labels: out}; })())"""


def _inside(box, rect):
    return (box["left"] >= rect["left"] and box["right"] <= rect["right"] and box["top"] >= rect["top"]
            and box["bottom"] <= rect["bottom"])


def test_measure_labels_are_kept_whole_inside_the_map(qtbot, window):
    view = window.map_view
    settle(qtbot, view, "SitMap.app.map.setView([39.0, 128.0], 6, {animate: false})")
    size = json.loads(js(qtbot, view, "JSON.stringify(SitMap.app.map.getSize())"))
    window.tool_actions["measure"].trigger()

    def at(x, y):
        return json.loads(js(qtbot, view, f"JSON.stringify(SitMap.app.map.containerPointToLatLng([{x}, {y}]))"))

    # a leg ending at the right edge, one going out of the map at the bottom right, one back in
    pts = [at(size["x"] * 0.5, size["y"] * 0.5), at(size["x"] - 6, size["y"] * 0.45),
           at(size["x"] + 400, size["y"] + 300), at(size["x"] * 0.6, size["y"] * 0.8)]
    for p in pts:
        _click(qtbot, view, p["lat"], p["lng"])
    _click(qtbot, view, pts[-1]["lat"], pts[-1]["lng"], double=True)
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.draw.legLabels ? SitMap.draw.legLabels.getLayers().length : 0") == 3,
                    timeout=5000)
    got = json.loads(js(qtbot, view, _MEASURE_BOXES))
    assert len(got["labels"]) == 4  # three legs and the total, all shown
    for box in got["labels"]:
        assert box["width"] > 20 and _inside(box, got["map"]), box
    # panned so that legs run off the map: what shows is still whole
    for dx, dy in ((300, 0), (-700, -200), (0, 500)):
        with qtbot.waitSignal(view.bridge.viewMoved, timeout=10_000):
            view.run_js(f"SitMap.app.map.panBy([{dx}, {dy}], {{animate: false}})")
        qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.labels.place() >= 0"), timeout=5000)
        got = json.loads(js(qtbot, view, _MEASURE_BOXES))
        for box in got["labels"]:
            assert _inside(box, got["map"]), (dx, dy, box)
    # zoomed in on the far end: its legs' labels follow the visible part
    settle(qtbot, view, f"SitMap.app.map.setView([{pts[1]['lat']}, {pts[1]['lng']}], 9, {{animate: false}})")
    got = json.loads(js(qtbot, view, _MEASURE_BOXES))
    legs_shown = [b for b in got["labels"] if not b["text"].startswith("Total")]
    assert len(legs_shown) >= 2
    for box in got["labels"]:
        assert _inside(box, got["map"]), box
    window.draw.set_tool(None)


# ---------------------------------------------------------------- the export's legend never covers the event
def _grid_scenario(tmp_path, lats, lons, south, west, north, east, colours=("#0072B2",)):
    """A map whose event is lines across the frame: east-west ones at ``lats``, north-south ones
    at ``lons``, each in its own colour (a legend row each), framed by the view."""
    from viewer.model.scenario import load_scenario

    feats = []
    for i, lat in enumerate(lats):
        feats.append({"type": "Feature", "id": f"ew-{i}",
                      "geometry": {"type": "LineString", "coordinates": [[west - 3, lat], [east + 3, lat]]},
                      "properties": {"kind": "path", "annotation": True, "name": f"Track {i + 1}", "status": "estimated",
                                     "source": "Test", "style": {"color": colours[i % len(colours)]}}})
    for i, lon in enumerate(lons):
        feats.append({"type": "Feature", "id": f"ns-{i}",
                      "geometry": {"type": "LineString", "coordinates": [[lon, south - 3], [lon, north + 3]]},
                      "properties": {"kind": "path", "annotation": True, "name": f"Meridian track {i + 1}",
                                     "status": "estimated", "source": "Test",
                                     "style": {"color": colours[(i + len(lats)) % len(colours)]}}})
    data = {"type": "FeatureCollection",
            "sitmap": {"version": 1, "title": "Event filling the frame",
                       "view": {"bounds": [[south, west], [north, east]]}},
            "features": feats}
    path = tmp_path / "fills.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    return load_scenario(path)


_LEGEND_OVER_EVENT = """JSON.stringify((function () {
    var map = SitMap.app.map, c = map.getContainer().getBoundingClientRect();
    var r = document.querySelector('.sitmap-legend').getBoundingClientRect(), hits = 0, n = 0;
    var lines = [];
    function walk(ll) {
      if (!ll || !ll.length) { return; }
      if (typeof ll[0] === 'number') { lines.push([ll, ll]); return; }
      if (typeof ll[0][0] === 'number') { lines.push(ll); return; }
      ll.forEach(walk);
    }
    Object.keys(SitMap.app.features).forEach(function (id) {
      if (SitMap.app.features[id].data.group !== 'places') { walk(SitMap.app.features[id].data.latlngs); } });
    lines.forEach(function (ll) {
      for (var i = 0; i + 1 < ll.length; i++) {
        var a = map.latLngToContainerPoint(ll[i]), b = map.latLngToContainerPoint(ll[i + 1]);
        for (var k = 0; k <= 400; k++) {
          var x = c.left + a.x + (b.x - a.x) * k / 400, y = c.top + a.y + (b.y - a.y) * k / 400;
          if (x < c.left || x > c.right || y < c.top || y > c.bottom) { continue; }
          n += 1;
          if (x >= r.left && x <= r.right && y >= r.top && y <= r.bottom) { hits += 1; }
        }
      }
    });
    return {hits: hits, samples: n, form: SitMap.briefing.legendForm, corner: SitMap.briefing.legendCorner,
            legend: {left: r.left, top: r.top, right: r.right, bottom: r.bottom, height: r.height},
            frame: {left: c.left, top: c.top, right: c.right, bottom: c.bottom},
            rows: document.querySelectorAll('.sitmap-legend-row').length, labels: SitMap.labels.boxes(),
            page: {width: document.documentElement.clientWidth, height: document.documentElement.clientHeight}}; })())"""


def _export_legend(qtbot, scenario, out=None):
    from viewer.export import briefing as b
    from viewer.ui.capture import close_view, open_briefing, wait_for_briefing_frame

    # (no sources line: these maps' frames as these cases were set for, each a frame of the event's
    # view at a whole zoom; a line less of frame takes the view a step out, at x.25)
    view = open_briefing(scenario, b.ExportSize.pixels(1920, 1080), b.BriefingOptions(show_sources=False),
                         timeout_ms=60_000)
    try:
        got = json.loads(js(qtbot, view, _LEGEND_OVER_EVENT))
        if out is not None:
            wait_for_briefing_frame(view).save(str(out))
        return got
    finally:
        close_view(view)


def test_an_event_that_fills_the_frame_puts_the_legend_beside_the_map(qtbot, tmp_path):
    # lines every half degree both ways: every corner of the map has the event in it
    scenario = _grid_scenario(tmp_path, [36 + 0.5 * i for i in range(11)], [124 + 0.5 * i for i in range(15)],
                              36.0, 124.0, 41.0, 131.0, colours=("#0072B2", "#D55E00", "#009E73", "#CC79A7"))
    got = _export_legend(qtbot, scenario, tmp_path / "fills.png")
    assert got["samples"] > 1000
    assert got["form"] == "outside" and got["hits"] == 0, got
    leg, frame = got["legend"], got["frame"]
    # beside the map frame, on the page, not over it
    assert leg["left"] >= frame["right"] and leg["right"] <= got["page"]["width"] + 0.5, got
    assert leg["top"] >= frame["top"] - 0.5 and leg["bottom"] <= got["page"]["height"], got


def test_a_legend_that_would_cover_the_event_everywhere_shrinks_first(qtbot, tmp_path):
    # six tracks, each a legend row; two of them run close to the top and bottom edges of the
    # frame: the full legend reaches over them in every corner, the one-row-per-layer one does not
    scenario = _grid_scenario(tmp_path, [36.55, 37.5, 38.2, 38.9, 39.6, 40.45], [], 36.0, 124.0, 41.0, 131.0,
                              colours=("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"))
    got = _export_legend(qtbot, scenario, tmp_path / "shrinks.png")
    assert got["form"] in ("small", "groups") and got["hits"] == 0, got
    leg, frame = got["legend"], got["frame"]
    assert frame["left"] <= leg["left"] and leg["right"] <= frame["right"] and frame["top"] <= leg["top"] \
        and leg["bottom"] <= frame["bottom"], got


def test_the_default_export_keeps_the_full_legend_in_a_corner_off_the_event(qtbot):
    from viewer import resources
    from viewer.model.scenario import load_scenario

    got = _export_legend(qtbot, load_scenario(resources.default_scenario()))
    assert got["form"] == "full" and got["hits"] == 0 and got["rows"] >= 6, got
    # the same label rules as on screen: the export's overlay and basemap labels never intersect
    boxes = got["labels"]
    assert any(b["source"] == "basemap" for b in boxes) and any(b["source"] == "overlay" for b in boxes)
    assert intersections(boxes) == []


def test_the_default_export_names_pyongyang_beside_the_launch_point_s_own_label(qtbot):
    # Pyongyang's point is just below the launch point, whose label is below both: its right,
    # left, top and bottom all meet that label or the launch symbol, and it was left unnamed in
    # every export; a corner of its point is free
    from viewer import resources
    from viewer.model.scenario import load_scenario

    got = _export_legend(qtbot, load_scenario(resources.default_scenario()))
    overlay = [b for b in got["labels"] if b["source"] == "overlay"]
    assert any(b["text"].startswith("Pyongyang") for b in overlay), [b["text"] for b in overlay]
    assert intersections(got["labels"]) == []


def test_basemap_names_give_way_to_the_overlays_symbols_too(qtbot, window):
    view = window.map_view
    check = """JSON.stringify((function () {
        var icons = Array.prototype.map.call(document.querySelectorAll('.leaflet-marker-icon.sitmap-marker'),
          function (e) { return e.getBoundingClientRect(); }), bad = [], n = 0;
        SitMap.labels.boxes().forEach(function (b) {
          if (b.source !== 'basemap') { return; }
          n += 1;
          icons.forEach(function (q) {
            if (q.width && b.left < q.right && b.right > q.left && b.top < q.bottom && b.bottom > q.top) { bad.push(b.text); }
          });
        });
        return {bad: bad, n: n}; })())"""
    for lat, lng, zoom in ((39.0, 126.5, 6), (39.1, 125.8, 8), (35.55, 139.7, 7), (40.11, 124.39, 11)):
        settle(qtbot, view, f"SitMap.app.map.setView([{lat}, {lng}], {zoom}, {{animate: false}})")
        label_boxes(qtbot, view)
        got = json.loads(js(qtbot, view, check))
        assert got["n"] > 0 and got["bad"] == [], (lat, lng, zoom, got)


def test_a_label_that_meets_a_higher_ranked_one_moves_to_a_free_side_of_its_point(qtbot, window, tmp_path):
    view = window.map_view
    with qtbot.waitSignal(view.mapReady, timeout=60_000):
        window.set_scenario(_scenario_with_yokohama(tmp_path), None)
    settle(qtbot, view, "SitMap.app.map.setView([35.55, 139.7], 6, {animate: false})")
    moved = json.loads(js(qtbot, view, """JSON.stringify((function () {
        var t = SitMap.app.features['yokohama'].main.getTooltip(), e = t.getElement();
        return [!!t._sitmapSide, t.options.direction, e.classList.contains('sitmap-label-hidden')]; })())"""))
    assert moved[0] and moved[1] != "right" and not moved[2], moved  # shown, on another side
    assert intersections(label_boxes(qtbot, view)) == []
    # zoomed in on Yokohama, the way is clear: back on its own side
    settle(qtbot, view, "SitMap.app.map.setView([35.4437, 139.638], 11, {animate: false})")
    label_boxes(qtbot, view)  # placed again
    back = json.loads(js(qtbot, view, "JSON.stringify([!!SitMap.app.features['yokohama'].main.getTooltip()._sitmapSide,"
                                      " SitMap.app.features['yokohama'].main.getTooltip().options.direction])"))
    assert back == [False, "right"], back


def test_labels_keep_clear_of_the_maps_controls_and_turn_back_from_its_edge(qtbot, window, tmp_path):
    view = window.map_view
    with qtbot.waitSignal(view.mapReady, timeout=60_000):
        window.set_scenario(_scenario_with_yokohama(tmp_path), None)
    # Tokyo at the right edge of the map: its label turns to the left of its point, inside the map
    settle(qtbot, view, """(function () { var m = SitMap.app.map, s = m.getSize();
        var p = m.latLngToContainerPoint([35.6895, 139.6917]), c = m.getCenter();
        m.panBy([p.x - (s.x - 25), 0], {animate: false}); })()""")
    boxes = label_boxes(qtbot, view)
    edge = json.loads(js(qtbot, view, "JSON.stringify(SitMap.app.map.getContainer().getBoundingClientRect())"))
    tokyo = [b for b in boxes if b["source"] == "overlay" and b["text"].startswith("Tokyo")]
    assert tokyo and tokyo[0]["right"] <= edge["right"] and tokyo[0]["left"] >= edge["left"], (tokyo, edge)
    side = js(qtbot, view, "SitMap.app.features['tokyo'].main.getTooltip().options.direction")
    assert side != "right"
    # no label the user did not just make is printed under a control (zoom, layers, legend, scale)
    controls = json.loads(js(qtbot, view, """JSON.stringify(Array.prototype.map.call(
        document.querySelectorAll('.leaflet-control'), function (e) { return e.getBoundingClientRect(); })
        .filter(function (r) { return r.width && r.height; }))"""))
    assert controls and intersections(boxes, controls) == []


def test_a_name_and_a_fact_of_hundreds_of_characters_stay_inside_the_frame(qtbot):
    # (before: the legend grew as wide as the name, over the map and past the frame, and the facts
    # box's label ran across the whole map)
    from viewer.export import briefing as b
    from viewer.model.scenario import parse_scenario
    from viewer.ui.capture import close_view, open_briefing

    long = "A" * 500
    places = [{"type": "Feature", "id": f"p{i}", "geometry": {"type": "Point", "coordinates": [125 + i, 38 + i / 2]},
               "properties": {"kind": "place", "name": long if i == 0 else f"Place {i}", "status": "reported",
                              "source": "s"}} for i in range(3)]
    s = parse_scenario({"type": "FeatureCollection", "sitmap": {"title": "Long text"}, "features": places,
                        "facts": [{"id": "f1", "group": "g", "label": long, "value": long, "source": "s",
                                   "status": "reported", "feature": "p0"},
                                  {"id": "f2", "group": "g", "label": "Short", "value": "fact", "source": "s",
                                   "status": "reported", "feature": "p1"}]}, "test")
    view = open_briefing(s, b.ExportSize.pixels(1920, 1080), b.BriefingOptions(show_facts=True), timeout_ms=60_000)
    try:
        got = json.loads(js(qtbot, view, """JSON.stringify((function () {
            var f = SitMap.app.map.getContainer().getBoundingClientRect(), out = {frame: [f.left, f.top, f.right, f.bottom]};
            ['.sitmap-legend', '.sitmap-briefing-facts'].forEach(function (q) {
              var r = document.querySelector(q).getBoundingClientRect(); out[q] = [r.left, r.top, r.right, r.bottom]; });
            return out; })())"""))
    finally:
        close_view(view)
    left, top, right, bottom = got["frame"]
    for box in (got[".sitmap-legend"], got[".sitmap-briefing-facts"]):
        assert left <= box[0] and box[2] <= right and top <= box[1] and box[3] <= bottom, got
        assert box[2] - box[0] < (right - left) / 2 and box[3] - box[1] < (bottom - top) * 0.6, got
