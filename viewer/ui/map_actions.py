"""New maps: File > New Map, File > New Launch Event (the wizard), File > Map Properties, and the
map menu's "What Is Here?"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from viewer.model.coords import format_latlon

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


class MapActions:
    def __init__(self, window: "MainWindow"):
        self.window = window
        self.wizard = None
        self.properties_dialog = None

    def new_map(self) -> bool:
        """A blank map in this window: the basemap and the current view, no layers yet."""
        from viewer.model.scenario import Scenario

        if not self.window.maybe_keep_changes():
            return False
        view = {}
        if self.window.map_view.state.get("center") and self.window.map_view.state.get("zoom") is not None:
            c = self.window.map_view.state["center"]
            view = {"center": [float(c[0]), float(c[1])], "zoom": float(self.window.map_view.state["zoom"])}
        self.window.set_scenario(Scenario(title="Untitled map", features=[], facts=[], view=view), None)
        self.window.files.recovery.clear()
        self.window.statusBar().showMessage("New map: draw, import, or File > Map Properties to name it.", 8000)
        return True

    def new_launch_event(self):
        """The launch-event wizard; Finish shows the event it built as a new map."""
        from viewer.ui.launch_wizard import LaunchWizard

        wizard = LaunchWizard(self.window)

        def finished() -> None:
            if wizard.built is None:
                return
            if not self.window.maybe_keep_changes():
                wizard.open()  # (the unsaved map is kept, and so is the event built: back to its last page)
                return
            self.window.set_scenario(wizard.built, None)
            self.window.statusBar().showMessage(f"New map: {wizard.built.title}", 8000)

        def pick() -> None:
            wizard.hide()
            self.window.draw.machine.pick_point(lambda lat, lon: (wizard.site.set_point(lat, lon), wizard.show()),
                                         wizard.show, "Click the launch site on the map; Esc cancels.")

        wizard.accepted.connect(finished)
        wizard.site.pickRequested.connect(pick)
        wizard.open()
        self.wizard = wizard
        return wizard

    def map_properties_dialog(self):
        """Map Properties, with the view on screen now offered as the opening view."""
        box = {}

        def got_bounds(text) -> None:
            import json as _json

            view = None
            try:
                b = _json.loads(text) if isinstance(text, str) else None
                if b and -90 <= b[0][0] < b[1][0] <= 90:
                    view = {"bounds": [[max(-90.0, b[0][0]), b[0][1]], [min(90.0, b[1][0]), b[1][1]]]}
            except (ValueError, TypeError, IndexError):
                view = None
            box["dialog"] = self._open_map_properties(view)

        if self.window.map_view.is_ready:
            self.window.map_view.run_js("SitMap.app.viewBounds()", got_bounds)
        else:
            got_bounds(None)
        return box

    def _open_map_properties(self, view):
        from viewer.model import edits
        from viewer.ui.map_properties import MapPropertiesDialog

        dlg = MapPropertiesDialog(self.window.doc.scenario, view, self.window)

        def accepted() -> None:
            changes = dlg.changes()
            if not changes:
                return  # OK with nothing changed: no undo step, nothing to save
            if not self.window.facts_editor._checked(edits.SetMeta("Edit map properties", **changes), dlg.show_error):
                dlg.open()

        dlg.accepted.connect(accepted)
        dlg.open()
        self.properties_dialog = dlg
        return dlg

    def what_is_here(self, lat: float, lng: float) -> list:
        """Places of the offline gazetteer near a point, nearest first, in the status bar."""
        from viewer.model.gazetteer import gazetteer

        near = [(r.distance_m, r.place) for r in gazetteer().within(lat, lng, 50_000, limit=5)]
        if not near:
            self.window.statusBar().showMessage(f"{format_latlon(lat, lng, self.window.coord_format)}: no place within 50 km "
                                         "in the offline gazetteer", 8000)
            return []
        text = "; ".join(f"{p.name}, {p.country} ({d / 1000:,.1f} km)" for d, p in near)
        self.window.statusBar().showMessage(f"Near {format_latlon(lat, lng, self.window.coord_format)}: {text}", 15000)
        return [p for _, p in near]
