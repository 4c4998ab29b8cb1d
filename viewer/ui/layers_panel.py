"""Side-panel tab: the map's layers — show or hide, reorder, lock, rename."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

LAYER_ID = Qt.ItemDataRole.UserRole
LOCKED = Qt.ItemDataRole.UserRole + 1
SHOWN_LABEL = Qt.ItemDataRole.UserRole + 7  # the label as the map holds it (a rename to nothing keeps it)


class LayersPanel(QWidget):
    """Emits ``changed(layers)`` with the whole arrangement: [{"id", "label", "visible", "locked"}], top first."""

    changed = Signal(object)  # a list of dicts; Signal(list) over-releases the bools inside (PySide 6.12)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("layersPanel")
        self.list = QListWidget()
        self.list.setObjectName("layersList")
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.list.itemChanged.connect(lambda _i: self._emit())
        self.list.model().rowsMoved.connect(lambda *_: self._emit())
        self.up = QPushButton("Up")
        self.down = QPushButton("Down")
        self.lock = QPushButton("Lock / Unlock")
        self.rename = QPushButton("Rename")
        self.up.clicked.connect(lambda: self.move(-1))
        self.down.clicked.connect(lambda: self.move(1))
        self.lock.clicked.connect(self.toggle_lock)
        self.rename.clicked.connect(lambda: self.list.currentItem() and self.list.editItem(self.list.currentItem()))
        row = QHBoxLayout()
        for b in (self.up, self.down, self.lock, self.rename):
            row.addWidget(b)
        hint = QLabel("Tick to show; drag or Up/Down to reorder (top is drawn on top); "
                      "locked layers cannot be edited or deleted; double-click to rename.")
        hint.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(hint)
        lay.addWidget(self.list, 1)
        lay.addLayout(row)

    def set_layers(self, layers: list[dict]) -> None:
        current = self.list.currentItem().data(LAYER_ID) if self.list.currentItem() else None
        blocker = QSignalBlocker(self.list)
        self.list.clear()
        for layer in layers:
            item = QListWidgetItem(layer["label"])
            item.setData(LAYER_ID, layer["id"])
            item.setData(SHOWN_LABEL, layer["label"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEditable
                          | Qt.ItemFlag.ItemIsDragEnabled)
            item.setCheckState(Qt.CheckState.Checked if layer.get("visible", True) else Qt.CheckState.Unchecked)
            self._set_locked(item, bool(layer.get("locked")))
            self.list.addItem(item)
            if layer["id"] == current:
                self.list.setCurrentItem(item)
        del blocker

    def _set_locked(self, item: QListWidgetItem, locked: bool) -> None:
        item.setData(LOCKED, locked)
        item.setToolTip("Locked: cannot be edited or deleted" if locked else "")
        f = item.font()
        f.setItalic(locked)
        item.setFont(f)

    def layers(self) -> list[dict]:
        out = []
        for i in range(self.list.count()):
            item = self.list.item(i)
            label = item.text().strip()[:200] or str(item.data(SHOWN_LABEL) or item.data(LAYER_ID))
            out.append({"id": item.data(LAYER_ID), "label": label,
                        "visible": item.checkState() == Qt.CheckState.Checked, "locked": bool(item.data(LOCKED))})
        return out

    def _emit(self) -> None:
        self.changed.emit(self.layers())

    def move(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        blocker = QSignalBlocker(self.list)
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)
        del blocker
        self._emit()

    def toggle_lock(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            blocker = QSignalBlocker(self.list)
            self._set_locked(item, not item.data(LOCKED))
            del blocker
            self._emit()
