"""Small pieces the dialogs share: a red plain-text error line, a status chooser, a UTC time edit,
the facts tables' columns."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimeZone
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QHeaderView, QLabel

from viewer.model.scenario import STATUSES


def error_label(name: str = "formError") -> QLabel:
    """Where a dialog says why its values were refused (plain text: hostile input stays text)."""
    label = QLabel()
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setStyleSheet("color: #a40000")
    return label


def status_box(default: str = "reported") -> QComboBox:
    box = QComboBox()
    box.addItems(list(STATUSES))
    box.setCurrentText(default)
    return box


def utc_time_edit(name: str) -> QDateTimeEdit:
    edit = QDateTimeEdit()
    edit.setObjectName(name)
    edit.setTimeZone(QTimeZone.utc())
    edit.setDisplayFormat("yyyy-MM-dd HH:mm 'UTC'")
    edit.setCalendarPopup(True)
    return edit


def fact_columns(header: QHeaderView, set_width) -> None:
    """A facts table's four columns (fact, value, source, status): the value takes the room left,
    the fact and source start 120 px wide and the analyst can widen them, the status fits its
    word. ``set_width(column, px)`` is the table's setColumnWidth."""
    modes = QHeaderView.ResizeMode
    for column, mode in enumerate((modes.Interactive, modes.Stretch, modes.Interactive, modes.ResizeToContents)):
        header.setSectionResizeMode(column, mode)
    header.setStretchLastSection(False)
    set_width(0, 120)
    set_width(2, 120)
