"""The drafting gazetteer: divisions, other names, seas, countries and the launch sites."""

import json

import pytest

from viewer import resources
from viewer.model.gazetteer import gazetteer
from viewer.model.place_index import fold, place_index


@pytest.fixture(scope="module")
def ix():
    return place_index()


def test_all_56_launch_sites_are_in_the_resource_with_their_credit():
    doc = json.loads(resources.read_text("gazetteer", "launch_sites.json"))
    assert len(doc["sites"]) == 56
    assert "CNS North Korea Missile Test Database" in doc["credit"] and "Apache-2.0" in doc["credit"]
    assert all(-90 <= s["lat"] <= 90 and -180 <= s["lon"] <= 180 for s in doc["sites"])


@pytest.mark.parametrize("name, kind, lat, lon", [
    ("Taechon", "launch_site", 39.99, 125.52),          # missing from GeoNames' city lists
    ("Sukchon", "launch_site", 39.42, 125.63),
    ("Tongchang-ri", "launch_site", 39.66, 124.71),      # another name of Sohae
    ("Sunan airport", "launch_site", 39.20, 125.67),
    ("North Pyongan Province", "admin1", 40.06, 125.24),
    ("South Hamgyong", "admin1", 40.12, 127.60),
    ("P'yŏngan-bukto", "admin1", 40.06, 125.24),
    ("East Sea", "sea", 40.0, 134.5),
    ("Sea of Japan", "sea", 40.0, 134.5),
    ("Yellow Sea", "sea", 36.0, 123.5),
    ("DPRK", "country", 39.03, 125.75),
    ("Sinuiju", "city", 40.10, 124.40),                 # an other name of Sinŭiju
    ("Dandong", "city", 40.13, 124.39),
    ("Pyongyang", "city", 39.03, 125.75),               # the capital before the airport or the division
])
def test_names_from_news_reports_resolve(ix, name, kind, lat, lon):
    best = ix.lookup(name)[0]
    assert best.kind == kind
    assert best.lat == pytest.approx(lat, abs=0.02) and best.lon == pytest.approx(lon, abs=0.02)
    assert best.source


def test_ambiguous_names_give_every_candidate(ix):
    kinds = {c.kind for c in ix.lookup("Kusong")}
    assert {"launch_site", "city"} <= kinds
    assert len(ix.lookup("Washington")) >= 2


def test_unknown_and_hostile_names_give_nothing(ix):
    assert ix.lookup("") == []
    assert ix.lookup("Xqzzyville") == []
    assert ix.lookup("<script>alert(1)</script>") == []
    assert ix.lookup("a" * 10_000) == []


def test_fold_drops_case_accents_and_apostrophes():
    assert fold("P\u2019y\u014fngyang") == "pyongyang"
    assert fold("  Sin\u016diju ") == "sinuiju"


def test_the_city_gazetteer_api_is_unchanged():
    assert gazetteer().search("Seoul", 1)[0].name == "Seoul"


def test_misspelt_names_get_similar_places(ix):
    assert ix.similar("Sinuju")[0].name == "Sin\u016diju"
    assert ix.similar("Pyongyan")[0].name == "Pyongyang"
    assert ix.similar("Mupyongni")[0].kind == "launch_site"
    assert ix.similar("Xqzzyvillex") == []


def test_the_gazetteer_kept_in_a_cache_reads_back_the_same_places_and_a_bad_cache_is_rebuilt(tmp_path):
    from viewer.model import gazetteer as gz

    fresh = gz.Gazetteer.load(cache_dir=tmp_path, packaged=False)  # (the package's list, not the packaged one)
    files = list(tmp_path.glob("gazetteer-*.marshal"))
    assert len(files) == 1
    again = gz.Gazetteer.load(cache_dir=tmp_path, packaged=False)
    assert again.places == fresh.places and len(again.places) > 30_000
    # other names are kept as one text a place, and found by a search as before
    pyongyang = again.exact("Pyongyang")[0]
    assert "B\u00ecnh Nh\u01b0\u1ee1ng" in pyongyang.alt_names and isinstance(pyongyang.alt_text, str)
    assert again.search("B\u00ecnh Nh\u01b0\u1ee1ng", 1)[0] == pyongyang
    seoul = again.within(37.5665, 126.978, 5_000)
    assert seoul and seoul[0].place.name == "Seoul"
    for bad in (b"", b"\x00garbage", files[0].read_bytes()[:1000]):  # empty, not marshal, cut short
        files[0].write_bytes(bad)
        assert gz.Gazetteer.load(cache_dir=tmp_path, packaged=False).places == fresh.places
    assert len(files[0].read_bytes()) > 1_000_000  # rewritten whole after the bad one


def test_a_town_called_so_comes_before_one_that_name_is_only_another_name_of():
    from viewer.model.place_index import place_index

    got = place_index().lookup("Midway")
    assert got[0].name == "Midway" and any(c.name == "Midland" for c in got[1:])  # (Midland lists "Midway")
