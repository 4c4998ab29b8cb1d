"""A GPX with one point gpxpy cannot read opens without that point or value, each said (before: the
whole file was refused, with gpxpy's own words and no place given)."""

import pytest

from viewer.model.io.open_any import open_map_file
from viewer.model.scenario import ScenarioError

GPX = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="Garmin Connect" xmlns="http://www.topografix.com/GPX/1/1">
<trk><name>Run</name><trkseg>{}</trkseg></trk></gpx>"""


def _points(n, bad=None):
    out = []
    for i in range(n):
        out.append(bad if i == 1 and bad else f'<trkpt lat="{39 + i / 1000}" lon="{125 + i / 1000}"><ele>{10 + i}</ele></trkpt>')
    return "".join(out)


def _open(tmp_path, body):
    p = tmp_path / "run.gpx"
    p.write_text(GPX.format(body), encoding="utf-8")
    return open_map_file(p)


def test_a_point_without_a_position_is_left_out_and_said(tmp_path):
    s, report = _open(tmp_path, _points(5, "<trkpt><ele>3</ele></trkpt>"))
    assert [len(f.geometry["coordinates"]) for f in s.features] == [4] and report.left_out_count == 1
    assert "trkpt 2" in "\n".join(report.lines())


def test_an_elevation_that_is_not_a_number_is_left_out_and_its_point_kept(tmp_path):
    s, report = _open(tmp_path, _points(5, '<trkpt lat="39.001" lon="125.001"><ele>12,5</ele></trkpt>'))
    assert [len(f.geometry["coordinates"]) for f in s.features] == [5] and report.left_out_count == 1
    assert "ele '12,5'" in "\n".join(report.lines())


def test_a_gpx_with_nothing_readable_is_still_refused(tmp_path):
    with pytest.raises(ScenarioError):
        _open(tmp_path, "<trkpt><ele>1</ele></trkpt><trkpt lat='x' lon='1'/>")


def test_a_track_or_route_of_one_position_opens_as_a_place():
    # (gpsbabel's seg2trk test file: one-fix tracks; before, "empty geometries" and nothing opened)
    from viewer.model.io.open_any import open_map_bytes

    gpx = (b'<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
           b'<rte><name>R</name><rtept lat="39.0" lon="125.0"/></rte>'
           b'<trk><name>T</name><trkseg><trkpt lat="40.5" lon="126.5"><ele>12.5</ele>'
           b'<time>2022-01-17T00:00:00Z</time></trkpt></trkseg><trkseg></trkseg></trk></gpx>')
    scenario, report = open_map_bytes(gpx, "fixes.gpx")
    got = [(f.name, f.kind, f.geometry["coordinates"]) for f in scenario.features]
    assert got == [("R", "place", [125.0, 39.0]), ("T (1)", "place", [126.5, 40.5])]
    assert scenario.features[1].properties["elevation_m"] == 12.5
    assert scenario.features[1].properties["time_utc"].startswith("2022-01-17T00:00:00")
    assert report.counts == {"empty geometries": 1} and "segment 2 (name 'T') (no points)" in str(report)


def test_a_gpx_s_type_number_link_and_precision_are_kept_under_gdal_s_names(tmp_path):
    # (gpx.studio writes a track's activity as its type; before, these were dropped unsaid)
    p = tmp_path / "ride.gpx"
    p.write_text('<?xml version="1.0"?><gpx version="1.1" creator="gpx.studio" xmlns="http://www.topografix.com/GPX/1/1">'
                 '<wpt lat="45.0" lon="6.0"><name>Col</name><type>Summit</type><fix>3d</fix><sat>7</sat>'
                 '<hdop>1.5</hdop><vdop>2.5</vdop><pdop>3.5</pdop></wpt>'
                 '<rte><name>Plan</name><type>Road</type><number>2</number><rtept lat="45.0" lon="6.0"/>'
                 '<rtept lat="45.1" lon="6.1"/></rte>'
                 '<trk><name>Ride</name><src>Edge 530</src><link href="https://example.org/ride"/><number>1</number>'
                 '<type>Cycling</type><trkseg><trkpt lat="45.0" lon="6.0"/><trkpt lat="45.2" lon="6.2"/></trkseg></trk></gpx>',
                 encoding="utf-8")
    s, report = open_map_file(p)
    col, plan, ride = s.features
    assert {k: col.properties.get(k) for k in ("type", "fix", "sat", "hdop", "vdop", "pdop")} == \
        {"type": "Summit", "fix": "3d", "sat": 7, "hdop": 1.5, "vdop": 2.5, "pdop": 3.5}
    assert (plan.properties["type"], plan.properties["number"]) == ("Road", 2)
    assert {k: ride.properties.get(k) for k in ("type", "number", "src", "link1_href")} == \
        {"type": "Cycling", "number": 1, "src": "Edge 530", "link1_href": "https://example.org/ride"}
    assert ride.source == "ride.gpx" and not report.lines()


def test_a_gpx_s_waypoint_and_track_times_are_the_times_the_slider_and_time_window_see(tmp_path):
    """A waypoint's time, and a track's first and last, become their time_utc, as a KML's TimeStamp
    does: the time slider and --time-window see them (they saw none: a GPX's were under "time")."""
    import json

    from viewer import api
    from viewer.model.map_times import feature_times

    gpx = tmp_path / "times.gpx"
    gpx.write_bytes(
        b'<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
        b'<wpt lat="39.0" lon="125.7"><name>January</name><time>2022-01-16T23:00:00Z</time></wpt>'
        b'<wpt lat="39.1" lon="125.8"><name>June</name><time>2023-06-01T08:00:00Z</time></wpt>'
        b'<trk><name>Drive</name><trkseg><trkpt lat="40.0" lon="126.0"><time>2022-01-20T06:00:00Z</time></trkpt>'
        b'<trkpt lat="40.1" lon="126.1"/><trkpt lat="40.2" lon="126.2"><time>2022-01-20T07:30:00Z</time></trkpt>'
        b'</trkseg></trk></gpx>')
    m = api.open_map(gpx)
    times = feature_times(m.scenario)
    by_name = {f.name: times.get(f.id) for f in m.features}
    assert [t.isoformat() for t in by_name["January"]] == ["2022-01-16T23:00:00+00:00"]
    assert [t.isoformat() for t in by_name["Drive"]] == ["2022-01-20T06:00:00+00:00", "2022-01-20T07:30:00+00:00"]
    out = tmp_path / "jan.geojson"
    m.export(out, time_window="2022-01")
    names = sorted(f["properties"]["name"] for f in json.loads(out.read_text(encoding="utf-8"))["features"])
    assert names == ["Drive", "January"]
