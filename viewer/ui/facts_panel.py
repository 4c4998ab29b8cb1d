"""Side panel listing the scenario's facts by group, each with its source and status."""

from __future__ import annotations

import html
import math

from PySide6.QtCore import QPointF, QRect, QSignalBlocker, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QTextLayout, QTextOption
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QStyledItemDelegate,
    QTreeWidget,
    QToolButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viewer.model.scenario import Scenario, derivation_formula
from viewer.ui.forms import fact_columns

STATUS_COLOURS = {
    "reported": ("#0b4a8b", "#e3eefb"),
    "claimed": ("#8a4b00", "#fdebd3"),
    "derived": ("#1d6b3b", "#e4f4ea"),
    "estimated": ("#6b2a78", "#f2e6f4"),
}
STATUS_MEANING = {
    "reported": "a party said it",
    "claimed": "one side's assertion",
    "derived": "computed by SitMap from reported numbers",
    "estimated": "an analyst's placement, with its uncertainty",
}
FACT_ID = Qt.ItemDataRole.UserRole
FEATURE_ID = Qt.ItemDataRole.UserRole + 1
GROUP_ID = Qt.ItemDataRole.UserRole + 2
DERIVED_DETAIL = Qt.ItemDataRole.UserRole + 3  # computed rows (not the map's facts): their full text


def plain_tooltip(text: str) -> str:
    """Tooltips render rich text when it looks like HTML; escape so text stays text."""
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"


NARROWEST = 40  # px a wrapped text asks of its panel at the least: its text never widens the panel


def wrapped_text(text: str, font: QFont, width: int) -> QTextLayout:
    """``text`` laid out ``width`` px wide: between words where it can, anywhere inside a word
    longer than the width (a link, a file-like name), and at each newline."""
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout = QTextLayout(text.replace("\r\n", "\n").replace("\n", "\u2028"), font)
    layout.setTextOption(option)
    layout.beginLayout()
    y = 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(1, width))
        line.setPosition(QPointF(0, y))
        y += line.height()
    layout.endLayout()
    return layout


def wrapped_height(text: str, font: QFont, width: int) -> int:
    return math.ceil(wrapped_text(text, font, width).boundingRect().height())


class WrappingLabel(QLabel):
    """A plain-text label that wraps between words and, inside a word longer than its width,
    anywhere. (A word-wrapped QLabel asks its panel for the width of its longest word: a title of
    200 letters without a space pushed the map off the window.)"""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)  # (its height follows its width)
        self.setText(text)

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        m = self.contentsMargins()
        return wrapped_height(self.text(), self.font(), width - m.left() - m.right()) + m.top() + m.bottom()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        m = self.contentsMargins()
        return QSize(NARROWEST, self.fontMetrics().height() + m.top() + m.bottom())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        m = self.contentsMargins()
        natural = self.fontMetrics().horizontalAdvance(self.text()) + m.left() + m.right()
        width = max(NARROWEST, min(natural, self.fontMetrics().averageCharWidth() * 40))
        return QSize(width, self.heightForWidth(width))

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        r = self.contentsRect()
        wrapped_text(self.text(), self.font(), r.width()).draw(painter, QPointF(r.topLeft()))


class FactDetail(QPlainTextEdit):
    """The chosen fact in full, as plain text to read, select and copy: wrapped between words and,
    inside a word longer than the panel is wide (a link), anywhere; as tall as its text, up to
    what the panel gives it, then it scrolls. Read as a label is (``setText``, ``text``)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("factDetail")
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.document().setDocumentMargin(5)
        self.setStyleSheet("QPlainTextEdit#factDetail { background: palette(base); border: 1px solid palette(mid); }")
        self.textChanged.connect(self.updateGeometry)

    def setText(self, text: str) -> None:  # noqa: N802 (a label's)
        self.setPlainText(text)

    def text(self) -> str:
        return self.toPlainText()

    def textFormat(self) -> Qt.TextFormat:  # noqa: N802 (a label's: it never reads text as HTML)
        return Qt.TextFormat.PlainText

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(NARROWEST, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        margin = self.document().documentMargin()
        frame = 2 * self.frameWidth()
        width = max(NARROWEST, self.viewport().width())
        height = wrapped_height(self.toPlainText(), self.font(), int(width - 2 * margin)) + 2 * margin + frame
        return QSize(super().sizeHint().width(), math.ceil(height))

    def resizeEvent(self, event) -> None:  # noqa: N802 - its height follows its width, as a label's
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()


class _WrapDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped text, so values and sources are read in full."""

    def __init__(self, tree: QTreeWidget):
        super().__init__(tree)
        self._tree = tree

    def sizeHint(self, option, index):  # noqa: N802
        base = super().sizeHint(option, index)
        text = index.data() or ""
        width = self._tree.columnWidth(index.column()) - 10
        if index.column() == 0 and index.parent().isValid():
            width -= self._tree.indentation()
        if width <= 20 or not text:
            return base
        rect = option.fontMetrics.boundingRect(QRect(0, 0, width, 100000), Qt.TextFlag.TextWordWrap, text)
        return QSize(base.width(), max(base.height(), rect.height() + 6))


class FactsPanel(QWidget):
    """Emits ``factActivated(feature_id)`` when a fact with a place is clicked, and asks the window
    to add, edit, delete or move facts and groups (the panel never changes the map itself)."""

    factActivated = Signal(str)
    addRequested = Signal(str)  # the group of the selected fact, or ""
    editRequested = Signal(str)
    deleteRequested = Signal(list)
    moveRequested = Signal(str, int)
    addGroupRequested = Signal()
    renameGroupRequested = Signal(str)
    deleteGroupRequested = Signal(str)
    sourcesRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("factsPanel")
        self.title = WrappingLabel()
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.2)
        f.setBold(True)
        self.title.setFont(f)
        self.subtitle = WrappingLabel()
        self.tree = QTreeWidget()
        self.tree.setObjectName("factsTree")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["Fact", "Value", "Source", "Status"])
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setUniformRowHeights(False)
        self.tree.setItemDelegate(_WrapDelegate(self.tree))
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(30)
        self._relayout.timeout.connect(self.tree.doItemsLayout)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QTreeWidget.SelectionMode.ExtendedSelection)
        header = self.tree.header()
        fact_columns(header, self.tree.setColumnWidth)
        header.sectionResized.connect(lambda *_: self._relayout.start())
        self.detail = FactDetail()
        self.detail.setMinimumHeight(60)
        tools = QHBoxLayout()
        tools.setSpacing(2)
        self.buttons: dict[str, QToolButton] = {}
        for key, text, tip in (("add", "Add Fact", "Add a fact (about the selected feature, if any)"),
                               ("edit", "Edit", "Edit the selected fact (or double-click it)"),
                               ("delete", "Delete", "Delete the selected facts (or the selected group, once empty)"),
                               ("up", "\u25b2", "Move the fact up in its group"),
                               ("down", "\u25bc", "Move the fact down in its group"),
                               ("group", "Add Group", "Add a group of facts"),
                               ("sources", "Sources\u2026", "The map's sources: name, link, date, note")):
            b = QToolButton()
            b.setObjectName(f"facts_{key}")
            b.setText(text)
            b.setToolTip(tip)
            b.setAutoRaise(True)
            tools.addWidget(b)
            self.buttons[key] = b
        tools.addStretch(1)
        self.buttons["add"].clicked.connect(lambda: self.addRequested.emit(self._current_group()))
        self.buttons["edit"].clicked.connect(lambda: self._emit_for_current(self.editRequested.emit))
        self.buttons["delete"].clicked.connect(self.delete_selection)
        self.buttons["up"].clicked.connect(lambda: self._emit_for_current(lambda f: self.moveRequested.emit(f, -1)))
        self.buttons["down"].clicked.connect(lambda: self._emit_for_current(lambda f: self.moveRequested.emit(f, 1)))
        self.buttons["group"].clicked.connect(self.addGroupRequested.emit)
        self.buttons["sources"].clicked.connect(self.sourcesRequested.emit)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.title)
        lay.addWidget(self.subtitle)
        lay.addLayout(tools)
        lay.addWidget(self.tree, 1)
        lay.addWidget(self.detail)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.currentItemChanged.connect(lambda cur, _prev: self._show_detail(cur))
        self._items: dict[str, QTreeWidgetItem] = {}
        self._scenario: Scenario | None = None
        # Groups of rows computed from the map and other data (e.g. "compared with before"):
        # each provider(scenario) returns [(group label, [(label, value, source, status, how)])].
        # Shown after the map's own facts, read-only, and never stored in the map.
        self.derived_providers: list = []
        self._derived_items: list[QTreeWidgetItem] = []

    def set_scenario(self, s: Scenario) -> None:
        current = self._current_fact() if self._scenario is not None else ""
        self._scenario = s
        self.title.setText(s.title)
        self.subtitle.setText(s.subtitle)
        self.subtitle.setVisible(bool(s.subtitle))
        self.tree.clear()
        self._items.clear()
        order = [g for g, _ in s.groups] + [f.group for f in s.facts]
        heads: list[QTreeWidgetItem] = []
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for gid in dict.fromkeys(order):
            facts = [f for f in s.facts if f.group == gid]
            if not facts and gid not in {g for g, _ in s.groups}:
                continue  # a group only facts name, with none left
            gi = QTreeWidgetItem([s.group_label(gid)])
            gi.setData(0, GROUP_ID, gid)
            gi.setFont(0, bold)
            gi.setFlags(Qt.ItemFlag.ItemIsEnabled)
            heads.append(gi)
            for fact in facts:
                value = s.fact_display_value(fact)
                item = QTreeWidgetItem([fact.label, value, fact.source, fact.status])
                item.setData(0, FACT_ID, fact.id)
                item.setData(0, FEATURE_ID, fact.feature or "")
                fg, bg = STATUS_COLOURS.get(fact.status, ("#333", "#eee"))
                item.setForeground(3, QBrush(QColor(fg)))
                item.setBackground(3, QBrush(QColor(bg)))
                tip = f"{fact.label}: {value}\nSource: {fact.source}\nStatus: {fact.status} ({STATUS_MEANING.get(fact.status, '')})"
                if fact.derive:
                    tip += "\nHow: " + derivation_formula(fact.derive)
                if fact.feature:
                    tip += "\nClick to show it on the map."
                for col in range(4):
                    item.setToolTip(col, plain_tooltip(tip))
                gi.addChild(item)
                self._items[fact.id] = item
        heads += self._derived(s, bold)
        self._show_groups(heads)
        self.detail.setText("Click a fact to see it in full; facts with a place fly the map there. "
                            "Double-click to edit.")
        if current in self._items:
            self.show_fact(current)

    def _show_groups(self, heads: list[QTreeWidgetItem]) -> None:
        """The groups' rows, their facts under them, into the table at once, each group open and its
        heading across the table. (Made before they are added, and spanned once all are in and
        open: a heading spanned as each group came laid the table out again each time, asking
        every row its height: over 700 questions for the built-in map, its first rows asked seven times.)"""
        self.tree.addTopLevelItems(heads)
        for gi in heads:
            gi.setExpanded(True)
        for gi in heads:
            gi.setFirstColumnSpanned(True)

    def _derived(self, s: Scenario, bold: QFont) -> list[QTreeWidgetItem]:
        """The computed groups' rows (the derived providers'), not yet in the table."""
        self._derived_items = []
        heads = []
        for provider in self.derived_providers:
            for label, rows in provider(s) or []:
                gi = QTreeWidgetItem([label])
                gi.setFont(0, bold)
                gi.setFlags(Qt.ItemFlag.ItemIsEnabled)
                gi.setToolTip(0, plain_tooltip(f"{label}: computed by SitMap, shown here, not stored in the map"))
                heads.append(gi)
                for fact_label, value, source, status, how in rows:
                    item = QTreeWidgetItem([fact_label, value, source, status])
                    fg, bg = STATUS_COLOURS.get(status, ("#333", "#eee"))
                    item.setForeground(3, QBrush(QColor(fg)))
                    item.setBackground(3, QBrush(QColor(bg)))
                    tip = f"{fact_label}: {value}\nSource: {source}\nStatus: {status} ({STATUS_MEANING.get(status, '')})"
                    if how:
                        tip += "\nHow: " + how
                    for col in range(4):
                        item.setToolTip(col, plain_tooltip(tip))
                    item.setData(0, DERIVED_DETAIL, f"{fact_label}\n{value}\nSource: {source}\nStatus: {status} "
                                                    f"\u2014 {STATUS_MEANING.get(status, '')}" + (f"\nHow: {how}" if how else ""))
                    gi.addChild(item)
                    self._derived_items.append(item)
        return heads

    def derived_rows(self) -> list[tuple[str, str, str, str, str]]:
        """(group, label, value, source, status) of the computed rows shown."""
        return [(i.parent().text(0), i.text(0), i.text(1), i.text(2), i.text(3)) for i in self._derived_items]

    def refresh_derived(self) -> None:
        """Recompute the computed rows (their data changed, the map did not)."""
        if self._scenario is not None:
            self.set_scenario(self._scenario)

    def _current_fact(self) -> str:
        item = self.tree.currentItem()
        return item.data(0, FACT_ID) if item is not None and item.data(0, FACT_ID) else ""

    def _current_group(self) -> str:
        item = self.tree.currentItem()
        if item is None:
            return ""
        if item.data(0, FACT_ID):
            fact = next((f for f in self._scenario.facts if f.id == item.data(0, FACT_ID)), None)
            return fact.group if fact else ""
        return item.data(0, GROUP_ID) or ""

    def _emit_for_current(self, emit) -> None:
        fid = self._current_fact()
        if fid:
            emit(fid)

    def _double_clicked(self, item: QTreeWidgetItem, _col: int) -> None:
        if item.data(0, FACT_ID):
            self.editRequested.emit(item.data(0, FACT_ID))
        elif item.data(0, GROUP_ID):
            self.renameGroupRequested.emit(item.data(0, GROUP_ID))

    def show_fact(self, fact_id: str) -> None:
        """Select a fact and scroll it into view (after it was added or edited)."""
        item = self._items.get(fact_id)
        if item is not None:
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)
            self._show_detail(item)

    def fact_ids(self) -> list[str]:
        return list(self._items)

    def item_for(self, fact_id: str) -> QTreeWidgetItem | None:
        return self._items.get(fact_id)

    def delete_selection(self) -> bool:
        """Delete (the button, or the Delete key here): the selected facts, else the selected group."""
        ids = self.selected_fact_ids()
        if ids:
            self.deleteRequested.emit(ids)
            return True
        current = self.tree.currentItem()  # (a group's row is current, never selected)
        group = current.data(0, GROUP_ID) if current is not None else None
        if group:
            self.deleteGroupRequested.emit(group)
            return True
        return False

    def selected_fact_ids(self) -> list[str]:
        return [i.data(0, FACT_ID) for i in self.tree.selectedItems() if i.data(0, FACT_ID)]

    def _clicked(self, item: QTreeWidgetItem, _col: int) -> None:
        self._show_detail(item)
        feature = item.data(0, FEATURE_ID)
        if feature:
            self.factActivated.emit(feature)

    def activate_fact(self, fact_id: str) -> None:
        item = self._items.get(fact_id)
        if item is not None:
            self.tree.setCurrentItem(item)
            self._clicked(item, 0)

    def _show_detail(self, item: QTreeWidgetItem | None) -> None:
        if item is not None and item.data(0, DERIVED_DETAIL):
            self.detail.setText(item.data(0, DERIVED_DETAIL))
            return
        if item is None or self._scenario is None or not item.data(0, FACT_ID):
            return
        fact = next((f for f in self._scenario.facts if f.id == item.data(0, FACT_ID)), None)
        if fact is None:
            return
        value = self._scenario.fact_display_value(fact)
        self.detail.setText(
            f"{fact.label}\n{value}\nSource: {fact.source}\nStatus: {fact.status} \u2014 {STATUS_MEANING.get(fact.status, '')}"
        )

    def select_feature(self, feature_id: str) -> list[str]:
        """Select the facts about a feature (the map was clicked); returns their ids."""
        blocker = QSignalBlocker(self.tree)
        self.tree.clearSelection()
        ids = []
        first = None
        for fid, item in self._items.items():
            if item.data(0, FEATURE_ID) == feature_id:
                item.setSelected(True)
                ids.append(fid)
                first = first or item
        del blocker
        if first is not None:
            self.tree.scrollToItem(first)
            self.tree.setCurrentItem(first, 0, self.tree.selectionModel().SelectionFlag.NoUpdate)
            self._show_detail(first)
        return ids
