"""The facts panel fits any window from 1000x700 up: columns sized to their content with the
Value column taking what is left (never less than a quarter of the table), each fact's source
wrapped in full beside it where the table is wide enough, the flight-profile
chart folded away on request (and by default when the panel is short), the facts of a clicked
feature scrolled into view, and selected rows in readable colours."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyleOptionViewItem, QStyledItemDelegate, QToolButton

if TYPE_CHECKING:
    from viewer.ui.facts_panel import FactsPanel
    from viewer.ui.main_window import MainWindow

SELECTED_STYLE = (
    "QTreeWidget#factsTree::item:selected { background: #cfe0f7; color: #111111; }"
    "QTreeWidget#factsTree::item:selected:active { background: #b7d0f2; color: #000000; }"
)


WRAPPED = (0, 1)  # Fact and Value wrap; so does Source in a table this wide (px); Status stays one word
SOURCE_WRAPS_FROM = 400  # (narrower, a source on one line, in full in its tooltip: more facts in view)


class FitDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped fact, value and (in a wide enough table) source; the status on
    one line."""

    def __init__(self, tree):
        super().__init__(tree)
        self._tree = tree

    def _wraps(self, column: int) -> bool:
        return column in WRAPPED or (column == 2 and self._tree.viewport().width() >= SOURCE_WRAPS_FROM)

    def initStyleOption(self, option: QStyleOptionViewItem, index) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        if not self._wraps(index.column()):
            option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText
            option.textElideMode = Qt.TextElideMode.ElideRight

    def sizeHint(self, option, index):  # noqa: N802
        base = super().sizeHint(option, index)
        text = index.data() or ""
        if not self._wraps(index.column()) or not text:
            return QSize(base.width(), base.height())
        if index.column() == 0 and self._tree.isFirstColumnSpanned(index.row(), index.parent()):
            return QSize(base.width(), max(base.height(), option.fontMetrics.height() + 6))  # a heading: one line
        width = self._tree.columnWidth(index.column()) - 10
        if index.column() == 0 and index.parent().isValid():
            width -= self._tree.indentation()
        if width <= 20:
            return base
        rect = option.fontMetrics.boundingRect(QRect(0, 0, width, 100000), Qt.TextFlag.TextWordWrap, text)
        return QSize(base.width(), max(base.height(), rect.height() + 6))


class ColumnFitter(QObject):
    """Sizes the Fact, Source and Status columns to their content within shares of the width."""

    FACT_SHARE = 0.25
    SOURCE_SHARE = 0.27
    NARROW_SHARES = (0.27, 0.2)  # (a narrow table's: its sources on one line)

    def __init__(self, panel: "FactsPanel"):
        super().__init__(panel)
        self.panel = panel
        tree = panel.tree
        header = tree.header()
        for col in range(4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        tree.viewport().installEventFilter(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)
        tree.model().modelReset.connect(self._timer.start)
        tree.model().rowsInserted.connect(self._timer.start)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            self._timer.start()
        return False

    def fit(self) -> None:
        tree = self.panel.tree
        width = tree.viewport().width()
        if width <= 0:
            return
        metrics = tree.fontMetrics()
        status = min(max(metrics.horizontalAdvance(w) for w in ("estimated", "Status")) + 16, int(width * 0.2))
        fact_share, source_share = (self.FACT_SHARE, self.SOURCE_SHARE) if width >= SOURCE_WRAPS_FROM \
            else self.NARROW_SHARES
        fact = min(max(tree.sizeHintForColumn(0), 80) + 8, int(width * fact_share))
        source = min(max(tree.sizeHintForColumn(2), 60) + 8, int(width * source_share))
        tree.setColumnWidth(0, fact)
        tree.setColumnWidth(2, source)
        tree.setColumnWidth(3, status)
        tree.doItemsLayout()


def install(window: "MainWindow") -> None:
    panel = window.facts
    panel.tree.setItemDelegate(FitDelegate(panel.tree))
    panel.tree.setIndentation(12)
    panel.fitter = ColumnFitter(panel)
    panel.tree.setStyleSheet(SELECTED_STYLE)
    panel.tree.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    panel.detail.setMinimumHeight(40)
    panel.detail.setMaximumHeight(110)
    # the profile chart folds under a button with its name
    fold = QToolButton(panel)
    fold.setObjectName("profileFold")
    fold.setCheckable(True)
    fold.setAutoRaise(True)
    fold.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    fold.setArrowType(Qt.ArrowType.DownArrow)
    lay = panel.layout()
    lay.insertWidget(lay.indexOf(window.profile), fold)
    panel.profile_fold = fold

    def shown(on: bool) -> None:
        window.profile.setVisible(on and window.profile.assessment is not None)
        fold.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        fold.setText("Flight profile" if on else "Flight profile (folded)")

    fold.toggled.connect(shown)
    fold.clicked.connect(lambda on: window.settings.setValue("facts/profile", int(on)))  # the user's choice

    def flight_set(*_a) -> None:
        chosen = str(window.settings.value("facts/profile", ""))
        want = chosen == "1" if chosen in ("0", "1") else window.height() >= 760  # folded in a short window
        fold.setVisible(window.profile.assessment is not None)
        fold.blockSignals(True)
        fold.setChecked(want)
        fold.blockSignals(False)
        shown(want)

    window.scenarioLoaded.connect(flight_set)
    flight_set()
    # a clicked feature's facts come into view once the tree has laid out its rows
    window.map_view.bridge.featureSelected.connect(lambda _fid: QTimer.singleShot(0, lambda: _scroll_current(panel)))


def _scroll_current(panel: "FactsPanel") -> None:
    item = panel.tree.currentItem()
    if item is not None and item.isSelected():
        panel.tree.scrollToItem(item, QAbstractItemView.ScrollHint.PositionAtTop)
