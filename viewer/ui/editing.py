"""Edits from the window: each is a model command (:mod:`viewer.model.edits`), checked by the
document before it enters Qt's undo stack, so nothing the file reader would refuse is stored.
A refused edit leaves the map as it was and says why in the status bar."""

from __future__ import annotations

from typing import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from viewer.logic import ids as id_logic
from viewer.logic import vertices
from viewer.logic.areas import repaired_areas
from viewer.logic.selection import Selection
from viewer.model import edits
from viewer.model.coords import to_positions
from viewer.model.document import Document
from viewer.model.rules import ScenarioError
from viewer.model.scenario import Feature


class DocumentCommand(QUndoCommand):
    """A checked model command on Qt's undo stack."""

    def __init__(self, document: Document, command: edits.Command):
        super().__init__(command.text)
        self.document = document
        self.command = command

    def redo(self) -> None:
        self.document.apply(self.command)

    def undo(self) -> None:
        self.document.revert(self.command)


def make_stack(parent) -> QUndoStack:
    stack = QUndoStack(parent)
    stack.setUndoLimit(1000)
    return stack


class Editor:
    """Everything the tools, panels and menus change on the map goes through here."""

    def __init__(self, document: Document, stack: QUndoStack, status: Callable[[str, int], None],
                 editable: Callable[[str | None], bool], ask_text: Callable[[str, str], str | None]):
        self.document = document
        self.stack = stack
        self.status = status
        self.editable = editable
        self.ask_text = ask_text
        self.selection = Selection()
        self.refused = ""  # why the last edit was refused, for the window and tests

    def apply(self, command: edits.Command) -> bool:
        try:
            self.document.check(command)
        except ScenarioError as e:
            self.refused = str(e)
            self.status(f"Not applied: {e}", 8000)
            return False
        self.refused = ""
        self.stack.push(DocumentCommand(self.document, command))
        return True

    # ------------------------------------------------------------------ adding
    def add_annotation(self, kind: str, geometry: dict, props: dict, text: str = "") -> str | None:
        fid = self.document.new_id(id_logic.prefix_for(kind, props))
        full = {"kind": kind, "status": "estimated", "source": "Analyst", "annotation": True}
        full.update(props)
        feature = Feature(fid, kind, geometry, full)
        if not self.apply(edits.AddFeatures([feature], text or f"Add {full.get('name', kind)}")):
            return None
        self.status(f"Added {full.get('name', fid)}", 4000)
        return fid

    def add_ring(self, lat: float, lon: float, radius_m: float, name: str, label: str = "", status: str = "estimated",
                 source: str = "Analyst", centre_feature: str | None = None) -> str | None:
        props = {"radius_m": float(radius_m), "name": name, "label": label, "status": status, "source": source}
        if centre_feature:
            props["centre_feature"] = centre_feature
        return self.add_annotation("range_ring", {"type": "Point", "coordinates": [lon, lat]}, props, text=f"Add {name}")

    # ToolEditor: what the drawing tools make
    def add_marker(self, lat: float, lon: float) -> str | None:
        return self.add_annotation("place", {"type": "Point", "coordinates": [lon, lat]},
                                   {"role": "marker", "name": "Marker"})

    def add_label(self, lat: float, lon: float) -> str | None:
        text = self.ask_text("Text Label", "Text:")
        if not text or not text.strip():
            return None
        return self.add_annotation("place", {"type": "Point", "coordinates": [lon, lat]},
                                   {"role": "label", "name": text.strip()[:500]}, text="Add label")

    def add_line(self, points: list[tuple[float, float]]) -> str | None:
        return self.add_annotation("path", {"type": "LineString", "coordinates": to_positions(points)},
                                   {"name": "Line"})

    def add_area(self, points: list[tuple[float, float]]) -> list[str]:
        """An area; one that crosses itself is kept as the simple areas it encloses (one undo step)."""
        pieces = repaired_areas(to_positions(points))
        if not pieces:
            self.status("An area needs corners that enclose something; nothing added.", 6000)
            return []
        taken = set(f.id for f in self.document.features)
        features = []
        for ring in pieces:
            fid = id_logic.new_id("area", taken)
            taken.add(fid)
            props = {"kind": "area", "status": "estimated", "source": "Analyst", "annotation": True, "name": "Area"}
            features.append(Feature(fid, "area", {"type": "Polygon", "coordinates": [ring]}, props))
        if not self.apply(edits.AddFeatures(features, "Add Area")):
            return []
        if len(features) > 1:
            self.status(f"The outline crossed itself: kept as {len(features)} areas.", 8000)
        else:
            self.status("Added Area", 4000)
        return [f.id for f in features]

    def add_ring_at(self, lat: float, lon: float, radius_m: float) -> str | None:
        km = radius_m / 1000
        return self.add_ring(lat, lon, radius_m, name=f"{km:,.1f} km ring",
                             label=f"{km:,.0f} km" if radius_m >= 10_000 else f"{km:,.2f} km")

    # ------------------------------------------------------------------ changing
    def replace(self, after: Feature, text: str) -> bool:
        return self.apply(edits.ReplaceFeatures([after], text))

    def move_vertex(self, fid: str, index: int, lat: float, lng: float) -> bool:
        f = self.document.feature(fid)
        if f is None or not self.editable(fid):
            return False
        after = vertices.moved(f, index, lat, lng)
        if after is None:
            return False
        return self.apply(edits.ReplaceFeatures([after], f"Move {f.name}"))

    def delete_selected(self) -> bool:
        chosen = [fid for fid in self.selection.chosen() if self.document.feature(fid) is not None]
        deletable = [fid for fid in chosen if self.editable(fid)]
        if len(deletable) < len(chosen):
            self.status("Scenario features (with their facts) and locked layers are not deleted.", 6000)
        if not deletable:
            return False
        names = ", ".join(self.document.feature(fid).name for fid in deletable[:3])
        ok = self.apply(edits.RemoveFeatures(deletable, f"Delete {names}" + ("\u2026" if len(deletable) > 3 else "")))
        if ok:
            self.selection.clear()
        return ok

    def import_features(self, features: list[Feature], source_name: str) -> int:
        renamed = id_logic.renamed_for_import(features, (f.id for f in self.document.features))
        if renamed and not self.apply(edits.AddFeatures(renamed, f"Import {source_name}")):
            return 0
        return len(renamed)

    def set_layers(self, layers: list[dict]) -> bool:
        return self.apply(edits.set_layers(layers))
