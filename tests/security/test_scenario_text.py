"""Hostile scenario files: every text field of a scenario carries script-injection payloads
(tests/data/payloads.txt). The live page runs none of them and shows each as text, and so do
the window's own widgets."""

from __future__ import annotations

import html
import json
import re

import pytest
from PySide6.QtCore import Qt

from tests.security.conftest import (
    PAYLOADS,
    READY_MS,
    assert_page_clean,
    exercise_page,
    hostile_document,
    js,
    norm,
    shown_label,
    wait_ready,
)

VARIANTS = 7


def test_the_corpus_is_big_and_varied():
    assert len(PAYLOADS) >= 50
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    for needle in ("<img", "<svg", "</script>", '"}', "${", "{{", "javascript:", "<iframe", "<math", "\u2028",
                   "\u2029", "\u202e", "\u200b", "\uff1c", "<!--", "]]>", "<base", "http-equiv", "<style",
                   "onclick", "&lt;", "\n", "=HYPERLINK"):
        assert any(needle in p for p in PAYLOADS), needle


def test_every_payload_reaches_every_kind_of_field_over_the_variants():
    seen: dict[str, set[str]] = {}
    for v in range(VARIANTS):
        doc = hostile_document(v, VARIANTS)
        meta = doc["sitmap"]
        fields = {"title": [meta["title"]], "subtitle": [meta["subtitle"]], "article": [meta["article"]],
                  "zone": [meta["local_time"]["zone"]], "group": [g["label"] for g in meta["groups"]],
                  "layer": [x["label"] for x in meta["layers"]]}
        for key in ("name", "notes", "source", "label", "name_local", "basis"):
            fields[f"feature.{key}"] = [f["properties"][key] for f in doc["features"]]
        for key in ("label", "value", "source"):
            fields[f"fact.{key}"] = [fa[key] for fa in doc["facts"]]
        for name, values in fields.items():
            seen.setdefault(name, set()).update(p for p in PAYLOADS if any(p in value for value in values))
    for name, found in seen.items():
        if name != "layer":  # (labels of layers are cut at 200 characters: see test_payloads_as_layer_names_stay_text)
            assert len(found) == len(PAYLOADS), f"{name} never carries {set(PAYLOADS) - found}"


def plain(rich: str) -> str:
    """What a rich-text tooltip shows: tags dropped, entities decoded. (QTextDocument.setHtml
    would say the same, but PySide 6.12 mis-counts references to None on it.)"""
    from PySide6.QtGui import Qt as GuiQt

    assert GuiQt.mightBeRichText(rich)
    return html.unescape(re.sub(r"<[^>]*>", "", rich))


def check_widgets(qtbot, window) -> None:
    s = window.scenario
    facts = window.facts
    assert norm(s.title) in norm(window.windowTitle())
    for label in (facts.title, facts.subtitle, facts.detail, window.properties.heading, window.range_panel.status,
                  window.range_panel.result, window.pointer_label):
        assert label.textFormat() == Qt.TextFormat.PlainText
    assert norm(facts.title.text()) == norm(s.title) and norm(facts.subtitle.text()) == norm(s.subtitle)
    tree = facts.tree
    groups = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    want = [norm(label) for gid, label in s.groups if any(f.group == gid for f in s.facts)]
    from viewer.ui.history_window import COMPARED_GROUP  # derived by SitMap, after the map's own groups

    assert [norm(g) for g in groups[:len(want)]] == want and groups[len(want):] in ([], [COMPARED_GROUP])
    for fact in s.facts:
        item = facts.item_for(fact.id)
        value = s.fact_display_value(fact)
        assert [norm(item.text(c)) for c in range(4)] == [norm(t) for t in (fact.label, value, fact.source, fact.status)]
        tip = norm(plain(item.toolTip(0)))
        for text in (fact.label, value, fact.source):
            assert norm(text) in tip, "a tooltip was read as HTML"
        facts.activate_fact(fact.id)
        detail = facts.detail.text()
        assert norm(detail).startswith(norm(fact.label + "\n" + value + "\nSource: " + fact.source))
    for f in s.features:
        window.map_view.bridge.featureClicked(f.id)
        p = window.properties
        assert p.feature is f
        assert norm(p.name.text()) == norm(f.properties.get("name", ""))
        assert norm(p.notes.toPlainText()) == norm(f.properties.get("notes", ""))
        assert norm(p.source.text()) == norm(f.properties.get("source", ""))
    panel = [window.layers_panel.list.item(i).text() for i in range(window.layers_panel.list.count())]
    assert [norm(t) for t in panel] == [norm(x["label"]) for x in s.layers]
    qtbot.waitUntil(lambda: window.range_panel.tree.topLevelItemCount() > 0, timeout=30_000)
    heads = [window.range_panel.tree.topLevelItem(i).text(0) for i in range(window.range_panel.tree.topLevelItemCount())]
    for f in s.features:
        if f.kind == "range_ring":
            assert any(norm(h).startswith(norm(f.name + ": ")) for h in heads)
    combo = window.range_panel.from_box
    assert [norm(combo.itemText(i)) for i in range(combo.count())] == \
        [norm(f.name) for f in s.features if f.kind == "place"]


def check_page(qtbot, window) -> None:
    view = window.map_view
    url = view.url().toString()
    assert_page_clean(qtbot, view, url)
    shown = exercise_page(qtbot, view)
    container = norm(shown["container"])
    for d in view.drawn:
        popup = norm(shown["popups"][d.id])
        assert norm(d.name) in popup and norm(d.notes) in popup and norm("Source: " + d.source) in popup, d.id
        if d.shape != "marker":
            assert norm(d.name) in norm(shown["tooltips"][d.id])
        if d.label:
            assert norm(shown_label(d)) in container, d.id
        if d.symbol == "ring":
            assert norm(d.label) in norm(shown["legend"])
    assert window.scenario.layers
    for layer in window.scenario.layers:
        assert norm(layer["label"]) in norm(shown["layerControl"])
    for fact in window.scenario.facts:
        window.facts.activate_fact(fact.id)
    js(qtbot, view, "SitMap.app.map.stop(); SitMap.app.fitScenario(false); 1")
    assert_page_clean(qtbot, view, url)


@pytest.mark.parametrize("csp", ["with-csp", "without-csp"])
def test_payloads_in_every_scenario_field_stay_text(window, qtbot, tmp_path, request, csp):
    if csp == "without-csp":
        request.getfixturevalue("no_csp")
    for v in range(VARIANTS):
        path = tmp_path / f"hostile-{v}.geojson"
        path.write_text(json.dumps(hostile_document(v, VARIANTS), ensure_ascii=False), encoding="utf-8")
        assert wait_ready(qtbot, window, lambda: window.open_path(path), READY_MS)
        check_page(qtbot, window)
        check_widgets(qtbot, window)


def test_payloads_as_layer_names_stay_text(window, qtbot, no_csp):
    """Renamed layers (layers panel) reach the page's layer control, which Leaflet fills with HTML."""
    wait_ready(qtbot, window, lambda: window.map_view.show_scenario(window.scenario, window.map_view.drawn))
    layers = window.current_layers()
    for start in range(0, len(PAYLOADS), len(layers)):
        names = [PAYLOADS[(start + i) % len(PAYLOADS)] for i in range(len(layers))]
        for item, name in zip(range(window.layers_panel.list.count()), names):
            window.layers_panel.list.item(item).setText(name)  # a rename, as the user types it
        got = window.layers_panel.layers()
        assert [norm(x["label"]) for x in got] == [norm(n.strip()[:200]) for n in names]
        panel = [window.layers_panel.list.item(i).text() for i in range(window.layers_panel.list.count())]
        assert [norm(t) for t in panel] == [norm(n.strip()[:200]) for n in names]
        text = norm(js(qtbot, window.map_view, "document.querySelector('.leaflet-control-layers').textContent"))
        for n in names:
            assert norm(n.strip()[:200]) in text
    assert_page_clean(qtbot, window.map_view)


def test_template_syntax_in_scenario_text_is_not_evaluated():
    """folium (branca) renders the page's script through Jinja2 a second time, after the scenario
    JSON is in it: "{{ }}" in a name must stay those characters, never be evaluated in Python."""
    from tests.security.conftest import builtin_document
    from viewer.model.scenario import parse_scenario_bytes
    from viewer.render.page import build_page

    texts = ["{{7*7}}", "{{ this.__class__.__name__ }}", "{% raw %}", "{# x", "{{{x}}}"]
    doc = builtin_document()
    for f, text in zip(doc["features"], texts):
        f["properties"]["name"] = text
    s = parse_scenario_bytes(json.dumps(doc).encode("utf-8"), "jinja.geojson")
    page = build_page(s)
    m = re.search(r"SitMap\.app\.init\([^,]+, (\{.*\})\);\n", page)
    names = [f["name"] for f in json.loads(m.group(1))["features"]][:len(texts)]
    assert names == texts


def test_the_harness_sees_a_payload_that_runs(window, qtbot, no_csp):
    """The checks have teeth: markup put into the page as HTML is caught."""
    wait_ready(qtbot, window, lambda: window.map_view.show_scenario(window.scenario, window.map_view.drawn))
    window.map_view.run_js("var d = document.createElement('div'); d.innerHTML = "
                           + json.dumps(PAYLOADS[0]) + "; document.body.appendChild(d);")
    with pytest.raises(AssertionError, match="a payload ran"):
        assert_page_clean(qtbot, window.map_view)
