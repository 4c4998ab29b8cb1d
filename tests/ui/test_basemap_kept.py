"""The basemap keeps the tiles it lets go (resources/js/basemap_kept.js): a way back to a view
shows its tiles' canvases again instead of asking the app for them and drawing them anew; what
they show is never out of date."""

import json

from tests.ui.conftest import js

# Each tile on the map now marked as seen; how many tiles the page has drawn so far.
MARK = """(function () {
  var b = SitMap.app.basemap, n = 0;
  Object.keys(b._tiles).forEach(function (k) { if (b._tiles[k].current) { b._tiles[k].el._sitmapSeen = true; n += 1; } });
  return JSON.stringify([n, SitMap.basemapDrawings || 0]); })()"""
# The tiles on the map now: how many, how many of them are canvases marked before; drawings so far.
SEEN = """(function () {
  var b = SitMap.app.basemap, n = 0, seen = 0;
  Object.keys(b._tiles).forEach(function (k) { var t = b._tiles[k];
    if (t.current) { n += 1; seen += t.el._sitmapSeen ? 1 : 0; } });
  return JSON.stringify([n, seen, SitMap.basemapDrawings || 0]); })()"""


def pan(qtbot, view, dx):
    js(qtbot, view, "(function () { var m = SitMap.app.map; m.panBy([%s * m.getSize().x, 0], {animate: false});"
                    " return 'ok'; })()" % dx)
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.basemap.isLoading()") is False, timeout=10_000)


def test_a_pan_away_and_back_shows_the_same_tiles_again_without_drawing_them(qtbot, window):
    view = window.map_view
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.basemap.isLoading()") is False, timeout=10_000)
    shown, _ = json.loads(js(qtbot, view, MARK))
    pan(qtbot, view, 3)
    away = json.loads(js(qtbot, view, SEEN))
    assert away[1] == 0 and away[2] > 0  # (the view far away: other tiles, drawn)
    pan(qtbot, view, -3)
    back = json.loads(js(qtbot, view, SEEN))
    assert back[0] == shown and back[1] == shown  # the same canvases again
    assert back[2] == away[2]  # none drawn anew
    # a zoom in and out again: the same
    for step in (1, -1):
        js(qtbot, view, "(function () { var m = SitMap.app.map; m.setZoom(m.getZoom() + %d, {animate: false});"
                        " return 'ok'; })()" % step)
        qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.basemap.isLoading()") is False, timeout=10_000)
        if step == 1:
            inside = json.loads(js(qtbot, view, SEEN))
    out = json.loads(js(qtbot, view, SEEN))
    assert inside[1] == 0 and inside[2] > back[2]
    assert out[0] == shown and out[1] == shown and out[2] == inside[2]


def test_tiles_kept_while_the_map_s_own_place_names_changed_are_drawn_anew(qtbot, window):
    view = window.map_view
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.basemap.isLoading()") is False, timeout=10_000)
    shown, _ = json.loads(js(qtbot, view, MARK))
    pan(qtbot, view, 3)
    js(qtbot, view, "SitMap.app.basemap.setHiddenLabels(SitMap.app.cityNames().concat(['Shenyang'])); 'ok'")
    away = json.loads(js(qtbot, view, SEEN))
    pan(qtbot, view, -3)
    back = json.loads(js(qtbot, view, SEEN))
    assert back[0] == shown and back[1] == 0 and back[2] - away[2] >= shown  # drawn anew, none kept
    # (and the name hidden since is left out of them)
    drawn = json.loads(js(qtbot, view, """(function () {
      var b = SitMap.app.basemap, texts = [];
      Object.keys(b._tiles).forEach(function (k) { var m = b._tiles[k].el._sitmap;
        (m.data.labels || []).forEach(function (lab) { texts.push(String(lab.text)); }); });
      return JSON.stringify(texts); })()"""))
    assert "Shenyang" in drawn  # (a label of these tiles: the one the change hid)


def test_a_redraw_draws_every_tile_anew(qtbot, window):
    view = window.map_view
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.basemap.isLoading()") is False, timeout=10_000)
    shown, drawn = json.loads(js(qtbot, view, MARK))
    js(qtbot, view, "SitMap.app.basemap.redraw(); 'ok'")
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.basemap.isLoading()") is False, timeout=10_000)
    now = json.loads(js(qtbot, view, SEEN))
    assert now[0] == shown and now[1] == 0 and now[2] - drawn >= shown


def test_the_tiles_kept_stay_within_their_pixels_and_count_them_right(qtbot, window):
    """Panning on and on keeps at most 64 tiles' pixels, those let go last; the count of pixels
    kept is the sum of the canvases kept, however often the same tile was let go."""
    view = window.map_view
    for dx in (3, 3, -3, -3, 3, 6, -9, 3, -3):
        pan(qtbot, view, dx)
    kept = json.loads(js(qtbot, view, """(function () {
      var b = SitMap.app.basemap, sum = 0, n = 0;
      (b._keptTiles || new Map()).forEach(function (el) { sum += el.width * el.height; n += 1; });
      return JSON.stringify([n, sum, b._keptPixels]); })()"""))
    assert kept[0] > 16 and kept[1] == kept[2] <= 64 * 256 * 256, kept
