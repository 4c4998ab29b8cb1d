"""Drafting an article about a launch the history does not hold yet: which time is the launch's,
what "sending it 600 km" is, and how the estimates cite their sources."""

import re
from datetime import date, datetime, timezone

import pytest

from viewer.model.draft import DISTANCE_ROLES, draft_article

DAY = date(2025, 10, 14)
ARTICLE = (
    "SEOUL, Oct 14 (Example News) - North Korea test-fired a submarine-launched ballistic missile from waters near "
    "Sinpo early on Tuesday, sending it about 600 kilometres (373 miles) toward the East Sea, South Korea's Joint "
    "Chiefs of Staff said.\n\n"
    "The JCS said the missile was detected at 6:42 a.m. (2142 GMT Monday) and reached an altitude of 60 km before "
    "falling into the sea outside Japan's exclusive economic zone.\n\n"
    "Japan's Ministry of Defense said the missile flew about 550 km and that it came down at around 6:51 a.m. KST.\n\n"
    "North Korea's KCNA news agency said on Wednesday that the new underwater-launched weapon had flown 650 km and "
    "hit its target precisely, calling the test a success.\n")
JCS = "South Korea Joint Chiefs of Staff (JCS)"
JAPAN = "Japan Ministry of Defense"


@pytest.fixture(scope="module")
def drafted():
    d = draft_article(ARTICLE, article_date=DAY)
    return d, d.scenario()


def _items(d, kind):
    return [i for i in d.items if i.kind == kind]


def test_the_detection_time_is_the_launch_time_and_the_landing_time_is_not(drafted):
    d, sc = drafted
    [launch] = _items(d, "launch_time")
    assert launch.data["values"] == ["2025-10-14T06:42:00"]  # 2142 GMT Monday is the same moment
    assert launch.source == JCS and launch.status == "reported"
    assert "(detected)" in launch.value
    assert sc.event_time_utc == datetime(2025, 10, 13, 21, 42, tzinfo=timezone.utc)
    fact = next(f for f in sc.facts if f.id == "launch-time")
    assert fact.label == "Launch time" and fact.source == JCS
    assert fact.value.startswith("06:42 KST, 14 Oct 2025") and "(detected)" in fact.value
    assert fact.time_utc == (datetime(2025, 10, 13, 21, 42, tzinfo=timezone.utc),)
    # the words of both clocks are its evidence
    words = [ARTICLE[a:b] for a, b in launch.spans]
    assert "6:42 a.m." in words and "2142 GMT" in words


def test_the_time_it_came_down_is_its_own_fact_credited_to_japan(drafted):
    d, sc = drafted
    [impact] = _items(d, "impact_time")
    assert impact.label == "Impact time" and impact.source == JAPAN and impact.used
    assert impact.data["values"] == ["2025-10-14T06:51:00"]
    assert "came down" in next(i for i in d.items if i.kind == "launch_time").note
    fact = next(f for f in sc.facts if f.label == "Impact time")
    assert fact.value == "06:51 KST, 14 Oct 2025 (21:51 UTC, 13 Oct)"
    assert fact.source == JAPAN and fact.status == "reported" and fact.time_utc == ()
    assert fact.feature == "impact-area"


def test_a_short_report_credits_the_detection_time_to_who_said_it_and_keeps_the_landing_apart():
    text = ("SEOUL, Oct 14 - North Korea fired a ballistic missile from near Sinpo on Tuesday, South Korea's military "
            "said. The missile was detected at 6:42 a.m. It flew 600 km and came down at 6:51 a.m., Japan's defense "
            "ministry said.")
    d = draft_article(text, article_date=DAY)
    [launch] = _items(d, "launch_time")
    assert launch.data["values"] == ["2025-10-14T06:42:00"] and launch.source == JCS
    [impact] = _items(d, "impact_time")
    assert impact.data["values"] == ["2025-10-14T06:51:00"] and impact.source == JAPAN
    assert d.scenario().event_time_utc == datetime(2025, 10, 13, 21, 42, tzinfo=timezone.utc)


def test_a_utc_time_beside_the_local_one_is_the_same_launch():
    text = ("SEOUL, Oct 14 - North Korea fired a ballistic missile from near Sinpo at 6:42 a.m. (2142 GMT Monday) on "
            "Tuesday, South Korea's Joint Chiefs of Staff said.")
    d = draft_article(text, article_date=DAY)
    [launch] = _items(d, "launch_time")
    assert launch.data["values"] == ["2025-10-14T06:42:00"] and launch.label == "Launch time"
    assert not _items(d, "impact_time")


def test_sending_it_a_distance_toward_a_sea_is_the_range_flown():
    text = ("SEOUL, Oct 14 - North Korea fired a ballistic missile from near Sinpo on Tuesday, sending it about "
            "600 km toward the East Sea, South Korea's Joint Chiefs of Staff said.")
    d = draft_article(text, article_date=DAY)
    [rng] = _items(d, "range")
    assert rng.used and rng.data["metres"] == 600_000 and rng.label == "Range flown"
    assert not _items(d, "distance") and not [u for u in d.unresolved if u.kind == "number"]
    sc = d.scenario()
    for fid in ("ring-600km", "flight-path", "impact-area"):
        assert sc.feature(fid) is not None, fid


def test_the_article_sending_it_600_km_draws_that_range(drafted):
    d, sc = drafted
    assert sc.feature("ring-600km") is not None
    assert not [u for u in d.unresolved if u.kind == "number"]


def test_a_distance_taken_as_the_range_in_review_draws_ring_path_and_impact_area():
    text = ("SEOUL, Oct 14 - North Korea fired a ballistic missile from near Sinpo toward the East Sea on Tuesday, "
            "South Korea's Joint Chiefs of Staff said. It came down some 600 km away from the coast, the JCS added.")
    d = draft_article(text, article_date=DAY)
    [dist] = _items(d, "distance")
    assert dist.distance_role == "distance" and not dist.used
    assert [u for u in d.unresolved if u.kind == "number"]
    before = d.scenario()
    assert before.feature("impact-area") is None
    taken = d.set_distance_role(dist.id, "range")
    assert taken.kind == "range" and taken.label == DISTANCE_ROLES["range"] and taken.decision == "edited"
    assert not [u for u in d.unresolved if u.kind == "number"]  # no longer "not understood"
    sc = d.scenario()
    for fid in ("ring-600km", "flight-path", "impact-area"):
        assert sc.feature(fid) is not None, fid
    assert not any(f.label == "Distance mentioned" for f in sc.facts)
    # and back: another distance is a fact again, no ring
    d.set_distance_role(dist.id, "distance")
    sc = d.scenario()
    assert sc.feature("ring-600km") is None
    assert any(f.label == "Distance mentioned" and f.value == "Some 600 km" for f in sc.facts)


def test_only_a_distance_can_be_taken_as_another_kind_of_distance(drafted):
    d, _ = drafted
    site = _items(d, "launch_site")[0]
    assert site.distance_role is None
    with pytest.raises(ValueError):
        site.as_distance("range")
    with pytest.raises(ValueError):
        _items(d, "apogee")[0].as_distance("orbit")
    cap = _items(d, "apogee")[0].as_distance("capability")
    assert cap.kind == "range" and cap.data["capability"] and cap.distance_role == "capability"


def test_the_estimates_cite_whose_range_and_direction_they_use(drafted):
    _, sc = drafted
    area = sc.feature("impact-area")
    src = area.properties["source"]
    assert "SitMap, from the wording" not in src and "\u201c" not in src
    assert src == f"SitMap estimate from {JCS} range and direction"  # (named once)
    fact = next(f for f in sc.facts if f.id == "impact-estimate")
    assert fact.source == src and fact.status == "estimated"
    assert sc.feature("flight-path").properties["source"] == f"{JCS} (range and direction)"
    bearing = next(f for f in sc.facts if f.id == "bearing")
    assert bearing.source == JCS and bearing.status == "estimated"
    direction = next(f for f in sc.facts if f.id == "direction")
    assert direction.value == "Toward the East Sea" and direction.source == JCS


def test_facts_keep_figures_not_the_articles_sentences(drafted):
    _, sc = drafted
    sentences = [s.strip() for s in re.split(r"(?<=[.])\s+", ARTICLE) if len(s.strip()) > 40]
    for f in sc.facts:
        assert len(f.value) <= 160, f
        assert f.status in ("reported", "claimed", "derived", "estimated")
        assert not any(s[:40] in f.value for s in sentences), f


@pytest.mark.parametrize("text, place, country_lat", [
    ("A ballistic missile was fired from Suva, Fiji on Monday and flew 900 km eastward, the Fiji Navy said.",
     "Suva", -18.1),  # (Suwa, Japan, shares the name; Suva is a small town far from the usual region)
    ("A missile was fired from Semnan, Iran on Monday, flying 400 km.", "Semnan", 35.6),
    # a country that begins the next clause names no place's country
    ("North Korea fired a missile from Sinpo, South Korea's Joint Chiefs of Staff said on Monday.", "Sinpo Shipyard", 40.0),
])
def test_a_country_named_after_a_place_picks_its_namesake_there(text, place, country_lat):
    d = draft_article(text, article_date=date(2026, 6, 15))
    site = next(i for i in d.items if i.kind == "launch_site")
    assert site.value == place and abs(site.data["lat"] - country_lat) < 0.5, (site.value, site.data)


@pytest.mark.parametrize("sentence, degrees", [
    ("It flew about 700 km east, the JCS said.", 90.0),
    ("It flew 1,800 km northeastward.", 45.0),
    ("It flew 200 km east of Oshima.", None),  # (an offset from a place: no direction of flight)
])
def test_a_direction_after_the_distance_flown_is_the_flights(sentence, degrees):
    d = draft_article("North Korea fired a missile from Sinpo on Monday. " + sentence, article_date=date(2026, 6, 15))
    got = [i.data.get("degrees") for i in d.items if i.kind == "direction"]
    assert got == ([degrees] if degrees is not None else [])


def test_coordinates_the_article_writes_out_are_the_launch_point_and_where_it_landed_is_listed():
    text = ("SEOUL, Oct 14 (Yonhap) - North Korea fired a ballistic missile from a submarine at 40\u00b002'N "
            "128\u00b011'E off Sinpo on Tuesday, flying 600 km toward the East Sea, the Joint Chiefs of Staff said. "
            "Japan said it landed at 41.2N 133.5E.")
    d = draft_article(text, article_date=date(2025, 10, 14))
    site = next(i for i in d.items if i.kind == "launch_site")
    assert (round(site.data["lat"], 4), round(site.data["lon"], 4)) == (40.0333, 128.1833)
    assert site.data["uncertainty_m"] == 2000.0  # (written to the minute)
    assert site.choices and site.choices[0].name == "Sinpo Shipyard"  # (the place it names, offered instead)
    assert [u.text for u in d.unresolved if u.kind == "place"] == ["41.2N 133.5E"]
    sc = d.scenario()
    launch = next(f for f in sc.features if f.properties.get("role") == "launch")
    assert launch.geometry["coordinates"] == [128.183333, 40.033333]
    assert "place:" not in launch.source and "40\u00b002'N 128\u00b011'E" in launch.source
    # decimal degrees, no place named: the point is the coordinates, its zone theirs
    d2 = draft_article("North Korea fired a missile at 7:10 a.m. from 39.20 N, 125.67 E on Monday, the JCS said.",
                       article_date=date(2025, 10, 14))
    site2 = next(i for i in d2.items if i.kind == "launch_site")
    assert (site2.data["lat"], site2.data["lon"], site2.data["uncertainty_m"]) == (39.2, 125.67, 1100.0)
    assert d2.zone == "Asia/Pyongyang"
