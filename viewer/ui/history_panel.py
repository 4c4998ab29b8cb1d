"""The History tab and the launch history layer: filters, a sortable table that selects on the
map, counts per year, a time slider with play, "compared with before", and the import of an
analyst's own launch table.

The page gets the compact launch list once (``SitMap.history.load``) and filters it itself, so a
filter or slider change is one small ``runJavaScript`` call. The main window gets it through
:func:`viewer.ui.history_window.install_history`.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QTimer, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from viewer.model import history as hist
from viewer.model import launch_csv
from viewer.ui.choice_combo import ChoiceCombo
from viewer.ui.facts_panel import plain_tooltip
from viewer.ui.history_event import HistoryEvent
from viewer.ui.history_import import LaunchImportDialog
from viewer.ui.history_import import plain_label as _plain
from viewer.ui.history_layer import HistoryLayer
from viewer.ui.history_results import HistoryResults
from viewer.ui.history_time import _EPOCH_START, WINDOWS, HistoryTime
from viewer.ui.history_widgets import ID_ROLE, LaunchTableModel, YearChart

# (kept importable from here, where others import them: the table's id role, its model, the windows)
__all__ = ["HistoryPanel", "ID_ROLE", "LaunchTableModel", "WINDOWS"]


class HistoryPanel(HistoryEvent, HistoryTime, HistoryResults, QWidget):
    """The History tab: its parts (this map's launch, the time window, the results) are in
    history_event, history_time and history_results; the filters, import and export are here.

    Emits ``enabledChanged(int)`` (1 on, 0 off) when "Show on map" is toggled here."""

    enabledChanged = Signal(int)
    filterChanged = Signal()
    historyReplaced = Signal()  # another launch table (imported, or the built-in again)

    def __init__(self, layer: HistoryLayer, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("historyPanel")
        self.layer = layer
        self.scenario = None
        self.launch_event: list[hist.Launch] = []
        self.where: hist.ScenarioLaunch | None = None
        self._updating = False
        self.play_timer = QTimer(self)
        self.play_timer.setInterval(120)
        self.play_timer.timeout.connect(self._tick)
        self._table_timer = QTimer(self)
        self._table_timer.setSingleShot(True)
        self._table_timer.setInterval(150)
        self._table_timer.timeout.connect(self._fill_table)

        root = QVBoxLayout(self)
        root.setContentsMargins(6, 6, 6, 6)
        self.main_split = QSplitter(Qt.Orientation.Vertical)
        self.main_split.setObjectName("historySplit")
        self.main_split.setChildrenCollapsible(False)
        root.addWidget(self.main_split)
        controls = QWidget()
        outer = QVBoxLayout(controls)
        outer.setContentsMargins(0, 0, 4, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(controls)
        self.main_split.addWidget(scroll)
        top = QHBoxLayout()
        self.show_box = QCheckBox("Show on map")
        self.show_box.setObjectName("historyShow")
        self.show_box.toggled.connect(lambda on: self.enabledChanged.emit(1 if on else 0))
        top.addWidget(self.show_box)
        top.addStretch(1)
        self.import_button = QPushButton("Import table\u2026")
        self.import_button.setToolTip("Use your own launch table (CSV) instead of the built-in history")
        self.import_button.clicked.connect(self.import_dialog)
        self.builtin_button = QPushButton("Built-in")
        self.builtin_button.setToolTip("Back to the built-in launch history")
        self.builtin_button.clicked.connect(lambda: self.use_history(hist.load_default()))
        self.export_button = QPushButton("Export\u2026")
        self.export_button.setToolTip("The launches shown, as GeoJSON or KML (with a time stamp per launch)")
        self.export_button.clicked.connect(self.export_dialog)
        for b in (self.import_button, self.builtin_button, self.export_button):
            top.addWidget(b)
        outer.addLayout(top)
        self.source_label = _plain(QLabel())
        self.source_label.setObjectName("historySource")
        f = self.source_label.font()
        f.setPointSizeF(f.pointSizeF() * 0.9)
        self.source_label.setFont(f)
        outer.addWidget(self.source_label)

        # --- this map's launch
        outer.addWidget(self._build_event_box())

        # --- filters
        filters = QGroupBox("Filters")
        form = QFormLayout(filters)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        years = QHBoxLayout()
        self.year_from = QSpinBox()
        self.year_from.setObjectName("yearFrom")
        self.year_to = QSpinBox()
        self.year_to.setObjectName("yearTo")
        for s in (self.year_from, self.year_to):
            s.setRange(1900, 2100)
            s.valueChanged.connect(self._filters_changed)
        years.addWidget(self.year_from)
        years.addWidget(QLabel("to"))
        years.addWidget(self.year_to)
        years.addStretch(1)
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.clicked.connect(self.clear_filters)
        years.addWidget(self.clear_button)
        form.addRow("Years", years)
        # Each takes several choices (any of them matches); none ticked: all.
        self.system_combo = self._combo("systemFilter", "All systems", "systems")
        self.class_combo = self._combo("classFilter", "All classes", "classes")
        self.site_combo = self._combo("siteFilter", "All sites", "sites")
        self.outcome_combo = self._combo("outcomeFilter", "Any outcome", "outcomes")
        self.band_combo = self._combo("bandFilter", "Any distance", "distance bands")
        form.addRow("System", self.system_combo)
        form.addRow("Class", self.class_combo)
        form.addRow("Site", self.site_combo)
        row2 = QHBoxLayout()
        row2.addWidget(self.outcome_combo)
        row2.addWidget(self.band_combo)
        form.addRow("Outcome, distance", row2)
        self.chart = YearChart()
        self.chart.yearClicked.connect(self.set_year)
        form.addRow(self.chart)
        outer.addWidget(filters)

        # --- time
        outer.addWidget(self._build_time_box())

        # --- table and the selected launch
        outer.addStretch(1)
        self.main_split.addWidget(self._build_results())
        self.main_split.setStretchFactor(0, 2)
        self.main_split.setStretchFactor(1, 3)
        self.main_split.setSizes([380, 520])
        self._fill_choices()

    def _combo(self, name: str, all_label: str, plural: str) -> ChoiceCombo:
        c = ChoiceCombo(all_label, plural)
        c.setObjectName(name)
        c.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        c.setMinimumContentsLength(12)
        c.setToolTip(f"Tick one or several; none ticked: {all_label.lower()}")
        c.changed.connect(self._filters_changed)
        return c

    @property
    def history(self) -> hist.LaunchHistory:
        return self.layer.history

    # ------------------------------------------------------------------ choices
    def _fill_choices(self) -> None:
        h = self.history
        self._updating = True
        try:
            years = h.years or (2000, 2000)
            for s in (self.year_from, self.year_to):
                s.setRange(years[0], years[1])
            self.year_from.setValue(years[0])
            self.year_to.setValue(years[1])
            per_system: dict[str, int] = {}
            for x in h.launches:
                per_system[x.system.key] = per_system.get(x.system.key, 0) + 1
            self.system_combo.set_choices((f"{s.name} ({per_system.get(s.key, 0)})", s.key) for s in h.systems_used())
            self.class_combo.set_choices((c, c) for c in h.classes_used())
            self.site_combo.set_choices((s.name + ("" if s.precision == "site" else " (approximate)"), s.key)
                                        for s in h.sites_used())
            self.outcome_combo.set_choices((o, o) for o in hist.OUTCOMES)
            self.band_combo.set_choices((label, i) for i, (label, _lo, _hi) in enumerate(hist.DISTANCE_BANDS))
            self._set_span(at_end=True)
            self.source_label.setText(f"{len(h.launches):,} launches \u00b7 Source: {h.credit or h.name}")
            self.source_label.setToolTip(plain_tooltip(f"{h.name}\nSource: {h.credit}"))
        finally:
            self._updating = False
        self._filters_changed()

    def use_history(self, history: hist.LaunchHistory) -> None:
        self.layer.set_history(history)
        self.facts.setRowCount(0)
        self._fill_choices()
        self._update_event()
        self.historyReplaced.emit()

    # ------------------------------------------------------------------ filter
    def current_filter(self) -> hist.HistoryFilter:
        def ticked(combo: ChoiceCombo) -> frozenset:
            return frozenset(combo.checked())

        years = (self.year_from.value(), self.year_to.value())
        full = self.history.years
        return hist.HistoryFilter(
            years=None if full and years == full else (min(years), max(years)),
            systems=ticked(self.system_combo), classes=ticked(self.class_combo), sites=ticked(self.site_combo),
            outcomes=ticked(self.outcome_combo), bands=ticked(self.band_combo), window=self.current_window())

    def _filters_changed(self, *_args) -> None:
        if self._updating:
            return
        flt = self.current_filter()
        shown = flt.apply(self.history.launches)
        caption = flt.describe(self.history)
        self.layer.set_filter(flt, caption if flt != hist.HistoryFilter() else "")
        self.shown = shown
        self.count_label.setText(f"{len(shown):,} of {len(self.history.launches):,} launches \u00b7 {caption}")
        others = flt.with_(years=None, window=None).apply(self.history.launches)
        self.chart.set_counts(hist.counts_per_year(others, self.history.years), flt.years)
        w = flt.window
        if w is None:
            self.time_label.setText("Off: every launch that matches the filters is shown.")
        else:
            inside, outside = hist.timed_facts(self.scenario, w) if self.scenario is not None else ([], [])
            text = f"Showing {hist.window_text(w) if w[0] > _EPOCH_START else 'everything up to ' + f'{w[1]:%Y-%m-%d}'}."
            if inside or outside:
                text += f" This map: {len(inside)} timed fact{'s' if len(inside) != 1 else ''} in the window, {len(outside)} outside."
            self.time_label.setText(text)
        if self.play_timer.isActive():
            self._table_timer.start()
        else:
            self._fill_table()
        self.filterChanged.emit()

    def set_filter(self, flt: hist.HistoryFilter) -> None:
        """Show this filter in the tab (years, ticked choices, time window) and apply it once."""
        self._updating = True
        try:
            if flt.years:
                self.year_from.setValue(flt.years[0])
                self.year_to.setValue(flt.years[1])
            self.system_combo.set_checked(flt.systems)
            self.site_combo.set_checked(flt.sites)
            self.class_combo.set_checked(flt.classes)
            self.outcome_combo.set_checked(flt.outcomes)
            if flt.window:
                self.time_box.setChecked(True)
                self.set_moment(flt.window[1])
                self._show_window_length(self.moment() - flt.window[0] + timedelta(seconds=1))
        finally:
            self._updating = False
        self._filters_changed()

    def clear_filters(self) -> None:
        self._updating = True
        try:
            h = self.history.years
            if h:
                self.year_from.setValue(h[0])
                self.year_to.setValue(h[1])
            for c in (self.system_combo, self.class_combo, self.site_combo, self.outcome_combo, self.band_combo):
                c.set_checked(())
            self.time_box.setChecked(False)
        finally:
            self._updating = False
        self._filters_changed()

    def set_year(self, year: int) -> None:
        self._updating = True
        try:
            self.year_from.setValue(year)
            self.year_to.setValue(year)
        finally:
            self._updating = False
        self._filters_changed()

    def set_years(self, first: int, last: int) -> None:
        self._updating = True
        try:
            self.year_from.setValue(first)
            self.year_to.setValue(last)
        finally:
            self._updating = False
        self._filters_changed()

    def set_choices(self, *, systems=None, classes=None, sites=None, outcomes=None, bands=None) -> None:
        """Tick these filter choices (keys; an empty list: all); one update for all of them."""
        self._updating = True
        try:
            for combo, keys in ((self.system_combo, systems), (self.class_combo, classes), (self.site_combo, sites),
                                (self.outcome_combo, outcomes), (self.band_combo, bands)):
                if keys is not None:
                    combo.set_checked(keys)
        finally:
            self._updating = False
        self._filters_changed()

    # ------------------------------------------------------------------ shown
    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self._fit_columns()
        super().showEvent(event)

    def set_scenario(self, scenario) -> None:
        self.scenario = scenario
        self.layer.set_timed_of(scenario)  # (its times worked out when the layer needs them)
        self._set_span()
        self._update_event()
        self._filters_changed()

    def map_changed(self, change, scenario) -> None:
        """An edit or undo on the map shown: features drawn anew are shown or hidden by the window."""
        self.scenario = scenario
        if change.meta or change.facts:  # (its event or a fact's time may be beyond the history's days)
            self._set_span()
        if not self.layer.timed_known:  # (not needed yet: worked out from this map when they are)
            self.layer.update_timed_of(scenario)
            return
        timed = self.layer.timed  # (a change that touches no timed feature walks no map of 100,000)
        # (a ring, path or area may be drawn from a timed launch point: it takes its times)
        drawn = ("range_ring", "path", "area") if timed else ()
        if change.facts or any("time_utc" in f.properties or f.id in timed or f.kind in drawn
                               for f in change.added or ()) \
                or any(fid in timed for fid in change.removed or ()):
            self.layer.update_timed(scenario)

    # ------------------------------------------------------------------ import / export
    def open_import(self, path: Path) -> LaunchImportDialog | None:
        """The mapping dialog for a launch table; None (and a message) if it cannot be read."""
        try:
            from viewer.model.file_read import read_bytes_at_most
            from viewer.model.rules import MAX_FILE_BYTES

            data = read_bytes_at_most(path, MAX_FILE_BYTES)
            dialog = LaunchImportDialog(data, Path(path).name, hist.load_default(), self)
        except (OSError, launch_csv.LaunchCsvError) as e:
            self._message("Cannot import launch table", str(e).splitlines()[0] if str(e) else type(e).__name__)
            return None
        dialog.accepted.connect(lambda: self._imported(dialog))
        dialog.open()
        return dialog

    def _imported(self, dialog: LaunchImportDialog) -> None:
        r = dialog.result_import
        if r is None or not r.history.launches:
            return
        self.use_history(r.history)
        self.source_label.setText(f"{r.report()} Source: {r.history.credit}")

    def _settings(self):
        """The window's settings (where file dialogs remember the folder used last), if any."""
        return getattr(self.window(), "settings", None)

    def import_dialog(self) -> None:
        from viewer.ui import file_names

        settings = self._settings()
        path, _ = QFileDialog.getOpenFileName(self, "Import Launch Table", str(file_names.start_folder(settings)),
                                              "CSV tables (*.csv *.txt);;All files (*)")
        if path:
            file_names.remember(settings, path)
            self.open_import(Path(path))

    def export_dialog(self) -> None:
        from viewer.ui import file_names

        settings = self._settings()
        path, _ = QFileDialog.getSaveFileName(self, "Export Launches Shown",
                                              str(file_names.start_folder(settings) / "launches.kml"),
                                              "KML (*.kml);;GeoJSON (*.geojson)")
        if path:
            file_names.remember(settings, path)
            self.export_to(Path(path))

    def export_to(self, path: Path) -> int | None:
        from viewer.export.history import write_history

        try:
            return write_history(path, self.history, self.current_filter())
        except (OSError, ValueError) as e:
            self._message("Cannot export", f"{path.name}: {e}")
            return None

    def _message(self, title: str, text: str) -> None:
        window = self.window()
        if hasattr(window, "show_error"):
            window.show_error(title, text)
        else:  # pragma: no cover - the panel always lives in the main window
            self.count_label.setText(f"{title}: {text}")
