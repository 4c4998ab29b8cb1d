"""File > Export GeoPackage: the window writes the map it shows as a GeoPackage, which it opens again;
and a CSV export says what a CSV of points leaves out."""

import sqlite3

from tests.ui.conftest import READY_MS


def test_the_window_exports_a_geopackage_and_opens_it_again(window, qtbot, tmp_path):
    assert window.act_export_gpkg.text() == "Export GeoPa&ckage (QGIS)\u2026"
    path = tmp_path / "map.gpkg"
    assert window.exports.write_data(path)
    db = sqlite3.connect(path)
    assert db.execute("SELECT count(*) FROM points").fetchone()[0] == len(
        [f for f in window.scenario.features if f.kind == "place"])
    db.close()
    count, layers = len(window.scenario.features), window.scenario.layers
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert window.open_path(path) is True
    # the map's own layers again (the built-in map's relabelled crossing), its tables no layers
    assert window.scenario.layers == layers and len(window.scenario.features) == count
    assert not {"points", "lines", "areas"} & {x["label"] for x in window.scenario.layers}


def test_a_writer_s_own_failure_is_said_in_the_window_and_the_old_file_is_kept(window, monkeypatch, tmp_path):
    from viewer.export import geopackage

    path = tmp_path / "map.gpkg"
    path.write_bytes(b"the file from before")
    messages = []
    monkeypatch.setattr(window, "show_error", lambda title, text: messages.append((title, text)))

    def broken(_scenario):
        raise RuntimeError("no room for the columns")

    monkeypatch.setattr(geopackage, "export_geopackage", broken)
    assert window.exports.write_data(path) is False
    (title, text), = messages
    assert title == "Cannot export" and "RuntimeError: no room for the columns" in text
    assert path.read_bytes() == b"the file from before"


def test_a_csv_export_says_what_a_csv_of_points_leaves_out(window, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    path = tmp_path / "points.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    window.act_export_kml.trigger()
    assert path.exists()
    said = window.statusBar().currentMessage()
    shapes = sum(1 for f in window.scenario.features if f.geometry["type"] != "Point")
    assert shapes and f"a CSV holds points only: {shapes} line(s) and area(s) and {len(window.scenario.facts)} fact(s)" \
        in said, said
