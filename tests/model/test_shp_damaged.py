"""A shapefile with bytes between its records that are no record (mbostock/shapefile's
ne_10m_time_zones.shp: 224 stray bytes in three places, no .shx) opens with every shape, the
bytes passed over and said (before: the shapes before the first stray byte only); and a layer
that says no system but reaches a little past the poles, as Natural Earth's does, is longitude
and latitude."""

from __future__ import annotations

import io
import struct

import pytest

from viewer.model.io.open_any import open_map_file
from viewer.model.io.shp_records import passed_over

SQUARES = [("Alpha", 10.0), ("Bravo", 20.0), ("Charlie", 30.0), ("Delta", 40.0)]


def _layer(tmp_path, junk: dict[int, bytes], with_shx: bool = True):
    """A polygon shapefile of SQUARES, ``junk`` put after the record of each number it names."""
    import shapefile

    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON) as w:
        w.field("name", "C", 20)
        for name, x in SQUARES:
            w.poly([[[x, 0.0], [x, 1.0], [x + 1.0, 1.0], [x + 1.0, 0.0], [x, 0.0]]])
            w.record(name)
    raw = shp.getvalue()
    out, pos, number = [raw[:100]], 100, 1
    while pos < len(raw):
        (words,) = struct.unpack(">i", raw[pos + 4:pos + 8])
        out.append(raw[pos:pos + 8 + 2 * words] + junk.get(number, b""))
        pos, number = pos + 8 + 2 * words, number + 1
    data = bytearray(b"".join(out))
    data[24:28] = struct.pack(">i", len(data) // 2)
    (tmp_path / "zones.shp").write_bytes(bytes(data))
    (tmp_path / "zones.dbf").write_bytes(dbf.getvalue())
    if with_shx:
        (tmp_path / "zones.shx").write_bytes(shx.getvalue())
    return tmp_path / "zones.shp"


# (a stray run that begins as record 2 would: its number, a length, the polygon type, but what
# follows it is no record 3)
LOOKALIKE = struct.pack(">ii", 2, 10) + struct.pack("<i", 5) + b"\x00" * 16 + b"\xff" * 20


@pytest.mark.parametrize("with_shx", [True, False], ids=["with-shx", "no-shx"])
@pytest.mark.parametrize("junk", [{1: b"\x00" * 96, 3: b"\xab" * 64}, {1: LOOKALIKE}], ids=["padding", "lookalike"])
def test_bytes_between_records_are_passed_over_and_said(tmp_path, junk, with_shx):
    scenario, report = open_map_file(_layer(tmp_path, junk, with_shx))
    got = [(f.name, f.geometry["coordinates"][0][0][0]) for f in scenario.features]
    assert sorted(got) == sorted(SQUARES)
    said = str(report)
    assert "bytes between its shapes that are no shape were passed over" in said
    assert f"{len(junk[1]):,} after shape 1" in said and report.left_out_count == 0


def test_a_whole_shapefile_is_not_rewritten():
    import shapefile

    shp = io.BytesIO()
    with shapefile.Writer(shp=shp, shx=io.BytesIO(), dbf=io.BytesIO(), shapeType=shapefile.POINT) as w:
        w.field("n", "N")
        for k in range(3):
            w.point(k, k)
            w.record(k)
    assert passed_over(shp.getvalue()) is None
    assert passed_over(shp.getvalue() + b"\x00" * 40) is None  # (stray bytes at its end: no record after them)


def test_a_layer_without_a_system_reaching_just_past_the_pole_is_longitude_latitude(tmp_path):
    import shapefile

    with shapefile.Writer(str(tmp_path / "cap"), shapeType=shapefile.POLYGON) as w:
        w.field("name", "C", 20)
        w.poly([[[-25.0, 43.5], [-25.0, 90.000206], [7.5, 90.000206], [7.5, 43.5], [-25.0, 43.5]]])
        w.record("Cap")
    scenario, report = open_map_file(tmp_path / "cap.shp")
    [cap] = scenario.features
    assert max(y for x, y in cap.geometry["coordinates"][0]) == 90.0
    assert "read as longitude/latitude" in str(report)


def test_a_dbf_that_cannot_be_read_leaves_the_shapes_opened_without_attributes(tmp_path):
    # (mapbox/shp-write's .dbf of no fields, its header's terminator missing: shapefile-js's
    # empty-shp.zip; before: the whole layer refused)
    path = _layer(tmp_path, {})
    (tmp_path / "zones.dbf").write_bytes(bytes.fromhex("0d740215040000002100010000000000000000000000000000000000"
                                                       "0000000000") + b"\x20" * 4 + b"\x1a")
    scenario, report = open_map_file(path)
    assert sorted(f.geometry["coordinates"][0][0][0] for f in scenario.features) == [10.0, 20.0, 30.0, 40.0]
    assert "its .dbf could not be read" in str(report) and "opened without their attributes" in str(report)


@pytest.mark.parametrize("cut", [0, 7])  # (a record's end, or bytes into the next)
def test_a_dbf_cut_short_keeps_the_attributes_of_the_records_it_holds(tmp_path, cut):
    # (a download or copy stopped part way: pyshp refuses a .dbf shorter than its header says;
    # before, every shape opened without its attributes)
    path = _layer(tmp_path, {})
    dbf = (tmp_path / "zones.dbf").read_bytes()
    _declared, header, size = struct.unpack("<IHH", dbf[4:12])
    (tmp_path / "zones.dbf").write_bytes(dbf[:header + 2 * size + cut])
    scenario, report = open_map_file(path)
    names = {f.geometry["coordinates"][0][0][0]: f.properties.get("name") for f in scenario.features}
    assert names == {10.0: "Alpha", 20.0: "Bravo", 30.0: None, 40.0: None}
    assert "its .dbf ends after record 2 of the 4 it declares" in str(report)
    assert "the shapes after it opened without their attributes" in str(report)
