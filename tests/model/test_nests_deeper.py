"""The nesting limit is checked on the decoded document: as deep as a character scan of its
JSON text says, for documents of any shape, and without recursion."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.model.io.geojson_any import import_geojson
from viewer.model.io.open_any import open_map_bytes
from viewer.model.io.common import TEXT_NESTING_FROM
from viewer.model.json_read import MAX_NESTING, nests_deeper, text_nests_deeper
from viewer.model.scenario import ScenarioError, parse_scenario_bytes


def scanned_depth(text: str) -> int:
    """The reference: one character at a time, strings skipped, escapes honoured."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.text(alphabet='[]{}"\\ab', max_size=5) | st.integers(),
                    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c, max_size=3)))
def test_a_document_nests_as_deep_as_the_scan_of_its_text_says(value):
    depth = scanned_depth(json.dumps(value))
    assert not nests_deeper(value, depth)
    assert nests_deeper(value, depth - 1) == (depth > 0)


@settings(max_examples=300, deadline=None)
@given(st.recursive(st.none() | st.text(alphabet='[]{}"\\ab\u00e9\U0001F600', max_size=6) | st.integers(),
                    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(alphabet='[]{}"\\x', max_size=3),
                                                                        c, max_size=3)),
       st.booleans(), st.sampled_from([None, 1]))
def test_the_text_of_a_document_nests_as_deep_as_the_document(value, ascii_only, indent):
    """A large file's nesting is found in its text (brackets inside its strings, escaped quotes and
    backslashes among them, not counted): the same answer as the decoded document's."""
    text = json.dumps(value, ensure_ascii=ascii_only, indent=indent).encode("utf-8")
    for limit in range(0, 6):
        assert text_nests_deeper(text, limit) == nests_deeper(value, limit)


NASTY = ' \\\\ \\" [{ "'  # (a backslash, a quote and brackets inside each name)


@pytest.mark.parametrize("depth", [MAX_NESTING, MAX_NESTING + 1])
def test_a_large_file_nested_past_the_limit_is_refused_and_one_at_it_opens(depth):
    plain = [{"type": "Feature", "id": f"p-{i}", "properties": {"kind": "place", "name": f"P{i}" + NASTY},
              "geometry": {"type": "Point", "coordinates": [125.0, 39.0]}} for i in range(12_000)]
    doc = {"type": "FeatureCollection", "features": plain, "x": json.loads("[" * (depth - 1) + "]" * (depth - 1))}
    text = json.dumps(doc).encode()
    assert len(text) > TEXT_NESTING_FROM  # (found in the text)
    if depth > MAX_NESTING:
        with pytest.raises(ScenarioError, match=f"nesting deeper than {MAX_NESTING} levels"):
            open_map_bytes(text, "deep.geojson")
    else:
        assert len(open_map_bytes(text, "deep.geojson")[0].features) == 12_000


def test_a_large_files_key_given_twice_nests_as_its_last_value_does():
    # (the readers keep a repeated key's last value: the text nests deeper than what it holds)
    plain = [{"type": "Feature", "id": f"p-{i}", "properties": {"kind": "place", "name": f"P{i}"},
              "geometry": {"type": "Point", "coordinates": [125.0, 39.0]}} for i in range(12_000)]
    deep = "[" * (MAX_NESTING + 5) + "]" * (MAX_NESTING + 5)
    text = ('{"type": "FeatureCollection", "junk": ' + deep + ', "junk": 0, "features": '
            + json.dumps(plain) + "}").encode()
    assert len(text) > TEXT_NESTING_FROM and text_nests_deeper(text)
    assert len(open_map_bytes(text, "twice.geojson")[0].features) == 12_000
    again = text.replace(b'"junk": 0, ', b"")  # (the deep one kept: refused)
    with pytest.raises(ScenarioError, match=f"nesting deeper than {MAX_NESTING} levels"):
        open_map_bytes(again, "deep.geojson")


def test_a_million_levels_are_looked_at_without_recursion():
    value: list = []
    for _ in range(1_000_000):
        value = [value]
    assert nests_deeper(value, 999_999)
    assert not nests_deeper(value, 1_000_001)


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 900, 5000, 100_000])
def test_files_nested_past_the_limit_are_refused_by_both_readers(depth):
    text = ('{"type": "FeatureCollection", "features": [], "sitmap": {"title": "t"}, "x": '
            + "[" * depth + "]" * depth + "}").encode()
    with pytest.raises(ScenarioError, match=f"nesting deeper than {MAX_NESTING} levels"):
        parse_scenario_bytes(text, "deep.geojson")
    with pytest.raises(ScenarioError, match=f"nesting deeper than {MAX_NESTING} levels"):
        open_map_bytes(text, "deep.geojson")


def test_brackets_inside_text_do_not_count():
    name = "[" * 200 + "{" * 200
    text = json.dumps({"type": "FeatureCollection", "sitmap": {"title": name}, "features": []}).encode()
    assert parse_scenario_bytes(text, "t.geojson").title == name


@pytest.mark.parametrize("where", ["feature", "properties", "geometry"])
def test_a_point_place_nested_past_the_limit_anywhere_is_refused(where):
    """Features are checked one by one as they are read, by each reader of a map file (a plain
    place is known to be shallow):
    a place nested past the limit in a member of its own, its properties or its geometry is still
    refused, after thousands of plain ones."""
    deep = json.loads("[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1))
    plain = [{"type": "Feature", "id": f"p-{i}", "properties": {"kind": "place", "name": f"P{i}"},
              "geometry": {"type": "Point", "coordinates": [125.0, 39.0]}} for i in range(3000)]
    odd = {"type": "Feature", "id": "odd", "properties": {"kind": "place", "name": "Odd"},
           "geometry": {"type": "Point", "coordinates": [125.0, 39.0]}}
    {"feature": odd, "properties": odd["properties"], "geometry": odd["geometry"]}[where]["x"] = deep
    text = json.dumps({"type": "FeatureCollection", "sitmap": {"title": "t"}, "features": plain + [odd]}).encode()
    for read in (parse_scenario_bytes, open_map_bytes, import_geojson):  # (the window's readers of a map file)
        with pytest.raises(ScenarioError, match=f"nesting deeper than {MAX_NESTING} levels"):
            read(text, "deep.geojson")
    {"feature": odd, "properties": odd["properties"], "geometry": odd["geometry"]}[where]["x"] = [[1]]
    text = json.dumps({"type": "FeatureCollection", "sitmap": {"title": "t"}, "features": plain + [odd]}).encode()
    if where == "properties":  # (a property of no known kind is refused on its own account)
        return
    assert len(parse_scenario_bytes(text, "shallow.geojson").features) == 3001
    assert len(open_map_bytes(text, "shallow.geojson")[0].features) == 3001
    assert len(import_geojson(text, "shallow.geojson")) == 3001


@pytest.mark.parametrize("kind", ["path", "area", "range_ring"])
def test_coordinates_nested_past_the_limit_are_refused_by_the_geometry_checks(kind):
    """A feature's coordinates are left to the geometry checks, which read them position by
    position: nested past the limit they are refused with a clear error, never a recursion."""
    deep = json.loads("[" * 500 + "]" * 500)
    coords = {"path": [[125.0, 39.0], deep], "area": [[[125.0, 39.0], [126.0, 39.0], deep, [125.0, 39.0]]],
              "range_ring": deep}[kind]
    gtype = {"path": "LineString", "area": "Polygon", "range_ring": "Point"}[kind]
    props = {"kind": kind, "name": "Deep"} | ({"radius_m": 1000.0} if kind == "range_ring" else {})
    odd = {"type": "Feature", "id": "odd", "properties": props, "geometry": {"type": gtype, "coordinates": coords}}
    text = json.dumps({"type": "FeatureCollection", "sitmap": {"title": "t"}, "features": [odd]}).encode()
    for read in (parse_scenario_bytes, open_map_bytes, import_geojson):
        with pytest.raises(ScenarioError):
            read(text, "deep.geojson")


@pytest.mark.parametrize("key", ["vertices", "centre", "stroke", "marker-color"])
def test_properties_never_stored_as_they_are_are_left_to_their_own_checks(key):
    """A shape's vertices and a ring's centre are read exactly, as coordinates, and the style for
    other tools is dropped: they are not walked for their nesting (a saved map's vertices would be
    walked twice). Nested past the limit, the vertices and the centre are refused by the geometry
    checks, and a style for other tools is left out."""
    deep = json.loads("[" * 500 + "]" * 500)
    kind = {"vertices": "path", "centre": "range_ring"}.get(key, "place")
    props = {"kind": kind, "name": "Deep", key: deep} | ({"radius_m": 1000.0} if kind == "range_ring" else {})
    geometry = {"type": "LineString", "coordinates": [[125.0, 39.0], [126.0, 39.0]]} if kind == "path" \
        else {"type": "Point", "coordinates": [125.0, 39.0]}
    odd = {"type": "Feature", "id": "odd", "properties": props, "geometry": geometry}
    text = json.dumps({"type": "FeatureCollection", "sitmap": {"title": "t"}, "features": [odd]}).encode()
    if kind == "place":
        s = parse_scenario_bytes(text, "deep.geojson")
        assert key not in s.feature("odd").properties
        return
    with pytest.raises(ScenarioError) as refused:
        parse_scenario_bytes(text, "deep.geojson")
    assert f"properties.{key}" in str(refused.value) and "nesting" not in str(refused.value)
