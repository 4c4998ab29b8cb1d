import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def need(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} not installed (scripts/setup.sh --test installs them)")


def clean_env(home: Path, **extra: str) -> dict:
    """An environment with nothing of the developer's: new HOME and XDG folders, system PATH."""
    env = {"HOME": str(home), "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
           "XDG_DATA_HOME": str(home / ".local" / "share"), "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_CACHE_HOME": str(home / ".cache"), "XDG_DATA_DIRS": "/usr/local/share:/usr/share",
           "TMPDIR": str(home / "tmp")}
    (home / "tmp").mkdir(parents=True, exist_ok=True)
    env.update(extra)
    return env


def source_files() -> list[str]:
    """The files a fresh clone has (tracked, plus new ones not ignored)."""
    r = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT,
                       capture_output=True)
    assert r.returncode == 0, r.stderr
    return [f for f in r.stdout.decode().split("\0") if f and (ROOT / f).is_file()]


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory):
    """(wheel, source copy, files): the wheel built from a copy of the files a fresh clone has."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    files = source_files()
    for f in files:
        (src / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / f, src / f)
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp / "dist"), str(src)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    return next((tmp / "dist").glob("sitmap-*.whl")), src, files


class Xvfb:
    """An X server on a display it picks itself (``-displayfd``): it writes the display's number to
    a pipe once it accepts clients, and that read is the wait (no polling for its socket)."""

    def __init__(self):
        need("Xvfb")
        read_end, write_end = os.pipe()
        try:
            self.proc = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x800x24",
                                          "-nolisten", "tcp"], pass_fds=(write_end,),
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            os.close(write_end)
            write_end = None
            number = b""
            while not number.endswith(b"\n"):
                ready, _, _ = select.select([read_end], [], [], 20)
                chunk = os.read(read_end, 64) if ready else b""
                if not chunk:
                    self.proc.kill()
                    raise AssertionError(f"Xvfb did not start (it said {number!r})")
                number += chunk
        finally:
            os.close(read_end)
            if write_end is not None:
                os.close(write_end)
        self.number = int(number)
        self.display = f":{self.number}"

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


@pytest.fixture()
def xvfb():
    x = Xvfb()
    yield x
    x.stop()


class WindowEvents:
    """Waits for windows on an X display without sleeping: xev reports each window made, mapped,
    moved or gone (on the root window) and each property change, a new title among them (on every
    top-level window); the wait is a select() on their output and on the watched processes' exit
    (pidfd). ``RECHECK_S`` only bounds one select, for an event that came before its xev listened."""

    RECHECK_S = 5.0

    def __init__(self, display: str):
        need("xev", "xwininfo")
        self.display = display
        self.watchers: dict[str, subprocess.Popen] = {}
        self._watch("root", ["-root", "-event", "substructure"])

    def _watch(self, key: str, args: list[str]) -> None:
        self.watchers[key] = subprocess.Popen(["xev", "-display", self.display, *args],
                                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def _watch_new_windows(self) -> None:
        for wid in top_level_ids(self.display):
            if wid not in self.watchers:
                self._watch(wid, ["-id", wid, "-event", "property"])

    def wait(self, condition, timeout: float, what: str, processes: tuple = ()):
        """``condition()``'s first true value, checked again whenever the display or one of
        ``processes`` (it ended) has news."""
        exits = {os.pidfd_open(p.pid): p for p in processes if p.poll() is None}
        try:
            deadline = time.monotonic() + timeout
            while True:
                self._watch_new_windows()
                value = condition()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out after {timeout:.0f} s: {what}")
                streams = [w.stdout for w in self.watchers.values() if not w.stdout.closed]
                ready, _, _ = select.select(streams + list(exits), [], [], min(remaining, self.RECHECK_S))
                for r in ready:
                    if r in exits:
                        os.close(r)
                        del exits[r]
                    elif not os.read(r.fileno(), 65536):
                        r.close()  # that window is gone
        finally:
            for fd in exits:
                os.close(fd)

    def close(self) -> None:
        for w in self.watchers.values():
            w.kill()
            w.wait(10)
            if not w.stdout.closed:
                w.stdout.close()


def top_level_ids(display: str) -> list[str]:
    r = subprocess.run(["xwininfo", "-root", "-children", "-display", display], capture_output=True, text=True)
    return [line.split()[0] for line in r.stdout.splitlines() if line.strip().startswith("0x")]


def window_titles(display: str) -> list[tuple[str, str]]:
    """(window id, title) of every named top-level window on the X display."""
    r = subprocess.run(["xwininfo", "-root", "-children", "-display", display], capture_output=True, text=True)
    out = []
    for line in r.stdout.splitlines():
        line = line.strip()
        if line.startswith("0x") and '"' in line:
            wid, rest = line.split(" ", 1)
            title = rest.split('"')[1] if rest.startswith('"') else ""
            if title:
                out.append((wid, title))
    return out


def window_pid(display: str, wid: str) -> int | None:
    r = subprocess.run(["xprop", "-display", display, "-id", wid, "_NET_WM_PID"], capture_output=True, text=True)
    tail = r.stdout.rsplit("=", 1)[-1].strip()
    return int(tail) if tail.isdigit() else None


def grab_screen(display: str, out: Path) -> bool:
    """Photograph the whole X screen (not a widget) with a Qt helper process."""
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
    code = ("import sys; from PySide6.QtGui import QGuiApplication; app = QGuiApplication(sys.argv[:1]); "
            "sys.exit(0 if QGuiApplication.primaryScreen().grabWindow(0).save(sys.argv[1], 'PNG') else 1)")
    return subprocess.run([sys.executable, "-c", code, str(out)], env=env, capture_output=True, timeout=60).returncode == 0


def map_colours(png: Path) -> dict:
    """Counts of the basemap's sea and land and the range ring's orange in the screen's map part."""
    from PySide6.QtGui import QColor, QImage

    img = QImage(str(png))
    counts = {"sea": 0, "land": 0, "ring": 0, "total": 0}
    for x in range(0, min(850, img.width()), 4):
        for y in range(60, min(760, img.height()), 4):
            c = QColor(img.pixel(x, y))
            r_, g, b = c.red(), c.green(), c.blue()
            counts["total"] += 1
            if b > r_ + 15 and b > 200 and g > 200:
                counts["sea"] += 1
            elif r_ > 230 and g > 225 and b > 210 and r_ >= b:
                counts["land"] += 1
            elif r_ > 180 and 60 < g < 140 and b < 80:
                counts["ring"] += 1
    return counts


def shows_map(counts: dict) -> bool:
    t = counts["total"] or 1
    return counts["sea"] > t * 0.1 and counts["land"] > t * 0.05 and counts["ring"] > 30


def save_map(path: Path) -> Path:
    """A map as Save writes it: the built-in scenario saved under ``path``."""
    from viewer import resources
    from viewer.model.project import save_project
    from viewer.model.scenario import load_scenario

    save_project(load_scenario(resources.default_scenario()), path)
    return path


def sitmap_windows(display: str) -> list[tuple[str, str]]:
    return [(w, t) for w, t in window_titles(display) if t.endswith("\u2014 SitMap")]


def xdg_open_twice(env: dict, display: str, folder: Path) -> None:
    """xdg-open a saved map: SitMap opens it (its title names the file); a second xdg-open while
    it runs reaches the same process, which opens the second map in the same window."""
    need("xdg-open", "xwininfo", "xprop")
    first, second = save_map(folder / "first.sitmap.geojson"), save_map(folder / "second.sitmap.geojson")
    env = dict(env, DISPLAY=display)
    events = WindowEvents(display)
    opener = subprocess.Popen(["xdg-open", str(first)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    pid = None
    try:
        wid, title = events.wait(
            lambda: next(((w, t) for w, t in sitmap_windows(display) if "first.sitmap.geojson" in t), None)
            or (opener.poll() is not None and pytest.fail(f"xdg-open ended: {opener.stdout.read()[-2000:]!r}")),
            120, "a SitMap window naming first.sitmap.geojson", processes=(opener,))
        pid = window_pid(display, wid)
        assert pid is not None and pid != opener.pid
        again = subprocess.run(["xdg-open", str(second)], env=env, capture_output=True, text=True, timeout=90)
        assert again.returncode == 0, again.stderr[-2000:]
        events.wait(lambda: any("second.sitmap.geojson" in t for _, t in sitmap_windows(display)), 60,
                    "the running SitMap opening second.sitmap.geojson", processes=(opener,))
        windows = sitmap_windows(display)
        assert len(windows) == 1, windows  # the same window, not a second SitMap
        assert window_pid(display, windows[0][0]) == pid
        assert opener.poll() is None  # the first SitMap is still the one running
    finally:
        events.close()
        if pid is not None:
            os.kill(pid, 15)
        try:
            opener.wait(30)
        except subprocess.TimeoutExpired:
            opener.kill()
            opener.wait(10)
