"""Geometries nested too deep for GEOS, and other shapes a file's values cannot make, are left out
and said: never a crash. GEOS reads WKT and WKB collections by recursion, and a GeoPackage row or a
CSV cell of 100,000 collections one inside the other crashed the whole process (a segmentation
fault: run here in a child process). Found by a fuzzing campaign of the openers, as were the rest:
a GeoJSON line's positions that are not positions beside SitMap's own corners, a TopoJSON's
quantized deltas adding up past any number, a KML's colours of deeply nested JSON, a CSV's GeoJSON
geometry nested past the reader's recursion."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT
from viewer.model.io.open_any import open_map_bytes
from viewer.model.io.wkb_depth import wkb_nests_deeper
from viewer.model.json_read import MAX_NESTING

POINT = b"\x01" + struct.pack("<I", 1) + struct.pack("<2d", 125.0, 39.0)


def _nested_wkb(levels: int, inner: bytes = POINT) -> bytes:
    return b"".join(b"\x01" + struct.pack("<II", 7, 1) for _ in range(levels)) + inner


def _in_a_child(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, f"exit {out.returncode}: {out.stderr[-1500:]}"
    return out.stdout


def test_a_geopackage_row_of_100000_nested_collections_is_left_out_not_a_crash(tmp_path):
    code = f"""
import struct
from pathlib import Path
from tools.big_projects import write_geopackage
from viewer.model.io.open_any import open_map_file
point = {POINT!r}
deep = b"".join(b"\\x01" + struct.pack("<II", 7, 1) for _ in range(100_000)) + point
s, r = open_map_file(write_geopackage(Path({str(tmp_path / "deep.gpkg")!r}), 4326, [point, deep, point]))
print(len(s.features)); print(r)
"""
    said = _in_a_child(code)
    assert said.startswith("2\n") and f"row 2 (a geometry nested deeper than {MAX_NESTING} levels)" in said


def test_a_csv_cell_of_100000_nested_collections_is_left_out_not_a_crash():
    code = """
from viewer.model.io.open_any import open_map_bytes
deep = "GEOMETRYCOLLECTION(" * 100_000 + "POINT(125 39)" + ")" * 100_000
rows = "name,wkt\\nA,POINT (125 39)\\nDeep,\\"" + deep + "\\"\\nB,POINT (126 40)\\n"
s, r = open_map_bytes(rows.encode(), "deep.csv")
print(len(s.features)); print(r)
"""
    said = _in_a_child(code)
    assert said.startswith("2\n") and f"(name 'Deep'): a geometry nested deeper than {MAX_NESTING} levels" in said


def test_a_csv_geojson_cell_nested_past_the_reader_is_left_out():
    import csv
    import io

    deep = '{"type": "GeometryCollection", "geometries": [' * 200 + '{"type": "Point", "coordinates": [1, 2]}' \
        + "]}" * 200
    text = io.StringIO()
    csv.writer(text).writerows([["name", "geojson"], ["A", json.dumps({"type": "Point", "coordinates": [125, 39]})],
                                ["Deep", deep]])
    scenario, report = open_map_bytes(text.getvalue().encode(), "cells.csv")
    assert [f.name for f in scenario.features] == ["A"]
    assert f"(name 'Deep'): a geometry nested deeper than {MAX_NESTING} levels" in str(report)


@pytest.mark.parametrize("position", [540.0, {"type": "Point", "coordinates": ["1", "2"]}, [], {"0": 1}, [10 ** 400, 39]])
def test_a_sitmap_line_with_a_position_that_is_not_one_opens_not_a_crash(position):
    # (a line with SitMap's own corners beside its drawn positions: compared with them before the
    # positions are checked)
    doc = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "path",
           "geometry": {"type": "LineString", "coordinates": [[125.6733, 39.2002], position, [129.64, 40.74]]},
           "properties": {"kind": "path", "name": "Flight", "vertices": [[125.6733, 39.2002], [129.64, 40.74]]}},
           {"type": "Feature", "id": "p", "geometry": {"type": "Point", "coordinates": [125.0, 39.0]},
            "properties": {"name": "P"}}]}
    scenario, report = open_map_bytes(json.dumps(doc).encode(), "x.geojson")
    assert "P" in [f.name for f in scenario.features]


def test_a_topology_whose_deltas_add_up_past_any_number_leaves_its_feature_out():
    big = 10 ** 308  # (each a number; three of them, past any float)
    doc = {"type": "Topology", "transform": {"scale": [1e-9, 1e-9], "translate": [0, 0]},
           "objects": {"a": {"type": "LineString", "arcs": [0], "properties": {"name": "Huge"}},
                       "b": {"type": "LineString", "arcs": [1], "properties": {"name": "Fine"}}},
           "arcs": [[[big, 0], [big, 0], [big, 0]], [[125000000000, 39000000000], [1000000000, 1000000000]]]}
    scenario, report = open_map_bytes(json.dumps(doc).encode(), "odd.topojson")
    assert [f.name for f in scenario.features] == ["Fine"]
    assert "Huge" in str(report) or "objects.a" in str(report)


def test_a_kml_placemark_whose_colours_nest_past_the_reader_opens():
    colours = "[" * 5_000 + "]" * 5_000  # (past the reader's recursion, within the text limit)
    kml = ("<kml xmlns='http://www.opengis.net/kml/2.2'><Document><Placemark><name>P</name><ExtendedData>"
           "<Data name='sitmap_kind'><value>place</value></Data><Data name='sitmap_id'><value>p</value></Data>"
           f"<Data name='sitmap_colors'><value>{colours}</value></Data></ExtendedData>"
           "<Point><coordinates>125,39</coordinates></Point></Placemark></Document></kml>")
    scenario, _report = open_map_bytes(kml.encode(), "colours.kml")
    assert [f.name for f in scenario.features] == ["P"]


# ----------------------------------------------------------------- the WKB walk, against what was built

def _header(order: int, code: int, srid: bool = False) -> bytes:
    fmt = "<I" if order else ">I"
    return bytes([order]) + struct.pack(fmt, code) + (struct.pack(fmt, 4326) if srid else b"")


@st.composite
def geometries(draw, depth: int = 0):
    """(WKB, its collections' depth): points, lines, polygons, multi types and collections, in
    either byte order, 2D to 4D in ISO or extended WKB (with an SRID or not)."""
    order = draw(st.sampled_from([0, 1]))
    fmt = "<" if order else ">"
    style = draw(st.sampled_from(["iso", "ewkb"]))
    z, m = draw(st.booleans()), draw(st.booleans())
    dims = 2 + z + m

    def code(base: int) -> int:
        if style == "iso":
            return base + (1000 if z and not m else 2000 if m and not z else 3000 if z and m else 0)
        return base | (0x80000000 if z else 0) | (0x40000000 if m else 0) | (0x20000000 if draw(st.booleans()) else 0)

    def head(base: int) -> bytes:
        c = code(base)
        return _header(order, c, srid=bool(c & 0x20000000) and style == "ewkb")

    def coords(n: int) -> bytes:
        return struct.pack(f"{fmt}{n * dims}d", *([1.5] * (n * dims)))

    kind = draw(st.sampled_from(["point", "line", "polygon", "collection"] if depth < 6 else ["point", "line"]))
    if kind == "point":
        return head(1) + coords(1), 0
    if kind == "line":
        n = draw(st.integers(0, 4))
        return head(2) + struct.pack(f"{fmt}I", n) + coords(n), 0
    if kind == "polygon":
        rings = draw(st.integers(0, 3))
        return head(3) + struct.pack(f"{fmt}I", rings) + b"".join(struct.pack(f"{fmt}I", 4) + coords(4)
                                                                   for _ in range(rings)), 0
    members = draw(st.lists(geometries(depth + 1), max_size=3))
    base = draw(st.sampled_from([4, 5, 6, 7]))
    return (head(base) + struct.pack(f"{fmt}I", len(members)) + b"".join(w for w, _d in members),
            1 + max((d for _w, d in members), default=0))


@settings(max_examples=400, deadline=None)
@given(geometries(), st.integers(0, 8))
def test_the_walk_finds_the_depth_the_geometry_was_built_with(built, limit):
    wkb, depth = built
    assert wkb_nests_deeper(wkb, limit) == (depth > limit)


@pytest.mark.parametrize("cut, deep", [(1, True), (25, True), (26, False), (30, False)])
def test_a_blob_cut_short_is_left_to_geos_which_says_what_is_wrong(cut, deep):
    # (three collection headers of 9 bytes and a point of 21: the third's type, read at byte 23,
    # says the depth before its count is read)
    assert wkb_nests_deeper(_nested_wkb(3)[:-cut], 2) is deep
    assert wkb_nests_deeper(_nested_wkb(100_000)[:-cut], MAX_NESTING)


def test_a_real_geopackage_s_geometries_are_not_walked_into_a_false_refusal():
    data = (Path(ROOT) / "tests" / "data" / "realworld" / "mapshaper" / "Oregon.gpkg").read_bytes()
    scenario, report = open_map_bytes(data, "Oregon.gpkg")
    assert scenario.features and "nested deeper" not in str(report)


# (type codes GEOS reads as a collection though they are neither ISO nor extended WKB's own: it
# takes (code & 0xFFFF) % 1000; a second fuzzing campaign passed them by the walk as first written)
ODD_COLLECTIONS = [0x00010007, 0x10000007, 0x80000000 | 1007, 0x20000007, 7 + 5 * 65536]


def _nested_with(code: int, levels: int, inner: bytes = POINT) -> bytes:
    head = b"\x01" + struct.pack("<I", code) + (struct.pack("<I", 4326) if code & 0x20000000 else b"")
    return (head + struct.pack("<I", 1)) * levels + inner


@pytest.mark.parametrize("code", ODD_COLLECTIONS)
def test_a_type_code_geos_reads_as_a_collection_is_walked_as_one(code):
    import shapely

    assert shapely.from_wkb(_nested_with(code, 2)).geom_type == "GeometryCollection"  # (as GEOS reads it)
    assert wkb_nests_deeper(_nested_with(code, 3), 2) and not wkb_nests_deeper(_nested_with(code, 2), 2)
    assert wkb_nests_deeper(_nested_with(code, 100_000), MAX_NESTING)


def test_a_deep_collection_after_an_odd_coded_point_is_found():
    odd_point = b"\x01" + struct.pack("<I", 0x00010001) + struct.pack("<2d", 1.0, 2.0)
    two = b"\x01" + struct.pack("<II", 7, 2) + odd_point + _nested_wkb(100_000)
    assert wkb_nests_deeper(two, MAX_NESTING)


def test_sitmap_s_own_geopackage_with_a_row_of_odd_coded_nested_collections_opens_not_a_crash(tmp_path):
    code = """
import sqlite3, struct
from viewer import resources
from viewer.export.geopackage import export_geopackage
from viewer.model.io.open_any import open_map_bytes
from viewer.model.scenario import load_scenario
db = sqlite3.connect(":memory:")
db.deserialize(export_geopackage(load_scenario(resources.default_scenario())))
deep = b"GP\\x00\\x01" + struct.pack("<i", 4326) + struct.pack("<BII", 1, 0x00010007, 1) * 100_000 \\
    + struct.pack("<BIdd", 1, 1, 1.0, 2.0)
db.execute("UPDATE points SET geom = ? WHERE fid = (SELECT min(fid) FROM points)", (deep,))
db.commit()
s, r = open_map_bytes(bytes(db.serialize()), "own.gpkg")
print(len(s.features)); print(r)
"""
    said = _in_a_child(code)
    assert f"(a geometry nested deeper than {MAX_NESTING} levels)" in said
