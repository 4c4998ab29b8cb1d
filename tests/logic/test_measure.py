"""The measure tool: a multi-leg geodesic path with a running total, kept until Esc."""

import pytest

from tests.logic.test_tools import FakeEditor, FakeView
from viewer.logic.tools import ToolMachine, measure_texts
from viewer.model.geodesy import distance_bearing


@pytest.fixture()
def machine():
    return ToolMachine(FakeView(), FakeEditor())


def test_three_legs_give_each_legs_distance_and_bearing_and_the_geodesic_total(machine):
    machine.set_tool("measure")
    pts = [(39.2, 125.67), (40.0, 128.0), (41.5, 131.0), (40.0, 135.0)]
    for p in pts:
        machine.click(*p)
    machine.move(40.0, 135.0)
    legs = [distance_bearing(a[0], a[1], b[0], b[1]) for a, b in zip(pts, pts[1:])]
    total_km = sum(d for d, _, _ in legs) / 1000
    assert machine.last_measure.startswith(f"Total {total_km:,.1f} km")
    assert "over 3 legs" in machine.last_measure
    assert len(machine.view.legs) == 3
    for (lat, lon, text), (d, az, _) in zip(machine.view.legs, legs):
        assert text.startswith(f"{d / 1000:,.1f} km") and f"bearing {az:05.1f}" in text
    # double-click ends it: the path stays shown, the pointer no longer changes it
    machine.double_click(40.0, 135.0)
    assert machine.kept == pts and machine.points == []
    shown = machine.view.sketches[-1]
    machine.move(10.0, 10.0)
    assert machine.view.sketches[-1] == shown and machine.view.sketches[-1][0] == pts
    # Keep as line: the very path becomes a line annotation
    machine.keep_as_line()
    assert machine.editor.made == [("line", pts)]
    assert machine.view.sketches[-1][0] is None and machine.view.legs == []


def test_esc_clears_a_kept_measurement_then_ends_the_tool_and_a_click_starts_a_new_one(machine):
    machine.set_tool("measure")
    machine.click(0.0, 0.0)
    machine.click(0.0, 1.0)
    machine.key("Enter")
    assert machine.kept == [(0.0, 0.0), (0.0, 1.0)]
    machine.click(5.0, 5.0)  # a new measurement
    assert machine.kept == [] and machine.points == [(5.0, 5.0)]
    machine.click(5.0, 6.0)
    machine.key("Escape")
    assert machine.points == [] and machine.tool == "measure"
    machine.key("Escape")
    assert machine.tool is None


def test_one_leg_reads_as_before_and_the_antimeridian_is_crossed_the_short_way():
    legs, text = measure_texts([(0.0, 179.5), (0.0, 180.5)])
    assert text == legs[0] and text.startswith("111.3 km")


def test_esc_steps_back_sketch_then_selection_then_tool_and_a_pick_first(machine):
    machine.set_tool("line")
    machine.click(1.0, 1.0)
    machine.view.selected = True
    assert machine.escape() == "sketch" and machine.tool == "line"
    assert machine.escape() == "selection" and machine.tool == "line" and machine.view.selected is False
    assert machine.escape() == "tool" and machine.tool is None
    assert machine.escape() == ""
    cancelled = []
    machine.pick_point(lambda lat, lon: None, lambda: cancelled.append(1))
    machine.view.selected = True
    assert machine.escape() == "tool" and cancelled == [1] and machine.view.selected is True
