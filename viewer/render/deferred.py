"""numpy or shapely, imported when first used. They build the basemap's tiles; a start that serves
tiles built before, or only reads the basemap's credit (an export), needs neither, and importing
them costs 0.1 s. The first import goes through :func:`viewer.model.numeric.load` (one thread at a
time)."""

from __future__ import annotations

import importlib
from typing import Any

from viewer.model import numeric


class Deferred:
    """Stands for the module ``name`` (numpy or shapely): the first attribute asked for imports it."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        numeric.load()
        return getattr(importlib.import_module(self._name), attr)
