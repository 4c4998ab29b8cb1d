"""The window's workflows an analyst goes through, as a review found them broken: layers made after
a map was opened (View > Layers, the briefing's hidden layers), a distance fact kept live in the
panel, locked layers in the Properties tab, a fact dialog waiting for its feature (Esc, an undo, a
new map meanwhile), a refused fact's new group, renamed sources, the Delete key in the Facts tab,
the launch wizard's event kept when the unsaved map is kept, GeoJSON-lines files dropped, and an
import that takes what opening the file shows."""

from __future__ import annotations

import json

import pytest

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import READY_MS


def _marker(w, name="Mine", lon=125.0, lat=39.0):
    return w.add_annotation("place", {"type": "Point", "coordinates": [lon, lat]}, {"name": name})


def _layer_item(w, gid):
    lst = w.layers_panel.list
    return next(lst.item(i) for i in range(lst.count()) if lst.item(i).data(Qt.ItemDataRole.UserRole) == gid)


def test_a_layer_made_after_the_map_opened_is_in_view_layers_and_hidden_in_the_briefing_too(window, monkeypatch):
    from viewer.ui import export_dialog

    _marker(window)
    assert "annotations" in window._group_actions
    _layer_item(window, "annotations").setCheckState(Qt.CheckState.Unchecked)
    assert not window._group_actions["annotations"].isChecked()
    got = {}
    monkeypatch.setattr(export_dialog.ExportDialog, "exec", lambda self: got.setdefault("hidden", self.hidden_groups))
    export_dialog.open_export_dialog(window)
    assert "annotations" in got["hidden"]


def test_a_layer_label_with_an_ampersand_shows_it_in_view_layers(window):
    _layer_item(window, "rings").setText("R&D rings")
    assert window._group_actions["rings"].text() == "R&&D rings"


def test_a_distance_fact_follows_its_feature_in_the_facts_panel(window, qtbot):
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert window.new_map()
    a, b = _marker(window, "A"), _marker(window, "B", lon=126.0)
    dlg = window.facts_editor.add_fact()
    dlg.label.setText("A to B")
    dlg.derived.setChecked(True)
    dlg.d_from.setCurrentIndex(dlg.d_from.findData(a))
    dlg.d_to.setCurrentIndex(dlg.d_to.findData(b))
    dlg.accept()
    fact = window.doc.facts[-1]
    before = window.facts.item_for(fact.id).text(1)
    window.editor.move_vertex(b, 0, 39.0, 128.0)
    after = window.facts.item_for(fact.id).text(1)
    assert after != before and after == window.doc.scenario.fact_display_value(window.doc.facts[-1])
    window.undo_stack.undo()
    assert window.facts.item_for(fact.id).text(1) == before


def test_a_feature_on_a_locked_layer_is_not_edited_through_the_properties_tab(window):
    fid = _marker(window)
    _layer_item(window, "annotations")
    window.layers_panel.list.setCurrentItem(_layer_item(window, "annotations"))
    window.layers_panel.toggle_lock()
    window._feature_clicked(fid)
    p = window.properties
    assert not p.name.isEnabled() and "locked" in p.heading.text()
    p.name.setText("Changed while locked")
    p.commit()
    assert window.doc.feature(fid).name == "Mine"
    window.layers_panel.toggle_lock()  # (unlocked: the fields can be edited again)
    assert p.name.isEnabled()


def test_esc_while_picking_a_facts_feature_brings_the_dialog_back(window, qtbot):
    dlg = window.facts_editor.add_fact()
    dlg.label.setText("Half typed")
    dlg._pick()
    assert not dlg.isVisible() and dlg.picking
    from viewer.ui import desktop_feel

    desktop_feel.escape(window)
    assert dlg.isVisible() and not dlg.picking and dlg.label.text() == "Half typed"
    window.map_view.bridge.featureSelected.emit("seoul")  # (a later click selects, as usual)
    assert window.selected_feature == "seoul"


def test_an_undo_while_the_fact_dialog_picks_keeps_the_edit(window, qtbot):
    dlg = window.facts_editor.add_fact()
    dlg.label.setText("F")
    dlg.source.setCurrentText("S")
    dlg.accept()
    fid = window.doc.facts[-1].id
    dlg = window.facts_editor.edit_fact(fid)
    dlg.value.setPlainText("edited")
    dlg._pick()
    window.undo_stack.undo()  # (takes fact F away)
    assert all(f.id != fid for f in window.doc.facts)
    window.map_view.bridge.featureSelected.emit("seoul")
    dlg.accept()
    assert [(f.value, f.feature) for f in window.doc.facts if f.id == fid] == [("edited", "seoul")]


def test_a_new_map_closes_a_fact_dialog_of_the_map_before(window, qtbot):
    dlg = window.facts_editor.add_fact()
    dlg.label.setText("Old-map fact")
    dlg.source.setCurrentText("S")
    dlg._pick()
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert window.new_map()
    assert window.facts_editor.dialog is None and not dlg.isVisible() and not dlg.picking
    b = _marker(window, "B")
    window.map_view.bridge.featureSelected.emit(b)
    assert window.doc.facts == [] and window.selected_feature == b


def test_a_refused_fact_adds_no_group_and_an_accepted_one_is_one_undo_step(window):
    groups, steps = list(window.doc.scenario.groups), window.undo_stack.count()
    dlg = window.facts_editor.add_fact()
    dlg.label.setText("")  # (refused: a fact needs a label)
    dlg.source.setCurrentText("Me")
    dlg.group.setCurrentText("Brand new group")
    dlg.accept()
    assert dlg.isVisible() and dlg.error.text()
    assert window.doc.scenario.groups == groups and window.undo_stack.count() == steps
    dlg.label.setText("Now labelled")
    dlg.accept()
    assert window.undo_stack.count() == steps + 1 and len(window.doc.scenario.groups) == len(groups) + 1
    window.undo_stack.undo()
    assert window.doc.scenario.groups == groups and all(f.label != "Now labelled" for f in window.doc.facts)


def test_renaming_a_source_renames_it_in_the_facts_that_cite_it(window):
    old, new = "US State Department", "U.S. Department of State"
    citing = [f.id for f in window.doc.facts if f.source == old]
    assert citing
    dlg = window.facts_editor.edit_sources()
    rows = [dlg.table.item(r, 0).text() for r in range(dlg.table.rowCount())]
    dlg.table.item(rows.index(old), 0).setText(new)
    dlg.accept()
    assert [f.id for f in window.doc.facts if f.source == new] == citing
    again = window.facts_editor.edit_sources()
    names = [again.table.item(r, 0).text() for r in range(again.table.rowCount())]
    again.reject()
    assert old not in names and names.count(new) == 1
    window.undo_stack.undo()  # (one step: the list and the facts)
    assert [f.id for f in window.doc.facts if f.source == old] == citing


def test_the_delete_key_in_the_facts_tab_deletes_the_fact_there_not_the_maps_selection(window, qtbot):
    fid = _marker(window)
    window._feature_clicked(fid)
    features, facts = len(window.doc.features), len(window.doc.facts)
    fact = window.doc.facts[0].id
    window.facts.tree.setFocus()
    window.facts.tree.setCurrentItem(window.facts.item_for(fact))
    window.act_delete.trigger()
    assert len(window.doc.features) == features and len(window.doc.facts) == facts - 1
    assert all(f.id != fact for f in window.doc.facts)


def test_an_empty_group_selected_in_the_facts_tab_is_deleted(window):
    gid = window.facts_editor.add_group("Spare")
    item = next(window.facts.tree.topLevelItem(i) for i in range(window.facts.tree.topLevelItemCount())
                if window.facts.tree.topLevelItem(i).text(0) == "Spare")
    window.facts.tree.setCurrentItem(item)
    assert window.facts.delete_selection()
    assert all(g != gid for g, _ in window.doc.scenario.groups)


def test_cancelling_the_unsaved_question_after_the_launch_wizard_keeps_its_event(window, qtbot, monkeypatch):
    _marker(window)  # (unsaved work)
    monkeypatch.setattr(window, "maybe_keep_changes", lambda: False)  # (Cancel: the map stays)
    wizard = window.map_actions.new_launch_event()
    from viewer import resources
    from viewer.model.scenario import load_scenario

    wizard.built = load_scenario(resources.default_scenario())
    wizard.accepted.emit()
    assert wizard.isVisible() and wizard.built is not None
    assert any(f.name == "Mine" for f in window.doc.features)  # (and the unsaved map is kept)
    monkeypatch.setattr(window, "maybe_keep_changes", lambda: True)  # (Discard, the second time)
    wizard.accepted.emit()
    assert window.doc.scenario.title == wizard.built.title and not any(f.name == "Mine" for f in window.doc.features)


def test_a_geojson_lines_file_dropped_on_the_window_is_offered(window, tmp_path):
    path = tmp_path / "lines.geojsonl"
    path.write_text("\n".join(json.dumps({"type": "Feature", "properties": {"name": n},
                                          "geometry": {"type": "Point", "coordinates": [125 + i, 39]}})
                              for i, n in enumerate("AB")) + "\n")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(QPointF(window.rect().center()), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(window.rect().center()), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    box = window.file_drops.choice_box
    assert box is not None
    box.reject()


def test_a_layer_renamed_to_nothing_or_refused_keeps_its_label(window):
    item = _layer_item(window, "rings")
    label = item.text()
    item.setText("   ")
    assert _layer_item(window, "rings").text() == label
    assert next(x["label"] for x in window.current_layers() if x["id"] == "rings") == label
    _layer_item(window, "rings").setText("bad\x00name")
    assert _layer_item(window, "rings").text() == label
    assert next(x["label"] for x in window.current_layers() if x["id"] == "rings") == label


def test_save_as_and_import_remember_their_folder_for_the_next_dialog(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from viewer.ui import file_names

    saved, kml = tmp_path / "maps", tmp_path / "imports"
    saved.mkdir()
    kml.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(saved / "event.sitmap.geojson"), "")))
    assert window.save_as()
    assert file_names.start_folder(window.settings) == saved
    (kml / "pins.kml").write_text('<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>P</name>'
                                  "<Point><coordinates>125,39</coordinates></Point></Placemark></Document></kml>")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(kml / "pins.kml"), "")))
    window.files.import_dialog()
    assert file_names.start_folder(window.settings) == kml and any(f.name == "P" for f in window.doc.features)


def test_save_as_under_a_kml_name_saves_the_map_as_geojson_beside_the_kml_it_leaves_alone(window, qtbot, tmp_path,
                                                                                          monkeypatch):
    """A map is GeoJSON: typed as brief.kml it was written under that name (over a real KML there),
    and could not be opened again. It is saved as brief.sitmap.geojson, asked about when that exists."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    kml = tmp_path / "brief.kml"
    kml.write_text("<kml/>")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(kml), "")))
    assert window.save_as()
    saved = tmp_path / "brief.sitmap.geojson"
    assert kml.read_text() == "<kml/>" and window.doc.path == saved
    assert "Saved as" in window.statusBar().currentMessage()
    assert window.save_as()  # (its own file: saved over without a question)
    with qtbot.waitSignal(window.map_view.mapReady, timeout=60_000):
        window.new_map()
    asked = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.No))
    saved.write_text("{}")
    assert not window.save_as() and asked and saved.read_text() == "{}"
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    assert window.save_as() and window.open_path(saved)


def test_a_recent_map_that_is_gone_leaves_open_recent(window, tmp_path, monkeypatch):
    monkeypatch.setattr(window, "show_error", lambda *a: None)
    gone = tmp_path / "gone.sitmap.geojson"
    window.files.remember(gone)
    assert str(gone) in window.recent_files()
    assert not window.open_path(gone)
    assert str(gone) not in window.recent_files()
    assert str(gone).replace("&", "&&") not in [a.text() for a in window.recent_menu.actions()]


@pytest.mark.parametrize("name, text", [
    ("mixed.csv", "name,latitude,longitude\nGood,39.0,125.0\nBad,95.0,125.0\n"),
    ("mixed.kml", '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>Good</name><Point>'
                  "<coordinates>125,39</coordinates></Point></Placemark><Placemark><name>Bad</name><Point>"
                  "<coordinates>125,95</coordinates></Point></Placemark>"
                  "</Document></kml>"),
])
def test_import_takes_what_opening_the_file_shows_and_says_what_it_left_out(window, tmp_path, name, text):
    # (one bad row refused the whole file on import, where File > Open opened the rest)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    before = len(window.doc.features)
    assert window.import_path(path) == 1
    assert len(window.doc.features) == before + 1 and any(f.name == "Good" for f in window.doc.features)
    box = window.files.report_box
    assert "1 element(s) could not be shown" in box.text() and box.isVisible()
    box.close()



def test_an_import_says_the_files_facts_were_not_imported(window, tmp_path, monkeypatch):
    """The features of a map with facts (SitMap's own file, its KML) join the map; its facts, which
    name the file's own feature ids, do not: that was said only when the file had a bad element.
    They are counted as the file is read, not by opening it a second time."""
    from viewer import api
    from viewer.model.io import open_any

    opened = []
    real_open = open_any.open_map_bytes
    monkeypatch.setattr(open_any, "open_map_bytes", lambda *a, **k: (opened.append(a[1]), real_open(*a, **k))[1])
    facts = len(window.doc.scenario.facts)
    assert facts
    for name, opens in (("other.sitmap.geojson", 0), ("other.kml", 0), ("other.gpkg", 1)):
        path = tmp_path / name
        api.open_map().export(path) if not name.endswith(".geojson") else api.open_map().save(path)
        before = len(window.doc.features)
        opened.clear()
        assert window.import_path(path) > 0
        assert len(opened) == opens, (name, opened)  # (a GeoPackage is read as it opens: once)
        assert len(window.doc.scenario.facts) == facts  # (the map's own, unchanged)
        said = window.statusBar().currentMessage()
        assert f"{facts:,} fact(s) were not imported" in said, (name, said)
        window.undo_stack.undo()
        assert len(window.doc.features) == before
    plain = tmp_path / "plain.kml"
    plain.write_text('<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>P</name>'
                     "<Point><coordinates>125,39</coordinates></Point></Placemark></Document></kml>")
    assert window.import_path(plain) == 1
    assert "not imported" not in window.statusBar().currentMessage()
