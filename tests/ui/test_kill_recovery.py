"""Kill the app (SIGKILL, no goodbye) in the middle of editing; the next start restores every
acknowledged change.

Each run starts tests/ui/recovery_driver.py in its own process group, reads the ``ACK`` lines it
prints after each change has returned, kills the whole group (SitMap and its QtWebEngineProcess
children) either right after the k-th ACK or at a random moment, then checks the recovery file
left on disk and starts a second process that restores it. No sleeping: the test only reads the
children's stdout lines; a watchdog kills a child that goes quiet.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.ui.recovery_driver import ops

ROOT = Path(__file__).resolve().parents[2]
STEPS = 40  # changes the editing process makes before it sits idle
CHILD_LIMIT_S = 90  # a child still running after this is killed and the run fails
SEED = 20220117


def kill_points() -> list[tuple[str, float]]:
    """("ack", k): kill right after reading the k-th ACK; ("moment", s): kill s seconds after the
    first ACK, wherever the editing process happens to be (between changes or inside one)."""
    rng = random.Random(SEED)
    points = [("ack", 1.0), ("ack", 2.0)] + [("ack", float(k)) for k in sorted(rng.sample(range(3, STEPS - 4), 3))]
    points += [("moment", round(rng.uniform(0.0, 3.0), 3)) for _ in range(3)]
    return points


def child_env() -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    flags = env.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    for flag in ("--no-sandbox", "--disable-gpu"):
        if flag not in flags:
            flags = f"{flags} {flag}".strip()
    env["QTWEBENGINE_CHROMIUM_FLAGS"] = flags
    return env


def kill_group(p: subprocess.Popen) -> None:
    try:
        os.killpg(p.pid, signal.SIGKILL)  # the driver and every QtWebEngineProcess it started
    except ProcessLookupError:
        pass


def start(*args: str) -> tuple[subprocess.Popen, threading.Timer]:
    p = subprocess.Popen([sys.executable, str(ROOT / "tests" / "ui" / "recovery_driver.py"), *args],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=child_env(),
                         cwd=str(ROOT), start_new_session=True)
    watchdog = threading.Timer(CHILD_LIMIT_S, kill_group, (p,))
    watchdog.daemon = True
    watchdog.start()
    return p, watchdog


def parse_ack(line: str) -> tuple[int, str, list[str]]:
    _, step, op, *changes = line.split()
    return int(step), op, [c for c in changes if c != "="]


def edit_and_kill(data_dir: Path, how: str, value: float, project: Path | None = None, steps: int = STEPS,
                  took: list[float] | None = None) -> list[str]:
    """Run the editing process, kill it as asked; return every ACK line it printed before dying."""
    p, watchdog = start("edit", str(data_dir), str(steps), *([str(project)] if project else []))
    acks: list[str] = []
    killer = None
    try:
        for line in p.stdout:
            line = line.strip()
            if line.startswith("TOOK") and took is not None:
                took.append(float(line.split()[1]))
            if not line.startswith("ACK"):
                continue
            acks.append(line)
            if how == "ack" and len(acks) == int(value):
                kill_group(p)
            elif how == "moment" and killer is None:
                killer = threading.Timer(value, kill_group, (p,))
                killer.start()
        # The pipe is at EOF: the process is gone, and every line it printed has been read.
        assert p.wait(timeout=30) == -signal.SIGKILL, "the editing process was not killed (watchdog or crash?)"
    finally:
        kill_group(p)
        watchdog.cancel()
        if killer is not None:
            killer.cancel()
    return acks


def restore(data_dir: Path) -> dict:
    p, watchdog = start("restore", str(data_dir))
    try:
        lines = [line for line in p.stdout if line.startswith("{")]
        p.wait(timeout=30)
    finally:
        kill_group(p)
        watchdog.cancel()
    assert lines, "the restoring process printed nothing"
    return json.loads(lines[0])


def check_recovery_file(data_dir: Path) -> set[str]:
    """The recovery (base + journal) must read back whole; returns the annotation ids it holds."""
    from viewer.model.project import Recovery

    scenario, _ = Recovery(data_dir / "recovery").load()
    return {f.id for f in scenario.features if f.properties.get("annotation")}


def test_sigkill_mid_editing_loses_no_acknowledged_change(tmp_path, capsys):
    script = dict(ops(STEPS))
    results = []
    problems = []
    for run, (how, value) in enumerate(kill_points()):
        data_dir = tmp_path / f"run{run}"
        data_dir.mkdir()
        t0 = time.perf_counter()
        acks = edit_and_kill(data_dir, how, value)
        assert acks, f"run {run}: killed before the first change was acknowledged"
        expected: set[str] = set()
        last_step = -1
        for line in acks:
            step, _op, changes = parse_ack(line)
            assert step == last_step + 1
            last_step = step
            for c in changes:
                (expected.add if c[0] == "+" else expected.discard)(c[1:])
        in_flight = script.get(last_step + 1)  # the change that may have been cut short, if any
        on_disk = check_recovery_file(data_dir)
        leftovers = sorted(x.name for x in (data_dir / "recovery").iterdir() if x.name.endswith(".tmp"))
        got = restore(data_dir)
        restored = set(got["ids"])
        lost = expected - restored
        extra = restored - expected
        # At most the change in flight may show up (its write finished, its ACK did not) or not.
        allowed_lost = len(lost) == 1 and in_flight == "undo"
        allowed_extra = len(extra) == 1 and in_flight in ("marker", "ring", "redo")
        ok = (got["restored"] and on_disk == restored and set(got["drawn"]) == restored
              and (not lost or allowed_lost) and (not extra or allowed_extra) and not (lost and extra))
        results.append((run, how, value, len(acks), in_flight, sorted(lost), sorted(extra), leftovers,
                        time.perf_counter() - t0))
        if not ok:
            problems.append(f"run {run} ({how} {value}): acked {len(acks)} changes, expected {sorted(expected)}, "
                            f"file {sorted(on_disk)}, restored {sorted(restored)}, drawn {got['drawn']}, "
                            f"in flight {in_flight}")
    data_lost = sum(len(r[5]) for r in results if not (len(r[5]) == 1 and r[4] == "undo"))
    with capsys.disabled():
        print(f"\nkill test: {len(results) - len(problems)}/{len(results)} kills survived, "
              f"{sum(r[3] for r in results)} acknowledged changes, {data_lost} lost")
        for run, how, value, n, in_flight, lost, extra, leftovers, dt in results:
            print(f"  run {run}: kill {how} {value:g} after {n} ACKs (next: {in_flight}); "
                  f"in-flight change {'written' if (extra or lost) else 'not written or none'}"
                  f"{'; stale temp files ' + ', '.join(leftovers) if leftovers else ''}; {dt:.1f} s")
    assert not problems, "\n".join(problems)


BIG = 100_000
BIG_STEPS = 14


def test_sigkill_at_100000_annotations_loses_no_acknowledged_change(tmp_path, capsys):
    """The same kill on a project of 100,000 point annotations (tools/big_projects.py): the
    journal holds every acknowledged change; the base is the map as opened. The restored map
    is read back in this process (a window drawing 100,000 points again would add nothing)."""
    from tools.big_projects import write_points_project

    project = write_points_project(tmp_path / "points.geojson", BIG)
    script = dict(ops(BIG_STEPS))
    took: list[float] = []
    report = []
    for run, k in enumerate((1, 6, 11)):
        data_dir = tmp_path / f"run{run}"
        data_dir.mkdir()
        acks = edit_and_kill(data_dir, "ack", float(k), project, BIG_STEPS, took)
        assert len(acks) == k
        expected: set[str] = set()
        for line in acks:
            for c in parse_ack(line)[2]:
                (expected.add if c[0] == "+" else expected.discard)(c[1:])
        on_disk = check_recovery_file(data_dir) - {f"p-{i}" for i in range(1, BIG + 1)}
        in_flight = script.get(k)
        lost, extra = expected - on_disk, on_disk - expected
        ok = (not lost or (len(lost) == 1 and in_flight == "undo")) and (
            not extra or (len(extra) == 1 and in_flight in ("marker", "ring", "redo")))
        assert ok, f"run {run}: expected {sorted(expected)}, recovered {sorted(on_disk)} (next: {in_flight})"
        report.append((run, k, sorted(on_disk)))
    with capsys.disabled():
        took.sort()
        print(f"\nkill test at {BIG:,} annotations: {len(report)}/{len(report)} kills survived; "
              f"changes acknowledged in median {took[len(took) // 2]:.1f} ms, slowest {took[-1]:.1f} ms")
