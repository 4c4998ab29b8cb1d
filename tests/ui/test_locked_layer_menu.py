"""A feature on a locked layer is not renamed or restyled from its right-click menu either: the
menu's Rename and Style are greyed out, and renaming or styling it is refused with a word in the
status bar, as the Properties tab refuses the same edits (real window, real page)."""

from PySide6.QtCore import Qt

from viewer.ui import context_menus


def _lock(window, gid: str) -> None:
    """Lock a layer as the user does: pick it in the Layers tab, press Lock."""
    lst = window.layers_panel.list
    item = next(lst.item(i) for i in range(lst.count()) if lst.item(i).data(Qt.ItemDataRole.UserRole) == gid)
    lst.setCurrentItem(item)
    window.layers_panel.toggle_lock()
    assert gid in window.locked_groups


def _entries(menu) -> dict:
    return {a.text(): a for a in menu.actions()}


def test_a_locked_layers_marker_keeps_its_name_and_style_from_the_menu(window):
    fid = window.add_annotation("place", {"type": "Point", "coordinates": [126.0, 38.0]}, {"name": "Mine"})
    menu = context_menus.feature_menu(window, fid, 38.0, 126.0)
    assert _entries(menu)["Rename\u2026"].isEnabled() and _entries(menu)["Style"].isEnabled()  # unlocked: offered
    _lock(window, "annotations")
    steps = window.undo_stack.index()
    menu = context_menus.feature_menu(window, fid, 38.0, 126.0)
    entries = _entries(menu)
    assert not entries["Rename\u2026"].isEnabled() and not entries["Style"].isEnabled()
    assert entries["Zoom To"].isEnabled()  # what does not edit it stays offered
    assert context_menus.rename_feature(window, fid, "Changed while locked") is False
    assert "locked" in window.statusBar().currentMessage()
    assert context_menus.set_style(window, fid, color="#FF0000") is False
    f = window.doc.feature(fid)
    assert f.name == "Mine" and not (f.properties.get("style") or {}).get("color")
    assert window.undo_stack.index() == steps  # nothing to undo: nothing was changed


def test_a_locked_scenario_ring_is_refused_as_the_properties_tab_refuses_it(window):
    ring = next(f for f in window.doc.features if f.kind == "range_ring")
    _lock(window, "rings")
    window._feature_clicked(ring.id)
    assert not window.properties.name.isEnabled()  # the Properties tab refuses it
    assert context_menus.rename_feature(window, ring.id, "Renamed anyway") is False
    assert context_menus.set_style(window, ring.id, dash="dotted") is False
    assert window.doc.feature(ring.id) == ring


def test_unlocked_again_the_menu_renames_it(window):
    ring = next(f for f in window.doc.features if f.kind == "range_ring")
    _lock(window, "rings")
    window.layers_panel.toggle_lock()  # (the same layer is still picked: unlocked)
    assert "rings" not in window.locked_groups
    assert _entries(context_menus.feature_menu(window, ring.id, 40.0, 128.0))["Rename\u2026"].isEnabled()
    assert context_menus.rename_feature(window, ring.id, "Hwasong-8 reach")
    assert window.doc.feature(ring.id).name == "Hwasong-8 reach"
