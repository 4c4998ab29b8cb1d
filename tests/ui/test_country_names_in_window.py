"""The window's map of the built-in North Korean launch names North Korea and China (their own
spots are covered by the event's labels and symbols: each name stands at another spot inside its
country), clear of every other label."""

from tests.ui.conftest import intersections, label_boxes


def test_the_window_names_north_korea_and_china(qtbot, window):
    view = window.map_view
    boxes = label_boxes(qtbot, view)
    names = [b["text"] for b in boxes if b["source"] == "basemap"]
    assert "North Korea" in names and "China" in names, sorted(names)
    assert names.count("North Korea") == 1 and names.count("China") == 1
    assert intersections(boxes) == []
