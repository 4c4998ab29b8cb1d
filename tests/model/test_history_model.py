"""The launch history model: loading, estimates, filters, counts, comparisons, facts."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from geographiclib.geodesic import Geodesic

from viewer import resources
from viewer.model import history as h
from viewer.model.scenario import load_scenario


@pytest.fixture(scope="module")
def hist() -> h.LaunchHistory:
    return h.load_default()


def test_loads_339_launches_in_time_order(hist):
    assert len(hist.launches) == 339
    times = [x.when_utc for x in hist.launches]
    assert times == sorted(times)
    assert hist.years == (1984, 2026)


def test_landing_estimate_is_380_km_at_62_degrees_from_the_site(hist):
    x = hist.launch("dprk-20220116-1")
    lat, lon = x.landing_point
    inv = Geodesic.WGS84.Inverse(x.site.lat, x.site.lon, lat, lon)
    assert inv["s12"] == pytest.approx(380_000, abs=0.5)
    assert inv["azi1"] == pytest.approx(62, abs=1e-6)
    track = x.track.display
    assert track[0] == pytest.approx((x.site.lat, x.site.lon))
    assert track[-1] == pytest.approx((lat, lon))


def test_launch_without_distance_has_no_landing_or_track(hist):
    x = next(x for x in hist.launches if x.distance_km is None)
    assert x.landing_point is None and x.track is None


def test_month_only_dates_sort_at_the_first_of_the_month(hist):
    x = next(x for x in hist.launches if len(x.date) == 7)
    assert x.when_utc.day == 1
    assert "day not known" in x.date_text()


def test_filters_combine(hist):
    f = h.HistoryFilter(years=(2019, 2022), systems=frozenset({"hwasong-11b"}))
    got = f.apply(hist.launches)
    assert [x.date for x in got][:2] == ["2019-08-09", "2019-08-09"]
    assert all(2019 <= x.year <= 2022 and x.system.key == "hwasong-11b" for x in got)
    assert len(got) == 8
    assert len(h.HistoryFilter(years=(2022, 2022)).apply(hist.launches)) == 69
    assert all(x.outcome == "failure" for x in h.HistoryFilter(outcomes=frozenset({"failure"})).apply(hist.launches))
    sites = h.HistoryFilter(sites=frozenset({"pyongyang"})).apply(hist.launches)
    assert len(sites) == 56
    icbm = h.HistoryFilter(classes=frozenset({"ICBM"})).apply(hist.launches)
    assert icbm and all(x.system.cls == "ICBM" for x in icbm)


def test_distance_bands_cover_every_launch_once(hist):
    for x in hist.launches:
        assert sum(h.in_band(x.distance_km, i) for i in range(len(h.DISTANCE_BANDS))) == 1
    under = h.HistoryFilter(bands=frozenset({0})).apply(hist.launches)
    assert under and all(x.distance_km < 300 for x in under)


def test_time_window_includes_both_ends(hist):
    w = h.parse_window("2022-01-16/2022-01-16")
    got = h.HistoryFilter(window=w).apply(hist.launches)
    assert [x.id for x in got] == ["dprk-20220116-1", "dprk-20220116-2"]
    assert len(h.HistoryFilter(window=h.parse_window("2022-01")).apply(hist.launches)) == 9
    assert h.parse_window("2022")[0] == datetime(2022, 1, 1, tzinfo=timezone.utc)


def test_a_window_given_with_a_utc_offset_is_that_moment(hist):
    # (the offset was thrown away: 00:00+09:00 was read as 00:00 UTC, nine hours late)
    w = h.parse_window("2022-01-05T00:00+09:00/2022-01-05T12:00+09:00")
    assert w[0] == datetime(2022, 1, 4, 15, 0, tzinfo=timezone.utc)
    got = [x.id for x in h.HistoryFilter(window=w).apply(hist.launches)]
    assert got == [x.id for x in h.HistoryFilter(window=h.parse_window("2022-01-04T15:00Z/2022-01-05T03:00Z"))
                   .apply(hist.launches)] == ["dprk-20220104-1"]


@pytest.mark.parametrize("bad", ["", "soon", "2022-13", "2022-02-01/2022-01-01", "2022-01-01/later"])
def test_bad_time_windows_are_one_line_errors(bad):
    with pytest.raises(h.HistoryError) as e:
        h.parse_window(bad)
    assert "\n" not in str(e.value)


def test_years_parse():
    assert h.parse_years("2019-2022") == (2019, 2022)
    assert h.parse_years("2022") == (2022, 2022)
    with pytest.raises(h.HistoryError):
        h.parse_years("2022-2019")
    with pytest.raises(h.HistoryError):
        h.parse_years("last year")


def test_counts_per_year_fill_empty_years(hist):
    counts = h.counts_per_year(hist.launches)
    assert counts[2022] == 69 and counts[1985] == 0
    assert sum(counts.values()) == 339
    assert list(counts) == list(range(1984, 2027))


def test_find_systems_by_designation(hist):
    assert [s.key for s in hist.find_systems("KN-24")] == ["hwasong-11b"]
    assert [s.key for s in hist.find_systems("kn-23")] == ["hwasong-11a"]
    assert {s.key for s in hist.find_systems("Hwasong-11")} >= {"hwasong-11a", "hwasong-11b"}
    assert hist.find_systems("") == []
    assert [s.key for s in hist.find_sites("Uiju")] == ["uiju"]


def test_compared_with_before_for_the_17_january_launch(hist):
    c = h.compared_with_before(hist, hist.launch("dprk-20220116-2"))
    assert len(c.earlier) == 6
    assert {x.year for x in c.earlier} == {2019, 2020}
    assert c.distance_range == (230, 410)
    assert len(c.event) == 2
    assert "380 km distance: within the 230\u2013410 km of the six earlier KN-24 tests of 2019\u20132020" in c.text
    assert c.status == "derived"
    assert "CNS" in c.source


def test_compared_with_before_says_beyond_and_first(hist):
    first = hist.launches[0]
    c = h.compared_with_before(hist, first)
    assert not c.earlier and "first on record" in c.text
    rail = h.compared_with_before(hist, hist.launch("dprk-20220114-1"))
    assert "less than the 800 km" in rail.text


def test_launch_facts_have_sources_and_statuses(hist):
    facts = {f.label: f for f in h.launch_facts(hist.launch("dprk-20220116-1"))}
    assert facts["Date and time (UTC)"].value == "23:50 UTC, 16 Jan 2022"
    assert facts["Date and time (KST)"].value == "08:50 KST, 17 Jan 2022"
    assert facts["Date and time (KST)"].status == "derived"
    assert facts["Apogee"].value == "42 km" and facts["Apogee"].status == "reported"
    assert facts["Distance flown"].value == "380 km"
    assert facts["Bearing"].value == "62\u00b0"
    assert facts["Outcome"].value == "success"
    assert facts["Landing point (estimated)"].status == "estimated"
    assert "Pyongyang International Airport" in facts["Site"].value
    assert all(f.source for f in facts.values())


def test_placeholder_and_area_sites_say_so(hist):
    x = next(x for x in hist.launches if x.site.key == "unknown")
    site = next(f for f in h.launch_facts(x) if f.label == "Site")
    assert "placeholder" in site.value
    y = next(x for x in hist.launches if x.site.precision == "area")
    assert "area's centre" in next(f for f in h.launch_facts(y) if f.label == "Site").value


def test_scenario_launch_matches_the_17_january_pair(hist):
    scenario = load_scenario(resources.default_scenario())
    where = h.scenario_launch(scenario)
    assert where.feature_id == "launch-point"
    assert [x.id for x in h.match_event(hist, where)] == ["dprk-20220116-1", "dprk-20220116-2"]
    assert h.nearest_site(hist, where.lat, where.lon).key == "pyongyang"


def test_scenario_without_time_matches_nothing(hist):
    where = h.ScenarioLaunch("p", 39.2, 125.67, None)
    assert h.match_event(hist, where) == []


def test_page_data_is_compact_and_consistent(hist):
    d = h.page_data(hist)
    assert len(d["launches"]) == 339
    row = next(r for r in d["launches"] if r[0] == "dprk-20220116-1")
    assert d["systems"][row[3]][0] == "hwasong-11b"
    assert d["sites"][row[4]][0] == "pyongyang"
    assert d["classes"][row[5]] == "SRBM"
    assert row[7] == 380
    assert row[10][:2] == [39.2002, 125.6733]
    assert len(row[10]) >= 4
    none = next(r for r in d["launches"] if r[7] == -1)
    assert none[10] == []


def test_filter_describe_names_the_window(hist):
    f = h.HistoryFilter(years=(2019, 2022), systems=frozenset({"hwasong-11b"}),
                        window=h.parse_window("2022-01-01/2022-01-31"))
    text = f.describe(hist)
    assert "2019\u20132022" in text and "KN-24" in text and "2022-01-01 to 2022-01-31" in text
    assert h.HistoryFilter().describe(hist) == "all launches"


def test_malformed_resource_is_a_history_error():
    with pytest.raises(h.HistoryError):
        h.history_from_dict({"sites": {}, "systems": {}, "columns": ["id"], "launches": [["x"]]})
    with pytest.raises(h.HistoryError):
        h.history_from_dict([1, 2])


def test_synthetic_history_is_reproducible():
    a, b = h.synthetic_history(50, seed=3), h.synthetic_history(50, seed=3)
    assert [x.id for x in a.launches] == [x.id for x in b.launches]
    assert len(a.launches) == 50
