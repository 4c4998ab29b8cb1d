"""The quick check of plain lines and areas (quick_checks.plain_shape) gives what the full check gives, or
leaves the feature to it: never a feature the full check would refuse or store differently."""

from __future__ import annotations

import copy
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.model.feature_changes import changed
from viewer.model.json_read import MAX_NESTING, nests_deeper
from viewer.model.quick_checks import plain_shape
from viewer.model.rules import Rules, ScenarioError, check_feature
from viewer.model.scenario import _without_coordinates

LINE = {"type": "Feature", "id": "l-1",
        "geometry": {"type": "LineString", "coordinates": [[136.1, 38.4], [136.2, 38.5], [136.3, 38.58]]},
        "properties": {"kind": "path", "annotation": True, "name": "L1", "status": "estimated", "source": "Analyst"}}
AREA = {"type": "Feature", "id": "a-1",
        "geometry": {"type": "Polygon", "coordinates": [[[137.5, 42.5], [138.0, 42.5], [138.0, 43.0], [137.5, 43.0],
                                                         [137.5, 42.5]]]},
        "properties": {"kind": "area", "annotation": True, "name": "A1", "status": "estimated", "source": "Analyst"}}
# as SitMap saves them: the drawn geometry for other tools, the vertices and style for other tools beside
SAVED_LINE = {"type": "Feature", "id": "l-2",
              "geometry": {"type": "LineString", "coordinates": [[1.0, 2.0], [1.5, 2.5], [2.0, 3.0]]},
              "properties": {"kind": "path", "name": "L2", "status": "reported", "vertices": [[1, 2], [2, 3]],
                             "stroke": "#333333", "stroke-width": 2}}
SAVED_AREA = {"type": "Feature", "id": "a-2",
              "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
              "properties": {"kind": "area", "name": "A2", "status": "claimed", "layer": "my-layer",
                             "vertices": [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]], "fill": "#ff0000",
                             "fill-opacity": 0.2}}

TEXT = st.one_of(st.text(max_size=8), st.just("a\x00b"), st.just("x" * 20_001), st.none(), st.integers(), st.just([]))
WORDS = st.sampled_from(["path", "area", "place", "range_ring", "marker", "launch", "flight", "reported", "estimated",
                         "claimed", "Path", "", "bogus", "layer-1", "bad layer"])
NUMBER = st.one_of(st.floats(allow_nan=False, allow_infinity=False, min_value=-200, max_value=200),
                   st.integers(-200, 200), st.booleans(), st.none(), st.text(max_size=3))
POSITION = st.one_of(st.lists(NUMBER, min_size=2, max_size=2), st.lists(NUMBER, min_size=0, max_size=4), NUMBER)
GOOD_POSITION = st.tuples(st.floats(-180, 180), st.floats(-90, 90)).map(list)
LINE_COORDS = st.one_of(st.lists(GOOD_POSITION, min_size=0, max_size=6), st.lists(POSITION, min_size=0, max_size=4),
                        NUMBER)
RING = st.one_of(
    st.lists(GOOD_POSITION, min_size=3, max_size=6).map(lambda r: r + [list(r[0])]),  # closed, maybe not simple
    st.just([[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]),  # a bow tie
    st.just([[0, 0], [1, 0], [1, 1], [0, 1]]),  # not closed
    st.just([[0, 0], [1, 0], [0, 0]]),  # too short
    st.just([[0.5, 0.5], [0.6, 0.5], [0.6, 0.6], [0.5, 0.5]]),  # a hole of the square below
    st.just([[179.5, 0], [-179.5, 0], [-179.5, 1], [179.5, 1], [179.5, 0]]),  # across the antimeridian
    st.lists(POSITION, min_size=0, max_size=5))
AREA_COORDS = st.one_of(st.lists(RING, min_size=0, max_size=3),
                        st.just([[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], [[0.5, 0.5], [0.6, 0.5], [0.6, 0.6],
                                                                         [0.5, 0.5]]]),
                        NUMBER)
IDS = st.one_of(st.sampled_from(["l-1", "a-9", "taken", "bad id", "", "-x"]), st.integers(0, 3), st.none())
DEEP: list = [1]
for _ in range(70):  # deeper than any file may nest
    DEEP = [DEEP]
PROPERTY_KEYS = ["kind", "role", "status", "annotation", "id", "name", "notes", "source", "basis", "name_local",
                 "label", "layer", "style", "uncertainty_m", "radius_m", "reported_range_m", "vertices", "centre",
                 "stroke", "fill-opacity", "other"]


def _value(draw, key):
    if key in ("kind", "role", "status", "layer"):
        return draw(st.one_of(WORDS, TEXT))
    if key == "annotation":
        return draw(st.one_of(st.booleans(), st.integers(0, 1), st.none(), st.just("yes")))
    if key == "id":
        return draw(st.one_of(IDS, st.just(DEEP)))
    if key == "vertices":
        return draw(st.one_of(LINE_COORDS, AREA_COORDS, st.just(DEEP)))
    if key in ("stroke", "fill-opacity"):
        return draw(st.one_of(st.sampled_from(["#333333", 0.2, 2, True]), st.none(), st.just({}), st.just(DEEP)))
    if key in ("style", "uncertainty_m", "radius_m", "reported_range_m", "centre", "other"):
        return draw(st.one_of(st.just({"color": "#aabbcc"}), st.just({}), st.just(5.0), st.just([1, 2]),
                              st.just("x")))
    return draw(TEXT)


@st.composite
def features(draw):
    """A plain line or area as a large map holds them (or as SitMap saves them), with none to a few
    of its parts changed."""
    return changed(draw, copy.deepcopy(draw(st.sampled_from([LINE, AREA, SAVED_LINE, SAVED_AREA]))),
                   whats=["set", "set", "drop", "type", "id", "geometry", "coordinates", "coordinates", "properties",
                          "extra"],
                   keys=PROPERTY_KEYS, value_of=_value, ids=IDS,
                   coordinates=lambda g: LINE_COORDS if g.get("type") == "LineString" else AREA_COORDS,
                   geometries=st.one_of(st.none(), st.just({"type": "Point", "coordinates": [1, 2]}),
                                        st.just({"type": "LineString", "coordinates": [[1, 2], [3, 4]]}),
                                        st.just({"type": "Polygon"}), st.just([]),
                                        st.just({"type": "LineString", "coordinates": [[1, 2], [3, 4]], "bbox": DEEP})),
                   extra=st.one_of(st.just(DEEP), st.just([1, 2, 3, 4])))


taken: list[int] = []


@settings(max_examples=3000, deadline=None)
@given(features())
def test_the_quick_check_agrees_with_the_full_one(raw):
    r1, r2 = Rules("f"), Rules("f")
    ids1, ids2 = {"taken"}, {"taken"}
    quick = plain_shape(r1, copy.deepcopy(raw), ids1)
    try:  # (as scenario.parse_scenario checks a feature that is not plain: its nesting, then the rest)
        if nests_deeper(_without_coordinates(raw), MAX_NESTING - 2):
            raise ScenarioError("f", "", "nesting")
        full = check_feature(r2, copy.deepcopy(raw), "features[0]", ids2)
    except ScenarioError:
        assert quick is None, "the quick check took a feature the full check refuses"
        assert r1.vertices == 0 and ids1 == {"taken"}
        return
    if quick is None:  # left to the full check, with nothing counted
        assert r1.vertices == 0 and ids1 == {"taken"}
        return
    taken.append(1)
    assert json.dumps(quick) == json.dumps(full)  # the same values, in the same order
    assert ids1 == ids2 and r1.vertices == r2.vertices


owned_taken: list[int] = []


@settings(max_examples=1500, deadline=None)
@given(features())
def test_a_feature_decoded_for_the_check_alone_is_taken_as_the_full_check_takes_it_or_left_as_it_was(raw):
    # (owned: the reader's own decoding, whose objects may become the feature's: the properties
    # lose the keys the full check drops, and positions of floats are kept as they are; a feature
    # left to the full check must reach it unchanged)
    mine = copy.deepcopy(raw)
    quick = plain_shape(Rules("f"), mine, {"taken"}, owned=True)
    if quick is None:
        assert json.dumps(mine) == json.dumps(raw)
        return
    owned_taken.append(1)
    full = check_feature(Rules("f"), copy.deepcopy(raw), "features[0]", {"taken"})
    assert json.dumps(quick) == json.dumps(full)


def test_the_quick_check_took_a_good_share_of_the_examples():
    # (after the property test above, in this module's order): the comparison was made, not skipped
    assert len(taken) >= 300
    assert len(owned_taken) >= 150


def test_the_lines_and_areas_of_a_large_map_and_as_sitmap_saves_them_are_taken_at_once():
    for raw in (LINE, AREA, SAVED_LINE, SAVED_AREA):
        got = plain_shape(Rules("f"), copy.deepcopy(raw), set())
        assert got is not None and got == check_feature(Rules("f"), copy.deepcopy(raw), "features[0]", set())
    saved = plain_shape(Rules("f"), copy.deepcopy(SAVED_AREA), set())
    assert saved[2] == {"type": "Polygon", "coordinates": [[[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0],
                                                            [0.0, 0.0]]]}  # its vertices, not the drawn shape
    assert "fill" not in saved[3] and "vertices" not in saved[3] and saved[3]["layer"] == "my-layer"
