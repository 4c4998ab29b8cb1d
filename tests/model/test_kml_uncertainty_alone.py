"""A point's uncertainty circle in a KML file, read by SitMap's own KML reader: with its point in the
file it is part of the point; its point gone (deleted in Google Earth), the circle opens as an
area, as the GeoJSON and GeoPackage readers open it."""

from __future__ import annotations

import pytest

from viewer import resources
from viewer.model.io.kml_write import export_kml
from viewer.model.io.open_any import open_map_bytes
from viewer.model.scenario import load_scenario


@pytest.fixture(scope="module")
def kml_text():
    return export_kml(load_scenario(resources.default_scenario())).decode("utf-8")


def _without_placemark_of(text: str, value: str) -> str:
    start = text.rindex("<Placemark", 0, text.index(f'<SimpleData name="sitmap_id">{value}</SimpleData>'))
    return text[:start] + text[text.index("</Placemark>", start) + len("</Placemark>"):]


def _circles(scenario):
    return [f for f in scenario.features if f.geometry["type"] in ("Polygon", "MultiPolygon")
            and f.properties.get("radius_m") == 5000.0]


def test_the_circle_of_a_point_in_the_kml_is_read_as_part_of_it(kml_text):
    s, report = open_map_bytes(kml_text.encode(), "map.kml")
    assert not _circles(s)
    assert s.feature("launch-point").properties.get("uncertainty_m") == 5000.0


def test_the_circle_of_a_point_deleted_in_google_earth_opens_as_an_area(kml_text):
    s, report = open_map_bytes(_without_placemark_of(kml_text, "launch-point").encode(), "edited.kml")
    assert s.feature("launch-point") is None
    [circle] = _circles(s)
    assert circle.kind == "area" and circle.id == "launch-point.uncertainty"
    assert circle.name.endswith(": uncertainty") and circle.status == "estimated"
    assert circle.properties["style"]["fill_opacity"] == pytest.approx(0.1, abs=0.01)


def _foreign_kml(with_point: bool) -> bytes:
    # SitMap's GeoJSON export after another tool made a KML of it: its properties as ExtendedData
    point = ("<Placemark><name>Launch point</name><ExtendedData><Data name='id'><value>launch-point</value></Data>"
             "<Data name='kind'><value>place</value></Data></ExtendedData>"
             "<Point><coordinates>125.7,39.1</coordinates></Point></Placemark>") if with_point else ""
    ring = " ".join(f"{125.7 + 0.05 * dx},{39.1 + 0.04 * dy}" for dx, dy in
                    ((1, 0), (0, 1), (-1, 0), (0, -1), (1, 0)))
    return ("<kml xmlns='http://www.opengis.net/kml/2.2'><Document>" + point +
            "<Placemark><name>Launch point: uncertainty</name><ExtendedData>"
            "<Data name='kind'><value>uncertainty</value></Data><Data name='of'><value>launch-point</value></Data>"
            "<Data name='radius_m'><value>5000</value></Data><Data name='status'><value>estimated</value></Data>"
            f"</ExtendedData><Polygon><outerBoundaryIs><LinearRing><coordinates>{ring}</coordinates>"
            "</LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>").encode()


def test_a_circle_another_tool_wrote_opens_as_an_area_only_where_its_point_is_gone():
    s, _ = open_map_bytes(_foreign_kml(with_point=True), "other.kml")
    assert [f.id for f in s.features] == ["launch-point"]
    s, _ = open_map_bytes(_foreign_kml(with_point=False), "other.kml")
    [circle] = s.features
    assert circle.kind == "area" and circle.name == "Launch point: uncertainty"
    assert circle.properties.get("radius_m") == 5000.0 and circle.status == "estimated"
