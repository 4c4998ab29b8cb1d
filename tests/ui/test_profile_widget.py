"""The flight profile drawn in the side panel: every line of its text in a row as tall as its font,
inside the widget (the caption's "g"s were cut at the bottom edge: "qround ranqe")."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetricsF, QImage, QPainter

import viewer.ui.profile_widget as pw


@pytest.mark.parametrize("point_size", [9.0, 12.0, 16.0])
def test_each_line_of_the_profiles_text_fits_its_font_and_the_widget(qtbot, monkeypatch, point_size):
    rows = []

    class Recording(QPainter):
        def drawText(self, *args):  # noqa: N802 - (a rect, flags and text: the rows asked for)
            rect = args[0]
            rows.append((rect.top(), rect.bottom(), rect.height(), QFontMetricsF(self.font()).height(), args[-1]))
            return super().drawText(*args)

    monkeypatch.setattr(pw, "QPainter", Recording)
    w = pw.ProfileWidget()
    qtbot.addWidget(w)
    font = w.font()
    font.setPointSizeF(point_size)
    w.setFont(font)
    w.resize(320, w.minimumHeight())
    w.set_flight(380_000, 42_000)
    img = QImage(w.size(), QImage.Format.Format_ARGB32)
    w.render(img)
    assert len(rows) == 4, rows
    for top, bottom, height, needed, text in rows:
        assert height >= needed - 0.01 and top >= 0 and bottom <= w.height(), (text, top, bottom, height, needed)
    caption = rows[-1]
    assert "ground range" in caption[-1] and caption[1] <= w.height() - 0.5
