"""The main window: map on the left, facts on the right, menus, status bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QCompleter,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QToolBar,
    QWidget,
)

from viewer import __version__, resources
from viewer.model.coords import format_latlon
from viewer.model.scenario import Scenario, ScenarioError, load_scenario
from viewer.render import layers as layer_mod
from viewer.ui.facts_panel import FactsPanel
from viewer.ui.map_view import MapView
from viewer.ui.profile_widget import ProfileWidget
from viewer.ui.range_panel import RangePanel

MAX_RECENT = 8
FILE_FILTER = "SitMap scenarios (*.geojson *.json);;All files (*)"


def app_icon() -> QIcon:
    return QIcon(str(resources.path("icons", "sitmap.svg")))


class MainWindow(QMainWindow):
    scenarioLoaded = Signal(object)

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None,
                 data_dir: Path | None = None):
        super().__init__(parent)
        from viewer.model.project import Recovery
        from viewer.ui.editing import make_stack

        self.settings = settings or QSettings()
        if data_dir is None:
            from PySide6.QtCore import QStandardPaths

            data_dir = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
        self.recovery = Recovery(Path(data_dir) / "recovery")
        self.undo_stack = make_stack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.selected_feature: str | None = None
        self.selection: list[str] = []
        self.locked_groups: set[str] = set()
        self.scenario: Scenario | None = None
        self.scenario_path: Path | None = None
        self.setWindowIcon(app_icon())
        self.setWindowTitle("SitMap")
        self.map_view = MapView(self)
        self.map_view.setObjectName("mapView")
        self.facts = FactsPanel(self)
        self.profile = ProfileWidget(self.facts)
        self.facts.layout().insertWidget(3, self.profile)
        self.range_panel = RangePanel(self)
        self.side = QTabWidget(self)
        self.side.setObjectName("sideTabs")
        self.side.addTab(self.facts, "Facts")
        self.side.addTab(self.range_panel, "In range")
        from viewer.ui.properties_panel import PropertiesPanel

        self.properties = PropertiesPanel(self)
        self.side.addTab(self.properties, "Properties")
        self.properties.edited.connect(self._feature_edited)
        from viewer.ui.layers_panel import LayersPanel

        self.layers_panel = LayersPanel(self)
        self.side.addTab(self.layers_panel, "Layers")
        self.layers_panel.changed.connect(self._layers_edited)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.map_view)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.pointer_label = QLabel("")
        self.pointer_label.setTextFormat(Qt.TextFormat.PlainText)
        self.pointer_label.setMinimumWidth(260)
        self.statusBar().addPermanentWidget(self.pointer_label)
        self._group_actions: dict[str, QAction] = {}
        self._range_pending: Scenario | None = None
        self._build_toolbar()
        self._build_menus()
        self._wire()
        from viewer.ui.tools import DrawController

        self.draw = DrawController(self)
        self._build_tool_actions()
        self._restore()

    # ------------------------------------------------------------------ building
    def _build_menus(self) -> None:
        mb = self.menuBar()
        file_menu = mb.addMenu("&File")
        self.act_open = file_menu.addAction("&Open\u2026", self.open_dialog)
        self.act_open.setShortcut(QKeySequence.StandardKey.Open)
        self.recent_menu = QMenu("Open &Recent", self)
        file_menu.addMenu(self.recent_menu)
        self.act_save = file_menu.addAction("&Save", self.save)
        self.act_save.setShortcut(QKeySequence("Ctrl+S"))
        self.act_save_as = file_menu.addAction("Save &As\u2026", self.save_as)
        self.act_save_as.setShortcut(QKeySequence("Ctrl+Shift+S"))
        file_menu.addSeparator()
        from viewer.ui.export_dialog import open_export_dialog

        self.act_export = file_menu.addAction("&Export\u2026", lambda: open_export_dialog(self))
        self.act_export.setShortcut(QKeySequence("Ctrl+E"))
        self.act_export_png = file_menu.addAction("Export Map &Image\u2026", self.export_png_dialog)
        self.act_export_png.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.act_export_geojson = file_menu.addAction("Export &GeoJSON\u2026", self.export_geojson_dialog)
        self.act_export_kml = file_menu.addAction("Export &KML / KMZ / CSV\u2026", self.export_exchange_dialog)
        self.act_import = file_menu.addAction("&Import Annotations\u2026", self.import_dialog)
        self.act_import.setShortcut(QKeySequence("Ctrl+I"))
        file_menu.addSeparator()
        self.act_quit = file_menu.addAction("&Quit", self.close)
        self.act_quit.setShortcut(QKeySequence("Ctrl+Q"))

        edit_menu = mb.addMenu("&Edit")
        self.act_undo = self.undo_stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcuts([QKeySequence("Ctrl+Z")])
        self.act_redo = self.undo_stack.createRedoAction(self, "&Redo")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit_menu.addAction(self.act_undo)
        edit_menu.addAction(self.act_redo)
        edit_menu.addSeparator()
        self.act_delete = edit_menu.addAction("&Delete Selected", self.delete_selected)
        self.act_delete.setShortcut(QKeySequence.StandardKey.Delete)

        tools_menu = mb.addMenu("&Tools")
        self.tools_menu = tools_menu
        self.act_add_ring = tools_menu.addAction("Add Range &Ring\u2026", self.add_ring_dialog)
        self.act_add_ring.setShortcut(QKeySequence("Ctrl+R"))
        self.act_find = tools_menu.addAction("&Find Place", lambda: (self.find_box.setFocus(), self.find_box.selectAll()))
        self.act_find.setShortcut(QKeySequence.StandardKey.Find)

        view_menu = mb.addMenu("&View")
        self.layers_menu = view_menu.addMenu("&Layers")
        from viewer.ui import basemap_menu  # View > Basemap: built-in, tile packages, online layers

        self.basemap_menu = basemap_menu.install(self, view_menu)
        self.act_zoom_scenario = view_menu.addAction("&Zoom to Scenario", lambda: self.map_view.call("fitScenario", True))
        self.act_zoom_scenario.setShortcut(QKeySequence("Ctrl+0"))
        self.act_zoom_in = view_menu.addAction("Zoom &In", lambda: self.map_view.run_js("SitMap.app.map.zoomIn()"))
        self.act_zoom_in.setShortcut(QKeySequence.StandardKey.ZoomIn)
        self.act_zoom_out = view_menu.addAction("Zoom &Out", lambda: self.map_view.run_js("SitMap.app.map.zoomOut()"))
        self.act_zoom_out.setShortcut(QKeySequence.StandardKey.ZoomOut)
        view_menu.addSeparator()
        self.act_facts = view_menu.addAction("&Facts Panel")
        self.act_facts.setCheckable(True)
        self.act_facts.setChecked(True)
        self.act_facts.setShortcut(QKeySequence("F9"))
        self.act_facts.toggled.connect(self.side.setVisible)
        fmt_menu = view_menu.addMenu("&Coordinate Format")
        self.coord_format = str(self.settings.value("coords/format", "dd"))
        group = QActionGroup(self)
        for key, label in (("dd", "Decimal Degrees"), ("dms", "Degrees, Minutes, Seconds"), ("mgrs", "MGRS")):
            a = fmt_menu.addAction(label)
            a.setCheckable(True)
            a.setChecked(key == self.coord_format)
            a.setData(key)
            group.addAction(a)
        group.triggered.connect(self._set_coord_format)

        help_menu = mb.addMenu("&Help")
        help_menu.addAction("&About SitMap", self.show_about)

    def _build_toolbar(self) -> None:
        tb = QToolBar("Main", self)
        tb.setObjectName("mainToolbar")
        tb.setMovable(False)
        self.addToolBar(tb)
        self.find_box = self._entry_box(tb, "findPlace", "Find place (offline)\u2026", 280, self.find_place)
        self.find_box.textEdited.connect(self._complete_place)
        self._completer = QCompleter([], self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self._completer.activated.connect(self.find_place)
        self.find_box.setCompleter(self._completer)
        self.goto_box = self._entry_box(tb, "gotoCoordinate", "Go to coordinate (DD, DMS, MGRS)\u2026", 260, self.go_to)

    def _entry_box(self, tb: QToolBar, name: str, placeholder: str, width: int, on_enter) -> QLineEdit:
        """A toolbar text box that hands its text to on_enter when Enter is pressed."""
        box = QLineEdit(self)
        box.setObjectName(name)
        box.setPlaceholderText(placeholder)
        box.setClearButtonEnabled(True)
        box.setMaximumWidth(width)
        box.returnPressed.connect(lambda: on_enter(box.text()))
        tb.addWidget(box)
        return box

    def _build_tool_actions(self) -> None:
        from viewer.ui.tools import TOOLS

        self.tools_menu.addSeparator()
        group = QActionGroup(self)
        group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        self.tool_actions: dict[str, QAction] = {}
        tb = self.findChild(QToolBar, "mainToolbar")
        tb.addSeparator()
        for key, (label, shortcut, _hint) in TOOLS.items():
            act = QAction(label, self)
            act.setCheckable(True)
            act.setShortcut(QKeySequence(shortcut))
            act.setToolTip(f"{label} ({shortcut})")
            act.toggled.connect(lambda on, k=key: self._tool_toggled(k, on))
            group.addAction(act)
            self.tools_menu.addAction(act)
            tb.addAction(act)
            self.tool_actions[key] = act
        self.act_end_tool = self.tools_menu.addAction("End Tool", lambda: self.draw.cancel())
        self.act_end_tool.setShortcut(QKeySequence("Esc"))

    def _tool_toggled(self, key: str, on: bool) -> None:
        if on:
            self.draw.set_tool(key)
        elif self.draw.tool == key:
            self.draw.set_tool(None)

    def tool_changed(self, tool: str | None, hint: str) -> None:
        for key, act in getattr(self, "tool_actions", {}).items():
            if act.isChecked() != (key == tool):
                act.blockSignals(True)
                act.setChecked(key == tool)
                act.blockSignals(False)
        self.statusBar().showMessage(hint if tool else "Tool ended", 0 if tool else 3000)

    def _complete_place(self, text: str) -> None:
        from PySide6.QtCore import QStringListModel

        from viewer.model.gazetteer import gazetteer

        if len(text.strip()) < 2:
            return
        names = [self._place_text(p) for p in gazetteer().search(text, limit=12)]
        self._completer.setModel(QStringListModel(names, self._completer))

    @staticmethod
    def _place_text(p) -> str:
        return f"{p.name}, {p.country}"

    def go_to(self, text: str) -> bool:
        from viewer.model.coords import CoordinateError, parse_latlon

        try:
            lat, lon = parse_latlon(text)
        except CoordinateError as e:
            self.statusBar().showMessage(f"Go to: {e}", 8000)
            return False
        shown = format_latlon(lat, lon, self.coord_format)
        self.map_view.call("showPlace", lat, lon, shown, 9)
        self.statusBar().showMessage(shown, 8000)
        return True

    def _feature_edited(self, before, after) -> None:
        from viewer.ui.editing import ReplaceFeature

        self.undo_stack.push(ReplaceFeature(self, before, after, f"Edit {after.name}"))
        self.properties.show_feature(after)

    def find_place(self, text: str) -> bool:
        """Fly to the best match for a place name (offline gazetteer)."""
        from viewer.model.gazetteer import gazetteer

        name, _, country = text.partition(", ")
        matches = gazetteer().search(name.strip(), limit=50)
        if country:
            matches = [p for p in matches if p.country == country.strip()] or matches
        if not matches:
            self.statusBar().showMessage(f"No place called “{text.strip()}” in the offline gazetteer", 6000)
            return False
        p = matches[0]
        self.map_view.call("showPlace", p.lat, p.lon, f"{p.name}, {p.country}", 9)
        self.statusBar().showMessage(f"{p.name}, {p.country}: {format_latlon(p.lat, p.lon, self.coord_format)}", 8000)
        return True

    def _wire(self) -> None:
        self.facts.factActivated.connect(self.focus_feature)
        self.map_view.bridge.featureSelected.connect(self._feature_clicked)
        self.map_view.bridge.featureAdded.connect(self._feature_shift_clicked)
        self.map_view.bridge.vertexDragged.connect(self._vertex_dragged)
        self.map_view.bridge.pointerAt.connect(self._pointer_moved)
        self.map_view.bridge.pointerGone.connect(lambda: self.pointer_label.setText(""))
        self.map_view.bridge.groupVisibility.connect(self._group_toggled)
        self.map_view.bridge.onlineTileError.connect(
            lambda name: self.statusBar().showMessage(f"{name}: tiles cannot be loaded (offline?); the offline basemap still works.", 8000))
        self.map_view.mapReady.connect(self._map_ready)

    def _map_ready(self, _state: dict) -> None:
        self.statusBar().showMessage("Map ready", 3000)
        if self.scenario is None:
            return  # a cached page came first; set_scenario finishes the set-up
        layers = self.current_layers()
        self.layers_panel.set_layers(layers)
        self.locked_groups = {x["id"] for x in layers if x.get("locked")}
        if self.scenario.layers:
            self.apply_layers(layers)
        if self._range_pending is not None:
            self.range_panel.set_scenario(self._range_pending)
            self._range_pending = None

    # ------------------------------------------------------------------ settings
    def _restore(self) -> None:
        geo = self.settings.value("window/geometry")
        if isinstance(geo, QByteArray) and not geo.isEmpty():
            self.restoreGeometry(geo)
        else:
            self.resize(1400, 880)
        split = self.settings.value("window/splitter")
        if isinstance(split, QByteArray) and not split.isEmpty():
            self.splitter.restoreState(split)
        else:
            self.splitter.setSizes([900, 500])
        self._refresh_recent()

    def save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("coords/format", self.coord_format)
        self.settings.sync()

    def maybe_keep_changes(self) -> bool:
        """Ask before unsaved work is dropped. False means: stay."""
        if self.undo_stack.isClean():
            return True
        answer = QMessageBox.question(
            self, "Unsaved changes", "Save the changes to this project first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.maybe_keep_changes():
            event.ignore()
            return
        self.save_settings()
        self.recovery.clear()  # a clean exit: nothing to recover next time
        super().closeEvent(event)

    def recent_files(self) -> list[str]:
        value = self.settings.value("files/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or []) if isinstance(v, str)]

    def _remember(self, path: Path) -> None:
        items = [str(path)] + [p for p in self.recent_files() if p != str(path)]
        self.settings.setValue("files/recent", items[:MAX_RECENT])
        self._refresh_recent()

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_files()
        for p in recent:
            act = self.recent_menu.addAction(p.replace("&", "&&"))
            act.triggered.connect(lambda _=False, p=p: self.open_path(Path(p)))
        self.recent_menu.setEnabled(bool(recent))

    # ------------------------------------------------------------------ scenario
    def set_scenario(self, scenario: Scenario, path: Path | None, remember: bool = True,
                     page_loading: bool = False) -> None:
        """Show a scenario. ``page_loading``: its page (from the page cache) is already on its way."""
        drawn = layer_mod.draw_scenario(scenario)
        self.scenario = scenario
        self.scenario_path = path
        self.facts.set_scenario(scenario)
        # Places in range need the gazetteer: found once the map is drawn, not before it.
        self._range_pending = scenario
        self.profile.set_flight(*self._flight_numbers(scenario))
        if page_loading:
            self.map_view.drawn = drawn
        else:
            self.map_view.show_scenario(scenario, drawn)
        self._rebuild_layer_actions(drawn)
        self._set_title()
        self.undo_stack.clear()
        self.selected_feature = None
        self.properties.show_feature(None)
        if page_loading and self.map_view.is_ready:
            self._map_ready(self.map_view.state)
        if path is not None and remember:
            self._remember(path)
        self.scenarioLoaded.emit(scenario)

    def _clean_changed(self, clean: bool) -> None:
        self.setWindowModified(not clean)

    def _set_title(self) -> None:
        name = self.scenario_path.name if self.scenario_path else "built-in scenario"
        self.setWindowTitle(f"{self.scenario.title} \u2014 {name}[*] \u2014 SitMap")

    def save(self) -> bool:
        if self.scenario_path is None:
            return self.save_as()
        return self.save_to(self.scenario_path)

    def save_as(self) -> bool:
        start = str(self.scenario_path) if self.scenario_path else str(Path(str(self.settings.value("files/last_dir", "")))
                                                                         / "project.geojson")
        name, _ = QFileDialog.getSaveFileName(self, "Save Project", start, FILE_FILTER)
        if not name:
            return False
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(".geojson")
        return self.save_to(path)

    def save_to(self, path: Path) -> bool:
        """Atomic save with a .bak of the previous version; on failure the old file is untouched."""
        from viewer.model.project import save_project

        try:
            save_project(self.scenario, path)
        except OSError as e:
            self.show_error("Cannot save", f"{path}: {e.strerror or e}. The previous file is unchanged.")
            return False
        self.scenario_path = path
        self.undo_stack.setClean()
        self.recovery.clear()
        self._remember(path)
        self._set_title()
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def offer_recovery(self, ask: bool = True) -> bool:
        """After a crash: offer the work the recovery file holds. Returns True if restored."""
        from viewer.model.scenario import ScenarioError

        if not self.recovery.pending():
            return False
        if ask:
            answer = QMessageBox.question(
                self, "Restore unsaved work?",
                "SitMap did not close normally last time. Restore the work that was not saved?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
            if answer != QMessageBox.StandardButton.Yes:
                self.recovery.clear()
                return False
        try:
            scenario, path = self.recovery.load()
        except (OSError, ScenarioError) as e:
            self.show_error("Cannot restore", f"The recovery file cannot be read: {e}")
            return False
        self.set_scenario(scenario, path, remember=False)
        self.undo_stack.resetClean()
        self.setWindowModified(True)
        return True

    @staticmethod
    def _flight_numbers(scenario: Scenario) -> tuple[float | None, float | None]:
        from viewer.model.scenario import flight_numbers

        for f in scenario.features:
            numbers = flight_numbers(scenario, f.id) if f.kind == "path" else None
            if numbers:
                return numbers
        return None, None

    def open_path(self, path: Path) -> bool:
        """Open a scenario file; on any problem show why and keep the current map."""
        if not self.maybe_keep_changes():
            return False
        try:
            scenario = load_scenario(path)
            self.set_scenario(scenario, path)
        except ScenarioError as e:
            self.show_error("Cannot open scenario", str(e))
            return False
        except Exception as e:  # never lose the open map to an unexpected fault
            self.show_error("Cannot open scenario", f"{path.name}: {type(e).__name__}: {e}")
            return False
        return True

    def show_error(self, title: str, message: str) -> None:
        self.statusBar().showMessage(message, 10000)
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setObjectName("errorBox")
        box.open()
        self._error_box = box

    def open_dialog(self) -> None:
        start = str(self.scenario_path.parent) if self.scenario_path else str(self.settings.value("files/last_dir", ""))
        name, _ = QFileDialog.getOpenFileName(self, "Open Scenario", start, FILE_FILTER)
        if name:
            self.settings.setValue("files/last_dir", str(Path(name).parent))
            self.open_path(Path(name))

    def current_layers(self) -> list[dict]:
        """The scenario's saved arrangement, completed with every layer that has features."""
        present = [g for g, _ in layer_mod.GROUPS if any(d.group == g for d in self.map_view.drawn)]
        labels = dict(layer_mod.GROUPS)
        out = [dict(x) for x in self.scenario.layers if x["id"] in present]
        known = {x["id"] for x in out}
        out += [{"id": g, "label": labels[g], "visible": True, "locked": False} for g in present if g not in known]
        return out

    def apply_layers(self, layers: list[dict]) -> None:
        """Make the page, the menus and the panel show this arrangement."""
        labels = dict(layer_mod.GROUPS)
        self.scenario.layers = [dict(x) for x in layers]
        self.locked_groups = {x["id"] for x in layers if x.get("locked")}
        for x in layers:
            self.map_view.call("setGroupVisible", x["id"], bool(x.get("visible", True)))
            if x["label"] != labels.get(x["id"]):
                self.map_view.call("setGroupLabel", x["id"], x["label"])
            act = self._group_actions.get(x["id"])
            if act is not None:
                act.blockSignals(True)
                act.setChecked(bool(x.get("visible", True)))
                act.setText(x["label"])
                act.blockSignals(False)
        self.map_view.call("setGroupOrder", [x["id"] for x in layers])
        self.layers_panel.set_layers(layers)
        self._show_handles()
        self.write_recovery()

    def _layers_edited(self, layers: list[dict]) -> None:
        from viewer.ui.editing import SetLayers

        before = self.current_layers()
        if layers != before:
            self.undo_stack.push(SetLayers(self, before, layers))

    def _rebuild_layer_actions(self, drawn) -> None:
        self.layers_menu.clear()
        self._group_actions.clear()
        for gid, label in layer_mod.GROUPS:
            if not any(d.group == gid for d in drawn):
                continue
            act = self.layers_menu.addAction(label)
            act.setCheckable(True)
            act.setChecked(True)
            act.toggled.connect(lambda on, g=gid: (self.map_view.call("setGroupVisible", g, on),
                                                   self._group_toggled(g, on)))
            self._group_actions[gid] = act

    def add_ring_dialog(self) -> None:
        from viewer.ui.ring_dialog import RingDialog

        if self.scenario is None:
            return
        dlg = RingDialog(self.scenario, self)
        if dlg.exec() == RingDialog.DialogCode.Accepted:
            self.add_ring(**dlg.values())

    def add_ring(self, lat: float, lon: float, radius_m: float, name: str, label: str = "", status: str = "estimated",
                 source: str = "Analyst", centre_feature: str | None = None) -> str:
        """Add a geodesic range ring to the open project (undoable) and draw it at once."""
        props = {"radius_m": float(radius_m), "name": name, "label": label, "status": status, "source": source}
        if centre_feature:
            props["centre_feature"] = centre_feature
        return self.add_annotation("range_ring", {"type": "Point", "coordinates": [lon, lat]}, props, text=f"Add {name}")

    def _new_id(self, prefix: str) -> str:
        n = 1
        while self.scenario.feature(f"{prefix}-{n}") is not None:
            n += 1
        return f"{prefix}-{n}"

    def add_annotation(self, kind: str, geometry: dict, props: dict, text: str = "") -> str:
        from viewer.model.scenario import Feature
        from viewer.ui.editing import AddFeatures

        prefix = {"range_ring": "ring", "place": "marker", "path": "line", "area": "area"}[kind]
        if kind == "place" and props.get("role") == "label":
            prefix = "label"
        fid = self._new_id(prefix)
        full = {"kind": kind, "status": "estimated", "source": "Analyst", "annotation": True}
        full.update(props)
        feature = Feature(fid, kind, geometry, full)
        self.undo_stack.push(AddFeatures(self, [feature], text or f"Add {full.get('name', kind)}"))
        self.statusBar().showMessage(f"Added {full.get('name', fid)}", 4000)
        return fid

    def add_text_label(self, lat: float, lon: float) -> str | None:
        from PySide6.QtWidgets import QInputDialog

        text, ok = QInputDialog.getText(self, "Text Label", "Text:")
        if not ok or not text.strip():
            return None
        return self.add_annotation("place", {"type": "Point", "coordinates": [lon, lat]},
                                   {"role": "label", "name": text.strip()[:500]}, text="Add label")

    def editable(self, fid: str | None) -> bool:
        """Analysts' annotations on unlocked layers can be moved, edited and deleted."""
        f = self.scenario.feature(fid) if (self.scenario and fid) else None
        if f is None or not f.properties.get("annotation"):
            return False
        return layer_mod.group_of(f) not in self.locked_groups

    def delete_selected(self) -> bool:
        from viewer.ui.editing import RemoveFeatures

        chosen = [fid for fid in (self.selection or ([self.selected_feature] if self.selected_feature else []))
                  if self.scenario.feature(fid) is not None]
        deletable = [fid for fid in chosen if self.editable(fid)]
        if len(deletable) < len(chosen):
            self.statusBar().showMessage("Scenario features (with their facts) and locked layers are not deleted.", 6000)
        if not deletable:
            return False
        names = ", ".join(self.scenario.feature(fid).name for fid in deletable[:3])
        self.undo_stack.push(RemoveFeatures(self, deletable, f"Delete {names}" + ("\u2026" if len(deletable) > 3 else "")))
        self.selected_feature = None
        self.selection = []
        self.map_view.call("draw.clearHandles")
        self.map_view.call("setMultiSelection", [])
        return True

    def _feature_shift_clicked(self, fid: str) -> None:
        if self.scenario is None or self.scenario.feature(fid) is None:
            return
        if fid in self.selection:
            self.selection.remove(fid)
        else:
            self.selection.append(fid)
        self.map_view.call("setMultiSelection", self.selection)
        self.statusBar().showMessage(f"{len(self.selection)} selected (Shift+click adds or removes; Delete deletes)", 5000)

    def _editable_vertices(self, f) -> list[tuple[float, float]]:
        g = f.geometry
        if g["type"] == "Point":
            return [f.latlon()]
        if g["type"] == "LineString":
            return [(c[1], c[0]) for c in g["coordinates"]]
        return [(c[1], c[0]) for c in g["coordinates"][0][:-1]]

    def _show_handles(self) -> None:
        fid = self.selected_feature
        if fid and self.editable(fid):
            self.map_view.call("draw.showHandles", fid, [list(p) for p in self._editable_vertices(self.scenario.feature(fid))])
        else:
            self.map_view.call("draw.clearHandles")

    def _vertex_dragged(self, fid: str, index: int, lat: float, lng: float) -> None:
        """A handle was dragged: move the point / ring centre, or that vertex of a line or area."""
        from viewer.model.coords import normalise_lon
        from viewer.model.scenario import Feature
        from viewer.ui.editing import ReplaceFeature

        if not self.editable(fid):
            return
        f = self.scenario.feature(fid)
        pos = [normalise_lon(lng), lat]
        g = f.geometry
        if g["type"] == "Point":
            geometry = {"type": "Point", "coordinates": pos}
        elif g["type"] == "LineString":
            coords = [list(c) for c in g["coordinates"]]
            if not 0 <= index < len(coords):
                return
            coords[index] = pos
            geometry = {"type": "LineString", "coordinates": coords}
        else:
            ring = [list(c) for c in g["coordinates"][0][:-1]]
            if not 0 <= index < len(ring):
                return
            ring[index] = pos
            ring.append(ring[0])
            geometry = {"type": "Polygon", "coordinates": [ring] + [list(r) for r in g["coordinates"][1:]]}
            from shapely.geometry import Polygon

            if not Polygon([tuple(c) for c in ring]).is_valid:
                self.statusBar().showMessage("That move would make the area cross itself; not applied.", 6000)
                self._show_handles()
                return
        self.undo_stack.push(ReplaceFeature(self, f, Feature(f.id, f.kind, geometry, dict(f.properties)),
                                            f"Move {f.name}"))

    def features_changed(self, added: list | None = None, removed: list[str] | None = None) -> None:
        """Redraw what a change touched, refresh the panels, write the recovery file."""
        drawn_by_id = {d.id: d for d in self.map_view.drawn}
        for fid in removed or []:
            drawn_by_id.pop(fid, None)
            self.map_view.call("removeFeature", fid)
        rings = [f.id for f in self.scenario.features if f.kind == "range_ring"]
        for f in added or []:
            d = layer_mod.draw_feature(f, rings.index(f.id) if f.id in rings else 0)
            drawn_by_id[f.id] = d
            self.map_view.call("addFeature", d.to_page(), dict(layer_mod.GROUPS).get(d.group, d.group))
        order = {f.id: i for i, f in enumerate(self.scenario.features)}
        self.map_view.drawn = sorted(drawn_by_id.values(), key=lambda d: order.get(d.id, 1 << 30))
        self.map_view.call("setLegend", layer_mod.legend_entries(self.map_view.drawn))
        if any(f.kind == "range_ring" for f in added or []) or removed:
            self.range_panel.set_scenario(self.scenario)
        shown = self.properties.feature
        if shown is not None:
            self.properties.show_feature(self.scenario.feature(shown.id))
        if self.selected_feature and self.scenario.feature(self.selected_feature) is None:
            self.selected_feature = None
        self._show_handles()
        if [x["id"] for x in self.current_layers()] != [x["id"] for x in self.layers_panel.layers()]:
            self.layers_panel.set_layers(self.current_layers())
        self.write_recovery()

    def write_recovery(self) -> None:
        try:
            self.recovery.write(self.scenario, self.scenario_path)
        except OSError as e:
            self.statusBar().showMessage(f"Could not write the recovery file: {e.strerror or e}", 10000)

    def _group_toggled(self, group: str, visible) -> None:
        visible = bool(visible)
        layers = self.current_layers()
        for x in layers:
            if x["id"] == group:
                x["visible"] = visible
        if self.scenario.layers:
            self.scenario.layers = layers
        self.layers_panel.set_layers(layers)
        act = self._group_actions.get(group)
        if act is not None and act.isChecked() != visible:
            act.blockSignals(True)
            act.setChecked(visible)
            act.blockSignals(False)

    def focus_feature(self, feature_id: str) -> None:
        self.map_view.call("focusFeature", feature_id)

    def _feature_clicked(self, feature_id: str) -> None:
        if self.scenario is None or self.scenario.feature(feature_id) is None:
            return
        self.selected_feature = feature_id
        self.selection = [feature_id]
        self.map_view.call("setMultiSelection", [])
        self._show_handles()
        self.properties.coord_format = self.coord_format
        self.properties.show_feature(self.scenario.feature(feature_id))
        ids = self.facts.select_feature(feature_id)
        f = self.scenario.feature(feature_id)
        self.statusBar().showMessage(f"{f.name}: {len(ids)} fact(s)", 5000)

    def _pointer_moved(self, lat: float, lng: float) -> None:
        self.pointer_label.setText(format_latlon(lat, lng, self.coord_format))

    def _set_coord_format(self, action: QAction) -> None:
        self.coord_format = str(action.data())
        self.settings.setValue("coords/format", self.coord_format)

    # ------------------------------------------------------------------ exports
    def _export_to_chosen_file(self, title: str, default: str, filters: str, write) -> None:
        """Ask where, write there; a failure says why and leaves any old file as it was."""
        name, _ = QFileDialog.getSaveFileName(self, title, default, filters)
        if not name:
            return
        try:
            write(Path(name))
            self.statusBar().showMessage(f"Saved {name}", 5000)
        except OSError as e:
            self.show_error("Cannot export", f"{name}: {e.strerror or e}")

    def export_png_dialog(self) -> None:
        from viewer.export.image import grab_view_png

        self._export_to_chosen_file("Export Map Image", "sitmap.png", "PNG image (*.png)",
                                    lambda path: grab_view_png(self.map_view, path))

    def export_geojson_dialog(self) -> None:
        from viewer.export.geojson import write_geojson

        if self.scenario is not None:
            self._export_to_chosen_file("Export GeoJSON", "sitmap.geojson", "GeoJSON (*.geojson)",
                                        lambda path: write_geojson(self.scenario, path))

    def export_exchange_dialog(self) -> None:
        self._export_to_chosen_file("Export for Google Earth / GIS", "sitmap.kml",
                                    "KML (*.kml);;KMZ (*.kmz);;CSV of points (*.csv)", self._write_exchange)

    def _write_exchange(self, path: Path) -> None:
        from viewer.model import exchange
        from viewer.model.project import write_atomic

        writer = {".kml": exchange.export_kml, ".kmz": exchange.export_kmz, ".csv": exchange.export_csv}.get(
            path.suffix.lower(), exchange.export_kml)
        write_atomic(path, writer(self.scenario))

    def export_exchange(self, path: Path) -> bool:
        try:
            self._write_exchange(path)
        except OSError as e:
            self.show_error("Cannot export", f"{path}: {e.strerror or e}")
            return False
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def import_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import Annotations", str(self.settings.value("files/last_dir", "")),
                                              "KML, KMZ, GeoJSON, CSV (*.kml *.kmz *.geojson *.json *.csv);;All files (*)")
        if name:
            self.import_path(Path(name))

    def import_path(self, path: Path) -> int:
        """Add a file's features as annotations (one undoable step). Nothing changes if the file is bad."""
        from viewer.model import exchange
        from viewer.model.scenario import MAX_FILE_BYTES, Feature, ScenarioError
        from viewer.ui.editing import AddFeatures

        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ScenarioError(path.name, "", f"file is larger than {MAX_FILE_BYTES // 2**20} MB")
            features = exchange.import_annotations(path.read_bytes(), path.name)
        except ScenarioError as e:
            self.show_error("Cannot import", str(e))
            return 0
        except OSError as e:
            self.show_error("Cannot import", f"{path.name}: {e.strerror or e}")
            return 0
        taken = {f.id for f in self.scenario.features}
        renamed = []
        for f in features:
            fid = f.id
            n = 2
            while fid in taken:
                fid = f"{f.id}-{n}"
                n += 1
            taken.add(fid)
            props = dict(f.properties)
            props["annotation"] = True
            renamed.append(Feature(fid, f.kind, f.geometry, props))
        if renamed:
            self.undo_stack.push(AddFeatures(self, renamed, f"Import {path.name}"))
        self.statusBar().showMessage(f"Imported {len(renamed)} feature(s) from {path.name}", 6000)
        return len(renamed)

    def show_about(self) -> None:
        from viewer.app import about_text

        box = QMessageBox(self)
        box.setWindowTitle("About SitMap")
        box.setIconPixmap(app_icon().pixmap(64, 64))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"SitMap {__version__}")
        box.setInformativeText(about_text())
        box.setObjectName("aboutBox")
        box.open()
        self._about_box = box
