"""Work on a background thread that leaves the window's thread the interpreter.

Python runs one thread at a time. A thread that wants the interpreter while another holds it
waits up to the switch interval (5 ms) before it is handed over, and the window's thread wants it
for every event that reaches Python code (a slot, an event filter, a page's answer), often several
times for one. With a background thread busy in Python (writing a large map's recovery base,
finding the places in range), a call into the page answered 84-114 ms later in the moments after a
100,000-point map appeared (10-17 ms with neither thread running; 30-72 ms with both resting).

Background work calls :func:`rest` often (every few hundred items); once it has held the
interpreter for ``WORK_S`` it sleeps ``REST_S``, and the window's thread, if it is waiting, runs
meanwhile. On the main thread :func:`rest` does nothing: the same code run there (a change that
needs the recovery base at once) is not slowed.
"""

from __future__ import annotations

import threading
import time

WORK_S = 0.001
REST_S = 0.0005

_here = threading.local()


def rest() -> None:
    """A pause for the window's thread, if this background thread has run ``WORK_S`` since its last."""
    now = time.perf_counter()
    last = getattr(_here, "last", None)
    if last is None:
        _here.background = threading.current_thread() is not threading.main_thread()
    elif not _here.background or now - last < WORK_S:
        return
    else:
        time.sleep(REST_S)
        now = time.perf_counter()
    _here.last = now
