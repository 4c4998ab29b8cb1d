"""Map > Properties and the fact box keep the map's time zone: the zone the map's local time came
from is the one shown (not one re-derived from its offset and name), a zone chosen is stored with
the local time, and the local times shown follow the zone's summer time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from viewer.model.scenario import Fact, LocalTime, Scenario
from viewer.ui.fact_dialog import FactDialog, utc_qdatetime
from viewer.ui import refcount_guard
from viewer.ui.map_properties import MapPropertiesDialog

@pytest.fixture(autouse=True)
def _references_kept():
    # (as the window does: PySide 6.12 releases a reference to None at each call that returns
    # nothing, and these dialogs are made without the window that guards against it)
    refcount_guard.top_up()


MELBOURNE = LocalTime(timedelta(hours=10), "AEST", "Australia/Melbourne")  # (its event in July)


def _map(local_time: LocalTime | None, event: datetime = datetime(2024, 7, 15, 3, 0, tzinfo=timezone.utc)) -> Scenario:
    return Scenario(title="Campaign", features=[], facts=[], event_time_utc=event, local_time=local_time)


def _dialog(qtbot, scenario: Scenario) -> MapPropertiesDialog:
    dlg = MapPropertiesDialog(scenario, None)
    qtbot.addWidget(dlg)
    return dlg


def _utc(text: str):
    return utc_qdatetime(datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=timezone.utc))


def test_the_maps_own_zone_is_shown_not_another_of_the_same_offset_and_name(qtbot):
    # (AEST +10:00 in July is kept by Brisbane, Hobart, Macquarie...: the box showed the first of them)
    dlg = _dialog(qtbot, _map(MELBOURNE))
    assert dlg.zone.currentData() == "Australia/Melbourne"
    assert dlg.changes() == {}


def test_a_zone_chosen_is_stored_with_the_local_time(qtbot):
    dlg = _dialog(qtbot, _map(None))
    dlg.zone.setCurrentIndex(dlg.zone.findData("America/New_York"))
    assert dlg.changes()["local_time"] == LocalTime(timedelta(hours=-4), "EDT", "America/New_York")


def test_the_local_time_shown_follows_the_zones_summer_time(qtbot):
    dlg = _dialog(qtbot, _map(MELBOURNE))
    dlg.time.setDateTime(_utc("2024-01-15 03:00"))
    assert dlg.local.text() == "Local: 2024-01-15 14:00 AEDT (UTC+11:00)"
    assert dlg.changes()["local_time"] == LocalTime(timedelta(hours=11), "AEDT", "Australia/Melbourne")


def test_a_zone_the_list_has_not_is_kept_and_its_summer_time_shown(qtbot):
    utc_map = _map(LocalTime(timedelta(hours=-4), "EDT", "EST5EDT"))  # (a zone name the list leaves out)
    dlg = _dialog(qtbot, utc_map)
    assert dlg.zone.currentText().startswith("EST5EDT")
    dlg.time.setDateTime(_utc("2024-01-15 15:00"))
    assert dlg.local.text() == "Local: 2024-01-15 10:00 EST (UTC-05:00)"
    assert dlg.changes()["local_time"].tz == "EST5EDT"


def test_an_old_map_without_a_zone_shows_one_of_its_offset_and_name_and_keeps_its_own(qtbot):
    old = _map(LocalTime(timedelta(hours=9), "KST"))
    dlg = _dialog(qtbot, old)
    assert dlg.zone.currentData() in ("Asia/Pyongyang", "Asia/Seoul")
    assert dlg.changes() == {}


def test_the_fact_box_shows_a_winter_time_with_the_zones_winter_offset(qtbot):
    s = _map(LocalTime(timedelta(hours=-4), "EDT", "America/New_York"))
    fact = Fact("t", "launch", "Time", "", "Report", "reported", None, (datetime(2024, 1, 15, 15, 0, tzinfo=timezone.utc),))
    s.facts.append(fact)
    dlg = FactDialog(s, fact, "t2")
    qtbot.addWidget(dlg)
    assert dlg.local.text() == "2024-01-15 10:00 EST, local"
