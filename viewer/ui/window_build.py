"""How the main window is built: its frame at once (viewer.ui.main_window), the rest in steps,
each one of them now for a window built at once, or, for a staged window (the start-up's), once
its first map is up, with the event loop's turn between them. What needs the whole window before it
is built waits in :meth:`WindowBuilding.when_built`."""

from __future__ import annotations

from collections import deque
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QLabel

from viewer import resources

HISTORY_AT_LATEST_MS = 10_000  # a start-up's History tab, if the first map is not up by then
BUILT_AT_LATEST_MS = 5_000  # a staged window is whole by then, whether its first map is up or not
KEY_SIDE_MINIMUM = "window/sideMinimum"  # the side tabs' least width (px), for a staged window's frame


def app_icon() -> QIcon:
    return QIcon(str(resources.path("icons", "sitmap.svg")))


class WindowBuilding:
    """The main window's steps after its frame (a mixin of MainWindow, whose parts they make)."""

    def _build_rest(self, staged: bool, history_later: bool) -> None:
        # (each step at most a few tens of milliseconds: the map's frames wait for the window's
        # thread, so a step of 70-90 ms held a pan or zoom just after the map appeared as long)
        self._steps = deque([self._add_document, self._add_facts, self._add_panels, self._add_menus, self._add_tools,
                             lambda: self._add_history(history_later), self._add_drops, self._add_desktop,
                             self._history_for_first_map, self._built_now])
        self._waiting: list | None = []
        if staged:
            self.map_view.mapReady.connect(self._first_map_up)
            QTimer.singleShot(BUILT_AT_LATEST_MS, self.finish_building)  # (a first map that never comes)
        else:
            self.finish_building()

    def _add_document(self) -> None:
        """The map's document, its undo stack, recovery and the parts that act on it; the basemap
        chosen (before any page of the window's own is built)."""
        from viewer.model.document import Document
        from viewer.model.project import Recovery, RecoveryClaim
        from viewer.ui.editing import Editor, make_stack
        from viewer.ui.qt_app import keep_indexes

        keep_indexes()  # (before the first map the window draws)
        data_dir = self._data_dir
        if data_dir is None:
            from PySide6.QtCore import QStandardPaths

            data_dir = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
        self.recovery_claim = RecoveryClaim(Path(data_dir))  # (a folder of its own while it runs)
        self.recovery = Recovery(self.recovery_claim.folder)
        self.undo_stack = make_stack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.doc = Document()
        self.editor = Editor(self.doc, self.undo_stack, self.statusBar().showMessage, self.editable, self._ask_text)
        self.doc.events.connect(self._document_changed)
        from viewer.ui.files import MapFiles

        self.files = MapFiles(self)
        from viewer.ui.facts_editing import FactsEditor

        self.facts_editor = FactsEditor(self)
        from viewer.ui.map_actions import MapActions

        self.map_actions = MapActions(self)
        from viewer.ui.exports import ExportActions

        self.exports = ExportActions(self)
        self.locked_groups: set[str] = set()
        self._page_labels: dict[str, str] = {}  # each layer's name in the page's layer control (WindowLayers)
        from viewer.ui import basemap_menu

        self.basemap_messages = basemap_menu.restore_choice(self.settings)  # (said by View > Basemap)
        self.setWindowIcon(app_icon())

    def need_document(self) -> None:
        """The document and what acts on it, now (a staged window's map set before it is whole)."""
        while self._add_document in self._steps:
            self._steps.popleft()()

    def _add_menus(self) -> None:
        self._build_menus()
        self.act_facts.setChecked(not self.side.isHidden())  # (View > Facts Panel says what the layout shows)
        self.files.refresh_recent()

    def _add_facts(self) -> None:
        from viewer.ui.facts_panel import FactsPanel
        from viewer.ui.profile_widget import ProfileWidget

        self.facts = FactsPanel(self)
        self.profile = ProfileWidget(self.facts)
        self.facts.layout().insertWidget(3, self.profile)
        self.side.addTab(self.facts, "Facts")

    def _add_panels(self) -> None:
        from viewer.ui.range_panel import RangePanel

        self.range_panel = RangePanel(self)
        self.side.addTab(self.range_panel, "In range")
        from viewer.ui.properties_panel import PropertiesPanel

        self.properties = PropertiesPanel(self)
        self.side.addTab(self.properties, "Properties")
        self.properties.edited.connect(self._feature_edited)
        self.properties.locked = self._locked
        from viewer.ui.layers_panel import LayersPanel

        self.layers_panel = LayersPanel(self)
        self.side.addTab(self.layers_panel, "Layers")
        self.layers_panel.changed.connect(self._layers_edited)
        self._text_never_widens()
        self.side.setMinimumWidth(0)  # (its panels' own from now)
        self.settings.setValue(KEY_SIDE_MINIMUM, self.side.minimumSizeHint().width())

    def _add_tools(self) -> None:
        self._wire()
        from viewer.ui.tools import DrawController

        self.draw = DrawController(self)

    def _add_history(self, later: bool) -> None:
        if later:
            QTimer.singleShot(HISTORY_AT_LATEST_MS, self.install_history)  # (no map set by then)
            import viewer.ui.history_window  # noqa: F401 - its modules in this step, the tab in a step of its own
        else:
            self.install_history()

    def _add_drops(self) -> None:
        from viewer.ui.opening import FileDrops

        self.file_drops = FileDrops(self)  # files dropped on the window or the map: open or import (asks)
        from viewer.ui.empty_map import EmptyMapPanel

        self.empty_map = EmptyMapPanel(self)  # an empty map: Open Recent, Open, New from Article, the example

    def _add_desktop(self) -> None:
        from viewer.ui import desktop_feel

        desktop_feel.install(self)  # right-click menus, legend, labels, measure, Esc, help

    def _history_for_first_map(self) -> None:
        """A staged window whose first map is set, its panels to fill once the window is whole: the
        History tab now, a step of its own (else the first thing filling them adds it)."""
        if self._has_map and self._waiting and self.history_panel is None:
            self.install_history(scenario_follows=True)  # (the map is announced as the panels are filled)

    def _built_now(self) -> None:
        """The window is whole: what waited for it, now."""
        waiting, self._waiting = self._waiting, None
        for later in waiting:
            later()
        self.built.emit()

    def _first_map_up(self, _state=None) -> None:
        self.map_view.mapReady.disconnect(self._first_map_up)
        QTimer.singleShot(0, self._next_step)  # (after the map's other listeners)

    def _next_step(self) -> None:
        """One step of the rest, then the event loop's turn (the map's frame goes to the screen
        meanwhile), then the next."""
        if self._steps:
            self._steps.popleft()()
        if self._steps:
            QTimer.singleShot(0, self._next_step)

    def finish_building(self) -> None:
        """The rest of the window, now (all of it at once for a window that is not staged)."""
        while self._steps:
            self._steps.popleft()()

    @property
    def is_built(self) -> bool:
        return self._waiting is None

    def when_built(self, then) -> None:
        """``then()`` now if the window is whole, else once it is (a staged window's start-up)."""
        if self._waiting is None:
            then()
        else:
            self._waiting.append(then)

    def _text_never_widens(self) -> None:
        """No text in the side panel makes it, and so the window, wider, nor the map narrower: a
        word-wrapped label asks for the width of its longest word (a link or a file-like name with
        no space in it), and is given the panel's width instead, the rest of such a word cut at
        its edge. (The facts panel's own labels wrap such words: viewer.ui.facts_panel.)"""
        from viewer.ui.facts_panel import NARROWEST

        for label in self.side.findChildren(QLabel):
            if label.wordWrap() and label.minimumWidth() == 0:
                label.setMinimumWidth(NARROWEST)
