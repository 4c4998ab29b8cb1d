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


EDGE = "Supercalifragilisticexpialidocious" * 2 + "ABCDEFGHIJKLMN"


def test_a_label_the_frame_would_cut_is_left_out_of_a_printed_briefing(qtbot):
    """A long name by the frame's edge, with no free side of its point to go to (the names of
    Seoul and Shanghai take them), was shown cut by the frame: a printed briefing leaves it out (its
    name is in the legend); every label it shows is whole inside the frame."""
    from viewer import api
    from viewer.ui.capture import close_view, open_briefing

    m = api.new_map("Scripts")
    m.add_place(37.57, 126.98, "서울특별시 종로구 세종대로 정부서울청사 별관 앞 광장 집결지 및 대기 장소")
    m.add_place(39.90, 116.40, "北京市东城区天安门广场人民英雄纪念碑南侧集合地点及临时指挥所")
    m.add_place(24.71, 46.68, "الرياض المنطقة الوسطى مركز القيادة المؤقت بجانب الطريق السريع الشمالي")
    m.add_place(31.23, 121.47, "上海")
    m.add_place(35.68, 139.69, EDGE)
    view = open_briefing(m.scenario, b.ExportSize.pixels(1200, 800), b.BriefingOptions(), timeout_ms=60_000)
    try:
        shown = json.loads(js(qtbot, view, """JSON.stringify(Array.prototype.filter.call(
            document.querySelectorAll('.leaflet-tooltip.sitmap-label'), function (e) {
              return getComputedStyle(e).visibility !== 'hidden' && getComputedStyle(e).display !== 'none';
            }).map(function (e) {
              var r = e.getBoundingClientRect(), f = SitMap.app.map.getContainer().getBoundingClientRect();
              return {text: e.textContent, inside: r.left >= f.left - 0.5 && r.right <= f.right + 0.5
                      && r.top >= f.top - 0.5 && r.bottom <= f.bottom + 0.5};
            }))"""))
        legend = js(qtbot, view, "document.querySelector('.sitmap-legend').textContent")
    finally:
        close_view(view)
    assert shown and all(s["inside"] for s in shown), shown
    assert EDGE in legend
