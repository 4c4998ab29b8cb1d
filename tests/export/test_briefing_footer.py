"""A briefing's footer is as tall as its real content: the sources' lines are estimated before the
page is set, and the page fits the footer to the lines the text really takes (the map's frame takes
the room an estimate too high left, and gives the room one too low needs), so no blank line shows
between the frame and the sources, nor between the sources and the credits, and no line is cut."""

import json
import re

import pytest

from tests.ui.conftest import js
from viewer import resources
from viewer.export import briefing as b
from viewer.model.scenario import load_scenario

READY_MS = 60_000

_FOOTER = """JSON.stringify((function () {
    var s = document.querySelector('.sitmap-briefing-sources'), c = document.querySelector('.sitmap-briefing-credits');
    var range = document.createRange(); range.selectNodeContents(s);
    var text = range.getBoundingClientRect(), box = s.getBoundingClientRect();
    var frame = SitMap.app.map.getContainer().getBoundingClientRect(), size = SitMap.app.map.getSize();
    return {text: s.textContent, textTop: text.top, textBottom: text.bottom, boxTop: box.top, boxBottom: box.bottom,
            credits: c.getBoundingClientRect().top, frameBottom: frame.bottom, mapHeight: size.y,
            frameHeight: frame.height, line: parseFloat(getComputedStyle(s).lineHeight)}; })())"""


@pytest.fixture(scope="module")
def scenario():
    # (its facts about features only, its features without sources of their own: the sources'
    # text each case below was set for, the estimate too high, right or too low)
    from dataclasses import replace

    s = load_scenario(resources.default_scenario())
    return replace(s, facts=[f for f in s.facts if f.feature is not None],
                   features=[replace(f, properties={**f.properties, "source": ""}) for f in s.features])


def _footer(qtbot, scenario, size, extra=()):
    from viewer.ui.capture import close_view, open_briefing

    view = open_briefing(scenario, size, b.BriefingOptions(extra_sources=tuple(extra)), timeout_ms=READY_MS)
    try:
        return json.loads(js(qtbot, view, _FOOTER))
    finally:
        close_view(view)


@pytest.mark.parametrize("size,extra,estimate", [
    (b.ExportSize.pixels(1920, 1080), (), "high"),
    (b.ExportSize.for_paper("a4", 150), (), "right"),
    (b.ExportSize.pixels(1920, 1080), ("Narrow " + "il ijl " * 40,), "high"),
    (b.ExportSize.pixels(1920, 1080), ("WIDE " + "MWMWMWM " * 18,), "low"),
], ids=["slide", "a4", "narrow-text", "wide-text"])
def test_the_footer_fits_its_real_content(qtbot, scenario, size, extra, estimate):
    got = _footer(qtbot, scenario, size, extra)
    line = got["line"]
    t = b.PRINT if size.style == "print" else b.SLIDE
    estimated = min(4, b._text_lines(got["text"], t.footer, size.css_size[0] - 2 * t.margin))
    real = round((got["textBottom"] - got["textTop"]) / line)
    assert {"high": real < estimated, "right": real == estimated, "low": real > estimated}[estimate], (real, estimated)
    # no line cut at the top of the sources, none left blank above or below them
    assert got["textTop"] >= got["boxTop"] - 1, got
    gap = 0.4 * (b.PRINT if size.style == "print" else b.SLIDE).margin  # (the layout's gap under the frame)
    assert got["textTop"] - got["frameBottom"] < gap + 0.5 * line, got
    assert got["credits"] - got["textBottom"] < 0.5 * line, got
    # the map fills its frame (its size follows the frame's)
    assert abs(got["mapHeight"] - got["frameHeight"]) <= 1, got


@pytest.mark.parametrize("size", [b.ExportSize.pixels(1920, 1080), b.ExportSize.pixels(1600, 1000),
                                  b.ExportSize.for_paper("a4", 150)], ids=["1920x1080", "1600x1000", "a4"])
def test_the_frame_fitted_to_the_footer_keeps_the_zoom_the_layout_gives(qtbot, scenario, size):
    # (the page carries the basemap tiles of that zoom: a frame a line taller once took the next
    # zoom, and asked for all its tiles anew)
    from viewer.export.frame_view import fitted_view
    from viewer.render import layers
    from viewer.ui.capture import close_view, open_briefing

    drawn = layers.draw_scenario(scenario)
    frame = b.briefing_layout(scenario, size, b.BriefingOptions(), drawn=drawn).frame
    _, zoom = fitted_view(layers.view_of(scenario, drawn), frame.width, frame.height)
    view = open_briefing(scenario, size, b.BriefingOptions(), timeout_ms=READY_MS)
    try:
        got = json.loads(js(qtbot, view, "JSON.stringify([SitMap.app.map.getZoom(), SitMap.briefing.frameGrown || 0])"))
    finally:
        close_view(view)
    assert got[0] == zoom, (got, zoom)


def test_sources_beyond_the_footers_lines_end_with_how_many_more_and_keep_the_notes(qtbot):
    """Sixty features' sources need more than the footer's four lines: the box showed its last four,
    its first line ("Sources: ...") cut off above it. Now the names that fit, in order, then how
    many more there are, and the notes after them whole."""
    from viewer import api

    m = api.new_map("Many sources")
    for k in range(60):
        m.add_place(39.0 + k * 0.01, 125.7, f"Site {k}", source=f"Provincial monitoring agency number {k}",
                    status="reported")
    note = "Time window shown: 2022-01-01 to 2022-01-31 UTC"
    got = _footer(qtbot, m.scenario, b.ExportSize.pixels(1920, 1080), (note,))
    line = got["line"]
    assert round((got["textBottom"] - got["textTop"]) / line) <= 4, got
    assert got["textTop"] >= got["boxTop"] - 1, got
    text = got["text"]
    shown = re.match(r"Sources: ((?:Provincial monitoring agency number \d+; )+)(\d+) more sources; (.*)\.$", text)
    assert shown, text
    names = shown.group(1).split("; ")[:-1]
    assert names == [f"Provincial monitoring agency number {k}" for k in range(len(names))], text
    assert len(names) + int(shown.group(2)) == 60 and shown.group(3) == note, text
