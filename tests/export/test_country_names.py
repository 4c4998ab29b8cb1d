"""A briefing of a North Korean launch names the countries it shows: a country's name whose own spot
is covered by the event's labels or symbols, or lies outside the frame, stands at another free spot
inside the country, before the city and river names there."""

import json

import pytest

from tests.ui.conftest import intersections, js
from viewer import resources
from viewer.export import briefing as b
from viewer.model.scenario import load_scenario

READY_MS = 60_000

_SHOWN = """JSON.stringify((function () {
    var f = SitMap.app.map.getContainer().getBoundingClientRect();
    var taken = Array.prototype.map.call(document.querySelectorAll(
      '.leaflet-control, .sitmap-briefing-facts, .sitmap-briefing-scale, .leaflet-marker-icon.sitmap-marker'),
      function (e) { var r = e.getBoundingClientRect(); return {text: e.className, left: r.left, top: r.top,
                                                              right: r.right, bottom: r.bottom}; })
      .filter(function (r) { return r.right > r.left && r.bottom > r.top; });
    return {frame: {left: f.left, top: f.top, right: f.right, bottom: f.bottom}, labels: SitMap.labels.boxes(),
            taken: taken}; })())"""


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(resources.default_scenario())


@pytest.mark.parametrize("size,facts", [(b.ExportSize.pixels(1920, 1080), False),
                                        (b.ExportSize.for_paper("a4", 150), True)], ids=["slide", "a4-150-facts"])
def test_the_default_briefing_names_north_korea_and_china(qtbot, scenario, size, facts):
    from viewer.ui.capture import close_view, open_briefing

    view = open_briefing(scenario, size, b.BriefingOptions(show_facts=facts), timeout_ms=READY_MS)
    try:
        got = json.loads(js(qtbot, view, _SHOWN))
    finally:
        close_view(view)
    names = {x["text"]: x for x in got["labels"] if x["source"] == "basemap"}
    for country in ("North Korea", "China", "South Korea", "Japan"):
        assert country in names, sorted(names)
        r, f = names[country], got["frame"]
        assert f["left"] <= r["left"] and r["right"] <= f["right"] and f["top"] <= r["top"] and r["bottom"] <= f["bottom"]
    # each name once, clear of every other label, of the map's boxes and of the event's symbols
    assert [x["text"] for x in got["labels"]].count("North Korea") == 1
    assert intersections(got["labels"]) == []
    countries = [names[c] for c in ("North Korea", "China", "South Korea", "Japan")]
    assert intersections(countries, got["taken"]) == []
