"""How deep a WKB geometry's collections nest, read from its headers before GEOS reads it: GEOS's
WKB reader goes into each collection by recursion, and a geometry of 100,000 collections one
inside the other (a GeoPackage row of a megabyte) crashes the whole process. No Qt here."""

from __future__ import annotations

import struct

# The types GEOS's WKB reader reads (any other it refuses without going deeper), as it tells them from
# a type code: (code & 0xFFFF) % 1000, Z and M from (code & 0xFFFF) // 1000 (ISO) or the two high
# bits (extended WKB), an SRID after the code where the third bit is set. Those that hold other
# geometries, each with a header of its own: the multi types, the collection, the compound curve,
# the curve polygon, the multi curve and surface.
_CONTAINERS = frozenset((4, 5, 6, 7, 9, 10, 11, 12))
_POINT_LIKE = frozenset((1,))
_LINE_LIKE = frozenset((2, 8))  # LineString, CircularString: a count of positions
_RING_LIKE = frozenset((3,))  # Polygon: a count of rings, each a count of positions
_HEADERS = {0: struct.Struct(">I"), 1: struct.Struct("<I")}


def wkb_nests_deeper(blob: bytes, limit: int) -> bool:
    """Whether the WKB geometry (ISO or extended WKB, either byte order) has collections nested more
    than ``limit`` deep (a collection of points is 1), found before anything malformed, each header
    read as GEOS reads it; a blob that is malformed before it gets that deep is False (GEOS then
    reads no deeper than that and says what is wrong). Read without recursion, its positions passed
    over, not read."""
    b = memoryview(blob)
    n = len(b)
    pos = 0
    open_counts: list[int] = []  # the members still to read in each collection the walk is inside
    while True:
        if pos + 5 > n or b[pos] not in _HEADERS:
            return False
        uint = _HEADERS[b[pos]]
        code = uint.unpack_from(b, pos + 1)[0]
        pos += 5
        base, iso = (code & 0xFFFF) % 1000, (code & 0xFFFF) // 1000  # (as GEOS reads it)
        dims = 2 + (iso in (1, 3) or bool(code & 0x80000000)) + (iso in (2, 3) or bool(code & 0x40000000))
        if code & 0x20000000:
            pos += 4
        if base in _CONTAINERS:
            if len(open_counts) + 1 > limit:
                return True
            if pos + 4 > n:
                return False
            count = uint.unpack_from(b, pos)[0]
            pos += 4
            if count:
                open_counts.append(count)
                continue
        elif base in _POINT_LIKE:
            pos += 8 * dims
        elif base in _LINE_LIKE:
            if pos + 4 > n:
                return False
            pos += 4 + 8 * dims * uint.unpack_from(b, pos)[0]
        elif base in _RING_LIKE:
            if pos + 4 > n:
                return False
            rings = uint.unpack_from(b, pos)[0]
            pos += 4
            for _ in range(rings):
                if pos + 4 > n:
                    return False
                pos += 4 + 8 * dims * uint.unpack_from(b, pos)[0]
        else:
            return False  # (a type GEOS does not know: it says so without going deeper)
        # one geometry read: the collections it ends
        while open_counts:
            open_counts[-1] -= 1
            if open_counts[-1]:
                break
            open_counts.pop()
        if not open_counts:
            return False
