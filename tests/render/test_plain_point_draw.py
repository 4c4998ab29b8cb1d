"""A plain point (most of a large map) is drawn the quick way (layers._plain_point, what it shares
with points of its kind worked out once): exactly as the general way draws it."""

from __future__ import annotations

from dataclasses import fields

from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.model.rules import PLACE_ROLES, STATUSES, Rules, ScenarioError, check_feature
from viewer.model.scenario import Feature
from viewer.render import layers

OPTIONAL = {
    "role": st.sampled_from(list(PLACE_ROLES)),
    "status": st.sampled_from(list(STATUSES)),
    "annotation": st.booleans(),
    "layer": st.sampled_from(["layer-1", "Sites"]),
    "style": st.sampled_from([{}, {"color": "#aabbcc"}, {"symbol": "city"}, {"color": "#112233", "dash": "dotted"},
                              {"weight": 3}]),
    "name": st.sampled_from(["", "Pyongyang", "Dandong", "P1", "Sinuiju"]),
    "label": st.sampled_from(["", "Site 7", "Pyongyang"]),
    "name_local": st.sampled_from(["", "평양", "丹东"]),
    "notes": st.sampled_from(["", "seen"]),
    "source": st.sampled_from(["", "Analyst", "KCNA"]),
    "arrow": st.booleans(),
}


@st.composite
def places(draw):
    props = {"kind": "place"}
    for key in draw(st.sets(st.sampled_from(sorted(OPTIONAL)))):
        props[key] = draw(OPTIONAL[key])
    lon = draw(st.floats(-180, 180, allow_nan=False))
    lat = draw(st.floats(-89, 89, allow_nan=False))
    coords = draw(st.sampled_from([[lon, lat], [int(lon), int(lat)], [lon, lat, 12.5]]))
    return {"type": "Feature", "id": f"p-{draw(st.integers(0, 9))}", "properties": props,
            "geometry": {"type": "Point", "coordinates": coords}}


def general(f: Feature) -> layers.DrawnFeature:
    quick = layers._plain_point
    layers._plain_point = lambda _f: None
    try:
        return layers.draw_feature(f)
    finally:
        layers._plain_point = quick


SAME = [x.name for x in fields(layers.DrawnFeature) if x.name not in ("point_geometry", "drawn_shape", "properties")]


@settings(max_examples=1500, deadline=None)
@given(st.lists(places(), min_size=1, max_size=4))
def test_a_plain_point_is_drawn_as_the_general_way_draws_it(raws):
    for raw in raws:
        try:
            fid, kind, geometry, props = check_feature(Rules("t"), raw, "f", set())
        except ScenarioError:
            continue
        f = Feature(fid, kind, geometry, props)
        quick, slow = layers.draw_feature(f), general(f)
        assert quick.drawn_shape is None  # (drawn the quick way)
        for name in SAME:
            assert getattr(quick, name) == getattr(slow, name), name
        assert quick.properties == slow.properties
        assert quick.geometry == slow.geometry
