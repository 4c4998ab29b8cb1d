"""A map or geodata file dropped on the window opens as the map (like File > Open). The web view
would otherwise take the drop and load the file as a page, so it leaves drops to the window."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject

from viewer.model.io.open_any import SUFFIXES

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


def dropped_file(mime) -> Path | None:
    """The one local file with a suffix SitMap opens, or None."""
    if mime is None or not mime.hasUrls():
        return None
    urls = [u for u in mime.urls() if u.isLocalFile()]
    if len(urls) != 1:
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.suffix.lower() in SUFFIXES else None


class DropOpener(QObject):
    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window = window
        self.proxy = None

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if dropped_file(event.mimeData()) is not None:
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop:
            path = dropped_file(event.mimeData())
            if path is not None:
                event.acceptProposedAction()
                self.window.open_path(path)
                return True
        return False


def install_drop_open(window: "MainWindow") -> DropOpener:
    """The window takes file drops; so does the map, whose own drop (loading the file as a page)
    is never reached for a file SitMap opens: the filter takes it first."""
    from PySide6.QtWidgets import QWidget

    window.setAcceptDrops(True)
    opener = DropOpener(window)
    for target in [window, window.map_view, *window.map_view.findChildren(QWidget)]:
        target.installEventFilter(opener)
    window.map_view.mapReady.connect(lambda _state=None: _watch_proxy(window, opener))
    window.drop_opener = opener
    return opener


def _watch_proxy(window: "MainWindow", opener: DropOpener) -> None:
    """The web view draws in a child widget made with the first page: it gets the filter too."""
    proxy = window.map_view.focusProxy()
    if proxy is not None and proxy is not opener.proxy:
        proxy.installEventFilter(opener)
        opener.proxy = proxy
