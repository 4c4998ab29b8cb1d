"""A map's local time follows its zone's summer time: each fact time, and the event time, is shown
with the offset and short name the zone kept at that moment (EST in January, EDT in July), where
the map knows its zone; a map that keeps only a fixed offset (an older file, another tool's) shows
it as before. The zone is kept in the file (sitmap.local_time.tz), read leniently, written strictly."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from viewer.model.scenario import (
    Fact,
    LocalTime,
    Scenario,
    ScenarioError,
    meta_to_json,
    parse_scenario,
    parse_scenario_bytes,
    scenario_to_geojson,
)

NEW_YORK = LocalTime(timedelta(hours=-4), "EDT", "America/New_York")  # (its event in July)
SYDNEY = LocalTime(timedelta(hours=11), "AEDT", "Australia/Sydney")  # (its event in January)


def _utc(*a: int) -> datetime:
    return datetime(*a, tzinfo=timezone.utc)


def _map(local_time: LocalTime | None, *times: datetime) -> Scenario:
    facts = [Fact(f"t{i}", "launch", "Time", "", "Report", "reported", None, (t,)) for i, t in enumerate(times)]
    return Scenario(title="Campaign", features=[], facts=facts, event_time_utc=_utc(2024, 7, 15, 15, 0),
                    local_time=local_time)


def test_new_york_fact_times_show_est_in_winter_and_edt_in_summer():
    s = _map(NEW_YORK, _utc(2024, 1, 15, 15, 0), _utc(2024, 7, 15, 15, 0))
    winter, summer = (s.fact_display_value(f) for f in s.facts)
    assert winter == "10:00 EST, 15 Jan 2024 (15:00 UTC, 15 Jan 2024)"
    assert summer == "11:00 EDT, 15 Jul 2024 (15:00 UTC, 15 Jul 2024)"


def test_sydney_fact_times_show_aedt_in_its_summer_and_aest_in_its_winter():
    s = _map(SYDNEY, _utc(2024, 1, 15, 3, 0), _utc(2024, 7, 15, 3, 0))
    january, july = (s.fact_display_value(f) for f in s.facts)
    assert january == "14:00 AEDT, 15 Jan 2024 (03:00 UTC, 15 Jan 2024)"
    assert july == "13:00 AEST, 15 Jul 2024 (03:00 UTC, 15 Jul 2024)"


def test_times_of_one_fact_either_side_of_the_change_each_show_their_own_zone_name():
    s = _map(NEW_YORK)
    fact = Fact("t", "launch", "Times", "", "Report", "reported", None,
                (_utc(2024, 11, 3, 5, 30), _utc(2024, 11, 3, 6, 30)))  # (01:30 twice: the clocks went back)
    assert s.fact_display_value(fact).startswith("01:30 EDT, 3 Nov 2024; 01:30 EST, 3 Nov 2024 (")


def test_a_map_with_a_fixed_offset_only_shows_every_time_with_it_as_before():
    s = _map(LocalTime(timedelta(hours=-4), "EDT"), _utc(2024, 1, 15, 15, 0))
    assert s.fact_display_value(s.facts[0]) == "11:00 EDT, 15 Jan 2024 (15:00 UTC, 15 Jan 2024)"


def test_pyongyangs_half_hour_years_are_named_by_their_offset_not_as_kst():
    s = _map(LocalTime(timedelta(hours=9), "KST", "Asia/Pyongyang"), _utc(2017, 8, 28, 20, 57))
    assert s.fact_display_value(s.facts[0]).startswith("05:27 UTC+08:30, 29 Aug 2017 (")


def test_the_briefings_event_time_shows_the_offset_the_zone_keeps_at_the_event():
    from viewer.export.briefing import event_time_text

    s = replace(_map(NEW_YORK), event_time_utc=_utc(2024, 1, 15, 15, 0))
    assert event_time_text(s) == "Event 151500Z JAN 24 (10:00 EST 15 Jan 2024)"


def test_a_time_off_the_calendar_in_local_time_shows_utc_only():
    s = _map(SYDNEY, datetime(9999, 12, 31, 23, 0, tzinfo=timezone.utc))
    assert s.fact_display_value(s.facts[0]) == "23:00 UTC, 31 Dec 9999"


def _doc(local_time: dict) -> dict:
    return {"type": "FeatureCollection", "features": [],
            "sitmap": {"version": 1, "title": "Campaign", "event_time_utc": "2024-07-15T15:00:00Z",
                       "local_time": local_time}}


def test_the_zone_is_written_to_the_file_and_read_back():
    s = _map(NEW_YORK, _utc(2024, 1, 15, 15, 0))
    assert meta_to_json(s)["local_time"] == {"utc_offset": "-04:00", "zone": "EDT", "tz": "America/New_York"}
    again = parse_scenario(json.loads(json.dumps(scenario_to_geojson(s))))
    assert again.local_time == NEW_YORK
    assert again.fact_display_value(again.facts[0]).startswith("10:00 EST")


def test_a_file_without_a_zone_reads_as_a_fixed_offset_and_is_written_back_unchanged():
    old = {"utc_offset": "+09:00", "zone": "KST"}
    s = parse_scenario(_doc(dict(old)))
    assert s.local_time == LocalTime(timedelta(hours=9), "KST") and s.local_time.tz is None
    assert scenario_to_geojson(s)["sitmap"]["local_time"] == old


@pytest.mark.parametrize("tz", ["Mars/Olympus_Mons", "../../etc/passwd", "America", "", 5, ["Asia/Seoul"]])
def test_a_zone_not_known_here_is_left_out_said_so_and_the_map_opens(tz):
    notes: list[str] = []
    raw = json.dumps(_doc({"utc_offset": "-04:00", "zone": "EDT", "tz": tz})).encode()
    from viewer.model.scenario import parse_decoded

    s = parse_decoded(json.loads(raw), "campaign.sitmap.geojson", notes)
    assert s.local_time == LocalTime(timedelta(hours=-4), "EDT")
    assert len(notes) == 1 and "zone" in notes[0] and "no time zone known here" in notes[0]
    assert parse_scenario_bytes(raw, "campaign.sitmap.geojson").local_time.tz is None  # (no notes asked: opens)


def test_a_zone_not_known_here_is_refused_when_stored():
    from viewer.model.document import validated_meta

    bad = _map(LocalTime(timedelta(hours=-4), "EDT", "Mars/Olympus_Mons"))
    with pytest.raises(ValueError, match="no time zone known here"):
        meta_to_json(bad)
    with pytest.raises(ScenarioError, match="no time zone known here"):
        validated_meta(bad)


def test_a_zone_chosen_by_name_keeps_the_zone():
    from viewer.model.timezones import local_time

    assert local_time("America/New_York", _utc(2024, 7, 15, 15, 0)) == NEW_YORK
    assert local_time("Australia/Sydney", _utc(2024, 1, 15, 3, 0)) == SYDNEY


def test_a_launch_built_from_a_zones_clock_keeps_the_zone():
    from viewer.model.launch_event import LaunchTime, build_launch_event
    from tests.model.test_launch_event import builtin_spec

    built = build_launch_event(builtin_spec(time=LaunchTime((datetime(2022, 1, 17, 8, 50),), "Asia/Pyongyang",
                                                             source="JCS")))
    assert built.local_time == LocalTime(timedelta(hours=9), "KST", "Asia/Pyongyang")
    earlier = Fact("t", "launch", "Time", "", "Report", "reported", None, (_utc(2017, 8, 28, 20, 57),))
    assert built.fact_display_value(earlier).startswith("05:27 UTC+08:30, 29 Aug 2017 (")


def test_opening_a_map_whose_zone_is_not_known_here_says_so_in_the_open_report():
    from viewer.model.io.open_any import open_map_bytes

    raw = json.dumps(_doc({"utc_offset": "-04:00", "zone": "EDT", "tz": "Mars/Olympus_Mons"})).encode()
    s, report = open_map_bytes(raw, "campaign.sitmap.geojson")
    assert s.local_time == LocalTime(timedelta(hours=-4), "EDT") and report.own_format
    assert report.anything_to_say and any("'Mars/Olympus_Mons'" in line for line in report.lines())
    good = json.dumps(_doc({"utc_offset": "-04:00", "zone": "EDT", "tz": "America/New_York"})).encode()
    s, report = open_map_bytes(good, "campaign.sitmap.geojson")
    assert s.local_time == NEW_YORK and not report.anything_to_say


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".kml"])
def test_an_exchange_files_zone_is_carried_and_one_not_known_here_is_said_in_the_open_report(tmp_path, suffix):
    from viewer.export.writers import writer_for
    from viewer.model.io.open_any import open_map_bytes, open_map_file

    s = _map(NEW_YORK, _utc(2024, 1, 15, 15, 0))
    path = tmp_path / f"campaign{suffix}"
    writer_for(path).write(s, path)
    back, report = open_map_file(path)
    assert back.local_time == NEW_YORK
    assert back.fact_display_value(back.facts[0]).startswith("10:00 EST")
    if suffix == ".geojson":  # (another tool's edit: a zone not known here)
        doc = json.loads(path.read_bytes())
        doc["sitmap_map"]["local_time"]["tz"] = "Mars/Olympus_Mons"
        back, report = open_map_bytes(json.dumps(doc).encode(), "edited.geojson")
        assert back.local_time == LocalTime(timedelta(hours=-4), "EDT")
        assert any("'Mars/Olympus_Mons'" in line for line in report.lines())
