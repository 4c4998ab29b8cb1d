"""Payloads in what the analyst adds: annotations (drawn, edited in the properties panel, text
labels, the measure tool's sketch label, a found place's label) and imported KML and CSV files."""

from __future__ import annotations

import csv
import html
import io
import json
import xml.etree.ElementTree as ET

from tests.security.conftest import (PAYLOADS, assert_page_clean, exercise_page, js, norm, page_check, settle,
                                     short_text, shown_label)

P = len(PAYLOADS)


def payload(i: int) -> str:
    return PAYLOADS[i % P]


def wait_drawn(qtbot, window, ids) -> None:
    want = json.dumps(sorted(ids))
    qtbot.waitUntil(lambda: js(qtbot, window.map_view,
                               f"{want}.every(function (id) {{ return !!SitMap.app.features[id]; }})") is True,
                    timeout=20_000)


def check_drawn(qtbot, window, ids) -> None:
    """Every popup, hover tooltip and label of these features shows its text literally."""
    shown = exercise_page(qtbot, window.map_view)
    container = norm(shown["container"])
    drawn = {d.id: d for d in window.map_view.drawn}
    for fid in ids:
        d = drawn[fid]
        popup = norm(shown["popups"][fid])
        assert norm(d.name) in popup and norm(d.notes) in popup and norm("Source: " + d.source) in popup, fid
        if d.shape != "marker":
            assert norm(d.name) in norm(shown["tooltips"][fid]), fid
        if d.label:
            assert norm(shown_label(d)) in container, fid


def geometry(kind: str, i: int) -> dict:
    lat, lon = 30.0 + (i % 10) * 1.5, 120.0 + (i // 10) * 1.5
    if kind == "path":
        return {"type": "LineString", "coordinates": [[lon, lat], [lon + 1.0, lat + 0.5]]}
    if kind == "area":
        return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + 1, lat], [lon + 1, lat + 1], [lon, lat]]]}
    return {"type": "Point", "coordinates": [lon, lat]}


def test_payloads_in_annotations_stay_text(window, qtbot, no_csp, monkeypatch):
    # a page without its policy: only SitMap's escaping keeps these from running
    from tests.security.conftest import wait_ready

    wait_ready(qtbot, window, lambda: window.map_view.show_scenario(window.scenario, window.map_view.drawn))
    monkeypatch.setattr(window, "write_recovery", lambda change=None: None)  # (speed: nothing to recover here)
    kinds = ("place", "path", "area", "range_ring", "place")
    ids = []
    for i in range(P):
        kind = kinds[i % len(kinds)]
        props = {"name": payload(i), "notes": payload(i + 1), "source": payload(i + 2), "label": payload(i + 3)}
        if kind == "range_ring":
            props["radius_m"] = 50_000.0
        if i % len(kinds) == 4:
            props["role"] = "label"
        ids.append(window.add_annotation(kind, geometry(kind, i), props))
        assert norm(payload(i)) in norm(window.statusBar().currentMessage())
    wait_drawn(qtbot, window, ids)
    check_drawn(qtbot, window, ids)
    assert_page_clean(qtbot, window.map_view)

    # The properties panel: each payload typed as name, notes and source of a marker. The page
    # runs scripts in the order they are sent: each popup is read right after its redraw.
    fid = ids[0]
    read_popup = (f"(function () {{ var m = SitMap.app.features[{json.dumps(fid)}].main;"
                  " m.openPopup(); var t = m.getPopup().getElement().textContent; m.closePopup(); return t; })()")
    popups: dict[int, str] = {}
    for i in range(P):
        window.map_view.bridge.featureClicked(fid)
        panel = window.properties
        panel.name.setText(payload(i))
        panel.notes.setPlainText(payload(i + 1))
        panel.source.setText(payload(i + 2))
        assert panel.commit() is not None
        f = window.scenario.feature(fid)
        assert norm(f.name) == norm(payload(i)) and norm(f.properties["notes"]) == norm(payload(i + 1))
        assert norm(panel.name.text()) == norm(payload(i))
        window.map_view.run_js(read_popup, lambda text, _i=i: popups.__setitem__(_i, text))
    qtbot.waitUntil(lambda: len(popups) == P, timeout=20_000)
    for i, text in popups.items():
        text = norm(text)
        assert norm(payload(i)) in text and norm(payload(i + 1)) in text and norm(payload(i + 2)) in text
    assert_page_clean(qtbot, window.map_view)

    # The text label tool and the sketch label of the measure tool; a found place's label.
    from PySide6.QtWidgets import QInputDialog

    labels = []
    for i in range(0, P, 4):
        monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, _t=payload(i), **k: (_t, True)))
        labels.append(window.add_text_label(20.0 + i * 0.1, 110.0))
    wait_drawn(qtbot, window, labels)
    check_drawn(qtbot, window, labels)
    window.tool_actions["measure"].trigger()
    shown: dict[int, list] = {}
    for i in range(P):
        window.map_view.call("draw.setSketch", [[38.0, 125.0], [39.0, 126.0]], payload(i), False)
        window.map_view.call("showPlace", 37.0, 127.0, payload(i + 1), 6)
        window.map_view.run_js("JSON.stringify([SitMap.draw.sketchLabel.getElement().textContent,"
                               " SitMap.app.foundPlace.getTooltip().getElement().textContent])",
                               lambda text, _i=i: shown.__setitem__(_i, json.loads(text)))
    qtbot.waitUntil(lambda: len(shown) == P, timeout=20_000)
    for i, got in shown.items():
        assert got == [payload(i), short_text(payload(i + 1))]  # (a found place's label: as any map label)
    window.draw.key("Escape")
    assert_page_clean(qtbot, window.map_view)


def _kml(features: list[dict]) -> bytes:
    ns = "http://www.opengis.net/kml/2.2"
    root = ET.Element(f"{{{ns}}}kml")
    doc = ET.SubElement(root, f"{{{ns}}}Document")
    ET.SubElement(doc, f"{{{ns}}}name").text = payload(0)
    for i, f in enumerate(features):
        pm = ET.SubElement(doc, f"{{{ns}}}Placemark")
        ET.SubElement(pm, f"{{{ns}}}name").text = f["name"]
        ET.SubElement(pm, f"{{{ns}}}description").text = f["description"]
        ext = ET.SubElement(pm, f"{{{ns}}}ExtendedData")
        for key, value in f["data"].items():
            d = ET.SubElement(ext, f"{{{ns}}}Data", name=key)
            ET.SubElement(d, f"{{{ns}}}displayName").text = f"<b>{key}</b>"
            ET.SubElement(d, f"{{{ns}}}value").text = value
        pt = ET.SubElement(pm, f"{{{ns}}}Point")
        ET.SubElement(pt, f"{{{ns}}}coordinates").text = f"{110 + (i % 20) * 1.2},{20 + (i // 20) * 1.5},0"
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def test_payloads_in_an_imported_kml_stay_text(window, qtbot, no_csp, tmp_path):
    from tests.security.conftest import wait_ready
    from viewer.model import exchange

    wait_ready(qtbot, window, lambda: window.map_view.show_scenario(window.scenario, window.map_view.drawn))
    features, expected = [], []
    for i in range(P):
        if i % 2 == 0:
            # SitMap's own KML: the description is HTML-escaped text; ExtendedData carries the rest.
            data = {"sitmap_id": f"kml-{i}", "sitmap_kind": "place", "sitmap_status": "reported",
                    "sitmap_source": payload(i + 2),
                    "sitmap_properties": json.dumps({"label": payload(i + 3), "basis": payload(i + 4)})}
            notes = payload(i + 1)
            features.append({"name": payload(i), "description": html.escape(notes), "data": data})
        else:
            # Google Earth's KML: the description is HTML; what SitMap keeps of it is its text.
            raw = payload(i + 1)
            features.append({"name": payload(i), "description": raw, "data": {"note": payload(i + 2)}})
            notes = exchange.html_to_text(raw).strip()
        expected.append((payload(i).strip(), notes))
    path = tmp_path / "hostile.kml"
    path.write_bytes(_kml(features))
    before = {f.id for f in window.scenario.features}
    assert window.import_path(path) == P
    new = [f for f in window.scenario.features if f.id not in before]
    assert [(norm(f.name), norm(f.properties.get("notes", ""))) for f in new] == \
        [(norm(a), norm(b)) for a, b in expected]
    ids = [f.id for f in new]
    wait_drawn(qtbot, window, ids)
    check_drawn(qtbot, window, ids)
    assert_page_clean(qtbot, window.map_view)


def test_payloads_in_an_imported_csv_stay_text(window, qtbot, no_csp, tmp_path):
    from tests.security.conftest import wait_ready
    from viewer.model import exchange

    wait_ready(qtbot, window, lambda: window.map_view.show_scenario(window.scenario, window.map_view.drawn))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["lat", "lon", "name", "notes", "source", "comment"])
    rows = []
    for i in range(P):
        row = [f"{20 + (i // 20) * 1.5}", f"{110 + (i % 20) * 1.2}", payload(i), payload(i + 1), payload(i + 2),
               payload(i + 3)]
        w.writerow(row)
        rows.append(row)
    path = tmp_path / "hostile.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    before = {f.id for f in window.scenario.features}
    assert window.import_path(path) == P
    new = [f for f in window.scenario.features if f.id not in before]
    for f, row in zip(new, rows):
        # a leading ' before = + - @ is how SitMap's own CSV export neutralises formulas: reading drops it
        assert norm(f.name) == norm(exchange.unneutralise(row[2].strip()))
        assert norm(f.properties.get("notes", "")) == norm(exchange.unneutralise(row[3]))
        assert norm(f.source) == norm(exchange.unneutralise(row[4]).strip())
    ids = [f.id for f in new]
    wait_drawn(qtbot, window, ids)
    check_drawn(qtbot, window, ids)
    assert_page_clean(qtbot, window.map_view)
    settle(qtbot, window.map_view)
    assert page_check(qtbot, window.map_view)["sentinel"] is None
