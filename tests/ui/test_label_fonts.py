"""The basemap's place names are drawn in the first of LABEL_FONTS the machine has: a page the
app shows names only those it has (the web engine then looks up no missing family as the page
starts), a page for other machines (the HTML export) names them all."""

from __future__ import annotations

import json
import re

from PySide6.QtGui import QFontDatabase

from tests.ui.conftest import js
from viewer import resources
from viewer.export import briefing as b
from viewer.model.scenario import load_scenario
from viewer.render.page import LABEL_FONTS, PageOptions, css_font_list, map_payload
from viewer.ui.page_fonts import installed, label_fonts

MISSING = "No Such Family 7f3c"


def _families(css: str) -> list[str]:
    """The quoted families of a CSS font list."""
    return [json.loads(q) for q in re.findall(r'"(?:[^"\\]|\\.)*"', css)]


def _label_font_of(html: str) -> str:
    m = re.search(r'"labelFont":("(?:[^"\\]|\\.)*")', html)
    assert m, "the page's payload names no label font"
    return json.loads(m.group(1))


def test_a_font_list_quotes_each_family_and_ends_with_the_generic_sans():
    assert css_font_list(("DejaVu Sans", 'Odd "Name"')) == '"DejaVu Sans", "Odd \\"Name\\"", sans-serif'
    assert css_font_list(()) == "sans-serif"


def test_a_page_names_every_label_font_unless_told_which():
    view = {"center": [39.0, 125.7], "zoom": 6}
    assert map_payload(PageOptions(), view)["labelFont"] == css_font_list(LABEL_FONTS)
    assert map_payload(PageOptions(label_fonts=("DejaVu Sans",)), view)["labelFont"] == '"DejaVu Sans", sans-serif'
    assert map_payload(PageOptions(label_fonts=()), view)["labelFont"] == "sans-serif"


def test_installed_keeps_the_order_and_leaves_out_what_the_machine_lacks(qapp):
    have = tuple(reversed(QFontDatabase.families()[:2]))  # (the database's order turned round)
    assert have
    assert installed((MISSING,) + have) == have
    assert installed((MISSING,)) == ()
    assert all(QFontDatabase.hasFamily(f) for f in label_fonts())
    assert [f for f in LABEL_FONTS if f in label_fonts()] == list(label_fonts())  # (their order)


def test_the_window_page_draws_place_names_in_the_families_the_machine_has(window, qtbot):
    font = js(qtbot, window.map_view, "SitMap.basemapFont()")
    assert font == css_font_list(label_fonts())
    assert all(QFontDatabase.hasFamily(f) for f in _families(font))
    # the basemap's text is drawn with it (a tile of one city label, drawn as the page draws tiles)
    used = json.loads(js(qtbot, window.map_view, """(function () {
      var fonts = [], fill = CanvasRenderingContext2D.prototype.fillText;
      CanvasRenderingContext2D.prototype.fillText = function () { fonts.push(this.font); return fill.apply(this, arguments); };
      try {
        var c = document.createElement('canvas');
        c.width = c.height = 256;
        SitMap.drawBasemapTile(c, { size: 256, z: 6, labels: [{ text: 'Anju', kind: 'city', size: 11,
          x: 100, y: 100, tx: 106, ty: 100 }] }, 256, 1, null);
        return JSON.stringify(fonts);
      } finally { CanvasRenderingContext2D.prototype.fillText = fill; }
    })()"""))
    assert used and all(f.endswith(font) or f.endswith(font.replace('"', "")) for f in used), used


def test_a_briefing_the_app_captures_names_what_it_is_given_and_the_html_export_names_all(qapp):
    scenario = load_scenario(resources.default_scenario())
    size = b.ExportSize.pixels(800, 450)
    captured = b.compose(scenario, size, label_fonts=("DejaVu Sans",)).html
    assert _label_font_of(captured) == '"DejaVu Sans", sans-serif'
    from viewer.export.html import build_html

    assert _label_font_of(build_html(scenario, size)) == css_font_list(LABEL_FONTS)


def test_a_briefing_the_app_opens_draws_place_names_in_the_families_the_machine_has(qtbot):
    from viewer.ui.capture import close_view, open_briefing

    view = open_briefing(load_scenario(resources.default_scenario()), b.ExportSize.pixels(800, 450), timeout_ms=60_000)
    try:
        assert js(qtbot, view, "SitMap.basemapFont()") == css_font_list(label_fonts())
    finally:
        close_view(view)


def test_an_emoji_in_a_name_is_drawn_in_colour_not_as_an_empty_box(window, qtbot):
    # (scripts/setup.sh installs an emoji font: names from posts and chats carry emoji and flags.
    # Drawn in black, an emoji font's glyph has colour; a missing glyph's box has none.)
    coloured = json.loads(js(qtbot, window.map_view, """(function () {
      var c = document.createElement('canvas'), x = c.getContext('2d');
      c.width = 120; c.height = 40;
      x.fillStyle = '#000';
      x.font = '24px ' + SitMap.basemapFont();
      x.fillText('\\u{1F680}\\u{1F1F0}\\u{1F1F5}', 4, 30);
      var d = x.getImageData(0, 0, c.width, c.height).data, n = 0;
      for (var i = 0; i < d.length; i += 4) {
        if (d[i + 3] > 128 && Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) { n++; }
      }
      return JSON.stringify(n);
    })()"""))
    assert coloured > 100, "no emoji font: the names' emoji show as empty boxes"
