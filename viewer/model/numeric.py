"""numpy and shapely, first imported under one lock.

SitMap imports them late, on whichever thread first needs them: the window's worker threads (places
in range, a large file read beside the window, the recovery file's base) as well as the main thread.
Importing numpy on two threads at once can race: its package set-up is not safe against a second
importer (numpy issue 21223, CPython issue 91238), and a crash is the worst of it. Every place in
SitMap that imports numpy or shapely calls :func:`load` first; once both are in, it costs a lookup.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_loaded = False


def load() -> None:
    """Import numpy and shapely if they are not in yet, one thread at a time."""
    global _loaded
    if _loaded:
        return
    with _lock:
        if not _loaded:
            import numpy  # noqa: F401
            import shapely  # noqa: F401

            _loaded = True


def loaded() -> bool:
    """Whether numpy and shapely are in already (then using them costs nothing more)."""
    return _loaded


def deepest(steps) -> int:
    """How deep brackets nest, from each one's step (a numpy array: +1 opening, -1 closing, 0
    neither), in order: the greatest running sum (0 for none). Call :func:`load` first."""
    import numpy as np

    return int(np.cumsum(steps, dtype=np.int32).max()) if len(steps) else 0
