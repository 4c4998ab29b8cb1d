"""The History tab's results: the count, the sortable table of the launches shown (a row
selects the launch on the map) and the facts of the launch selected."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSignalBlocker, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viewer.model import history as hist
from viewer.ui.facts_panel import STATUS_COLOURS, STATUS_MEANING, plain_tooltip
from viewer.ui.forms import fact_columns
from viewer.ui.history_import import plain_label as _plain
from viewer.ui.history_widgets import ID_ROLE, LaunchTableModel


class HistoryResults:
    """The results of :class:`viewer.ui.history_panel.HistoryPanel` (a part of it: it uses the
    panel's history, layer and the launches ``shown``)."""

    def _build_results(self) -> QWidget:
        results = QWidget()
        rl = QVBoxLayout(results)
        rl.setContentsMargins(0, 4, 0, 0)
        self.count_label = _plain(QLabel())
        self.count_label.setObjectName("historyCount")
        bold = self.count_label.font()
        bold.setBold(True)
        self.count_label.setFont(bold)
        rl.addWidget(self.count_label)
        split = QSplitter(Qt.Orientation.Vertical)
        self.model = LaunchTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("historyTable")
        self.table.setModel(self.model)  # it sorts itself
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.setAlternatingRowColors(True)
        # The columns fit their contents from the moment the tab is first shown: fitted before,
        # the window's first layout would ask every launch's every cell for its size (32,000
        # calls, 50-100 ms before the map can load, for a tab no one has opened yet).
        self._columns_fitted = False
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        split.addWidget(self.table)
        self.facts = QTableWidget(0, 4)
        self.facts.setObjectName("historyFacts")
        self.facts.setHorizontalHeaderLabels(["Fact", "Value", "Source", "Status"])
        self.facts.verticalHeader().setVisible(False)
        self.facts.setWordWrap(True)
        self.facts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.facts.setAlternatingRowColors(True)
        self.facts.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        fh = self.facts.horizontalHeader()
        fact_columns(fh, self.facts.setColumnWidth)
        fh.sectionResized.connect(lambda *_: self.facts.resizeRowsToContents())
        split.addWidget(self.facts)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        rl.addWidget(split, 1)
        return results

    def _fill_table(self) -> None:
        keep = self.layer.selected
        with QSignalBlocker(self.table.selectionModel()):
            self.model.set_launches(self.shown)
        if keep:
            self._select_row(keep)

    def _fit_columns(self) -> None:
        """Fit the table's columns to their contents, once: when the tab is first shown."""
        if not self._columns_fitted:
            self._columns_fitted = True
            header = self.table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        launch_id = self.model.data(current, ID_ROLE)
        self.layer.select(launch_id, fly=True)
        self.show_launch(launch_id)

    def _select_row(self, launch_id: str) -> bool:
        for row in range(self.model.rowCount()):
            if self.model.launches[row].id == launch_id:
                index = self.model.index(row, 0)
                with QSignalBlocker(self.table.selectionModel()):
                    self.table.selectRow(index.row())
                    self.table.selectionModel().setCurrentIndex(
                        index, self.table.selectionModel().SelectionFlag.NoUpdate)
                self.table.scrollTo(index)
                return True
        return False

    def select_launch(self, launch_id: str, from_map: bool = False) -> None:
        """Select a launch (the map was clicked, or a test asks)."""
        if self.history.launch(launch_id) is None:
            return
        self.layer.select(launch_id, fly=not from_map)
        self._select_row(launch_id)
        self.show_launch(launch_id)

    def show_launch(self, launch_id: str) -> None:
        x = self.history.launch(launch_id)
        self.facts.setRowCount(0)
        if x is None:
            return
        rows = [(f.label, f.value, f.source, f.status) for f in hist.launch_facts(x)]
        c = hist.compared_with_before(self.history, x)
        rows.append(("Compared with before", c.text, c.source, c.status))
        self.facts.setRowCount(len(rows))
        for r, (label, value, source, status) in enumerate(rows):
            tip = plain_tooltip(f"{label}: {value}\nSource: {source}\nStatus: {status} ({STATUS_MEANING.get(status, '')})")
            short_source = source.split(" (")[0]  # the full credit is in the tooltip
            for col, text in enumerate((label, value, short_source, status)):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                if col == 3:
                    fg, bg = STATUS_COLOURS.get(status, ("#333", "#eee"))
                    item.setForeground(QBrush(QColor(fg)))
                    item.setBackground(QBrush(QColor(bg)))
                self.facts.setItem(r, col, item)
        self.facts.resizeRowsToContents()
