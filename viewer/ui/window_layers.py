"""The main window's layers: the arrangement the document keeps (order, labels, visibility, locks)
shown alike by the page, View > Layers and the Layers tab, and what each of them changes in it."""

from __future__ import annotations



class WindowLayers:
    """Mixed into :class:`viewer.ui.main_window.MainWindow` (it has the document, the editor, the map
    view, the layers menu and panel these use, and ``_page_labels``: each layer's name in the
    page's layer control, forgotten when a new page is ready)."""

    def current_layers(self) -> list[dict]:
        """The map's saved arrangement, completed with every layer that has features."""
        from viewer.render import layers as layer_mod

        return layer_mod.arranged_layers(self.doc.scenario, self.map_view.drawn)

    def apply_layers(self, layers: list[dict]) -> None:
        """Arrange the layers (undoable)."""
        self.editor.set_layers(layers)

    def _show_layers(self, layers: list[dict]) -> None:
        """Make the page, the menus and the panel show this arrangement."""
        self.locked_groups = {x["id"] for x in layers if x.get("locked")}
        named = self._page_labels  # what the page's layer control calls each layer, as far as known
        for x in layers:
            if not getattr(self, "_page_has_visibility", False):
                self.map_view.call("setGroupVisible", x["id"], bool(x.get("visible", True)))
            # Every label the page may not show yet (a rename, its undo, a name given back by
            # hand): only those, as each renaming rebuilds the page's layer control.
            if named.get(x["id"]) != x["label"]:
                self.map_view.call("setGroupLabel", x["id"], x["label"])
                named[x["id"]] = x["label"]
            act = self._group_actions.get(x["id"])
            if act is not None:
                act.blockSignals(True)
                act.setChecked(bool(x.get("visible", True)))
                act.setText(x["label"].replace("&", "&&"))
                act.blockSignals(False)
        self.map_view.call("setGroupOrder", [x["id"] for x in layers])
        self.layers_panel.set_layers(layers)
        if self.properties.feature is not None:  # (locked or unlocked: its fields follow)
            self.properties.show_feature(self.doc.feature(self.properties.feature.id))
        self._show_handles()

    def _layers_edited(self, layers: list[dict]) -> None:
        current = self.current_layers()
        if layers != current and self.editor.set_layers(layers):
            return
        shown = [self.layers_panel.list.item(i).text() for i in range(self.layers_panel.list.count())]
        if shown != [x["label"] for x in current]:  # (a rename refused, or to nothing: the map's labels again)
            self.layers_panel.set_layers(current)

    def _rebuild_layer_actions(self, drawn) -> None:
        from viewer.render import layers as layer_mod

        self.layers_menu.clear()
        self._group_actions.clear()
        present = layer_mod.present_groups(self.doc.scenario, drawn)
        labels = layer_mod.group_labels(self.doc.scenario, present)
        for gid in present:
            act = self.layers_menu.addAction(labels.get(gid, gid).replace("&", "&&"))
            act.setCheckable(True)
            act.setChecked(True)
            act.toggled.connect(lambda on, g=gid: (self.map_view.call("setGroupVisible", g, on),
                                                   self._group_toggled(g, on)))
            self._group_actions[gid] = act

    def _group_toggled(self, group: str, visible) -> None:
        """The page's layer control (or the View menu) showed or hid a layer."""
        visible = bool(visible)
        layers = self.current_layers()
        for x in layers:
            if x["id"] == group:
                x["visible"] = visible
        if layers != self.current_layers():
            # The page already shows this: the document records it without echoing visibility back
            # (an echo would race the page's next toggles and flip layers back and forth).
            self._page_has_visibility = True
            try:
                self.editor.set_layers(layers)
            finally:
                self._page_has_visibility = False
