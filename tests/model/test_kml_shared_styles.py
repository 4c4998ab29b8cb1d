"""A KML export shares its looks and names its fields once: one Style per look in the document
(each placemark names its own with styleUrl) and one Schema whose fields each placemark fills
(SchemaData), as Google Earth writes them. A map of 100,000 points has a few looks, and the same
fields in every placemark: the file is a third smaller and quicker to write and to read. SitMap's
KML from before (an inline Style and Data with display names in every placemark) still opens as
it did."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from viewer import resources
from viewer.model.io.kml_write import export_kml
from viewer.model.io.open_any import open_map_bytes
from viewer.model.scenario import Feature, Scenario, load_scenario

KML = "{http://www.opengis.net/kml/2.2}"
BEFORE = Path(__file__).resolve().parents[1] / "data" / "exchange" / "sitmap-before-shared-styles.kml"


def _builtin() -> Scenario:
    return load_scenario(resources.default_scenario())


def test_every_placemark_names_a_shared_style_and_fills_the_one_schema():
    s = _builtin()
    root = ET.fromstring(export_kml(s))
    doc = root.find(f"{KML}Document")
    styles = {st.get("id"): st for st in doc.findall(f"{KML}Style")}
    marks = list(root.iter(f"{KML}Placemark"))
    assert len(marks) > len(s.features) >= 10  # (and the launch point's uncertainty)
    (schema,) = doc.findall(f"{KML}Schema")
    declared = {f.get("name"): f.findtext(f"{KML}displayName") for f in schema.findall(f"{KML}SimpleField")}
    assert declared["sitmap_id"] == "SitMap id" and declared["sitmap_radius_m"] == "Radius (m)"
    used_styles = set()
    for pm in marks:
        assert pm.find(f"{KML}Style") is None and pm.find(f".//{KML}Data") is None  # (nothing inline)
        url = pm.findtext(f"{KML}styleUrl")
        assert url.startswith("#") and url[1:] in styles
        used_styles.add(url[1:])
        (data,) = pm.findall(f"{KML}ExtendedData/{KML}SchemaData")
        assert data.get("schemaUrl") == "#" + schema.get("id")
        names = [d.get("name") for d in data.findall(f"{KML}SimpleData")]
        assert names and set(names) <= set(declared)
    assert used_styles == set(styles)  # (each style written is used, each look written once)
    assert len(styles) < len(marks)
    looks = {b"".join(ET.tostring(c) for c in st) for st in styles.values()}
    assert len(looks) == len(styles)  # (no look written twice)
    # KML's order in the document: its styles, its own data, then the schema, before the features
    tags = [c.tag.removeprefix(KML) for c in doc]
    first_feature = min(tags.index(t) for t in ("Folder", "Placemark") if t in tags)
    assert tags.index("description") < tags.index("Style") < tags.index("ExtendedData") < tags.index("Schema") \
        < first_feature
    assert "Style" not in tags[first_feature:] and "Schema" not in tags[first_feature:]


def test_the_kml_opens_as_the_map_it_was_written_from():
    s = _builtin()
    back, report = open_map_bytes(export_kml(s), "map.kml")
    assert [f.id for f in back.features] == [f.id for f in s.features]
    assert [f.geometry for f in back.features] == [f.geometry for f in s.features]
    assert back.facts == s.facts and back.layers == s.layers and report.notes == []


def test_sitmap_kml_from_before_the_shared_styles_opens_as_the_same_map():
    old = BEFORE.read_bytes()
    assert b"<displayName>SitMap id</displayName>" in old and b"<styleUrl>" not in old  # (the layout before)
    before, before_report = open_map_bytes(old, BEFORE.name)
    now, now_report = open_map_bytes(export_kml(before), "now.kml")
    assert now.features == before.features and now.facts == before.facts and now.layers == before.layers
    assert before_report.notes == now_report.notes == []
    assert [f.id for f in before.features] == [f.id for f in _builtin().features]


def test_a_shared_style_recoloured_in_google_earth_recolours_each_feature_that_uses_it():
    point = {"type": "Point", "coordinates": [125.0, 39.0]}
    s = Scenario(title="T", facts=[], features=[
        Feature(f"p{i}", "place", point, {"name": f"P{i}", "annotation": True, "source": "A", "status": "reported",
                                          "style": {"color": "#0072B2"}}) for i in range(3)] + [
        Feature("q", "place", point, {"name": "Q", "annotation": True, "source": "A", "status": "reported",
                                      "style": {"color": "#D55E00"}})])
    data = export_kml(s).decode()
    root = ET.fromstring(data)
    urls = [pm.findtext(f"{KML}styleUrl") for pm in root.iter(f"{KML}Placemark")]
    assert urls[0] == urls[1] == urls[2] != urls[3]  # (three placemarks, one look)
    blue = "ffb27200"  # (#0072B2 as KML's aabbggrr)
    assert data.count(f"<color>{blue}</color>") == 1
    edited = data.replace(f"<color>{blue}</color>", "<color>ff00ff00</color>")  # (Google Earth: the style edited)
    back, _ = open_map_bytes(edited.encode(), "edited.kml")
    colours = {f.id: (f.properties.get("style") or {}).get("color") for f in back.features}
    assert colours == {"p0": "#00FF00", "p1": "#00FF00", "p2": "#00FF00", "q": "#D55E00"}
