"""File > New Launch Event: a wizard that builds, for any launch, what the built-in example shows —
the launch point with its uncertainty, a geodesic ring per reported range, the flight path, the
estimated impact area from range and bearing spreads, and the facts with sources and statuses.

The pages only gather numbers; :func:`viewer.model.launch_event.build_launch_event` builds the map
and refuses what does not make sense, with a one-line reason shown on the last page."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QTime, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from viewer.model import timezones
from viewer.model.coords import CoordinateError, format_latlon, parse_latlon
from viewer.ui.forms import error_label, status_box

UNITS = {"km": 1000.0, "nmi": 1852.0, "mi": 1609.344}
DIRECTIONS = ("bearing in degrees", "north", "northeast", "east", "southeast", "south", "southwest", "west",
              "northwest", "north-northeast", "east-northeast", "east-southeast", "south-southeast",
              "south-southwest", "west-southwest", "west-northwest", "north-northwest")


def _status_box(default: str = "reported") -> QComboBox:
    return status_box(default)


def _error_label() -> QLabel:
    return error_label("wizardError")


_SITES = None


def _sites_index():
    """Launch sites, divisions, countries and seas (no city list: that is the gazetteer's)."""
    global _SITES
    if _SITES is None:
        from viewer.model.place_index import PlaceIndex

        _SITES = PlaceIndex.load(with_cities=False)
    return _SITES


class SitePage(QWizardPage):
    pickRequested = Signal()

    def __init__(self):
        super().__init__()
        self.setTitle("Launch site")
        self.setSubTitle("Type the coordinate (decimal degrees, DMS or MGRS), find a place or launch site "
                         "by name, or pick it on the map.")
        self.coordinate = QLineEdit()
        self.coordinate.setObjectName("siteCoordinate")
        self.coordinate.setPlaceholderText("39.2002, 125.6733  \u2014  or 39\u00b012\u203201\"N 125\u00b040\u203224\"E  \u2014  or MGRS")
        self.find = QLineEdit()
        self.find.setObjectName("siteFind")
        self.find.setPlaceholderText("Place or launch site, e.g. Sunan, Tongchang-ri, Sinpo")
        self.found = QComboBox()
        self.found.setObjectName("siteFound")
        self.find.textEdited.connect(self._search)
        self.found.activated.connect(self._take_found)
        self.pick = QPushButton("Pick on Map")
        self.pick.clicked.connect(self.pickRequested.emit)
        self.name = QLineEdit()
        self.name.setObjectName("siteName")
        self.uncertainty = QDoubleSpinBox()
        self.uncertainty.setObjectName("siteUncertainty")
        self.uncertainty.setRange(0, 2000)
        self.uncertainty.setDecimals(1)
        self.uncertainty.setSuffix(" km")
        self.uncertainty.setValue(5)
        self.source = QLineEdit()
        self.source.setObjectName("siteSource")
        self.source.setPlaceholderText("Who placed it, e.g. South Korea JCS (\"near Pyongyang\")")
        self.status = _status_box("estimated")
        self.shown = QLabel()
        self.shown.setTextFormat(Qt.TextFormat.PlainText)
        self.coordinate.textChanged.connect(self._show)
        find_row = QHBoxLayout()
        find_row.addWidget(self.find, 1)
        find_row.addWidget(self.found, 1)
        find_row.addWidget(self.pick)
        form = QFormLayout(self)
        form.addRow("Coordinate", self.coordinate)
        form.addRow("", self.shown)
        form.addRow("Find", find_row)
        form.addRow("Name", self.name)
        form.addRow("Uncertainty (radius)", self.uncertainty)
        form.addRow("Source", self.source)
        form.addRow("Status", self.status)
        self.error = _error_label()
        form.addRow(self.error)
        self._places: list = []

    def _search(self, text: str) -> None:
        from viewer.model.gazetteer import gazetteer

        self.found.clear()
        self._places = []
        if len(text.strip()) < 2:
            return
        index = _sites_index()
        found = index.lookup(text, limit=6) or index.similar(text, limit=6, min_score=70.0)
        hits = [(f"{c.name} ({c.kind.replace('_', ' ')})", c.lat, c.lon) for c in found]
        hits += [(f"{p.name}, {p.country}", p.lat, p.lon) for p in gazetteer().search(text, limit=8)]
        for name, lat, lon in hits[:12]:
            self._places.append((name, lat, lon))
            self.found.addItem(name)
        if self._places:
            self._take_found(0)

    def _take_found(self, index: int) -> None:
        if 0 <= index < len(self._places):
            name, lat, lon = self._places[index]
            self.set_point(lat, lon, name)

    def set_point(self, lat: float, lon: float, name: str | None = None) -> None:
        self.coordinate.setText(f"{lat:.5f}, {lon:.5f}")
        if name and not self.name.text().strip():
            self.name.setText(name)

    def _show(self) -> None:
        try:
            lat, lon = parse_latlon(self.coordinate.text())
        except CoordinateError as e:
            self.shown.setText(str(e) if self.coordinate.text().strip() else "")
            return
        self.shown.setText(f"{format_latlon(lat, lon, 'dms')}  \u2014  {format_latlon(lat, lon, 'mgrs')}")

    def point(self) -> tuple[float, float]:
        return parse_latlon(self.coordinate.text())

    def validatePage(self) -> bool:  # noqa: N802
        try:
            self.point()
        except CoordinateError as e:
            self.error.setText(f"Coordinate: {e}")
            return False
        if not self.name.text().strip():
            self.error.setText("The launch site needs a name.")
            return False
        self.error.setText("")
        return True


class TimePage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Launch time")
        self.setSubTitle("As reported: local time where the launch happened, or UTC. Leave the time of day out "
                         "when only the day is known.")
        self.when = QDateTimeEdit(QDateTime(QDate.currentDate(), QTime(0, 0)))
        self.when.setObjectName("launchWhen")
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setCalendarPopup(True)
        self.second = QDateTimeEdit(QDateTime(QDate.currentDate(), QTime(0, 0)))
        self.second.setObjectName("launchSecond")
        self.second.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.has_second = QCheckBox("A second launch at")
        self.has_second.setObjectName("launchHasSecond")
        self.second.setEnabled(False)
        self.has_second.toggled.connect(self.second.setEnabled)
        self.day_only = QCheckBox("Only the day is known")
        self.day_only.setObjectName("launchDayOnly")
        self.known = QCheckBox("The launch time is known")
        self.known.setObjectName("launchTimeKnown")
        self.known.setChecked(True)
        self.zone = QComboBox()
        self.zone.setObjectName("launchZone")
        self.zone.setEditable(True)
        self.zone.addItem("UTC")
        self.zone.addItems(timezones.all_zones())
        self.source = QLineEdit()
        self.source.setObjectName("timeSource")
        self.status = _status_box()
        second_row = QHBoxLayout()
        second_row.addWidget(self.has_second)
        second_row.addWidget(self.second, 1)
        form = QFormLayout(self)
        form.addRow(self.known)
        form.addRow("Time", self.when)
        form.addRow("", second_row)
        form.addRow("", self.day_only)
        form.addRow("Clock of", self.zone)
        form.addRow("Source", self.source)
        form.addRow("Status", self.status)
        self.known.toggled.connect(lambda on: [w.setEnabled(on) for w in (self.when, self.day_only, self.zone)])

    def propose_zone(self, lat: float, lon: float) -> None:
        zone = timezones.zone_at(lat, lon)
        if zone:
            self.zone.setCurrentText(zone)


class RangesPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Reported ranges and apogee")
        self.setSubTitle("One row per reported range (each becomes a range ring), with who reported it.")
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("rangesTable")
        self.table.setHorizontalHeaderLabels(["Range", "Unit", "Source", "Status"])
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setColumnWidth(2, 220)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        add = QPushButton("Add Range")
        add.clicked.connect(lambda: self.add_range(0.0))
        remove = QPushButton("Remove")
        remove.clicked.connect(lambda: [self.table.removeRow(r) for r in
                                        sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)])
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        self.has_apogee = QCheckBox("Apogee reported")
        self.has_apogee.setObjectName("hasApogee")
        self.apogee = QDoubleSpinBox()
        self.apogee.setObjectName("apogee")
        self.apogee.setRange(0.1, 20_000)
        self.apogee.setSuffix(" km")
        self.apogee.setValue(50)
        self.apogee_source = QLineEdit()
        self.apogee_source.setObjectName("apogeeSource")
        self.apogee_status = _status_box()
        ap_row = QHBoxLayout()
        ap_row.addWidget(self.has_apogee)
        ap_row.addWidget(self.apogee)
        ap_row.addWidget(QLabel("Source"))
        ap_row.addWidget(self.apogee_source, 1)
        ap_row.addWidget(self.apogee_status)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)
        lay.addLayout(ap_row)
        self.error = _error_label()
        lay.addWidget(self.error)

    def add_range(self, value: float, unit: str = "km", source: str = "", status: str = "reported") -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        spin = QDoubleSpinBox()
        spin.setRange(0, 20_000)
        spin.setDecimals(1)
        spin.setValue(value)
        self.table.setCellWidget(r, 0, spin)
        units = QComboBox()
        units.addItems(list(UNITS))
        units.setCurrentText(unit)
        self.table.setCellWidget(r, 1, units)
        self.table.setItem(r, 2, QTableWidgetItem(source))
        self.table.setCellWidget(r, 3, _status_box(status))

    def ranges(self) -> list[tuple[float, str, str]]:
        """(metres, source, status) of every row with a range."""
        out = []
        for r in range(self.table.rowCount()):
            value = self.table.cellWidget(r, 0).value() * UNITS[self.table.cellWidget(r, 1).currentText()]
            source = self.table.item(r, 2).text().strip() if self.table.item(r, 2) else ""
            if value > 0:
                out.append((value, source, self.table.cellWidget(r, 3).currentText()))
        return out


class DirectionPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Direction, what flew, and the map's title")
        self.setSubTitle("The reported direction: a bearing with its spread, or a compass word when only "
                         "\u201ceast\u201d is known. The impact area spans range \u00b1 spread and bearing \u00b1 spread.")
        self.direction = QComboBox()
        self.direction.setObjectName("direction")
        self.direction.addItems(list(DIRECTIONS))
        self.bearing = QDoubleSpinBox()
        self.bearing.setObjectName("bearing")
        self.bearing.setRange(0, 359.9)
        self.bearing.setDecimals(1)
        self.bearing.setSuffix("\u00b0")
        self.minus = QDoubleSpinBox()
        self.minus.setObjectName("bearingMinus")
        self.plus = QDoubleSpinBox()
        self.plus.setObjectName("bearingPlus")
        for box in (self.minus, self.plus):
            box.setRange(0, 90)
            box.setDecimals(1)
            box.setValue(7.5)
            box.setSuffix("\u00b0")
        self.direction.currentTextChanged.connect(
            lambda t: [w.setEnabled(t == DIRECTIONS[0]) for w in (self.bearing, self.minus, self.plus)])
        self.bearing_source = QLineEdit()
        self.bearing_source.setObjectName("bearingSource")
        self.bearing_status = _status_box("estimated")
        self.range_spread = QDoubleSpinBox()
        self.range_spread.setObjectName("rangeSpread")
        self.range_spread.setRange(0, 2000)
        self.range_spread.setSuffix(" km")
        self.range_spread.setValue(10)
        self.count = QLineEdit()
        self.count.setObjectName("count")
        self.count.setPlaceholderText("e.g. Two")
        self.system = QLineEdit()
        self.system.setObjectName("system")
        self.system.setPlaceholderText("e.g. KN-23, as reported")
        self.system_source = QLineEdit()
        self.system_source.setObjectName("systemSource")
        self.system_status = _status_box()
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("eventTitle")
        bearing_row = QHBoxLayout()
        bearing_row.addWidget(self.bearing)
        bearing_row.addWidget(QLabel("\u2212"))
        bearing_row.addWidget(self.minus)
        bearing_row.addWidget(QLabel("+"))
        bearing_row.addWidget(self.plus)
        system_row = QHBoxLayout()
        system_row.addWidget(self.system, 1)
        system_row.addWidget(self.system_source, 1)
        system_row.addWidget(self.system_status)
        form = QFormLayout(self)
        form.addRow("Direction", self.direction)
        form.addRow("Bearing", bearing_row)
        form.addRow("Direction source", self.bearing_source)
        form.addRow("Direction status", self.bearing_status)
        form.addRow("Range spread \u00b1", self.range_spread)
        form.addRow("How many", self.count)
        form.addRow("System (source, status)", system_row)
        form.addRow("Map title", self.title_edit)
        self.error = _error_label()
        form.addRow(self.error)


class LaunchWizard(QWizard):
    """``built`` holds the Scenario once Finish succeeded."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("launchWizard")
        self.setWindowTitle("New Launch Event")
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.site = SitePage()
        self.time = TimePage()
        self.ranges = RangesPage()
        self.direction = DirectionPage()
        for page in (self.site, self.time, self.ranges, self.direction):
            self.addPage(page)
        self.currentIdChanged.connect(self._entered)
        self.built = None
        self.resize(760, 560)

    def _entered(self, page_id: int) -> None:
        if self.page(page_id) is self.time:
            try:
                self.time.propose_zone(*self.site.point())
            except CoordinateError:
                pass
        if self.page(page_id) is self.direction and not self.direction.title_edit.text().strip():
            when = ""
            if self.time.known.isChecked():
                d = self.time.when.date()
                when = f", {d.day()} {d.toString('MMMM yyyy')}"
            self.direction.title_edit.setText(f"Launch from {self.site.name.text().strip()}{when}")

    def spec(self):
        """The launch-event spec from the pages; LaunchEventError for what cannot be built."""
        from viewer.model.launch_event import (
            Attributed,
            Bearing,
            LaunchEventError,
            LaunchEventSpec,
            LaunchSite,
            LaunchTime,
            ReportedValue,
        )

        try:
            lat, lon = self.site.point()
        except CoordinateError as e:
            raise LaunchEventError(f"launch site: {e}") from None
        site = LaunchSite(lat, lon, self.site.name.text().strip(), self.site.uncertainty.value() * 1000,
                          self.site.source.text().strip(), self.site.status.currentText())
        time = None
        if self.time.known.isChecked():
            values = [self.time.when.dateTime()]
            if self.time.has_second.isChecked():
                values.append(self.time.second.dateTime())
            naive = tuple(datetime(v.date().year(), v.date().month(), v.date().day(), v.time().hour(), v.time().minute())
                          for v in values)
            time = LaunchTime(naive, self.time.zone.currentText().strip() or "UTC",
                              "day" if self.time.day_only.isChecked() else "minute",
                              self.time.source.text().strip(), self.time.status.currentText())
        ranges = tuple(ReportedValue(m, src, st) for m, src, st in self.ranges.ranges())
        apogee = None
        if self.ranges.has_apogee.isChecked():
            apogee = ReportedValue(self.ranges.apogee.value() * 1000, self.ranges.apogee_source.text().strip(),
                                   self.ranges.apogee_status.currentText())
        d = self.direction
        src, st = d.bearing_source.text().strip(), d.bearing_status.currentText()
        if d.direction.currentText() == DIRECTIONS[0]:
            bearing = Bearing(d.bearing.value(), d.minus.value(), d.plus.value(), source=src, status=st)
        else:
            bearing = Bearing.from_compass(d.direction.currentText(), source=src, status=st)
        count = Attributed(d.count.text().strip(), src or site.source) if d.count.text().strip() else None
        system = ((Attributed(d.system.text().strip(), d.system_source.text().strip(), d.system_status.currentText()),)
                  if d.system.text().strip() else ())
        return LaunchEventSpec(title=d.title_edit.text().strip(), site=site, time=time, ranges=ranges, apogee=apogee,
                               bearing=bearing, range_spread_m=d.range_spread.value() * 1000, count=count,
                               system=system)

    def validateCurrentPage(self) -> bool:  # noqa: N802
        if self.currentPage() is not self.direction:
            return super().validateCurrentPage()
        from viewer.model.launch_event import LaunchEventError, build_launch_event

        try:
            self.built = build_launch_event(self.spec())
        except (LaunchEventError, ValueError) as e:
            self.direction.error.setText(str(e))
            return False
        self.direction.error.setText("")
        return True
