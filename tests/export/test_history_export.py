"""The launch history exports honour the filter; KML TimeStamps read back with fastkml."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from fastkml import kml as fkml

from viewer.export import history as hx
from viewer.model import history as h
from viewer.model import launch_csv as lc


@pytest.fixture(scope="module")
def hist():
    return h.load_default()


KN24 = h.HistoryFilter(years=(2019, 2022), systems=frozenset({"hwasong-11b"}))


def _placemarks(obj):
    for f in getattr(obj, "features", []) or []:
        if type(f).__name__ == "Placemark":
            yield f
        else:
            yield from _placemarks(f)


def test_kml_has_a_timestamp_per_launch_read_back_by_fastkml(tmp_path, hist):
    out = tmp_path / "kn24.kml"
    n = hx.write_history(out, hist, KN24)
    assert n == 8
    k = fkml.KML.parse(str(out))
    marks = list(_placemarks(k))
    sites = [p for p in marks if not p.id.endswith(".track")]
    tracks = [p for p in marks if p.id.endswith(".track")]
    assert len(sites) == 8 and len(tracks) == 8
    pair = {p.id: p for p in sites}
    stamp = pair["dprk-20220116-1"].times
    assert stamp.timestamp.dt.isoformat() == "2022-01-16T23:50:00+00:00"
    assert pair["dprk-20220116-1"].geometry.coords[0][:2] == pytest.approx((125.673256, 39.200159))
    years = {p.times.timestamp.dt.year for p in sites}
    assert years <= {2019, 2020, 2021, 2022}


def test_kml_estimated_track_ends_380_km_away(tmp_path, hist):
    from geographiclib.geodesic import Geodesic

    data = hx.history_kml(hist, [hist.launch("dprk-20220116-1")], "test")
    ns = {"k": hx.KML_NS}
    root = ET.fromstring(data)
    track = root.find(".//k:Placemark[@id='dprk-20220116-1.track']", ns)
    pts = track.find(".//k:coordinates", ns).text.split()
    lon0, lat0 = map(float, pts[0].split(","))
    lon1, lat1 = map(float, pts[-1].split(","))
    assert Geodesic.WGS84.Inverse(lat0, lon0, lat1, lon1)["s12"] == pytest.approx(380_000, abs=50)
    assert "Estimated" in track.find("k:description", ns).text


def test_kml_date_only_and_month_only_timestamps(hist):
    early = [x for x in hist.launches if x.year == 1984]
    root = ET.fromstring(hx.history_kml(hist, early, "1984"))
    whens = [e.text for e in root.iter(f"{{{hx.KML_NS}}}when")]
    assert "1984-04-09" in whens and "1984-09" in whens


def test_geojson_honours_filter_and_labels_estimates(tmp_path, hist):
    out = tmp_path / "kn24.geojson"
    hx.write_history(out, hist, KN24)
    doc = json.loads(out.read_text())
    launches = [f for f in doc["features"] if f["properties"]["kind"] == "launch"]
    assert len(launches) == doc["launch_count"] == 8
    assert all(f["properties"]["system"] == "Hwasong-11B (KN-24)" for f in launches)
    est = [f for f in doc["features"] if f["properties"]["kind"] in ("estimated_track", "estimated_landing")]
    assert est and all(f["properties"]["status"] == "estimated" for f in est)
    assert "KN-24" in doc["shown"] and "CNS" in doc["credit"]
    x = next(f for f in launches if f["id"] == "dprk-20220116-1")["properties"]
    assert (x["apogee_km"], x["distance_km"], x["bearing_deg"], x["when"]) == (42, 380, 62, "2022-01-16T23:50:00Z")


def test_the_geojson_export_opened_as_a_map_is_timed_so_a_time_window_keeps_only_its_launches(tmp_path, hist):
    # (its time_utc was a bare "HH:MM", which no map reads as a time: every launch was untimed)
    from viewer.model.io.open_any import open_map_file

    out = tmp_path / "kn24.geojson"
    hx.write_history(out, hist, KN24)
    scenario, _ = open_map_file(out)
    times = h.feature_times(scenario)
    launches = [f for f in scenario.features if f.properties.get("launch_id") and f.id == f.properties["launch_id"]]
    assert launches and all(f.id in times for f in launches)
    assert times["dprk-20220116-1"] == [h.parse_window("2022-01-16T23:50Z/2022-01-16T23:50Z")[0]]
    window = h.parse_window("2022-01")
    inside = {f.id for f in scenario.features if any(window[0] <= t <= window[1] for t in times.get(f.id, []))}
    assert len(launches) == 8 and {f.id for f in launches if f.id in inside} == {"dprk-20220116-1", "dprk-20220116-2"}
    assert all(f.id in times for f in scenario.features)  # (tracks and landing points too)


def test_hostile_imported_text_is_escaped_in_kml(tmp_path):
    data = b'date,site,latitude,longitude,system\n2022-01-01,"</name><script>alert(1)</script>",39,125,"<b>x</b>&amp;"\n'
    imported = lc.import_launch_csv(data, "<evil>.csv").history
    out = tmp_path / "evil.kml"
    hx.write_history(out, imported, h.HistoryFilter())
    root = ET.parse(out).getroot()
    assert not list(root.iter("script"))
    names = [e.text for e in root.iter(f"{{{hx.KML_NS}}}name")]
    assert "2022-01-01 <b>x</b>&amp;" in names
    assert "<script>" not in out.read_text().replace("&lt;script&gt;", "")


def test_unknown_suffix_refused(tmp_path, hist):
    with pytest.raises(ValueError):
        hx.write_history(tmp_path / "x.txt", hist, KN24)


def test_api_history_filter_takes_several_choices(tmp_path, hist):
    from viewer import api

    out = tmp_path / "api.geojson"
    api.open_map().export(out, history={"system": ["KN-23", "KN-24"], "classes": "SRBM", "outcomes": ["success"]})
    doc = json.loads(out.read_text())
    got = sorted(f["id"] for f in doc["features"] if f["properties"]["kind"] == "launch")
    want = sorted(x.id for x in hist.launches if x.system.short in ("KN-23", "KN-24") and x.outcome == "success")
    assert got == want and len(want) > 20
    flt = hx.filter_from_options(hist, system="KN-23, KN-24", site=["Uiju", "Pyongyang International Airport"])
    assert flt.systems == {"hwasong-11a", "hwasong-11b"} and len(flt.sites) == 2


def test_the_kml_export_opened_as_a_map_is_timed_by_its_timestamps(tmp_path, hist):
    # (a TimeStamp or TimeSpan of another tool's placemark was not read: the map was untimed)
    from viewer.model.io.open_any import open_map_file

    out = tmp_path / "kn24.kml"
    hx.write_history(out, hist, KN24)
    scenario, _ = open_map_file(out)
    times = h.feature_times(scenario)
    launches = [f for f in scenario.features if f.kind == "place"]
    assert launches and all(f.id in times for f in launches)
    window = h.parse_window("2022-01")
    inside = [f for f in launches if any(window[0] <= t <= window[1] for t in times[f.id])]
    assert len(inside) == 2 and len(launches) == 8


def test_kml_timestamps_and_spans_of_any_tool_are_read_and_odd_ones_passed_over():
    from viewer.model.io.open_any import open_map_bytes

    kml = b"""<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Placemark><name>A</name><TimeStamp><when>2022-01-16T23:50:00Z</when></TimeStamp><Point><coordinates>125,39</coordinates></Point></Placemark>
<Placemark><name>B</name><TimeSpan><begin>2022-01-16</begin><end>2022-01-17T03:00:00+09:00</end></TimeSpan><Point><coordinates>125,39</coordinates></Point></Placemark>
<Placemark><name>C</name><TimeStamp><when>2022-01</when></TimeStamp><Point><coordinates>125,39</coordinates></Point></Placemark>
<Placemark><name>D</name><TimeStamp><when>soon</when></TimeStamp><Point><coordinates>125,39</coordinates></Point></Placemark>
</Document></kml>"""
    scenario, _ = open_map_bytes(kml, "times.kml")
    got = {f.name: f.properties.get("time_utc") for f in scenario.features}
    # (a month or a year is a time KML allows: its first moment; "soon" is none)
    assert got == {"A": "2022-01-16T23:50:00Z", "B": ["2022-01-16", "2022-01-17T03:00:00+09:00"], "C": "2022-01",
                   "D": None}
