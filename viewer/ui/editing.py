"""Edits from the window: each is a model command (:mod:`viewer.model.edits`), checked by the
document before it enters Qt's undo stack, so nothing the file reader would refuse is stored.
A refused edit leaves the map as it was and says why in the status bar."""

from __future__ import annotations

from typing import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from viewer.logic import ids as id_logic
from viewer.logic import vertices
from viewer.logic.areas import repaired_areas
from viewer.logic.naming import km_text
from viewer.logic.selection import Selection
from viewer.model import edits
from viewer.model.coords import to_positions
from viewer.model.document import Document
from viewer.model.rules import ScenarioError
from viewer.model.scenario import Feature


NAMING_MERGE_ID = 1616  # a new feature and the name given to it right after are one undo step


class DocumentCommand(QUndoCommand):
    """A checked model command on Qt's undo stack.

    ``naming`` joins a drawn feature and its naming into one step: the command that adds the
    feature carries ``("new", id)``, the rename from the name prompt ``("name", id)``; Qt merges
    the second into the first when nothing came between them."""

    def __init__(self, document: Document, command: edits.Command, naming: tuple[str, str] | None = None):
        super().__init__(command.text)
        self.document = document
        self.command = command
        self.naming = naming
        self.more: list[edits.Command] = []  # commands merged in, applied after ``command``

    def redo(self) -> None:
        self.document.apply(self.command)
        for c in self.more:
            self.document.apply(c)

    def undo(self) -> None:
        for c in reversed(self.more):
            self.document.revert(c)
        self.document.revert(self.command)

    def id(self) -> int:
        return NAMING_MERGE_ID if self.naming else -1

    def mergeWith(self, other) -> bool:
        if not isinstance(other, DocumentCommand) or self.naming is None or other.naming is None:
            return False
        if self.naming[0] != "new" or other.naming != ("name", self.naming[1]) or other.more:
            return False
        self.more.append(other.command)
        name = getattr(other.command, "after", [None])[0]
        if name is not None:
            self.setText(f"Add {name.name}")
        return True


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

    def apply(self, command: edits.Command, naming: tuple[str, str] | None = None) -> bool:
        try:
            self.document.check(command)
        except ScenarioError as e:
            self.refused = str(e)
            self.status(f"Not applied: {e}", 8000)
            return False
        self.refused = ""
        self.stack.push(DocumentCommand(self.document, command, naming))
        return True

    # ------------------------------------------------------------------ adding
    def add_annotation(self, kind: str, geometry: dict, props: dict, text: str = "", named_later: bool = False
                       ) -> str | None:
        """Add one feature; ``named_later``: the name prompt's answer joins this undo step."""
        fid = self.document.new_id(id_logic.prefix_for(kind, props))
        full = {"kind": kind, "status": "estimated", "source": "Analyst", "annotation": True}
        full.update(props)
        feature = Feature(fid, kind, geometry, full)
        if not self.apply(edits.AddFeatures([feature], text or f"Add {full.get('name', kind)}"),
                          ("new", fid) if named_later else None):
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

    def add_area(self, points: list[tuple[float, float]], named_later: bool = False) -> list[str]:
        """An area; one that crosses itself is kept as the simple areas it encloses (one undo step).
        ``named_later``: a single area's naming joins this undo step."""
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
        naming = ("new", features[0].id) if named_later and len(features) == 1 else None
        if not self.apply(edits.AddFeatures(features, "Add Area"), naming):
            return []
        if len(features) > 1:
            self.status(f"The outline crossed itself: kept as {len(features)} areas.", 8000)
        else:
            self.status("Added Area", 4000)
        return [f.id for f in features]

    def add_ring_at(self, lat: float, lon: float, radius_m: float) -> str | None:
        km = radius_m / 1000
        return self.add_ring(lat, lon, radius_m, name=f"{km:,.1f} km ring",
                             label=km_text(radius_m))

    # ------------------------------------------------------------------ changing
    def replace(self, after: Feature, text: str) -> bool:
        return self.apply(edits.ReplaceFeatures([after], text))

    def name_new(self, after: Feature, text: str) -> bool:
        """The name given to a feature just drawn: one undo step with its adding, when nothing came between."""
        return self.apply(edits.ReplaceFeatures([after], text), ("name", after.id))

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
            self.status(self._kept_text([fid for fid in chosen if fid not in deletable]), 8000)
        if not deletable:
            return False
        names = ", ".join(self.document.feature(fid).name for fid in deletable[:3])
        ok = self.apply(edits.RemoveFeatures(deletable, f"Delete {names}" + ("\u2026" if len(deletable) > 3 else "")))
        if ok:
            self.selection.clear()
        return ok

    def _kept_text(self, fids: list[str]) -> str:
        """Why these selected features were not deleted: the map's own features (not annotations
        drawn, imported or opened from another tool's file) are kept, and so is a layer's that is
        locked; facts about one are named, as they would keep it too."""
        f = self.document.feature(fids[0])
        if f.properties.get("annotation"):
            why = "its layer is locked"
        else:
            why = "it is one of the map's own features, not an annotation"
        about = self.document.facts_about({f.id})
        if about:
            why += f"; {len(about)} fact(s) are about it"
        more = f" (and {len(fids) - 1} more)" if len(fids) > 1 else ""
        return f"Not deleted: {f.name}{more}: {why}."

    def import_features(self, features: list[Feature], source_name: str) -> int:
        renamed = id_logic.renamed_for_import(features, (f.id for f in self.document.features))
        if renamed and not self.apply(edits.AddFeatures(renamed, f"Import {source_name}")):
            return 0
        return len(renamed)

    def set_layers(self, layers: list[dict]) -> bool:
        return self.apply(edits.set_layers(layers))
