"""Labels placed together measure the page once: when many labels join the map at once (a map's
start, its world copies first shown), the page reads every label's size before it places any of
them, instead of reading one, placing it (which changes the page) and reading the next (each read
then lays the page out again). Each label ends where Leaflet's own placement puts it."""

from __future__ import annotations

import json

from tests.ui.conftest import READY_MS, js


def place(fid, lon, lat):
    props = {"kind": "place", "name": f"Place {fid}", "status": "reported", "source": "test"}
    return {"type": "Feature", "id": fid, "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


# Spies: a label's size read through the page (HTMLElement's offsetWidth/offsetHeight) and a
# label placed (Leaflet's Tooltip._setPosition), logged in order.
SPY = """(function () {
  var log = window.__placeLog = [], proto = HTMLElement.prototype, placing = 0;
  ['offsetWidth', 'offsetHeight'].forEach(function (name) {
    var d = Object.getOwnPropertyDescriptor(proto, name);
    Object.defineProperty(proto, name, { configurable: true, get: function () {
      if (this.classList.contains('leaflet-tooltip')) { log.push(placing ? 'read-while-placing' : 'read'); }
      return d.get.call(this);
    } });
  });
  var setPos = L.Tooltip.prototype._setPosition;
  L.Tooltip.prototype._setPosition = function () {
    log.push('place');
    placing += 1;
    try { return setPos.apply(this, arguments); } finally { placing -= 1; }
  };
  return true;
})()"""

# Each copy's label: where it is now, and where Leaflet's own placement puts it (run once more,
# one label at a time, outside any batch).
POSITIONS = """(function () {
  var out = [];
  SitMap.app.map.eachLayer(function (l) {
    if (!(l instanceof L.Tooltip) || !l._container) { return; }
    var now = [l._container._leaflet_pos.x, l._container._leaflet_pos.y, l._container.className];
    l._updatePosition();
    out.push([now, [l._container._leaflet_pos.x, l._container._leaflet_pos.y, l._container.className]]);
  });
  return JSON.stringify(out);
})()"""


def test_labels_shown_together_are_measured_before_any_is_placed(qtbot, window, tmp_path):
    features = [place(f"p{i}", 150.0 + i * 0.9, -20.0 + (i % 5) * 1.3) for i in range(24)]
    path = tmp_path / "pacific.sitmap.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "sitmap": {"title": "Pacific"}, "features": features}),
                    encoding="utf-8")
    view = window.map_view
    with qtbot.waitSignal(view.mapReady, timeout=READY_MS):
        assert window.open_path(path)
    assert js(qtbot, view, "SitMap.app.worldCopies") is False  # (the map opens west of 180 degrees)
    assert js(qtbot, view, SPY) is True

    # The view moved east across 180 degrees: the places' copies east of it join the map at once.
    with qtbot.waitSignal(view.bridge.viewMoved, timeout=10_000):
        view.run_js("SitMap.app.map.setView([-18, 179.5], SitMap.app.map.getZoom(), {animate: false})")
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.worldCopies") is True, timeout=10_000)
    log = json.loads(js(qtbot, view, "JSON.stringify(window.__placeLog)"))

    placed = log.count("place")
    assert placed >= 24, log  # every copy's label placed
    assert "read-while-placing" not in log, log
    # each label's width and height read once, all of them before the first is placed
    first = log.index("place")
    assert log[:first] == ["read"] * (2 * placed), log
    assert log[first:] == ["place"] * placed, log

    positions = json.loads(js(qtbot, view, POSITIONS))
    assert len(positions) >= 2 * 24  # the labels and their copies' labels
    for now, own in positions:
        assert now == own
