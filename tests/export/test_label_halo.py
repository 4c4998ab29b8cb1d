"""Labels keep a solid white halo round their letters (not only a soft glow), so that they read over
a crowd of features as over the basemap, in the window and in every briefing (one stylesheet)."""

import json

from tests.ui.conftest import js
from viewer import resources
from viewer.export import briefing as b
from viewer.model.scenario import load_scenario


def _shadows(css: str) -> list[tuple[float, float, float]]:
    """(x, y, blur) of each white shadow in a computed text-shadow (``rgb(...) Xpx Ypx Bpx, ...``)."""
    import re

    out = []
    for colour, x, y, blur in re.findall(r"(rgba?\([^)]*\))\s+(-?[\d.]+)px\s+(-?[\d.]+)px\s+([\d.]+)px", css):
        channels = [float(v) for v in re.findall(r"[\d.]+", colour)[:3]]
        if min(channels) >= 250:
            out.append((float(x), float(y), float(blur)))
    return out


def test_a_label_has_a_solid_halo_all_round(qtbot):
    from viewer.ui.capture import close_view, open_briefing

    scenario = load_scenario(resources.default_scenario())
    view = open_briefing(scenario, b.ExportSize.pixels(1280, 720), b.BriefingOptions(), timeout_ms=60_000)
    try:
        css = json.loads(js(qtbot, view, """JSON.stringify(Array.prototype.map.call(
            document.querySelectorAll('.leaflet-tooltip.sitmap-label .sitmap-label-text'),
            function (e) { return getComputedStyle(e).textShadow; }))"""))
    finally:
        close_view(view)
    assert css
    for shadow in css:
        ring = {(round(x), round(y)) for x, y, blur in _shadows(shadow) if blur == 0 and (x or y)}
        # white copies of the letters offset every way: left, right, up, down and the corners
        assert {(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, -1), (1, -1), (-1, 1)} <= ring, shadow
