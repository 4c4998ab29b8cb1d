"""A briefing's view (the export dialog's preview) offers no browser menu on a right click: it
drops the menu event itself instead of naming a policy in Qt's namespace (which would cost every
export the namespace's enum types). A plain web view, right-clicked the same way, shows the
browser's menu: the control that says the click reaches the menu code at all."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from viewer.ui.capture import briefing_view_class, close_view


def _right_click(view) -> None:
    target = view.focusProxy() or view
    at = QPoint(60, 60)
    for kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
        pressed = Qt.MouseButton.RightButton if kind == QEvent.Type.MouseButtonPress else Qt.MouseButton.NoButton
        QApplication.sendEvent(target, QMouseEvent(kind, QPointF(at), QPointF(target.mapToGlobal(at)),
                                                   Qt.MouseButton.RightButton, pressed, Qt.KeyboardModifier.NoModifier))


def _menu_asked(base, asked: list):
    class Recording(base):
        def contextMenuEvent(self, event) -> None:  # noqa: N802 (Qt API)
            super().contextMenuEvent(event)
            asked.append(QApplication.activePopupWidget())

    return Recording


HTML = "<!DOCTYPE html><html><body style='margin:0'><p style='height:400px'>briefing</p></body></html>"


def _shown(qtbot, view, load) -> None:
    view.resize(300, 300)
    view.show()
    with qtbot.waitSignal(view.loadFinished, timeout=10000):
        load()


def test_a_right_click_on_a_briefing_view_opens_no_browser_menu(qtbot):
    asked: list = []
    view = _menu_asked(briefing_view_class(), asked)()
    try:
        _shown(qtbot, view, lambda: view.show_html(HTML))
        _right_click(view)
        qtbot.waitUntil(lambda: len(asked) == 1, timeout=10000)
        assert asked == [None]
        assert QApplication.activePopupWidget() is None
    finally:
        close_view(view)


def test_a_plain_web_view_right_clicked_the_same_way_shows_the_browser_menu(qtbot):
    from PySide6.QtWebEngineWidgets import QWebEngineView

    asked: list = []
    view = _menu_asked(QWebEngineView, asked)()
    try:
        _shown(qtbot, view, lambda: view.setHtml(HTML))
        _right_click(view)
        qtbot.waitUntil(lambda: len(asked) == 1, timeout=10000)
        assert asked[0] is not None
        asked[0].close()
    finally:
        view.close()
        view.deleteLater()
