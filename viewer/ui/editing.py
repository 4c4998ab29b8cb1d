"""Every change to the open project goes through the undo stack: add, delete, replace.
A change is acknowledged only after the recovery file holds it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand, QUndoStack

from viewer.model.scenario import Feature

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


class _FeatureCommand(QUndoCommand):
    def __init__(self, window: "MainWindow", text: str):
        super().__init__(text)
        self.window = window


class AddFeatures(_FeatureCommand):
    def __init__(self, window: "MainWindow", features: list[Feature], text: str):
        super().__init__(window, text)
        self.features = list(features)

    def redo(self) -> None:
        for f in self.features:
            self.window.scenario.features.append(f)
        self.window.features_changed(added=self.features)

    def undo(self) -> None:
        ids = {f.id for f in self.features}
        self.window.scenario.features[:] = [f for f in self.window.scenario.features if f.id not in ids]
        self.window.features_changed(removed=list(ids))


class RemoveFeatures(_FeatureCommand):
    def __init__(self, window: "MainWindow", ids: list[str], text: str):
        super().__init__(window, text)
        feats = window.scenario.features
        self.removed = [(i, f) for i, f in enumerate(feats) if f.id in set(ids)]

    def redo(self) -> None:
        ids = {f.id for _, f in self.removed}
        self.window.scenario.features[:] = [f for f in self.window.scenario.features if f.id not in ids]
        self.window.features_changed(removed=list(ids))

    def undo(self) -> None:
        for i, f in self.removed:
            self.window.scenario.features.insert(i, f)
        self.window.features_changed(added=[f for _, f in self.removed])


class ReplaceFeature(_FeatureCommand):
    """A move or a property edit: the feature before and after."""

    def __init__(self, window: "MainWindow", before: Feature, after: Feature, text: str):
        super().__init__(window, text)
        self.before, self.after = before, after

    def _swap(self, old: Feature, new: Feature) -> None:
        feats = self.window.scenario.features
        for i, f in enumerate(feats):
            if f.id == old.id:
                feats[i] = new
                break
        self.window.features_changed(added=[new])

    def redo(self) -> None:
        self._swap(self.before, self.after)

    def undo(self) -> None:
        self._swap(self.after, self.before)


def make_stack(parent) -> QUndoStack:
    stack = QUndoStack(parent)
    stack.setUndoLimit(1000)
    return stack


class SetLayers(QUndoCommand):
    """Reorder, rename, lock or show/hide layers."""

    def __init__(self, window: "MainWindow", before: list[dict], after: list[dict]):
        super().__init__("Change layers")
        self.window, self.before, self.after = window, [dict(x) for x in before], [dict(x) for x in after]

    def redo(self) -> None:
        self.window.apply_layers(self.after)

    def undo(self) -> None:
        self.window.apply_layers(self.before)
