import pytest

from viewer.model.exchange import import_annotations
from viewer.model.gpx import import_gpx, left_out_note, looks_like_gpx
from viewer.model.scenario import ScenarioError

GPX11 = b"""<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="handwritten for this test" xmlns="http://www.topografix.com/GPX/1/1">
  <metadata><name>Trip</name></metadata>
  <wpt lat="39.0392" lon="125.7625"><ele>38</ele><name>Pyongyang station</name><desc>Main &amp; rail</desc></wpt>
  <wpt lat="40.1" lon="124.4"><name>Sinuiju</name><cmt>border</cmt></wpt>
  <rte><name>Road north</name>
    <rtept lat="39.0" lon="125.7"/><rtept lat="39.5" lon="125.2"/><rtept lat="40.0" lon="124.5"/>
  </rte>
  <trk><name>Drive</name>
    <trkseg><trkpt lat="39.0" lon="125.7"><time>2022-01-17T00:00:00Z</time></trkpt><trkpt lat="39.1" lon="125.8"/></trkseg>
    <trkseg><trkpt lat="39.2" lon="125.9"/><trkpt lat="39.3" lon="126.0"/></trkseg>
  </trk>
  <trk><trkseg><trkpt lat="38.0" lon="127.0"/></trkseg></trk>
</gpx>
"""


def test_waypoints_routes_and_track_segments_become_places_and_paths_in_lon_lat_order():
    fs = import_gpx(GPX11, "trip.gpx")
    assert [(f.kind, f.name) for f in fs] == [
        ("place", "Pyongyang station"), ("place", "Sinuiju"), ("path", "Road north"),
        ("path", "Drive (1)"), ("path", "Drive (2)"), ("place", "Track 2")]
    assert fs[0].geometry["coordinates"][:2] == [125.7625, 39.0392]
    assert fs[2].geometry["coordinates"][-1][:2] == [124.5, 40.0]
    assert fs[0].properties["notes"] == "Main & rail" and fs[1].properties["notes"] == "border"
    assert all(f.properties["annotation"] is True and f.properties["source"] == "trip.gpx" for f in fs)


def test_gpx_1_0_and_a_gpx_under_another_name_are_read_through_the_import_door():
    gpx10 = GPX11.replace(b"http://www.topografix.com/GPX/1/1", b"http://www.topografix.com/GPX/1/0")
    assert looks_like_gpx(gpx10) and not looks_like_gpx(b"<kml></kml>")
    assert len(import_annotations(gpx10, "export.xml")) == 6
    assert len(import_annotations(GPX11, "trip.gpx")) == 6


def test_what_is_left_out_is_counted():
    assert left_out_note(GPX11) == "times, elevations and extensions of 2 points were left out"
    assert left_out_note(b"<gpx><wpt lat='1' lon='2'/></gpx>") == ""


@pytest.mark.parametrize("data, where, what", [
    (b'<!DOCTYPE gpx [<!ENTITY x "y">]><gpx><wpt lat="1" lon="2"/></gpx>', "", "document type"),
    (b"<kml><Placemark/></kml>", "", "not a GPX document"),
    (b'<gpx><wpt lat="1" lon="2"/><wpt lat="95" lon="2"/></gpx>', "waypoint 2", "off the Earth"),
    (b'<gpx><rte><rtept lat="x" lon="2"/></rte></gpx>', "route 1, point 1", "must be numbers"),
    (b"<gpx><metadata/></gpx>", "", "no waypoints"),
    (b"<gpx><wpt lat='1' lon='2'>", "line 1", "not well-formed"),
    (b"\xff\xfe<gpx/>", "byte 0", "not UTF-8"),
])
def test_bad_gpx_is_refused_with_the_place_and_the_reason(data, where, what):
    with pytest.raises(ScenarioError) as e:
        import_gpx(data, "bad.gpx")
    assert e.value.where.startswith(where) and what in e.value.what, (e.value.where, e.value.what)


def test_absurd_nesting_is_refused_while_parsing():
    deep = b"<gpx>" + b"<a>" * 100 + b"</a>" * 100 + b"</gpx>"
    with pytest.raises(ScenarioError, match="nested deeper"):
        import_gpx(deep, "deep.gpx")
