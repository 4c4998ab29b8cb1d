"""Bulk work on many small objects (reading, drawing or sending 100,000 features).

Python's cycle collector runs each time enough new containers have been made: reading a
100,000-feature file makes millions, and the collector then walks every object already alive
again and again (about a third of the whole read). Nothing made in bulk work forms cycles that
must go before it ends, so the collector waits until then.

Bulk work that leaves hundreds of thousands of new objects (a map of some 40,000 features and
more) would have the collector walk all of them again in the moments after it, young, middle-aged
and then in a full collection (0.66 s at 100,000 features, felt as a frozen window right after
the map appears). Those objects are the map; they live until another map replaces it, and
without cycles they go then without the collector. So they are set aside (``gc.freeze``) as the
work ends and later collections ignore them. They are not looked at once more first: that walk
costs 0.1 s at 100,000 points and 0.9 s at 100,000 lines and areas, and all it finds is a few
dozen small objects in cycles (classes made on first use), set aside with the map. Work that
fails is different (an error's traceback holds the work's frames, and their data, in a cycle):
nothing is set aside then, and the collector takes the work's garbage as usual.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

# New objects left by bulk work from which they are set aside from the collector.
SET_ASIDE_FROM = 200_000

_lock = threading.Lock()
_depth = 0  # bulk work under way (nested, or on several threads); the collector waits for all
_was_enabled = False
_failed = False  # some bulk work under way has failed: nothing is set aside


@contextmanager
def collector_paused() -> Iterator[None]:
    global _depth, _was_enabled, _failed
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            _failed = False
            gc.disable()
        _depth += 1
    try:
        yield
    except BaseException:
        _failed = True
        raise
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                if _was_enabled and not _failed and gc.get_count()[0] >= SET_ASIDE_FROM:
                    gc.freeze()  # what the work made is the map
                if _was_enabled:
                    gc.enable()


class Memo(dict):
    """What bulk work worked out once for each of the few keys that come again and again (a large
    map's few styles, kinds of feature and property texts), kept for the next with the same key. A
    dict, emptied whole once it holds ``size`` entries: a file of endlessly varied keys costs the
    work again, never unbounded memory."""

    __slots__ = ("size",)
    NOT_KEPT = object()  # ``memo.get(key, Memo.NOT_KEPT)``: nothing kept for key (where None is a value kept)

    def __init__(self, size: int = 1024) -> None:
        super().__init__()
        self.size = size

    def keep(self, key, value):
        """Keep ``value`` for ``key`` (emptying the memo first when it is full); give ``value``."""
        if len(self) >= self.size:
            self.clear()
        self[key] = value
        return value
