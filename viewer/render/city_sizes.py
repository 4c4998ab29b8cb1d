"""How many people live in a city the map marks: the label placement ranks city labels by it
(largest first), on screen and in every export.

A city feature's own ``population`` property wins; otherwise the packaged place list of the basemap
(``resources/basemap/places*.json.gz``, GeoNames, CC BY 4.0, made by ``tools/build_basemap.py``)
is asked for a city of that name within a few kilometres of the point. Only maps that mark
cities read that list (8-18 ms for the larger cities, the smaller ones only when needed), or the
index made of it the last time, kept in the app's cache folder (:func:`keep_cache_in`: 2-3 ms).
No Qt.
"""

from __future__ import annotations

import math
import numbers
import threading
from pathlib import Path

from viewer.model import mercator

__all__ = ["population_of", "NEAR_M"]

NEAR_M = 30_000.0  # a city of the same name this close is the same city
_WORLD = float(1 << 24)  # the place list's Web Mercator world units (viewer/render/basemap.py)
_lock = threading.Lock()
_tiers: list[dict[str, list[tuple[float, float, int]]]] = []
_loaded = 0  # tiers read so far


def _fold(text: str) -> str:
    text = text or ""
    if text.isascii():  # (most names: nothing to decompose)
        return text.casefold().strip()
    import unicodedata

    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()


_cache_dir: Path | None = None
_CACHE_FORMAT = "v1"


def keep_cache_in(folder: Path | None) -> None:
    """Where the place lists' indexes are kept between runs (the app's cache folder); None: not kept."""
    global _cache_dir
    _cache_dir = Path(folder) if folder is not None else None


def _read(name: str) -> dict[str, list[tuple[float, float, int]]]:
    from viewer import resources
    from viewer.render import kept_index

    source = resources.path("basemap", name)
    kept = kept_index.kept_file(_cache_dir, source, _CACHE_FORMAT)
    out = kept_index.read_kept(kept, _is_index) if kept is not None else None
    if out is not None:
        return out
    import gzip
    import json

    with gzip.open(source, "rt", encoding="utf-8") as fh:
        cities = json.load(fh)["cities"]
    out = {}
    for n, x, y, p in zip(cities["name"], cities["x"], cities["y"], cities["pop"]):
        out.setdefault(_fold(n), []).append((float(x), float(y), int(p)))
    if kept is not None:
        kept_index.keep(kept, out)
    return out


def _is_index(value) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, list) for k, v in value.items())


def _tier(i: int) -> dict[str, list[tuple[float, float, int]]] | None:
    global _loaded
    files = ("places.json.gz", "places_minor.json.gz")
    if i >= len(files):
        return None
    with _lock:
        while _loaded <= i:
            try:
                _tiers.append(_read(files[_loaded]))
            except (OSError, ValueError, KeyError):
                _tiers.append({})
            _loaded += 1
        return _tiers[i]


def _unit(lon: float, lat: float) -> tuple[float, float]:
    lat = max(-mercator.MAX_LAT, min(mercator.MAX_LAT, lat))
    s = math.sin(math.radians(lat))
    return (lon + 180.0) / 360.0, 0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)


def population_of(name: str, lat: float, lon: float, props: dict | None = None) -> int:
    """People living in the city ``name`` at (lat, lon); 0 when nothing says."""
    own = (props or {}).get("population")
    if isinstance(own, numbers.Real) and not isinstance(own, bool) and math.isfinite(own) and own > 0:
        return int(own)
    key = _fold(name)
    if not key:
        return 0
    x, y = _unit(lon, lat)
    # metres per world unit at this latitude (Web Mercator stretches by 1 / cos(lat))
    per_unit = 40_075_016.7 * math.cos(math.radians(max(-85.0, min(85.0, lat)))) / _WORLD
    for i in range(2):
        tier = _tier(i)
        if not tier:
            continue
        best = 0
        try:
            for cx, cy, pop in tier.get(key, ()):
                d = math.hypot(cx - x * _WORLD, cy - y * _WORLD) * per_unit
                if d <= NEAR_M and pop > best:
                    best = pop
        except (TypeError, ValueError):  # (a kept index not as written: as if the list said nothing)
            best = 0
        if best:
            return best
    return 0
