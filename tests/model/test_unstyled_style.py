"""Features the file says nothing about (no role, no colour: an imported GeoJSON's lines, areas
and points, an analyst's annotations) get a clear mid-tone colour, and lighter lines and outlines,
so that thousands of them leave the map and the labels over them readable; the
one style feeds the window, the briefings and the files written."""

import pytest

from viewer.model import style as S
from viewer.model.scenario import Feature

LINE = {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}
SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
POINT = {"type": "Point", "coordinates": [0, 0]}


def _luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("kind,geometry,props", [
    ("path", LINE, {}),
    ("area", SQUARE, {}),
    ("place", POINT, {}),
    ("place", POINT, {"role": "marker", "annotation": True}),
    ("path", LINE, {"annotation": True, "status": "estimated"}),
    ("area", SQUARE, {"name": "Zone 4"}),
])
def test_a_feature_without_role_or_colour_is_drawn_in_a_clear_mid_tone(kind, geometry, props):
    st = S.style_of(Feature("x", kind, geometry, props))
    assert st.color == S.UNSTYLED_COLOUR
    assert 0.15 < _luminance(st.color) < 0.6  # neither near-black nor washed out
    assert st.color not in (S.CONTEXT_COLOUR, S.FLIGHT_COLOUR, S.IMPACT_COLOUR, S.CROSSING_COLOUR, S.LAUNCH_COLOUR,
                            *S.RING_COLOURS)
    if kind != "place":
        assert st.weight <= 2.5 and st.opacity is not None and st.opacity < 1
    if kind == "area":
        assert st.fill_opacity is not None and st.fill_opacity <= 0.15


def test_what_the_file_gives_wins_and_roles_keep_their_colours():
    own = Feature("x", "path", LINE, {"style": {"color": "#112233"}})
    assert S.style_of(own).color == "#112233" and S.style_of(own).opacity is None
    heavy = S.style_of(Feature("x", "path", LINE, {"style": {"weight": 6, "opacity": 0.4}}))
    assert (heavy.color, heavy.weight, heavy.opacity) == (S.UNSTYLED_COLOUR, 6, 0.4)
    assert S.style_of(Feature("x", "place", POINT, {"role": "context"})).color == S.CONTEXT_COLOUR  # a city
    assert S.style_of(Feature("x", "path", LINE, {"role": "context"})).color == S.CONTEXT_COLOUR
    assert S.style_of(Feature("x", "path", LINE, {"role": "crossing"})).color == S.CROSSING_COLOUR
    assert S.style_of(Feature("x", "path", LINE, {"arrow": True})).color == S.FLIGHT_COLOUR
    assert S.style_of(Feature("x", "area", SQUARE, {"role": "target_estimate"})).color == S.IMPACT_COLOUR
    assert S.style_of(Feature("x", "place", POINT, {"role": "label"})).symbol == "text"
    assert S.style_of(Feature("x", "place", POINT, {"role": "label"})).color == S.CONTEXT_COLOUR  # (a text's ink)


def test_one_style_feeds_the_page_and_the_files():
    from viewer.render import layers

    for kind, geometry in (("path", LINE), ("area", SQUARE), ("place", POINT)):
        f = Feature("x", kind, geometry, {"name": "n"})
        drawn = layers.draw_feature(f)
        assert drawn.style["color"] == S.UNSTYLED_COLOUR
        simple = S.simplestyle(f)
        assert simple.get("stroke", simple.get("marker-color")) == S.UNSTYLED_COLOUR
        if kind != "place":
            assert drawn.style["opacity"] == simple["stroke-opacity"] == S.UNSTYLED_OPACITY
