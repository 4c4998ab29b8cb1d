"""Files arriving from outside: handed over by a second ``sitmap FILE``, dropped on the window,
and the ``.sitmap.geojson`` name Save As proposes."""

import json
import shutil
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtNetwork import QLocalSocket
from PySide6.QtWidgets import QApplication, QFileDialog

from viewer import resources
from viewer.model.project import save_project
from viewer.model.scenario import load_scenario
from viewer.ui import opening
from viewer.ui.single_instance import InstanceServer, encode_request

READY_MS = 60_000
DATA = Path(__file__).resolve().parents[1] / "data" / "exchange"


def saved_map(folder: Path, name: str, title: str = "Second map") -> Path:
    s = load_scenario(resources.default_scenario())
    path = folder / name
    save_project(s, path)
    data = json.loads(path.read_text())
    data["sitmap"]["title"] = title
    path.write_text(json.dumps(data))
    return path


def test_save_as_proposes_a_sitmap_geojson_name_and_completes_a_bare_typed_name(window, tmp_path, monkeypatch):
    seen = {}

    def fake(parent, caption, start, filters, *args):
        seen.update(start=start, filters=filters)
        return str(tmp_path / "brief"), filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    assert window.save_as()
    assert seen["start"].endswith(".sitmap.geojson")
    assert seen["filters"].startswith("SitMap maps (*.sitmap.geojson)")
    assert (tmp_path / "brief.sitmap.geojson").is_file() and window.scenario_path == tmp_path / "brief.sitmap.geojson"
    window.save_as()  # the open file's name, in the convention, is proposed next time
    assert seen["start"] == str(tmp_path / "brief.sitmap.geojson")


def test_a_file_handed_over_by_a_second_start_opens_here_and_the_window_comes_forward(window, qtbot, tmp_path):
    server = InstanceServer(name=str(tmp_path / "s.sock"))
    assert server.listen()
    opening.serve_window(server, window)
    target = saved_map(tmp_path, "second.sitmap.geojson")
    window.showMinimized()
    sock = QLocalSocket()
    sock.connectToServer(server.name)
    assert sock.waitForConnected(2000)
    with qtbot.waitSignal(window.scenarioLoaded, timeout=READY_MS):
        sock.write(encode_request([target]))
    assert window.scenario_path == target
    assert "second.sitmap.geojson" in window.windowTitle() and window.scenario.title == "Second map"
    assert not window.isMinimized()
    server.close()


def test_opening_a_handed_over_map_asks_about_unsaved_work_and_cancel_keeps_the_map(window, tmp_path):
    asked = []
    window.maybe_keep_changes = lambda: asked.append(True) and False
    before = window.scenario
    assert opening.open_in_window(window, saved_map(tmp_path, "x.sitmap.geojson")) is False
    assert asked == [True] and window.scenario is before


def test_a_kml_opened_with_sitmap_becomes_a_new_map_holding_its_features(window, qtbot, tmp_path):
    kml = tmp_path / "notes.kml"
    shutil.copy(DATA / "google-earth.kml", kml)
    assert opening.open_in_window(window, kml)
    # the KML document's own name, less the file suffix Google Earth gives it
    assert window.scenario.title == "Analyst notes" and window.scenario_path is None
    assert "notes.kml (not saved as a map)" in window.windowTitle()
    editable = [f for f in window.scenario.features if f.properties.get("annotation")]
    assert len(editable) == len(window.scenario.features) >= 3


def test_a_broken_kml_handed_over_changes_nothing_and_says_why(window, tmp_path):
    bad = tmp_path / "broken.kml"
    bad.write_text("<kml><Document><Placemark>")
    before = window.scenario
    assert opening.open_in_window(window, bad) is False
    assert window.scenario is before
    assert "broken.kml" in window._error_box.text()


def drop_on_map(window, files: list[Path]):
    target = window.map_view.focusProxy() or window.map_view
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    enter = QDragEnterEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, drop)
    assert drop.isAccepted()


def test_a_file_dropped_on_the_map_is_imported_into_the_current_map_when_chosen(window, qtbot, tmp_path):
    drops = opening.FileDrops(window)
    csv = tmp_path / "points.csv"
    shutil.copy(DATA / "qgis-semicolon.csv", csv)
    before = len(window.scenario.features)
    title = window.scenario.title
    drop_on_map(window, [csv])
    box = drops.choice_box
    assert box is not None and box.isVisible() and "points.csv" in box.text()
    import_button = next(b for b in box.buttons() if b.text() == opening.IMPORT_TEXT)
    import_button.click()
    qtbot.waitUntil(lambda: len(window.scenario.features) > before, timeout=10_000)
    assert window.scenario.title == title  # the same map, with the points added


def test_a_map_dropped_on_the_window_opens_as_the_map_when_chosen(window, qtbot, tmp_path):
    drops = opening.FileDrops(window)
    target = saved_map(tmp_path, "dropped.sitmap.geojson", "Dropped map")
    drop_on_map(window, [target])
    open_button = next(b for b in drops.choice_box.buttons() if b.text() == opening.OPEN_TEXT)
    with qtbot.waitSignal(window.scenarioLoaded, timeout=READY_MS):
        open_button.click()
    assert window.scenario_path == target and window.scenario.title == "Dropped map"


def test_a_drag_without_local_files_is_left_to_the_page(window):
    drops = opening.FileDrops(window)
    mime = QMimeData()
    mime.setText("just text")
    enter = QDragEnterEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    assert drops.eventFilter(window.map_view, enter) is False
    assert drops.choice_box is None


def test_a_gpx_opened_with_sitmap_becomes_a_new_map_that_is_never_its_file(window, tmp_path):
    gpx = tmp_path / "drive.gpx"
    gpx.write_text('<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><name>Drive</name><trkseg>'
                   '<trkpt lat="39.0" lon="125.7"><ele>40</ele></trkpt><trkpt lat="39.1" lon="125.8"/>'
                   '</trkseg></trk></gpx>')
    assert opening.open_in_window(window, gpx)
    assert [f.name for f in window.scenario.features] == ["Drive"]
    assert window.scenario_path is None and window.files.opened_from == gpx  # Save asks for a name


def test_the_next_start_offers_the_last_map_under_open_recent_and_opens_it(window, qtbot, settings, tmp_path):
    from viewer.ui.main_window import MainWindow

    target = saved_map(tmp_path, "recent.sitmap.geojson", "Recent map")
    assert window.open_path(target)
    window.save_settings()
    later = MainWindow(settings=settings, data_dir=tmp_path / "later")
    qtbot.addWidget(later)
    actions = later.recent_menu.actions()
    assert later.recent_menu.isEnabled() and actions[0].text() == str(target)
    with qtbot.waitSignal(later.scenarioLoaded, timeout=READY_MS):
        actions[0].trigger()
    assert later.scenario_path == target and later.scenario.title == "Recent map"
