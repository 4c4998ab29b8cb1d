"""Ids and labels are keys like any other in the page: a layer labelled "__proto__", two layers of
one label, and features whose ids are names of JavaScript's own (valueOf, constructor, toString)
draw, count, select and go as any other (the page once never became ready, or lost such a feature)."""

import json

from tests.ui.conftest import READY_MS, js


def _point(fid, lon, layer=None):
    props = {"name": fid, "kind": "place", "annotation": True}
    if layer:
        props["layer"] = layer
    return {"type": "Feature", "id": fid, "geometry": {"type": "Point", "coordinates": [lon, 39.0]}, "properties": props}


def test_odd_ids_and_layer_labels_draw_and_behave(window, qtbot, tmp_path):
    doc = {"type": "FeatureCollection",
           "sitmap": {"version": 2, "title": "Keys",
                      "layers": [{"id": "layer-1", "label": "__proto__", "visible": True, "locked": False},
                                 {"id": "layer-2", "label": "Sites", "visible": True, "locked": False},
                                 {"id": "layer-3", "label": "Sites", "visible": True, "locked": False}]},
           "facts": [],
           "features": [_point("valueOf", 125.0, "layer-1"), _point("constructor", 125.5, "layer-2"),
                        _point("toString", 126.0, "layer-3"), _point("ordinary", 126.5)]}
    path = tmp_path / "keys.sitmap.geojson"
    path.write_text(json.dumps(doc))
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert window.open_path(path) is True
    state = json.loads(js(qtbot, window.map_view, """JSON.stringify({
        total: SitMap.app.featureTotal,
        has: ['valueOf', 'constructor', 'toString', 'ordinary', 'hasOwnProperty'].map(function (k) {
          var f = SitMap.app.features[k]; return !!f && typeof f === 'object'; }),
        overlays: SitMap.app.layerControl._layers.filter(function (l) { return l.overlay; }).map(function (l) { return l.name; })
    })"""))
    assert state["total"] == 4 and state["has"] == [True, True, True, True, False]
    names = state["overlays"]
    assert all(names.count(n) == 1 for n in ("__proto__", "Sites", "Sites (2)")), names
    after = json.loads(js(qtbot, window.map_view, """(function () {
        SitMap.app.select('valueOf', false);
        var removed = SitMap.app.removeFeature('constructor');
        return JSON.stringify({selected: SitMap.app.selected, removed: removed,
                               left: typeof SitMap.app.features['constructor'],
                               none: SitMap.app.removeFeature('hasOwnProperty')});
    })()"""))
    assert after == {"selected": "valueOf", "removed": True, "left": "undefined", "none": False}
    assert [m for m in window.map_view.console if "Uncaught" in m] == []
