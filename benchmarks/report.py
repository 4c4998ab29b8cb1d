"""What every benchmark prints: the machine's state, each target as a ratio to the reference
measured in the same run (medians) with PASS or MISS, and a Markdown table for the README.

The machine is shared (2 cores, other work on it): the ratios are what counts, and a run made
while the load average was above the core count says so next to its figures.
"""

from __future__ import annotations

import math
import os
import statistics
from pathlib import Path


def as_installed() -> None:
    """SitMap's processes measured as an installed copy runs: with its code's bytecode at hand
    (pip compiles a wheel's on install, and a checkout's first start writes it), never compiled
    from source at each start. A shell that sets PYTHONDONTWRITEBYTECODE (a sandbox's, a CI's) made
    every start here compile the code again: 0.07-0.1 s of a warm start's 0.45-0.52 s."""
    import compileall

    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # (inherited by the processes measured)
    root = Path(__file__).resolve().parent.parent
    for folder in ("viewer", "tools"):
        compileall.compile_dir(str(root / folder), quiet=1)


as_installed()

TREE_HWM = r'''
def _proc_kb(pid, name, key):
    try:
        for line in open(f"/proc/{pid}/{name}"):
            if line.startswith(key):
                return int(line.split()[1])
    except OSError:
        pass
    return 0

def _hwm_kb(pid):
    return _proc_kb(pid, "status", "VmHWM:")

def _descendants(root):
    kids = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                ppid = int(open(f"/proc/{d}/stat").read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(d))
    out, todo = [], [root]
    while todo:
        for k in kids.get(todo.pop(), []):
            out.append(k)
            todo.append(k)
    return out

def tree_hwm_kb():
    """Peak resident memory of this process plus every process it started (QtWebEngine's)."""
    me = os.getpid()
    return _hwm_kb(me) + sum(_hwm_kb(p) for p in _descendants(me))
'''



# The frame timing both large-map benchmarks run in the page: each step of ``steps`` (a JS array of
# [name, action]) is timed from its action to the end of the frame that shows it (two animation
# frames later: the page's script and the painting and rasterising of that frame both count), as
# ``out[name]`` and ``out[name + '_script']``; the times go to window.__benchFrames as JSON.
# ``finish``: JS run before that, with ``out`` and ``m`` (the map) in scope. ``settled``: a JS
# expression true once what a step started is all painted (a page that paints a large view over
# several frames): the time to it is ``out[name + '_whole']``, and the next step waits for it.
def timed_frames_js(steps: str, finish: str = "", settled: str = "true") -> str:
    return ("var steps = " + steps + """;
        window.__benchFrames = null;
        (function next(i) {
          if (i === steps.length) { """ + finish + """ window.__benchFrames = JSON.stringify(out); return; }
          var t = performance.now();
          steps[i][1]();
          out[steps[i][0] + '_script'] = performance.now() - t;
          requestAnimationFrame(function () { requestAnimationFrame(function () {
            out[steps[i][0]] = performance.now() - t;
            (function whole() {
              if (!(""" + settled + """)) { requestAnimationFrame(whole); return; }
              out[steps[i][0] + '_whole'] = Math.max(out[steps[i][0]], performance.now() - t);
              setTimeout(function () { next(i + 1); }, 50);
            })(); }); });
        })(0);""")

# In a benchmark's child (which has ``w``, the main window): run the timed frames in the page
# after ``prelude`` (JS that sets ``m``, ``w`` and ``out``) and hand their JSON text to ``then``.
RUN_FRAMES = r'''
_pollers = []

def run_frames(prelude, frames_js, then):
    from PySide6.QtCore import QTimer
    poller = QTimer()
    _pollers.append(poller)
    def poll():
        w.map_view.run_js("window.__benchFrames", lambda v: (poller.stop(), then(v)) if v else None)
    poller.timeout.connect(poll)
    w.map_view.run_js("(function () { " + prelude + frames_js + " return 'started'; })()",
                      lambda _v: poller.start(100))
'''

_TREE: dict = {"os": os}
exec(TREE_HWM, _TREE)  # (the same process-tree walk the children run, here for the sampler's use)


def _pss_kb(pid: int) -> int:
    return _TREE["_proc_kb"](pid, "smaps_rollup", "Pss:")


class TreePss:
    """The peak of the summed proportional set size (PSS) of a process and all its descendants,
    sampled every ``every`` s by a thread of the benchmark's own process until :meth:`stop`.

    A sum of resident sizes (VmHWM) counts a page shared by several processes once in each: the
    web engine's library, mapped by Python, both zygotes and the renderer, was counted four times,
    and on some machines 250 MB more than on others for the same page. PSS shares each such page
    among the processes that map it, so the sum is the memory the whole tree takes. (A sample can
    miss a peak shorter than ``every``.)"""

    def __init__(self, pid: int, every: float = 0.1):
        import threading

        self.pid, self.every, self.peak_kb = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = [self.pid] + _TREE["_descendants"](self.pid)
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in pids))
            self._stop.wait(self.every)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak_kb


def stop_child(p, timer) -> None:
    """A benchmark's child process group gone, whatever state it is in, and its time limit off."""
    import os

    timer.cancel()
    try:
        os.killpg(p.pid, 9)
    except ProcessLookupError:
        pass

def machine() -> str:
    cores = os.cpu_count() or 1
    load = os.getloadavg()
    note = f"{cores} cores, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"
    if load[0] > cores:
        note += "  (LOADED: more runnable work than cores; absolute times are inflated, ratios less so)"
    return note


def med(xs) -> float:
    xs = [x for x in xs if not math.isnan(x)]
    return statistics.median(xs) if xs else float("nan")


class Targets:
    """Collects target lines: ``check("warm start", 0.41, 0.27, 1.5)`` -> ratio 1.52x, MISS."""

    def __init__(self, title: str):
        self.title = title
        self.rows: list[tuple[str, str, str, float, float, bool]] = []

    def check(self, what: str, value: float, reference: float, limit: float, unit: str = "s",
              ref_name: str = "reference") -> bool:
        ratio = value / reference if reference else float("inf")
        ok = ratio <= limit
        self.rows.append((what, _fmt(value, unit), f"{ref_name} {_fmt(reference, unit)}", ratio, limit, ok))
        print(f"TARGET {what}: {_fmt(value, unit)} vs {ref_name} {_fmt(reference, unit)} = {ratio:.2f}x "
              f"(target <= {limit:g}x) {'PASS' if ok else 'MISS'}", flush=True)
        return ok

    def absolute(self, what: str, value: float, limit: float, unit: str = "s") -> bool:
        ok = value <= limit
        self.rows.append((what, _fmt(value, unit), "-", float("nan"), limit, ok))
        print(f"TARGET {what}: {_fmt(value, unit)} (target <= {_fmt(limit, unit)}) {'PASS' if ok else 'MISS'}", flush=True)
        return ok

    def markdown(self) -> str:
        lines = [f"**{self.title}** ({machine()})", "", "| target | SitMap | reference | ratio | limit | |",
                 "|---|---|---|---|---|---|"]
        for what, value, ref, ratio, limit, ok in self.rows:
            r = "-" if math.isnan(ratio) else f"{ratio:.2f}x"
            lim = "absolute" if math.isnan(ratio) else f"{limit:g}x"
            lines.append(f"| {what} | {value} | {ref} | {r} | {lim} | {'PASS' if ok else 'MISS'} |")
        return "\n".join(lines)


def _fmt(v: float, unit: str) -> str:
    if unit == "s":
        return f"{v:.2f} s"
    if unit == "ms":
        return f"{v:.0f} ms"
    if unit == "MB":
        return f"{v:.0f} MB"
    return f"{v:g} {unit}"


__all__ = ["TREE_HWM", "Targets", "TreePss", "machine", "med"]
