"""The exports' waits: a wait ends as soon as what it waits for comes (the map's ready, the page's
answer, the PDF printed), not at its next look; a page to print is ready without waiting for
frames to show it."""

import time

import pytest
from PySide6.QtCore import QTimer

from tests.ui.conftest import js
from viewer import resources
from viewer.export import briefing as b
from viewer.model.scenario import load_scenario


def test_a_wait_ends_when_woken_not_at_its_next_look(qtbot, monkeypatch):
    from viewer.ui import capture

    monkeypatch.setattr(capture, "POLL_MS", 60_000)  # unwoken, the wait would look again in a minute
    done = []
    QTimer.singleShot(5, lambda: (done.append(True), capture.wake()))
    start = time.perf_counter()
    capture.wait_until(lambda: bool(done), 120_000)
    assert time.perf_counter() - start < 20


def test_a_wait_still_looks_again_when_nothing_wakes_it(qtbot):
    from viewer.ui import capture

    done = []
    QTimer.singleShot(5, lambda: done.append(True))  # (no wake)
    capture.wait_until(lambda: bool(done), 20_000)
    assert done


def test_a_wake_ends_only_the_innermost_wait(qtbot, monkeypatch):
    from viewer.ui import capture

    monkeypatch.setattr(capture, "POLL_MS", 60_000)
    seen = []

    def inner():
        capture.wait_until(lambda: "inner" in seen, 120_000)
        seen.append("inner over")
        capture.wake()  # (the outer wait: looks again now)

    QTimer.singleShot(5, inner)
    QTimer.singleShot(10, lambda: (seen.append("inner"), capture.wake()))
    start = time.perf_counter()
    capture.wait_until(lambda: "inner over" in seen, 120_000)
    assert seen == ["inner", "inner over"] and time.perf_counter() - start < 20


@pytest.mark.parametrize("printed", [True, False], ids=["to-print", "to-capture"])
def test_only_a_page_to_print_is_ready_before_frames_show_it(qtbot, printed):
    from viewer.ui.capture import close_view, open_briefing

    scenario = load_scenario(resources.default_scenario())
    view = open_briefing(scenario, b.ExportSize.pixels(960, 540), timeout_ms=60_000, printed=printed)
    try:
        assert js(qtbot, view, "SitMap.app.readyUnshown === true") is printed
        assert js(qtbot, view, "SitMap.app.ready === true") is True
    finally:
        close_view(view)
