"""A dead network while an online layer is on: the page gives up on tiles quickly, says so,
and the window keeps answering. The "network" is a server on this machine that accepts
connections and never answers (packets silently dropped), or a closed port (refused)."""

import socket
import threading

import pytest

from tests.ui.conftest import READY_MS, js
from viewer import resources
from viewer.model.scenario import load_scenario
from viewer.render.page import PageOptions


@pytest.fixture()
def silent_server():
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    held = []
    stop = threading.Event()

    def accept():
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
                held.append(conn)  # read nothing, answer nothing
            except OSError:
                continue

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield srv.getsockname()[1]
    stop.set()
    t.join(2)
    for c in held:
        c.close()
    srv.close()


@pytest.mark.parametrize("kind", ["silent", "refused"])
def test_dead_online_layer_is_given_up_and_reported_while_the_window_answers(qtbot, silent_server, kind):
    from viewer.ui.map_view import MapView

    port = silent_server if kind == "silent" else 9
    view = MapView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    spec = {"name": "Dead tiles", "url": f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png", "attribution": "t",
            "maxZoom": 10}
    with qtbot.waitSignal(view.mapReady, timeout=READY_MS):
        view.show_scenario(load_scenario(resources.default_scenario()), opts=PageOptions(online_specs=[spec]))
    view.run_js("SitMap.app.onlineTileTimeoutMs = 1500")
    with qtbot.waitSignal(view.bridge.onlineTileError, timeout=15_000):
        view.run_js("SitMap.app.map.addLayer(SitMap.app.online['Dead tiles'].holder)")
        # while tiles hang, the page and the window still answer
        assert js(qtbot, view, "SitMap.app.map.getZoom() >= 0") is True
