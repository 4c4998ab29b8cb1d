"""The drawing tools' state machine, driven without Qt through a fake view and editor."""

from __future__ import annotations

import pytest

from viewer.logic.areas import repaired_areas
from viewer.logic.ids import new_id, renamed_for_import
from viewer.logic.selection import Selection
from viewer.logic.tools import ToolMachine
from viewer.logic.vertices import editable_vertices, moved
from viewer.model.scenario import Feature


class FakeView:
    def __init__(self):
        self.sketches, self.statuses, self.tools = [], [], []

    def show_sketch(self, points, text, closed):
        self.sketches.append((points, text, closed))

    def show_status(self, text):
        self.statuses.append(text)

    def tool_changed(self, tool, hint):
        self.tools.append(tool)

    selected = False
    legs: list = []

    def show_legs(self, legs):
        self.legs = legs

    def clear_selection(self):
        was, self.selected = self.selected, False
        return was


class FakeEditor:
    def __init__(self):
        self.made = []

    def add_marker(self, lat, lon):
        self.made.append(("marker", lat, lon))

    def add_label(self, lat, lon):
        self.made.append(("label", lat, lon))

    def add_line(self, points):
        self.made.append(("line", points))

    def add_area(self, points):
        self.made.append(("area", points))

    def add_ring_at(self, lat, lon, radius_m):
        self.made.append(("ring", lat, lon, round(radius_m)))

    def delete_selected(self):
        self.made.append(("delete",))


@pytest.fixture()
def machine():
    return ToolMachine(FakeView(), FakeEditor())


def test_marker_tool_adds_one_marker_per_click_with_the_longitude_folded(machine):
    machine.set_tool("marker")
    machine.click(10.0, 190.0)
    assert machine.editor.made == [("marker", 10.0, -170.0)]


def test_line_collects_clicks_and_a_double_click_finishes_without_the_repeated_point(machine):
    machine.set_tool("line")
    for p in ((1, 1), (2, 2), (3, 3), (3, 3)):
        machine.click(*p)
    machine.double_click(3, 3)
    assert machine.editor.made == [("line", [(1, 1), (2, 2), (3, 3)])]
    assert machine.points == [] and machine.view.sketches[-1] == (None, "", False)


def test_area_needs_three_corners_and_enter_finishes(machine):
    machine.set_tool("area")
    machine.click(1, 1)
    machine.click(2, 2)
    machine.key("Enter")  # (too few: kept to go on with, and said)
    assert machine.editor.made == [] and machine.points == [(1, 1), (2, 2)]
    machine.click(1, 3)
    assert machine.view.sketches[-1][2] is True  # drawn closed once it has three corners
    machine.key("Enter")
    assert machine.editor.made == [("area", [(1, 1), (2, 2), (1, 3)])]


def test_ring_tool_takes_the_centre_then_the_radius_point(machine):
    machine.set_tool("ring")
    machine.click(0.0, 0.0)
    machine.move(0.0, 1.0)
    assert "km" in machine.view.statuses[-1]
    machine.click(0.0, 1.0)
    assert machine.editor.made == [("ring", 0.0, 0.0, 111_319)]


def test_measure_reports_distance_and_bearing_live_and_esc_clears_then_ends(machine):
    machine.set_tool("measure")
    machine.click(0.0, 0.0)
    machine.move(1.0, 0.0)
    assert machine.last_measure.startswith("110.6 km | 59.7 nmi") and "bearing 000.0" in machine.last_measure
    machine.key("Escape")
    assert machine.tool == "measure" and machine.points == []
    machine.key("Escape")
    assert machine.tool is None and machine.view.tools[-1] is None


def test_delete_key_deletes_the_selection_only_without_a_tool(machine):
    machine.set_tool("line")
    machine.key("Delete")
    machine.set_tool(None)
    machine.key("Delete")
    assert machine.editor.made == [("delete",)]


def test_a_bow_tie_is_split_into_the_two_areas_it_encloses():
    pieces = repaired_areas([[0, 0], [1, 1], [1, 0], [0, 1]])
    assert len(pieces) == 2 and all(p[0] == p[-1] for p in pieces)
    assert repaired_areas([[0, 0], [1, 0], [1, 1], [0, 1]]) == [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]
    assert repaired_areas([[0, 0], [1, 1], [2, 2]]) == []  # nothing enclosed


def test_ids_are_new_and_imports_never_collide():
    assert new_id("ring", {"ring-1", "ring-2"}) == "ring-3"
    f = Feature("a", "place", {"type": "Point", "coordinates": [0, 0]}, {"name": "A"})
    out = renamed_for_import([f, f], {"a"})
    assert [g.id for g in out] == ["a-2", "a-3"] and all(g.properties["annotation"] for g in out)


def test_vertex_moves_follow_the_kind_and_refuse_missing_handles():
    line = Feature("l", "path", {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, {})
    assert editable_vertices(line) == [(0, 0), (1, 1)]
    assert moved(line, 1, 5.0, 190.0).geometry["coordinates"][1] == [-170.0, 5.0]
    assert moved(line, 7, 5.0, 5.0) is None
    area = Feature("a", "area", {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}, {})
    after = moved(area, 0, 0.5, 0.5).geometry["coordinates"][0]
    assert after[0] == after[-1] == [0.5, 0.5]


def test_selection_toggles_and_forgets_deleted_features():
    s = Selection()
    s.select("a")
    s.toggle("b")
    s.toggle("a")
    assert s.chosen() == ["b"]
    s.primary = "b"
    s.prune(lambda fid: fid != "b")
    assert s.chosen() == [] and s.primary is None
