"""Mapping the next event in the window: File > New, Map Properties, facts and sources edited in
the Facts tab (validated, undoable, saved, reopened), right-click menus of the app's own."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from PySide6.QtCore import QDateTime, QTimeZone
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import READY_MS, js
from viewer.model.scenario import load_scenario

HOSTILE = '<img src=x onerror="window.__sitmap_pwned=1">{{7*7}}'


def new_map(qtbot, window):
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert window.new_map()
    assert window.doc.features == [] and window.doc.facts == [] and window.scenario_path is None


def open_properties(qtbot, window):
    box = window.map_properties_dialog()
    qtbot.waitUntil(lambda: "dialog" in box, timeout=10_000)
    return box["dialog"]


def test_new_map_then_properties_with_a_zone_proposed_from_the_event_place(qtbot, window):
    new_map(qtbot, window)
    assert window.windowTitle().startswith("Untitled map")
    window.add_annotation("place", {"type": "Point", "coordinates": [129.08, 41.28]}, {"name": "Launch site", "role": "launch"})
    dlg = open_properties(qtbot, window)
    assert dlg.proposed == "Asia/Pyongyang" and dlg.zone.currentData() == "Asia/Pyongyang"
    dlg.title.setText("Test launch, 12 October 2022")
    dlg.subtitle.setText("Two SRBMs, reported by JCS")
    dlg.has_time.setChecked(True)
    dlg.time.setDateTime(QDateTime(2022, 10, 8, 16, 48, 0, 0, QTimeZone.utc()))
    dlg.article.setText("Wire report, 9 October 2022")
    dlg.banner.setCurrentText("UNCLASSIFIED")
    dlg.use_view.setChecked(True)
    assert "KST" in dlg.local.text() and "2022-10-09 01:48" in dlg.local.text()
    dlg.accept()
    s = window.doc.scenario
    assert s.title == "Test launch, 12 October 2022" and s.banner == "UNCLASSIFIED"
    assert s.event_time_utc == datetime(2022, 10, 8, 16, 48, tzinfo=timezone.utc)
    assert s.local_time.zone == "KST" and s.local_time.utc_offset.total_seconds() == 9 * 3600
    assert "bounds" in s.view
    assert window.windowTitle().startswith("Test launch")
    window.undo_stack.undo()
    assert window.doc.scenario.title == "Untitled map"


def test_a_blank_title_is_refused_and_the_dialog_stays_with_the_reason(qtbot, window):
    dlg = open_properties(qtbot, window)
    dlg.title.setText("   ")
    dlg.accept()
    assert dlg.isVisible() and "title" in dlg.error.text()
    assert window.doc.scenario.title.startswith("North Korea")


def test_facts_added_edited_moved_deleted_with_sources_then_saved_and_reopened(qtbot, window, tmp_path):
    new_map(qtbot, window)
    site = window.add_annotation("place", {"type": "Point", "coordinates": [125.6733, 39.2002]}, {"name": "Sunan"})
    target = window.add_annotation("place", {"type": "Point", "coordinates": [131.0, 40.5]}, {"name": "Impact"})
    # sources, each once
    sdlg = window.facts_editor.edit_sources()
    sdlg.add_row({"name": "South Korea JCS", "url": "https://www.jcs.mil.kr", "date": "2022-10-09"})
    sdlg.add_row({"name": "KCNA", "date": "2022-10-10", "note": "state media"})
    sdlg.accept()
    assert [x["name"] for x in window.doc.scenario.sources_list] == ["South Korea JCS", "KCNA"]
    # a reported fact about a feature, with a time
    dlg = window.facts_editor.add_fact(feature=site)
    dlg.label.setText("Range")
    dlg.value.setPlainText("about 350 km")
    dlg.source.setCurrentText("South Korea JCS")
    dlg.status.setCurrentText("reported")
    dlg.has_time.setChecked(True)
    dlg.time.setDateTime(QDateTime(2022, 10, 8, 16, 48, 0, 0, QTimeZone.utc()))
    dlg.accept()
    range_fact = window.doc.facts[-1]
    assert (range_fact.label, range_fact.feature, range_fact.source) == ("Range", site, "South Korea JCS")
    assert range_fact.time_utc == (datetime(2022, 10, 8, 16, 48, tzinfo=timezone.utc),)
    # a derived distance, kept live when a point moves
    dlg = window.facts_editor.add_fact()
    dlg.label.setText("Launch to impact")
    dlg.derived.setChecked(True)
    dlg.d_from.setCurrentIndex(dlg.d_from.findData(site))
    dlg.d_to.setCurrentIndex(dlg.d_to.findData(target))
    dlg.accept()
    derived = window.doc.facts[-1]
    assert derived.status == "derived" and derived.derive == {"op": "distance", "from": site, "to": target}
    before = window.doc.scenario.fact_display_value(derived)
    window.editor.move_vertex(target, 0, 40.5, 132.0)
    assert window.doc.scenario.fact_display_value(derived) != before
    # a claimed fact; then edit it, move it, delete it, undo
    dlg = window.facts_editor.add_fact()
    dlg.label.setText("Claim")
    dlg.value.setPlainText("a test of a new system")
    dlg.source.setCurrentText("KCNA")
    dlg.status.setCurrentText("claimed")
    dlg.accept()
    claim = window.doc.facts[-1].id
    dlg = window.facts_editor.edit_fact(claim)
    dlg.value.setPlainText("a drill")
    dlg.accept()
    assert window.doc.facts[-1].value == "a drill"
    assert window.facts_editor.move_fact(claim, -1)
    ids = [f.id for f in window.doc.facts]
    assert ids.index(claim) == len(ids) - 2
    assert window.facts_editor.delete_facts([claim])
    assert claim not in [f.id for f in window.doc.facts]
    window.undo_stack.undo()
    assert claim in [f.id for f in window.doc.facts]
    # groups
    gid = window.facts_editor.add_group("Reactions")
    assert (gid, "Reactions") in window.doc.scenario.groups
    assert window.facts_editor.rename_group(gid, "Reactions abroad")
    # the panel shows every fact
    assert set(window.facts.fact_ids()) == {f.id for f in window.doc.facts}
    path = tmp_path / "next.sitmap.geojson"
    assert window.save_to(path)
    reopened = load_scenario(path)
    assert reopened.facts == window.doc.facts and reopened.sources_list == window.doc.scenario.sources_list
    assert (gid, "Reactions abroad") in reopened.groups


@pytest.mark.parametrize("field, value, words", [
    ("label", "", "label"),
    ("source", "  ", "source"),
])
def test_a_fact_the_reader_would_refuse_is_not_stored_and_the_dialog_says_why(qtbot, window, field, value, words):
    n = len(window.doc.facts)
    dlg = window.facts_editor.add_fact()
    dlg.label.setText("Range")
    dlg.source.setCurrentText("JCS")
    getattr(dlg, field).setText(value) if field == "label" else dlg.source.setCurrentText(value)
    dlg.accept()
    assert len(window.doc.facts) == n
    assert dlg.isVisible() and words in dlg.error.text()


def test_a_source_link_that_is_no_link_is_refused(qtbot, window):
    sdlg = window.facts_editor.edit_sources()
    sdlg.add_row({"name": "Somebody", "url": "javascript:alert(1)"})
    sdlg.accept()
    assert sdlg.isVisible() and "link" in sdlg.error.text()
    assert window.doc.scenario.sources_list == []


def test_hostile_text_in_every_new_field_is_stored_as_text_and_never_runs(qtbot, window, tmp_path):
    dlg = open_properties(qtbot, window)
    dlg.title.setText(HOSTILE)
    dlg.subtitle.setText(HOSTILE)
    dlg.article.setText(HOSTILE)
    dlg.accept()
    sdlg = window.facts_editor.edit_sources()
    sdlg.add_row({"name": HOSTILE, "note": HOSTILE})
    sdlg.accept()
    dlg = window.facts_editor.add_fact(feature="launch-point")
    dlg.label.setText(HOSTILE)
    dlg.value.setPlainText(HOSTILE)
    dlg.source.setCurrentText(HOSTILE)
    dlg.accept()
    assert window.doc.facts[-1].label == HOSTILE and window.doc.scenario.title == HOSTILE
    assert window.facts.title.text() == HOSTILE  # plain text, shown as typed
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        window.set_scenario(window.doc.scenario, None)
    assert js(qtbot, window.map_view, "String(window.__sitmap_pwned)") == "undefined"
    assert window.save_to(tmp_path / "h.sitmap.geojson")
    assert load_scenario(tmp_path / "h.sitmap.geojson").title == HOSTILE


def test_times_past_9999_and_impossible_coordinates_are_refused(qtbot, window):
    from viewer.model import edits
    from viewer.model.scenario import Fact

    far = Fact("t", "context", "When", "", "JCS", "reported", time_utc=(datetime(9999, 12, 31, 23, 59, tzinfo=timezone.utc)
                                                                         .replace(year=9999),))
    assert window.editor.apply(edits.SetFacts(list(window.doc.facts) + [far]))  # the last minute of 9999 is fine
    n = len(window.doc.features)
    assert window.add_annotation("place", {"type": "Point", "coordinates": [10, 95]}, {"name": "Nowhere"}) is None
    assert len(window.doc.features) == n and "latitude" in window.editor.refused


def test_right_click_shows_sitmaps_menus_and_add_fact_about_this_opens_the_fact_dialog(qtbot, window):
    from viewer.ui import context_menus

    # the page asks for the menu (no browser menu: it has no Reload)
    with qtbot.waitSignal(window.map_view.bridge.featureMenuAt, timeout=5000) as sig:
        window.map_view.run_js("SitMap.app.send('featureContextMenu', 'launch-point', 39.2, 125.67)")
    assert sig.args[0] == "launch-point"
    from PySide6.QtCore import Qt as _Qt

    assert window.map_view.contextMenuPolicy() == _Qt.ContextMenuPolicy.NoContextMenu
    menu = context_menus.feature_menu(window, "launch-point", 39.2, 125.67)
    texts = [a.text() for a in menu.actions()]
    assert "Add Fact About This\u2026" in texts and "Zoom To" in texts and "Range Ring Here\u2026" in texts
    assert not next(a for a in menu.actions() if a.text() == "Delete").isEnabled()  # a scenario feature
    next(a for a in menu.actions() if a.text() == "Add Fact About This\u2026").trigger()
    dlg = window.facts_editor.dialog
    assert dlg is not None and dlg.feature.currentData() == "launch-point"
    dlg.reject()
    copy = menu.findChild(type(menu), "copyCoordinates")
    mgrs = next(a for a in copy.actions() if a.text().startswith("MGRS"))
    mgrs.trigger()
    assert QApplication.clipboard().text().startswith("51S")
    mmenu = context_menus.map_menu(window, 37.5665, 126.978)
    next(a for a in mmenu.actions() if a.text() == "What Is Here?").trigger()
    assert "Seoul" in window.statusBar().currentMessage()
    n = len(window.doc.features)
    next(a for a in mmenu.actions() if a.text() == "Add Marker Here").trigger()
    assert len(window.doc.features) == n + 1


def test_pick_on_map_sets_the_facts_feature(qtbot, window):
    dlg = window.facts_editor.add_fact()
    dlg.pick.click()
    assert not dlg.isVisible()
    with qtbot.waitSignal(window.map_view.bridge.featureSelected, timeout=5000):
        window.map_view.run_js("SitMap.app.send('featureClicked', 'seoul')")
    assert dlg.isVisible() and dlg.feature.currentData() == "seoul"
    dlg.reject()
