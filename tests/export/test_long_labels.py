"""A long name's label goes on to more lines (between words where it has them, anywhere in a long
word) instead of running across the map, in the window and in every briefing (one stylesheet);
its whole text is kept, and a short name's label stays on one line."""

import json

from tests.ui.conftest import js
from viewer.export import briefing as b
from viewer.model.io.open_any import open_map_bytes

LONG = "Suspected launch site near Sunan International Airport, Pyongyang (per South Korea's JCS)"
UNBROKEN = "A_very_long_unbroken_identifier_from_some_database_export_0123456789abcdef"
SHORT = "Sinuiju"


def _scenario():
    places = [(125.7, 39.0, LONG), (124.4, 40.1, SHORT), (127.5, 38.5, UNBROKEN)]
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": n}, "geometry": {"type": "Point", "coordinates": [x, y]}}
        for x, y, n in places]}
    scenario, _report = open_map_bytes(json.dumps(doc).encode("utf-8"), "long.geojson")
    return scenario


def test_a_long_label_wraps_and_keeps_its_whole_text(qtbot):
    from viewer.ui.capture import close_view, open_briefing

    view = open_briefing(_scenario(), b.ExportSize.pixels(1200, 800), b.BriefingOptions(), timeout_ms=60_000)
    try:
        boxes = json.loads(js(qtbot, view, """JSON.stringify(Array.prototype.map.call(
            document.querySelectorAll('.leaflet-tooltip.sitmap-label'), function (e) {
              var r = e.getBoundingClientRect(), f = SitMap.app.map.getContainer().getBoundingClientRect();
              var s = getComputedStyle(e);
              return {text: e.textContent, w: r.width, h: r.height, em: parseFloat(s.fontSize),
                      line: parseFloat(s.lineHeight) || parseFloat(s.fontSize) * 1.5,
                      inside: r.left >= f.left - 0.5 && r.right <= f.right + 0.5};
            }))"""))
    finally:
        close_view(view)
    by_text = {box["text"]: box for box in boxes}
    assert {LONG, UNBROKEN, SHORT} <= set(by_text), sorted(by_text)
    for name in (LONG, UNBROKEN):
        box = by_text[name]
        assert box["w"] <= 20 * box["em"] + 5, box  # (at most 20em wide and its padding: on to more lines)
        assert box["h"] >= 2 * box["line"] - 1, box
        assert box["inside"], box
    short = by_text[SHORT]
    assert short["h"] < 1.5 * short["line"], short  # one line
