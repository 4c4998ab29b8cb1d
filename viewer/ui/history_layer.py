"""The launch history layer in the page: the data set packed once (viewer.render.history_payload)
and fetched by the page through sitmap://, filters and the time window as small calls, clicks on
launches coming back. The packing (each launch's geodesic track) is done ahead, when the window is
idle after its map first shows or right after another table is imported, a few launches at a time
between the window's events, so turning the layer on only sends a URL."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, QTimer

from viewer.model import history as hist
from viewer.render.history_payload import history_payload

PREPARE_AFTER_MS = 1500  # after the map first shows: the start is not slowed
# Launches whose tracks are worked out in one step of the packing ahead (a few milliseconds): the
# 340 of the built-in history held the window 70 ms at once, a table of 10,000 two seconds.
WARM_SLICE = 25


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
        self._timed: dict[str, list[int]] | None = {}
        self._timed_of = None  # the map whose times are worked out when first needed (see timed)
        self._times = None  # (map, its feature times): the last worked out (see times_for)
        self._sent = False  # the current page has the data
        self._data: tuple[hist.LaunchHistory, bytes] | None = None
        self._served: str | None = None  # the blob's name under sitmap://app/data/
        self._blobs = 0
        self._warm = QTimer(self)
        self._warm.setSingleShot(True)
        self._warm.timeout.connect(self._warm_step)
        self._warming: list | None = None  # [the data set being packed ahead, its next launch]
        map_view.mapReady.connect(self._page_ready)

    def _live(self) -> bool:
        return self._sent and self.map_view.is_ready

    def _page_ready(self, _state=None) -> None:
        self._sent = False  # a new page: it knows nothing yet
        if self.enabled:
            self._send_all()
        elif self._data is None and not self._warm.isActive():
            self._warm.start(PREPARE_AFTER_MS)

    @property
    def prepared(self) -> bool:
        """The current data set is packed for the page."""
        return self._data is not None and self._data[0] is self.history

    def prepare(self) -> str:
        """Pack the data set for the page (once per data set) and serve it; returns its URL."""
        if self._data is None or self._data[0] is not self.history:
            self._data = (self.history, history_payload(self.history))
            handler = self.map_view.scheme_handler
            if self._served:
                handler.drop_data(self._served)
            self._blobs += 1
            self._served = f"history-{id(self):x}-{self._blobs}.bin"
        return self.map_view.scheme_handler.set_data(self._served, self._data[1])

    def _warm_step(self) -> None:
        """One step of the packing ahead: the tracks of the next WARM_SLICE launches (each kept by
        its launch), then the next step after the window's waiting events; the blob once all are
        there. Turning the layer on meanwhile packs the rest at once (:meth:`prepare`)."""
        history = self.history
        if self.prepared:
            self._warming = None
            return
        if self._warming is None or self._warming[0] is not history:
            self._warming = [history, 0]
        start = self._warming[1]
        launches = history.launches
        for x in launches[start:start + WARM_SLICE]:
            x.track  # noqa: B018 (worked out once, kept by the launch)
        self._warming[1] = start + WARM_SLICE
        if self._warming[1] < len(launches):
            self._warm.start(0)
        else:
            self._warming = None
            self.prepare()

    def _send_all(self) -> None:
        if not self.map_view.is_ready:
            return  # sent when the page is ready
        url = self.prepare()
        self.map_view.call("history.load", url, self.flt.to_page(), self.timed)
        self.map_view.call("history.setFilter", self.flt.to_page(), self.caption)
        if self.selected:
            self.map_view.call("history.select", self.selected, False)
        self.map_view.call("history.show", True)
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
        else:
            self._warm.start(0)  # packed while the analyst looks at the table

    @property
    def timed(self) -> dict[str, list[int]]:
        """The map's timed features ({id: [UTC seconds]}), worked out when first needed: opening a
        map of a million points does not walk them all for a layer that is off."""
        if self._timed is None:
            scenario, self._timed_of = self._timed_of, None
            self._timed = _seconds(self.times_for(scenario)) if scenario is not None else {}
        return self._timed

    def times_for(self, scenario) -> dict[str, list[datetime]]:
        """The map's feature times (:func:`viewer.model.history.feature_times`), worked out once
        a map for the layer and the Facts tab's greying both (the slider moves often, the map
        seldom). An edit changes the map in place: :meth:`update_timed` and
        :meth:`update_timed_of` let these go."""
        if self._times is None or self._times[0] is not scenario:
            self._times = (scenario, hist.feature_times(scenario))
        return self._times[1]

    @property
    def timed_known(self) -> bool:
        return self._timed is not None

    def set_timed_of(self, scenario) -> None:
        """A new map: its times are worked out when the layer is shown (or asked for)."""
        self._timed, self._timed_of, self._times = None, scenario, None
        self._sent = False
        if self.enabled:
            self._send_all()

    def update_timed(self, scenario) -> None:
        """The same map's timed features after an edit: told to the page already showing the layer."""
        self._times = None  # (the map is changed in place: the same object, other times)
        self._timed, self._timed_of = _seconds(self.times_for(scenario)), None
        if self.enabled and self._live():  # (features drawn anew need it even when the times are the same)
            self.map_view.call("history.setTimed", self.timed)

    def update_timed_of(self, scenario) -> None:
        """The same map after an edit, its times not yet needed: worked out when they are."""
        self._timed, self._timed_of, self._times = None, scenario, None

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


def _seconds(times: dict[str, list[datetime]]) -> dict[str, list[int]]:
    return {k: [int(t.timestamp()) for t in v] for k, v in times.items()}
