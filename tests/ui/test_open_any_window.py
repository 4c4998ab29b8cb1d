"""File > Open (and a drop on the window) with files from other tools: the map shows what can be
shown, a plain-text dialog says what was left out, folders become layers in the page, the layer
menu and the Layers tab, and the file from another tool is never the map's file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from tests.conftest import DATA
from tests.ui.conftest import READY_MS, js

OWN = DATA / "realworld" / "sitmap-made"


def open_and_wait(qtbot, window, path: Path) -> None:
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert window.open_path(path) is True


def test_a_my_maps_kml_opens_with_its_folders_as_layers_and_says_what_was_left_out(window, qtbot):
    path = OWN / "my-maps-export.kml"
    open_and_wait(qtbot, window, path)
    assert [f.name for f in window.scenario.features] == ["Pyongyang (Ryongsong)", "Sohae", "Eastward track",
                                                          "Estimated impact area"]
    qtbot.waitUntil(lambda: getattr(window.files, "report_box", None) is not None and window.files.report_box.isVisible())
    box = window.files.report_box
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "4 feature(s) opened from my-maps-export.kml; 2 element(s) could not be shown." == box.text()
    assert "3D models: Placemark 6 (name 'Tower model')" in box.informativeText()
    assert "Placemark 3 (name 'Not placed yet')" in box.informativeText()
    layer_ids = [x["id"] for x in window.scenario.layers]
    groups = js(qtbot, window.map_view, "JSON.stringify(Object.keys(SitMap.app.groups))")
    assert set(layer_ids) <= set(__import__("json").loads(groups))
    assert [x["label"] for x in window.layers_panel.layers()] == ["Launch sites", "Flight paths", "Areas"]
    assert [a.text() for a in window.layers_menu.actions()] == ["Launch sites", "Flight paths", "Areas"]
    control = js(qtbot, window.map_view, "document.querySelector('.leaflet-control-layers').textContent")
    for label in ("Launch sites", "Flight paths", "Areas"):
        assert label in control
    # the KML is not the map's file: saving asks for a name, the KML is never written over
    assert window.scenario_path is None and window.files.opened_from == path
    assert "my-maps-export.kml (not saved as a map)" in window.windowTitle()
    box.close()


def test_hiding_a_folder_layer_hides_its_features_in_the_page(window, qtbot):
    open_and_wait(qtbot, window, OWN / "my-maps-export.kml")
    lid = window.scenario.layers[1]["id"]
    action = window.layers_menu.actions()[1]
    action.setChecked(False)
    qtbot.waitUntil(lambda: js(qtbot, window.map_view, f"SitMap.app.map.hasLayer(SitMap.app.groups[{lid!r}])") is False)
    assert next(x for x in window.doc.scenario.layers if x["id"] == lid)["visible"] is False


def test_a_file_with_nothing_usable_is_refused_and_the_map_stays(window, qtbot, tmp_path):
    before = [f.id for f in window.scenario.features]
    bad = tmp_path / "model-only.kml"
    bad.write_text('<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>m</name><Model><Location>'
                   "<longitude>1</longitude><latitude>1</latitude></Location></Model></Placemark></kml>", encoding="utf-8")
    assert window.open_path(bad) is False
    assert "nothing SitMap can show" in window._error_box.text() and "3D models" in window._error_box.text()
    assert [f.id for f in window.scenario.features] == before
    window._error_box.close()


def test_a_sitmap_file_opens_as_before_without_a_report(window, qtbot, tmp_path):
    from viewer.model.project import save_project

    open_and_wait(qtbot, window, OWN / "qgis-export.geojson")
    saved = tmp_path / "q.sitmap.geojson"
    save_project(window.doc.scenario, saved)
    window.files.report_box.close()
    window.files.report_box = None
    open_and_wait(qtbot, window, saved)
    assert window.scenario_path == saved and window.files.opened_from is None
    assert window.files.report_box is None
    assert [x["label"] for x in window.layers_panel.layers()] == ["Crossings", "Areas"]


def drop(target, path: Path) -> bool:
    """What a drag from a file manager delivers: enter, then drop. True if the drop was taken."""
    import warnings

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the QPoint constructors
        enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                                Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(target, enter)
        if not enter.isAccepted():
            return False
        event = QDropEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                           Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(target, event)
    if event.isAccepted():  # the window asks: open as the map, or import into it
        from viewer.ui import opening

        window = target.window()
        box = window.file_drops.choice_box
        next(b for b in box.buttons() if b.text() == opening.OPEN_TEXT).click()
    return event.isAccepted()


def test_a_gpx_dropped_on_the_map_opens(window, qtbot):
    path = DATA / "realworld" / "gpxpy" / "route.gpx"
    target = window.map_view.focusProxy() or window.map_view
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert drop(target, path) is True
    assert [f.kind for f in window.scenario.features] == ["path"]
    assert window.files.opened_from == path
    assert window.map_view.url().scheme() != "file"  # the web view did not load the file as a page


def test_a_csv_dropped_on_the_window_opens(window, qtbot):
    path = OWN / "y-x.csv"
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert drop(window, path) is True
    assert [f.name for f in window.scenario.features] == ["Busan", "Seoul"]


def test_a_dropped_file_of_another_kind_is_not_taken(window, qtbot, tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("hello", encoding="utf-8")
    before = [f.id for f in window.scenario.features]
    assert drop(window, other) is False
    assert [f.id for f in window.scenario.features] == before


def test_saving_a_map_opened_from_a_kml_never_writes_over_the_kml(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from viewer.model.scenario import load_scenario

    kml = tmp_path / "sites.kml"
    kml.write_bytes((OWN / "my-maps-export.kml").read_bytes())
    before = kml.read_bytes()
    open_and_wait(qtbot, window, kml)
    window.files.report_box.close()
    asked = {}

    def answer(parent, caption, start, filters):
        asked["start"] = start
        return start, ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    assert window.save() is True
    assert asked["start"] == str(tmp_path / "sites.sitmap.geojson")
    assert kml.read_bytes() == before
    assert window.scenario_path == tmp_path / "sites.sitmap.geojson"
    saved = load_scenario(tmp_path / "sites.sitmap.geojson")
    assert [f.id for f in saved.features] == [f.id for f in window.scenario.features]
    assert "sites.sitmap.geojson" in window.windowTitle()


def test_sitmap_file_at_start_opens_a_kml_twice_the_second_time_from_the_page_cache(qtbot, settings, tmp_path,
                                                                                    monkeypatch, capsys):
    """``sitmap FILE.kml``: the map opens with the report on stderr and in the dialog, the first
    time from the file and the second from the cached page of the same bytes."""
    import viewer.app as app_mod
    from viewer.render.page_cache import PageCache
    from viewer.ui.main_window import MainWindow

    cache = PageCache(tmp_path / "pages")
    monkeypatch.setattr(app_mod, "page_cache", lambda: cache)
    path = OWN / "my-maps-export.kml"
    for _ in range(2):
        w = MainWindow(settings=settings, data_dir=tmp_path / "data")
        w.maybe_keep_changes = lambda: True
        qtbot.addWidget(w)
        w.show()
        with qtbot.waitSignal(w.map_view.mapReady, timeout=READY_MS):
            assert app_mod.open_first_scenario(w, path) is None
        qtbot.waitUntil(lambda: w.scenario is not None and len(w.scenario.features) == 4, timeout=READY_MS)
        assert "3D models: Placemark 6 (name 'Tower model')" in capsys.readouterr().err
        assert w.scenario_path is None and w.files.opened_from == path
        qtbot.waitUntil(lambda: w.files.report_box is not None)
        w.files.report_box.close()
    assert len(list((tmp_path / "pages").glob("*.json"))) == 1


GIS = DATA / "realworld" / "mapshaper"


def test_a_geopackage_opens_with_its_tables_as_layers_and_says_its_coordinates_were_converted(window, qtbot):
    path = GIS / "Oregon.gpkg"
    open_and_wait(qtbot, window, path)
    assert [x["label"] for x in window.layers_panel.layers()] == ["land", "roads"]
    qtbot.waitUntil(lambda: getattr(window.files, "report_box", None) is not None and window.files.report_box.isVisible())
    box = window.files.report_box
    assert box.text() == f"{len(window.scenario.features)} feature(s) opened from Oregon.gpkg."
    assert "Coordinates converted from NAD83 / Oregon North (ft) (EPSG:2269) to longitude/latitude." \
        in box.informativeText()
    # the page draws them where they are: Oregon, not the Gulf of Guinea (feet read as degrees)
    bounds = __import__("json").loads(js(qtbot, window.map_view, "SitMap.app.viewBounds()"))
    (s, w), (n, e) = bounds
    assert s < 44 < n and w < -121 < e
    assert window.scenario_path is None and window.files.opened_from == path
    box.close()


def test_a_shapefile_dropped_on_the_map_opens_with_the_files_beside_it(window, qtbot):
    path = GIS / "a_utm.shp"
    target = window.map_view.focusProxy() or window.map_view
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert drop(target, path) is True
    (f,) = window.scenario.features
    assert f.name == "Staten Island" and f.properties["POSTAL"] == "10305"  # (its .dbf)
    lon, lat = f.geometry["coordinates"][0][0]
    assert -74.3 < lon < -73.9 and 40.4 < lat < 40.7  # (its .prj: UTM zone 18N)
    if getattr(window.files, "report_box", None) is not None:
        window.files.report_box.close()


def test_a_shapefile_named_at_start_opens_with_the_files_beside_it(qtbot, settings, tmp_path, monkeypatch):
    import viewer.app as app_mod
    from viewer.render.page_cache import PageCache

    monkeypatch.setattr(app_mod, "page_cache", lambda: PageCache(tmp_path / "pages"))
    path = DATA / "realworld" / "pyshp" / "latin1.shp"
    w, first = app_mod.make_window(path, settings=settings, data_dir=tmp_path / "data")
    w.maybe_keep_changes = lambda: True
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.map_view.mapReady, timeout=READY_MS):
        assert app_mod.open_first_scenario(w, path, first) is None
    assert [f.name for f in w.scenario.features] == ["Ñandú"]  # (its .dbf, read as Latin-1)
