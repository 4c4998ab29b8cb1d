"""Add a range ring: centre from a place of the scenario or a typed coordinate, radius in km, nmi or mi."""

from __future__ import annotations

import math
import re

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from viewer.model.coords import CoordinateError, parse_latlon
from viewer.model.geodesy import EARTH_ANTIPODAL_M
from viewer.model.scenario import STATUSES, Scenario

UNITS = {"km": 1000.0, "nmi": 1852.0, "mi": 1609.344}


def _most(unit: str) -> float:
    """The largest radius in ``unit`` the box shows (three decimals) that is still a ring: rounded down."""
    return math.floor(EARTH_ANTIPODAL_M / UNITS[unit] * 1000) / 1000


def shown_radius(value: float, unit: str) -> str:
    """A radius as typed: "10.5 km", "0.001 km", "1,000 km"."""
    return f"{value:,.3f}".rstrip("0").rstrip(".") + f" {unit}"


class RadiusBox(QDoubleSpinBox):
    """A radius typed with a decimal point or a decimal comma ("10,5" is 10.5; "1,000" is a thousand)."""

    def __init__(self) -> None:
        super().__init__()
        locale = QLocale.c()
        locale.setNumberOptions(QLocale.NumberOption.RejectGroupSeparator)
        self.setLocale(locale)

    @staticmethod
    def _plain(text: str) -> str:
        if re.fullmatch(r"\s*\d{1,3}(,\d{3})+(\.\d*)?\s*", text):  # (thousands, as English writes them)
            return text.replace(",", "")
        return text.replace(",", ".", 1) if text.count(",") == 1 and "." not in text else text

    def validate(self, text: str, pos: int):
        got = super().validate(self._plain(text), pos)  # (the text typed stays as typed meanwhile)
        return (got[0] if isinstance(got, tuple) else got), text, pos

    def valueFromText(self, text: str) -> float:  # noqa: N802 (Qt API)
        return super().valueFromText(self._plain(text))


class RingDialog(QDialog):
    def __init__(self, scenario: Scenario, parent: QWidget | None = None, centre_id: str | None = None):
        super().__init__(parent)
        self.setWindowTitle("Add Range Ring")
        self.centre = QComboBox()
        self.centre.addItem("Typed coordinate", None)
        for f in scenario.features:
            if f.kind == "place":
                self.centre.addItem(f.name, f.id)
        self._scenario = scenario
        self.coordinate = QLineEdit()
        self.coordinate.setPlaceholderText("39.2002, 125.6733 \u2014 or DMS, or MGRS")
        self.radius = RadiusBox()
        self.radius.setDecimals(3)
        self.radius.setRange(0.001, _most("km"))
        self.radius.setValue(500)
        self.unit = QComboBox()
        self.unit.addItems(list(UNITS))
        self.unit.currentTextChanged.connect(self._unit_changed)
        self._unit = "km"
        row = QHBoxLayout()
        row.addWidget(self.radius, 1)
        row.addWidget(self.unit)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. KN-23 maximum range")
        self.status = QComboBox()
        self.status.addItems(list(STATUSES))
        self.status.setCurrentText("estimated")
        self.source = QLineEdit()
        self.source.setPlaceholderText("who says this range")
        self.error = QLabel("")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #b00020")
        form = QFormLayout(self)
        form.addRow("Centre", self.centre)
        form.addRow("Coordinate", self.coordinate)
        form.addRow("Radius", row)
        form.addRow("Name", self.name)
        form.addRow("Status", self.status)
        form.addRow("Source", self.source)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.centre.currentIndexChanged.connect(lambda _i: self.coordinate.setEnabled(self.centre.currentData() is None))
        if centre_id is not None:
            self.centre.setCurrentIndex(max(0, self.centre.findData(centre_id)))
        elif self.centre.count() > 1:
            self.centre.setCurrentIndex(1)

    def _unit_changed(self, unit: str) -> None:
        metres = self.radius.value() * UNITS[self._unit]
        self._unit = unit
        self.radius.setMaximum(_most(unit))
        self.radius.setValue(metres / UNITS[unit])

    def values(self) -> dict:
        """The ring to add; raises ValueError with a message for the user."""
        fid = self.centre.currentData()
        if fid is None:
            try:
                lat, lon = parse_latlon(self.coordinate.text())
            except CoordinateError as e:
                raise ValueError(str(e)) from None
            centre_name = self.coordinate.text().strip()
        else:
            lat, lon = self._scenario.feature(fid).latlon()
            centre_name = self._scenario.feature(fid).name
        radius_m = self.radius.value() * UNITS[self.unit.currentText()]
        if not 0 < radius_m <= EARTH_ANTIPODAL_M:
            raise ValueError("the radius must be above 0 and at most the antipodal distance")
        shown = shown_radius(self.radius.value(), self.unit.currentText())
        return {"lat": lat, "lon": lon, "radius_m": radius_m, "status": self.status.currentText(),
                "name": self.name.text().strip() or f"{shown} ring around {centre_name}",
                "label": shown, "source": self.source.text().strip() or "Analyst", "centre_feature": fid}

    def accept(self) -> None:
        try:
            self.values()
        except ValueError as e:
            self.error.setText(str(e))
            return
        super().accept()
