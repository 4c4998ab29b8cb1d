"""A large map is read on a worker thread while the event loop (and the web engine) keeps going;
an open that arrives meanwhile is refused with a reason, never nested into the first."""

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from tests.ui.conftest import READY_MS
from tools.big_projects import write_points_project


def test_the_event_loop_runs_while_the_work_does(qtbot):
    from viewer.ui.beside_loop import run_beside_loop

    fired = threading.Event()
    QTimer.singleShot(0, fired.set)  # only an event loop running beside the work can fire it

    def work():
        return "read" if fired.wait(30) else "the loop never ran"

    assert run_beside_loop(work) == "read"


def test_beside_the_work_the_loop_waits_at_most_a_millisecond_for_the_interpreter(qtbot):
    """Every event the loop hands to Python waits for the worker to let go of the interpreter:
    while the work runs, the switch interval is short; after it, as it was (also after an error)."""
    import sys

    from viewer.ui.beside_loop import SWITCH_S, run_beside_loop

    before = sys.getswitchinterval()
    assert run_beside_loop(sys.getswitchinterval) == pytest.approx(SWITCH_S) and SWITCH_S <= 0.001
    assert sys.getswitchinterval() == before

    def fails():
        raise ValueError("no")

    with pytest.raises(ValueError):
        run_beside_loop(fails)
    assert sys.getswitchinterval() == before


def test_the_work_s_error_is_raised_on_the_calling_thread(qtbot):
    from viewer.model.scenario import ScenarioError
    from viewer.ui.beside_loop import run_beside_loop

    def work():
        raise ScenarioError("big.sitmap", "features[3]", "duplicate id 'a'")

    with pytest.raises(ScenarioError, match="duplicate id"):
        run_beside_loop(work)
    assert threading.current_thread() is threading.main_thread()


def test_a_large_map_opens_beside_the_loop_and_a_second_open_meanwhile_is_refused(qtbot, window, tmp_path,
                                                                                  monkeypatch):
    from viewer.model.io import open_any
    from viewer.ui import beside_loop

    big = write_points_project(tmp_path / "big.sitmap", 3000, 1)
    other = write_points_project(tmp_path / "other.sitmap", 10, 2)
    monkeypatch.setattr(beside_loop, "WORTH_A_THREAD", Path(big).stat().st_size)  # this file counts as large
    real_open, threads, nested = open_any.open_map_file, [], []
    second_done = threading.Event()

    def reading(path):
        threads.append(threading.current_thread().name)
        if Path(path) == Path(big):
            assert second_done.wait(30), "the event loop did not run while the file was read"
        return real_open(path)

    monkeypatch.setattr(open_any, "open_map_file", reading)  # (the window imports it as it opens a file)

    def second_open():
        nested.append(window.files.open_path(Path(other)))
        second_done.set()

    QTimer.singleShot(0, second_open)
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert window.files.open_path(Path(big))
    assert threads == ["sitmap-read"]  # the big file, on the worker; the second never got read
    assert nested == [False]
    assert "still being read" in window._error_box.text()
    assert window.scenario_path == Path(big) and len(window.doc.scenario.features) == 3000 + 12
    assert window.files.reading is None
    # a small file is read at once, on this thread
    assert window.files.open_path(Path(other))
    assert threads[-1] == threading.current_thread().name


def test_sitmap_file_at_start_up_reads_a_large_map_beside_the_loop(qtbot, settings, tmp_path, monkeypatch):
    """``sitmap BIG.sitmap``: the web engine starts while the file is read, not after it."""
    import viewer.app as app_mod
    from viewer.model.io import open_any
    from viewer.model.scenario import parse_scenario_bytes
    from viewer.render.page_cache import PageCache
    from viewer.ui import beside_loop
    from viewer.ui.main_window import MainWindow

    big = write_points_project(tmp_path / "big.sitmap", 2000, 3)
    monkeypatch.setattr(app_mod, "page_cache", lambda: PageCache(tmp_path / "pages"))
    monkeypatch.setattr(beside_loop, "WORTH_A_THREAD", Path(big).stat().st_size)
    threads = []
    real = open_any.open_map_bytes

    def reading(raw, name):
        threads.append(threading.current_thread().name)
        return real(raw, name)

    monkeypatch.setattr(open_any, "open_map_bytes", reading)
    w = MainWindow(settings=settings, data_dir=tmp_path / "data")
    w.maybe_keep_changes = lambda: True
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.map_view.mapReady, timeout=READY_MS):
        assert app_mod.open_first_scenario(w, Path(big)) is None
    assert threads == ["sitmap-read"]
    assert w.scenario_path == Path(big) and len(w.doc.scenario.features) == 2000 + 12
    assert parse_scenario_bytes(Path(big).read_bytes(), "big").features[-1].id == w.doc.scenario.features[-1].id


def test_a_large_maps_recovery_base_is_begun_once_the_map_is_on_screen(qtbot, window, tmp_path, monkeypatch):
    """Written in a thread while the map is drawn, the base would share the interpreter with the
    drawing (at a million points it made drawing twice as slow): it waits for the map."""
    big = write_points_project(tmp_path / "big.sitmap", 3000, 1)
    monkeypatch.setattr(window.recovery, "BACKGROUND_FROM", 1000)
    seen = []
    real_start = window.recovery.start_pending

    def start_pending():
        seen.append(window.map_view.is_ready)
        real_start()

    monkeypatch.setattr(window.recovery, "start_pending", start_pending)
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        assert window.files.open_path(Path(big))
        base = window.recovery._pending
        assert base is not None and base.unstarted()  # not while the map is drawn
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert all(seen)
    base._thread.join(30)
    window.add_annotation("place", {"type": "Point", "coordinates": [127.0, 37.0]}, {"name": "after"})
    scenario, _ = window.recovery.load()
    assert len(scenario.features) == len(window.scenario.features)
    assert scenario.feature("marker-1").name == "after"
