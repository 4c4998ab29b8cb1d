"""Side-panel tab: edit the selected feature. Only the fields its kind has are shown; each is
applied as soon as it is edited (Enter, leaving the field, picking from a list, or a window
shortcut pressed in it): one undoable change per field edit, never one per keystroke. Only the
fields the user changed change; the others keep the feature's values exactly."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viewer.logic.naming import follow_radius, heading, km_text, states_a_radius
from viewer.model.coords import CoordinateError, format_latlon, parse_latlon
from viewer.model.geodesy import EARTH_ANTIPODAL_M
from viewer.model.scenario import MARKER_SYMBOLS, STATUSES, Feature
from viewer.ui.facts_panel import WrappingLabel


class PropertiesPanel(QWidget):
    """Emits ``edited(before, after)``; the window turns it into an undoable command."""

    edited = Signal(object, object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("propertiesPanel")
        self.feature: Feature | None = None
        self.coord_format = "dd"
        self.heading = WrappingLabel("Click a feature on the map to edit it.")  # (a long name without spaces wraps)
        self.name = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.source = QLineEdit()
        self.status = QComboBox()
        self.status.addItems(list(STATUSES))
        self.colour = QPushButton()
        self.colour.clicked.connect(self._pick_colour)
        self._colour = ""
        self.dash = QComboBox()
        self.dash.addItems(["solid", "dashed", "dotted"])
        self.symbol = QComboBox()
        self.symbol.addItems(list(MARKER_SYMBOLS))
        self.radius = QDoubleSpinBox()
        self.radius.setDecimals(3)
        self.radius.setRange(0.001, EARTH_ANTIPODAL_M / 1000)
        self.radius.setSuffix(" km")
        self.position = QLineEdit()
        self.position.setPlaceholderText("decimal degrees, DMS or MGRS")
        self.error = QLabel("")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        self.apply = QPushButton("Apply")  # kept for the keyboard (Enter applies); edits apply as made
        self.apply.clicked.connect(self.commit)
        self.apply.setVisible(False)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._rows = {}
        for label, w in (("Name", self.name), ("Notes", self.notes), ("Source", self.source), ("Status", self.status),
                         ("Colour", self.colour), ("Line style", self.dash), ("Symbol", self.symbol),
                         ("Radius", self.radius),
                         ("Position", self.position)):
            self.form.addRow(label, w)
            self._rows[label] = w
        self.notes.setMaximumHeight(90)
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addLayout(self.form)
        lay.addWidget(self.error)
        lay.addWidget(self.apply)
        lay.addStretch(1)
        # applied as edited: one change per finished field edit
        for w in (self.name, self.source, self.position):
            w.editingFinished.connect(self._field_done)
        self.radius.editingFinished.connect(self._field_done)
        for w in (self.status, self.dash, self.symbol):
            w.activated.connect(self._field_done)
        self._typed_fields = (self.name, self.notes, self.source, self.radius, self.position)
        for w in self._typed_fields:
            w.installEventFilter(self)
        self._shown: dict = {}
        self.show_feature(None)

    # Fields a kind has (the rest are hidden, not just greyed)
    FIELDS = {
        "place": ("Name", "Notes", "Source", "Status", "Colour", "Symbol", "Position"),
        "label": ("Name", "Colour", "Position"),
        "range_ring": ("Name", "Notes", "Source", "Status", "Colour", "Line style", "Radius", "Position"),
        "path": ("Name", "Notes", "Source", "Status", "Colour", "Line style"),
        "area": ("Name", "Notes", "Source", "Status", "Colour", "Line style"),
    }

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.notes and event.type() == QEvent.Type.FocusOut:
            self._field_done()
        elif event.type() == QEvent.Type.ShortcutOverride and obj in self._typed_fields:
            # The field first: the keys it uses itself (typing, its own undo) stay its own. A key
            # it leaves goes on to the window's shortcuts (Save, Export, Close...): the field's
            # edit is applied first, so the shortcut acts on the map with it.
            obj.event(event)
            shortcut = event.modifiers() & _SHORTCUT_MODIFIERS and event.key() not in _MODIFIER_KEYS
            if shortcut and not event.isAccepted():
                self._field_done()
            return True
        return False

    def _field_done(self, *_args) -> None:
        if self.feature is None or self._showing:
            return
        if self.pending():
            self.commit()
        else:
            self.error.setText("")  # (a value typed wrong and put back as it was: nothing to say)

    def _values(self) -> dict:
        """What each field shows now."""
        return {"name": self.name.text(), "notes": self.notes.toPlainText(), "source": self.source.text(),
                "status": self.status.currentText(), "colour": self._colour, "dash": self.dash.currentText(),
                "symbol": self.symbol.currentText(), "radius": self.radius.value(), "position": self.position.text()}

    def _edited(self) -> set[str]:
        """The fields changed since the feature was shown."""
        if self.feature is None:
            return set()
        now = self._values()
        return {key for key, value in now.items() if value != self._shown.get(key)}

    def pending(self) -> bool:
        """A field typed into (or chosen) and not applied yet."""
        return bool(self._edited())

    def commit_pending(self) -> bool:
        """Apply a field still being typed in, as one undoable change checked like any edit, before
        the map is saved, exported or closed. False: it was refused (why is shown), or not applied."""
        if self.feature is None or self._showing or not self.pending():
            return True
        before = self.feature
        after = self.commit()
        # (the window shows the feature as the document has it after the edit, or as it was when refused)
        return after is not None and (after == before or self.feature != before)

    def _kind_key(self, f: Feature) -> str:
        if f.kind == "place" and f.role == "label":
            return "label"
        return f.kind if f.kind in self.FIELDS else "place" if f.geometry.get("type") == "Point" else "path"

    def _show_rows(self, names) -> None:
        for label, w in self._rows.items():
            on = names is None or label in names
            self.form.setRowVisible(w, on)

    def _pick_colour(self) -> None:
        c = QColorDialog.getColor(QColor(self._colour or "#333333"), self, "Colour")
        if c.isValid():
            self._set_colour(c.name().upper())
            self._field_done()

    def _set_colour(self, colour: str) -> None:
        self._colour = colour
        self.colour.setText(colour or "default")
        self.colour.setStyleSheet(f"background: {colour};" if colour else "")

    _showing = False
    locked = staticmethod(lambda f: False)  # the window's say: is the feature on a locked layer?

    def show_feature(self, f: Feature | None) -> None:
        self._showing = True
        try:
            self._show(f)
        finally:
            self._showing = False

    def _show(self, f: Feature | None) -> None:
        self.feature = f
        self.error.setText("")
        for w in (self.name, self.notes, self.source, self.status, self.colour, self.dash, self.symbol, self.radius,
                  self.position, self.apply):
            w.setEnabled(f is not None)
        if f is None:
            self.heading.setText("Click a feature on the map to edit it.")
            self._show_rows(())
            self._shown = {}
            return
        self.heading.setText(heading(f))
        self._show_rows(self.FIELDS[self._kind_key(f)])
        p = f.properties
        self.name.setText(str(p.get("name", "")))
        self.notes.setPlainText(str(p.get("notes", "")))
        self.source.setText(str(p.get("source", "")))
        self.status.setCurrentText(str(p.get("status", "reported")))
        style = dict(p.get("style") or {})
        self._set_colour(style.get("color", ""))
        self.dash.setCurrentText(style.get("dash", "solid" if f.status == "reported" else "dashed"))
        self.symbol.setEnabled(f.kind == "place" and f.role != "label")
        self.symbol.setCurrentText(style.get("symbol", "marker"))
        self.radius.setEnabled(f.kind == "range_ring")
        if f.kind == "range_ring":
            self.radius.setValue(float(p["radius_m"]) / 1000)
        point = f.geometry["type"] == "Point"
        self.position.setEnabled(point)
        self.position.setText(format_latlon(*f.latlon(), self.coord_format) if point else "")
        if self.locked(f):  # (shown, not edited: unlock its layer in the Layers tab first)
            self.heading.setText(f"{heading(f)} \u2014 on a locked layer")
            for w in (self.name, self.notes, self.source, self.status, self.colour, self.dash, self.symbol,
                      self.radius, self.position, self.apply):
                w.setEnabled(False)
        self._shown = self._values()

    def commit(self) -> Feature | None:
        """Build the edited feature from the fields the user changed (the others keep the feature's
        values exactly); show why if a value is wrong."""
        f = self.feature
        if f is None:
            return None
        edited = self._edited()
        props = dict(f.properties)
        shown = self.FIELDS[self._kind_key(f)]
        typed = {"name": lambda: self.name.text().strip()[:500], "notes": lambda: self.notes.toPlainText()[:20000],
                 "source": lambda: self.source.text().strip()[:2000], "status": self.status.currentText}
        for key, value in typed.items():
            if key in edited and key.capitalize() in shown:
                props[key] = value()
        style = dict(props.get("style") or {})
        if "colour" in edited and self._colour:
            style["color"] = self._colour
        if "dash" in edited and "Line style" in shown:
            style["dash"] = self.dash.currentText()
        if "symbol" in edited and f.kind == "place" and f.role != "label":
            style["symbol"] = self.symbol.currentText()
        if style != (f.properties.get("style") or {}):
            props["style"] = style
        geometry = f.geometry
        if "radius" in edited and f.kind == "range_ring":
            old_m, new_m = float(f.properties["radius_m"]), self.radius.value() * 1000
            props["radius_m"] = new_m
            # names and labels that state the radius follow it; one the analyst gave without it stays
            props["name"] = follow_radius(str(props.get("name", "")), old_m, new_m)
            if props.get("label"):
                props["label"] = follow_radius(str(props["label"]), old_m, new_m)
                if props["label"] == f.properties.get("label") and states_a_radius(props["label"]):
                    props["label"] = km_text(new_m)  # (a bare radius that did not follow: the new one in km)
        if "position" in edited and geometry["type"] == "Point" \
                and self.position.text().strip() != self._shown["position"].strip():
            try:
                lat, lon = parse_latlon(self.position.text())
            except CoordinateError as e:
                self.error.setText(str(e))
                return None
            geometry = {"type": "Point", "coordinates": [lon, lat]}
        after = Feature(f.id, f.kind, geometry, props)
        if after != f:
            self.error.setText("")
            self.edited.emit(f, after)
        else:
            self._shown = self._values()  # (an edit that changes nothing, e.g. a space added: nothing pending)
        return after


# Ctrl (Cmd on macOS), Alt and Meta: a key with one of these held is a shortcut, not typing
# (pressing the modifier itself is not one yet).
_SHORTCUT_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                       | Qt.KeyboardModifier.MetaModifier)
_MODIFIER_KEYS = frozenset(int(k.value) for k in (Qt.Key.Key_Control, Qt.Key.Key_Shift, Qt.Key.Key_Alt,
                                                  Qt.Key.Key_AltGr, Qt.Key.Key_Meta, Qt.Key.Key_Super_L,
                                                  Qt.Key.Key_Super_R, Qt.Key.Key_Hyper_L, Qt.Key.Key_Hyper_R))
