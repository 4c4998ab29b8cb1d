"""The page alone with many point annotations (1,000,000 by default): how long the page takes from
its load to mapReady, where its time goes, the frames of a pan beyond the drawn margin and of a
zoom step, the hit test under the pointer, and the peak memory of the web processes.

The points do not come from a file (reading and drawing a million features in Python takes longer
than the page: benchmarks/annotations.py measures the whole): the window shows the built-in
scenario with the points' batch made directly as viewer/render/page.py's features_batch makes it
(columns of plain markers), spread as tools/big_projects.py spreads them.

    .venv/bin/python benchmarks/point_layer_page.py [--points 1000000] [--limit 300]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from report import RUN_FRAMES, TREE_HWM, Targets, machine, stop_child, timed_frames_js  # noqa: E402

CHILD = r'''
import json, os, sys, time
sys.path.insert(0, %(root)r)
from viewer.app import make_application, prepare_qt_environment
prepare_qt_environment(headless=True)
app = make_application(sys.argv)
from PySide6.QtCore import QSettings, QTimer
''' + TREE_HWM + RUN_FRAMES + r'''
import viewer.app as app_mod
import viewer.render.page as page_mod
from pathlib import Path
from viewer.render.page_cache import PageCache
app_mod.page_cache = lambda: PageCache(Path(%(data)r) / "pages")
sys.path.insert(0, %(bench)r)
from point_layer_page import points_batch

w, first = app_mod.make_window(None, settings=QSettings(%(ini)r, QSettings.Format.IniFormat), data_dir=%(data)r)
w.maybe_keep_changes = lambda: True
w.resize(1300, 850)
w.show()
report = {}
state = {"phase": "first"}

def on_loaded(_s):  # the start-up's map, up and its panels filled (a staged window's once it is whole)
    if state["phase"] == "first":
        state["phase"] = "big"
        first_ready()

def on_ready(_s):
    if state["phase"] == "big":
        state["phase"] = "done"
        ready()

def first_ready():
    from viewer.render import layers
    from viewer.model.scenario import Feature
    drawn = layers.draw_scenario(w.scenario)
    # enough plain markers for the batch; the page gets the big columns instead (points_batch)
    few = [layers.draw_feature(Feature(f"q-{i}", "place", {"type": "Point", "coordinates": [125.0, 38.0]},
                                       {"name": f"Q{i}", "annotation": True, "role": "marker"})) for i in range(2000)]
    real = page_mod.features_batch
    t = time.perf_counter()
    body = points_batch(real(drawn), %(n)d)
    report["batch_s"] = time.perf_counter() - t
    report["batch_mb"] = len(body) / 1e6
    page_mod.features_batch = lambda _drawn: body
    report["_t0"] = time.perf_counter()
    w.map_view.show_scenario(w.scenario, drawn + few)

def ready():
    report["ready_s"] = time.perf_counter() - report.pop("_t0")
    w.map_view.run_js("JSON.stringify([SitMap.app.timing, SitMap.app.pointLayer ? SitMap.app.pointLayer.count() : 0])", timed)

def timed(v):
    report["timing"], report["points"] = json.loads(v)
    run_frames("""var m = SitMap.app.map, c = SitMap.app.pointLayer, w = m.getSize().x, out = {};
        // the hit test under the pointer, at a hundred places over the view
        var t = performance.now(), s = m.getSize(), hits = 0;
        for (var k = 0; k < 100; k++) { if (c.nearest(m.containerPointToLayerPoint([(k * 37) %% s.x, (k * 53) %% s.y])) >= 0) { hits++; } }
        out.hit_ms = (performance.now() - t) / 100; out.hits = hits;""", %(frames)r, frames)

def frames(v):
    report["frames"] = json.loads(v)
    report["python_hwm_kb"] = _hwm_kb(os.getpid())
    report["web_hwm_kb"] = sum(_hwm_kb(p) for p in _descendants(os.getpid()))
    print("REPORT " + json.dumps(report), flush=True)
    app.quit()

w.scenarioLoaded.connect(on_loaded)
w.map_view.mapReady.connect(on_ready)
error = app_mod.open_first_scenario(w, None, first)
app.exec()
from viewer.ui.web import release_profile
release_profile()
'''


def points_batch(base: bytes, n: int, seed: int = 1) -> bytes:
    """The batch ``base`` (features_batch of the built-in scenario) with n plain point annotations
    in its columns, spread over tools/big_projects.py's region, as features_batch writes them."""
    from tools.big_projects import EAST, NORTH, SOUTH, WEST

    batch = json.loads(base)
    shared = batch["shared"]
    common = {"kind": "place", "group": "annotations", "status": "estimated", "source": "Analyst", "notes": "",
              "style": {"color": "#333333", "weight": 2}, "shape": "marker", "symbol": "marker", "labelDir": "right"}
    shared.append(common)
    k = len(shared) - 1
    rng = random.Random(seed)
    c = batch.setdefault("points", {"id": [], "name": [], "lat": [], "lng": [], "$": [], "label": {}})
    for i in range(1, n + 1):
        c["id"].append(f"p-{i}")
        c["name"].append(f"P{i}")
        c["lng"].append(round(rng.uniform(WEST, EAST), 5))
        c["lat"].append(round(rng.uniform(SOUTH, NORTH), 5))
        c["$"].append(k)
    return json.dumps(batch, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# A pan far beyond what is drawn, and zoom steps in and out twice (the map ``m``, its width ``w``).
FRAME_STEPS = """[['far_pan_ms', function () { m.panBy([2 * w, 0], {animate: false}); }],
                     ['far_pan_back_ms', function () { m.panBy([-2 * w, 0], {animate: false}); }],
                     ['zoom_in_ms', function () { m.setZoom(m.getZoom() + 1, {animate: false}); }],
                     ['zoom_out_ms', function () { m.setZoom(m.getZoom() - 1, {animate: false}); }],
                     ['zoom_out2_ms', function () { m.setZoom(m.getZoom() - 1, {animate: false}); }]]"""


def main() -> None:
    import tempfile

    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--limit", type=float, default=300)
    args = ap.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="sitmap-bench-") as tmp:
        work = Path(tmp)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        flags = env.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        if "--no-sandbox" not in flags:
            env["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox").strip()
        code = CHILD % {"root": str(ROOT), "bench": str(ROOT / "benchmarks"), "ini": str(work / "b.ini"),
                        "data": str(work / "data"), "n": args.points,
                        "frames": timed_frames_js(FRAME_STEPS, finish="out.zoom = m.getZoom();")}
        p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             text=True, env=env, cwd=ROOT, start_new_session=True)
        timer = threading.Timer(args.limit, lambda: os.killpg(p.pid, 9))
        timer.start()
        r: dict = {}
        t0 = time.perf_counter()
        try:
            for line in p.stdout:
                if line.startswith("REPORT "):
                    r = json.loads(line[7:])
            p.wait(60)
        finally:
            stop_child(p, timer)
        if not r:
            print(f"{args.points:,} points: no report within {time.perf_counter() - t0:.0f} s")
            return
        tm, fr = r["timing"], r["frames"]
        print(f"{args.points:,} points (page alone): batch {r['batch_mb']:.1f} MB made in {r['batch_s']:.1f} s; "
              f"page load to mapReady {r['ready_s']:.2f} s; {r['points']:,} in the point layer")
        print(f"  page clock (ms after navigation): scripts run {tm.get('script', 0):.0f}, features fetched "
              f"{tm.get('fetched', 0):.0f}, layers built {tm.get('built', 0):.0f}, on the map {tm.get('added', 0):.0f}, "
              f"on screen {tm.get('ready', 0):.0f}")
        print(f"  page frames, action to painted (script) ms: pan beyond the drawn margin {fr['far_pan_ms']:.0f} "
              f"({fr['far_pan_ms_script']:.0f}) and back {fr['far_pan_back_ms']:.0f} ({fr['far_pan_back_ms_script']:.0f}), "
              f"zoom in {fr['zoom_in_ms']:.0f} ({fr['zoom_in_ms_script']:.0f}), out {fr['zoom_out_ms']:.0f} "
              f"({fr['zoom_out_ms_script']:.0f}), out again {fr['zoom_out2_ms']:.0f} ({fr['zoom_out2_ms_script']:.0f})")
        print(f"  hit test under the pointer {fr['hit_ms']:.2f} ms ({fr['hits']} of 100 on a point); "
              f"RSS web {r['web_hwm_kb'] / 1024:.0f} MB, Python {r['python_hwm_kb'] / 1024:.0f} MB")
        print(f"machine after: {machine()}")
        t = Targets("The page with many points")
        if args.points >= 1_000_000:
            t.absolute(f"{args.points:,} points: page load to drawn (page alone)", r["ready_s"], 15.0)
        print(t.markdown())


if __name__ == "__main__":
    main()
