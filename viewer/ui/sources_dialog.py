"""The map's sources, each once: name, optional link, date and note. Facts pick from this list;
the briefing's source line cites it (name and date)."""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viewer.ui.forms import error_label

COLUMNS = ("name", "url", "date", "note")
HEADERS = ("Name", "Link", "Date (YYYY-MM-DD)", "Note")


class SourcesDialog(QDialog):
    def __init__(self, sources: list[dict], used_names: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sourcesDialog")
        self.setWindowTitle("Sources of This Map")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("sourcesTable")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._ids: list[str] = []
        self._names: list[str] = []  # each row's name as it came (a renamed one renames the facts citing it)
        self._stored: list[dict | None] = []  # the map's entry a row shows (None: a row not in the map's list)
        self._cited: list[bool] = []  # a row offered for a name facts cite (listed once completed)
        self._shown: list[tuple[str, ...]] = []  # each row's cells as they came
        for src in sources:
            self.add_row(src, stored=True)
        listed = {s["name"] for s in sources}
        for name in used_names:  # sources facts already name: offered so they can be completed
            if name not in listed:
                self.add_row({"name": name}, cited=True)
        add = QPushButton("Add")
        add.clicked.connect(lambda: self.add_row({}))
        remove = QPushButton("Remove")
        remove.clicked.connect(self._remove)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        self.error = error_label("sourcesError")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("Each source once. Facts choose from these names; briefings cite the name and date."))
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.resize(760, 360)

    def add_row(self, src: dict, stored: bool = False, cited: bool = False) -> None:
        """A new row; ``stored``: one showing an entry of the map's list; ``cited``: one offering a
        name facts cite, listed once it is completed (left as offered, it is not added)."""
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c, key in enumerate(COLUMNS):
            self.table.setItem(r, c, QTableWidgetItem(str(src.get(key, ""))))
        self._ids.append(str(src.get("id", "")))
        self._names.append(str(src.get("name", "")))
        self._stored.append(dict(src) if stored else None)
        self._cited.append(cited)
        self._shown.append(self._cells(r))

    def _cells(self, r: int) -> tuple[str, ...]:
        return tuple(self.table.item(r, c).text() if self.table.item(r, c) else "" for c in range(len(COLUMNS)))

    def _remove(self) -> None:
        for r in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(r)
            for rows in (self._ids, self._names, self._stored, self._cited, self._shown):
                del rows[r]

    def renamed(self) -> dict[str, str]:
        """Old name -> new name of each source whose name was changed here (not to nothing)."""
        out = {}
        for r, was in enumerate(self._names):
            now = self.table.item(r, 0).text().strip() if self.table.item(r, 0) else ""
            if was and now and now != was:
                out[was] = now
        return out

    def show_error(self, message: str) -> None:
        self.error.setText(message)

    def sources(self) -> list[dict]:
        out = []
        taken = {i for i in self._ids if i}
        for r in range(self.table.rowCount()):
            if self._cells(r) == self._shown[r]:
                if self._stored[r] is not None:
                    out.append(self._stored[r])  # left as it was: the map's entry exactly
                    continue
                if self._cited[r]:
                    continue
            entry = {key: (self.table.item(r, c).text().strip() if self.table.item(r, c) else "")
                     for c, key in enumerate(COLUMNS)}
            if not any(entry.values()):
                continue
            sid = self._ids[r]
            if not sid:
                base = re.sub(r"[^A-Za-z0-9]+", "-", entry["name"].lower()).strip("-")[:40] or "source"
                sid, n = base, 2
                while sid in taken:
                    sid, n = f"{base}-{n}", n + 1
                taken.add(sid)
            out.append({"id": sid, **{k: v for k, v in entry.items() if v or k == "name"}})
        return out
