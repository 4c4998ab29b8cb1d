"""A time window shows the features drawn from a launch point (its range rings, flight path and
impact area) together with the launch point: shown together or left out together."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from tests.model.test_launch_event import builtin_spec
from viewer import resources
from viewer.model.drawn_from import drawn_from
from viewer.model.history import feature_times, parse_window
from viewer.model.launch_event import LaunchTime, build_launch_event
from viewer.model.scenario import Feature, Scenario, load_scenario
from viewer.model.time_window import in_window

EVENT = {"launch-point", "ring-380km", "flight-path", "impact-area"}


@pytest.fixture(scope="module")
def builtin() -> Scenario:
    return load_scenario(resources.default_scenario())


def test_a_window_of_the_local_day_after_the_launch_leaves_out_the_whole_launch(builtin):
    # 17 Jan 2022 is the launch's day in Korea; the launch was at 23:50 UTC on the 16th.
    w = in_window(builtin, parse_window("2022-01-17"))
    assert set(w.hidden_features) == EVENT
    shown = {f.id for f in w.scenario.features}
    assert not shown & EVENT and {"seoul", "pyongyang", "rail-crossing"} <= shown
    assert not {f.id for f in w.scenario.facts} & {"range", "apogee", "impact-estimate", "dist-seoul"}


def test_a_window_holding_the_launch_shows_the_whole_launch(builtin):
    w = in_window(builtin, parse_window("2022-01-16"))
    assert w.hidden_features == () and EVENT <= {f.id for f in w.scenario.features}


def test_the_rings_path_and_impact_area_have_the_launch_points_times(builtin):
    times = feature_times(builtin)
    assert {fid for fid in times} == EVENT
    assert all(times[fid] == times["launch-point"] for fid in EVENT)


def test_a_moved_launch_point_keeps_its_path_which_starts_at_its_rings_centre(builtin):
    moved = [replace(f, geometry={"type": "Point", "coordinates": [125.8, 39.3]}) if f.id == "launch-point" else f
             for f in builtin.features]
    links = drawn_from(replace(builtin, features=moved))
    assert links == {"ring-380km": "launch-point", "flight-path": "launch-point", "impact-area": "launch-point"}


def test_a_timed_ring_round_an_untimed_launch_point_times_the_launch_point_too():
    s = build_launch_event(builtin_spec(time=None))
    ring = next(f for f in s.features if f.kind == "range_ring")
    timed = replace(ring, properties={**ring.properties, "time_utc": "2022-01-16T23:50:00Z"})
    s = replace(s, features=[timed if f is ring else f for f in s.features])
    w = in_window(s, parse_window("2022-02"))
    assert set(w.hidden_features) == {"launch-point", ring.id, "flight-path", "impact-area"}


def test_a_timed_ring_round_an_untimed_city_leaves_the_city_shown(builtin):
    ring = Feature("ring-seoul", "range_ring", {"type": "Point", "coordinates": [126.9997, 37.5663]},
                   {"kind": "range_ring", "radius_m": 50_000.0, "centre_feature": "seoul",
                    "time_utc": "2022-03-09T00:00:00Z", "status": "reported"})
    s = replace(builtin, features=[*builtin.features, ring])
    w = in_window(s, parse_window("2022-01-16"))
    assert "ring-seoul" in w.hidden_features and "seoul" not in w.hidden_features


def test_two_launches_on_one_map_each_keep_their_own_features():
    def event(prefix: str, day: int, site_lon: float) -> Scenario:
        t = LaunchTime((datetime(2022, 1, day, 8, 50),), "Asia/Pyongyang", "minute", "JCS")
        spec = builtin_spec(time=t)
        spec = replace(spec, site=replace(spec.site, lon=site_lon), places=())
        s = build_launch_event(spec)

        def renamed(f: Feature) -> Feature:
            p = dict(f.properties)
            if "centre_feature" in p:
                p["centre_feature"] = prefix + p["centre_feature"]
            return replace(f, id=prefix + f.id, properties=p)

        facts = [replace(x, id=prefix + x.id, feature=prefix + x.feature if x.feature else None) for x in s.facts]
        return replace(s, features=[renamed(f) for f in s.features], facts=facts)

    a, b = event("a-", 17, 125.6733), event("b-", 20, 127.5)
    both = replace(a, features=a.features + b.features, facts=a.facts + b.facts)
    assert {k: v for k, v in drawn_from(both).items() if k.endswith("impact-area")} == {
        "a-impact-area": "a-launch-point", "b-impact-area": "b-launch-point"}
    w = in_window(both, (datetime(2022, 1, 19, tzinfo=timezone.utc), datetime(2022, 1, 21, tzinfo=timezone.utc)))
    assert {fid for fid in w.hidden_features} == {"a-launch-point", "a-ring-380km", "a-flight-path", "a-impact-area"}


def test_a_timed_line_of_the_analysts_from_the_launch_point_does_not_retime_the_launch(builtin):
    """A line drawn from the launch point, timed two months later, is shown in its own window and
    the launch's; the launch (point, ring, path, impact area) keeps its own times."""
    from viewer.model.scenario import Feature

    lp = builtin.feature("launch-point")
    line = Feature("later-line", "path", {"type": "LineString", "coordinates": [lp.geometry["coordinates"], [130.0, 40.0]]},
                   {"kind": "path", "name": "Later", "time_utc": "2022-03-01T00:00:00Z"})
    both = replace(builtin, features=[*builtin.features, line])
    before = feature_times(builtin)["launch-point"]
    times = feature_times(both)
    assert times["launch-point"] == before
    march = in_window(both, parse_window("2022-03-01"))
    assert EVENT <= set(march.hidden_features) and "later-line" not in march.hidden_features
    january = in_window(both, parse_window("2022-01-16"))
    assert not EVENT & set(january.hidden_features)


def _launch_at(fid: str, lon: float, lat: float, time: str) -> list[Feature]:
    """A launch point, its flight path east and a square impact area round the path's end."""
    end = [lon + 3.0, lat]
    square = [[end[0] - 0.2, lat - 0.2], [end[0] + 0.2, lat - 0.2], [end[0] + 0.2, lat + 0.2],
              [end[0] - 0.2, lat + 0.2], [end[0] - 0.2, lat - 0.2]]
    return [Feature(fid, "place", {"type": "Point", "coordinates": [lon, lat]},
                    {"kind": "place", "role": "launch", "time_utc": time}),
            Feature(fid + "-path", "path", {"type": "LineString", "coordinates": [[lon, lat], end]},
                    {"kind": "path", "role": "trajectory"}),
            Feature(fid + "-area", "area", {"type": "Polygon", "coordinates": [square]},
                    {"kind": "area", "role": "target_estimate"})]


def _map_of(features: list[Feature]) -> Scenario:
    base = load_scenario(resources.default_scenario())
    return replace(base, features=features, facts=[])


def test_matching_impact_areas_to_path_ends_looks_only_near_each_area(monkeypatch):
    """1,000 launches took 47 s when each impact area tried every path's end."""
    import viewer.model.drawn_from as mod

    features = [f for i in range(400) for f in _launch_at(f"l{i}", 100.0 + (i % 40) * 2.0 + (i // 40) * 0.05,
                                                         -40.0 + (i // 40) * 8.0, "2022-01-01T00:00:00Z")]
    calls = []
    real = mod._inside
    monkeypatch.setattr(mod, "_inside", lambda point, ring: calls.append(1) or real(point, ring))
    links = drawn_from(_map_of(features))
    assert all(links[f"l{i}-area"] == f"l{i}" and links[f"l{i}-path"] == f"l{i}" for i in range(400))
    assert len(calls) <= 4 * 400  # (every end against every area: 160,000)


def test_an_impact_area_across_the_180th_meridian_finds_its_path_end():
    a = _launch_at("east", 176.0, 50.0, "2022-01-01T00:00:00Z")  # its path ends at 179.0, its area to 179.2
    ring = [[179.9, 49.8], [-179.7, 49.8], [-179.7, 50.2], [179.9, 50.2], [179.9, 49.8]]
    a[1] = replace(a[1], geometry={"type": "LineString", "coordinates": [[176.0, 50.0], [-179.8, 50.0]]})
    a[2] = replace(a[2], geometry={"type": "Polygon", "coordinates": [ring]})
    b = _launch_at("west", 10.0, 0.0, "2022-02-01T00:00:00Z")
    assert drawn_from(_map_of(a + b))["east-area"] == "east"


def test_a_path_and_area_from_two_launch_points_at_one_place_go_with_either():
    a = _launch_at("first", 125.0, 39.0, "2022-01-05T00:00:00Z")
    b = _launch_at("second", 125.0, 39.0, "2022-03-05T00:00:00Z")
    s = _map_of([a[0], b[0], a[1], a[2]])  # (one path and area: whose, the map does not say)
    times = feature_times(s)
    assert times["first-path"] == times["first-area"] == sorted(times["first"] + times["second"])
    assert set(in_window(s, parse_window("2022-02")).hidden_features) == {"first", "second", "first-path", "first-area"}
    assert set(in_window(s, parse_window("2022-03")).hidden_features) == {"first"}


def test_a_flight_path_without_properties_goes_with_its_launch_point():
    a = _launch_at("l", 125.0, 39.0, "2022-01-05T00:00:00Z")
    bare = Feature("bare-path", "path", dict(a[1].geometry), {})
    s = _map_of([a[0], bare])
    assert drawn_from(s) == {"bare-path": "l"}
    assert "bare-path" in in_window(s, parse_window("2022-02")).hidden_features


def test_a_timed_ring_round_a_timed_city_keeps_its_own_times_too(builtin):
    seoul = builtin.feature("seoul")
    city = replace(seoul, properties={**seoul.properties, "time_utc": "2022-01-10T00:00:00Z"})
    ring = Feature("ring-seoul", "range_ring", {"type": "Point", "coordinates": seoul.geometry["coordinates"]},
                   {"kind": "range_ring", "radius_m": 50_000.0, "centre_feature": "seoul",
                    "time_utc": "2022-03-09T00:00:00Z", "status": "reported"})
    s = replace(builtin, features=[city if f is seoul else f for f in builtin.features] + [ring])
    assert "ring-seoul" not in in_window(s, parse_window("2022-03-09")).hidden_features
    assert "ring-seoul" not in in_window(s, parse_window("2022-01-10")).hidden_features


@pytest.mark.parametrize("first", ["timed", "untimed"])
def test_an_untimed_launch_point_takes_no_times_from_a_path_it_shares_with_a_timed_one(first):
    """Which launch point comes first in the map changes nothing: the untimed one stays untimed
    (shown in every window), the shared path goes with the timed one's times."""
    timed = _launch_at("timed", 125.0, 39.0, "2022-01-05T00:00:00Z")
    untimed = _launch_at("untimed", 125.0, 39.0, "2022-01-05T00:00:00Z")
    untimed[0] = replace(untimed[0], properties={"kind": "place", "role": "launch"})
    points = [timed[0], untimed[0]] if first == "timed" else [untimed[0], timed[0]]
    times = feature_times(_map_of(points + [timed[1]]))
    assert "untimed" not in times and times["timed-path"] == times["timed"]
