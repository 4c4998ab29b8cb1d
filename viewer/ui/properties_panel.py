"""Side-panel tab: edit the selected feature. Every edit is one undoable change."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
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
        self.apply = QPushButton("Apply")
        self.apply.clicked.connect(self.commit)
        self.form = QFormLayout()
        for label, w in (("Name", self.name), ("Notes", self.notes), ("Source", self.source), ("Status", self.status),
                         ("Colour", self.colour), ("Line style", self.dash), ("Symbol", self.symbol),
                         ("Radius", self.radius),
                         ("Position", self.position)):
            self.form.addRow(label, w)
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addLayout(self.form)
        lay.addWidget(self.error)
        lay.addWidget(self.apply)
        lay.addStretch(1)
        self.show_feature(None)

    def _pick_colour(self) -> None:
        c = QColorDialog.getColor(QColor(self._colour or "#333333"), self, "Colour")
        if c.isValid():
            self._set_colour(c.name().upper())

    def _set_colour(self, colour: str) -> None:
        self._colour = colour
        self.colour.setText(colour or "default")
        self.colour.setStyleSheet(f"background: {colour};" if colour else "")

    def show_feature(self, f: Feature | None) -> None:
        self.feature = f
        self.error.setText("")
        for w in (self.name, self.notes, self.source, self.status, self.colour, self.dash, self.symbol, self.radius,
                  self.position, self.apply):
            w.setEnabled(f is not None)
        if f is None:
            self.heading.setText("Click a feature on the map to edit it.")
            return
        self.heading.setText(f"{f.kind.replace('_', ' ')} \u2014 {f.id}")
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

    def commit(self) -> Feature | None:
        """Build the edited feature; show why if a value is wrong."""
        f = self.feature
        if f is None:
            return None
        props = dict(f.properties)
        props.update(name=self.name.text().strip()[:500], notes=self.notes.toPlainText()[:20000],
                     source=self.source.text().strip()[:2000], status=self.status.currentText())
        style = dict(props.get("style") or {})
        if self._colour:
            style["color"] = self._colour
        style["dash"] = self.dash.currentText()
        if f.kind == "place" and f.role != "label" and (self.symbol.currentText() != "marker" or "symbol" in style):
            style["symbol"] = self.symbol.currentText()
        props["style"] = style
        geometry = f.geometry
        if f.kind == "range_ring":
            props["radius_m"] = self.radius.value() * 1000
            if props.get("label"):
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
