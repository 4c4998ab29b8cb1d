"""A page carries the basemap tiles of its first view that are there without building them (and a
start from the page cache those it drew the time before) and paints them as it starts, without
asking the app for them; a page whose carried tiles cannot be read asks for its tiles as always."""

from __future__ import annotations

import json

from tests.ui.conftest import READY_MS, js, start_window


def test_a_cached_page_paints_the_tiles_it_carries_without_asking_for_them(qtbot, settings, tmp_path, monkeypatch,
                                                                          asked):
    import viewer.app as app_mod
    from viewer.render.page_cache import PageCache

    cache = PageCache(tmp_path / "pages")
    monkeypatch.setattr(app_mod, "page_cache", lambda: cache)
    first = start_window(qtbot, settings, tmp_path)
    (entry,) = [cache.get(p.stem) for p in (tmp_path / "pages").glob("*.json")]
    carried = set(entry["tiles"])
    assert carried
    first.close()
    asked.clear()
    second = start_window(qtbot, settings, tmp_path)
    assert not carried & set(asked), "the page asked for tiles it carried"
    assert js(qtbot, second.map_view, "document.getElementById('sitmap-carried-tiles') === null") is True
    painted = js(qtbot, second.map_view, """JSON.stringify(Object.keys(SitMap.app.basemap._tiles).filter(function (k) {
        return !!SitMap.app.basemap._tiles[k].el._sitmap; }).map(function (k) {
        var c = SitMap.app.basemap._tiles[k].coords; return c.z + '/' + c.x + '/' + c.y; }))""")
    assert carried & set(json.loads(painted))
    assert second.map_view.page_html == first.map_view.page_html  # (the page without them, as cached)
    assert second.map_view.state["basemapLoaded"] is True


def _built_in_map_shown(qtbot, width, height):
    """A map view of this size showing the built-in map, ready."""
    from viewer import resources
    from viewer.model.scenario import load_scenario
    from viewer.ui.map_view import MapView

    view = MapView()
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show()
    with qtbot.waitSignal(view.mapReady, timeout=READY_MS):
        view.show_scenario(load_scenario(resources.default_scenario()))
    return view


def test_a_page_whose_carried_tiles_cannot_be_read_asks_for_them(qtbot, asked):
    view = _built_in_map_shown(qtbot, 900, 600)
    html, specs = view.page_html, view.online_specs
    asked.clear()
    with qtbot.waitSignal(view.mapReady, timeout=READY_MS):
        view.load_page(html, specs, tiles={"5/27/12": "{not json", "5/27/13": "[1, 2"})
    assert asked  # (its tiles asked for, as a page without any)
    assert view.state["basemapLoaded"] is True


def test_carried_tiles_cannot_end_their_element_or_the_page():
    from viewer.render.page_cache import CARRIED_TILES_ID, carrying_tiles

    html = "<html><head><title>t</title></head><body></body></html>"
    tile = '{"labels": [{"text": "</script><script>alert(1)</script><!-- & >"}]}'
    out = carrying_tiles(html, {"5/1/2": tile, "bad": 5, 7: "{}"})
    assert out.count("</script>") == 1 and "<!--" not in out.split("<head>")[1].split("</head>")[0].replace(
        f'<script type="application/json" id="{CARRIED_TILES_ID}">', "")
    body = out.split(f'id="{CARRIED_TILES_ID}">')[1].split("</script>")[0]
    assert json.loads(body) == {"5/1/2": json.loads(tile)}
    assert carrying_tiles(html, {}) == html and carrying_tiles(html, None) == html
    assert carrying_tiles("<html><body></body></html>", {"5/1/2": tile}) == "<html><body></body></html>"


def test_a_new_page_carries_the_tiles_of_its_view_that_are_built(qtbot, asked, given):
    view = _built_in_map_shown(qtbot, 1000, 700)
    assert len(given) >= 6  # (the package ships the built-in map's first view: all of them are there)
    assert not set(given) & set(asked), "the page asked for tiles it carried"
    assert view.state["basemapLoaded"] is True
