"""Label placement (issue 16): the time of one SitMap.labels.place() over N labelled markers, as a
ratio to one rebuild of the legend in the same page (the reference, measured in the same run).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/labels.py [--sizes 100,400]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _wait(app, cond, timeout=120.0):
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise TimeoutError
        app.processEvents()
        time.sleep(0.01)


def _js(app, view, script):
    box = {}
    view.run_js(script, lambda v: box.setdefault("v", v))
    _wait(app, lambda: "v" in box)
    return box["v"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100,400")
    args = ap.parse_args()
    from viewer.app import make_application, prepare_qt_environment

    prepare_qt_environment(headless=True)
    app = make_application(sys.argv[:1])
    from PySide6.QtCore import QSettings

    from viewer import resources
    from viewer.model import edits
    from viewer.model.scenario import Feature, load_scenario
    from viewer.ui.main_window import MainWindow

    tmp = Path(tempfile.mkdtemp())
    for n in (int(x) for x in args.sizes.split(",")):
        win = MainWindow(settings=QSettings(str(tmp / f"{n}.ini"), QSettings.Format.IniFormat), data_dir=tmp / str(n))
        win.maybe_keep_changes = lambda: True
        win.resize(1400, 880)
        win.show()
        ready = []
        win.map_view.mapReady.connect(lambda _s: ready.append(1))
        win.set_scenario(load_scenario(resources.default_scenario()), None)
        _wait(app, lambda: ready)
        feats = [Feature(f"m{i}", "place", {"type": "Point", "coordinates": [124 + (i % 20) * 0.4, 35 + (i // 20) * 0.3]},
                         {"kind": "place", "name": f"Marker {i}", "annotation": True, "status": "estimated",
                          "source": "Analyst", "role": "marker"}) for i in range(n)]
        win.editor.apply(edits.AddFeatures(feats, "add"))
        _wait(app, lambda: _js(app, win.map_view, "Object.keys(SitMap.app.features).length") >= n)
        out = json.loads(_js(app, win.map_view, """(function () {
            var t0 = performance.now(); for (var i = 0; i < 10; i++) { SitMap.labels.place(); }
            var place = (performance.now() - t0) / 10;
            t0 = performance.now(); for (var j = 0; j < 10; j++) { SitMap.app.legend.update(); }
            return JSON.stringify([place, (performance.now() - t0) / 10, SitMap.labels.hidden]); })()"""))
        place, legend, hidden = out
        print(f"{n} labelled markers: place {place:.1f} ms, legend rebuild {legend:.1f} ms, "
              f"ratio {place / legend:.2f}, {hidden} labels hidden")
        win.close()


if __name__ == "__main__":
    main()
