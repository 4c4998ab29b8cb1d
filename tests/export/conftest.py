import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from viewer.ui.web import register_scheme

# The sitmap: scheme must be known before the QApplication exists (pytest-qt makes it later).
register_scheme()

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args, timeout=240):
    import os

    env = dict(os.environ)
    env.pop("DISPLAY", None)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env=env)


def colour_near(img, x, y, rgb, radius=3, tol=40):
    """Is a pixel within ``radius`` of (x, y) within ``tol`` of ``rgb`` in every channel?"""
    from PySide6.QtGui import QColor

    for dx in range(-radius, radius + 1):
        for dy in range(-radius, radius + 1):
            px, py = int(round(x)) + dx, int(round(y)) + dy
            if 0 <= px < img.width() and 0 <= py < img.height():
                c = QColor(img.pixel(px, py))
                if all(abs(a - b) <= tol for a, b in zip((c.red(), c.green(), c.blue()), rgb)):
                    return True
    return False


def ink(img, rect, background=(255, 255, 255), tol=60):
    """Share of pixels in rect (x, y, w, h) that differ from the background."""
    from PySide6.QtGui import QColor

    x0, y0, w, h = (int(v) for v in rect)
    n = hit = 0
    for y in range(y0, y0 + h, 2):
        for x in range(x0, x0 + w, 2):
            c = QColor(img.pixel(x, y))
            n += 1
            if any(abs(a - b) > tol for a, b in zip((c.red(), c.green(), c.blue()), background)):
                hit += 1
    return hit / max(1, n)


@pytest.fixture(scope="session")
def chromium():
    exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if exe is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    return exe
