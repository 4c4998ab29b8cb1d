"""A briefing's legend goes to the corner where it hides least of the map (briefing.js placeLegend):
the features are sampled only where the legend may go (its box in each form and corner), and a
feature whose bounds reach none of those places is not walked at all: each corner's cost is the
same as with every sample of the map (at 100,000 lines and areas, half a second less)."""

from __future__ import annotations

import json

import pytest

from tests.ui.conftest import js
from tools.big_projects import _base, mixed_features, point_features
from viewer.export import briefing as b
from viewer.model.scenario import load_scenario, parse_scenario_bytes

COSTS = """JSON.stringify((function () {
  var B = SitMap.briefing, map = SitMap.app.map, legend = SitMap.app.legend;
  var was = [legend.getPosition(), legend.sitmapForm];
  var all = B.featureSamples(map), near = B.featureSamples(map, B.legendReach(map, legend)), out = [];
  ['full', 'small', 'groups'].forEach(function (form) {
    legend.sitmapForm = form; legend.update();
    out.push({form: form, all: B.legendCorners(map, legend, all), near: B.legendCorners(map, legend, near)});
  });
  legend.sitmapForm = was[1]; legend.update(); legend.setPosition(was[0]);
  return {costs: out, samples: [all.length, near.length]};
})())"""


def _scenario(extra: list):
    doc = _base()
    doc["features"].extend(extra)
    return parse_scenario_bytes(json.dumps(doc).encode("utf-8"), "legend.sitmap.json")


def _built():
    from viewer import resources

    return load_scenario(resources.default_scenario())


def _history(scenario):
    from viewer.export.history import page_layer
    from viewer.model import history as hist

    return page_layer(hist.load_default(), hist.HistoryFilter(), scenario)


@pytest.mark.parametrize("case,size", [
    ("built-in", (1920, 1080)), ("built-in", (1200, 800)), ("history", (1920, 1080)),
    ("many", (1920, 1080)), ("many", (960, 540)),
])
def test_each_corners_cost_is_that_of_every_sample(qtbot, case, size):
    from viewer.ui.capture import close_view, open_briefing

    scenario = _scenario(list(mixed_features(800, seed=3)) + list(point_features(400, seed=4))) if case == "many" else _built()
    opts = b.BriefingOptions(history=_history(scenario)) if case == "history" else b.BriefingOptions()
    view = open_briefing(scenario, b.ExportSize.pixels(*size), opts, timeout_ms=60_000)
    try:
        got = json.loads(js(qtbot, view, COSTS))
    finally:
        close_view(view)
    for form in got["costs"]:
        assert form["near"] == form["all"], form
    assert any(c["score"] > 0 for form in got["costs"] for c in form["all"]), got  # (there is something to avoid)
    all_samples, near_samples = got["samples"]
    assert near_samples < all_samples, got
