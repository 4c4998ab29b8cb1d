"""The fact dialog changes what the user changed and keeps the rest of the fact exactly: all its
times, a derived fact's own source and status; a group typed in any script is a group of its
own under the label typed."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from PySide6.QtCore import QDateTime, QTimeZone


def _fact(window, fid):
    return next(f for f in window.doc.facts if f.id == fid)


def _edit(window, fid, change):
    dlg = window.facts_editor.edit_fact(fid)
    change(dlg)
    dlg.accept()
    assert not dlg.isVisible(), dlg.error.text()
    return _fact(window, fid)


def test_editing_the_value_of_a_fact_with_two_times_keeps_both(window):
    before = _fact(window, "launch-time")
    assert len(before.time_utc) == 2  # 23:50Z and 23:54Z: two launches
    after = _edit(window, "launch-time", lambda dlg: dlg.value.setPlainText(before.value + " (JCS)"))
    assert after.value == before.value + " (JCS)"
    assert after.time_utc == before.time_utc


def test_a_time_the_user_sets_replaces_the_facts_times(window):
    when = QDateTime(2022, 1, 17, 0, 5, 0, 0, QTimeZone.utc())
    after = _edit(window, "launch-time", lambda dlg: dlg.time.setDateTime(when))
    assert after.time_utc == (datetime(2022, 1, 17, 0, 5, tzinfo=timezone.utc),)
    cleared = _edit(window, "launch-time", lambda dlg: dlg.has_time.setChecked(False))
    assert cleared.time_utc == ()


def test_editing_the_label_of_a_derived_fact_keeps_its_source_and_status(window):
    before = _fact(window, "dist-seoul")
    assert before.derive and before.status == "derived"
    after = _edit(window, "dist-seoul", lambda dlg: dlg.label.setText("Launch point to Seoul (great circle)"))
    assert after.label == "Launch point to Seoul (great circle)"
    assert (after.source, after.status, after.derive, after.value) == \
        (before.source, before.status, before.derive, before.value)


def test_making_a_fact_derived_cites_sitmaps_calculation(window):
    dlg = window.facts_editor.add_fact()
    dlg.label.setText("Distance")
    dlg.derived.setChecked(True)
    fact = dlg.fact()
    assert fact.status == "derived" and fact.source == "SitMap calculation (geodesic, WGS84)"
    assert fact.derive and fact.derive["op"] == "distance"
    dlg.reject()


def _add(window, label, group):
    dlg = window.facts_editor.add_fact()
    dlg.label.setText(label)
    dlg.source.setCurrentText("S")
    dlg.group.setCurrentText(group)
    dlg.accept()
    assert not dlg.isVisible(), dlg.error.text()
    return next(f for f in window.doc.facts if f.label == label)


@pytest.mark.parametrize("first,second", [("الصواريخ", "미사일"), ("\U0001F680", "\U0001F6F0"),
                                          ("Missiles!", "missiles?")])
def test_each_group_typed_is_its_own_group_under_the_label_typed(window, first, second):
    a = _add(window, "A", first)
    b = _add(window, "B", second)
    s = window.doc.scenario
    assert s.group_label(a.group) == first
    assert s.group_label(b.group) == second
    assert a.group != b.group and "context" not in (a.group, b.group)


def test_a_group_typed_as_a_groups_label_joins_that_group(window):
    a = _add(window, "A", "미사일")
    groups = list(window.doc.scenario.groups)
    b = _add(window, "B", "미사일")
    assert b.group == a.group
    assert window.doc.scenario.groups == groups  # (no second group of the same name)


def test_ok_on_a_fact_with_nothing_changed_is_no_undo_step(window):
    steps = window.undo_stack.count()
    for fact in list(window.doc.facts):
        after = _edit(window, fact.id, lambda dlg: None)
        assert after == fact
    assert window.undo_stack.count() == steps and not window.isWindowModified()


def test_correcting_the_launch_time_moves_the_maps_event_time_in_the_same_undo_step(window):
    # (the briefing's "Launch 162350Z JAN 22" kept the old time after the launch-time fact was corrected)
    from viewer.export.briefing import default_subtitle

    assert window.doc.scenario.event_time_utc == datetime(2022, 1, 16, 23, 50, tzinfo=timezone.utc)
    steps = window.undo_stack.count()
    when = QDateTime(2022, 1, 16, 23, 42, 0, 0, QTimeZone.utc())
    _edit(window, "launch-time", lambda dlg: dlg.time.setDateTime(when))
    assert window.doc.scenario.event_time_utc == datetime(2022, 1, 16, 23, 42, tzinfo=timezone.utc)
    assert "162342Z JAN 22" in default_subtitle(window.doc.scenario)
    assert window.undo_stack.count() == steps + 1
    window.undo_stack.undo()
    assert window.doc.scenario.event_time_utc == datetime(2022, 1, 16, 23, 50, tzinfo=timezone.utc)
    assert len(_fact(window, "launch-time").time_utc) == 2
    # a time on a fact that is not the launch's leaves the event time alone
    _edit(window, "japan", lambda dlg: (dlg.has_time.setChecked(True), dlg.time.setDateTime(when)))
    assert window.doc.scenario.event_time_utc == datetime(2022, 1, 16, 23, 50, tzinfo=timezone.utc)
