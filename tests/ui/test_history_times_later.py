"""A map's times (for the time slider) are worked out when the history layer needs them, not at
opening: a map of a million points opened a second later for a layer that was off."""

import json

from tests.ui.conftest import js
from viewer.model import history as h


def page_timed(qtbot, window) -> dict:
    return json.loads(js(qtbot, window.map_view, "JSON.stringify(SitMap.history.timedFeatures || null)"))


def test_opening_a_map_with_the_layer_off_works_out_no_times(window, qtbot, monkeypatch):
    from viewer import resources
    from viewer.model.scenario import load_scenario

    calls = []
    real = h.feature_times
    monkeypatch.setattr(h, "feature_times", lambda s: calls.append(s) or real(s))
    with qtbot.waitSignal(window.map_view.mapReady, timeout=60_000):
        window.set_scenario(load_scenario(resources.default_scenario()), None)
    assert not window.act_history.isChecked()
    assert calls == []
    assert not window.history_panel.layer.timed_known
    turn_on_and_wait(qtbot, window)  # the layer shown: now they are needed
    assert len(calls) == 1 and calls[0] is window.scenario
    assert "launch-point" in window.history_panel.layer.timed
    qtbot.waitUntil(lambda: "launch-point" in (page_timed(qtbot, window) or {}), timeout=10_000)


def test_an_edit_made_while_the_layer_was_off_is_timed_when_it_is_shown(window, qtbot, monkeypatch):
    """The times are worked out from the map as it is when the layer is shown, edits included."""
    calls = []
    real = h.feature_times
    monkeypatch.setattr(h, "feature_times", lambda s: calls.append(s) or real(s))
    ring = window.add_ring(39.2002, 125.6733, 200_000, "200 km", centre_feature="launch-point")
    assert ring and calls == []
    turn_on_and_wait(qtbot, window)
    assert calls and ring in {f.id for f in calls[-1].features}
    assert ring in window.history_panel.layer.timed  # (drawn from the launch point: its times)
    qtbot.waitUntil(lambda: "launch-point" in (page_timed(qtbot, window) or {}), timeout=10_000)


def turn_on_and_wait(qtbot, window) -> None:
    window.act_history.setChecked(True)
    qtbot.waitUntil(lambda: json.loads(js(qtbot, window.map_view, "JSON.stringify(SitMap.history.state())"))["on"],
                    timeout=10_000)
