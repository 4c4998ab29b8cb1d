"""View → Basemap: the built-in offline basemap, the user's own tile packages (MBTiles,
PMTiles), remembered between runs, and the online layers (OpenStreetMap, Esri World
Imagery, OpenTopoMap through xyzservices) with their attribution and terms, off until
chosen and never remembered (a run starts offline). The choice is applied to the live page.

The choice lives in ``viewer.render.tile_packages.REGISTRY``, which the page builder and
every export read, so the screen and the briefing show the same basemap.

Settings (QSettings):
    basemap/packages   list of package file paths the user added
    basemap/chosen     path of the chosen package, or "" for the built-in basemap
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from viewer.render.tile_packages import REGISTRY, TilePackage, TilePackageError, describe_for_list


def _plain_tip(text: str) -> str:
    """A tooltip that shows ``text`` as text (Qt reads tooltips that look like markup as rich text)."""
    import html

    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"

KEY_PACKAGES = "basemap/packages"
KEY_CHOSEN = "basemap/chosen"
BUILTIN_NAMES = ("builtin", "built-in", "offline")
MAX_REMEMBERED = 20

# --basemap FILE|NAME from the command line, for the window about to be made (viewer.app).
command_line_choice: str | None = None


def _paths(settings: QSettings) -> list[str]:
    value = settings.value(KEY_PACKAGES, [])
    if isinstance(value, str):
        value = [value] if value else []
    return [str(v) for v in (value or []) if isinstance(v, str) and v][:MAX_REMEMBERED]


def resolve_choice(text: str, settings: QSettings) -> TilePackage | None:
    """``--basemap FILE|NAME``: a file path, or the name / file name of a remembered package;
    "builtin" for the built-in basemap (None). Raises TilePackageError with one line."""
    text = (text or "").strip()
    if not text or text.lower() in BUILTIN_NAMES:
        return None
    candidate = Path(text).expanduser()
    if candidate.exists() or candidate.suffix.lower() in (".mbtiles", ".pmtiles") or "/" in text:
        return REGISTRY.add(candidate)
    found = REGISTRY.find(text)
    if found is not None:
        return found
    low = text.lower()
    for path in _paths(settings):
        p = Path(path)
        if low in (p.name.lower(), p.stem.lower()):
            return REGISTRY.add(p)
    for path in _paths(settings):  # metadata names need the archive opened
        try:
            pkg = REGISTRY.add(path)
        except TilePackageError:
            continue
        if pkg.name.lower() == low:
            return pkg
    raise TilePackageError(f"{text}: no such tile package file, and no remembered package of that name")


def choose_for_export(text: str) -> str | None:
    """``--basemap`` with ``--export``: choose the package for the export; the error line, or None."""
    try:
        pkg = resolve_choice(text, QSettings("SitMap", "SitMap"))
    except TilePackageError as e:
        return f"--basemap {e}"
    REGISTRY.choose(pkg.id if pkg else "")
    return None


def restore_choice(settings: QSettings) -> list[str]:
    """The remembered choice, the command line's first, chosen now so that the window's first page
    shows it (its package opened); what to report about it."""
    global command_line_choice
    messages: list[str] = []
    if command_line_choice is not None:
        text, command_line_choice = command_line_choice, None
        try:
            pkg = resolve_choice(text, settings)
        except TilePackageError as e:
            messages.append(str(e))
            pkg = None
        if pkg is not None:
            _remember(settings, pkg)
        REGISTRY.choose(pkg.id if pkg else "")
        settings.setValue(KEY_CHOSEN, str(pkg.path) if pkg else "")
        return messages
    chosen = str(settings.value(KEY_CHOSEN, "") or "")
    if chosen:
        try:
            REGISTRY.choose(REGISTRY.add(chosen).id)
        except TilePackageError as e:
            messages.append(f"{e} — showing the built-in basemap")
            REGISTRY.choose("")
    return messages


def _remember(settings: QSettings, pkg: TilePackage) -> None:
    paths = [p for p in _paths(settings) if Path(p) != pkg.path]
    settings.setValue(KEY_PACKAGES, [str(pkg.path)] + paths[: MAX_REMEMBERED - 1])


class BasemapMenu(QObject):
    """The View → Basemap submenu of a main window."""

    def __init__(self, window, parent_menu: QMenu, restored: list[str] | None = None):
        """``restored``: the messages of :func:`restore_choice`, called already (else it is now)."""
        super().__init__(window)
        self.window = window
        self.settings: QSettings = window.settings
        self.menu = parent_menu.addMenu("&Basemap")
        self.menu.setObjectName("basemapMenu")
        self.menu.aboutToShow.connect(self._open_remembered)
        self._group = QActionGroup(self)
        self._group.setExclusive(True)
        self.act_builtin = QAction("&Built-in (offline)", self)
        self.act_builtin.setCheckable(True)
        self.act_builtin.setData("")
        self.act_add = QAction("Add &Tile Package…", self)
        self.act_add.triggered.connect(self.add_dialog)
        self.act_remove = QAction("&Remove Chosen Package", self)
        self.act_remove.triggered.connect(self.remove_chosen)
        self.act_info = QAction("About This &Basemap…", self)
        self.act_info.triggered.connect(self.show_info)
        self._group.triggered.connect(self._picked)
        self.errors: list[str] = []
        self.online_chosen = ""  # the online layer shown, by name ("" = none)
        for message in restore_choice(self.settings) if restored is None else restored:
            self._report(message)
        self.rebuild()
        window.map_view.follow_ready(self._page_ready)
        window.map_view.bridge.baseLayerPicked.connect(self._base_layer_picked)

    # ------------------------------------------------------------------ state
    def _open_remembered(self) -> None:
        """The other remembered packages are opened when the menu is first shown, not at start-up."""
        for path in _paths(self.settings):
            if REGISTRY.find(path) is None:
                try:
                    REGISTRY.add(path)
                except TilePackageError:
                    continue
        self.rebuild()

    def _remember(self, pkg: TilePackage) -> None:
        _remember(self.settings, pkg)

    def _report(self, message: str) -> None:
        self.errors.append(message)
        self.window.statusBar().showMessage(message, 12000)

    # ------------------------------------------------------------------ menu
    def rebuild(self) -> None:
        self.menu.clear()
        for a in self._group.actions():
            self._group.removeAction(a)
        self.menu.addAction(self.act_builtin)
        self._group.addAction(self.act_builtin)
        chosen = REGISTRY.chosen_id
        self.act_builtin.setChecked(not chosen and not self.online_chosen)
        pkgs = REGISTRY.packages()
        if pkgs:
            self.menu.addSection("Tile packages")
        for pkg in pkgs:
            a = QAction(describe_for_list(pkg), self)
            a.setCheckable(True)
            a.setData(pkg.id)
            a.setChecked(pkg.id == chosen and not self.online_chosen)
            tip = pkg.describe() + (f"\n{pkg.attribution}" if pkg.attribution else "")
            a.setToolTip(_plain_tip(tip))
            a.setStatusTip(pkg.describe())
            self._group.addAction(a)
            self.menu.addAction(a)
        specs = self.window.map_view.online_specs
        if specs:
            self.menu.addSection("Online (requests leave this computer)")
        for spec in specs:
            a = QAction(spec["name"], self)
            a.setCheckable(True)
            a.setData("online:" + spec["name"])
            a.setChecked(spec["name"] == self.online_chosen)
            a.setToolTip(_plain_tip(self._online_text(spec)))
            a.setStatusTip(f"{spec['name']}: {spec.get('attribution', '')}")
            self._group.addAction(a)
            self.menu.addAction(a)
        self.menu.addSeparator()
        self.menu.addAction(self.act_add)
        self.menu.addAction(self.act_remove)
        self.act_remove.setEnabled(bool(chosen))
        self.menu.addAction(self.act_info)
        self.menu.setToolTipsVisible(True)

    @staticmethod
    def _online_text(spec: dict) -> str:
        from viewer.ui.map_view import tile_host_domain

        return (f"{spec['name']}\nTiles from {tile_host_domain(spec['url'])}, only while chosen; the tiles you view "
                f"are kept in a bounded local cache so the view works offline later (nothing is downloaded ahead)."
                f"\nAttribution: {spec.get('attribution') or '(none)'}\nTerms of use: {spec.get('terms') or '(see the provider)'}")

    def _picked(self, action: QAction) -> None:
        data = str(action.data() or "")
        if data.startswith("online:"):
            self.choose_online(data[len("online:"):])
        else:
            self.choose(data)

    def choose(self, pid: str) -> None:
        """Show the package ``pid`` ("" = the built-in basemap) on the map, and remember it."""
        REGISTRY.choose(pid)
        pkg = REGISTRY.chosen()
        self.settings.setValue(KEY_CHOSEN, str(pkg.path) if pkg else "")
        if self.online_chosen:
            self.online_chosen = ""
            REGISTRY.online = None
            self.window.map_view.call("chooseBaseLayer", "")
        self.apply()
        self.rebuild()

    def choose_online(self, name: str) -> None:
        """Show an online layer (its host is let through when the page switches to it)."""
        spec = next((s for s in self.window.map_view.online_specs if s["name"] == name), None)
        if spec is None:
            return
        if REGISTRY.chosen_id:
            REGISTRY.choose("")
            self.settings.setValue(KEY_CHOSEN, "")
            self.apply()
        self.online_chosen = name
        REGISTRY.online = dict(spec)  # the exports show it too
        self.window.map_view.call("chooseBaseLayer", name)
        self.window.statusBar().showMessage(f"{name}: {spec.get('attribution', '')} — terms: {spec.get('terms', '')}",
                                            12000)
        self.rebuild()

    def _base_layer_picked(self, name: str) -> None:
        """The layer control in the page switched base layers: keep the menu in step."""
        spec = next((s for s in self.window.map_view.online_specs if s["name"] == name), None)
        self.online_chosen = name if spec is not None else ""
        REGISTRY.online = dict(spec) if spec is not None else None
        self.rebuild()

    def apply(self) -> None:
        from viewer.render.page import APP_BASE
        from viewer.render.tile_packages import chosen_page_spec

        self.window.map_view.call("setPackage", chosen_page_spec(APP_BASE))

    def _page_ready(self, _state=None) -> None:
        """A page from the page cache may carry another basemap: put the chosen one on it. A new
        page starts without an online layer."""
        want = REGISTRY.chosen_id
        if self.online_chosen:
            self.online_chosen = ""
            REGISTRY.online = None
            self.rebuild()

        def check(current) -> None:
            if (current or "") != want:
                self.apply()

        self.window.map_view.run_js("SitMap.app.packageSpec ? SitMap.app.packageSpec.id : ''", check)

    def add_path(self, path: str | Path) -> TilePackage | None:
        """Open a package, remember it and show it. A bad file gets one clear message."""
        try:
            pkg = REGISTRY.add(path)
        except TilePackageError as e:
            self.errors.append(str(e))
            self.window.show_error("Cannot open tile package", str(e))
            return None
        self._remember(pkg)
        self.choose(pkg.id)
        self.window.statusBar().showMessage(f"Basemap: {pkg.describe()}", 8000)
        return pkg

    def add_dialog(self) -> None:
        start = str(self.settings.value("files/last_dir", ""))
        name, _ = QFileDialog.getOpenFileName(self.window, "Add Tile Package", start,
                                              "Tile packages (*.mbtiles *.pmtiles);;All files (*)")
        if name:
            self.add_path(name)

    def remove_chosen(self) -> None:
        pkg = REGISTRY.chosen()
        if pkg is None:
            return
        self.settings.setValue(KEY_PACKAGES, [p for p in _paths(self.settings) if Path(p) != pkg.path])
        REGISTRY.remove(pkg.id)
        self.choose("")

    def info_text(self) -> str:
        spec = next((s for s in self.window.map_view.online_specs if s["name"] == self.online_chosen), None)
        if spec is not None:
            return self._online_text(spec)
        pkg = REGISTRY.chosen()
        if pkg is None:
            try:
                credit = self.window.map_view.scheme_handler.basemap().attribution
            except (OSError, ValueError):
                credit = ""
            return f"Built-in offline basemap, zooms 0–14.\n{credit}"
        w, s, e, n = pkg.bounds
        return (f"{pkg.name}\n{pkg.kind.upper()}, {'vector tiles' if pkg.is_vector else pkg.format.upper() + ' tiles'}\n"
                f"Zooms {pkg.min_zoom}–{pkg.max_zoom}; outside them the built-in basemap shows.\n"
                f"Bounds: {w:.4f}, {s:.4f} to {e:.4f}, {n:.4f}\n"
                f"Attribution: {pkg.attribution or '(none given)'}\nFile: {pkg.path}")

    def show_info(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "Basemap", self.info_text(), QMessageBox.StandardButton.Ok,
                          self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setObjectName("basemapInfoBox")
        box.open()
        self._info_box = box


def install(window, view_menu: QMenu, restored: list[str] | None = None) -> BasemapMenu:
    """Add View → Basemap to ``window`` (a MainWindow: settings, map_view, statusBar, show_error);
    ``restored``: as for BasemapMenu."""
    return BasemapMenu(window, view_menu, restored)
