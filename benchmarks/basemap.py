"""Basemap benchmark: start-up and export times with the basemap data of this tree against the
basemap data of an earlier commit (by default the one before rivers were added), measured in
the same run, interleaved, each in a fresh process.

    .venv/bin/python benchmarks/basemap.py [--runs 5] [--before REV]

Both variants run this tree's code; only ``resources/basemap`` differs (the earlier data is
taken from git into a temporary folder and given to ``Basemap.load``). Each variant has its own
cache folder (XDG_CACHE_HOME), so the page cache of one never serves the other. Start-up is
process start -> map ready (benchmarks/startup.py's child, warm: the page cache filled by a first
untimed run) and, with --cold, with the page cache emptied before every run. Target: the
richer basemap within 10% of the earlier one.

Two figures per measure: wall-clock seconds, and CPU seconds (user + system) of the process and
the helpers it waited for (QtWebEngine's renderer among them), from os.wait4. On a machine that
others share the wall-clock figures swing by 2x from run to run; the CPU figures much less.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BEFORE = "c89f056"  # the last commit with the Natural Earth-only basemap (8.9 MB)

PATCH = r'''
import sys
sys.path.insert(0, %(root)r)
data_dir = %(data)r
if data_dir:
    import viewer.render.basemap as _bm
    _load = _bm.Basemap.load.__func__
    _bm.Basemap.load = classmethod(lambda cls, d=None: _load(cls, d or data_dir))
'''

STARTUP = PATCH + r'''
from viewer.app import make_application, prepare_qt_environment
prepare_qt_environment(headless=True)
app = make_application(sys.argv)
from PySide6.QtCore import QSettings
from viewer.app import make_window, open_first_scenario
from viewer.ui.main_window import MainWindow
w, first = make_window(None, settings=QSettings(%(ini)r, QSettings.Format.IniFormat))
def check(*_):
    if w.map_view.is_ready:
        print("READY", flush=True)
        app.quit()
w.map_view.mapReady.connect(check)
w.show()
open_first_scenario(w, None, first)
app.exec()
'''

EXPORT = PATCH + r'''
from viewer.app import main
raise SystemExit(main(%(args)r))
'''

CASES = (
    ("PNG 1920x1080", ["--size", "1920x1080"], "png"),
    ("PDF A4 @ 300 dpi", ["--paper", "a4", "--dpi", "300"], "pdf"),
    ("HTML 1920x1080", ["--size", "1920x1080"], "html"),
)


def _env(cache: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CACHE_HOME=str(cache))
    env.pop("DISPLAY", None)
    flags = env.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if "--no-sandbox" not in flags:
        env["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox").strip()
    return env


def _cpu(usage) -> float:
    return usage.ru_utime + usage.ru_stime


def startup_once(data: str, cache: Path, ini: Path) -> tuple[float, float]:
    """(wall seconds to map ready, CPU seconds of the whole run: it quits at map ready)."""
    code = STARTUP % {"root": str(ROOT), "data": data, "ini": str(ini)}
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True, env=_env(cache), cwd=ROOT)
    ready = None
    for line in p.stdout:
        if line.strip() == "READY":
            ready = time.perf_counter() - t0
            break
    _pid, _status, usage = os.wait4(p.pid, 0)
    p.returncode = 0
    if ready is None:
        raise RuntimeError("the app never reported READY")
    return ready, _cpu(usage)


def export_once(data: str, cache: Path, args: list[str], suffix: str) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"x.{suffix}"
        code = EXPORT % {"root": str(ROOT), "data": data, "args": ["--export", str(out), *args]}
        t0 = time.perf_counter()
        p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             env=_env(cache), cwd=ROOT)
        err = p.stderr.read()
        _pid, status, usage = os.wait4(p.pid, 0)
        dt = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0 or not out.exists():
            raise RuntimeError(f"export {args} failed ({p.returncode}): {err.decode(errors='replace')[-300:]}")
    return dt, _cpu(usage)


def extract_basemap(rev: str, into: Path) -> Path:
    archive = into / "before.tar"
    with open(archive, "wb") as fh:
        subprocess.run(["git", "archive", rev, "resources/basemap"], cwd=ROOT, stdout=fh, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "resources" / "basemap"


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.iterdir() if p.is_file()) / 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--before", default=DEFAULT_BEFORE, help="git revision whose resources/basemap is the reference")
    ap.add_argument("--cold", action="store_true", help="empty the page cache before every start-up")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        before_dir = extract_basemap(args.before, tmp)
        variants = {"before": str(before_dir), "now": ""}
        caches = {k: tmp / f"cache-{k}" for k in variants}
        inis = {k: tmp / f"{k}.ini" for k in variants}
        print(f"basemap data: before ({args.before}) {folder_mb(before_dir):.1f} MB, "
              f"now {folder_mb(ROOT / 'resources' / 'basemap'):.1f} MB")
        for k, d in variants.items():  # warm the disk cache and each variant's page cache
            startup_once(d, caches[k], inis[k])
            for _label, a, s in CASES:
                export_once(d, caches[k], a, s)
        start = {k: [] for k in variants}
        exports = {(k, label): [] for k in variants for label, _a, _s in CASES}
        for _ in range(args.runs):  # interleaved, so drift hits both alike
            for k, d in variants.items():
                if args.cold:
                    shutil.rmtree(caches[k] / "SitMap" / "SitMap" / "pages", ignore_errors=True)
                start[k].append(startup_once(d, caches[k], inis[k]))
                for label, a, s in CASES:
                    exports[(k, label)].append(export_once(d, caches[k], a, s))

    def line(label: str, b: list[tuple[float, float]], n: list[tuple[float, float]]) -> None:
        for i, kind in ((0, "wall"), (1, "CPU ")):
            xb, xn = [r[i] for r in b], [r[i] for r in n]
            mb, mn = statistics.median(xb), statistics.median(xn)
            verdict = "OK" if mn <= 1.10 * mb else "MISSED"
            print(f"{label:<24} {kind} before {mb:6.3f} s  now {mn:6.3f} s  ratio {mn / mb:.3f}  (target <= 1.10) "
                  f"{verdict}   runs before: {', '.join(f'{x:.2f}' for x in xb)}; now: {', '.join(f'{x:.2f}' for x in xn)}")

    line("start-up to map ready" + (" (cold)" if args.cold else ""), start["before"], start["now"])
    for label, _a, _s in CASES:
        line(f"export {label}", exports[("before", label)], exports[("now", label)])


if __name__ == "__main__":
    main()
