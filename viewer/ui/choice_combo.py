"""A drop-down of checkable choices: pick none ("All …"), one or several. The closed box reads
"All systems", the one name, or "KN-23, KN-24" / "5 systems"; clicking a choice ticks it and
keeps the list open."""

from __future__ import annotations

from typing import Any, Iterable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QStylePainter, QWidget

KEY_ROLE = Qt.ItemDataRole.UserRole + 10


class ChoiceCombo(QComboBox):
    """``changed`` is emitted once per tick or untick (not while choices are being filled)."""

    changed = Signal()

    def __init__(self, all_label: str, plural: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.all_label = all_label
        self.plural = plural  # "systems": "5 systems"
        self._model = QStandardItemModel(self)
        self.setModel(self._model)
        self.view().viewport().installEventFilter(self)
        self._quiet = False
        self._ticked: list | None = None  # checked(), kept until a tick or the choices change
        self._model.itemChanged.connect(self._item_changed)  # ticks by mouse, Space in the list, or code
        for changed in (self._model.modelReset, self._model.rowsInserted, self._model.rowsRemoved):
            changed.connect(self._forget)

    # ------------------------------------------------------------------ choices
    def set_choices(self, choices: Iterable[tuple[str, Any]], keep: bool = False) -> None:
        """(label, key) pairs; ``keep``: ticks on keys still offered stay."""
        old = set(self.checked()) if keep else set()
        self._quiet = True
        try:
            self._model.clear()
            for label, key in choices:
                item = QStandardItem(label)
                item.setData(key, KEY_ROLE)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if key in old else Qt.CheckState.Unchecked)
                item.setToolTip(label)
                self._model.appendRow(item)
        finally:
            self._quiet = False
        self.update()

    def keys(self) -> list:
        return [self._model.item(r).data(KEY_ROLE) for r in range(self._model.rowCount())]

    def checked(self) -> list:
        if self._ticked is None:  # (asked for several times a filter change: the items are Qt calls each)
            self._ticked = [self._model.item(r).data(KEY_ROLE) for r in range(self._model.rowCount())
                            if self._model.item(r).checkState() == Qt.CheckState.Checked]
        return list(self._ticked)

    def _forget(self, *_args) -> None:
        self._ticked = None

    def set_checked(self, keys: Iterable[Any]) -> bool:
        """Tick exactly ``keys`` (one ``changed``); False if one of them is not offered."""
        wanted = set(keys)
        offered = set(self.keys())
        self._quiet = True
        try:
            for r in range(self._model.rowCount()):
                item = self._model.item(r)
                item.setCheckState(Qt.CheckState.Checked if item.data(KEY_ROLE) in wanted else Qt.CheckState.Unchecked)
        finally:
            self._quiet = False
        self.update()
        self.changed.emit()
        return wanted <= offered

    def toggle(self, row: int) -> None:
        item = self._model.item(row)
        if item is None:
            return
        on = item.checkState() != Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _item_changed(self, _item) -> None:
        self._ticked = None
        self.update()
        if not self._quiet:
            self.changed.emit()

    # ------------------------------------------------------------------ look
    def summary(self) -> str:
        labels = [self._model.item(r).text() for r in range(self._model.rowCount())
                  if self._model.item(r).checkState() == Qt.CheckState.Checked]
        if not labels:
            return self.all_label
        if len(labels) == 1:
            return labels[0]
        text = ", ".join(labels)
        return text if len(text) <= 40 else f"{len(labels)} {self.plural}"

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt)
        painter = QStylePainter(self)
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        opt.currentText = self.summary()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, opt)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, opt)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        if obj is self.view().viewport() and event.type() == QEvent.Type.MouseButtonRelease:
            index = self.view().indexAt(event.position().toPoint())
            if index.isValid():
                self.toggle(index.row())
            return True  # the list stays open for more ticks
        return super().eventFilter(obj, event)
