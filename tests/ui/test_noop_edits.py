"""OK in a dialog where nothing was changed changes nothing: no undo step, the map not marked
modified, and the values the dialog shows rounded (an event time's fractions of a second) kept."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from viewer.model import edits
from viewer.model.scenario import scenario_to_geojson


def _snapshot(window) -> str:
    return json.dumps(scenario_to_geojson(window.doc.scenario), sort_keys=True, default=str)


def _unchanged(window, before: str, steps: int) -> None:
    assert _snapshot(window) == before
    assert window.undo_stack.count() == steps and window.undo_stack.isClean()
    assert not window.isWindowModified()


def test_ok_in_map_properties_with_nothing_changed_changes_nothing(window):
    before, steps = _snapshot(window), window.undo_stack.count()
    dlg = window.map_actions._open_map_properties(None)
    dlg.accept()
    _unchanged(window, before, steps)


def test_ok_in_map_properties_keeps_an_event_times_fractions_of_a_second(window):
    when = datetime(2022, 1, 16, 23, 52, 17, 250000, tzinfo=timezone.utc)
    assert window.editor.apply(edits.SetMeta(event_time_utc=when))
    steps = window.undo_stack.count()
    dlg = window.map_actions._open_map_properties(None)
    dlg.title.setText("Renamed")
    dlg.accept()
    assert window.doc.scenario.title == "Renamed"
    assert window.doc.scenario.event_time_utc == when
    assert window.undo_stack.count() == steps + 1


def test_ok_in_map_properties_takes_the_time_the_user_sets(window):
    from PySide6.QtCore import QDateTime, QTimeZone

    dlg = window.map_actions._open_map_properties(None)
    dlg.time.setDateTime(QDateTime(2022, 1, 17, 1, 2, 0, 0, QTimeZone.utc()))
    dlg.accept()
    assert window.doc.scenario.event_time_utc == datetime(2022, 1, 17, 1, 2, tzinfo=timezone.utc)


def test_ok_on_a_fact_a_group_name_or_the_sources_with_nothing_changed_changes_nothing(window):
    before, steps = _snapshot(window), window.undo_stack.count()
    window.facts_editor.edit_fact(window.doc.facts[0].id).accept()
    window.facts_editor.edit_sources().accept()
    gid, label = window.doc.scenario.groups[0]
    assert not window.facts_editor.rename_group(gid, label)
    _unchanged(window, before, steps)


def test_ok_in_sources_lists_a_name_the_facts_cite_only_once_it_is_completed(window):
    cited = [n for n in window.doc.scenario.sources() if window.doc.scenario.source_entry(n) is None]
    assert cited  # (the built-in map's facts cite sources its list does not hold)
    dlg = window.facts_editor.edit_sources()
    row = next(r for r in range(dlg.table.rowCount()) if dlg.table.item(r, 0).text() == cited[0])
    dlg.table.item(row, 2).setText("2022-01-17")
    dlg.accept()
    listed = {s["name"]: s for s in window.doc.scenario.sources_list}
    assert listed[cited[0]]["date"] == "2022-01-17"
    assert not set(cited[1:]) & set(listed)
