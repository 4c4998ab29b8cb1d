"""The bounded cache of online tiles already seen (viewer.render.tile_cache). No Qt."""

import os
import time

import pytest

from viewer.render.tile_cache import TileCache, source_key


def test_put_get_and_age(tmp_path):
    c = TileCache(tmp_path, max_bytes=10_000)
    k = source_key("https://tile.example/{z}/{x}/{y}.png")
    assert c.get(k, 3, 1, 2) is None
    c.put(k, 3, 1, 2, b"abc")
    data, age = c.get(k, 3, 1, 2)
    assert data == b"abc" and 0 <= age < 60
    assert c.total_bytes == 3
    assert source_key("https://other/{z}/{x}/{y}.png") != k  # providers never share tiles


def test_size_stays_bounded_and_the_oldest_go_first(tmp_path):
    c = TileCache(tmp_path, max_bytes=1000)
    k = source_key("t")
    for i in range(30):
        c.put(k, 5, i, 0, bytes(100))
        p = tmp_path / k / "5" / str(i) / "0.tile"
        os.utime(p, (time.time() - 1000 + i, time.time() - 1000 + i))  # stored one after the other
    assert c.total_bytes <= 1000
    files = list(tmp_path.rglob("*.tile"))
    assert sum(f.stat().st_size for f in files) <= 1000
    kept = sorted(int(f.parent.name) for f in files)
    assert kept and min(kept) > 15  # the newest survive
    # a new cache object finds what is on disk
    assert TileCache(tmp_path, max_bytes=1000).total_bytes == c.total_bytes


def test_bad_keys_and_huge_tiles(tmp_path):
    c = TileCache(tmp_path, max_bytes=1000)
    for bad in (("../x", 1, 1, 1), ("ab", -1, 0, 0), ("ab", 1, "1", 0)):
        with pytest.raises(ValueError):
            c.put(*bad, b"x")
    c.put("ab", 1, 0, 0, bytes(600))  # over a quarter of the cache: not kept
    assert c.get("ab", 1, 0, 0) is None
