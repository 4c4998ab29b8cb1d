"""Build the basemap tiles of the built-in map's first view into the package, so that the first
start after an install (SitMap's tile store still empty) draws them at once instead of building
them (0.2-0.3 s, with numpy's and shapely's imports) while the map waits.

The tiles are those the app builds itself (``Basemap.tile``, from the Natural Earth data in
resources/basemap, public domain), at zooms 4 and 5 over the built-in scenario's view and more
around it (windows of other shapes). They are written with the fingerprint of the data and the code that
built them (:func:`viewer.render.basemap_store.fingerprint`); the app serves them only while that
still matches. tests/render/test_basemap_store.py fails when they no longer match.

    .venv/bin/python tools/build_first_tiles.py
"""

from __future__ import annotations

import gzip
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ZOOMS = (4, 5)
OUT = ("tiles", "first_view.json.gz")


def _tile_x(lon: float, z: int) -> int:
    return min(2 ** z - 1, max(0, int((lon + 180.0) / 360.0 * 2 ** z)))


def _tile_y(lat: float, z: int) -> int:
    r = math.radians(max(-85.0, min(85.0, lat)))
    return min(2 ** z - 1, max(0, int((1.0 - math.asinh(math.tan(r)) / math.pi) / 2.0 * 2 ** z)))


def first_view_tiles() -> list[tuple[int, int, int]]:
    """(z, x, y) of the tiles over the built-in scenario's view, padded by its width each way across
    and twice its height each way up and down."""
    from viewer import resources
    from viewer.model.scenario import load_scenario
    from viewer.render import layers

    s = load_scenario(resources.default_scenario())
    (south, west), (north, east) = layers.view_of(s, layers.draw_scenario(s))["bounds"]
    h, w = north - south, east - west
    south, north, west, east = south - 2 * h, north + 2 * h, west - w, east + w  # (a tall map window too)
    return [(z, x, y) for z in ZOOMS for x in range(_tile_x(west, z), _tile_x(east, z) + 1)
            for y in range(_tile_y(north, z), _tile_y(south, z) + 1)]


def build() -> dict:
    from viewer.render.basemap import Basemap
    from viewer.render.basemap_store import fingerprint

    basemap = Basemap.load()
    tiles = {f"{z}/{x}/{y}": basemap.tile(z, x, y).decode("utf-8") for z, x, y in first_view_tiles()}
    return {"fingerprint": fingerprint(), "tiles": tiles}


def main() -> int:
    from viewer import resources

    data = build()
    out = resources.path(*OUT)
    out.write_bytes(gzip.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
                                  mtime=0))
    print(f"{out}: {len(data['tiles'])} tiles, {out.stat().st_size / 1e3:.0f} kB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
