"""Drafting six more articles about other real launches, in different styles (tests/data/articles/)."""

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from geographiclib.geodesic import Geodesic

from viewer.model.draft import draft_article
from viewer.model.scenario import parse_scenario, scenario_to_geojson

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"
JCS = "JCS"
KCNA = "KCNA"

# file, article date, expected: launch place (name, lat, lon, within km), ranges (km, source part, status),
# apogee (km, source part), count, launch time (local ISO or day), zone, direction bearing or None,
# other expected items (kind, value part, source part, status)
CASES = [
    ("2022-11-18-hwasong17-wire.txt", date(2022, 11, 18), dict(
        site=("Sunan", 39.2, 125.67, 10), ranges=[(1000, JCS, "reported")], apogee=(6100, JCS), count="One",
        time=("2022-11-18T10:15:00", "minute"), bearing=None,
        more=[("speed", "Mach 22", JCS, "reported"), ("system", "Hwasong-17", "Japan Ministry of Defense", "reported"),
              ("range", "15,000", "Japan Ministry of Defense", "reported"),  # a capability, offered but not drawn
              ("distance", "200 km", "Japan Coast Guard", "reported")],
        rejected=["15,000", "200 km"])),
    ("2022-03-24-icbm-statement.txt", None, dict(
        site=("Sunan", 39.2, 125.67, 10), ranges=[(1080, JCS, "reported")], apogee=(6200, JCS), count="One",
        time=("2022-03-24T14:34:00", "minute"), bearing=(60, 110),
        more=[("system", "Intercontinental ballistic missile", JCS, "reported")], rejected=[])),
    ("2022-10-04-irbm-bulletin.txt", None, dict(
        site=("Mupyong-ni", 40.61, 126.43, 5), ranges=[(4500, JCS, "reported")], apogee=(970, JCS), count="One",
        time=("2022-10-04T07:23:00", "minute"), bearing=(67.5, 112.5),
        more=[("speed", "Mach 17", JCS, "reported"), ("distance", "3,200 km", "Japan government", "reported")],
        rejected=["3,200 km"])),
    ("2023-07-12-hwasong18-wire.html", None, dict(
        site=("Pyongyang", 39.02, 125.74, 25), ranges=[(1000, JCS, "reported"), (1001.2, KCNA, "claimed")],
        apogee=(6000, "Japan Ministry of Defense"), count="One",
        time=("2023-07-12T10:00:00", "minute"), bearing=(60, 110),
        more=[("system", "Hwasong-18", KCNA, "claimed"), ("apogee", "6,648.4", KCNA, "claimed"),
              ("distance", "250 km", "Japan Ministry of Defense", "reported")],
        rejected=["250 km"])),
    ("2021-03-25-srbm-bulletin.txt", None, dict(
        site=("South Hamgyong", 40.12, 127.60, 5), ranges=[(450, JCS, "reported")], apogee=(60, JCS), count="Two",
        time=("2021-03-25T07:06:00", "minute"), times=["2021-03-25T07:06:00", "2021-03-25T07:25:00"],
        bearing=(67.5, 112.5),
        more=[("statement", "new-type tactical guided projectile", KCNA, "claimed"),
              ("distance", "600 km", KCNA, "claimed")], rejected=["600 km"])),
    ("2022-05-25-three-missiles-wire.txt", date(2022, 5, 25), dict(
        site=("Sunan", 39.2, 125.67, 10), ranges=[(360, JCS, "reported"), (760, JCS, "reported")], apogee=(540, JCS),
        count="Three", time=("2022-05-25T06:00:00", "minute"),
        times=["2022-05-25T06:00:00", "2022-05-25T06:37:00", "2022-05-25T06:42:00"], bearing=(50, 110),
        more=[("system", "ICBM", JCS, "reported"), ("system", "Short-range ballistic missile", JCS, "reported"),
              ("apogee", "20 km", JCS, "reported")], rejected=[])),
    ("2022-09-25-taechon-wire.txt", date(2022, 9, 25), dict(
        site=("Taechon", 39.99, 125.52, 5), ranges=[(600, JCS, "reported")], apogee=(60, JCS), count="One",
        time=("2022-09-25T06:53:00", "minute"), bearing=(67.5, 112.5),
        more=[("speed", "Mach 5", JCS, "reported")], rejected=[])),
]


@pytest.fixture(scope="module", params=CASES, ids=[c[0] for c in CASES])
def drafted(request):
    name, when, expected = request.param
    d = draft_article((ARTICLES / name).read_bytes(), article_date=when)
    return d, d.scenario(), expected


def test_launch_place_is_found_with_its_words(drafted):
    d, sc, e = drafted
    name, lat, lon, km = e["site"]
    site = next(i for i in d.items if i.kind == "launch_site")
    assert name in site.value or name in d.text[site.spans[0][0]:site.spans[0][1]]
    lp = sc.feature("launch-point").latlon()
    assert Geodesic.WGS84.Inverse(lat, lon, *lp)["s12"] < km * 1000
    assert sc.feature("launch-point").properties["uncertainty_m"] > 0


def test_ranges_apogee_and_count_carry_their_sources(drafted):
    d, sc, e = drafted
    rings = [f for f in sc.features if f.kind == "range_ring"]
    for km, src, status in e["ranges"]:
        ring = next(f for f in rings if abs(f.properties["radius_m"] - km * 1000) < 1)
        assert src in ring.source and ring.status == status
    assert len(rings) == len(e["ranges"])
    km, src = e["apogee"]
    apogee = next(f for f in sc.facts if f.id == "apogee")
    assert src in apogee.source
    path = sc.feature("flight-path")
    if e["bearing"] is not None:
        assert path.properties["reported_apogee_m"] == km * 1000
    count = next(f for f in sc.facts if f.id == "launch-count")
    assert count.value == e["count"]


def test_launch_time_is_resolved_in_the_launch_place_zone(drafted):
    d, sc, e = drafted
    item = next(i for i in d.items if i.kind == "launch_time")
    local, precision = e["time"]
    assert item.data["precision"] == precision
    assert item.data["values"][0] == local
    if "times" in e:
        assert item.data["values"] == e["times"]
    assert item.data["zone"] == "Asia/Pyongyang"
    fact = next(f for f in sc.facts if f.id.startswith("launch-time"))
    # Pyongyang keeps UTC+9
    assert fact.time_utc[0] == datetime.fromisoformat(local).replace(tzinfo=timezone.utc) - timedelta(hours=9)


def test_direction_gives_a_bearing_within_the_expected_sector(drafted):
    d, sc, e = drafted
    if e["bearing"] is None:
        assert sc.feature("flight-path") is None  # no direction in the article: rings only
        return
    lo, hi = e["bearing"]
    line = sc.feature("flight-path").geometry["coordinates"]
    (lon1, lat1), (lon2, lat2) = line
    azi = Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)["azi1"] % 360
    assert lo <= azi <= hi


def test_other_items_and_their_sources(drafted):
    d, sc, e = drafted
    for kind, value, src, status in e["more"]:
        assert any(i.kind == kind and value in i.value and src in i.source and i.status == status for i in d.items), \
            (kind, value, src, status, [(i.kind, i.value, i.source, i.status) for i in d.items])
    for value in e["rejected"]:
        assert all(i.decision == "rejected" for i in d.items if value in i.value)


def test_every_article_draft_saves_and_reads_back(drafted):
    d, sc, e = drafted
    assert parse_scenario(scenario_to_geojson(sc)) == sc


def test_a_page_is_read_as_text_and_dated_from_its_metadata():
    d = draft_article((ARTICLES / "2023-07-12-hwasong18-wire.html").read_bytes())
    assert d.article_date == date(2023, 7, 12)
    assert "hijacked" not in d.text and "not for drafting" not in d.text and "Copyright" not in d.text
    assert d.title == "North Korea tests solid-fuel ICBM in longest flight yet"


def test_a_place_missing_from_the_gazetteer_is_listed_for_the_user():
    d = draft_article((ARTICLES / "2021-03-25-srbm-bulletin.txt").read_bytes())
    assert any(u.kind == "place" and u.text == "Hamju" for u in d.unresolved)
    # the division named with it still places the launch, with a division-sized uncertainty
    site = next(i for i in d.items if i.kind == "launch_site")
    assert site.data["kind"] == "admin1" and site.data["uncertainty_m"] >= 50_000


def test_a_misspelt_place_is_listed_with_similar_names():
    d = draft_article("North Korea fired a missile from near Sinuju on Monday, flying 300 km, the JCS said.",
                      article_date=date(2022, 1, 18))
    u = next(u for u in d.unresolved if u.kind == "place" and u.text == "Sinuju")
    assert u.suggestions and u.suggestions[0].name == "Sin\u016diju" and "similar names" in u.why
