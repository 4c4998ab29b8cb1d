"""Start-up of the PyInstaller bundle against the source install, measured in the same run.

Three whole-process timings, each run alternately for the bundle (``SitMap/sitmap``) and the
source install (this Python running ``main.py`` from the checkout), each in a fresh process with
a new empty HOME:

* ``--version``: process start, Python start-up and the command line (no Qt);
* ``--export x.png``: a headless start that draws the built-in map and writes the briefing;
* window: start under Xvfb until the SitMap window is on the X screen (its title appears).

Printed as medians in seconds and as the ratio bundle / source (below 1: the bundle is faster).

    bash scripts/bundle.sh                       # makes dist/SitMap
    .venv/bin/python benchmarks/bundle_startup.py [--bundle dist/SitMap] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(cmd: list[str], env: dict, cwd: Path) -> float:
    start = time.perf_counter()
    r = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, timeout=300)
    took = time.perf_counter() - start
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {r.stderr.decode(errors='replace')[-1500:]}")
    return took


def window_shown(cmd: list[str], env: dict, cwd: Path, display: str) -> float:
    """Seconds from spawn until a window titled '... — SitMap' is on the X display."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=dict(env, DISPLAY=display), cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            out = subprocess.run(["xwininfo", "-root", "-children", "-display", display],
                                 capture_output=True, text=True).stdout
            if "\u2014 SitMap\"" in out:
                return time.perf_counter() - start
            if proc.poll() is not None or time.perf_counter() - start > 120:
                raise SystemExit(f"{' '.join(cmd)}: no window (exit {proc.poll()})")
            time.sleep(0.02)
    finally:
        proc.terminate()
        proc.wait(30)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bundle", default=str(ROOT / "dist" / "SitMap"), help="the unpacked bundle folder")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-window", action="store_true", help="skip the Xvfb window timing")
    args = ap.parse_args()
    exe = Path(args.bundle) / "sitmap"
    if not os.access(exe, os.X_OK):
        raise SystemExit(f"{exe}: not found; build it with bash scripts/bundle.sh")
    tmp = Path(tempfile.mkdtemp(prefix="sitmap-bench-"))
    programs = {"bundle": [str(exe)], "source": [sys.executable, str(ROOT / "main.py")]}
    xvfb = None
    display = ":97"
    if not args.no_window and shutil.which("Xvfb") and shutil.which("xwininfo"):
        n = 97
        while Path(f"/tmp/.X11-unix/X{n}").exists():
            n += 1
        display = f":{n}"
        xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while not Path(f"/tmp/.X11-unix/X{n}").exists():
            time.sleep(0.05)
    results: dict[str, dict[str, list[float]]] = {}
    try:
        measures = {
            "--version": lambda cmd, env, cwd: timed(cmd + ["--version"], env, cwd),
            "--export x.png": lambda cmd, env, cwd: timed(cmd + ["--export", "x.png"], env, cwd),
        }
        if xvfb is not None:
            measures["window shown"] = lambda cmd, env, cwd: window_shown(cmd + ["--new-instance"], env, cwd, display)
        for run in range(args.runs + 1):  # run 0 warms the disk cache and is not counted
            for name, measure in measures.items():
                for which, cmd in programs.items():
                    home = Path(tempfile.mkdtemp(prefix=f"home-{which}-", dir=tmp))
                    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
                    took = measure(cmd, env, home)
                    if run:
                        results.setdefault(name, {}).setdefault(which, []).append(took)
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{'measure':<16}{'bundle s':>10}{'source s':>10}{'bundle/source':>15}   ({args.runs} runs, medians)")
    for name, by in results.items():
        b, s = statistics.median(by["bundle"]), statistics.median(by["source"])
        print(f"{name:<16}{b:>10.2f}{s:>10.2f}{b / s:>15.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
