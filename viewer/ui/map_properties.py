"""Map Properties: title, subtitle, event time in UTC with its local time zone (proposed from the
event's place, offline), the article or report it comes from, the opening view and the default
caveat banner of its briefings. The dialog only gathers values; the document checks them."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from viewer.model import timezones
from viewer.model.scenario import Scenario
from viewer.model.zone_clock import offset_text
from viewer.ui.fact_dialog import from_qdatetime, utc_qdatetime
from viewer.ui.forms import error_label, utc_time_edit

NO_ZONE = ""
KEPT_ZONE = "\x00kept"  # the map's own local time, in no zone of the list: kept as it is


def event_place(s: Scenario) -> tuple[float, float] | None:
    """Where the event is: its launch point, else its first point, else the view's centre."""
    points = [f for f in s.features if f.geometry.get("type") == "Point"]
    launch = [f for f in points if f.properties.get("role") == "launch"]
    for f in launch + points:
        return f.latlon()
    if "center" in s.view:
        return tuple(s.view["center"])
    if "bounds" in s.view:
        (south, west), (north, east) = s.view["bounds"]
        return (south + north) / 2, (west + east) / 2
    return None


class MapPropertiesDialog(QDialog):
    def __init__(self, scenario: Scenario, current_view: dict | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mapPropertiesDialog")
        self.setWindowTitle("Map Properties")
        self.scenario = scenario
        self.current_view = current_view
        self.title = QLineEdit(scenario.title)
        self.title.setObjectName("mapTitle")
        self.subtitle = QLineEdit(scenario.subtitle)
        self.subtitle.setObjectName("mapSubtitle")
        self.has_time = QCheckBox("Known")
        self.has_time.setObjectName("mapHasTime")
        self.time = utc_time_edit("mapEventTime")
        self.time.setDateTime(utc_qdatetime(scenario.event_time_utc or datetime.now(timezone.utc).replace(second=0)))
        self.has_time.setChecked(scenario.event_time_utc is not None)
        self.zone = QComboBox()
        self.zone.setObjectName("mapZone")
        self.zone.setEditable(True)
        self.zone.addItem("(no local time)", NO_ZONE)
        for z in timezones.all_zones():
            self.zone.addItem(z, z)
        place = event_place(scenario)
        self.proposed = timezones.zone_at(*place) if place else None
        self.zone_note = QLabel()
        self.zone_note.setObjectName("mapZoneNote")
        self.zone_note.setTextFormat(Qt.TextFormat.PlainText)
        if scenario.local_time is None and self.proposed:
            self.zone.setCurrentIndex(max(0, self.zone.findData(self.proposed)))
            self.zone_note.setText(f"Proposed from the event's place: {self.proposed}")
        elif scenario.local_time is not None:
            zone = self._zone_for(scenario.local_time)
            if zone:
                self.zone.setCurrentIndex(max(0, self.zone.findData(zone)))
            else:  # (kept as the file has it, and chosen until another is)
                lt = scenario.local_time
                kept = f"{lt.tz + ': ' if lt.tz else ''}UTC{offset_text(lt.utc_offset)} {lt.zone} (as the map has it)"
                self.zone.insertItem(1, kept, KEPT_ZONE)
                self.zone.setCurrentIndex(1)
        self.local = QLabel()
        self.local.setObjectName("mapLocalTime")
        for signal in (self.time.dateTimeChanged, self.has_time.toggled, self.zone.currentIndexChanged,
                       self.zone.currentTextChanged):
            signal.connect(self._show_local)
        self.article = QLineEdit(scenario.article)
        self.article.setObjectName("mapArticle")
        self.article.setPlaceholderText("The article or report this map comes from")
        self.banner = QComboBox()
        self.banner.setObjectName("mapBanner")
        self.banner.setEditable(True)
        self.banner.addItems(["", "UNCLASSIFIED", "CUI", "CONFIDENTIAL", "SECRET", "TOP SECRET"])
        self.banner.setCurrentText(scenario.banner)
        self.use_view = QPushButton("Use Current View")
        self.use_view.setObjectName("mapUseView")
        self.use_view.setEnabled(current_view is not None)
        self.use_view.setCheckable(True)
        self.view_note = QLabel(self._view_text(scenario.view))
        self.view_note.setTextFormat(Qt.TextFormat.PlainText)
        self.use_view.toggled.connect(lambda on: self.view_note.setText(
            self._view_text(current_view if on else scenario.view)))
        time_row = QHBoxLayout()
        time_row.addWidget(self.has_time)
        time_row.addWidget(self.time, 1)
        view_row = QHBoxLayout()
        view_row.addWidget(self.view_note, 1)
        view_row.addWidget(self.use_view)
        form = QFormLayout(self)
        form.addRow("Title", self.title)
        form.addRow("Subtitle", self.subtitle)
        form.addRow("Event time", time_row)
        form.addRow("Local time zone", self.zone)
        form.addRow("", self.zone_note)
        form.addRow("", self.local)
        form.addRow("Article or report", self.article)
        form.addRow("Opening view", view_row)
        form.addRow("Banner for briefings", self.banner)
        self.error = error_label("mapError")
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(560, 0)
        self._show_local()
        self._shown = self._state()  # what the fields showed: a field left as shown keeps the map's value

    def _state(self) -> dict[str, Any]:
        return {"title": self.title.text(), "subtitle": self.subtitle.text(), "article": self.article.text(),
                "banner": self.banner.currentText(), "time": (self.has_time.isChecked(), self.time.dateTime()),
                "zone": (self.zone.currentIndex(), self.zone.currentText())}

    def _zone_for(self, lt) -> str | None:
        """The zone the map's local time came from, where the map keeps it and the list has it;
        for a map that keeps only an offset and name (an older file, another tool's), a zone that
        keeps them at the event time: the proposed one first, else the first of the list."""
        if lt.tz is not None:
            return lt.tz if self.zone.findData(lt.tz) > 0 else None
        when = self.scenario.event_time_utc
        for zone in ([self.proposed] if self.proposed else []) + [self.zone.itemData(i) for i in range(1, self.zone.count())]:
            try:
                got = timezones.local_time(zone, when)
                if (got.utc_offset, got.zone) == (lt.utc_offset, lt.zone):
                    return zone
            except (ValueError, OverflowError, KeyError):
                continue
        return None

    @staticmethod
    def _view_text(view: Any) -> str:
        if not view:
            return "Fit the map's places"
        if "bounds" in view:
            (s, w), (n, e) = view["bounds"]
            return f"{s:.2f}\u00b0 to {n:.2f}\u00b0 N, {w:.2f}\u00b0 to {e:.2f}\u00b0 E"
        return f"Centre {view['center'][0]:.2f}, {view['center'][1]:.2f}, zoom {view.get('zoom', 6):g}"

    def _show_local(self, *_a) -> None:
        self.time.setEnabled(self.has_time.isChecked())
        lt = self.local_time()
        if not self.has_time.isChecked() or lt is None:
            self.local.setText("")
            return
        t = from_qdatetime(self.time.dateTime())
        try:  # (the offset and name the zone keeps at that time: EST in January, EDT in July)
            local, zone = lt.local(t)
        except OverflowError:
            self.local.setText("Local: past the calendar's end")
            return
        self.local.setText(f"Local: {local:%Y-%m-%d %H:%M} {zone} (UTC{offset_text(local.utcoffset())})")

    def local_time(self):
        """The local time of the zone the box shows (typed or picked; none for text that names no zone)."""
        text = self.zone.currentText().strip()
        at = self.zone.findText(text, Qt.MatchFlag.MatchFixedString | Qt.MatchFlag.MatchCaseSensitive)
        zone = self.zone.itemData(at) if at >= 0 else None
        if zone == KEPT_ZONE:  # (the map's own; its zone's clock at the time shown, where it keeps its zone)
            lt = self.scenario.local_time
            if lt is not None and lt.tz is not None and self.has_time.isChecked():
                try:
                    return timezones.local_time(lt.tz, from_qdatetime(self.time.dateTime()))
                except (ValueError, OverflowError, KeyError):
                    return lt
            return lt
        if not zone:
            return None
        when = from_qdatetime(self.time.dateTime()) if self.has_time.isChecked() else None
        return timezones.local_time(zone, when)

    def show_error(self, message: str) -> None:
        self.error.setText(message)

    def fields(self) -> dict[str, Any]:
        """Keyword arguments for the document's SetMeta command. A field left as it was shown gives
        the map's own value (an event time keeps its fractions of a second); the local time shown
        as proposed from the event's place is the one chosen."""
        s, now = self.scenario, self._state()

        def edited(key: str) -> bool:
            return now[key] != self._shown[key]

        out: dict[str, Any] = {key: getattr(self, key).text().strip() if edited(key) else getattr(s, key)
                               for key in ("title", "subtitle", "article")}
        out["banner"] = self.banner.currentText().strip() if edited("banner") else s.banner
        if edited("time"):
            out["event_time_utc"] = from_qdatetime(self.time.dateTime()) if self.has_time.isChecked() else None
        else:
            out["event_time_utc"] = s.event_time_utc
        if edited("time") or edited("zone") or s.local_time is None:
            out["local_time"] = self.local_time()
        else:
            out["local_time"] = s.local_time
        if self.use_view.isChecked() and self.current_view:
            out["view"] = dict(self.current_view)
        return out

    def changes(self) -> dict[str, Any]:
        """Only the fields that differ from the map's: nothing when OK is pressed with no change."""
        return {key: value for key, value in self.fields().items() if getattr(self.scenario, key) != value}
