from viewer.render.page_cache import PageCache


def test_pages_are_found_again_only_for_the_same_scenario_bytes(tmp_path):
    cache = PageCache(tmp_path)
    k1, k2 = cache.key(b'{"a": 1}'), cache.key(b'{"a": 2}')
    assert k1 != k2 and cache.key(b'{"a": 1}') == k1
    assert cache.get(k1) is None
    cache.put(k1, "<html>one</html>", [{"name": "x", "url": "https://t/{z}/{x}/{y}.png"}])
    assert cache.get(k1)["html"] == "<html>one</html>"
    assert cache.get(k2) is None


def test_a_damaged_cache_entry_is_ignored(tmp_path):
    cache = PageCache(tmp_path)
    k = cache.key(b"x")
    (tmp_path / f"{k}.json").write_text("{not json", encoding="utf-8")
    assert cache.get(k) is None
    (tmp_path / f"{k}.json").write_text('{"html": 5, "online_specs": []}', encoding="utf-8")
    assert cache.get(k) is None


def test_old_entries_are_pruned(tmp_path):
    cache = PageCache(tmp_path, keep=3)
    for i in range(6):
        cache.put(cache.key(str(i).encode()), "h", [])
    assert len(list(tmp_path.glob("*.json"))) == 3


def test_a_change_to_a_reader_in_a_subpackage_changes_the_key(tmp_path):
    import os

    import viewer.model.io.open_any as reader  # (how a file is read decides its page: its view, its features)

    cache = PageCache(tmp_path)
    before = cache.key(b"x")
    st = os.stat(reader.__file__)
    try:
        os.utime(reader.__file__, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        assert cache.key(b"x") != before
    finally:
        os.utime(reader.__file__, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert cache.key(b"x") == before
