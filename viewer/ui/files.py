"""The map's files: open, save, save as, recent files, the recovery file after a crash, and
importing another file's features. Saves are atomic; a failure leaves the old file whole."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from viewer.model.scenario import ScenarioError, load_scenario

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow

MAX_RECENT = 8
FILE_FILTER = "SitMap maps (*.geojson *.json);;All files (*)"


class MapFiles:
    def __init__(self, window: "MainWindow"):
        self.window = window
        self.settings = window.settings
        self.recovery = window.recovery
        self.undo_stack = window.undo_stack
        self.doc = window.doc

    def maybe_keep_changes(self) -> bool:
        """Ask before unsaved work is dropped. False means: stay."""
        if self.undo_stack.isClean():
            return True
        answer = QMessageBox.question(
            self.window, "Unsaved changes", "Save the changes to this project first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def recent_files(self) -> list[str]:
        value = self.settings.value("files/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or []) if isinstance(v, str)]

    def remember(self, path: Path) -> None:
        items = [str(path)] + [p for p in self.recent_files() if p != str(path)]
        self.settings.setValue("files/recent", items[:MAX_RECENT])
        self.refresh_recent()

    def refresh_recent(self) -> None:
        self.window.recent_menu.clear()
        recent = self.recent_files()
        for p in recent:
            act = self.window.recent_menu.addAction(p.replace("&", "&&"))
            act.triggered.connect(lambda _=False, p=p: self.window.open_path(Path(p)))
        self.window.recent_menu.setEnabled(bool(recent))

    def save(self) -> bool:
        if self.doc.path is None:
            return self.save_as()
        return self.save_to(self.doc.path)

    def save_as(self) -> bool:
        start = str(self.doc.path) if self.doc.path else str(Path(str(self.settings.value("files/last_dir", "")))
                                                                         / "project.geojson")
        name, _ = QFileDialog.getSaveFileName(self.window, "Save Project", start, FILE_FILTER)
        if not name:
            return False
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(".geojson")
        return self.save_to(path)

    def save_to(self, path: Path) -> bool:
        """Atomic save with a .bak of the previous version; on failure the old file is untouched."""
        from viewer.model.project import save_project

        try:
            save_project(self.doc.scenario, path)
        except OSError as e:
            self.window.show_error("Cannot save", f"{path}: {e.strerror or e}. The previous file is unchanged.")
            return False
        self.doc.path = path
        self.undo_stack.setClean()
        self.recovery.clear(self.doc.scenario)  # the saved map: the next change's starting point
        self.remember(path)
        self.window._set_title()
        self.window.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def offer_recovery(self, ask: bool = True) -> bool:
        """After a crash: offer the work the recovery file holds. Returns True if restored."""
        from viewer.model.scenario import ScenarioError

        if not self.recovery.pending():
            return False
        if ask:
            answer = QMessageBox.question(
                self.window, "Restore unsaved work?",
                "SitMap did not close normally last time. Restore the work that was not saved?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
            if answer != QMessageBox.StandardButton.Yes:
                self.recovery.clear()
                return False
        try:
            scenario, path = self.recovery.load()
        except (OSError, ScenarioError) as e:
            self.window.show_error("Cannot restore", f"The recovery file cannot be read: {e}")
            return False
        self.window.set_scenario(scenario, path, remember=False)
        self.undo_stack.resetClean()
        self.window.setWindowModified(True)
        return True

    def open_path(self, path: Path) -> bool:
        """Open a scenario file; on any problem show why and keep the current map."""
        if not self.window.maybe_keep_changes():  # the window's: tests and embedders may answer it
            return False
        try:
            scenario = load_scenario(path)
            self.window.set_scenario(scenario, path)
        except ScenarioError as e:
            self.window.show_error("Cannot open scenario", str(e))
            return False
        except Exception as e:  # never lose the open map to an unexpected fault
            self.window.show_error("Cannot open scenario", f"{path.name}: {type(e).__name__}: {e}")
            return False
        return True

    def open_dialog(self) -> None:
        start = str(self.doc.path.parent) if self.doc.path else str(self.settings.value("files/last_dir", ""))
        name, _ = QFileDialog.getOpenFileName(self.window, "Open Scenario", start, FILE_FILTER)
        if name:
            self.settings.setValue("files/last_dir", str(Path(name).parent))
            self.open_path(Path(name))

    def write_recovery(self, change=None) -> None:
        """Make a change durable (a line in the recovery journal); without one, write the whole map."""
        try:
            if change is None:
                self.recovery.write(self.doc.scenario, self.doc.path)
            else:
                self.recovery.record(change, self.doc, self.doc.path)
        except OSError as e:
            self.window.statusBar().showMessage(f"Could not write the recovery file: {e.strerror or e}", 10000)

    def import_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self.window, "Import Annotations", str(self.settings.value("files/last_dir", "")),
                                              "KML, KMZ, GeoJSON, CSV (*.kml *.kmz *.geojson *.json *.csv);;All files (*)")
        if name:
            self.import_path(Path(name))

    def import_path(self, path: Path) -> int:
        """Add a file's features as annotations (one undoable step). Nothing changes if the file is bad."""
        from viewer.model import exchange
        from viewer.model.scenario import MAX_FILE_BYTES, ScenarioError

        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ScenarioError(path.name, "", f"file is larger than {MAX_FILE_BYTES // 2**20} MB")
            features = exchange.import_annotations(path.read_bytes(), path.name)
        except ScenarioError as e:
            self.window.show_error("Cannot import", str(e))
            return 0
        except OSError as e:
            self.window.show_error("Cannot import", f"{path.name}: {e.strerror or e}")
            return 0
        n = self.window.editor.import_features(features, path.name)
        if n == 0 and features:
            self.window.show_error("Cannot import", self.window.editor.refused)
            return 0
        self.window.statusBar().showMessage(f"Imported {n} feature(s) from {path.name}", 6000)
        return n
