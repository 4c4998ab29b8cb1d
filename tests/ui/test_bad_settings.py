"""Remembered settings that cannot be used (written by another version, edited by hand, or
remembered from a layout that hid the map) give way to the defaults: the window opens with the
map at a good width and saves a good layout on close, and File > Export opens and exports (a bad
saved split left the map 0 px wide, and a bad export setting stopped the dialog: real window)."""

import pytest
from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtWidgets import QSplitter, QWidget

from tests.ui.conftest import READY_MS
from viewer.ui import export_dialog

MIN_MAP_WIDTH = 300  # px of map that always show
GARBAGE = QByteArray(b"\x01\xd9\xd0\xcb\x00\x03garbage-from-a-newer-version")  # (a window geometry's first bytes)


def _window(qtbot, ini, tmp_path, name="data"):
    from viewer import resources
    from viewer.model.scenario import load_scenario
    from viewer.ui.main_window import MainWindow

    w = MainWindow(settings=QSettings(str(ini), QSettings.Format.IniFormat), data_dir=tmp_path / name)
    w.maybe_keep_changes = lambda: True
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.map_view.mapReady, timeout=READY_MS):  # (a page 0 px wide never became ready)
        w.set_scenario(load_scenario(resources.default_scenario()), None)
    return w


def _map_hidden_split() -> QByteArray:
    """A split saved with the map squeezed to nothing (as a window whose side panel text pushed
    the map out saved it)."""
    split = QSplitter(Qt.Orientation.Horizontal)
    split.addWidget(QWidget())
    split.addWidget(QWidget())
    split.setSizes([0, 1400])
    return split.saveState()


def _saved(ini, key, value) -> None:
    s = QSettings(str(ini), QSettings.Format.IniFormat)
    s.setValue(key, value)
    s.sync()


def _good_layout(w) -> None:
    assert w.width() >= 640 and w.height() >= 480, w.size()
    assert w.map_view.width() >= MIN_MAP_WIDTH and w.splitter.sizes()[0] >= MIN_MAP_WIDTH, w.splitter.sizes()
    assert w.side.isVisible() == w.act_facts.isChecked()


@pytest.mark.parametrize("key,value", [
    ("window/splitter", GARBAGE), ("window/geometry", GARBAGE), ("window/geometry", QByteArray(b"hello")),
    ("window/splitter", "map-hidden"),
])
def test_a_layout_that_cannot_be_used_gives_the_default_one(qtbot, tmp_path, key, value):
    ini = tmp_path / "s.ini"
    _saved(ini, key, _map_hidden_split() if value == "map-hidden" else value)
    w = _window(qtbot, ini, tmp_path)
    _good_layout(w)
    w.close()  # saves the layout it has, a good one: the broken one is gone
    saved = QSettings(str(ini), QSettings.Format.IniFormat).value(key)
    assert isinstance(saved, QByteArray) and saved not in (value, _map_hidden_split())
    _good_layout(_window(qtbot, ini, tmp_path, "data2"))


def test_a_good_saved_layout_is_kept(qtbot, tmp_path):
    ini = tmp_path / "s.ini"
    w = _window(qtbot, ini, tmp_path)
    screen = w.screen().availableGeometry()  # (a window is restored within its screen)
    w.resize(min(1200, screen.width() - 40), min(800, screen.height() - 40))
    qtbot.waitUntil(lambda: w.splitter.width() == w.centralWidget().width() and w.splitter.sizes()[0] > 0)
    w.splitter.setSizes([w.width() - 400, 400])
    sizes, size = w.splitter.sizes(), w.size()
    w.close()
    w2 = _window(qtbot, ini, tmp_path, "data2")
    assert w2.size() == size and abs(w2.splitter.sizes()[0] - sizes[0]) <= 2, (size, sizes, w2.size(), w2.splitter.sizes())


# ---------------------------------------------------------------- File > Export's remembered choices
def _open_export(window, monkeypatch):
    got = {}
    monkeypatch.setattr(export_dialog.ExportDialog, "exec", lambda self: got.setdefault("dialog", self))
    export_dialog.open_export_dialog(window)
    assert "dialog" in got, "File > Export did not open"
    return got["dialog"]


@pytest.mark.parametrize("key,value", [
    ("export/size_index", ""), ("export/size_index", "large"), ("export/size_index", "-3"), ("export/size_index", "99"),
    ("export/custom_width", "1920.0"), ("export/custom_width", "wide"), ("export/custom_height", "1e9"),
    ("export/show_legend", "maybe"), ("export/banner_text", "x" * 500),
    ("export/banner_colour", "green"), ("export/banner_text_colour", "white"), ("export/banner_text_colour", ""),
])
def test_an_odd_remembered_export_choice_still_opens_and_exports(window, monkeypatch, key, value):
    window.settings.setValue("export/size_index", str(len(export_dialog.PRESETS)))  # the custom size
    window.settings.setValue("export/banner_colour", "#112233")
    window.settings.setValue(key, value)
    dlg = _open_export(window, monkeypatch)
    opts = dlg.options()  # (raised for a bad colour: every preview and export failed)
    size = dlg.export_size()
    assert opts.banner_colour.startswith("#") and opts.banner_text_colour in ("#FFFFFF", "#000000")
    assert size.width > 0 and size.height > 0
    if key in ("export/custom_width", "export/custom_height"):  # "1920.0" read as 1920; the others as the default
        assert (dlg.width_spin.value(), dlg.height_spin.value()) == (1920, 1080)
    assert "preview" in dlg.status.text(), dlg.status.text()


def test_remembered_export_choices_read_as_written(window, monkeypatch):
    s = window.settings
    for key, value in (("export/custom_width", "2400"), ("export/custom_height", 1200.0),
                       ("export/show_legend", "false"), ("export/banner_text", "Draft only"),
                       ("export/banner_colour", "#112233"), ("export/banner_text_colour", "#EEEEEE")):
        s.setValue(key, value)
    s.setValue("export/size_index", str(len(export_dialog.PRESETS)))  # the custom size
    dlg = _open_export(window, monkeypatch)
    assert dlg.size_combo.currentData() is None and (dlg.width_spin.value(), dlg.height_spin.value()) == (2400, 1200)
    assert not dlg.part_boxes["show_legend"].isChecked()
    opts = dlg.options()
    assert (opts.banner_colour, opts.banner_text_colour) == ("#112233", "#EEEEEE")
