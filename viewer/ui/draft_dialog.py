"""File → New from Article…: paste or open an article, review the draft beside it, show the map.

The first page takes the text (pasted, or a .txt / saved .html file) and the article's date. The
review page shows the article on the left, every drafted item highlighted at its words, and the
draft on the right: accept, edit or reject each item, pick another candidate for an ambiguous place,
see what could not be resolved. "Show Map" builds the map from what was kept and hands it to the
window. Nothing leaves the machine; the article is shown as plain text (never as HTML).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from viewer.model.draft import DISTANCE_ROLES, Draft, DraftInputError, DraftItem
from viewer.model.file_read import read_bytes_at_most
from viewer.model.scenario import STATUSES, Scenario

_STATUS_COLOURS = {"reported": "#cfe3ff", "claimed": "#ffd9c2", "estimated": "#fff1b3", "derived": "#d9f2d9"}
_SELECTED = "#ffb000"
_COLUMNS = ("Item", "Value", "Source", "Status", "Decision")
_MAX_FILE_BYTES = 8 * 2**20


def _utf16_positions(text: str):
    """Python offsets (code points) -> Qt document positions (UTF-16 units)."""
    if all(ord(c) < 0x10000 for c in text):
        return lambda i: i
    acc = [0]
    for c in text:
        acc.append(acc[-1] + (2 if ord(c) >= 0x10000 else 1))
    return lambda i: acc[max(0, min(i, len(text)))]


class DraftDialog(QDialog):
    """Two pages: the article, then the review. ``scenario`` holds the map after "Show Map"."""

    drafted = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("New Map from Article")
        self.resize(1200, 760)
        self.draft: Draft | None = None
        self.scenario: Scenario | None = None
        self._updating = False
        self.pages = QStackedWidget()
        self.pages.addWidget(self._input_page())
        self.pages.addWidget(self._review_page())
        lay = QVBoxLayout(self)
        lay.addWidget(self.pages)
        # the offline gazetteer takes seconds to load the first time: start while the user pastes
        import threading

        from viewer.model.place_index import place_index

        threading.Thread(target=place_index, name="sitmap-gazetteer", daemon=True).start()

    # ------------------------------------------------------------------ page 1: the article
    def _input_page(self) -> QWidget:
        page = QWidget()
        self.text_edit = QPlainTextEdit()
        self.text_edit.setPlaceholderText("Paste the article here, or open a .txt file or a saved web page.")
        self.open_button = QPushButton("Open File\u2026")
        self.open_button.clicked.connect(self._open_file)
        self.date_edit = QLineEdit()
        self.date_edit.setPlaceholderText("YYYY-MM-DD (the article's date, if it does not say)")
        self.date_edit.setMaximumWidth(320)
        self.input_error = QLabel("")
        self.input_error.setTextFormat(Qt.TextFormat.PlainText)
        self.input_error.setStyleSheet("color: #b00020")
        self.input_error.setWordWrap(True)
        self.draft_button = QPushButton("Draft")
        self.draft_button.setDefault(True)
        self.draft_button.clicked.connect(self.run_draft)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addWidget(QLabel("Article date"))
        row.addWidget(self.date_edit)
        row.addStretch(1)
        row.addWidget(cancel)
        row.addWidget(self.draft_button)
        lay = QVBoxLayout(page)
        lay.addWidget(QLabel("The article (plain text; a saved web page is reduced to its text). Nothing is sent anywhere."))
        lay.addWidget(self.text_edit, 1)
        lay.addWidget(self.input_error)
        lay.addLayout(row)
        self._html = False
        self._source_name = "the article"
        return page

    def _open_file(self) -> None:
        from viewer.ui import file_names

        settings = getattr(self.parentWidget(), "settings", None)  # (the window's: the folder used last)
        name, _ = QFileDialog.getOpenFileName(self, "Open Article", str(file_names.start_folder(settings)),
                                              "Articles (*.txt *.html *.htm);;All files (*)")
        if name:
            file_names.remember(settings, name)
            self.load_file(Path(name))

    def load_file(self, path: Path) -> bool:
        """Put a file's text in the box (a web page reduced to its text). False, with the reason shown, if not."""
        from viewer.model.draft import read_article

        try:
            if path.stat().st_size > _MAX_FILE_BYTES:
                raise DraftInputError(f"{path.name} is {path.stat().st_size / 1e6:.0f} MB; articles up to "
                                      f"{_MAX_FILE_BYTES // 2**20} MB")
            art = read_article(read_bytes_at_most(path, _MAX_FILE_BYTES), path.name,
                               as_html=True if path.suffix.lower() in (".html", ".htm") else None)
        except (OSError, DraftInputError) as e:
            self.input_error.setText(f"{path.name}: {getattr(e, 'strerror', None) or e}")
            return False
        self.input_error.setText("")
        self.text_edit.setPlainText(art.text)
        self._title = art.title
        self._published = art.published
        self._source_name = path.name
        self._loaded_text = art.text  # (its title and date go with this text only, not with one pasted over it)
        return True

    def run_draft(self) -> bool:
        """Draft from the box's text; on success the review page shows."""
        text = self.text_edit.toPlainText()
        when = None
        raw_date = self.date_edit.text().strip()
        if raw_date:
            try:
                when = date.fromisoformat(raw_date)
            except ValueError:
                self.input_error.setText(f"Article date {raw_date[:40]!r}: use YYYY-MM-DD")
                return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            from viewer.model.draft import draft_text
            from viewer.model.draft.text import clean

            loaded = text == getattr(self, "_loaded_text", None)
            d = draft_text(clean(text), article_date=when, title=self._title if loaded else "",
                           published=self._published if loaded else "")
        except DraftInputError as e:
            self.input_error.setText(str(e))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.input_error.setText("")
        self.show_draft(d)
        return True

    # ------------------------------------------------------------------ page 2: the review
    def _review_page(self) -> QWidget:
        page = QWidget()
        self.article_view = QTextEdit()
        self.article_view.setReadOnly(True)
        self.article_view.setAcceptRichText(False)
        self.table = QTableWidget(0, len(_COLUMNS))
        self.table.setHorizontalHeaderLabels(_COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemChanged.connect(self._cell_edited)
        self.accept_button = QPushButton("Accept")
        self.accept_button.clicked.connect(lambda: self.set_decision("accepted"))
        self.reject_button = QPushButton("Reject")
        self.reject_button.clicked.connect(lambda: self.set_decision("rejected"))
        self.choice = QComboBox()
        self.choice.setToolTip("Other places with this name")
        self.choice.activated.connect(self._choice_picked)
        # a distance can be taken as the range (ring, path, impact area), the apogee, a capability or
        # another distance (a fact only), whatever the drafter read it as
        self.distance_role = QComboBox()
        self.distance_role.setToolTip("What this distance is: the range flown draws the ring, the flight path "
                                      "and the impact area")
        for role, label in DISTANCE_ROLES.items():
            self.distance_role.addItem(label, role)
        self.distance_role.setEnabled(False)
        self.distance_role.activated.connect(self._distance_role_picked)
        self.note = QLabel("")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.unresolved = QListWidget()
        self.unresolved.setMaximumHeight(140)
        self.unresolved.itemClicked.connect(self._unresolved_clicked)
        self.unresolved.itemDoubleClicked.connect(lambda it: self.adopt_suggestion(self.unresolved.row(it)))
        self.summary = QLabel("")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.accept_button)
        row.addWidget(self.reject_button)
        row.addWidget(QLabel("Place"))
        row.addWidget(self.choice, 1)
        row.addWidget(QLabel("Distance is"))
        row.addWidget(self.distance_role)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.summary)
        rl.addWidget(self.table, 1)
        rl.addLayout(row)
        rl.addWidget(self.note)
        rl.addWidget(QLabel("Not resolved (click to see the words; double-click a place to take its first similar name):"))
        rl.addWidget(self.unresolved)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.article_view)
        split.addWidget(right)
        split.setSizes([520, 680])
        back = QPushButton("Back to the Text")
        back.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        buttons = QDialogButtonBox()
        self.show_button = buttons.addButton("Show Map", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.finish)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(back)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        lay = QVBoxLayout(page)
        lay.addWidget(split, 1)
        lay.addLayout(bottom)
        return page

    def show_draft(self, d: Draft) -> None:
        self.draft = d
        self._pos = _utf16_positions(d.text)
        self.article_view.setPlainText(d.text)  # plain text: markup in an article is shown, never run
        self._fill_table()
        self._refresh_unresolved()
        used = sum(1 for i in d.items if i.used)
        when = f"article date {d.article_date:%d %b %Y}" if d.article_date else "no article date"
        self.summary.setText(f"{len(d.items)} items drafted, {used} kept; {len(d.unresolved)} not resolved; "
                             f"{when}; times in {d.zone}.")
        self._highlight(None)
        self.pages.setCurrentIndex(1)
        self.drafted.emit()

    def _refresh_unresolved(self) -> None:
        self.unresolved.clear()
        for u in self.draft.unresolved if self.draft else []:
            label = f"{u.kind}: {u.text} \u2014 {u.why}" if u.text else f"{u.kind}: {u.why}"
            it = QListWidgetItem(label)
            it.setData(Qt.ItemDataRole.UserRole, list(u.span) if u.span else None)
            self.unresolved.addItem(it)

    def _fill_table(self) -> None:
        self._updating = True
        items = self.draft.items if self.draft else []
        self.table.setRowCount(len(items))
        for r, it in enumerate(items):
            cells = (it.label, it.value, it.source, it.status, it.decision)
            for c, v in enumerate(cells):
                cell = QTableWidgetItem(v)
                flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
                if c in (1, 2, 3):
                    flags |= Qt.ItemFlag.ItemIsEditable
                cell.setFlags(flags)
                if c == 3:
                    cell.setBackground(QColor(_STATUS_COLOURS.get(it.status, "#ffffff")))
                if it.decision == "rejected":
                    cell.setForeground(QColor("#888888"))
                self.table.setItem(r, c, cell)
        for col, width in ((0, 170), (2, 230), (3, 90), (4, 90)):
            self.table.setColumnWidth(col, width)
        self._updating = False

    def current_item(self) -> DraftItem | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or self.draft is None:
            return None
        return self.draft.items[rows[0].row()]

    def select_item(self, item_id: str) -> None:
        for r, it in enumerate(self.draft.items if self.draft else []):
            if it.id == item_id:
                self.table.selectRow(r)
                return

    def set_decision(self, decision: str) -> None:
        it = self.current_item()
        if it is None:
            return
        row = self.draft.items.index(it)
        self.draft.set_item(it.with_decision(decision))
        self._fill_table()
        self.table.selectRow(row)

    def _cell_edited(self, cell: QTableWidgetItem) -> None:
        if self._updating or self.draft is None or cell.column() not in (1, 2, 3):
            return
        from dataclasses import replace

        it = self.draft.items[cell.row()]
        new = cell.text().strip()
        if cell.column() in (2, 3):
            field_name = "source" if cell.column() == 2 else "status"
            if new == getattr(it, field_name):
                return
            if cell.column() == 2 and not new:
                self.note.setText("Every item needs a source.")
            elif cell.column() == 3 and new not in STATUSES:
                self.note.setText(f"Status must be one of {', '.join(STATUSES)}.")
            else:
                self.draft.set_item(replace(it, decision=self._edited(it), **{field_name: new[:300]}))
                self.note.setText("Edited." if it.decision != "rejected" else "Edited; still rejected (Accept to use it).")
            self._fill_table()
            return
        if new == it.value:
            return
        data = dict(it.data)
        if "lat" in data and "lon" in data:  # (a place's name goes with its position: another place is chosen)
            self.note.setText("A place is not renamed here: choose another below, or place it on the map.")
            self._fill_table()
            return
        if "metres" in data:
            metres = _parse_distance(new)
            if metres is None:
                self.note.setText(f"{new[:40]!r} is not a distance such as \u201c450 km\u201d or \u201c280 miles\u201d")
                self._fill_table()
                return
            data["metres"] = metres
        elif it.kind == "count":
            n = _parse_count(new)
            if n is None:
                self.note.setText(f"{new[:40]!r} is not a number of missiles")
                self._fill_table()
                return
            data["n"] = n
        self.draft.set_item(replace(it, value=new[:300], data=data, decision=self._edited(it)))
        self.note.setText("Edited." if it.decision != "rejected" else "Edited; still rejected (Accept to use it).")
        self._fill_table()

    @staticmethod
    def _edited(it) -> str:
        """An item's decision once edited: a rejected one stays rejected until it is accepted."""
        return "rejected" if it.decision == "rejected" else "edited"

    def _selection_changed(self) -> None:
        it = self.current_item()
        self.choice.clear()
        if it is None:
            self.note.setText("")
            self._highlight(None)
            return
        self.note.setText(it.note)
        if it.kind in ("place", "launch_site"):
            self.choice.addItem(f"{it.value} (drafted)", None)
            for k, c in enumerate(it.choices):
                self.choice.addItem(f"{c.name} \u2014 {c.kind.replace('_', ' ')}, {c.country} "
                                    f"({c.lat:.3f}, {c.lon:.3f})", k)
        self.choice.setEnabled(self.choice.count() > 1)
        role = it.distance_role
        with QSignalBlocker(self.distance_role):
            self.distance_role.setCurrentIndex(max(0, self.distance_role.findData(role)) if role else 0)
        self.distance_role.setEnabled(role is not None)
        self._highlight(it)

    def set_distance_role(self, role: str) -> None:
        """Take the selected distance as the range, the apogee, a capability or another distance."""
        it = self.current_item()
        if it is None or it.distance_role is None or role == it.distance_role:
            return
        row = self.draft.items.index(it)
        self.draft.set_distance_role(it.id, role)
        self._refresh_unresolved()
        self._fill_table()
        self.table.selectRow(row)

    def _distance_role_picked(self, index: int) -> None:
        role = self.distance_role.itemData(index)
        if role:
            self.set_distance_role(role)

    def _choice_picked(self, index: int) -> None:
        it = self.current_item()
        k = self.choice.itemData(index)
        if it is None or k is None:
            return
        from dataclasses import replace

        c = it.choices[k]
        others = (self._as_choice(it),) + tuple(x for j, x in enumerate(it.choices) if j != k)
        # (the list the place comes from is its source beside the article's words; the article's own
        # coordinates come from no list)
        data = dict(it.data, lat=c.lat, lon=c.lon, kind=c.kind, gazetteer=c.source if c.kind != "coordinates" else "",
                    uncertainty_m=max(c.uncertainty_m, float(it.data.get("uncertainty_m", 0))
                                      if it.kind == "launch_site" else c.uncertainty_m))
        row = self.draft.items.index(it)
        self.draft.set_item(replace(it, value=c.name, data=data, choices=others, decision="edited",
                                    note=f"Chosen instead of {it.value}"))
        self._fill_table()
        self.table.selectRow(row)

    @staticmethod
    def _as_choice(it: DraftItem):
        from viewer.model.place_index import Candidate

        d = it.data
        return Candidate(it.value, float(d["lat"]), float(d["lon"]), str(d.get("kind", "city")),
                         str(d.get("country", "")), 0, float(d.get("uncertainty_m", 0)), it.source)

    def adopt_suggestion(self, row: int) -> DraftItem | None:
        """Turn an unresolved place with similar names into a drafted item (the launch site if there is none)."""
        if self.draft is None or not 0 <= row < len(self.draft.unresolved):
            return None
        u = self.draft.unresolved[row]
        if u.kind != "place" or not u.suggestions or u.span is None:
            return None
        c = u.suggestions[0]
        has_site = any(i.kind == "launch_site" and i.used for i in self.draft.items)
        kind = "place" if has_site else "launch_site"
        item = DraftItem(f"adopted-{row}-{len(self.draft.items)}", kind, "Launch site" if kind == "launch_site" else "Place",
                         c.name, c.source, "estimated", (tuple(u.span),),
                         {"lat": c.lat, "lon": c.lon, "uncertainty_m": c.uncertainty_m, "kind": c.kind,
                          "country": c.country, "gazetteer": c.source, "wording": u.text},
                         tuple(u.suggestions[1:]), "edited", f"Taken for \u201c{u.text}\u201d (a similar name)")
        self.draft.items.append(item)
        self.draft.unresolved.pop(row)
        self.unresolved.takeItem(row)
        self._fill_table()
        self.select_item(item.id)
        return item

    def _unresolved_clicked(self, item: QListWidgetItem) -> None:
        span = item.data(Qt.ItemDataRole.UserRole)
        if span:
            self._highlight(None, extra=[tuple(span)])

    def _highlight(self, selected: DraftItem | None, extra: list[tuple[int, int]] | None = None) -> None:
        """Every kept item's words tinted by status; the selected item's (or the clicked words) in orange."""
        if self.draft is None:
            return
        sels = []
        doc = self.article_view.document()
        for it in self.draft.items:
            if not it.used or it is selected:
                continue
            for a, b in it.spans[:1]:
                sels.append(self._selection(doc, a, b, _STATUS_COLOURS.get(it.status, "#eeeeee")))
        focus = list(selected.spans) if selected is not None else []
        focus += extra or []
        for a, b in focus:
            sels.append(self._selection(doc, a, b, _SELECTED))
        self.article_view.setExtraSelections(sels)
        if focus:
            cur = QTextCursor(doc)
            cur.setPosition(self._pos(focus[0][0]))
            self.article_view.setTextCursor(cur)
            self.article_view.ensureCursorVisible()

    def _selection(self, doc, a: int, b: int, colour: str):
        sel = QTextEdit.ExtraSelection()
        cur = QTextCursor(doc)
        cur.setPosition(self._pos(a))
        cur.setPosition(self._pos(b), QTextCursor.MoveMode.KeepAnchor)
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(colour))
        sel.cursor = cur
        sel.format = fmt
        return sel

    def highlighted_words(self) -> list[str]:
        """The words highlighted in the article right now (for tests and accessibility)."""
        return [s.cursor.selectedText() for s in self.article_view.extraSelections()]

    def finish(self) -> None:
        if self.draft is None:
            return
        self.scenario = self.draft.scenario()
        self.accept()


def _parse_distance(text: str) -> float | None:
    from viewer.model.draft.lexicon import UNITS

    m = re.fullmatch(r"(?:about|around|some|approximately)?\s*(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
                     r"([A-Za-z ]+?)?(?:\s*\(.*\))?\s*", text.strip(), re.I)
    if not m:
        return None
    unit = (m.group(2) or "km").strip().lower()
    if unit not in UNITS:
        return None
    v = float(m.group(1).replace(",", "")) * UNITS[unit]
    return v if 0 < v < 20_000_000 else None


def _parse_count(text: str) -> int | None:
    from viewer.model.draft.lexicon import NUMBER_WORDS

    t = text.strip().lower()
    if t.isdigit() and 0 < int(t) < 1000:
        return int(t)
    return NUMBER_WORDS.get(t)


def open_draft_dialog(window) -> DraftDialog | None:
    """The menu action: ask before unsaved work is dropped, then open the dialog (non-blocking);
    "Show Map" puts the drafted map in the window as a new, unsaved map."""
    if not window.maybe_keep_changes():
        return None
    dlg = DraftDialog(window)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

    def done(result: int) -> None:
        if result == QDialog.DialogCode.Accepted and dlg.scenario is not None:
            window.set_scenario(dlg.scenario, None)

    dlg.finished.connect(done)
    window.draft_dialog = dlg
    dlg.open()
    return dlg
