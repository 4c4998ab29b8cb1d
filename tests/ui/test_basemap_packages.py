"""View → Basemap with tile packages in the real window: a raster MBTiles and a vector PMTiles
made from open data are drawn, remembered across a restart, and bad archives each give one
clear message while the window keeps working."""

from __future__ import annotations

import json
import shutil

import pytest
from PySide6.QtCore import QSettings

from tests.package_fixtures import RASTER_LAND, RASTER_SEA, URBAN, make_raster_mbtiles, make_vector_pmtiles
from tests.ui.conftest import READY_MS, js
from viewer.render.tile_packages import REGISTRY

PYONGYANG = (39.02, 125.74)
OPEN_SEA = (37.3, 131.2)  # East Sea, inside the test packages' bounds


@pytest.fixture(scope="module")
def archives(tmp_path_factory):
    from viewer.render.basemap import Basemap

    d = tmp_path_factory.mktemp("pkgs")
    bm = Basemap.load()
    return {"raster": make_raster_mbtiles(d / "korea.mbtiles", bm), "vector": make_vector_pmtiles(d / "korea.pmtiles", bm)}


@pytest.fixture(autouse=True)
def _fresh_registry():
    REGISTRY.clear()
    yield
    REGISTRY.clear()


def _colour_count(image, rgb, tol=6, step=4):
    n = 0
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            c = image.pixel(x, y)
            if all(abs(((c >> s) & 255) - v) <= tol for s, v in zip((16, 8, 0), rgb)):
                n += 1
    return n


def _pixel_at(qtbot, view, image, lat, lng):
    p = json.loads(js(qtbot, view, "JSON.stringify(SitMap.app.map.latLngToContainerPoint([%f, %f]))" % (lat, lng)))
    k = image.width() / view.width()
    c = image.pixel(int(p["x"] * k), int(p["y"] * k))
    return (c >> 16) & 255, (c >> 8) & 255, c & 255


def _close(a, b, tol=6):
    return all(abs(x - y) <= tol for x, y in zip(a, b))


def _show(qtbot, view, lat, lng, z):
    # the overlays (the range ring's fill, markers) off: only the basemap is looked at
    from viewer.ui.capture import wait_for_frame

    js(qtbot, view, "Object.keys(SitMap.app.groups).forEach(function (g) { SitMap.app.setGroupVisible(g, false); }); true")
    before = wait_for_frame(view)  # (a frame on screen: one grabbed before the page's came could pass for the new view)
    # (the new view's tiles loaded, its images decoded, and a frame shown with them)
    js(qtbot, view, "window.__bm = false; SitMap.app.map.once('moveend', function () {"
                    "  setTimeout(function poll() {"
                    "    if (SitMap.app.basemapBusy()) { setTimeout(poll, 30); return; }"
                    "    SitMap.app.whenShown(function () { window.__bm = true; }); }, 30); });"
                    "SitMap.app.map.setView([%f, %f], %d, {animate: false}); true" % (lat, lng, z))
    qtbot.waitUntil(lambda: js(qtbot, view, "window.__bm") is True, timeout=READY_MS)
    qtbot.waitUntil(lambda: view.grab().toImage() != before, timeout=READY_MS)  # the new view reached the screen
    return wait_for_frame(view)


def test_raster_package_draws_over_the_builtin_and_falls_back_outside_its_zooms(window, qtbot, archives):
    view = window.map_view
    pkg = window.basemap_menu.add_path(archives["raster"])
    assert pkg is not None and REGISTRY.chosen() is pkg
    qtbot.waitUntil(lambda: js(qtbot, view, "!!SitMap.app.package") is True, timeout=10_000)
    img = _show(qtbot, view, 38.5, 127.0, 6)
    assert _colour_count(img, RASTER_LAND) > 200 and _colour_count(img, RASTER_SEA) > 200
    assert _close(_pixel_at(qtbot, view, img, *PYONGYANG), RASTER_LAND)
    assert _close(_pixel_at(qtbot, view, img, *OPEN_SEA), RASTER_SEA)
    assert any("sitmap://app/pkg/" in u and u.endswith(".png") for u in view.network_guard.requests)
    # zoom 9 is beyond the package's 3-7: the built-in basemap shows, not the package
    img = _show(qtbot, view, *PYONGYANG, 9)
    assert _colour_count(img, RASTER_LAND) == 0 and _colour_count(img, RASTER_SEA) == 0
    assert _colour_count(img, (0xF4, 0xF1, 0xEA), tol=2) > 500  # built-in land
    # the menu lists it, checked, with its metadata
    actions = {a.text(): a for a in window.basemap_menu.menu.actions()}
    entry = next(a for t, a in actions.items() if t.startswith("Korea land test tiles"))
    import html

    tip = html.unescape(entry.toolTip())
    assert entry.isChecked() and "zooms 3–7" in tip and "Natural Earth" in tip
    assert "Attribution: Test tiles from Natural Earth" in window.basemap_menu.info_text()
    # the briefing shows the same basemap, credited
    from viewer.export import briefing as b
    from viewer.ui.capture import render_briefing_image

    shot = render_briefing_image(window.scenario, b.ExportSize.pixels(960, 540), b.BriefingOptions())
    assert _colour_count(shot, RASTER_LAND, tol=8) > 200 and _colour_count(shot, RASTER_SEA, tol=8) > 200
    # back to the built-in basemap
    window.basemap_menu.choose("")
    qtbot.waitUntil(lambda: js(qtbot, view, "!SitMap.app.package") is True, timeout=10_000)


def test_the_map_counts_as_shown_once_the_packages_images_are_decoded(window, qtbot, archives):
    """A raster package's tiles are images: the browser may show a frame before it has decoded
    one that has loaded, so the page's readiness and the window's capture wait on their decoding."""
    view = window.map_view
    window.basemap_menu.add_path(archives["raster"])
    qtbot.waitUntil(lambda: js(qtbot, view, "!!SitMap.app.package") is True, timeout=10_000)
    _show(qtbot, view, 38.5, 127.0, 6)
    held = js(qtbot, view, """(function () {
      var decode = HTMLImageElement.prototype.decode;
      window.__held = [];
      window.__decoded = false;
      HTMLImageElement.prototype.decode = function () { return new Promise(function (r) { window.__held.push(r); }); };
      SitMap.app.tilesDecoded().then(function () { window.__decoded = true; });
      HTMLImageElement.prototype.decode = decode;
      return window.__held.length; })()""")
    assert held >= 4  # the package's tiles in view
    assert js(qtbot, view, "window.__decoded") is False
    js(qtbot, view, "window.__held.slice(1).forEach(function (r) { r(); }); true")
    assert js(qtbot, view, "window.__decoded") is False  # one still to decode
    js(qtbot, view, "window.__held[0](); true")
    qtbot.waitUntil(lambda: js(qtbot, view, "window.__decoded") is True, timeout=5_000)
    window.basemap_menu.choose("")


def test_vector_package_is_drawn_in_the_basemap_style_and_survives_a_restart(qtbot, archives, tmp_path):
    from viewer import resources
    from viewer.model.scenario import load_scenario
    from viewer.ui.main_window import MainWindow

    ini = str(tmp_path / "restart.ini")

    def open_window():
        w = MainWindow(settings=QSettings(ini, QSettings.Format.IniFormat), data_dir=tmp_path / "data")
        w.maybe_keep_changes = lambda: True
        qtbot.addWidget(w)
        w.resize(1100, 750)
        w.show()
        with qtbot.waitSignal(w.map_view.mapReady, timeout=READY_MS):
            w.set_scenario(load_scenario(resources.default_scenario()), None)
        return w

    w1 = open_window()
    pkg = w1.basemap_menu.add_path(archives["vector"])
    assert pkg is not None and pkg.is_vector
    qtbot.waitUntil(lambda: js(qtbot, w1.map_view, "!!SitMap.app.package") is True, timeout=10_000)
    img = _show(qtbot, w1.map_view, *PYONGYANG, 7)
    assert _close(_pixel_at(qtbot, w1.map_view, img, 38.9, 125.3), URBAN)  # land, tinted as the package's landuse
    w1.save_settings()
    w1.close()

    REGISTRY.clear()  # a new run: nothing open
    w2 = open_window()
    assert REGISTRY.chosen() is not None and REGISTRY.chosen().path == pkg.path
    assert js(qtbot, w2.map_view, "SitMap.app.packageSpec && SitMap.app.packageSpec.name") == "Korea vector test tiles"
    img = _show(qtbot, w2.map_view, *PYONGYANG, 7)
    assert _close(_pixel_at(qtbot, w2.map_view, img, 38.9, 125.3), URBAN)
    # beyond its zooms (3-8) the app serves the built-in tiles through the same layer
    img = _show(qtbot, w2.map_view, *PYONGYANG, 10)
    # (the built-in land, tinted only where its towns are, where the package tints all land)
    assert _colour_count(img, (0xF4, 0xF1, 0xEA), tol=2) > 500
    w2.close()


@pytest.mark.parametrize("kind", ["zero", "truncated", "wrong", "injection"])
def test_bad_archives_give_one_clear_message_and_the_window_goes_on(window, qtbot, archives, tmp_path, kind):
    if kind == "zero":
        f = tmp_path / "empty.mbtiles"
        f.write_bytes(b"")
    elif kind == "truncated":
        f = tmp_path / "cut.pmtiles"
        f.write_bytes(archives["vector"].read_bytes()[:3000])
    elif kind == "wrong":
        f = tmp_path / "photo.mbtiles"
        f.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    else:
        f = tmp_path / "x'); DROP TABLE tiles;--.mbtiles"
        f.write_bytes(archives["raster"].read_bytes()[:5000])
    before = REGISTRY.chosen_id
    assert window.basemap_menu.add_path(f) is None
    from PySide6.QtWidgets import QMessageBox

    boxes = [b for b in window.findChildren(QMessageBox, "errorBox") if b.isVisible()]
    assert len(boxes) == 1
    box = boxes[0]
    text = box.text()
    assert "\n" not in text and text.startswith(f.name + ":"), text
    assert window.basemap_menu.errors == [text]
    assert REGISTRY.chosen_id == before
    box.close()
    assert js(qtbot, window.map_view, "SitMap.app.map.getZoom() >= 0") is True  # the page still answers


def test_command_line_basemap_for_the_window(qtbot, archives, tmp_path):
    from viewer import resources
    from viewer.model.scenario import load_scenario
    from viewer.ui import basemap_menu
    from viewer.ui.main_window import MainWindow

    target = tmp_path / "cli.mbtiles"
    shutil.copy(archives["raster"], target)
    basemap_menu.command_line_choice = str(target)
    w = MainWindow(settings=QSettings(str(tmp_path / "cli.ini"), QSettings.Format.IniFormat),
                   data_dir=tmp_path / "data")
    w.maybe_keep_changes = lambda: True
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.map_view.mapReady, timeout=READY_MS):
        w.set_scenario(load_scenario(resources.default_scenario()), None)
    assert js(qtbot, w.map_view, "SitMap.app.packageSpec && SitMap.app.packageSpec.name") == "Korea land test tiles"
    assert basemap_menu.command_line_choice is None
    # a NAME that names nothing: reported in the window, the built-in basemap shown
    basemap_menu.command_line_choice = "no-such-basemap"
    w2 = MainWindow(settings=QSettings(str(tmp_path / "cli2.ini"), QSettings.Format.IniFormat),
                    data_dir=tmp_path / "data2")
    w2.maybe_keep_changes = lambda: True
    qtbot.addWidget(w2)
    assert w2.basemap_menu.errors and "no-such-basemap" in w2.basemap_menu.errors[0]
    assert REGISTRY.chosen() is None
    w.close()
    w2.close()
