"""The render layer: drawn features carry the model's one geometry and style; the page holds the
scenario once, as data, with its layers labelled as the map says; nothing knows a scenario by name."""

from __future__ import annotations

import json
import re
from pathlib import Path

from viewer import resources
from viewer.model.document import Document
from viewer.model.geometry import shape_of
from viewer.model.scenario import Feature, Scenario, load_scenario
from viewer.model.style import UNSTYLED_COLOUR
from viewer.model.style import style_of
from viewer.render import layers
from viewer.render.page import PageOptions, build_page, page_payload


def builtin():
    return Document(load_scenario(resources.default_scenario())).scenario


def test_drawn_features_use_the_models_geometry_and_style():
    s = builtin()
    for f, d in zip(s.features, layers.draw_scenario(s)):
        assert d.geometry == shape_of(f).geojson
        assert d.style["color"] == style_of(f).color
        assert d.symbol == style_of(f).symbol


def test_a_shapes_written_geometry_is_worked_out_when_first_asked_for_and_then_kept():
    from viewer.model.scenario import feature_to_json

    s = builtin()
    drawn = layers.draw_scenario(s)
    shaped = [d for d in drawn if d.drawn_shape is not None]
    assert {d.kind for d in shaped} >= {"range_ring", "path", "area"}
    assert all("geojson" not in vars(d.drawn_shape) for d in shaped)  # the screen did not need it
    for f, d in zip(s.features, drawn):
        if d.drawn_shape is None:
            continue
        g = d.geometry
        assert "geojson" in vars(d.drawn_shape) and d.geometry is g  # worked out once
        assert feature_to_json(f)["geometry"] == g  # and the same as a saved file's
    ring = next(d for d in drawn if d.kind == "range_ring")
    assert ring.geometry["type"] == "Polygon" and len(ring.geometry["coordinates"][0]) > 60
    launch = next(d for d in drawn if d.uncertainty_geometry is not None)
    assert launch.uncertainty_geometry["type"] == "Polygon"


def test_roles_not_ids_decide_the_layer_and_symbol():
    pts = {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}
    crossing = Feature("anything", "path", pts, {"role": "crossing", "status": "reported"})
    plain = Feature("rail-crossing", "path", pts, {"status": "reported"})  # the old special id means nothing now
    d1, d2 = layers.draw_feature(crossing), layers.draw_feature(plain)
    assert (d1.group, d1.symbol, d1.style["color"]) == ("crossing", "rail", "#009E73")
    assert (d2.group, d2.symbol, d2.style["color"]) == ("places", "line", UNSTYLED_COLOUR)
    bridge = Feature("x", "place", {"type": "Point", "coordinates": [0, 0]}, {"role": "crossing", "style": {"symbol": "bridge"}})
    assert layers.draw_feature(bridge).symbol == "bridge"


def test_nothing_in_viewer_knows_the_built_in_scenario():
    """No feature id of the built-in map anywhere in the code; no place of it in what draws and
    writes maps (the drafting gazetteer may know border towns: that is knowledge of the world)."""
    root = Path(__file__).resolve().parents[2] / "viewer"
    everything = "".join(p.read_text(encoding="utf-8") for p in root.rglob("*.py"))
    for fid in ("rail-crossing", "friendship-bridge", "dandong-station", "sinuiju-station", "ring-380km"):
        assert fid not in everything, fid
    drawing = "".join(p.read_text(encoding="utf-8") for sub in ("render", "export", "ui", "logic")
                      for p in (root / sub).rglob("*.py"))
    drawing += "".join((root / "model" / m).read_text(encoding="utf-8") for m in ("style.py", "geometry.py", "scenario.py",
                                                                               "rules.py", "document.py", "edits.py"))
    for name in ("Dandong", "Sinuiju", "East Sea"):
        assert name not in drawing, name


def test_layer_labels_come_from_the_map():
    s = builtin()
    payload = page_payload(s, layers.draw_scenario(s), PageOptions(online_layers=False))
    labels = {g["id"]: g["label"] for g in payload["groups"]}
    assert labels["crossing"] == "Dandong\u2013Sinuiju rail crossing" and labels["rings"] == "Range rings"


def test_the_page_holds_the_scenario_once_as_json_data():
    s = builtin()
    html = build_page(s, opts=PageOptions(online_layers=False, with_channel=False))
    calls = re.findall(r"SitMap\.app\.init\([^,]+, (\{.*?\})\);\n", html, re.S)
    assert len(calls) == 1
    payload = json.loads(calls[0])
    assert [f["id"] for f in payload["features"]] == [f.id for f in s.features]
    assert "{{" not in html.split("SitMap.app.init", 1)[1][:200]


def test_an_empty_map_gets_a_world_view():
    s = Scenario(title="Empty", features=[], facts=[])
    assert layers.view_of(s, []) == {"center": [20.0, 0.0], "zoom": 2}


def test_the_page_stacks_its_layers_as_the_window_arranges_them():
    """A page is told the order of its layers, top first, as the window arranges them (a saved
    arrangement, else the usual one): a page in the window and one without (a briefing) show the
    same map, and the window need not stack them again once its page is on screen."""
    s = builtin()
    drawn = layers.draw_scenario(s)
    payload = page_payload(s, drawn, PageOptions(online_layers=False))
    assert payload["groupOrder"] == [x["id"] for x in layers.arranged_layers(s, drawn)]
    assert payload["groupOrder"][0] == "crossing" and set(payload["groupOrder"]) == {g["id"] for g in payload["groups"]}
    unarranged = Scenario(title="T", features=list(s.features), facts=[])
    usual = page_payload(unarranged, drawn, PageOptions(online_layers=False))["groupOrder"]
    assert usual == [x["id"] for x in layers.arranged_layers(unarranged, drawn)] and set(usual) == set(payload["groupOrder"])
