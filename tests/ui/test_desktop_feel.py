"""Issue 16: SitMap feels like a desktop map, not a web page (real window, real page)."""

import json

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import intersections, js, label_boxes, settle


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


# ---------------------------------------------------------------- 6. selection by edge, Esc
def _container_point(qtbot, view, lat, lng):
    x, y = json.loads(js(qtbot, view, f"(function () {{ var p = SitMap.app.map.latLngToContainerPoint([{lat}, {lng}]);"
                                      " return JSON.stringify([Math.round(p.x), Math.round(p.y)]); })()"))
    return QPoint(int(x), int(y))


def _ring_edge_point(qtbot, view):
    """A point of the 380 km ring's edge inside the view, away from the other features."""
    return json.loads(js(qtbot, view, """(function () {
      var map = SitMap.app.map, size = map.getSize(), f = SitMap.app.features['ring-380km'];
      var ll = f.data.outline ? f.data.outline.flat(2) : f.data.latlngs.flat(2);
      var pts = []; for (var i = 0; i + 1 < ll.length; i += 2) { pts.push([ll[i], ll[i + 1]]); }
      for (var k = 0; k < pts.length; k++) {
        var p = map.latLngToContainerPoint(pts[k]);
        if (p.x < 60 || p.y < 60 || p.x > size.x - 60 || p.y > size.y - 60) { continue; }
        var e = document.elementFromPoint(p.x, p.y);
        if (e && e.classList && e.classList.contains('sitmap-edge-hit')) { return JSON.stringify([Math.round(p.x), Math.round(p.y)]); }
      }
      return 'null'; })()"""))


def _what_is_on_the_ring(qtbot, view):
    return js(qtbot, view, """(function () {
      var map = SitMap.app.map, f = SitMap.app.features['ring-380km'], ll = (f.data.outline || f.data.latlngs).flat(2);
      var seen = [];
      for (var i = 0; i + 1 < ll.length && seen.length < 6; i += 16) {
        var p = map.latLngToContainerPoint([ll[i], ll[i + 1]]), e = document.elementFromPoint(p.x, p.y);
        seen.push([Math.round(p.x), Math.round(p.y), e ? e.tagName + '.' + (e.getAttribute('class') || '') : null]);
      }
      return JSON.stringify({zoom: map.getZoom(), centre: map.getCenter(), size: map.getSize(),
                             dragging: !!map.dragging.moving(), seen: seen}); })()""")


def test_panning_inside_a_ring_never_selects_it_and_its_edge_does(qtbot, window):
    view = window.map_view
    target = view.focusProxy()
    # inside the 380 km ring, 150 km south-west of the launch point, on no feature's edge or symbol
    inside = _container_point(qtbot, view, 38.3, 124.4)
    under = js(qtbot, view, f"(function () {{ var e = document.elementFromPoint({inside.x()}, {inside.y()});"
                            " return e.classList.contains('leaflet-interactive') || !!e.closest('.leaflet-marker-icon'); })()")
    assert under is False
    zoom = js(qtbot, view, "SitMap.app.map.getZoom()")
    # (the test's moves come a millisecond apart: their glide, a screen or so, would take the ring
    # out of view; how far a flick glides is test_a_flick_glides_at_most_735_px)
    js(qtbot, view, "SitMap.app.map.options.inertia = false")
    with qtbot.assertNotEmitted(view.bridge.featureSelected, wait=600):
        qtbot.mousePress(target, Qt.MouseButton.LeftButton, pos=inside)
        for dx in (10, 30, 60, 90):
            qtbot.mouseMove(target, inside + QPoint(dx, dx // 2))
        qtbot.mouseRelease(target, Qt.MouseButton.LeftButton, pos=inside + QPoint(90, 45))
        # the page has panned before the click (a click where the drag began would make a double click)
        qtbot.waitUntil(lambda: (_container_point(qtbot, view, 38.3, 124.4) - inside).manhattanLength() > 60,
                        timeout=5000)
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=_container_point(qtbot, view, 38.3, 124.4))
    assert js(qtbot, view, "SitMap.app.selected === null") is True
    assert js(qtbot, view, "SitMap.app.openPopup === null") is True
    assert js(qtbot, view, "SitMap.app.map.getZoom()") == zoom  # a pan and a click, not a double click
    # the edge selects it (once the drag's glide has ended and the edge is drawn where the map is)
    found = {}

    def edge_found() -> bool:
        found["edge"] = _ring_edge_point(qtbot, view)
        return found["edge"] is not None

    try:
        qtbot.waitUntil(edge_found, timeout=10_000)
    except Exception as exc:  # say what is at the ring's edge instead
        raise AssertionError(f"no edge of the ring to click: {_what_is_on_the_ring(qtbot, view)}") from exc
    edge = found["edge"]
    with qtbot.waitSignal(view.bridge.featureSelected, timeout=5000) as sig:
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=QPoint(*edge))
    assert sig.args == ["ring-380km"]
    # Alt+click inside picks the smallest area or ring there
    p = _container_point(qtbot, view, 38.3, 124.4)
    with qtbot.waitSignal(view.bridge.featureSelected, timeout=5000) as sig:
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.AltModifier, pos=p)
    assert sig.args == ["ring-380km"]


def test_a_flick_glides_at_most_735_px(qtbot, window):
    # A drag of 100 px whose last two moves came a millisecond apart, ended: Leaflet's glide (its
    # own drag handler, as a real drag ends) at most MAX_GLIDE_SPEED px/s, not to the pole (100 px
    # in 1 ms glided 294,000 px before).
    view = window.map_view
    js(qtbot, view, """(function () {
      var map = SitMap.app.map, h = map.dragging, t = Date.now(), panBy = map.panBy;
      window.__flick = null;
      map.panBy = function (o) {
        map.panBy = panBy;
        window.__flick = JSON.stringify({ offset: [o.x, o.y], speed: SitMap.app.MAX_GLIDE_SPEED, size: map.getSize() });
        return map;
      };
      h._positions = [L.point(0, 0), L.point(100, 0)]; h._times = [t - 1, t];
      h._lastPos = L.point(100, 0); h._lastTime = t;
      h._onDragEnd({ distance: 100 });
      return true;
    })()""")
    qtbot.waitUntil(lambda: js(qtbot, view, "window.__flick !== null") is True, timeout=5000)
    got = json.loads(js(qtbot, view, "window.__flick"))
    v = got["speed"]
    assert v == 1000
    furthest = v * v / (2 * 3400 * 0.2)  # at that speed, with Leaflet's deceleration and ease: 735 px
    dx, dy = got["offset"]
    assert dx < 0 and dy == 0  # it glides on the way it was dragged (the view moves against it)
    assert furthest - 1 <= abs(dx) <= furthest + 1  # (the whole glide of a flick this fast)


def test_escape_closes_the_popup_then_the_selection_then_the_tool(qtbot, window):
    from viewer.ui import desktop_feel as desktop

    view = window.map_view
    with qtbot.waitSignal(view.bridge.featureSelected, timeout=5000):
        view.run_js("SitMap.app.features['ring-380km'].main.fire('click', {latlng: L.latLng(40, 128)})")
    assert window.selected_feature == "ring-380km"
    window.tool_actions["measure"].trigger()
    assert window.draw.tool == "measure"
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.openPopup !== null"), timeout=5000)
    desktop.escape(window)
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.openPopup === null"), timeout=5000)
    assert window.selected_feature == "ring-380km" and window.draw.tool == "measure"
    desktop.escape(window)
    qtbot.waitUntil(lambda: window.selected_feature is None, timeout=5000)
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.selected === null") is True, timeout=5000)
    assert window.draw.tool == "measure"
    window.act_end_tool.trigger()  # the menu's Esc
    qtbot.waitUntil(lambda: window.draw.tool is None, timeout=5000)
    # a found place goes with Esc too, and when its box is cleared
    window.find_place("Seoul")
    qtbot.waitUntil(lambda: js(qtbot, view, "!!SitMap.app.foundPlace"), timeout=5000)
    desktop.escape(window)
    qtbot.waitUntil(lambda: js(qtbot, view, "!!SitMap.app.foundPlace") is False, timeout=5000)
    window.find_box.setText("Seoul")
    window.find_place("Seoul")
    qtbot.waitUntil(lambda: js(qtbot, view, "!!SitMap.app.foundPlace"), timeout=5000)
    window.find_box.clear()
    qtbot.waitUntil(lambda: js(qtbot, view, "!!SitMap.app.foundPlace") is False, timeout=5000)


# ---------------------------------------------------------------- 4. measure
def test_measure_keeps_a_three_leg_path_with_its_total_until_esc_and_keeps_it_as_a_line(qtbot, window):
    from viewer.logic.tools import leg_length
    from viewer.ui import desktop_feel as desktop

    view = window.map_view
    window.tool_actions["measure"].trigger()
    pts = [(39.2, 125.67), (40.0, 128.0), (41.5, 131.0), (40.0, 134.0)]
    for lat, lng in pts:
        with qtbot.waitSignal(view.bridge.clickedAt, timeout=5000):
            view.run_js(f"SitMap.app.map.fire('click', {{latlng: L.latLng({lat}, {lng})}})")
    with qtbot.waitSignal(view.bridge.doubleClickedAt, timeout=5000):
        view.run_js("SitMap.app.map.fire('dblclick', {latlng: L.latLng(40.0, 134.0)})")
    total = sum(leg_length(a, b) for a, b in zip(pts, pts[1:])) / 1000
    assert window.draw.machine.kept == pts
    assert window.draw.last_measure.startswith(f"Total {total:,.1f} km") and "over 3 legs" in window.draw.last_measure
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.draw.legLabels ? SitMap.draw.legLabels.getLayers().length : 0") == 3,
                    timeout=5000)
    label = js(qtbot, view, "SitMap.draw.sketchLabel.getElement().textContent")
    assert label == window.draw.last_measure.split("; ")[0] and label.endswith("over 3 legs")
    # the pointer moving on does not change the kept path
    with qtbot.waitSignal(view.bridge.pointerAt, timeout=5000):
        view.run_js("SitMap.app.map.fire('mousemove', {latlng: L.latLng(35, 120)})")
    assert js(qtbot, view, "SitMap.draw.sketch.getLatLngs().length") == 4
    # the total is inside the map, whole
    inside = js(qtbot, view, """(function () { var r = SitMap.draw.sketchLabel.getElement().getBoundingClientRect();
        var c = SitMap.app.map.getContainer().getBoundingClientRect();
        return r.left >= c.left && r.right <= c.right && r.top >= c.top && r.bottom <= c.bottom; })()""")
    assert inside is True
    assert window.act_keep_measure.isEnabled()
    n = len(window.doc.features)
    window.act_keep_measure.trigger()
    assert len(window.doc.features) == n + 1
    line = window.doc.features[-1]
    assert line.kind == "path" and [tuple(reversed(c)) for c in line.geometry["coordinates"]] == pts
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.draw.sketch === null && SitMap.draw.legLabels === null"), timeout=5000)
    desktop.escape(window)
    qtbot.waitUntil(lambda: window.draw.tool is None, timeout=5000)


# ---------------------------------------------------------------- 7. properties
def _visible_rows(panel):
    return [label for label, w in panel._rows.items() if panel.form.isRowVisible(w)]


def test_properties_show_only_the_fields_of_the_kind_with_human_headers(qtbot, window):
    panel = window.properties
    fid = window.naming.add_marker(37.0, 127.0)
    window.naming.dialog.reject()
    with qtbot.waitSignal(window.map_view.bridge.featureSelected, timeout=5000):
        window.map_view.run_js(f"SitMap.app.features['{fid}'].main.fire('click')")
    assert panel.heading.text() == "Marker \u2014 Marker" or panel.heading.text().startswith("Marker")
    assert fid not in panel.heading.text()
    assert "Radius" not in _visible_rows(panel) and "Line style" not in _visible_rows(panel)
    assert "Symbol" in _visible_rows(panel) and "Position" in _visible_rows(panel)
    panel.show_feature(window.doc.feature("ring-380km"))
    assert panel.heading.text() == "380 km reported range \u2014 Range ring"
    assert {"Radius", "Line style", "Position"} <= set(_visible_rows(panel)) and "Symbol" not in _visible_rows(panel)
    panel.show_feature(window.doc.feature("flight-path"))
    assert "Position" not in _visible_rows(panel) and "Radius" not in _visible_rows(panel)
    assert not panel.apply.isVisible()


def test_edits_apply_as_typed_one_undo_step_per_field_and_the_name_follows_the_radius(qtbot, window):
    panel = window.properties
    window.side.setCurrentWidget(panel)
    panel.show_feature(window.doc.feature("ring-380km"))
    depth = window.undo_stack.count()
    # typing in the radius field: nothing until the edit is finished, then one step
    panel.radius.setFocus()
    panel.radius.selectAll()
    qtbot.keyClicks(panel.radius, "500")
    assert window.undo_stack.count() == depth
    qtbot.keyClick(panel.radius, Qt.Key.Key_Return)
    assert window.undo_stack.count() == depth + 1
    f = window.doc.feature("ring-380km")
    assert f.properties["radius_m"] == 500_000 and f.name == "500 km reported range"
    qtbot.waitUntil(lambda: "500 km" in js(qtbot, window.map_view,
                                            "SitMap.app.features['ring-380km'].data.label"), timeout=5000)
    # a name the analyst gave without the radius stays when the radius changes
    panel.name.setFocus()
    panel.name.selectAll()
    qtbot.keyClicks(panel.name, "Hwasong-8 reach")
    qtbot.keyClick(panel.name, Qt.Key.Key_Tab)  # leaving the field applies it
    assert window.undo_stack.count() == depth + 2
    assert window.doc.feature("ring-380km").name == "Hwasong-8 reach"
    panel.radius.setFocus()
    panel.radius.selectAll()
    qtbot.keyClicks(panel.radius, "600")
    qtbot.keyClick(panel.radius, Qt.Key.Key_Return)
    assert window.doc.feature("ring-380km").name == "Hwasong-8 reach"
    # a list choice applies at once
    panel.dash.activated.emit(2)
    panel.dash.setCurrentIndex(2)
    panel.dash.activated.emit(2)
    assert window.doc.feature("ring-380km").properties["style"]["dash"] == "dotted"
    # undo walks back field by field
    n = window.undo_stack.count()
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert window.doc.feature("ring-380km").properties["radius_m"] == 500_000
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert window.doc.feature("ring-380km").name == "380 km reported range"
    assert window.undo_stack.count() == n


def test_a_drawn_feature_is_asked_for_its_name_with_a_sensible_default(qtbot, window):
    window.tool_actions["marker"].trigger()
    with qtbot.waitSignal(window.map_view.bridge.clickedAt, timeout=5000):
        window.map_view.run_js("SitMap.app.map.fire('click', {latlng: L.latLng(38.5, 126.5)})")
    dlg = window.naming.dialog
    assert dlg is not None and dlg.isVisible() and dlg.textValue() == "Marker"
    fid = window.doc.features[-1].id
    dlg.setTextValue("Observation post")
    dlg.accept()
    assert window.doc.feature(fid).name == "Observation post"
    with qtbot.waitSignal(window.map_view.bridge.clickedAt, timeout=5000):
        window.map_view.run_js("SitMap.app.map.fire('click', {latlng: L.latLng(38.6, 126.6)})")
    window.naming.dialog.reject()
    with qtbot.waitSignal(window.map_view.bridge.clickedAt, timeout=5000):
        window.map_view.run_js("SitMap.app.map.fire('click', {latlng: L.latLng(38.7, 126.7)})")
    assert window.naming.dialog.textValue() == "Marker 2"
    window.naming.dialog.reject()
    window.tool_actions["ring"].trigger()
    window.draw.machine.click(39.0, 127.0)
    window.draw.machine.click(39.0, 130.0)
    assert window.naming.dialog.textValue().endswith("km range ring")
    window.naming.dialog.reject()


# ---------------------------------------------------------------- 2. legend
def _rect(qtbot, view, selector):
    return json.loads(js(qtbot, view, f"JSON.stringify(document.querySelector('{selector}').getBoundingClientRect())"))


def test_legend_rows_carry_the_analysts_names_fold_move_and_let_clicks_through(qtbot, window, settings):
    view = window.map_view
    target = view.focusProxy()
    window.add_ring(39.2002, 125.6733, 690_000, "KN-23 reach", "690 km")
    fid = window.add_annotation("place", {"type": "Point", "coordinates": [127.0, 37.0]},
                                {"name": "Observation post", "role": "marker"})
    qtbot.waitUntil(lambda: "Observation post" in js(qtbot, view, "document.querySelector('.sitmap-legend').textContent"),
                    timeout=5000)
    text = js(qtbot, view, "document.querySelector('.sitmap-legend').textContent")
    assert "KN-23 reach (estimated)" in text and "Marker" not in text and fid not in text
    # a click on the legend's padding, beside its rows, reaches the map (the line tool gets its point)
    window.tool_actions["line"].trigger()
    r = _rect(qtbot, view, ".sitmap-legend")
    rows = _rect(qtbot, view, ".sitmap-legend-rows")
    assert rows["bottom"] < r["bottom"] - 2
    beside = QPoint(int(r["left"] + 2), int(r["bottom"] - 2))
    with qtbot.waitSignal(view.bridge.clickedAt, timeout=5000):
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=beside)
    # a click on a row does not
    with qtbot.assertNotEmitted(view.bridge.clickedAt, wait=300):
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton,
                         pos=QPoint(int((rows["left"] + rows["right"]) / 2), int(rows["top"] + 6)))
    window.draw.set_tool(None)
    # the title folds it
    t = _rect(qtbot, view, ".sitmap-legend-title")
    with qtbot.waitSignal(view.bridge.legendMoved, timeout=5000) as sig:
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=QPoint(int(t["left"] + 20), int(t["top"] + 5)))
    assert sig.args == [1, "bottomright"]
    assert js(qtbot, view, "document.querySelector('.sitmap-legend-rows') === null") is True
    # dragging the title moves it to the corner it is dropped in
    t = _rect(qtbot, view, ".sitmap-legend-title")
    start = QPoint(int(t["left"] + 20), int(t["top"] + 5))
    with qtbot.waitSignal(view.bridge.legendMoved, timeout=5000) as sig:
        qtbot.mousePress(target, Qt.MouseButton.LeftButton, pos=start)
        for p in (QPoint(start.x() - 50, start.y() - 30), QPoint(150, 150), QPoint(60, 80)):
            qtbot.mouseMove(target, p)
        qtbot.mouseRelease(target, Qt.MouseButton.LeftButton, pos=QPoint(60, 80))
    assert sig.args == [1, "topleft"]
    assert js(qtbot, view, "!!document.querySelector('.leaflet-top.leaflet-left .sitmap-legend')") is True
    assert settings.value("legend/corner") == "topleft"


def test_the_legend_is_compact_in_a_small_window(qtbot, window):
    window.resize(1000, 700)
    qtbot.waitUntil(lambda: js(qtbot, window.map_view,
                               "document.querySelector('.sitmap-legend').classList.contains('sitmap-legend-compact')"),
                    timeout=5000)
    r = _rect(qtbot, window.map_view, ".sitmap-legend")
    size = json.loads(js(qtbot, window.map_view, "JSON.stringify(SitMap.app.map.getSize())"))
    assert r["height"] < 0.5 * size["y"] and r["width"] < 0.4 * size["x"]


# ---------------------------------------------------------------- 3. labels
def test_label_boxes_in_the_page_never_intersect_at_any_zoom_and_found_places_win(qtbot, window):
    view = window.map_view
    for lat, lng, zoom in ((39.5, 127.0, 5), (39.0, 126.5, 6), (38.0, 127.0, 7), (40.11, 124.39, 10), (40.11, 124.39, 12)):
        settle(qtbot, view, f"SitMap.app.map.setView([{lat}, {lng}], {zoom}, {{animate: false}})")
        boxes = label_boxes(qtbot, view)
        assert boxes, (lat, lng, zoom)
        assert intersections(boxes) == [], (zoom, intersections(boxes))
    # a go-to marker on the crossing: its label shows, the crossing's gives way, nothing overlaps
    with qtbot.waitSignal(view.bridge.viewMoved, timeout=10_000):
        window.go_to("40.1164, 124.3906")
    boxes = label_boxes(qtbot, view)
    assert intersections(boxes) == []
    assert any("40.11640" in b["text"] for b in boxes)
    # Seoul found: "Seoul, KR" shows and the map's own Seoul label is not printed over it
    with qtbot.waitSignal(view.bridge.viewMoved, timeout=10_000):
        window.find_place("Seoul")
    boxes = label_boxes(qtbot, view)
    assert intersections(boxes) == []
    assert any(b["text"].startswith("Seoul, KR") for b in boxes)
    # the labels placed are those of the features that have one (app.labelled), not a walk over all
    labelled, with_labels = json.loads(js(qtbot, view, """JSON.stringify((function () { var a = SitMap.app;
      return [Object.keys(a.labelled).sort(), Object.keys(a.features).filter(function (id) {
        var f = a.features[id], t = f.main.getTooltip && f.main.getTooltip(), n = t && t.options.permanent ? 1 : 0;
        if (f.layer.eachLayer) { f.layer.eachLayer(function (l) { if (l instanceof L.Tooltip && l.options.permanent) { n += 1; } }); }
        return n > 0; }).sort()]; })())"""))
    assert labelled == with_labels and labelled
    # the hidden label of a feature shows while the pointer is on it
    hidden = js(qtbot, view, "Object.keys(SitMap.labels.hiddenOwners || {}).filter(function (id) {"
                             " return SitMap.app.features[id].data.shape === 'marker'; })[0] || ''")
    if hidden:
        view.run_js(f"SitMap.app.features['{hidden}'].main.fire('mouseover')")
        qtbot.waitUntil(lambda: js(qtbot, view, "document.querySelectorAll('.sitmap-label-hover').length") > 0,
                        timeout=5000)


# ---------------------------------------------------------------- 5. facts panel
def test_each_facts_source_is_shown_whole_beside_it(qtbot, window):
    # (the Source column was cut to "South Korea J…" on every row: provenance unread)
    from PySide6.QtCore import QRect

    tree = window.facts.tree
    window.facts.fitter.fit()
    width = tree.columnWidth(2) - 10
    metrics = tree.fontMetrics()
    checked = 0
    for fid in window.facts.fact_ids():
        item = window.facts.item_for(fid)
        source = item.text(2)
        needed = metrics.boundingRect(QRect(0, 0, width, 100000), Qt.TextFlag.TextWordWrap, source).height()
        assert tree.visualItemRect(item).height() >= needed, (fid, source, width)
        checked += metrics.horizontalAdvance(source) > width  # (a source longer than its column: wrapped, whole)
    assert checked >= 3


def test_filling_the_facts_lays_the_table_out_once_not_once_a_group(qtbot, window):
    """The facts of a map go into the table with their groups open and headed at once: each row
    is asked its height once or twice (a heading spanned as each group came laid the whole table
    out again each time, asking the first rows their heights once a group: seven times for the
    built-in map's)."""
    from collections import Counter

    from viewer.ui import facts_fit

    asked = Counter()

    class Counting(facts_fit.FitDelegate):
        def sizeHint(self, option, index):  # noqa: N802 (Qt API)
            asked[(index.parent().row(), index.row(), index.column())] += 1
            return super().sizeHint(option, index)

    tree = window.facts.tree
    tree.setItemDelegate(Counting(tree))
    window.facts.set_scenario(window.scenario)
    assert len(asked) > 50 and max(asked.values()) <= 2, asked.most_common(3)
    heads = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    assert len(heads) >= 5 and all(h.isExpanded() and h.isFirstColumnSpanned() for h in heads)
    assert sum(h.childCount() for h in heads) >= len(window.scenario.facts)


def test_facts_panel_fits_a_1000_by_700_window(qtbot, window):
    window.resize(1000, 700)
    tree = window.facts.tree
    qtbot.waitUntil(lambda: window.width() == 1000, timeout=5000)
    window.facts.fitter.fit()
    width = tree.viewport().width()
    assert tree.columnWidth(1) >= 0.25 * width, (tree.columnWidth(1), width)
    assert sum(tree.columnWidth(c) for c in range(4)) <= width + 2
    # the profile chart folds away and gives its room to the table
    fold = window.facts.profile_fold
    fold.setChecked(True)
    qtbot.waitUntil(lambda: window.profile.isVisible(), timeout=5000)
    before = tree.viewport().height()
    fold.setChecked(False)
    qtbot.waitUntil(lambda: not window.profile.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: tree.viewport().height() > before, timeout=5000)
    # more than a handful of facts show in full
    facts = [window.facts.item_for(fid) for fid in window.facts.fact_ids()]
    shown = [it for it in facts if tree.viewport().rect().contains(tree.visualItemRect(it))]
    assert len(shown) >= 5
    # clicking a feature brings its facts into view, in readable colours
    tree.scrollToBottom()
    with qtbot.waitSignal(window.map_view.bridge.featureSelected, timeout=5000):
        window.map_view.run_js("SitMap.app.features['friendship-bridge'].main.fire('click')")
    item = window.facts.item_for(window.facts.selected_fact_ids()[0])
    qtbot.waitUntil(lambda: tree.viewport().rect().intersects(tree.visualItemRect(item)), timeout=5000)
    assert "item:selected" in tree.styleSheet()
    assert window.facts.item_for("range").toolTip(1)


# ---------------------------------------------------------------- 8. export dialog, file dialogs, rings, zoom
def test_file_dialogs_start_in_the_last_folder_or_documents_with_the_maps_name(qtbot, window, settings, tmp_path,
                                                                                monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from viewer.ui import file_names

    offered = []

    def fake_save(parent, title, start, filters):
        offered.append(start)
        return str(tmp_path / "out" / "chosen.geojson"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    (tmp_path / "out").mkdir()
    window.exports.data_dialog(".geojson")
    first = offered[-1]
    assert first.startswith(str(file_names.documents()))
    assert first.endswith("North Korea missile test, 17 January 2022.geojson")
    window.exports.data_dialog(".geojson")
    assert offered[-1] == str(tmp_path / "out" / "North Korea missile test, 17 January 2022.geojson")
    assert settings.value("files/last_dir") == str(tmp_path / "out")
    assert file_names.base_name("Untitled map", window.doc.scenario.event_time_utc).endswith("20" + "22-01-16")


def test_export_preview_fills_its_space(qtbot, settings):
    from viewer import resources
    from viewer.model.scenario import load_scenario
    from viewer.ui.export_dialog import ExportDialog

    d = ExportDialog(load_scenario(resources.default_scenario()), settings)
    qtbot.addWidget(d)
    d.resize(1400, 860)
    d.show()
    qtbot.waitUntil(lambda: d._preview_view is not None and d._preview_view.is_ready, timeout=60_000)
    qtbot.waitUntil(lambda: d._preview_view.width() >= 0.9 * (d.preview_box.width() - 8)
                    or d._preview_view.height() >= 0.9 * (d.preview_box.height() - 8), timeout=10_000)
    assert d._preview_view.width() > 800
    d.grab().save(str(settings.fileName()) + ".png")


def test_rings_in_an_export_keep_every_vertex_at_its_resolution(qtbot):
    from viewer import resources
    from viewer.export import briefing as b
    from viewer.model.scenario import load_scenario
    from viewer.render import layers
    from viewer.ui.capture import close_view, open_briefing

    scenario = load_scenario(resources.default_scenario())
    view = open_briefing(scenario, b.ExportSize.pixels(1920, 1080), b.BriefingOptions(), timeout_ms=60_000)
    try:
        ring = next(d for d in layers.draw_scenario(scenario) if d.id == "ring-380km")
        # how far the drawn outline strays from the true ring, in the export's device pixels
        worst = js(qtbot, view, """(function (pts) {
            var f = SitMap.app.features['ring-380km'], m = SitMap.app.map, parts = [];
            f.layer.eachLayer(function (l) { if (l._parts && l._parts.length && l.options.stroke !== false
                && l.options.interactive !== false || (l._parts && l.options.opacity !== 0 && !l.options.fill)) {
                parts = parts.concat(l._parts); } });
            var origin = m.containerPointToLayerPoint([0, 0]), worst = 0;
            pts.forEach(function (ll) {
              var p = m.latLngToLayerPoint(ll), best = Infinity;
              parts.forEach(function (part) { for (var i = 0; i + 1 < part.length; i++) {
                best = Math.min(best, L.LineUtil.pointToSegmentDistance(p, part[i], part[i + 1])); } });
              worst = Math.max(worst, best);
            });
            return worst * (SitMap.briefing.config.pixelRatio || 1); })(%s)""" % json.dumps(
            [list(p) for r in ring.outline for p in r]))
        assert worst < 0.75, worst
    finally:
        close_view(view)


def test_zoom_to_scenario_frames_the_event_with_a_margin(qtbot, window):
    view = window.map_view
    settle(qtbot, view, "SitMap.app.map.setView([30, 110], 3, {animate: false})")
    with qtbot.waitSignal(view.bridge.viewMoved, timeout=10_000):
        window.act_zoom_scenario.trigger()
    box = json.loads(js(qtbot, view, """JSON.stringify((function () {
        var m = SitMap.app.map, s = m.getSize(), b = null;
        ['ring-380km', 'flight-path', 'impact-area', 'launch-point'].forEach(function (id) {
          var f = SitMap.app.features[id]; if (!f) { return; }
          var bb = f.main.getBounds ? f.main.getBounds() : L.latLngBounds([f.main.getLatLng()]);
          b = b ? b.extend(bb) : L.latLngBounds(bb.getSouthWest(), bb.getNorthEast()); });
        var nw = m.latLngToContainerPoint(b.getNorthWest()), se = m.latLngToContainerPoint(b.getSouthEast());
        return {w: s.x, h: s.y, l: nw.x, t: nw.y, r: se.x, b: se.y}; })())"""))
    # everything of the event inside, with a margin, and filling most of the map one way
    assert box["l"] > 0.04 * box["w"] and box["r"] < 0.96 * box["w"]
    assert box["t"] > 0.04 * box["h"] and box["b"] < 0.96 * box["h"]
    assert (box["r"] - box["l"]) > 0.5 * box["w"] or (box["b"] - box["t"]) > 0.5 * box["h"]


# ---------------------------------------------------------------- 9. help
def test_help_menu_has_an_offline_user_guide_and_every_shortcut(qtbot, window):
    from viewer.ui import help as help_ui

    texts = [a.text() for a in next(a.menu() for a in window.menuBar().actions()
                                    if a.text() == "&Help").actions()]
    assert texts[:2] == ["&User Guide", "&Keyboard Shortcuts"] and "&About SitMap" in texts
    requests = len(window.map_view.network_guard.requests)
    window.act_user_guide.trigger()
    dlg = window._user_guide
    assert dlg.isVisible()
    text = dlg.browser.toPlainText()
    assert "Measuring" in text and "Esc steps back" in text and "<script" not in dlg.browser.toHtml().lower()
    assert len(window.map_view.network_guard.requests) == requests
    dlg.reject()
    window.act_shortcuts.trigger()
    table = window._shortcuts_dialog.table
    rows = {(table.item(r, 1).text(), table.item(r, 2).text()) for r in range(table.rowCount())}
    # every menu action with a shortcut is listed with it
    from PySide6.QtGui import QKeySequence

    for act in (window.act_open, window.act_save, window.act_add_ring, window.act_zoom_scenario,
                window.act_keep_measure, window.tool_actions["measure"], window.act_user_guide):
        keys = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        assert any(keys in k for _, k in rows), act.text()
    assert ("Measure", "D") in rows and any(k == "Esc" for _, k in rows)
    assert len(help_ui.menu_shortcuts(window)) >= 20


def test_one_esc_key_press_in_the_page_steps_back_once(qtbot, window):
    view = window.map_view
    with qtbot.waitSignal(view.bridge.featureSelected, timeout=5000):
        view.run_js("SitMap.app.features['launch-point'].main.fire('click')")
    window.tool_actions["measure"].trigger()
    target = view.focusProxy()
    target.setFocus()
    qtbot.waitUntil(lambda: target.hasFocus() or window.isActiveWindow() is False, timeout=5000)
    assert js(qtbot, view, "SitMap.app.openPopup !== null") is True  # the click opened its popup
    qtbot.keyClick(target, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.openPopup === null") is True, timeout=5000)
    assert window.selected_feature == "launch-point"
    qtbot.keyClick(target, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.selected_feature is None, timeout=5000)
    assert window.draw.tool == "measure"
    qtbot.keyClick(target, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.draw.tool is None, timeout=5000)


def test_a_ring_is_picked_by_its_centre_too(qtbot, window):
    view = window.map_view
    fid = window.add_ring(37.0, 131.0, 200_000, "Sea ring", "200 km")
    qtbot.waitUntil(lambda: js(qtbot, view, f"!!SitMap.app.features['{fid}']") is True, timeout=5000)
    settle(qtbot, view, "SitMap.app.map.setView([37.0, 131.0], 6, {animate: false})")
    p = _container_point(qtbot, view, 37.0, 131.0)
    with qtbot.waitSignal(view.bridge.featureSelected, timeout=5000) as sig:
        qtbot.mouseClick(view.focusProxy(), Qt.MouseButton.LeftButton, pos=p)
    assert sig.args == [fid]
