"""An area filled in another colour than its edge (as geojson.io and QGIS style one) has a legend
swatch of both: the page's swatch was filled in the edge's colour."""

import json

from tests.ui.conftest import js
from viewer.export import briefing as b
from viewer.model.io.open_any import open_map_bytes
from viewer.render.drawn_set import legend_of
from viewer.render.layers import draw_scenario

ZONE = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"name": "Zone", "stroke": "#ff0000", "fill": "#0000ff", "fill-opacity": 0.5},
     "geometry": {"type": "Polygon", "coordinates": [[[130.5, 39.5], [132, 39.5], [132, 40.5], [130.5, 40.5], [130.5, 39.5]]]}},
    {"type": "Feature", "properties": {"name": "Edge only", "stroke": "#00aa00"},
     "geometry": {"type": "Polygon", "coordinates": [[[128, 36], [129, 36], [129, 37], [128, 37], [128, 36]]]}}]}


def _scenario():
    return open_map_bytes(json.dumps(ZONE).encode(), "zone.geojson")[0]


def test_an_areas_legend_row_carries_its_fill_where_it_is_not_its_edges_colour():
    rows = {r["text"]: r for r in legend_of(draw_scenario(_scenario()))}
    assert rows["Zone"]["color"].lower() == "#ff0000" and rows["Zone"]["fill"].lower() == "#0000ff"
    assert "fill" not in rows["Edge only"]
    # and the opacity it is filled with on the map (a KML's 7d alpha, geojson.io's fill-opacity)
    assert rows["Zone"]["fillOpacity"] == 0.5
    drawn = {d.name: d for d in draw_scenario(_scenario())}
    assert rows["Edge only"]["fillOpacity"] == drawn["Edge only"].style["fillOpacity"]


def test_the_briefings_legend_swatch_is_filled_in_the_areas_fill(qtbot):
    from viewer.ui.capture import close_view, open_briefing

    view = open_briefing(_scenario(), b.ExportSize.pixels(1200, 800), b.BriefingOptions(), timeout_ms=60_000)
    try:
        got = json.loads(js(qtbot, view, """JSON.stringify(Array.prototype.map.call(
            document.querySelectorAll('.sitmap-legend svg rect'), function (e) {
              return [e.getAttribute('fill'), e.getAttribute('stroke'), e.getAttribute('fill-opacity')]; }))"""))
    finally:
        close_view(view)
    assert ["#0000ff", "#ff0000", "0.5"] in [[f.lower(), s.lower(), o] for f, s, o in got], got
