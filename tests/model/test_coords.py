import pytest

from viewer.model.coords import format_dd, format_dms, format_latlon, format_mgrs, normalise_lon


def test_decimal_degrees_name_the_hemispheres():
    assert format_dd(39.2002, 125.6733) == "39.20020\u00b0 N, 125.67330\u00b0 E"
    assert format_dd(-17.7, -178.0, 1) == "17.7\u00b0 S, 178.0\u00b0 W"


def test_longitudes_from_world_copies_are_folded_back():
    assert normalise_lon(190.0) == pytest.approx(-170.0)
    assert format_dd(0, 360 + 10, 1) == "0.0\u00b0 N, 10.0\u00b0 E"


def test_dms_rounds_without_sixty_seconds():
    assert format_dms(39.5, 125.25) == "39\u00b030\u203200.0\u2033 N, 125\u00b015\u203200.0\u2033 E"


def test_mgrs_for_the_launch_point():
    text = format_mgrs(39.2002, 125.6733)
    assert text.startswith("51S")
    assert len(text.split()) == 4


def test_mgrs_past_84_north_and_80_south_is_the_polar_grid_and_reads_back():
    # (it was decimal degrees under the MGRS label, and a polar reference could not be typed)
    from geographiclib.geodesic import Geodesic

    for lat, lon, zone in ((88.5, 10.0, "Z"), (84.5, -20.0, "Y"), (-85.0, -60.0, "A"), (-89.9, 120.0, "B")):
        text = format_mgrs(lat, lon)
        assert text.split()[0] == zone and len(text.split()) == 4
        back = parse_latlon(text)
        assert Geodesic.WGS84.Inverse(lat, lon, *back)["s12"] < 2.0  # (a 1 m grid square)
    assert format_latlon(float("nan"), 0.0) == ""


from viewer.model.coords import CoordinateError, parse_latlon  # noqa: E402


@pytest.mark.parametrize("text", [
    "39.2002, 125.6733", "39.2002 125.6733", "39.2002 N, 125.6733 E", "N39.2002 E125.6733",
    "39\u00b012\u203200.7\u2033 N, 125\u00b040\u203223.9\u2033 E", "39 12 00.72 N, 125 40 23.88 E",
    "125.6733 E, 39.2002 N",
])
def test_decimal_and_dms_positions_are_read(text):
    lat, lon = parse_latlon(text)
    assert lat == pytest.approx(39.2002, abs=1e-4) and lon == pytest.approx(125.6733, abs=1e-4)


def test_southern_and_western_hemispheres_are_negative():
    assert parse_latlon("17.7 S, 178.0 W") == pytest.approx((-17.7, -178.0))
    assert parse_latlon("-17.7, -178") == pytest.approx((-17.7, -178.0))


def test_mgrs_round_trips_to_a_metre():
    from viewer.model.geodesy import distance_bearing

    text = format_mgrs(39.2002, 125.6733)
    lat, lon = parse_latlon(text)
    assert distance_bearing(lat, lon, 39.2002, 125.6733)[0] < 1.5


@pytest.mark.parametrize("text", ["", "hello", "95, 10", "10, 200", "39 70 00 N, 125 E", "1,2,3", "99ZZZ1234"])
def test_bad_positions_say_why(text):
    with pytest.raises(CoordinateError):
        parse_latlon(text)


def test_a_sign_after_the_seconds_is_the_values_sign_and_a_sign_elsewhere_is_refused():
    # (before: "035 51 20-" was read as 35.86 N or E, with nothing said)
    from viewer.model.coords import CoordinateError, _dms_value

    assert _dms_value("035 51 20-")[0] == pytest.approx(-(35 + 51 / 60 + 20 / 3600))
    assert _dms_value("1 05 30.6+")[0] == pytest.approx(1 + 5 / 60 + 30.6 / 3600)
    assert _dms_value("-35 30")[0] == -35.5 and _dms_value("+35.5")[0] == 35.5
    for bad in ("35 -30 00", "-35 30-", "12-30", "-", "+"):
        with pytest.raises(CoordinateError):
            _dms_value(bad)


@pytest.mark.parametrize("text, want", [
    ("N 39.2 E 125.6", (39.2, 125.6)),  # hemisphere letters first, as GPS units write them
    ("S 33.9 E 151.2", (-33.9, 151.2)),
    ("N 39 12 00 E 125 40 24", (39.2, 125 + 40 / 60 + 24 / 3600)),
    ("N 39° 12.000' E 125° 40.400'", (39.2, 125 + 40.4 / 60)),
    ("E 125.6 N 39.2", (39.2, 125.6)),
    ("S 33 52 W 151 12", (-(33 + 52 / 60), -(151.2))),
    ("39d12m00s N 125d40m24s E", (39.2, 125 + 40 / 60 + 24 / 3600)),  # (its seconds' s is no south)
    ("10 20 N 30 40 E", (10 + 20 / 60, 30 + 40 / 60)),
    ("39.2 N 125.6 E", (39.2, 125.6)),
    ("N39.2 E125.6", (39.2, 125.6)),
    ("39.2, 125.6", (39.2, 125.6)),
])
def test_hemisphere_letters_before_or_after_the_numbers_with_or_without_a_comma(text, want):
    lat, lon = parse_latlon(text)
    assert lat == pytest.approx(want[0], abs=1e-9) and lon == pytest.approx(want[1], abs=1e-9)


@pytest.mark.parametrize("text", ["N 125 E 39", "95 N 10 E", "N 39.2 E", "N 39 E 125 W"])
def test_a_position_that_cannot_be_one_is_refused(text):
    with pytest.raises(CoordinateError):
        parse_latlon(text)


def test_an_mgrs_reference_whose_latitude_band_does_not_hold_it_is_refused():
    # 51S WJ ... lies 400 km north of band S (in T): a typing slip, not a place to fly to
    with pytest.raises(CoordinateError, match="latitude band S"):
        parse_latlon("51SWJ 12345 67890")
    lat, lon = parse_latlon("51TWJ 12345 67890")
    assert 43.9 < lat < 44.0 and 123.1 < lon < 123.2
