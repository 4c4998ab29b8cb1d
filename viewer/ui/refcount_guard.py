"""A guard against a PySide 6.12 bug: some of its conversions (runJavaScript, signals that
carry a null pointer, ...) release references to None, True and False that they never took.
After enough of them the count reaches zero and Python aborts ("none_dealloc"), taking the
analyst's session with it. Every half second this tops the counts back up. The references it
adds are held by lists (a list of n Nones holds n references, taken at C speed, 8 bytes each)
that are themselves never released, not even when Python exits, so exiting is safe too."""

from __future__ import annotations

import ctypes
import sys

FLOOR = 300_000  # references kept above what the bug can release in one turn (0.5 s)
_installed = False


def top_up() -> None:
    for obj in (None, True, False):
        missing = FLOOR - sys.getrefcount(obj)
        if missing > 0:
            held = [obj] * missing
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(held))  # a reference nobody releases


def install(app) -> None:
    global _installed
    if _installed or app is None:
        return
    from PySide6.QtCore import QTimer

    _installed = True
    top_up()
    timer = QTimer(app)
    timer.setInterval(500)
    timer.timeout.connect(top_up)
    timer.start()
    app._sitmap_refcount_timer = timer
