"""Markers across the antimeridian, through the real window: a map of places either side of 180
degrees opens on them side by side (before: on the whole world, the places at its two edges), and
every marker is drawn on the neighbouring world copy as lines and areas are: a map's own markers
with their labels, and the many plain points of the point layer, which are found there under the
pointer too."""

from __future__ import annotations

import json

import pytest

from tests.ui.conftest import READY_MS, js


def place(fid, lon, lat, annotation=False):
    props = {"kind": "place", "name": fid, "status": "reported", "source": "test"}
    if annotation:
        props.update(role="marker", annotation=True)
    return {"type": "Feature", "id": fid, "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


def open_map(qtbot, window, tmp_path, features):
    path = tmp_path / "pacific.sitmap.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "sitmap": {"title": "Pacific"}, "features": features}),
                    encoding="utf-8")
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert window.open_path(path)
    return window.map_view


# Where the page shows a feature's marker icons and labels now: their boxes in the map's container.
SHOWN = """(function () {
  var a = SitMap.app, m = a.map, c = m.getContainer().getBoundingClientRect(), out = {};
  Object.keys(a.features).forEach(function (id) {
    var f = a.features[id], boxes = out[id] = {icons: [], labels: []};
    if (!f.layer || !f.layer.eachLayer) { return; }
    var seen = function (el, into) {
      if (!el || el.style.display === 'none') { return; }
      var r = el.getBoundingClientRect();
      into.push([r.left - c.left, r.top - c.top, r.right - c.left, r.bottom - c.top]);
    };
    f.layer.eachLayer(function (l) {
      if (l instanceof L.Marker) { seen(l._icon, boxes.icons); }
      if (l.getTooltip && l.getTooltip()) { seen(l.getTooltip().getElement(), boxes.labels); }
      if (l instanceof L.Tooltip) { seen(l.getElement(), boxes.labels); }
    });
  });
  var b = m.getBounds();
  return JSON.stringify({features: out, west: b.getWest(), east: b.getEast(), zoom: m.getZoom(),
                         size: [m.getSize().x, m.getSize().y]});
})()"""


def inside(box, size):
    return box[0] >= 0 and box[1] >= 0 and box[2] <= size[0] and box[3] <= size[1]


def test_places_either_side_of_the_antimeridian_open_side_by_side_with_their_labels(qtbot, window, tmp_path):
    view = open_map(qtbot, window, tmp_path, [place("Suva", 178.44, -18.14), place("Lakeba", -178.8, -18.2),
                                              place("Nukualofa", -175.2, -21.14)])
    got = json.loads(js(qtbot, view, SHOWN))
    assert got["west"] < 180 < got["east"] and got["east"] - got["west"] < 20, got  # not the whole world
    assert got["zoom"] >= 4
    for fid in ("Suva", "Lakeba", "Nukualofa"):
        shown = got["features"][fid]
        assert [b for b in shown["icons"] if inside(b, got["size"])], (fid, shown)  # (a copy, for the western two)
        assert [b for b in shown["labels"] if inside(b, got["size"])], (fid, shown)
    # a click on a copy is one on the place: selected (its copies shown so), its popup where the copy is
    placed = json.loads(js(qtbot, view, """(function () {
      var a = SitMap.app, f = a.features['Lakeba'], copy = null, n = 0;
      f.layer.eachLayer(function (l) {
        if (l instanceof L.Marker) { n += 1; if (l !== f.main && l.getLatLng().lng > 180) { copy = l; } } });
      copy.fire('click', {latlng: copy.getLatLng()});
      return JSON.stringify([n, copy.getLatLng().lng, a.selected, copy._icon.classList.contains('sitmap-selected'),
                             f.main._icon.classList.contains('sitmap-selected'), a.openPopup ? a.openPopup.getLatLng().lng : null]);
    })()"""))
    # (its marker and its copy east of the world, the one the view shows: the copy west of it is made
    # only if the map shows that world)
    assert placed[0] == 2 and placed[1] == -178.8 + 360 and placed[2:5] == ["Lakeba", True, True], placed
    assert placed[5] == -178.8 + 360  # (the popup opens on the copy the user clicked, in view)
    # the pointer over a copy is over the place (its label, if it gave way to another, shows)
    hovered = json.loads(js(qtbot, view, """(function () {
      var f = SitMap.app.features['Lakeba'], seen = [], copy = null;
      f.layer.eachLayer(function (l) { if (l instanceof L.Marker && l.getLatLng().lng > 180) { copy = l; } });
      var note = function (e) { seen.push(e.type); };
      f.main.on('mouseover mouseout', note);
      copy.fire('mouseover', {latlng: copy.getLatLng()}); copy.fire('mouseout', {latlng: copy.getLatLng()});
      f.main.off('mouseover mouseout', note);
      return JSON.stringify(seen); })()"""))
    assert hovered == ["mouseover", "mouseout"]
    qtbot.waitUntil(lambda: window.editor.selection.primary == "Lakeba", timeout=5000)  # (the window's too)
    # flying to a place goes to its copy nearest the view, not round the world
    with qtbot.waitSignal(view.bridge.viewMoved, timeout=10_000):
        js(qtbot, view, "SitMap.app.focusFeature('Nukualofa'); 'ok'")
    qtbot.waitUntil(lambda: abs(json.loads(js(qtbot, view, "JSON.stringify(SitMap.app.map.getCenter())"))["lng"]
                                - (-175.2 + 360)) < 0.01, timeout=10_000)


def test_a_map_that_never_shows_a_copy_makes_no_copies_of_its_markers(qtbot, window):
    # (the built-in example: Korea, far from 180 degrees, at every zoom the window opens on)
    counts = json.loads(js(qtbot, window.map_view, """(function () {
      var a = SitMap.app, n = 0;
      Object.keys(a.features).forEach(function (id) {
        var f = a.features[id];
        if (f.layer && f.layer.eachLayer) { f.layer.eachLayer(function (l) { if (l instanceof L.Marker) { n += 1; } }); }
      });
      return JSON.stringify([a.worldCopies, Object.keys(a.copyable).length > 0, n]); })()"""))
    assert counts[0] is False and counts[1] is True
    # the markers on each world copy: [west of the map's world, east of it]
    sides = """(function () {
      var a = SitMap.app, n = [0, 0]; Object.keys(a.copyable).forEach(function (id) {
        a.features[id].layer.eachLayer(function (l) {
          var lng = l instanceof L.Marker && l.getLatLng().lng;
          if (lng > 180) { n[1] += 1; } else if (lng < -180) { n[0] += 1; } }); });
      return JSON.stringify(a.worldCopies ? n : null); })()"""
    js(qtbot, window.map_view, "SitMap.app.map.setView([20, 179], 5, {animate: false}); 'ok'")
    west, east = json.loads(js(qtbot, window.map_view, sides))
    assert east > 0 and west == 0  # panned across 180 eastward: the copies east of the world are made then
    js(qtbot, window.map_view, "SitMap.app.map.setView([20, -179], 5, {animate: false}); 'ok'")
    assert json.loads(js(qtbot, window.map_view, sides)) == [east, east]  # (and those west of it, once it shows them)


def test_the_many_points_are_painted_and_found_on_the_copy_across_the_antimeridian(qtbot, window, tmp_path):
    points = []
    for k in range(600):  # (more than 500 plain points: the point layer draws them)
        lon = 178.0 + (k % 30) * 0.05 if k % 2 else -178.0 - (k % 30) * 0.05
        points.append(place(f"p{k}", round(lon, 4), round(-20.0 + (k // 30) * 0.2, 4), annotation=True))
    view = open_map(qtbot, window, tmp_path, points)
    assert js(qtbot, view, "!!SitMap.app.pointLayer && SitMap.app.pointLayer.count()") == 600
    got = json.loads(js(qtbot, view, SHOWN))
    assert got["west"] < 180 < got["east"] and got["east"] - got["west"] < 20, got
    # a point west of 180 on the copy east of it: painted there, and found there by the pointer
    probe = """(function () {
      var a = SitMap.app, m = a.map, c = a.pointLayer, out = [];
      ['p0', 'p2', 'p58', 'p1'].forEach(function (id) {
        var f = a.features[id], ll = f.getLatLng(), at = L.latLng(ll.lat, ll.lng < 0 ? ll.lng + 360 : ll.lng);
        var p = m.latLngToLayerPoint(at), b = c._bounds, r = L.Browser.retina ? 2 : 1;
        var px = c._ctx.getImageData(Math.round((p.x - b.min.x) * r), Math.round((p.y - b.min.y) * r), 1, 1).data;
        var q = m.latLngToContainerPoint(at), i = c.nearest(p);
        out.push([id, px[3], i >= 0 ? c.options.target(i).id : null, q.x, q.y]);
      });
      return JSON.stringify(out); })()"""
    qtbot.waitUntil(lambda: all(row[1] > 0 for row in json.loads(js(qtbot, view, probe))), timeout=10_000)
    for fid, alpha, found, x, y in json.loads(js(qtbot, view, probe)):
        assert 0 < x < got["size"][0] and 0 < y < got["size"][1], fid  # on screen
        assert alpha > 0 and found == fid, (fid, alpha, found)


def test_zoom_to_scenario_frames_places_either_side_of_the_antimeridian_not_the_world(qtbot, window, tmp_path):
    view = open_map(qtbot, window, tmp_path, [place("Suva", 178.44, -18.14), place("Lakeba", -178.8, -18.2)]
                    + [place(f"p{k}", -179.5 + k * 0.001, -25.0, annotation=True) for k in range(300)]
                    + [place(f"q{k}", 179.5 - k * 0.001, -25.0, annotation=True) for k in range(300)])
    js(qtbot, view, "SitMap.app.map.setView([0, 0], 3, {animate: false}); 'ok'")
    with qtbot.waitSignal(view.bridge.viewMoved, timeout=10_000):
        window.act_zoom_scenario.trigger()  # (View > Zoom to Scenario, Ctrl+0)
    got = json.loads(js(qtbot, view, SHOWN))
    # the event's frame is its annotations (the places are the map's context): both sides of 180
    # (before: -179.5 to 179.5, the whole world at zoom 1)
    assert got["west"] < 179.201 and got["east"] > 180.799 and got["east"] - got["west"] < 15, got
    assert got["zoom"] >= 6
    # the point layer's own bounds: across 180 as well
    pb = json.loads(js(qtbot, view, "JSON.stringify(SitMap.points.bounds().toBBoxString().split(',').map(Number))"))
    assert abs(pb[0] - 179.201) < 1e-9 and abs(pb[2] - 180.799) < 1e-9, pb


def test_the_narrowest_span_in_the_page_is_the_one_python_works_out(qtbot, window):
    from viewer.model.lon_span import narrowest_span

    cases = [[10.0, 20.0], [179.0, -179.0], [-170.0, 170.0, 0.0], [float(x) for x in range(-180, 180, 10)],
             [175.0, -175.0, -100.0], [120.0, -60.0]]
    for lons in cases:
        got = js(qtbot, window.map_view, "(function () { var s = SitMap.lonSpan(); %s.forEach(function (x) { s.add(x); });"
                 " return JSON.stringify(s.span()); })()" % json.dumps(lons))
        assert json.loads(got) == list(narrowest_span(lons)), lons
    # a line's box (east past 180) and a place beyond it: the span holds the whole box
    got = js(qtbot, window.map_view, "(function () { var s = SitMap.lonSpan(); s.add(170, 190); s.add(-160);"
             " return JSON.stringify(s.span()); })()")
    assert json.loads(got) == [170, 200]


def test_a_feature_picked_on_a_copy_is_edited_there(qtbot, window, tmp_path):
    line = {"type": "Feature", "id": "route", "geometry": {"type": "LineString", "coordinates": [[170.0, 10.0], [-170.0, 12.0]]},
            "properties": {"kind": "path", "name": "route", "status": "estimated", "source": "test", "annotation": True}}
    view = open_map(qtbot, window, tmp_path, [place("Suva", 178.44, -18.14, annotation=True),
                                              place("Lakeba", -178.8, -18.2, annotation=True), line])
    handles = "JSON.stringify(SitMap.draw.handles.getLayers().map(function (h) { return h.getLatLng().lng; }))"
    # the place west of 180, clicked on its copy east of it: its handle there, dragged there
    js(qtbot, view, """(function () {
      var f = SitMap.app.features['Lakeba'], copy = null;
      f.layer.eachLayer(function (l) { if (l instanceof L.Marker && l.getLatLng().lng > 180) { copy = l; } });
      copy.fire('click', {latlng: copy.getLatLng()}); return 'ok'; })()""")
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.draw.handleCount()") == 1, timeout=5000)
    assert json.loads(js(qtbot, view, handles)) == [-178.8 + 360]  # (before: at -178.8, out of view)
    js(qtbot, view, "SitMap.draw.dragHandle(0, -18.0, 181.5); 'ok'")
    qtbot.waitUntil(lambda: window.doc.feature("Lakeba").geometry["coordinates"][:2] == [-178.5, -18.0], timeout=5000)
    # a line across 180 seen on the copy west of the world: its handles side by side there
    js(qtbot, view, "SitMap.app.map.setView([11, -175], 6, {animate: false}); 'ok'")
    with qtbot.waitSignal(view.bridge.featureSelected, timeout=5000):
        js(qtbot, view, "SitMap.app.features['route'].main.fire('click', {latlng: L.latLng(11, -175)}); 'ok'")
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.draw.handleCount()") == 2, timeout=5000)
    assert json.loads(js(qtbot, view, handles)) == [170.0 - 360, -170.0]


def test_a_found_place_across_180_is_shown_on_the_copy_nearest_the_view(qtbot, window, tmp_path):
    view = open_map(qtbot, window, tmp_path, [place("Suva", 178.44, -18.14), place("Lakeba", -178.8, -18.2)])
    js(qtbot, view, "SitMap.app.map.setView([-18, 179.5], 6, {animate: false}); 'ok'")
    with qtbot.waitSignal(view.bridge.viewMoved, timeout=10_000):
        window.map_view.call("showPlace", -21.14, -175.2, "Nuku'alofa", 6)
    got = json.loads(js(qtbot, view, "JSON.stringify([SitMap.app.foundPlace.getLatLng().lng, SitMap.app.map.getCenter().lng])"))
    assert got[0] == pytest.approx(-175.2 + 360)  # (before: -175.2, flown 355 degrees west round the world)
    qtbot.waitUntil(lambda: abs(json.loads(js(qtbot, view, "JSON.stringify(SitMap.app.map.getCenter().lng)")) - 184.8) < 0.01,
                    timeout=10_000)
