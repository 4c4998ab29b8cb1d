"""The empty-map view through the real window: File > New Map shows a card over the map with the
recent maps from the remembered settings (click one: it opens and the card goes), Open, New from
Article, New Launch Event and the built-in example; the card goes as soon as the map has a feature."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import READY_MS
from viewer import resources
from viewer.model.project import save_project
from viewer.model.scenario import load_scenario


def saved_map(path):
    save_project(load_scenario(resources.default_scenario()), path)
    return path


def new_map(qtbot, window):
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert window.new_map()


def over_the_map(window) -> bool:
    """The card is on screen inside the map and on top there (not under the page's render widget)."""
    panel, view = window.empty_map, window.map_view
    centre = panel.geometry().center()
    return (panel.isVisible() and view.rect().contains(panel.geometry())
            and view.childAt(centre) is not None
            and (view.childAt(centre) is panel or panel.isAncestorOf(view.childAt(centre))))


def test_new_map_lists_recent_maps_from_settings_and_a_click_opens_one(qtbot, window, settings, tmp_path):
    assert not window.empty_map.isVisible()  # the built-in example has features: no card
    first = saved_map(tmp_path / "Korea & Japan.sitmap.geojson")
    second = saved_map(tmp_path / "other.sitmap.geojson")
    gone = tmp_path / "deleted.sitmap.geojson"
    settings.setValue("files/recent", [str(first), str(gone), str(second)])
    new_map(qtbot, window)
    panel = window.empty_map
    qtbot.waitUntil(lambda: over_the_map(window), timeout=10_000)
    buttons = panel.recent_buttons
    assert [b.text() for b in buttons] == ["Korea && Japan.sitmap.geojson", "deleted.sitmap.geojson",
                                           "other.sitmap.geojson"]  # (&& shows one &)
    assert [b.isEnabled() for b in buttons] == [True, False, True]  # a file no longer there is not offered
    assert buttons[1].description().startswith("not found")
    assert buttons[0].toolTip() == str(first)
    assert not panel.no_recent.isVisible()
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    assert window.scenario_path == first
    assert "Korea & Japan.sitmap.geojson" in window.windowTitle()
    assert not panel.isVisible()
    assert window.recent_files()[0] == str(first)


def test_the_card_goes_with_the_first_feature_and_comes_back_when_the_map_is_empty_again(qtbot, window, settings):
    settings.setValue("files/recent", [])
    new_map(qtbot, window)
    panel = window.empty_map
    qtbot.waitUntil(lambda: over_the_map(window), timeout=10_000)
    assert panel.recent_buttons == [] and panel.no_recent.isVisible()
    window.add_annotation("place", {"type": "Point", "coordinates": [125.7, 39.0]}, {"name": "Pyongyang"})
    assert not panel.isVisible()
    window.undo_stack.undo()
    assert window.doc.features == [] and over_the_map(window)
    # "Draw on This Map" puts it away for this map; the next empty map has it again
    qtbot.mouseClick(panel.dismiss_button, Qt.MouseButton.LeftButton)
    assert not panel.isVisible()
    window.add_annotation("place", {"type": "Point", "coordinates": [125.7, 39.0]}, {"name": "Pyongyang"})
    window.undo_stack.undo()
    assert not panel.isVisible()
    new_map(qtbot, window)
    assert over_the_map(window)


def test_the_card_follows_file_open_recent_and_the_map_size(qtbot, window, settings, tmp_path):
    settings.setValue("files/recent", [])
    new_map(qtbot, window)
    panel = window.empty_map
    qtbot.waitUntil(lambda: over_the_map(window), timeout=10_000)
    saved = saved_map(tmp_path / "saved.sitmap.geojson")
    window.files.remember(saved)  # File > Open Recent changes (a save, an open elsewhere)
    qtbot.waitUntil(lambda: [b.text() for b in panel.recent_buttons] == ["saved.sitmap.geojson"], timeout=5000)
    assert not panel.no_recent.isVisible()
    window.resize(900, 600)
    qtbot.waitUntil(lambda: over_the_map(window), timeout=5000)
    assert abs(panel.geometry().center().x() - window.map_view.width() // 2) <= 2


def test_the_example_button_opens_the_built_in_example(qtbot, window):
    new_map(qtbot, window)
    panel = window.empty_map
    qtbot.waitUntil(lambda: over_the_map(window), timeout=10_000)
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        qtbot.mouseClick(panel.example_button, Qt.MouseButton.LeftButton)
    assert window.scenario_path is None and "built-in example" in window.windowTitle()
    assert len(window.doc.features) > 3 and not panel.isVisible()


def test_an_opened_map_without_features_shows_the_card(qtbot, window, tmp_path):
    from viewer.model.scenario import Scenario

    empty = tmp_path / "empty.sitmap.geojson"
    save_project(Scenario(title="Nothing yet", features=[], facts=[]), empty)
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert window.open_path(empty)
    qtbot.waitUntil(lambda: over_the_map(window), timeout=10_000)
    assert window.empty_map.open_button.isVisible() and window.empty_map.launch_button.isVisible()
    assert window.empty_map.recent_buttons[0].toolTip() == str(empty)  # it is the last map now


def test_choosing_a_drawing_tool_or_the_launch_wizard_frees_the_map(qtbot, window):
    new_map(qtbot, window)
    panel = window.empty_map
    qtbot.waitUntil(lambda: over_the_map(window), timeout=10_000)
    wizard = None
    try:
        qtbot.mouseClick(panel.launch_button, Qt.MouseButton.LeftButton)
        wizard = window.map_actions.wizard
        assert wizard is not None and wizard.isVisible() and not panel.isVisible()
        wizard.reject()  # cancelled: the map is still empty, the card is back
        assert over_the_map(window)
    finally:
        if wizard is not None:
            wizard.close()
    next(iter(window.tool_actions.values())).trigger()
    assert not panel.isVisible() and panel.dismissed
    window.draw.cancel()
    assert not panel.isVisible()


def test_an_empty_map_exported_as_kml_reopens_empty_and_imports_as_nothing(qtbot, window, tmp_path):
    new_map(qtbot, window)
    kml = tmp_path / "nothing yet.kml"
    assert window.export_exchange(kml)
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert window.open_path(kml)
    assert window.doc.features == [] and window.scenario_path is None
    qtbot.waitUntil(lambda: over_the_map(window), timeout=10_000)
    assert not hasattr(window, "_error_box")  # (no error shown)
    window.open_path(resources.default_scenario())
    before = list(window.doc.features)
    assert window.import_path(kml) == 0
    assert window.doc.features == before and not hasattr(window, "_error_box")
    assert "holds no features" in window.statusBar().currentMessage()
