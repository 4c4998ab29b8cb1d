"""The History tab's time window: a slider over the days of the launch history (and of the map's
own event and fact times where they reach beyond it), play, and the window's length (a preset or
one a script asked for)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QLabel, QPushButton, QSlider, QVBoxLayout

from viewer.ui.history_import import plain_label as _plain

WINDOWS = (  # (label, length; None: everything up to the moment)
    ("everything up to the moment", None),
    ("1 day", timedelta(days=1)),
    ("1 week", timedelta(days=7)),
    ("30 days", timedelta(days=30)),
    ("1 year", timedelta(days=365)),
)
_EPOCH_START = datetime(1900, 1, 1, tzinfo=timezone.utc)


class HistoryTime:
    """The time window of :class:`viewer.ui.history_panel.HistoryPanel` (a part of it: it uses the
    panel's history, scenario, play timer and ``_filters_changed``/``_fill_table``)."""

    def _build_time_box(self) -> QGroupBox:
        self.time_box = QGroupBox("Time window")
        self.time_box.setObjectName("historyTime")
        self.time_box.setCheckable(True)
        self.time_box.setChecked(False)
        self.time_box.toggled.connect(self._filters_changed)
        tl = QVBoxLayout(self.time_box)
        trow = QHBoxLayout()
        self.play_button = QPushButton("\u25b6 Play")
        self.play_button.setObjectName("historyPlay")
        self.play_button.setCheckable(True)
        self.play_button.toggled.connect(self.play)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("historySlider")
        self.slider.valueChanged.connect(self._filters_changed)
        self.window_combo = QComboBox()
        self.window_combo.setObjectName("historyWindow")
        for label, _len in WINDOWS:
            self.window_combo.addItem(label)
        self.window_combo.currentIndexChanged.connect(self._filters_changed)
        trow.addWidget(self.play_button)
        trow.addWidget(self.slider, 1)
        tl.addLayout(trow)
        wrow = QHBoxLayout()
        wrow.addWidget(QLabel("Show"))
        wrow.addWidget(self.window_combo, 1)
        tl.addLayout(wrow)
        self.time_label = _plain(QLabel())
        self.time_label.setObjectName("historyTimeLabel")
        tl.addWidget(self.time_label)
        return self.time_box

    def moment(self) -> datetime:
        """End of the slider's day."""
        return self._day0 + timedelta(days=self.slider.value() + 1, seconds=-1)

    def current_window(self) -> tuple[datetime, datetime] | None:
        if not self.time_box.isChecked():
            return None
        end = self.moment()
        at = max(0, self.window_combo.currentIndex())
        length = WINDOWS[at][1] if at < len(WINDOWS) else self.window_combo.itemData(at)
        start = _EPOCH_START if length is None else end - length + timedelta(seconds=1)
        return start, end

    def _show_window_length(self, length: timedelta) -> None:
        """The window's length: a preset's if it is one, else its own entry (as asked, to the second)."""
        while self.window_combo.count() > len(WINDOWS):
            self.window_combo.removeItem(len(WINDOWS))
        preset = next((i for i, (_label, n) in enumerate(WINDOWS) if n == length), None)
        if preset is None:
            days = length.total_seconds() / 86400
            self.window_combo.addItem(f"{days:g} days (as asked)" if days == int(days) else f"{days:.2f} days (as asked)",
                                      length)
            preset = len(WINDOWS)
        self.window_combo.setCurrentIndex(preset)

    def set_moment(self, when: datetime) -> None:
        self.slider.setValue(max(0, min(self.slider.maximum(), (when - self._day0).days)))

    def play(self, on: bool) -> None:
        if on:
            self.time_box.setChecked(True)
            if self.slider.value() >= self.slider.maximum():
                self.slider.setValue(0)
            self.play_timer.start()
            self.play_button.setText("\u23f8 Pause")
        else:
            self.play_timer.stop()
            self.play_button.setText("\u25b6 Play")
            self._fill_table()

    def _tick(self) -> None:
        step = max(1, self.slider.maximum() // 150)
        if self.slider.value() >= self.slider.maximum():
            self.play_button.setChecked(False)
            return
        self.slider.setValue(min(self.slider.maximum(), self.slider.value() + step))

    def _set_span(self, at_end: bool = False) -> None:
        """The slider's days: from the first launch of the history to the last, or to the map's own
        event and facts where they are later (or earlier): the next event, after the history's last
        launch, is in reach of the window. ``at_end``: the slider at its last day (else it keeps its day)."""
        h = self.history
        moments = [h.launches[0].when_utc, h.launches[-1].when_utc] if h.launches else []
        s = self.scenario
        if s is not None:
            if isinstance(s.event_time_utc, datetime):
                moments.append(s.event_time_utc)
            moments += [t for fact in s.facts for t in (fact.time_utc or ()) if isinstance(t, datetime)]
        moments = [t if t.tzinfo else t.replace(tzinfo=timezone.utc) for t in moments]
        if not moments:
            self._day0 = datetime(2000, 1, 1, tzinfo=timezone.utc)
            self.slider.setRange(0, 1)
            return
        kept = None if at_end or self.slider.value() >= self.slider.maximum() else self.moment()
        first, last = min(moments).date(), max(moments).date()
        self._day0 = datetime(first.year, first.month, first.day, tzinfo=timezone.utc)
        blocked = self.slider.blockSignals(True)
        self.slider.setRange(0, max(1, (last - first).days))
        self.slider.setValue(self.slider.maximum() if kept is None else max(0, (kept - self._day0).days))
        self.slider.blockSignals(blocked)
