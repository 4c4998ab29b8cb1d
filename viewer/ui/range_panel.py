"""Side-panel tab: the places inside each range ring, and distance and bearing between places."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viewer.model.gazetteer import rings_in_range
from viewer.model.geodesy import bearing_text, distance_bearing, format_distance
from viewer.model.scenario import Feature, Scenario
from viewer.ui.facts_panel import plain_tooltip

class _Job(QRunnable):
    class Signals(QObject):
        done = Signal(int, object)

    def __init__(self, generation: int, scenario: Scenario):
        super().__init__()
        self.generation = generation
        self.scenario = scenario
        self.signals = _Job.Signals()

    def run(self) -> None:
        try:
            result = rings_in_range(self.scenario)
        except Exception as e:  # shown in the panel, never lost in a thread
            result = e
        try:
            self.signals.done.emit(self.generation, result)
        except RuntimeError:
            pass  # the panel is gone (the app is closing): nobody is waiting for the answer


class _Places(QAbstractListModel):
    """The map's places for the two boxes: one list shown by both, asked row by row (a map of
    100,000 markers fills it in one step, not 200,000 addItem calls). A row is a point feature,
    named when a box asks for it (a million markers: 0.1 s, not 0.5 s)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.rows: list[Feature] = []

    def set_rows(self, rows: list[Feature]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        f = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return f.name
        if role == Qt.ItemDataRole.UserRole:
            return f.id
        return None


class RangePanel(QWidget):
    computed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("rangePanel")
        self.tree = QTreeWidget()
        self.tree.setObjectName("inRangeTree")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["Place", "Country", "Distance", "Bearing"])
        h = self.tree.header()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2, 3):
            h.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.status = QLabel("")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        box = QGroupBox("Distance and bearing (geodesic, WGS84)")
        form = QFormLayout(box)
        self.from_box = QComboBox()
        self.to_box = QComboBox()
        self._places = _Places(self)
        for b in (self.from_box, self.to_box):
            b.setModel(self._places)
            b.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            b.setMinimumContentsLength(16)
        self.result = QLabel("")
        self.result.setObjectName("distanceResult")
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("From", self.from_box)
        form.addRow("To", self.to_box)
        form.addRow(self.result)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        title = QLabel("Places within each range ring (GeoNames cities, 15,000+ people; derived)")
        title.setWordWrap(True)
        lay.addWidget(title)
        lay.addWidget(self.tree, 1)
        lay.addWidget(self.status)
        lay.addWidget(box)
        self.from_box.currentIndexChanged.connect(self._update_distance)
        self.to_box.currentIndexChanged.connect(self._update_distance)
        self._scenario: Scenario | None = None
        self._soon: Scenario | None = None
        self._soon_rings = False
        self._generation = 0
        self._listed_generation = -1  # the generation whose places are listed (computed emitted)
        self._jobs: list[_Job] = []
        self.result_data: dict[str, dict] = {}

    def set_scenario_soon(self, scenario: Scenario, rings: bool = True) -> None:
        """Refresh once the event loop is free: a change is acknowledged first, and several
        changes in a row refresh the panel once. ``rings`` False: only places came, changed or
        went; the From and To boxes list them again, the places in range are not looked for again."""
        from PySide6.QtCore import QTimer

        pending = self._soon is not None
        self._soon = scenario
        self._soon_rings = rings or (pending and self._soon_rings)
        if not pending:
            QTimer.singleShot(0, self._refresh_soon)

    def _refresh_soon(self) -> None:
        scenario, self._soon = self._soon, None
        if scenario is None:
            return
        if self._soon_rings or self._scenario is None:
            self.set_scenario(scenario)
        else:
            self.set_places(scenario)

    def set_scenario(self, scenario: Scenario) -> None:
        self._scenario = scenario
        self._generation += 1
        self.tree.clear()
        self.result_data = {}
        self.status.setText("Finding places in range\u2026")
        self.set_places(scenario)
        job = _Job(self._generation, scenario)
        job.signals.done.connect(self._done)
        self._jobs.append(job)
        QThreadPool.globalInstance().start(job)

    def set_places(self, scenario: Scenario) -> None:
        """List the map's places in the From and To boxes, each box keeping the place it shows
        while the map still has it (the first two places otherwise)."""
        self._scenario = scenario
        chosen = [box.currentData() for box in (self.from_box, self.to_box)]
        points = [f for f in scenario.features if f.kind == "place" and f.geometry["type"] == "Point"]
        rows = {f.id: i for i, f in enumerate(points)} if any(chosen) else {}
        for box in (self.from_box, self.to_box):
            box.blockSignals(True)
        self._places.set_rows(points)
        for box, fid, default in ((self.from_box, chosen[0], 0), (self.to_box, chosen[1], 1)):
            box.setCurrentIndex(rows.get(fid, min(default, len(points) - 1)))
            box.blockSignals(False)
        self._update_distance()

    def _done(self, generation: int, result) -> None:
        self._jobs = [j for j in self._jobs if j.generation != generation]
        if generation != self._generation or self._scenario is None:
            return
        if isinstance(result, Exception):
            self.status.setText(f"Could not list places in range: {result}")
            return
        self.result_data = result
        for fid, info in result.items():
            f = self._scenario.feature(fid)
            if f is None:
                continue  # the ring went while its places were being found; its replacement job follows
            shown = len(info["places"])
            head = QTreeWidgetItem([f"{f.name}: {info['total']:,} places" +
                                    (f" (nearest {shown} listed)" if shown < info["total"] else "")])
            head.setFirstColumnSpanned(True)
            head.setData(0, Qt.ItemDataRole.UserRole, fid)
            self.tree.addTopLevelItem(head)
            head.setFirstColumnSpanned(True)
            for r in info["places"]:
                d = format_distance(r.distance_m)
                item = QTreeWidgetItem([r.place.name, r.place.country, f"{d['km']:,.0f} km", f"{bearing_text(r.bearing_deg)}\u00b0"])
                item.setToolTip(0, plain_tooltip(
                    f"{r.place.name} ({r.place.country}), population {r.place.population:,}\n"
                    f"{d['km']:,.1f} km = {d['nmi']:,.1f} nmi = {d['mi']:,.1f} mi at {r.bearing_deg:.1f}\u00b0 from the ring's centre\n"
                    "Derived: geodesic on WGS84; places from GeoNames (CC BY 4.0)"))
                item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                head.addChild(item)
            head.setExpanded(True)
        self.status.setText("Distances are geodesic (WGS84) from each ring's centre." if result else "No range rings.")
        self._listed_generation = generation
        self.computed.emit()

    @property
    def listed(self) -> bool:
        """The places in range of the map last given are listed: ``computed`` was emitted for it
        (a listener that comes later checks this first)."""
        return self._soon is None and self._listed_generation == self._generation

    def _update_distance(self) -> None:
        if self._scenario is None or self.from_box.count() < 2:
            self.result.setText("")
            return
        a = self._scenario.feature(self.from_box.currentData())
        b = self._scenario.feature(self.to_box.currentData())
        if a is None or b is None:
            return
        (la, lo), (lb, lob) = a.latlon(), b.latlon()
        d, az1, az2 = distance_bearing(la, lo, lb, lob)
        u = format_distance(d)
        back = (az2 + 180.0) % 360.0
        self.result.setText(f"{u['km']:,.2f} km = {u['nmi']:,.2f} nmi = {u['mi']:,.2f} mi\n"
                            f"Bearing {az1:.1f}\u00b0 there, {back:.1f}\u00b0 back")
