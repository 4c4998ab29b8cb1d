import pytest
from PySide6.QtCore import QSettings

from viewer.ui.web import register_scheme

# The sitmap: scheme must be known before the QApplication exists (pytest-qt makes it later).
register_scheme()

READY_MS = 60_000


@pytest.fixture()
def settings(tmp_path):
    s = QSettings(str(tmp_path / "sitmap.ini"), QSettings.Format.IniFormat)
    yield s
    s.sync()


@pytest.fixture()
def window(qtbot, settings, tmp_path):
    from viewer import resources
    from viewer.model.scenario import load_scenario
    from viewer.ui.main_window import MainWindow

    w = MainWindow(settings=settings, data_dir=tmp_path / "data")
    # pytest-qt closes the window before fixtures end: never stop there on "save changes?"
    w.maybe_keep_changes = lambda: True
    qtbot.addWidget(w)
    w.resize(1300, 850)
    w.map_view.network_guard.requests.clear()  # the log is the profile's: earlier tests' pages left theirs
    w.show()
    with qtbot.waitSignal(w.map_view.mapReady, timeout=READY_MS):
        w.set_scenario(load_scenario(resources.default_scenario()), None)
    yield w


def js(qtbot, view, script, timeout=10_000):
    """Run script in the live page and return its value (waits on the callback, no sleeping)."""
    box = {}

    def done(value):
        box["value"] = value

    view.run_js(script, done)
    qtbot.waitUntil(lambda: "value" in box, timeout=timeout)
    return box["value"]


def label_boxes(qtbot, view):
    """Every label box shown (overlay and basemap) once the basemap's tiles are in and the labels
    placed: ``SitMap.labels.boxes()``."""
    import json

    qtbot.waitUntil(lambda: js(qtbot, view, "!SitMap.app.basemapBusy()"), timeout=20_000)
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.labels.place() >= 0"), timeout=5000)
    return json.loads(js(qtbot, view, "JSON.stringify(SitMap.labels.boxes())"))


def intersections(boxes, others=None):
    """Pairs of boxes that overlap, as (text, source, text, source); ``others``: check ``boxes``
    against these instead of against each other."""
    def meet(a, b):
        return a["left"] < b["right"] and a["right"] > b["left"] and a["top"] < b["bottom"] and a["bottom"] > b["top"]

    pairs = ([(a, b) for a in boxes for b in others] if others is not None
             else [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]])
    return [(a.get("text"), a.get("source"), b.get("text"), b.get("source")) for a, b in pairs if meet(a, b)]


def settle(qtbot, view, script):
    """Run a script that moves the map and wait until the page reports the new view."""
    with qtbot.waitSignal(view.bridge.viewMoved, timeout=10_000):
        view.run_js(script)


def start_window(qtbot, settings, tmp_path):
    """A 1200x800 window started as the app starts (its page cache used: see each test's), its map up."""
    import viewer.app as app_mod
    from viewer.ui.main_window import MainWindow

    w = MainWindow(settings=settings, data_dir=tmp_path / "data")
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    with qtbot.waitSignal(w.map_view.mapReady, timeout=READY_MS):
        assert app_mod.open_first_scenario(w, None) is None
    return w


@pytest.fixture
def asked(monkeypatch):
    """The basemap tiles the pages ask the app for: ["z/x/y", ...]."""
    from viewer.ui.web import AppSchemeHandler

    seen: list[str] = []
    one, many = AppSchemeHandler.basemap_tile, AppSchemeHandler._ready_tiles

    def basemap_tile(self, z, x, y):
        seen.append(f"{z}/{x}/{y}")
        return one(self, z, x, y)

    def ready_tiles(self, z, xys):
        seen.extend(f"{z}/{x}/{y}" for x, y in xys)
        return many(self, z, xys)

    monkeypatch.setattr(AppSchemeHandler, "basemap_tile", basemap_tile)
    monkeypatch.setattr(AppSchemeHandler, "_ready_tiles", ready_tiles)
    return seen



@pytest.fixture
def given(monkeypatch):
    """The basemap tiles new pages are given to carry: ["z/x/y", ...]."""
    from viewer.ui.map_view import MapView

    out: list[str] = []
    view_tiles = MapView._view_tiles

    def carried(self, page_opts, view, tile):
        tiles = view_tiles(self, page_opts, view, tile)
        out.extend(tiles)
        return tiles

    monkeypatch.setattr(MapView, "_view_tiles", carried)
    return out
