"""Drafting a map from the seed article, and from hostile or odd text."""

from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from geographiclib.geodesic import Geodesic

from viewer.model.draft import DRAFT_MEMBER, DraftInputError, draft_article, text_from_html
from viewer.model.launch_event import EVIDENCE_MEMBER, local_day_bounds_utc
from viewer.model.scenario import parse_scenario, scenario_to_geojson

_ROOT = Path(__file__).resolve().parents[2]
# shared/ lies beside the checkout (CI) or beside the folder of work trees
SEED = next((base / "shared" / "seed" / "000_773b1baaebd46618.txt" for base in (_ROOT.parent, _ROOT.parent.parent)
             if (base / "shared" / "seed").is_dir()), _ROOT.parent / "shared" / "seed" / "000_773b1baaebd46618.txt")
SUNAN_AIRPORT = (39.2239, 125.6700)


@pytest.fixture(scope="module")
def seed():
    raw = SEED.read_bytes()
    d = draft_article(raw, article_date=date(2022, 1, 18))
    return d, d.scenario()


def _km(a, b) -> float:
    return Geodesic.WGS84.Inverse(a[0], a[1], b[0], b[1])["s12"] / 1000


def test_seed_launch_point_is_within_30_km_of_sunan_airport(seed):
    _, sc = seed
    assert _km(sc.feature("launch-point").latlon(), SUNAN_AIRPORT) < 30
    assert sc.feature("launch-point").properties["uncertainty_m"] >= 20_000  # "near Pyongyang"


def test_seed_has_the_380_km_ring_and_the_42_km_apogee_from_jcs(seed):
    d, sc = seed
    ring = sc.feature("ring-380km")
    assert ring is not None and ring.properties["radius_m"] == 380_000
    assert "JCS" in ring.source
    facts = {f.id: f for f in sc.facts}
    assert "JCS" in facts["range-380km"].source and facts["range-380km"].status == "reported"
    assert "240 miles" in facts["range-380km"].value  # one fact for "380 kilometres (about 240 miles)"
    assert len([i for i in d.items if i.kind == "range"]) == 1
    assert sc.feature("flight-path").properties["reported_apogee_m"] == 42_000
    assert "JCS" in facts["apogee"].source
    assert sc.fact_display_value(facts["trajectory"]).startswith("Depressed")


def test_seed_counts_two_missiles_and_kcna_is_claimed(seed):
    d, sc = seed
    facts = {f.id: f for f in sc.facts}
    assert facts["launch-count"].value == "Two" and "JCS" in facts["launch-count"].source
    kcna = [i for i in d.items if i.source.startswith("KCNA")]
    assert kcna and {i.status for i in kcna} == {"claimed"}
    assert any("island target" in i.value for i in kcna)  # the quote, by KCNA
    assert any("accuracy, security and efficiency" in i.value for i in kcna)  # "it added": still KCNA
    jcs = [i for i in d.items if "JCS" in i.source]
    assert jcs and {i.status for i in jcs} <= {"reported", "estimated"}


def test_seed_places_include_dandong_and_sinuiju(seed):
    d, sc = seed
    names = {f.name for f in sc.features if f.kind == "place"}
    assert "Dandong" in names
    sinuiju = next(f for f in sc.features if f.name.startswith("Sin") and f.name.endswith("iju"))
    assert sinuiju.status == "estimated"  # the article names Dandong and "the DPRK", not Sinuiju
    assert _km(sinuiju.latlon(), (40.1069, 124.4017)) < 5


def test_seed_launch_day_is_monday_17_january_local_and_16_january_utc_without_a_time(seed):
    d, sc = seed
    item = next(i for i in d.items if i.kind == "launch_time")
    assert item.data["precision"] == "day"
    assert item.value.startswith("Monday 17 January 2022")
    fact = next(f for f in sc.facts if f.id == "launch-day")
    assert fact.time_utc == () and sc.event_time_utc is None
    assert "KST" in fact.value and "16 Jan 15:00" in fact.value
    start, _ = local_day_bounds_utc(date(2022, 1, 17), item.data["zone"])
    assert start == datetime(2022, 1, 16, 15, tzinfo=timezone.utc)
    assert d.text[item.spans[0][0]:item.spans[0][1]] == "Monday"


def test_seed_direction_east_gives_the_bearing_and_the_impact_area(seed):
    _, sc = seed
    basis = sc.feature("impact-area").properties["basis"]
    assert "68\u00b0\u2013112\u00b0" in basis
    assert sc.feature("impact-area").status == "estimated"


def test_every_drafted_item_points_at_its_words(seed):
    d, sc = seed
    for i in d.items:
        assert i.spans, i
        a, b = i.spans[0]
        assert 0 <= a < b <= len(d.text)
    ev = sc.extra[EVIDENCE_MEMBER]
    a, b = ev["facts"]["range-380km"][0]
    assert d.text[a:b] == "380 kilometres (about 240 miles)"
    a, b = ev["features"]["launch-point"][0]
    assert d.text[a:b] == "Pyongyang"


def test_drafted_map_round_trips_with_its_evidence(seed):
    d, sc = seed
    again = parse_scenario(scenario_to_geojson(sc))
    assert again == sc
    assert again.extra[DRAFT_MEMBER]["article_text"] == d.text
    assert again.extra[EVIDENCE_MEMBER] == sc.extra[EVIDENCE_MEMBER]


def test_rejecting_an_item_removes_it_from_the_map(seed):
    d, _ = seed
    d2 = type(d)(**{**d.__dict__, "items": list(d.items)})
    ring_item = next(i for i in d2.items if i.kind == "range")
    d2.set_item(ring_item.with_decision("rejected"))
    sc = d2.scenario()
    assert sc.feature("ring-380km") is None and sc.feature("flight-path") is None
    assert sc.feature("launch-point") is not None


def test_without_a_date_the_weekday_stays_unresolved():
    d = draft_article(SEED.read_bytes())
    assert d.article_date is None
    assert any(u.kind == "date" for u in d.unresolved)
    assert not any(i.kind == "launch_time" for i in d.items)
    d.scenario()


# --------------------------------------------------------------------------- hostile and odd text

def test_empty_text_gives_an_empty_draft():
    for raw in (b"", "", "   \n\n  "):
        d = draft_article(raw)
        assert d.items == []
        sc = d.scenario()
        assert sc.features == [] and parse_scenario(scenario_to_geojson(sc)) == sc


def test_binary_data_is_refused_with_one_line():
    with pytest.raises(DraftInputError, match="binary") as e:
        draft_article(bytes(range(256)) * 40)
    assert "\n" not in str(e.value)


def test_five_megabytes_is_refused_with_one_line():
    with pytest.raises(DraftInputError, match="MB") as e:
        draft_article(b"North Korea fired a missile. " * 180_000)
    assert "\n" not in str(e.value)


def test_right_to_left_and_mixed_scripts_do_not_break_drafting():
    text = ("\u0623\u0637\u0644\u0642\u062a \u0643\u0648\u0631\u064a\u0627 \u0627\u0644\u0634\u0645\u0627\u0644\u064a\u0629 "
            "\u0635\u0627\u0631\u0648\u062e\u064b\u0627 \u202e North Korea fired two missiles from near Pyongyang "
            "on Monday that flew 300 km, South Korea\u2019s military said.\u202c \u05e9\u05dc\u05d5\u05dd")
    d = draft_article(text, article_date=date(2022, 1, 18))
    assert any(i.kind == "range" for i in d.items)
    parse_scenario(scenario_to_geojson(d.scenario()))


def test_script_tags_in_a_page_are_dropped_and_never_become_text():
    page = ("<html><head><title>T</title><script>alert('x')</script></head><body><p>North Korea fired a missile "
            "from near Pyongyang.</p><script>document.write('<p>Tokyo 900 km</p>')</script>"
            "<p>&lt;script&gt;alert(1)&lt;/script&gt; was in the text.</p></body></html>")
    art = text_from_html(page)
    assert "alert('x')" not in art.text and "document.write" not in art.text
    assert "<script>alert(1)</script> was in the text." in art.text  # escaped text stays text
    d = draft_article(page)
    assert d.title == "T"
    assert not any("900" in i.value for i in d.items)


def test_lone_surrogates_and_control_characters_keep_offsets():
    text = "North Korea fired a missile\ud800 from near Pyongyang\x00 Monday, flying 300 km, JCS said."
    d = draft_article(text, article_date=date(2022, 1, 18))
    assert len(d.text) == len(text)
    parse_scenario(scenario_to_geojson(d.scenario()))


def test_odd_numbers_and_units_do_not_crash():
    text = ("North Korea fired 99999999999999999999 missiles that flew 1e309 km and 0 km at an altitude of "
            "999,999,999,999 km, 1.2.3 km, Mach 1e400, at 25:99 and 99:00 a.m. on February 30.")
    d = draft_article(text, article_date=date(2022, 1, 18))
    sc = d.scenario()
    parse_scenario(scenario_to_geojson(sc))


def test_drafting_imports_no_qt_no_folium_and_no_http_client():
    import subprocess
    import sys

    code = ("import sys, viewer.model.draft, viewer.model.launch_event, viewer.model.place_index\n"
            "from viewer.model.place_index import place_index\n"
            "viewer.model.draft.draft_article('North Korea fired a missile from near Pyongyang on Monday.')\n"
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'folium', 'requests', 'urllib3', 'httpx', 'iso3166_2') or m.startswith(('viewer.render', 'viewer.ui')))))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == ""


_FRAGMENTS = ["North Korea", "fired", "launched", "two", "a", "missiles", "missile", "from near", "Pyongyang", "Sunan",
              "Taechon,", "North Pyongan Province", "flying", "380", "km", "(about 240 miles)", "at an altitude of",
              "42 km", "Mach 5", "east", "toward the East Sea", "Monday", "early Sunday", "7:06 a.m.", "2350 GMT", "said",
              "KCNA", "according to", "JCS", "\u201c", "\u201d", ",", ".", "\n\n", "SEOUL:", "Jan 17", "2022", "it added",
              "Kusong", "Dandong", "DPRK", "<script>", "\u202e", "\ud800", "\x00", "99999", "-5", "km)", "(", "feet",
              "could have a range of", "15,000 km", "off its east coast", "December 31, 9999", "January 1, 0001",
              "23:59 KST", "Guam", "Fiji"]


def test_any_mix_of_the_words_drafting_knows_gives_a_map_that_saves():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=60, deadline=None, derandomize=True)
    @given(st.lists(st.sampled_from(_FRAGMENTS), max_size=50),
           st.sampled_from([None, date(2022, 1, 18), date(1, 1, 1), date(9999, 12, 31)]))
    def check(words, when):
        d = draft_article(" ".join(words), article_date=when)
        sc = d.scenario()
        assert parse_scenario(scenario_to_geojson(sc)) == sc

    check()


def test_a_speed_in_kilometres_an_hour_is_no_range():
    # (6,000 km/h and 5,000 kilometres per hour were taken for ranges flown, each with its ring)
    text = ("North Korea fired a ballistic missile from Hamhung on Thursday, South Korea's Joint Chiefs of Staff said. "
            "The missile flew 450 km at a top speed of 6,000 km/h and reached an altitude of 60 km. "
            "It flew at more than 5,000 kilometres per hour, or 1.4 km a second.")
    d = draft_article(text, article_date=date(2021, 3, 25))
    ranges = [i.value for i in d.items if i.kind == "range"]
    assert ranges == ["450 km"]
    rings = [f.properties["name"] for f in d.scenario().features if f.kind == "range_ring"]
    assert rings == ["450 km reported range"]


@pytest.mark.parametrize("published, day", [("2022-01-17T20:30:00-05:00", "Tuesday 18 January 2022"),
                                            ("2022-01-18T08:00:00+09:00", "Tuesday 18 January 2022"),
                                            ("2022-01-17T23:30:00Z", "Tuesday 18 January 2022"),
                                            ("2022-01-18", "Tuesday 18 January 2022")])
def test_a_pages_publication_moment_is_dated_where_the_launch_was(published, day):
    # (a New York evening is the next morning in Korea: its date alone put "Tuesday" a week early)
    page = ("""<!doctype html><html><head><title>North Korea fires two missiles</title>
<meta property="article:published_time" content="%s"></head><body><article>
<p>North Korea fired two ballistic missiles from near Pyongyang on Tuesday morning, South Korea's Joint
Chiefs of Staff said. The missiles flew 190 km at an altitude of 20 km.</p></article></body></html>""" % published).encode()
    d = draft_article(page)
    assert [i.value for i in d.items if i.kind == "launch_time"] == [f"{day} (morning)"]


@pytest.mark.parametrize("when", ["at 8:50 a.m. (2350 GMT Sunday)", "early Monday, at 2350 GMT",
                                  "on Monday at 8:50 a.m. KST, or 2350 GMT on Sunday", "at 8:50 a.m. on Monday"])
def test_a_gmt_time_and_its_own_weekday_give_the_one_launch_on_the_local_day(when):
    # (the weekday of the GMT time was taken for the local day, a day early; a GMT time was put on the
    # local day, a day late, or made a second launch)
    text = f"North Korea fired a ballistic missile from Sunan {when}, South Korea's Joint Chiefs of Staff said."
    d = draft_article(text, article_date=date(2022, 1, 17))
    fact = next(f for f in d.scenario().facts if f.id.startswith("launch-t"))
    assert fact.time_utc == (datetime(2022, 1, 16, 23, 50, tzinfo=timezone.utc),)
    assert fact.value == "08:50 KST, 17 Jan 2022"


def test_a_title_made_of_the_story_s_first_line_leaves_its_dateline_out():
    from viewer.model.draft import draft_text

    d = draft_text("SEOUL, Jan 17 (Reuters) - North Korea fired two suspected short-range ballistic missiles "
                   "from near Pyongyang's Sunan airport on Monday, South Korea's Joint Chiefs of Staff said.",
                   article_date=date(2022, 1, 17))
    assert d.title.startswith("North Korea fired two suspected short-range ballistic missiles"), d.title
    assert "SEOUL" not in d.title and "Reuters" not in d.title


@pytest.mark.parametrize("line, title", [
    ("SEOUL: North Korea fired a missile", "North Korea fired a missile"),
    ("Pyongyang, April 3 (KCNA) -- The DPRK tested a new engine", "The DPRK tested a new engine"),
    ("North Korea fires missile - officials", "North Korea fires missile - officials"),
    ("Missile test: what we know", "Missile test: what we know"),
])
def test_a_dateline_is_only_left_out_where_it_is_one(line, title):
    from viewer.model.draft.extract import without_dateline

    assert without_dateline(line) == title


def test_every_source_s_apogee_and_direction_is_a_fact_not_only_the_one_the_map_is_drawn_from():
    """Two sources' apogees (the JCS's 60 km, KCNA's claimed 90 km) and two directions: the map is
    drawn from the first of each, the others kept as facts of their own with their sources and
    evidence (they were accepted and then left out of the map)."""
    text = ("North Korea fires ballistic missile into East Sea\n\n"
            "SEOUL, May 7 (Yonhap) -- North Korea fired a short-range ballistic missile from Sinpo into the "
            "East Sea on Tuesday, the Joint Chiefs of Staff said. The missile flew about 600 km at an altitude "
            "of 60 km, the JCS said. Japan's defence ministry said it flew in a northeasterly direction.\n\n"
            "KCNA said on Wednesday the missile flew 600 km and reached an altitude of 90 km.")
    d = draft_article(text, article_date=date(2024, 5, 7))
    sc = d.scenario()
    facts = [f for f in sc.facts if f.label.startswith(("Apogee", "Direction"))]
    got = sorted((f.label, f.value, f.status, "KCNA" in f.source, "Japan" in f.source) for f in facts)
    assert ("Apogee", "60 km", "reported", False, False) in got
    assert ("Apogee, as also reported", "90 km", "claimed", True, False) in got
    assert any(label == "Direction, as also reported" and japan for label, _v, _s, _k, japan in got) \
        or any(label == "Direction" and japan for label, _v, _s, _k, japan in got)
    assert len([f for f in facts if f.label.startswith("Direction")]) == 2
    evidence = sc.extra[EVIDENCE_MEMBER]
    also = [f for f in facts if "also" in f.label]
    assert also and all(f.id in evidence["facts"] for f in also)  # (each points at its words)
    assert parse_scenario(scenario_to_geojson(sc)) == sc
    # the same words from the same source twice: one fact
    twice = draft_article(text + " KCNA said it reached an altitude of 90 km.", article_date=date(2024, 5, 7)).scenario()
    assert len([f for f in twice.facts if f.label.startswith("Apogee")]) == 2


def test_two_sources_times_of_one_launch_are_one_launch_each_source_keeping_its_time():
    """JCS's 7:52 and Japan's 7:51 are the same launch timed by two sources: the map's launch time is
    the first one's (one time, not two launches), the other a fact of its own with its source."""
    text = ("SEOUL, March 3 (Reuters) - North Korea fired a ballistic missile toward the East Sea on Thursday, "
            "South Korea's Joint Chiefs of Staff said.\n"
            "The JCS said the missile was launched from the Sunan area at 7:52 a.m. and flew about 300 km.\n"
            "Japan's Ministry of Defense said the missile was fired at 7:51 a.m.")
    d = draft_article(text, article_date=date(2022, 3, 3))
    sc = d.scenario()
    timed = [f for f in sc.facts if f.time_utc]
    assert [(f.label, f.time_utc) for f in timed] == [("Launch time", (datetime(2022, 3, 2, 22, 52, tzinfo=timezone.utc),))]
    assert "Joint Chiefs" in timed[0].source and "Japan" not in timed[0].source
    also = [f for f in sc.facts if f.label == "Launch time, as also reported"]
    assert len(also) == 1 and "Japan" in also[0].source and also[0].value.startswith("07:51 KST, 3 Mar 2022")
    assert also[0].id in sc.extra[EVIDENCE_MEMBER]["facts"]
    assert parse_scenario(scenario_to_geojson(sc)) == sc
    # one source's two times (two missiles) stay two launch times; so do two sources' times hours apart
    two = draft_article(text.replace("at 7:52 a.m.", "at 7:52 a.m. and 8:40 a.m."), article_date=date(2022, 3, 3)).scenario()
    assert len(next(f for f in two.facts if f.label == "Launch times").time_utc) == 3
    apart = draft_article(text.replace("fired at 7:51", "fired at 11:05"), article_date=date(2022, 3, 3)).scenario()
    assert len(next(f for f in apart.facts if f.label == "Launch times").time_utc) == 2
    assert not any(f.label == "Launch time, as also reported" for f in two.facts + apart.facts)


@pytest.mark.parametrize("figure, metres", [
    ("1 001,5 km", 1_001_500), ("1 001 km", 1_001_000), ("1\u00a0200 km", 1_200_000), ("1,001.5 km", 1_001_500),
    ("1,5 km", 1_500), ("0.5 km", 500), ("600 km", 600_000),
])
def test_a_figure_is_read_as_the_article_writes_it_and_its_ring_named_with_its_decimals_and_status(figure, metres):
    text = (f"SEOUL, Feb 2 (Yonhap) - North Korea fired a ballistic missile from Sonchon on Tuesday, flying {figure} "
            "toward the East Sea, the Joint Chiefs of Staff said.")
    sc = draft_article(text, article_date=date(2027, 2, 2)).scenario()
    rings = [f for f in sc.features if f.kind == "range_ring"]
    assert [f.properties["radius_m"] for f in rings] == [pytest.approx(metres)]
    km = metres / 1000
    assert rings[0].name == (f"{km:,.0f} km reported range" if km >= 10 else f"{km:g} km reported range")


def test_a_range_only_the_launching_state_gives_is_a_claimed_range_by_its_name_too():
    text = ("SEOUL, Oct 15 (Yonhap) - North Korea's KCNA said on Thursday that a new missile fired from Sinpo on "
            "Wednesday flew 800 km and hit a target in the East Sea.")
    sc = draft_article(text, article_date=date(2026, 10, 15)).scenario()
    ring = next(f for f in sc.features if f.kind == "range_ring")
    assert ring.name == "800 km claimed range" and ring.status == "claimed"


def test_a_datelines_date_is_the_storys_and_the_weekday_in_the_story_is_the_launchs():
    body = ("North Korea fired a ballistic missile from Wonsan at 7:06 a.m. on Monday that flew 900 km eastward, "
            "the Joint Chiefs of Staff said.")
    for text in ("SEOUL, June 10 (Yonhap) - " + body, "SEOUL (Yonhap) - " + body):
        sc = draft_article(text, article_date=date(2026, 6, 10)).scenario()  # (a Wednesday)
        launch = next(f for f in sc.facts if f.label == "Launch time")
        assert launch.time_utc == (datetime(2026, 6, 7, 22, 6, tzinfo=timezone.utc),), text  # Monday 8 June, KST
    # a story that gives no day of its own: its dateline's day, as before
    only = draft_article("SEOUL, June 10 (Yonhap) - North Korea fired a ballistic missile toward the East Sea "
                         "from Wonsan, the JCS said.", article_date=date(2026, 6, 12))
    assert [i.value for i in only.items if i.kind == "launch_time"] == ["Wednesday 10 June 2026"]
