"""The scheme handler keeps the built-in basemap's tiles it built on disk and serves them from
there next time, without loading the basemap data (a faster start and export)."""

import json

from viewer.render.basemap_store import BuiltTiles


def test_the_scheme_handler_serves_stored_tiles_without_loading_the_basemap(qapp, tmp_path):
    from viewer.ui.web import AppSchemeHandler

    built = AppSchemeHandler()
    built.built_tiles = BuiltTiles(tmp_path / "tiles")
    mime, body = built.resolve("/basemap/6/54/24.json")  # (not one of the first view's the package ships)
    assert built._basemap is not None and json.loads(body)  # built, and kept
    again = AppSchemeHandler()
    again.built_tiles = BuiltTiles(tmp_path / "tiles")
    assert again.resolve("/basemap/6/54/24.json") == (mime, body)
    assert again._basemap is None  # served from the store: the basemap data was never loaded
    assert again.resolve("/basemap/5/-1/12.json") is None and again.resolve("/basemap/99/0/0.json") is None


def test_a_first_start_serves_the_first_views_tiles_the_package_ships_without_building(qapp, tmp_path):
    from viewer.ui.web import AppSchemeHandler

    first = AppSchemeHandler()
    first.built_tiles = BuiltTiles(tmp_path / "empty")
    mime, body = first.resolve("/basemap/5/27/12.json")
    assert mime == b"application/json" and json.loads(body) and first._basemap is None


def test_a_tile_to_build_is_built_beside_the_main_thread_which_answers_meanwhile(qtbot, window, tmp_path,
                                                                                monkeypatch):
    # A tile the page asks for that was never built: the window goes on (here: answers the page)
    # while it is built, and the page then has it.
    import threading

    from tests.ui.conftest import js

    view = window.map_view
    handler = view.scheme_handler
    release, building = threading.Event(), []

    class SlowBasemap:
        attribution = "test"

        def tile(self, z, x, y):
            building.append((z, x, y, threading.current_thread() is threading.main_thread()))
            assert release.wait(30)
            return json.dumps({"size": 256, "test": [z, x, y]}).encode()

    monkeypatch.setattr(handler, "_basemap", SlowBasemap())
    monkeypatch.setattr(handler, "built_tiles", BuiltTiles(tmp_path / "tiles"))
    js(qtbot, view, "window.__tile = 'asked'; fetch('sitmap://app/basemap/9/436/197.json').then(function (r) {"
                    " return r.text(); }).then(function (t) { window.__tile = t; }, function (e) {"
                    " window.__tile = 'failed: ' + e; }); true")
    qtbot.waitUntil(lambda: len(building) == 1, timeout=10_000)
    assert building[0] == (9, 436, 197, False)  # (on the builder's thread)
    assert js(qtbot, view, "window.__tile") == "asked"  # the main thread answers meanwhile
    release.set()
    qtbot.waitUntil(lambda: js(qtbot, view, "window.__tile") != "asked", timeout=10_000)
    assert json.loads(js(qtbot, view, "window.__tile")) == {"size": 256, "test": [9, 436, 197]}
    assert BuiltTiles(tmp_path / "tiles").get(9, 436, 197) is not None  # kept, as a tile built at once
