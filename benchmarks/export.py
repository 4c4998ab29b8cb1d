"""Export benchmark: whole ``main.py --export`` processes against a bare Leaflet page rendered and
grabbed to PNG at the same size, in the same run (medians, interleaved).

    .venv/bin/python benchmarks/export.py [--runs 5] [--large 100000]

``--large N`` also exports two large maps as 1920x1080 briefings, N point annotations and N lines
and areas (tools/big_projects.py), and prints their times and where they go (no target: a large
map's export is measured, not held to a ratio).

Each run is a fresh process. Peak memory is the largest resident set of the process and the
helper processes it waited for (os.wait4's ru_maxrss). Where the time goes comes from the
export's own progress lines (stderr), timed as they arrive: start-up and reading the file,
composing the briefing page, drawing the map, capturing the frame, writing the file.

The bare page is grabbed once the view shows it: its ready (two animation frames after Leaflet's
whenReady) comes 10-30 ms before its first frame reaches the view, and a grab at once gave a
blank white picture (as this benchmark took it until 2026-12-07).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from report import Targets, machine, med  # noqa: E402

BARE_GRAB = r'''
import sys
from pathlib import Path
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtWidgets import QApplication
from PySide6.QtWebEngineWidgets import QWebEngineView
import tempfile
import xstatic.pkg.leaflet as leaflet
w, h, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
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
v.setFixedSize(w, h)
def shoot():
    image = v.grab().toImage()
    # The page's ready comes before its first frame reaches the view: until then a grab is blank
    # white. Grabbed once it shows the page (its map's grey at the centre), as an export must.
    if image.pixelColor(w // 2, h // 2).name() != "#dddddd":
        QTimer.singleShot(5, shoot)
        return
    image.save(out)
    app.quit()
def title(t):
    if t == "ready":
        shoot()
v.titleChanged.connect(title)
v.load(QUrl.fromLocalFile(str(page)))
v.show()
app.exec()
'''

CASES = (
    # label, arguments, suffix, reference size, target ratio
    ("sitmap --export PNG 1200x800", ["--size", "1200x800"], "png", (1200, 800), 1.5),
    ("briefing PNG 1920x1080", ["--size", "1920x1080"], "png", (1920, 1080), 1.5),
    ("briefing PDF A4 300 dpi", ["--paper", "a4", "--dpi", "300"], "pdf", (3508, 2480), 2.0),
)


def _env(cache: str | None = None) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if cache is not None:  # a first run after install: SitMap's caches (built basemap tiles) empty
        env["XDG_CACHE_HOME"] = cache
    env.pop("DISPLAY", None)
    flags = env.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if "--no-sandbox" not in flags:
        env["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox").strip()
    return env


def export_once(args: list[str], suffix: str, project: Path | None = None,
                empty_caches: bool = False) -> tuple[float, float, dict]:
    """(seconds, peak MiB, {step: seconds from spawn}) of one ``main.py [FILE] --export`` process."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"x.{suffix}"
        t0 = time.perf_counter()
        p = subprocess.Popen([sys.executable, str(ROOT / "main.py"), *([str(project)] if project else []),
                              "--export", str(out), *args],
                             cwd=ROOT, env=_env(str(Path(tmp) / "cache") if empty_caches else None),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        steps: dict = {}
        tail = []
        for line in p.stderr:
            if line.startswith("sitmap: ["):
                steps.setdefault(line[len("sitmap: ["):].split("/")[0], time.perf_counter() - t0)
            tail.append(line)
        _pid, status, usage = os.wait4(p.pid, 0)
        dt = time.perf_counter() - t0
        code = os.waitstatus_to_exitcode(status)
        if code != 0 or not out.exists():
            raise RuntimeError(f"export {args} failed ({code}): {''.join(tail).strip()[-300:]}")
    return dt, usage.ru_maxrss / 1024.0, steps


def bare_grab_once(size: tuple[int, int]) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bare.png"
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", BARE_GRAB, str(size[0]), str(size[1]), str(out)], cwd=ROOT,
                       env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120, check=True)
        dt = time.perf_counter() - t0
        if not out.exists():
            raise RuntimeError("the bare page was not grabbed")
    return dt


def where(label: str, secs: float, steps: dict) -> str:
    s = {k: steps.get(k, float("nan")) for k in "1234"}
    return (f"{label}: where the time goes (s): start-up + reading {s['1']:.2f}, composing {s['2'] - s['1']:.2f}, "
            f"drawing {s['3'] - s['2']:.2f}, capturing {s['4'] - s['3']:.2f}, writing + exit {secs - s['4']:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--large", type=int, default=0, help="also export maps of this many points, and lines and areas")
    args = ap.parse_args()
    print(f"machine: {machine()}")
    for _label, a, s, size, _limit in CASES:  # warm the disk cache
        export_once(a, s)
        bare_grab_once(size)
    results: dict[str, list] = {label: [] for label, *_ in CASES}
    bare: dict[str, list] = {label: [] for label, *_ in CASES}
    for _ in range(args.runs):  # interleaved, so drift and other people's load hit all alike
        for label, a, s, size, _limit in CASES:
            bare[label].append(bare_grab_once(size))
            results[label].append(export_once(a, s))
    # The timed runs above find the basemap tiles earlier runs built (as on any machine where
    # SitMap has shown or exported that place before); a first export after install builds them.
    first = {label: export_once(a, s, empty_caches=True)[0] for label, a, s, _size, _limit in CASES}
    print(f"machine after: {machine()}")
    t = Targets("Exports (whole processes)")
    for label, _a, _s, size, limit in CASES:
        runs = results[label]
        secs = med(r[0] for r in runs)
        steps = {k: med(r[2].get(k, float("nan")) for r in runs) for k in "1234"}
        print(f"{label}: median {secs:.2f} s (runs: {', '.join(f'{r[0]:.2f}' for r in runs)}), peak RSS "
              f"{med(r[1] for r in runs):.0f} MiB; bare grab at {size[0]}x{size[1]}: median {med(bare[label]):.2f} s")
        print("  " + where(label, secs, steps))
        print(f"  first export after install (empty caches): {first[label]:.2f} s")
        t.check(label, secs, med(bare[label]), limit, ref_name=f"bare grab {size[0]}x{size[1]}")
    if args.large:
        large(args.large, min(args.runs, 3))
    print()
    print(t.markdown())


def large(n: int, runs: int) -> None:
    """Briefings (1920x1080 PNG) of large maps: their times and where they go."""
    sys.path.insert(0, str(ROOT))
    from tools.big_projects import write_project

    with tempfile.TemporaryDirectory() as tmp:
        for kind, label in (("points", f"{n:,} points"), ("mixed", f"{n:,} lines and areas")):
            project = write_project(Path(tmp) / f"{kind}.geojson", n, kind)
            got = [export_once(["--size", "1920x1080"], "png", project) for _ in range(runs)]
            secs = med(r[0] for r in got)
            steps = {k: med(r[2].get(k, float("nan")) for r in got) for k in "1234"}
            print(f"briefing PNG 1920x1080 of {label}: median {secs:.2f} s (runs: {', '.join(f'{r[0]:.2f}' for r in got)}), "
                  f"peak RSS {med(r[1] for r in got):.0f} MiB")
            print("  " + where(f"{label}", secs, steps))


if __name__ == "__main__":
    main()
