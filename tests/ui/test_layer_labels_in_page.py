"""The page's layer control always names each layer as the map does: after a rename in the Layers
tab, its undo and redo, and a name given back by hand (an undone rename, or one back to the
default name, left the new name in the page: real window, real page)."""

import json

from PySide6.QtCore import Qt

from tests.ui.conftest import js


def _page_names(qtbot, window) -> dict:
    """Each layer's name in the page's layer control, by layer id."""
    return json.loads(js(qtbot, window.map_view, """JSON.stringify(SitMap.app.layerControl._layers
        .filter(function (l) { return l.overlay; })
        .map(function (l) {
          var id = Object.keys(SitMap.app.groups).filter(function (g) { return SitMap.app.groups[g] === l.layer; })[0];
          return [id, l.name];
        }))"""))


def _names_agree(qtbot, window) -> bool:
    names = dict(_page_names(qtbot, window))
    return all(names.get(x["id"]) == x["label"] for x in window.current_layers())


def _item(window, gid: str):
    lst = window.layers_panel.list
    return next(lst.item(i) for i in range(lst.count()) if lst.item(i).data(Qt.ItemDataRole.UserRole) == gid)


def _label(window, gid: str) -> str:
    return next(x["label"] for x in window.current_layers() if x["id"] == gid)


def test_undoing_and_redoing_a_layer_rename_renames_it_in_the_page(window, qtbot):
    default = _label(window, "rings")
    _item(window, "rings").setText("My rings")
    assert _label(window, "rings") == "My rings"
    assert dict(_page_names(qtbot, window))["rings"] == "My rings"
    window.undo_stack.undo()
    assert _label(window, "rings") == default and window._group_actions["rings"].text() == default
    assert dict(_page_names(qtbot, window))["rings"] == default
    window.undo_stack.redo()
    assert dict(_page_names(qtbot, window))["rings"] == "My rings"
    assert _names_agree(qtbot, window)


def test_a_layer_named_back_by_hand_is_named_so_in_the_page(window, qtbot):
    default = _label(window, "places")
    _item(window, "places").setText("Cities")
    assert dict(_page_names(qtbot, window))["places"] == "Cities"
    _item(window, "places").setText(default)  # two steps, each its own undo
    assert _label(window, "places") == default
    assert dict(_page_names(qtbot, window))["places"] == default
    assert _names_agree(qtbot, window)


def test_other_layer_changes_leave_the_names_right(window, qtbot):
    _item(window, "rings").setText("My rings")
    _item(window, "places").setCheckState(Qt.CheckState.Unchecked)  # hidden: no name changes
    window.layers_panel.list.setCurrentRow(0)
    window.layers_panel.move(1)
    assert _names_agree(qtbot, window)
    while window.undo_stack.canUndo():
        window.undo_stack.undo()
        assert _names_agree(qtbot, window), window.undo_stack.index()
