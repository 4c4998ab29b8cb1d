"""Add or edit one fact: what it says, who said it (from the map's sources), its status, its time,
the feature it is about, or a value SitMap computes (distance and bearing between two features,
kept live when they move). The dialog only builds a Fact; the document checks it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import QDateTime, QTimeZone, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from viewer.model.scenario import Fact, Scenario
from viewer.ui.forms import error_label, status_box, utc_time_edit

NO_FEATURE = ""
DEFAULT_GROUP = "context"


def new_group_id(label: str, taken: Iterable[str]) -> str:
    """An id for a new group of facts that the file format takes (letters, digits and . _ : -) and
    no other group has. A label in another script (Arabic, Korean, an emoji) has no letters to
    make it from: its id is "group", "group-2" and so on, and the label keeps the words."""
    taken = set(taken)
    base = re.sub(r"[^a-z0-9_.:-]+", "-", label.lower()).strip("-._:")[:60].rstrip("-._:") or "group"
    gid, n = base, 2
    while gid in taken:
        gid, n = f"{base}-{n}", n + 1
    return gid


def group_for_label(scenario: Scenario, label: str) -> str:
    """The group a typed label names: the map's group shown under that label, else a new id."""
    taken = list(dict.fromkeys([g for g, _ in scenario.groups] + [f.group for f in scenario.facts]))
    if not label:
        return DEFAULT_GROUP
    for gid in taken + [DEFAULT_GROUP]:
        if scenario.group_label(gid) == label:
            return gid
    return new_group_id(label, taken)


def utc_qdatetime(t: datetime) -> QDateTime:
    return QDateTime(t.year, t.month, t.day, t.hour, t.minute, t.second, 0, QTimeZone.utc())


def from_qdatetime(q: QDateTime) -> datetime:
    q = q.toUTC()
    d, t = q.date(), q.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second(), tzinfo=timezone.utc)


class FactDialog(QDialog):
    """``pickRequested`` asks the window to let the user click the feature on the map."""

    pickRequested = Signal()

    def __init__(self, scenario: Scenario, fact: Fact | None, new_id: str, parent: QWidget | None = None,
                 feature: str | None = None, group: str | None = None):
        super().__init__(parent)
        self.setObjectName("factDialog")
        self.setWindowTitle("Edit Fact" if fact else "Add Fact")
        self.scenario = scenario
        self.fact_id = fact.id if fact else new_id
        self.label = QLineEdit(fact.label if fact else "")
        self.label.setObjectName("factLabel")
        self.label.setPlaceholderText("What the fact is about, e.g. Range")
        self.value = QPlainTextEdit(fact.value if fact else "")
        self.value.setObjectName("factValue")
        self.value.setPlaceholderText("What it says, in your own words, e.g. about 380 km")
        self.value.setFixedHeight(64)
        self.source = QComboBox()
        self.source.setObjectName("factSource")
        self.source.setEditable(True)
        names = [s["name"] for s in scenario.sources_list] + [n for n in scenario.sources()
                                                              if n not in {s["name"] for s in scenario.sources_list}]
        self.source.addItems(names)
        self.source.setCurrentText(fact.source if fact else (names[0] if names else ""))
        self.source.lineEdit().setPlaceholderText("Who said it")
        self.status = status_box(fact.status if fact else "reported")
        self.status.setObjectName("factStatus")
        self.group = QComboBox()
        self.group.setObjectName("factGroup")
        self.group.setEditable(True)
        gids = list(dict.fromkeys([g for g, _ in scenario.groups] + [f.group for f in scenario.facts]
                                  + [DEFAULT_GROUP]))
        for gid in gids:
            self.group.addItem(scenario.group_label(gid), gid)
        current_group = fact.group if fact else (group or (gids[0] if gids else DEFAULT_GROUP))
        i = self.group.findData(current_group)
        self.group.setCurrentIndex(max(0, i))
        self.feature = QComboBox()
        self.feature.setObjectName("factFeature")
        self.feature.addItem("(none)", NO_FEATURE)
        for f in scenario.features:
            self.feature.addItem(f"{f.name} ({f.kind.replace('_', ' ')})", f.id)
        want = fact.feature if fact else feature
        self.feature.setCurrentIndex(max(0, self.feature.findData(want or NO_FEATURE)))
        self.pick = QPushButton("Pick on Map")
        self.pick.setToolTip("Close this box, click the feature on the map, and it opens again")
        self.pick.clicked.connect(self._pick)
        feat_row = QHBoxLayout()
        feat_row.addWidget(self.feature, 1)
        feat_row.addWidget(self.pick)
        self.has_time = QCheckBox("Has a time")
        self.has_time.setObjectName("factHasTime")
        self.time = utc_time_edit("factTime")
        t0 = fact.time_utc[0] if fact and fact.time_utc else (scenario.event_time_utc or datetime.now(timezone.utc))
        self.time.setDateTime(utc_qdatetime(t0))
        self.has_time.setChecked(bool(fact and fact.time_utc))
        self.local = QLabel()
        self.local.setObjectName("factLocalTime")
        self.time.dateTimeChanged.connect(self._show_local)
        self.has_time.toggled.connect(self._show_local)
        time_row = QHBoxLayout()
        time_row.addWidget(self.has_time)
        time_row.addWidget(self.time, 1)
        # derived: distance and bearing between two features, computed when shown
        self.derived = QCheckBox("Computed by SitMap: distance and bearing between")
        self.derived.setObjectName("factDerived")
        self.d_from = QComboBox()
        self.d_to = QComboBox()
        for box in (self.d_from, self.d_to):
            for f in scenario.features:
                if f.geometry.get("type") == "Point":
                    box.addItem(f.name, f.id)
        derive = fact.derive if fact and fact.derive and fact.derive.get("op") == "distance" else None
        self.derived.setChecked(derive is not None)
        if derive:
            self.d_from.setCurrentIndex(max(0, self.d_from.findData(derive.get("from"))))
            self.d_to.setCurrentIndex(max(0, self.d_to.findData(derive.get("to"))))
        elif self.d_to.count() > 1:
            self.d_to.setCurrentIndex(1)
        self.derived.toggled.connect(self._derived_toggled)
        d_row = QHBoxLayout()
        d_row.addWidget(self.d_from, 1)
        d_row.addWidget(QLabel("and"))
        d_row.addWidget(self.d_to, 1)
        self.keep_derive = fact.derive if fact and fact.derive and fact.derive.get("op") != "distance" else None
        form = QFormLayout()
        form.addRow("Label", self.label)
        form.addRow("Value", self.value)
        form.addRow("Source", self.source)
        form.addRow("Status", self.status)
        form.addRow("Group", self.group)
        form.addRow("About", feat_row)
        form.addRow("Time", time_row)
        form.addRow("", self.local)
        form.addRow(self.derived)
        form.addRow("", d_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.error = error_label("factError")
        form.addRow(self.error)
        form.addRow(buttons)
        self.setLayout(form)
        self.resize(520, 0)
        self._show_local()
        self._enable_derived(self.derived.isChecked())
        self.picking = False
        self.original = fact
        self._shown = self._state()  # what the fields showed: a field left as shown keeps the fact's value

    def _enable_derived(self, on: bool) -> bool:
        if self.d_from.count() < 2:
            self.derived.setEnabled(False)
            on = False
        self.d_from.setEnabled(on)
        self.d_to.setEnabled(on)
        self.value.setEnabled(not on)
        return on

    def _derived_toggled(self, on: bool) -> None:
        """The user ticked or cleared "Computed by SitMap": a value SitMap computes is derived and
        cites SitMap's calculation (a fact opened already derived keeps its own source and status)."""
        if self._enable_derived(on):
            self.status.setCurrentText("derived")
            self.source.setCurrentText("SitMap calculation (geodesic, WGS84)")

    def _state(self) -> dict[str, Any]:
        return {"label": self.label.text(), "value": self.value.toPlainText(), "source": self.source.currentText(),
                "status": self.status.currentText(),
                "group": (self.group.currentIndex(), self.group.currentText()),
                "feature": self.feature.currentIndex(),
                "time": (self.has_time.isChecked(), self.time.dateTime()),
                "derive": (self.derived.isChecked(), self.d_from.currentIndex(), self.d_to.currentIndex())}

    def _show_local(self, *_a) -> None:
        self.time.setEnabled(self.has_time.isChecked())
        if not self.has_time.isChecked():
            self.local.setText("")
            return
        t = from_qdatetime(self.time.dateTime())
        lt = self.scenario.local_time
        if lt is None:
            self.local.setText(f"{t:%Y-%m-%d %H:%M} UTC (set the map's local time in Map Properties)")
        else:
            try:  # (the offset and name the map's zone keeps at that time: EST in January, EDT in July)
                local, zone = lt.local(t)
            except OverflowError:
                self.local.setText(f"{t:%Y-%m-%d %H:%M} UTC (local time is past the calendar's end)")
                return
            self.local.setText(f"{local:%Y-%m-%d %H:%M} {zone}, local")

    def _pick(self) -> None:
        self.picking = True
        self.pickRequested.emit()

    def set_feature(self, fid: str) -> None:
        self.feature.setCurrentIndex(max(0, self.feature.findData(fid)))

    def show_error(self, message: str) -> None:
        self.error.setText(message)

    def fact(self) -> Fact:
        """The fact as edited. A field the user left as it was shown keeps the fact's own value
        exactly (all its times, a derived fact's source and status, text as the file has it)."""
        old, now = self.original, self._state()

        def edited(key: str) -> bool:
            return old is None or now[key] != self._shown[key]

        label = self.label.text().strip() if edited("label") else old.label
        value = self.value.toPlainText().strip() if edited("value") else old.value
        source = self.source.currentText().strip() if edited("source") else old.source
        status = self.status.currentText() if edited("status") else old.status
        feature = (self.feature.currentData() or None) if edited("feature") else old.feature
        if edited("time"):
            times = (from_qdatetime(self.time.dateTime()),) if self.has_time.isChecked() else ()
        else:
            times = old.time_utc
        if edited("derive"):
            derive = None
            if self.derived.isChecked() and self.d_from.currentData() and self.d_to.currentData():
                derive = {"op": "distance", "from": self.d_from.currentData(), "to": self.d_to.currentData()}
            elif self.keep_derive:
                derive = dict(self.keep_derive)
        else:
            derive = old.derive
        return Fact(self.fact_id, self._group_id() if edited("group") else old.group, label, value, source, status,
                    feature, times, derive)

    def _group_id(self) -> str:
        gid = self.group.currentData()
        text = self.group.currentText().strip()
        if gid is None or self.group.itemText(self.group.currentIndex()) != text:
            gid = group_for_label(self.scenario, text)  # a group typed in: the map's of that name, or a new one
        return gid

    def group_label(self) -> tuple[str, str] | None:
        """A group the user typed that the map does not have yet: (id, label)."""
        gid = self.fact().group
        known = {g for g, _ in self.scenario.groups} | {f.group for f in self.scenario.facts}
        if gid in known:
            return None
        return gid, self.group.currentText().strip()[:200] or self.scenario.group_label(gid)
