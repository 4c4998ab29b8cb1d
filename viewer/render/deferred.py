"""A module imported when it is first used. numpy and shapely build the basemap's tiles; a start
that serves tiles built before, or only reads the basemap's credit (an export), needs neither, and
importing them costs 0.1 s."""

from __future__ import annotations

import importlib
from typing import Any


class Deferred:
    """Stands for the module ``name``: the first attribute asked for imports it."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)
