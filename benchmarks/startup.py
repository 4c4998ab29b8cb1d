"""Start-up benchmark: process start -> map ready, SitMap vs a bare QtWebEngine page.

SitMap's "ready" is its mapReady signal (every layer and the basemap drawn), reached by
the app's own start-up path (viewer.app.open_first_scenario). The first, untimed run of
each fills the disk cache and SitMap's page cache, so the timed runs are warm starts;
--cold empties the page cache before every SitMap run. The bare
page is one Leaflet map with no layers, loaded from the same local Leaflet package in
a plain QWebEngineView; its "ready" is Leaflet's whenReady. Both run offscreen in a
fresh process each time; the parent times from spawn to the child's READY line.

    .venv/bin/python benchmarks/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = r'''
import sys
from pathlib import Path
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication
from PySide6.QtWebEngineWidgets import QWebEngineView
import tempfile
import xstatic.pkg.leaflet as leaflet
base = Path(leaflet.BASE_DIR).as_uri()
html = """<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="BASE/leaflet.css"><script src="BASE/leaflet.js"></script>
<style>html,body,#m{height:100%;margin:0}</style></head><body><div id="m"></div>
<script>var m=L.map('m').setView([39,127],5);m.whenReady(function(){
requestAnimationFrame(function(){requestAnimationFrame(function(){document.title='ready';});});});</script>
</body></html>""".replace("BASE", base)
page = Path(tempfile.mkdtemp()) / "bare.html"
page.write_text(html)
app = QApplication(sys.argv)
v = QWebEngineView()
v.resize(1300, 850)
def title(t):
    if t == "ready":
        print("READY", flush=True)
        app.quit()
v.titleChanged.connect(title)
v.load(QUrl.fromLocalFile(str(page)))
v.show()
app.exec()
'''

SITMAP = r'''
import sys
sys.path.insert(0, %r)
from viewer.app import make_application, prepare_qt_environment
prepare_qt_environment(headless=True)
app = make_application(sys.argv)
from PySide6.QtCore import QSettings
from viewer.app import open_first_scenario
from viewer.ui.main_window import MainWindow
w = MainWindow(settings=QSettings(%r, QSettings.Format.IniFormat))
def check(*_):
    # READY: the map with every layer drawn. COMPLETE: that, and the side panels filled too.
    if w.map_view.is_ready and not getattr(w, "_bench_ready", False):
        w._bench_ready = True
        print("READY", flush=True)
    if w.map_view.is_ready and w.scenario is not None:
        print("COMPLETE", flush=True)
        app.quit()
w.map_view.mapReady.connect(check)
w.scenarioLoaded.connect(check)
w.show()
open_first_scenario(w, None)  # the same start-up path as the app (page cache included)
app.exec()
''' % (str(ROOT), "/tmp/sitmap-bench-settings.ini")


def time_once(code: str, until: str = "READY") -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    flags = env.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if "--no-sandbox" not in flags:
        env["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox").strip()
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True, env=env, cwd=ROOT)
    marks = {}
    for line in p.stdout:
        marks.setdefault(line.strip(), time.perf_counter() - t0)
        if line.strip() in ("COMPLETE",) or (line.strip() == "READY" and until == "READY" and "COMPLETE" not in code):
            break
    p.wait(60)
    if "READY" not in marks:
        raise RuntimeError("child never reported READY")
    time_once.last = marks
    return marks["READY"]


def clear_page_cache() -> None:
    import shutil

    home = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    shutil.rmtree(home / "SitMap" / "SitMap" / "pages", ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--cold", action="store_true", help="no page cache: SitMap builds its page every time")
    args = ap.parse_args()
    bare, sitmap, complete = [], [], []
    time_once(BARE)  # warm the disk cache for both
    time_once(SITMAP)
    for _ in range(args.runs):  # interleaved, so drift hits both alike
        bare.append(time_once(BARE))
        if args.cold:
            clear_page_cache()
        sitmap.append(time_once(SITMAP))
        complete.append(time_once.last.get("COMPLETE", float("nan")))
    mb, ms = statistics.median(bare), statistics.median(sitmap)
    print(f"bare QtWebEngine + Leaflet page: median {mb:.3f} s  (runs: {', '.join(f'{x:.2f}' for x in bare)})")
    print(f"SitMap to map ready{' (cold)' if args.cold else ''}:     median {ms:.3f} s  (runs: {', '.join(f'{x:.2f}' for x in sitmap)})")
    mc = statistics.median(complete)
    print(f"SitMap window complete (map + facts panel): median {mc:.3f} s  (ratio {mc / mb:.2f}x)")
    print(f"ratio SitMap / bare: {ms / mb:.2f}x  (target <= 2.0x)")


if __name__ == "__main__":
    main()
