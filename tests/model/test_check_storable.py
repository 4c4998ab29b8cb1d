"""What a lenient reader made is checked as the standard writer would write it (no NaN, no
infinity, no value of no JSON type), now by orjson first: the same verdict in every case, and a
file whose values hold a NaN among nulls is still refused."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.model.io.open_any import open_map_bytes
from viewer.model.json_read import check_storable


class Text(str):
    pass


def verdict(check, value) -> str:
    try:
        check(value)
    except (ValueError, TypeError) as e:
        return type(e).__name__
    return "ok"


def standard(value) -> None:
    json.dumps(value, allow_nan=False)


def circular() -> list:
    a: list = []
    a.append(a)
    return a


CASES = [
    1, "x", None, [1.5, None], {"a": float("nan")}, [float("inf")], {"a": [{"b": -float("inf")}]},
    {"x": None, "y": float("nan")}, {"null": "null", "n": [None]}, object(), {1: 2}, {1.5: 2}, {None: 1},
    {True: 1}, {(1, 2): 3}, 2**70, [2**70, None], -(2**64), Text("x"), {"k": Text("v")}, {Text("k"): 1},
    "\ud800", {"a": (1, 2)}, circular(), {"deep": [[[[[[[[[[[[[[[[[[[[1.0]]]]]]]]]]]]]]]]]]]]},
    {"a": {"b": {"c": float("nan")}}, "n": None}, [math.pi, -0.0, 5e-324, 1.7976931348623157e308],
]


@pytest.mark.parametrize("value", CASES, ids=range(len(CASES)))
def test_the_verdict_is_the_standard_writers(value):
    assert verdict(check_storable, value) == verdict(standard, value)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4),
    max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_like_value_gets_the_standard_writers_verdict(value):
    assert verdict(check_storable, value) == verdict(standard, value)


def test_a_csv_row_whose_number_reads_as_nan_is_left_out_as_before():
    # A CSV reader's own float from text: "nan" and "inf" are numbers to Python's float(), never
    # to a map file. Among rows with empty cells (nulls), the map still opens without them.
    rows = ["name,latitude,longitude,height"] + [f"P{i},{30 + i * 0.01},{125 + i * 0.01}," for i in range(50)]
    rows.append("bad,nan,125.5,1")
    rows.append("worse,36.5,inf,2")
    scenario, report = open_map_bytes(("\n".join(rows) + "\n").encode(), "points.csv")
    names = {f.properties.get("name") for f in scenario.features}
    assert "P0" in names and "bad" not in names and "worse" not in names
    assert len(scenario.features) == 50


def test_a_reading_with_a_nan_property_leaves_that_feature_out_and_keeps_the_rest():
    from viewer.model.io.checked import checked_features
    from viewer.model.io.common import Reading
    from viewer.model.io.report import OpenReport

    dicts = [{"type": "Feature", "id": f"p-{i}", "geometry": {"type": "Point", "coordinates": [125.0, 39.0]},
              "properties": {"kind": "place", "name": f"P{i}", "note": None}} for i in range(3)]
    dicts[1]["properties"]["height"] = float("nan")
    report = OpenReport("x.geojson")
    features = checked_features(Reading(dicts=dicts, labels=["a", "b", "c"]), report)
    assert [f.id for f in features] == ["p-0", "p-2"]
    assert "cannot be stored" in "\n".join(report.lines())
