"""A map label shows a long name's first words and "...", within 48 characters (a name of hundreds
ran off the map and under the legend); the popup, facts and legend keep the whole name, and a text
label (the analyst's own words on the map) is never shortened."""

from __future__ import annotations

import json

from tests.ui.conftest import js
from tools.big_projects import _base
from viewer.export import briefing as b
from viewer.model.scenario import parse_scenario_bytes

LONG = "Long name with spaces " * 12
WORD = "A" * 300
TEXT = "An analyst's note, written on the map in full, however long it may be, " * 2


def _place(fid: str, lon: float, lat: float, name: str, **extra) -> dict:
    return {"type": "Feature", "id": fid, "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"kind": "place", "annotation": True, "name": name, "status": "estimated",
                           "source": "Analyst", **extra}}


def test_long_names_are_shortened_on_the_map_and_a_text_label_is_not(qtbot):
    from viewer.ui.capture import close_view, open_briefing

    doc = _base()
    doc["features"] += [_place("long", 127.0, 40.5, LONG), _place("word", 126.0, 37.5, WORD),
                        _place("note", 128.5, 36.5, TEXT, role="label"), _place("pair", 127.5, 38.0, "🚀" * 60)]
    scenario = parse_scenario_bytes(json.dumps(doc).encode("utf-8"), "labels.sitmap.json")
    view = open_briefing(scenario, b.ExportSize.pixels(1200, 800), timeout_ms=60_000)
    try:
        got = json.loads(js(qtbot, view, """JSON.stringify(Array.prototype.map.call(
            document.querySelectorAll('.sitmap-label .sitmap-label-text'), function (e) { return e.textContent; }))"""))
        short = json.loads(js(qtbot, view, "JSON.stringify(SitMap.feature.shortLabel('x'.repeat(47) + '\\ud83d\\ude80\\ud83d\\ude80'))"))
    finally:
        close_view(view)
    words = [t for t in got if t.startswith("Long name")]
    assert words == ["Long name with spaces Long name with spaces\u2026"], got  # (after a whole word)
    assert "A" * 47 + "\u2026" in got and WORD not in got
    assert TEXT.strip() in [t.strip() for t in got]  # (the analyst's text, whole)
    assert "🚀" * 47 + "\u2026" in got  # (cut between characters, not inside one)
    assert short == "x" * 47 + "\u2026"
    assert all(len(t) <= 48 for t in got if t.strip() != TEXT.strip())
