"""The quick check of plain points (quick_checks.plain_place) gives what the full check gives, or leaves
the feature to it: never a feature the full check would refuse or store differently."""

from __future__ import annotations

import copy
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.model.feature_changes import changed
from viewer.model.json_read import MAX_NESTING, nests_deeper
from viewer.model.quick_checks import plain_place
from viewer.model.rules import Rules, ScenarioError, check_feature
from viewer.model.scenario import _without_coordinates

TEXT = st.one_of(st.text(max_size=8), st.just("a\x00b"), st.just("x" * 20_001), st.none(), st.integers(), st.just([]))
WORDS = st.sampled_from(["place", "range_ring", "path", "marker", "launch", "label", "reported", "estimated",
                         "claimed", "derived", "Place", "", "bogus"])
NUMBER = st.one_of(st.floats(allow_nan=False, allow_infinity=False, min_value=-200, max_value=200),
                   st.integers(-200, 200), st.booleans(), st.none(), st.text(max_size=3))
POSITION = st.one_of(st.lists(NUMBER, min_size=2, max_size=2), st.lists(NUMBER, min_size=0, max_size=4), NUMBER)
IDS = st.one_of(st.sampled_from(["p-1", "p-2", "taken", "bad id", "", "-x"]), st.integers(0, 3), st.none())
DEEP = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
# what SitMap writes for other tools (dropped when read), as it writes them or as another tool may
SIMPLESTYLE = st.one_of(st.sampled_from(["#333333", "marker", 0.2, 2, True]), st.none(), st.just({}), st.just(DEEP))


VALID = {"type": "Feature", "id": "p-1", "geometry": {"type": "Point", "coordinates": [126.5, 39.25]},
         "properties": {"kind": "place", "role": "marker", "annotation": True, "name": "P1", "status": "estimated",
                        "source": "Analyst"}}
PROPERTY_KEYS = ["kind", "role", "status", "annotation", "id", "name", "notes", "source", "basis", "name_local",
                 "label", "layer", "style", "uncertainty_m", "stroke", "centre", "other", "marker-color",
                 "marker-symbol", "fill-opacity"]


def _value(draw, key):
    if key in ("kind", "role", "status"):
        return draw(st.one_of(WORDS, TEXT))
    if key == "annotation":
        return draw(st.one_of(st.booleans(), st.integers(0, 1), st.none()))
    if key == "id":
        return draw(st.one_of(IDS, st.just(DEEP)))
    if key.startswith(("marker-", "fill-")):
        return draw(SIMPLESTYLE)
    if key in ("layer", "style", "uncertainty_m", "stroke", "centre", "other"):
        return draw(st.one_of(st.just("layer-1"), st.just({}), st.just(5.0), st.just("#aabbcc")))
    return draw(TEXT)


@st.composite
def features(draw):
    """A plain point as a large map holds them, with none to a few of its parts changed."""
    return changed(draw, copy.deepcopy(VALID), whats=["set", "set", "drop", "type", "id", "geometry", "coordinates",
                                                      "properties"],
                   keys=PROPERTY_KEYS, value_of=_value, ids=IDS, coordinates=lambda _g: POSITION,
                   geometries=st.one_of(st.none(), st.just({"type": "LineString", "coordinates": [[1, 2], [3, 4]]}),
                                        st.just({"type": "Point"}), st.just([])))


@settings(max_examples=3000, deadline=None)
@given(features(), st.booleans())
def test_the_quick_check_agrees_with_the_full_one(raw, owned):
    r1, r2 = Rules("f"), Rules("f")
    ids1, ids2 = {"taken"}, {"taken"}
    quick = plain_place(r1, copy.deepcopy(raw), ids1, owned)
    try:  # (as scenario.parse_scenario checks a feature that is not plain: its nesting, then the rest)
        if nests_deeper(_without_coordinates(raw), MAX_NESTING - 2):
            raise ScenarioError("f", "", "nesting")
        full = check_feature(r2, copy.deepcopy(raw), "features[0]", ids2, owned=owned)
    except ScenarioError:
        assert quick is None, "the quick check took a feature the full check refuses"
        return
    if quick is None:
        return  # left to the full check
    taken.append(1)
    assert json.dumps(quick) == json.dumps(full)  # the same values, in the same order
    assert ids1 == ids2 and r1.vertices == r2.vertices


taken: list[int] = []


def test_the_quick_check_took_a_good_share_of_the_examples():
    # (after the property test above, in this module's order): the comparison was made, not skipped
    assert len(taken) >= 300


def test_the_commonest_feature_of_a_large_map_is_taken_at_once():
    raw = {"type": "Feature", "id": "p-7", "geometry": {"type": "Point", "coordinates": [126.5, 39.25]},
           "properties": {"kind": "place", "role": "marker", "annotation": True, "name": "P7",
                          "status": "estimated", "source": "Analyst"}}
    ids: set[str] = set()
    assert plain_place(Rules("f"), raw, ids) == (
        "p-7", "place", {"type": "Point", "coordinates": [126.5, 39.25]},
        {"kind": "place", "role": "marker", "annotation": True, "name": "P7", "status": "estimated", "source": "Analyst"})
    assert ids == {"p-7"}


def test_a_point_as_sitmap_saves_it_is_taken_at_once_without_its_style_for_other_tools():
    raw = {"type": "Feature", "id": "p-7", "geometry": {"type": "Point", "coordinates": [126.5, 39.25]},
           "properties": {"kind": "place", "role": "marker", "annotation": True, "name": "P7",
                          "status": "estimated", "source": "Analyst", "marker-color": "#333333"}}
    got = plain_place(Rules("f"), copy.deepcopy(raw), set(), owned=True)
    assert got is not None and got[3] == {"kind": "place", "role": "marker", "annotation": True, "name": "P7",
                                          "status": "estimated", "source": "Analyst"}
    raw["properties"]["marker-color"] = DEEP  # too deep to read: the full check says so
    assert plain_place(Rules("f"), raw, set()) is None
