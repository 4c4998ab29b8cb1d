"""Tile packages made from open data for the tests: the built-in basemap's own tiles
(Natural Earth land, GSHHG rivers, GeoNames places), written as

* a raster MBTiles: land and sea painted in two loud colours (PNG), zooms 3-7 over Korea;
* a vector PMTiles: Mapbox Vector Tiles in OpenMapTiles/Protomaps-style layers (``landuse``
  residential for the land, so it is drawn with the urban tint and can be told from the
  built-in basemap on screen), zooms 3-8 over Korea, gzip-compressed.
"""

from __future__ import annotations

import gzip
import math
import sqlite3
import struct
import zlib
from pathlib import Path

import numpy as np
import shapely

KOREA = (120.0, 33.0, 132.0, 43.5)  # west, south, east, north
RASTER_LAND = (214, 118, 40)  # loud orange
RASTER_SEA = (40, 70, 170)  # loud blue
URBAN = (0xE6, 0xDC, 0xCB)  # basemap_paint.js STYLE.urban


def tiles_in(bounds, z):
    w, s, e, n = bounds
    k = 1 << z

    def ty(lat):
        r = math.radians(lat)
        return int((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * k)

    x0, x1 = int((w + 180) / 360 * k), int((e + 180) / 360 * k)
    for x in range(x0, x1 + 1):
        for y in range(ty(n), ty(s) + 1):
            yield x, y


def _polys(d, key):
    out = []
    for rings in d.get(key) or []:
        pts = [np.asarray(r, dtype=float).reshape(-1, 2) for r in rings]
        pts = [p for p in pts if len(p) >= 3]
        if pts:
            out.append(shapely.make_valid(shapely.Polygon(pts[0], pts[1:])))
    return out


def png_bytes(rgb: np.ndarray) -> bytes:
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[y].astype(np.uint8).tobytes() for y in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def land_png(basemap, z, x, y, step=2) -> bytes:
    d = basemap.tile_data(z, x, y)
    land = shapely.union_all(_polys(d, "land")) if d["land"] else shapely.Polygon()
    lakes = shapely.union_all(_polys(d, "lakes")) if d["lakes"] else shapely.Polygon()
    area = land.difference(lakes)
    n = 256 // step
    c = (np.arange(n) + 0.5) * step
    xs, ys = np.meshgrid(c, c)
    inside = shapely.contains_xy(area, xs.ravel(), ys.ravel()).reshape(n, n)
    rgb = np.where(inside[..., None], np.array(RASTER_LAND), np.array(RASTER_SEA))
    rgb = np.repeat(np.repeat(rgb, step, axis=0), step, axis=1)
    return png_bytes(rgb)


def make_raster_mbtiles(path: Path, basemap, zooms=range(3, 8), name="Korea land test tiles") -> Path:
    con = sqlite3.connect(str(path))
    con.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    con.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    w, s, e, n = KOREA
    meta = {"name": name, "format": "png", "minzoom": str(min(zooms)), "maxzoom": str(max(zooms)),
            "bounds": f"{w},{s},{e},{n}", "attribution": "Test tiles from Natural Earth (public domain)",
            "type": "baselayer"}
    con.executemany("INSERT INTO metadata VALUES (?, ?)", list(meta.items()))
    for z in zooms:
        for x, y in tiles_in(KOREA, z):
            con.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, (1 << z) - 1 - y, land_png(basemap, z, x, y)))
    con.commit()
    con.close()
    return path


def mvt_from_basemap(basemap, z, x, y) -> bytes:
    import mapbox_vector_tile

    d = basemap.tile_data(z, x, y)
    k = 16.0  # 256 tile px -> 4096 extent

    def scaled(g):
        return shapely.transform(g, lambda c: c * k)

    layers = []
    land = [scaled(p) for p in _polys(d, "land")]
    if land:
        layers.append({"name": "earth", "features": [{"geometry": g, "properties": {}} for g in land if not g.is_empty]})
        layers.append({"name": "landuse", "features": [{"geometry": g, "properties": {"kind": "residential"}}
                                                       for g in land if not g.is_empty]})
    water = [scaled(p) for p in _polys(d, "lakes")]
    if water:
        layers.append({"name": "water", "features": [{"geometry": g, "properties": {}} for g in water if not g.is_empty]})
    for key, lname, props in (("borders", "boundaries", {"admin_level": 2}), ("rivers", "waterway", {"kind": "river"})):
        lines = [scaled(shapely.LineString(np.asarray(r, dtype=float).reshape(-1, 2))) for r in d.get(key) or []
                 if len(r) >= 4]
        if lines:
            layers.append({"name": lname, "features": [{"geometry": g, "properties": props} for g in lines]})
    places = [{"geometry": shapely.Point(lab["x"] * k, lab["y"] * k), "properties": {"name": lab["text"]}}
              for lab in d["labels"] if lab["kind"] != "country" and 0 <= lab["x"] <= 256 and 0 <= lab["y"] <= 256]
    if places:
        layers.append({"name": "places", "features": places})
    return mapbox_vector_tile.encode(layers, default_options={"y_coord_down": True, "extents": 4096})


def make_vector_pmtiles(path: Path, basemap, zooms=range(3, 9), name="Korea vector test tiles") -> Path:
    from pmtiles.tile import Compression, TileType, zxy_to_tileid
    from pmtiles.writer import write

    tiles = []
    for z in zooms:
        for x, y in tiles_in(KOREA, z):
            tiles.append((zxy_to_tileid(z, x, y), gzip.compress(mvt_from_basemap(basemap, z, x, y), mtime=0)))
    tiles.sort()
    w, s, e, n = KOREA
    with write(str(path)) as writer:
        for tid, data in tiles:
            writer.write_tile(tid, data)
        writer.finalize(
            {"tile_type": TileType.MVT, "tile_compression": Compression.GZIP, "min_zoom": min(zooms),
             "max_zoom": max(zooms), "min_lon_e7": int(w * 1e7), "min_lat_e7": int(s * 1e7),
             "max_lon_e7": int(e * 1e7), "max_lat_e7": int(n * 1e7), "center_zoom": min(zooms),
             "center_lon_e7": int((w + e) / 2 * 1e7), "center_lat_e7": int((s + n) / 2 * 1e7)},
            {"name": name, "attribution": "Test vector tiles from Natural Earth, GSHHG, GeoNames",
             "vector_layers": [{"id": "earth"}, {"id": "landuse"}, {"id": "water"}, {"id": "boundaries"}, {"id": "waterway"},
                               {"id": "places"}]},
        )
    return path
