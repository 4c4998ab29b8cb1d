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
  var was = [legend.getPosition(), legend.sitmapForm], c = map.getContainer().getBoundingClientRect();
  var all = B.featureSamples(map), near = B.featureSamples(map, B.legendReach(map, legend)), out = [];
  // each corner's samples under the legend, as corners() counts them (its box and 6 pixels round it)
  function cost(samples) {
    var r = legend.getContainer().getBoundingClientRect(), score = 0, event = 0;
    var x0 = r.left - c.left - 6, x1 = r.right - c.left + 6, y0 = r.top - c.top - 6, y1 = r.bottom - c.top + 6;
    samples.forEach(function (s) {
      if (s[0] >= x0 && s[0] <= x1 && s[1] >= y0 && s[1] <= y1) { score += s[2]; if (s[3]) { event += 1; } }
    });
    return [score, event];
  }
  ['full', 'small', 'groups'].forEach(function (form) {
    legend.sitmapForm = form; legend.update();
    ['bottomright', 'bottomleft', 'topright', 'topleft'].forEach(function (corner) {
      legend.setPosition(corner);
      out.push({form: form, corner: corner, all: cost(all), near: cost(near)});
    });
  });
  legend.sitmapForm = was[1]; legend.update(); legend.setPosition(was[0]);
  return {costs: out, samples: [all.length, near.length]};
})())"""


def _line(i: int, coords: list) -> dict:
    return {"type": "Feature", "id": f"x-{i}", "geometry": {"type": "LineString", "coordinates": coords},
            "properties": {"kind": "path", "annotation": True, "name": f"X{i}", "status": "estimated",
                           "source": "Analyst"}}


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
    ("many", (1920, 1080)), ("many", (960, 540)), ("polar", (1920, 1080)),
])
def test_each_corners_cost_is_that_of_every_sample(qtbot, case, size):
    from viewer.ui.capture import close_view, open_briefing

    if case == "polar":  # (lines nearer the pole than Mercator reaches are drawn on the world's top edge)
        doc = _base()
        doc["sitmap"]["view"] = {"bounds": [[33.0, 115.5], [89.9, 141.0]]}
        doc["features"].extend(list(mixed_features(1100, seed=3)) + [
            _line(i, [[-180 + 7.5 * i, 86.5], [-177 + 7.5 * i, 88.0], [-174 + 7.5 * i, 89.5]]) for i in range(47)])
        scenario = parse_scenario_bytes(json.dumps(doc).encode("utf-8"), "polar.sitmap.json")
    elif case == "many":
        scenario = _scenario(list(mixed_features(800, seed=3)) + list(point_features(400, seed=4)))
    else:
        scenario = _built()
    opts = b.BriefingOptions(history=_history(scenario)) if case == "history" else b.BriefingOptions()
    view = open_briefing(scenario, b.ExportSize.pixels(*size), opts, timeout_ms=60_000)
    try:
        got = json.loads(js(qtbot, view, COSTS))
    finally:
        close_view(view)
    for place in got["costs"]:
        assert place["near"] == place["all"], place
    assert any(place["all"][0] > 0 for place in got["costs"]), got  # (there is something to avoid)
    all_samples, near_samples = got["samples"]
    assert near_samples < all_samples, got
