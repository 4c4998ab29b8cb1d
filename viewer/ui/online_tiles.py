"""Online tile layers, fetched by the app on the page's behalf and kept in a bounded cache.

The page asks ``sitmap://app/online/<source>/<z>/<x>/<y>`` for a tile of an online layer;
this object answers from the tile cache when it holds a recent copy, else fetches it from
the provider (only when the provider's host is the one the user chose: the network guard's
``allowed_hosts``), stores it and answers. When the network is down a stale cached copy is
served, so a view seen once still works offline. Every request that leaves the machine is
written to the guard's log, as the page's own would be.

Provider rules: one tile per tile the map shows (nothing fetched ahead, no bulk download),
an identifying User-Agent, and the provider's attribution on the map.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QUrl
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest
from PySide6.QtWebEngineCore import QWebEngineUrlRequestJob

from viewer.render.tile_cache import FRESH_SECONDS, TileCache, online_page_url, source_key
from viewer.ui.later_answer import Pending

USER_AGENT = b"SitMap/0.1 (offline situation-map viewer; tiles fetched only as viewed)"
TIMEOUT_MS = 10_000
_MAX_TILE = 4 * 1024 * 1024


def _sniff(data: bytes) -> bytes | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return b"image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return b"image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return b"image/webp"
    return None


def tile_url(template: str, z: int, x: int, y: int) -> str:
    return (template.replace("{s}", "a").replace("{r}", "").replace("{z}", str(z))
            .replace("{x}", str(x)).replace("{y}", str(y)))


page_url = online_page_url


class OnlineTiles(QObject):
    def __init__(self, guard, cache_dir: Path | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.guard = guard
        self.sources: dict[str, str] = {}  # source key -> provider URL template
        self._cache_dir = cache_dir
        self._cache: TileCache | None = None
        self._nam: QNetworkAccessManager | None = None
        self.fetched: list[str] = []  # URLs fetched from the network
        self.served_from_cache = 0

    def register(self, template: str) -> str:
        key = source_key(template)
        self.sources[key] = template
        return key

    @property
    def cache(self) -> TileCache:
        if self._cache is None:
            folder = self._cache_dir
            if folder is None:
                from PySide6.QtCore import QStandardPaths

                folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)) / "tiles"
            self._cache = TileCache(folder)
        return self._cache

    def set_cache(self, cache: TileCache) -> None:
        self._cache = cache

    def _allowed(self, url: QUrl) -> bool:
        host = url.host()
        return url.scheme() in ("http", "https") and any(host == h or host.endswith("." + h)
                                                           for h in self.guard.allowed_hosts)

    def start(self, job: QWebEngineUrlRequestJob, parts: list[str]) -> None:
        """Answer the page's request ``online/<source>/<z>/<x>/<y>`` (now or when the tile comes)."""
        try:
            key = parts[1]
            z, x, y = int(parts[2]), int(parts[3]), int(parts[4].split(".")[0])
        except (IndexError, ValueError):
            job.fail(QWebEngineUrlRequestJob.Error.UrlInvalid)
            return
        template = self.sources.get(key)
        if len(parts) != 5 or template is None or not (0 <= z <= 24 and 0 <= x < (1 << z) and 0 <= y < (1 << z)):
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        cached = self.cache.get(key, z, x, y)
        if cached is not None and cached[1] < FRESH_SECONDS:
            self.served_from_cache += 1
            self._reply(job, cached[0])
            return
        url = QUrl(tile_url(template, z, x, y))
        if not self._allowed(url):
            self.guard.blocked.append(url.toString())
            if cached is not None:  # offline use of a tile seen before
                self.served_from_cache += 1
                self._reply(job, cached[0])
            else:
                job.fail(QWebEngineUrlRequestJob.Error.RequestDenied)
            return
        if self._nam is None:
            self._nam = QNetworkAccessManager(self)
        req = QNetworkRequest(url)
        req.setRawHeader(b"User-Agent", USER_AGENT)
        req.setTransferTimeout(TIMEOUT_MS)
        req.setAttribute(QNetworkRequest.Attribute.RedirectPolicyAttribute,
                         QNetworkRequest.RedirectPolicy.SameOriginRedirectPolicy)
        self.guard.requests.append(url.toString())
        self.fetched.append(url.toString())
        reply = self._nam.get(req)
        stale = cached[0] if cached is not None else None
        # The page may give the tile up (or go) before it comes: the job is then deleted, and
        # must not be touched. Its destroyed signal says so (first), and stops the download.
        pending = Pending(job)
        job.destroyed.connect(reply.abort)
        reply.finished.connect(lambda: self._finished(reply, pending, key, z, x, y, stale))

    def _finished(self, reply: QNetworkReply, pending: Pending, key: str, z: int, x: int, y: int,
                  stale: bytes | None) -> None:
        ok = reply.error() == QNetworkReply.NetworkError.NoError
        data = bytes(reply.read(_MAX_TILE + 1).data()) if ok else b""
        reply.deleteLater()
        if ok and len(data) <= _MAX_TILE and _sniff(data):
            self.cache.put(key, z, x, y, data)
            body = data
        else:
            body = stale
        if not pending.live():
            return
        if body is None:
            pending.job.fail(QWebEngineUrlRequestJob.Error.RequestFailed)
        else:
            self._reply(pending.job, body)

    @staticmethod
    def _reply(job, body: bytes) -> None:
        # The browser keeps no copy of its own: the bounded tile cache is the only one, and the
        # page asks for a tile again (and gets it from that cache) whenever it shows it.
        job.setAdditionalResponseHeaders({QByteArray(b"Cache-Control"): QByteArray(b"no-store")})
        buf = QBuffer(parent=job)
        buf.setData(QByteArray(body))
        buf.open(QIODevice.OpenModeFlag.ReadOnly)
        job.reply(_sniff(body) or b"application/octet-stream", buf)
