"""One running SitMap per user and display.

The first SitMap window listens on a local socket (QLocalServer, only the user can connect). A
later ``sitmap [FILE]`` (a double-click in the file manager, the launcher icon again) connects,
hands over the file names and exits; the running window comes to the front and opens them.
``sitmap --new-instance`` skips all this and starts a separate window.

Two starts in the same instant (a double-click on two files) must not both become the first: a
lock file next to the socket (QLockFile) is held from "is a SitMap running?" until the first one's
event loop answers requests (:func:`start_or_hand_over`, :meth:`InstanceServer.ready`); the other
start waits for it and then hands its file over. A lock left by a SitMap that died is taken over.

Wire format: one line of UTF-8 JSON ``{"open": ["/absolute/path", ...]}``; the server answers
``ok`` once it has taken the request. Anything else is refused without touching the window.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

MAX_REQUEST_BYTES = 256 * 1024
MAX_FILES = 64
CONNECT_MS = 1000
ANSWER_MS = 5000
LOCK_WAIT_MS = 60_000  # a first start busy building its window on a loaded machine


def server_name(env: dict | None = None) -> str:
    """Socket path for this user on this display with this settings folder (so separate sessions,
    test displays and HOMEs never meet)."""
    env = os.environ if env is None else env
    uid = str(os.getuid()) if hasattr(os, "getuid") else env.get("USERNAME", "")
    key = "\0".join((uid, env.get("WAYLAND_DISPLAY", ""), env.get("DISPLAY", ""), env.get("HOME", ""),
                     env.get("XDG_CONFIG_HOME", "")))
    name = f"sitmap-{hashlib.sha256(key.encode('utf-8', 'surrogateescape')).hexdigest()[:16]}"
    if os.name == "nt":
        return name  # a named pipe
    runtime = env.get("XDG_RUNTIME_DIR")
    folder = Path(runtime) if runtime and Path(runtime).is_dir() else Path(tempfile.gettempdir())
    return str(folder / f"{name}.sock")


def lock_name(name: str) -> str:
    """The start-up lock's file for the socket ``name`` (a named pipe has no folder: the temp folder)."""
    if os.name == "nt" and not os.path.isabs(name):
        return str(Path(tempfile.gettempdir()) / f"{name}.lock")
    return f"{name}.lock"


def start_or_hand_over(paths: list[Path], parent: QObject | None = None, name: str | None = None,
                       lock_wait_ms: int = LOCK_WAIT_MS) -> "InstanceServer | None":
    """Hand ``paths`` to a running SitMap (None: this process can exit), or become the running one:
    the returned server listens, and holds the start-up lock until :meth:`InstanceServer.ready`.

    Without the lock, two starts at once both find no server and both listen (the later takes
    the name), and both show a window. If the lock cannot be had in ``lock_wait_ms`` (a SitMap
    that hangs while starting), this start goes on without it, as before."""
    name = name or server_name()
    lock = QLockFile(lock_name(name))
    lock.setStaleLockTime(0)  # stale only when its process is gone: a slow start is still a start
    locked = lock.tryLock(lock_wait_ms)
    if hand_over(paths, name):
        if locked:
            lock.unlock()
        return None
    server = InstanceServer(parent, name)
    server.listen()
    if locked:
        server.start_lock = lock
    return server


def encode_request(paths: list[Path]) -> bytes:
    return (json.dumps({"open": [str(Path(p).absolute()) for p in paths]}) + "\n").encode("utf-8")


def decode_request(raw: bytes) -> list[Path] | None:
    """The files asked for, or None for anything that is not a well-formed request."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    files = data.get("open") if isinstance(data, dict) else None
    if not isinstance(files, list) or len(files) > MAX_FILES:
        return None
    if not all(isinstance(f, str) and f and "\0" not in f and os.path.isabs(f) for f in files):
        return None
    return [Path(f) for f in files]


def hand_over(paths: list[Path], name: str | None = None) -> bool:
    """Give ``paths`` to a running SitMap. True if it took them (this process can exit)."""
    sock = QLocalSocket()
    sock.connectToServer(name or server_name())
    if not sock.waitForConnected(CONNECT_MS):
        return False
    try:
        sock.write(encode_request(paths))
        if not sock.waitForBytesWritten(ANSWER_MS):
            return False
        answer = b""
        while b"\n" not in answer and sock.waitForReadyRead(ANSWER_MS):
            answer += bytes(sock.readAll())
        return answer.strip() == b"ok"
    finally:
        sock.abort()


class InstanceServer(QObject):
    """Listens for later starts. ``activated`` once per request, then ``fileReceived`` per file."""

    activated = Signal()
    fileReceived = Signal(str)

    def __init__(self, parent: QObject | None = None, name: str | None = None):
        super().__init__(parent)
        self.name = name or server_name()
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}
        self.start_lock: QLockFile | None = None  # held while this SitMap is starting (start_or_hand_over)

    def ready(self) -> None:
        """Call once ``activated``/``fileReceived`` are connected: the start-up lock goes as soon as
        the event loop runs, so a start waiting on it has its hand-over answered at once."""
        if self.start_lock is not None:
            QTimer.singleShot(0, self._release_start_lock)

    def _release_start_lock(self) -> None:
        if self.start_lock is not None:
            self.start_lock.unlock()
            self.start_lock = None

    def listen(self) -> bool:
        """Start listening; a socket left by a SitMap that crashed is replaced, a live one is not.

        Asked first: with UserAccessOption Qt binds in a private folder and renames the socket
        into place, which would silently take the name from a running SitMap. (Two SitMaps
        starting in the same instant are kept apart by start_or_hand_over's lock.)"""
        probe = QLocalSocket()
        probe.connectToServer(self.name)
        alive = probe.waitForConnected(CONNECT_MS)
        probe.abort()
        if alive:
            return False
        QLocalServer.removeServer(self.name)
        return self._server.listen(self.name)

    def is_listening(self) -> bool:
        return self._server.isListening()

    def close(self) -> None:
        self._release_start_lock()
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            self._buffers[sock] = b""
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(lambda s=sock: self._forget(s))
            QTimer.singleShot(ANSWER_MS, lambda s=sock: self._drop(s))  # a client that never finishes
            if sock.bytesAvailable():
                self._read(sock)

    def _forget(self, sock: QLocalSocket) -> None:
        self._buffers.pop(sock, None)
        sock.deleteLater()

    def _drop(self, sock: QLocalSocket) -> None:
        if sock in self._buffers:
            self._buffers.pop(sock, None)
            sock.abort()
            sock.deleteLater()

    def _read(self, sock: QLocalSocket) -> None:
        if sock not in self._buffers:
            return
        data = self._buffers[sock] + bytes(sock.readAll())
        if len(data) > MAX_REQUEST_BYTES:
            self._drop(sock)
            return
        if b"\n" not in data:
            self._buffers[sock] = data
            return
        self._buffers.pop(sock, None)
        files = decode_request(data.split(b"\n", 1)[0])
        if files is None:
            sock.write(b"refused\n")
            sock.disconnectFromServer()
            return
        sock.write(b"ok\n")
        sock.flush()
        sock.disconnectFromServer()
        # Answer first: opening may ask about unsaved work, and the caller must not wait on that.
        QTimer.singleShot(0, lambda: self._deliver(files))

    def _deliver(self, files: list[Path]) -> None:
        self.activated.emit()
        for f in files:
            self.fileReceived.emit(str(f))
