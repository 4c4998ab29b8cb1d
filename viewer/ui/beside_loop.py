"""Pure work (reading a large file) on a thread while this thread's event loop keeps going.

The web engine's browser side runs on the GUI thread: while Python reads a 100,000-feature
file there, the engine can neither start its processes nor load the page it was asked for.
Run beside the loop, the read and the engine's start-up overlap. User input waits (it is not
delivered until the work is done), so nothing the user does can run in the middle of it.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal

T = TypeVar("T")

WORTH_A_THREAD = 2_000_000  # bytes: smaller files are read faster than a thread starts
SWITCH_S = 0.001  # the interpreter's switch interval while the loop runs beside the work


def run_beside_loop(work: Callable[[], T]) -> T:
    """``work()``'s result (or its exception, raised here), computed on a worker thread while
    the event loop runs everything but user input."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = work()
        except BaseException as e:  # handed to the caller, raised on its thread
            box["error"] = e

    done = _Done()
    loop = QEventLoop()
    done.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    worker = threading.Thread(target=lambda: (run(), done.finished.emit()), name="sitmap-read", daemon=True)
    # The loop waits in Qt (holding no Python lock) until the worker says it is done. Each event
    # it hands to Python (the window's and the web view's event filters see many while the web
    # engine starts) waits for the worker to let go of the interpreter: at most a millisecond,
    # not the default five, or the engine's start-up would crawl beside the read.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_S)
    try:
        worker.start()
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        worker.join()
    finally:
        sys.setswitchinterval(interval)
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


class _Done(QObject):
    finished = Signal()
