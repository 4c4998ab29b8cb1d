"""Analysts draw through the real page (synthetic clicks fired at the Leaflet map), undo, redo,
save, reopen and compare."""

import json

import pytest

from tests.ui.conftest import READY_MS, js
from viewer.model import geodesy
from viewer.model.scenario import load_scenario


def click(qtbot, window, lat, lng, double=False):
    sig = window.map_view.bridge.doubleClickedAt if double else window.map_view.bridge.clickedAt
    with qtbot.waitSignal(sig, timeout=5000):
        window.map_view.run_js(f"SitMap.app.map.fire('{'dblclick' if double else 'click'}', "
                               f"{{latlng: L.latLng({lat}, {lng})}})")


def press(qtbot, window, lat, lng, release_at=None):
    """Mouse press and release on the map (a click, or a drag when release_at is elsewhere)."""
    end = release_at or (lat, lng)
    with qtbot.waitSignal(window.map_view.bridge.clickedAt, timeout=5000):
        window.map_view.run_js(f"SitMap.app.map.fire('mousedown', {{latlng: L.latLng({lat}, {lng})}})")
    window.map_view.run_js(f"SitMap.app.map.fire('mouseup', {{latlng: L.latLng({end[0]}, {end[1]})}});"
                           f"SitMap.app.map.fire('click', {{latlng: L.latLng({end[0]}, {end[1]})}})")


def annotation_ids(window):
    return [f.id for f in window.scenario.features if f.properties.get("annotation")]


def wait_drawn(qtbot, window, fid):
    qtbot.waitUntil(lambda: js(qtbot, window.map_view, f"!!SitMap.app.features['{fid}']") is True, timeout=5000)


def test_draw_each_kind_through_the_page_then_undo_and_redo(window, qtbot):
    window.tool_actions["marker"].trigger()
    click(qtbot, window, 38.0, 128.0)
    window.tool_actions["line"].trigger()
    click(qtbot, window, 37.0, 124.0)
    click(qtbot, window, 37.5, 125.0)
    click(qtbot, window, 37.5, 125.0, double=True)
    window.tool_actions["area"].trigger()
    for lat, lng in ((36.0, 129.0), (36.0, 130.0), (35.0, 130.0)):
        click(qtbot, window, lat, lng)
    window.draw.key("Enter")
    window.tool_actions["ring"].trigger()
    press(qtbot, window, 39.2002, 125.6733)
    with qtbot.waitSignal(window.map_view.bridge.pointerAt, timeout=5000):
        window.map_view.run_js("SitMap.app.map.fire('mousemove', {latlng: L.latLng(40.0, 127.0)})")
    press(qtbot, window, 40.0, 127.0)
    ids = annotation_ids(window)
    assert ids == ["marker-1", "line-1", "area-1", "ring-1"]
    for fid in ids:
        wait_drawn(qtbot, window, fid)
    line = window.scenario.feature("line-1")
    assert line.geometry["coordinates"] == [[124.0, 37.0], [125.0, 37.5]]
    ring = window.scenario.feature("ring-1")
    d = geodesy.distance_bearing(39.2002, 125.6733, 40.0, 127.0)[0]
    assert ring.properties["radius_m"] == pytest.approx(d)
    assert window.isWindowModified()

    for _ in ids:
        window.act_undo.trigger()
    assert annotation_ids(window) == []
    qtbot.waitUntil(lambda: js(qtbot, window.map_view, "!!SitMap.app.features['marker-1']") is False, timeout=5000)
    for _ in ids:
        window.act_redo.trigger()
    assert annotation_ids(window) == ids
    wait_drawn(qtbot, window, "ring-1")


def test_measure_shows_live_geodesic_distance_and_bearing(window, qtbot):
    window.tool_actions["measure"].trigger()
    click(qtbot, window, 40.1219, 124.3822)
    with qtbot.waitSignal(window.map_view.bridge.pointerAt, timeout=5000):
        window.map_view.run_js("SitMap.app.map.fire('mousemove', {latlng: L.latLng(40.1069, 124.4017)})")
    assert window.draw.last_measure.startswith("2.35 km | 1.27 nmi | 1.46 mi, bearing 135")
    label = js(qtbot, window.map_view, "SitMap.draw.sketchLabel.getElement().textContent")
    assert label == window.draw.last_measure
    window.draw.key("Escape")
    window.draw.key("Escape")
    assert window.draw.tool is None


def test_delete_is_undoable_and_scenario_features_are_kept(window, qtbot):
    fid = window.add_annotation("place", {"type": "Point", "coordinates": [127.0, 37.0]}, {"name": "Depot"})
    window.selected_feature = fid
    assert window.delete_selected()
    assert window.scenario.feature(fid) is None
    window.act_undo.trigger()
    assert window.scenario.feature(fid).name == "Depot"
    window.selected_feature = "seoul"
    assert not window.delete_selected()
    assert window.scenario.feature("seoul") is not None


def test_save_reopen_gives_the_same_annotations_and_keeps_a_backup(window, qtbot, tmp_path):
    window.add_ring(39.2002, 125.6733, 1_000_000, name="1,000 km \uc0ac\uac70\ub9ac", label="1,000 km")
    window.add_annotation("place", {"type": "Point", "coordinates": [124.4017, 40.1069]},
                          {"name": "\uc2e0\uc758\uc8fc", "notes": "line 1\nline 2 <b>not bold</b>"})
    path = tmp_path / "work.geojson"
    assert window.save_to(path)
    assert not window.isWindowModified()
    again = load_scenario(path)
    assert again.features == window.scenario.features
    window.add_annotation("place", {"type": "Point", "coordinates": [125.0, 38.0]}, {"name": "later"})
    assert window.save_to(path)
    assert (tmp_path / "work.geojson.bak").exists()
    assert len(load_scenario(tmp_path / "work.geojson.bak").features) == len(again.features)
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert window.open_path(path)
    assert [f.id for f in window.scenario.features][-3:] == ["ring-1", "marker-1", "marker-2"]


def test_every_change_reaches_the_recovery_file(window):
    window.add_annotation("place", {"type": "Point", "coordinates": [127.0, 37.0]}, {"name": "A"})
    scenario, _ = window.recovery.load()
    assert scenario.feature("marker-1").name == "A"
    window.act_undo.trigger()
    scenario, _ = window.recovery.load()
    assert scenario.feature("marker-1") is None


def test_kml_export_and_import_round_trip_through_the_window(window, qtbot, tmp_path):
    fid = window.add_ring(39.2002, 125.6733, 540 * 1852, name="KN-23 540 nmi", label="540 nmi")
    window.add_annotation("place", {"type": "Point", "coordinates": [124.4017, 40.1069]},
                          {"name": "\uc2e0\uc758\uc8fc\uccad\ub144\uc5ed", "notes": "<b>text</b> & more"})
    path = tmp_path / "out.kml"
    assert window.export_exchange(path)
    before = {f.id: f for f in window.scenario.features}
    assert window.import_path(path) == len(before)
    imported = window.scenario.features[len(before):]
    ring = next(f for f in imported if f.kind == "range_ring" and f.name == "KN-23 540 nmi")
    assert ring.properties["radius_m"] == pytest.approx(540 * 1852)
    assert ring.geometry["coordinates"] == pytest.approx(before[fid].geometry["coordinates"], abs=1e-7)
    assert any(f.name == "\uc2e0\uc758\uc8fc\uccad\ub144\uc5ed" and f.properties.get("notes") == "<b>text</b> & more"
               for f in imported)
    assert len({f.id for f in window.scenario.features}) == len(window.scenario.features)
    window.act_undo.trigger()
    assert len(window.scenario.features) == len(before)


def test_importing_a_broken_file_changes_nothing(window, tmp_path):
    bad = tmp_path / "bad.kml"
    bad.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><kml>&a;</kml>', encoding="utf-8")
    before = list(window.scenario.features)
    assert window.import_path(bad) == 0
    assert window.scenario.features == before
    assert "bad.kml" in window._error_box.text()


def test_properties_editor_changes_name_colour_radius_and_position_undoably(window, qtbot):
    fid = window.add_ring(39.2002, 125.6733, 500_000, name="500 km", label="500 km")
    with qtbot.waitSignal(window.map_view.bridge.featureSelected, timeout=5000):
        window.map_view.run_js(f"SitMap.app.features['{fid}'].main.fire('click', {{latlng: L.latLng(39.2, 125.67)}})")
    panel = window.properties
    assert panel.feature.id == fid and panel.radius.isEnabled()
    panel.name.setText("Hwasong-11 \ud654\uc1312-11")
    panel._set_colour("#0072B2")
    panel.dash.setCurrentText("dotted")
    panel.radius.setValue(600)
    panel.position.setText("39\u00b012'00.7\" N, 125\u00b040'23.9\" E")
    panel.commit()
    f = window.scenario.feature(fid)
    assert f.name == "Hwasong-11 \ud654\uc1312-11" and f.properties["radius_m"] == pytest.approx(600_000)
    assert f.properties["style"] == {"color": "#0072B2", "dash": "dotted"}
    assert f.geometry["coordinates"] == pytest.approx([125.6733, 39.2002], abs=1e-4)
    qtbot.waitUntil(lambda: js(qtbot, window.map_view, f"SitMap.app.features['{fid}'].data.style.color") == "#0072B2",
                    timeout=5000)
    pts = json.loads(js(qtbot, window.map_view,
                        f"JSON.stringify(SitMap.app.features['{fid}'].main.getLatLngs().flat(3).map(p => [p.lat, p.lng]))"))
    lat, lon = f.latlon()
    assert geodesy.distance_bearing(lat, lon, *pts[0])[0] == pytest.approx(600_000, abs=1.0)
    window.act_undo.trigger()
    assert window.scenario.feature(fid).properties["radius_m"] == pytest.approx(500_000)
    assert panel.radius.value() == pytest.approx(500)


def test_a_bad_typed_position_is_refused_with_a_reason(window, qtbot):
    fid = window.add_annotation("place", {"type": "Point", "coordinates": [127.0, 37.0]}, {"name": "M"})
    window.properties.show_feature(window.scenario.feature(fid))
    window.properties.position.setText("91 N, 10 E")
    assert window.properties.commit() is None
    assert "latitude" in window.properties.error.text()
    assert window.scenario.feature(fid).geometry["coordinates"] == [127.0, 37.0]


def test_go_to_coordinate_accepts_mgrs(window, qtbot):
    from viewer.model.coords import format_mgrs

    with qtbot.waitSignal(window.map_view.bridge.viewMoved, timeout=10_000,
                          check_params_cb=lambda lat, lng, zoom: abs(lat - 40.1164) < 0.05 and zoom >= 9):
        assert window.go_to(format_mgrs(40.1164, 124.3906))
    assert not window.go_to("not a place")
    assert "edge" not in window.statusBar().currentMessage()


def test_go_to_a_place_past_the_map_s_last_latitude_says_it_is_shown_at_the_edge(window, qtbot):
    # (Web Mercator ends at 85.05 degrees: 88 N is drawn at the top edge, 330 km from where it is)
    assert window.go_to("88 N, 10 E")
    said = window.statusBar().currentMessage()
    assert "88" in said and "top edge" in said and "85.05" in said
    assert window.go_to("89 S 10 W") and "bottom edge" in window.statusBar().currentMessage()
    assert window.go_to("85 N 10 E") and "edge" not in window.statusBar().currentMessage()


def test_drag_handles_move_a_marker_and_a_vertex_undoably(window, qtbot):
    mid = window.add_annotation("place", {"type": "Point", "coordinates": [127.0, 37.0]}, {"name": "M"})
    lid = window.add_annotation("path", {"type": "LineString", "coordinates": [[124.0, 37.0], [125.0, 37.5]]},
                                {"name": "L"})
    with qtbot.waitSignal(window.map_view.bridge.featureSelected, timeout=5000):
        window.map_view.run_js(f"SitMap.app.features['{mid}'].main.fire('click', {{latlng: L.latLng(37, 127)}})")
    qtbot.waitUntil(lambda: js(qtbot, window.map_view, "SitMap.draw.handleCount()") == 1, timeout=5000)
    with qtbot.waitSignal(window.map_view.bridge.vertexDragged, timeout=5000):
        window.map_view.run_js("SitMap.draw.dragHandle(0, 37.5, 127.5)")
    assert window.scenario.feature(mid).geometry["coordinates"] == pytest.approx([127.5, 37.5])
    with qtbot.waitSignal(window.map_view.bridge.featureSelected, timeout=5000):
        window.map_view.run_js(f"SitMap.app.features['{lid}'].main.fire('click', {{latlng: L.latLng(37, 124)}})")
    qtbot.waitUntil(lambda: js(qtbot, window.map_view, "SitMap.draw.handleCount()") == 2, timeout=5000)
    with qtbot.waitSignal(window.map_view.bridge.vertexDragged, timeout=5000):
        window.map_view.run_js("SitMap.draw.dragHandle(1, 38.0, 126.0)")
    assert window.scenario.feature(lid).geometry["coordinates"][1] == pytest.approx([126.0, 38.0])
    window.act_undo.trigger()
    assert window.scenario.feature(lid).geometry["coordinates"][1] == [125.0, 37.5]
    window.act_undo.trigger()
    assert window.scenario.feature(mid).geometry["coordinates"] == [127.0, 37.0]


def test_scenario_features_get_no_handles(window, qtbot):
    with qtbot.waitSignal(window.map_view.bridge.featureSelected, timeout=5000):
        window.map_view.run_js("SitMap.app.features['seoul'].main.fire('click', {latlng: L.latLng(37.56, 127.0)})")
    assert js(qtbot, window.map_view, "SitMap.draw.handleCount()") == 0


def test_shift_click_selects_several_and_delete_removes_them_together(window, qtbot):
    a = window.add_annotation("place", {"type": "Point", "coordinates": [127.0, 37.0]}, {"name": "A"})
    b = window.add_annotation("place", {"type": "Point", "coordinates": [128.0, 37.0]}, {"name": "B"})
    c = window.add_annotation("place", {"type": "Point", "coordinates": [129.0, 37.0]}, {"name": "C"})
    for fid in (a, b):
        with qtbot.waitSignal(window.map_view.bridge.featureAdded, timeout=5000):
            window.map_view.run_js(f"SitMap.app.features['{fid}'].main.fire('click', "
                                   "{latlng: L.latLng(37, 127), originalEvent: {shiftKey: true}})")
    assert window.selection == [a, b]
    assert window.delete_selected()
    assert window.scenario.feature(a) is None and window.scenario.feature(b) is None
    assert window.scenario.feature(c) is not None
    window.act_undo.trigger()
    assert window.scenario.feature(a) is not None and window.scenario.feature(b) is not None


def test_layers_panel_hides_reorders_locks_and_renames_and_the_project_keeps_it(window, qtbot, tmp_path):
    from PySide6.QtCore import Qt

    fid = window.add_annotation("place", {"type": "Point", "coordinates": [127.0, 37.0]}, {"name": "A"})
    panel = window.layers_panel
    ids = [x["id"] for x in panel.layers()]
    assert ids[-1] == "annotations" and "rings" in ids
    rings = panel.list.item(ids.index("rings"))
    rings.setCheckState(Qt.CheckState.Unchecked)
    qtbot.waitUntil(lambda: js(qtbot, window.map_view, "SitMap.app.state().groups.rings") is False, timeout=5000)
    assert not window._group_actions["rings"].isChecked()
    panel.list.setCurrentRow(len(ids) - 1)
    panel.move(-1)
    assert [x["id"] for x in panel.layers()][-2] == "annotations"
    assert json.loads(js(qtbot, window.map_view, "JSON.stringify(SitMap.app.groupOrder)"))[-2] == "annotations"
    panel.toggle_lock()
    window.selected_feature, window.selection = fid, [fid]
    assert not window.delete_selected()
    item = panel.list.currentItem()
    item.setText("My marks")
    path = tmp_path / "p.geojson"
    assert window.save_to(path)
    again = load_scenario(path)
    saved = {x["id"]: x for x in again.layers}
    assert saved["annotations"]["label"] == "My marks" and saved["annotations"]["locked"] is True
    assert saved["rings"]["visible"] is False
    window.act_undo.trigger()  # the rename
    assert {x["id"]: x for x in panel.layers()}["annotations"]["label"] != "My marks"


def test_text_label_tool_places_the_typed_text(window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Alsom island? \uc54c\uc12c", True)))
    window.tool_actions["label"].trigger()
    click(qtbot, window, 40.75, 129.52)
    fid = annotation_ids(window)[-1]
    f = window.scenario.feature(fid)
    assert f.role == "label" and f.name == "Alsom island? \uc54c\uc12c"
    wait_drawn(qtbot, window, fid)
    text = js(qtbot, window.map_view, f"SitMap.app.features['{fid}'].main.getTooltip().getElement().textContent")
    assert text == "Alsom island? \uc54c\uc12c"


def test_marker_symbol_and_colour_are_chosen_in_the_properties(window, qtbot):
    fid = window.add_annotation("place", {"type": "Point", "coordinates": [127.0, 37.0]}, {"role": "marker", "name": "X"})
    panel = window.properties
    panel.show_feature(window.scenario.feature(fid))
    panel.symbol.setCurrentText("launch")
    panel._set_colour("#009E73")
    panel.commit()
    assert window.scenario.feature(fid).properties["style"]["symbol"] == "launch"
    qtbot.waitUntil(lambda: js(qtbot, window.map_view, f"SitMap.app.features['{fid}'].data.symbol") == "launch",
                    timeout=5000)
    assert js(qtbot, window.map_view,
              f"SitMap.app.features['{fid}'].main.getElement().querySelector('polygon').getAttribute('fill')") == "#009E73"


def test_closing_with_unsaved_changes_asks_and_cancel_keeps_the_window(window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from viewer.ui.main_window import MainWindow

    del window.maybe_keep_changes  # the real question, not the fixture's shortcut
    window.add_annotation("place", {"type": "Point", "coordinates": [127.0, 37.0]}, {"name": "unsaved"})
    assert window.isWindowModified() and "[*]" in window.windowTitle()
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Cancel))
    assert window.close() is False and window.isVisible()
    assert asked and "Save the changes" in asked[0]
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    assert MainWindow.maybe_keep_changes(window) is True
    window.maybe_keep_changes = lambda: True


def test_range_ring_by_press_drag_release(window, qtbot):
    window.tool_actions["ring"].trigger()
    assert js(qtbot, window.map_view, "SitMap.app.map.dragging.enabled()") is False
    with qtbot.waitSignal(window.map_view.bridge.clickedAt, timeout=5000):
        window.map_view.run_js("SitMap.app.map.fire('mousedown', {latlng: L.latLng(39.2002, 125.6733)})")
    with qtbot.waitSignal(window.map_view.bridge.clickedAt, timeout=5000):
        window.map_view.run_js("SitMap.app.map.fire('mousemove', {latlng: L.latLng(39.5, 127.0)});"
                               "SitMap.app.map.fire('mouseup', {latlng: L.latLng(39.5, 127.0)});"
                               "SitMap.app.map.fire('click', {latlng: L.latLng(39.5, 127.0)})")
    ring = window.scenario.feature(annotation_ids(window)[-1])
    assert ring.kind == "range_ring"
    assert ring.properties["radius_m"] == pytest.approx(geodesy.distance_bearing(39.2002, 125.6733, 39.5, 127.0)[0])
    assert len(annotation_ids(window)) == 1  # the release's click made no second ring
    window.draw.cancel()
    assert js(qtbot, window.map_view, "SitMap.app.map.dragging.enabled()") is True


def test_a_scripted_maps_own_features_are_kept_with_the_reason_said_and_its_annotations_deleted(window, qtbot, tmp_path):
    """A map made with the scripting API: its features are the map's own (kept in the window, and
    the status bar says so, naming facts only where facts are about the feature); one the script
    added as an annotation is deleted as any annotation is."""
    from viewer import api

    m = api.new_map("Scripted")
    plain = m.add_place(39.0, 125.0, "Depot", source="Script")
    cited = m.add_place(39.5, 125.5, "Launch", role="launch", source="Script")
    m.add_fact("Launch area", "near Pyongyang", source="Script", status="reported", feature=cited)
    loose = m.add_place(40.0, 126.0, "Marked", source="Script", annotation=True)
    path = m.save(tmp_path / "scripted.sitmap.geojson")
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert window.open_path(path)
    window.selected_feature = plain
    assert not window.delete_selected()
    said = window.statusBar().currentMessage()
    assert "Depot" in said and "map's own" in said and "fact" not in said
    window.selected_feature = cited
    assert not window.delete_selected()
    said = window.statusBar().currentMessage()
    assert "Launch" in said and "1 fact(s) are about it" in said
    window.selected_feature = loose
    assert window.delete_selected() and window.scenario.feature(loose) is None
