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
    menu.addAction("Add Fact About This\u2026", lambda: window.facts_editor.add_fact(feature=fid))
    menu.addAction("Zoom To", lambda: window.focus_feature(fid))
    if f.geometry.get("type") == "Point":
        flat, flon = f.latlon()
        menu.addAction("Range Ring Here\u2026", lambda: window.add_ring_dialog(centre=(flat, flon)))
        _copy_menu(menu, flat, flon)
    else:
        _copy_menu(menu, lat, lng)
    delete = menu.addAction("Delete", lambda: (window.editor.selection.select(fid), window.delete_selected()))
    delete.setEnabled(window.editable(fid))
    return menu


def map_menu(window: "MainWindow", lat: float, lng: float) -> QMenu:
    from viewer.model.coords import normalise_lon

    lng = normalise_lon(lng)
    menu = QMenu(window)
    menu.setObjectName("mapMenu")
    menu.addAction("Add Marker Here", lambda: window.editor.add_marker(lat, lng))
    menu.addAction("What Is Here?", lambda: window.what_is_here(lat, lng))
    menu.addAction("Range Ring Here\u2026", lambda: window.add_ring_dialog(centre=(lat, lng)))
    menu.addAction("Centre Here", lambda: window.map_view.run_js(f"SitMap.app.map.panTo([{lat!r}, {lng!r}])"))
    _copy_menu(menu, lat, lng)
    return menu


def show(menu: QMenu | None) -> None:
    if menu is not None:
        menu.popup(QCursor.pos())
