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
    # Esc, wherever the focus is: a popup or found place, then the sketch, the selection, the tool.
    window.act_end_tool.setText("Close / Deselect / End Tool")
    window.act_end_tool.triggered.disconnect()
    window.act_end_tool.triggered.connect(lambda: escape(window))
    # Zoom to Scenario frames the event's features with a margin (not the opening view).
    window.act_zoom_scenario.triggered.disconnect()
    window.act_zoom_scenario.triggered.connect(lambda: view.call("fitEvent", True))
    # Help > User Guide and Keyboard Shortcuts (viewer/ui/help.py)
    from viewer.ui import help as help_ui

    help_ui.install(window)
    # The legend stays where the reader put it, folded or not, across maps and runs.
    view.bridge.legendMoved.connect(lambda folded, corner: _remember_legend(window, folded, corner))
    view.follow_ready(lambda _state: _restore_legend(window))
    # The facts panel fits the window (viewer/ui/facts_fit.py).
    from viewer.ui import facts_fit

    facts_fit.install(window)
    # New features are named as they are drawn (viewer/ui/naming.py).
    from viewer.ui.naming import NamingEditor

    window.naming = NamingEditor(window)
    window.draw.machine.editor = window.naming
    window.find_box.textChanged.connect(lambda t: t or view.call("clearPlace"))
    window.goto_box.textChanged.connect(lambda t: t or view.call("clearPlace"))


def _remember_legend(window: "MainWindow", folded: int, corner: str) -> None:
    window.settings.setValue("legend/folded", int(folded))
    window.settings.setValue("legend/corner", corner)


def _restore_legend(window: "MainWindow") -> None:
    corner = str(window.settings.value("legend/corner", "bottomright"))
    folded = str(window.settings.value("legend/folded", 0)) in ("1", "true")
    if corner != "bottomright":
        window.map_view.call("app.legend.moveTo", corner)
    if folded:
        window.map_view.call("app.legend.setCollapsed", True)


def escape(window: "MainWindow") -> None:
    """One step back, as Esc in the page does: what is transient in the page first."""
    if window.facts_editor.back_to_dialog():  # (a fact dialog waiting for its feature to be picked)
        return

    def after(closed) -> None:
        if closed is not True:
            window.draw.machine.escape()

    window.map_view.run_js("SitMap.selection ? SitMap.selection.escapeTransient() : false", after)


def _redraw(window: "MainWindow") -> None:
    if window.scenario is not None:
        window.map_view.show_scenario(window.doc.scenario)
