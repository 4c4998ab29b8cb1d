"""A bounded on-disk cache of online map tiles already seen, so a view shown once works
offline later. Only tiles the map asked for are stored (nothing is fetched ahead); the
oldest are dropped when the cache grows past its size. No Qt.

Layout: ``<folder>/<source>/<z>/<x>/<y>.tile`` where ``source`` is a short hash of the
provider's URL template, so two providers never share tiles.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from pathlib import Path

__all__ = ["TileCache", "source_key", "online_page_url", "online_page_spec"]

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
FRESH_SECONDS = 7 * 24 * 3600  # younger tiles are used without asking the network


def source_key(url_template: str) -> str:
    return hashlib.sha256(url_template.encode("utf-8")).hexdigest()[:16]


def online_page_url(app_base: str, template: str) -> str:
    """The URL template a page uses for an online layer: the app fetches and caches its tiles.

    A token new for every page keeps the browser from reusing tiles that an earlier page
    loaded: the tile cache here is the one cache, bounded, and the one that works offline."""
    import secrets

    return f"{app_base}online/{source_key(template)}/{{z}}/{{x}}/{{y}}?page={secrets.token_hex(4)}"


def online_page_spec(app_base: str, spec: dict) -> dict:
    return dict(spec, url=online_page_url(app_base, spec["url"]))


class TileCache:
    def __init__(self, folder: Path | str, max_bytes: int = DEFAULT_MAX_BYTES):
        self.folder = Path(folder)
        self.max_bytes = int(max_bytes)
        self._lock = threading.Lock()
        self._sizes: dict[Path, int] | None = None  # path -> size, filled on first use
        self._total = 0

    def _path(self, source: str, z: int, x: int, y: int) -> Path:
        if not (source.isalnum() and all(isinstance(v, int) and v >= 0 for v in (z, x, y))):
            raise ValueError("bad tile key")
        return self.folder / source / str(z) / str(x) / f"{y}.tile"

    def _index(self) -> dict[Path, int]:
        if self._sizes is None:
            self._sizes = {}
            if self.folder.is_dir():
                for p in self.folder.rglob("*.tile"):
                    try:
                        self._sizes[p] = p.stat().st_size
                    except OSError:
                        continue
            self._total = sum(self._sizes.values())
        return self._sizes

    def get(self, source: str, z: int, x: int, y: int) -> tuple[bytes, float] | None:
        """(tile bytes, age in seconds) or None."""
        p = self._path(source, z, x, y)
        try:
            data = p.read_bytes()
            age = time.time() - p.stat().st_mtime
        except OSError:
            return None
        return data, max(0.0, age)

    def put(self, source: str, z: int, x: int, y: int, data: bytes) -> None:
        if len(data) > self.max_bytes // 4:
            return
        p = self._path(source, z, x, y)
        with self._lock:
            sizes = self._index()
            try:
                p.parent.mkdir(parents=True, exist_ok=True)
                tmp = p.with_suffix(".part")
                tmp.write_bytes(data)
                os.replace(tmp, p)
            except OSError:
                return  # a full or read-only disk: the map works on without the cache
            self._total += len(data) - sizes.get(p, 0)
            sizes[p] = len(data)
            if self._total > self.max_bytes:
                self._evict()

    def _evict(self) -> None:
        """Drop the least recently stored tiles until the cache is at 90% of its size."""
        sizes = self._index()
        aged = []
        for p in sizes:
            try:
                aged.append((p.stat().st_mtime, p))
            except OSError:
                aged.append((0.0, p))
        aged.sort()
        target = int(self.max_bytes * 0.9)
        for _, p in aged:
            if self._total <= target:
                break
            try:
                p.unlink()
            except OSError:
                pass
            self._total -= sizes.pop(p, 0)

    @property
    def total_bytes(self) -> int:
        with self._lock:
            self._index()
            return self._total
