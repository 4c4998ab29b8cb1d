"""The main window: map on the left, facts on the right, menus, status bar."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QWidget,
)

from viewer import __version__
from viewer.model.coords import format_latlon
from viewer.ui import window_menus
from viewer.ui.map_view import MapView
from viewer.ui.window_build import KEY_SIDE_MINIMUM, WindowBuilding, app_icon
from viewer.ui.window_layers import WindowLayers

if TYPE_CHECKING:
    from viewer.model.scenario import Scenario


MIN_MAP_WIDTH = 320  # px the map keeps beside the side panel, whatever the panel shows or a saved layout says
DEFAULT_SIZE = (1400, 880)  # the window's, and its split, when no saved layout can be used
DEFAULT_SPLIT = (900, 500)
MIN_RESTORED = (640, 480)  # a saved window smaller than this is not the user's (a broken setting)


class MainWindow(WindowBuilding, WindowLayers, QMainWindow):
    scenarioLoaded = Signal(object)
    built = Signal()  # the whole window is there (at once, or for a staged window once its first map is up)

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None,
                 data_dir: Path | None = None, map_view: MapView | None = None, history_later: bool = False,
                 staged: bool = False):
        """``history_later``: the History tab (and View > Launch History) is added with the first
        map's panels instead of now: the start-up shows the map sooner (see viewer.app).

        ``staged`` (the start-up's): only the window's frame is built now, at the sizes it will
        have (the map view, the side tabs' place, the tool bar, the menu bar, the status bar); the
        document, the side panels, the menus, the wiring and the rest once its first map is up, a
        step at a time, so that they do not hold the map's page back. What needs the whole window
        meanwhile goes through :meth:`when_built` (setting a map builds the document first)."""
        super().__init__(parent)
        self.settings = settings or QSettings()
        self._data_dir = data_dir
        self._has_map = False
        self.setWindowTitle("SitMap")
        # map_view: made (and its first page begun) before the rest of the window, see viewer.app
        self.map_view = map_view if map_view is not None else MapView(self)
        self.map_view.setObjectName("mapView")
        self.map_view.setMinimumWidth(MIN_MAP_WIDTH)
        self.side = QTabWidget(self)
        self.side.setObjectName("sideTabs")
        # (until its panels are in, as wide at least as they made it the last time)
        self.side.setMinimumWidth(int(self.settings.value(KEY_SIDE_MINIMUM, 0) or 0) if staged else 0)
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
        self._build_toolbar()
        self._build_tool_actions()  # (in the tool bar: it has its height)
        window_menus.build_menu_bar(self)  # (the menus' titles: the menu bar has its height)
        self._restore_layout()
        self._group_actions: dict[str, QAction] = {}
        self._range_pending: Scenario | None = None
        self._panels_pending = None  # set_scenario(panels_later=True): fills the panels once the map is up
        self.history_panel = None  # (viewer.ui.history_window sets it)
        self._build_rest(staged, history_later)  # (viewer/ui/window_build.py)

    def install_history(self, scenario_follows: bool = False):
        """The History tab, View > Launch History and the history layer's wiring, added once
        (viewer.ui.history_window); the tab's panel."""
        if self.history_panel is None:
            from viewer.ui.history_window import install_history

            install_history(self, scenario_follows=scenario_follows)
        return self.history_panel

    # ------------------------------------------------------------------ the open map
    @property
    def scenario(self) -> Scenario | None:
        """The map shown (None until the first one is set). Change it through ``self.editor``."""
        return self.doc.scenario if self._has_map else None

    @property
    def scenario_path(self) -> Path | None:
        return self.doc.path

    @scenario_path.setter
    def scenario_path(self, path: Path | None) -> None:
        self.doc.path = Path(path) if path else None

    @property
    def selected_feature(self) -> str | None:
        return self.editor.selection.primary

    @selected_feature.setter
    def selected_feature(self, fid: str | None) -> None:
        self.editor.selection.primary = fid

    @property
    def selection(self) -> list[str]:
        return self.editor.selection.items

    @selection.setter
    def selection(self, items: list[str]) -> None:
        self.editor.selection.items = list(items)

    def _ask_text(self, title: str, label: str) -> str | None:
        from PySide6.QtWidgets import QInputDialog

        text, ok = QInputDialog.getText(self, title, label)
        return text if ok else None

    # ------------------------------------------------------------------ building (viewer/ui/window_menus.py)
    def _build_menus(self) -> None:
        window_menus.build_menus(self)

    def _build_toolbar(self) -> None:
        window_menus.build_toolbar(self)

    def _build_tool_actions(self) -> None:
        window_menus.build_tool_actions(self)

    def _tool_toggled(self, key: str, on: bool) -> None:
        self.finish_building()  # (a staged window's tool picked before its map was up)
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
        from viewer.model.mercator import MAX_LAT

        beyond = abs(lat) > MAX_LAT  # (the map's projection ends there: the place is drawn at its edge)
        self.statusBar().showMessage(shown + (f" \u2014 shown at the map's {'top' if lat > 0 else 'bottom'} edge: "
                                              f"the map ends at {MAX_LAT:.2f}\u00b0" if beyond else ""), 8000)
        return True

    def _feature_edited(self, before, after) -> None:
        if self._locked(before):
            self.statusBar().showMessage(f"{before.name}: its layer is locked (unlock it in the Layers tab)", 6000)
        else:
            self.editor.replace(after, f"Edit {after.name}")
        self.properties.show_feature(self.doc.feature(after.id))

    def _locked(self, f) -> bool:
        from viewer.render import layers as layer_mod

        return f is not None and layer_mod.group_of(f) in self.locked_groups

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
        self.map_view.follow_ready(self._map_ready)
        from viewer.ui import context_menus

        self.map_view.bridge.featureMenuAt.connect(
            lambda fid, lat, lng: context_menus.show(context_menus.feature_menu(self, fid, lat, lng)))
        self.map_view.bridge.mapMenuAt.connect(lambda lat, lng: context_menus.show(context_menus.map_menu(self, lat, lng)))
        fe = self.facts_editor
        self.facts.addRequested.connect(lambda group: fe.add_fact(feature=self.selected_feature, group=group or None))
        self.facts.editRequested.connect(fe.edit_fact)
        self.facts.deleteRequested.connect(fe.delete_facts)
        self.facts.moveRequested.connect(fe.move_fact)
        self.facts.addGroupRequested.connect(lambda: fe.add_group())
        self.facts.renameGroupRequested.connect(lambda gid: fe.rename_group(gid))
        self.facts.deleteGroupRequested.connect(fe.delete_group)
        self.facts.sourcesRequested.connect(lambda: fe.edit_sources())

    def _map_ready(self, _state: dict) -> None:
        self.statusBar().showMessage("Map ready", 3000)
        # A large map's recovery base, once the panels are filled (its thread shares the interpreter).
        QTimer.singleShot(0, self.recovery.start_pending)
        self._page_labels = {}  # a new page: its layer control names the layers as the map did when it was made
        if self.scenario is None:
            return  # a cached page came first; set_scenario finishes the set-up
        layers = self.current_layers()
        self._page_labels = {x["id"]: x["label"] for x in layers}
        self.layers_panel.set_layers(layers)
        self.locked_groups = {x["id"] for x in layers if x.get("locked")}
        if self.scenario.layers:
            self._show_layers(layers)
        if self._range_pending is not None:
            self.range_panel.set_scenario(self._range_pending)
            self._range_pending = None

    # ------------------------------------------------------------------ settings
    def _restore_layout(self) -> None:
        """The window's size and split as they were left; the default layout where a saved one is
        missing, cannot be read (a newer version's, a hand-edited file), or would leave the map
        narrower than MIN_MAP_WIDTH (such a layout is then saved no more)."""
        geo = self.settings.value("window/geometry")
        if not (isinstance(geo, QByteArray) and not geo.isEmpty() and self.restoreGeometry(geo)
                and self.width() >= MIN_RESTORED[0] and self.height() >= MIN_RESTORED[1]):
            self.resize(*DEFAULT_SIZE)
        split = self.settings.value("window/splitter")
        if not (isinstance(split, QByteArray) and not split.isEmpty() and self.splitter.restoreState(split)
                and self._map_share_kept()):
            self.side.setVisible(True)
            self.splitter.setSizes(list(DEFAULT_SPLIT))

    def _map_share_kept(self) -> bool:
        """Whether the split restored leaves the map at least MIN_MAP_WIDTH of the window (the
        splitter is not laid out yet: its sizes are shares of the width it will have)."""
        sizes = self.splitter.sizes()
        if len(sizes) != 2 or sum(sizes) <= 0:
            return False
        if self.side.isHidden() or sizes[1] == 0:
            return True  # (the facts panel hidden: the map has the whole width)
        handle = self.splitter.handleWidth()
        return sizes[0] / sum(sizes) * (self.width() - handle) >= MIN_MAP_WIDTH

    def save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("coords/format", self.coord_format)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.finish_building()  # (a staged window closed before its first map was up)
        if not self.maybe_keep_changes():
            event.ignore()
            return
        self.save_settings()
        self.recovery.clear()  # a clean exit: nothing to recover next time
        self.recovery_claim.release()
        super().closeEvent(event)

    # ------------------------------------------------------------------ files (viewer/ui/files.py)
    def maybe_keep_changes(self) -> bool:
        return self.files.maybe_keep_changes()

    def recent_files(self) -> list[str]:
        return self.files.recent_files()

    def save(self) -> bool:
        return self.files.save()

    def save_as(self) -> bool:
        return self.files.save_as()

    def save_to(self, path: Path) -> bool:
        return self.files.save_to(path)

    def open_path(self, path: Path) -> bool:
        return self.files.open_path(path)

    def open_dialog(self) -> None:
        self.files.open_dialog()

    def offer_recovery(self, ask: bool = True) -> bool:
        return self.files.offer_recovery(ask)

    def write_recovery(self, change=None) -> None:
        self.files.write_recovery(change)

    def import_path(self, path: Path) -> int:
        return self.files.import_path(path)

    # ------------------------------------------------------------------ scenario
    def set_scenario(self, scenario: Scenario, path: Path | None, remember: bool = True,
                     page_loading: bool = False, builtin: bool = False, panels_later: bool = False) -> None:
        """Show a scenario. ``page_loading``: its page (from the page cache) is already on its way;
        ``builtin``: it is the built-in example (the title says so); ``panels_later``: the side
        panels, menus and title of a small map follow once it is on screen (the start-up: the page
        loads first)."""
        from viewer.render import layers as layer_mod

        self.need_document()
        self.facts_editor.close_dialog()  # (a fact of the map before cannot go into this one)
        if self._panels_pending is not None:  # the map before this one, opened first: its panels, title, recent files
            self._panels_pending()
        self.files.builtin = builtin
        self.undo_stack.clear()
        self.doc.reset(scenario, path)
        self._has_map = True
        scenario = self.doc.scenario
        # (a large map of lines and areas at start-up: drawn in parts that its page, begun as the
        # map was read, builds while the next is drawn)
        in_parts = None if page_loading else self.map_view.takes_parts(scenario)
        drawn = self.map_view.show_in_parts(scenario, in_parts, lambda work: self.files.work_beside(
            work, scenario.title or "the map", "Drawing")) if in_parts is not None else layer_mod.draw_scenario(scenario)
        # Places in range need the gazetteer: found once the map is drawn, not before it (first of
        # what follows the map: the window's _map_ready).
        self._range_pending = scenario
        if page_loading:
            self.map_view.drawn = drawn
        elif in_parts is None:
            self.map_view.show_scenario(scenario, drawn)
        large = bool(self.map_view.page_data or self.map_view.page_parts)
        if large:
            # (a large map's page, its features in JSON batches, is filled around at once: its
            # panels, and its features' index, take long enough that a pan or click right after
            # the map appears would wait on them)
            self.doc.make_index()
            self.finish_building()
            # (its places in range too, while the page builds the map: not after it appears)
            self.range_panel.set_scenario(scenario)
            self._range_pending = None
        elif panels_later and not self.map_view.is_ready and self.is_built:
            def fill(_state=None) -> None:  # (after the window's _map_ready, connected first)
                self.map_view.mapReady.disconnect(fill)
                self._panels_pending = None
                self._fill_panels(scenario, path, remember, ready=False)

            self._panels_pending = fill
            self.map_view.mapReady.connect(fill)
            return
        # (a staged window fills them once it is whole: after its first map is up)
        self.when_built(lambda: self._fill_panels(scenario, path, remember, ready=page_loading))

    def _fill_panels(self, scenario: Scenario, path: Path | None, remember: bool, ready: bool) -> None:
        """The side panels, menus and title of the map just set; ``ready``: its page (a cached one)
        may be up before the map was set, and what follows the map is then done here."""
        if ready and self.map_view.is_ready:
            self._map_ready(self.map_view.state)
        if self.history_panel is None:
            # (a start-up's: before the facts, which it adds a group to; it takes the map as it is announced)
            self.install_history(scenario_follows=True)
        self.facts.set_scenario(scenario)
        self.profile.set_flight(*self._flight_numbers(scenario))
        self._rebuild_layer_actions(self.map_view.drawn)
        self._set_title()
        self.editor.selection.clear()
        self.properties.show_feature(None)
        if path is not None and remember:
            self.files.remember(path)
        self.scenarioLoaded.emit(scenario)

    def _clean_changed(self, clean: bool) -> None:
        self.setWindowModified(not clean)

    def _set_title(self) -> None:
        name = self.scenario_path.name if self.scenario_path else self.files.unsaved_name()
        self.setWindowTitle(f"{self.scenario.title} \u2014 {name}[*] \u2014 SitMap")

    @staticmethod
    def _flight_numbers(scenario: Scenario) -> tuple[float | None, float | None]:
        from viewer.model.scenario import flight_numbers

        for f in scenario.features:
            numbers = flight_numbers(scenario, f.id) if f.kind == "path" else None
            if numbers:
                return numbers
        return None, None

    def show_error(self, title: str, message: str) -> None:
        self.statusBar().showMessage(message, 10000)
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setObjectName("errorBox")
        box.open()
        self._error_box = box

    def add_ring_dialog(self, centre: tuple[float, float] | None = None, place: str | None = None) -> None:
        """Add Range Ring: centred on ``place`` (a place of the map: the ring is named after it and
        follows it), else on the ``centre`` typed for the user, else as the dialog proposes."""
        from viewer.model.coords import format_latlon as fmt
        from viewer.ui.ring_dialog import RingDialog

        if self.scenario is None:
            return
        dlg = RingDialog(self.scenario, self, centre_id=place)
        if centre is not None and (place is None or dlg.centre.currentData() != place):
            dlg.centre.setCurrentIndex(0)
            dlg.coordinate.setText(fmt(centre[0], centre[1], "dd"))
        dlg.accepted.connect(lambda: self.add_ring(**dlg.values()))
        dlg.open()
        self._ring_dialog = dlg

    def add_ring(self, lat: float, lon: float, radius_m: float, name: str, label: str = "", status: str = "estimated",
                 source: str = "Analyst", centre_feature: str | None = None) -> str | None:
        """Add a geodesic range ring to the open project (undoable) and draw it at once."""
        return self.editor.add_ring(lat, lon, radius_m, name, label, status, source, centre_feature)

    def add_annotation(self, kind: str, geometry: dict, props: dict, text: str = "") -> str | None:
        return self.editor.add_annotation(kind, geometry, props, text)

    def add_text_label(self, lat: float, lon: float) -> str | None:
        return self.editor.add_label(lat, lon)

    def editable(self, fid: str | None) -> bool:
        """Analysts' annotations on unlocked layers can be moved, edited and deleted."""
        from viewer.render import layers as layer_mod

        f = self.doc.feature(fid) if self._has_map else None
        if f is None or not f.properties.get("annotation"):
            return False
        return layer_mod.group_of(f) not in self.locked_groups

    def delete_key(self) -> bool:
        """Edit > Delete (the Delete key): what is selected where the keyboard is, the Facts tab's
        facts or group there, else the map's selection."""
        if self.facts.tree.hasFocus():
            return self.facts.delete_selection()
        return self.delete_selected()

    def delete_selected(self) -> bool:
        if not self.editor.delete_selected():
            return False
        self.map_view.call("draw.clearHandles")
        self.map_view.call("setMultiSelection", [])
        return True

    def _feature_shift_clicked(self, fid: str) -> None:
        if self.scenario is None or self.doc.feature(fid) is None:
            return
        self.editor.selection.toggle(fid)
        self.map_view.call("setMultiSelection", self.selection)
        self.statusBar().showMessage(f"{len(self.selection)} selected (Shift+click adds or removes; Delete deletes)", 5000)

    def _show_handles(self) -> None:
        from viewer.logic.vertices import editable_vertices

        fid = self.selected_feature
        if fid and self.editable(fid):
            self.map_view.call("draw.showHandles", fid, [list(p) for p in editable_vertices(self.doc.feature(fid))])
        else:
            self.map_view.call("draw.clearHandles")

    def _vertex_dragged(self, fid: str, index: int, lat: float, lng: float) -> None:
        """A handle was dragged: move the point / ring centre, or that vertex of a line or area.
        A move the document refuses (an area crossing itself) puts the handles back."""
        if not self.editor.move_vertex(fid, index, lat, lng):
            self._show_handles()

    def _document_changed(self, change) -> None:
        """Every view follows the document: redraw what a change touched, refresh the panels,
        write the recovery file (a change is acknowledged once the recovery file holds it)."""
        if change.reset:
            # The next change's starting point, written once the map is on screen (_map_ready).
            self.recovery.begin(self.doc.scenario, start=False)
        if change.reset or not self._has_map:
            return  # set_scenario draws a whole map itself
        self.write_recovery(change)  # acknowledged: durable before anything is drawn
        try:
            self._follow(change)
        except Exception as e:  # noqa: BLE001 - a view fault must not unwind through Qt's undo stack
            import traceback

            traceback.print_exc()
            self.statusBar().showMessage(f"The view could not follow that change ({type(e).__name__}: {e}); "
                                         "the map itself holds it.", 10000)

    def _follow(self, change) -> None:
        if change.added or change.removed:
            self.features_changed(added=change.added, removed=change.removed, recover=False)
        if change.layers:
            self._show_layers(self.current_layers())
        if change.facts or change.meta or self._derived_from(change):
            self.facts.set_scenario(self.doc.scenario)
            self._set_title()

    def _derived_from(self, change) -> bool:
        """Whether a fact the map derives (a distance and bearing) is about a feature the change
        moved, added or removed: its value, kept live, is shown again."""
        derived = [f for f in self.doc.scenario.facts if f.derive]
        if not derived or not (change.added or change.removed):
            return False
        ids = {f.id for f in change.added or []} | set(change.removed or [])
        return any(str(v) in ids for f in derived for k, v in f.derive.items() if k != "op")

    def features_changed(self, added: list | None = None, removed: list[str] | None = None,
                         recover: bool = True) -> None:
        """Redraw what a change touched and refresh the panels."""
        from viewer.render import layers as layer_mod
        from viewer.render.drawn_set import DrawnSet

        drawn = self.map_view.drawn = DrawnSet.of(self.map_view.drawn)  # kept up to date, not rebuilt
        touched = set()  # kinds the range panel lists
        for fid in removed or []:
            d = drawn.remove(fid)
            touched.add(d.kind if d is not None else "")
        # A change's features go to the page a few thousand a call (an import of 100,000 was as
        # many calls: 8 s of the window's time, and the page's)
        for part in _parts(list(removed or [])):
            self.map_view.call("removeFeatures", part)
        new = [f.id for f in added or [] if drawn.get(f.id) is None]
        pages: list[dict] = []
        labels: dict[str, str] = {}  # each group's label, worked out once
        for f in added or []:
            d = layer_mod.draw_feature(f)
            drawn.put(d)
            touched.add(f.kind)
            if d.group not in labels:
                labels[d.group] = layer_mod.group_labels(self.doc.scenario, [d.group])[d.group]
            pages.append(d.to_page())
        parts = _parts(pages)
        for k, part in enumerate(parts):
            self.map_view.call("addFeatures", part, labels, k < len(parts) - 1)
        for group, label in labels.items():  # (a layer new to the page takes its name; one it has keeps its own)
            self._page_labels.setdefault(group, label)
        if new and [f.id for f in self.doc.features[-len(new):]] != new:  # put back mid-map (an undone delete)
            drawn.reorder(f.id for f in self.doc.features)
        legend = drawn.legend()
        if legend != self.map_view.legend_shown:  # most changes leave the legend as it is
            self.map_view.legend_shown = legend
            self.map_view.call("setLegend", legend)
        rings = "range_ring" in {f.kind for f in added or []} or bool(touched & {"range_ring", "place", ""} and removed)
        places = any(f.kind == "place" and f.geometry.get("type") == "Point" for f in added or [])  # (new, renamed or moved)
        if rings or places:
            # the places in range are looked for again when a ring may have changed; the From and
            # To boxes list the map's places again whenever one came, changed or went
            self.range_panel.set_scenario_soon(self.doc.scenario, rings=rings)
        shown = self.properties.feature
        if shown is not None:
            self.properties.show_feature(self.doc.feature(shown.id))
        self.editor.selection.prune(lambda fid: self.doc.feature(fid) is not None)
        self._show_handles()
        layers = self.current_layers()
        if [x["id"] for x in layers] != [x["id"] for x in self.layers_panel.layers()]:
            self.layers_panel.set_layers(layers)
        if {x["id"] for x in layers} != set(self._group_actions):  # (a layer came or went: View > Layers too)
            self._rebuild_layer_actions(self.map_view.drawn)
            self._show_layers(layers)
        if recover:
            self.write_recovery()

    def focus_feature(self, feature_id: str) -> None:
        self.map_view.call("focusFeature", feature_id)

    def _feature_clicked(self, feature_id: str) -> None:
        f = self.doc.feature(feature_id) if self._has_map else None
        if f is None:
            return
        if self.facts_editor.feature_picked(feature_id):
            return  # the fact dialog asked which feature its fact is about
        self.editor.selection.select(feature_id)
        self.map_view.call("setMultiSelection", [])
        self._show_handles()
        self.properties.coord_format = self.coord_format
        self.properties.show_feature(f)
        ids = self.facts.select_feature(feature_id)
        self.statusBar().showMessage(f"{f.name}: {len(ids)} fact(s)", 5000)

    # ------------------------------------------------------------------ new maps (viewer/ui/map_actions.py)
    def new_map(self) -> bool:
        return self.map_actions.new_map()

    def new_launch_event(self):
        return self.map_actions.new_launch_event()

    def map_properties_dialog(self):
        return self.map_actions.map_properties_dialog()

    def what_is_here(self, lat: float, lng: float) -> list:
        return self.map_actions.what_is_here(lat, lng)

    def _pointer_moved(self, lat: float, lng: float) -> None:
        self.pointer_label.setText(format_latlon(lat, lng, self.coord_format))

    def _set_coord_format(self, action: QAction) -> None:
        self.coord_format = str(action.data())
        self.settings.setValue("coords/format", self.coord_format)

    # ------------------------------------------------------------------ exports (viewer/ui/exports.py)
    def export_exchange(self, path: Path) -> bool:
        return self.exports.write_data(path)

    def show_about(self) -> None:
        from viewer.ui.about import about_text

        box = QMessageBox(self)
        box.setWindowTitle("About SitMap")
        box.setIconPixmap(app_icon().pixmap(64, 64))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"SitMap {__version__}")
        box.setInformativeText(about_text())
        box.setObjectName("aboutBox")
        box.open()
        self._about_box = box


PAGE_PART = 2000  # features a call to the page


def _parts(items: list, size: int = PAGE_PART) -> list[list]:
    """``items`` in runs of ``size`` (none for none)."""
    return [items[i:i + size] for i in range(0, len(items), size)]
