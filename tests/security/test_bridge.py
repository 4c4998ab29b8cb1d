"""The QWebChannel bridge called from the page with hostile arguments: wrong types, huge
strings, NaN, negative indexes, ids with markup. Invalid input emits nothing; the rest is
treated as the text it is; the window keeps working."""

from __future__ import annotations

import json

from tests.security.conftest import PAYLOADS, assert_page_clean, js, norm

SIGNALS = ("ready", "featureSelected", "pointerAt", "pointerGone", "viewMoved", "groupVisibility", "baseLayerPicked",
           "onlineTileError", "clickedAt", "doubleClickedAt", "keyInPage", "vertexDragged", "featureAdded",
           "historySelected")

HUGE = "'x'.repeat(6000000)"
MARKUP_ID = json.dumps(PAYLOADS[0])

# (slot, JS argument lists) that must emit nothing
INVALID = {
    "mapReady": ["'not json'", "'[1,2]'", "'\"text\"'", HUGE, "'{' + 'x'.repeat(100)", "null", "{}", "[]"],
    "featureClicked": ["''", "'x'.repeat(129)", HUGE],
    "featureShiftClicked": ["''", "'x'.repeat(129)", HUGE],
    "pointerMoved": ["91, 0", "-90.5, 0", "0, 1e7"],
    "viewChanged": ["0, 0, -1", "0, 0, 31", "95, 0, 5"],
    "groupToggled": ["'', true", "'x'.repeat(129), true", HUGE + ", false"],
    "baseLayerChanged": ["'x'.repeat(201)", HUGE],
    "mapClicked": ["100, 0", "0, 1e9"],
    "mapDoubleClicked": ["-91, 0", "0, -1e9"],
    "vertexMoved": ["'marker-1', -1, 38, 127", "'marker-1', 2000000, 38, 127", "'marker-1', 0, 91, 127",
                    "'', 0, 38, 127", "'x'.repeat(129), 0, 38, 127"],
    "keyPressed": ["'a'", "'<script>'", "'Escape '", "''", HUGE, "'escape'"],
    "onlineTileFailed": ["'x'.repeat(201)", HUGE],
    "historyClicked": ["''", "'x'.repeat(129)", HUGE, "42", "null", "{}", "[]", MARKUP_ID, "'a b'"],
}

# Numbers that are not numbers. QWebChannel sends JSON, where NaN and Infinity become null, and
# PySide hands a float slot 0.0 for null (and whatever was in memory for a string or an object),
# so the slots' finiteness checks never see them.
NOT_NUMBERS = {
    "pointerMoved": ["NaN, 1", "1, NaN", "Infinity, 0", "0, -Infinity", "null, null", "'a', 'b'", "{}, []"],
    "viewChanged": ["NaN, 0, 5", "0, 0, NaN", "0, Infinity, 5"],
    "mapClicked": ["NaN, 0", "0, NaN", "Infinity, Infinity"],
    "mapDoubleClicked": ["NaN, 0"],
    "vertexMoved": ["'marker-1', 0, NaN, 127", "'marker-1', 0, 38, Infinity"],
}


def record(bridge) -> list:
    seen = []
    for name in SIGNALS:
        getattr(bridge, name).connect(lambda *args, _n=name: seen.append((_n, args)))
    return seen


def fence(qtbot, window, seen) -> None:
    """Messages over the channel arrive in order: once pointerLeft's signal is here, so is everything before it."""
    n = len([s for s in seen if s[0] == "pointerGone"])
    window.map_view.run_js("SitMap.app.bridge.pointerLeft()")
    qtbot.waitUntil(lambda: len([s for s in seen if s[0] == "pointerGone"]) > n, timeout=10_000)


def call_all(qtbot, window, table: dict, extra=()) -> list:
    seen = record(window.map_view.bridge)
    calls = [f"SitMap.app.bridge.{slot}({args})" for slot, arglists in table.items() for args in arglists]
    for call in [*calls, *extra]:
        window.map_view.run_js(f"try {{ {call}; }} catch (e) {{ }}")
    fence(qtbot, window, seen)
    return [s for s in seen if s[0] != "pointerGone"]


def test_invalid_arguments_from_the_page_emit_nothing(window, qtbot):
    marker = window.add_annotation("place", {"type": "Point", "coordinates": [127.0, 37.0]}, {"name": "Depot"})
    assert marker == "marker-1"
    # wrong numbers of arguments too
    wrong_count = ["SitMap.app.bridge.featureClicked()", "SitMap.app.bridge.pointerMoved(1)",
                   "SitMap.app.bridge.vertexMoved('marker-1')", "SitMap.app.bridge.mapReady()"]
    assert call_all(qtbot, window, INVALID, wrong_count) == []
    assert window.scenario.feature("marker-1").geometry["coordinates"] == [127.0, 37.0]
    assert window.undo_stack.count() == 1  # only the annotation added above


def test_numbers_that_are_not_numbers_emit_nothing(window, qtbot):
    window.add_annotation("place", {"type": "Point", "coordinates": [127.0, 37.0]}, {"name": "Depot"})
    emitted = call_all(qtbot, window, NOT_NUMBERS)
    assert window.scenario.feature("marker-1").geometry["coordinates"] == [127.0, 37.0], "a NaN moved the marker"
    assert emitted == []


def test_markup_and_unknown_ids_are_only_text_to_the_window(window, qtbot):
    seen = record(window.map_view.bridge)
    before = (window.selected_feature, list(window.selection), window.undo_stack.count())
    for p in PAYLOADS:
        arg = json.dumps(p[:128])
        for call in (f"featureClicked({arg})", f"featureShiftClicked({arg})", f"groupToggled({arg}, false)",
                     f"vertexMoved({arg}, 0, 38, 127)", f"baseLayerChanged({json.dumps(p[:200])})"):
            window.map_view.run_js(f"SitMap.app.bridge.{call}")
    fence(qtbot, window, seen)
    # Unknown ids select nothing, move nothing, hide nothing, and let no host through.
    assert (window.selected_feature, list(window.selection), window.undo_stack.count()) == before
    assert window.map_view.network_guard.allowed_hosts == set()
    assert all(x["visible"] for x in window.current_layers())
    # A tile failure reported under a markup name is shown as that text in the status bar.
    with qtbot.waitSignal(window.map_view.bridge.onlineTileError, timeout=5000):
        window.map_view.run_js(f"SitMap.app.bridge.onlineTileFailed({json.dumps(PAYLOADS[0])})")
    assert window.statusBar().currentMessage().startswith(PAYLOADS[0] + ": tiles cannot be loaded")
    assert_page_clean(qtbot, window.map_view)


def test_a_forged_ready_message_and_hostile_calls_leave_a_working_window(window, qtbot):
    forged = json.dumps({"features": PAYLOADS[0], "groups": [PAYLOADS[1]], "zoom": "NaN", "center": None})
    with qtbot.waitSignal(window.map_view.mapReady, timeout=5000):
        window.map_view.run_js(f"SitMap.app.bridge.mapReady({json.dumps(forged)})")
    seen = record(window.map_view.bridge)
    for call in ("pointerMoved(38.5, 127.5)", "viewChanged(38, 127, 6)", "mapClicked(38, 127)"):
        window.map_view.run_js(f"SitMap.app.bridge.{call}")
    fence(qtbot, window, seen)
    names = [s[0] for s in seen]
    assert "pointerAt" in names and "viewMoved" in names and "clickedAt" in names
    # The window still draws, selects and edits.
    fid = window.add_annotation("place", {"type": "Point", "coordinates": [127.0, 37.5]}, {"name": PAYLOADS[2]})
    qtbot.waitUntil(lambda: js(qtbot, window.map_view, f"!!SitMap.app.features[{json.dumps(fid)}]") is True,
                    timeout=5000)
    with qtbot.waitSignal(window.map_view.bridge.featureSelected, timeout=5000):
        window.map_view.run_js(f"SitMap.app.bridge.featureClicked({json.dumps(fid)})")
    assert window.selected_feature == fid and norm(window.properties.name.text()) == norm(PAYLOADS[2])
    with qtbot.waitSignal(window.map_view.bridge.vertexDragged, timeout=5000):
        window.map_view.run_js(f"SitMap.app.bridge.vertexMoved({json.dumps(fid)}, 0, 38.25, 127.25)")
    assert window.scenario.feature(fid).geometry["coordinates"] == [127.25, 38.25]
    window.focus_feature("launch-point")
    assert js(qtbot, window.map_view, "SitMap.app.selected") == "launch-point"
    assert_page_clean(qtbot, window.map_view)
