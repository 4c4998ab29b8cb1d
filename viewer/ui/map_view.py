"""The map widget: a QWebEngineView showing the Leaflet page, and the bridge object
the page talks to over QWebChannel."""

from __future__ import annotations

import ctypes
import json
import math
import re
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QObject, QUrl, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QWidget

from viewer.ui.web import HOST, SEND_MS, AppSchemeHandler, NetworkGuard, app_profile, track_page

if TYPE_CHECKING:
    from viewer.model.scenario import Scenario
    from viewer.render.layers import DrawnFeature
    from viewer.render.page import PageOptions

_MAX_ID = 128
BATCH_FROM = 2000  # features: from this many on, the page fetches them as one JSON batch
_LAUNCH_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}")


def _valid_id(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= _MAX_ID


def _finite(*values: Any) -> bool:
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in values)


class MapBridge(QObject):
    """The only object the page can reach. Every slot checks its arguments first.

    Numbers are taken as QVariant: a NaN or Infinity (QWebChannel sends them as null) or a
    string arrives as None or text and is refused, instead of being turned into 0.0.

    Slots carry the names the page calls (camelCase): PySide6 crashes QWebChannel when a
    slot is renamed with ``Slot(name=...)``. Python listens to the signals, which are named apart.
    """

    ready = Signal(object)  # a dict; Signal(dict) converts through QVariant and over-releases its bools (PySide 6.12)
    featureSelected = Signal(str)
    pointerAt = Signal(float, float)
    pointerGone = Signal()
    viewMoved = Signal(float, float, float)
    groupVisibility = Signal(str, int)  # 1 shown, 0 hidden (a bool argument crashes PySide 6.12 at exit)
    baseLayerPicked = Signal(str)
    onlineTileError = Signal(str)
    clickedAt = Signal(float, float)
    doubleClickedAt = Signal(float, float)
    keyInPage = Signal(str)
    vertexDragged = Signal(str, int, float, float)
    featureAdded = Signal(str)
    historySelected = Signal(str)  # a launch of the history layer was clicked
    featureMenuAt = Signal(str, float, float)  # right-click on a feature
    mapMenuAt = Signal(float, float)  # right-click on the map
    legendMoved = Signal(int, str)  # folded (1/0), corner: the reader arranged the legend
    tilePicturesGiven = Signal(str)  # the first tiles' pictures, as JSON text (viewer.render.tile_pictures)

    @Slot("QVariant", "QVariant")
    def legendChanged(self, collapsed, corner) -> None:
        if isinstance(collapsed, bool) and corner in ("topleft", "topright", "bottomleft", "bottomright"):
            self.legendMoved.emit(1 if collapsed else 0, corner)

    @Slot(str, "QVariant", "QVariant")
    def featureContextMenu(self, feature_id: str, lat, lng) -> None:
        if _valid_id(feature_id) and _finite(lat, lng) and -90 <= lat <= 90 and abs(lng) < 1e6:
            self.featureMenuAt.emit(feature_id, lat, lng)

    @Slot("QVariant", "QVariant")
    def mapContextMenu(self, lat, lng) -> None:
        if _finite(lat, lng) and -90 <= lat <= 90 and abs(lng) < 1e6:
            self.mapMenuAt.emit(lat, lng)

    @Slot(str)
    def mapReady(self, state_json: str) -> None:
        if not isinstance(state_json, str) or len(state_json) > 5_000_000:
            return
        try:
            state = json.loads(state_json)
        except ValueError:
            return
        if isinstance(state, dict):
            self.ready.emit(state)

    @Slot(str)
    def featureClicked(self, feature_id: str) -> None:
        if _valid_id(feature_id):
            self.featureSelected.emit(feature_id)

    @Slot("QVariant", "QVariant")
    def pointerMoved(self, lat, lng) -> None:
        if _finite(lat, lng) and -90 <= lat <= 90 and abs(lng) < 1e6:
            self.pointerAt.emit(lat, lng)

    @Slot()
    def pointerLeft(self) -> None:
        self.pointerGone.emit()

    @Slot("QVariant", "QVariant", "QVariant")
    def viewChanged(self, lat, lng, zoom) -> None:
        if _finite(lat, lng, zoom) and -90 <= lat <= 90 and 0 <= zoom <= 30:
            self.viewMoved.emit(lat, lng, zoom)

    @Slot(str, bool)
    def groupToggled(self, group: str, visible: bool) -> None:
        if _valid_id(group) and isinstance(visible, bool):
            self.groupVisibility.emit(group, 1 if visible else 0)

    @Slot(str)
    def baseLayerChanged(self, name: str) -> None:
        if isinstance(name, str) and len(name) <= 200:
            self.baseLayerPicked.emit(name)

    @Slot("QVariant", "QVariant")
    def mapClicked(self, lat, lng) -> None:
        if _finite(lat, lng) and -90 <= lat <= 90 and abs(lng) < 1e6:
            self.clickedAt.emit(lat, lng)

    @Slot("QVariant", "QVariant")
    def mapDoubleClicked(self, lat, lng) -> None:
        if _finite(lat, lng) and -90 <= lat <= 90 and abs(lng) < 1e6:
            self.doubleClickedAt.emit(lat, lng)

    @Slot(str, "QVariant", "QVariant", "QVariant")
    def vertexMoved(self, feature_id: str, index, lat, lng) -> None:
        if isinstance(index, float) and index.is_integer():
            index = int(index)  # JSON numbers come as floats
        if (_valid_id(feature_id) and isinstance(index, int) and not isinstance(index, bool) and 0 <= index < 2_000_000
                and _finite(lat, lng) and -90 <= lat <= 90 and abs(lng) < 1e6):
            self.vertexDragged.emit(feature_id, index, lat, lng)

    @Slot(str)
    def featureShiftClicked(self, feature_id: str) -> None:
        if _valid_id(feature_id):
            self.featureAdded.emit(feature_id)

    @Slot("QVariant")
    def historyClicked(self, launch_id) -> None:
        # QVariant: a number from the page would otherwise arrive as its text ("42").
        if _valid_id(launch_id) and _LAUNCH_ID.fullmatch(launch_id):
            self.historySelected.emit(launch_id)

    @Slot(str)
    def keyPressed(self, key: str) -> None:
        if key in ("Escape", "Enter", "Delete", "Backspace"):
            self.keyInPage.emit(key)

    @Slot(str)
    def tilePictures(self, text: str) -> None:
        # (checked where they are kept: viewer.render.tile_pictures.clean_pictures)
        if isinstance(text, str) and len(text) <= 64 * 3_000_000:
            self.tilePicturesGiven.emit(text)

    @Slot(str)
    def onlineTileFailed(self, name: str) -> None:
        if isinstance(name, str) and len(name) <= 200:
            self.onlineTileError.emit(name)


def _give_back_none() -> None:
    """PySide 6.12's QWebEnginePage.runJavaScript releases one reference to None that it never
    took (measured: exactly one per call, with or without a callback). Without this, a long
    session (a command per mouse move while measuring) drives None's count to zero and the
    interpreter aborts ("none_dealloc"). Give the reference back."""
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))


def tile_host_domain(url_template: str) -> str:
    """The registrable part of a tile URL's host ("tile.openstreetmap.org" for "{s}.tile.openstreetmap.org")."""
    host = QUrl(url_template.replace("{s}", "a").replace("{z}", "0").replace("{x}", "0")
                .replace("{y}", "0").replace("{r}", "")).host()
    if host.replace(".", "").isdigit() or ":" in host:
        return host  # an address, not a name
    parts = host.split(".")
    return ".".join(parts[-3:]) if len(parts) > 3 else ".".join(parts[-2:]) if len(parts) > 2 else host


class _Page(QWebEnginePage):
    """Keeps the page where it is: no navigation away, no new windows."""

    consoleMessage = Signal(str)
    expected_url: QUrl | None = None  # the page the view itself loads; nothing else is shown
    refused: list[str] = []

    def acceptNavigationRequest(self, url: QUrl, nav_type, is_main_frame: bool) -> bool:  # noqa: N802
        kinds = QWebEnginePage.NavigationType
        if url.scheme() == "sitmap":
            # Only the load the view asked for: never a reload (F5, location.reload()), never back or
            # forward (a mouse's back button), never another page; a reload would wipe the drawing.
            if (nav_type not in (kinds.NavigationTypeReload, kinds.NavigationTypeBackForward)
                    and (self.expected_url is None or url == self.expected_url or not is_main_frame)):
                return True
            self.refused = [*self.refused[-20:], f"{nav_type.name} {url.toString()}"]
            return False
        if nav_type == QWebEnginePage.NavigationType.NavigationTypeLinkClicked and url.scheme() in ("http", "https"):
            from PySide6.QtGui import QDesktopServices

            QDesktopServices.openUrl(url)
        return False

    _BLOCKED = ("Reload", "ReloadAndBypassCache", "Back", "Forward", "ViewSource", "SavePage")

    def triggerAction(self, action, checked: bool = False) -> None:  # noqa: N802
        # Qt enables its page actions again after every load: they are refused here instead.
        if action.name in self._BLOCKED:
            self.refused = [*self.refused[-20:], f"action {action.name}"]
            return
        super().triggerAction(action, checked)

    def createWindow(self, _type):  # noqa: N802
        return None

    def javaScriptConsoleMessage(self, level, message, line, source):  # noqa: N802
        self.consoleMessage.emit(f"{source}:{line}: {message}")


PICTURES_AFTER_MS = 2000  # after a start's map is up: its first tiles' pictures kept (keep_tile_pictures)
# A large map's drawn set is made once the map is shown, DRAWN_SET_SLICE features at a time (1-3 ms
# each), as many slices a turn of the event loop as fit in DRAWN_SET_MS: a pan or click right after
# the map appears waits on one turn at most. (Slices of 5,000 taken one a turn were 6-16 ms on two
# cores, and with the window's other work after the map appears kept the main thread, which is the
# web engine's browser side too, busy 20-65 ms at a time for the first 0.4 s at 100,000 points.)
DRAWN_SET_SLICE = 1_000
DRAWN_SET_MS = 4.0


class MapView(QWebEngineView):
    """Shows a scenario. ``mapReady`` fires once every layer and the basemap are drawn."""

    mapReady = Signal(object)  # the page state (a dict), passed as the Python object
    unexpectedLoad = Signal()  # the page loaded again without being asked (a reload the engine did not refuse)

    _pages_made = 0

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        profile, handler, guard = app_profile()
        self.profile: QWebEngineProfile = profile
        self.scheme_handler: AppSchemeHandler = handler
        self.network_guard: NetworkGuard = guard
        MapView._pages_made += 1
        self._page_prefix = f"view{MapView._pages_made}"
        self._page = _Page(profile, self)
        self._pending_loads: list[str] = []  # pages asked for and not yet loaded
        self.legend_shown: list | None = None  # the legend last sent to the page (None: unknown)
        self._page.loadFinished.connect(self._load_finished)
        track_page(self._page)
        self.setPage(self._page)
        # The browser's own menu (Back, Reload, View Source...) is never offered: the page asks
        # the window for SitMap's menus; and nothing the user does can reload the page.
        self._no_browser_menu()
        from PySide6.QtWebEngineCore import QWebEnginePage

        for action in (QWebEnginePage.WebAction.Reload, QWebEnginePage.WebAction.ReloadAndBypassCache,
                       QWebEnginePage.WebAction.Back, QWebEnginePage.WebAction.Forward,
                       QWebEnginePage.WebAction.ViewSource, QWebEnginePage.WebAction.SavePage):
            self._page.action(action).setEnabled(False)
        self.bridge = MapBridge(self)
        self._channel = QWebChannel(self._page)
        self._channel.registerObject("bridge", self.bridge)
        self._page.setWebChannel(self._channel)
        self.bridge.ready.connect(self._on_ready)
        self.bridge.baseLayerPicked.connect(self._on_base_layer)
        self.console: list[str] = []
        self._page.consoleMessage.connect(self.console.append)
        self.is_ready = False
        self.state: dict[str, Any] = {}
        self.drawn: list[DrawnFeature] = []
        self._generation = 0
        self._loading_path = None
        self.online_specs: list[dict] = []
        self.page_html = ""
        self.page_data: dict[str, bytes] = {}  # the page's JSON batches, served beside it
        self.page_parts: list[str] = []  # the names of the parts a page takes its map in (show_in_parts)
        self._shell = None  # a page begun before its map (viewer.ui.waiting_page.WaitingPage), waiting for it
        guard, owner = self.network_guard, self._page_prefix
        self.destroyed.connect(lambda *_: guard.allow(owner, ()))  # a closed view lets nothing through

    def _no_browser_menu(self) -> None:
        from PySide6.QtCore import Qt

        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)

    def load(self, url) -> None:  # noqa: D102 - the only navigation the page accepts
        if isinstance(url, QUrl):
            self._loading_path = url.path()  # only this page's ready message will count
            self._page.expected_url = QUrl(url)
            self._pending_loads.append(url.toString())
        super().load(url)

    def _load_finished(self, ok: bool) -> None:
        if not ok:
            return  # a refused navigation also ends in a failed load: the page is still there
        url = self._page.url().toString()
        if url in self._pending_loads:
            del self._pending_loads[:self._pending_loads.index(url) + 1]
        else:
            self.unexpectedLoad.emit()

    def warm_up(self) -> None:
        """Start the web engine's processes on an empty page while Python prepares the map."""
        self.load(self.scheme_handler.set_page(f"{self._page_prefix}-blank.html",
                                               "<!DOCTYPE html><html><body style='background:#cfe3ef'></body></html>"))

    def begin_page(self) -> None:
        """Start-up with a large map to read: its page begins at once (the web engine starts, the
        page's scripts load and run) and waits for the map: :meth:`start_map` gives it its view
        and basemap once the map is read, :meth:`show_scenario` the rest once it is drawn.
        (The page the window shows a map on: default options.)"""
        from viewer.render.page import PageOptions, shell_page, template_key
        from viewer.ui.waiting_page import WaitingPage

        opts = PageOptions()
        self.scheme_handler.drop_pages(self._page_prefix)  # (the page before it: its batches, its parts)
        self._generation += 1
        shell = WaitingPage(template_key(opts), *(f"{self._page_prefix}-{what}-{self._generation}.json"
                                                   for what in ("start", "payload", "legend")))
        html = shell_page(opts, *(self.scheme_handler.hold_data(name)
                                  for name in (shell.start_name, shell.payload_name, shell.legend_name)))
        self.is_ready = False
        self._shell = shell
        self.load(self.scheme_handler.set_page(f"{self._page_prefix}-map-{self._generation}.html", html))

    def start_map(self, scenario: Scenario) -> None:
        """The map :meth:`begin_page`'s page waits for is read: the page shows its view and basemap
        (given the view's tiles: the app is busy drawing the map meanwhile)."""
        from viewer.render import layers as layer_mod
        from viewer.render.page import PageOptions

        if self._shell is not None and self._shell.view is None:
            self._start(self._shell, self._page_options(PageOptions())[1], layer_mod.scenario_view(scenario))

    def _start(self, shell, page_opts, view: dict) -> None:
        from viewer.render.page import map_payload
        from viewer.ui.waiting_page import start_answer

        tiles = self._view_tiles(page_opts, view, self.scheme_handler.basemap_tile)  # (built if need be)
        shell.view = view
        self.scheme_handler.set_data(shell.start_name, start_answer(map_payload(page_opts, view), tiles), once=True,
                                     wait_ms=SEND_MS)

    def _view_tiles(self, page_opts, view: dict | None, tile) -> dict[str, bytes]:
        """The built-in basemap's tiles of ``view`` at this view's size, from ``tile(z, x, y)`` (None:
        not given): what a page carries, and paints as it starts (it asks for the others)."""
        from viewer.ui.waiting_page import view_tiles

        if not view or not page_opts.basemap_url or page_opts.package is not None:
            return {}
        try:
            tiles = view_tiles(view, self.width(), self.height(), tile)
        except Exception as e:  # (as a tile the page asks for: a broken one must not take the page down)
            self.console.append(f"basemap tiles not given with the page: {e}")
            return {}
        return {k: v for k, v in tiles.items() if v is not None}

    def _page_options(self, opts) -> tuple[list[dict], "PageOptions"]:
        """(the online layers offered, the options the window's page is built with), from ``opts``
        (completed here: the basemap's attribution, the tile package chosen, the online layers)."""
        from dataclasses import replace

        from viewer.render.page import APP_BASE, online_layer_specs
        from viewer.render.tile_packages import chosen_page_spec
        from viewer.ui.online_tiles import page_url
        from viewer.ui.page_fonts import label_fonts

        if opts.basemap_url and not opts.basemap_attribution:
            try:
                opts.basemap_attribution = self.scheme_handler.basemap().attribution
            except (OSError, ValueError) as e:
                # No basemap data: draw the scenario on a plain background rather than nothing.
                self.console.append(f"basemap unavailable: {e}")
                opts.basemap_url = ""
        if opts.package is None and opts.basemap_url:  # the basemap chosen in View > Basemap
            opts.package = chosen_page_spec(APP_BASE)
        if opts.online_layers and opts.online_specs is None:
            opts.online_specs = online_layer_specs()  # once: the page and the network guard use the same list
        if opts.label_fonts is None:
            opts.label_fonts = label_fonts()
        specs = opts.online_specs if opts.online_layers else []
        # The page asks the app for online tiles (viewer.ui.online_tiles fetches and caches them).
        return specs, replace(opts, online_specs=[dict(s, url=page_url(APP_BASE, s["url"])) for s in specs])

    def show_scenario(self, scenario: Scenario, drawn: list[DrawnFeature] | None = None,
                      opts: "PageOptions | None" = None) -> None:
        from viewer.render import layers as layer_mod
        from viewer.render.drawn_set import DrawnSet
        from viewer.render.page import PageOptions, page_html, page_payload, template_key  # (folium: not before this)

        drawn = drawn if drawn is not None else layer_mod.draw_scenario(scenario)
        specs, page_opts = self._page_options(opts or PageOptions())
        shell, self._shell = self._shell, None
        if shell is not None and shell.key == template_key(page_opts):
            self._fill_waiting(shell, scenario, drawn, page_opts, specs)
            return
        # Kept up to date change by change from here on (its legend and groups too).
        self.drawn = DrawnSet.of(drawn)
        page_opts, data, _batch = self._batched(page_opts)
        payload = page_payload(scenario, self.drawn, page_opts)
        # (the first view's tiles built before: none is built for it here)
        tiles = self._view_tiles(page_opts, payload.get("view"), self.scheme_handler.ready_basemap_tile)
        self.load_page(page_html(page_opts, payload), specs, data, tiles=tiles)

    def _batched(self, page_opts, drawn=None):
        """(page options, the page's data, its features batch or None): many features come as one
        JSON batch through sitmap://, not megabytes of inline script for the page to parse (and
        for its Content-Security-Policy to hash)."""
        from dataclasses import replace

        drawn = self.drawn if drawn is None else drawn
        if len(drawn) < BATCH_FROM or page_opts.features_url is not None:
            return page_opts, {}, None
        from viewer.render.page import features_batch

        name = f"{self._page_prefix}-features-{self._generation + 1}.json"
        batch = features_batch(drawn)
        return replace(page_opts, features_url=f"sitmap://{HOST}/data/{name}"), {name: batch}, batch

    def _fill_waiting(self, shell, scenario: Scenario, drawn: list, page_opts, specs: list[dict]) -> None:
        """begin_page's page, waiting for this: its start (if the map was not read: a file that
        could not be, and the built-in map instead), then the rest of its payload, seen off before
        the window's panels are filled: the page draws its features meanwhile. A large map's legend
        follows it (counted on its own), and its drawn set is made once it is on screen."""
        from dataclasses import replace

        from viewer.render import layers as layer_mod
        from viewer.render.drawn_set import DrawnSet, legend_of
        from viewer.render.page import page_payload, page_with
        from viewer.render.safe_json import safe_json
        from viewer.ui.waiting_page import payload_answer

        if shell.view is None:
            self._start(shell, page_opts, layer_mod.view_of(scenario, drawn))
        page_opts, data, batch = self._batched(replace(page_opts, view=shell.view), drawn)
        later = batch is not None and not isinstance(drawn, DrawnSet)
        payload = page_payload(scenario, drawn, page_opts, legend=not later, legend_soon=later)
        html, payload = page_with(page_opts, payload)
        self._serve(html, specs, data)
        self.scheme_handler.set_data(shell.payload_name, payload_answer(payload, batch), once=True, wait_ms=SEND_MS)
        if later:  # (counted at once, for the page that asked for it with its payload; the drawn set after)
            self.legend_shown = legend_of(drawn)
            self.scheme_handler.set_data(shell.legend_name, safe_json(self.legend_shown).encode("utf-8"), once=True,
                                         wait_ms=SEND_MS)
            self.drawn = drawn
            self._keep_drawn_once_shown(drawn)
        else:
            self.scheme_handler.set_data(shell.legend_name, b"null", once=True)  # (its payload has it)
            # Kept up to date change by change from here on (its legend and groups too).
            self.drawn = DrawnSet.of(drawn)

    def takes_parts(self, scenario: Scenario) -> tuple | None:
        """Whether the window's page takes this map in parts (:meth:`show_in_parts`): one with
        enough lines and areas that the page's building them pays for drawing them in parts
        (viewer.render.parts). The page begun at start-up (:meth:`begin_page`) takes it; a map
        opened later has its page begun now, its scripts loading while the first part is drawn.
        Returns the page's options (as ``_page_options``: for :meth:`show_in_parts`), or None."""
        from viewer.render.page import PageOptions, template_key
        from viewer.render.parts import worth_parts

        if not worth_parts(scenario.features):
            return None
        if self._shell is None:
            self.begin_page()
            self.start_map(scenario)
        options = self._page_options(PageOptions())
        return options if self._shell.key == template_key(options[1]) else None

    def show_in_parts(self, scenario: Scenario, options: tuple,
                      beside: Callable[[Callable[[], list]], list]) -> list:
        """Draw the map for :meth:`begin_page`'s page in parts, each given to the page as soon as
        it is drawn (:func:`viewer.ui.map_parts.show_in_parts`). ``options`` are what
        :meth:`takes_parts` answered; ``beside(work)`` runs the drawing on a worker thread while
        this thread's event loop answers the page. Returns the drawn features, in map order."""
        from viewer.ui.map_parts import show_in_parts

        return show_in_parts(self, scenario, options, beside)

    def _keep_drawn_once_shown(self, drawn: list) -> None:
        """A large map's drawn set (which keeps its legend and groups up to date change by change)
        made once the map is on screen, a slice at a time while the window is idle: neither the
        page's first frames nor a pan right after the map appears wait on it (a million points:
        1.4 s). A change before it is whole makes it at once (MainWindow.features_changed), and
        this one is let go; so is the one of a map since replaced."""
        import gc
        import time

        from PySide6.QtCore import QTimer

        from viewer.render.drawn_set import DrawnSet

        made = DrawnSet()
        starts = iter(range(0, len(drawn), DRAWN_SET_SLICE))

        def step() -> None:
            if self.drawn is not drawn:
                return
            t0 = time.perf_counter()
            while True:
                start = next(starts, None)
                if start is None:
                    self.drawn = made
                    break
                made.put_many(drawn[start:start + DRAWN_SET_SLICE])
                if (time.perf_counter() - t0) * 1000 >= DRAWN_SET_MS:
                    QTimer.singleShot(0, step)
                    break
            if gc.isenabled():
                gc.freeze()  # (what it made is the map's, as viewer.model.bulk sets such work aside)

        def shown(_state=None) -> None:
            self.mapReady.disconnect(shown)
            QTimer.singleShot(0, step)

        self.mapReady.connect(shown)

    def load_page(self, html: str, online_specs: list[dict], data: dict[str, bytes] | None = None,
                  tiles: dict[str, str | bytes] | None = None, pictures: str | None = None,
                  served: bytes | None = None) -> None:
        """Show a built page (fresh, or from the page cache) and the JSON batches it fetches.
        ``tiles``: basemap tiles it carries ({"z/x/y": their JSON}, viewer.render.page_cache.carrying_tiles),
        painted as it starts (``page_html`` stays the page without them); ``pictures``: those
        tiles' pictures as the window showed them before (JSON text, viewer.render.tile_pictures).
        ``served``: the page with them as served, kept in the page cache (PageCache.prepared)."""
        from viewer.render.page_cache import served_page

        self._shell = None
        self._generation += 1
        self.scheme_handler.drop_pages(self._page_prefix)
        self._serve(html, online_specs, data)
        self.load(self.scheme_handler.set_served_page(f"{self._page_prefix}-map-{self._generation}.html",
                                                      served or served_page(html, tiles, pictures)))

    def _serve(self, html: str, online_specs: list[dict], data: dict[str, bytes] | None) -> None:
        """What a new page is served beside it (its online layers' tiles, its JSON batches)."""
        self.online_specs = list(online_specs)
        self.network_guard.allow(self._page_prefix, ())  # a new page starts with no online layer
        self.page_html = html
        self.legend_shown = None  # the new page shows the legend its payload carries
        self.is_ready = False
        for spec in self.online_specs:  # served through sitmap://app/online/: no remote host in the page
            self.scheme_handler.register_online(spec["url"])
        self.page_data = dict(data or {})
        self.page_parts = []
        for name, body in self.page_data.items():
            self.scheme_handler.set_data(name, body)

    def keep_tile_pictures(self, keys: list[str], store: Callable[[dict], None], after_ms: int | None = None) -> None:
        """A while after this page is up (its start and the window's over): the pictures of its
        basemap tiles ``keys`` ("z/x/y") as shown, checked, given to ``store``, if one of them was
        drawn rather than shown from its carried picture (resources/js/basemap.js, givePictures).
        Nothing if the page is replaced meanwhile."""
        from PySide6.QtCore import QTimer

        generation, wanted, waiting = self._generation, frozenset(keys), [True]

        def given(text: str) -> None:
            if not waiting[0]:
                return
            waiting[0] = False
            self.bridge.tilePicturesGiven.disconnect(given)
            if generation == self._generation:
                from viewer.render.tile_pictures import clean_pictures

                pictures = clean_pictures(text, wanted)
                if pictures:
                    store(pictures)

        def asked(count) -> None:
            if not (isinstance(count, (int, float)) and count > 0) and waiting[0]:
                waiting[0] = False  # (none to send)
                self.bridge.tilePicturesGiven.disconnect(given)

        def ask() -> None:
            if generation != self._generation or not self.is_ready or not wanted:
                return
            self.bridge.tilePicturesGiven.connect(given)
            self.run_js(f"SitMap.app.basemap ? SitMap.app.basemap.givePictures({json.dumps(sorted(wanted))}) : 0", asked)

        QTimer.singleShot(PICTURES_AFTER_MS if after_ms is None else after_ms, self, ask)  # (not once the view is gone)

    def follow_ready(self, handler: Callable[[dict], None]) -> None:
        """``handler(state)`` each time a page is ready, and now if this one is already (a part
        of the window made after the start-up's first map came up)."""
        self.mapReady.connect(handler)
        if self.is_ready:
            handler(self.state)

    def _on_ready(self, state: dict) -> None:
        page = state.get("page")
        if page is not None and page != self._loading_path:
            return  # the page this view has since replaced finished drawing
        if state.get("reloaded"):
            return  # a page reloaded under the view: never ready (unexpectedLoad: the window draws its map again)
        self.is_ready = True
        self.state = state
        self.mapReady.emit(state)

    def _on_base_layer(self, name: str) -> None:
        chosen = [spec for spec in self.online_specs if spec["name"] == name]
        self.network_guard.allow(self._page_prefix, {tile_host_domain(spec["url"]) for spec in chosen})
        for spec in chosen:
            self.call("enableOnline", name)

    def run_js(self, script: str, callback: Callable[[Any], None] | None = None) -> None:
        if callback is None:
            self._page.runJavaScript(script)
        else:
            self._page.runJavaScript(script, 0, callback)
        _give_back_none()

    def call(self, function: str, *args: Any, callback: Callable[[Any], None] | None = None) -> None:
        """Call ``SitMap.app.<function>(*args)`` with JSON-encoded arguments."""
        from viewer.render.safe_json import safe_json

        if not all(part.replace("_", "").isalnum() for part in function.split(".")):
            raise ValueError(function)
        target = f"SitMap.{function}" if "." in function else f"SitMap.app.{function}"
        script = f"{target}({', '.join(safe_json(a) for a in args)})"
        self.run_js(script, callback)
