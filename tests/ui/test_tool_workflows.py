"""The drawing tools and the ring dialog, where a review found them wrong: DMS seconds marked "s"
read as south, a feature Shift+clicked out of the selection still deleted, Keep as Line left on after
another tool, a decimal comma in a radius, the largest nmi and mi radius refused, a ring's label
rounded, and a line or area with too few points thrown away without a word."""

from __future__ import annotations

import pytest


def _click(qtbot, window, lat, lng):
    with qtbot.waitSignal(window.map_view.bridge.clickedAt, timeout=5000):
        window.map_view.run_js(f"SitMap.app.map.fire('click', {{latlng: L.latLng({lat}, {lng})}})")


def _annotations(window):
    return [f.id for f in window.scenario.features if f.properties.get("annotation")]


def test_dms_seconds_marked_with_s_are_not_the_southern_hemisphere(window):
    from viewer.model.coords import parse_latlon

    assert parse_latlon("39d12m00s, 125d40m23s E") == pytest.approx((39.2, 125.673056), abs=1e-6)
    assert parse_latlon("39d12m00s, 125d40m23s") == pytest.approx((39.2, 125.673056), abs=1e-6)
    assert parse_latlon("39d12m00s S, 125d40m23s W") == pytest.approx((-39.2, -125.673056), abs=1e-6)
    fid = window.add_annotation("place", {"type": "Point", "coordinates": [127.0, 37.0]}, {"name": "M"})
    window.properties.show_feature(window.scenario.feature(fid))
    window.properties.position.setText("37d30m00s, 127d00m00s E")
    window.properties.commit()
    assert window.scenario.feature(fid).geometry["coordinates"] == pytest.approx([127.0, 37.5])


def test_a_feature_shift_clicked_out_of_the_selection_is_not_deleted(window, qtbot):
    a = window.add_annotation("place", {"type": "Point", "coordinates": [127.0, 37.0]}, {"name": "A"})
    with qtbot.waitSignal(window.map_view.bridge.featureSelected, timeout=5000):
        window.map_view.run_js(f"SitMap.app.features['{a}'].main.fire('click', {{latlng: L.latLng(37, 127)}})")
    with qtbot.waitSignal(window.map_view.bridge.featureAdded, timeout=5000):
        window.map_view.run_js(f"SitMap.app.features['{a}'].main.fire('click', "
                               "{latlng: L.latLng(37, 127), originalEvent: {shiftKey: true}})")
    assert window.selection == []
    assert not window.delete_selected()
    assert window.scenario.feature(a) is not None


def test_keep_as_line_goes_off_with_the_measurement_when_another_tool_is_chosen(window, qtbot):
    window.naming.ask = False
    window.tool_actions["measure"].trigger()
    _click(qtbot, window, 37.0, 124.0)
    _click(qtbot, window, 37.5, 125.0)
    window.draw.key("Enter")
    assert window.act_keep_measure.isEnabled()
    window.tool_actions["marker"].trigger()
    assert not window.act_keep_measure.isEnabled()


def test_a_line_or_area_with_too_few_points_is_kept_to_go_on_with_and_said(window, qtbot):
    window.naming.ask = False
    window.tool_actions["area"].trigger()
    _click(qtbot, window, 37.0, 124.0)
    _click(qtbot, window, 37.5, 125.0)
    window.draw.key("Enter")
    assert len(window.draw.points) == 2 and "at least 3 points" in window.statusBar().currentMessage()
    _click(qtbot, window, 36.5, 125.0)
    before = len(_annotations(window))
    window.draw.key("Enter")
    assert len(_annotations(window)) == before + 1 and window.draw.points == []


@pytest.mark.parametrize("typed, km", [("10,5", 10.5), ("10.5", 10.5), ("1,000", 1000.0), ("1,000.5", 1000.5)])
def test_a_radius_is_read_with_a_decimal_point_or_comma(window, qtbot, typed, km):
    window.add_ring_dialog()
    dlg = window._ring_dialog
    line = dlg.radius.lineEdit()
    line.selectAll()
    line.setText("")
    qtbot.keyClicks(line, typed)
    dlg.radius.interpretText()
    assert dlg.values()["radius_m"] == pytest.approx(km * 1000)
    dlg.reject()


def test_the_ring_dialogs_largest_radius_in_each_unit_is_a_ring_and_labels_show_it_as_typed(window):
    from viewer.model.geodesy import EARTH_ANTIPODAL_M

    window.add_ring_dialog()
    dlg = window._ring_dialog
    for unit in ("km", "nmi", "mi"):
        dlg.unit.setCurrentText(unit)
        dlg.radius.setValue(dlg.radius.maximum())
        assert 0.99 * EARTH_ANTIPODAL_M < dlg.values()["radius_m"] <= EARTH_ANTIPODAL_M
    dlg.unit.setCurrentText("km")
    dlg.radius.setValue(10.5)
    assert dlg.values()["label"] == "10.5 km"
    dlg.radius.setValue(0.001)
    assert dlg.values()["label"] == "0.001 km" and dlg.values()["name"].startswith("0.001 km ring around")
    dlg.radius.setValue(1500)
    assert dlg.values()["label"] == "1,500 km"
    dlg.reject()


def test_range_ring_here_on_a_place_is_centred_on_that_place(window):
    from viewer.ui.context_menus import feature_menu

    lat, lon = window.scenario.feature("seoul").latlon()
    menu = feature_menu(window, "seoul", lat, lon)
    next(a for a in menu.actions() if a.text().startswith("Range Ring Here")).trigger()
    dlg = window._ring_dialog
    values = dlg.values()
    assert values["centre_feature"] == "seoul" and values["name"].endswith("ring around Seoul")
    assert (values["lat"], values["lon"]) == window.scenario.feature("seoul").latlon()
    dlg.reject()
