"""The analyst's drawing tools. The page reports clicks, the pointer and keys; this
controller owns the tool state and turns finished sketches into annotations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from viewer.model.coords import normalise_lon
from viewer.model.geodesy import distance_bearing, format_distance

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow

TOOLS = {
    "marker": ("Marker", "M", "Click the map to place a marker."),
    "line": ("Line", "L", "Click to add points; double-click or Enter to finish; Esc cancels."),
    "area": ("Area", "A", "Click to add corners; double-click or Enter to finish; Esc cancels."),
    "label": ("Text Label", "T", "Click where the text goes."),
    "ring": ("Range Ring", "G", "Press at the centre and drag to the radius, or click the centre then click at the "
                                "radius (Tools > Add Range Ring types it)."),
    "measure": ("Measure", "D", "Click the start, move for live distance and bearing; click again to start over; Esc ends."),
}


def describe(a: tuple[float, float], b: tuple[float, float]) -> str:
    d, az, _ = distance_bearing(a[0], a[1], b[0], normalise_lon(b[1]))
    u = format_distance(d)
    nd = 2 if d < 10_000 else 1
    return f"{u['km']:,.{nd}f} km | {u['nmi']:,.{nd}f} nmi | {u['mi']:,.{nd}f} mi, bearing {az:05.1f}\u00b0"


class DrawController(QObject):
    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window = window
        self.tool: str | None = None
        self.points: list[tuple[float, float]] = []
        self.last_measure = ""
        bridge = window.map_view.bridge
        bridge.clickedAt.connect(self.click)
        bridge.doubleClickedAt.connect(self.double_click)
        bridge.pointerAt.connect(self.move)
        bridge.keyInPage.connect(self.key)

    def set_tool(self, tool: str | None) -> None:
        self.tool = tool if tool in TOOLS else None
        self.points = []
        self.window.map_view.run_js(f"SitMap.draw && SitMap.draw.setTool({'null' if not self.tool else repr(self.tool)})")
        self.window.tool_changed(self.tool, TOOLS[self.tool][2] if self.tool else "")

    def cancel(self) -> None:
        self.set_tool(None)

    def _sketch(self, pts, text: str = "", closed: bool = False) -> None:
        self.window.map_view.call("draw.setSketch", [list(p) for p in pts] if pts else None, text or None, closed)

    def click(self, lat: float, lng: float) -> None:
        p = (lat, lng)
        if self.tool == "marker":
            self.window.add_annotation("place", {"type": "Point", "coordinates": [normalise_lon(lng), lat]},
                                       {"role": "marker", "name": "Marker"})
        elif self.tool == "label":
            self.window.add_text_label(lat, normalise_lon(lng))
        elif self.tool in ("line", "area"):
            self.points.append(p)
            self._sketch(self.points, "", closed=self.tool == "area" and len(self.points) > 2)
        elif self.tool == "ring":
            if not self.points:
                self.points = [p]
            else:
                centre = self.points[0]
                d, _, _ = distance_bearing(centre[0], normalise_lon(centre[1]), lat, normalise_lon(lng))
                if d > 0:
                    self.window.add_ring(centre[0], normalise_lon(centre[1]), d, name=f"{d / 1000:,.1f} km ring",
                                         label=f"{d / 1000:,.0f} km" if d >= 10_000 else f"{d / 1000:,.2f} km")
                self.points = []
                self._sketch(None)
        elif self.tool == "measure":
            self.points = [p]
            self._sketch(None)

    def move(self, lat: float, lng: float) -> None:
        if not self.points or self.tool not in ("ring", "measure", "line", "area"):
            return
        p = (lat, lng)
        if self.tool in ("ring", "measure"):
            text = describe(self.points[0], p)
            if self.tool == "measure":
                self.last_measure = text
            self._sketch([self.points[0], p], text)
            self.window.statusBar().showMessage(text)
        else:
            self._sketch(self.points + [p], describe(self.points[-1], p), closed=self.tool == "area")

    def double_click(self, lat: float, lng: float) -> None:
        if self.tool in ("line", "area"):
            self.finish()

    def finish(self) -> None:
        pts = self.points
        # a double-click also sends its two clicks: drop the repeated last point
        while len(pts) > 1 and pts[-1] == pts[-2]:
            pts = pts[:-1]
        if self.tool == "line" and len(pts) >= 2:
            self.window.add_annotation("path", {"type": "LineString", "coordinates": [[normalise_lon(b), a] for a, b in pts]},
                                       {"name": "Line"})
        elif self.tool == "area" and len(pts) >= 3:
            ring = [[normalise_lon(b), a] for a, b in pts]
            ring.append(ring[0])
            self.window.add_annotation("area", {"type": "Polygon", "coordinates": [ring]}, {"name": "Area"})
        self.points = []
        self._sketch(None)

    def key(self, key: str) -> None:
        if key == "Escape":
            if self.points:
                self.points = []
                self._sketch(None)
            else:
                self.cancel()
        elif key == "Enter":
            self.finish()
        elif key in ("Delete", "Backspace") and not self.tool:
            self.window.delete_selected()
