"""Bring your own launch table: CSV import with a guessed, overridable column mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.model import history as h
from viewer.model import launch_csv as lc

DATA = Path(__file__).resolve().parents[1] / "data" / "history"


@pytest.fixture(scope="module")
def known():
    return h.load_default()


def test_cns_layout_is_recognised():
    table = lc.read_table((DATA / "cns-layout.csv").read_bytes(), "cns-layout.csv")
    m = lc.guess_mapping(table.headers)
    assert table.headers[m.column("date")] == "Date"
    assert table.headers[m.column("time")] == "Launch Time (UTC)"
    assert table.headers[m.column("system")] == "Missile Name"
    assert table.headers[m.column("class")] == "Missile Type"
    assert table.headers[m.column("site")] == "Facility Name"
    assert table.headers[m.column("lat")] == "Facility Latitude"
    assert table.headers[m.column("lon")] == "Facility Longitude"
    assert table.headers[m.column("distance")] == "Distance Travelled"
    assert table.headers[m.column("outcome")] == "Test Outcome"
    assert m.column("bearing") is None  # the CNS table has none
    assert m.problems() == []


def test_dirty_rows_are_reported_and_skipped(known):
    result = lc.import_launch_csv((DATA / "cns-layout.csv").read_bytes(), "cns-layout.csv", known=known)
    got = {x.id: x for x in result.history.launches}
    assert result.rows_read == 9
    assert len(got) == 5
    assert result.skipped_count == 4
    text = "\n".join(result.skipped)
    assert "row 6: date 'soon' not understood" in text
    assert "row 7: impossible coordinates 95, 125" in text
    assert "row 8: only one of latitude and longitude" in text
    assert "row 10: no site and no coordinates" in text
    assert all(s.endswith("skipped") for s in result.skipped)
    assert "4 rows skipped" in result.report()


def test_messy_values_are_read(known):
    result = lc.import_launch_csv((DATA / "cns-layout.csv").read_bytes(), "cns-layout.csv", known=known)
    got = {x.id: x for x in result.history.launches}
    assert got["csv-2"].date == "1984-04-09" and got["csv-2"].time_utc is None
    assert got["csv-3"].date == "1984-09"  # "Sep-84": known to the month
    assert got["csv-3"].outcome == "failure"
    kn24 = got["csv-4"]
    assert (kn24.date, kn24.time_utc, kn24.apogee_km, kn24.distance_km) == ("2022-01-17", "23:50", 42, 380)
    assert kn24.system.cls == "SRBM"
    assert got["csv-5"].apogee_km == 6248 and got["csv-5"].distance_km == 1090  # "6,248 km"
    assert got["csv-5"].system.cls == "ICBM"


def test_hostile_text_stays_plain_text(known):
    result = lc.import_launch_csv((DATA / "cns-layout.csv").read_bytes(), "cns-layout.csv", known=known)
    x = next(x for x in result.history.launches if x.id == "csv-9")
    assert x.system.name == "<img src=x onerror=alert(1)>"  # kept verbatim as text; the page sets it as text
    assert x.site.name == "<script>alert(1)</script>"
    assert x.apogee_km is None and x.distance_km is None
    assert any("row 9: apogee 'far' not understood" in n for n in result.notes)


def test_cp1252_file_with_other_layout(known):
    result = lc.import_launch_csv((DATA / "cp1252-names.csv").read_bytes(), "cp1252-names.csv", known=known)
    launches = result.history.launches
    assert len(launches) == 3
    assert result.skipped == ["row 5: no coordinates, and site 'Caf\u00e9 \u201cSecret\u201d site' is not a known site "
                              "\u2014 skipped"]
    uiju = launches[0]
    assert (uiju.date, uiju.time_utc, uiju.site.name) == ("2022-01-14", "05:41", "Uiju")
    assert uiju.site.lat == pytest.approx(40.025847)  # position of the known site
    assert uiju.bearing_deg == 78 and uiju.distance_km == 430
    assert launches[1].bearing_deg == 62  # "62°"
    assert launches[1].system.cls == "SRBM"  # "KN-24" is a known system
    cafe = launches[2]
    assert cafe.system.name == "Hwas\u00f6ng"
    assert cafe.distance_km == pytest.approx(402.3, abs=0.1)  # 250 miles
    assert cafe.outcome == "failure"


def test_unknown_site_without_coordinates_is_skipped():
    data = b"date,site,system\n2022-01-01,Cafe Nowhere,X\n"
    result = lc.import_launch_csv(data, "t.csv", known=h.load_default())
    assert result.history.launches == []
    assert result.skipped == ["row 2: no coordinates, and site 'Cafe Nowhere' is not a known site \u2014 skipped"]


def test_mapping_override_changes_what_is_read():
    data = b"when,where_lat,where_lon,what\n2020-03-02,39.5,127.2,Thing\n"
    table = lc.read_table(data, "t.csv")
    guess = lc.guess_mapping(table.headers)
    assert guess.problems()  # nothing recognised
    with pytest.raises(lc.LaunchCsvError):
        lc.import_launches(table, guess, "t.csv")
    m = guess.with_column("date", 0).with_column("lat", 1).with_column("lon", 2).with_column("system", 3)
    result = lc.import_launches(table, m, "t.csv")
    x = result.history.launches[0]
    assert (x.date, x.site.lat, x.site.lon, x.system.name) == ("2020-03-02", 39.5, 127.2, "Thing")
    # one column serves one field
    assert m.with_column("site", 3).column("system") is None


def test_semicolon_and_decimal_comma():
    data = "Datum;Breite;Länge;Reichweite\n16.01.2022;39,2;125,67;380\n".encode("utf-8")
    table = lc.read_table(data, "t.csv")
    assert table.delimiter == ";"
    m = lc.ColumnMapping({"date": 0, "lat": 1, "lon": 2, "distance": 3})
    x = lc.import_launches(table, m, "t.csv").history.launches[0]
    assert (x.date, x.site.lat, x.site.lon, x.distance_km) == ("2022-01-16", 39.2, 125.67, 380)


@pytest.mark.parametrize("data, why", [
    (b"", "empty"),
    (b"\n\n  \n", "empty"),
    (b"d\x00a\x00t\x00e\x00", "NUL"),
    (b'date,site\n"2020-01-01,unclosed', None),
])
def test_unreadable_files_are_one_line_errors(data, why):
    try:
        result = lc.import_launch_csv(data, "bad.csv")
    except lc.LaunchCsvError as e:
        assert "\n" not in str(e)
        if why:
            assert why in str(e)
    else:
        assert result.history.launches == []


def test_values_parse():
    assert lc.parse_km("1,380 km") == 1380
    assert lc.parse_km("about 450") == 450
    assert lc.parse_km("Unknown") is None
    assert lc.parse_km("12,5") == 12.5
    for bad in ("far", "1-2 km", "12 parsecs", "1e9"):
        with pytest.raises(lc._Bad):
            lc.parse_km(bad)
    assert lc.parse_date("Sep-84") == ("1984-09", None)
    assert lc.parse_date("9-Apr-84") == ("1984-04-09", None)
    assert lc.parse_date("17 January 2022") == ("2022-01-17", None)
    assert lc.parse_date("2022-01-16T23:50:00Z") == ("2022-01-16", "23:50")
    for bad in ("soon", "2022-02-30", "Unknown", "31/31/2022"):
        with pytest.raises(lc._Bad):
            lc.parse_date(bad)
    assert lc.parse_time("23:50 (UTC)") == "23:50"
    assert lc.parse_time("0541") == "05:41"
    assert lc.parse_degrees("39.2 N", "N", "S") == 39.2
    assert lc.parse_degrees("125.6W", "E", "W") == -125.6


def test_clean_text_removes_controls_and_bidi():
    assert lc.clean_text("a\u202eb\u200bc\x07d\ne") == "a b c d e"
    assert len(lc.clean_text("x" * 500)) == lc.MAX_TEXT


def test_size_limit():
    with pytest.raises(lc.LaunchCsvError, match="MB"):
        lc.decode(b" " * (lc.MAX_BYTES + 1))


def test_a_year_outside_1900_2100_is_skipped_in_every_date_form_and_four_digit_years_are_kept():
    # (an ISO date-time skipped the year check, and 9999-12-31T23:59Z made the launch's facts fail;
    # 2080-03-01 was read as 1980)
    data = ("Date,Missile Name,Missile Type,Facility Name,Facility Latitude,Facility Longitude,Apogee,"
            "Distance Travelled,Test Outcome\n"
            "9999-12-31T23:59Z,KN-23,SRBM,Far,39.0,125.7,50,600,Success\n"
            "2080-03-01,KN-23,SRBM,Future,39.0,125.7,50,600,Success\n"
            "0001-01-01T00:00Z,KN-23,SRBM,Old,39.0,125.7,50,600,Success\n"
            "9-Apr-84,KN-23,SRBM,Then,39.0,125.7,50,600,Success\n").encode()
    imp = lc.import_launch_csv(data, "years.csv")
    assert sorted(x.date for x in imp.history.launches) == ["1984-04-09", "2080-03-01"]
    assert len(imp.skipped) == 2 and all("skipped" in s for s in imp.skipped)
    for x in imp.history.launches:
        assert h.launch_facts(x)
