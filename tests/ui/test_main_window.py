"""The real window with the real QtWebEngine page."""

import json

import pytest

from tests.ui.conftest import READY_MS, js
from viewer.model import geodesy


def test_every_scenario_layer_is_drawn_in_the_page(window, qtbot):
    state = window.map_view.state
    expected = {f.id for f in window.scenario.features}
    assert set(state["features"]) == expected
    assert all(f["visible"] for f in state["features"].values())
    assert state["basemapLoaded"] is True
    assert state["features"]["ring-380km"]["shape"] == "polygon"
    assert state["features"]["launch-point"]["shape"] == "marker"
    # The map opens on the Korean peninsula and north-east China.
    lat, lng = state["center"]
    assert 35 < lat < 42 and 120 < lng < 133


def test_ring_in_the_page_is_the_geodesic_polygon_python_computed(window, qtbot):
    pts = js(qtbot, window.map_view,
             "JSON.stringify(SitMap.app.features['ring-380km'].main.getLatLngs().flat(3).map(p => [p.lat, p.lng]))")
    pts = json.loads(pts)
    assert len(pts) > 60
    for lat, lng in pts:
        d, _, _ = geodesy.distance_bearing(39.2002, 125.6733, lat, lng)
        assert d == pytest.approx(380_000, abs=1.0)  # 6-decimal rounding on the way: ~0.1 m
    legend = js(qtbot, window.map_view, "document.querySelector('.sitmap-legend').textContent")
    assert "Range ring, 380 km" in legend and "Estimated impact area" in legend


def test_clicking_a_fact_flies_the_map_to_its_place(window, qtbot):
    with qtbot.waitSignal(window.map_view.bridge.viewMoved, timeout=10_000,
                          check_params_cb=lambda lat, lng, zoom: zoom >= 12) as blocker:
        window.facts.activate_fact("rail-conditions")  # the Friendship Bridge
    lat, lng, zoom = blocker.args
    assert lat == pytest.approx(40.1164, abs=0.01) and lng == pytest.approx(124.3906, abs=0.01)
    assert js(qtbot, window.map_view, "SitMap.app.selected") == "friendship-bridge"


def test_clicking_a_feature_selects_its_facts(window, qtbot):
    with qtbot.waitSignal(window.map_view.bridge.featureSelected, timeout=10_000):
        window.map_view.run_js("SitMap.app.features['ring-380km'].main.fire('click')")
    assert window.facts.selected_fact_ids() == ["range"]
    with qtbot.waitSignal(window.map_view.bridge.featureSelected, timeout=10_000):
        window.map_view.run_js("SitMap.app.features['launch-point'].main.fire('click')")
    assert set(window.facts.selected_fact_ids()) >= {"launch-time", "launch-count", "type-kcna"}


def test_hiding_a_layer_from_the_view_menu_hides_it_in_the_page(window, qtbot):
    act = window._group_actions["rings"]
    act.setChecked(False)
    qtbot.waitUntil(lambda: js(qtbot, window.map_view, "SitMap.app.state().groups.rings") is False, timeout=5000)
    legend = js(qtbot, window.map_view, "document.querySelector('.sitmap-legend').textContent")
    assert "Range ring" not in legend
    act.setChecked(True)
    qtbot.waitUntil(lambda: js(qtbot, window.map_view, "SitMap.app.state().groups.rings") is True, timeout=5000)


def test_pointer_position_shows_in_the_status_bar(window, qtbot):
    with qtbot.waitSignal(window.map_view.bridge.pointerAt, timeout=5000):
        window.map_view.run_js("SitMap.app.map.fire('mousemove', {latlng: L.latLng(39.2002, 125.6733)})")
    assert window.pointer_label.text() == "39.20020\u00b0 N, 125.67330\u00b0 E"


def test_default_run_makes_no_request_that_leaves_the_machine(window, qtbot):
    guard = window.map_view.network_guard
    assert guard.requests, "the interceptor saw no request at all"
    remote = [u for u in guard.requests if not u.startswith(("sitmap:", "qrc:", "data:", "blob:", "about:"))]
    assert remote == []
    assert any(u.endswith("leaflet/leaflet.js") for u in guard.requests)
    assert window.map_view.state["basemapLoaded"] is True  # (its first view's tiles carried in the page)
    js(qtbot, window.map_view, "SitMap.app.map.setZoom(7, {animate: false}); true")  # (the rest asked of the app)
    qtbot.waitUntil(lambda: any("/basemap/" in u for u in guard.requests), timeout=30_000)
    assert [u for u in guard.requests if not u.startswith(("sitmap:", "qrc:", "data:", "blob:", "about:"))] == []


def test_a_bad_file_shows_why_and_keeps_the_open_map(window, qtbot, tmp_path):
    bad = tmp_path / "broken.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    before = window.scenario
    assert window.open_path(bad) is False
    assert window.scenario is before
    assert "broken.geojson" in window._error_box.text() and "not valid JSON" in window._error_box.text()
    assert js(qtbot, window.map_view, "Object.keys(SitMap.app.features).length") == len(before.features)


def test_opening_another_scenario_redraws_and_remembers_it(window, qtbot, tmp_path):
    from viewer import resources

    doc = json.loads(resources.default_scenario().read_text(encoding="utf-8"))
    doc["sitmap"]["title"] = "Fiji test"
    doc["features"] = [{"type": "Feature", "id": "fiji", "geometry": {"type": "Point", "coordinates": [178.0, -17.7]},
                        "properties": {"kind": "range_ring", "radius_m": 2_000_000, "name": "Fiji ring"}}]
    doc["facts"] = []
    doc["sitmap"]["view"] = {"center": [-17.7, 178.0], "zoom": 3}
    p = tmp_path / "fiji.geojson"
    p.write_text(json.dumps(doc), encoding="utf-8")
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert window.open_path(p)
    assert list(window.map_view.state["features"]) == ["fiji"]
    assert window.recent_files()[0] == str(p)
    assert "Fiji test" in window.windowTitle()


def test_window_size_and_splitter_are_remembered(qtbot, settings, tmp_path):
    from viewer.ui.main_window import MainWindow

    w = MainWindow(settings=settings, data_dir=tmp_path)
    qtbot.addWidget(w)
    w.resize(731, 555)
    w.show()
    w.splitter.setSizes([450, 281])
    sizes = w.splitter.sizes()
    w.close()
    w2 = MainWindow(settings=settings, data_dir=tmp_path)
    qtbot.addWidget(w2)
    w2.show()
    assert w2.size().width() == 731 and w2.size().height() == 555
    assert w2.splitter.sizes() == sizes


def test_menus_and_shortcuts_exist(window):
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&Tools", "&View", "&Help"]
    assert window.act_open.shortcut().toString() == "Ctrl+O"
    assert window.act_quit.shortcut().toString() == "Ctrl+Q"
    assert not window.windowIcon().isNull()


def test_facts_panel_shows_source_and_status_for_each_fact(window):
    from viewer.ui.history_window import COMPARED_GROUP

    tree = window.facts.tree
    # the map's six groups, then SitMap's derived comparison with the launch history
    assert tree.topLevelItemCount() == 7 and tree.topLevelItem(6).text(0) == COMPARED_GROUP
    item = window.facts.item_for("type-kcna")
    assert item.text(2).startswith("KCNA") and item.text(3) == "claimed"
    item = window.facts.item_for("dist-seoul")
    assert item.text(1).startswith("215 km") and item.text(3) == "derived"


def test_online_layer_is_let_through_only_when_chosen_and_failure_is_reported(qtbot, settings):
    """A tile host that refuses at once (a closed port on this machine) stands in for a dead network."""
    from viewer import resources
    from viewer.model.scenario import load_scenario
    from viewer.render.page import PageOptions
    from viewer.ui.map_view import MapView

    view = MapView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    spec = {"name": "Test tiles (online)", "url": "http://127.0.0.1:9/{z}/{x}/{y}.png", "attribution": "test",
            "maxZoom": 10}
    with qtbot.waitSignal(view.mapReady, timeout=READY_MS):
        view.show_scenario(load_scenario(resources.default_scenario()), opts=PageOptions(online_specs=[spec]))
    assert view.network_guard.allowed_hosts == set()
    with qtbot.waitSignal(view.bridge.onlineTileError, timeout=20_000) as blocker:
        view.run_js("SitMap.app.map.addLayer(SitMap.app.online['Test tiles (online)'].holder)")
    assert blocker.args == ["Test tiles (online)"]
    assert view.network_guard.allowed_hosts == {"127.0.0.1"}
    assert any(u.startswith("http://127.0.0.1:9/") for u in view.network_guard.requests)


def test_in_range_tab_lists_seoul_inside_the_380_km_ring(window, qtbot):
    panel = window.range_panel
    qtbot.waitUntil(lambda: bool(panel.result_data), timeout=20_000)
    head = panel.tree.topLevelItem(0)
    names = {head.child(i).text(0): head.child(i) for i in range(head.childCount())}
    assert "Seoul" in names
    assert float(names["Seoul"].text(2).split()[0]) == pytest.approx(215, abs=2)
    assert "places" in head.text(0)
    panel.from_box.setCurrentIndex(panel.from_box.findData("dandong-station"))
    panel.to_box.setCurrentIndex(panel.to_box.findData("sinuiju-station"))
    assert panel.result.text().startswith("2.35 km = 1.27 nmi")


def test_find_place_flies_to_it_offline(window, qtbot):
    with qtbot.waitSignal(window.map_view.bridge.viewMoved, timeout=10_000,
                          check_params_cb=lambda lat, lng, zoom: zoom >= 9 and abs(lat - 35.68) < 0.2):
        assert window.find_place("Tokyo")
    assert js(qtbot, window.map_view, "SitMap.app.foundPlace.getLatLng().lng") == pytest.approx(139.69, abs=0.1)
    assert not window.find_place("Qqqqzzzz")


def test_profile_shows_a_depressed_trajectory(window):
    assert window.profile.isVisible()
    assert window.profile.assessment.kind == "depressed"
    assert "sin" in window.profile.toolTip()


def test_analyst_adds_a_ring_by_radius_and_it_is_drawn_geodesic(window, qtbot):
    from viewer.ui.ring_dialog import RingDialog

    dlg = RingDialog(window.scenario, window, centre_id="launch-point")
    dlg.unit.setCurrentText("nmi")
    dlg.radius.setValue(540)
    values = dlg.values()
    assert values["radius_m"] == pytest.approx(540 * 1852)
    fid = window.add_ring(**values)
    qtbot.waitUntil(lambda: js(qtbot, window.map_view, f"!!SitMap.app.features['{fid}']") is True, timeout=5000)
    pts = json.loads(js(qtbot, window.map_view,
                        f"JSON.stringify(SitMap.app.features['{fid}'].main.getLatLngs().flat(3).map(p => [p.lat, p.lng]))"))
    for lat, lng in pts:
        assert geodesy.distance_bearing(39.2002, 125.6733, lat, lng)[0] == pytest.approx(540 * 1852, abs=1.0)
    legend = js(qtbot, window.map_view, "document.querySelector('.sitmap-legend').textContent")
    assert "540 nmi" in legend
    qtbot.waitUntil(lambda: fid in window.range_panel.result_data, timeout=20_000)
    assert window.range_panel.result_data[fid]["total"] > window.range_panel.result_data["ring-380km"]["total"]


def test_ring_dialog_refuses_a_bad_typed_centre(window):
    from viewer.ui.ring_dialog import RingDialog

    dlg = RingDialog(window.scenario, window)
    dlg.centre.setCurrentIndex(0)
    dlg.coordinate.setText("95 N, 10 E")
    with pytest.raises(ValueError, match="latitude"):
        dlg.values()
    dlg.accept()
    assert "latitude" in dlg.error.text() and dlg.result() == 0


def test_second_start_draws_the_cached_page_of_the_same_scenario(qtbot, settings, tmp_path, monkeypatch):
    import viewer.app as app_mod
    from viewer.render.page_cache import PageCache
    from viewer.ui.main_window import MainWindow

    cache = PageCache(tmp_path / "pages")
    monkeypatch.setattr(app_mod, "page_cache", lambda: cache)
    pages = []
    for _ in range(2):
        w = MainWindow(settings=settings, data_dir=tmp_path / "data")
        qtbot.addWidget(w)
        w.show()
        with qtbot.waitSignal(w.map_view.mapReady, timeout=READY_MS):
            assert app_mod.open_first_scenario(w, None) is None
        pages.append(w.map_view.page_html)
        assert set(w.map_view.state["features"]) == {f.id for f in w.scenario.features}
        assert len(list((tmp_path / "pages").glob("*.json"))) == 1
    assert pages[0] == pages[1]


def test_the_start_up_adds_the_history_tab_once_the_map_is_on_screen(qtbot, settings, tmp_path, monkeypatch):
    """The app's start-up builds the window without the History tab, which it adds once the first
    map is up: the tab, View > Launch History and the history layer then work as always, and the
    map keeps its size."""
    import viewer.app as app_mod
    from viewer.render.page_cache import PageCache

    monkeypatch.setattr(app_mod, "page_cache", lambda: PageCache(tmp_path / "pages"))
    w, first = app_mod.make_window(None, settings=settings, data_dir=tmp_path / "data")
    w.maybe_keep_changes = lambda: True
    qtbot.addWidget(w)

    def tabs() -> list[str]:
        return [w.side.tabText(i) for i in range(w.side.count())]

    assert "History" not in tabs() and getattr(w, "history_panel", None) is None
    fills, taken = [], []
    from viewer.ui.facts_panel import FactsPanel

    fill = FactsPanel.set_scenario  # (the side panels are made once the map is up)
    monkeypatch.setattr(FactsPanel, "set_scenario", lambda panel, scenario: (fills.append(scenario),
                                                                            fill(panel, scenario)))
    from viewer.ui.history_panel import HistoryPanel

    take = HistoryPanel.set_scenario
    monkeypatch.setattr(HistoryPanel, "set_scenario", lambda panel, scenario: (taken.append(scenario),
                                                                                 take(panel, scenario)))
    w.show()
    with qtbot.waitSignal(w.map_view.mapReady, timeout=READY_MS):
        assert app_mod.open_first_scenario(w, None, first) is None
    size = w.map_view.size()
    qtbot.waitUntil(lambda: getattr(w, "history_panel", None) is not None and w.is_built, timeout=5000)
    assert tabs()[-1] == "History" and w.install_history() is w.history_panel  # (added once)
    # the tab came before the facts, which were filled once, with its group comparing with the
    # history; the tab took the map once, as it was announced
    assert len(fills) == 1 and w.facts.tree.topLevelItemCount() == 7
    assert taken == [w.scenario]
    view_menu = next(a.menu() for a in w.menuBar().actions() if a.text().replace("&", "") == "View")
    assert w.act_history in view_menu.actions()
    w.act_history.setChecked(True)
    qtbot.waitUntil(lambda: js(qtbot, w.map_view, "SitMap.history.state().on") is True, timeout=10_000)
    assert w.side.currentWidget() is w.history_panel and w.map_view.size() == size


def test_a_first_start_loads_the_page_before_it_fills_the_panels(qtbot, settings, tmp_path, monkeypatch):
    """Without a cached page, the start-up builds the map's page and lets it load first; the facts,
    the title and the places in range follow once the map is on screen, as after a cached start."""
    import viewer.app as app_mod
    from viewer.render.page_cache import PageCache

    monkeypatch.setattr(app_mod, "page_cache", lambda: PageCache(tmp_path / "pages"))
    w, first = app_mod.make_window(None, settings=settings, data_dir=tmp_path / "data")
    w.maybe_keep_changes = lambda: True
    qtbot.addWidget(w)
    layered = []
    from viewer.ui.layers_panel import LayersPanel

    set_layers = LayersPanel.set_layers  # (the side panels are made once the map is up)
    monkeypatch.setattr(LayersPanel, "set_layers", lambda panel, layers: (layered.append(layers),
                                                                          set_layers(panel, layers)))
    w.show()
    assert first.hit is None
    with qtbot.waitSignal(w.map_view.mapReady, timeout=READY_MS):
        assert app_mod.open_first_scenario(w, None, first) is None
        assert w.map_view.page_html and not w.is_built and w.windowTitle() == "SitMap"
    qtbot.waitUntil(lambda: w.is_built, timeout=READY_MS)
    assert set(w.map_view.state["features"]) == {f.id for f in w.scenario.features}
    assert w.facts.tree.topLevelItemCount() >= 6 and w.windowTitle().startswith(w.scenario.title)
    # what follows the map (its layers, places in range) was done once: the layers panel was given
    # the map's layers, then its saved arrangement of them (the built-in map has one)
    assert w.scenario.layers and len(layered) == 2
    qtbot.waitUntil(lambda: "ring-380km" in w.range_panel.result_data, timeout=READY_MS)
    assert w.range_panel.result_data["ring-380km"]["total"] > 0


def test_a_large_map_at_start_fills_its_panels_before_its_page_loads(qtbot, settings, tmp_path, monkeypatch):
    """A map whose page fetches its features as a JSON batch has its panels (and the History tab)
    filled at once: they take long enough that a pan right after the map appears would otherwise
    wait on them."""
    import viewer.app as app_mod
    from tools.big_projects import write_points_project
    from viewer.render.page_cache import PageCache

    monkeypatch.setattr(app_mod, "page_cache", lambda: PageCache(tmp_path / "pages"))
    big = write_points_project(tmp_path / "big.sitmap.geojson", 3000, 1)
    w, first = app_mod.make_window(big, settings=settings, data_dir=tmp_path / "data")
    w.maybe_keep_changes = lambda: True
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.map_view.mapReady, timeout=READY_MS):
        assert app_mod.open_first_scenario(w, big, first) is None
        assert w.map_view.page_data and w.windowTitle().startswith(w.scenario.title)
        assert w.facts.tree.topLevelItemCount() >= 6 and w.history_panel is not None  # (the History tab too)
    assert first.raw is None  # (the file's bytes, megabytes for a large map, are not kept once read)
    data = w.map_view.page_data  # (the batches the page was given, still known once it is up)
    assert data and all(w.map_view.scheme_handler._data[name] is body for name, body in data.items())


def test_a_map_opened_before_the_first_is_up_follows_it_in_turn(qtbot, settings, tmp_path, monkeypatch):
    """A second map opened while the start-up's map is still loading (a file handed over by another
    start): the first map's panels, title and recent entry come first, then the second's."""
    import viewer.app as app_mod
    from viewer import resources
    from viewer.render.page_cache import PageCache

    monkeypatch.setattr(app_mod, "page_cache", lambda: PageCache(tmp_path / "pages"))
    alpha, bravo = tmp_path / "alpha.sitmap.geojson", tmp_path / "bravo.sitmap.geojson"
    for p in (alpha, bravo):
        p.write_bytes(resources.default_scenario().read_bytes())
    from PySide6.QtCore import QObject, Signal

    from viewer.ui import opening

    class Server(QObject):  # (what viewer.ui.single_instance hands the window)
        activated = Signal()
        fileReceived = Signal(str)

    w, first = app_mod.make_window(alpha, settings=settings, data_dir=tmp_path / "data")
    w.maybe_keep_changes = lambda: True
    qtbot.addWidget(w)
    server = Server()
    opening.serve_window(server, w)
    w.show()
    titles = []
    w.windowTitleChanged.connect(titles.append)
    assert app_mod.open_first_scenario(w, alpha, first) is None
    server.fileReceived.emit(str(bravo))
    qtbot.waitUntil(lambda: w.scenario_path == bravo, timeout=READY_MS)
    assert [t.split(" \u2014 ")[1].rstrip("[*]") for t in titles[:2]] == [alpha.name, bravo.name]
    assert w.scenario_path == bravo and w.facts.tree.topLevelItemCount() >= 6
    assert w.files.recent_files()[:2] == [str(bravo), str(alpha)]


def test_a_bad_file_at_start_shows_the_built_in_map_and_says_why(qtbot, settings, tmp_path, monkeypatch):
    import viewer.app as app_mod
    from viewer.render.page_cache import PageCache
    from viewer.ui.main_window import MainWindow

    monkeypatch.setattr(app_mod, "page_cache", lambda: PageCache(tmp_path / "pages"))
    bad = tmp_path / "bad.geojson"
    bad.write_text("{", encoding="utf-8")
    w = MainWindow(settings=settings, data_dir=tmp_path / "data")
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.map_view.mapReady, timeout=READY_MS):
        error = app_mod.open_first_scenario(w, bad)
    assert error.startswith("bad.geojson") and w.scenario.title.startswith("North Korea")


def test_the_app_serves_the_page_scripts_bundle_and_the_page_asks_for_it_once(window):
    from viewer.render.page_assets import PAGE_BUNDLE, page_bundle

    handler = window.map_view.scheme_handler
    mime, body = handler.resolve("/" + PAGE_BUNDLE)
    assert mime == b"text/javascript" and body == page_bundle().encode("utf-8")
    asked = [u for u in window.map_view.network_guard.requests if u.startswith("sitmap://app/js/")]
    assert asked and set(asked) == {"sitmap://app/" + PAGE_BUNDLE}, asked


def test_basemap_tiles_at_whole_device_pixels_have_no_bleed_and_at_a_page_zoom_they_do(window, qtbot):
    """A tile reaches a pixel into its neighbours only where tiles can meet between device pixels
    (tests/export/test_png.py, the seam): in the window at 100% they meet exactly, and each tile
    is drawn without the copy the bleed costs."""
    tiles = """JSON.stringify(Array.prototype.map.call(document.querySelectorAll('canvas.sitmap-basemap-tile'),
        function (c) { return [c.width, c.height, c._sitmap ? c._sitmap.coords.z : null]; }))"""
    sizes = json.loads(js(qtbot, window.map_view, tiles))
    assert sizes and all(s[:2] == [256, 256] for s in sizes), sizes
    window.map_view.setZoomFactor(1.25)
    qtbot.waitUntil(lambda: js(qtbot, window.map_view, "window.devicePixelRatio") == 1.25, timeout=5000)
    zoom = js(qtbot, window.map_view, "SitMap.app.map.getZoom()") + 1
    js(qtbot, window.map_view, f"SitMap.app.map.setZoom({zoom}, {{animate: false}}), 1")

    def drawn_at_new_zoom() -> list:
        return [s for s in json.loads(js(qtbot, window.map_view, tiles)) if s[2] == zoom]

    qtbot.waitUntil(lambda: len(drawn_at_new_zoom()) > 0, timeout=10_000)
    assert all(s[:2] == [322, 322] for s in drawn_at_new_zoom())  # 256 x 1.25, and a bleed of 2 device px


def test_the_start_up_window_is_built_without_the_history_panel_or_the_file_readers(tmp_path):
    """What the first map does not need is imported later: the History tab's panel once the map
    is up, the readers of other tools' files once a file is opened."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys\n"
        "from PySide6.QtCore import QSettings\n"
        "from viewer.app import make_application, make_window, prepare_qt_environment\n"
        "prepare_qt_environment(headless=True)\n"
        "app = make_application(sys.argv)\n"
        f"w, first = make_window(None, settings=QSettings({str(tmp_path / 's.ini')!r}, QSettings.Format.IniFormat), "
        f"data_dir={str(tmp_path / 'data')!r})\n"
        "print(','.join(sorted(m for m in ('viewer.ui.history_panel', 'viewer.ui.history_window', 'viewer.model.io.kml',\n"
        "    'viewer.model.io.gpx', 'viewer.model.io.csv_points', 'viewer.model.io.open_any',\n"
        # (nor what a staged window builds once its map is up: the map's model, its drawing, the
        # side panels, the drawing tools' geodesy)
        "    'viewer.model.scenario', 'viewer.render.layers', 'viewer.ui.facts_panel', 'viewer.ui.range_panel',\n"
        "    'viewer.logic.tools', 'viewer.model.document') if m in sys.modules)))\n"
        "import os; os._exit(0)\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_CACHE_HOME=str(tmp_path / "cache"))
    env["QTWEBENGINE_CHROMIUM_FLAGS"] = (env.get("QTWEBENGINE_CHROMIUM_FLAGS", "") + " --no-sandbox").strip()
    out = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == ""


def test_a_built_in_tile_draws_its_bleed_from_its_geometry_and_a_tile_without_edge_copies_its_edge(window, qtbot):
    """The built-in tiles' geometry reaches 4 px past their edges ("edge"): their bleed is drawn,
    without the copy of the whole tile a copied edge costs. A tile that does not say so (a tile
    package's) still has its edge pixels copied into its bleed."""
    got = json.loads(js(qtbot, window.map_view, """(function () {
      var copies = 0, draw = CanvasRenderingContext2D.prototype.drawImage;
      CanvasRenderingContext2D.prototype.drawImage = function (img) {
        if (img === this.canvas) { copies += 1; }
        return draw.apply(this, arguments);
      };
      try {
        var tile = function (edge) {
          var c = document.createElement('canvas'), before = copies;
          c.width = c.height = 320 + 2;  // 256 CSS px at 1.25, and a bleed of 2 device px
          var data = { size: 256, z: 5, land: [[[0, 0, 256, 0, 256, 256, 0, 256]]] };  // land to the edge, sea past it
          if (edge) { data.edge = 4; }
          SitMap.drawBasemapTile(c, data, 256, 1.25, null);
          var ctx = c.getContext('2d');
          return { copies: copies - before, inside: Array.from(ctx.getImageData(318, 100, 1, 1).data),
                   bleed: Array.from(ctx.getImageData(320, 100, 1, 1).data) };
        };
        return JSON.stringify({ built: tile(true), other: tile(false) });
      } finally { CanvasRenderingContext2D.prototype.drawImage = draw; }
    })()"""))
    land, sea = [0xF4, 0xF1, 0xEA, 255], [0xCF, 0xE3, 0xEF, 255]
    assert got["built"] == {"copies": 0, "inside": land, "bleed": sea}
    assert got["other"] == {"copies": 2, "inside": land, "bleed": land}
