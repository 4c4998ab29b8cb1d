"""The drawing tools' state machine: clicks, pointer moves and keys in, sketches and finished
annotations out. Qt-free: a view shows sketches and hints, an editor adds what was drawn."""

from __future__ import annotations

from typing import Protocol

from viewer.logic.tool_kinds import TOOLS  # noqa: F401 (the tools' table: in a module of its own, read by the window's tool bar)
from viewer.model.coords import normalise_lon
from viewer.model.geodesy import bearing_text, distance_bearing, format_distance


def describe(a: tuple[float, float], b: tuple[float, float]) -> str:
    d, az, _ = distance_bearing(a[0], normalise_lon(a[1]), b[0], normalise_lon(b[1]))
    u = format_distance(d)
    nd = 2 if d < 10_000 else 1
    return f"{u['km']:,.{nd}f} km | {u['nmi']:,.{nd}f} nmi | {u['mi']:,.{nd}f} mi, bearing {bearing_text(az, 1, 5)}\u00b0"


def leg_length(a: tuple[float, float], b: tuple[float, float]) -> float:
    return distance_bearing(a[0], normalise_lon(a[1]), b[0], normalise_lon(b[1]))[0]


def total_text(metres: float, legs: int) -> str:
    u = format_distance(metres)
    nd = 2 if metres < 10_000 else 1
    return f"Total {u['km']:,.{nd}f} km | {u['nmi']:,.{nd}f} nmi | {u['mi']:,.{nd}f} mi over {legs} legs"


def measure_texts(points: list[tuple[float, float]]) -> tuple[list[str], str]:
    """Each leg's distance and bearing, and the text of the whole path (one leg: that leg's text)."""
    legs = [describe(a, b) for a, b in zip(points, points[1:])]
    if len(legs) <= 1:
        return legs, legs[0] if legs else ""
    total = sum(leg_length(a, b) for a, b in zip(points, points[1:]))
    return legs, f"{total_text(total, len(legs))}; last leg {legs[-1]}"


class ToolView(Protocol):
    def show_sketch(self, points: list[tuple[float, float]] | None, text: str, closed: bool) -> None: ...
    def show_status(self, text: str) -> None: ...
    def tool_changed(self, tool: str | None, hint: str) -> None: ...
    def clear_selection(self) -> bool: ...  # True when something was selected
    def show_legs(self, legs: list[tuple[float, float, str]]) -> None: ...  # (lat, lon, text) per leg


class ToolEditor(Protocol):
    def add_marker(self, lat: float, lon: float) -> object: ...
    def add_label(self, lat: float, lon: float) -> object: ...
    def add_line(self, points: list[tuple[float, float]]) -> object: ...
    def add_area(self, points: list[tuple[float, float]]) -> object: ...
    def add_ring_at(self, lat: float, lon: float, radius_m: float) -> object: ...
    def delete_selected(self) -> object: ...


PICK = "pick"  # one click hands a point to whoever asked (a dialog's "Pick on Map")


class ToolMachine:
    def __init__(self, view: ToolView, editor: ToolEditor):
        self.view = view
        self.editor = editor
        self.tool: str | None = None
        self.points: list[tuple[float, float]] = []
        self.last_measure = ""
        self.kept: list[tuple[float, float]] = []  # a finished measurement, shown until Esc
        self._picked = None
        self._pick_cancelled = None

    def set_tool(self, tool: str | None) -> None:
        cancelled = self._pick_cancelled if self.tool == PICK else None
        self._picked = self._pick_cancelled = None
        self.tool = tool if tool in TOOLS else None
        if self.points or self.kept:
            self.view.show_legs([])
            self._sketch(None)  # (the window's Keep as Line goes with the measurement)
        self.points = []
        self.kept = []
        self.view.tool_changed(self.tool, TOOLS[self.tool][2] if self.tool else "")
        if cancelled is not None:
            cancelled()

    def pick_point(self, picked, cancelled=None, hint: str = "Click the map to pick the point; Esc cancels.") -> None:
        """The next click on the map calls ``picked(lat, lon)``; Esc or another tool calls ``cancelled()``."""
        self.set_tool(None)
        self.tool = PICK
        self.points = []
        self._picked, self._pick_cancelled = picked, cancelled
        self.view.tool_changed(PICK, hint)

    def cancel(self) -> None:
        self.set_tool(None)

    def _sketch(self, pts, text: str = "", closed: bool = False) -> None:
        self.view.show_sketch([tuple(p) for p in pts] if pts else None, text, closed)

    def click(self, lat: float, lng: float) -> None:
        p = (lat, lng)
        if self.tool == PICK:
            picked = self._picked
            self._pick_cancelled = None
            self.set_tool(None)
            if picked is not None:
                picked(lat, normalise_lon(lng))
        elif self.tool == "marker":
            self.editor.add_marker(lat, normalise_lon(lng))
        elif self.tool == "label":
            self.editor.add_label(lat, normalise_lon(lng))
        elif self.tool in ("line", "area"):
            self.points.append(p)
            self._sketch(self.points, "", closed=self.tool == "area" and len(self.points) > 2)
        elif self.tool == "ring":
            if not self.points:
                self.points = [p]
            else:
                centre = self.points[0]
                d, _, _ = distance_bearing(centre[0], normalise_lon(centre[1]), lat, normalise_lon(lng))
                self.points = []
                self._sketch(None)
                if d > 0:
                    self.editor.add_ring_at(centre[0], normalise_lon(centre[1]), d)
        elif self.tool == "measure":
            if self.kept:  # a finished measurement: the next click starts another
                self.kept = []
                self.points = []
            if not self.points or self.points[-1] != p:
                self.points.append(p)
            self._show_measure(self.points)

    def move(self, lat: float, lng: float) -> None:
        if not self.points or self.tool not in ("ring", "measure", "line", "area"):
            return
        p = (lat, lng)
        if self.tool == "measure":
            if not self.kept:
                self._show_measure(self.points + ([p] if p != self.points[-1] else []))
        elif self.tool == "ring":
            text = describe(self.points[0], p)
            self._sketch([self.points[0], p], text)
            self.view.show_status(text)
        else:
            self._sketch(self.points + [p], describe(self.points[-1], p), closed=self.tool == "area")

    def _show_measure(self, pts: list[tuple[float, float]]) -> None:
        legs, text = measure_texts(pts)
        self.last_measure = text
        self._sketch(pts, text.split("; last leg")[0])  # the total at the end; each leg at its middle
        mids = []
        if len(legs) > 1:
            for (a, b), leg in zip(zip(pts, pts[1:]), legs):
                mids.append(((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, leg.split(" | ")[0] + ", " + leg.split(", ")[-1]))
        self.view.show_legs(mids)
        if text:
            self.view.show_status(text)

    def keep_as_line(self) -> object:
        """The measured path (finished or under way) as a line annotation; the measurement ends."""
        pts = self.kept or self.points
        if len(pts) < 2:
            return None
        self.kept, self.points = [], []
        self._sketch(None)
        self.view.show_legs([])
        return self.editor.add_line([(a, normalise_lon(b)) for a, b in pts])

    def double_click(self, lat: float, lng: float) -> None:
        if self.tool in ("line", "area", "measure"):
            self.finish()

    def finish(self) -> None:
        pts = self.points
        if self.tool == "measure":
            while len(pts) > 1 and pts[-1] == pts[-2]:
                pts = pts[:-1]
            self.points = []
            if len(pts) >= 2:
                self.kept = list(pts)
                self._show_measure(self.kept)  # kept on the map until Esc
            else:
                self._sketch(None)
                self.view.show_legs([])
            return
        # a double-click also sends its two clicks: drop the repeated last point
        while len(pts) > 1 and pts[-1] == pts[-2]:
            pts = pts[:-1]
        tool = self.tool
        need = {"line": 2, "area": 3}.get(tool or "")
        if need and 0 < len(pts) < need:  # (kept, to go on with: Esc throws it away)
            self.points = list(pts)
            self.view.show_status(f"{'A line' if tool == 'line' else 'An area'} needs at least {need} points: "
                                  "click more, or Esc to throw it away.")
            return
        self.points = []
        self._sketch(None)
        if tool == "line" and len(pts) >= 2:
            self.editor.add_line([(a, normalise_lon(b)) for a, b in pts])
        elif tool == "area" and len(pts) >= 3:
            self.editor.add_area([(a, normalise_lon(b)) for a, b in pts])

    def escape(self) -> str:
        """One step back per Esc: the sketch (or the measurement), then the selection, then the tool.
        (The page closes its popups before Esc gets here.) Returns what was closed."""
        if self.tool == PICK:  # a dialog waits for its point: Esc gives it back first
            self.cancel()
            return "tool"
        if self.points or self.kept:
            self.points = []
            self.kept = []
            self._sketch(None)
            self.view.show_legs([])
            return "sketch"
        if self.view.clear_selection():
            return "selection"
        if self.tool:
            self.cancel()
            return "tool"
        return ""

    def key(self, key: str) -> None:
        if key == "Escape":
            self.escape()
        elif key == "Enter":
            self.finish()
        elif key in ("Delete", "Backspace") and not self.tool:
            self.editor.delete_selected()
