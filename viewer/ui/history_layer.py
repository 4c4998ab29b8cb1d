"""The launch history layer in the page: the compact launch list sent once, filters and the time window
as small calls, clicks on launches coming back."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject

from viewer.model import history as hist


class HistoryLayer(QObject):
    """Keeps the page's history layer in step: data sent once per page, then small calls."""

    def __init__(self, map_view, parent: QObject | None = None):
        super().__init__(parent)
        self.map_view = map_view
        self.enabled = False
        self.history: hist.LaunchHistory = hist.load_default()
        self.flt = hist.HistoryFilter()
        self.caption = ""
        self.selected: str | None = None
        self.timed: dict[str, list[int]] = {}
        self._sent = False  # the current page has the data
        self._data: tuple[hist.LaunchHistory, dict] | None = None
        map_view.mapReady.connect(self._page_ready)

    def _live(self) -> bool:
        return self._sent and self.map_view.is_ready

    def _page_ready(self, _state=None) -> None:
        self._sent = False  # a new page: it knows nothing yet
        if self.enabled:
            self._send_all()

    def _send_all(self) -> None:
        if not self.map_view.is_ready:
            return  # sent when the page is ready
        if self._data is None or self._data[0] is not self.history:
            self._data = (self.history, hist.page_data(self.history))  # once per history
        self.map_view.call("history.load", self._data[1], self.flt.to_page(), self.timed)
        self.map_view.call("history.setFilter", self.flt.to_page(), self.caption)
        if self.selected:
            self.map_view.call("history.select", self.selected, False)
        self._sent = True

    def set_enabled(self, on: bool) -> None:
        self.enabled = bool(on)
        if self.enabled and not self._live():
            self._send_all()
        elif self._live():
            self.map_view.call("history.show", self.enabled)

    def set_history(self, history: hist.LaunchHistory) -> None:
        self.history = history
        self.selected = None
        self._sent = False
        if self.enabled:
            self._send_all()

    def set_timed(self, times: dict[str, list[datetime]]) -> None:
        self.timed = {k: [int(t.timestamp()) for t in v] for k, v in times.items()}
        self._sent = False
        if self.enabled:
            self._send_all()

    def set_filter(self, flt: hist.HistoryFilter, caption: str = "") -> None:
        only_window = flt.with_(window=None) == self.flt.with_(window=None)
        self.flt, self.caption = flt, caption
        if not self.enabled or not self._live():
            return
        if only_window:  # the slider: two numbers
            w = self.flt.window
            self.map_view.call(
                "history.setWindow", int(w[0].timestamp()) if w else None, int(w[1].timestamp()) if w else None, caption
            )
        else:
            self.map_view.call("history.setFilter", self.flt.to_page(), caption)

    def select(self, launch_id: str | None, fly: bool = True) -> None:
        self.selected = launch_id
        if self.enabled and self._live():
            self.map_view.call("history.select", launch_id, fly)


# ----------------------------------------------------------------------------- table
