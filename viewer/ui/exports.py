"""File > Export Map Image and the data exports, through the one writer registry
(:mod:`viewer.export.writers`). A failure says why and leaves any old file as it was."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtWidgets import QFileDialog

from viewer.export.writers import file_filter, writer_for
from viewer.model.rules import ScenarioError

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


class ExportActions:
    def __init__(self, window: "MainWindow"):
        self.window = window

    def _ask_and_write(self, title: str, default: str, filters: str, write: Callable[[Path], None]) -> None:
        from viewer.ui import file_names

        if not self.window.files.commit_pending():  # (a Properties field still being typed in: in the file too)
            return
        default = file_names.proposed(self.window.settings, self.window.scenario, Path(default).suffix)
        name, _ = QFileDialog.getSaveFileName(self.window, title, default, filters)
        if not name:
            return
        file_names.remember(self.window.settings, name)
        self._write(Path(name), write)

    def _write(self, path: Path, write: Callable[[Path], None]) -> bool:
        self._said = ""  # (what the file leaves out of the map, said with it: a CSV's lines and areas)
        try:
            write(path)
        except (OSError, ScenarioError) as e:
            why = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            self.window.show_error("Cannot export", f"{path}: {why}")
            return False
        except Exception as e:  # noqa: BLE001 - a writer's own fault: said, the map and its file untouched
            import traceback

            traceback.print_exc()
            self.window.show_error("Cannot export", f"{path}: the export failed ({type(e).__name__}: "
                                   f"{str(e)[:200]}); the map is unchanged and no file was written over")
            return False
        if self._said:
            self.window.statusBar().showMessage(f"Saved {path}; {self._said}", 15000)
        else:
            self.window.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def map_image_dialog(self) -> None:
        """The map exactly as the window shows it (the briefing export composes a slide)."""
        from viewer.ui.capture import grab_view_png

        self._ask_and_write("Export Map Image", "sitmap.png", "PNG image (*.png)",
                            lambda path: grab_view_png(self.window.map_view, path))

    def data_dialog(self, suffix: str) -> None:
        """GeoJSON, KML, KMZ or CSV: the writer follows the chosen file's suffix."""
        if self.window.scenario is None:
            return
        self._ask_and_write("Export for GIS and Google Earth", f"sitmap{suffix}", file_filter(briefing=False),
                            self._data_writer)

    def _data_writer(self, path: Path) -> None:
        if not path.suffix:
            path = path.with_suffix(".geojson")
        from viewer.export.time_window import write_data
        from viewer.ui.history_window import time_window_of

        writer_for(path)  # an unknown suffix: refused before anything is written
        write_data(path, self.window.doc.scenario, time_window_of(self.window))  # the History tab's window, if on
        if path.suffix.lower() == ".csv":
            from viewer.model.io.csv_points import not_in_csv

            self._said = not_in_csv(self.window.doc.scenario)

    def write_data(self, path: Path) -> bool:
        return self._write(Path(path), self._data_writer)
