"""Issue 16: SitMap feels like a desktop map, not a web page (real window, real page)."""

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import js


def _action(menu, text):
    for a in menu.actions():
        if a.text() == text:
            return a
        if a.menu() is not None:
            found = _action(a.menu(), text)
            if found is not None:
                return found
    return None


# ---------------------------------------------------------------- 1. context menus, no reload
def test_feature_menu_renames_styles_and_measures_from_the_feature(qtbot, window):
    from viewer.ui import context_menus

    with qtbot.waitSignal(window.map_view.bridge.featureMenuAt, timeout=5000) as sig:
        window.map_view.run_js("SitMap.app.features['ring-380km'].main.fire('contextmenu', "
                               "{latlng: L.latLng(40, 128), originalEvent: new MouseEvent('contextmenu')})")
    assert sig.args[0] == "ring-380km"
    menu = context_menus.feature_menu(window, *sig.args)
    texts = [a.text() for a in menu.actions()]
    for wanted in ("Properties", "Rename\u2026", "Style", "Add Fact About This\u2026", "Zoom To",
                   "Measure From Here", "Copy Coordinates", "Delete"):
        assert wanted in texts, wanted
    # style: one undo step, drawn in the page
    _action(menu, "Line: dotted").trigger()
    assert window.doc.feature("ring-380km").properties["style"]["dash"] == "dotted"
    qtbot.waitUntil(lambda: js(qtbot, window.map_view,
                               "SitMap.app.features['ring-380km'].data.style.dash") == "dotted", timeout=5000)
    assert window.undo_stack.undoText().startswith("Style")
    window.undo_stack.undo()
    assert window.doc.feature("ring-380km").properties["style"].get("dash") != "dotted"
    # rename: the legend and the document carry the new name
    assert context_menus.rename_feature(window, "ring-380km", "Hwasong-8 reach")
    assert window.doc.feature("ring-380km").name == "Hwasong-8 reach"
    assert window.undo_stack.undoText() == "Rename 380 km reported range to Hwasong-8 reach"
    # measure from the launch point
    lmenu = context_menus.feature_menu(window, "launch-point", 39.2, 125.67)
    _action(lmenu, "Measure From Here").trigger()
    assert window.draw.tool == "measure" and len(window.draw.points) == 1
    assert window.draw.points[0] == window.doc.feature("launch-point").latlon()


def test_map_menu_offers_marker_what_is_here_measure_centre_and_copy(qtbot, window):
    from viewer.ui import context_menus

    with qtbot.waitSignal(window.map_view.bridge.mapMenuAt, timeout=5000) as sig:
        window.map_view.run_js("SitMap.app.map.fire('contextmenu', {latlng: L.latLng(37.5665, 126.978), "
                               "originalEvent: new MouseEvent('contextmenu')})")
    menu = context_menus.map_menu(window, *sig.args)
    texts = [a.text() for a in menu.actions()]
    assert texts[:5] == ["Add Marker Here", "What Is Here?", "Range Ring Here\u2026", "Measure From Here", "Centre Here"]
    dd = _action(menu, next(a.text() for a in menu.findChild(type(menu), "copyCoordinates").actions()
                            if a.text().startswith("Decimal")))
    dd.trigger()
    assert QApplication.clipboard().text().startswith("37.5665")
    with qtbot.waitSignal(window.map_view.bridge.viewMoved, timeout=5000) as moved:
        _action(menu, "Centre Here").trigger()
    assert abs(moved.args[0] - 37.5665) < 0.05 and abs(moved.args[1] - 126.978) < 0.05


def test_nothing_the_user_does_reloads_or_navigates_the_page(qtbot, window):
    view = window.map_view
    page = view.page()
    js(qtbot, view, "window.__kept = 42")
    features = js(qtbot, view, "Object.keys(SitMap.app.features).length")
    # (Qt re-enables its Reload action after each load: the page itself refuses the navigation)
    before = len(page.refused)
    view.run_js("location.href = 'sitmap://app/elsewhere.html'")
    qtbot.waitUntil(lambda: len(page.refused) > before, timeout=5000)
    with qtbot.assertNotEmitted(view.unexpectedLoad, wait=400), qtbot.assertNotEmitted(view.loadStarted):
        page.triggerAction(QWebEnginePage.WebAction.Reload)
        page.triggerAction(QWebEnginePage.WebAction.Back)
        target = view.focusProxy() or view
        qtbot.keyClick(target, Qt.Key.Key_F5)
        for button in (Qt.MouseButton.BackButton, Qt.MouseButton.ForwardButton):
            for kind in (QMouseEvent.Type.MouseButtonPress, QMouseEvent.Type.MouseButtonRelease):
                ev = QMouseEvent(kind, QPointF(200, 200), QPointF(target.mapToGlobal(QPoint(200, 200))), button,
                                 button if kind == QMouseEvent.Type.MouseButtonPress else Qt.MouseButton.NoButton,
                                 Qt.KeyboardModifier.NoModifier)
                QApplication.sendEvent(target, ev)
    assert js(qtbot, view, "window.__kept") == 42
    assert js(qtbot, view, "Object.keys(SitMap.app.features).length") == features
    assert view.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu
    assert any(r == "action Reload" for r in page.refused)


def test_a_reload_that_gets_through_draws_the_document_again(qtbot, window):
    view = window.map_view
    fid = window.editor.add_marker(38.0, 127.0)
    qtbot.waitUntil(lambda: js(qtbot, view, f"!!SitMap.app.features['{fid}']") is True, timeout=5000)
    with qtbot.waitSignal(view.mapReady, timeout=60_000):
        view.run_js("location.reload()")  # only a script can do this; the engine does not ask first
    assert js(qtbot, view, f"!!SitMap.app.features['{fid}']") is True
