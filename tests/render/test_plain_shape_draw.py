"""A line or area outside the crossing's layer (most of a large map's shapes) is drawn the quick
way (layers._plain_shape, what it shares with others of its kind worked out once): exactly as the
general way draws it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.render.drawn_alike import checked, drawn_alike, general
from viewer.model.rules import PLACE_ROLES, STATUSES
from viewer.render import layers

OPTIONAL = {
    "role": st.sampled_from(list(PLACE_ROLES)),
    "status": st.sampled_from(list(STATUSES)),
    "annotation": st.booleans(),
    "layer": st.sampled_from(["layer-1", "Sites"]),
    "style": st.sampled_from([{}, {"color": "#aabbcc"}, {"color": "#112233", "dash": "dotted"}, {"weight": 3},
                              {"fill_opacity": 0.3}]),
    "name": st.sampled_from(["", "Road", "Zone", "L1"]),
    "label": st.sampled_from(["", "Route 7", "Zone"]),
    "notes": st.sampled_from(["", "seen"]),
    "source": st.sampled_from(["", "Analyst", "KCNA"]),
    "arrow": st.booleans(),
}


@st.composite
def shapes(draw):
    kind = draw(st.sampled_from(["path", "area"]))
    props = {"kind": kind}
    for key in draw(st.sets(st.sampled_from(sorted(OPTIONAL)))):
        props[key] = draw(OPTIONAL[key])
    lon = draw(st.floats(-179, 179, allow_nan=False))
    lat = draw(st.floats(-80, 80, allow_nan=False))
    d = draw(st.sampled_from([0.01, 0.25, 3.0]))
    if kind == "path":
        geometry = {"type": "LineString", "coordinates": [[lon, lat], [lon + d, lat + d / 2], [lon + 2 * d, lat]]}
    else:
        ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]
        geometry = {"type": "Polygon", "coordinates": [ring]}
    return {"type": "Feature", "id": f"s-{draw(st.integers(0, 9))}", "properties": props, "geometry": geometry}


@settings(max_examples=800, deadline=None)
@given(st.lists(shapes(), min_size=1, max_size=4))
def test_a_plain_shape_is_drawn_as_the_general_way_draws_it(raws):
    for raw in raws:
        f = checked(raw)
        if f is not None:
            drawn_alike(layers.draw_feature(f), general(f, "_plain_shape"), apart=("drawn_shape",))


def test_most_shapes_are_drawn_the_quick_way_and_the_crossings_the_general_way():
    from viewer import resources
    from viewer.model.scenario import load_scenario

    s = load_scenario(resources.default_scenario())
    for f in s.features:
        if f.kind in ("path", "area"):
            d = layers.draw_feature(f)
            assert (d.properties is f.properties) == (d.group != "crossing"), f.id
            assert d == general(f, "_plain_shape")
