"""Files that arrive at a running window from outside: handed over by a second ``sitmap FILE``
(single_instance) or dropped on the window.

Any geodata file opens as the map (the window asks first about unsaved work; a file from another
tool is never written over). A drop asks whether to open the file(s) as the map or to import them
into the current map; the web page never sees a drop.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QMessageBox, QWidget


OPEN_TEXT = "Open as Map"
IMPORT_TEXT = "Import into This Map"


def raise_window(window: QWidget) -> None:
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


def serve_window(server, window) -> None:
    """A later ``sitmap [FILE]`` brings this window to the front and opens its file here."""
    server.activated.connect(lambda: raise_window(window))
    server.fileReceived.connect(lambda name: window.when_built(lambda: open_in_window(window, Path(name))))


def open_in_window(window, path: Path) -> bool:
    """Open ``path`` as the window's map (any geodata file; what cannot be shown is said);
    False, and the current map kept, if it was not opened."""
    return window.open_path(path)


def import_into(window, path: Path) -> int:
    """Import ``path``'s features into the window's map."""
    return window.import_path(path)


def local_files(mime) -> list[Path]:
    """Dropped local files of a kind SitMap opens (others are left alone)."""
    from viewer.model.file_kinds import OPEN_SUFFIXES as SUFFIXES

    if mime is None or not mime.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in mime.urls()
            if u.isLocalFile() and u.toLocalFile() and Path(u.toLocalFile()).suffix.lower() in SUFFIXES]


class FileDrops(QObject):
    """Lets files be dropped anywhere on the window, the map included (the web page never sees
    them: it would otherwise try to show the file itself)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.choice_box: QMessageBox | None = None
        window.setAcceptDrops(True)
        self.watch(window)
        self.watch(window.map_view)

    def watch(self, widget: QWidget) -> None:
        widget.installEventFilter(self)
        proxy = widget.focusProxy()
        if proxy is not None and proxy is not widget:
            proxy.installEventFilter(self)
            proxy.setAcceptDrops(True)
        if widget is self.window.map_view:
            widget.setAcceptDrops(True)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if obj is self.window.map_view and kind == QEvent.Type.ChildAdded:
            self.watch(obj)  # the web view's render widget comes and goes with the page
            return False
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if local_files(event.mimeData()):
                event.setDropAction(Qt.DropAction.CopyAction)
                event.accept()
                return True
            return False
        if kind == QEvent.Type.Drop:
            files = local_files(event.mimeData())
            if files:
                event.setDropAction(Qt.DropAction.CopyAction)
                event.accept()
                self.ask(files)
                return True
        return False

    def ask(self, files: list[Path]) -> QMessageBox:
        """Open as the map, or import into the current map? Answered without blocking the drop."""
        names = ", ".join(f.name for f in files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
        box = QMessageBox(QMessageBox.Icon.Question, "Dropped files",
                          f"{names}: open as the map, or import the features into the current map?",
                          QMessageBox.StandardButton.Cancel, self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setObjectName("dropChoiceBox")
        if len(files) > 1:
            box.setInformativeText("Open as Map opens the first file and imports the others into it.")
        open_button = box.addButton(OPEN_TEXT, QMessageBox.ButtonRole.AcceptRole)
        import_button = box.addButton(IMPORT_TEXT, QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(import_button)

        def chosen(_result=None) -> None:
            clicked = box.clickedButton()
            if clicked is open_button:
                if open_in_window(self.window, files[0]):
                    for f in files[1:]:
                        import_into(self.window, f)
            elif clicked is import_button:
                for f in files:
                    import_into(self.window, f)
            self.choice_box = None
            box.deleteLater()

        box.finished.connect(chosen)
        self.choice_box = box
        box.open()
        return box
