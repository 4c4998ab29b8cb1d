"""Tile packages (viewer.render.tile_packages): MBTiles and PMTiles made from open data, and
broken, truncated, empty, wrong-format and hostile ones. No Qt."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.package_fixtures import KOREA, land_png, make_raster_mbtiles, make_vector_pmtiles, tiles_in
from viewer.render.basemap import Basemap
from viewer.render.tile_packages import (
    REGISTRY,
    Registry,
    TilePackageError,
    credit_text,
    mvt_to_tile_json,
    open_package,
    serve,
)


@pytest.fixture(scope="module")
def bm() -> Basemap:
    return Basemap.load()


@pytest.fixture(scope="module")
def archives(tmp_path_factory, bm):
    d = tmp_path_factory.mktemp("packages")
    return {"mbtiles": make_raster_mbtiles(d / "korea.mbtiles", bm),
            "pmtiles": make_vector_pmtiles(d / "korea.pmtiles", bm)}


@pytest.fixture(autouse=True)
def _clean_registry():
    yield
    REGISTRY.clear()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ----------------------------------------------------------------------------- good archives
def test_raster_mbtiles_metadata_and_tiles(archives, bm):
    p = open_package(archives["mbtiles"])
    assert (p.kind, p.format, p.is_vector) == ("mbtiles", "png", False)
    assert p.name == "Korea land test tiles"
    assert "Natural Earth" in p.attribution
    assert (p.min_zoom, p.max_zoom) == (3, 7)
    assert p.bounds == pytest.approx(KOREA)
    # rows are stored TMS (from the south): the reader flips them back to XYZ
    x, y = next(iter(tiles_in(KOREA, 6)))
    assert p.tile(6, x, y) == land_png(bm, 6, x, y)
    assert p.tile(6, 0, 0) is None  # far outside: no such tile
    assert p.tile(2, 3, 1) is None
    p.close()


def test_vector_pmtiles_metadata_and_tiles(archives):
    p = open_package(archives["pmtiles"])
    assert (p.kind, p.format, p.is_vector) == ("pmtiles", "pbf", True)
    assert p.name == "Korea vector test tiles" and "GeoNames" in p.attribution
    assert (p.min_zoom, p.max_zoom) == (3, 8)
    assert p.bounds == pytest.approx(KOREA)
    x, y = next(iter(tiles_in((125.5, 39.0, 125.8, 39.1), 7)))  # Pyongyang
    d = mvt_to_tile_json(p.tile(7, x, y), 7, x, y)
    assert d["land"] and d["urban"], "land (earth) and residential landuse decoded"
    assert d["rivers"], "waterway lines decoded"
    assert "Pyongyang" in {lab["text"] for lab in d["labels"]}
    for poly in d["land"]:
        for ring in poly:
            assert all(-10 <= v <= 266 for v in ring)  # tile pixels, y down


def test_served_through_the_scheme_with_fallback_to_the_builtin_basemap(archives, bm):
    vec = REGISTRY.add(archives["pmtiles"])
    ras = REGISTRY.add(archives["mbtiles"])
    builtin = lambda z, x, y: bm.tile(z, x, y)  # noqa: E731
    x, y = next(iter(tiles_in((125.5, 39.0, 125.8, 39.1), 6)))
    mime, body = serve(["pkg", vec.id, "6", str(x), f"{y}.json"], builtin)
    assert mime == b"application/json" and json.loads(body)["urban"]
    # outside its zooms (z10) and outside its bounds (Europe): the built-in tile itself
    bx, by = next(iter(tiles_in((124.39, 40.11, 124.40, 40.12), 10)))
    assert serve(["pkg", vec.id, "10", str(bx), f"{by}.json"], builtin)[1] == bm.tile(10, bx, by)
    ex, ey = next(iter(tiles_in((10.0, 50.0, 10.1, 50.1), 6)))
    assert serve(["pkg", vec.id, "6", str(ex), f"{ey}.json"], builtin)[1] == bm.tile(6, ex, ey)
    # raster: PNG within its zooms; nothing outside (the built-in layer below shows there)
    mime, body = serve(["pkg", ras.id, "6", str(x), f"{y}.png"], builtin)
    assert mime == b"image/png" and body.startswith(b"\x89PNG")
    assert serve(["pkg", ras.id, "9", "0", "0.png"], builtin) is None
    for bad in (["pkg", "nope", "6", "1", "1.png"], ["pkg", ras.id, "6", "x", "1.png"],
                ["pkg", ras.id, "6", str(x), f"{y}.jpg"], ["pkg", ras.id, "-1", "0", "0.png"],
                ["pkg", ras.id, "6", "99", "0.png"], ["pkg", ras.id, "6"]):
        assert serve(bad, builtin) is None, bad


def test_registry_choice_names_and_credits(archives):
    r = Registry()
    p = r.add(archives["mbtiles"])
    assert r.add(str(archives["mbtiles"])) is p  # opened once
    assert r.find("korea.mbtiles") is p and r.find("KOREA LAND TEST TILES") is p and r.find(str(p.path)) is p
    assert r.find("nothing") is None and r.find("") is None
    r.choose(p.id)
    assert r.chosen() is p
    with pytest.raises(KeyError):
        r.choose("0123")
    r.remove(p.id)
    assert r.chosen() is None
    REGISTRY.choose(REGISTRY.add(archives["mbtiles"]).id)
    text = credit_text("Basemap: Natural Earth (public domain)")
    assert text.startswith("Basemap: Korea land test tiles (Test tiles from Natural Earth")
    assert "Elsewhere: Natural Earth" in text


def test_opening_changes_nothing_on_disk(archives, tmp_path):
    for key in ("mbtiles", "pmtiles"):
        target = tmp_path / archives[key].name
        shutil.copy(archives[key], target)
        before = _digest(target), target.stat().st_mtime_ns
        listing = sorted(x.name for x in tmp_path.iterdir())
        p = open_package(target)
        for z in range(3, 8):
            for x, y in list(tiles_in(KOREA, z))[:3]:
                p.tile(z, x, y)
        p.close()
        assert (_digest(target), target.stat().st_mtime_ns) == before
        assert sorted(x.name for x in tmp_path.iterdir()) == listing  # no journal, WAL or lock file left


# ----------------------------------------------------------------------------- bad archives
def _one_line(e: TilePackageError, name: str) -> str:
    text = str(e)
    assert "\n" not in text and text.startswith(name + ":"), text
    assert len(text) < 260
    return text


def test_zero_byte(tmp_path):
    f = tmp_path / "empty.mbtiles"
    f.write_bytes(b"")
    with pytest.raises(TilePackageError) as e:
        open_package(f)
    assert "empty" in _one_line(e.value, "empty.mbtiles")


@pytest.mark.parametrize("key", ["mbtiles", "pmtiles"])
@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated(archives, tmp_path, key, keep):
    data = archives[key].read_bytes()
    f = tmp_path / f"cut.{key}"
    f.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(TilePackageError) as e:
        open_package(f)
    text = _one_line(e.value, f.name)
    assert "truncated" in text or "damaged" in text


@pytest.mark.parametrize("content, why", [
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not an MBTiles or PMTiles archive"),
    (b"<html><script>alert(1)</script></html>", "not an MBTiles or PMTiles archive"),
    (b"PMTiles\x02" + b"\x00" * 200, "damaged or not PMTiles v3"),
])
def test_wrong_format(tmp_path, content, why):
    f = tmp_path / "wrong.mbtiles"
    f.write_bytes(content)
    with pytest.raises(TilePackageError) as e:
        open_package(f)
    assert why in _one_line(e.value, "wrong.mbtiles")


def test_sqlite_that_is_not_mbtiles(tmp_path):
    f = tmp_path / "other.mbtiles"
    con = sqlite3.connect(str(f))
    con.execute("CREATE TABLE people (name TEXT)")
    con.commit()
    con.close()
    with pytest.raises(TilePackageError) as e:
        open_package(f)
    assert "'tiles' table" in _one_line(e.value, "other.mbtiles")
    g = tmp_path / "none.mbtiles"
    con = sqlite3.connect(str(g))
    con.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    con.commit()
    con.close()
    with pytest.raises(TilePackageError) as e:
        open_package(g)
    assert "no tiles" in _one_line(e.value, "none.mbtiles")


def test_sql_injection_in_the_file_name_is_only_a_name(archives, tmp_path):
    name = "x'; DROP TABLE tiles; --?mode=rwc&#.mbtiles"
    f = tmp_path / name
    shutil.copy(archives["mbtiles"], f)
    before = _digest(f)
    p = open_package(f)
    assert p.name == "Korea land test tiles"
    x, y = next(iter(tiles_in(KOREA, 5)))
    assert p.tile(5, x, y).startswith(b"\x89PNG")
    p.close()
    assert _digest(f) == before
    con = sqlite3.connect(str(f))
    assert con.execute("SELECT COUNT(*) FROM tiles").fetchone()[0] > 0
    con.close()
    # and a broken archive of that name gets one clear line
    g = tmp_path / ("y'); DROP TABLE metadata;--.mbtiles")
    g.write_bytes(b"SQLite format 3\x00" + b"\xff" * 100)
    with pytest.raises(TilePackageError) as e:
        open_package(g)
    _one_line(e.value, g.name)


def test_hostile_metadata_is_plain_text(tmp_path, bm):
    f = make_raster_mbtiles(tmp_path / "hostile.mbtiles", bm, zooms=range(3, 4))
    con = sqlite3.connect(str(f))
    con.execute("UPDATE metadata SET value = ? WHERE name = 'attribution'",
                ("<img src=x onerror=alert(1)>\n\n" + "A" * 5000,))
    con.execute("UPDATE metadata SET value = ? WHERE name = 'minzoom'", ("-7",))
    con.execute("UPDATE metadata SET value = ? WHERE name = 'bounds'", ("nan,1,2",))
    con.commit()
    con.close()
    p = open_package(f)
    assert "\n" not in p.attribution and len(p.attribution) <= 300  # one line; the page shows it as text
    assert p.min_zoom == 3  # a nonsense zoom falls back to the tiles' own range
    assert p.bounds == pytest.approx((-180.0, -85.0511287798066, 180.0, 85.0511287798066))
    p.close()


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(TilePackageError) as e:
        open_package(tmp_path / "gone.pmtiles")
    _one_line(e.value, "gone.pmtiles")
    (tmp_path / "dir.mbtiles").mkdir()
    with pytest.raises(TilePackageError) as e:
        open_package(tmp_path / "dir.mbtiles")
    _one_line(e.value, "dir.mbtiles")


def test_unsupported_pmtiles_compression(archives, tmp_path):
    data = bytearray(archives["pmtiles"].read_bytes())
    data[98] = 3  # tile compression: brotli
    f = tmp_path / "brotli.pmtiles"
    f.write_bytes(bytes(data))
    with pytest.raises(TilePackageError) as e:
        open_package(f)
    assert "brotli" in _one_line(e.value, "brotli.pmtiles")
