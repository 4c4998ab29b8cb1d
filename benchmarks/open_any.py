"""Opening files from other tools as maps: the lenient opener against the strict reader of the same
map saved as a SitMap file, measured in the same run (ratio = lenient / strict; both validate every
feature and compute its drawn geometry once).

Files: the world countries GeoJSON (tests/data/realworld), Google's KML samples, a GPX track and a
generated 10,000-row CSV of points.

    .venv/bin/python benchmarks/open_any.py [--runs 3]
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


def main() -> int:
    from viewer.model import geometry
    from viewer.model.io.open_any import open_map_file
    from viewer.model.project import save_project
    from viewer.model.scenario import load_scenario

    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "points.csv"
        rng = random.Random(7)
        rows = ["name,latitude,longitude"] + [f"P{i},{rng.uniform(30, 45):.5f},{rng.uniform(120, 135):.5f}"
                                               for i in range(10_000)]
        csv_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        files = [REAL / "world.geo.json" / "countries.geo.json", REAL / "ogc-kml" / "KML_Samples.kml",
                 REAL / "gpxpy" / "Mojstrovka.gpx", csv_path]
        print(f"{'file':28} {'features':>8} {'lenient s':>10} {'strict s':>9} {'ratio':>6}")
        for path in files:
            scenario, _ = open_map_file(path)
            saved = Path(tmp) / (path.stem + ".sitmap.geojson")
            save_project(scenario, saved)

            def lenient():
                geometry._CACHE.clear()  # each run computes the drawn geometry, as a fresh open does
                open_map_file(path)

            def strict():
                geometry._CACHE.clear()
                s = load_scenario(saved)
                for f in s.features:  # the window draws what it reads: the same work the opener does
                    geometry.shape_of(f)

            lt, st = best(lenient, args.runs), best(strict, args.runs)
            print(f"{path.name:28} {len(scenario.features):8} {lt:10.3f} {st:9.3f} {lt / st:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
