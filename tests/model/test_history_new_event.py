""""Compared with before" for a map's own launch: the map's distance and apogee are found whatever
features the map has."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.model.test_launch_event import builtin_spec
from viewer.model import history as h
from viewer.model.history_new_event import compare_new_event, fact_km, map_figures
from viewer.model.launch_event import build_launch_event
from viewer.model.scenario import Fact


def _rows(scenario) -> dict[str, str]:
    c = compare_new_event(h.load_default(), h.scenario_launch(scenario), *map_figures(scenario))
    return {f.label: f.value for f in c.facts}


def test_event_without_a_direction_compares_its_apogee_fact_and_its_range():
    s = build_launch_event(builtin_spec(bearing=None))
    assert not any(f.kind == "path" for f in s.features)
    assert map_figures(s) == (pytest.approx(380.0), pytest.approx(42.0))
    rows = _rows(s)
    assert rows["Apogee, compared"].startswith("42 km")
    assert rows["Distance flown, compared"].startswith("380 km")


def test_event_without_range_or_direction_still_compares_its_apogee():
    s = build_launch_event(builtin_spec(bearing=None, ranges=()))
    assert [f.kind for f in s.features if f.kind in ("path", "range_ring")] == []
    distance, apogee = map_figures(s)
    assert distance is None and apogee == pytest.approx(42.0)
    rows = _rows(s)
    assert rows["Apogee, compared"].startswith("42 km")
    assert rows["Distance flown, compared"] == "not reported on this map"


def test_range_comes_from_the_range_fact_when_its_ring_was_deleted():
    s = build_launch_event(builtin_spec(bearing=None))
    s = replace(s, features=[f for f in s.features if f.kind != "range_ring"])
    assert map_figures(s)[0] == pytest.approx(380.0)


def test_apogee_fact_as_edited_is_the_one_compared_not_the_flight_paths_copy():
    s = build_launch_event(builtin_spec())
    s = replace(s, facts=[replace(f, value="About 50 km") if f.id == "apogee" else f for f in s.facts])
    assert map_figures(s) == (pytest.approx(380.0), pytest.approx(50.0))


def test_apogee_fact_of_a_map_written_by_hand_is_found_by_its_label():
    s = build_launch_event(builtin_spec(bearing=None, apogee=None))
    s = replace(s, facts=[*s.facts, Fact("apo-1", "flight", "Apogee", "About 1,000 km (620 mi)", "JCS", "reported")])
    assert map_figures(s)[1] == pytest.approx(1000.0)


@pytest.mark.parametrize("value, km", [("About 42 km", 42.0), ("6,248 km (3,882 mi)", 6248.0),
                                       ("240 miles", 386.24256), ("a 2,000-km altitude", 2000.0),
                                       ("flew for 16 minutes", None), ("not known", None)])
def test_a_facts_first_stated_distance_is_read_in_km(value, km):
    got = fact_km(Fact("a", "flight", "Apogee", value, "s", "reported"))
    assert got == (pytest.approx(km) if km is not None else None)
