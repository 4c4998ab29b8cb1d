"""Side-panel drawing of the flight profile: altitude against ground distance, with the
Earth's curvature to scale, the reported apogee against the minimum-energy arc."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from viewer.model.trajectory import EARTH_MEAN_RADIUS_M, MIN_ENERGY_FORMULA, arc_profile, assess
from viewer.ui.facts_panel import plain_tooltip


class ProfileWidget(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("profileWidget")
        self.setMinimumHeight(170)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.assessment = None
        self._reported: list[tuple[float, float]] = []
        self._min_energy: list[tuple[float, float]] = []

    def set_flight(self, range_m: float | None, apogee_m: float | None) -> None:
        if not range_m or not apogee_m:
            self.assessment = None
            self.setVisible(False)
            return
        self.assessment = assess(range_m, apogee_m)
        self._reported = arc_profile(range_m, apogee_m)
        self._min_energy = arc_profile(range_m, self.assessment.min_energy_apogee_m)
        self.setToolTip(plain_tooltip(
            "Derived by SitMap from the reported range and apogee.\n"
            f"Minimum-energy apogee: {MIN_ENERGY_FORMULA}.\n{self.assessment.describe()}.\n"
            "Drawn to scale: the Earth's surface is the curved baseline."))
        self.setVisible(True)
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802
        if self.assessment is None:
            return
        a = self.assessment
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#fbfbf8"))
        margin = 10.0
        f = QFont(self.font())
        f.setPointSizeF(max(7.5, f.pointSizeF() * 0.9))
        line = QFontMetricsF(f).height()  # (a row as tall as the font's: descenders, "g" and "y", not cut)
        top_text = 4 + 2 * line
        rect = QRectF(margin, top_text, self.width() - 2 * margin, self.height() - top_text - line - 6)
        span = a.range_m * 1.1
        top = max(a.apogee_m, a.min_energy_apogee_m) * 1.15
        R = EARTH_MEAN_RADIUS_M
        # One scale for both axes, so the Earth's curvature and the arcs are drawn true to scale.
        sx = sy = min(rect.width() / span, rect.height() / (top + R * (1 - math.cos(span / 2 / R))))
        x0 = rect.left() + (rect.width() - a.range_m * sx) / 2

        def to_px(ground: float, alt: float) -> QPointF:
            # Curvature: the ground sags by R(1 - cos(d/R)) away from the middle of the flight.
            sag = R * (1 - math.cos((ground - a.range_m / 2) / R))
            return QPointF(x0 + ground * sx, rect.bottom() - (alt - sag + R * (1 - math.cos(span / 2 / R))) * sy)

        earth = QPainterPath()
        earth.moveTo(to_px(-0.05 * a.range_m, 0))
        for i in range(61):
            g = -0.05 * a.range_m + 1.1 * a.range_m * i / 60
            earth.lineTo(to_px(g, 0))
        p.setPen(QPen(QColor("#7d8f9c"), 1.5))
        p.drawPath(earth)
        for pts, colour, dash in ((self._min_energy, "#7d8f9c", True), (self._reported, "#0072B2", False)):
            path = QPainterPath()
            path.moveTo(to_px(*pts[0]))
            for g, h in pts[1:]:
                path.lineTo(to_px(g, h))
            pen = QPen(QColor(colour), 2.2 if not dash else 1.5)
            if dash:
                pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawPath(path)
        apex = to_px(a.range_m / 2, a.apogee_m)
        p.setBrush(QColor("#0072B2"))
        p.drawEllipse(apex, 3, 3)
        p.setFont(f)
        p.setPen(QColor("#222"))
        p.drawText(QRectF(margin, 2, self.width() - 2 * margin, line), Qt.AlignmentFlag.AlignLeft,
                   f"Profile (derived): {a.kind}, apogee {a.ratio:.2f} \u00d7 minimum-energy")
        p.setPen(QColor("#0072B2"))
        p.drawText(QRectF(margin, 3 + line, self.width() / 2, line), Qt.AlignmentFlag.AlignLeft,
                   f"\u2014 reported {a.apogee_m / 1000:.0f} km")
        p.setPen(QColor("#5b6b77"))
        p.drawText(QRectF(self.width() / 2, 3 + line, self.width() / 2 - margin, line), Qt.AlignmentFlag.AlignRight,
                   f"- - minimum-energy {a.min_energy_apogee_m / 1000:.0f} km")
        p.drawText(QRectF(margin, self.height() - line - 1, self.width() - 2 * margin, line), Qt.AlignmentFlag.AlignLeft,
                   f"0\u2013{a.range_m / 1000:.0f} km ground range; heights and curvature to scale")
        p.end()
