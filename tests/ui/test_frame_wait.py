"""Capturing waits for the page's next frame, not for a fixed tick: an export grabs a frame as
soon as the view has shown it."""

import pytest
from PySide6.QtCore import QElapsedTimer
from PySide6.QtWebEngineWidgets import QWebEngineView

LIMIT_MS = 5000  # far beyond a frame's time: a wait that runs to it has not seen the frame


@pytest.fixture
def shown_page(qtbot):
    """A view showing a plain page, its first frame on screen."""
    view = QWebEngineView()
    qtbot.addWidget(view)
    view.resize(320, 200)
    view.show()
    with qtbot.waitSignal(view.loadFinished, timeout=30_000):
        view.setHtml("<body style='background:#123456'></body>")
    qtbot.waitUntil(lambda: view.grab().toImage().pixelColor(10, 10).name() == "#123456", timeout=30_000)
    return view


def test_a_wait_for_the_next_frame_ends_when_the_view_shows_one(qtbot, shown_page):
    from viewer.ui.capture import _next_frame

    # (changed a little later, so the frame that shows it comes while the wait is under way)
    shown_page.page().runJavaScript("setTimeout(function () { document.body.style.background = '#abcdef'; }, 100)")
    clock = QElapsedTimer()
    clock.start()
    _next_frame(shown_page, LIMIT_MS)
    assert clock.elapsed() < LIMIT_MS / 2, "the wait ran to its limit: it did not see the new frame"
    qtbot.waitUntil(lambda: shown_page.grab().toImage().pixelColor(10, 10).name() == "#abcdef", timeout=10_000)


def test_a_wait_for_the_next_frame_ends_at_its_limit_when_nothing_changes(qtbot, shown_page):
    from viewer.ui.capture import _next_frame

    clock = QElapsedTimer()
    clock.start()
    _next_frame(shown_page, 200)
    assert clock.elapsed() < 3000  # (ended by its limit, the page idle)
