"""Issue 16's wiring into the window: what makes SitMap behave like a desktop map rather than a
web page. One call from the window (:func:`install`); the parts live in their own modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


def install(window: "MainWindow") -> None:
    view = window.map_view
    # A page that loaded again on its own (the engine lets a script's reload through) is drawn
    # again from the document: every annotation comes back, nothing is lost.
    view.unexpectedLoad.connect(lambda: _redraw(window))


def _redraw(window: "MainWindow") -> None:
    if window.scenario is not None:
        window.map_view.show_scenario(window.doc.scenario)
