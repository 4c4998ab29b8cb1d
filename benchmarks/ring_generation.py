"""Range-ring generation speed: viewer.model.geodesy.range_ring versus a plain geopy loop.

For each radius, rings are generated around the same random centres (fixed
seed) at the default density.  The geopy baseline computes, for every ring,
the same number of vertices as range_ring produced, at evenly spaced bearings,
with ``geopy.distance.geodesic(meters=r).destination(centre, bearing)`` (the
distance object is built once per ring, which favours geopy slightly).  The
baseline does no adaptive density, pole or antimeridian handling: it only
measures the cost of the raw vertices.

Run:  .venv/bin/python benchmarks/ring_generation.py [rings_per_radius] [repeats]
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geopy.distance import geodesic  # noqa: E402

from viewer.model.geodesy import range_ring  # noqa: E402

RADII_M = (380_000.0, 2_000_000.0, 13_000_000.0)


def random_centres(n: int, seed: int = 20240601) -> list[tuple[float, float]]:
    rng = random.Random(seed)
    return [(rng.uniform(-85.0, 85.0), rng.uniform(-180.0, 180.0)) for _ in range(n)]


def bench_range_ring(centres, radius):
    counts = []
    start = time.perf_counter()
    for lat, lon in centres:
        ring = range_ring(lat, lon, radius)
        counts.append(len(ring.ring_vertices()))
    elapsed = time.perf_counter() - start
    return elapsed, counts


def bench_geopy(centres, radius, counts):
    start = time.perf_counter()
    for (lat, lon), n in zip(centres, counts):
        dist = geodesic(meters=radius)
        step = 360.0 / n
        ring = [dist.destination((lat, lon), i * step) for i in range(n)]
        assert len(ring) == n
    return time.perf_counter() - start


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    centres = random_centres(n)
    # warm-up (imports, caches)
    range_ring(10.0, 10.0, 1000.0)
    geodesic(meters=1000.0).destination((10.0, 10.0), 45.0)

    print(f"{n} rings per radius around random centres (|lat| <= 85), default tolerance;")
    print(f"best of {repeats} interleaved runs (the machine may be shared)")
    header = f"{'radius':>10} {'vertices':>9} {'range_ring':>20} {'geopy loop':>20} {'speed-up':>9}"
    print(header)
    print("-" * len(header))
    for radius in RADII_M:
        ring_times, geopy_times = [], []
        counts: list[int] = []
        for _ in range(repeats):
            t, counts = bench_range_ring(centres, radius)
            ring_times.append(t)
            geopy_times.append(bench_geopy(centres, radius, counts))
        t_ring, t_geopy = min(ring_times), min(geopy_times)
        print(
            f"{radius / 1000:>7.0f} km {statistics.mean(counts):>9.1f} "
            f"{n / t_ring:>7.0f} rings/s {t_ring / n * 1e3:>5.2f} ms "
            f"{n / t_geopy:>7.0f} rings/s {t_geopy / n * 1e3:>5.2f} ms "
            f"{t_geopy / t_ring:>8.2f}x"
        )


if __name__ == "__main__":
    main()
