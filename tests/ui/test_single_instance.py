"""One running SitMap: a later start hands its file to the running one over a local socket."""

import socket
import subprocess
import sys
from pathlib import Path

from PySide6.QtNetwork import QLocalSocket

from viewer.ui.single_instance import InstanceServer, decode_request, encode_request, hand_over, server_name

ROOT = Path(__file__).resolve().parents[2]


def test_socket_name_differs_per_display_and_home_and_lives_in_the_runtime_folder(tmp_path):
    base = {"DISPLAY": ":0", "HOME": "/home/a", "XDG_RUNTIME_DIR": str(tmp_path)}
    name = server_name(base)
    assert Path(name).parent == tmp_path
    assert name == server_name(dict(base))
    assert name != server_name(dict(base, DISPLAY=":1"))
    assert name != server_name(dict(base, HOME="/home/b"))


def test_requests_other_than_a_list_of_absolute_paths_are_refused():
    assert decode_request(encode_request([Path("/m/a.sitmap.geojson")])) == [Path("/m/a.sitmap.geojson")]
    assert decode_request(encode_request([])) == []
    for bad in (b"", b"\xff", b"[]", b'{"open": "x"}', b'{"open": ["relative.geojson"]}', b'{"open": [1]}',
                b'{"open": ["/a\\u0000b"]}', b'{"open": ' + b'["/a"],' * 0 + b"[" + b'"/a",' * 64 + b'"/a"]}'):
        assert decode_request(bad) is None, bad


def test_second_start_hands_its_file_to_the_running_one_and_exits(qtbot, tmp_path):
    server = InstanceServer(name=str(tmp_path / "s.sock"))
    assert server.listen()
    activated, received = [], []
    server.activated.connect(lambda: activated.append(True))
    server.fileReceived.connect(received.append)
    code = ("import sys; from pathlib import Path; from PySide6.QtCore import QCoreApplication; "
            "app = QCoreApplication([]); from viewer.ui.single_instance import hand_over; "
            "sys.exit(0 if hand_over([Path('x.sitmap.geojson')], sys.argv[1]) else 5)")
    with qtbot.waitSignal(server.fileReceived, timeout=20_000):
        client = subprocess.Popen([sys.executable, "-c", code, server.name], cwd=tmp_path,
                                  env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert client.wait(20) == 0
    assert activated == [True]
    assert received == [str(tmp_path / "x.sitmap.geojson")]  # made absolute in the caller's folder
    server.close()


def test_a_malformed_request_is_answered_refused_and_opens_nothing(qtbot, tmp_path):
    server = InstanceServer(name=str(tmp_path / "s.sock"))
    assert server.listen()
    received = []
    server.fileReceived.connect(received.append)
    sock = QLocalSocket()
    sock.connectToServer(server.name)
    assert sock.waitForConnected(2000)
    with qtbot.waitSignal(sock.readyRead, timeout=5000):
        sock.write(b'{"open": ["not/absolute"]}\n')
    assert bytes(sock.readAll()) == b"refused\n"
    qtbot.waitUntil(lambda: sock.state() == QLocalSocket.LocalSocketState.UnconnectedState, timeout=5000)
    assert received == []
    server.close()


def test_no_running_sitmap_means_no_hand_over(qapp, tmp_path):
    assert hand_over([], str(tmp_path / "none.sock")) is False


def test_a_live_server_is_kept_and_a_stale_socket_from_a_crash_is_replaced(qapp, tmp_path):
    name = str(tmp_path / "s.sock")
    first = InstanceServer(name=name)
    assert first.listen()
    assert InstanceServer(name=name).listen() is False
    first.close()
    stale = socket.socket(socket.AF_UNIX)  # a socket file nobody listens on, as a killed SitMap leaves
    stale.bind(name)
    stale.close()
    assert Path(name).exists()
    again = InstanceServer(name=name)
    assert again.listen()
    again.close()
