"""A map of the whole world (an ICBM's range rings) opens in the window at the nearest whole zoom
where nothing on it shows twice and the world is as tall as the map (it opened at a zoom where the
world, and each feature, showed twice across the map with bands past the last latitude); the page
carries the basemap tiles of that view (viewer/ui/waiting_page.py, through frame_view.fitted_view)
and asks for none of them. Zoom to Scenario keeps to the same zoom; a regional map is fitted as
before."""

import json

from tests.export.test_whole_world_briefing import _reach_map
from tests.ui.conftest import READY_MS, js
from viewer import api
from viewer.export.frame_view import one_world_zoom

VIEW = """JSON.stringify((function () {
  var map = SitMap.app.map, size = map.getSize(), zoom = map.getZoom(), origin = map.getPixelOrigin();
  return {zoom: zoom, w: size.x, h: size.y, world: 256 * Math.pow(2, zoom), top: origin.y,
          bottom: origin.y + size.y};
})())"""


def _shown(qtbot, scenario):
    from viewer.ui.map_view import MapView

    view = MapView()
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    with qtbot.waitSignal(view.mapReady, timeout=READY_MS):
        view.show_scenario(scenario)
    return view


def test_a_whole_world_map_opens_with_nothing_twice(qtbot, asked, given):
    from viewer.render import layers

    scenario = _reach_map()
    view = _shown(qtbot, scenario)
    got = json.loads(js(qtbot, view, VIEW))
    bounds = layers.view_of(scenario, layers.draw_scenario(scenario))["bounds"]
    span = bounds[1][1] - bounds[0][1]
    assert got["zoom"] == one_world_zoom(got["w"], got["h"], span, whole_steps=True)[1], got
    assert got["world"] >= got["h"] and got["world"] >= 0.9 * got["w"], got  # (at most a sliver twice)
    assert got["top"] >= -0.5 and got["bottom"] <= got["world"] + 0.5, got
    assert given and not set(given) & set(asked), "the page asked for tiles it carried"
    # Zoom to Scenario (the event: the rings) keeps to it
    js(qtbot, view, "SitMap.app.fitEvent(false)")
    again = json.loads(js(qtbot, view, VIEW))
    assert again["zoom"] >= got["zoom"] and again["top"] >= -0.5 and again["bottom"] <= again["world"] + 0.5, again


def test_a_regional_map_opens_fitted_as_before(qtbot):
    from viewer.export.frame_view import fitted_view
    from viewer.render import layers

    m = api.new_map("Regional")
    m.add_place(39.03, 125.75, "Pyongyang (Sunan)")
    m.add_ring(39.03, 125.75, 380_000, "380 km")
    view = _shown(qtbot, m.scenario)
    got = json.loads(js(qtbot, view, VIEW))
    vw = layers.view_of(m.scenario, layers.draw_scenario(m.scenario))
    assert got["zoom"] == fitted_view(vw, got["w"], got["h"], snap=1.0)[1] == \
        fitted_view(vw, got["w"], got["h"], snap=1.0, one_world=True)[1]
