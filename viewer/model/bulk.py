"""Bulk work on many small objects (reading, drawing or sending 100,000 features).

Python's cycle collector runs each time enough new containers have been made: reading a
100,000-feature file makes millions, and the collector then walks every object already alive
again and again (about a third of the whole read). Nothing made in bulk work forms cycles that
must go before it ends, so the collector waits until then and runs once afterwards if due.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

_lock = threading.Lock()
_depth = 0  # bulk work under way (nested, or on several threads); the collector waits for all
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
