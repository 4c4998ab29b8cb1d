"""The launch history layer through the real page: on, filtered, played, selected, compared,
imported; hostile text stays text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.ui.conftest import js
from viewer.model import history as h

DATA = Path(__file__).resolve().parents[1] / "data" / "history"


def page_state(qtbot, window) -> dict:
    return json.loads(js(qtbot, window.map_view, "JSON.stringify(SitMap.history.state())"))


def turn_on(qtbot, window) -> dict:
    window.act_history.setChecked(True)
    qtbot.waitUntil(lambda: page_state(qtbot, window)["on"], timeout=10_000)
    return page_state(qtbot, window)


def test_layer_is_off_by_default_and_one_click_turns_it_on(window, qtbot):
    assert not window.act_history.isChecked()
    assert "Launch History" in window.act_history.text().replace("&", "")
    assert page_state(qtbot, window)["on"] is False
    state = turn_on(qtbot, window)
    assert state["total"] == 339 and state["shown"] == 339
    assert window.history_panel.show_box.isChecked()
    assert window.side.currentWidget() is window.history_panel
    legend = js(qtbot, window.map_view, "document.querySelector('.sitmap-history-legend').textContent")
    assert "Launch history" in legend and "339 of 339 launches" in legend and "CNS" in legend
    assert js(qtbot, window.map_view, "document.querySelectorAll('canvas.sitmap-history-canvas').length") == 1
    window.history_panel.show_box.setChecked(False)
    qtbot.waitUntil(lambda: not page_state(qtbot, window)["on"], timeout=5000)
    assert not window.act_history.isChecked()


def test_the_table_is_not_measured_until_its_tab_is_first_shown_then_fits_its_contents(window, qtbot):
    from PySide6.QtWidgets import QHeaderView

    panel, mode = window.history_panel, QHeaderView.ResizeMode
    header = panel.table.horizontalHeader()
    assert window.side.currentWidget() is not panel
    # (fitted now, the window's first layout would have asked every cell of the hidden table its size)
    assert header.sectionResizeMode(0) == mode.Interactive
    window.side.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: header.sectionResizeMode(0) == mode.ResizeToContents, timeout=5000)
    assert header.sectionResizeMode(3) == mode.Stretch
    date = panel.model.index(0, 0).data()
    assert header.sectionSize(0) >= panel.table.fontMetrics().horizontalAdvance(str(date))


def test_filter_to_2022_is_applied_in_the_page_as_in_python(window, qtbot):
    turn_on(qtbot, window)
    panel = window.history_panel
    panel.set_years(2022, 2022)
    qtbot.waitUntil(lambda: page_state(qtbot, window)["shown"] == 69, timeout=5000)
    python_ids = [x.id for x in h.HistoryFilter(years=(2022, 2022)).apply(h.load_default().launches)]
    assert page_state(qtbot, window)["shownIds"] == python_ids
    assert panel.model.rowCount() == 69
    assert "69 of 339" in panel.count_label.text()
    # the other filters, each checked against Python
    panel.class_combo.set_checked(["SRBM"])
    panel.outcome_combo.set_checked(["success"])
    panel.band_combo.set_checked([1])
    flt = panel.current_filter()
    want = [x.id for x in flt.apply(h.load_default().launches)]
    assert 0 < len(want) < 69
    qtbot.waitUntil(lambda: page_state(qtbot, window)["shownIds"] == want, timeout=5000)


def test_playing_the_slider_moves_the_window_in_the_page(window, qtbot):
    turn_on(qtbot, window)
    panel = window.history_panel
    panel.set_years(2022, 2022)
    panel.window_combo.setCurrentIndex(3)  # 30 days
    panel.time_box.setChecked(True)
    panel.set_moment(h.load_default().launch("dprk-20220116-1").when_utc)
    w = panel.current_window()
    want = [x.id for x in panel.current_filter().apply(h.load_default().launches)]
    assert "dprk-20220116-1" in want and len(want) < 69
    qtbot.waitUntil(lambda: page_state(qtbot, window)["shownIds"] == want, timeout=5000)
    assert "2021-12-18" in panel.time_label.text() or w[0].day == 18
    draws = page_state(qtbot, window)["draws"]
    panel.play_timer.setInterval(5)
    panel.slider.setValue(panel.slider.maximum() - 40)
    panel.play_button.setChecked(True)
    assert panel.play_timer.isActive()
    qtbot.waitUntil(lambda: not panel.play_button.isChecked(), timeout=20_000)  # stops at the end
    assert panel.slider.value() == panel.slider.maximum()
    assert page_state(qtbot, window)["draws"] > draws
    end = [x.id for x in panel.current_filter().apply(h.load_default().launches)]
    qtbot.waitUntil(lambda: page_state(qtbot, window)["shownIds"] == end, timeout=5000)
    assert panel.model.rowCount() == len(end)


def test_time_window_hides_the_scenarios_timed_features(window, qtbot):
    turn_on(qtbot, window)
    panel = window.history_panel
    visible = ("(function(){var f=SitMap.app.features['launch-point'];"
               "return SitMap.app.groups[f.data.group].hasLayer(f.layer);})()")
    assert js(qtbot, window.map_view, visible) is True
    panel.time_box.setChecked(True)
    panel.window_combo.setCurrentIndex(2)  # 1 week
    panel.set_moment(h.load_default().launch("dprk-20220116-1").when_utc.replace(day=1))
    qtbot.waitUntil(lambda: js(qtbot, window.map_view, visible) is False, timeout=5000)
    assert "1 outside" in panel.time_label.text()
    panel.set_moment(h.load_default().launch("dprk-20220116-1").when_utc)
    qtbot.waitUntil(lambda: js(qtbot, window.map_view, visible) is True, timeout=5000)
    assert "1 timed fact in the window" in panel.time_label.text()


def test_clicking_a_launch_on_the_map_selects_it_in_the_table_and_shows_its_facts(window, qtbot):
    turn_on(qtbot, window)
    panel = window.history_panel
    panel.set_years(2022, 2022)
    x = h.load_default().launch("dprk-20220114-1")  # Uiju, rail-mobile KN-23
    qtbot.waitUntil(lambda: page_state(qtbot, window)["shown"] == 69, timeout=5000)
    end = x.landing_point
    with qtbot.waitSignal(window.map_view.bridge.historySelected, timeout=5000) as sig:
        window.map_view.run_js(f"SitMap.app.map.setView([{x.site.lat}, {x.site.lon}], 8, {{animate: false}});"
                               f"SitMap.app.map.fire('click', {{latlng: L.latLng({end[0]}, {end[1]})}})")
    assert sig.args[0].startswith("dprk-20220114-")
    rows = panel.table.selectionModel().selectedRows()
    assert rows and panel.model.data(rows[0], Qt_ID_ROLE()).startswith("dprk-20220114-")
    facts = {panel.facts.item(r, 0).text(): panel.facts.item(r, 1).text() for r in range(panel.facts.rowCount())}
    assert facts["System"].startswith("Rail-mobile KN-23")
    assert facts["Distance flown"] == "430 km"
    assert "less than the 800 km" in facts["Compared with before"]
    assert page_state(qtbot, window)["selected"] == sig.args[0]
    # selecting in the table selects on the map
    panel.select_launch("dprk-20220116-2")
    qtbot.waitUntil(lambda: page_state(qtbot, window)["selected"] == "dprk-20220116-2", timeout=5000)


def Qt_ID_ROLE():  # noqa: N802
    from viewer.ui.history_panel import ID_ROLE

    return ID_ROLE


def test_compare_with_the_scenarios_launch(window, qtbot):
    turn_on(qtbot, window)
    panel = window.history_panel
    text = panel.event_label.text()
    assert "2 \u00d7 Hwasong-11B (KN-24) from Pyongyang International Airport" in text
    assert "380 km distance: within the 230\u2013410 km of the six earlier KN-24 tests of 2019\u20132020" in text
    panel.same_system_button.click()
    qtbot.waitUntil(lambda: page_state(qtbot, window)["shown"] == 10, timeout=5000)
    assert {panel.model.launches[r].system.key for r in range(panel.model.rowCount())} == {"hwasong-11b"}
    qtbot.waitUntil(lambda: page_state(qtbot, window)["selected"] == "dprk-20220116-1", timeout=5000)
    panel.same_site_button.click()
    qtbot.waitUntil(lambda: page_state(qtbot, window)["shown"] == 56, timeout=5000)
    assert {x.site.key for x in panel.shown} == {"pyongyang"}


def test_dirty_csv_through_the_import_dialog_reports_skips_and_runs_nothing(window, qtbot, tmp_path):
    turn_on(qtbot, window)
    panel = window.history_panel
    src = (DATA / "cns-layout.csv").read_text()
    src = src.replace('"<img src=x onerror=alert(1)>"', '"<img src=x onerror=\'window.__pwned=1\'>"')
    src = src.replace('"<script>alert(1)</script>"', '"<script>window.__pwned=2</script>"')
    path = tmp_path / "dirty.csv"
    path.write_text(src)
    dialog = panel.open_import(path)
    assert dialog is not None
    assert "5 launches imported from 9 rows; 4 rows skipped" in dialog.summary.text()
    details = dialog.details.toPlainText()
    for why in ("row 6: date 'soon' not understood", "row 7: impossible coordinates",
                "row 8: only one of latitude and longitude", "row 10: no site and no coordinates"):
        assert why in details
    # the user overrides a column: no outcome read -> every launch "unknown"
    dialog.set_column("outcome", None)
    assert dialog.mapping.column("outcome") is None
    dialog.set_column("outcome", dialog.table.headers.index("Test Outcome"))
    dialog.accept()
    qtbot.waitUntil(lambda: page_state(qtbot, window)["total"] == 5, timeout=10_000)
    assert panel.model.rowCount() == 5
    hostile = next(x for x in panel.history.launches if x.id == "csv-9")
    lat, lon = hostile.site.lat, hostile.site.lon
    window.map_view.run_js(f"SitMap.app.map.setView([{lat}, {lon}], 9, {{animate: false}});"
                           f"SitMap.app.map.fire('mousemove', {{latlng: L.latLng({lat}, {lon})}})")
    qtbot.waitUntil(lambda: js(qtbot, window.map_view,
                               "(document.querySelector('.sitmap-history-tip')||{}).textContent||''") != "", timeout=5000)
    tip = js(qtbot, window.map_view, "document.querySelector('.sitmap-history-tip').textContent")
    assert "<img src=x onerror='window.__pwned=1'>" in tip and "<script>window.__pwned=2</script>" in tip
    assert js(qtbot, window.map_view, "document.querySelectorAll('.sitmap-history-tip img, .sitmap-history-tip script').length") == 0
    assert js(qtbot, window.map_view, "String(window.__pwned)") == "undefined"
    panel.select_launch("csv-9")
    assert "<script>" in panel.facts.item(3, 1).text()  # the Site fact, shown as text
    panel.builtin_button.click()
    qtbot.waitUntil(lambda: page_state(qtbot, window)["total"] == 339, timeout=10_000)


def test_unreadable_table_is_one_line_error(window, qtbot, tmp_path, monkeypatch):
    messages = []
    monkeypatch.setattr(window, "show_error", lambda title, text: messages.append((title, text)))
    path = tmp_path / "binary.csv"
    path.write_bytes(b"\x00\x01\x02date,site")
    assert window.history_panel.open_import(path) is None
    assert messages and "\n" not in messages[0][1] and "NUL" in messages[0][1]


@pytest.mark.parametrize("arg", ["x" * 500, "", "<img src=x onerror=alert(1)>", "dprk-19990101-9"])
def test_bridge_refuses_bad_launch_ids_from_the_page(window, qtbot, arg):
    turn_on(qtbot, window)
    got = []
    window.map_view.bridge.historySelected.connect(got.append)
    js(qtbot, window.map_view, f"SitMap.app.send('historyClicked', {json.dumps(arg)}); SitMap.app.send('historyClicked', 42); 1")
    js(qtbot, window.map_view, "1")  # a round trip: the bridge calls above have arrived
    if arg == "dprk-19990101-9":
        qtbot.waitUntil(lambda: got == [arg], timeout=5000)  # a well-formed id passes; the panel ignores it
        assert window.history_panel.layer.selected is None
    else:
        assert got == []


def test_exports_from_the_tab_honour_the_filter(window, qtbot, tmp_path):
    panel = window.history_panel
    panel.set_years(2022, 2022)
    n = panel.export_to(tmp_path / "shown.geojson")
    assert n == 69
    doc = json.loads((tmp_path / "shown.geojson").read_text())
    assert doc["launch_count"] == 69 and doc["shown"] == "2022"


def test_command_line_filters_in_the_window(window, qtbot):
    from viewer.ui.history_window import apply_command_line

    assert apply_command_line(window, "2019-2022", "KN-24", None, None) is None
    assert window.act_history.isChecked()
    qtbot.waitUntil(lambda: page_state(qtbot, window)["on"] and page_state(qtbot, window)["shown"] == 8,
                    timeout=10_000)
    assert "no such system" in apply_command_line(window, None, "XYZ", None, None)


def test_briefing_from_the_window_carries_the_filtered_layer(window, qtbot):
    from viewer.export.briefing import BriefingOptions, ExportSize, compose
    from viewer.ui.export_dialog import ExportDialog
    from viewer.ui.history_window import briefing_extras

    assert briefing_extras(window) == {}  # layer off: nothing added
    turn_on(qtbot, window)
    window.history_panel.set_years(2022, 2022)
    extras = briefing_extras(window)
    assert extras["extra_sources"][0].startswith("Launch history shown: 2022 (69 launches): CNS")
    dialog = ExportDialog(window.scenario, window.settings, (), window)
    dialog.extra_options = extras
    opts = dialog.options()
    assert isinstance(opts, BriefingOptions) and opts.history["filter"]["years"] == [2022, 2022]
    page = compose(window.scenario, ExportSize.pixels(1200, 800), opts, with_channel=False)
    assert "Launch history shown: 2022 (69 launches)" in page.config["sources"]
    dialog.deleteLater()


def test_facts_with_a_time_outside_the_window_are_greyed(window, qtbot):
    from viewer.ui.history_window import dim_facts_outside_window

    turn_on(qtbot, window)
    panel = window.history_panel
    item = window.facts.item_for("launch-time")
    normal = item.foreground(0).color().name()
    panel.time_box.setChecked(True)
    panel.window_combo.setCurrentIndex(2)  # 1 week
    panel.set_moment(h.load_default().launch("dprk-20220116-1").when_utc.replace(day=1))
    greyed = dim_facts_outside_window(window)
    assert "launch-time" in greyed
    assert item.foreground(0).color().name() == "#9a9a9a"
    panel.set_moment(h.load_default().launch("dprk-20220116-1").when_utc)
    assert item.foreground(0).color().name() == normal
    assert dim_facts_outside_window(window) == []


def test_the_facts_tab_greys_the_facts_a_briefing_of_the_window_leaves_out(window, qtbot):
    """An untimed fact about the launch point (or its ring) is left out of the window's exports
    with the launch: the Facts tab greys it too, not only the facts with a time of their own."""
    from viewer.model.time_window import in_window
    from viewer.ui.history_window import dim_facts_outside_window

    turn_on(qtbot, window)
    panel = window.history_panel
    panel.time_box.setChecked(True)
    panel.window_combo.setCurrentIndex(2)  # 1 week
    panel.set_moment(h.load_default().launch("dprk-20220116-1").when_utc.replace(day=1))
    greyed = dim_facts_outside_window(window)
    exported = in_window(window.scenario, panel.current_window())
    assert greyed == sorted(exported.hidden_facts)
    untimed = [f for f in window.scenario.facts if f.id in greyed and not f.time_utc]
    assert untimed, "only facts with their own time were greyed"
    for fact in untimed:
        assert window.facts.item_for(fact.id).foreground(0).color().name() == "#9a9a9a"
    kept = [f for f in window.scenario.facts if f.id not in greyed and window.facts.item_for(f.id) is not None]
    assert kept and all(window.facts.item_for(f.id).foreground(0).color().name() != "#9a9a9a" for f in kept)


def test_clicking_a_column_header_sorts_the_table_and_keeps_the_selected_launch(window, qtbot):
    panel = window.history_panel
    window.side.setCurrentWidget(panel)
    n = panel.model.rowCount()
    dates = [panel.model.launches[r].epoch for r in range(n)]
    assert n == 339 and dates == sorted(dates, reverse=True)  # newest first by default
    chosen = next(x.id for x in panel.model.launches if x.system.key == "hwasong-11b")
    panel.select_launch(chosen)
    header = panel.table.horizontalHeader()
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    x = header.sectionViewportPosition(5) + header.sectionSize(5) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(x, header.height() // 2))  # a click on the Distance header
    qtbot.waitUntil(lambda: header.sortIndicatorSection() == 5)
    order = header.sortIndicatorOrder()
    dist = [panel.model.launches[r].distance_km if panel.model.launches[r].distance_km is not None else -1
            for r in range(n)]
    assert dist == sorted(dist, reverse=order == Qt_Descending())
    rows = panel.table.selectionModel().selectedRows()
    assert len(rows) == 1 and panel.model.launches[rows[0].row()].id == chosen
    # a filter change keeps the chosen column's order
    panel.year_from.setValue(2019)
    kept = [panel.model.launches[r].distance_km or -1 for r in range(panel.model.rowCount())]
    assert kept == sorted(kept, reverse=order == Qt_Descending()) and len(kept) < n


def Qt_Descending():  # noqa: N802
    from PySide6.QtCore import Qt

    return Qt.SortOrder.DescendingOrder


def test_an_edit_that_retimes_the_launch_changes_its_facts_greying_at_once(window, qtbot):
    """The map is changed in place by an edit: the times the Facts tab's greying worked out for it
    before the edit are not used after it (the launch point also timed in March 2023 left its
    facts grey in a March 2023 window)."""
    from dataclasses import replace
    from datetime import datetime, timezone

    from viewer.ui.history_window import dim_facts_outside_window

    turn_on(qtbot, window)
    panel = window.history_panel
    panel.time_box.setChecked(True)
    panel.window_combo.setCurrentIndex(2)  # 1 week
    panel.set_moment(datetime(2023, 3, 1, tzinfo=timezone.utc))
    untimed = [f.id for f in window.scenario.facts if f.feature == "launch-point" and not f.time_utc]
    assert untimed and set(untimed) <= set(dim_facts_outside_window(window))
    lp = window.scenario.feature("launch-point")
    assert window.editor.replace(replace(lp, properties={**lp.properties, "time_utc": "2023-03-01T00:00:00Z"}),
                                 "Retime launch")
    greyed = dim_facts_outside_window(window)
    assert not set(untimed) & set(greyed), greyed


def test_a_path_drawn_from_the_launch_point_with_the_layer_on_goes_with_the_launch(window, qtbot):
    """A flight path added from the launch point while the layer is shown takes the launch's times
    (it was left out of them until the map was opened again)."""
    turn_on(qtbot, window)
    lon, lat = window.scenario.feature("launch-point").geometry["coordinates"]
    fid = window.editor.add_line([(lat, lon), (lat + 1.0, lon + 3.0)])
    assert fid and fid in window.history_panel.layer.timed


def test_the_slider_reaches_a_map_event_later_than_the_historys_last_launch(window, qtbot):
    """The next event, after the history's last launch, is in reach of the time window: the slider's
    days run to the map's event (its launch point, ring and path were hidden at every position)."""
    from datetime import datetime, timezone

    from viewer.model import edits

    with qtbot.waitSignal(window.map_view.mapReady, timeout=60_000):
        assert window.new_map()
    panel = window.history_panel
    last = h.load_default().launches[-1].when_utc
    t = datetime(last.year + 1, 1, 20, 3, 0, tzinfo=timezone.utc)
    window.editor.apply(edits.SetMeta(event_time_utc=t))
    site = window.add_annotation("place", {"type": "Point", "coordinates": [125.67, 39.2]},
                                 {"name": "Launch", "role": "launch", "time_utc": t.isoformat()})
    turn_on(qtbot, window)
    panel.time_box.setChecked(True)
    assert panel.moment() >= t  # (the slider at its end: the map's event)
    lo, hi = panel.current_window()
    assert lo <= t <= hi
    from viewer.model.time_window import in_window

    assert site not in in_window(window.scenario, panel.current_window()).hidden_features
    panel.set_moment(last)
    assert panel.moment().date() == last.date()
