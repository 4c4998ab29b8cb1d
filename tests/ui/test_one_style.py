"""One geometry and one style: every feature has the same colour on screen (read back from the
live page), in the briefing PNG (at its projected pixels), in the GeoJSON export's simplestyle
and in the KML styles; an area across the antimeridian is geodesic everywhere and split in GeoJSON."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET


from tests.export.conftest import colour_near
from tests.ui.conftest import READY_MS, js
from viewer.model.document import Document
from viewer.model.exchange import export_kml
from viewer.model.scenario import load_scenario
from viewer.render.layers import draw_scenario, drawn_to_geojson

KML = "{http://www.opengis.net/kml/2.2}"


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def kml_colours(scenario) -> dict[str, str]:
    """Placemark id -> '#RRGGBB' of its line (or icon) colour, read from the KML styles."""
    root = ET.fromstring(export_kml(scenario))
    out = {}
    shared = {st.get("id"): st for st in root.iter(f"{KML}Style")}  # (the document's, named by styleUrl)
    for pm in root.iter(f"{KML}Placemark"):
        data = {d.get("name"): d.text for d in pm.iter(f"{KML}SimpleData")}
        if data.get("sitmap_kind") == "uncertainty":
            continue
        style = shared[pm.findtext(f"{KML}styleUrl").removeprefix("#")]
        el = style.find(f"{KML}LineStyle/{KML}color")
        if el is None:
            el = style.find(f"{KML}IconStyle/{KML}color")
        aabbggrr = el.text
        out[data["sitmap_id"]] = f"#{aabbggrr[6:8]}{aabbggrr[4:6]}{aabbggrr[2:4]}".upper()
    return out


def geojson_colours(scenario) -> dict[str, str]:
    doc = drawn_to_geojson(scenario, draw_scenario(scenario))
    return {f["id"]: (f["properties"].get("stroke") or f["properties"]["marker-color"]).upper()
            for f in doc["features"] if f["properties"].get("kind") != "uncertainty"}


def screen_colours(qtbot, window) -> dict[str, str]:
    script = ("JSON.stringify(Object.keys(SitMap.app.features).map(function (id) {"
              " var m = SitMap.app.features[id].main;"
              " return [id, m.options.color || (m.getElement && m.getElement() ? m.getElement().innerHTML : '')];}))")
    out = {}
    for fid, value in json.loads(js(qtbot, window.map_view, script)):
        if value.startswith("#"):
            out[fid] = value.upper()
        else:  # a marker: its SVG is filled or stroked with its colour
            import re

            found = re.findall(r"#[0-9A-Fa-f]{6}", value)
            out[fid] = next((c.upper() for c in found if c.upper() not in ("#FFFFFF", "#1A1A1A", "#FFF")), "")
    return out


def several_rings(window) -> Document:
    for i, r in enumerate((150_000, 600_000, 900_000)):
        window.add_ring(39.2002, 125.6733, r, name=f"{r // 1000} km")
    return window.doc


def check_all_agree(qtbot, window):
    doc = window.doc
    expected = {f.id: window.map_view.drawn[i].style["color"].upper() for i, f in enumerate(doc.features)}
    assert screen_colours(qtbot, window) == expected
    assert geojson_colours(doc.scenario) == expected
    assert kml_colours(doc.scenario) == expected
    return expected


def test_builtin_scenario_has_one_colour_per_feature_on_screen_and_in_every_file(qtbot, window):
    colours = check_all_agree(qtbot, window)
    assert colours["rail-crossing"] == "#009E73"  # was grey in the KML export
    assert colours["ring-380km"] == "#D55E00"


def test_after_a_ring_is_deleted_the_others_keep_their_colours_everywhere(qtbot, window):
    several_rings(window)
    before = check_all_agree(qtbot, window)
    victim = next(f.id for f in window.doc.features if f.kind == "range_ring" and f.properties.get("annotation"))
    window.editor.selection.select(victim)
    assert window.delete_selected()
    after = check_all_agree(qtbot, window)
    assert after == {k: v for k, v in before.items() if k != victim}


def test_briefing_png_draws_each_ring_in_its_document_colour(qtbot, window):
    from viewer.export import briefing as b
    from viewer.ui.capture import close_view, open_briefing, wait_for_briefing_frame

    several_rings(window)
    victim = next(f.id for f in window.doc.features if f.kind == "range_ring" and f.properties.get("annotation"))
    window.editor.selection.select(victim)
    window.delete_selected()
    scenario = window.doc.scenario
    size = b.ExportSize.pixels(1600, 1000)
    view = open_briefing(scenario, size, b.BriefingOptions(), timeout_ms=READY_MS)
    try:
        rings = [d for d in draw_scenario(scenario) if d.kind == "range_ring"]
        picks = {d.id: [d.outline[0][i] for i in range(0, len(d.outline[0]), max(1, len(d.outline[0]) // 24))]
                 for d in rings}
        points = {fid: json.loads(js(qtbot, view, "JSON.stringify(%s.map(function (p) {"
                                                  " return SitMap.briefing.pagePoint(p[0], p[1]); }))" % json.dumps(pts)))
                  for fid, pts in picks.items()}
        image = wait_for_briefing_frame(view)
    finally:
        close_view(view)
    z = size.zoom
    for d in rings:
        inside = [(x * z, y * z) for x, y in points[d.id] if 0 <= x * z < image.width() and 0 <= y * z < image.height()]
        if len(inside) < 6:
            continue  # this ring runs off the briefing's map
        hits = sum(colour_near(image, x, y, _rgb(d.style["color"]), radius=max(2, round(z))) for x, y in inside)
        assert hits >= 0.6 * len(inside), f"{d.id}: its colour at {hits} of {len(inside)} projected points"


def test_an_area_across_the_antimeridian_is_geodesic_on_screen_and_in_files_and_split_in_geojson(qtbot, window):
    corners = [[175.0, -20.0], [-175.0, -20.0], [-175.0, -10.0], [175.0, -10.0], [175.0, -20.0]]
    fid = window.add_annotation("area", {"type": "Polygon", "coordinates": [corners]}, {"name": "Across"})
    assert fid is not None
    drawn = next(d for d in window.map_view.drawn if d.id == fid)
    ring = drawn.latlngs[0][0]
    assert len(ring) > 8  # densified geodesic edges
    lons = [lon for _lat, lon in ring]
    assert max(lons) - min(lons) < 20  # one shape over the antimeridian, not a band round the world
    page = json.loads(js(qtbot, window.map_view,
                         "JSON.stringify(SitMap.app.features[%s].main.getLatLngs()[0][0].length)" % json.dumps(fid)))
    assert page == len(ring)
    g = next(f for f in drawn_to_geojson(window.doc.scenario, window.map_view.drawn)["features"] if f["id"] == fid)
    assert g["geometry"]["type"] == "MultiPolygon" and len(g["geometry"]["coordinates"]) == 2
    assert all(-180 <= c[0] <= 180 for poly in g["geometry"]["coordinates"] for c in poly[0])
    saved = json.loads(__import__("viewer.model.project", fromlist=["project_bytes"]).project_bytes(window.doc.scenario))
    kept = next(f for f in saved["features"] if f["id"] == fid)
    assert kept["geometry"]["type"] == "MultiPolygon" and kept["properties"]["vertices"] == [corners]


def test_a_bow_tie_drawn_with_the_area_tool_is_kept_as_two_areas_saved_and_reopened(qtbot, window, tmp_path):
    from tests.ui.test_annotate import click

    window.tool_actions["area"].trigger()
    for lat, lng in ((38.0, 127.0), (39.0, 128.0), (38.0, 128.0), (39.0, 127.0)):
        click(qtbot, window, lat, lng)
    click(qtbot, window, 39.0, 127.0, double=True)
    qtbot.waitUntil(lambda: sum(1 for f in window.doc.features if f.kind == "area" and f.properties.get("annotation")) == 2,
                    timeout=10_000)
    assert "crossed itself" in window.statusBar().currentMessage()
    path = tmp_path / "bow.sitmap.geojson"
    assert window.save_to(path)
    reopened = load_scenario(path)
    assert reopened == window.doc.scenario
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert window.open_path(path)
    assert sum(1 for f in window.doc.features if f.kind == "area" and f.properties.get("annotation")) == 2


def test_another_tools_fill_colour_and_line_opacity_are_drawn_and_written_as_they_were(qtbot, window, tmp_path):
    # geojson.io's and Google Earth's areas often fill in another colour than their outline, and
    # draw lines half transparent: the screen drew both in the line's colour, fully opaque
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "zone", "properties": {"name": "Zone", "stroke": "#cc0000", "fill": "#00aa00",
                                                        "fill-opacity": 0.3, "stroke-opacity": 0.5},
         "geometry": {"type": "Polygon", "coordinates": [[[126, 38], [128, 38], [128, 39], [126, 39], [126, 38]]]}},
        {"type": "Feature", "id": "road", "properties": {"name": "Road", "stroke": "#0000cc", "stroke-opacity": 0.4},
         "geometry": {"type": "LineString", "coordinates": [[125, 37], [129, 40]]}}]}
    path = tmp_path / "theirs.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert window.open_path(path)
    script = ("JSON.stringify(['zone', 'road'].map(function (id) { var o = SitMap.app.features[id].main.options;"
              " return [o.color, o.fillColor, o.opacity, o.fillOpacity]; }))")
    zone, road = json.loads(js(qtbot, window.map_view, script))
    assert [zone[0].lower(), zone[1].lower(), zone[2], zone[3]] == ["#cc0000", "#00aa00", 0.5, 0.3]
    assert [road[0].lower(), road[2]] == ["#0000cc", 0.4]
    # the same in the files: simplestyle, SitMap's own style, and KML (aabbggrr)
    out = {f["id"]: f["properties"] for f in drawn_to_geojson(window.doc.scenario,
                                                              draw_scenario(window.doc.scenario))["features"]}
    assert out["zone"]["fill"].lower() == "#00aa00" and out["zone"]["stroke-opacity"] == 0.5
    assert out["zone"]["style"]["fill_color"].lower() == "#00aa00" and out["road"]["style"]["opacity"] == 0.4
    kml = export_kml(window.doc.scenario).decode()
    assert all(f"<color>{c}</color>" in kml for c in ("800000cc", "4c00aa00", "66cc0000"))
