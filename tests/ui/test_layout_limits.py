"""Long text without spaces (a title of 200 letters, a link as a fact's source, a file-like name)
never pushes the map off the window nor makes the window wider: the side panel's texts wrap
anywhere inside such a word, or are cut at the panel's edge, and the map keeps a good width (it
collapsed to 0 px, and a map reopened so never drew: real window, real page)."""

import pytest
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import READY_MS
from viewer.model import edits

MIN_MAP_WIDTH = 300  # px of map that always show

URL = ("https://www.reuters.com/world/asia-pacific/north-korea-fires-suspected-ballistic-missiles-into-sea-off-"
       "east-coast-japan-coast-guard-2022-01-17/?utm_source=twitter&utm_medium=social"
       "&utm_campaign=korea_missile_launch_follow_up_reporting")
FILE_NAME = ("Sinuiju_rail_yard_satellite_image_2022_01_17_Maxar_WorldView3_panchromatic_0_3m_resolution_"
             "tile_R12C07_orthorectified")


def _laid_out() -> None:
    """Let the layouts the change asked for run (each level of widgets asks the next in turn)."""
    for _ in range(6):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def _add_fact(window, label: str, value: str, source: str) -> None:
    dlg = window.facts_editor.add_fact()
    dlg.label.setText(label)
    dlg.value.setPlainText(value)
    dlg.source.setCurrentText(source)
    dlg.accept()
    assert not dlg.isVisible(), dlg.error.text()


@pytest.mark.parametrize("what,text", [
    ("title", "a" * 200),
    ("title", "https://www.example.org/news/2022/01/17/north-korea-tests-tactical-guided-missiles-in-military-push"),
    ("subtitle", "x" * 150),
    ("fact label", "b" * 200),
    ("fact value", "c" * 300),
    ("fact source", URL),
    ("fact value", FILE_NAME),
])
def test_long_unbroken_text_leaves_the_map_and_the_window_as_they_were(window, qtbot, what, text):
    _laid_out()
    sizes, width = window.splitter.sizes(), window.width()
    if what in ("title", "subtitle"):
        assert window.editor.apply(edits.SetMeta(**{what: text}))
    else:
        _add_fact(window, text if what == "fact label" else "Imagery", text if what == "fact value" else "seen",
                  text if what == "fact source" else "Maxar")
    _laid_out()
    assert window.width() == width and window.splitter.sizes() == sizes, (window.width(), window.splitter.sizes())
    assert window.map_view.width() >= MIN_MAP_WIDTH
    facts = window.facts
    if what == "title":  # shown in full, as typed, over as many lines as it takes
        assert facts.title.text() == text
        assert facts.title.height() >= facts.title.heightForWidth(facts.title.width()) > 2 * facts.title.fontMetrics().height()
    elif what != "subtitle":  # the fact just added, in full in the box under the list
        assert text in facts.detail.text()
        assert facts.detail.width() <= window.side.width()


def test_a_selected_feature_with_a_long_file_like_name_leaves_the_map_as_it_was(window, qtbot):
    _laid_out()
    sizes, width = window.splitter.sizes(), window.width()
    fid = window.add_annotation("place", {"type": "Point", "coordinates": [124.4, 40.1]}, {"name": FILE_NAME})
    window._feature_clicked(fid)
    window.side.setCurrentWidget(window.properties)
    _laid_out()
    assert FILE_NAME in window.properties.heading.text()
    assert window.width() == width and window.splitter.sizes() == sizes, (window.width(), window.splitter.sizes())


def test_a_map_saved_with_a_long_unbroken_title_opens_and_draws(window, qtbot, tmp_path):
    title = "Pyongyang_Sunan_launch_" + "x" * 180
    assert window.editor.apply(edits.SetMeta(title=title))
    path = tmp_path / "long.sitmap.geojson"
    assert window.save_to(path)
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        window.new_map()
    with qtbot.waitSignal(window.map_view.mapReady, timeout=20_000):  # (it never came: the map was 0 px wide)
        assert window.open_path(path)
    assert window.facts.title.text() == title
    assert window.map_view.width() >= MIN_MAP_WIDTH and window.width() == 1300


def test_in_a_narrow_window_the_map_credits_keep_clear_of_the_scale(window, qtbot):
    import json

    from tests.ui.conftest import js

    window.resize(820, 700)
    qtbot.waitUntil(lambda: window.width() <= 900, timeout=5000)
    _laid_out()
    script = """JSON.stringify((function () {
      function r(sel) { var b = document.querySelector(sel).getBoundingClientRect();
                        return [b.left, b.top, b.right, b.bottom]; }
      return {credits: r('.leaflet-control-attribution'), scale: r('.leaflet-control-scale'),
              map: document.querySelector('.leaflet-container').clientWidth}; })())"""
    qtbot.waitUntil(lambda: json.loads(js(qtbot, window.map_view, script))["map"] < 600, timeout=5000)
    got = json.loads(js(qtbot, window.map_view, script))
    c, s = got["credits"], got["scale"]
    assert c[0] >= s[2] or c[3] <= s[1], got  # (beside the scale or above it, never over it)
