"""The app keeps the place list's index (city populations, for ranking labels) in its cache folder:
the window from its document on, an export from the moment it makes the app."""

from pathlib import Path


def _where():
    from PySide6.QtCore import QStandardPaths

    cache = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
    assert cache
    return Path(cache) / "places"


def test_a_window_keeps_the_place_index_in_the_cache_folder(qtbot, monkeypatch):
    from viewer.render import city_sizes
    from viewer.ui.main_window import MainWindow

    monkeypatch.setattr(city_sizes, "_cache_dir", None)
    w = MainWindow()
    qtbot.addWidget(w)
    assert city_sizes._cache_dir == _where()


def test_an_export_keeps_the_place_index_in_the_cache_folder(qapp, monkeypatch):
    from viewer import api
    from viewer.render import city_sizes

    monkeypatch.setattr(city_sizes, "_cache_dir", None)
    api._qt_ready()
    assert city_sizes._cache_dir == _where()
