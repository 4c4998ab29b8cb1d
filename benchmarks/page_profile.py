"""Where the page's own time goes: a JavaScript CPU profile of the map page while a map opens, or of
the briefing page while it is exported, taken through Chromium's DevTools protocol.

The Python side of each start is timed by the other benchmarks (and ``py-spy`` shows its
functions); this shows the page's: its script functions by their own time, then a timeline in
steps of ``--step`` milliseconds (how busy the page's thread was, and with what). A fresh offscreen
SitMap process opens the map as ``sitmap FILE`` does (no FILE: the built-in map), or exports it as
``sitmap [FILE] --export OUT.png --size WxH`` does (``--export``); this process asks its page for
the profile from the moment the page exists until the map is ready (or the picture captured).
With ``--zoom``, the profile is instead of a zoom step in (as the + key's, about the view's middle)
on the map once it is ready and its page idle (its points' layer painting nothing more), to the
second frame after it: where a large map's zoom step spends its time.
Profiling makes the page slower (a sample every ``--interval`` microseconds): read the shares,
not the absolute times.

    .venv/bin/python benchmarks/page_profile.py [FILE] [--export | --zoom] [--size 1920x1080] [--top 25]
"""

from __future__ import annotations

import argparse
import base64
import collections
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # (the page scripts' bundle is named from viewer's own list)

# The child: the window opening FILE (as annotations.py's child does, without its probes), or the
# briefing export; it says READY when the map is ready (the picture captured), then waits for a line.
WINDOW_CHILD = r'''
import sys
sys.path.insert(0, %(root)r)
from pathlib import Path
from viewer.app import make_application, prepare_qt_environment
prepare_qt_environment(headless=True)
app = make_application(sys.argv)
from PySide6.QtCore import QSettings
from viewer import resources
import viewer.app as app_mod
from viewer.render.page_cache import PageCache
app_mod.page_cache = lambda: PageCache(Path(%(data)r) / "pages")  # a cold page cache
path = Path(%(path)r) if %(path)r else resources.default_scenario()
w, first = app_mod.make_window(path, settings=QSettings(%(ini)r, QSettings.Format.IniFormat), data_dir=%(data)r)
w.maybe_keep_changes = lambda: True
w.resize(1300, 850)
w.show()
import threading
from PySide6.QtCore import QTimer
def ready(_state):  # (the event loop goes on meanwhile: the DevTools answers go through this thread)
    print("READY", flush=True)
    told = threading.Thread(target=sys.stdin.readline, daemon=True)
    told.start()
    poll.timeout.connect(lambda: told.is_alive() or app.quit())
    poll.start(20)
poll = QTimer()
w.map_view.mapReady.connect(ready)
app_mod.open_first_scenario(w, path, first)
app.exec()
'''

EXPORT_CHILD = r'''
import sys
sys.path.insert(0, %(root)r)
import threading, time
from viewer import api
def progress(step, message):
    if step == 4:  # (the picture captured: about to be written)
        from PySide6.QtWidgets import QApplication
        print("READY", flush=True)
        told = threading.Thread(target=sys.stdin.readline, daemon=True)
        told.start()
        while told.is_alive():  # (the event loop goes on: the DevTools answers go through this thread)
            QApplication.processEvents()
            time.sleep(0.005)
m = api.open_map(%(path)r or None)
m.export(%(out)r, size=%(size)r, progress=progress)
'''


class DevTools:
    """One page's DevTools connection: a WebSocket (RFC 6455, text frames) to its debugger URL."""

    def __init__(self, url: str):
        host, _, rest = url[len("ws://"):].partition("/")
        name, _, port = host.partition(":")
        self.sock = socket.create_connection((name, int(port)), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /{rest} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            got = self.sock.recv(4096)
            if not got:
                raise ConnectionError("the page's DevTools connection closed")
            head += got
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(head.split(b"\r\n", 1)[0].decode(errors="replace"))
        self.buffer = head.split(b"\r\n\r\n", 1)[1]
        self.next_id = 0

    def _read(self, n: int) -> bytes:
        while len(self.buffer) < n:
            got = self.sock.recv(1 << 20)
            if not got:
                raise ConnectionError("the page's DevTools connection closed")
            self.buffer += got
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def _message(self) -> dict:
        data = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            data += self._read(n)  # (a server's frames are not masked)
            if b0 & 0x80:  # the last frame of the message
                return json.loads(data)

    def call(self, method: str, **params) -> dict:
        self.next_id += 1
        body = json.dumps({"id": self.next_id, "method": method, "params": params}).encode()
        mask = os.urandom(4)
        n = len(body)
        head = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else
                                bytes([0x80 | 126]) + struct.pack(">H", n) if n < 65536 else
                                bytes([0x80 | 127]) + struct.pack(">Q", n))
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(body)))
        while True:
            m = self._message()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})


def first_page(port: int, limit_s: float) -> DevTools:
    """The first page target of the child's browser, once it has one."""
    end = time.monotonic() + limit_s
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=2) as r:
                pages = [t for t in json.load(r) if t.get("type") == "page" and t.get("webSocketDebuggerUrl")]
            if pages:
                return DevTools(pages[0]["webSocketDebuggerUrl"])
        except OSError:
            pass
        time.sleep(0.005)
    raise TimeoutError("the child's page never showed up")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Whether the page is idle: its point layer (if any) painting nothing, none of it waiting to.
PAGE_IDLE = """(function () {
  var pl = SitMap.app && SitMap.app.pointLayer;
  return !pl || (!(pl._jobs || []).length && !pl._aheadTimer && !pl._marginTimer && !pl._viewTimer);
})()"""
# A zoom step in about the view's middle, resolved with its milliseconds to the second frame after.
ZOOM_STEP = """new Promise(function (done) {
  var m = SitMap.app.map, t0 = performance.now();
  m.setZoom(m.getZoom() + 1, {animate: false});
  requestAnimationFrame(function () { requestAnimationFrame(function () { done(performance.now() - t0); }); });
})"""


def _zoom_profile(page: DevTools, limit_s: float) -> dict:
    """Once the page has been idle for half a second: the profile of one zoom step in."""
    end, calm = time.monotonic() + limit_s, 0
    while calm < 5:
        if time.monotonic() > end:
            raise TimeoutError("the page never came to rest")
        calm = calm + 1 if page.call("Runtime.evaluate", expression=PAGE_IDLE)["result"].get("value") else 0
        time.sleep(0.1)
    page.call("Profiler.start")
    answer = page.call("Runtime.evaluate", expression=ZOOM_STEP, awaitPromise=True)
    got = page.call("Profiler.stop")["profile"]
    if "exceptionDetails" in answer:
        raise RuntimeError(f"the zoom step failed in the page: {answer['exceptionDetails'].get('text')}")
    took = answer["result"].get("value")
    print(f"zoom step in: {took:.0f} ms to the second frame after it")
    return got


def profile(path: str | None, export: bool, size: tuple[int, int], interval_us: int, limit_s: float,
            zoom: bool = False) -> dict:
    """The page's CPU profile (DevTools' Profiler.Profile) from its start to READY (``zoom``: of a
    zoom step once the map is ready and the page idle)."""
    port = free_port()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QTWEBENGINE_REMOTE_DEBUGGING=f"127.0.0.1:{port}")
    flags = env.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if "--no-sandbox" not in flags:
        env["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox").strip()
    with tempfile.TemporaryDirectory(prefix="sitmap-profile-") as tmp:
        values = {"root": str(ROOT), "path": path or "", "data": str(Path(tmp) / "data"),
                  "ini": str(Path(tmp) / "p.ini"), "out": str(Path(tmp) / "x.png"), "size": size}
        code = (EXPORT_CHILD if export else WINDOW_CHILD) % values
        p = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True, env=env, cwd=ROOT, start_new_session=True)
        try:
            page = first_page(port, limit_s)
            page.call("Profiler.enable")
            page.call("Profiler.setSamplingInterval", interval=interval_us)
            if not zoom:
                page.call("Profiler.start")
            for line in p.stdout:
                if line.strip() == "READY":
                    break
            else:
                raise RuntimeError("the child ended before its map was ready")
            got = _zoom_profile(page, limit_s) if zoom else page.call("Profiler.stop")["profile"]
            p.stdin.write("\n")
            p.stdin.flush()
            p.wait(60)
            return got
        finally:
            if p.poll() is None:
                os.killpg(p.pid, 9)


def _bundle_lines() -> list[tuple[int, str]]:
    """Where each of SitMap's page scripts begins in the bundle the page loads (its first line's
    number, its name), so a bundle line is named by its own file's."""
    from viewer.render.page_assets import page_bundle

    return [(k + 2, line[len("// --- js/"):]) for k, line in enumerate(page_bundle().split("\n"))
            if line.startswith("// --- ")]


def _names(prof: dict) -> tuple[dict, dict]:
    """Each node's name ("function file:line", a line of the page scripts' bundle as its own
    script's) and parent."""
    from bisect import bisect_right

    from viewer.render.page_assets import PAGE_BUNDLE

    starts = _bundle_lines()
    firsts = [k for k, _ in starts]
    bundle = PAGE_BUNDLE.rsplit("/", 1)[-1]
    name, parent = {}, {}
    for n in prof["nodes"]:
        cf = n["callFrame"]
        where, line = cf["url"].rsplit("/", 1)[-1], cf["lineNumber"] + 1
        if where == bundle and firsts and line >= firsts[0]:
            first, where = starts[bisect_right(firsts, line) - 1]
            line -= first - 1
        name[n["id"]] = f"{cf['functionName'] or '(anonymous)'} {where}:{line}" if where else cf["functionName"]
        for c in n.get("children", ()):
            parent[c] = n["id"]
    return name, parent


def report(prof: dict, top: int, step_ms: float, span_is: str = "from the page's start to ready") -> str:
    name, parent = _names(prof)
    own: collections.Counter = collections.Counter()
    whole: collections.Counter = collections.Counter()
    steps: dict[int, collections.Counter] = collections.defaultdict(collections.Counter)
    t = 0.0
    for node, dt in zip(prof["samples"], prof["timeDeltas"]):
        t += dt / 1000.0
        own[name[node]] += dt / 1000.0
        chain, k = [], node
        while k in name:
            chain.append(name[k])
            k = parent.get(k)
        for nm in set(chain):
            whole[nm] += dt / 1000.0
        outer = [c for c in reversed(chain) if not c.startswith("(root)")]
        steps[int(t // step_ms)][outer[0].split(" ")[0] if outer else "(idle)"] += dt / 1000.0
    span = (prof["endTime"] - prof["startTime"]) / 1000.0
    idle = own.get("(idle)", 0.0)
    lines = [(f"page profile: {span:.0f} ms {span_is}, {span - idle:.0f} ms of it busy "
              f"({own.get('(program)', 0.0):.0f} ms outside scripts: style, layout, paint; "
              f"{own.get('(garbage collector)', 0.0):.0f} ms collecting)"), "",
             f"{'own ms':>8}  script function (its own time, the {top} largest)"]
    lines += [f"{ms:8.1f}  {nm}" for nm, ms in own.most_common() if nm not in ("(idle)", "(program)", "(root)")][:top]
    lines += ["", f"{'all ms':>8}  script function (with what it calls, the {top} largest)"]
    lines += [f"{ms:8.1f}  {nm}" for nm, ms in whole.most_common()
              if nm not in ("(idle)", "(program)", "(root)", "(garbage collector)")][:top]
    lines += ["", f"timeline: each {step_ms:.0f} ms, how much of it the page was busy, and the task it was in"]
    for k in sorted(steps):
        c = steps[k]
        busy = sum(v for n, v in c.items() if n != "(idle)")
        what = ", ".join(f"{n} {v:.0f}" for n, v in c.most_common(2) if n != "(idle)")
        lines.append(f"{k * step_ms:8.0f}  {busy:5.1f}  {what}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", nargs="?", help="the map to open (default: the built-in one)")
    ap.add_argument("--export", action="store_true", help="profile the briefing export instead of the window")
    ap.add_argument("--zoom", action="store_true", help="profile a zoom step on the ready map instead")
    ap.add_argument("--size", default="1920x1080", help="with --export: the picture's size, WxH")
    ap.add_argument("--interval", type=int, default=200, help="microseconds between samples")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--step", type=float, default=50.0, help="milliseconds a timeline line stands for")
    ap.add_argument("--limit", type=float, default=300.0, help="seconds before the child is given up")
    ap.add_argument("--save", help="also write the profile here (.cpuprofile, for Chromium's DevTools)")
    args = ap.parse_args()
    w, _, h = args.size.partition("x")
    prof = profile(str(Path(args.file).resolve()) if args.file else None, args.export, (int(w), int(h)),
                   args.interval, args.limit, zoom=args.zoom)
    if args.save:
        Path(args.save).write_text(json.dumps(prof))
    print(report(prof, args.top, args.step, "around a zoom step (to the second frame after it)" if args.zoom else
                 "from the page's start to ready"))


if __name__ == "__main__":
    main()
