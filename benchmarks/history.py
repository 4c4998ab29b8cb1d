"""Launch history layer: turning it on, changing a filter and moving the time slider, for the
339 built-in launches and for 10,000 synthetic ones.

One offscreen process shows the built-in scenario in a MapView and drives the real
``viewer.ui.history_layer.HistoryLayer`` (the History tab's page side). Each step is timed from the
Python call until the page has the data, has drawn the layer anew and has shown two new animation
frames after it (so the change is on screen, not only drawn into the canvas); the page reports its
own canvas draw time.

The data set is packed once (``viewer.render.history_payload``: each launch's geodesic track, then
typed arrays) when the window is idle after its map first shows, or right after a table is
imported; "first on" is the first turn-on after that, as the analyst meets it. The packing itself
("packed once", from a cold data set) and a first turn-on that has to pack ("cold first on") are
measured too. The reference, measured in the same run, is the page redrawing the built-in
scenario's map at a new view and back, timed the same way; results are given in ms and as ratios
to it.

Targets (issue 11): the map redrawn within 100 ms for 339 launches and 300 ms for 10,000.

    .venv/bin/python benchmarks/history.py [--runs 7] [--sizes 339,10000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--sizes", default="339,10000")
    args = ap.parse_args()

    from viewer.app import make_application, prepare_qt_environment

    prepare_qt_environment(headless=True)
    app = make_application(sys.argv)
    from PySide6.QtCore import QEventLoop

    from viewer import resources
    from viewer.model import history as hist
    from viewer.model.scenario import load_scenario
    from viewer.render.history_payload import history_payload
    from viewer.ui.history_layer import HistoryLayer
    from viewer.ui.map_view import MapView
    from viewer.ui.web import release_profile

    view = MapView()
    view.resize(1300, 850)
    view.show()
    view.show_scenario(load_scenario(resources.default_scenario()))

    from viewer.ui import refcount_guard

    def wait(cond, timeout=60.0):
        end = time.perf_counter() + timeout
        if sys.getrefcount(None) < 200_000:  # PySide's None refcount bug (viewer/ui/refcount_guard.py)
            refcount_guard.top_up()
        while not cond():
            if time.perf_counter() > end:
                raise TimeoutError("the page did not answer")
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)

    wait(lambda: view.is_ready)

    def round_trip(script: str = "1"):
        box = {}
        t0 = time.perf_counter()
        view.run_js(script, lambda v: box.setdefault("v", v))
        wait(lambda: "v" in box)
        return (time.perf_counter() - t0) * 1000.0, box["v"]

    def framed() -> None:
        """Wait until the page has shown two new frames (the change is on screen, not just drawn)."""
        round_trip("window.__benchFramed = 0; requestAnimationFrame(function () {"
                   " requestAnimationFrame(function () { window.__benchFramed = 1; }); }); 1")
        while round_trip("window.__benchFramed")[1] != 1:
            pass

    def page_state() -> dict:
        return json.loads(round_trip("JSON.stringify(SitMap.history.state())")[1])

    def timed(step) -> tuple[float, float]:
        """(ms from the call until the change is on screen, the page's own canvas draw ms)."""
        draws = page_state()["draws"]
        t0 = time.perf_counter()
        step()
        while True:  # the data may come by fetch: wait for the page to have drawn anew
            st = page_state()
            if st["on"] and st["draws"] > draws:
                break
        framed()
        total = (time.perf_counter() - t0) * 1000.0
        _ms, state = round_trip("JSON.stringify(SitMap.history.state())")
        return total, json.loads(state)["lastDrawMs"]

    for _ in range(5):
        round_trip()
    empty = statistics.median(round_trip()[0] for _ in range(max(9, args.runs)))
    # The reference: the page redrawing the scenario's own map (every layer re-projected for a new
    # view and back), the same kind of work a history redraw is.
    refs = []
    for _ in range(max(9, args.runs)):
        t0 = time.perf_counter()
        round_trip("(function(){var m=SitMap.app.map,c=m.getCenter(),z=m.getZoom();"
                   "m.setView(c,z+0.5,{animate:false});m.setView(c,z,{animate:false});return 1;})()")
        framed()
        refs.append((time.perf_counter() - t0) * 1000.0)
    reference = statistics.median(refs)
    print(f"reference: the scenario's map redrawn at a new view and back {reference:.1f} ms (median); "
          f"empty runJavaScript round trip {empty:.2f} ms")

    results = {}
    for n in (int(s) for s in args.sizes.split(",")):
        def fresh():
            if n == 339:
                data = json.loads(resources.read_text("history", "dprk-launches.json"))
                return hist.history_from_dict(data)  # a new object: nothing computed yet
            return hist.synthetic_history(n)

        # A first turn-on that has to pack the data set (tracks computed, columns packed) first.
        layer = HistoryLayer(view)
        layer.history = fresh()
        cold_on, _ = timed(lambda: layer.set_enabled(True))
        layer.set_enabled(False)
        round_trip()
        layer.deleteLater()
        history = fresh()
        t0 = time.perf_counter()
        history_payload(history)
        prep_ms = (time.perf_counter() - t0) * 1000.0  # once per data set (tracks cached after)
        on, filt, slide, draw_on, draw_f, draw_s = [], [], [], [], [], []
        firsts, loads = [], []
        for _ in range(max(3, args.runs // 2)):  # a new layer each time: the page fetches and reads anew
            layer = HistoryLayer(view)
            layer.history = history
            layer.prepare()  # as the window does when idle, or right after an import
            firsts.append(timed(lambda: layer.set_enabled(True))[0])  # the page fetches the blob
            loads.append(page_state()["loadMs"])  # in the page: fetched, read and projected
            layer.set_enabled(False)
            round_trip()
            layer.deleteLater()
        first_on, load_ms = statistics.median(firsts), statistics.median(loads)
        layer = HistoryLayer(view)
        layer.history = history
        layer.prepare()
        timed(lambda: layer.set_enabled(True))
        years = history.years
        mid = (years[0] + years[1]) // 2
        for run in range(args.runs):
            layer.set_enabled(False)
            round_trip()
            a, d = timed(lambda: layer.set_enabled(True))
            on.append(a)
            draw_on.append(d)
            a, d = timed(lambda: layer.set_filter(hist.HistoryFilter(years=(mid - run % 3, years[1]))))
            filt.append(a)
            draw_f.append(d)
            base = layer.flt
            moment = history.launches[len(history.launches) * (run + 1) // (args.runs + 1)].when_utc
            a, d = timed(lambda: layer.set_filter(base.with_(window=(moment - timedelta(days=365), moment))))
            slide.append(a)
            draw_s.append(d)
        layer.set_enabled(False)
        round_trip()
        layer.deleteLater()
        med = statistics.median
        results[n] = {"packed_once_ms": round(prep_ms, 1), "cold_first_on_ms": round(cold_on, 1),
                      "first_on_ms": round(first_on, 1), "page_load_ms": round(load_ms, 1),
                      "layer_on_ms": round(med(on), 1), "filter_ms": round(med(filt), 1),
                      "slider_ms": round(med(slide), 1), "draw_on_ms": round(med(draw_on), 2),
                      "draw_filter_ms": round(med(draw_f), 2), "draw_slider_ms": round(med(draw_s), 2)}
        r = results[n]
        print(f"{n:>6} launches: first on (blob fetched; median) {first_on:.1f} ms ({first_on / reference:.1f}x ref; "
              f"in the page: fetched and read in {load_ms:.0f} ms; packed once per data set in {prep_ms:.0f} ms before; cold first on, packing included, "
              f"{cold_on:.0f} ms); "
              f"layer on {r['layer_on_ms']:.1f} ms ({r['layer_on_ms'] / reference:.1f}x ref; "
              f"page draw {r['draw_on_ms']:.1f} ms), "
              f"filter {r['filter_ms']:.1f} ms ({r['filter_ms'] / reference:.1f}x; draw {r['draw_filter_ms']:.1f}), "
              f"slider {r['slider_ms']:.1f} ms ({r['slider_ms'] / reference:.1f}x; draw {r['draw_slider_ms']:.1f})")
    print(json.dumps({"reference_ms": round(reference, 2), "empty_round_trip_ms": round(empty, 2), "results": results}))
    view.close()
    release_profile()
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
