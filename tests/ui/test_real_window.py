"""One run of the real window on a real X server (Xvfb): the screen must show a map."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_display() -> int:
    d = 80
    while Path(f"/tmp/.X11-unix/X{d}").exists() or Path(f"/tmp/.X{d}-lock").exists():
        d += 1
    return d


def test_real_window_under_xvfb_shows_a_map_not_a_blank_page(tmp_path, qapp):
    from PySide6.QtGui import QColor, QImage

    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is not installed (scripts/setup.sh --test installs it)")
    d = _free_display()
    xvfb = subprocess.Popen(["Xvfb", f":{d}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        env = dict(os.environ, DISPLAY=f":{d}", QT_QPA_PLATFORM="xcb", HOME=str(tmp_path), PYTHONPATH=str(ROOT),
                   XDG_CONFIG_HOME=str(tmp_path / "config"))
        out = tmp_path / "screen.png"
        r = subprocess.run([sys.executable, str(ROOT / "tests" / "ui" / "xvfb_window.py"), str(out)],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=150)
        assert r.returncode == 0, r.stderr[-2000:]
    finally:
        xvfb.terminate()
        xvfb.wait(10)
    img = QImage(str(out))
    assert img.width() == 1280 and img.height() == 800
    # Count the basemap's sea and land colours and the ring's orange on the left (map) part.
    counts = {"sea": 0, "land": 0, "ring": 0}
    for x in range(0, 850, 4):
        for y in range(60, 760, 4):
            c = QColor(img.pixel(x, y))
            r_, g, b = c.red(), c.green(), c.blue()
            if b > r_ + 15 and b > 200 and g > 200:
                counts["sea"] += 1
            elif r_ > 230 and g > 225 and b > 210 and r_ >= b:
                counts["land"] += 1
            elif r_ > 180 and 60 < g < 140 and b < 80:
                counts["ring"] += 1
    total = (850 // 4) * (700 // 4)
    assert counts["sea"] > total * 0.1, counts
    assert counts["land"] > total * 0.05, counts
    assert counts["ring"] > 30, counts
