"""The main window's menus and toolbar: File, Edit, Tools, View and Help with their shortcuts,
the find-place and go-to boxes, and the drawing tools' actions. Built once, for a
:class:`~viewer.ui.main_window.MainWindow` (``self`` below), whose methods the actions call.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QCompleter, QLineEdit, QMenu, QToolBar, QToolButton

__all__ = ["build_menu_bar", "build_menus", "build_toolbar", "build_tool_actions", "entry_box"]


MENUS = ("&File", "&Edit", "&Tools", "&View", "&Help")


def build_menu_bar(self) -> None:
    """The menu bar's menus, empty until :func:`build_menus` (a staged window's frame has them)."""
    mb = self.menuBar()
    self.top_menus = {title: mb.addMenu(title) for title in MENUS}


def build_menus(self) -> None:
    """File, Edit, Tools, View and Help, with their shortcuts (into the menu bar's menus)."""
    file_menu, edit_menu, tools_menu, view_menu, help_menu = (self.top_menus[title] for title in MENUS)
    self.act_new = file_menu.addAction("&New Map", self.new_map)
    self.act_new.setShortcut(QKeySequence.StandardKey.New)
    self.act_new_launch = file_menu.addAction("New &Launch Event\u2026", self.new_launch_event)
    self.act_new_launch.setShortcut(QKeySequence("Ctrl+Shift+N"))
    self.act_map_properties = file_menu.addAction("Map &Properties\u2026", self.map_properties_dialog)
    self.act_map_properties.setShortcut(QKeySequence("Ctrl+Shift+P"))
    file_menu.addSeparator()
    self.act_new_from_article = file_menu.addAction("New from &Article\u2026", lambda: _draft_dialog(self))
    self.act_open = file_menu.addAction("&Open\u2026", self.open_dialog)
    self.act_open.setShortcut(QKeySequence.StandardKey.Open)
    self.recent_menu = QMenu("Open &Recent", self)
    file_menu.addMenu(self.recent_menu)
    self.act_save = file_menu.addAction("&Save", self.save)
    self.act_save.setShortcut(QKeySequence("Ctrl+S"))
    self.act_save_as = file_menu.addAction("Save &As\u2026", self.save_as)
    self.act_save_as.setShortcut(QKeySequence("Ctrl+Shift+S"))
    file_menu.addSeparator()
    self.act_export = file_menu.addAction("&Export\u2026", lambda: _export_dialog(self))
    self.act_export.setShortcut(QKeySequence("Ctrl+E"))
    self.act_export_png = file_menu.addAction("Export Map &Image\u2026", self.exports.map_image_dialog)
    self.act_export_png.setShortcut(QKeySequence("Ctrl+Shift+E"))
    self.act_export_geojson = file_menu.addAction("Export &GeoJSON\u2026", lambda: self.exports.data_dialog(".geojson"))
    self.act_export_kml = file_menu.addAction("Export &KML / KMZ / CSV\u2026", lambda: self.exports.data_dialog(".kml"))
    self.act_export_gpkg = file_menu.addAction("Export GeoPa&ckage (QGIS)\u2026", lambda: self.exports.data_dialog(".gpkg"))
    self.act_import = file_menu.addAction("&Import Annotations\u2026", self.files.import_dialog)
    self.act_import.setShortcut(QKeySequence("Ctrl+I"))
    file_menu.addSeparator()
    self.act_quit = file_menu.addAction("&Quit", self.close)
    self.act_quit.setShortcut(QKeySequence("Ctrl+Q"))

    self.act_undo = self.undo_stack.createUndoAction(self, "&Undo")
    self.act_undo.setShortcuts([QKeySequence("Ctrl+Z")])
    self.act_redo = self.undo_stack.createRedoAction(self, "&Redo")
    self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    edit_menu.addAction(self.act_undo)
    edit_menu.addAction(self.act_redo)
    edit_menu.addSeparator()
    self.act_delete = edit_menu.addAction("&Delete Selected", self.delete_key)
    self.act_delete.setShortcut(QKeySequence.StandardKey.Delete)
    edit_menu.addSeparator()
    self.act_add_fact = edit_menu.addAction("Add &Fact\u2026", lambda: self.facts_editor.add_fact(
        feature=self.selected_feature))
    self.act_add_fact.setShortcut(QKeySequence("Ctrl+Shift+F"))
    self.act_sources = edit_menu.addAction("&Sources of This Map\u2026", lambda: self.facts_editor.edit_sources())

    self.tools_menu = tools_menu
    self.act_add_ring = tools_menu.addAction("Add Range &Ring\u2026", self.add_ring_dialog)
    self.act_add_ring.setShortcut(QKeySequence("Ctrl+R"))
    self.act_find = tools_menu.addAction("&Find Place", lambda: (self.find_box.setFocus(), self.find_box.selectAll()))
    self.act_find.setShortcut(QKeySequence.StandardKey.Find)
    tools_menu.addSeparator()  # the drawing tools (build_tool_actions)
    tools_menu.addActions([*self.tool_actions.values(), self.act_end_tool, self.act_keep_measure])

    self.layers_menu = view_menu.addMenu("&Layers")
    from viewer.ui import (
        basemap_menu,  # View > Basemap: built-in, tile packages, online layers
    )

    self.basemap_menu = basemap_menu.install(self, view_menu, self.basemap_messages)
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

    help_menu.addAction("&About SitMap", self.show_about)

def build_toolbar(self) -> None:
    """The find-place and go-to boxes (the drawing tools follow in build_tool_actions)."""
    tb = QToolBar("Main", self)
    tb.setObjectName("mainToolbar")
    tb.setMovable(False)
    self.addToolBar(tb)
    self.find_box = entry_box(self, tb, "findPlace", "Find place (offline)\u2026", 280, self.find_place)
    self.find_box.textEdited.connect(self._complete_place)
    self._completer = QCompleter([], self)
    self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    self._completer.setFilterMode(Qt.MatchFlag.MatchContains)
    self._completer.activated.connect(self.find_place)
    self.find_box.setCompleter(self._completer)
    self.goto_box = entry_box(self, tb, "gotoCoordinate", "Go to coordinate (DD, DMS, MGRS)\u2026", 260, self.go_to)

def entry_box(self, tb: QToolBar, name: str, placeholder: str, width: int, on_enter) -> QLineEdit:
    """A toolbar text box that hands its text to on_enter when Enter is pressed."""
    box = QLineEdit(self)
    box.setObjectName(name)
    box.setPlaceholderText(placeholder)
    box.setClearButtonEnabled(True)
    box.setMaximumWidth(width)
    box.returnPressed.connect(lambda: on_enter(box.text()))
    tb.addWidget(box)
    return box

def build_tool_actions(self) -> None:
    """One checkable action per drawing tool, in the toolbar (and the Tools menu, build_menus), End
    Tool, and Keep Measurement as Line."""
    from viewer.logic.tool_kinds import TOOLS

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
        tb.addAction(act)
        self.tool_actions[key] = act
    self.act_end_tool = QAction("End Tool", self)
    self.act_end_tool.triggered.connect(lambda: self.draw.cancel())
    self.act_end_tool.setShortcut(QKeySequence("Esc"))
    # Measure: "Keep as Line" turns the measured path into a line annotation (in the status bar
    # too, while there is one to keep).
    self.act_keep_measure = QAction("Keep Measurement as &Line", self)
    self.act_keep_measure.triggered.connect(lambda: self.draw.machine.keep_as_line())
    self.act_keep_measure.setShortcut(QKeySequence("Ctrl+K"))
    self.act_keep_measure.setEnabled(False)
    keep = QToolButton(self)
    keep.setObjectName("keepMeasureButton")
    keep.setDefaultAction(self.act_keep_measure)
    keep.setText("Keep as Line")
    keep.setAutoRaise(True)
    self.statusBar().addPermanentWidget(keep)
    self.act_keep_measure.enabledChanged.connect(keep.setVisible)
    keep.setVisible(False)


# The dialogs' modules (the article drafter's patterns, the export composer) are imported when
# first used, not while the window is built: start-up does not wait on them.
def _draft_dialog(window) -> None:
    from viewer.ui.draft_dialog import open_draft_dialog

    open_draft_dialog(window)


def _export_dialog(window) -> None:
    from viewer.ui.export_dialog import open_export_dialog

    open_export_dialog(window)
