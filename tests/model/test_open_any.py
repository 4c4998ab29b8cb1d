"""Opening any geodata file as a map: real files from other tools' test suites (tests/data/realworld,
see its README), counted independently with fastkml, gpxpy, json and csv; what was left out is
said; what opens can be saved and read back by the strict reader with ids, names, styles and
unknown properties intact; bad input gives one clear line or a report line."""

from __future__ import annotations

import csv
import io
import json
import math
import warnings
import zipfile
from pathlib import Path

import pytest

from tests.conftest import DATA
from viewer.model.document import validated_feature
from viewer.model.io import report as why
from viewer.model.io.open_any import open_map_bytes, open_map_file
from viewer.model.project import save_project
from viewer.model.scenario import ScenarioError, load_scenario

REAL = DATA / "realworld"
OWN = REAL / "sitmap-made"
KML_NS = "http://www.opengis.net/kml/2.2"


def real_files(*suffixes: str) -> list[Path]:
    return sorted(p for p in REAL.rglob("*") if p.suffix.lower() in suffixes)


def ids(files: list[Path]) -> list[str]:
    return [f"{p.parent.name}/{p.name}" for p in files]


# ----------------------------------------------------------------- independent counts

MULTI = ("MultiPoint", "MultiLineString", "MultiPolygon", "GeometryCollection")


def _kml_text(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix.lower() == ".kmz":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            data = z.read(next(n for n in z.namelist() if n.lower().endswith(".kml")))
    if b"xmlns=" not in data[:400]:  # fastkml needs the namespace some writers leave out
        data = data.replace(b"<kml>", f'<kml xmlns="{KML_NS}">'.encode(), 1)
    for old in (b"http://earth.google.com/kml/2.0", b"http://earth.google.com/kml/2.1"):  # and knows 2.2 only
        data = data.replace(old, KML_NS.encode())
    return data


def fastkml_count(path: Path) -> dict[str, int]:
    """Drawable parts, placemarks, placemarks with nothing drawable, 3D models, overlays and
    network links, as fastkml reads the file."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastkml import kml

        doc = kml.KML.from_string(_kml_text(path))
    out = {"parts": 0, "placemarks": 0, "nothing": 0, "models": 0, "overlays": 0, "links": 0}

    def parts(g) -> int:
        if g is None:
            return 0
        if g.geom_type in MULTI:
            return sum(parts(x) for x in g.geoms)
        return 0 if g.is_empty else 1

    def walk(features) -> None:
        for f in features:
            name = type(f).__name__
            if name == "Placemark":
                out["placemarks"] += 1
                n = parts(f.geometry)
                out["parts"] += n
                if f.kml_geometry is not None and type(f.kml_geometry).__name__ == "Model":
                    out["models"] += 1
                elif n == 0:
                    out["nothing"] += 1
            elif name in ("GroundOverlay", "ScreenOverlay", "PhotoOverlay"):
                out["overlays"] += 1
            elif name == "NetworkLink":
                out["links"] += 1
            walk(getattr(f, "features", None) or [])

    walk(doc.features)
    return out


def gpxpy_count(path: Path) -> int:
    import gpxpy

    gpx = gpxpy.parse(path.read_text(encoding="utf-8-sig"))
    return (len(gpx.waypoints) + sum(1 for r in gpx.routes if r.points)
            + sum(1 for t in gpx.tracks for s in t.segments if s.points))


def geojson_parts(path: Path) -> list[tuple[str, str]]:
    """(name, geometry type) of every non-empty drawable part."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    features = doc["features"] if doc["type"] == "FeatureCollection" else [doc]
    out = []

    def walk(g, name):
        if not g:
            return
        if g["type"] == "GeometryCollection":
            for x in g["geometries"]:
                walk(x, name)
        elif g["type"].startswith("Multi"):
            for c in g["coordinates"]:
                walk({"type": g["type"][5:], "coordinates": c}, name)
        elif g["coordinates"]:
            out.append((name, g["type"]))

    for f in features:
        walk(f.get("geometry"), (f.get("properties") or {}).get("name", ""))
    return out


# ----------------------------------------------------------------- every real file

# Placemarks with several geometries side by side (Google's Location History: an empty Point and a
# gx:Track each), as togeojson reads them (its own test's snapshot of this file: 7 features placed,
# 8 without a geometry).
SIBLING_GEOMETRIES = {"addresses.kml": {"parts": 7, "nothing": 8}}


@pytest.mark.parametrize("path", real_files(".kml", ".kmz"), ids=ids(real_files(".kml", ".kmz")))
def test_each_real_kml_opens_with_every_placemark_sitmap_can_draw(path):
    counted = fastkml_count(path)
    if path.name in SIBLING_GEOMETRIES:  # (fastkml reads the first of a placemark's geometries only)
        counted = dict(counted, **SIBLING_GEOMETRIES[path.name])
    if counted["parts"] - counted["models"] == 0:
        with pytest.raises(ScenarioError) as e:
            open_map_file(path)
        assert str(e.value).startswith(path.name) and "\n" not in str(e.value)
        if counted["placemarks"] or counted["links"]:
            assert "nothing SitMap can show" in str(e.value) and "left out" in str(e.value)
        return
    scenario, report = open_map_file(path)
    assert len(scenario.features) == counted["parts"] - counted["models"]
    assert report.opened == len(scenario.features)
    assert report.counts.get(why.MODEL, 0) == counted["models"]
    assert report.counts.get(why.OVERLAY, 0) == counted["overlays"]
    assert report.counts.get(why.NETWORK_LINK, 0) == counted["links"]
    assert report.counts.get(why.NO_GEOMETRY, 0) + report.counts.get(why.EMPTY, 0) == counted["nothing"]
    if report.left_out_count:
        text = str(report)
        assert f"left out {report.left_out_count}" in text
        for reason in report.counts:
            assert reason in text


@pytest.mark.parametrize("path", real_files(".gpx"), ids=ids(real_files(".gpx")))
def test_each_real_gpx_opens_with_its_waypoints_routes_and_track_segments(path):
    expected = gpxpy_count(path)
    if expected == 0:
        with pytest.raises(ScenarioError, match="nothing SitMap can show.*empty geometries"):
            open_map_file(path)
        return
    scenario, report = open_map_file(path)
    assert len(scenario.features) == expected
    kinds = {f.kind for f in scenario.features}
    assert kinds <= {"place", "path"}
    for f in scenario.features:
        if f.kind == "path":
            assert len(f.geometry["coordinates"]) >= 2


def test_world_countries_open_every_country_antarctica_included():
    path = REAL / "world.geo.json" / "countries.geo.json"
    names = {name for name, _ in geojson_parts(path)}
    scenario, report = open_map_file(path)
    assert {f.name for f in scenario.features} == names
    assert "Antarctica" in names and report.left_out_count == 0
    assert report.repairs == 1 and "Antarctica" in report.repaired_examples[0]  # the pole ring; the rest are valid
    text = str(report)
    assert "Antarctica" in text and "repaired" in text
    # the South Pole is inside Antarctica's main polygon, closed along the antimeridian and the pole
    pole_pieces = [f for f in scenario.features if f.name == "Antarctica"
                   and min(c[1] for c in f.geometry["coordinates"][0]) == -90.0]
    assert len(pole_pieces) == 1
    lons = sorted(c[0] for f in pole_pieces for c in f.geometry["coordinates"][0])
    assert lons[0] == -180.0 and lons[-1] == 180.0


def test_a_geometry_collection_from_leaflet_omnivore_opens_as_its_parts():
    path = REAL / "leaflet-omnivore" / "a.geojson"
    scenario, report = open_map_file(path)
    assert [f.kind for f in scenario.features] == [{"Point": "place", "LineString": "path", "Polygon": "area"}[t]
                                                    for _, t in geojson_parts(path)]
    # (nothing left out; the collection's shapes each a feature, said)
    assert report.notes == ["1 feature(s) of several shapes opened as a feature a shape, with the same fields"]
    assert not report.counts and not report.kept_in_part and not report.repairs


@pytest.mark.parametrize("path", real_files(".csv"), ids=ids(real_files(".csv")))
def test_each_csv_opens_one_place_per_row_with_a_position(path):
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")),
                           delimiter=";" if ";" in path.read_text(encoding="utf-8-sig").splitlines()[0] else ","))
    header = [h.lower() for h in rows[0]]
    if not any(h.startswith(("lat", "y")) for h in header):
        with pytest.raises(ScenarioError, match="no latitude column"):
            open_map_file(path)
        return
    scenario, report = open_map_file(path)
    assert len(scenario.features) + report.counts.get(why.BAD_ROW, 0) == len(rows) - 1
    assert all(f.kind == "place" for f in scenario.features)


# ----------------------------------------------------------------- round trip

def _roundtrip_files() -> list[Path]:
    out = []
    for p in real_files(".kml", ".kmz", ".gpx", ".csv", ".geojson", ".json", ".gpkg", ".shp", ".zip"):
        try:
            open_map_file(p)
        except ScenarioError:
            continue
        out.append(p)
    return out


ROUNDTRIP = _roundtrip_files()


@pytest.mark.parametrize("path", ROUNDTRIP, ids=ids(ROUNDTRIP))
def test_open_save_reopen_keeps_ids_names_styles_and_unknown_properties(path, tmp_path):
    scenario, _ = open_map_file(path)
    for f in scenario.features:  # what the document would store, unchanged
        assert validated_feature(f, set()) == f
    saved = tmp_path / "map.sitmap.geojson"
    save_project(scenario, saved)
    again = load_scenario(saved)  # the strict reader: a SitMap file now
    assert [f.id for f in again.features] == [f.id for f in scenario.features]
    assert [f.name for f in again.features] == [f.name for f in scenario.features]
    assert [f.properties.get("style") for f in again.features] == [f.properties.get("style") for f in scenario.features]
    assert [dict(f.properties) for f in again.features] == [dict(f.properties) for f in scenario.features]
    assert again.layers == scenario.layers and again.extra == scenario.extra and again.title == scenario.title
    reopened, report = open_map_file(saved)
    assert report.own_format and not report.anything_to_say
    assert [f.id for f in reopened.features] == [f.id for f in scenario.features]


def test_ids_made_for_a_file_without_them_are_the_same_every_time():
    path = OWN / "qgis-export.geojson"
    first = [f.id for f in open_map_file(path)[0].features]
    assert first == [f.id for f in open_map_file(path)[0].features]
    assert first == ["feature-1", "feature-2", "feature-3", "feature-4"]


# ----------------------------------------------------------------- tools users have

def test_a_qgis_export_keeps_its_crs_layers_colours_and_fields(tmp_path):
    scenario, report = open_map_file(OWN / "qgis-export.geojson")
    assert scenario.title == "border_crossings"
    assert scenario.extra["crs"]["properties"]["name"] == "urn:ogc:def:crs:OGC:1.3:CRS84"
    assert [x["label"] for x in scenario.layers] == ["Crossings", "Areas"]
    by_name = {f.name: f for f in scenario.features}
    station = by_name["Sinuiju station"]
    assert station.properties["fid"] == 1 and station.properties["type"] == "rail" and station.properties["opened"] == 1911
    assert station.properties["style"] == {"color": "#1F78B4"}
    assert station.properties["layer"] == scenario.layers[0]["id"]
    bridge = by_name["Friendship Bridge"]
    assert bridge.kind == "path" and bridge.properties["style"] == {"color": "#E31A1C", "weight": 3.0}
    assert bridge.properties["original_status"] == "open to traffic" and bridge.status == "reported"
    island = by_name["Wihwa island"]
    assert island.properties["style"]["fill_opacity"] == 0.3
    assert report.counts == {why.SELF_CROSSING: 1, why.NO_GEOMETRY: 1}
    text = str(report)
    assert "Bow tie (digitising slip)" in text and "No geometry row" in text
    saved = tmp_path / "q.geojson"
    save_project(scenario, saved)
    written = json.loads(saved.read_text(encoding="utf-8"))
    assert written["crs"] == scenario.extra["crs"]  # the foreign member goes back into the file
    feature = next(f for f in written["features"] if f["properties"]["name"] == "Sinuiju station")
    assert feature["properties"]["marker-color"] == "#1F78B4" and feature["properties"]["NAME"] == "Sinuiju station"


def test_a_crs_proj_cannot_read_is_refused_in_one_line(tmp_path):
    doc = json.loads((OWN / "qgis-export.geojson").read_text(encoding="utf-8"))
    doc["crs"]["properties"]["name"] = "urn:ogc:def:crs:EPSG::999999"
    with pytest.raises(ScenarioError, match="EPSG::999999, a coordinate system SitMap cannot read"):
        open_map_bytes(json.dumps(doc).encode(), "unknown.geojson")


def test_a_web_mercator_geojson_opens_converted_and_is_saved_without_its_crs(tmp_path):
    # (before: refused, "export the layer as WGS84 first")
    doc = {"type": "FeatureCollection", "name": "capitals",
           "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
           "features": [{"type": "Feature", "properties": {"name": "Seoul"},
                         "geometry": {"type": "Point", "coordinates": [14135250.0, 4518290.0]}}]}
    scenario, report = open_map_bytes(json.dumps(doc).encode(), "capitals.geojson")
    (f,) = scenario.features
    lon, lat = f.geometry["coordinates"][:2]
    r = 6378137.0  # (Web Mercator's sphere: x = R lon, y = R ln tan(45 + lat / 2))
    assert lon == pytest.approx(math.degrees(14135250.0 / r), abs=1e-9)
    assert lat == pytest.approx(math.degrees(2 * math.atan(math.exp(4518290.0 / r)) - math.pi / 2), abs=1e-9)
    assert abs(lon - 126.978) < 2e-3 and abs(lat - 37.566) < 2e-3  # (Seoul)
    assert "Coordinates converted from WGS 84 / Pseudo-Mercator (EPSG:3857)" in str(report)
    assert scenario.title == "capitals" and "crs" not in scenario.extra
    saved = tmp_path / "capitals.sitmap.geojson"
    save_project(scenario, saved)
    again, report = open_map_file(saved)  # (the saved file is in longitude/latitude and says so)
    assert report.own_format and again.features[0].geometry == f.geometry


def test_a_my_maps_kml_gives_one_layer_per_folder_and_its_stylemap_colours():
    scenario, report = open_map_file(OWN / "my-maps-export.kml")
    assert scenario.title == "Launch areas (My Maps style)"
    assert [x["label"] for x in scenario.layers] == ["Launch sites", "Flight paths", "Areas"]
    layer = {x["label"]: x["id"] for x in scenario.layers}
    by_name = {f.name: f for f in scenario.features}
    site = by_name["Pyongyang (Ryongsong)"]
    assert site.properties["layer"] == layer["Launch sites"]
    assert site.properties["style"] == {"color": "#0288D1"}  # the StyleMap's normal icon colour
    assert site.properties["site_type"] == "airfield" and site.properties["original_status"] == "active"
    assert site.properties["notes"] == "Reported launch area\nSource: press reports"
    track = by_name["Eastward track"]
    assert track.properties["layer"] == layer["Flight paths"] and track.properties["style"] == {"color": "#E65100", "weight": 5.0}
    area = by_name["Estimated impact area"]
    assert area.properties["style"]["color"] == "#9C27B0" and area.properties["style"]["fill_opacity"] == pytest.approx(0.302)
    assert report.counts == {why.NO_GEOMETRY: 1, why.MODEL: 1}
    assert "Not placed yet" in str(report) and "Tower model" in str(report)
    (south, west), (north, east) = scenario.view["bounds"]  # the view opens on all of it, area included
    assert south < 39.2 and west < 124.7 and north > 41.8 and east > 132.0


def test_user_layers_are_drawn_as_their_own_groups():
    from viewer.model.style import group_of
    from viewer.render.layers import draw_scenario, group_labels, present_groups
    from viewer.render.page import PageOptions, page_payload

    scenario, _ = open_map_file(OWN / "my-maps-export.kml")
    drawn = draw_scenario(scenario)
    assert {group_of(f) for f in scenario.features} == {x["id"] for x in scenario.layers}
    assert present_groups(scenario, drawn) == [x["id"] for x in scenario.layers]
    payload = page_payload(scenario, drawn, PageOptions(online_layers=False))
    assert [g["label"] for g in payload["groups"]] == ["Launch sites", "Flight paths", "Areas"]
    assert group_labels(scenario)[scenario.layers[0]["id"]] == "Launch sites"


@pytest.mark.parametrize("name, expected", [
    ("latitude-deg.csv", [("Pyongyang", 39.0392, 125.7625), ("Wonsan", 39.1528, 127.4436)]),
    ("long-lat-semicolon.csv", [("Sinpo", 40.0325, 128.1853), ("Hamhung", 39.9183, 127.5364)]),
    ("dms.csv", [("Sohae", 39.66, 124.7052778), ("Musudan-ri", 40.85, 129.6666667), ("Kusong", 39.975, 125.2444444)]),
    ("y-x.csv", [("Busan", 35.18, 129.07), ("Seoul", 37.56, 126.97)]),
])
def test_csv_columns_in_any_common_naming_order_and_notation(name, expected):
    scenario, _ = open_map_file(OWN / name)
    got = [(f.name, *f.latlon()) for f in scenario.features]
    assert [g[0] for g in got] == [e[0] for e in expected]
    for (_, lat, lon), (_, elat, elon) in zip(got, expected):
        assert lat == pytest.approx(elat, abs=1e-6) and lon == pytest.approx(elon, abs=1e-6)


def test_a_bad_csv_row_is_left_out_and_named():
    scenario, report = open_map_file(OWN / "latitude-deg.csv")
    assert report.counts == {why.BAD_ROW: 1}
    assert "row 4 (name 'Bad row')" in str(report) and "95.5 is outside -90..90" in str(report)


def test_a_sitmap_file_opens_exactly_with_its_facts_and_extras():
    from viewer import resources
    from viewer.model.scenario import load_scenario as strict

    path = resources.default_scenario()
    scenario, report = open_map_file(path)
    assert scenario == strict(path)
    assert report.own_format and scenario.facts


# ----------------------------------------------------------------- bad input

def _fc(*features, **extra) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features), **extra}).encode()


def _point(lon, lat, **props):
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


def test_impossible_coordinates_are_left_out_and_said():
    # (a longitude up to 540 is a place drawn on a neighbouring world copy: test_geojson_lenient.py)
    scenario, report = open_map_bytes(_fc(_point(10, 95, name="North of the pole"), _point(600, 10, name="Far east"),
                                          _point(10, 10, name="Fine")), "coords.geojson")
    assert [f.name for f in scenario.features] == ["Fine"]
    assert report.counts == {why.OUTSIDE: 2}
    assert "North of the pole" in str(report) and "Far east" in str(report)


def test_a_file_of_only_impossible_coordinates_is_refused_in_one_line():
    with pytest.raises(ScenarioError) as e:
        open_map_bytes(_fc(_point(10, 95, name="x")), "coords.geojson")
    assert "nothing SitMap can show" in str(e.value) and "\n" not in str(e.value)


def test_a_place_left_out_is_named_in_whole_words_with_its_brackets_closed():
    from viewer.model.io.report import OpenReport

    report = OpenReport("x.geojson")
    report.left_out(why.OUTSIDE, "features[0] (latitude 200 is outside -90..90 (positions are [longitude, latitude]))")
    long = "features[7] (" + " ".join(["word"] * 40) + ")"
    report.left_out(why.OUTSIDE, long)
    text = str(report)
    assert "(positions are [longitude, latitude]))" in text  # (a usual one whole)
    cut = text.splitlines()[-1].split("; ")[1]
    assert cut.endswith("\u2026)") and "wor\u2026" not in cut and len(cut) <= 100


@pytest.mark.parametrize("raw", [b"", b" \n\t\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n"])
@pytest.mark.parametrize("name", ["x.geojson", "x.kml", "x.gpx", "x.csv", "x.kmz"])
def test_an_empty_file_is_called_empty(raw, name):
    with pytest.raises(ScenarioError) as e:
        open_map_bytes(raw, name)
    assert "empty file" in str(e.value) and "JSON" not in str(e.value) and "XML" not in str(e.value)


def test_a_json_object_without_a_type_is_refused_naming_what_it_holds():
    with pytest.raises(ScenarioError) as e:
        open_map_bytes(b'{"foo": 1, "bar": 2}', "notgeo.geojson")
    said = str(e.value)
    assert "no \"type\"" in said and "foo, bar" in said and "None" not in said


def test_a_google_earth_track_keeps_its_first_and_last_time_as_a_gpx_track_does():
    """(Before: a gx:Track's <when> times were left out without a word, while a GPX track's made
    its time_utc: the time slider saw one and not the other.) togeojson's gxtrack.kml, and a
    gx:MultiTrack (each track its own span) whose first time is no time KML allows."""
    path = next(DATA.rglob("gxtrack.kml"))
    scenario, report = open_map_file(path)
    assert [f.properties.get("time_utc") for f in scenario.features] == [["2010-05-28T02:02:09Z", "2010-05-28T02:02:56Z"]]
    kml = (b'<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2"><Placemark>'
           b'<name>Drive</name><gx:MultiTrack><gx:Track><when>not a time</when><when>2020-05-01T10:01:00Z</when>'
           b'<gx:coord>8.1 47.1 400</gx:coord><gx:coord>8.2 47.2 410</gx:coord></gx:Track><gx:Track>'
           b'<when>2020-05-01T10:05:00Z</when><when>2020-05-01T10:09:00Z</when>'
           b'<gx:coord>8.3 47.3 420</gx:coord><gx:coord>8.4 47.4 430</gx:coord></gx:Track></gx:MultiTrack>'
           b'</Placemark></kml>')
    scenario, report = open_map_bytes(kml, "drive.kml")
    # (each track of the MultiTrack a line with its own first and last time, as a GPX track's segments;
    # the first track's "not a time" passed over)
    assert [f.kind for f in scenario.features] == ["path", "path"]
    assert [f.properties.get("time_utc") for f in scenario.features] == [
        "2020-05-01T10:01:00Z", ["2020-05-01T10:05:00Z", "2020-05-01T10:09:00Z"]], [f.properties for f in scenario.features]


def test_heights_a_kml_or_a_gpx_track_gives_are_said_to_be_left_out():
    """(Before: a KML's altitudes, a gx:Track's and a GPX track's elevations were dropped without a
    word.) Google Earth's 0 altitudes are nothing to say; a GPX waypoint keeps its own."""
    kml = (b'<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2"><Document>'
           b'<Placemark><name>Mast</name><Point><coordinates>8.1,47.1,350</coordinates></Point></Placemark>'
           b'<Placemark><name>Flat</name><LineString><coordinates>8.1,47.1,0 8.2,47.2,0</coordinates></LineString>'
           b'</Placemark><Placemark><name>Drive</name><gx:Track><when>2020-05-01T10:00:00Z</when>'
           b'<when>2020-05-01T10:01:00Z</when><gx:coord>8.3 47.3 420</gx:coord><gx:coord>8.4 47.4 0</gx:coord>'
           b'</gx:Track></Placemark></Document></kml>')
    scenario, report = open_map_bytes(kml, "heights.kml")
    assert [f.name for f in scenario.features] == ["Mast", "Flat", "Drive"]
    assert report.notes == [why.HEIGHTS_LEFT_OUT.format(n=2)], report.notes
    flat, said = open_map_bytes(kml.replace(b",350", b",0").replace(b"47.3 420", b"47.3 0"), "flat.kml")
    assert not any("heights" in n for n in said.notes), said.notes
    gpx = (b'<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
           b'<wpt lat="39.2" lon="125.6"><ele>120</ele><name>w</name></wpt>'
           b'<trk><trkseg><trkpt lat="1" lon="1"><ele>10.5</ele></trkpt><trkpt lat="2" lon="2"><ele>12</ele></trkpt>'
           b'<trkpt lat="3" lon="3"></trkpt></trkseg></trk></gpx>')
    scenario, report = open_map_bytes(gpx, "heights.gpx")
    assert scenario.features[0].properties["elevation_m"] == 120
    assert report.notes == [why.HEIGHTS_LEFT_OUT.format(n=2)], report.notes
    assert "heights (altitudes) of 2 position(s) left out" in str(report)


def test_ids_sitmap_cannot_take_are_kept_as_original_id_and_said():
    # (before: OpenStreetMap's "way/1" and an id used twice became feature-N without a word)
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": fid, "geometry": {"type": "Point", "coordinates": [8.5 + k * 0.1, 47.4]},
         "properties": {"name": f"P{k}"}} for k, fid in enumerate(["way/1", "node/2", "ok-3", "ok-3", 7, None])]}
    scenario, report = open_map_bytes(json.dumps(doc).encode(), "osm.geojson")
    assert [(f.id, f.properties.get("original_id")) for f in scenario.features] == [
        ("feature-1", "way/1"), ("feature-2", "node/2"), ("ok-3", None), ("feature-4", "ok-3"), ("7", None),
        ("feature-6", None)]
    assert report.notes == ["3 feature(s) given new ids: their own, which SitMap cannot take (an id is letters, "
                            "digits and _ . : -, each used once), kept as original_id"], report.notes
    scenario, report = open_map_bytes(b"id,name,lat,lon\nway/1,A,47,8\n,B,47.1,8\n", "osm.csv")
    assert [(f.id, f.properties.get("original_id")) for f in scenario.features] == [
        ("feature-1", "way/1"), ("feature-2", None)]
    kml = (b'<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark id="a b"><name>A</name>'
           b'<Point><coordinates>8.1,47.1</coordinates></Point></Placemark></Document></kml>')
    scenario, report = open_map_bytes(kml, "ids.kml")
    assert scenario.features[0].properties.get("original_id") == "a b" and len(report.notes) == 1, report.notes


def test_a_repaired_polygon_keeps_no_sliver_the_repair_leaves_as_an_area_of_its_own():
    """Natural Earth's Sudan written with 7 decimals (as GDAL's GeoJSONSeq writes it) crosses itself
    where a vertex lies within 1e-9 degrees of another edge: the repair gave it and two triangles
    80 km long and a tenth of a millimetre wide, each a feature of its own (3 where the file has 1)."""
    countries, _ = open_map_file(REAL / "fastkml-natural-earth" / "ne_110m_admin_0_countries.zip")
    sudan = next(f for f in countries.features if f.name == "Sudan")
    ring = [[round(x, 7), round(y, 7)] for x, y in sudan.geometry["coordinates"][0]]
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}, "properties": {"name": "Sudan"}}]}
    scenario, report = open_map_bytes(json.dumps(doc).encode(), "sudan.geojson")
    assert [(f.name, f.kind) for f in scenario.features] == [("Sudan", "area")]
    assert report.repairs == 1
    from shapely.geometry import shape

    assert shape(scenario.features[0].geometry).area == pytest.approx(shape(sudan.geometry).area, rel=1e-6)


def test_an_integer_of_thousands_of_digits_is_refused_in_sitmaps_words():
    # (before: refused with Python's "use sys.set_int_max_str_digits() to increase the limit"; it
    # stays refused, as an infinite number is: such a value could not be kept and saved back)
    big = "1" + "0" * 5000
    doc = ('{"type": "FeatureCollection", "features": ['
           '{"type": "Feature", "properties": {"name": "A", "count": %s}, "geometry": {"type": "Point", "coordinates": [8, 47]}}]}'
           % big)
    with pytest.raises(ScenarioError) as e:
        open_map_bytes(doc.encode(), "big.geojson")
    assert "an integer of 5,001 digits (SitMap reads numbers of up to 4,300)" in str(e.value)
    assert "set_int_max_str_digits" not in str(e.value) and "\n" not in str(e.value)


@pytest.mark.parametrize("mark, encoding", [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")])
def test_a_geojson_in_utf16_opens_as_a_csv_or_kml_in_it_does(mark, encoding):
    # (Windows' "Unicode" text: before, refused as "at byte 0: not UTF-8 text")
    doc = json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "Z\u00fcrich"},
                      "geometry": {"type": "Point", "coordinates": [8.5, 47.4]}}]})
    scenario, report = open_map_bytes(mark + doc.encode(encoding), "u16.geojson")
    assert [f.name for f in scenario.features] == ["Z\u00fcrich"] and report.notes == ["Its text read as UTF-16"]
    with pytest.raises(ScenarioError, match="not UTF-16 text"):
        open_map_bytes(mark + doc.encode(encoding)[:-1], "cut.geojson")


@pytest.mark.parametrize("crs", [{"type": "EPSG", "properties": {"code": 2056}},
                                 {"type": "link", "properties": {"href": "http://spatialreference.org/ref/epsg/2056/proj4/",
                                                                 "type": "proj4"}}], ids=["epsg-2008", "link"])
def test_a_crs_as_geojsons_first_spec_wrote_it_is_read(crs):
    # (before: passed over, and the Swiss coordinates refused as "positions outside the world")
    doc = {"type": "FeatureCollection", "crs": crs, "features": [{"type": "Feature", "properties": {"name": "Bern"},
           "geometry": {"type": "Point", "coordinates": [2600000, 1200000]}}]}
    scenario, report = open_map_bytes(json.dumps(doc).encode(), "lv95.geojson")
    assert scenario.features[0].geometry["coordinates"] == pytest.approx([7.43863, 46.95108], abs=1e-4)
    assert any("EPSG:2056" in n for n in report.notes), report.notes
    doc["crs"] = {"type": "link", "properties": {"href": "http://example.com/crs/mine.prj", "type": "esriwkt"}}
    with pytest.raises(ScenarioError, match="mine.prj, a coordinate system SitMap cannot read"):
        open_map_bytes(json.dumps(doc).encode(), "link.geojson")


def test_a_geojsons_number_name_and_simplestyle_icon_and_size_are_kept(tmp_path):
    """(Before: a name that is a number left the feature unnamed, kept aside as original_name,
    where a CSV's "3" is a name; geojson.io's marker-symbol and marker-size were dropped without a
    word.) The icon and size, which SitMap does not draw, are kept as original_ fields, and a map
    saved with them reopens with them."""
    from viewer import api

    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Cafe", "marker-color": "#ff0000", "marker-symbol": "cafe",
                                           "marker-size": "large"}, "geometry": {"type": "Point", "coordinates": [8.5, 47.4]}},
        {"type": "Feature", "properties": {"name": 101}, "geometry": {"type": "Point", "coordinates": [8.6, 47.4]}}]}
    scenario, _ = open_map_bytes(json.dumps(doc).encode(), "gj.geojson")
    cafe, house = scenario.features
    assert cafe.properties["style"] == {"color": "#FF0000"}
    assert (cafe.properties["original_marker-symbol"], cafe.properties["original_marker-size"]) == ("cafe", "large")
    assert house.name == "101" and "original_name" not in house.properties
    src = tmp_path / "gj.geojson"
    src.write_text(json.dumps(doc), encoding="utf-8")
    saved = api.open_map(src).save(tmp_path / "kept.sitmap.geojson")
    reopened, _ = open_map_file(saved)
    assert [f.properties.get("original_marker-symbol") for f in reopened.features] == ["cafe", None]
    assert [f.name for f in reopened.features] == ["Cafe", "101"]


def test_times_past_9999_in_a_gpx_are_left_out_and_said():
    gpx = (b'<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
           b'<wpt lat="39.2" lon="125.6"><name>w</name><time>10000-01-01T00:00:00Z</time></wpt>'
           b'<trk><trkseg><trkpt lat="1" lon="1"><time>2022-01-17T00:00:00Z</time></trkpt>'
           b'<trkpt lat="2" lon="2"><time>2022-01-17T00:10:00Z</time></trkpt></trkseg></trk></gpx>')
    scenario, report = open_map_bytes(gpx, "late.gpx")
    assert [f.name for f in scenario.features] == ["w", "feature-2"]
    assert "time_utc" not in scenario.features[0].properties  # nothing impossible stored
    assert scenario.features[1].properties["start_time"] == "2022-01-17T00:00:00+00:00"
    assert report.counts == {why.BAD_TIME: 1}
    assert "time '10000-01-01T00:00:00Z'" in str(report)


def test_a_time_past_9999_in_a_geojson_property_is_kept_as_text_only():
    scenario, _ = open_map_bytes(_fc(_point(10, 10, name="p", when="10000-01-01T00:00:00Z")), "t.geojson")
    assert scenario.features[0].properties["when"] == "10000-01-01T00:00:00Z"


def test_empty_names_open_under_their_id():
    kml = (f'<kml xmlns="{KML_NS}"><Document><Placemark><name></name><Point><coordinates>1,1</coordinates>'
           f'</Point></Placemark><Placemark><name>   </name><Point><coordinates>2,2</coordinates></Point></Placemark>'
           f'</Document></kml>').encode()
    scenario, report = open_map_bytes(kml, "noname.kml")
    assert [f.name for f in scenario.features] == ["feature-1", "feature-2"]
    assert all("name" not in f.properties for f in scenario.features)


HOSTILE = ["<script>window.__sitmap_pwned=1</script>", "{{7*7}}", "<img src=x onerror=alert(1)>", "${7*7}"]


def test_hostile_names_are_stored_as_the_text_they_are(tmp_path):
    kml = f'<kml xmlns="{KML_NS}"><Document><name>{{{{7*7}}}}</name>'
    from xml.sax.saxutils import escape

    for i, h in enumerate(HOSTILE):
        kml += (f"<Folder><name>{escape(h)}</name><Placemark><name>{escape(h)}</name><description>{escape(h)}"
                f"</description><Point><coordinates>{i},1</coordinates></Point></Placemark></Folder>")
    kml += "</Document></kml>"
    scenario, _ = open_map_bytes(kml.encode(), "hostile.kml")
    assert scenario.title == "{{7*7}}"
    assert [f.name for f in scenario.features] == HOSTILE
    assert [x["label"] for x in scenario.layers] == HOSTILE
    save_project(scenario, tmp_path / "h.geojson")
    again = load_scenario(tmp_path / "h.geojson")
    assert [f.name for f in again.features] == HOSTILE and again.title == "{{7*7}}"


def test_unsafe_files_are_still_refused_whole():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b'<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>&b;</name>'
            b'<Point><coordinates>1,1</coordinates></Point></Placemark></Document></kml>')
    with pytest.raises(ScenarioError, match="document type declaration"):
        open_map_bytes(bomb, "bomb.kml")
    with pytest.raises(ScenarioError, match="document type declaration"):
        open_map_bytes(bomb.replace(b"kml xmlns", b"gpx xmlns"), "bomb.gpx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("doc.kml", b"<kml>" + b" " * 20_000_000 + b"</kml>")
    with pytest.raises(ScenarioError, match="zip bomb"):
        open_map_bytes(buf.getvalue(), "bomb.kmz")


def test_a_damaged_sitmap_file_is_refused_not_half_opened():
    doc = json.loads((Path(__file__).parents[2] / "resources" / "scenarios").glob("*.geojson").__next__().read_text())
    doc["features"][0]["geometry"]["coordinates"] = [500, 0]
    with pytest.raises(ScenarioError, match="longitude 500"):
        open_map_bytes(json.dumps(doc).encode(), "damaged.geojson")


def test_the_report_text_counts_per_reason_and_names_the_first_few():
    r = why.OpenReport("f.kml", opened=3)
    for i in range(5):
        r.left_out(why.MODEL, f"Placemark {i} (name 'm{i}')")
    r.left_out(why.NETWORK_LINK, "<NetworkLink> (name 'n')")
    text = str(r)
    assert text.splitlines()[0] == "f.kml: opened 3 feature(s); left out 6:"
    assert "5 \u00d7 3D models: Placemark 0 (name 'm0'); Placemark 1 (name 'm1'); Placemark 2 (name 'm2'), \u2026" in text
    assert "m3" not in text and "1 \u00d7 network links: <NetworkLink> (name 'n')" in text


def test_a_kml_whose_root_is_document_opens():
    kml = (f'<Document xmlns="{KML_NS}"><name>Rootless</name><Placemark><name>p</name><Point>'
           f"<coordinates>125.6,39.2</coordinates></Point></Placemark></Document>").encode()
    scenario, report = open_map_bytes(kml, "rootless.kml")
    assert scenario.title == "Rootless" and [f.name for f in scenario.features] == ["p"]
    assert not report.anything_to_say


def test_a_single_feature_and_a_bare_geometry_open():
    feature = {"type": "Feature", "id": 7, "geometry": {"type": "MultiPoint", "coordinates": [[1, 1], [2, 2]]},
               "properties": {"name": "pair", "colour_code": 3}}
    scenario, _ = open_map_bytes(json.dumps(feature).encode(), "one.geojson")
    assert [f.id for f in scenario.features] == ["7", "7-2"]
    assert all(f.properties["colour_code"] == 3 and f.name == "pair" for f in scenario.features)
    bare = {"type": "Polygon", "coordinates": [[[1, 1], [2, 1], [2, 2], [1, 1]]]}
    scenario, _ = open_map_bytes(json.dumps(bare).encode(), "bare.json")
    assert [f.kind for f in scenario.features] == ["area"] and scenario.features[0].id == "feature-1"


def test_the_opening_view_follows_the_extent():
    def view(coordinates):
        bare = {"type": "MultiPoint", "coordinates": coordinates}
        (s, w), (n, e) = open_map_bytes(json.dumps(bare).encode(), "v.geojson")[0].view["bounds"]
        return s, w, n, e
    s, w, n, e = view([[127.5, 39.0]])  # one place: about 2 km across, not 45 km
    assert s < 39.0 < n and w < 127.5 < e and 0.01 < n - s < 0.05 and 0.01 < e - w < 0.05
    s, w, n, e = view([[127.5, 39.0], [127.5005, 39.0003]])  # a yard: a margin of its own size, not 0.2 degrees
    assert s < 39.0 and n > 39.0003 and n - s < 0.001 and e - w < 0.001
    s, w, n, e = view([[120.0, 30.0], [130.0, 40.0]])  # a region: 0.2 degrees round it, as before
    assert (s, w, n, e) == pytest.approx((29.8, 119.8, 40.2, 130.2))


def test_a_file_without_a_suffix_is_read_by_its_content():
    gpx = (DATA / "realworld" / "gpxpy" / "route.gpx").read_bytes()
    scenario, _ = open_map_bytes(gpx, "download")
    assert [f.kind for f in scenario.features] == ["path"]
    kml = (OWN / "my-maps-export.kml").read_bytes()
    assert len(open_map_bytes(kml, "download")[0].features) == 4


def test_a_number_no_file_can_hold_is_not_stored():
    gpx = (b'<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
           b'<wpt lat="39.2" lon="125.6"><ele>nan</ele><name>w</name></wpt></gpx>')
    scenario, _ = open_map_bytes(gpx, "nan.gpx")
    assert "elevation_m" not in scenario.features[0].properties
    kml = (f'<kml xmlns="{KML_NS}"><Placemark><name>p</name><Point><coordinates>nan,1</coordinates></Point>'
           f'</Placemark><Placemark><name>q</name><Point><coordinates>2,1</coordinates></Point></Placemark></kml>').encode()
    scenario, report = open_map_bytes(kml, "nan.kml")
    assert [f.name for f in scenario.features] == ["q"] and report.left_out_count == 1


def test_a_layer_field_with_a_value_per_feature_is_not_made_into_layers(tmp_path):
    from viewer.model.io.open_any import MAX_USER_LAYERS

    many = [_point(1 + i * 0.001, 1, name=f"p{i}", layer=f"L{i}") for i in range(MAX_USER_LAYERS + 1)]
    scenario, _ = open_map_bytes(_fc(*many), "many.geojson")
    assert scenario.layers == [] and all("layer" not in f.properties for f in scenario.features)
    assert scenario.features[0].properties["original_layer"] == "L0"
    few, _ = open_map_bytes(_fc(_point(1, 1, layer="A\u0000B\nC"), _point(2, 2, layer="\u0001")), "few.geojson")
    assert [x["label"] for x in few.layers] == ["A B C", few.layers[1]["id"]]
    save_project(few, tmp_path / "few.geojson")
    assert load_scenario(tmp_path / "few.geojson").layers == few.layers


def test_sitmap_s_own_kml_and_csv_exports_open_back_as_the_same_features():
    from viewer import resources
    from viewer.model.exchange import export_csv, export_kml

    original = load_scenario(resources.default_scenario())
    from_kml, report = open_map_bytes(export_kml(original), "built-in.kml")
    assert [(f.id, f.kind) for f in from_kml.features] == [(f.id, f.kind) for f in original.features]
    assert not report.anything_to_say
    ring = next(f for f in from_kml.features if f.kind == "range_ring")
    assert ring.properties["radius_m"] == original.feature(ring.id).properties["radius_m"]
    from_csv, _ = open_map_bytes(export_csv(original), "built-in.csv")
    points = [f for f in original.features if f.geometry["type"] == "Point"]
    assert [(f.id, f.kind, f.latlon()) for f in from_csv.features] == [(f.id, f.kind, f.latlon()) for f in points]


def test_many_lines_and_areas_from_another_tool_are_shaped_together_as_a_large_map_draws_them(monkeypatch):
    """A plain GeoJSON of many lines and areas (as QGIS writes one): each is checked drawable with
    its geodesics worked out together, not one by one in Python (100,000 of them: 36 s -> 8 s), and
    the shapes kept for the drawing are those shape_of gives one by one."""
    import random

    from viewer.model import geodesy
    from viewer.model.geodesic_solver import BULK_SHAPES
    from viewer.model.geometry import _kept, shape_of
    from viewer.model.scenario import Feature

    rnd = random.Random(7)
    features = []
    for i in range(BULK_SHAPES + 100):
        lon, lat = rnd.uniform(-170, 170), rnd.uniform(-70, 70)
        if i % 2:
            coords = [[lon + k * 0.7, lat + rnd.uniform(-0.5, 0.5)] for k in range(4)]
            geometry = {"type": "LineString", "coordinates": coords}
        else:
            geometry = {"type": "Polygon", "coordinates": [[[lon, lat], [lon + 1, lat], [lon + 1, lat + 1],
                                                            [lon, lat + 1], [lon, lat]]]}
        features.append({"type": "Feature", "geometry": geometry, "properties": {"name": f"F{i}"}})
    raw = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    one_by_one = []
    real = geodesy.geodesic_path
    monkeypatch.setattr(geodesy, "geodesic_path", lambda *a, **k: one_by_one.append(1) or real(*a, **k))
    scenario, report = open_map_bytes(raw, "many.geojson")
    assert len(scenario.features) == len(features) and not one_by_one
    monkeypatch.setattr(geodesy, "geodesic_path", real)
    for f in scenario.features[:: 37]:
        kept = _kept(f)
        alone = shape_of(Feature(f.id, f.kind, f.geometry, f.properties))
        assert kept is not None and kept.kind == alone.kind
        assert _numbers(kept.display) == pytest.approx(_numbers(alone.display), abs=1e-7)


def _numbers(nested) -> list[float]:
    if isinstance(nested, (int, float)):
        return [float(nested)]
    return [x for part in nested for x in _numbers(part)]


@pytest.mark.parametrize("crs", ["urn:ogc:def:crs:EPSG::4269", "EPSG:4258", "urn:ogc:def:crs:OGC:1.3:CRS83"])
def test_longitude_latitude_on_a_continents_datum_opens(crs):
    # (NAD83, ETRS89: within a metre or two of WGS84; before: refused)
    doc = json.loads((OWN / "qgis-export.geojson").read_text(encoding="utf-8"))
    wgs84, said = open_map_bytes(json.dumps(doc).encode(), "wgs84.geojson")
    doc["crs"]["properties"]["name"] = crs
    scenario, report = open_map_bytes(json.dumps(doc).encode(), "nad83.geojson")
    assert [f.geometry for f in scenario.features] == [f.geometry for f in wgs84.features]
    assert report.left_out_count == said.left_out_count and len(scenario.features) >= 4


@pytest.mark.parametrize("sep, name", [(b"\n", "points.json"), (b"\n", "points.geojsonl"),
                                       (b"\x1e", "points.geojsons"), (b"\x1e", "points")])
def test_geojson_a_feature_a_line_or_as_text_sequences_opens(sep, name):
    # (before: "not valid JSON (Extra data...)", or read as a CSV without a latitude column)
    feats = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [125.0 + i, 39.0]},
              "properties": {"name": f"P{i}"}} for i in range(3)]
    body = b"".join((sep if sep == b"\x1e" else b"") + json.dumps(f).encode() + b"\n" for f in feats)
    scenario, report = open_map_bytes(body, name)
    assert [f.name for f in scenario.features] == ["P0", "P1", "P2"]


@pytest.mark.parametrize("count", [1, 3])
def test_text_sequences_whose_records_take_several_lines_open(count):
    # (as jq --seq writes them, and tippecanoe's test data holds them: before, refused as "not valid JSON")
    feats = [{"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[125.0 + i, 39.0], [126.0 + i, 40.0]]},
              "properties": {"name": f"L{i}"}} for i in range(count)]
    body = b"".join(b"\x1e" + json.dumps(f, indent=2).encode() + b"\n" for f in feats)
    scenario, report = open_map_bytes(body, "lines.geojsons")
    assert [f.name for f in scenario.features] == [f"L{i}" for i in range(count)]
    assert [f.kind for f in scenario.features] == ["path"] * count


@pytest.mark.parametrize("sep, name", [(b"\n", "cut.geojsonl"), (b"\x1e", "cut.geojsons")])
def test_a_geojson_sequence_with_a_line_cut_short_opens_the_rest_and_says_which(sep, name):
    """(Before: one line cut short by a broken download refused every feature of the file, with
    "not valid JSON (Extra data: line 2 ...)".)"""
    from viewer.model.io.open_any import SEQUENCE_NOT_GEOJSON, SEQUENCE_NOT_JSON

    feats = [json.dumps({"type": "Feature", "geometry": {"type": "Point", "coordinates": [125.0 + i, 39.0]},
                         "properties": {"name": f"P{i}"}}).encode() for i in range(6)]
    texts = [feats[0], feats[1][:40], b'{"comment": "not a feature"}', feats[2], feats[3], feats[4], feats[5][:-3]]
    body = b"".join((sep if sep == b"\x1e" else b"") + t + b"\n" for t in texts)
    scenario, report = open_map_bytes(body, name)
    assert [f.name for f in scenario.features] == ["P0", "P2", "P3", "P4"]
    where = "record" if sep == b"\x1e" else "line"
    assert report.counts == {SEQUENCE_NOT_JSON: 2, SEQUENCE_NOT_GEOJSON: 1}, report.counts
    assert report.examples[SEQUENCE_NOT_JSON] == [f"{where} 2", f"{where} 7"], report.examples
    assert "cut short" in str(report)


def test_a_file_of_which_most_lines_are_not_geojson_is_no_sequence():
    # (a FeatureCollection written a feature a line and broken: its lines with a comma after them
    # are no JSON, and the error is the document's)
    one = json.dumps({"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}, "properties": {}})
    body = ('{"type": "FeatureCollection", "features": [\n' + (one + ",\n") * 3 + one + "\n").encode()
    with pytest.raises(ScenarioError, match="not valid JSON"):
        open_map_bytes(body, "broken.geojson")


def test_two_json_texts_that_are_not_geojson_are_still_refused():
    with pytest.raises(ScenarioError, match="not valid JSON"):
        open_map_bytes(b'{"a": 1}\n{"b": 2}\n', "x.json")


@pytest.mark.parametrize("lat, km", [(39.0, 12_000), (-60.0, 4_000)])
def test_a_ring_round_a_pole_exported_as_geojson_reopens_as_the_same_region(lat, km):
    # (before: "polygons that cross themselves": the ring closed along the pole, as the export
    # writes it, was not read, and the pole was guessed from its latitudes)
    from shapely.geometry import shape

    from viewer.model.scenario import parse_scenario
    from viewer.render import layers

    s = parse_scenario({"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "r", "geometry": {"type": "Point", "coordinates": [125.0, lat]},
         "properties": {"kind": "range_ring", "radius_m": km * 1000.0, "name": "r", "status": "reported",
                        "source": "t"}}]}, "t")
    written = layers.drawn_to_geojson(s, layers.draw_scenario(s))
    back, report = open_map_bytes(json.dumps(written).encode(), "ring.geojson")
    before, after = shape(written["features"][0]["geometry"]), shape(layers.draw_scenario(back)[0].geometry)
    assert before.symmetric_difference(after).area < 0.001 * before.area


def test_a_file_of_places_either_side_of_the_antimeridian_opens_on_them_not_on_the_world(tmp_path):
    # (islands of Fiji and Tonga as a GIS writes them, each within -180 to 180; before: the view
    # ran from 178 W to 178 E, the whole world, with the places at its two edges)
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Suva"}, "geometry": {"type": "Point", "coordinates": [178.44, -18.14]}},
        {"type": "Feature", "properties": {"name": "Lakeba"}, "geometry": {"type": "Point", "coordinates": [-178.8, -18.2]}},
        {"type": "Feature", "properties": {"name": "Nuku'alofa"}, "geometry": {"type": "Point", "coordinates": [-175.2, -21.14]}},
        {"type": "Feature", "properties": {"name": "Rotuma"}, "geometry": {"type": "LineString",
                                                                           "coordinates": [[177.0, -12.5], [177.2, -12.6]]}}]}
    scenario, _report = open_map_bytes(json.dumps(doc).encode(), "islands.geojson")
    (south, west), (north, east) = scenario.view["bounds"]
    assert 176.0 < west < 177.0 and 184.8 < east < 185.5, scenario.view  # 177 E to 175.2 W, across 180
    assert -21.6 < south < -21.1 and -12.5 < north < -12.0
    save_project(scenario, tmp_path / "islands.sitmap.geojson")
    again = load_scenario(tmp_path / "islands.sitmap.geojson")
    assert again.view == scenario.view  # (a view past 180 is one a map may keep)


def test_a_feature_that_cannot_be_drawn_is_left_out_and_named_when_the_others_are_drawn_together(monkeypatch):
    from viewer.model import geometry

    real = geometry._compute

    def compute(f):
        if f.properties.get("name") == "Undrawable":
            raise ValueError("no drawing for it")
        return real(f)

    monkeypatch.setattr(geometry, "_compute", compute)
    monkeypatch.setattr(geometry, "prepare_many", lambda features: None)  # (each drawn on its own)
    line = lambda name, lat: {"type": "Feature", "properties": {"name": name},  # noqa: E731
                              "geometry": {"type": "LineString", "coordinates": [[120, lat], [121, lat]]}}
    doc = {"type": "FeatureCollection", "features": [line("Good", 30), line("Undrawable", 31), line("Far", 95),
                                                     line("Also good", 32)]}
    scenario, report = open_map_bytes(json.dumps(doc).encode(), "some.geojson")
    assert [f.name for f in scenario.features] == ["Good", "Also good"]
    assert report.left_out_count == 2 and "Undrawable" in str(report) and "no drawing for it" in str(report)


@pytest.mark.parametrize("name", ["photo.kmz", "photo.geojson", "photo.gpx", "photo.kml"])
def test_a_picture_under_a_map_s_name_is_called_a_picture(name):
    # (libkml's bad.kmz: a JPEG; before, "not valid utf-8 text" for every name but .csv)
    with pytest.raises(ScenarioError) as e:
        open_map_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200), name)
    assert "this is a JPEG image file" in str(e.value)


def test_a_zipped_file_geodatabase_is_named_as_one():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for i in range(150):
            zf.writestr(f"test.gdb/a{i:08x}.gdbtable", b"x")
    with pytest.raises(ScenarioError) as e:
        open_map_bytes(buf.getvalue(), "test.gdb.zip")
    assert "Esri File Geodatabase" in str(e.value) and "entries" not in str(e.value)


def test_a_csv_without_a_header_row_is_told_to_add_one():
    with pytest.raises(ScenarioError) as e:
        open_map_bytes(b"41.87895, -87.63665, Head north\n41.87924, -87.63666, Turn left\n", "route.csv")
    assert "the first row holds numbers, not column names" in str(e.value)


def test_a_large_maps_repaired_polygon_is_drawn_in_c_as_the_rest_of_the_map_and_as_python_draws_it():
    """The world's countries are drawn together in C (geometry.prepare_many: many vertices); the
    polygon the opener repairs (Antarctica's pole ring) is drawn in C too, not alone in Python
    (0.4 s of the file's 0.6 before), and its drawing is the Python solver's within a nanodegree."""
    import dataclasses

    from viewer.model import geodesic_solver, geometry

    in_python = []
    python = geodesic_solver.PYTHON
    counted = geodesic_solver.Solver(lambda *a: in_python.append(1) or python.inverse(*a), python.direct)
    geodesic_solver.PYTHON = counted
    try:
        scenario, report = open_map_file(REAL / "world.geo.json" / "countries.geo.json")
    finally:
        geodesic_solver.PYTHON = python
    assert report.repairs == 1
    assert len(in_python) < 100  # (the repaired pole ring alone: about 2,000 edges in Python before)
    repaired = [f for f in scenario.features if f.name == "Antarctica"]
    for f in repaired:
        fresh = dataclasses.replace(f, properties=dict(f.properties))  # (nothing worked out kept with it)
        again = geometry.shape_of(fresh)  # (a small map's drawing: Python's solver)
        drawn = geometry.shape_of(f)
        flat = lambda shape: [p for part in shape for ring in part for p in ring]  # noqa: E731
        a, b = flat(drawn.display), flat(again.display)
        assert len(a) == len(b)
        assert max(max(abs(p[0] - q[0]), abs(p[1] - q[1])) for p, q in zip(a, b)) < 1e-9


def test_features_in_layers_the_file_hides_are_said_in_the_open_report():
    """OGC's KML_Samples.kml keeps 15 of its 19 placemarks in folders with visibility 0: the map
    opened nearly empty and the report did not say why."""
    from viewer.model.io.open_any import open_map_file

    scenario, report = open_map_file(DATA / "realworld" / "ogc-kml" / "KML_Samples.kml")
    hidden = {x["id"] for x in scenario.layers if not x["visible"]}
    n = sum(1 for f in scenario.features if f.properties.get("layer") in hidden)
    assert n == 15 and len(scenario.features) == 19
    said = [x for x in report.notes if "layers the file hides" in x]
    assert len(said) == 1 and said[0].startswith("15 of 19 feature(s)") and "Layers panel" in said[0]
    # a file that hides nothing says nothing of it
    _s, plain = open_map_file(DATA / "realworld" / "sitmap-made" / "my-maps-export.kml")
    assert not [x for x in plain.notes if "hides" in x]


def test_a_geojson_sequence_with_a_line_in_another_encoding_is_refused_as_such():
    # (a line of Latin-1 text is no line cut short: it was left out as one, its feature lost)
    good = [json.dumps({"type": "Feature", "geometry": {"type": "Point", "coordinates": [8.0 + k, 47.0]},
                        "properties": {"name": f"P{k}"}}).encode() for k in range(2)]
    latin1 = '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [9, 47]}, "properties": {"name": "caf\u00e9"}}'
    with pytest.raises(ScenarioError, match="not UTF-8 text"):
        open_map_bytes(b"\n".join(good + [latin1.encode("latin-1")]) + b"\n", "l1.geojsonl")


def test_an_id_given_anew_is_kept_beside_an_original_id_the_feature_has():
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "a", "geometry": {"type": "Point", "coordinates": [8, 47]}, "properties": {"name": "x"}},
        {"type": "Feature", "id": "a", "geometry": {"type": "Point", "coordinates": [9, 47]},
         "properties": {"name": "y", "original_id": "zzz"}}]}
    scenario, report = open_map_bytes(json.dumps(doc).encode(), "ids.geojson")
    p = scenario.features[1].properties
    assert (p["original_id"], p["original_id_2"]) == ("zzz", "a"), p
    assert report.notes[0].startswith("1 feature(s) given new ids")


def test_a_shapefile_whose_name_is_no_utf8_opens(tmp_path):
    # (bundled() put the name's lone surrogates into the zip it makes: UnicodeEncodeError)
    import os
    import zipfile

    with zipfile.ZipFile(REAL / "pyshp" / "blockgroups.zip") as z:
        for n in z.namelist():
            if n.endswith((".shp", ".shx", ".dbf")):
                with open(os.path.join(os.fsencode(tmp_path), b"caf\xe9" + n[-4:].encode()), "wb") as f:
                    f.write(z.read(n))
    scenario, _ = open_map_file(Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"caf\xe9.shp"))))
    assert scenario.features and scenario.title == "caf\u00e9" and scenario.features[0].source == "caf\u00e9.shp"


def test_a_name_with_stray_bytes_keeps_its_utf8_and_reads_the_bytes_as_windows_does():
    from viewer.model.file_read import readable_name

    assert readable_name("caf\udce9\udc81.csv") == "caf\u00e9\ufffd.csv"
    assert readable_name("\u65e5\u672c_\udce9.csv") == "\u65e5\u672c_\u00e9.csv"
    assert readable_name("plain.csv") == "plain.csv"
