"""The GeoPackage export packs a point's geometry itself (a large map's points: most of its
features) instead of making a shapely geometry of each: the same bytes as shapely writes, the
envelope [x, x, y, y] before little-endian WKB."""

from __future__ import annotations

import random
import struct

import shapely
from shapely.geometry import Point

from viewer.export.geopackage import _gp_blob


def _made_by_shapely(x: float, y: float) -> bytes:
    head = b"GP" + bytes([0, 0b00000011]) + struct.pack("<i", 4326) + struct.pack("<4d", x, x, y, y)
    return head + shapely.to_wkb(Point(x, y), byte_order=1, output_dimension=2)


def test_a_point_blob_is_what_shapely_writes():
    rng = random.Random(5)
    points = [(rng.uniform(-180, 180), rng.uniform(-90, 90)) for _ in range(500)]
    points += [(-0.0, 0.0), (180.0, -90.0), (-180.0, 90.0), (1e-300, -1e-300), (125.6733, 39.2002)]
    for x, y in points:
        blob, env = _gp_blob({"type": "Point", "coordinates": [x, y]}, "POINT")
        assert blob == _made_by_shapely(x, y) and env == (x, x, y, y)
    # (a height is not written: the table is two-dimensional, as shapely's output_dimension=2 makes it)
    blob, _ = _gp_blob({"type": "Point", "coordinates": [10, 20, 300.0]}, "POINT")
    assert blob == _made_by_shapely(10.0, 20.0)
    # (an integer position is written as the double it is)
    assert _gp_blob({"type": "Point", "coordinates": [1, 2]}, "POINT")[0] == _made_by_shapely(1.0, 2.0)
