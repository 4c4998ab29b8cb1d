"""The start-up's window is built in two stages (MainWindow's ``staged``, viewer.app.make_window):
its frame while the first map's page loads, the document, side panels, menus and wiring once the
map is up. The map must not move when the rest comes, and nothing the rest does for a map that is
up may be missed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QToolBar

from tests.ui.conftest import READY_MS, js
from viewer.render.tile_packages import REGISTRY


@pytest.fixture()
def start(qtbot, settings, tmp_path, monkeypatch):
    """make_window + open_first_scenario as ``sitmap`` does, after one start that filled the page
    cache (so the first page is the cached one, up before the map is read) unless ``cached`` is
    False. Returns (window, first page)."""
    import viewer.app as app_mod
    from viewer.render.page_cache import PageCache

    monkeypatch.setattr(app_mod, "page_cache", lambda: PageCache(tmp_path / "pages"))

    def make(cached: bool = True, size: tuple[int, int] | None = None, before_open=None):
        if cached and not list((tmp_path / "pages").glob("*.json")):
            w0, first0 = app_mod.make_window(None, settings=settings, data_dir=tmp_path / "data0")
            w0.maybe_keep_changes = lambda: True
            qtbot.addWidget(w0)
            if size:
                w0.resize(*size)
            w0.show()
            app_mod.open_first_scenario(w0, None, first0)
            qtbot.waitUntil(lambda: w0.is_built and w0.scenario is not None, timeout=READY_MS)
            qtbot.waitUntil(lambda: list((tmp_path / "pages").glob("*.json")) != [], timeout=READY_MS)
            w0.close()
        w, first = app_mod.make_window(None, settings=settings, data_dir=tmp_path / "data")
        w.maybe_keep_changes = lambda: True
        qtbot.addWidget(w)
        if size:
            w.resize(*size)
        if before_open:
            before_open(w)
        w.show()
        app_mod.open_first_scenario(w, None, first)
        return w, first

    return make


def test_the_map_comes_up_in_the_frame_and_the_rest_follows_without_moving_it(qtbot, start):
    seen = {}

    def at_first_ready(w):
        def ready(_state):
            if "built" not in seen:
                seen["built"] = w.is_built
                seen["panels"] = hasattr(w, "facts") or hasattr(w, "doc")
                seen["size"] = w.map_view.size()
        w.map_view.mapReady.connect(ready)
        seen["frame"] = (w.is_built, [a.text() for a in w.menuBar().actions()],
                         [a.text() for a in w.findChild(QToolBar, "mainToolbar").actions() if a.text()])

    w, first = start(size=(820, 640), before_open=at_first_ready)  # (narrow: the side tabs at their least width)
    assert first.hit is not None
    built, menus, tools = seen["frame"]
    assert not built and menus == ["&File", "&Edit", "&Tools", "&View", "&Help"] and "Measure" in " ".join(tools)
    with qtbot.waitSignal(w.built, timeout=READY_MS):
        pass
    assert seen["built"] is False and seen["panels"] is False  # the map was up before the rest was built
    assert w.map_view.size() == seen["size"]  # and the rest did not move it
    qtbot.waitUntil(lambda: w.scenario is not None and w.history_panel is not None, timeout=READY_MS)
    assert [w.side.tabText(i) for i in range(w.side.count())] == ["Facts", "In range", "Properties", "Layers", "History"]
    assert w.facts.tree.topLevelItemCount() >= 6 and w.windowTitle().startswith(w.scenario.title)
    assert [x["id"] for x in w.layers_panel.layers()] == [x["id"] for x in w.current_layers()]  # (what follows a map)
    file_menu = w.menuBar().actions()[0].menu()
    assert w.act_open in file_menu.actions() and w.act_export_png in file_menu.actions()
    tools_menu = w.menuBar().actions()[2].menu()
    assert list(w.tool_actions.values())[0] in tools_menu.actions() and w.act_keep_measure in tools_menu.actions()
    qtbot.waitUntil(lambda: "ring-380km" in w.range_panel.result_data, timeout=READY_MS)
    assert w.map_view.size() == seen["size"]


def test_what_follows_a_map_up_before_the_rest_is_done_for_it(qtbot, start, settings, tmp_path):
    """The legend's remembered corner and the remembered basemap package, both handled when a map
    is up, reach the first map although their parts are made after it."""
    from tests.package_fixtures import make_raster_mbtiles
    from viewer.render.basemap import Basemap

    start()  # (the page cache filled with the built-in basemap's page)
    package = make_raster_mbtiles(tmp_path / "land.mbtiles", Basemap.load())
    settings.setValue("basemap/chosen", str(package))
    settings.setValue("legend/corner", "topleft")
    REGISTRY.clear()  # (a new run)
    w, first = start()
    assert first.hit is not None
    qtbot.waitUntil(lambda: w.is_built, timeout=READY_MS)
    qtbot.waitUntil(lambda: js(qtbot, w.map_view, "!!document.querySelector('.leaflet-top.leaflet-left .sitmap-legend')")
                    is True, timeout=10_000)
    qtbot.waitUntil(lambda: js(qtbot, w.map_view, "SitMap.app.packageSpec ? SitMap.app.packageSpec.id : ''")
                    == REGISTRY.chosen_id != "", timeout=10_000)


def test_a_staged_window_built_before_any_map_leaves_the_history_tab_to_its_first_map(qtbot, settings, tmp_path):
    """A start-up window built whole before any map was set (its first map failed to open, or it
    was closed first), with something waiting for it (the recovery question): the History tab is
    not made with it; the first map set adds it, as always."""
    import viewer.app as app_mod
    from viewer import resources
    from viewer.model.scenario import load_scenario

    w, _first = app_mod.make_window(None, settings=settings, data_dir=tmp_path / "data")
    w.maybe_keep_changes = lambda: True
    qtbot.addWidget(w)
    waited = []
    w.when_built(lambda: waited.append(True))
    w.finish_building()
    assert w.is_built and waited == [True] and w.history_panel is None
    w.set_scenario(load_scenario(resources.default_scenario()), None)
    qtbot.waitUntil(lambda: w.history_panel is not None, timeout=READY_MS)


def test_a_first_start_without_a_cached_page_sets_its_map_before_the_rest_is_built(qtbot, start):
    w, first = start(cached=False)
    assert first.hit is None
    assert w.doc.scenario is not None and w.map_view.page_html and not w.is_built  # (the page first)
    qtbot.waitUntil(lambda: w.is_built, timeout=READY_MS)
    assert w.facts.tree.topLevelItemCount() >= 6 and w.windowTitle().startswith(w.scenario.title)


def test_closing_or_picking_a_tool_before_the_map_is_up_builds_the_rest_first(qtbot, start):
    w, _ = start()
    assert not w.is_built
    w.tool_actions["measure"].trigger()  # (its shortcut, D, works from the frame's tool bar)
    assert w.is_built and w.draw.tool == "measure"
    w2, _ = start()
    assert not w2.is_built
    assert w2.close()  # (asks about unsaved work, saves the layout: the whole window is needed)
    assert w2.is_built


def test_a_window_made_at_once_is_whole(qtbot, settings, tmp_path):
    from viewer.ui.main_window import MainWindow

    w = MainWindow(settings=QSettings(settings.fileName(), QSettings.Format.IniFormat), data_dir=tmp_path / "d")
    qtbot.addWidget(w)
    assert w.is_built and w.facts is not None and w.draw is not None
    done = []
    w.when_built(lambda: done.append(1))
    assert done == [1]


def test_work_restored_at_a_first_start_without_a_cached_page_is_what_the_panels_show(qtbot, start, tmp_path):
    """The start-up's map is set before the window is whole and its panels are filled once it is;
    unsaved work restored as the window is completed (the recovery question, answered Yes) comes
    after them, and is what the panels and title show."""
    import shutil

    from viewer.model import edits

    w1, _ = start(cached=False)
    qtbot.waitUntil(lambda: w1.is_built and w1.scenario is not None, timeout=READY_MS)
    assert w1.editor.apply(edits.SetMeta("Edit map properties", title="Unsaved work"))
    qtbot.waitUntil(lambda: w1.recovery.pending(), timeout=10_000)
    shutil.copytree(tmp_path / "data" / "recovery", tmp_path / "crashed")  # (as a run killed now leaves it)
    w1.close()
    shutil.rmtree(tmp_path / "data" / "recovery", ignore_errors=True)
    shutil.copytree(tmp_path / "crashed", tmp_path / "data" / "recovery")
    shutil.rmtree(tmp_path / "pages", ignore_errors=True)  # (a first start: no cached page)
    offered = []
    w2, first = start(cached=False)
    assert first.hit is None and not w2.is_built
    w2.when_built(lambda: offered.append(w2.offer_recovery(ask=False)))  # (as the app does)
    qtbot.waitUntil(lambda: w2.is_built, timeout=READY_MS)
    assert offered == [True] and w2.scenario.title == "Unsaved work"
    assert w2.facts.title.text() == "Unsaved work" and w2.windowTitle().startswith("Unsaved work")
