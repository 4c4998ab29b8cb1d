"""The guard against PySide's released-but-never-taken references to None, True and False keeps
each of their counts at its floor, however many were lost since the last turn."""

from __future__ import annotations

import ctypes
import sys

from viewer.ui import refcount_guard


def test_counts_lost_since_the_last_turn_are_made_up_at_once():
    refcount_guard.top_up()
    for obj in (None, True, False):
        assert sys.getrefcount(obj) >= refcount_guard.FLOOR - 2  # (less the references this check holds)
    # as many as the bug could release between two turns, and more; and enough to go below the
    # floor however many references the tests before this one left to None
    lost = max(120_000, sys.getrefcount(None) - refcount_guard.FLOOR + 10_000)
    ref = ctypes.py_object(None)
    for _ in range(lost):
        ctypes.pythonapi.Py_DecRef(ref)
    assert sys.getrefcount(None) < refcount_guard.FLOOR
    refcount_guard.top_up()
    for obj in (None, True, False):
        assert sys.getrefcount(obj) >= refcount_guard.FLOOR - 2  # (less the references this check holds)
