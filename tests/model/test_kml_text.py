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
