"""The map's files: open, save, save as, recent files, the recovery file after a crash, and
importing another file's features. Saves are atomic; a failure leaves the old file whole."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from viewer.model.file_kinds import OPEN_FILTER
from viewer.model.scenario import ScenarioError

if TYPE_CHECKING:
    from viewer.model.io.report import OpenReport
    from viewer.ui.main_window import MainWindow

MAX_RECENT = 8
FILE_FILTER = "SitMap maps (*.geojson *.json);;All files (*)"
SAVE_FILTER = "SitMap maps (*.sitmap.geojson);;GeoJSON (*.geojson *.json);;All files (*)"


class MapFiles:
    def __init__(self, window: "MainWindow"):
        self.window = window
        self.settings = window.settings
        self.recovery = window.recovery
        self.undo_stack = window.undo_stack
        self.doc = window.doc
        # A file from another tool opened as a map: never written over (Save asks for a name).
        self.opened_from: Path | None = None
        self.report_box: QMessageBox | None = None  # the last "opened with omissions" dialog
        self.restored = False  # the unsaved work of a run that ended abnormally was restored
        self.reading: str | None = None  # the name of a large file being read beside the event loop

    def commit_pending(self) -> bool:
        """Apply the Properties field still being typed in (one undo step, checked like any edit)
        before the map is saved or left. False: it was refused, and the status bar says why."""
        if self.window.properties.commit_pending():
            return True
        why = self.window.properties.error.text()  # (a value the tab cannot read; the editor says its own refusals)
        if why:
            self.window.statusBar().showMessage(f"The edit in the Properties tab is not applied: {why}", 10000)
        return False

    def maybe_keep_changes(self) -> bool:
        """Ask before unsaved work is dropped. False means: stay."""
        # (a field typed into and refused is unsaved work too: asked about, and Save stops on it)
        if self.commit_pending() and self.undo_stack.isClean():
            return True
        answer = QMessageBox.question(
            self.window, "Unsaved changes", "Save the changes to this project first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def recent_files(self) -> list[str]:
        """The last maps opened or saved, newest first, at most MAX_RECENT (however many the settings hold)."""
        value = self.settings.value("files/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or []) if isinstance(v, str)][:MAX_RECENT]

    def remember(self, path: Path) -> None:
        items = [str(path)] + [p for p in self.recent_files() if p != str(path)]
        self.settings.setValue("files/recent", items[:MAX_RECENT])
        self.window.when_built(self.refresh_recent)  # (File > Open Recent: a staged window's comes once it is whole)

    def refresh_recent(self) -> None:
        self.window.recent_menu.clear()
        recent = self.recent_files()
        for p in recent:
            act = self.window.recent_menu.addAction(p.replace("&", "&&"))
            act.triggered.connect(lambda _=False, p=p: self.window.open_path(Path(p)))
        self.window.recent_menu.setEnabled(bool(recent))

    def save(self) -> bool:
        if not self.commit_pending():
            return False  # (saved without it, the window would look saved and the edit be lost)
        if self.doc.path is None:
            return self.save_as()
        return self.save_to(self.doc.path)

    def save_as(self) -> bool:
        """Save under a new name, proposed from the map's title as NAME.sitmap.geojson: SitMap opens
        it by double-click, and QGIS and geojson.io still read it as GeoJSON."""
        from viewer.model.file_kinds import proposed_map_name, with_map_suffix
        from viewer.ui import file_names

        if not self.commit_pending():
            return False
        path = self.doc.path
        folder = file_names.start_folder(self.settings, path)
        start = str(folder / proposed_map_name(path.name if path else None, self.doc.scenario.title))
        if path is None and self.opened_from is not None:  # a file from another tool: never written over
            start = str(self.opened_from.with_name(self.opened_from.stem + ".sitmap.geojson"))
        name, _ = QFileDialog.getSaveFileName(self.window, "Save Map", start, SAVE_FILTER)
        if not name:
            return False
        self.settings.setValue(file_names.KEY, str(Path(name).parent))  # (the next Open or Save starts there)
        target = with_map_suffix(Path(name))
        renamed = target != Path(name)  # (brief.kml: a map is GeoJSON; the dialog asked about the name typed)
        if renamed:
            if target.exists() and target != self.doc.path and QMessageBox.question(
                    self.window, "Replace map?",
                    f"A map is saved as GeoJSON, as {target.name}, and that file exists. Replace it?\n"
                    "(File > Export writes KML, GeoPackage and the other formats.)",
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                    QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
                return False
        if not self.save_to(target):
            return False
        if renamed:
            self.window.statusBar().showMessage(
                f"Saved as {target} (a map is GeoJSON; File > Export writes other formats)", 8000)
        return True

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
        self.restored = True
        return True

    def open_path(self, path: Path) -> bool:
        """Open a map: a SitMap file, or any GeoJSON, KML/KMZ, CSV or GPX file (what cannot be shown
        is left out and said in a dialog). On any problem show why and keep the current map."""
        path = Path(path)
        if self.reading:
            self.window.show_error("Cannot open scenario",
                                   f"{path.name}: {self.reading} is still being read; open it again in a moment")
            return False
        if not self.window.maybe_keep_changes():  # the window's: tests and embedders may answer it
            return False
        try:
            scenario, report = self._read(path)
            self.show_opened(scenario, report, path)
        except ScenarioError as e:
            self.window.show_error("Cannot open scenario", str(e))
            if not path.exists() and str(path) in self.recent_files():  # (gone: no longer offered)
                self.settings.setValue("files/recent", [p for p in self.recent_files() if p != str(path)])
                self.refresh_recent()
            return False
        except Exception as e:  # never lose the open map to an unexpected fault
            self.window.show_error("Cannot open scenario", f"{path.name}: {type(e).__name__}: {e}")
            return False
        return True

    def _read(self, path: Path):
        """(scenario, report) of a map file; a large one is read beside the event loop."""
        try:
            size = path.stat().st_size if path.is_file() else 0
        except OSError:
            size = 0  # the reader says what is wrong with it
        from viewer.model.io.open_any import open_map_file  # (the readers: imported once a file is opened)

        return self.read_beside(lambda: open_map_file(path), path.name, size)

    def read_beside(self, work, name: str, size: int):
        """``work()`` (reading a map of ``size`` bytes). A large one is read on a worker thread
        while the window keeps drawing and the web engine keeps loading; an open that arrives
        meanwhile is refused, not nested. A small one is read at once."""
        from viewer.ui.beside_loop import WORTH_A_THREAD

        if size < WORTH_A_THREAD:
            return work()
        return self.work_beside(work, name, "Reading")

    def work_beside(self, work, name: str, doing: str):
        """``work()`` on a worker thread, as :meth:`read_beside` reads a large map (``doing``
        ``name``: what the status bar says meanwhile)."""
        from viewer.ui.beside_loop import run_beside_loop

        self.reading = name
        self.window.statusBar().showMessage(f"{doing} {name}\u2026")
        try:
            return run_beside_loop(work)
        finally:
            self.reading = None
            self.window.statusBar().clearMessage()

    def show_opened(self, scenario, report: OpenReport, path: Path | None, page_loading: bool = False,
                    panels_later: bool = False) -> None:
        """Show a map just read. A file from another tool is not the map's file: Save asks for a
        name, so the original is never written over. ``panels_later``: see MainWindow.set_scenario."""
        own = report.own_format or path is None
        previous = self.opened_from
        self.opened_from = None if own else path
        try:
            self.window.set_scenario(scenario, path if own else None, remember=own, page_loading=page_loading,
                                     panels_later=panels_later)
        except BaseException:
            self.opened_from = previous
            raise
        if path is not None and not own:
            self.remember(path)
            self.window.statusBar().showMessage(
                f"Opened {report.opened} feature(s) from {path.name}; Save keeps it as a SitMap map", 8000)
        if report.anything_to_say:
            self.show_report(report)

    def show_report(self, report: OpenReport) -> None:
        """What was left out or repaired: a count per reason and the first few names, as plain text."""
        lines = report.lines()
        left = report.left_out_count
        head = (f"{report.opened} feature(s) opened from {report.source}; {left} element(s) could not be shown."
                if left else f"{report.opened} feature(s) opened from {report.source}.")
        box = QMessageBox(QMessageBox.Icon.Information, "Opened with omissions" if left else "Opened", head,
                          QMessageBox.StandardButton.Ok, self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText("\n".join(line.strip() for line in lines[1:]))
        box.setObjectName("openReportBox")
        box.open()
        self.report_box = box

    def unsaved_name(self) -> str:
        """How the title names a map with no file of its own."""
        if self.opened_from:
            return f"{self.opened_from.name} (not saved as a map)"
        return "built-in example" if getattr(self, "builtin", False) else "not saved yet"

    def open_dialog(self) -> None:
        from viewer.ui import file_names

        start = str(file_names.start_folder(self.settings, self.doc.path))
        name, _ = QFileDialog.getOpenFileName(self.window, "Open Map or Geodata File", start, OPEN_FILTER)
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
        from viewer.ui import file_names

        name, _ = QFileDialog.getOpenFileName(self.window, "Import Annotations", str(file_names.start_folder(self.settings)),
                                              "KML, KMZ, GeoJSON, GPX, CSV, GeoPackage, shapefiles "
                                              "(*.kml *.kmz *.geojson *.json *.gpx *.csv *.gpkg *.shp *.zip *.geojsonl "
                                              "*.geojsons *.geojsonseq *.ndjson *.jsonl);;All files (*)")
        if name:
            self.settings.setValue(file_names.KEY, str(Path(name).parent))
            self.import_path(Path(name))

    def import_path(self, path: Path) -> int:
        """Add a file's features as annotations (one undoable step). Nothing changes if the file is bad."""
        from viewer.model import exchange
        from viewer.model.scenario import MAX_FILE_BYTES, ScenarioError

        if self.reading:
            self.window.show_error("Cannot import", f"{path.name}: {self.reading} is still being read")
            return 0
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ScenarioError(path.name, "", f"file is larger than {MAX_FILE_BYTES // 2**20} MB")
            from viewer.model.io.open_any import map_file_bytes  # (a .shp with its files beside it)

            raw = map_file_bytes(path)
            report = None
            carried: dict = {}  # (how many facts the file carries, told as it is read)
            try:
                features = exchange.import_annotations(raw, path.name, carried)
            except ScenarioError as strict:  # (one bad element: the rest, as opening the file shows it)
                from viewer.model.io.annotations import import_leniently

                try:
                    features, report = import_leniently(raw, path.name)
                except ScenarioError:
                    raise strict from None
                if not report.left_out_count:
                    raise strict from None
        except ScenarioError as e:
            self.window.show_error("Cannot import", str(e))
            return 0
        except OSError as e:
            self.window.show_error("Cannot import", f"{path.name}: {e.strerror or e}")
            return 0
        if not features:
            self.window.statusBar().showMessage(f"{path.name} holds no features: nothing imported", 6000)
            return 0
        n = self.window.editor.import_features(features, path.name)
        if n == 0:
            self.window.show_error("Cannot import", self.window.editor.refused)
            return 0
        if report is not None:  # (what was left out of it, as opening it says: its facts too)
            self.window.statusBar().showMessage(f"Imported {n} feature(s) from {path.name}", 6000)
            self.show_report(report)
            return n
        facts = carried.get("facts", 0)
        if facts:
            self.window.statusBar().showMessage(
                f"Imported {n} feature(s) from {path.name}; its {facts:,} fact(s) were not imported "
                "(File > Open opens the file with its facts)", 15000)
        else:
            self.window.statusBar().showMessage(f"Imported {n} feature(s) from {path.name}", 6000)
        return n
