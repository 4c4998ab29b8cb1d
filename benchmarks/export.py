"""Export benchmark: whole-process time and peak memory of the headless briefing exports,
next to SitMap's own start-up time (process start -> map ready, from benchmarks/startup.py).

    .venv/bin/python benchmarks/export.py [--runs 5]

Each run is a fresh ``main.py --export`` process. Peak memory is the largest resident set of
the process and the helper processes it waited for (os.wait4's ru_maxrss); QtWebEngine's
renderer is one of those. Target: a 1920x1080 PNG in under 2x the app's start-up time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from startup import SITMAP, time_once  # noqa: E402  (the app's own start-up child)

CASES = (
    ("PNG 1920x1080", ["--size", "1920x1080"], "png"),
    ("PDF A4 @ 300 dpi", ["--paper", "a4", "--dpi", "300"], "pdf"),
    ("HTML 1920x1080", ["--size", "1920x1080"], "html"),
)


def export_once(args: list[str], suffix: str) -> tuple[float, float]:
    """(seconds, peak MiB) of one ``main.py --export`` process."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("DISPLAY", None)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"x.{suffix}"
        t0 = time.perf_counter()
        p = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--export", str(out), *args],
                             cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _pid, status, usage = os.wait4(p.pid, 0)
        dt = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        err = p.stderr.read().decode(errors="replace") if p.stderr else ""
        if p.returncode != 0 or not out.exists():
            raise RuntimeError(f"export {args} failed ({p.returncode}): {err.strip()[-300:]}")
    return dt, usage.ru_maxrss / 1024.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    time_once(SITMAP)  # warm the disk cache
    for _label, a, s in CASES:
        export_once(a, s)
    startup = []
    results: dict[str, list[tuple[float, float]]] = {label: [] for label, _a, _s in CASES}
    for _ in range(args.runs):  # interleaved, so drift hits all alike
        startup.append(time_once(SITMAP))
        for label, a, s in CASES:
            results[label].append(export_once(a, s))
    ms = statistics.median(startup)
    print(f"SitMap start-up to map ready:  median {ms:.3f} s  (runs: {', '.join(f'{x:.2f}' for x in startup)})")
    for label, runs in results.items():
        t = statistics.median(r[0] for r in runs)
        mem = statistics.median(r[1] for r in runs)
        print(f"export {label:<17} median {t:.3f} s  = {t / ms:.2f}x start-up, peak RSS {mem:.0f} MiB"
              f"  (runs: {', '.join(f'{r[0]:.2f}' for r in runs)})")
    png = statistics.median(r[0] for r in results["PNG 1920x1080"])
    print(f"PNG 1920x1080 / start-up: {png / ms:.2f}x  (target < 2.0x) -> {'OK' if png < 2 * ms else 'MISSED'}")


if __name__ == "__main__":
    main()
