"""A guard against a PySide 6.12 bug: some of its conversions (runJavaScript, signals that
carry a null pointer, ...) release references to None, True and False that they never took.
After enough of them the count reaches zero and Python aborts ("none_dealloc"), taking the
analyst's session with it. Every half second this tops the counts back up. The references it
adds are never released, so exiting is safe too."""

from __future__ import annotations

import ctypes
import sys

FLOOR = 1_000_000
STEP = 50_000  # at most this many per turn (about 15 ms), so no turn holds up the window
FIRST = 20_000  # at start-up: enough margin for the first turns, without delaying the first frame
_installed = False


def top_up(step: int = STEP) -> None:
    for obj in (None, True, False):
        missing = FLOOR - sys.getrefcount(obj)
        if missing > 0:
            incref = ctypes.pythonapi.Py_IncRef
            ref = ctypes.py_object(obj)
            for _ in range(min(missing, step)):
                incref(ref)


def install(app) -> None:
    global _installed
    if _installed or app is None:
        return
    from PySide6.QtCore import QTimer

    _installed = True
    top_up(FIRST)
    timer = QTimer(app)
    timer.setInterval(500)
    timer.timeout.connect(top_up)
    timer.start()
    app._sitmap_refcount_timer = timer
