"""SitMap's own right-click menus, on a feature and on the map (never the browser's)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QMenu

from viewer.model.coords import format_latlon

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


def _copy_menu(menu: QMenu, lat: float, lng: float) -> None:
    sub = menu.addMenu("Copy Coordinates")
    sub.setObjectName("copyCoordinates")
    for key, label in (("dd", "Decimal Degrees"), ("dms", "Degrees, Minutes, Seconds"), ("mgrs", "MGRS")):
        text = format_latlon(lat, lng, key)
        act = sub.addAction(f"{label}: {text}")
        act.setData(text)
        act.triggered.connect(lambda _=False, t=text: QGuiApplication.clipboard().setText(t))


def feature_menu(window: "MainWindow", fid: str, lat: float, lng: float) -> QMenu | None:
    f = window.doc.feature(fid)
    if f is None:
        return None
    menu = QMenu(window)
    menu.setObjectName("featureMenu")
    menu.addSection(f.name[:60])
    menu.addAction("Properties", lambda: (window._feature_clicked(fid), window.side.setCurrentWidget(window.properties)))
    rename = menu.addAction("Rename\u2026", lambda: rename_feature(window, fid))
    style = _style_menu(menu, window, fid)
    if window._locked(f):  # (as the Properties tab: its layer is locked in the Layers tab)
        for act in (rename, style.menuAction()):
            act.setEnabled(False)
            act.setToolTip("Its layer is locked (unlock it in the Layers tab)")
        menu.setToolTipsVisible(True)
    menu.addAction("Add Fact About This\u2026", lambda: window.facts_editor.add_fact(feature=fid))
    menu.addAction("Zoom To", lambda: window.focus_feature(fid))
    if f.geometry.get("type") == "Point":
        flat, flon = f.latlon()
        menu.addAction("Measure From Here", lambda: measure_from(window, flat, flon))
        menu.addAction("Range Ring Here\u2026", lambda: window.add_ring_dialog(
            centre=(flat, flon), place=fid if f.kind == "place" else None))
        _copy_menu(menu, flat, flon)
    else:
        menu.addAction("Measure From Here", lambda: measure_from(window, lat, lng))
        _copy_menu(menu, lat, lng)
    delete = menu.addAction("Delete", lambda: (window.editor.selection.select(fid), window.delete_selected()))
    delete.setEnabled(window.editable(fid))
    return menu


def map_menu(window: "MainWindow", lat: float, lng: float) -> QMenu:
    from viewer.model.coords import normalise_lon

    lng = normalise_lon(lng)
    menu = QMenu(window)
    menu.setObjectName("mapMenu")
    menu.addAction("Add Marker Here", lambda: getattr(window, "naming", window.editor).add_marker(lat, lng))
    menu.addAction("What Is Here?", lambda: window.what_is_here(lat, lng))
    menu.addAction("Range Ring Here\u2026", lambda: window.add_ring_dialog(centre=(lat, lng)))
    menu.addAction("Measure From Here", lambda: measure_from(window, lat, lng))
    menu.addAction("Centre Here", lambda: window.map_view.run_js(f"SitMap.app.map.panTo([{lat!r}, {lng!r}])"))
    _copy_menu(menu, lat, lng)
    return menu


def measure_from(window: "MainWindow", lat: float, lng: float) -> None:
    """The measure tool, its first point already placed here."""
    window.draw.set_tool("measure")
    window.draw.machine.click(lat, lng)


def _refused_locked(window: "MainWindow", f) -> bool:
    """Whether ``f`` is on a locked layer, which nothing edits (said in the status bar)."""
    if not window._locked(f):
        return False
    window.statusBar().showMessage(f"{f.name}: its layer is locked (unlock it in the Layers tab)", 6000)
    return True


def rename_feature(window: "MainWindow", fid: str, name: str | None = None) -> bool:
    """Rename a feature (one undo step); asks for the name when none is given. Not on a locked layer."""
    from viewer.logic.naming import renamed

    f = window.doc.feature(fid)
    if f is None or _refused_locked(window, f):
        return False
    if name is None:
        from PySide6.QtWidgets import QInputDialog

        name, ok = QInputDialog.getText(window, "Rename", "Name:", text=f.name)
        if not ok:
            return False
    name = name.strip()[:500]
    if not name or name == f.name:
        return False
    return window.editor.replace(renamed(f, name), f"Rename {f.name} to {name}")


LINE_STYLES = ("solid", "dashed", "dotted")


def set_style(window: "MainWindow", fid: str, **changes) -> bool:
    """Change a feature's colour, line style or symbol (one undo step). Not on a locked layer."""
    from viewer.model.scenario import Feature

    f = window.doc.feature(fid)
    if f is None or _refused_locked(window, f):
        return False
    props = dict(f.properties)
    style = dict(props.get("style") or {})
    style.update({k: v for k, v in changes.items() if v})
    if style == (props.get("style") or {}):
        return False
    props["style"] = style
    return window.editor.replace(Feature(f.id, f.kind, f.geometry, props), f"Style {f.name}")


def _style_menu(menu: QMenu, window: "MainWindow", fid: str) -> QMenu:
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QColorDialog

    from viewer.model.scenario import MARKER_SYMBOLS
    from viewer.model.style import RING_COLOURS

    f = window.doc.feature(fid)
    sub = menu.addMenu("Style")
    sub.setObjectName("styleMenu")
    current = dict(f.properties.get("style") or {})
    for colour in RING_COLOURS + ("#333333",):
        act = sub.addAction(f"Colour {colour}")
        act.setCheckable(True)
        act.setChecked(current.get("color", "").upper() == colour)
        act.triggered.connect(lambda _=False, c=colour: set_style(window, fid, color=c))

    def other() -> None:
        c = QColorDialog.getColor(QColor(current.get("color") or "#333333"), window, "Colour")
        if c.isValid():
            set_style(window, fid, color=c.name().upper())

    sub.addAction("Other Colour\u2026", other)
    sub.addSeparator()
    if f.geometry.get("type") == "Point" and f.kind == "place":
        if f.role != "label":
            for symbol in MARKER_SYMBOLS:
                act = sub.addAction(f"Symbol: {symbol}")
                act.triggered.connect(lambda _=False, s=symbol: set_style(window, fid, symbol=s))
    else:
        for dash in LINE_STYLES:
            act = sub.addAction(f"Line: {dash}")
            act.setCheckable(True)
            act.setChecked(current.get("dash") == dash)
            act.triggered.connect(lambda _=False, d=dash: set_style(window, fid, dash=d))
    return sub


def show(menu: QMenu | None) -> None:
    if menu is not None:
        menu.popup(QCursor.pos())
