"""Built-in basemap tiles kept on disk: served again as built, never across a change of the
basemap's data or code, never a half-written tile."""

from viewer import resources
from viewer.render import basemap_store
from viewer.render.basemap import Basemap
from viewer.render.basemap_store import BuiltTiles


def test_a_tile_comes_back_as_it_was_built(tmp_path):
    store = BuiltTiles(tmp_path / "tiles")
    body = Basemap.load().tile(5, 27, 12)
    assert store.get(5, 27, 12) is None
    store.put(5, 27, 12, body)
    assert BuiltTiles(tmp_path / "tiles").get(5, 27, 12) == body  # a later run finds it


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


def test_a_damaged_tile_is_built_again_and_a_read_only_folder_is_no_error(tmp_path):
    store = BuiltTiles(tmp_path / "tiles")
    store.put(6, 54, 24, b'{"land": [[1, 2')  # cut short
    assert store.get(6, 54, 24) is None
    locked = tmp_path / "locked"
    locked.write_text("a file where the folder would be", encoding="utf-8")
    store = BuiltTiles(locked)
    store.put(6, 54, 24, b"{}")
    assert store.get(6, 54, 24) is None
