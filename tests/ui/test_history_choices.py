"""The History tab's filters take several choices each (ticked in the drop-down list, with the
mouse), and the window's own data exports follow the tab's time window; through the real window."""

from __future__ import annotations

import json

from PySide6.QtCore import QPoint, Qt

from tests.ui.conftest import js
from viewer.model import history as h


def page_state(qtbot, window) -> dict:
    return json.loads(js(qtbot, window.map_view, "JSON.stringify(SitMap.history.state())"))


def turn_on(qtbot, window) -> None:
    window.act_history.setChecked(True)
    qtbot.waitUntil(lambda: page_state(qtbot, window)["on"], timeout=10_000)


def tick(qtbot, combo, key) -> None:
    """Open the list and click the choice, as a user does; the list stays open for more."""
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible, timeout=5000)
    row = combo.keys().index(key)
    index = view.model().index(row, 0)
    view.scrollTo(index)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.center().x(), rect.center().y()))
    assert view.isVisible()  # still open


def test_two_systems_and_two_outcomes_ticked_with_the_mouse(window, qtbot):
    turn_on(qtbot, window)
    panel = window.history_panel
    hist = h.load_default()
    kn23 = hist.find_systems("KN-23")[0].key
    kn24 = hist.find_systems("KN-24")[0].key
    tick(qtbot, panel.system_combo, kn23)
    tick(qtbot, panel.system_combo, kn24)
    panel.system_combo.hidePopup()
    assert set(panel.system_combo.checked()) == {kn23, kn24}
    assert panel.system_combo.summary() == "2 systems"  # two long names: counted, the list says which
    want = [x.id for x in hist.launches if x.system.key in (kn23, kn24)]
    assert panel.current_filter().systems == {kn23, kn24}
    qtbot.waitUntil(lambda: page_state(qtbot, window)["shownIds"] == want, timeout=5000)
    assert panel.model.rowCount() == len(want) and len(want) > 10
    tick(qtbot, panel.outcome_combo, "success")
    tick(qtbot, panel.outcome_combo, "failure")
    panel.outcome_combo.hidePopup()
    want2 = [x.id for x in hist.launches if x.system.key in (kn23, kn24) and x.outcome in ("success", "failure")]
    qtbot.waitUntil(lambda: page_state(qtbot, window)["shownIds"] == want2, timeout=5000)
    assert panel.outcome_combo.summary() == "success, failure"
    # unticking one widens again; "Clear filters" unticks all
    tick(qtbot, panel.system_combo, kn23)
    panel.system_combo.hidePopup()
    assert panel.system_combo.checked() == [kn24]
    panel.clear_button.click()
    assert panel.system_combo.summary() == "All systems" and panel.outcome_combo.summary() == "Any outcome"
    qtbot.waitUntil(lambda: page_state(qtbot, window)["shown"] == 339, timeout=5000)


def test_command_line_several_choices_in_the_window(window, qtbot):
    from viewer.ui.history_window import apply_command_line

    assert apply_command_line(window, None, ["KN-23,KN-24"], None, None, classes=["SRBM"], outcomes=None) is None
    panel = window.history_panel
    assert len(panel.system_combo.checked()) == 2 and panel.class_combo.checked() == ["SRBM"]
    qtbot.waitUntil(lambda: page_state(qtbot, window)["on"] and page_state(qtbot, window)["shown"] == 30,
                    timeout=10_000)


def test_the_windows_data_exports_follow_the_time_window(window, qtbot, tmp_path):
    import xml.etree.ElementTree as ET

    from viewer.ui.history_window import briefing_extras

    KML = "{http://www.opengis.net/kml/2.2}"
    panel = window.history_panel
    turn_on(qtbot, window)
    panel.time_box.setChecked(True)
    panel.window_combo.setCurrentIndex(2)  # 1 week
    launch = h.load_default().launch("dprk-20220116-1").when_utc
    panel.set_moment(launch.replace(day=1))  # the launch (and its timed point) after the window
    assert window.exports.write_data(tmp_path / "before.geojson")
    assert window.exports.write_data(tmp_path / "before.kml")
    doc = json.loads((tmp_path / "before.geojson").read_text())
    assert "launch-point" not in {f["id"] for f in doc["features"]}
    # (the ring, flight path and impact area drawn from the launch point go with it)
    assert doc["time_window"]["features_left_out"] == ["launch-point", "ring-380km", "flight-path", "impact-area"]
    names = {p.find(f"{KML}name").text for p in ET.parse(tmp_path / "before.kml").getroot().iter(f"{KML}Placemark")}
    assert not any(n.startswith("Launch point") for n in names) and "Seoul" in names
    assert briefing_extras(window)["time_window"] == panel.current_window()
    panel.set_moment(launch)  # the window holds the launch
    assert window.exports.write_data(tmp_path / "during.geojson")
    doc = json.loads((tmp_path / "during.geojson").read_text())
    assert "launch-point" in {f["id"] for f in doc["features"]}
    # the layer off: no window, the whole map
    window.act_history.setChecked(False)
    assert window.exports.write_data(tmp_path / "off.geojson")
    assert "time_window" not in json.loads((tmp_path / "off.geojson").read_text())


def test_choices_tick_with_the_keyboard_too(qtbot):
    from viewer.ui.choice_combo import ChoiceCombo

    c = ChoiceCombo("All systems", "systems")
    qtbot.addWidget(c)
    c.set_choices([("KN-23", "a"), ("KN-24", "b"), ("KN-25", "c")])
    c.show()
    with qtbot.waitSignal(c.changed, timeout=2000):
        c.showPopup()
        qtbot.waitUntil(c.view().isVisible, timeout=2000)
        c.view().setCurrentIndex(c.view().model().index(1, 0))
        qtbot.keyClick(c.view(), Qt.Key.Key_Space)
    qtbot.keyClick(c.view(), Qt.Key.Key_Down)
    qtbot.keyClick(c.view(), Qt.Key.Key_Space)
    assert c.checked() == ["b", "c"] and c.summary() == "KN-24, KN-25"
    qtbot.keyClick(c.view(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not c.view().isVisible(), timeout=2000)
    assert c.checked() == ["b", "c"]  # closing keeps the ticks
    assert c.set_checked(["a", "zz"]) is False and c.checked() == ["a"]  # "zz" is not offered


def test_a_choice_boxs_ticked_list_follows_every_change(qtbot):
    """The ticked keys are kept between asks (a filter change asks each box several times) and
    follow every tick, however made, and every change of the choices."""
    from PySide6.QtCore import Qt

    from viewer.ui.choice_combo import ChoiceCombo

    box = ChoiceCombo("All systems", "systems")
    qtbot.addWidget(box)
    box.set_choices([("A", 1), ("B", 2), ("C", 3)])
    assert box.checked() == []
    box.set_checked([2])
    assert box.checked() == [2]
    box.toggle(0)
    assert box.checked() == [1, 2]
    box.model().item(2).setCheckState(Qt.CheckState.Checked)  # (as a tick in the open list makes it)
    assert box.checked() == [1, 2, 3]
    box.model().item(0).setData(4, Qt.ItemDataRole.UserRole + 10)  # a choice's key changed
    assert box.checked() == [4, 2, 3]
    box.set_choices([("B", 2), ("D", 5)], keep=True)
    assert box.checked() == [2]
    box.model().removeRow(0)
    assert box.checked() == []
    box.checked().append(9)  # (a copy: the kept list is not the caller's)
    assert box.checked() == []
