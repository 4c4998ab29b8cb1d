"""The History tab's "This map's launch": the map's own launch compared with the launches before
it, and the buttons that filter to the same system or site."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from viewer.model import history as hist
from viewer.ui.facts_panel import STATUS_MEANING, plain_tooltip
from viewer.ui.history_import import plain_label as _plain


class HistoryEvent:
    """This map's launch in :class:`viewer.ui.history_panel.HistoryPanel` (a part of it: it uses the
    panel's history, scenario, filter choices and ``select_launch``)."""

    def _build_event_box(self) -> QGroupBox:
        self.event_box = QGroupBox("This map's launch")
        ev = QVBoxLayout(self.event_box)
        self.event_label = _plain(QLabel())
        self.event_label.setObjectName("historyEvent")
        self.event_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        ev.addWidget(self.event_label)
        row = QHBoxLayout()
        self.same_system_button = QPushButton("Same system as this event")
        self.same_system_button.setObjectName("sameSystem")
        self.same_system_button.clicked.connect(self.same_system)
        self.same_site_button = QPushButton("Same site as this event")
        self.same_site_button.setObjectName("sameSite")
        self.same_site_button.clicked.connect(self.same_site)
        row.addWidget(self.same_system_button)
        row.addWidget(self.same_site_button)
        ev.addLayout(row)
        return self.event_box

    def _update_event(self) -> None:
        self.where = hist.scenario_launch(self.scenario) if self.scenario is not None else None
        self.launch_event = hist.match_event(self.history, self.where) if self.where is not None else []
        site = hist.nearest_site(self.history, self.where.lat, self.where.lon) if self.where else None
        self.same_system_button.setEnabled(bool(self.launch_event))
        self.same_site_button.setEnabled(bool(self.launch_event) or site is not None)
        if self.where is None:
            self.event_label.setText("This map has no launch (a point with role \"launch\").")
        elif not self.launch_event:  # (the next event: compared with the launches before it)
            from viewer.model.history_new_event import HOW, compare_new_event, map_figures

            c = compare_new_event(self.history, self.where, *map_figures(self.scenario))
            self.event_label.setText("This map's launch is not in the launch history yet. Compared with before "
                                     "(derived):\n" + "\n".join(f"{f.label}: {f.value}." for f in c.facts[1:]))
            self.event_label.setToolTip(plain_tooltip(f"{HOW}\nSource: {c.facts[0].source}\nStatus: derived "
                                                      f"({STATUS_MEANING.get('derived', '')})"))
        else:
            x = self.launch_event[0]
            c = hist.compared_with_before(self.history, x)
            n = len(self.launch_event)
            self.event_label.setText(f"{n} \u00d7 {x.system.name} from {x.site.name}, {x.date_text()}.\n"
                                     f"Compared with before ({c.status}):\n{c.text}")
            self.event_label.setToolTip(plain_tooltip(f"Compared with before: {c.text}\nSource: {c.source}\n"
                                                      f"Status: {c.status} ({STATUS_MEANING.get(c.status, '')})"))

    def same_system(self) -> None:
        if not self.launch_event:
            return
        self._updating = True
        try:
            self.system_combo.set_checked([self.launch_event[0].system.key])
            self.site_combo.set_checked(())
            h = self.history.years
            self.year_from.setValue(h[0])
            self.year_to.setValue(h[1])
        finally:
            self._updating = False
        self._filters_changed()
        self.select_launch(self.launch_event[0].id)

    def same_site(self) -> None:
        site = self.launch_event[0].site if self.launch_event else (
            hist.nearest_site(self.history, self.where.lat, self.where.lon) if self.where else None)
        if site is None:
            return
        self._updating = True
        try:
            self.site_combo.set_checked([site.key])
            self.system_combo.set_checked(())
        finally:
            self._updating = False
        self._filters_changed()
        if self.launch_event:
            self.select_launch(self.launch_event[0].id)
