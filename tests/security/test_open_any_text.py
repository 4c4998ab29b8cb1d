"""Payloads in files from other tools opened as maps (File > Open): document, folder, placemark
and ExtendedData text in a KML, names, properties and layer names in a GeoJSON. Stored as the
text they are, drawn as text, nothing run in the page, the report dialog plain text."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from PySide6.QtCore import Qt

from tests.security.conftest import PAYLOADS, assert_page_clean, exercise_page, norm
from tests.security.test_annotations_imports import check_drawn, wait_drawn
from tests.ui.conftest import READY_MS

P = len(PAYLOADS)
NS = "http://www.opengis.net/kml/2.2"


def payload(i: int) -> str:
    return PAYLOADS[i % P]


def _sub(parent, tag, text=None, **attrib):
    el = ET.SubElement(parent, f"{{{NS}}}{tag}", attrib)
    if text is not None:
        el.text = text
    return el


def hostile_kml() -> bytes:
    root = ET.Element(f"{{{NS}}}kml")
    doc = _sub(root, "Document")
    _sub(doc, "name", payload(3))
    folder = None
    for i in range(P):
        if i % 5 == 0:
            folder = _sub(doc, "Folder")
            _sub(folder, "name", payload(i + 7))
        pm = _sub(folder, "Placemark")
        _sub(pm, "name", payload(i))
        _sub(pm, "description", payload(i + 1))
        ext = _sub(pm, "ExtendedData")
        d = _sub(ext, "Data", name=f"field {payload(i + 2)[:40]}")
        _sub(d, "value", payload(i + 4))
        _sub(_sub(pm, "Point"), "coordinates", f"{110 + (i % 20) * 1.2},{20 + (i // 20) * 1.5},0")
    lost = _sub(doc, "Placemark")  # nothing to place: named in the report dialog
    _sub(lost, "name", payload(5))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def open_and_wait(qtbot, window, path) -> None:
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert window.open_path(path) is True


def test_payloads_in_an_opened_kml_stay_text(window, qtbot, no_csp, tmp_path):
    from viewer.model.io.kml import html_to_text

    path = tmp_path / "hostile.kml"
    path.write_bytes(hostile_kml())
    open_and_wait(qtbot, window, path)
    features = window.scenario.features
    assert len(features) == P
    for i, f in enumerate(features):
        assert norm(f.properties.get("name", f.id)) == norm(payload(i).strip() or f.id)
        assert norm(f.properties.get("notes", "")) == norm(html_to_text(payload(i + 1)).strip())
    assert norm(window.scenario.title) == norm(payload(3).strip()[:200] or "hostile")
    labels = [norm(x["label"]) for x in window.scenario.layers]
    assert labels == [norm(payload(i + 7).strip()[:200] or f"Folder {i // 5 + 1}") for i in range(0, P, 5)]
    ids = [f.id for f in features]
    wait_drawn(qtbot, window, ids)
    check_drawn(qtbot, window, ids)
    shown = exercise_page(qtbot, window.map_view)
    control = norm(shown["layerControl"])
    for label in labels:
        assert norm(label) in control
    box = window.files.report_box
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "placemarks or features without coordinates" in box.informativeText()
    assert_page_clean(qtbot, window.map_view)
    box.close()


def test_payloads_in_an_opened_geojson_stay_text(window, qtbot, no_csp, tmp_path):
    features = []
    for i in range(P):
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [110 + (i % 20) * 1.2,
                                                                                        20 + (i // 20) * 1.5]},
                         "properties": {"name": payload(i), "description": payload(i + 1), "source": payload(i + 2),
                                        "layer": payload(i // 10), payload(i + 3)[:60] or "k": payload(i + 4)}})
    path = tmp_path / "hostile.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "name": payload(9), "features": features}), encoding="utf-8")
    open_and_wait(qtbot, window, path)
    opened = window.scenario.features
    assert len(opened) == P
    for i, f in enumerate(opened):
        assert f.properties["name"] == payload(i) and f.properties["source"] == payload(i + 2)
    ids = [f.id for f in opened]
    wait_drawn(qtbot, window, ids)
    check_drawn(qtbot, window, ids)
    assert_page_clean(qtbot, window.map_view)
