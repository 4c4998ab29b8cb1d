"""Tile packages the user brings: MBTiles (SQLite) and PMTiles (v3) archives.

Raster tiles (PNG, JPEG, WebP) are served as they are; vector tiles (Mapbox Vector
Tiles) are decoded and handed to the page in the built-in basemap's tile JSON (see
``viewer.render.basemap``), so they are drawn by the same painter in the same style.
Nothing here needs Qt; the UI serves the tiles through its ``sitmap:`` scheme.

Opening is strict about what it reads and lenient in what it accepts: every problem
(missing, empty, truncated, not an archive, an unknown tile format, a broken SQLite
file) is one :class:`TilePackageError` with a one-line reason. An MBTiles file is
opened read-only through an SQLite URI and only with parameterised queries, so a file
name cannot be SQL. Tiles are looked up for valid addresses only.

``REGISTRY`` holds the packages the app has open and which one (if any) is the
chosen basemap; the screen and every export read the same choice.
"""

from __future__ import annotations

import hashlib
import json
import math
import numbers
import os
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["TilePackage", "TilePackageError", "open_package", "Registry", "REGISTRY", "mvt_to_tile_json",
           "VECTOR", "RASTER_MIME"]

VECTOR = "pbf"
RASTER_MIME = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}
_SQLITE_MAGIC = b"SQLite format 3\x00"
_PMTILES_MAGIC = b"PMTiles"
_MAX_TILE_BYTES = 8 * 1024 * 1024
_MAX_META_BYTES = 1024 * 1024
_LAT_MAX = 85.0511287798066
_CHECK_BELOW = 256 * 1024 * 1024


class TilePackageError(ValueError):
    """A tile package that cannot be used, with a one-line reason for the user."""


def _sniff_format(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def _norm_format(value: Any) -> str | None:
    v = str(value or "").strip().lower()
    return {"png": "png", "jpg": "jpg", "jpeg": "jpg", "webp": "webp", "pbf": VECTOR, "mvt": VECTOR}.get(v)


def _gunzip(data: bytes) -> bytes:
    if data[:2] == b"\x1f\x8b":
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = d.decompress(data, _MAX_TILE_BYTES * 4)
        if d.unconsumed_tail:
            raise TilePackageError("a vector tile unpacks to more than 32 MB")
        return out
    return data


def _clean_text(value: Any, limit: int = 300) -> str:
    """Metadata text as one plain line (it is only ever shown as text)."""
    text = " ".join(str(value or "").split())
    return text[:limit]


@dataclass
class TilePackage:
    """One open archive. ``tile(z, x, y)`` gives the stored bytes (vector tiles unzipped) or None."""

    path: Path
    kind: str  # "mbtiles" | "pmtiles"
    format: str  # "png" | "jpg" | "webp" | "pbf"
    name: str
    attribution: str
    min_zoom: int
    max_zoom: int
    bounds: tuple[float, float, float, float]  # west, south, east, north
    _get: Any = field(repr=False, default=None)
    _close: Any = field(repr=False, default=None)

    @property
    def id(self) -> str:
        return hashlib.sha256(str(self.path).encode("utf-8")).hexdigest()[:16]

    @property
    def is_vector(self) -> bool:
        return self.format == VECTOR

    def covers(self, z: int, x: int, y: int) -> bool:
        """Is the tile within the package's zooms and bounds?"""
        if not self.min_zoom <= z <= self.max_zoom:
            return False
        w, s, e, n = self.bounds
        n_tiles = 1 << z
        x0 = math.floor((w + 180.0) / 360.0 * n_tiles)
        x1 = math.floor((min(e, 179.9999999) + 180.0) / 360.0 * n_tiles)
        y0, y1 = _lat_to_ty(n, z), _lat_to_ty(s, z)
        return x0 <= x <= x1 and y0 <= y <= y1

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        for name, v in (("z", z), ("x", x), ("y", y)):
            if isinstance(v, bool) or not isinstance(v, numbers.Integral):
                raise ValueError(f"tile {name} must be an integer, got {v!r}")
        if not (0 <= z <= 30 and 0 <= x < (1 << z) and 0 <= y < (1 << z)):
            raise ValueError(f"tile {z}/{x}/{y} does not exist")
        try:
            data = self._get(int(z), int(x), int(y))
        except TilePackageError:
            raise
        except Exception as e:  # a damaged archive: say so, never crash the caller
            raise TilePackageError(f"{self.path.name}: tile {z}/{x}/{y} cannot be read ({_short(e)})") from None
        if data is None:
            return None
        data = bytes(data)
        if len(data) > _MAX_TILE_BYTES:
            raise TilePackageError(f"{self.path.name}: tile {z}/{x}/{y} is larger than 8 MB")
        return _gunzip(data) if self.is_vector else data

    def describe(self) -> str:
        w, s, e, n = self.bounds
        kind = "vector" if self.is_vector else self.format.upper()
        return (f"{self.name} — {self.kind.upper()} {kind}, zooms {self.min_zoom}–{self.max_zoom}, "
                f"bounds {w:.2f}, {s:.2f}, {e:.2f}, {n:.2f}")

    def page_spec(self, url_base: str) -> dict[str, Any]:
        """What the page needs to show this package (``url_base`` + ``{z}/{x}/{y}``)."""
        w, s, e, n = self.bounds
        return {"id": self.id, "name": self.name, "attribution": self.attribution,
                "vector": self.is_vector, "format": self.format,
                "url": f"{url_base}{self.id}/{{z}}/{{x}}/{{y}}.{'json' if self.is_vector else self.format}",
                "minZoom": self.min_zoom, "maxZoom": self.max_zoom, "bounds": [[s, w], [n, e]]}

    def close(self) -> None:
        if self._close is not None:
            try:
                self._close()
            finally:
                self._close = None


def _lat_to_ty(lat: float, z: int) -> int:
    lat = max(-_LAT_MAX, min(_LAT_MAX, lat))
    s = math.sin(math.radians(lat))
    fy = 0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)
    return min((1 << z) - 1, max(0, math.floor(fy * (1 << z))))


def _short(e: BaseException) -> str:
    text = " ".join(str(e).split()) or type(e).__name__
    return text[:160]


def _bounds(value: Any) -> tuple[float, float, float, float]:
    try:
        if isinstance(value, str):
            value = value.split(",")
        w, s, e, n = (float(v) for v in value)
    except (TypeError, ValueError):
        return (-180.0, -_LAT_MAX, 180.0, _LAT_MAX)
    if not all(math.isfinite(v) for v in (w, s, e, n)) or not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
        return (-180.0, -_LAT_MAX, 180.0, _LAT_MAX)
    return (w, s, e, n)


def _zoom(value: Any, default: int) -> int:
    try:
        z = int(float(value))
    except (TypeError, ValueError):
        return default
    return z if 0 <= z <= 30 else default


# ----------------------------------------------------------------------------- opening
def open_package(path: Path | str) -> TilePackage:
    """Open an MBTiles or PMTiles file. Raises TilePackageError with a one-line reason."""
    path = Path(path).expanduser()
    label = path.name or str(path)
    try:
        path = path.resolve()
        size = path.stat().st_size
        if not path.is_file():
            raise TilePackageError(f"{label}: not a file")
        with open(path, "rb") as fh:
            head = fh.read(127)
    except TilePackageError:
        raise
    except OSError as e:
        raise TilePackageError(f"{label}: cannot be read ({e.strerror or _short(e)})") from None
    if size == 0:
        raise TilePackageError(f"{label}: the file is empty")
    if head.startswith(_SQLITE_MAGIC):
        return _open_mbtiles(path, label)
    if head.startswith(_PMTILES_MAGIC):
        return _open_pmtiles(path, label, size)
    raise TilePackageError(f"{label}: not an MBTiles or PMTiles archive")


def _open_mbtiles(path: Path, label: str) -> TilePackage:
    import sqlite3  # (only for an MBTiles package: not imported by every start and export)

    # Read-only, immutable: SQLite writes nothing (no journal) and takes no lock.
    uri = path.as_uri() + "?mode=ro&immutable=1"
    try:
        con = sqlite3.connect(uri, uri=True, check_same_thread=False)
    except sqlite3.Error as e:
        raise TilePackageError(f"{label}: cannot be opened as SQLite ({_short(e)})") from None
    lock = threading.Lock()
    try:
        con.execute("PRAGMA query_only = ON")
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        if "tiles" not in names:
            raise TilePackageError(f"{label}: an SQLite file without a 'tiles' table is not MBTiles")
        meta: dict[str, str] = {}
        if "metadata" in names:
            for k, v in con.execute("SELECT name, value FROM metadata LIMIT 1000"):
                if isinstance(k, str) and isinstance(v, (str, int, float)) and len(str(v)) <= _MAX_META_BYTES:
                    meta[k] = str(v)
        first = con.execute("SELECT zoom_level, tile_data FROM tiles LIMIT 1").fetchone()
        if first is None:
            raise TilePackageError(f"{label}: the archive holds no tiles")
        zr = con.execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
        if path.stat().st_size <= _CHECK_BELOW:
            # one full read of the file: a truncated or damaged one fails here, once (bigger
            # archives are not read whole on opening; a damaged tile is then reported when asked for)
            check = con.execute("PRAGMA quick_check(1)").fetchone()
            if not check or check[0] != "ok":
                raise TilePackageError(f"{label}: the SQLite file is damaged ({_short(check[0] if check else '')})")
    except TilePackageError:
        con.close()
        raise
    except sqlite3.Error as e:
        con.close()
        raise TilePackageError(f"{label}: damaged or not MBTiles ({_short(e)})") from None
    data = first[1]
    if not isinstance(data, bytes):
        con.close()
        raise TilePackageError(f"{label}: its tiles are not binary data")
    fmt = _norm_format(meta.get("format")) or _sniff_format(data)
    if fmt is None and (data[:2] == b"\x1f\x8b" or data[:1] == b"\x1a"):
        fmt = VECTOR
    if fmt is None:
        con.close()
        raise TilePackageError(f"{label}: unknown tile format (expected PNG, JPEG, WebP or vector tiles)")
    zmin = _zoom(meta.get("minzoom"), int(zr[0]))
    zmax = _zoom(meta.get("maxzoom"), int(zr[1]))

    def get(z: int, x: int, y: int) -> bytes | None:
        with lock:
            row = con.execute("SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                              (z, x, (1 << z) - 1 - y)).fetchone()  # MBTiles rows count from the south (TMS)
        return None if row is None or not isinstance(row[0], bytes) else row[0]

    def close() -> None:
        with lock:
            con.close()

    return TilePackage(path=path, kind="mbtiles", format=fmt, name=_clean_text(meta.get("name")) or path.stem,
                       attribution=_clean_text(meta.get("attribution")), min_zoom=min(zmin, zmax),
                       max_zoom=max(zmin, zmax), bounds=_bounds(meta.get("bounds")), _get=get, _close=close)


def _open_pmtiles(path: Path, label: str, size: int) -> TilePackage:
    from pmtiles.reader import Reader
    from pmtiles.tile import Compression, TileType

    fh = open(path, "rb")
    lock = threading.Lock()

    def get_bytes(offset: int, length: int) -> bytes:
        if offset < 0 or length < 0 or offset + length > size:
            raise TilePackageError(f"{label}: the archive is truncated (a part lies past its end)")
        with lock:
            fh.seek(offset)
            return fh.read(length)

    reader = Reader(get_bytes)
    try:
        header = reader.header()
        if header["metadata_length"] > _MAX_META_BYTES * 16:
            raise TilePackageError(f"{label}: its metadata is larger than 16 MB")
        for part in ("root", "metadata", "leaf_directory", "tile_data"):
            if header[f"{part}_offset"] + header[f"{part}_length"] > size:
                raise TilePackageError(f"{label}: the archive is truncated ({part.replace('_', ' ')} lies past its end)")
        meta = reader.metadata()
        if not isinstance(meta, dict):
            meta = {}
        tile_type = header["tile_type"]
        fmt = {TileType.MVT: VECTOR, TileType.PNG: "png", TileType.JPEG: "jpg", TileType.WEBP: "webp"}.get(tile_type)
        if fmt is None:
            raise TilePackageError(f"{label}: tile type {tile_type.name} is not supported (PNG, JPEG, WebP or MVT)")
        if header["tile_compression"] not in (Compression.NONE, Compression.GZIP, Compression.UNKNOWN):
            raise TilePackageError(f"{label}: {header['tile_compression'].name.lower()}-compressed tiles are not "
                                   "supported (only gzip or none)")
        reader.get(header["min_zoom"], 0, 0)  # the root directory decodes
    except TilePackageError:
        fh.close()
        raise
    except Exception as e:  # a broken header or directory: many kinds of failure, one message
        fh.close()
        raise TilePackageError(f"{label}: damaged or not PMTiles v3 ({_short(e)})") from None
    b = (header["min_lon_e7"] / 1e7, header["min_lat_e7"] / 1e7, header["max_lon_e7"] / 1e7, header["max_lat_e7"] / 1e7)

    def get(z: int, x: int, y: int) -> bytes | None:
        return reader.get(z, x, y)

    return TilePackage(path=path, kind="pmtiles", format=fmt,
                       name=_clean_text(meta.get("name")) or path.stem,
                       attribution=_clean_text(meta.get("attribution")),
                       min_zoom=int(header["min_zoom"]), max_zoom=int(header["max_zoom"]),
                       bounds=_bounds(b), _get=get, _close=fh.close)


# ----------------------------------------------------------------------------- vector tiles
# Layer names of common vector tile schemas (the built-in one, OpenMapTiles, Protomaps,
# Shortbread), mapped to the built-in basemap's drawing classes.
_POLY_CLASSES = {
    "land": "land", "earth": "land",
    "lakes": "lakes", "water": "lakes", "ocean": "lakes", "water_polygons": "lakes",
    "urban": "urban", "landuse": "urban", "urban_areas": "urban",
}
_LINE_CLASSES = {
    "coast": "coast", "shores": "shores",
    "borders": "borders", "boundary": "borders", "boundaries": "borders",
    "rivers": "rivers", "waterway": "rivers", "water_lines": "rivers",
    "roads": "roads", "transportation": "roads", "streets": "roads",
    "railways": "railways", "rail": "railways", "railroads": "railways",
}
_URBAN_KINDS = {"residential", "urban_area", "urban", "built_up", "commercial", "industrial", "retail"}
_RAIL_KINDS = {"rail", "railway", "transit", "subway", "light_rail"}
_MAJOR_ROADS = {"motorway", "trunk", "primary", "secondary", "highway", "major_road", "medium_road"}
_PLACE_LAYERS = {"places", "place", "place_labels"}
_TILE = 256


def _flat(coords, k: float) -> list[float]:
    out: list[float] = []
    for x, y in coords:
        out.append(round(x * k, 1))
        out.append(round(y * k, 1))
    return out


def _kind(props: dict) -> str:
    for key in ("kind", "class", "type", "fclass"):
        v = props.get(key)
        if isinstance(v, str):
            return v.lower()
    return ""


def mvt_to_tile_json(data: bytes, z: int, x: int, y: int) -> dict[str, Any]:
    """A Mapbox Vector Tile as the built-in basemap's tile dict (see viewer.render.basemap)."""
    import mapbox_vector_tile

    try:
        layers = mapbox_vector_tile.decode(data, default_options={"y_coord_down": True})
    except Exception as e:
        raise TilePackageError(f"vector tile {z}/{x}/{y} cannot be decoded ({_short(e)})") from None
    out: dict[str, Any] = {"v": 1, "z": z, "x": x, "y": y, "size": _TILE, "land": [], "lakes": [], "urban": [],
                           "coast": [], "shores": [], "borders": [], "rivers": [], "roads": [], "railways": [],
                           "labels": []}
    saw_land = False
    for lname, layer in (layers or {}).items():
        if not isinstance(layer, dict):
            continue
        name = str(lname).lower()
        extent = float(layer.get("extent") or 4096)
        k = _TILE / extent
        for feat in layer.get("features") or []:
            geom = feat.get("geometry") or {}
            gtype = geom.get("type")
            coords = geom.get("coordinates")
            props = feat.get("properties") or {}
            kind = _kind(props)
            if coords is None:
                continue
            if gtype in ("Polygon", "MultiPolygon"):
                cls = _POLY_CLASSES.get(name)
                if name == "landuse" and kind not in _URBAN_KINDS:
                    continue
                if cls is None:
                    continue
                saw_land |= cls == "land"
                polys = [coords] if gtype == "Polygon" else coords
                for poly in polys:
                    rings = [_flat(r, k) for r in poly if len(r) >= 3]
                    if rings:
                        out[cls].append(rings)
            elif gtype in ("LineString", "MultiLineString"):
                cls = _LINE_CLASSES.get(name)
                if cls is None:
                    continue
                if cls == "roads":
                    if kind in _RAIL_KINDS:
                        cls = "railways"
                    elif kind and kind not in _MAJOR_ROADS:
                        continue
                if cls == "borders" and str(props.get("admin_level", "2")) not in ("2", "2.0"):
                    continue
                lines = [coords] if gtype == "LineString" else coords
                out[cls].extend(_flat(line, k) for line in lines if len(line) >= 2)
            elif gtype in ("Point", "MultiPoint") and name in _PLACE_LAYERS:
                text = _clean_text(props.get("name:en") or props.get("name_en") or props.get("name"), 80)
                if not text:
                    continue
                pts = [coords] if gtype == "Point" else coords
                for px, py in pts[:1]:
                    lx, ly = round(px * k, 1), round(py * k, 1)
                    if not (0 <= lx <= _TILE and 0 <= ly <= _TILE):
                        continue
                    out["labels"].append({"text": text, "kind": "city", "size": 11, "x": lx, "y": ly,
                                          "tx": round(lx + 5, 1), "ty": ly, "align": "left",
                                          "w": round(len(text) * 6.5, 1), "dot": 2})
    if not saw_land:
        out["base"] = "land"  # water polygons over land (schemas without a land layer)
    return out


# ----------------------------------------------------------------------------- registry
class Registry:
    """The packages the app has open, and the chosen basemap ("" = the built-in one)."""

    def __init__(self) -> None:
        self._packages: dict[str, TilePackage] = {}
        self._lock = threading.Lock()
        self.chosen_id: str = ""
        self.online: dict[str, Any] | None = None  # the online layer shown instead (its spec), if any

    def add(self, path: Path | str) -> TilePackage:
        """Open (or return the already open) package at ``path``."""
        resolved = Path(path).expanduser().resolve()
        with self._lock:
            for p in self._packages.values():
                if p.path == resolved:
                    return p
        pkg = open_package(resolved)
        with self._lock:
            self._packages[pkg.id] = pkg
        return pkg

    def get(self, pid: str) -> TilePackage | None:
        with self._lock:
            return self._packages.get(pid)

    def packages(self) -> list[TilePackage]:
        with self._lock:
            return list(self._packages.values())

    def remove(self, pid: str) -> None:
        with self._lock:
            pkg = self._packages.pop(pid, None)
            if self.chosen_id == pid:
                self.chosen_id = ""
        if pkg is not None:
            pkg.close()

    def choose(self, pid: str) -> None:
        if pid and self.get(pid) is None:
            raise KeyError(pid)
        self.chosen_id = pid

    def chosen(self) -> TilePackage | None:
        return self.get(self.chosen_id) if self.chosen_id else None

    def find(self, name_or_path: str) -> TilePackage | None:
        """An open package by file path, file name or metadata name (case-insensitive)."""
        text = name_or_path.strip()
        if not text:
            return None
        try:
            resolved = Path(text).expanduser().resolve()
        except (OSError, RuntimeError):
            resolved = None
        low = text.lower()
        for p in self.packages():
            if p.path == resolved or p.path.name.lower() == low or p.name.lower() == low or p.path.stem.lower() == low:
                return p
        return None

    def clear(self) -> None:
        for pid in [p.id for p in self.packages()]:
            self.remove(pid)
        self.chosen_id = ""
        self.online = None


REGISTRY = Registry()


def chosen_page_spec(url_base: str) -> dict[str, Any] | None:
    """The page spec of the chosen package (``url_base`` is where the app serves ``pkg/``), or None."""
    pkg = REGISTRY.chosen()
    return pkg.page_spec(url_base + "pkg/") if pkg is not None else None


def credit_text(builtin_attribution: str) -> str:
    """The basemap credit for the chosen basemap: the package's own (its name when its metadata
    names no attribution), then the built-in basemap's, which shows where the package has no tiles."""
    if REGISTRY.online is not None:
        o = REGISTRY.online
        return f"Basemap: {_clean_text(o.get('name'))} ({_clean_text(o.get('attribution'))})"
    pkg = REGISTRY.chosen()
    if pkg is None:
        return builtin_attribution
    own = f"Basemap: {pkg.name}" + (f" ({pkg.attribution})" if pkg.attribution else "")
    return " · ".join(t for t in (own, builtin_attribution.replace("Basemap: ", "Elsewhere: ", 1)) if t)


def package_tile_json(pkg: TilePackage, z: int, x: int, y: int, fallback) -> bytes:
    """A vector package's tile as basemap tile JSON; the built-in ``fallback(z, x, y)`` outside its
    zooms or bounds, and where the archive has no tile."""
    if pkg.covers(z, x, y):
        data = pkg.tile(z, x, y)
        if data is not None:
            return json.dumps(mvt_to_tile_json(data, z, x, y), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return fallback(z, x, y)


def describe_for_list(pkg: TilePackage) -> str:
    """One line for menus and lists: name, kind, zooms, file name."""
    return f"{pkg.name} ({'vector' if pkg.is_vector else pkg.format.upper()}, z{pkg.min_zoom}–{pkg.max_zoom}) — " \
           f"{os.path.basename(str(pkg.path))}"


def serve(path_parts: list[str], fallback) -> tuple[bytes, bytes] | None:
    """(mime, body) for ``pkg/<id>/<z>/<x>/<y>.<ext>`` under the app's scheme, or None (not found).

    Vector packages answer in basemap tile JSON, falling back to ``fallback(z, x, y)`` (the
    built-in basemap's JSON tile) outside their zooms and bounds. Raises TilePackageError
    for a tile the archive cannot give."""
    if len(path_parts) != 5 or path_parts[0] != "pkg":
        return None
    pkg = REGISTRY.get(path_parts[1])
    stem, _, ext = path_parts[4].partition(".")
    try:
        z, x, y = int(path_parts[2]), int(path_parts[3]), int(stem)
    except ValueError:
        return None
    if pkg is None or not (0 <= z <= 30 and 0 <= x < (1 << z) and 0 <= y < (1 << z)):
        return None
    if pkg.is_vector:
        return (b"application/json", package_tile_json(pkg, z, x, y, fallback)) if ext == "json" else None
    if ext != pkg.format or not pkg.covers(z, x, y):
        return None
    data = pkg.tile(z, x, y)
    if data is None:
        return None
    return RASTER_MIME[pkg.format].encode("ascii"), data
