"""The offline basemap at the Dandong–Sinuiju crossing, drawn by the real page (QtWebEngine).

At zooms 10 to 14 the Yalu must show under the Sino-Korean Friendship Bridge: river pixels
near the bridge's projected position, and on the straight line from Dandong station (Chinese
bank) to Sinuiju Chongnyon station (Korean bank). The river lines (GSHHG/WDBII) run about
375 m from the bridge point given in places.md, along the Korean bank, so "near" allows that
much ground distance plus the drawn river's half width. The captured frames are kept in
``SITMAP_SHOTS`` (a folder) when that variable is set, to be looked at.
"""

from __future__ import annotations

import json
import math

import pytest

from tests.render.conftest import pixels_near
from tests.ui.conftest import js
from viewer.ui.web import register_scheme

register_scheme()

BRIDGE = (40.1164, 124.3906)  # places.md: Sino-Korean Friendship Bridge
DANDONG_STATION = (40.1219, 124.3822)
SINUIJU_STATION = (40.1069, 124.4017)
RIVER = (0x7F, 0xB0, 0xD3)  # basemap_paint.js STYLE.river
LAND = (0xF4, 0xF1, 0xEA)
URBAN = (0xE6, 0xDC, 0xCB)  # basemap_paint.js STYLE.urban: both stations stand in built-up areas
SIZE = (800, 600)
DATA_OFFSET_M = 375.0  # distance of the WDBII Yalu line from the bridge point (measured from the data)
READY_MS = 60_000


def _mpp(lat: float, z: int) -> float:
    return 2 * math.pi * 6378137.0 * math.cos(math.radians(lat)) / (256 * 2**z)


def _near(img, x: float, y: float, rgb, radius: float) -> bool:
    return pixels_near(img, x, y, rgb, radius) > 0


def _world_px(lat: float, lon: float, z: float) -> tuple[float, float]:
    n = 256 * 2**z
    s = math.sin(math.radians(lat))
    return (lon + 180.0) / 360.0 * n, (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * n


@pytest.mark.parametrize("z", [10, 11, 12, 13, 14])
def test_yalu_under_the_bridge(qtbot, z, shots_dir):
    from viewer import resources
    from viewer.ui.capture import wait_for_frame
    from viewer.model.scenario import load_scenario
    from viewer.render.page import PageOptions
    from viewer.ui.map_view import MapView

    view = MapView()
    qtbot.addWidget(view)
    view.setFixedSize(*SIZE)
    view.show()
    with qtbot.waitSignal(view.mapReady, timeout=READY_MS):
        view.show_scenario(load_scenario(resources.default_scenario()),
                           opts=PageOptions(interactive=False, online_layers=False))
    # the overlays (markers, rings, labels) off: only the basemap is looked at. (The frame to
    # compare with is the map's first, once on screen: a blank one grabbed before that came let the
    # first frame pass for the new view when the machine was busy.)
    before = wait_for_frame(view)
    js(qtbot, view, "Object.keys(SitMap.app.groups).forEach(function (g) { SitMap.app.setGroupVisible(g, false); }); "
                     "window.__tilesIn = false; SitMap.app.basemap.once('load', function () { window.__tilesIn = true; }); "
                     "SitMap.app.map.setView(%s, %d, {animate: false}); true" % (json.dumps(list(BRIDGE)), z))
    qtbot.waitUntil(lambda: js(qtbot, view, "window.__tilesIn && !SitMap.app.basemap.isLoading()") is True,
                    timeout=READY_MS)
    js(qtbot, view, "window.__shown = false; SitMap.app.whenShown(function () { window.__shown = true; }); true")
    qtbot.waitUntil(lambda: js(qtbot, view, "window.__shown") is True, timeout=READY_MS)
    centre = json.loads(js(qtbot, view, "JSON.stringify(SitMap.app.map.latLngToContainerPoint(%s))"
                              % json.dumps(list(BRIDGE))))
    # the compositor shows the new view a little after the page has drawn it
    qtbot.waitUntil(lambda: view.grab().toImage() != before, timeout=READY_MS)
    image = wait_for_frame(view)
    if shots_dir is not None:
        image.save(str(shots_dir / f"crossing-z{z}.png"))
    ratio = image.width() / SIZE[0]
    bx, by = centre["x"] * ratio, centre["y"] * ratio

    # the river near the bridge point: the data's offset plus the drawn river's half width
    reach = (DATA_OFFSET_M + 60.0) / _mpp(BRIDGE[0], z) * ratio + 2
    assert _near(image, bx, by, RIVER, reach), f"no river within {reach:.0f} px of the bridge at z{z}"

    # ... and on the line from Dandong station to Sinuiju station, between them
    ox, oy = _world_px(*BRIDGE, z)
    ends = []
    for lat, lon in (DANDONG_STATION, SINUIJU_STATION):
        wx, wy = _world_px(lat, lon, z)
        ends.append((bx + (wx - ox) * ratio, by + (wy - oy) * ratio))
    (x0, y0), (x1, y1) = ends
    steps = max(8, int(math.hypot(x1 - x0, y1 - y0)))
    on_line = [_near(image, x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps, RIVER, 1.5)
               for i in range(1, steps)]
    assert any(on_line), f"the river does not cross the Dandong–Sinuiju line at z{z}"
    # both stations stand on land (in the towns' urban tint), on either side of it
    for x, y in ((x0, y0), (x1, y1)):
        assert _near(image, x, y, LAND, 3) or _near(image, x, y, URBAN, 3)
