"""Built-in basemap tiles kept on disk once built, so the next start, export or view of the same
place serves them at once instead of loading the basemap data and building them again.

A tile depends only on the basemap's data and the code that builds it: the store's key is a
hash of both (``basemap.json`` and the builder modules' source), so new data or new code never
serves an old tile. Bounded like the online tile cache (:class:`TileCache`). No Qt.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

from viewer import resources
from viewer.render.tile_cache import TileCache

BUILDERS = ("viewer.render.basemap", "viewer.render.basemap_labels", "viewer.render.city_sizes")
MAX_BYTES = 64 * 1024 * 1024
UNNAMED_DATA = ("country_spots.json",)  # read by the builders, not listed in basemap.json


def fingerprint() -> str:
    """What the built tiles depend on: the basemap's metadata (which names its data files and
    their sizes), the data it does not name (the countries' other label spots) and the source of
    the modules that build tiles from them."""
    h = hashlib.sha256()
    h.update(resources.path("basemap", "basemap.json").read_bytes())
    for extra in UNNAMED_DATA:
        path = resources.path("basemap", extra)
        h.update(path.read_bytes() if path.is_file() else b"-")
    for name in BUILDERS:
        spec = importlib.util.find_spec(name)
        origin = Path(spec.origin) if spec is not None and spec.origin else None
        try:
            h.update(origin.read_bytes() if origin is not None else name.encode())
        except OSError:  # a bundle without sources: its version stands for its code
            from viewer import __version__

            h.update(f"{name} {__version__}".encode())
    return "b" + h.hexdigest()[:15]


class BuiltTiles:
    """Tiles of the built-in basemap in a folder, under the current fingerprint."""

    def __init__(self, folder: Path | str, max_bytes: int = MAX_BYTES):
        self._cache = TileCache(folder, max_bytes)
        self._source: str | None = None

    @property
    def source(self) -> str:
        if self._source is None:
            self._source = fingerprint()
        return self._source

    def get(self, z: int, x: int, y: int) -> bytes | None:
        try:
            found = self._cache.get(self.source, z, x, y)
        except (OSError, ValueError):
            found = None
        if found is None or not (found[0][:1] == b"{" and found[0][-1:] == b"}"):
            return shipped_tile(self.source, z, x, y)  # not there, or not a whole tile (else built again)
        return found[0]

    def put(self, z: int, x: int, y: int, data: bytes) -> None:
        try:
            self._cache.put(self.source, z, x, y, data)
        except (OSError, ValueError):
            pass  # a full or read-only disk: tiles are built as before


SHIPPED = ("tiles", "first_view.json.gz")  # built by tools/build_first_tiles.py
_shipped: dict[str, dict[str, str]] = {}


def shipped_tile(source: str, z: int, x: int, y: int) -> bytes | None:
    """A tile of the built-in map's first view as the package ships it (a first start draws them
    at once), if it was built from the same data and code (``source``, :func:`fingerprint`)."""
    tiles = _shipped.get(source)
    if tiles is None:
        import gzip
        import json

        try:
            data = json.loads(gzip.decompress(resources.path(*SHIPPED).read_bytes()))
            tiles = data["tiles"] if data.get("fingerprint") == source and isinstance(data.get("tiles"), dict) else {}
        except (OSError, ValueError, KeyError, AttributeError, EOFError):
            tiles = {}
        _shipped[source] = tiles
    tile = tiles.get(f"{z}/{x}/{y}")
    return tile.encode("utf-8") if isinstance(tile, str) else None
