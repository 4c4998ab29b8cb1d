"""The launch-event builder: the built-in event re-entered gives the built-in geometry; bad specs are refused."""

from datetime import date, datetime, timezone

import pytest
from geographiclib.geodesic import Geodesic

from viewer import resources
from viewer.model.launch_event import (
    Attributed,
    Bearing,
    ContextPlace,
    LaunchEventError,
    LaunchEventSpec,
    LaunchSite,
    LaunchTime,
    ReportedValue,
    build_launch_event,
    compass_bearing,
    local_day_bounds_utc,
)
from viewer.model.scenario import derive_value, load_scenario, parse_scenario, scenario_to_geojson

JCS = "South Korea Joint Chiefs of Staff (JCS)"
KCNA = "KCNA (North Korean state news agency)"


def builtin_spec(**changes) -> LaunchEventSpec:
    spec = dict(
        title="North Korea missile test, 17 January 2022",
        site=LaunchSite(39.2002, 125.6733, "Sunan, near Pyongyang", 5000,
                        "CNS North Korea Missile Test Database", "estimated", wording="near Pyongyang"),
        time=LaunchTime((datetime(2022, 1, 17, 8, 50), datetime(2022, 1, 17, 8, 54)), "Asia/Pyongyang",
                        "minute", JCS),
        ranges=(ReportedValue(380_000, JCS, wording="About 380 km (about 240 mi)"),),
        apogee=ReportedValue(42_000, JCS),
        bearing=Bearing(62, 7, 8, source="Japan MOD", wording="fired east", wording_source=JCS),
        range_spread_m=10_000,
        count=Attributed("Two", JCS),
        system=(Attributed("\u201cTactical guided missiles\u201d", KCNA, "claimed", "Type, per North Korea"),),
        places=(ContextPlace("seoul", "Seoul", 37.5663, 126.9997),),
    )
    spec.update(changes)
    return LaunchEventSpec(**spec)


@pytest.fixture(scope="module")
def builtin():
    return load_scenario(resources.default_scenario())


def _dist(a, b) -> float:
    return Geodesic.WGS84.Inverse(a[1], a[0], b[1], b[0])["s12"]


def test_builtin_numbers_give_the_builtin_ring_path_and_impact_area_within_1_m(builtin):
    built = build_launch_event(builtin_spec())
    ring_b, ring_n = builtin.feature("ring-380km"), built.feature("ring-380km")
    assert ring_n.properties["radius_m"] == ring_b.properties["radius_m"]
    assert _dist(ring_n.geometry["coordinates"], ring_b.geometry["coordinates"]) < 1.0
    path_b = builtin.feature("flight-path").geometry["coordinates"]
    path_n = built.feature("flight-path").geometry["coordinates"]
    assert len(path_n) == len(path_b)
    assert max(_dist(a, b) for a, b in zip(path_n, path_b)) < 1.0
    for key in ("reported_range_m", "reported_apogee_m", "arrow"):
        assert built.feature("flight-path").properties[key] == builtin.feature("flight-path").properties[key]
    area_b = builtin.feature("impact-area").geometry["coordinates"][0]
    area_n = built.feature("impact-area").geometry["coordinates"][0]
    assert len(area_n) == len(area_b)
    # the same vertices, whatever corner each ring starts at and whichever way round it goes
    for v in area_b:
        assert min(_dist(v, w) for w in area_n) < 1.0
    for v in area_n:
        assert min(_dist(v, w) for w in area_b) < 1.0
    launch = built.feature("launch-point")
    assert launch.role == "launch" and launch.properties["uncertainty_m"] == 5000
    assert built.feature("impact-area").role == "target_estimate"
    assert built.feature("impact-area").status == "estimated"


def test_builtin_numbers_give_the_builtin_facts_values(builtin):
    built = build_launch_event(builtin_spec())
    facts = {f.id: f for f in built.facts}
    assert facts["launch-time"].time_utc == builtin.facts[0].time_utc
    assert built.fact_display_value(facts["launch-time"]) == builtin.fact_display_value(builtin.facts[0])
    assert derive_value(built, facts["min-energy"].derive) == "About 94 km for 380 km range"
    assert derive_value(built, facts["trajectory"].derive).startswith("Depressed")
    assert derive_value(built, facts["dist-seoul"].derive).startswith("215 km")
    assert facts["range-380km"].source == JCS and facts["range-380km"].status == "reported"
    assert facts["apogee"].source == JCS
    assert facts["type-1"].status == "claimed"
    assert {f.status for f in built.facts if f.derive} == {"derived"}
    assert built.local_time.zone == "KST" and built.local_time.utc_offset.total_seconds() == 9 * 3600
    assert built.event_time_utc == datetime(2022, 1, 16, 23, 50, tzinfo=timezone.utc)


def test_built_scenario_round_trips_through_the_file_format():
    built = build_launch_event(builtin_spec())
    again = parse_scenario(scenario_to_geojson(built))
    assert again == built


def test_day_only_time_keeps_the_whole_local_day_and_no_time_of_day():
    built = build_launch_event(builtin_spec(time=LaunchTime((datetime(2022, 1, 17),), "Asia/Pyongyang", "day", JCS)))
    fact = next(f for f in built.facts if f.id == "launch-day")
    assert fact.time_utc == ()
    assert "Monday 17 January 2022 KST" in fact.value
    assert "16 Jan 15:00" in fact.value and "17 Jan 15:00" in fact.value
    assert built.event_time_utc is None
    assert local_day_bounds_utc(date(2022, 1, 17), "Asia/Pyongyang")[0] == datetime(2022, 1, 16, 15, tzinfo=timezone.utc)
    assert parse_scenario(scenario_to_geojson(built)) == built


def test_compass_word_gives_a_bearing_and_a_spread():
    assert compass_bearing("east") == (90.0, 22.5)
    assert compass_bearing("north-east") == (45.0, 22.5)
    assert compass_bearing("ENE") == (67.5, 11.25)
    assert compass_bearing("eastward") == (90.0, 22.5)
    b = Bearing.from_compass("east", source="JCS")
    built = build_launch_event(builtin_spec(bearing=b))
    basis = built.feature("impact-area").properties["basis"]
    assert "68\u00b0\u2013112\u00b0" in basis
    with pytest.raises(LaunchEventError, match="compass"):
        compass_bearing("up")


def test_several_ranges_give_one_ring_each_and_one_area_over_all():
    built = build_launch_event(builtin_spec(ranges=(ReportedValue(600_000, JCS), ReportedValue(350_000, "Japan MOD"))))
    rings = [f for f in built.features if f.kind == "range_ring"]
    assert [f.properties["radius_m"] for f in rings] == [600_000, 350_000]
    assert "340\u2013610 km" in built.feature("impact-area").properties["basis"]
    assert parse_scenario(scenario_to_geojson(built)) == built


def test_no_bearing_means_rings_but_no_path_or_area():
    built = build_launch_event(builtin_spec(bearing=None))
    assert built.feature("flight-path") is None and built.feature("impact-area") is None
    assert built.feature("ring-380km") is not None
    assert parse_scenario(scenario_to_geojson(built)) == built


def _geodesic_area(ring) -> float:
    from geographiclib.polygonarea import PolygonArea

    poly = PolygonArea(Geodesic.WGS84)
    for lon, lat in ring[:-1]:
        poly.AddPoint(lat, lon)
    return abs(poly.Compute(False, True)[2])


@pytest.mark.parametrize("lat, lon, bearing", [(52.0, 178.0, 90), (40.0, -178.5, 270), (88.0, 20.0, 0)])
def test_a_path_and_area_across_the_antimeridian_or_over_a_pole_are_drawn_there(lat, lon, bearing):
    from viewer.model.geometry import shape_of

    site = LaunchSite(lat, lon, "Test site", 0, "x")
    built = build_launch_event(builtin_spec(site=site, bearing=Bearing(bearing, 10, 10, source="x"), places=()))
    path, area = built.feature("flight-path"), built.feature("impact-area")
    assert path is not None and area is not None
    (lon0, lat0), (lon1, lat1) = path.geometry["coordinates"][0], path.geometry["coordinates"][-1]
    assert Geodesic.WGS84.Inverse(lat0, lon0, lat1, lon1)["s12"] == pytest.approx(380_000, abs=1)
    assert all(-180 <= x <= 180 for x, _ in area.geometry["coordinates"][0])
    drawn = shape_of(area).geojson  # (split at the antimeridian where it crosses it)
    rings = [drawn["coordinates"]] if drawn["type"] == "Polygon" else drawn["coordinates"]
    assert sum(_geodesic_area(p[0]) for p in rings) == pytest.approx(_geodesic_area(area.geometry["coordinates"][0]),
                                                                     rel=2e-3)
    assert parse_scenario(scenario_to_geojson(built)) == built


def test_a_path_longer_than_half_the_world_has_points_along_its_geodesic():
    built = build_launch_event(builtin_spec(ranges=(ReportedValue(19_000_000, JCS),), bearing=Bearing(90, 10, 10, source="x")))
    line = built.feature("flight-path").geometry["coordinates"]
    assert len(line) == 4  # (each edge the short way, so the drawn path is the one fired)
    g = Geodesic.WGS84
    legs = [g.Inverse(a[1], a[0], b[1], b[0])["s12"] for a, b in zip(line, line[1:])]
    assert sum(legs) == pytest.approx(19_000_000, rel=1e-6) and max(legs) < 10_000_000
    first = g.Inverse(line[0][1], line[0][0], line[1][1], line[1][0])
    assert first["azi1"] == pytest.approx(90, abs=1e-3)


def test_an_impact_area_round_a_pole_is_left_out_not_broken():
    site = LaunchSite(84.0, 0.0, "Test site", 0, "x")  # (the pole 667 km north, inside the area)
    built = build_launch_event(builtin_spec(site=site, ranges=(ReportedValue(667_000, JCS),),
                                            bearing=Bearing(0, 10, 10, source="x"), places=()))
    assert built.feature("impact-area") is None and built.feature("flight-path") is not None
    assert parse_scenario(scenario_to_geojson(built)) == built


@pytest.mark.parametrize("change, message", [
    (dict(site=LaunchSite(91, 125, "x")), "latitude"),
    (dict(site=LaunchSite(39, 190, "x")), "longitude"),
    (dict(site=LaunchSite(float("nan"), 125, "x")), "finite"),
    (dict(site=LaunchSite(39, 10 ** 400, "x")), "finite"),  # (an integer too large for a float)
    (dict(site=LaunchSite(39, 125, "   ")), "name is empty"),
    (dict(title=""), "Title is empty"),
    (dict(ranges=(ReportedValue(-5, JCS),)), "greater than 0"),
    (dict(ranges=(ReportedValue(380_000, ""),)), "Source of range 1 is empty"),
    (dict(apogee=ReportedValue(0, JCS)), "apogee"),
    (dict(time=LaunchTime((datetime(9999, 12, 31, 23, 0),), "Asia/Pyongyang", "day")), "9999"),
    (dict(time=LaunchTime((datetime(9999, 12, 31, 20, 0),), "America/New_York")), "9999"),
    (dict(time=LaunchTime((datetime(2022, 1, 1),), "Mars/Olympus")), "time zone"),
    (dict(bearing=Bearing(62, -5, 5)), "spread"),
    (dict(ranges=(ReportedValue(380_000, JCS, status="rumoured"),)), "Status of range 1"),
    (dict(title="a\x00b"), "NUL"),
    (dict(places=(ContextPlace("launch-point", "Seoul", 37.5, 127.0),)), "place id"),
])
def test_bad_specs_are_refused_with_one_clear_line(change, message):
    with pytest.raises(LaunchEventError, match=message) as e:
        build_launch_event(builtin_spec(**change))
    assert "\n" not in str(e.value)
    assert isinstance(e.value, ValueError)


def test_pyongyang_time_of_2015_2018_is_labelled_by_its_offset_not_as_kst():
    # (the time zone database names Pyongyang's UTC+08:30 then "KST", which readers take as UTC+9)
    then = build_launch_event(builtin_spec(time=LaunchTime((datetime(2017, 8, 29, 5, 27),), "Asia/Pyongyang",
                                                           source="JCS")))
    fact = next(f for f in then.facts if f.id == "launch-time")
    assert fact.value == "05:27 UTC+08:30, 29 Aug 2017" and then.local_time.zone == "UTC+08:30"
    assert fact.time_utc == (datetime(2017, 8, 28, 20, 57, tzinfo=timezone.utc),)
    now = build_launch_event(builtin_spec(time=LaunchTime((datetime(2022, 1, 17, 8, 50),), "Asia/Pyongyang",
                                                          source="JCS")))
    assert next(f for f in now.facts if f.id == "launch-time").value == "08:50 KST, 17 Jan 2022"


def test_a_source_that_gave_both_range_and_direction_is_named_once():
    # ("SitMap estimate from JCS range and JCS direction" read badly on the briefing's source line)
    from viewer.model.launch_event import _estimate_source

    assert _estimate_source("JCS", "JCS") == "SitMap estimate from JCS range and direction"
    assert _estimate_source("JCS", "Japan MOD") == "SitMap estimate from JCS range and Japan MOD direction"
    assert _estimate_source("JCS", None) == "SitMap estimate from JCS range"
