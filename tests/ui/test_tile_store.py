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
