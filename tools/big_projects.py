"""Large projects for the benchmarks and the tests (one generator for both, deterministic).

    .venv/bin/python tools/big_projects.py points 100000 OUT.geojson [--seed 1]
    .venv/bin/python tools/big_projects.py mixed 100000 OUT.geojson

``points``: the built-in scenario plus N point annotations (kind place, role marker, annotation
true, name "P<n>", id "p-<n>") spread over its region (33.2-43.3 N, 116-140.5 E).
``mixed``: the built-in scenario plus N annotations, half paths (3-5 vertices) and half areas
(squares of a quarter or half degree), each a few tens of kilometres across, over the same region.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WEST, EAST, SOUTH, NORTH = 116.0, 140.5, 33.2, 43.3


def _base() -> dict:
    from viewer import resources

    return json.loads(resources.default_scenario().read_text(encoding="utf-8"))


def point_features(n: int, seed: int = 1):
    rng = random.Random(seed)
    for i in range(1, n + 1):
        yield {"type": "Feature", "id": f"p-{i}",
               "geometry": {"type": "Point", "coordinates": [round(rng.uniform(WEST, EAST), 5),
                                                             round(rng.uniform(SOUTH, NORTH), 5)]},
               "properties": {"kind": "place", "role": "marker", "annotation": True, "name": f"P{i}",
                              "status": "estimated", "source": "Analyst"}}


def mixed_features(n: int, seed: int = 1):
    rng = random.Random(seed)
    for i in range(1, n + 1):
        lon, lat = rng.uniform(WEST, EAST - 0.5), rng.uniform(SOUTH, NORTH - 0.5)
        if i % 2:
            k = rng.randint(3, 5)
            coords = [[round(lon + 0.1 * j, 5), round(lat + rng.uniform(-0.1, 0.1), 5)] for j in range(k)]
            yield {"type": "Feature", "id": f"l-{i}", "geometry": {"type": "LineString", "coordinates": coords},
                   "properties": {"kind": "path", "annotation": True, "name": f"L{i}", "status": "estimated",
                                  "source": "Analyst"}}
        else:
            # Quarter-degree corners: the reader's unwrapping keeps them exact (with arbitrary
            # decimals it can leave the closing corner a rounding error off, and refuse the square).
            lon, lat = round(lon * 4) / 4, round(lat * 4) / 4
            d = rng.choice((0.25, 0.5))
            ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]
            yield {"type": "Feature", "id": f"a-{i}",
                   "geometry": {"type": "Polygon", "coordinates": [ring]},
                   "properties": {"kind": "area", "annotation": True, "name": f"A{i}", "status": "estimated",
                                  "source": "Analyst"}}


def write_project(path: Path, n: int, kind: str = "points", seed: int = 1) -> Path:
    """The built-in scenario with ``n`` generated annotations, written compact to ``path``."""
    doc = _base()
    gen = point_features if kind == "points" else mixed_features
    doc["features"].extend(gen(n, seed))
    path = Path(path)
    path.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return path


def write_geopackage(path: Path, srs: int, wkbs: list[bytes], extra_sql: str = "") -> Path:
    """A minimal GeoPackage as GDAL lays one out: one feature table ``t`` (fid, geom, name "n<fid>")
    of the given WKB geometries in EPSG ``srs`` (4326, or 3857, which it describes), then
    ``extra_sql``. For the open_any benchmark and the GeoPackage tests."""
    import sqlite3
    import struct

    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY, organization TEXT,
            organization_coordsys_id INTEGER, definition TEXT, description TEXT);
        CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT, identifier TEXT, description TEXT,
            last_change TEXT, min_x REAL, min_y REAL, max_x REAL, max_y REAL, srs_id INTEGER);
        CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, geometry_type_name TEXT,
            srs_id INTEGER, z TINYINT, m TINYINT);
        CREATE TABLE t (fid INTEGER PRIMARY KEY, geom BLOB, name TEXT);
        INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 / Pseudo-Mercator', 3857, 'EPSG', 3857, 'undefined', '');
    """)
    db.execute("INSERT INTO gpkg_contents VALUES ('t', 'features', 't', '', '', 0, 0, 0, 0, ?)", (srs,))
    db.execute("INSERT INTO gpkg_geometry_columns VALUES ('t', 'geom', 'GEOMETRY', ?, 0, 0)", (srs,))
    head = b"GP\x00\x01" + struct.pack("<i", srs)  # (version 0, little-endian, no envelope)
    db.executemany("INSERT INTO t VALUES (?, ?, ?)", ((i, head + w, f"n{i}") for i, w in enumerate(wkbs, start=1)))
    db.executescript(extra_sql)
    db.commit()
    db.close()
    return Path(path)


def write_points_project(path: Path, n: int, seed: int = 1) -> Path:
    return write_project(path, n, "points", seed)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", choices=("points", "mixed"))
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    write_project(a.out, a.n, a.kind, a.seed)
    print(f"{a.out}: {a.n:,} {a.kind}, {a.out.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
