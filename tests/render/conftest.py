"""Helpers the render tests that draw real pages share: pixel counts near a point and a folder
for the pictures they draw (SITMAP_SHOTS=DIR keeps them). Scripts run in a page through
``tests.ui.conftest.js``."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest


def pixels_near(img, x: float, y: float, rgb, radius: float, tol: int = 14) -> int:
    """How many pixels within ``radius`` of (x, y) have the colour ``rgb`` (each channel within ``tol``)."""
    from PySide6.QtGui import QColor

    r = int(math.ceil(radius))
    n = 0
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            if dx * dx + dy * dy > radius * radius:
                continue
            px, py = int(round(x)) + dx, int(round(y)) + dy
            if 0 <= px < img.width() and 0 <= py < img.height():
                c = QColor(img.pixel(px, py))
                n += all(abs(a - b) <= tol for a, b in zip((c.red(), c.green(), c.blue()), rgb))
    return n


@pytest.fixture(scope="module")
def shots_dir():
    d = os.environ.get("SITMAP_SHOTS")
    if d:
        Path(d).mkdir(parents=True, exist_ok=True)
    return Path(d) if d else None
