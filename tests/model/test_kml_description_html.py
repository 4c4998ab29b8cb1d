"""A KML description's HTML that Python's own HTML parser cannot take (before Python 3.13 it raises
AssertionError on a marked section it cannot name, "<![ " or "<![x["): the placemark opens, its
description's text as it stands. Found by fuzzing the openers; a GeoJSON of SitMap's KML columns
(another tool's copy of them) went the same way."""

from __future__ import annotations

import json

import pytest

from viewer.model.io.annotations import import_annotations
from viewer.model.io.kml_description import html_to_text
from viewer.model.io.open_any import open_map_bytes


@pytest.mark.parametrize("html, text", [
    ("<![ ", "<![ "), ("<![x[", "<![x["), ("a <![x[ b<br>c", "a <![x[ b\nc"),
    ("a<![CDATA[x]]>b", "ab"), ("ok<br>two", "ok\ntwo"), ("<!--c-->t", "t"),
])
def test_the_text_of_any_html(html, text):
    assert html_to_text(html) == text


@pytest.mark.parametrize("description", ["&lt;![x[", "&lt;![ ", "<![CDATA[<![x[]]>"])
def test_a_placemark_whose_description_the_html_parser_cannot_take_opens(description):
    kml = ("<kml xmlns='http://www.opengis.net/kml/2.2'><Placemark><name>P</name>"
           f"<description>{description}</description><Point><coordinates>1,2</coordinates></Point></Placemark></kml>")
    scenario, _report = open_map_bytes(kml.encode(), "d.kml")
    assert [f.name for f in scenario.features] == ["P"] and "<![" in scenario.features[0].properties["notes"]
    assert [f.name for f in import_annotations(kml.encode(), "d.kml")] == ["P"]


def test_sitmap_s_kml_columns_in_a_geojson_with_such_a_description_open():
    doc = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]},
           "properties": {"Name": "P", "description": "<![x[", "sitmap_kind": "place", "sitmap_id": "p"}}]}
    scenario, _report = open_map_bytes(json.dumps(doc).encode(), "columns.geojson")
    assert len(scenario.features) == 1


@pytest.mark.parametrize("html, text", [
    ('Hi <a href="https://example.com/report">the report</a>.', "Hi the report (https://example.com/report)."),
    ('<a href="https://example.com">https://example.com</a>', "https://example.com"),  # (said once)
    ('<a href="https://example.com"></a>', "https://example.com"),
    ('<a href="mailto:desk@example.com">desk</a>', "desk (mailto:desk@example.com)"),
    ('<a href="javascript:alert(1)">x</a>', "x"),  # (no address of another kind)
    ('<a name="top">x</a>', "x"),
])
def test_a_links_address_follows_its_text(html, text):
    # (before: "Hi the report." - a source's page was lost with the HTML)
    assert html_to_text(html) == text
    kml = ('<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>P</name><description><![CDATA['
           + html + ']]></description><Point><coordinates>8,47</coordinates></Point></Placemark></kml>').encode()
    scenario, _ = open_map_bytes(kml, "links.kml")
    assert scenario.features[0].properties.get("notes") == text
