"""The launch history as an analyst uses it in the window, where a review found it wrong: a briefing
filtered by site shows the window's launches (two sites at one position kept apart), systems whose
names slug alike stay apart, month-only launches keep their time through the exports, an undo keeps
the time window on the map's features, and the command line's window is the one asked for."""

from __future__ import annotations

import json

import pytest

from tests.ui.conftest import js
from viewer.model import history as h

VISIBLE = ("(function(id){var f=SitMap.app.features[id]; if(!f) return 'missing';"
           "if(f.point) return !(SitMap.points.layer()._flags[f._i] & 2);"
           "var g=SitMap.app.groups[f.data.group]||SitMap.app.map; return g.hasLayer(f.layer);})")


def _state(qtbot, view):
    return json.loads(js(qtbot, view, "JSON.stringify(SitMap.history.state())"))


def _turn_on(qtbot, window):
    window.act_history.setChecked(True)
    qtbot.waitUntil(lambda: _state(qtbot, window.map_view)["on"], timeout=10_000)


def _export_dialog(window, monkeypatch):
    from viewer.ui import export_dialog as ed

    box = {}
    monkeypatch.setattr(ed.ExportDialog, "exec", lambda self: (box.setdefault("d", self), self.show(), 0)[-1])
    ed.open_export_dialog(window)
    return box["d"]


@pytest.mark.parametrize("sites", [None, ["unknown"]])
def test_a_briefing_filtered_by_site_shows_the_windows_launches(window, qtbot, monkeypatch, sites):
    # ("pyongyang" and the placeholder "unknown" lie at one position: the briefing merged them)
    _turn_on(qtbot, window)
    panel = window.history_panel
    if sites is None:
        panel.same_site_button.click()
    else:
        panel.set_choices(sites=sites)
    want = [x.id for x in panel.current_filter().apply(h.load_default().launches)]
    qtbot.waitUntil(lambda: _state(qtbot, window.map_view)["shownIds"] == want, timeout=5000)
    d = _export_dialog(window, monkeypatch)
    d.update_preview()
    view = d._preview_view
    qtbot.waitUntil(lambda: view.is_ready, timeout=30_000)
    # (the dialog may draw its preview again meanwhile: the state read from the page that holds it)
    qtbot.waitUntil(lambda: (_shown_state(qtbot, view) or {}).get("shownIds") == want, timeout=30_000)
    d.reject()


def _shown_state(qtbot, view):
    """The page's history state once it has its history, else None (a page still loading)."""
    text = js(qtbot, view, "window.SitMap && SitMap.history && SitMap.history.data ? "
                           "JSON.stringify(SitMap.history.state()) : ''")
    return json.loads(text) if text else None


def test_systems_whose_names_slug_alike_are_each_a_choice(window, qtbot, tmp_path):
    table = tmp_path / "names.csv"
    table.write_text("Date,System,Site,Distance,Outcome\n"
                     "2022-01-05,\ubd81\uadf9\uc131,Sinpo,300,success\n2022-02-05,\ubd81\uadf9\uc131,Sinpo,310,success\n"
                     "2022-03-05,\ud654\uc131,pyongyang,900,success\n2022-04-05,\ud654\uc131,pyongyang,950,failure\n"
                     "2022-05-05,KN-23,pyongyang,600,success\n2022-06-05,KN 23,pyongyang,610,success\n",
                     encoding="utf-8")
    _turn_on(qtbot, window)
    panel = window.history_panel
    dialog = panel.open_import(table)
    dialog.accept()
    qtbot.waitUntil(lambda: _state(qtbot, window.map_view)["total"] == 6, timeout=10_000)
    model = panel.system_combo._model
    labels = [model.item(r).text() for r in range(model.rowCount())]
    assert len(panel.system_combo.keys()) == len(set(panel.system_combo.keys())) == 4
    panel.system_combo.toggle(next(r for r, t in enumerate(labels) if t.startswith("\ubd81\uadf9\uc131")))
    qtbot.waitUntil(lambda: len(_state(qtbot, window.map_view)["shownIds"]) == 2, timeout=5000)
    assert sorted(panel.model.launches[r].system.name for r in range(panel.model.rowCount())) == ["\ubd81\uadf9\uc131"] * 2


@pytest.mark.parametrize("suffix", [".geojson", ".kml"])
def test_launches_dated_to_the_month_keep_their_time_through_an_export(window, qtbot, tmp_path, suffix):
    _turn_on(qtbot, window)
    panel = window.history_panel
    panel.set_years(1984, 1990)
    assert any(len(x.date) == 7 for x in panel.shown)
    panel.export_to(tmp_path / f"early{suffix}")
    with qtbot.waitSignal(window.map_view.mapReady, timeout=60_000):
        assert window.open_path(tmp_path / f"early{suffix}")
    times = h.feature_times(window.scenario)
    assert all(f.id in times for f in window.scenario.features)
    assert min(t for ts in times.values() for t in ts).year == 1984


def test_an_undo_keeps_the_time_window_on_the_maps_features(window, qtbot, tmp_path):
    _turn_on(qtbot, window)
    panel = window.history_panel
    panel.set_years(2022, 2022)
    panel.export_to(tmp_path / "y2022.geojson")
    with qtbot.waitSignal(window.map_view.mapReady, timeout=60_000):
        assert window.open_path(tmp_path / "y2022.geojson")
    panel.time_box.setChecked(True)
    panel.window_combo.setCurrentIndex(2)  # (1 week)
    panel.set_moment(h.load_default().launch("dprk-20220116-1").when_utc)
    fid = "dprk-20221103-1"  # (November: outside the week)
    qtbot.waitUntil(lambda: js(qtbot, window.map_view, f"{VISIBLE}({fid!r})") is False, timeout=5000)
    window.editor.selection.select(fid)
    assert window.editor.delete_selected(), window.editor.refused
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: js(qtbot, window.map_view, f"{VISIBLE}({fid!r})") != "missing", timeout=5000)
    assert js(qtbot, window.map_view, f"{VISIBLE}({fid!r})") is False


@pytest.mark.parametrize("asked", ["2019-07-25/2019-08-31", "2022-03"])
def test_the_command_lines_time_window_is_the_one_shown(window, qtbot, asked):
    from viewer.export.history import filter_from_options
    from viewer.ui.history_window import apply_command_line

    assert apply_command_line(window, None, time_window=asked) is None
    qtbot.waitUntil(lambda: _state(qtbot, window.map_view)["on"], timeout=10_000)
    want = [x.id for x in filter_from_options(h.load_default(), time_window=asked).apply(h.load_default().launches)]
    assert [x.id for x in window.history_panel.shown] == want
    qtbot.waitUntil(lambda: _state(qtbot, window.map_view)["shownIds"] == want, timeout=5000)
