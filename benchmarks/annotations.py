"""Many annotations: open-to-drawn time, pan response and peak memory for 1,000 / 10,000 / 100,000 points.

For each size the built-in scenario gets N point annotations (kind place, role marker, annotation
true, name "P<n>") spread over its region, written to a scenario file. A fresh offscreen SitMap
process starts as ``sitmap FILE`` does (the window with its first page begun, then the file read,
beside the event loop when large, and shown) and reports on mapReady; the parent times spawn ->
READY. The child also reports where its time went (reading the file, the whole open call, page load
to mapReady, the page's own clock), a pan round trip, and peak
RSS (VmHWM) of itself and of its QtWebEngineProcess children. The memory target is the peak of the
whole process tree's summed PSS, sampled every 0.1 s from here (report.TreePss: a sum of resident
sizes counts the web engine's shared library once in each process). The built-in scenario is the
baseline.

    .venv/bin/python benchmarks/annotations.py [--sizes 1000,10000,100000] [--runs 1] [--limit 600]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from report import RUN_FRAMES, TREE_HWM, Targets, TreePss, machine, med, stop_child, timed_frames_js  # noqa: E402

CHILD = r'''
import json, os, sys, time
t_start = time.perf_counter()
sys.path.insert(0, %(root)r)
from viewer.app import make_application, prepare_qt_environment
prepare_qt_environment(headless=True)
app = make_application(sys.argv)
from PySide6.QtCore import QSettings, QTimer
from viewer import resources
from viewer.model.scenario import load_scenario
from viewer.ui.main_window import MainWindow

''' + TREE_HWM + RUN_FRAMES + r'''
# As ``sitmap FILE`` starts: the window with its first page begun (the web engine starting), then
# the file read (a large one beside the event loop, so the engine keeps starting) and shown.
import viewer.app as app_mod
from pathlib import Path
from viewer.render.page_cache import PageCache
app_mod.page_cache = lambda: PageCache(Path(%(data)r) / "pages")  # a cold page cache every run
path = Path(%(path)r) if %(path)r else resources.default_scenario()
w, first = app_mod.make_window(path, settings=QSettings(%(ini)r, QSettings.Format.IniFormat), data_dir=%(data)r)
w.maybe_keep_changes = lambda: True
w.resize(1300, 850)
w.show()

def done():
    # (counted now: a start from the page cache makes the window's document once the map is up)
    report["features"] = len(w.doc.scenario.features)
    report["python_hwm_kb"] = _hwm_kb(os.getpid())
    report["web_hwm_kb"] = sum(_hwm_kb(p) for p in _descendants(os.getpid()))
    print("REPORT " + json.dumps(report), flush=True)
    app.quit()

def panned(value):
    report["pan_roundtrip_s"] = time.perf_counter() - report.pop("_pan0")
    report["pan_ok"] = value
    w.map_view.bridge.featureSelected.connect(clicked)
    report["_c0"] = time.perf_counter()
    w.map_view.run_js("var p = SitMap.app.features[%(probe)r].main;"
                      " p.fire('click', {latlng: SitMap.app.map.getCenter()}); 'ok'")

def clicked(fid):
    report["click_roundtrip_s"] = time.perf_counter() - report.pop("_c0")
    w.map_view.bridge.featureSelected.disconnect(clicked)
    # A pan far beyond what is drawn, and a zoom step in and out: each timed from the action
    # to the end of the frame that shows it (two animation frames later: the page's script and
    # the painting and rasterising of that frame both count).
    run_frames("var m = SitMap.app.map, w = m.getSize().x, out = {};", %(frames)r, frames)

def frames(value):
    report.update(json.loads(value or "{}"))
    # The pointer on a settled map: the mouse brought over a few features in view (the page's hit
    # test, the name shown, timed to the painted frame), then a real click on each (press,
    # release, click at its pixel) answered in the window's panels.
    run_frames("var m = SitMap.app.map, w = m.getSize().x, out = {};" + %(pointer)r, %(hover)r, hovered)

def hovered(value):
    got = json.loads(value or "{}")
    report["hover_ms"] = sorted(v for k, v in got.items() if k.startswith("hover_") and not k.endswith("_script"))
    report["hover_hits"] = got.get("hits", 0)
    report["pointer_ids"] = ids = got.get("ids", [])
    report["clicks_ms"] = []
    w.map_view.bridge.featureSelected.connect(pointer_clicked)
    click_next()

def click_next():
    ids = report["pointer_ids"]
    if len(report["clicks_ms"]) >= len(ids):
        w.map_view.bridge.featureSelected.disconnect(pointer_clicked)
        return run_frames("var m = SitMap.app.map, w = m.getSize().x, out = {};", %(jump)r, jumped)
    report["_c0"] = time.perf_counter()
    n = len(report["clicks_ms"])
    w.map_view.run_js("SitMap.__benchPointer(%%s, 'click')" %% json.dumps(ids[n]))
    QTimer.singleShot(3000, lambda: unanswered(n))

def jumped(value):
    report.update(json.loads(value or "{}"))
    changes()

def unanswered(n):
    if "_c0" in report and len(report["clicks_ms"]) == n:  # no answer in 3 s: counted as such
        report.pop("_c0")
        report["clicks_ms"].append(3000.0)
        click_next()

def pointer_clicked(fid):
    if "_c0" not in report:
        return
    report["clicks_ms"].append((time.perf_counter() - report.pop("_c0")) * 1000)
    report.setdefault("clicked_ids", []).append(fid)
    QTimer.singleShot(150, click_next)  # the next click once this one's popup has settled

def changes():
    took = []
    for i in range(10):  # a change is acknowledged once it returns: stored, drawn, in the journal
        t = time.perf_counter()
        w.add_annotation("place", {"type": "Point", "coordinates": [125.0 + i * 0.01, 39.0]}, {"name": "bench %%d" %% i})
        took.append(time.perf_counter() - t)
        t = time.perf_counter()
        w.undo_stack.undo()
        took.append(time.perf_counter() - t)
    report["change_s"] = sorted(took)
    done()

def page_clock(value):
    report["page_ms"] = value
    report["_pan0"] = time.perf_counter()
    w.map_view.run_js("SitMap.app.map.panBy([300, 0], {animate: false}); SitMap.app.map.panBy([-300, 0], {animate: false}); 'ok'", panned)

def ready(state, signal=True):
    if "drawn" in report:
        return
    t3 = time.perf_counter()
    print("READY", flush=True)
    report["ready_signal"] = signal
    report["page_to_ready_s"] = t3 - t2
    report["drawn"] = len(state.get("features", {}))
    poller.stop()
    report["process_s"] = t3 - t_start
    w.map_view.run_js("JSON.stringify([performance.now(), (performance.memory || {}).usedJSHeapSize || 0, SitMap.app.timing || {}])", page_clock)

w.map_view.mapReady.connect(ready)
# MapBridge drops a mapReady whose state JSON is over its size limit: watch the page's own flag too.
def poll():
    if "drawn" not in report:
        # (the page's own count: listing a million features' ids, right after the map appeared,
        # made the first click wait on it)
        w.map_view.run_js("SitMap.app && SitMap.app.ready ? SitMap.app.featureTotal : -1",
                          lambda n: ready({"features": range(int(n))}, False) if (n or -1) >= 0 else None)
poller = QTimer()
poller.timeout.connect(poll)
poller.start(250)
report = {}
t1 = time.perf_counter()
# (a window built in two stages has no file handling before its document is made: the built-in
# scenario, read at once, never reads beside the loop)
if hasattr(w, "files"):
    orig_read = w.files.read_beside
    def timed_read(work, name, size):
        t = time.perf_counter()
        try:
            return orig_read(work, name, size)
        finally:
            report["read_beside_s"] = time.perf_counter() - t
    w.files.read_beside = timed_read
error = app_mod.open_first_scenario(w, path, first)
t2 = time.perf_counter()
report["open_call_s"] = t2 - t1  # reading (beside the loop when large) and set_scenario
if error:
    report["error"] = error
app.exec()
from viewer.ui.web import release_profile
release_profile()
'''


# The pointer in the page: up to five features drawn as points well inside the view (spread over
# the first 5,000 the page knows), and the mouse events of a hover or a click at one's pixel,
# sent to the element there as a real pointer's would be (the page's own hit test decides).
POINTER_PRELUDE = r"""
// Where feature id is drawn as a point: its container pixel p, its client pixel x, y and the element
// there (null: not a point, or nothing there).
SitMap.__benchAt = function (m, id) {
  var f = SitMap.app.features[id], ll = f && f.main && f.main.getLatLng && f.main.getLatLng();
  if (!ll) { return null; }
  var p = m.latLngToContainerPoint(ll), r = m.getContainer().getBoundingClientRect();
  var x = r.left + p.x, y = r.top + p.y, el = document.elementFromPoint(x, y);
  return el ? { p: p, x: x, y: y, el: el } : null;
};
SitMap.__benchPointer = function (id, what) {
  var m = SitMap.app.map;
  m.closePopup();  // the last click's popup closed first, as a user would to reach what it covers
  var at = SitMap.__benchAt(m, id);
  if (!at) { return 'none'; }
  var types = what === 'click' ? ['mousedown', 'mouseup', 'click'] : ['mousemove'];
  types.forEach(function (t) {
    at.el.dispatchEvent(new MouseEvent(t, { clientX: at.x, clientY: at.y, bubbles: true, cancelable: true, button: 0, view: window }));
  });
  return at.el.tagName + "." + at.el.className;
};
SitMap.__benchHoverSteps = function (m) {
  var size = m.getSize(), keys = Object.keys(SitMap.app.features).slice(0, 5000), ids = [];
  for (var i = 0; i < keys.length && ids.length < 5; i += Math.max(1, Math.floor(keys.length / 50))) {
    var at = SitMap.__benchAt(m, keys[i]), p = at && at.p;  // (not under the selection's edit handle)
    if (at && p.x > 60 && p.y > 60 && p.x < size.x - 60 && p.y < size.y - 60 && !at.el.classList.contains('sitmap-handle')) {
      ids.push(keys[i]);
    }
  }
  out.ids = ids;
  out.hits = 0;
  return ids.map(function (id, k) {
    return ['hover_' + k, function () {
      SitMap.__benchPointer(id, 'hover');
      var pl = SitMap.app.pointLayer, label = SitMap.app.pointLabel;
      if ((pl && pl._hoveredIndex >= 0 && label && label.style.display !== 'none') ||
          document.querySelector('.leaflet-tooltip-pane .leaflet-tooltip')) { out.hits += 1; }
    }];
  });
};
"""

# A pan far beyond what is drawn, and a zoom step in and out (the map ``m``, its width ``w``).
# A step is over once the view is all painted (the shared canvas of many lines and areas paints
# a view over several frames): the next one starts then.
VIEW_PAINTED = "!SitMap.app.shapeCanvas || SitMap.app.shapeCanvas.viewPainted()"
# Each step also says how the point layer showed its points in the step's script (``<step>_points``):
# "kept", a picture it had kept (a view seen before, or a zoom painted ahead while the page was
# idle); "ahead, finished", a zoom painted ahead whose view was not yet whole, the rest of it
# painted in the step; "drawn", each point drawn; "none in view", a redraw of a view without
# points (the far pan's, over the Pacific); "as they were", no redraw.
STEP = """function step(name, act) {
    return [name, function () {
      var pl = SitMap.app.pointLayer;
      if (!pl) { act(); return; }
      var draws = pl._draws || 0, painted = 0, paintAll = pl._paintAll, finished = 0, now = pl._aheadNow;
      pl._paintAll = function () { painted += 1; return paintAll.apply(this, arguments); };
      pl._aheadNow = function () { var got = now.apply(this, arguments); finished += got ? 1 : 0; return got; };
      try { act(); } finally { delete pl._paintAll; delete pl._aheadNow; }
      out[name + '_points'] = painted ? 'drawn' : finished ? 'ahead, finished' :
        (pl._draws || 0) > draws ? (pl._shown ? 'kept' : 'none in view') : 'as they were';
    }];
  }"""
FRAME_STEPS = "(function () {\n  " + STEP + """
  return [step('far_pan_ms', function () { m.panBy([2 * w, 0], {animate: false}); }),
          step('far_pan_back_ms', function () { m.panBy([-2 * w, 0], {animate: false}); }),
          step('zoom_in_ms', function () { m.setZoom(m.getZoom() + 1, {animate: false}); }),
          step('zoom_out_ms', function () { m.setZoom(m.getZoom() - 1, {animate: false}); })];
})()"""
# After the pointer's clicks: a jump to a place of points not seen before, two zooms in (a search
# result, a bookmark), reported beside the targets: its points are always drawn.
JUMP_STEPS = "(function () {\n  " + STEP + """
  return [step('jump_ms', function () { m.setView([36, 120], m.getZoom() + 2, {animate: false}); })];
})()"""
STEP_NAMES = ("far_pan_ms", "far_pan_back_ms", "zoom_in_ms", "zoom_out_ms")


def make_scenario(n: int, out: Path, seed: int = 1) -> Path:
    """The built-in scenario plus n point annotations (tools/big_projects.py, shared with the tests)."""
    from tools.big_projects import write_points_project

    return write_points_project(out, n, seed)


def python_costs(path: Path | None) -> dict:
    """The pure-Python part of opening: parse, draw_scenario, page payload + HTML (no Qt)."""
    from viewer import resources
    from viewer.model.scenario import load_scenario
    from viewer.render import layers
    from viewer.render.page import PageOptions, build_page, features_batch
    from viewer.ui.map_view import BATCH_FROM

    from viewer.render.drawn_set import DrawnSet

    t0 = time.perf_counter()
    s = load_scenario(path or resources.default_scenario())
    t1 = time.perf_counter()
    drawn = DrawnSet(layers.draw_scenario(s))  # as the window draws a map (viewer/ui/map_view.py show_scenario)
    t2 = time.perf_counter()
    big = len(drawn) >= BATCH_FROM
    html = build_page(s, drawn, PageOptions(online_specs=[], features_url="sitmap://app/data/x.json" if big else None))
    t3 = time.perf_counter()
    batch = features_batch(drawn) if big else b""
    t4 = time.perf_counter()
    return {"parse_s": t1 - t0, "draw_scenario_s": t2 - t1, "build_page_s": t3 - t2, "html_mb": len(html) / 1e6,
            "batch_s": t4 - t3, "batch_mb": len(batch) / 1e6}


def run_child(path: Path | None, limit: float, workdir: Path, probe: str = "launch-point") -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    flags = env.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if "--no-sandbox" not in flags:
        env["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox").strip()
    code = CHILD % {"root": str(ROOT), "ini": str(workdir / "bench.ini"), "data": str(workdir / "data"),
                    "path": str(path) if path else "", "probe": probe, "frames": timed_frames_js(FRAME_STEPS, settled=VIEW_PAINTED),
                    "jump": timed_frames_js(JUMP_STEPS, settled=VIEW_PAINTED),
                    "hover": timed_frames_js("SitMap.__benchHoverSteps(m)"), "pointer": POINTER_PRELUDE}
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True, env=env, cwd=ROOT, start_new_session=True)
    timer = threading.Timer(limit, lambda: os.killpg(p.pid, 9))
    timer.start()
    pss = TreePss(p.pid)
    result: dict = {}
    try:
        for line in p.stdout:
            if line.strip() == "READY":
                result["open_to_drawn_s"] = time.perf_counter() - t0
            elif line.startswith("REPORT "):
                result["pss_peak_kb"] = pss.stop()  # (the window still open, all it drew in memory)
                result.update(json.loads(line[7:]))
        p.wait(60)
    finally:
        pss.stop()
        stop_child(p, timer)
    if "open_to_drawn_s" not in result:
        result["failed"] = f"no READY within {limit:.0f} s"
    return result


def main() -> None:
    from tools.big_projects import write_project

    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--mixed", type=int, default=100_000, help="lines and areas case (0: skip)")
    ap.add_argument("--runs", type=int, default=3, help="runs of each case (its figures: its median run's)")
    ap.add_argument("--limit", type=float, default=600, help="seconds before a child is given up")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if any(n < 1 for n in sizes):  # (a map of no points has no point to click: its child would wait for ever)
        ap.error("--sizes: each size is 1 or more (an empty list skips the point cases)")
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="sitmap-bench-") as tmp:
        work = Path(tmp)
        cases: list[tuple[str, Path | None, str]] = [("built-in scenario", None, "launch-point")]
        for n in sizes:
            cases.append((f"{n:,} points", make_scenario(n, work / f"points-{n}.geojson"), "p-1"))
        if args.mixed:
            cases.append((f"{args.mixed:,} lines+areas", write_project(work / "mixed.geojson", args.mixed, "mixed"), "l-1"))
        run_child(None, args.limit, work)  # warm the disk cache
        print(f"{'case':<22} {'file MB':>7} {'open->drawn s':>13} {'read s':>6} {'open call s':>11} "
              f"{'pan ms':>6} {'click ms':>8} {'change ms (med/max)':>19} {'RSS py MB':>9} {'RSS web MB':>10} {'PSS all MB':>10} {'JS heap MB':>10}")
        results = {}
        for name, path, probe in cases:
            runs = [run_child(path, args.limit, work, probe) for _ in range(args.runs)]
            good = [r for r in runs if "failed" not in r]
            size = path.stat().st_size / 1e6 if path else 0.0
            if not good:
                print(f"{name:<22} {size:7.1f} {runs[0]['failed']}")
                continue
            # The run of median open time stands for the case (all its figures: not the fastest run's).
            r = sorted(good, key=lambda x: x["open_to_drawn_s"])[len(good) // 2]
            r["open_med"] = med(x["open_to_drawn_s"] for x in good)
            r["open_all"] = sorted(x["open_to_drawn_s"] for x in good)
            results[name] = r
            _page_ms, heap, timing = (json.loads(r.get("page_ms") or "[0, 0, {}]") + [{}])[:3]
            ch = r.get("change_s") or [float("nan")]
            print(f"{name:<22} {size:7.1f} {r['open_med']:13.2f} {r.get('read_beside_s', float('nan')):6.2f} {r['open_call_s']:11.2f} "
                  f"{r.get('pan_roundtrip_s', float('nan')) * 1000:6.0f} {r.get('click_roundtrip_s', float('nan')) * 1000:8.0f} "
                  f"{med(ch) * 1000:9.1f} / {ch[-1] * 1000:7.1f} "
                  f"{r['python_hwm_kb'] / 1024:9.0f} {r['web_hwm_kb'] / 1024:10.0f} {r.get('pss_peak_kb', 0) / 1024:10.0f} {heap / 2**20:10.0f}"
                  + ("" if r.get("ready_signal", True) else "  (mapReady never reached Python: page flag polled)"))
            if len(good) > 1:
                print(f"{'':<22} open->drawn of each run: " + ", ".join(f"{x:.2f}" for x in r["open_all"])
                      + " s (the other figures: the median run's)")
            if "far_pan_ms" in r:
                print(f"{'':<22} page frames, action to painted (script) ms: pan beyond the drawn margin "
                      f"{r['far_pan_ms']:.0f} ({r['far_pan_ms_script']:.0f}) and back {r['far_pan_back_ms']:.0f} "
                      f"({r['far_pan_back_ms_script']:.0f}), zoom in {r['zoom_in_ms']:.0f} ({r['zoom_in_ms_script']:.0f}), "
                      f"out {r['zoom_out_ms']:.0f} ({r['zoom_out_ms_script']:.0f})"
                      + (f"; a jump to another place of points {r['jump_ms']:.0f} ({r['jump_ms_script']:.0f})"
                         if "jump_ms" in r else ""))
                if any(k + "_points" in r for k in STEP_NAMES):
                    print(f"{'':<22} the points (kept: a picture kept or painted ahead): "
                          + ", ".join(f"{k[:-3].replace('_', ' ')} {r.get(k + '_points', '?')}" for k in STEP_NAMES)
                          + (f", jump {r['jump_ms_points']}" if "jump_ms_points" in r else ""))
                if any(r.get(k + "_whole", 0) > r.get(k, 0) + 1 for k in STEP_NAMES):
                    print(f"{'':<22} the view all painted (over several frames) ms: "
                          + ", ".join(f"{r.get(k + '_whole', float('nan')):.0f}"
                                      for k in STEP_NAMES))
            if r.get("clicks_ms"):
                hv, ck = r["hover_ms"] or [float("nan")], sorted(r["clicks_ms"])
                print(f"{'':<22} pointer on the settled map, {len(r['pointer_ids'])} features in view: hover to painted "
                      f"median {med(hv):.0f} max {hv[-1]:.0f} ms (name shown {r['hover_hits']}), click answered median "
                      f"{med(ck):.0f} max {ck[-1]:.0f} ms; the click column is the first click, right after the map appeared")
            if timing:
                came = (f"(its page begun as the reading did) the map read, its view given {timing.get('start', 0):.0f}, "
                        + (f"its first part drawn and given {timing['payload']:.0f}, its last part built and painted "
                           f"{timing['parts']:.0f} (each part built while the next was drawn), " if "parts" in timing
                           else f"drawn, its features given {timing['payload']:.0f}, ") if "payload" in timing else "")
                print(f"{'':<22} page clock (ms after navigation): scripts run {timing.get('script', 0):.0f}, {came}"
                      f"features fetched {timing.get('fetched', timing.get('init', 0)):.0f}, layers built "
                      f"{timing.get('built', 0):.0f}, on the map {timing.get('added', 0):.0f}, "
                      + (f"its legend (counted meanwhile) {timing['legend']:.0f}, " if "legend" in timing else "")
                      + f"on screen {timing.get('ready', 0):.0f}")
        print(f"machine after: {machine()}")
        print("\nWhere Python's time goes (no Qt):")
        print(f"{'case':<22} {'parse s':>8} {'draw + drawn set s':>18} {'build_page s':>12} {'page HTML MB':>12} "
              f"{'features batch s':>16} {'batch MB':>8}")
        for name, path, _probe in cases:
            c = python_costs(path)
            print(f"{name:<22} {c['parse_s']:8.2f} {c['draw_scenario_s']:18.2f} {c['build_page_s']:12.2f} "
                  f"{c['html_mb']:12.1f} {c['batch_s']:16.2f} {c['batch_mb']:8.1f}")
        t = Targets("Large maps")
        big = results.get("100,000 points")
        if big:
            t.absolute("100,000 points: open to drawn", big["open_med"], 2.0)
            t.absolute("100,000 points: memory of all processes (peak of their summed PSS)", big["pss_peak_kb"] / 1024,
                       1024, unit="MB")
            t.absolute("100,000 points: pan round trip (inside the drawn margin)", big.get("pan_roundtrip_s", float("inf")) * 1000, 50, unit="ms")
            if "far_pan_ms" in big:
                t.absolute("100,000 points: pan beyond the drawn margin, page frame",
                           max(big["far_pan_ms"], big["far_pan_back_ms"]), 50, unit="ms")
                t.absolute("100,000 points: zoom step, page frame", max(big["zoom_in_ms"], big["zoom_out_ms"]), 50,
                           unit="ms")
            t.absolute("100,000 points: hover, name painted (slowest of the points tried)",
                       max(big.get("hover_ms") or [float("inf")]), 50, unit="ms")
            t.absolute("100,000 points: click answered (slowest of the points tried)",
                       max(big.get("clicks_ms") or [float("inf")]), 50, unit="ms")
            t.absolute("100,000 points: change acknowledged (median)", med(big.get("change_s") or [float("inf")]) * 1000,
                       20, unit="ms")
        mixed = results.get(f"{args.mixed:,} lines+areas")
        if mixed:
            t.absolute(f"{args.mixed:,} lines and areas: open to drawn", mixed["open_med"], 5.0)
        million = results.get("1,000,000 points")
        if million:
            t.absolute("1,000,000 points: open to drawn", million["open_med"], 15.0)
            t.absolute("1,000,000 points: click answered (slowest of the points tried)",
                       max(million.get("clicks_ms") or [float("inf")]), 50, unit="ms")
        elif 1_000_000 not in sizes:
            print("TARGET 1,000,000 points: not run (--sizes 100000,1000000 runs it, about two minutes a run) MISS")
        else:
            print("TARGET 1,000,000 points: open to drawn: failed (see the table) MISS")
        print()
        print(t.markdown())


if __name__ == "__main__":
    main()
