"""The Properties tab as an analyst uses it: a field still being typed in is applied before the
map is saved, exported or left (one undo step, checked like any edit), and editing one field
changes that field only, whatever the others hold."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from viewer.model.scenario import load_scenario


def _marker(window, name="Battery", props=None, where=(126.0, 38.0)):
    fid = window.add_annotation("place", {"type": "Point", "coordinates": list(where)}, {"name": name, **(props or {})})
    assert fid, window.editor.refused
    return fid


def _typing_notes(window, qtbot, fid, text="Seen on 17 Jan"):
    """Notes typed into the Properties tab, the cursor still in the field (nothing applied yet)."""
    window._feature_clicked(fid)
    window.side.setCurrentWidget(window.properties)
    window.activateWindow()
    window.properties.notes.setFocus()
    qtbot.waitUntil(lambda: window.properties.notes.hasFocus())
    qtbot.keyClicks(window.properties.notes, text)
    assert "notes" not in window.doc.feature(fid).properties  # (still only in the field)


def test_ctrl_s_saves_the_notes_still_being_typed_as_one_undo_step(window, qtbot, tmp_path):
    path = tmp_path / "m.sitmap.geojson"
    fid = _marker(window)
    assert window.save_to(path)
    steps = window.undo_stack.count()
    _typing_notes(window, qtbot, fid)
    qtbot.keyClick(window.properties.notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = {f.id: f for f in load_scenario(path).features}[fid]
    assert saved.properties.get("notes") == "Seen on 17 Jan"
    assert window.undo_stack.count() == steps + 1 and window.undo_stack.isClean()
    assert not window.isWindowModified()


def test_save_as_takes_the_name_still_being_typed(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    path = tmp_path / "named.sitmap.geojson"
    fid = _marker(window)
    window._feature_clicked(fid)
    window.properties.name.setFocus()
    window.properties.name.setText("Battery 2")  # (typed, Enter not pressed, field not left)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    assert window.save_as()
    assert {f.id: f for f in load_scenario(path).features}[fid].name == "Battery 2"


def test_leaving_the_map_asks_about_notes_still_being_typed(window, qtbot, tmp_path, monkeypatch):
    path = tmp_path / "m.sitmap.geojson"
    fid = _marker(window)
    assert window.save_to(path)
    _typing_notes(window, qtbot, fid)
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Cancel)
    assert not window.files.maybe_keep_changes()  # what closing the window, Open or New Map ask
    assert asked
    assert window.doc.feature(fid).properties.get("notes") == "Seen on 17 Jan"  # applied before the question


def _notes_the_export_dialog_shows(window, qtbot, fid, start) -> str:
    """The notes of ``fid`` in the scenario the Export dialog opens with, once ``start`` opened it."""
    seen = {}

    def look() -> None:
        from viewer.ui.export_dialog import ExportDialog

        d = QApplication.activeModalWidget()
        if not isinstance(d, ExportDialog):
            QTimer.singleShot(50, look)
            return
        seen["notes"] = {f.id: f for f in d.scenario.features}[fid].properties.get("notes")
        d.reject()

    QTimer.singleShot(0, look)
    start()
    qtbot.waitUntil(lambda: "notes" in seen, timeout=20_000)
    return seen["notes"]


def test_ctrl_e_exports_the_notes_still_being_typed(window, qtbot):
    fid = _marker(window)
    _typing_notes(window, qtbot, fid)
    notes = _notes_the_export_dialog_shows(window, qtbot, fid, lambda: qtbot.keyClick(
        window.properties.notes, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier))
    assert notes == "Seen on 17 Jan"


def test_a_position_that_cannot_be_read_stops_save_and_says_why(window, qtbot, tmp_path):
    path = tmp_path / "m.sitmap.geojson"
    fid = _marker(window)
    assert window.save_to(path)
    before = path.read_bytes()
    window._feature_clicked(fid)
    window.properties.position.setText("somewhere north")  # (typed, not applied)
    assert not window.save()
    assert path.read_bytes() == before
    assert window.properties.error.text()
    assert "Properties" in window.statusBar().currentMessage()
    window.properties.position.setText("38.5, 126.5")
    assert window.save()
    assert {f.id: f for f in load_scenario(path).features}[fid].geometry["coordinates"] == [126.5, 38.5]


def _edit_notes(window, fid, text="checked"):
    window._feature_clicked(fid)
    window.properties.notes.setPlainText(text)
    window.properties._field_done()


def _rename(window, fid, name):
    window._feature_clicked(fid)
    window.properties.name.setText(name)
    window.properties.name.editingFinished.emit()


@pytest.mark.parametrize("name", ["x" * 600, "  padded  ", "nb\u00a0sp", "\U0001F680 launch"])
def test_editing_the_notes_keeps_the_name_as_it_is(window, name):
    fid = _marker(window, name)
    _edit_notes(window, fid)
    f = window.doc.feature(fid)
    assert f.properties["notes"] == "checked"
    assert f.name == name


def test_editing_the_notes_keeps_a_source_longer_than_the_field_takes(window):
    fid = _marker(window, props={"source": "s" * 2500})
    _edit_notes(window, fid)
    assert window.doc.feature(fid).properties["source"] == "s" * 2500


@pytest.mark.parametrize("notes", ["a\r\nb", "10\u00a0km", "para\u2029graph", "line\u2028sep"])
def test_renaming_keeps_the_notes_as_they_are(window, notes):
    fid = _marker(window, props={"notes": notes})
    _rename(window, fid, "Battery 2")
    f = window.doc.feature(fid)
    assert f.name == "Battery 2"
    assert f.properties["notes"] == notes


def test_renaming_a_ring_smaller_than_the_radius_field_shows_keeps_its_radius(window):
    fid = window.add_ring(38.0, 126.0, 0.2, "tiny")
    assert fid
    _rename(window, fid, "tiny renamed")
    f = window.doc.feature(fid)
    assert f.name == "tiny renamed" and f.properties["radius_m"] == 0.2


def test_a_field_edit_is_one_undo_step_and_changes_only_that_field(window):
    fid = _marker(window, props={"notes": "a\r\nb", "source": "  Yonhap  "})
    before = window.doc.feature(fid)
    steps = window.undo_stack.count()
    _rename(window, fid, "Battery 2")
    after = window.doc.feature(fid)
    assert window.undo_stack.count() == steps + 1
    assert {k: v for k, v in after.properties.items() if k != "name"} == \
        {k: v for k, v in before.properties.items() if k != "name"}
    assert after.geometry == before.geometry
    window.properties._field_done()  # (the field left again, nothing typed since: no second step)
    assert window.undo_stack.count() == steps + 1


def test_ctrl_z_in_a_field_being_typed_in_is_the_fields_own_undo(window, qtbot):
    fid = _marker(window)
    steps = window.undo_stack.count()
    _typing_notes(window, qtbot, fid, "x")
    qtbot.keyClick(window.properties.notes, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.properties.notes.toPlainText() == ""
    assert window.undo_stack.count() == steps and window.doc.feature(fid).name == "Battery"


def test_an_export_started_from_a_menu_takes_the_notes_still_being_typed(window, qtbot, tmp_path, monkeypatch):
    # (however the export is started: not only by a shortcut pressed in the field)
    import json

    from PySide6.QtWidgets import QFileDialog

    out = tmp_path / "out.geojson"
    fid = _marker(window)
    _typing_notes(window, qtbot, fid)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    window.act_export_geojson.trigger()
    written = {f["id"]: f for f in json.loads(out.read_text(encoding="utf-8"))["features"]}
    assert written[fid]["properties"].get("notes") == "Seen on 17 Jan"


def test_file_export_takes_the_notes_still_being_typed_when_started_from_the_menu(window, qtbot):
    from viewer.ui.export_dialog import open_export_dialog

    fid = _marker(window)
    _typing_notes(window, qtbot, fid)
    # (as File > Export does, the field keeping the keyboard)
    assert _notes_the_export_dialog_shows(window, qtbot, fid, lambda: open_export_dialog(window)) == "Seen on 17 Jan"


def _set_radius(window, fid: str, km: float) -> None:
    window._feature_clicked(fid)
    window.properties.radius.setValue(km)
    window.properties.commit()


def test_a_rings_own_label_stays_when_its_radius_changes(window):
    """An analyst's label without the radius in it was replaced by the radius ("500 km")."""
    fid = window.add_ring(39.2002, 125.6733, 300_000, "Hwasong-8 reach", label="Hwasong-8 reach")
    _set_radius(window, fid, 500.0)
    f = window.doc.feature(fid)
    assert f.properties["radius_m"] == 500_000 and f.properties["label"] == "Hwasong-8 reach"
    assert f.name == "Hwasong-8 reach"


def test_a_ring_named_in_nautical_miles_follows_its_radius_in_them(window):
    """A 200 nmi ring made 250 nmi (463 km) kept "200 nmi" in its name."""
    fid = window.add_ring(39.2002, 125.6733, 200 * 1852.0, "200 nmi ring around Sunan", label="200 nmi")
    _set_radius(window, fid, 250 * 1.852)
    f = window.doc.feature(fid)
    assert f.name == "250 nmi ring around Sunan" and f.properties["label"] == "250 nmi"
    fid = window.add_ring(39.2002, 125.6733, 100 * 1609.344, "100 mi reach", label="100 mi")
    _set_radius(window, fid, 150 * 1.609344)
    f = window.doc.feature(fid)
    assert f.name == "150 mi reach" and f.properties["label"] == "150 mi"
    fid = window.add_ring(39.2002, 125.6733, 380_000, "380 km reported range", label="380 km")
    _set_radius(window, fid, 500.0)
    f = window.doc.feature(fid)
    assert f.name == "500 km reported range" and f.properties["label"] == "500 km"


def test_a_text_labels_colour_is_the_colour_it_is_drawn_in(window, qtbot, monkeypatch):
    """A text label's Colour was stored but drawn in the page's dark text; one without a colour of
    its own keeps that dark text."""
    import json

    from tests.ui.conftest import READY_MS, js

    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert window.new_map()
    monkeypatch.setattr(window.editor, "ask_text", lambda *a, **k: "RED LABEL")
    plain = window.editor.add_label(39.0, 125.0)
    monkeypatch.setattr(window.editor, "ask_text", lambda *a, **k: "PLAIN LABEL")
    assert window.editor.add_label(38.0, 127.0)
    window._feature_clicked(plain)
    window.properties._set_colour("#CC0000")
    window.properties.commit()
    assert (window.doc.feature(plain).properties.get("style") or {}).get("color", "").upper() == "#CC0000"

    def colours():
        return json.loads(js(qtbot, window.map_view, """JSON.stringify(Array.prototype.map.call(
            document.querySelectorAll('.sitmap-label-text'), function (e) {
              return [e.textContent, getComputedStyle(e).color]; }))"""))

    qtbot.waitUntil(lambda: ["RED LABEL", "rgb(204, 0, 0)"] in colours(), timeout=10_000)
    assert all(c != "rgb(204, 0, 0)" for t, c in colours() if t == "PLAIN LABEL")
