"""A plain point (most of a large map) is drawn the quick way (layers._plain_point, what it shares
with points of its kind worked out once): exactly as the general way draws it."""

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


@settings(max_examples=1500, deadline=None)
@given(st.lists(places(), min_size=1, max_size=4))
def test_a_plain_point_is_drawn_as_the_general_way_draws_it(raws):
    for raw in raws:
        f = checked(raw)
        if f is None:
            continue
        quick, slow = layers.draw_feature(f), general(f, "_plain_point")
        assert quick.drawn_shape is None  # (drawn the quick way)
        drawn_alike(quick, slow, apart=("point_geometry", "drawn_shape"))
