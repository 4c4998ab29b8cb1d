"""Built-in basemap tiles kept on disk: served again as built, never across a change of the
basemap's data or code, never a half-written tile."""

from viewer import resources
from viewer.render import basemap_store
from viewer.render.basemap import Basemap
from viewer.render.basemap_store import BuiltTiles


def test_a_tile_comes_back_as_it_was_built(tmp_path):
    store = BuiltTiles(tmp_path / "tiles")
    body = Basemap.load().tile(6, 54, 24)  # (not one of the first view's, which the package ships)
    assert store.get(6, 54, 24) is None
    store.put(6, 54, 24, body)
    assert BuiltTiles(tmp_path / "tiles").get(6, 54, 24) == body  # a later run finds it


def test_the_first_views_tiles_ship_as_the_app_builds_them_and_serve_a_first_start(tmp_path, monkeypatch):
    """resources/tiles/first_view.json.gz: the built-in map's first view, built by
    tools/build_first_tiles.py from the data and code there are now (else: run it again)."""
    import gzip
    import json

    from tools.build_first_tiles import first_view_tiles

    shipped = json.loads(gzip.decompress(resources.path(*basemap_store.SHIPPED).read_bytes()))
    assert shipped["fingerprint"] == basemap_store.fingerprint(), "run tools/build_first_tiles.py"
    wanted = first_view_tiles()
    assert sorted(shipped["tiles"]) == sorted(f"{z}/{x}/{y}" for z, x, y in wanted), "run tools/build_first_tiles.py"
    assert (4, 13, 5) in wanted and (5, 27, 12) in wanted  # (the built-in map's view at zoom 4 and 5)
    basemap = Basemap.load()
    for z, x, y in wanted:
        assert shipped["tiles"][f"{z}/{x}/{y}"].encode("utf-8") == basemap.tile(z, x, y), (z, x, y)
    # an empty store serves them, without building; not once the data or code has changed
    store = BuiltTiles(tmp_path / "tiles")
    assert store.get(5, 27, 12) == basemap.tile(5, 27, 12) and store.get(6, 54, 24) is None
    monkeypatch.setattr(BuiltTiles, "source", "b-other")
    assert BuiltTiles(tmp_path / "tiles").get(5, 27, 12) is None


def test_new_basemap_data_or_new_builder_code_never_serve_an_old_tile(tmp_path, monkeypatch):
    store = BuiltTiles(tmp_path / "tiles")
    store.put(5, 27, 12, b'{"old": true}')
    first = basemap_store.fingerprint()
    meta = tmp_path / "basemap.json"
    meta.write_text(resources.path("basemap", "basemap.json").read_text(encoding="utf-8") + " ", encoding="utf-8")
    real_path = resources.path
    monkeypatch.setattr(resources, "path", lambda *p: meta if p == ("basemap", "basemap.json") else real_path(*p))
    assert basemap_store.fingerprint() != first
    assert BuiltTiles(tmp_path / "tiles").get(5, 27, 12) is None
    monkeypatch.undo()
    code = tmp_path / "builder.py"
    code.write_text("X = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(basemap_store, "BUILDERS", basemap_store.BUILDERS + ("builder",))
    second = basemap_store.fingerprint()
    code.write_text("X = 2\n", encoding="utf-8")
    assert second != first and basemap_store.fingerprint() != second


def test_new_country_label_spots_never_serve_an_old_tile(tmp_path, monkeypatch):
    """The countries' other label spots are read by the tile builder but not named in
    basemap.json: tiles built before they changed are not served after."""
    first = basemap_store.fingerprint()
    spots = tmp_path / "country_spots.json"
    spots.write_text(resources.path("basemap", "country_spots.json").read_text(encoding="utf-8") + " ",
                     encoding="utf-8")
    real_path = resources.path
    monkeypatch.setattr(resources, "path", lambda *p: spots if p == ("basemap", "country_spots.json") else real_path(*p))
    assert basemap_store.fingerprint() != first


def test_a_damaged_tile_is_built_again_and_a_read_only_folder_is_no_error(tmp_path):
    store = BuiltTiles(tmp_path / "tiles")
    store.put(6, 54, 24, b'{"land": [[1, 2')  # cut short
    assert store.get(6, 54, 24) is None
    locked = tmp_path / "locked"
    locked.write_text("a file where the folder would be", encoding="utf-8")
    store = BuiltTiles(locked)
    store.put(6, 54, 24, b"{}")
    assert store.get(6, 54, 24) is None
