"""Importing your own launch table (CSV): the column mapping dialog, bad rows reported and skipped."""

from __future__ import annotations

from PySide6.QtCore import (
    QSignalBlocker,
    Qt,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from viewer.model import history as hist
from viewer.model import launch_csv


def plain_label(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


# ----------------------------------------------------------------------------- the page side


class LaunchImportDialog(QDialog):
    """Which column is which: guessed from the header, changed by the user; the result
    (launches read, rows skipped and why) updates as the mapping changes."""

    def __init__(self, data: bytes, source_name: str, known: hist.LaunchHistory | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import Launch Table")
        self.setObjectName("launchImportDialog")
        self.source_name = source_name
        self.known = known
        self.table = launch_csv.read_table(data, source_name)  # LaunchCsvError for a file that cannot be read
        self.mapping = launch_csv.guess_mapping(self.table.headers)
        self.result_import: launch_csv.LaunchImport | None = None
        lay = QVBoxLayout(self)
        head = plain_label(
            QLabel(
                f"{source_name}: {len(self.table.rows):,} rows, {len(self.table.headers)} columns, "
                f"{self.table.encoding}, separated by {self.table.delimiter!r}"
            )
        )
        lay.addWidget(head)
        form = QFormLayout()
        self.combos: dict[str, QComboBox] = {}
        for name in launch_csv.FIELDS:
            combo = QComboBox()
            combo.setObjectName(f"column_{name}")
            combo.addItem("\u2014 not read \u2014", None)
            for i, h in enumerate(self.table.headers):
                combo.addItem(h, i)
            col = self.mapping.column(name)
            combo.setCurrentIndex(0 if col is None else col + 1)
            combo.currentIndexChanged.connect(lambda _i, n=name: self._changed(n))
            form.addRow(launch_csv.FIELD_LABELS[name], combo)
            self.combos[name] = combo
        lay.addLayout(form)
        self.summary = plain_label(QLabel())
        self.summary.setObjectName("importSummary")
        lay.addWidget(self.summary)
        self.details = QPlainTextEdit()
        self.details.setObjectName("importDetails")
        self.details.setReadOnly(True)
        self.details.setMinimumHeight(110)
        lay.addWidget(self.details)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.resize(520, 640)
        self._run()

    def set_column(self, name: str, index: int | None) -> None:
        """Map ``name`` to column ``index`` (None: not read), as choosing it in the combo does."""
        combo = self.combos[name]
        combo.setCurrentIndex(0 if index is None else index + 1)

    def _changed(self, name: str) -> None:
        index = self.combos[name].currentData()
        self.mapping = self.mapping.with_column(name, index)
        for other, combo in self.combos.items():  # one column serves one field
            col = self.mapping.column(other)
            with QSignalBlocker(combo):
                combo.setCurrentIndex(0 if col is None else col + 1)
        self._run()

    def _run(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        problems = self.mapping.problems()
        if problems:
            self.result_import = None
            self.summary.setText("Cannot import yet: " + "; ".join(problems) + ".")
            self.details.setPlainText("")
            ok.setEnabled(False)
            return
        self.result_import = launch_csv.import_launches(self.table, self.mapping, self.source_name, self.known)
        r = self.result_import
        self.summary.setText(r.report())
        lines = list(r.skipped)
        if r.skipped_count > len(r.skipped):
            lines.append(f"\u2026 and {r.skipped_count - len(r.skipped):,} more rows skipped")
        lines += r.notes
        self.details.setPlainText("\n".join(lines) if lines else "Every row was read.")
        ok.setEnabled(bool(r.history.launches))


# ----------------------------------------------------------------------------- the tab
