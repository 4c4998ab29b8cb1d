"""Start-up benchmark: process start -> map ready, SitMap vs a bare QtWebEngine page.

SitMap's "ready" is its mapReady signal (every layer and the basemap drawn), reached by
the app's own start-up path (viewer.app.open_first_scenario); the window's frame is up by then,
its panels and menus are built once the map is (MainWindow's ``staged``): "complete" is the
window with every panel there and filled. The first, untimed run of
each fills the disk cache and SitMap's page cache, so the timed runs are warm starts;
a cold start empties SitMap's caches before its run. The bare
page is one Leaflet map with no layers, loaded from the same local Leaflet package in
a plain QWebEngineView; its "ready" is Leaflet's whenReady. Both run offscreen in a
fresh process each time; the parent times from spawn to the child's READY line.

    .venv/bin/python benchmarks/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from report import TREE_HWM, Targets, machine, med  # noqa: E402

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

SITMAP = (r'''
import os, sys, time, json
sys.path.insert(0, %r)
from viewer.app import make_application, prepare_qt_environment
prepare_qt_environment(headless=True)
app = make_application(sys.argv)
from PySide6.QtCore import QSettings
from viewer.app import make_window, open_first_scenario
print("IMPORTS", flush=True)
''' + TREE_HWM + r'''
w, first = make_window(None, settings=QSettings(%r, QSettings.Format.IniFormat))
done = {"ready": False, "complete": False, "range": False, "history": False}
made = w.install_history  # the History tab is added once the map is up (viewer.app.make_window)
def install_history(*args, **kwargs):
    panel = made(*args, **kwargs)
    done["history"] = True
    check()
    return panel
w.install_history = install_history
def finish(timing):
    print("PAGE " + (timing or "{}"), flush=True)
    print("MEM %%d" %% tree_hwm_kb(), flush=True)
    # (a session that goes on a while, as a user's does: what the app keeps for its next start is
    # kept, its first tiles' pictures among them)
    from PySide6.QtCore import QTimer
    QTimer.singleShot(int(1000 * float(os.environ.get("SITMAP_BENCH_LINGER", "0"))), app.quit)
# From the map up to the window complete: the longest the window's thread went without a turn of
# its event loop (a timer asked for every 2 ms), when the map's frames and the user's input wait.
from PySide6.QtCore import QTimer
held = {"last": 0.0, "most": 0.0}
def tick():
    now = time.perf_counter()
    held["most"] = max(held["most"], now - held["last"])
    held["last"] = now
ticker = QTimer()
ticker.timeout.connect(tick)
def check(*_):
    # READY: the map with every layer drawn. COMPLETE: that, and every side panel there and filled.
    if w.map_view.is_ready and not done["ready"]:
        done["ready"] = True
        print("READY", flush=True)
        held["last"] = time.perf_counter()
        ticker.start(2)
    if w.map_view.is_ready and w.scenario is not None and done["range"] and done["history"] and not done["complete"]:
        done["complete"] = True
        tick()
        ticker.stop()
        print("COMPLETE", flush=True)
        print("HELD %%.1f" %% (1000 * held["most"]), flush=True)
        w.map_view.run_js("JSON.stringify(SitMap.app.timing || {})", finish)
def ranged():
    done["range"] = True
    check()
w.map_view.mapReady.connect(check)
w.scenarioLoaded.connect(check)
def follow_range():  # (the side tabs come once the map is up; its places may be listed by then)
    w.range_panel.computed.connect(ranged)
    if w.range_panel.listed:
        ranged()
w.when_built(follow_range)
w.show()
print("WINDOW", flush=True)
open_first_scenario(w, None, first)  # the same start-up path as the app (page cache included)
print("OPENED", flush=True)
app.exec()
''') % (str(ROOT), "/tmp/sitmap-bench-settings.ini")

BARE_MEM = BARE.replace('''        print("READY", flush=True)
        app.quit()''', '''        print("READY", flush=True)
        print("MEM %d" % tree_hwm_kb(), flush=True)
        app.quit()''').replace("import tempfile\n", "import tempfile, os\n" + TREE_HWM)


def time_once(code: str, until: str = "READY", linger: float = 0.0) -> float:
    """Seconds from spawn to the child's READY line; every mark and data line it printed is
    kept in ``time_once.last`` (mark -> seconds; PAGE -> the page's own clock; MEM -> KiB).
    ``linger``: seconds SitMap's child stays once its window is complete (a session)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SITMAP_BENCH_LINGER=str(linger))
    flags = env.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if "--no-sandbox" not in flags:
        env["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox").strip()
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True, env=env, cwd=ROOT)
    marks: dict = {}
    stuck = threading.Timer(60, p.kill)  # (a child that never ends its output: its line loop ends)
    stuck.start()
    try:
        for line in p.stdout:
            line = line.strip()
            key, _, rest = line.partition(" ")
            if key == "PAGE":
                marks["PAGE"] = json.loads(rest or "{}")
            elif key == "MEM":
                marks["MEM"] = int(rest)
            elif key == "HELD":
                marks["HELD"] = float(rest)
            else:
                marks.setdefault(line, time.perf_counter() - t0)
        p.wait(60)
    finally:
        stuck.cancel()
        if p.poll() is None:
            p.kill()
    if "READY" not in marks:
        raise RuntimeError("child never reported READY")
    time_once.last = marks
    return marks["READY"]


# A warm start follows a session of a few seconds (the app keeps its first tiles' pictures for
# the next start two seconds after its map is up: viewer/ui/map_view.py, PICTURES_AFTER_MS).
SESSION_S = 4.0


def clear_caches() -> None:
    """A first start after install: SitMap's whole cache folder (pages, built basemap tiles,
    the gazetteer's index) gone."""
    import shutil

    home = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    shutil.rmtree(home / "SitMap" / "SitMap", ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    print(f"machine: {machine()}")
    bare, warm, cold, complete, mem_bare, mem_sitmap = [], [], [], [], [], []
    split_warm: list[dict] = []
    split_cold: list[dict] = []
    time_once(BARE_MEM)  # warm the disk cache for both
    time_once(SITMAP, linger=SESSION_S)
    for _ in range(args.runs):  # interleaved, so drift and other people's load hit all alike
        bare.append(time_once(BARE_MEM))
        mem_bare.append(time_once.last.get("MEM", 0) / 1024)
        warm.append(time_once(SITMAP))
        complete.append(time_once.last.get("COMPLETE", float("nan")))
        mem_sitmap.append(time_once.last.get("MEM", 0) / 1024)
        split_warm.append(time_once.last)
        clear_caches()
        cold.append(time_once(SITMAP, linger=SESSION_S))  # (the next warm start's session before it)
        split_cold.append(time_once.last)
    print(f"machine after: {machine()}")
    mb = med(bare)
    runs = lambda xs: ", ".join(f"{x:.2f}" for x in xs)  # noqa: E731
    print(f"bare QtWebEngine + Leaflet page: median {mb:.3f} s  (runs: {runs(bare)})")
    print(f"SitMap warm start:  median {med(warm):.3f} s  (runs: {runs(warm)})")
    print(f"SitMap cold start (empty caches): median {med(cold):.3f} s  (runs: {runs(cold)})")
    print(f"SitMap window complete (map, facts, places in range, history tab): median {med(complete):.3f} s  (runs: {runs(complete)})")
    held = [s.get("HELD", float("nan")) for s in split_warm]
    print(f"  meanwhile (map up to window complete) the window's thread held at most: median {med(held):.0f} ms "
          f"(runs: {', '.join(f'{x:.0f}' for x in held)}; the map's frames and input wait that long)")
    for name, split in (("warm", split_warm), ("cold", split_cold)):
        page = [s.get("PAGE", {}) for s in split]
        print(f"where a {name} start's time goes (medians, s from spawn): imports {med(s.get('IMPORTS', float('nan')) for s in split):.2f}, "
              f"window's frame built {med(s.get('WINDOW', float('nan')) for s in split):.2f}, "
              f"scenario read + page built/sent {med(s.get('OPENED', float('nan')) for s in split):.2f}, "
              f"map ready {med(s.get('READY', float('nan')) for s in split):.2f}; page clock (ms after navigation): "
              f"scripts run {med(p.get('script', float('nan')) for p in page):.0f}, "
              f"drawing {med(p.get('init', float('nan')) for p in page):.0f}-{med(p.get('drawn', float('nan')) for p in page):.0f}, "
              f"channel to Python {med(p.get('channel', float('nan')) for p in page):.0f}, "
              f"basemap drawn {med(p.get('basemap', float('nan')) for p in page):.0f}, "
              f"on screen {med(p.get('ready', float('nan')) for p in page):.0f}")
    t = Targets("Start-up")
    t.check("warm start to map ready", med(warm), mb, 1.5, ref_name="bare page")
    t.check("cold start (empty caches)", med(cold), mb, 2.0, ref_name="bare page")
    t.check("window with every panel filled", med(complete), med(warm), 1.7, ref_name="warm start")
    t.check("built-in scenario, peak memory of all processes", med(mem_sitmap), med(mem_bare), 1.3, unit="MB",
            ref_name="bare page")
    print()
    print(t.markdown())


if __name__ == "__main__":
    main()
