"""The place list's index (city populations, for ranking labels) is kept in the app's cache folder
and read back from there at the next run; an index that cannot be read, or was made of another
list, is made anew from the list."""

from __future__ import annotations

import gzip

import pytest

from viewer.render import city_sizes

TOKYO = ("Tokyo", 35.685, 139.7514)


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """city_sizes as at a new run, keeping its index in ``tmp_path``."""
    monkeypatch.setattr(city_sizes, "_tiers", [])
    monkeypatch.setattr(city_sizes, "_loaded", 0)
    monkeypatch.setattr(city_sizes, "_cache_dir", None)
    city_sizes.keep_cache_in(tmp_path)

    def again() -> None:
        city_sizes._tiers.clear()
        city_sizes._loaded = 0

    return again


def _kept(tmp_path):
    return sorted(p for p in tmp_path.glob("places.json.gz-*.marshal"))


def test_the_index_is_kept_and_read_back_without_the_list(fresh, tmp_path, monkeypatch):
    first = city_sizes.population_of(*TOKYO)
    assert first > 1_000_000 and len(_kept(tmp_path)) == 1
    fresh()

    def no_list(*_a, **_k):
        raise AssertionError("the list was read although its index was kept")

    monkeypatch.setattr(gzip, "open", no_list)
    assert city_sizes.population_of(*TOKYO) == first


def test_an_index_that_cannot_be_read_is_made_anew(fresh, tmp_path):
    first = city_sizes.population_of(*TOKYO)
    (kept,) = _kept(tmp_path)
    for broken in (b"", b"not marshal at all", __import__("marshal").dumps(["a list, not an index"])):
        kept.write_bytes(broken)
        fresh()
        assert city_sizes.population_of(*TOKYO) == first
        assert kept.read_bytes() not in (b"", broken)  # (and kept again, whole)


def test_an_index_of_entries_not_as_written_says_nothing_and_does_not_fail(fresh, tmp_path):
    import marshal

    city_sizes.population_of(*TOKYO)
    (kept,) = _kept(tmp_path)
    kept.write_bytes(marshal.dumps({"tokyo": ["three", None, (1, 2)]}))
    fresh()
    assert city_sizes.population_of(*TOKYO) == 0


def test_an_index_of_another_list_is_not_used(fresh, tmp_path):
    """The kept index is named after the list's size and time: a list installed anew (another
    version of the app) is indexed anew, and the old index goes."""
    first = city_sizes.population_of(*TOKYO)
    (kept,) = _kept(tmp_path)
    stale = kept.with_name("places.json.gz-v1-1-2-py00.marshal")
    kept.rename(stale)
    fresh()
    assert city_sizes.population_of(*TOKYO) == first
    assert _kept(tmp_path) == [kept]  # (made anew; the other one gone)


def test_without_a_cache_folder_nothing_is_kept(fresh, tmp_path):
    city_sizes.keep_cache_in(None)
    assert city_sizes.population_of(*TOKYO) > 1_000_000
    assert _kept(tmp_path) == []


def test_keeping_an_index_removes_only_the_old_indexes_of_the_same_file(tmp_path):
    """The indexes that go when one is kept are those of the same file (another size, time, format
    or Python): not those of another file whose name starts the same way."""
    from viewer.render import kept_index

    sources = []
    for name in ("cities-500.json.gz", "cities-15000.json.gz", "cities.json.gz"):
        (tmp_path / name).write_bytes(b"x")
        sources.append(tmp_path / name)
    cache = tmp_path / "cache"
    kept = [kept_index.kept_file(cache, s, "v1") for s in sources]
    for path in kept:
        kept_index.keep(path, {"a": [1]})
    assert all(p.exists() for p in kept)
    sources[1].write_bytes(b"xy")  # (the second file installed anew: its old index goes, the others stay)
    again = kept_index.kept_file(cache, sources[1], "v2")
    kept_index.keep(again, {"b": [2]})
    assert sorted(cache.iterdir()) == sorted([kept[0], again, kept[2]])
    assert kept_index.read_kept(again, lambda v: isinstance(v, dict)) == {"b": [2]}
