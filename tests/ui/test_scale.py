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

    # The many points are canvas circles; the scenario's own markers keep their symbols.
    kinds = json.loads(js(qtbot, view, "JSON.stringify([SitMap.app.features['p-17'].main instanceof L.CircleMarker,"
                                       " SitMap.app.features['launch-point'].main instanceof L.Marker,"
                                       " SitMap.app.map.hasLayer(SitMap.app.features['p-17'].layer)])"))
    assert kinds == [True, True, True]

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
