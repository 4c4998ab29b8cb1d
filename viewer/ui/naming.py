"""A name asked for when a feature is drawn: the drawing tools' editor gives every new marker,
line, area and ring a sensible numbered name ("Marker 3", "500 km range ring") and then offers
it in a small dialog, selected, so typing replaces it and Enter keeps it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QLineEdit

from viewer.logic.naming import default_name, km_text

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


class NamingEditor:
    """Stands in for the window's editor in the drawing tools (and Add Marker Here)."""

    def __init__(self, window: "MainWindow"):
        self.window = window
        self.editor = window.editor
        self.dialog: QInputDialog | None = None
        self.ask = True

    def __getattr__(self, name):
        return getattr(self.editor, name)

    def _taken(self) -> set[str]:
        return {f.name for f in self.window.doc.features}

    def _add(self, kind: str, geometry: dict, props: dict, text: str) -> str | None:
        props = dict(props)
        props["name"] = default_name(kind, props, self._taken())
        fid = self.editor.add_annotation(kind, geometry, props, text=f"{text} {props['name']}", named_later=True)
        if fid is not None:
            self.ask_name(fid)
        return fid

    def add_marker(self, lat: float, lon: float) -> str | None:
        return self._add("place", {"type": "Point", "coordinates": [lon, lat]}, {"role": "marker"}, "Add")

    def add_line(self, points) -> str | None:
        from viewer.model.coords import to_positions

        return self._add("path", {"type": "LineString", "coordinates": to_positions(points)}, {}, "Add")

    def add_area(self, points) -> list[str]:
        ids = self.editor.add_area(points, named_later=True)
        if len(ids) == 1:
            name = default_name("area", {}, {f.name for f in self.window.doc.features if f.id != ids[0]})
            if name != "Area":
                self._name(ids[0], name)
            self.ask_name(ids[0])
        return ids

    def add_ring_at(self, lat: float, lon: float, radius_m: float) -> str | None:
        props = {"radius_m": float(radius_m), "label": km_text(radius_m), "status": "estimated", "source": "Analyst"}
        return self._add("range_ring", {"type": "Point", "coordinates": [lon, lat]}, props, "Add")

    def _name(self, fid: str, name: str) -> bool:
        """Rename a feature just drawn, in the same undo step as its adding (viewer/ui/editing.py)."""
        from viewer.logic.naming import renamed

        f = self.window.doc.feature(fid)
        name = (name or "").strip()[:500]
        if f is None or not name or name == f.name:
            return False
        return self.editor.name_new(renamed(f, name), f"Name {f.name} {name}")

    def ask_name(self, fid: str) -> None:
        """Offer the new feature's name for editing (not blocking: drawing can go on)."""
        if not self.ask:
            return
        f = self.window.doc.feature(fid)
        if f is None:
            return
        if self.dialog is not None:
            self.dialog.close()
        dlg = QInputDialog(self.window)
        dlg.setObjectName("nameNewFeature")
        dlg.setWindowTitle("Name")
        dlg.setLabelText("Name of the new feature:")
        dlg.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dlg.setTextValue(f.name)

        def done() -> None:
            self._name(fid, dlg.textValue())

        dlg.accepted.connect(done)
        dlg.open()
        line = dlg.findChild(QLineEdit)
        if line is not None:
            line.selectAll()
        self.dialog = dlg
