"""The page's two ways to get the launch history: the binary blob fetched through sitmap:// (the
window) and the JSON list a briefing page carries; both filter as Python does. Calls made while
the blob is on its way are kept."""

from __future__ import annotations

import json

from tests.ui.conftest import js
from viewer.model import history as h
from viewer.render.safe_json import safe_json


def page_state(qtbot, window) -> dict:
    return json.loads(js(qtbot, window.map_view, "JSON.stringify(SitMap.history.state())"))


def test_blob_and_json_forms_filter_alike(window, qtbot):
    hist = h.load_default()
    flt = h.HistoryFilter(years=(2016, 2023), classes=frozenset({"SRBM", "ICBM"}),
                          sites=frozenset({"pyongyang", "sunan", "wonsan"}), bands=frozenset({1, 3}))
    want = [x.id for x in flt.apply(hist.launches)]
    assert 0 < len(want) < 339
    layer = window.history_panel.layer
    window.act_history.setChecked(True)
    qtbot.waitUntil(lambda: page_state(qtbot, window)["on"], timeout=10_000)
    layer.set_filter(flt)
    qtbot.waitUntil(lambda: page_state(qtbot, window)["shownIds"] == want, timeout=5000)
    # the JSON form, as a briefing page gets it
    data = safe_json(h.page_data(hist))
    js(qtbot, window.map_view, f"SitMap.history.load({data}, {safe_json(flt.to_page())}, {{}}); 1")
    state = page_state(qtbot, window)
    assert state["on"] and state["total"] == 339 and state["shownIds"] == want
    # the tip over a launch reads the same in both forms
    x = hist.launch(want[0])
    window.map_view.run_js(f"SitMap.app.map.setView([{x.site.lat}, {x.site.lon}], 9, {{animate: false}});"
                           f"SitMap.app.map.fire('mousemove', {{latlng: L.latLng({x.site.lat}, {x.site.lon})}})")
    qtbot.waitUntil(lambda: js(qtbot, window.map_view,
                               "(document.querySelector('.sitmap-history-tip')||{}).textContent||''") != "", timeout=5000)
    tip = js(qtbot, window.map_view, "document.querySelector('.sitmap-history-tip').textContent")
    assert x.site.name in tip


def test_calls_made_while_the_blob_is_on_its_way_are_kept(window, qtbot):
    layer = window.history_panel.layer
    url = layer.prepare()
    flt = h.HistoryFilter(years=(2022, 2022)).to_page()
    # one script: load (the fetch starts), then filter, select and show before it can arrive
    js(qtbot, window.map_view, f"SitMap.history.load({json.dumps(url)}, {{}}, {{}});"
                               f"SitMap.history.setFilter({json.dumps(flt)}, '2022');"
                               "SitMap.history.select('dprk-20220116-2', false); SitMap.history.show(true); 1")
    qtbot.waitUntil(lambda: page_state(qtbot, window)["on"], timeout=10_000)
    state = page_state(qtbot, window)
    assert state["shown"] == 69 and state["selected"] == "dprk-20220116-2"
    assert "69 of 339 launches" in js(qtbot, window.map_view,
                                      "document.querySelector('.sitmap-history-legend').textContent")


def test_the_built_in_history_is_packed_ahead_of_the_first_turn_on(window, qtbot):
    layer = window.history_panel.layer
    assert not window.act_history.isChecked()
    qtbot.waitUntil(lambda: layer.prepared, timeout=10_000)  # packed while the layer is still off


def test_a_history_is_packed_ahead_a_few_launches_at_a_time_between_the_window_s_events(window, qtbot):
    """An imported table is packed while the layer is off, WARM_SLICE launches' tracks a step (the
    window answers between steps), and is then ready to send at once."""
    from viewer import resources
    from viewer.ui.history_layer import WARM_SLICE

    layer = window.history_panel.layer
    fresh = h.history_from_dict(json.loads(resources.read_text("history", "dprk-launches.json")), "a table")
    assert not any("track" in vars(x) for x in fresh.launches)
    layer.set_history(fresh)
    layer._warm.stop()  # (its first step taken here, by hand)
    layer._warm_step()
    assert sum("track" in vars(x) for x in fresh.launches) == WARM_SLICE and not layer.prepared
    assert layer._warm.isActive()  # the next step waits for the window's events
    qtbot.waitUntil(lambda: layer.prepared, timeout=10_000)
    assert all("track" in vars(x) for x in fresh.launches) and layer._data[0] is fresh
