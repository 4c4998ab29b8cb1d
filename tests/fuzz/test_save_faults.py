"""Saving when the disk is full, the folder read-only, or the process killed part-way.

(a)/(b) The faults are injected where viewer.model.project meets the OS (a write that stops half-way
with ENOSPC, fsync failing, mkstemp or os.replace refused with EROFS / EACCES; as root chmod would
not stop a write): the save reports a clear message, the old file and its .bak stay byte-identical,
no temporary file is left behind, and the window keeps its unsaved work.
(c) A separate process saves versions A, B, C of a few-MB project in turn with save_project and is
killed with SIGKILL at seeded random moments: the file on disk (and the .bak) must always be one
version, whole.
"""

from __future__ import annotations

import errno
import os
import random
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from viewer.model import project

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "fuzz"))


class HalfWriter:
    """A file whose write puts half the bytes on disk, then fails like a full disk."""

    def __init__(self, f, err: int):
        self.f, self.err = f, err

    def write(self, data):
        self.f.write(data[: len(data) // 2])
        self.f.flush()
        raise OSError(self.err, os.strerror(self.err))

    def __getattr__(self, name):
        return getattr(self.f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.f.close()


def fail_on_call(real, k: int, err: int):
    """real(...) except that the k-th call (1-based) raises OSError(err)."""
    calls = {"n": 0}

    def fake(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == k:
            raise OSError(err, os.strerror(err))
        return real(*args, **kwargs)

    return fake


def half_write_on_call(k: int, err: int):
    real = os.fdopen
    calls = {"n": 0}

    def fake(fd, *args, **kwargs):
        calls["n"] += 1
        f = real(fd, *args, **kwargs)
        return HalfWriter(f, err) if calls["n"] == k else f

    return fake


FAULTS = {
    # disk full while writing the new version / while writing the backup copy / at fsync
    "enospc-half-written": lambda: ("fdopen", half_write_on_call(1, errno.ENOSPC)),
    "enospc-backup-half-written": lambda: ("fdopen", half_write_on_call(2, errno.ENOSPC)),
    "enospc-at-fsync": lambda: ("fsync", fail_on_call(os.fsync, 1, errno.ENOSPC)),
    "edquot-at-fsync-of-backup": lambda: ("fsync", fail_on_call(os.fsync, 2, errno.EDQUOT)),
    # read-only folder or target
    "erofs-at-mkstemp": lambda: ("mkstemp", fail_on_call(project.tempfile.mkstemp, 1, errno.EROFS)),
    "eacces-at-mkstemp-of-backup": lambda: ("mkstemp", fail_on_call(project.tempfile.mkstemp, 2, errno.EACCES)),
    "eacces-at-replace": lambda: ("replace", fail_on_call(os.replace, 2, errno.EACCES)),
    "erofs-at-replace-of-backup": lambda: ("replace", fail_on_call(os.replace, 1, errno.EROFS)),
}


def inject(monkeypatch, fault: str) -> None:
    where, fake = FAULTS[fault]()
    if where == "mkstemp":
        monkeypatch.setattr(project.tempfile, "mkstemp", fake)
    else:
        monkeypatch.setattr(project.os, where, fake)


def listing(folder: Path) -> dict[str, bytes]:
    """The folder's files (not the window's own data folder beside them)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_failed_save_reports_and_keeps_the_old_file_whole(window, tmp_path, monkeypatch, fault):
    folder = tmp_path / "projects"
    folder.mkdir()
    target = folder / "project.geojson"
    assert window.save_to(target)  # the old version, then one more save so that a .bak exists
    window.add_ring(39.0, 125.0, 100_000, "first change")
    assert window.save_to(target)
    window.add_ring(40.0, 126.0, 200_000, "unsaved change")
    before = listing(folder)
    assert set(before) == {"project.geojson", "project.geojson.bak"}

    inject(monkeypatch, fault)
    window._error_box = None
    assert window.save_to(target) is False
    monkeypatch.undo()

    text = window._error_box.text()
    window._error_box.done(0)
    assert str(target) in text and "previous file is unchanged" in text, text
    assert os.strerror({"enospc": errno.ENOSPC, "edquot": errno.EDQUOT, "erofs": errno.EROFS,
                        "eacces": errno.EACCES}[fault.split("-")[0]]) in text, text
    after = listing(folder)
    assert set(after) == set(before), f"temporary files left behind: {sorted(set(after) - set(before))}"
    assert after["project.geojson"] == before["project.geojson"], "the old file changed"
    # The backup is rotated before the final rename: if only that rename fails, NAME.bak already
    # holds the (unchanged) current file. Either way it is a whole version.
    assert after["project.geojson.bak"] in (before["project.geojson.bak"], before["project.geojson"])
    assert not window.undo_stack.isClean(), "the unsaved change must still count as unsaved"
    assert window.save_to(target)  # once the disk is fine again, the same save works
    assert project.parse_scenario_bytes(target.read_bytes(), "p").features == window.scenario.features


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EROFS])
def test_a_failed_export_reports_and_keeps_the_old_export(window, tmp_path, monkeypatch, err):
    out = tmp_path / "share.kml"
    assert window.export_exchange(out)
    before = listing(tmp_path)
    monkeypatch.setattr(project.os, "fdopen", half_write_on_call(1, err))
    window._error_box = None
    assert window.export_exchange(out) is False
    monkeypatch.undo()
    text = window._error_box.text()
    window._error_box.done(0)
    assert str(out) in text and os.strerror(err) in text
    assert listing(tmp_path) == before


# --------------------------------------------------------------------------- SIGKILL during saves

RUNS = 30
SEED = 20220117


def test_sigkill_during_saves_never_leaves_a_partial_file(tmp_path):
    from save_loop import NAMES, versions

    whole = {name: project.project_bytes(s) for name, s in versions().items()}
    rng = random.Random(SEED)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    survived, lost, mid_save, strays = 0, [], 0, 0
    for run in range(RUNS):
        folder = tmp_path / f"run{run:02d}"
        folder.mkdir()
        target = folder / "project.geojson"
        p = subprocess.Popen([sys.executable, str(ROOT / "tests" / "fuzz" / "save_loop.py"), str(target)],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=str(ROOT))
        watchdog = threading.Timer(120, p.kill)
        watchdog.daemon = True
        watchdog.start()
        killer = None
        saved: list[list[str]] = []
        try:
            assert p.stdout.readline().strip() == "READY"
            if run % 2:  # kill right after the k-th save returned: the next one has just begun
                k = rng.randrange(1, 25)
                for _ in range(k):
                    line = p.stdout.readline()
                    assert line.startswith("SAVED")
                    saved.append(line.split())
                p.kill()
            else:  # kill at a random moment, wherever the saving process is
                killer = threading.Timer(rng.uniform(0.0, 1.5), p.kill)
                killer.start()
            saved += [line.split() for line in p.stdout if line.startswith("SAVED")]
            p.wait()
        finally:
            watchdog.cancel()
            if killer:
                killer.cancel()
            p.kill()
            p.wait()
        assert p.returncode == -9, f"run {run}: the saver was not killed ({p.returncode})"
        last = saved[-1][1] if saved else "A"  # the last version whose save returned
        following = NAMES[(NAMES.index(last) + 1) % 3]  # the one being saved when killed
        data = target.read_bytes()
        version = next((n for n, b in whole.items() if b == data), None)
        if version not in (last, following):
            lost.append(f"run {run}: file is {version or f'{len(data)} bytes of no version'}; last saved {last}")
            continue
        bak = target.with_name(target.name + ".bak")
        if bak.exists() and bak.read_bytes() not in whole.values():
            lost.append(f"run {run}: the .bak is not a whole version ({bak.stat().st_size} bytes)")
            continue
        survived += 1
        mid_save += version == following
        strays += sum(1 for q in folder.iterdir() if q.name.endswith(".tmp"))
    print(f"\n{RUNS} SIGKILLs: {survived} survived, {len(lost)} lost data; {mid_save} landed after the rename "
          f"of a save that never reported; {strays} temporary files left by killed saves")
    assert not lost, lost
    assert survived == RUNS
