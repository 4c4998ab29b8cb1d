"""Qt glue for the drawing tools: the page's clicks, pointer and keys go to the Qt-free
:class:`~viewer.logic.tools.ToolMachine`; its sketches go back to the page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from viewer.logic.tools import TOOLS, ToolMachine, describe  # noqa: F401 (TOOLS, describe: the window's)

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


class DrawController(QObject):
    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window = window
        self.machine = ToolMachine(self, window.editor)
        bridge = window.map_view.bridge
        bridge.clickedAt.connect(self.machine.click)
        bridge.doubleClickedAt.connect(self.machine.double_click)
        bridge.pointerAt.connect(self.machine.move)
        bridge.keyInPage.connect(self.machine.key)

    # the machine's state, as the window and tests read it
    @property
    def tool(self) -> str | None:
        return self.machine.tool

    @property
    def points(self) -> list:
        return self.machine.points

    @property
    def last_measure(self) -> str:
        return self.machine.last_measure

    def set_tool(self, tool: str | None) -> None:
        self.machine.set_tool(tool)

    def cancel(self) -> None:
        self.machine.cancel()

    def key(self, key: str) -> None:
        self.machine.key(key)

    def finish(self) -> None:
        self.machine.finish()

    # ToolView
    def show_sketch(self, points, text: str, closed: bool) -> None:
        self.window.map_view.call("draw.setSketch", [list(p) for p in points] if points else None, text or None, closed)
        keep = self.window.act_keep_measure  # Keep as Line (made with the tool actions: viewer/ui/window_menus.py)
        keep.setEnabled(self.machine.tool == "measure" and len(self.machine.kept or self.machine.points) >= 2)

    def show_legs(self, legs) -> None:
        self.window.map_view.call("draw.setLegs", [list(x) for x in legs])

    def show_status(self, text: str) -> None:
        self.window.statusBar().showMessage(text)

    def clear_selection(self) -> bool:
        w = self.window
        if not w.editor.selection.chosen():
            return False
        w.editor.selection.clear()
        w.map_view.call("select", None, False)
        w.map_view.call("setMultiSelection", [])
        w.map_view.call("draw.clearHandles")
        w.properties.show_feature(None)
        w.statusBar().showMessage("Selection cleared", 3000)
        return True

    def tool_changed(self, tool: str | None, hint: str) -> None:
        self.window.map_view.run_js(f"SitMap.draw && SitMap.draw.setTool({'null' if not tool else repr(tool)})")
        self.window.tool_changed(tool, hint)
