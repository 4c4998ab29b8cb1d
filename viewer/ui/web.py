"""The web side of the window: the ``sitmap:`` URL scheme that serves the page and
its local assets, the guard that keeps a default run off the network, and the
profile that ties them together."""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Callable

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QEventLoop, QFile, QIODevice, QObject, QTimer, QUrl, Signal
from PySide6.QtWebEngineCore import (
    QWebEngineProfile,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)

from viewer import resources
from viewer.render.page_assets import MAX_TILE_BATCH, PAGE_BUNDLE, leaflet_dir, page_bundle
from viewer.ui.later_answer import Pending

SCHEME = b"sitmap"
HOST = "app"
LOCAL_SCHEMES = {"sitmap", "qrc", "data", "blob", "about"}
_registered = False


def register_scheme() -> None:
    """Must run before the QApplication exists."""
    global _registered
    if _registered:
        return
    scheme = QWebEngineUrlScheme(SCHEME)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    scheme.setFlags(
        QWebEngineUrlScheme.Flag.SecureScheme
        | QWebEngineUrlScheme.Flag.CorsEnabled
        | QWebEngineUrlScheme.Flag.FetchApiAllowed
    )
    QWebEngineUrlScheme.registerScheme(scheme)
    _registered = True


_MIME = {".js": b"text/javascript", ".css": b"text/css", ".html": b"text/html", ".json": b"application/json",
         ".png": b"image/png", ".svg": b"image/svg+xml"}


# A waiting page's answers go out through the event loop, which the app then leaves for long (to
# draw the map, to fill the panels): each is seen off first, the loop run until the page has it,
# at most this long (set_data's wait_ms, wait_taken).
SEND_MS = 2000


class AppSchemeHandler(QWebEngineUrlSchemeHandler):
    """Serves sitmap://app/…: the current page, Leaflet from its package, SitMap's own
    scripts and styles, qwebchannel.js from Qt's resources, and basemap tiles."""

    dataTaken = Signal(str)  # a page has had the whole of the data by this name (sitmap://app/data/NAME)
    _tileBuilt = Signal(object, object)  # (the request's token, the tile or the error), from the tile builder

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pages: dict[str, bytes] = {}
        self._data: dict[str, bytes] = {}
        self._held: dict[str, list[Pending]] = {}  # data promised, not yet set: the requests waiting for it
        self._once: set[str] = set()  # data served to one request only
        self._untaken: set[str] = set()  # data served once (or answering a request), not yet all had by its page
        self._sent: dict[str, threading.Event] = {}  # data a worker waits to see off (:meth:`sent_off`)
        self._sent_lock = threading.Lock()
        self.dataTaken.connect(self._taken)
        self._basemap = None
        self.served_tiles: dict[str, str] = {}
        self._leaflet = leaflet_dir()
        self._bundle: bytes | None = None  # the page scripts as one (page_assets.PAGE_BUNDLE), made once
        self._static_roots = {"js": resources.path("js"), "css": resources.path("css"),
                              "icons": resources.path("icons")}
        self.tile_provider: Callable[[int, int, int], bytes] | None = None
        self.built_tiles = None  # viewer.render.basemap_store.BuiltTiles, made for the first tile
        # Tiles not built before are built beside the main thread (one at a time, one Basemap): the
        # window and the page's frames go on meanwhile (see requestStarted).
        self._tile_lock = threading.Lock()
        self._builder = None  # a one-thread executor, made for the first tile to build
        self._building: dict[int, tuple] = {}  # token -> (the request, z, x, y)
        self._tileBuilt.connect(self._reply_built)
        self._online = None  # viewer.ui.online_tiles.OnlineTiles, made on first use (see online)
        self._online_due: dict[str, None] = {}  # templates registered before it was made (in order)
        self.guard: NetworkGuard | None = None  # the profile's, set by make_profile

    @property
    def online(self):
        """The online layers' tiles (viewer.ui.online_tiles.OnlineTiles), made when first asked for:
        a map without an online layer (every export, most starts) never builds it or imports its module."""
        if self._online is None and self.guard is not None:
            from viewer.ui.online_tiles import OnlineTiles

            self._online = OnlineTiles(self.guard, parent=self)
            for template in self._online_due:
                self._online.register(template)
            self._online_due.clear()
        return self._online

    def register_online(self, template: str) -> None:
        """An online layer's tile URL template, served through sitmap://app/online/ (OnlineTiles.register):
        kept until the tiles' fetcher is made, as a window's page offers the online layers and seldom
        shows one."""
        if self._online is not None:
            self._online.register(template)
        else:
            self._online_due[template] = None

    def set_page(self, name: str, html: str, img_hosts: tuple[str, ...] = ()) -> QUrl:
        """Serve a page under sitmap://app/NAME, with a Content-Security-Policy that lets
        only its own scripts run (inline ones by hash) and images come from img_hosts."""
        from viewer.render.csp import with_csp

        return self.set_served_page(name, with_csp(html, img_extra=img_hosts).encode("utf-8"))

    def set_served_page(self, name: str, body: bytes) -> QUrl:
        """Serve a page's bytes as they are, its policy inside them (put together by set_page, or
        by viewer.render.page_cache.served_page), under sitmap://app/NAME."""
        self._pages[name] = body
        return QUrl(f"sitmap://{HOST}/{name}")

    def set_data(self, name: str, body: bytes, once: bool = False, wait_ms: int = 0) -> str:
        """Serve a page's data (its features as one JSON batch) under sitmap://app/data/NAME:
        the page fetches and parses it, instead of carrying megabytes of inline script.
        ``once``: to the one request for it (waiting, else the next), then no longer kept.
        ``wait_ms``: a request waiting for it is answered through this thread's event loop: run it
        (user input excluded) until the page has the answer, at most this long."""
        held = [p.job for p in self._held.pop(name, ()) if p.live()]
        taken = QEventLoop() if held and wait_ms > 0 else None
        if taken is not None:
            def done(what: str) -> None:
                if what == name:
                    taken.quit()

            self.dataTaken.connect(done)
        if held or once:
            self._untaken.add(name)
        if not held:  # (kept until the page asks: nothing on the way)
            self.sent_off(name).set()
        for job in held:
            self._reply_data(job, name, body)
        if not (once and held):
            self._data[name] = body
            if once:
                self._once.add(name)
        if taken is not None:
            QTimer.singleShot(wait_ms, taken.quit)
            taken.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
            self.dataTaken.disconnect(done)
        return f"sitmap://{HOST}/data/{name}"

    def sent_off(self, name: str) -> threading.Event:
        """An event, for any thread to wait on, set once nothing of the data by this name is on its
        way to the page: :meth:`set_data` gave it to a request that waited for it and the page has
        had the whole of it, or gave it with no request waiting (it is kept until the page asks),
        or it was dropped. (A worker that gives the page data through this thread waits on it: the
        answer goes out through this thread's event loop, which the worker's work holds back.)"""
        with self._sent_lock:
            event = self._sent.get(name)
            if event is None:
                event = self._sent[name] = threading.Event()
            return event

    def _taken(self, name: str) -> None:
        self._untaken.discard(name)
        with self._sent_lock:
            event = self._sent.get(name)
        if event is not None:
            event.set()

    def wait_taken(self, names: Iterable[str], wait_ms: int) -> None:
        """Run this thread's event loop (user input excluded) until the page has had the whole of
        each of the data named that :meth:`set_data` gave once or to a waiting request, at most
        ``wait_ms``. (The page's answers go out through this thread: Python's work here would
        hold them back.)"""
        left = set(names) & self._untaken
        if not left:
            return
        loop = QEventLoop()

        def done(what: str) -> None:
            left.discard(what)
            if not left:
                loop.quit()

        self.dataTaken.connect(done)
        QTimer.singleShot(wait_ms, loop.quit)
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        self.dataTaken.disconnect(done)

    def _reply_data(self, job: QWebEngineUrlRequestJob, name: str, body: bytes) -> None:
        # (the job goes once the page has the whole answer: dataTaken says so)
        job.destroyed.connect(lambda *_: self.dataTaken.emit(name) if shiboken6.isValid(self) else None)
        _reply(job, b"application/json", body)

    def _take_data(self, name: str) -> bytes | None:
        if name in self._once:
            self._once.discard(name)
            return self._data.pop(name, None)
        return self._data.get(name)

    def hold_data(self, name: str) -> str:
        """Promise data under sitmap://app/data/NAME: a request for it waits until :meth:`set_data`
        gives it (or :meth:`drop_data` takes the promise back, and the request fails)."""
        self._held.setdefault(name, [])
        return f"sitmap://{HOST}/data/{name}"

    def _wait_for_data(self, name: str, job: QWebEngineUrlRequestJob) -> None:
        self._held[name].append(Pending(job))  # (the page may go before the data comes)

    def drop_data(self, name: str) -> None:
        """Stop serving one data blob (its owner replaced it)."""
        self._data.pop(name, None)
        self._once.discard(name)
        self._untaken.discard(name)
        with self._sent_lock:
            event = self._sent.pop(name, None)
        if event is not None:
            event.set()  # (no one waits for data that will not go)
        for p in self._held.pop(name, ()):
            if p.live():
                p.job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)

    def drop_pages(self, prefix: str) -> None:
        for name in [n for n in self._pages if n.startswith(prefix + "-")]:
            del self._pages[name]
        for name in [n for n in [*self._data, *self._held] if n.startswith(prefix + "-")]:
            self.drop_data(name)

    def basemap(self):
        if self._basemap is None:
            with self._tile_lock:
                if self._basemap is None:
                    from viewer.render.basemap import Basemap

                    self._basemap = Basemap.load()
        return self._basemap

    def tile_store(self):
        """Built-in basemap tiles built before, on disk (in the app's cache folder)."""
        if self.built_tiles is None:
            from PySide6.QtCore import QStandardPaths

            from viewer.render.basemap_store import BuiltTiles

            cache = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
            self.built_tiles = BuiltTiles(Path(cache) / "basemap-tiles")
        return self.built_tiles

    def basemap_tile(self, z: int, x: int, y: int) -> bytes:
        """The built-in basemap's tile z/x/y (its JSON), as the page is served it."""
        body = self._ready_tile(z, x, y)
        if body is None:
            body = self._build_tile(z, x, y)
        self._served(z, x, y, body)
        return body

    def ready_basemap_tile(self, z: int, x: int, y: int) -> bytes | None:
        """The built-in basemap's tile z/x/y if it is there without building it (counted as served,
        for the page cache), else None: what a page may carry (MapView.show_scenario), or be given
        in a batch."""
        try:
            body = self._ready_tile(z, x, y)
        except Exception:  # (a broken one: the page asks for it alone, and finds why)
            return None
        if body is not None:
            self._served(z, x, y, body)
        return body

    def _ready_tile(self, z: int, x: int, y: int) -> bytes | None:
        """The tile if it is there without building it (given by a provider, or built before and kept
        on disk), else None. (A page from the page cache carries those it drew first.)"""
        body = self.tile_provider(z, x, y) if self.tile_provider is not None else None
        if body is None:
            body = self.tile_store().get(z, x, y)
        return body

    def _ready_tiles(self, z: int, xys: list[tuple[int, int]]) -> bytes:
        """Those of the tiles (z, x, y for each xy) that are there without building them, as one JSON
        object ``{"x/y": tile}``: the page asks for the rest one by one (and so has them built)."""
        parts = []
        for x, y in xys:
            body = self.ready_basemap_tile(z, x, y)  # (a broken one: asked for alone, it fails alone)
            if body is not None:
                parts.append(b'"%d/%d":%s' % (x, y, body))
        return b"{" + b",".join(parts) + b"}"

    def _build_tile(self, z: int, x: int, y: int) -> bytes:
        """The tile built from the basemap data (on whichever thread asks: one at a time), and kept
        on disk: the next start or export need not load the basemap data."""
        basemap = self.basemap()
        with self._tile_lock:
            store = self.tile_store()
            body = store.get(z, x, y)  # (built meanwhile, for another request)
            if body is None:
                body = basemap.tile(z, x, y)
                store.put(z, x, y, body)
        return body

    def _package_tile(self, z: int, x: int, y: int) -> bytes:
        basemap = self.basemap()
        with self._tile_lock:
            return basemap.tile(z, x, y)

    def _served(self, z: int, x: int, y: int, body: bytes) -> None:
        if len(self.served_tiles) < 64:
            try:
                self.served_tiles[f"{z}/{x}/{y}"] = body.decode("utf-8")
            except UnicodeDecodeError:
                pass  # (a broken tile: not kept for the next start; the page finds it broken)

    def _build_beside(self, job: QWebEngineUrlRequestJob, z: int, x: int, y: int) -> None:
        """Build a tile on the builder's thread and answer the request with it there (the page may
        go meanwhile: its request is then deleted, and not answered)."""
        if self._builder is None:
            from concurrent.futures import ThreadPoolExecutor

            self._builder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sitmap-tiles")
        pending = Pending(job)
        token = id(pending)
        self._building[token] = (pending, z, x, y)

        def build() -> None:
            try:
                body = self._build_tile(z, x, y)
            except ValueError:  # (no such tile)
                body = QWebEngineUrlRequestJob.Error.UrlNotFound
            except Exception:  # a broken tile must not take the page down
                body = QWebEngineUrlRequestJob.Error.RequestFailed
            try:
                self._tileBuilt.emit(token, body)  # (to the main thread: a queued signal)
            except RuntimeError:
                pass  # (the handler went with its profile meanwhile)

        self._builder.submit(build)

    def stop_building(self) -> None:
        """Build no more tiles: the one under way ends, those waiting are dropped (at exit)."""
        if self._builder is not None:
            self._builder.shutdown(wait=False, cancel_futures=True)
            self._builder = None
        self._building.clear()

    def _reply_built(self, token, body) -> None:
        got = self._building.pop(token, None)
        if got is None:
            return  # (building stopped meanwhile)
        pending, z, x, y = got
        if not pending.live():
            return
        if not isinstance(body, bytes):
            pending.job.fail(body)
            return
        self._served(z, x, y, body)
        _reply(pending.job, b"application/json", body)

    def resolve(self, path: str) -> tuple[bytes, bytes] | None:
        """(mime, body) for a path under sitmap://app/, or None. Never leaves the asset folders.
        (A page's data, sitmap://app/data/NAME, is answered by requestStarted: see set_data.)"""
        path = path.lstrip("/")
        if path in self._pages:
            return b"text/html", self._pages[path]
        parts = path.split("/")
        if any(p in ("", ".", "..") for p in parts):
            return None
        if path == "qwebchannel.js":
            f = QFile(":/qtwebchannel/qwebchannel.js")
            if not f.open(QIODevice.OpenModeFlag.ReadOnly):
                return None
            data = bytes(f.readAll().data())
            f.close()
            return b"text/javascript", data
        tile = _basemap_tile_key(path)
        if tile is not None:
            try:
                return b"application/json", self.basemap_tile(*tile)
            except ValueError:  # (no such tile)
                return None
        if parts[0] == "pkg":  # a tile package's tile (viewer.render.tile_packages)
            from viewer.render.tile_packages import serve

            return serve(parts, self._package_tile)
        if path == PAGE_BUNDLE:
            if self._bundle is None:
                self._bundle = page_bundle().encode("utf-8")
            return b"text/javascript", self._bundle
        if parts[0] == "leaflet":
            root = self._leaflet
        elif parts[0] in self._static_roots:
            root = self._static_roots[parts[0]]
        else:
            return None
        target = (root.joinpath(*parts[1:])).resolve()
        if root.resolve() not in target.parents or not target.is_file():
            return None
        mime = _MIME.get(target.suffix) or (mimetypes.guess_type(target.name)[0] or "application/octet-stream").encode()
        return mime, target.read_bytes()

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:  # noqa: N802 (Qt API)
        url = job.requestUrl()
        if url.host() != HOST or job.requestMethod() != b"GET":
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        if url.path().startswith("/online/") and self.online is not None:
            self.online.start(job, url.path().lstrip("/").split("/"))  # viewer.ui.online_tiles: may answer later
            return
        path = url.path()
        batch = _basemap_batch_key(path, url.query())
        if batch is not None:
            _reply(job, b"application/json", self._ready_tiles(*batch))
            return
        tile = _basemap_tile_key(path)
        if tile is not None:
            try:
                body = self._ready_tile(*tile)
            except Exception:  # a broken tile must not take the page down
                job.fail(QWebEngineUrlRequestJob.Error.RequestFailed)
                return
            if body is None:
                self._build_beside(job, *tile)
            else:
                self._served(*tile, body)
                _reply(job, b"application/json", body)
            return
        if path.startswith("/data/") and "/" not in path[6:]:
            name = path[6:]
            if name in self._held:
                self._wait_for_data(name, job)
                return
            body = self._take_data(name)
            if body is None:
                job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            else:
                self._reply_data(job, name, body)
            return
        try:
            found = self.resolve(path)
        except Exception:  # a broken tile must not take the page down
            job.fail(QWebEngineUrlRequestJob.Error.RequestFailed)
            return
        if found is None:
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        _reply(job, *found)


def _basemap_tile_key(path: str) -> tuple[int, int, int] | None:
    """(z, x, y) of a built-in basemap tile's path (/basemap/Z/X/Y.json), else None."""
    parts = path.lstrip("/").split("/")
    if len(parts) != 4 or parts[0] != "basemap" or not parts[3].endswith(".json"):
        return None
    try:
        return int(parts[1]), int(parts[2]), int(parts[3][:-5])
    except ValueError:
        return None


def _basemap_batch_key(path: str, query: str) -> tuple[int, list[tuple[int, int]]] | None:
    """(z, [(x, y), ...] without repeats) of a request for several built-in basemap tiles
    (/basemap/Z/batch.json?xy=X.Y,X.Y,..., viewer.render.page.APP_TILE_BATCH), else None."""
    parts = path.lstrip("/").split("/")
    if len(parts) != 3 or parts[0] != "basemap" or parts[2] != "batch.json" or not query.startswith("xy="):
        return None
    items = query[3:].split(",")
    if len(items) > MAX_TILE_BATCH:
        return None
    try:
        z = int(parts[1])
        xys = [(int(a), int(b)) for a, b in (item.split(".") for item in items)]
    except ValueError:  # (also an item that is not two numbers)
        return None
    return z, list(dict.fromkeys(xys))


def _reply(job: QWebEngineUrlRequestJob, mime: bytes, body: bytes) -> None:
    buf = QBuffer(parent=job)
    buf.setData(QByteArray(body))
    buf.open(QIODevice.OpenModeFlag.ReadOnly)
    job.reply(mime, buf)


class NetworkGuard(QWebEngineUrlRequestInterceptor):
    """Lets local requests through, and remote ones only to the hosts of an online
    layer the user switched on. Records every request so tests can check a run."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._allowed: dict[str, set[str]] = {}  # per page (map view): the hosts its online layer needs
        self.requests: list[str] = []
        self.blocked: list[str] = []

    @property
    def allowed_hosts(self) -> set[str]:
        """Every host some open page's chosen online layer needs (a copy)."""
        return set().union(*self._allowed.values())

    def allow(self, owner: str, hosts) -> None:
        """The hosts ``owner`` (a page) lets through from now on; none closes them again."""
        hosts = set(hosts)
        if hosts:
            self._allowed[owner] = hosts
        else:
            self._allowed.pop(owner, None)

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:  # noqa: N802 (Qt API)
        url = info.requestUrl()
        self.requests.append(url.toString())
        if url.scheme() in LOCAL_SCHEMES:
            return
        host = url.host()
        if url.scheme() in ("http", "https") and any(host == h or host.endswith("." + h) for h in self.allowed_hosts):
            return
        self.blocked.append(url.toString())
        info.block(True)


def make_profile(parent: QObject | None = None) -> tuple[QWebEngineProfile, AppSchemeHandler, NetworkGuard]:
    """An off-the-record profile: no disk cache or cookies, our scheme, our guard."""
    profile = QWebEngineProfile(parent)
    handler = AppSchemeHandler(profile)
    profile.installUrlSchemeHandler(SCHEME, handler)
    guard = NetworkGuard(profile)
    profile.setUrlRequestInterceptor(guard)
    handler.guard = guard  # (the online layers' tiles, made on first use, go through it)
    s = profile.settings()
    s.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, False)
    s.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, False)
    s.setAttribute(QWebEngineSettings.WebAttribute.JavascriptCanOpenWindows, False)
    s.setAttribute(QWebEngineSettings.WebAttribute.JavascriptCanAccessClipboard, False)
    s.setAttribute(QWebEngineSettings.WebAttribute.PluginsEnabled, False)
    s.setAttribute(QWebEngineSettings.WebAttribute.PdfViewerEnabled, False)
    s.setAttribute(QWebEngineSettings.WebAttribute.ScreenCaptureEnabled, False)
    s.setAttribute(QWebEngineSettings.WebAttribute.WebGLEnabled, False)
    s.setAttribute(QWebEngineSettings.WebAttribute.NavigateOnDropEnabled, False)
    s.setAttribute(QWebEngineSettings.WebAttribute.AutoLoadIconsForPage, False)
    s.setAttribute(QWebEngineSettings.WebAttribute.ShowScrollBars, False)
    return profile, handler, guard


_shared: tuple[QWebEngineProfile, AppSchemeHandler, NetworkGuard] | None = None
_pages: list = []


def track_page(page) -> None:
    """Pages made with the app profile; they must all go before it does."""
    _pages.append(page)


def release_profile() -> None:
    """Delete every page, then the profile. Call before the QApplication goes: a profile
    deleted while a page lives makes QtWebEngine crash at exit."""
    global _shared
    import shiboken6
    from PySide6.QtCore import QCoreApplication, QEvent

    for page in _pages:
        if shiboken6.isValid(page):
            view = page.parent()
            if view is not None and shiboken6.isValid(view) and hasattr(view, "setPage"):
                view.setPage(None)
            page.deleteLater()
    _pages.clear()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    if _shared is not None and shiboken6.isValid(_shared[1]):
        _shared[1].stop_building()
    if _shared is not None and shiboken6.isValid(_shared[0]):
        _shared[0].deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    _shared = None


def app_profile() -> tuple[QWebEngineProfile, AppSchemeHandler, NetworkGuard]:
    """The application's one profile. It belongs to the QApplication, so it outlives every
    page that uses it (Qt warns, and may crash, when a profile goes before its pages)."""
    global _shared
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance()
    if _shared is None or _shared[0].parent() is not app:
        from viewer.ui import refcount_guard

        refcount_guard.install(app)
        _shared = make_profile(app)
    return _shared
