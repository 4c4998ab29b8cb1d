"""The "In range" tab's From and To boxes list the map's places as they are now: a marker just
added, a place renamed or deleted; each box keeps the place it shows while that place is still
there (the boxes were filled again only when rings changed: real window, real page)."""

from PySide6.QtCore import Qt


def _choices(window) -> list[str]:
    places = window.range_panel.from_box.model()
    return [places.data(places.index(i), Qt.ItemDataRole.DisplayRole) for i in range(places.rowCount())]


def _chosen(window) -> tuple:
    return window.range_panel.from_box.currentData(), window.range_panel.to_box.currentData()


def _ready(window, qtbot) -> None:
    qtbot.waitUntil(lambda: len(_choices(window)) > 2, timeout=10_000)  # (filled once the map is up)


def _choose(window, from_id: str, to_id: str) -> None:
    panel = window.range_panel
    rows = panel.from_box.model().rows
    panel.from_box.setCurrentIndex(next(i for i, f in enumerate(rows) if f.id == from_id))
    panel.to_box.setCurrentIndex(next(i for i, f in enumerate(rows) if f.id == to_id))


def test_a_new_marker_is_offered_and_the_choice_kept(window, qtbot):
    _ready(window, qtbot)
    places = [f for f in window.doc.features if f.kind == "place" and f.geometry["type"] == "Point"]
    _choose(window, places[2].id, places[1].id)
    result = window.range_panel.result.text()
    fid = window.add_annotation("place", {"type": "Point", "coordinates": [126.0, 38.0]}, {"name": "New place"})
    qtbot.waitUntil(lambda: "New place" in _choices(window), timeout=2000)
    assert _chosen(window) == (places[2].id, places[1].id)
    assert window.range_panel.result.text() == result
    _choose(window, places[2].id, fid)  # the new one can be measured to
    assert "km" in window.range_panel.result.text() and window.range_panel.result.text() != result


def test_a_renamed_place_shows_its_new_name_and_a_deleted_one_goes(window, qtbot):
    _ready(window, qtbot)
    fid = window.add_annotation("place", {"type": "Point", "coordinates": [126.0, 38.0]}, {"name": "Marker"})
    qtbot.waitUntil(lambda: "Marker" in _choices(window), timeout=2000)
    other = next(f for f in window.doc.features if f.kind == "place" and f.id != fid)
    _choose(window, fid, other.id)
    window._feature_clicked(fid)
    window.properties.name.setText("Renamed marker")
    window.properties.name.editingFinished.emit()
    assert window.doc.feature(fid).name == "Renamed marker"
    qtbot.waitUntil(lambda: "Renamed marker" in _choices(window), timeout=2000)
    assert "Marker" not in _choices(window)
    assert _chosen(window) == (fid, other.id)  # still the one chosen
    assert window.range_panel.from_box.currentText() == "Renamed marker"
    window._feature_clicked(fid)
    assert window.delete_selected()
    qtbot.waitUntil(lambda: "Renamed marker" not in _choices(window), timeout=2000)
    assert _chosen(window)[0] != fid and _chosen(window)[1] == other.id  # its box shows another place


def test_the_panel_says_whether_its_places_in_range_are_listed(qtbot):
    """A listener that comes after the list was made (a staged window's, once built) checks
    ``listed`` instead of waiting for a ``computed`` that has gone by."""
    from viewer import resources
    from viewer.model.scenario import load_scenario
    from viewer.ui.range_panel import RangePanel

    panel = RangePanel()
    qtbot.addWidget(panel)
    assert not panel.listed  # (no map yet)
    scenario = load_scenario(resources.default_scenario())
    with qtbot.waitSignal(panel.computed, timeout=20_000):
        panel.set_scenario(scenario)
        assert not panel.listed
    assert panel.listed and panel.tree.topLevelItemCount() > 0
    panel.set_scenario_soon(scenario)
    assert not panel.listed  # (a refresh is due)
    with qtbot.waitSignal(panel.computed, timeout=20_000):
        pass
    assert panel.listed
