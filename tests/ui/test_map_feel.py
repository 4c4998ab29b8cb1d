"""Issue 16, continued: one label placement for the overlay and the basemap, cities by population,
an export legend that never covers the event, measure labels kept inside the map, and a new
feature's naming in the same undo step as its drawing (real window, real page)."""

import json

from tests.ui.conftest import js


# ---------------------------------------------------------------- naming: one undo step
def _click(qtbot, view, lat, lng, double=False):
    signal = view.bridge.doubleClickedAt if double else view.bridge.clickedAt
    with qtbot.waitSignal(signal, timeout=5000):
        view.run_js(f"SitMap.app.map.fire('{'dblclick' if double else 'click'}', {{latlng: L.latLng({lat}, {lng})}})")


def test_drawing_a_marker_and_naming_it_is_one_undo_step(qtbot, window):
    view, stack = window.map_view, window.undo_stack
    depth, n = stack.count(), len(window.doc.features)
    window.tool_actions["marker"].trigger()
    _click(qtbot, view, 38.5, 126.5)
    fid = window.doc.features[-1].id
    dlg = window.naming.dialog
    assert dlg.isVisible() and dlg.textValue() == "Marker"
    dlg.setTextValue("Observation post")
    dlg.accept()
    assert window.doc.feature(fid).name == "Observation post"
    assert stack.count() == depth + 1 and stack.index() == depth + 1
    assert stack.undoText() == "Add Observation post"
    qtbot.waitUntil(lambda: js(qtbot, view, f"!!SitMap.app.features['{fid}']"), timeout=5000)
    stack.undo()
    assert window.doc.feature(fid) is None and len(window.doc.features) == n
    qtbot.waitUntil(lambda: js(qtbot, view, f"!!SitMap.app.features['{fid}']") is False, timeout=5000)
    # redo brings it back under the name given
    stack.redo()
    assert window.doc.feature(fid).name == "Observation post" and stack.count() == depth + 1
    # a rename later (not the prompt's) stays its own step
    from viewer.ui.context_menus import rename_feature

    assert rename_feature(window, fid, "OP North")
    assert stack.count() == depth + 2
    stack.undo()
    assert window.doc.feature(fid).name == "Observation post"


def test_a_name_given_after_something_else_was_drawn_is_its_own_step(qtbot, window):
    view, stack = window.map_view, window.undo_stack
    depth = stack.count()
    window.naming.ask = False  # no prompt: the marker keeps "Marker"
    window.tool_actions["marker"].trigger()
    _click(qtbot, view, 38.5, 126.5)
    first = window.doc.features[-1].id
    _click(qtbot, view, 38.9, 126.9)
    assert stack.count() == depth + 2
    window.naming.ask = True
    window.naming.ask_name(first)
    window.naming.dialog.setTextValue("Checkpoint")
    window.naming.dialog.accept()
    # the marker drawn in between is not merged into: the naming is a step of its own
    assert stack.count() == depth + 3 and window.doc.feature(first).name == "Checkpoint"
    stack.undo()
    assert window.doc.feature(first).name == "Marker"


def test_an_area_with_its_numbered_name_and_the_name_typed_is_one_step(qtbot, window):
    view, stack = window.map_view, window.undo_stack
    window.naming.ask = False
    window.tool_actions["area"].trigger()
    for lat, lng in ((38.0, 126.0), (38.0, 127.0), (38.6, 126.5)):
        _click(qtbot, view, lat, lng)
    window.draw.key("Enter")
    window.naming.ask = True
    depth = stack.count()
    for lat, lng in ((37.0, 126.0), (37.0, 127.0), (37.6, 126.5)):
        _click(qtbot, view, lat, lng)
    window.draw.key("Enter")
    fid = window.doc.features[-1].id
    assert window.naming.dialog.textValue() == "Area 2"
    window.naming.dialog.setTextValue("Staging area")
    window.naming.dialog.accept()
    assert stack.count() == depth + 1 and window.doc.feature(fid).name == "Staging area"
    stack.undo()
    assert window.doc.feature(fid) is None
