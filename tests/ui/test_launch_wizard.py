"""New Launch Event: the wizard builds what the built-in example shows, for any launch."""

from __future__ import annotations

from datetime import datetime, timezone

from geographiclib.geodesic import Geodesic
from PySide6.QtCore import QDate, QDateTime, QTime

from tests.ui.conftest import READY_MS
from viewer import resources
from viewer.model.scenario import load_scenario


def _dist(a, b) -> float:
    return Geodesic.WGS84.Inverse(a[1], a[0], b[1], b[0])["s12"]


def fill(w, *, lat_lon, name, unc_km, site_src, when, second, zone, time_src, ranges, apogee, bearing, spread,
         dir_src, range_spread_km, count, system, title, system_source="", claimed=()):
    w.site.coordinate.setText(lat_lon)
    w.site.name.setText(name)
    w.site.uncertainty.setValue(unc_km)
    w.site.source.setText(site_src)
    w.next()
    assert w.currentPage() is w.time
    w.time.when.setDateTime(QDateTime(QDate(*when[:3]), QTime(*when[3:])))
    if second:
        w.time.has_second.setChecked(True)
        w.time.second.setDateTime(QDateTime(QDate(*second[:3]), QTime(*second[3:])))
    w.time.zone.setCurrentText(zone)
    w.time.source.setText(time_src)
    w.next()
    for km, src in ranges:
        w.ranges.add_range(km, "km", src, "claimed" if src in claimed else "reported")
    if apogee:
        w.ranges.has_apogee.setChecked(True)
        w.ranges.apogee.setValue(apogee[0])
        w.ranges.apogee_source.setText(apogee[1])
    w.next()
    d = w.direction
    d.direction.setCurrentIndex(0)
    d.bearing.setValue(bearing)
    d.minus.setValue(spread[0])
    d.plus.setValue(spread[1])
    d.bearing_source.setText(dir_src)
    d.range_spread.setValue(range_spread_km)
    d.count.setText(count)
    d.system.setText(system)
    d.system_source.setText(system_source)
    if system_source in claimed:
        d.system_status.setCurrentText("claimed")
    d.title_edit.setText(title)


def test_the_built_in_event_re_entered_gives_its_ring_path_and_impact_area_within_1_m(qtbot, window):
    w = window.new_launch_event()
    assert w.isVisible()
    fill(w, lat_lon="39.2002, 125.6733", name="Sunan, near Pyongyang", unc_km=5, site_src="CNS", when=(2022, 1, 17, 8, 50),
         second=(2022, 1, 17, 8, 54), zone="Asia/Pyongyang", time_src="South Korea JCS",
         ranges=[(380, "South Korea JCS")], apogee=(42, "South Korea JCS"), bearing=62, spread=(7, 8),
         dir_src="Japan MOD", range_spread_km=10, count="Two", system="", title="Re-entered")
    assert w.time.zone.currentText() == "Asia/Pyongyang"
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        w.accept()
    built = window.doc.scenario
    builtin = load_scenario(resources.default_scenario())
    assert built.title == "Re-entered"
    ring_b, ring_n = builtin.feature("ring-380km"), built.feature("ring-380km")
    assert ring_n.properties["radius_m"] == 380_000 and _dist(ring_n.geometry["coordinates"], ring_b.geometry["coordinates"]) < 1
    path_b = builtin.feature("flight-path").geometry["coordinates"]
    path_n = built.feature("flight-path").geometry["coordinates"]
    assert len(path_b) == len(path_n) and max(_dist(a, b) for a, b in zip(path_n, path_b)) < 1
    area_b = builtin.feature("impact-area").geometry["coordinates"][0]
    area_n = built.feature("impact-area").geometry["coordinates"][0]
    assert len(area_b) == len(area_n) and max(_dist(a, b) for a, b in zip(area_n, area_b)) < 1
    assert built.event_time_utc == datetime(2022, 1, 16, 23, 50, tzinfo=timezone.utc)
    assert all(f.source and f.status for f in built.facts)
    assert any(f.status == "derived" for f in built.facts)


def test_another_launch_through_the_wizard_then_facts_saved_reopened_and_briefed(qtbot, window, tmp_path):
    """5 January 2022 (JCS): a missile from Chagang Province toward the sea, about 700 km claimed by KCNA."""
    from viewer.export.briefing import BriefingOptions, ExportSize
    from viewer.ui.capture import export_briefing_png

    w = window.new_launch_event()
    fill(w, lat_lon="40.97, 126.59", name="Chagang Province", unc_km=40, site_src="South Korea JCS",
         when=(2022, 1, 5, 8, 10), second=None, zone="Asia/Pyongyang", time_src="South Korea JCS",
         ranges=[(700, "KCNA")], apogee=None, bearing=90, spread=(10, 10), dir_src="South Korea JCS",
         range_spread_km=50, count="One", system="hypersonic missile", title="Launch, 5 January 2022",
         system_source="KCNA", claimed=("KCNA",))
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        w.accept()
    s = window.doc.scenario
    assert s.feature("ring-700km") is not None and s.feature("impact-area") is not None
    assert s.feature("ring-700km").properties["status"] == "claimed"
    assert any(f.source == "KCNA" and f.status == "claimed" for f in s.facts)
    dlg = window.facts_editor.add_fact(feature="launch-point")
    dlg.label.setText("Japan's view")
    dlg.value.setPlainText("fell outside Japan's EEZ")
    dlg.source.setCurrentText("Japan MOD")
    dlg.accept()
    path = tmp_path / "jan5.sitmap.geojson"
    assert window.save_to(path)
    again = load_scenario(path)
    assert again == window.doc.scenario
    out = tmp_path / "jan5.png"
    export_briefing_png(window.doc.scenario, out, ExportSize.pixels(1280, 720), BriefingOptions())
    assert out.stat().st_size > 20_000


def test_bad_numbers_keep_the_wizard_open_with_the_reason(qtbot, window):
    w = window.new_launch_event()
    w.site.coordinate.setText("95, 10")
    w.site.name.setText("Nowhere")
    w.next()
    assert w.currentPage() is w.site and "latitude" in w.site.error.text().lower()
    w.site.coordinate.setText("39, 125")
    w.site.name.setText("")
    w.next()
    assert w.currentPage() is w.site and "name" in w.site.error.text()
    w.site.name.setText("A site")
    w.next()
    w.time.when.setDateTime(QDateTime(QDate(9999, 12, 31), QTime(23, 0)))
    w.time.zone.setCurrentText("America/New_York")  # 9999-12-31 23:00 there is past 9999 in UTC
    w.next()
    w.ranges.add_range(300, "km", "JCS")
    w.next()
    w.direction.title_edit.setText("Test")
    n = len(window.doc.features)
    w.accept()
    assert w.isVisible() and "9999" in w.direction.error.text()
    w.time.when.setDateTime(QDateTime(QDate(2022, 3, 24), QTime(14, 34)))
    w.direction.system.setText("a missile")  # named, but by nobody: refused
    w.accept()
    assert w.isVisible() and "ource" in w.direction.error.text()
    assert len(window.doc.features) == n
    w.reject()


def test_pick_on_map_sets_the_launch_site(qtbot, window):
    w = window.new_launch_event()
    w.site.pick.click()
    assert not w.isVisible() and window.draw.tool == "pick"
    with qtbot.waitSignal(window.map_view.bridge.clickedAt, timeout=5000):
        window.map_view.run_js("SitMap.app.map.fire('click', {latlng: L.latLng(40.0, 127.0)})")
    assert w.isVisible() and w.site.coordinate.text() == "40.00000, 127.00000"
    assert window.draw.tool is None
    w.reject()
