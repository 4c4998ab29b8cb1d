"""The History tab's table of launches (sortable) and its bar chart of launches per year."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QSizePolicy,
    QWidget,
)

from viewer.model import history as hist
from viewer.ui.facts_panel import plain_tooltip

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2


COLUMNS = ("Date (UTC)", "System", "Class", "Site", "Apogee", "Distance", "Outcome")


class LaunchTableModel(QAbstractTableModel):
    """The launches shown, in the table's sort order. The model sorts itself, in Python, by the
    keys of :meth:`sort_key` (a sorting proxy asked Python for two values per comparison: about
    16,000 calls, half a second, for 339 launches)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.launches: list[hist.Launch] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def set_launches(self, launches: list[hist.Launch]) -> None:
        self.beginResetModel()
        self.launches = self._sorted(launches)
        self.endResetModel()

    @staticmethod
    def sort_key(x: hist.Launch, column: int):
        return (
            x.epoch,
            x.system.name.lower(),
            hist.CLASSES.index(x.system.cls) if x.system.cls in hist.CLASSES else 99,
            x.site.name.lower(),
            x.apogee_km if x.apogee_km is not None else -1,
            x.distance_km if x.distance_km is not None else -1,
            x.outcome,
        )[column]

    def _sorted(self, launches) -> list[hist.Launch]:
        if self._sort is None:
            return list(launches)
        column, order = self._sort
        return sorted(launches, key=lambda x: self.sort_key(x, column),
                      reverse=order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:  # noqa: D102
        if not 0 <= column < len(COLUMNS):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()  # the selection keeps its launches
        kept = [self.launches[i.row()] for i in before]
        self.launches = self._sorted(self.launches)
        row = {id(x): r for r, x in enumerate(self.launches)}
        self.changePersistentIndexList(before, [self.index(row[id(x)], i.column()) for x, i in zip(kept, before)])
        self.layoutChanged.emit()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.launches)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        x = self.launches[index.row()]
        c = index.column()
        if role == ID_ROLE:
            return x.id
        if role == SORT_ROLE:
            return self.sort_key(x, c)
        if role == Qt.ItemDataRole.DisplayRole:
            if c == 0:
                return f"{x.date} {x.time_utc}" if x.time_utc else x.date
            if c == 1:
                return x.system.short
            if c == 2:
                return x.system.cls
            if c == 3:
                return x.site.name
            if c in (4, 5):
                v = x.apogee_km if c == 4 else x.distance_km
                return f"{v:,.0f} km" if v is not None else "\u2014"
            return x.outcome
        if role == Qt.ItemDataRole.ToolTipRole and c in (1, 3):
            return plain_tooltip(x.system.name if c == 1 else x.site.name)
        if role == Qt.ItemDataRole.DecorationRole and c == 2:  # the class's colour on the map
            return QColor(hist.CLASS_COLOURS.get(x.system.cls, "#333333"))
        if role == Qt.ItemDataRole.TextAlignmentRole and c in (4, 5):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


# ----------------------------------------------------------------------------- bar chart
class YearChart(QWidget):
    """Launches per year as small bars; the chosen years dark, the others light. Click a bar: that year."""

    yearClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("historyYearChart")
        self.counts: dict[int, int] = {}
        self.chosen: tuple[int, int] | None = None
        self.setFixedHeight(70)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(300, 80)

    def set_counts(self, counts: dict[int, int], chosen: tuple[int, int] | None) -> None:
        self.counts, self.chosen = counts, chosen
        self.setToolTip("Launches per year (of the launches matching the other filters). Click a bar for that year.")
        self.update()

    def _geometry(self):
        years = sorted(self.counts)
        w = self.width() - 8
        bw = w / max(1, len(years))
        return years, bw

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        years, bw = self._geometry()
        h = self.height() - 16
        top = max(self.counts.values(), default=0) or 1
        pal = self.palette()
        p.fillRect(self.rect(), pal.base())
        dark, light = QColor("#0b4a8b"), QColor("#b9c8d8")
        for i, y in enumerate(years):
            n = self.counts[y]
            if not n:
                continue
            bh = max(1.0, (h - 12) * n / top)
            chosen = self.chosen is None or self.chosen[0] <= y <= self.chosen[1]
            p.fillRect(QRectF(4 + i * bw + 0.5, 2 + h - bh, max(1.0, bw - 1), bh), dark if chosen else light)
        p.setPen(QPen(pal.text().color()))
        f = p.font()
        f.setPointSizeF(max(6.5, f.pointSizeF() * 0.8))
        p.setFont(f)
        if years:
            p.drawText(QRectF(4, h + 2, 60, 14), Qt.AlignmentFlag.AlignLeft, str(years[0]))
            p.drawText(QRectF(self.width() - 64, h + 2, 60, 14), Qt.AlignmentFlag.AlignRight, str(years[-1]))
            p.drawText(QRectF(4, 0, self.width() - 8, 14), Qt.AlignmentFlag.AlignRight, f"max {top}/year")
        p.end()

    def mousePressEvent(self, event) -> None:  # noqa: N802
        years, bw = self._geometry()
        if not years:
            return
        i = int((event.position().x() - 4) // bw)
        if 0 <= i < len(years):
            self.yearClicked.emit(years[i])


# ----------------------------------------------------------------------------- import dialog
