"""A real SitMap window in its own process, for the kill test (tests/ui/test_kill_recovery.py).

    python tests/ui/recovery_driver.py edit DATA_DIR N [PROJECT]
        Opens the built-in scenario (or PROJECT), waits for the map, then makes N changes one after another
        (markers, rings, undo, redo), one per event-loop turn (QTimer), and prints
        ``ACK <step> <op> <+id|-id>`` the moment each change has returned: the recovery file is
        written inside the change, so a printed ACK is a change the user was told is kept.
        Each ACK follows a ``TOOK <ms>`` line: how long the change took to be acknowledged.
        After the last change it prints DONE and stays open (like a user who stopped typing)
        until it is killed, or for at most two minutes.

    python tests/ui/recovery_driver.py restore DATA_DIR
        Opens a window as after a crash, restores the recovery file without asking, waits for
        the restored map and prints one JSON line: {"restored", "ids", "drawn"} (annotation ids
        in the project, annotation ids drawn in the page).

Run with PYTHONPATH at the repository root, QT_QPA_PLATFORM=offscreen and
QTWEBENGINE_CHROMIUM_FLAGS=--no-sandbox. The window settings live in DATA_DIR/sitmap.ini.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

GIVE_UP_MS = 120_000  # never outlive a test that lost track of this process


def ops(n: int):
    """The edit script: step -> (op, args). Deterministic, so every run makes the same changes."""
    cycle = ("marker", "ring", "marker", "undo", "redo", "undo", "marker")
    for step in range(n):
        yield step, cycle[step % len(cycle)]


def annotation_ids(window) -> set[str]:
    return {f.id for f in window.scenario.features if f.properties.get("annotation")}


def open_window(data_dir: Path):
    from viewer.app import make_application, prepare_qt_environment

    prepare_qt_environment(headless=True)
    app = make_application([sys.argv[0]])
    from PySide6.QtCore import QSettings

    from viewer.ui.main_window import MainWindow

    settings = QSettings(str(data_dir / "sitmap.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, data_dir=data_dir)
    window.maybe_keep_changes = lambda: True  # no "save changes?" box at the end of a run
    window.resize(1200, 800)
    window.show()
    return app, window


def edit(data_dir: Path, n: int, project: Path | None = None) -> int:
    app, window = open_window(data_dir)
    from PySide6.QtCore import QTimer

    from viewer import resources
    from viewer.model.scenario import load_scenario

    script = list(ops(n))
    timer = QTimer()
    timer.setInterval(0)  # one change per event-loop turn: the page and Qt run in between

    def step() -> None:
        if not script:
            timer.stop()
            print("DONE", flush=True)
            return
        i, op = script.pop(0)
        before = annotation_ids(window)
        t0 = time.perf_counter()
        if op == "marker":
            window.add_annotation("place", {"type": "Point", "coordinates": [124.0 + (i % 13) * 0.4, 35.0 + (i % 11) * 0.5]},
                                  {"name": f"Point {i}"})
        elif op == "ring":
            window.add_ring(39.0 + (i % 5) * 0.1, 125.5, 50_000 + 10_000 * i, name=f"Ring {i}")
        elif op == "undo":
            window.undo_stack.undo()
        else:
            window.undo_stack.redo()
        print(f"TOOK {(time.perf_counter() - t0) * 1000:.2f}", flush=True)
        after = annotation_ids(window)
        change = [f"+{fid}" for fid in sorted(after - before)] + [f"-{fid}" for fid in sorted(before - after)]
        print(f"ACK {i} {op} {' '.join(change) or '='}", flush=True)

    timer.timeout.connect(step)

    def ready(_state) -> None:
        window.map_view.mapReady.disconnect(ready)
        print("READY", flush=True)
        timer.start()

    window.map_view.mapReady.connect(ready)
    window.set_scenario(load_scenario(project or resources.default_scenario()), None)
    QTimer.singleShot(GIVE_UP_MS, app.quit)
    return app.exec()


def restore(data_dir: Path) -> int:
    app, window = open_window(data_dir)
    from viewer import resources
    from viewer.model.scenario import load_scenario

    out = {}

    def drawn(ids) -> None:
        out["drawn"] = sorted(json.loads(ids) if isinstance(ids, str) else [])
        print(json.dumps(out), flush=True)
        app.quit()

    def ready(state) -> None:
        if not set(out["ids"]) <= set(state.get("features", {})):
            return  # the page of the scenario shown before the restore: wait for the restored one
        window.map_view.mapReady.disconnect(ready)
        window.map_view.run_js(
            "JSON.stringify(Object.keys(SitMap.app.features).filter(function (k) {"
            " return SitMap.app.features[k].data.group === 'annotations'; }))", drawn)

    window.set_scenario(load_scenario(resources.default_scenario()), None)
    out["restored"] = window.offer_recovery(ask=False)
    out["ids"] = sorted(annotation_ids(window))
    window.map_view.mapReady.connect(ready)
    from PySide6.QtCore import QTimer

    QTimer.singleShot(GIVE_UP_MS, app.quit)
    code = app.exec()
    from viewer.ui.web import release_profile

    release_profile()
    return code


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[1] == "edit":
        return edit(Path(argv[2]), int(argv[3]) if len(argv) > 3 else 40, Path(argv[4]) if len(argv) > 4 else None)
    if len(argv) == 3 and argv[1] == "restore":
        return restore(Path(argv[2]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
