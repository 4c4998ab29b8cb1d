"""One running SitMap: a later start hands its file to the running one over a local socket."""

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from PySide6.QtNetwork import QLocalSocket

from viewer.ui.single_instance import (
    InstanceServer,
    decode_request,
    encode_request,
    hand_over,
    lock_name,
    server_name,
    start_or_hand_over,
)

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


def test_start_lock_is_taken_over_from_a_sitmap_that_died(qapp, tmp_path):
    """A SitMap killed while starting leaves its lock file: the next start does not wait on it."""
    name = str(tmp_path / "s.sock")
    code = ("import os, sys; from PySide6.QtCore import QCoreApplication, QLockFile; app = QCoreApplication([]); "
            "lock = QLockFile(sys.argv[1]); assert lock.tryLock(0); os._exit(0)")
    subprocess.run([sys.executable, "-c", code, lock_name(name)], check=True, timeout=60,
                   env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert Path(lock_name(name)).exists()
    server = start_or_hand_over([], name=name, lock_wait_ms=10_000)
    assert server is not None and server.is_listening() and server.start_lock is not None
    server.close()
    assert server.start_lock is None


def two_starts_env(tmp_path: Path) -> dict:
    home = tmp_path / "home"
    runtime = tmp_path / "run"
    for d in (home, runtime):
        d.mkdir()
    runtime.chmod(0o700)
    return {"HOME": str(home), "XDG_RUNTIME_DIR": str(runtime), "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"), "XDG_CACHE_HOME": str(home / ".cache"),
            "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
            "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox --disable-gpu"}


def test_two_starts_at_the_same_moment_make_one_sitmap_that_opens_both_files(tmp_path):
    """Two ``sitmap FILE`` released together, and the first held just after it found no running
    SitMap until the other has either reached the start-up lock or found none too (the old race:
    both listened and both showed a window). Exactly one keeps running, and its window opens both
    files (one at its start, the other handed over); the other start exits at once."""
    from viewer import resources

    maps = []
    for stem in ("alpha", "bravo"):
        maps.append(tmp_path / f"{stem}.sitmap.geojson")
        maps[-1].write_bytes(resources.default_scenario().read_bytes())
    env = two_starts_env(tmp_path)
    lines: queue.Queue = queue.Queue()
    procs = [subprocess.Popen([sys.executable, str(ROOT / "tests" / "ui" / "two_starts_driver.py"), str(m)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                              env=env, cwd=tmp_path, start_new_session=True) for m in maps]

    def read(i: int, p: subprocess.Popen) -> None:
        for line in p.stdout:
            lines.put((i, line.strip()))
        lines.put((i, "<closed>"))

    for i, p in enumerate(procs):
        threading.Thread(target=read, args=(i, p), daemon=True).start()
    seen: dict[int, list[str]] = {0: [], 1: []}

    def wait_for(done, what: str, timeout: float = 120):
        """Read the children's lines until ``done()`` gives something (no sleeping: a blocking read)."""
        deadline = time.monotonic() + timeout
        while not (result := done()):
            try:
                i, line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"timed out: {what}; output so far {seen}") from None
            seen[i].append(line)
        return result

    def say(i: int, text: str) -> None:
        procs[i].stdin.write(text + "\n")
        procs[i].stdin.flush()

    def titles(i: int) -> set[str]:
        return {m.name for m in maps if any(line.startswith("TITLE") and m.name in line for line in seen[i])}

    try:
        wait_for(lambda: all("WAITING" in seen[i] for i in (0, 1)), "both starts ready")
        for i in (0, 1):
            procs[i].stdin.write("go\n")
        for i in (0, 1):
            procs[i].stdin.flush()
        first = wait_for(lambda: next((i + 1 for i in (0, 1) if "CHECKED none" in seen[i]), None),
                         "a start finding no running SitMap") - 1
        other = 1 - first
        wait_for(lambda: "LOCK WAIT" in seen[other] or "CHECKED none" in seen[other] or "CHECKED handed" in seen[other],
                 "the other start reaching the lock or the check")
        say(first, "go on")
        if "CHECKED none" in seen[other]:
            say(other, "go on")  # both found none at once: without the lock both would listen

        wait_for(lambda: (titles(0) and titles(1)) or (any("EXIT 0" in seen[i] for i in (0, 1))
                                                       and any(len(titles(i)) == 2 for i in (0, 1))),
                 "one start handing over and one window with both files")
        assert not (titles(0) and titles(1)), f"two SitMap windows: {seen}"
        assert "EXIT 0" in seen[other] and procs[other].wait(30) == 0
        assert "LOCK WAIT" in seen[other] and "CHECKED handed" in seen[other]
        assert not titles(other)  # the start that handed over never had a window
        assert procs[first].poll() is None  # the first SitMap is still running, both maps opened in turn
        assert titles(first) == {m.name for m in maps}
    finally:
        for p in procs:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait(30)
