"""A KML document's text is written in one pass (viewer.model.io.kml_write.indented_xml): exactly
what ElementTree's indent and writer make of the same tree, whatever its texts, attributes and
tails hold."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer import resources
from viewer.model.io.kml_write import KML_NS, export_kml, indented_xml
from viewer.model.io.xml_safe import MAX_XML_DEPTH
from viewer.model.scenario import ScenarioError, load_scenario

TEXT = st.one_of(st.none(), st.just(""), st.just("  \n "), st.just("]]> &amp;"),
                 st.text(alphabet=st.sampled_from(list("ab <>&\"'\t\r\n-é平")), max_size=12))
ET.register_namespace("", KML_NS)  # (as the KML writer does)
TAGS = st.sampled_from(["Placemark", "name", "Data", "value", "coordinates", "Style"])


@st.composite
def trees(draw, depth=0):
    el = ET.Element(f"{{{KML_NS}}}{draw(TAGS)}")
    for key in draw(st.lists(st.sampled_from(["name", "id"]), max_size=2, unique=True)):
        el.set(key, draw(st.text(alphabet=st.sampled_from(list("a\"<&\n\r\t é")), max_size=6)))
    el.text = draw(TEXT)
    if depth < 3:
        for child in draw(st.lists(trees(depth + 1), max_size=3)):
            child.tail = draw(TEXT)
            el.append(child)
    return el


def _element_tree(root: ET.Element) -> str:
    tree = copy.deepcopy(root)
    ET.indent(tree, space=" ")
    return ET.tostring(tree, encoding="unicode")


@settings(max_examples=600, deadline=None)
@given(trees())
def test_the_text_is_what_element_tree_writes(root):
    before = ET.tostring(root, encoding="unicode")
    assert indented_xml(root) == _element_tree(root)
    assert ET.tostring(root, encoding="unicode") == before  # the tree is left as it is


def test_a_whole_kml_document_is_what_element_tree_writes():
    data = export_kml(load_scenario(resources.default_scenario()))
    head, body = data.split(b"\n", 1)
    assert head == b"<?xml version='1.0' encoding='utf-8'?>"
    root = ET.fromstring(body)
    for el in root.iter():  # (as the writer made it: no whitespace of its own)
        if len(el):
            el.text = None
        el.tail = None
    assert body == (_element_tree(root) + "\n").encode("utf-8")


def _every_kind_of_placemark():
    """A map with every kind of placemark the writer makes (each written as text as it is made):
    texts XML forbids and escapes, a feature without a name (shown under its id), times and a span, a fact, a ring, a line across
    the antimeridian, an area with a hole, a point's uncertainty, features in a shown and a hidden
    layer and outside both."""
    from viewer.model.scenario import parse_scenario

    square = [[130.0, 40.0], [131.5, 40.0], [131.5, 41.2], [130.0, 41.2], [130.0, 40.0]]
    hole = [[130.5, 40.4], [130.9, 40.4], [130.9, 40.8], [130.5, 40.8], [130.5, 40.4]]
    return parse_scenario({"type": "FeatureCollection", "sitmap": {
        "title": "Every <kind> & more", "subtitle": "a\u0007b",
        "layers": [{"id": "shown", "label": "Shown & <told>", "visible": True, "locked": False},
                   {"id": "hidden", "label": "Hidden", "visible": False, "locked": False}],
        "facts": [{"id": "f1", "group": "launch", "label": "Time", "value": "08:50 <KST>", "source": "JCS",
                   "status": "reported", "feature": "launch", "time_utc": "2022-01-16T23:50:00Z"}]}, "features": [
        {"type": "Feature", "id": "launch", "geometry": {"type": "Point", "coordinates": [125.67, 39.2]},
         "properties": {"kind": "place", "role": "launch", "name": "Launch \u0001 \"site\" & <A>",
                        "notes": "line one\r\nline two > three", "source": "JCS", "status": "reported",
                        "uncertainty_m": 5000, "layer": "shown"}},
        {"type": "Feature", "id": "nameless", "geometry": {"type": "Point", "coordinates": [126.0, 39.5]},
         "properties": {"kind": "place", "source": "Analyst", "status": "estimated", "annotation": True,
                        "time_utc": ["2022-01-16T23:50:00Z", "2022-01-16T23:54:00Z"], "layer": "hidden"}},
        {"type": "Feature", "id": "ring", "geometry": {"type": "Point", "coordinates": [125.67, 39.2]},
         "properties": {"kind": "range_ring", "name": "500 km", "radius_m": 500000, "source": "SitMap",
                        "status": "derived"}},
        {"type": "Feature", "id": "across", "geometry": {"type": "LineString",
                                                         "coordinates": [[178.0, 50.0], [-178.0, 51.0]]},
         "properties": {"kind": "path", "name": "Across 180", "source": "Analyst", "status": "estimated",
                        "annotation": True, "style": {"color": "#00FF7F", "dash": "dashed"}}},
        {"type": "Feature", "id": "holed", "geometry": {"type": "Polygon", "coordinates": [square, hole]},
         "properties": {"kind": "area", "name": "Holed", "source": "Analyst", "status": "estimated",
                        "annotation": True, "time_utc": "2022-01-17T00:00:00Z", "layer": "shown"}},
    ]}, "test")


def test_every_kind_of_placemark_is_written_as_element_tree_writes_it():
    data = export_kml(_every_kind_of_placemark())
    head, body = data.split(b"\n", 1)
    root = ET.fromstring(body)
    for el in root.iter():
        if len(el):
            el.text = None
        el.tail = None
    assert body == (_element_tree(root) + "\n").encode("utf-8")
    ns = {"k": KML_NS}
    names = [el.text for el in root.iterfind(".//k:Placemark/k:name", ns)]
    assert names == ["Launch   \"site\" & <A>", "Launch   \"site\" & <A>: uncertainty", "Holed", "nameless", "500 km",
                     "Across 180"]  # (the shown layer's, the hidden layer's, then the rest, in map order)
    assert root.find(".//k:Folder/k:Placemark/k:TimeSpan/k:begin", ns).text == "2022-01-16T23:50:00Z"
    assert root.find(".//k:Placemark/k:MultiGeometry", ns) is not None  # (the line cut at 180)
    assert len(root.findall(".//k:innerBoundaryIs", ns)) == 1


@pytest.mark.parametrize("depth", [MAX_XML_DEPTH + 1, 200_000])
def test_a_kml_nested_too_deep_is_refused_in_one_line_and_nothing_breaks(depth):
    from viewer.model.io.open_any import open_map_bytes

    body = "<Folder>" * (depth - 2) + "</Folder>" * (depth - 2)
    raw = f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{body}</Document></kml>'.encode()
    with pytest.raises(ScenarioError, match=f"nested deeper than {MAX_XML_DEPTH} levels"):
        open_map_bytes(raw, "deep.kml")


def test_a_kml_nested_as_deep_as_allowed_opens():
    from viewer.model.io.open_any import open_map_bytes

    folders = MAX_XML_DEPTH - 5  # kml, Document, the folders, Placemark, Point, coordinates
    placemark = "<Placemark><name>Deep</name><Point><coordinates>126.5,39.2</coordinates></Point></Placemark>"
    raw = (f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{"<Folder>" * folders}{placemark}'
           f'{"</Folder>" * folders}</Document></kml>').encode()
    scenario, _report = open_map_bytes(raw, "deep.kml")
    assert [f.name for f in scenario.features] == ["Deep"]
