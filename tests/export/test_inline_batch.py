"""A page that holds many features itself (a briefing, an HTML file) holds their batch as JSON data
in an element of its own, written by orjson, which the page parses and never runs: the standard
writer took 0.8 s over a 100,000-shape batch inside the page's script, and the page's script parser
longer still. The rest of the payload is written as before. Names that could end the element or
the script, or that are not ASCII, come through as text."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import orjson
import pytest

from tests.ui.conftest import js
from tools.big_projects import _base, mixed_features, point_features
from viewer.export import briefing as b
from viewer.model.scenario import parse_scenario_bytes
from viewer.render import layers as layer_mod
from viewer.render.csp import script_hashes
from viewer.render.page import BATCH_ELEMENT, INLINE_BATCH_FROM, PageOptions, batch_doc, build_page

HOSTILE = ["</script><script>document.title='run'</script>", "<!-- x", "平壤 \u2028 \u2029 & > <", 'a "quoted" \\ name']


@pytest.fixture(scope="module")
def scenario():
    doc = _base()
    extra = list(mixed_features(600)) + list(point_features(600))
    for f, name in zip(extra[::50], HOSTILE * 10):
        f["properties"]["name"] = name
    doc["features"].extend(extra)
    return parse_scenario_bytes(json.dumps(doc).encode("utf-8"), "many.sitmap.json")


def _element(html: str) -> str:
    found = re.findall(rf'<script type="application/json" id="{BATCH_ELEMENT}">(.*?)</script>', html, re.S)
    assert len(found) == 1
    return found[0]


def test_the_batch_is_json_data_of_its_own_and_the_script_does_not_carry_it(scenario):
    drawn = layer_mod.draw_scenario(scenario)
    assert len(drawn) >= INLINE_BATCH_FROM
    html = build_page(scenario, drawn, PageOptions())
    text = _element(html)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text and "\u2029" not in text
    assert orjson.loads(text) == orjson.loads(orjson.dumps(batch_doc(drawn)))
    init = html[html.index("SitMap.app.init("):]
    assert '"featuresBatchIn":"sitmap-features-batch"' in init and '"featuresBatch"' not in init
    assert html.index(f'id="{BATCH_ELEMENT}"') < html.index("SitMap.app.init(")
    # data, not a script: the page's policy allows no hash for it
    assert not any(text in s for s in re.findall(r"<script(?![^>]*\b(?:src=|type=))[^>]*>(.*?)</script>", html, re.S))
    assert len(script_hashes(html)) == len(script_hashes(html.replace(text, "{}")))


def test_a_small_map_is_written_as_before(scenario):
    few = parse_scenario_bytes(json.dumps(_base()).encode("utf-8"), "few.sitmap.json")
    html = build_page(few, None, PageOptions())
    assert BATCH_ELEMENT not in html and '"features":[' in html


def _shown(qtbot, view) -> dict:
    return json.loads(js(qtbot, view, f"""JSON.stringify({{
        features: Object.keys(SitMap.app.features).length,
        names: Object.keys(SitMap.app.features).map(function (k) {{ return SitMap.app.features[k].data.name; }}),
        held: (document.getElementById('{BATCH_ELEMENT}') || {{textContent: null}}).textContent, title: document.title}})"""))


def test_a_window_page_that_holds_its_batch_parses_it_and_draws_every_feature_with_its_name(qtbot, scenario):
    from viewer.render.page import PageOptions
    from viewer.ui.map_view import BATCH_FROM, MapView

    drawn = layer_mod.draw_scenario(scenario)
    assert INLINE_BATCH_FROM <= len(drawn) < BATCH_FROM  # (held in the page, not fetched)
    view = MapView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    with qtbot.waitSignal(view.mapReady, timeout=60_000):
        view.show_scenario(scenario, opts=PageOptions(interactive=False, online_layers=False))
    assert BATCH_ELEMENT in view.page_html
    got = _shown(qtbot, view)
    assert got["features"] == len(drawn) and got["held"] == ""  # (its text let go once parsed)
    assert got["title"] != "run" and all(name in got["names"] for name in HOSTILE)


def test_a_briefing_of_many_features_fetches_them_and_is_the_same_picture_as_one_that_holds_them(
        qtbot, scenario, monkeypatch):
    from viewer.ui import capture

    size = b.ExportSize.pixels(960, 540)
    opts = b.BriefingOptions(created_utc=datetime(2022, 1, 17, tzinfo=timezone.utc))  # (the same credits line)
    view = capture.open_briefing(scenario, size, opts, timeout_ms=60_000)
    try:
        assert view.briefing.batch is not None and BATCH_ELEMENT not in view.briefing.html
        assert "sitmap://app/data/" in view.briefing.html
        got = _shown(qtbot, view)
        fetched = capture.wait_for_briefing_frame(view, timeout_ms=30_000)
        corner, form = js(qtbot, view, "SitMap.briefing.legendCorner"), js(qtbot, view, "SitMap.briefing.legendForm")
    finally:
        capture.close_view(view)
    drawn = layer_mod.draw_scenario(scenario)
    assert got["features"] == len(drawn) and got["held"] is None
    assert got["title"] != "run" and all(name in got["names"] for name in HOSTILE)
    # the same page holding its batch: the same picture (the legend placed around the same features)
    compose = b.compose
    monkeypatch.setattr(b, "compose", lambda *a, **k: compose(*a, **{**k, "features_at": None}))
    view = capture.open_briefing(scenario, size, opts, timeout_ms=60_000)
    try:
        assert view.briefing.batch is None and BATCH_ELEMENT in view.briefing.html
        held = capture.wait_for_briefing_frame(view, timeout_ms=30_000)
        assert (js(qtbot, view, "SitMap.briefing.legendCorner"), js(qtbot, view, "SitMap.briefing.legendForm")) == (corner, form)
    finally:
        capture.close_view(view)
    assert held == fetched


def test_the_export_dialogs_preview_of_many_features_fetches_them(qtbot, scenario, tmp_path):
    from PySide6.QtCore import QSettings

    from viewer.ui.export_dialog import ExportDialog

    d = ExportDialog(scenario, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(d)
    d.resize(1200, 800)
    d.show()
    qtbot.waitUntil(lambda: d._preview_view is not None and d._preview_view.is_ready, timeout=60_000)
    view = d._preview_view
    got = _shown(qtbot, view)
    assert got["features"] == len(layer_mod.draw_scenario(scenario)) and got["held"] is None  # (no element: fetched)


def test_a_fetched_briefing_whose_legend_goes_beside_the_map_waits_for_the_tiles_it_then_shows(qtbot, monkeypatch):
    """Fetched, the features come after the basemap's first tiles; a legend that no corner can hold
    goes beside the map, which narrows and is fitted again: new tiles. The page was ready at once,
    and the picture showed only the sea (the held page waited for them)."""
    from viewer.ui import capture

    doc = _base()
    doc["sitmap"]["view"] = {"bounds": [[36.5, 117.0], [38.0, 139.5]]}
    doc["features"].extend(mixed_features(4000, seed=5))
    scenario = parse_scenario_bytes(json.dumps(doc).encode("utf-8"), "beside.sitmap.json")
    size = b.ExportSize.pixels(1920, 1080)
    opts = b.BriefingOptions(created_utc=datetime(2022, 1, 17, tzinfo=timezone.utc))
    probe = "JSON.stringify({corner: SitMap.briefing.legendCorner, busy: SitMap.app.basemapBusy()})"
    view = capture.open_briefing(scenario, size, opts, timeout_ms=60_000)
    try:
        assert view.briefing.batch is not None
        assert json.loads(js(qtbot, view, probe)) == {"corner": "outside", "busy": False}
        fetched = capture.wait_for_briefing_frame(view, timeout_ms=30_000)
    finally:
        capture.close_view(view)
    compose = b.compose
    monkeypatch.setattr(b, "compose", lambda *a, **k: compose(*a, **{**k, "features_at": None}))
    view = capture.open_briefing(scenario, size, opts, timeout_ms=60_000)
    try:
        assert json.loads(js(qtbot, view, probe)) == {"corner": "outside", "busy": False}
        held = capture.wait_for_briefing_frame(view, timeout_ms=30_000)
    finally:
        capture.close_view(view)
    assert held == fetched


def test_what_orjson_cannot_write_is_written_by_the_standard_writer():
    from viewer.render.safe_json import fast_safe_json, page_json

    assert page_json({"a": [1, 2.5, "平"], "b": float("nan")}) == '{"a":[1,2.5,"平"],"b":null}'.encode("utf-8")
    big = {"n": 2 ** 70, "x": [float("inf"), {"y": float("-inf")}], 3: "k"}
    assert json.loads(page_json(big)) == {"n": 2 ** 70, "x": [None, {"y": None}], "3": "k"}
    assert "<" not in fast_safe_json({"n": 2 ** 70, "s": "</script>"})


def test_a_city_of_an_absurd_population_is_drawn_in_a_page_and_a_briefing():
    """(A file's population of 1e30 was an integer orjson cannot write: the window's batch, a
    briefing and an HTML file of a large map failed.)"""
    doc = _base()
    for f in doc["features"]:
        if f["properties"].get("role") == "context":
            f["properties"]["population"] = 1e30
    doc["features"].extend(point_features(1100))
    scenario = parse_scenario_bytes(json.dumps(doc).encode("utf-8"), "people.sitmap.json")
    drawn = layer_mod.draw_scenario(scenario)
    assert any(d.population == 10 ** 10 for d in drawn)
    assert orjson.loads(_element(build_page(scenario, drawn, PageOptions())))
    briefing = b.compose(scenario, b.ExportSize.pixels(960, 540), features_at="sitmap://app/data/x.json")
    assert briefing.batch is not None and orjson.loads(briefing.batch)


def test_the_export_dialogs_preview_draws_its_basemap_at_the_screens_pixels(qtbot, tmp_path):
    """(Drawn at one a CSS pixel at least and scaled down to the preview's size, the tiles' edges
    showed as seams.)"""
    from PySide6.QtCore import QSettings

    from viewer import resources
    from viewer.model.scenario import load_scenario
    from viewer.ui.export_dialog import ExportDialog

    d = ExportDialog(load_scenario(resources.default_scenario()), QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(d)
    d.resize(1000, 700)
    d.show()
    qtbot.waitUntil(lambda: d._preview_view is not None and d._preview_view.is_ready, timeout=60_000)
    got = json.loads(js(qtbot, d._preview_view, """JSON.stringify({screen: window.devicePixelRatio,
        tiles: Array.prototype.map.call(document.querySelectorAll('canvas.sitmap-basemap-tile'), function (c) {
          return c._sitmap ? [c._sitmap.ratio, Math.pow(2, SitMap.app.map.getZoom() - c._sitmap.coords.z)] : null; })})"""))
    tiles = [t for t in got["tiles"] if t]
    assert got["screen"] < 1 and tiles, got  # (the preview is smaller than the briefing's layout)
    assert all(abs(ratio - got["screen"] * max(1.0, scale)) < 1e-9 for ratio, scale in tiles), got
