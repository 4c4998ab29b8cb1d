"""The launch history in the main window: View → Launch History, the History tab's hook, the
Facts tab's "compared with before" group, facts greyed outside the time window, the history layer
on briefings and exports, and ``sitmap --history`` in a window. :func:`install_history` is the
only call the main window makes.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QAction, QBrush, QColor

from viewer.model import history as hist
from viewer.ui.history_layer import HistoryLayer
from viewer.ui.history_panel import HistoryPanel


def briefing_extras(window) -> dict:
    """BriefingOptions fields that put the history layer, as filtered and windowed in the tab, on a
    briefing exported from the window; empty when the layer is off."""
    from viewer.export.history import page_layer, shown_line

    panel = getattr(window, "history_panel", None)
    if panel is None or not panel.layer.enabled:
        return {}
    flt, h = panel.current_filter(), panel.history
    shown = shown_line(h, flt, len(flt.apply(h.launches)))
    return {"history": page_layer(h, flt, getattr(window, "scenario", None)),
            "extra_sources": (f"{shown}: {h.credit or h.name}",), "time_window": flt.window}


def time_window_of(window):
    """The History tab's time window while the layer is on ([start, end] UTC), else None: the
    window's exports show what the map shows."""
    panel = getattr(window, "history_panel", None)
    if panel is None or not panel.layer.enabled:
        return None
    return panel.current_window()


def apply_command_line(window, years: str | None, system=None, site=None, time_window: str | None = None, *,
                       classes=None, outcomes=None) -> str | None:
    """``sitmap --history ...`` without --export: the layer on, the filters set; the reason
    (one line) if a filter cannot be used. ``system``, ``site``, ``classes`` and ``outcomes``
    take several values (a list of flags, each may be "A,B")."""
    from viewer.export.history import filter_from_options

    panel = window.history_panel
    try:
        flt = filter_from_options(panel.history, years=years, system=system, site=site, classes=classes,
                                  outcomes=outcomes, time_window=time_window)
    except hist.HistoryError as e:
        return str(e)
    panel.set_filter(flt)
    window.act_history.setChecked(True)
    return None


OUTSIDE_WINDOW = "outside the time window"


def dim_facts_outside_window(window) -> list[str]:
    """Facts tab: the facts the slider's window leaves out are greyed (and say so in their
    tooltip's first line), by the rule the exports and the page follow
    (:func:`viewer.model.time_window.left_out`): a time outside it, or about a feature it hides
    (a launch point's untimed facts with its launch time); the others keep their colours.
    Returns the greyed facts' ids."""
    from viewer.model.time_window import left_out

    panel = getattr(window, "history_panel", None)
    scenario = getattr(window, "scenario", None)
    facts = getattr(window, "facts", None)
    if panel is None or scenario is None or facts is None:
        return []
    w = panel.current_window() if panel.layer.enabled else None
    grey: set[str] = set()
    if w is not None:
        grey = left_out(scenario, w, panel.layer.times_for(scenario))[1]
    for fact in scenario.facts:
        item = facts.item_for(fact.id)
        if item is None:
            continue
        out = fact.id in grey
        if not out and item.data(0, Qt.ItemDataRole.StatusTipRole) != OUTSIDE_WINDOW:
            continue  # (never greyed: its colours are left as they are)
        for col in range(3):
            item.setData(col, Qt.ItemDataRole.ForegroundRole, QBrush(QColor("#9a9a9a")) if out else None)
        item.setData(0, Qt.ItemDataRole.StatusTipRole, OUTSIDE_WINDOW if out else None)
    return sorted(grey)


COMPARED_GROUP = "Compared with before (derived from the launch history)"


def compared_group(history: hist.LaunchHistory, scenario) -> list:
    """The Facts tab's derived group for the map's launch: [(group label, rows)], or [] when the
    map has no launch. Computed each time the facts are shown; never written into the map."""
    where = hist.scenario_launch(scenario) if scenario is not None else None
    if where is None:
        return []
    event = hist.match_event(history, where)
    if not event:  # (the next event, not in the history yet: compared with the launches before it)
        from viewer.model.history_new_event import HOW, compare_new_event, map_figures

        c = compare_new_event(history, where, *map_figures(scenario))
        return [(COMPARED_GROUP, [(f.label, f.value, f.source, f.status, HOW) for f in c.facts])]
    return [(COMPARED_GROUP, [(f.label, f.value, f.source, f.status, hist.COMPARISON_HOW)
                              for f in hist.comparison_facts(history, event)])]


# ----------------------------------------------------------------------------- the hook
def install_history(window, scenario_follows: bool = False) -> HistoryPanel:
    """Add the History tab, View \u2192 Launch History (off by default) and the map wiring to a
    MainWindow. Everything the feature needs is here; the window only calls this.
    ``scenario_follows``: the window's map is about to be announced (scenarioLoaded), so the tab
    takes it then, not now as well."""
    layer = HistoryLayer(window.map_view, window)
    panel = HistoryPanel(layer, window)
    window.side.addTab(panel, "History")
    action = QAction("Launch &History", window)
    action.setObjectName("actLaunchHistory")
    action.setCheckable(True)
    action.setChecked(False)
    action.setToolTip("Every past launch on the map, with filters and a time slider (History tab)")
    view_menu = next((a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "View"), None)
    if view_menu is not None:
        view_menu.addSeparator()
        view_menu.addAction(action)

    def set_on(on) -> None:
        on = bool(on)
        with QSignalBlocker(action), QSignalBlocker(panel.show_box):
            action.setChecked(on)
            panel.show_box.setChecked(on)
        layer.set_enabled(on)
        if on and action.isChecked() and window.side.currentWidget() is not panel and _from_menu["v"]:
            window.side.setCurrentWidget(panel)

    _from_menu = {"v": False}

    def from_menu(on: bool) -> None:
        _from_menu["v"] = True
        try:
            set_on(on)
        finally:
            _from_menu["v"] = False

    action.toggled.connect(from_menu)
    panel.enabledChanged.connect(set_on)
    window.map_view.bridge.historySelected.connect(lambda launch_id: panel.select_launch(launch_id, from_map=True))
    window.scenarioLoaded.connect(panel.set_scenario)
    window.doc.events.connect(lambda change: panel.map_changed(change, window.doc.scenario))
    panel.filterChanged.connect(lambda: dim_facts_outside_window(window))
    window.facts.derived_providers.append(lambda scenario: compared_group(panel.history, scenario))
    panel.historyReplaced.connect(window.facts.refresh_derived)
    panel.historyReplaced.connect(lambda: dim_facts_outside_window(window))
    action.toggled.connect(lambda _on: dim_facts_outside_window(window))
    if getattr(window, "scenario", None) is not None and not scenario_follows:
        panel.set_scenario(window.scenario)
        window.facts.refresh_derived()
    window.history_panel = panel
    window.act_history = action
    return panel
