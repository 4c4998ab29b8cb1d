"""Online layers in View → Basemap: the known providers with attribution and terms, off until
chosen; once chosen only that provider's host is reached (a tile server on this machine stands
in for it), tiles seen are kept in a bounded cache and shown again with the network gone."""

from __future__ import annotations

import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PySide6.QtCore import QSettings

from tests.package_fixtures import png_bytes
from tests.ui.conftest import READY_MS, js

import numpy as np


def _tile(rgb) -> bytes:
    return png_bytes(np.tile(np.array(rgb, dtype=np.uint8), (256, 256, 1)))


class _TileServer:
    def __init__(self, host: str, rgb):
        body = _tile(rgb)
        self.paths: list[str] = []
        self.agents: set[str] = set()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                outer.paths.append(self.path)
                outer.agents.add(self.headers.get("User-Agent", ""))
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture()
def servers():
    a = _TileServer("127.0.0.1", (200, 30, 160))
    try:
        b = _TileServer("127.0.0.2", (20, 180, 60))
    except OSError:
        a.stop()
        pytest.skip("127.0.0.2 is not a loopback address here")
    yield a, b
    for s in (a, b):
        try:
            s.stop()
        except OSError:
            pass


def test_the_picker_lists_the_known_providers_off_until_chosen(window, qtbot):
    menu = window.basemap_menu
    menu.menu.aboutToShow.emit()
    actions = {a.text(): a for a in menu.menu.actions()}
    for name, host in (("OpenStreetMap (online)", "openstreetmap.org"), ("Esri World Imagery (online)", "arcgisonline.com"),
                       ("OpenTopoMap (online)", "opentopomap.org")):
        a = actions[name]
        assert not a.isChecked()
        tip = html.unescape(a.toolTip())
        assert host in tip and "Attribution: " in tip and "Terms of use: https://" in tip, tip
    assert "OpenStreetMap contributors" in html.unescape(actions["OpenStreetMap (online)"].toolTip())
    assert actions["&Built-in (offline)"].isChecked()
    guard = window.map_view.network_guard
    assert guard.allowed_hosts == set()
    # since this window's page started (the log is the app's, shared with earlier tests' pages)
    page = window.map_view.url().toString()
    start = max(i for i, u in enumerate(guard.requests) if u == page)
    assert not [u for u in guard.requests[start:] if u.startswith(("http:", "https:"))]


def test_a_chosen_online_layer_reaches_only_its_host_and_is_cached_for_offline_use(qtbot, tmp_path, servers, monkeypatch):
    from viewer import resources
    from viewer.model.scenario import load_scenario
    from viewer.render import page
    from viewer.render.tile_cache import TileCache
    from viewer.ui.basemap_menu import KEY_CHOSEN
    from viewer.ui.main_window import MainWindow

    a, b = servers
    specs = [{"name": "Local A (online)", "url": f"http://127.0.0.1:{a.port}/{{z}}/{{x}}/{{y}}.png",
              "attribution": "Tiles A", "maxZoom": 18, "terms": "https://example.invalid/a-terms"},
             {"name": "Local B (online)", "url": f"http://127.0.0.2:{b.port}/{{z}}/{{x}}/{{y}}.png",
              "attribution": "Tiles B", "maxZoom": 18, "terms": "https://example.invalid/b-terms"}]
    monkeypatch.setattr(page, "online_layer_specs", lambda: [dict(s) for s in specs])
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    w = MainWindow(settings=settings, data_dir=tmp_path / "data")
    w.maybe_keep_changes = lambda: True
    qtbot.addWidget(w)
    w.resize(900, 650)
    w.show()
    view = w.map_view
    log_start = len(view.network_guard.requests)  # the app's log: earlier tests' requests are in it too
    view.scheme_handler.online.set_cache(TileCache(tmp_path / "tiles", max_bytes=64 * 1024 * 1024))
    with qtbot.waitSignal(view.mapReady, timeout=READY_MS):
        w.set_scenario(load_scenario(resources.default_scenario()), None)
    assert view.network_guard.allowed_hosts == set() and not a.paths and not b.paths  # off until chosen

    w.basemap_menu.choose_online("Local A (online)")
    qtbot.waitUntil(lambda: len(a.paths) >= 4, timeout=20_000)
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.basemapBusy()") is False, timeout=20_000)
    assert view.network_guard.allowed_hosts == {"127.0.0.1"}
    assert b.paths == []
    remote = [u for u in view.network_guard.requests[log_start:] if u.startswith(("http:", "https:"))]
    assert remote and all(u.startswith(f"http://127.0.0.1:{a.port}/") for u in remote)
    assert all(agent.startswith("SitMap/") for agent in a.agents)
    assert str(settings.value(KEY_CHOSEN, "")) == ""  # an online choice is not remembered: runs start offline
    seen = set(a.paths)
    qtbot.waitUntil(lambda: view.scheme_handler.online.cache.total_bytes > 0, timeout=10_000)

    # the briefing shows what the screen shows, and credits it
    from viewer.export import briefing as br
    from viewer.ui.capture import close_view, open_briefing, wait_for_briefing_frame

    bview = open_briefing(w.scenario, br.ExportSize.pixels(960, 540), br.BriefingOptions(), timeout_ms=READY_MS)
    try:
        shot = wait_for_briefing_frame(bview)
        credits = js(qtbot, bview, "document.querySelector('.sitmap-briefing-credits').textContent")
    finally:
        close_view(bview)
    assert credits.startswith("Basemap: Local A (online) (Tiles A)"), credits
    magenta = sum(1 for y in range(0, shot.height(), 4) for x in range(0, shot.width(), 4)
                  if all(abs(((shot.pixel(x, y) >> s) & 255) - v) <= 8 for s, v in zip((16, 8, 0), (200, 30, 160))))
    assert magenta > 0.2 * (shot.width() // 4) * (shot.height() // 4), magenta
    assert b.paths == []

    # back to the built-in basemap: the host is closed again
    w.basemap_menu.choose("")
    qtbot.waitUntil(lambda: view.network_guard.allowed_hosts == set(), timeout=10_000)

    # the network is gone; later (a new page) the same view still shows the tiles seen before,
    # from the cache
    a.stop()
    with qtbot.waitSignal(view.mapReady, timeout=READY_MS):
        w.set_scenario(load_scenario(resources.default_scenario()), None)
    before = view.scheme_handler.online.served_from_cache
    w.basemap_menu.choose_online("Local A (online)")
    qtbot.waitUntil(lambda: view.scheme_handler.online.served_from_cache >= before + len(seen) // 2, timeout=20_000)
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.basemapBusy()") is False, timeout=20_000)
    js(qtbot, view, "Object.keys(SitMap.app.groups).forEach(function (g) { SitMap.app.setGroupVisible(g, false); }); true")
    from viewer.ui.capture import wait_for_frame

    def centre_is_the_tiles() -> bool:  # (a tile just come fades in: its colour settles in a few frames)
        img = wait_for_frame(view)
        c = img.pixel(img.width() // 2, img.height() // 2)
        return all(abs(((c >> s) & 255) - v) <= 6 for s, v in zip((16, 8, 0), (200, 30, 160)))

    qtbot.waitUntil(centre_is_the_tiles, timeout=5000)
    w.close()
