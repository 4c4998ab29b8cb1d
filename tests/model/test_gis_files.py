"""GeoPackages and shapefiles from other tools open as maps: every feature table or shapefile a
layer, coordinates converted to longitude/latitude from the system the file names (checked against
the same places the files give in longitude/latitude themselves), what cannot be shown left out and
said, files that are not what they claim refused in one line. Real files: GDAL-written GeoPackages
and shapefiles from mapshaper's and the GeoPackage validator's test data, pyshp's zipped shapefiles
(tests/data/realworld/README.md)."""

from __future__ import annotations

import io
import math
import sqlite3
import zipfile

import pytest

from tests.conftest import DATA
from viewer.model.io import report as why
from viewer.model.io.annotations import import_annotations
from viewer.model.io.open_any import map_file_bytes, open_map_bytes, open_map_file
from viewer.model.io.to_lonlat import conversion_for
from viewer.model.scenario import ScenarioError

REAL = DATA / "realworld"
MAPSHAPER = REAL / "mapshaper"
PYSHP = REAL / "pyshp"
PDOK = REAL / "pdok-geopackage-validator"


def positions(geometry) -> list[tuple[float, float]]:
    out, stack = [], [geometry["coordinates"]]
    while stack:
        c = stack.pop()
        if c and isinstance(c[0], (int, float)):
            out.append((c[0], c[1]))
        else:
            stack.extend(c)
    return out


def close(a, b, tol):
    return all(abs(x - y) <= tol for x, y in zip(a, b))


# ----------------------------------------------------------------- coordinates converted

def test_the_dutch_grid_origin_converts_to_its_published_place():
    # Amersfoort / RD New: (155000, 463000) is the Onze Lieve Vrouwetoren, 52.15517 N 5.38721 E
    conv = conversion_for(28992)
    lon, lat = conv.transformer.transform(155000.0, 463000.0)
    assert abs(lat - 52.15517) < 2e-5 and abs(lon - 5.38721) < 2e-5
    assert conv.name == "Amersfoort / RD New (EPSG:28992)"
    assert conversion_for(4326) is None and conversion_for("OGC:CRS84") is None


def as_given(monkeypatch):
    """Long edges read as the file has them (not given points along their straight line): for
    comparing a layer's positions with the same layer's in another system."""
    from viewer.model.io import geojson_any

    monkeypatch.setattr(geojson_any, "follow_straight_edges", lambda geometries: 0)


def test_a_geopackage_in_feet_opens_where_its_own_wgs84_copy_is(monkeypatch):
    # mixed_crs.gpkg holds Oregon twice: NAD83 / Oregon North in feet, and longitude/latitude
    as_given(monkeypatch)
    scenario, report = open_map_file(MAPSHAPER / "mixed_crs.gpkg")
    by_layer: dict[str, list] = {}
    labels = {x["id"]: x["label"] for x in scenario.layers}
    for f in scenario.features:
        by_layer.setdefault(labels[f.properties["layer"]], []).append(f)
    feet, degrees = by_layer["oregon_2269"], by_layer["oregon_4326"]
    assert len(feet) == len(degrees) > 1
    for a, b in zip(feet, degrees):
        assert a.name == b.name
        pa, pb = positions(a.geometry), positions(b.geometry)
        assert len(pa) == len(pb)
        assert max(max(abs(x[0] - y[0]), abs(x[1] - y[1])) for x, y in zip(pa, pb)) < 1e-4  # (about 10 m)
    assert "Coordinates converted from NAD83 / Oregon North (ft) (EPSG:2269) to longitude/latitude." in str(report)
    assert report.left_out_count == 0


def test_shapefiles_in_utm_and_world_mercator_open_where_the_wgs84_one_is():
    (geo,), _ = open_map_file(MAPSHAPER / "d_geo.shp")[0].features, None
    for name, system in (("b_utm.shp", "NAD83 / UTM zone 18N (EPSG:26918)"),
                         ("e_merc.shp", "WGS_84_World_Mercator (EPSG:3395)")):
        scenario, report = open_map_file(MAPSHAPER / name)
        (f,) = scenario.features
        assert f.name == geo.name == "Staten Island"
        assert f.properties["POSTAL"] == "10304"
        pa, pb = positions(f.geometry), positions(geo.geometry)
        assert len(pa) == len(pb) and max(max(abs(x[0] - y[0]), abs(x[1] - y[1])) for x, y in zip(pa, pb)) < 1e-6
        assert f"Coordinates converted from {system} to longitude/latitude." in str(report)


def test_nad27_points_open_within_the_datum_shift_of_the_positions_in_their_own_columns():
    def dms(text):  # the file's own "32 59 28" / "-86 46 39"
        d, m, sec = (float(x) for x in text.split())
        sign = -1.0 if text.strip().startswith("-") else 1.0
        return sign * (abs(d) + m / 60 + sec / 3600)

    scenario, report = open_map_file(MAPSHAPER / "popctr_state1970.shp")
    assert len(scenario.features) == 51
    for f in scenario.features:
        lon, lat = f.geometry["coordinates"][:2]
        a = f.properties
        # NAD27 to WGS84: a shift of a few tens to a few hundred metres (PROJ without its grids)
        assert abs(lat - dms(a["LATITUDE"])) < 3e-3 and abs(lon - dms(a["LONGITUDE"])) < 3e-3, a["STATE"]
    assert "NAD27 (EPSG:4267)" in str(report)


def test_a_zipped_shapefile_in_a_folder_with_prj_and_cpg_opens_in_austria():
    scenario, report = open_map_file(PYSHP / "REL.zip")
    (f,) = scenario.features
    assert f.kind == "area" and f.name == "releaseArea20090407_1"
    lon, lat = positions(f.geometry)[0]
    assert 12.0 < lon < 12.5 and 46.7 < lat < 47.2  # (Tyrol)
    assert "MGI / Austria Lambert (EPSG:31287)" in str(report)
    # the view opens on the area (a slope of a few hundred metres), not on a speck in 0.4 degrees
    (south, west), (north, east) = scenario.view["bounds"]
    lons, lats = zip(*positions(f.geometry))
    assert south < min(lats) and north > max(lats) and west < min(lons) and east > max(lons)
    assert north - south < 1.5 * (max(lats) - min(lats)) and east - west < 1.5 * (max(lons) - min(lons))


# ----------------------------------------------------------------- layers, names, encodings

def test_a_geopackage_of_two_tables_opens_with_each_a_layer():
    scenario, report = open_map_file(MAPSHAPER / "Oregon.gpkg")
    assert [x["label"] for x in scenario.layers] == ["land", "roads"]
    kinds = {x["label"]: {f.kind for f in scenario.features if f.properties["layer"] == x["id"]} for x in scenario.layers}
    assert kinds == {"land": {"area"}, "roads": {"path"}}
    ids = [f.id for f in scenario.features]
    assert len(set(ids)) == len(ids) and ids[0] == "land-1"
    assert not any("original_layer" in f.properties for f in scenario.features)
    assert report.left_out_count == 0
    # its roads' BOOLEAN column (written by GDAL: QGIS's true/false field) opens as true and false,
    # as GDAL reads it
    from pyogrio.raw import read

    meta, fids, _, fields = read(MAPSHAPER / "Oregon.gpkg", layer="roads", return_fids=True)
    gdal = {int(i): None if v is None else bool(v) for i, v in zip(fids, fields[list(meta["fields"]).index("isbig")])}
    roads = [f for f in scenario.features if f.kind == "path"]  # ("roads-21-2": row 21's second part)
    assert {f.id: f.properties.get("isbig") for f in roads} == {f.id: gdal[int(f.id.split("-")[1])] for f in roads}
    assert {True, False} <= set(gdal.values())
    assert all(type(f.properties["isbig"]) is bool for f in roads if "isbig" in f.properties)


def test_two_shapefiles_in_one_zip_open_as_two_layers_with_their_fields():
    scenario, report = open_map_file(PYSHP / "blockgroups_multishapefile.zip")
    assert [x["label"] for x in scenario.layers] == ["blockgroups", "blockgroups2"]
    assert len(scenario.features) == 2 * 673
    assert len({f.id for f in scenario.features}) == len(scenario.features)
    first = scenario.features[0]
    assert first.kind == "area" and first.properties["BKG_KEY"] == "060750179029"
    one, _ = open_map_file(PYSHP / "blockgroups.zip")
    assert len(one.features) == 673 and one.layers == []


def test_the_text_encoding_a_cpg_names_is_used_and_latin1_without_one_is_read_as_such():
    with pytest.raises(ScenarioError) as e:  # (its positions are in no system it gives: refused, naming it)
        open_map_bytes(map_file_bytes(MAPSHAPER / "big5.shp"), "big5.shp")
    assert "big5 shape 1 (name '國語')" in str(e.value)
    scenario, report = open_map_file(PYSHP / "latin1.shp")
    assert scenario.features[0].name == "Ñandú"
    assert "its text read as Windows-1252" in str(report)


def test_a_shapefile_without_its_dbf_and_shx_opens_its_shapes():
    scenario, report = open_map_file(MAPSHAPER / "gauss_kruger.shp")
    assert [f.kind for f in scenario.features] == ["place"] * 3
    assert "Beijing 1954 / 3-degree Gauss-Kruger CM 114E (EPSG:2435)" in str(report)


def test_a_shp_header_a_byte_short_still_opens_every_shape():
    scenario, _ = open_map_file(PYSHP / "corrupt_too_long.shp")
    assert len(scenario.features) == 10


# ----------------------------------------------------------------- left out, said; refused

def test_null_empty_curved_and_foreign_geometries_are_left_out_by_reason():
    with pytest.raises(ScenarioError) as e:
        open_map_file(PDOK / "test_geometry_null.gpkg")
    assert "2 × placemarks or features without coordinates: table 'test_geometry_null' row 1" in str(e.value)
    with pytest.raises(ScenarioError) as e:
        open_map_file(PDOK / "test_geometry_empty.gpkg")
    assert "45 × empty geometries" in str(e.value)
    with pytest.raises(ScenarioError) as e:
        open_map_file(PDOK / "test_geometry_type.gpkg")
    assert "curved geometry (not supported)" in str(e.value)
    with pytest.raises(ScenarioError) as e:
        open_map_file(PDOK / "test_geometry_spatialite.gpkg")
    assert "not a GeoPackage geometry" in str(e.value)


def test_tables_of_2d_3d_and_4d_polygons_and_a_view_open():
    scenario, report = open_map_file(PDOK / "test_dimensions.gpkg")
    assert len(scenario.features) == 11 and len(scenario.layers) == 5
    assert all(len(p) == 2 for f in scenario.features for p in positions(f.geometry))
    view, _ = open_map_file(PDOK / "test_db_views.gpkg")
    assert [f.kind for f in view.features] == ["area"]
    line, _ = open_map_file(PDOK / "test_geometry_simple.gpkg")
    (lon, lat), *_ = positions(line.features[0].geometry)
    assert 4.9 < lon < 5.4 and 51.9 < lat < 52.3  # (Utrecht)


def test_a_layer_without_a_coordinate_system_opens_only_if_it_lies_in_longitude_latitude():
    scenario, report = open_map_file(MAPSHAPER / "null_crs_gdal.gpkg")
    assert len(scenario.features) == 8
    assert "Layer 'land': no coordinate system given; read as longitude/latitude" in str(report)
    mixed, report = open_map_file(MAPSHAPER / "missing_crs_mixed_ranges.gpkg")
    assert {x["label"] for x in mixed.layers} == {"OR_land_4326"}
    assert report.counts == {why.SYSTEM: 1}
    assert "table 'OR_land_2269' row 1 (no coordinate system given)" in str(report)
    with pytest.raises(ScenarioError) as e:  # (a shapefile in UTM whose .prj is missing)
        open_map_file(MAPSHAPER / "c_utm.shp")
    assert "coordinate system that is not given or cannot be read" in str(e.value)


def test_world_borders_in_single_precision_open_every_country_antarctica_round_its_pole():
    # (no .prj; its extent reaches 180.0000019, float32's 180: once refused whole as "outside
    # longitude/latitude's range", and Antarctica's ring, cut there, as crossing itself)
    from viewer.model.geometry import shape_of

    scenario, report = open_map_file(REAL / "shapefile-js" / "TM_WORLD_BORDERS_SIMPL-0.3.zip")
    assert not report.counts.get(why.SYSTEM) and not report.counts.get(why.SELF_CROSSING)
    names = {f.properties.get("NAME") for f in scenario.features}
    assert len(names) == 246 and {"Fiji", "Russia", "Antarctica", "\u00c5land Islands"} <= names
    assert all(-180 <= x <= 180 and -90 <= y <= 90 for f in scenario.features
               for ring in f.geometry["coordinates"] for x, y in ring)
    pole = [f for f in scenario.features if f.properties["NAME"] == "Antarctica"
            and min(y for x, y in f.geometry["coordinates"][0]) == -90.0]
    assert len(pole) == 1 and shape_of(pole[0]).geojson  # (drawn: the continent round the South Pole)


def test_files_that_are_not_what_they_claim_are_refused_in_one_line(tmp_path):
    with pytest.raises(ScenarioError) as e:
        open_map_file(PDOK / "test_broken_geopackage.gpkg")
    assert "not a GeoPackage (an SQLite database without its gpkg_contents" in str(e.value)
    with pytest.raises(ScenarioError) as e:
        open_map_bytes(b"name,lat,lon\nx,1,2\n", "points.gpkg")
    assert "not a GeoPackage (not an SQLite database)" in str(e.value)
    cut = (MAPSHAPER / "Oregon.gpkg").read_bytes()[:8192]  # (a download cut short)
    with pytest.raises(ScenarioError) as e:
        open_map_bytes(cut, "Oregon.gpkg")
    assert "Oregon.gpkg" in str(e.value)
    with pytest.raises(ScenarioError) as e:
        open_map_file(PYSHP / "empty_zipfile.zip")
    assert "holds no shapefile (.shp) (it holds dummyfile.txt)" in str(e.value)
    with pytest.raises(ScenarioError) as e:
        open_map_bytes(b"\x00" * 100, "noise.shp")
    assert "not a readable shapefile" in str(e.value)
    with pytest.raises(ScenarioError) as e:
        open_map_file(MAPSHAPER / "data_only_tables.gpkg")
    assert "features without coordinates" in str(e.value)


def test_a_geopackage_is_only_read_not_changed_and_its_triggers_never_run(tmp_path):
    src = tmp_path / "t.gpkg"
    src.write_bytes((MAPSHAPER / "Oregon.gpkg").read_bytes())
    db = sqlite3.connect(src)
    db.execute("CREATE TABLE log (x)")
    db.execute("CREATE TRIGGER t AFTER INSERT ON land BEGIN INSERT INTO log VALUES (1); END")
    db.commit()
    db.close()
    before = src.read_bytes()
    scenario, _ = open_map_file(src)
    assert scenario.features and src.read_bytes() == before


def test_a_zip_of_one_geojson_opens_that_geojson(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("data/countries.geo.json", (REAL / "world.geo.json" / "ATA.geo.json").read_bytes())
        zf.writestr("readme.txt", "from a download")
    scenario, report = open_map_bytes(buf.getvalue(), "download.zip")
    assert scenario.features and {f.name for f in scenario.features} == {"Antarctica"}


def test_a_zip_of_shapefiles_and_a_geojson_opens_the_shapefiles_and_names_the_geojson():
    # (before: the GeoJSON beside them was passed over without a word)
    buf = io.BytesIO()
    with zipfile.ZipFile(PYSHP / "blockgroups.zip") as src, zipfile.ZipFile(buf, "w") as zf:
        for info in src.infolist():
            zf.writestr(info.filename, src.read(info))
        zf.writestr("extra/countries.geo.json", (REAL / "world.geo.json" / "ATA.geo.json").read_bytes())
    scenario, report = open_map_bytes(buf.getvalue(), "download.zip")
    alone, _ = open_map_file(PYSHP / "blockgroups.zip")
    assert len(scenario.features) == len(alone.features) and "Antarctica" not in {f.name for f in scenario.features}
    assert ("the archive's shapefiles opened, not the extra/countries.geo.json beside them (open it on its own)"
            in report.notes), report.notes
    assert not any("beside them" in n for n in open_map_file(PYSHP / "blockgroups.zip")[1].notes)


def test_a_shapefile_imports_into_the_open_map_without_the_files_layers():
    features = import_annotations(map_file_bytes(MAPSHAPER / "a_utm.shp"), "a_utm.shp")
    assert [f.name for f in features] == ["Staten Island"]
    layered = import_annotations((MAPSHAPER / "Oregon.gpkg").read_bytes(), "Oregon.gpkg")
    assert layered and not any("layer" in f.properties for f in layered)
    assert all(f.properties.get("annotation") for f in layered)


def test_a_gdal_geojson_in_feet_opens_where_the_same_features_in_degrees_are(monkeypatch):
    as_given(monkeypatch)
    # ogr2ogr -f GeoJSON writes a projected layer with its coordinates as they are and a crs member
    import json

    import shapely

    db = sqlite3.connect(MAPSHAPER / "mixed_crs.gpkg")
    rows = db.execute("SELECT NAME, geom FROM oregon_2269 ORDER BY fid").fetchall()
    db.close()

    def wkb(blob):  # (a GeoPackage blob: 8 header bytes and an envelope, then WKB)
        return blob[8 + {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(blob[3] >> 1) & 7]:]

    doc = {"type": "FeatureCollection", "name": "oregon_2269",
           "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2269"}},
           "features": [{"type": "Feature", "properties": {"NAME": name},
                         "geometry": json.loads(shapely.to_geojson(shapely.from_wkb(wkb(g))))} for name, g in rows]}
    feet, report = open_map_bytes(json.dumps(doc).encode(), "oregon_2269.geojson")
    degrees, _ = open_map_file(MAPSHAPER / "mixed_crs.gpkg")
    labels = {x["id"]: x["label"] for x in degrees.layers}
    wgs84 = [f for f in degrees.features if labels[f.properties["layer"]] == "oregon_4326"]
    assert [f.name for f in feet.features] == [f.name for f in wgs84]
    for a, b in zip(feet.features, wgs84):
        pa, pb = positions(a.geometry), positions(b.geometry)
        assert max(max(abs(x[0] - y[0]), abs(x[1] - y[1])) for x, y in zip(pa, pb)) < 1e-4
    assert "NAD83 / Oregon North (ft) (EPSG:2269)" in str(report) and "crs" not in feet.extra
    imported = import_annotations(json.dumps(doc).encode(), "oregon_2269.geojson")  # (into an open map too)
    assert [positions(f.geometry)[0] for f in imported] == [positions(f.geometry)[0] for f in feet.features]


# ----------------------------------------------------------------- damaged and hostile files (a review's fuzzing)

def _zip(**members: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name.replace("__", "."), data)
    return buf.getvalue()


def _gpkg(tmp_path, srs: int, blobs: list[bytes], extra_sql: str = "") -> bytes:
    from tools.big_projects import write_geopackage

    path = tmp_path / f"made-{len(list(tmp_path.glob('made-*.gpkg')))}.gpkg"
    return write_geopackage(path, srs, blobs, extra_sql).read_bytes()


POINT = bytes.fromhex("0101000000000000000000f03f000000000000f03f")  # POINT (1 1)
# a GeometryCollection of a point and a CircularString (GEOS reads it; GeoJSON has no words for the curve)
CURVED = bytes.fromhex("0107000000020000000101000000000000000000f03f000000000000f03f0108000000030000000000000000000000"
                       "0000000000000000000000000000f03f000000000000f03f00000000000000400000000000000000")


def test_a_kmz_with_a_damaged_zip_directory_is_refused_in_one_line():
    data = bytearray((REAL / "ogc-kml" / "archive-1.kmz").read_bytes())
    data[data.find(b"PK\x01\x02") + 6] = 64  # ("made by" a zip version 6.4: zipfile refuses it)
    with pytest.raises(ScenarioError):
        open_map_bytes(bytes(data), "archive-1.kmz")
    with pytest.raises(ScenarioError):
        import_annotations(bytes(data), "archive-1.kmz")


def test_damaged_shapefiles_and_their_sidecars_are_refused_or_opened_never_a_crash():
    import struct

    shp = (MAPSHAPER / "three_points.shp").read_bytes()
    unknown_type = bytearray(shp)
    unknown_type[108:112] = struct.pack("<i", 99)  # (a shape type no shapefile has)
    with pytest.raises(ScenarioError, match="not a readable shapefile"):
        open_map_bytes(_zip(t__shp=bytes(unknown_type)), "t.zip")
    deep = _zip(t__shp=shp, t__shx=(MAPSHAPER / "three_points.shx").read_bytes(), t__prj=b'{"a":' * 2000)
    scenario, report = open_map_bytes(deep, "t.zip")  # (a .prj PROJ cannot read: its positions are degrees)
    assert len(scenario.features) == 3 and "cannot read" in str(report)
    scenario, _ = open_map_bytes(_zip(a__shp=shp, a__cpg=b"utf\x008"), "a.zip")  # (a NUL in the .cpg)
    assert len(scenario.features) == 3
    bom = _zip(a__shp=(MAPSHAPER / "a_utm.shp").read_bytes(), a__prj=b"\xef\xbb\xbf" + (MAPSHAPER / "a_utm.prj").read_bytes())
    assert "UTM zone 18N" in str(open_map_bytes(bom, "a.zip")[1])


def test_a_curve_inside_a_collection_and_a_huge_number_are_left_out_and_said(tmp_path):
    for srs in (4326, 3857):
        scenario, report = open_map_bytes(_gpkg(tmp_path, srs, [CURVED, POINT]), "c.gpkg")
        assert [f.name for f in scenario.features] == ["n2"]
        assert "table 't' row 1 (curved or unreadable geometry)" in str(report)
    text = '{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1' + "0" * 400 + ",2]}}"
    with pytest.raises(ScenarioError):
        open_map_bytes(text.encode(), "huge.geojson")


def test_a_geopackage_left_in_wal_mode_with_a_bad_text_cell_opens(tmp_path):
    data = bytearray(_gpkg(tmp_path, 4326, [POINT, POINT], "UPDATE t SET name = CAST(X'41FF42' AS TEXT) WHERE fid = 2;"))
    data[18:20] = b"\x02\x02"  # (the header of a file QGIS was editing: write-ahead log mode)
    scenario, _ = open_map_bytes(bytes(data), "wal.gpkg")
    assert [f.name for f in scenario.features] == ["n1", "A\ufffdB"]


def test_a_bad_text_cell_read_again_leniently_leaves_the_report_as_one_reading_would(tmp_path):
    # SQLite decodes the cells (in C) until one is not UTF-8; then the file is read again with
    # each such cell's bytes replaced, and what the first reading said is not said twice.
    gp_point = "47500001E6100000" + POINT.hex()  # (a GeoPackage geometry: its header, EPSG:4326, the point)
    extra = ("ALTER TABLE t ADD COLUMN pic BLOB; UPDATE t SET pic = X'00FF';"  # (said of t, read first)
             "CREATE TABLE u (fid INTEGER PRIMARY KEY, geom BLOB, name TEXT);"
             f"INSERT INTO u VALUES (1, X'{gp_point}', 'u1'), (2, X'{gp_point}', 'u2');"
             "INSERT INTO gpkg_contents VALUES ('u', 'features', 'u', '', '', 0, 0, 0, 0, 4326);"
             "INSERT INTO gpkg_geometry_columns VALUES ('u', 'geom', 'POINT', 4326, 0, 0);")
    good = _gpkg(tmp_path, 4326, [POINT, CURVED], extra)
    bad = _gpkg(tmp_path, 4326, [POINT, CURVED], extra + "UPDATE u SET name = CAST(X'41FF42' AS TEXT) WHERE fid = 2;")
    s_good, r_good = open_map_bytes(good, "x.gpkg")
    s_bad, r_bad = open_map_bytes(bad, "x.gpkg")
    assert [f.name for f in s_good.features] == ["n1", "u1", "u2"]
    assert [f.name for f in s_bad.features] == ["n1", "u1", "A\ufffdB"]
    assert str(r_bad) == str(r_good)
    assert str(r_bad).count("binary columns not opened") == 1


def test_a_view_that_never_ends_is_stopped_and_left_out_and_the_other_tables_open(tmp_path, monkeypatch):
    from viewer.model.io import geopackage

    monkeypatch.setattr(geopackage, "QUERY_SECONDS", 1)
    endless = """
        CREATE VIEW v AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
            SELECT (SELECT count(*) FROM c) AS fid, geom, name FROM t;
        INSERT INTO gpkg_contents VALUES ('v', 'features', 'v', '', '', 0, 0, 0, 0, 4326);
        INSERT INTO gpkg_geometry_columns VALUES ('v', 'geom', 'GEOMETRY', 4326, 0, 0);"""
    broken = """
        CREATE VIEW w AS SELECT fid, geom FROM gone;
        INSERT INTO gpkg_contents VALUES ('w', 'features', 'w', '', '', 0, 0, 0, 0, 4326);
        INSERT INTO gpkg_geometry_columns VALUES ('w', 'geom', 'GEOMETRY', 4326, 0, 0);"""
    scenario, report = open_map_bytes(_gpkg(tmp_path, 4326, [POINT], endless + broken.replace("gone", "t")
                                            .replace("fid, geom", "fid, geom, name")), "v.gpkg")
    assert [f.name for f in scenario.features] == ["n1", "n1"]  # (t, and w, a view of it, after v)
    assert "v (reading it took more than 1 s)" in str(report)
    scenario, report = open_map_bytes(_gpkg(tmp_path, 4326, [POINT], endless + broken), "vw.gpkg")
    assert [f.name for f in scenario.features] == ["n1"]
    assert "v (reading it took more than 1 s)" in str(report) and "w (no such table: " in str(report)
    only = _gpkg(tmp_path, 4326, [POINT], endless + "DELETE FROM gpkg_contents WHERE table_name = 't';")
    with pytest.raises(ScenarioError, match="took more than 1 s"):
        open_map_bytes(only, "v.gpkg")


def test_too_many_vertices_are_refused_before_they_are_written_out(monkeypatch):
    from viewer.model.io import layered

    monkeypatch.setattr(layered, "MAX_VERTICES", 100)
    with pytest.raises(ScenarioError, match="more than 100 vertices"):
        open_map_file(MAPSHAPER / "Oregon.gpkg")


def test_proj_never_goes_online_and_a_shapefile_reads_the_same_each_time(monkeypatch):
    import pyproj

    monkeypatch.setenv("PROJ_NETWORK", "ON")
    pyproj.network.set_network_enabled(True)
    try:
        conversion_for(27700)
        assert pyproj.network.is_network_enabled() is False
    finally:
        pyproj.network.set_network_enabled(False)
    a = map_file_bytes(MAPSHAPER / "a_utm.shp")  # (the same files give the same bytes at any time: the page cache's key)
    assert map_file_bytes(MAPSHAPER / "a_utm.shp") == a
    assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in zipfile.ZipFile(io.BytesIO(a)).infolist())


def test_tables_named_in_another_case_open_and_one_not_in_the_file_is_named(tmp_path):
    data = _gpkg(tmp_path, 4326, [POINT], """
        UPDATE gpkg_contents SET table_name = 'T'; UPDATE gpkg_geometry_columns SET table_name = 'T', column_name = 'GEOM';
        INSERT INTO gpkg_contents VALUES ('gone', 'features', 'gone', '', '', 0, 0, 0, 0, 4326);
        INSERT INTO gpkg_geometry_columns VALUES ('gone', 'geom', 'POINT', 4326, 0, 0);""")
    scenario, report = open_map_bytes(data, "cases.gpkg")
    assert [f.name for f in scenario.features] == ["n1"]
    assert "Not opened as map features: gone (listed, but not in the file)." in str(report)


def test_one_damaged_shapefile_of_several_is_left_out_and_infinite_values_are_dropped(tmp_path):
    good = (MAPSHAPER / "three_points.shp").read_bytes()
    data = _zip(good__shp=good, good__shx=(MAPSHAPER / "three_points.shx").read_bytes(), bad__shp=b"\x00" * 100)
    scenario, report = open_map_bytes(data, "two.zip")
    assert len(scenario.features) == 3
    assert "bad (not a readable shapefile (its .shp does not begin as one))" in str(report)
    with pytest.raises(ScenarioError, match="not a readable shapefile"):
        open_map_bytes(_zip(bad__shp=b"\x00" * 100), "one.zip")
    gpkg = _gpkg(tmp_path, 4326, [POINT], "ALTER TABLE t ADD COLUMN v REAL; UPDATE t SET v = 9e999;")
    (f,) = open_map_bytes(gpkg, "inf.gpkg")[0].features
    assert f.name == "n1" and "v" not in f.properties  # (before: the feature was dropped, "cannot be stored")


def test_a_code_proj_does_not_know_is_read_by_its_definition_and_heights_only_are_refused(tmp_path):
    import pyproj
    import shapely

    mercator = shapely.to_wkb(shapely.Point(14_192_337.0, 4_721_671.5))  # (Pyongyang-ish in Web Mercator)
    wkt = pyproj.CRS("EPSG:3857").to_wkt().replace("'", "''")
    unknown = f"""INSERT INTO gpkg_spatial_ref_sys VALUES ('mine', 990001, 'EPSG', 990001, '{wkt}', '');
        UPDATE gpkg_contents SET srs_id = 990001; UPDATE gpkg_geometry_columns SET srs_id = 990001;"""
    scenario, report = open_map_bytes(_gpkg(tmp_path, 3857, [mercator], unknown), "new-code.gpkg")
    lon, lat = scenario.features[0].geometry["coordinates"][:2]
    assert lon == pytest.approx(math.degrees(14_192_337.0 / 6_378_137.0), abs=1e-9)  # (the spherical formula)
    assert lat == pytest.approx(math.degrees(2 * math.atan(math.exp(4_721_671.5 / 6_378_137.0)) - math.pi / 2), abs=1e-9)
    assert "Pseudo-Mercator" in str(report)
    heights = """INSERT INTO gpkg_spatial_ref_sys VALUES ('EGM96 height', 5773, 'EPSG', 5773, 'undefined', '');
        UPDATE gpkg_contents SET srs_id = 5773; UPDATE gpkg_geometry_columns SET srs_id = 5773;"""
    with pytest.raises(ScenarioError, match="cannot read: EGM96 height: heights"):
        open_map_bytes(_gpkg(tmp_path, 3857, [mercator], heights), "heights.gpkg")


def test_two_shapefiles_whose_names_differ_only_in_case_are_two_layers_with_their_own_files(tmp_path):
    def files(stem):
        return {f"{stem}.{s}": (MAPSHAPER / f"{stem}.{s}").read_bytes() for s in ("shp", "shx", "dbf")}
    three, geo = files("three_points"), files("d_geo")
    members = {k.replace("three_points", "a"): v for k, v in three.items()}
    members.update({k.replace("d_geo", "A"): v for k, v in geo.items()})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        zf.writestr("A.prj", (MAPSHAPER / "d_geo.prj").read_bytes())
    scenario, report = open_map_bytes(buf.getvalue(), "cases.zip")
    alone = {stem: open_map_file(MAPSHAPER / f"{stem}.shp")[0] for stem in ("three_points", "d_geo")}
    layers = {x["label"]: x["id"] for x in scenario.layers}
    assert set(layers) == {"a", "A"} and len(set(layers.values())) == 2
    for label, stem in (("a", "three_points"), ("A", "d_geo")):
        mine = [f for f in scenario.features if f.properties["layer"] == layers[label]]
        assert [f.geometry for f in mine] == [f.geometry for f in alone[stem].features]
        assert [f.name for f in mine] == [f.name for f in alone[stem].features]
    # files beside a .shp: those of exactly its name, where others differ only in case
    folder = tmp_path / "beside"
    folder.mkdir()
    for name, data in members.items():
        (folder / name).write_bytes(data)
    if len(list(folder.iterdir())) == len(members):  # (a file system that tells the cases apart)
        scenario, _ = open_map_file(folder / "a.shp")
        assert [f.name for f in scenario.features] == [f.name for f in alone["three_points"].features]


def test_a_kmz_renamed_zip_opens_as_the_kmz_and_two_unrelated_kml_are_refused():
    kml = (REAL / "ogc-kml" / "Document-places.kml").read_bytes()
    kmz = _zip(doc__kml=kml, **{"files/more__kml": (REAL / "ogc-kml" / "KML_Samples.kml").read_bytes()})
    as_kmz, report_kmz = open_map_bytes(kmz, "places.kmz")
    as_zip, report_zip = open_map_bytes(kmz, "places.zip")
    assert as_kmz.features and as_zip.features == as_kmz.features and report_zip.counts == report_kmz.counts
    with pytest.raises(ScenarioError, match="2 files SitMap opens: open one of them"):
        open_map_bytes(_zip(a__kml=kml, b__kml=kml), "two.zip")


def test_a_kmz_opens_its_top_document_not_a_linked_one_listed_before_it():
    # (Google Earth's rule: doc.kml, else the first .kml at the top; one in a folder is linked from it)
    top = (REAL / "ogc-kml" / "Document-places.kml").read_bytes()
    nested = (REAL / "ogc-kml" / "KML_Samples.kml").read_bytes()
    alone, _ = open_map_bytes(top, "places.kml")
    kmz = _zip(**{"files/linked__kml": nested, "main__kml": top})
    for name in ("places.kmz", "places.zip"):
        scenario, _ = open_map_bytes(kmz, name)
        assert [f.name for f in scenario.features] == [f.name for f in alone.features], name
    # doc.kml first of all, whatever its case, and named with a leading slash by some writers
    for doc in ("DOC__KML", "/doc__kml", "./doc__kml"):
        scenario, _ = open_map_bytes(_zip(**{"another__kml": nested, doc: top}), "places.kmz")
        assert [f.name for f in scenario.features] == [f.name for f in alone.features], doc
    scenario, _ = open_map_bytes(_zip(**{"files\\linked__kml": nested, "main__kml": top}), "places.kmz")
    assert [f.name for f in scenario.features] == [f.name for f in alone.features]  # (a backslash: in a folder)


def test_a_polygon_of_counter_clockwise_rings_only_is_read_as_outer_rings_and_said(caplog, capsys):
    import shapefile

    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON) as w:
        w.field("name", "C")
        w.poly([[[126, 37], [128, 37], [128, 39], [126, 39], [126, 37]]])  # counter-clockwise: a hole, by the rule
        w.record("Only a hole")
        w.poly([[[120, 30], [120, 31], [121, 31], [121, 30], [120, 30]]])  # clockwise: an outer ring
        w.record("Proper")
    scenario, report = open_map_bytes(_zip(t__shp=shp.getvalue(), t__shx=shx.getvalue(), t__dbf=dbf.getvalue()), "t.zip")
    assert [f.name for f in scenario.features] == ["Only a hole", "Proper"]
    assert "1 × polygons whose rings all run counter-clockwise" in str(report) and "Only a hole" in str(report)
    assert "Proper" not in str(report)
    assert "Possible issue" not in caplog.text + capsys.readouterr().err  # (said in the report, not on stderr)


def test_a_table_whose_system_is_not_listed_says_so(tmp_path):
    missing = "DELETE FROM gpkg_spatial_ref_sys WHERE srs_id = 3857;"
    mercator = bytes.fromhex("0101000000") + __import__("struct").pack("<dd", 14_192_337.0, 4_721_671.5)
    with pytest.raises(ScenarioError, match=r"srs_id 3857\) is not listed in the file"):
        open_map_bytes(_gpkg(tmp_path, 3857, [mercator], missing), "unlisted.gpkg")
    scenario, report = open_map_bytes(_gpkg(tmp_path, 3857, [POINT], missing), "degrees.gpkg")
    assert len(scenario.features) == 1 and "(srs_id 3857) is not listed in the file; read as longitude/latitude" in str(report)


def test_integers_too_large_for_a_float_are_no_style_no_centre_and_no_crash():
    """A foreign GeoJSON's style or a drawn ring's centre given as an integer of 400 digits (the
    standard reader keeps it whole): the style is left out and the ring opens as the area it draws."""
    big = "1" + "0" * 400
    raw = ('{"type": "FeatureCollection", "features": ['
           '{"type": "Feature", "properties": {"name": "line", "stroke-width": %s},'
           ' "geometry": {"type": "LineString", "coordinates": [[125, 39], [125.1, 39]]}},'
           '{"type": "Feature", "properties": {"name": "ring", "kind": "range_ring", "radius_m": 1000, "centre": [%s, 5]},'
           ' "geometry": {"type": "Polygon", "coordinates": [[[125, 39], [125.1, 39], [125.1, 39.1], [125, 39]]]}}]}'
           % (big, big)).encode()
    scenario, _ = open_map_bytes(raw, "big.geojson")
    line, ring = scenario.features
    assert line.kind == "path" and "weight" not in (line.properties.get("style") or {})
    assert ring.kind == "area" and ring.geometry["type"] == "Polygon"


@pytest.mark.parametrize("geometry", [
    {"type": ["LineString"], "coordinates": [[125, 39], [126, 39]]},  # a type that is not a text
    {"type": "MultiLineString", "coordinates": [5, [[179.5, 10], [180, 10]], [[-180, 10], [-179.5, 10]]]},
    {"type": "MultiLineString", "coordinates": [{"a": 1}, [[179.5, 10], [180, 10]]]},
    {"type": "MultiLineString", "coordinates": [[[10 ** 400, 10], [180, 10]], [[-180, 10], [-179.5, 10]]]},
    {"type": "MultiPolygon", "coordinates": [[[[10 ** 400, 0], [180, 0], [180, 1], [179, 0]]],
                                             [[[-180, 0], [-179, 0], [-179, 1], [-180, 0]]]]},
])
def test_a_malformed_geometry_among_good_ones_is_left_out_not_a_crash(geometry):
    """Found by mutating real files' JSON: each of these stopped the reader with a Python error."""
    good = {"type": "Feature", "properties": {"name": "good"},
            "geometry": {"type": "LineString", "coordinates": [[120, 30], [121, 31]]}}
    bad = {"type": "Feature", "properties": {"name": "bad"}, "geometry": geometry}
    import json

    raw = json.dumps({"type": "FeatureCollection", "features": [bad, good]})
    scenario, report = open_map_bytes(raw.encode(), "mutated.geojson")
    assert "good" in [f.name for f in scenario.features]


def test_a_projected_position_beyond_any_grid_is_left_out_without_a_numeric_warning():
    import json
    import warnings

    doc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
           "features": [{"type": "Feature", "properties": {"name": "far"}, "geometry": {"type": "Polygon", "coordinates": [[
                            [13_975_000.0, 4_720_000.0], [13_976_000.0, "1e999"], [13_976_000.0, 4_721_000.0],
                            [13_975_000.0, 4_720_000.0]]]}},
                        {"type": "Feature", "properties": {"name": "near"},
                         "geometry": {"type": "Point", "coordinates": [13_975_000.0, 4_720_000.0]}}]}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (a warning on stderr is not how a file's problem is said)
        scenario, report = open_map_bytes(json.dumps(doc).encode(), "projected.geojson")
    assert [f.name for f in scenario.features] == ["near"] and "far" in str(report)


def test_text_properties_that_are_not_text_are_kept_aside_and_deep_json_text_does_not_stop_the_file():
    """(Found in review: a number as a name was emptied, and a style column of JSON text nested
    20,000 deep stopped the whole file with a RecursionError.)"""
    import json

    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": 42, "notes": 3.5, "source": 7, "label": 101},
         "geometry": {"type": "Point", "coordinates": [125, 39]}},
        {"type": "Feature", "properties": {"name": "deep", "style": "[" * 20000 + "]" * 20000},
         "geometry": {"type": "Point", "coordinates": [126, 39]}}]}
    scenario, _ = open_map_bytes(json.dumps(doc).encode(), "t.geojson")
    a, b = scenario.features
    # (a name that is a number is the name, as text, as a CSV cell's is; the other texts' numbers aside)
    assert (a.properties["original_notes"], a.properties["original_label"]) == (3.5, 101)
    assert a.name == "42" and "original_name" not in a.properties and a.properties["source"] == "t.geojson"
    assert b.name == "deep" and "original_style" in b.properties


def test_a_record_marked_deleted_in_the_dbf_is_left_out_with_its_shape_as_gdal_does(tmp_path):
    # (QGIS, ArcGIS and dBASE mark a deleted record with "*" and leave it until the file is packed:
    # the records after it once went on the shapes before theirs)
    import struct

    import shapefile
    from pyogrio.raw import read

    with shapefile.Writer(str(tmp_path / "deleted"), shapeType=shapefile.POINT) as w:
        w.field("name", "C", 20)
        for name, x in (("Alpha", 1.0), ("Bravo", 2.0), ("Charlie", 3.0), ("Delta", 4.0)):
            w.point(x, 10.0)
            w.record(name)
    dbf = bytearray((tmp_path / "deleted.dbf").read_bytes())
    header, size = struct.unpack("<HH", dbf[8:12])
    dbf[header + size] = ord("*")  # Bravo deleted
    (tmp_path / "deleted.dbf").write_bytes(bytes(dbf))
    scenario, report = open_map_file(tmp_path / "deleted.shp")
    got = [(f.geometry["coordinates"][0], f.properties.get("name")) for f in scenario.features]
    assert got == [(1.0, "Alpha"), (3.0, "Charlie"), (4.0, "Delta")]
    meta, _, geoms, fields = read(tmp_path / "deleted.shp")
    assert list(fields[0]) == [name for _, name in got]


@pytest.mark.parametrize("encoding, driver, text", [("cp1251", 0xC9, "Москва"), ("cp1253", 0xCB, "Αθήνα"),
                                                     ("cp1250", 0xC8, "Łódź")])
def test_without_a_cpg_the_dbf_s_language_driver_names_its_code_page_as_gdal_reads_it(tmp_path, encoding, driver, text):
    # (as ArcGIS writes a shapefile without a .cpg; once read as Windows-1252 whatever the header said)
    import numpy as np
    import shapely
    from pyogrio.raw import read, write

    path = tmp_path / "cyr.shp"
    write(path, np.array([shapely.to_wkb(shapely.Point(37.6, 55.75))], dtype=object), [np.array([text], dtype=object)],
          ["name"], driver="ESRI Shapefile", geometry_type="Point", crs="EPSG:4326", encoding=encoding)
    (tmp_path / "cyr.cpg").unlink()
    dbf = bytearray((tmp_path / "cyr.dbf").read_bytes())
    dbf[29] = driver
    (tmp_path / "cyr.dbf").write_bytes(bytes(dbf))
    assert list(read(path)[3][0]) == [text]  # (GDAL)
    scenario, report = open_map_file(path)
    assert [f.properties["name"] for f in scenario.features] == [text]
    assert "as its .dbf's header says" in str(report)


def test_a_shape_at_a_nan_position_is_left_out_named_once_and_nothing_is_printed(tmp_path, capfd):
    import warnings

    import shapefile

    with shapefile.Writer(str(tmp_path / "nanx"), shapeType=shapefile.POINT) as w:
        w.field("name", "C", 20)
        w.point(float("nan"), 47.4)
        w.record("Zürich")
        w.point(8.5, -float("nan"))
        w.record("Basel")
        w.point(8.5, 47.4)
        w.record("Bern")
    (tmp_path / "nanx.prj").write_text('GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],'
                                       'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]')
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scenario, report = open_map_file(tmp_path / "nanx.shp")
    assert [f.name for f in scenario.features] == ["Bern"] and report.left_out_count == 2
    assert str(report).count("Zürich") == 1 and str(report).count("Basel") == 1
    assert capfd.readouterr().err == ""


def test_a_shx_giving_a_record_a_negative_length_is_not_followed():
    # (pyshp steps through the shapes by the index's lengths: -4 words read the first shape again for
    # each of the index's 2,000 records, a 10 KB archive as 10 million positions. Found by fuzzing.)
    import math
    import struct

    pts = [(125.5 + 0.4 * math.cos(2 * math.pi * i / 4999), 39.5 + 0.4 * math.sin(2 * math.pi * i / 4999))
           for i in range(4999)]
    pts.append(pts[0])
    content = struct.pack("<i4dii", 5, 125, 39, 126, 40, 1, len(pts)) + struct.pack("<i", 0) \
        + b"".join(struct.pack("<2d", *p) for p in pts)
    record = struct.pack(">ii", 1, len(content) // 2) + content
    box = struct.pack("<2i4d4d", 1000, 5, 125, 39, 126, 40, 0, 0, 0, 0)
    shp = struct.pack(">7i", 9994, 0, 0, 0, 0, 0, (100 + len(record)) // 2) + box + record
    shx = struct.pack(">7i", 9994, 0, 0, 0, 0, 0, (100 + 8 * 2000) // 2) + box + struct.pack(">ii", 50, -4) * 2000
    scenario, report = open_map_bytes(_zip(a__shp=shp, a__shx=shx), "index.zip")
    assert len(scenario.features) == 1 and scenario.features[0].kind == "area"
    assert "its .shx index gives a record a negative length" in str(report)
