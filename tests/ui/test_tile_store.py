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


def test_a_request_for_several_tiles_is_answered_with_those_that_are_there_without_building(qapp, tmp_path):
    from viewer.ui.web import AppSchemeHandler

    handler = AppSchemeHandler()
    handler.built_tiles = BuiltTiles(tmp_path / "empty")
    # 5/27/12 and 5/26/11 are of the first view's, which the package ships; 6/54/24 was never built
    got = json.loads(handler._ready_tiles(5, [(27, 12), (26, 11)]))
    assert set(got) == {"27/12", "26/11"} and all(t["z"] == 5 for t in got.values())
    assert json.loads(handler._ready_tiles(6, [(54, 24)])) == {}  # the page asks for it alone (and it is built)
    assert handler._basemap is None  # nothing was built for the batch
    assert {"5/27/12", "5/26/11"} <= set(handler.served_tiles)


def test_a_request_for_several_tiles_is_read_strictly():
    from viewer.ui.web import MAX_TILE_BATCH, _basemap_batch_key

    assert _basemap_batch_key("/basemap/5/batch.json", "xy=27.11,27.12,27.11") == (5, [(27, 11), (27, 12)])
    assert _basemap_batch_key("/basemap/5/batch.json", "xy=-1.3") == (5, [(-1, 3)])  # (no such tile: not answered)
    for path, query in [("/basemap/5/batch.json", "xy=27"), ("/basemap/5/batch.json", "xy="),
                        ("/basemap/5/batch.json", "xy=1.2.3"), ("/basemap/5/batch.json", "xy=a.b"),
                        ("/basemap/5/batch.json", "t=1.2"), ("/basemap/x/batch.json", "xy=1.2"),
                        ("/basemap/5/other.json", "xy=1.2"), ("/basemap/5/1/batch.json", "xy=1.2"),
                        ("/basemap/5/batch.json", "xy=" + ",".join(f"{i}.1" for i in range(MAX_TILE_BATCH + 1)))]:
        assert _basemap_batch_key(path, query) is None, (path, query)


# The basemap's tiles drawn in the page: [z/x/y (x wrapped), ...] of the zoom shown.
DRAWN_TILES = """JSON.stringify(Array.prototype.filter.call(document.querySelectorAll('canvas.sitmap-basemap-tile'),
  function (c) { return c._sitmap && c._sitmap.coords.z === SitMap.app.map.getZoom(); }).map(function (c) {
  var k = c._sitmap.coords, n = Math.pow(2, k.z); return k.z + '/' + (((k.x % n) + n) % n) + '/' + k.y; }))"""


def test_the_window_asks_for_a_views_tiles_at_once_and_alone_for_those_not_built(qtbot, window, tmp_path,
                                                                                monkeypatch):
    # The first view: its tiles carried in the page (the package ships them), none asked for.
    from tests.ui.conftest import js

    view = window.map_view
    asked = [u.split("/basemap/", 1)[1] for u in view.network_guard.requests if "/basemap/" in u]
    drawn = json.loads(js(qtbot, view, DRAWN_TILES))
    assert len(drawn) >= 12 and not asked, asked
    # Another view whose tiles are built: in one request, none asked for alone.
    js(qtbot, view, "SitMap.app.map.setZoom(4, {animate: false}); true")
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.basemapBusy()") is False, timeout=30_000)
    asked = [u.split("/basemap/", 1)[1] for u in view.network_guard.requests if "/basemap/" in u]
    drawn = json.loads(js(qtbot, view, DRAWN_TILES))
    assert len(drawn) >= 6 and asked and all(a.split("/")[1].startswith("batch.json?xy=") for a in asked), asked
    in_batches = {f"{a.split('/')[0]}/{xy.replace('.', '/')}" for a in asked for xy in a.split("xy=")[1].split(",")}
    assert set(drawn) <= in_batches
    # A zoom onto tiles never built: the batch has none of them, so each is asked for alone (and
    # built); back at a zoom whose tiles are now built, one request again, none alone.
    monkeypatch.setattr(view.scheme_handler, "built_tiles", BuiltTiles(tmp_path / "tiles"))
    view.network_guard.requests.clear()
    js(qtbot, view, "SitMap.app.map.setZoom(7, {animate: false}); true")
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.basemapBusy()") is False, timeout=30_000)
    asked = [u.split("/basemap/", 1)[1] for u in view.network_guard.requests if "/basemap/" in u]
    drawn = json.loads(js(qtbot, view, DRAWN_TILES))
    alone = {a[:-len(".json")] for a in asked if "batch" not in a}
    assert drawn and set(drawn) == alone and sum("batch" in a for a in asked) == 1, asked
    view.network_guard.requests.clear()
    # (the page's own kept tiles of zoom 7 let go first: else it shows those again and asks for none)
    js(qtbot, view, "SitMap.app.map.setZoom(5, {animate: false}); SitMap.app.basemap._forgetKept();"
                    " SitMap.app.map.setZoom(7, {animate: false}); true")
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.basemapBusy()") is False, timeout=30_000)
    asked = [u.split("/basemap/", 1)[1] for u in view.network_guard.requests if "/basemap/" in u]
    assert set(json.loads(js(qtbot, view, DRAWN_TILES))) == set(drawn)
    assert asked and all("batch.json" in a for a in asked), asked


def test_a_view_whose_batch_fails_asks_for_each_tile_alone(qtbot, window, monkeypatch):
    from tests.ui.conftest import js

    view = window.map_view
    monkeypatch.setattr(view.scheme_handler, "_ready_tiles", lambda z, xys: b"{not json")
    view.network_guard.requests.clear()
    js(qtbot, view, "SitMap.app.map.setZoom(6, {animate: false}); true")
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.basemapBusy()") is False, timeout=30_000)
    asked = [u.split("/basemap/", 1)[1] for u in view.network_guard.requests if "/basemap/" in u]
    drawn = json.loads(js(qtbot, view, DRAWN_TILES))
    assert drawn and sum("batch" in a for a in asked) == 1
    assert {a[:-len(".json")] for a in asked if "batch" not in a} == set(drawn)


def _zoom_and_settle(qtbot, view, zoom):
    from tests.ui.conftest import js

    view.network_guard.requests.clear()
    js(qtbot, view, "window.__tileErrors = 0; SitMap.app.basemap.on('tileerror', function () { window.__tileErrors += 1; });"
                    f" SitMap.app.map.setZoom({zoom}, {{animate: false}}); true")
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.basemapBusy()") is False, timeout=30_000)
    asked = [u.split("/basemap/", 1)[1] for u in view.network_guard.requests if "/basemap/" in u]
    return asked, json.loads(js(qtbot, view, DRAWN_TILES)), js(qtbot, view, "window.__tileErrors")


def test_a_tile_of_a_batch_that_cannot_be_drawn_is_an_error_and_the_rest_are_drawn(qtbot, window, monkeypatch):
    # (before: the tile was never done, and the basemap never finished loading)
    handler = window.map_view.scheme_handler
    real, broken = handler._ready_tiles, []

    def one_broken(z, xys):
        got = json.loads(real(z, xys))
        key = sorted(got)[0]
        got[key]["labels"] = 5  # (JSON, but not a tile's)
        broken.append(f"{z}/{key}")
        return json.dumps(got).encode()

    monkeypatch.setattr(handler, "_ready_tiles", one_broken)
    asked, drawn, errors = _zoom_and_settle(qtbot, window.map_view, 4)
    assert len(broken) == 1 and errors == 1 and broken[0] not in drawn and len(drawn) >= 4
    assert all("batch.json" in a for a in asked), asked  # (none asked for again alone)


def test_a_tile_that_is_not_text_fails_alone_and_the_rest_are_drawn(qtbot, window, monkeypatch):
    handler = window.map_view.scheme_handler
    real, spoilt = handler._ready_tile, []

    def not_text(z, x, y):
        body = real(z, x, y)
        if body is not None and (not spoilt or spoilt[0] == f"{z}/{x}/{y}"):
            spoilt[:1] = [f"{z}/{x}/{y}"]  # (the first asked for, each time it is)
            body = body[:-1] + b"\xff}"
        return body

    monkeypatch.setattr(handler, "_ready_tile", not_text)
    monkeypatch.setattr(handler, "served_tiles", {})
    asked, drawn, errors = _zoom_and_settle(qtbot, window.map_view, 4)
    assert spoilt and errors == 1 and spoilt[0] not in drawn and len(drawn) >= 4
    assert sum("batch.json" in a for a in asked) == 1  # the batch failed as a whole: each tile asked for alone
    assert spoilt[0] not in handler.served_tiles


def test_a_view_of_more_tiles_than_one_request_takes_asks_in_several(qtbot, window):
    from tests.ui.conftest import js

    js(qtbot, window.map_view, "SitMap.app.basemap.options.batchMax = 4; true")
    asked, drawn, errors = _zoom_and_settle(qtbot, window.map_view, 4)
    sizes = [len(a.split("xy=")[1].split(",")) for a in asked]
    assert errors == 0 and drawn and all("batch.json" in a for a in asked) and max(sizes) <= 4
    assert sum(sizes) == len(set(drawn)) and len(asked) == -(-len(set(drawn)) // 4)
