"""Opening files from other tools as maps: the lenient opener against the strict reader of the same
map saved as a SitMap file, measured in the same run (ratio = lenient / strict; both validate every
feature and compute its drawn geometry once).

Files: the world countries GeoJSON (tests/data/realworld), Google's KML samples, a GPX track, a
generated 10,000-row CSV of points, Oregon's GeoPackage (two tables in state plane feet: converted),
a zipped shapefile of 673 block groups, and a generated GeoPackage of 10,000 points in Web Mercator.

Then the exchange files of a large map (``--exchange N``, 100,000 points by default; 0 skips it):
the map of N points (tools/big_projects.py) written by SitMap's own exports as GeoJSON, KML,
GeoPackage and CSV, each timed as written and as opened, against the map's SitMap file opened.

    .venv/bin/python benchmarks/open_any.py [--runs 3] [--exchange 100000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REAL = ROOT / "tests" / "data" / "realworld"


def best(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def write_points_gpkg(path: Path, n: int, seed: int = 7) -> Path:
    """A GeoPackage (tools/big_projects.py) of n points in Web Mercator (EPSG:3857)."""
    import math
    import struct

    from tools.big_projects import write_geopackage

    rng = random.Random(seed)
    r = 6378137.0
    wkbs = []
    for _ in range(n):
        lon, lat = rng.uniform(120, 135), rng.uniform(30, 45)
        wkbs.append(struct.pack("<BIdd", 1, 1, math.radians(lon) * r,
                                r * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))))
    return write_geopackage(path, 3857, wkbs)


def exchange(tmp: Path, n: int, runs: int) -> None:
    """A map of ``n`` points through each exchange format SitMap writes: written, then opened."""
    import gc

    from tools.big_projects import write_project
    from viewer.export.writers import writer_for
    from viewer.model import geometry
    from viewer.model.io.open_any import open_map_file
    from viewer.model.scenario import load_scenario

    own = write_project(tmp / "exchanged.geojson", n, "points")
    scenario = load_scenario(own)

    def strict():
        s = load_scenario(own)
        geometry.prepare_many(s.features)

    st = best(strict, runs)
    print(f"A map of {n:,} points: its SitMap file opened in {st:.2f} s")
    print(f"{'format':10} {'written s':>9} {'MB':>6} {'opened s':>9} {'ratio':>6} {'features':>8}")
    for suffix in (".geojson", ".kml", ".gpkg", ".csv"):
        path = tmp / f"exchanged-out{suffix}"
        wt = best(lambda: writer_for(path).write(scenario, path), 1)
        got: list = []
        ot = best(lambda: got.append(len(open_map_file(path)[0].features)), runs)
        print(f"{suffix[1:]:10} {wt:9.2f} {path.stat().st_size / 1e6:6.1f} {ot:9.2f} {ot / st:6.2f} {got[-1]:8}")
        got.clear()
        gc.collect()
    print()


def main() -> int:
    from viewer.model import geometry
    from viewer.model.io.open_any import open_map_file
    from viewer.model.project import save_project
    from viewer.model.scenario import load_scenario

    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--exchange", type=int, default=100_000, help="points in the exchanged map (0: skip)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.exchange:
            exchange(Path(tmp), args.exchange, args.runs)
        csv_path = Path(tmp) / "points.csv"
        rng = random.Random(7)
        rows = ["name,latitude,longitude"] + [f"P{i},{rng.uniform(30, 45):.5f},{rng.uniform(120, 135):.5f}"
                                               for i in range(10_000)]
        csv_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        files = [REAL / "world.geo.json" / "countries.geo.json", REAL / "ogc-kml" / "KML_Samples.kml",
                 REAL / "gpxpy" / "Mojstrovka.gpx", csv_path, REAL / "mapshaper" / "Oregon.gpkg",
                 REAL / "pyshp" / "blockgroups.zip", write_points_gpkg(Path(tmp) / "points-3857.gpkg", 10_000)]
        print(f"{'file':28} {'features':>8} {'lenient s':>10} {'strict s':>9} {'ratio':>6}")
        for path in files:
            scenario, _ = open_map_file(path)
            saved = Path(tmp) / (path.stem + ".sitmap.geojson")
            save_project(scenario, saved)

            def lenient():  # (each open makes new features: their drawn geometry is worked out anew)
                open_map_file(path)

            def strict():
                s = load_scenario(saved)
                geometry.prepare_many(s.features)  # (as the window draws a map: a large one's together, in C)
                for f in s.features:  # the window draws what it reads: the same work the opener does
                    geometry.shape_of(f)

            lt, st = best(lenient, args.runs), best(strict, args.runs)
            print(f"{path.name:28} {len(scenario.features):8} {lt:10.3f} {st:9.3f} {lt / st:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
