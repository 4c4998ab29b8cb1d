"""Side-panel tab: edit the selected feature. Only the fields its kind has are shown; each is
applied as soon as it is edited (Enter, leaving the field, picking from a list): one undoable
change per field edit, never one per keystroke."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viewer.logic.naming import follow_radius, heading
from viewer.model.coords import CoordinateError, format_latlon, parse_latlon
from viewer.model.geodesy import EARTH_ANTIPODAL_M
from viewer.model.scenario import MARKER_SYMBOLS, STATUSES, Feature


class PropertiesPanel(QWidget):
    """Emits ``edited(before, after)``; the window turns it into an undoable command."""

    edited = Signal(object, object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("propertiesPanel")
        self.feature: Feature | None = None
        self.coord_format = "dd"
        self.heading = QLabel("Click a feature on the map to edit it.")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.name = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.source = QLineEdit()
        self.status = QComboBox()
        self.status.addItems(list(STATUSES))
        self.colour = QPushButton()
        self.colour.clicked.connect(self._pick_colour)
        self._colour = ""
        self.dash = QComboBox()
        self.dash.addItems(["solid", "dashed", "dotted"])
        self.symbol = QComboBox()
        self.symbol.addItems(list(MARKER_SYMBOLS))
        self.radius = QDoubleSpinBox()
        self.radius.setDecimals(3)
        self.radius.setRange(0.001, EARTH_ANTIPODAL_M / 1000)
        self.radius.setSuffix(" km")
        self.position = QLineEdit()
        self.position.setPlaceholderText("decimal degrees, DMS or MGRS")
        self.error = QLabel("")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        self.apply = QPushButton("Apply")  # kept for the keyboard (Enter applies); edits apply as made
        self.apply.clicked.connect(self.commit)
        self.apply.setVisible(False)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._rows = {}
        for label, w in (("Name", self.name), ("Notes", self.notes), ("Source", self.source), ("Status", self.status),
                         ("Colour", self.colour), ("Line style", self.dash), ("Symbol", self.symbol),
                         ("Radius", self.radius),
                         ("Position", self.position)):
            self.form.addRow(label, w)
            self._rows[label] = w
        self.notes.setMaximumHeight(90)
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addLayout(self.form)
        lay.addWidget(self.error)
        lay.addWidget(self.apply)
        lay.addStretch(1)
        # applied as edited: one change per finished field edit
        for w in (self.name, self.source, self.position):
            w.editingFinished.connect(self._field_done)
        self.radius.editingFinished.connect(self._field_done)
        for w in (self.status, self.dash, self.symbol):
            w.activated.connect(self._field_done)
        self.notes.installEventFilter(self)
        self.show_feature(None)

    # Fields a kind has (the rest are hidden, not just greyed)
    FIELDS = {
        "place": ("Name", "Notes", "Source", "Status", "Colour", "Symbol", "Position"),
        "label": ("Name", "Colour", "Position"),
        "range_ring": ("Name", "Notes", "Source", "Status", "Colour", "Line style", "Radius", "Position"),
        "path": ("Name", "Notes", "Source", "Status", "Colour", "Line style"),
        "area": ("Name", "Notes", "Source", "Status", "Colour", "Line style"),
    }

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.notes and event.type() == QEvent.Type.FocusOut:
            self._field_done()
        return False

    def _field_done(self, *_args) -> None:
        if self.feature is not None and not self._showing:
            self.commit()

    def _kind_key(self, f: Feature) -> str:
        if f.kind == "place" and f.role == "label":
            return "label"
        return f.kind if f.kind in self.FIELDS else "place" if f.geometry.get("type") == "Point" else "path"

    def _show_rows(self, names) -> None:
        for label, w in self._rows.items():
            on = names is None or label in names
            self.form.setRowVisible(w, on)

    def _pick_colour(self) -> None:
        c = QColorDialog.getColor(QColor(self._colour or "#333333"), self, "Colour")
        if c.isValid():
            self._set_colour(c.name().upper())
            self._field_done()

    def _set_colour(self, colour: str) -> None:
        self._colour = colour
        self.colour.setText(colour or "default")
        self.colour.setStyleSheet(f"background: {colour};" if colour else "")

    _showing = False
    locked = staticmethod(lambda f: False)  # the window's say: is the feature on a locked layer?

    def show_feature(self, f: Feature | None) -> None:
        self._showing = True
        try:
            self._show(f)
        finally:
            self._showing = False

    def _show(self, f: Feature | None) -> None:
        self.feature = f
        self.error.setText("")
        for w in (self.name, self.notes, self.source, self.status, self.colour, self.dash, self.symbol, self.radius,
                  self.position, self.apply):
            w.setEnabled(f is not None)
        if f is None:
            self.heading.setText("Click a feature on the map to edit it.")
            self._show_rows(())
            return
        self.heading.setText(heading(f))
        self._show_rows(self.FIELDS[self._kind_key(f)])
        p = f.properties
        self.name.setText(str(p.get("name", "")))
        self.notes.setPlainText(str(p.get("notes", "")))
        self.source.setText(str(p.get("source", "")))
        self.status.setCurrentText(str(p.get("status", "reported")))
        style = dict(p.get("style") or {})
        self._set_colour(style.get("color", ""))
        self.dash.setCurrentText(style.get("dash", "solid" if f.status == "reported" else "dashed"))
        self.symbol.setEnabled(f.kind == "place" and f.role != "label")
        self.symbol.setCurrentText(style.get("symbol", "marker"))
        self.radius.setEnabled(f.kind == "range_ring")
        if f.kind == "range_ring":
            self.radius.setValue(float(p["radius_m"]) / 1000)
        point = f.geometry["type"] == "Point"
        self.position.setEnabled(point)
        self.position.setText(format_latlon(*f.latlon(), self.coord_format) if point else "")
        if self.locked(f):  # (shown, not edited: unlock its layer in the Layers tab first)
            self.heading.setText(f"{heading(f)} \u2014 on a locked layer")
            for w in (self.name, self.notes, self.source, self.status, self.colour, self.dash, self.symbol,
                      self.radius, self.position, self.apply):
                w.setEnabled(False)

    def commit(self) -> Feature | None:
        """Build the edited feature; show why if a value is wrong."""
        f = self.feature
        if f is None:
            return None
        props = dict(f.properties)
        shown = self.FIELDS[self._kind_key(f)]
        typed = {"name": self.name.text().strip()[:500], "notes": self.notes.toPlainText()[:20000],
                 "source": self.source.text().strip()[:2000], "status": self.status.currentText()}
        for key, value in typed.items():
            # only what was changed: a field left as shown adds no key the feature did not have
            if key.capitalize() in shown and value != str(f.properties.get(key, "" if key != "status" else "reported")):
                props[key] = value
        style = dict(props.get("style") or {})
        if self._colour and self._colour != style.get("color"):
            style["color"] = self._colour
        default_dash = "solid" if f.status == "reported" else "dashed"
        if "Line style" in shown and self.dash.currentText() != style.get("dash", default_dash):
            style["dash"] = self.dash.currentText()
        if f.kind == "place" and f.role != "label" and (self.symbol.currentText() != "marker" or "symbol" in style):
            style["symbol"] = self.symbol.currentText()
        if style != (f.properties.get("style") or {}):
            props["style"] = style
        geometry = f.geometry
        if f.kind == "range_ring":
            old_m, new_m = float(f.properties["radius_m"]), self.radius.value() * 1000
            if abs(new_m - old_m) > 0.5:  # the spin box shows metres: an unchanged field keeps the exact radius
                props["radius_m"] = new_m
                # names and labels that state the radius follow it; one the analyst gave without it stays
                props["name"] = follow_radius(str(props.get("name", "")), old_m, new_m)
                if props.get("label"):
                    props["label"] = follow_radius(str(props["label"]), old_m, new_m)
                    if props["label"] == f.properties.get("label"):
                        km = self.radius.value()
                        props["label"] = f"{km:,.0f} km" if km >= 10 else f"{km:,.2f} km"
        if geometry["type"] == "Point":
            try:
                lat, lon = parse_latlon(self.position.text())
            except CoordinateError as e:
                self.error.setText(str(e))
                return None
            old_lat, old_lon = f.latlon()
            if format_latlon(old_lat, old_lon, self.coord_format) != self.position.text().strip():
                geometry = {"type": "Point", "coordinates": [lon, lat]}
        after = Feature(f.id, f.kind, geometry, props)
        if after != f:
            self.error.setText("")
            self.edited.emit(f, after)
        return after
