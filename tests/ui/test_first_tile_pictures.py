"""A start from the page cache shows the pictures of its first basemap tiles as the window showed
them the time before, where drawing them would give the same pixels, instead of drawing them; the
pictures are kept a while after a start's map is up, and not again while they still fit (real
window, real page)."""

from __future__ import annotations

import json

import pytest

from tests.ui.conftest import READY_MS, js, start_window

# Each tile shown from its picture against the same tile drawn now: {shown, same} (pixel for pixel).
SAME_AS_DRAWN = """(function () {
  var layer = SitMap.app.basemap, out = {shown: 0, same: 0, drawn: 0};
  Object.keys(layer._tiles).forEach(function (k) {
    var el = layer._tiles[k].el, m = el._sitmap;
    if (!m) { return; }
    if (!el._sitmapFromPicture) { out.drawn += 1; return; }
    out.shown += 1;
    var c = document.createElement('canvas');
    c.width = el.width; c.height = el.height;
    SitMap.drawBasemapTile(c, m.data, m.cssSize, m.ratio, layer._hidden, m.skip);
    var a = el.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    var b = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, differ = 0;
    for (var i = 0; i < a.length; i++) { if (a[i] !== b[i]) { differ += 1; } }
    if (!differ) { out.same += 1; }
  });
  return JSON.stringify(out);
})()"""


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """The app's page cache in tmp_path, the pictures kept right after a map is up; the pictures
    kept are listed in ``cache.kept``."""
    import viewer.app as app_mod
    import viewer.ui.map_view as map_view_mod
    from viewer.render.page_cache import PageCache

    pages = PageCache(tmp_path / "pages")
    pages.kept = []
    put = pages.put_pictures

    def put_pictures(key, pictures):
        pages.kept.append(dict(pictures))
        put(key, pictures)

    pages.put_pictures = put_pictures
    monkeypatch.setattr(app_mod, "page_cache", lambda: pages)
    monkeypatch.setattr(map_view_mod, "PICTURES_AFTER_MS", 0)
    return pages



def _entry(cache):
    (key,) = [p.stem for p in cache.folder.glob("*.json")]
    return key, cache.get(key)


def test_the_next_start_shows_its_first_tiles_pictures_pixel_for_pixel(qtbot, settings, tmp_path, cache):
    first = start_window(qtbot, settings, tmp_path)
    qtbot.waitUntil(lambda: bool(cache.kept), timeout=20_000)
    key, entry = _entry(cache)
    kept = cache.kept[0]
    assert kept and set(kept) <= set(entry["tiles"])
    assert json.loads(cache.pictures(key)) == kept
    assert cache.prepared(key) is not None  # (the next start serves the page as kept with them)
    assert json.loads(js(qtbot, first.map_view, SAME_AS_DRAWN))["shown"] == 0  # (the first start drew them)
    first.close()

    second = start_window(qtbot, settings, tmp_path)
    assert js(qtbot, second.map_view, "document.getElementById('sitmap-carried-pictures') === null") is True
    seen = json.loads(js(qtbot, second.map_view, SAME_AS_DRAWN))
    assert seen["shown"] == len(kept) and seen["same"] == seen["shown"], seen
    assert second.map_view.state["basemapLoaded"] is True
    # shown from their pictures and not drawn since: not kept again
    with qtbot.assertNotEmitted(second.map_view.bridge.tilePicturesGiven, wait=500):
        second.map_view.keep_tile_pictures(list(kept), lambda p: cache.kept.append(p), after_ms=0)
    assert len(cache.kept) == 1


def _carried_page(qtbot, settings, tmp_path, cache):
    """The cached page, its carried tiles and its pictures (JSON text), once a start kept them."""
    w = start_window(qtbot, settings, tmp_path)
    qtbot.waitUntil(lambda: bool(cache.kept), timeout=20_000)
    key, entry = _entry(cache)
    view = w.map_view
    return view, entry, json.loads(cache.pictures(key))


def _load(qtbot, view, entry, pictures):
    with qtbot.waitSignal(view.mapReady, timeout=READY_MS):
        view.load_page(entry["html"], entry["online_specs"], tiles=entry["tiles"], pictures=json.dumps(pictures))
    return json.loads(js(qtbot, view, SAME_AS_DRAWN))


def test_a_picture_that_would_not_show_what_drawing_shows_is_not_used(qtbot, settings, tmp_path, cache):
    view, entry, pictures = _carried_page(qtbot, settings, tmp_path, cache)
    labelled = [k for k, p in pictures.items() if p["skip"]]
    assert len(pictures) >= 4 and labelled
    changed = dict(pictures)
    k0 = labelled[0]
    flipped = "".join("1" if c == "0" else "0" for c in pictures[k0]["skip"])
    changed[k0] = dict(pictures[k0], skip=flipped)  # other labels left out than placement leaves out
    others = [k for k in pictures if k != k0]
    changed[others[0]] = dict(pictures[others[0]], w=pictures[others[0]]["w"] + 1)  # another canvas size
    changed[others[1]] = dict(pictures[others[1]], ratio=2)  # another pixel ratio
    seen = _load(qtbot, view, entry, changed)
    assert seen["shown"] == len(pictures) - 3 and seen["same"] == seen["shown"] and seen["drawn"] >= 3, seen
    assert view.state["basemapLoaded"] is True


def test_a_picture_that_cannot_be_decoded_leaves_its_tile_drawn(qtbot, settings, tmp_path, cache):
    import base64

    view, entry, pictures = _carried_page(qtbot, settings, tmp_path, cache)
    broken = dict(pictures)
    k0 = next(iter(pictures))
    broken[k0] = dict(pictures[k0], png=base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 40).decode("ascii"))
    seen = _load(qtbot, view, entry, broken)
    assert seen["shown"] == len(pictures) - 1 and seen["same"] == seen["shown"], seen
    tile = js(qtbot, view, """(function () {
      var t = Object.values(SitMap.app.basemap._tiles).filter(function (t) {
        var c = t.coords; return c.z + '/' + c.x + '/' + c.y === %s; })[0];
      return t ? !!t.el._sitmap && !t.el._sitmapFromPicture : null; })()""" % json.dumps(k0))
    assert tile is True  # drawn instead
    assert view.state["basemapLoaded"] is True


def test_pictures_of_tiles_drawn_anew_are_kept_again(qtbot, settings, tmp_path, cache):
    view, entry, pictures = _carried_page(qtbot, settings, tmp_path, cache)
    changed = {k: dict(p, w=p["w"] + 1) for k, p in pictures.items()}  # none fits: all drawn
    seen = _load(qtbot, view, entry, changed)
    assert seen["shown"] == 0
    given = []
    with qtbot.waitSignal(view.bridge.tilePicturesGiven, timeout=10_000):
        view.keep_tile_pictures(list(pictures), given.append, after_ms=0)
    qtbot.waitUntil(lambda: bool(given), timeout=5000)
    assert given[0] == pictures  # the same pixels and labels as the first start kept
