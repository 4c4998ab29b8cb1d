"""PNG of the map as drawn by the real page (QtWebEngine), at the requested pixel size,
and the briefing composition (viewer.export.briefing) rendered the same way."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QEventLoop, QObject, QSize, QTimer
from PySide6.QtGui import QImage

from viewer.model.scenario import Scenario
from viewer.render.page import PageOptions


class ExportError(RuntimeError):
    pass


# Before the window's map is captured: the view of a canvas that paints it over several frames
# (resources/js/shape_canvas.js) finished, its image tiles decoded, and a frame shown with them.
_VIEW_FINISHED = """(function () {
  var a = window.SitMap && SitMap.app, c = a && a.shapeCanvas;
  if (c && c.finishView) { c.finishView(); }
  window.__sitmapShown = false;
  var shown = function () { window.__sitmapShown = true; };
  if (a && a.whenShown) { a.whenShown(shown); } else {
    requestAnimationFrame(function () { requestAnimationFrame(shown); });
  }
  return true; })()"""


def grab_view_png(view, path: Path) -> None:
    """The window's map as it shows it, its view all painted, as PNG."""
    try:
        _page_value(view, _VIEW_FINISHED, 5000)
        wait_until(lambda: _page_value(view, "window.__sitmapShown === true", 2000) is True, 2000,
                   what="the map's picture")
    except ExportError:
        pass  # (a page that does not answer is captured as it is)
    image = view.grab().toImage()
    if image.isNull():
        raise ExportError("the map could not be captured")
    _save(image, path)


def _save(image: QImage, path: Path) -> None:
    from viewer.export.png import png_bytes
    from viewer.model.project import write_atomic

    alpha = image.hasAlphaChannel()
    rows = image.convertToFormat(QImage.Format.Format_RGBA8888 if alpha else QImage.Format.Format_RGB888)
    if rows.isNull():
        raise ExportError("PNG encoding failed")
    data = png_bytes(rows.width(), rows.height(), rows.constBits(), rows.bytesPerLine(), alpha=alpha)
    write_atomic(Path(path), data)


FRAME_WAIT_MS = 40  # a frame the view has not replaced for this long counts as stable


def _next_frame(view, at_most_ms: int) -> None:
    """Run the event loop until the view shows a new frame (the widget it draws through paints
    one), or for ``at_most_ms``. A grab right after sees the new frame, not one up to
    ``at_most_ms`` old; a frame that stays the same is still grabbed twice ``at_most_ms`` apart
    before it counts. (No Qt Quick module is imported for it: the bundle leaves those out.)"""
    loop = QEventLoop()
    QTimer.singleShot(at_most_ms, loop.quit)
    shown = view.focusProxy()  # (QWebEngineView draws through a widget of its own)
    watch = _Painted(loop) if shown is not None else None
    if watch is not None:
        shown.installEventFilter(watch)
    try:
        loop.exec()
    finally:
        if watch is not None:
            shown.removeEventFilter(watch)


class _Painted(QObject):
    """Ends a wait once the widget it watches paints (a new frame came to it)."""

    def __init__(self, loop: QEventLoop):
        super().__init__()
        self._loop = loop

    def eventFilter(self, _obj, event) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Paint:
            self._loop.quit()
        return False


def _looks_blank(image: QImage) -> bool:
    first = image.pixel(0, 0)
    step_x = max(1, image.width() // 40)
    step_y = max(1, image.height() // 40)
    return all(image.pixel(x, y) == first for x in range(0, image.width(), step_x)
               for y in range(0, image.height(), step_y))


def wait_for_frame(view, timeout_ms: int = 10000, interval_ms: int = 40) -> QImage:
    """The page reports ready when its DOM is drawn; the compositor hands the frame to the
    widget a little later. Grab until the picture shows the page and has stopped changing."""
    from PySide6.QtCore import QElapsedTimer

    clock = QElapsedTimer()
    clock.start()
    previous = None
    while True:
        image = view.grab().toImage()
        if not _looks_blank(image) and previous is not None and image == previous:
            return image
        previous = None if _looks_blank(image) else image
        if clock.elapsed() > timeout_ms:
            raise ExportError("the map was drawn but never reached the screen")
        _next_frame(view, interval_ms)


def render_map_image(scenario: Scenario, size: QSize, timeout_ms: int = 60000, progress=None) -> QImage:
    """Draw the scenario in an offscreen page of exactly ``size`` pixels and capture it."""
    from viewer.ui.map_view import MapView

    view = MapView()
    view.resize(size)
    view.setFixedSize(size)
    view.show()
    loop = QEventLoop()
    result: dict = {}
    view.mapReady.connect(lambda state: (result.setdefault("state", state), loop.quit()))
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(timeout_ms)
    if progress:
        progress("drawing the map")
    view.show_scenario(scenario, opts=PageOptions(interactive=False,
                                                  online_layers=False))
    loop.exec()
    if "state" not in result:
        view.close()
        view.deleteLater()
        raise ExportError(f"the map was not ready within {timeout_ms / 1000:.0f} s")
    if progress:
        progress("capturing")
    image = wait_for_frame(view, timeout_ms=timeout_ms)
    view.close()
    view.deleteLater()
    if image.isNull() or image.size() != size:
        raise ExportError(f"captured {image.width()}x{image.height()} instead of {size.width()}x{size.height()}")
    return image


def export_png(scenario: Scenario, path: Path, size: QSize, progress=None) -> None:
    image = render_map_image(scenario, size, progress=progress)
    if progress:
        progress(f"writing {path}")
    _save(image, path)


# ----------------------------------------------------------------------------- briefing
class Cancelled(ExportError):
    """The user stopped the export."""


POLL_MS = 20  # how often a wait looks at its condition when nothing wakes it
_WAITING: list = []  # the event loops of the waits under way, innermost last


def wake(*_args) -> None:
    """What a wait waits for may have come (a signal, the page's answer): look at once, not at the
    next tick."""
    if _WAITING:
        _WAITING[-1].quit()


def wait_until(condition, timeout_ms: int, cancelled=None, what: str = "the page") -> None:
    """Run the event loop until ``condition()``; honours ``cancelled()`` and a time limit.

    The condition is looked at every ``POLL_MS``, and at once when :func:`wake` is called."""
    from PySide6.QtCore import QElapsedTimer

    clock = QElapsedTimer()
    clock.start()
    while not condition():
        if cancelled is not None and cancelled():
            raise Cancelled("cancelled")
        if clock.elapsed() > timeout_ms:
            raise ExportError(f"{what} was not ready within {timeout_ms / 1000:.0f} s")
        loop = QEventLoop()
        QTimer.singleShot(POLL_MS, loop.quit)
        _WAITING.append(loop)
        try:
            loop.exec()
        finally:
            _WAITING.pop()


def briefing_view_class():
    from viewer.ui.map_view import MapView
    from viewer.ui.web import HOST

    class BriefingView(MapView):
        """A map view that shows a finished briefing page instead of building the map page."""

        def _no_browser_menu(self) -> None:
            pass  # (see contextMenuEvent: Qt's namespace, which the policy is named in, costs an export 15-20 ms)

        def contextMenuEvent(self, event) -> None:  # noqa: N802 (Qt API)
            event.accept()  # a briefing (the export dialog's preview) offers no browser menu either

        def features_at(self) -> tuple[str, str]:
            """(name, address) of the features batch the next page :meth:`show_html` shows fetches."""
            name = f"{self._page_prefix}-briefing-features-{self._generation + 1}.json"
            return name, f"sitmap://{HOST}/data/{name}"

        def show_html(self, html: str, batch: bytes | None = None) -> None:
            """Show a briefing page; ``batch``: the features it fetches from :meth:`features_at`."""
            name = self.features_at()[0]
            self._generation += 1
            self.is_ready = False
            self.scheme_handler.drop_pages(self._page_prefix)
            if batch is not None:  # (given to its one request, then no longer kept)
                self.scheme_handler.set_data(name, batch, once=True)
            self.load(self.scheme_handler.set_page(f"{self._page_prefix}-briefing-{self._generation}.html", html))

    return BriefingView


def basemap_attribution(view) -> str:
    """The credit of the basemap the screen shows (a chosen tile package's first)."""
    from viewer.render.tile_packages import credit_text

    try:
        return credit_text(view.scheme_handler.basemap().attribution)
    except (OSError, ValueError):
        return credit_text("")


def open_briefing(scenario: Scenario, size, opts=None, *, device_size: QSize | None = None, progress=None,
                  cancelled=None, timeout_ms: int = 60000, view=None, pixel_ratio: float | None = None,
                  printed: bool = False):
    """A view showing the briefing for ``size`` (an ExportSize), drawn and ready.

    ``device_size`` shows the same composition smaller (the dialog's preview). ``printed``: the
    page is for printing, not for the screen: ready once drawn (its image tiles decoded), without
    waiting for frames to show it (printing lays the page out and paints it anew)."""
    from viewer.export.briefing import compose
    from viewer.ui.page_fonts import label_fonts

    if view is None:
        view = briefing_view_class()()
    dev = device_size or QSize(size.width, size.height)
    css_w, _ = size.css_size
    zoom = dev.width() / css_w
    view.setFixedSize(dev)
    view.setZoomFactor(zoom)
    view.show()
    if progress:
        progress(1, "composing the briefing page")
    from viewer.render.page import APP_BASE
    from viewer.render.tile_cache import online_page_spec
    from viewer.render.tile_packages import REGISTRY, chosen_page_spec

    online = REGISTRY.online  # the online layer the screen shows, fetched and cached by the app
    if online is not None:
        view.online_specs = [online]
        view.scheme_handler.register_online(online["url"])
    # (the basemap's canvases drawn at the picture's own pixels: a picture smaller than its layout
    # drawn at a pixel a CSS pixel and scaled down showed a seam of the sea's colour between tiles)
    briefing = compose(scenario, size, opts, attribution=basemap_attribution(view),
                       extra_config={"pixelRatio": pixel_ratio or zoom, "readyUnshown": printed,
                                     "frameMark": not printed},
                       package=None if online else chosen_page_spec(APP_BASE),
                       online=online_page_spec(APP_BASE, online) if online else None,
                       frame_tiles=view.scheme_handler.basemap_tile, label_fonts=label_fonts(),
                       features_at=view.features_at()[1] if hasattr(view, "features_at") else None)
    view.briefing = briefing
    if progress:
        progress(2, "drawing the map")
    view.mapReady.connect(wake)
    if briefing.batch is not None:
        view.show_html(briefing.html, briefing.batch)
    else:
        view.show_html(briefing.html)
    try:
        wait_until(lambda: view.is_ready, timeout_ms, cancelled, "the map")
    except ExportError:
        close_view(view)
        raise
    finally:
        view.mapReady.disconnect(wake)
    if abs(view.zoomFactor() - zoom) > 1e-6:  # Chromium may reset the zoom on navigation
        view.setZoomFactor(zoom)
    return view


def close_view(view) -> None:
    view.close()
    view.deleteLater()


def _page_value(view, script: str, timeout_ms: int = 10000):
    box: dict = {}
    view.run_js(script, lambda v: (box.setdefault("v", v), wake()))
    wait_until(lambda: "v" in box, timeout_ms, what="the page's answer")
    return box["v"]


def _matches_near(image: QImage, px: int, py: int, rgb, radius: int = 2, tol: int = 24) -> bool:
    """Resampling moves fine lines and text by a pixel: look around the point."""
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            x, y = px + dx, py + dy
            if 0 <= x < image.width() and 0 <= y < image.height():
                c = image.pixel(x, y)
                if abs(((c >> 16) & 255) - rgb[0]) <= tol and abs(((c >> 8) & 255) - rgb[1]) <= tol \
                        and abs((c & 255) - rgb[2]) <= tol:
                    return True
    return False


def wait_for_briefing_frame(view, timeout_ms: int = 30000, cancelled=None) -> QImage:
    """Grab until the frame shows every basemap tile the page has drawn.

    A page with the mark (every page :func:`open_briefing` makes to be captured): the first frame
    without it, drawn whole after the page had drawn everything and decoded its image tiles (and,
    on a page with a tile package or an online layer, whose tiles can come later, that agrees with
    the tiles as below). A frame with the mark is always one from before the page was ready (its
    colour is one the corner never has without it: briefing.frame_mark_colour), however long it
    stays: a large map's first frame after ready can take seconds to raster, and the frame before
    it is blank. A page without it: two equal grabs in a row are not enough at print
    sizes (the compositor hands large canvases over one by one, with pauses), so compare the
    frame with what the canvases hold at points no overlay covers, and take it when (nearly) all
    of them agree and it is stable. (Asking the page for those points costs its thread 6 ms and
    the capture a round trip while the first frame is made: 9-17 ms of a marked page's capture,
    left out.)"""
    import json

    from PySide6.QtCore import QElapsedTimer

    from viewer.export.briefing import hex_rgb

    zoom = view.zoomFactor()
    size = view.size()

    def sampled() -> list:
        got = json.loads(_page_value(view, "JSON.stringify(SitMap.briefing.tileSamples())") or "[]")
        # (a strip of a few pixels shows less than the page lays out: what it shows counts)
        return [s for s in got if 0 <= s[0] * zoom < size.width() and 0 <= s[1] * zoom < size.height()]

    briefing = getattr(view, "briefing", None)
    config = getattr(briefing, "config", None) or {}
    marked = bool(config.get("frameMark"))  # (never a page to print: open_briefing)
    mark_rgb = hex_rgb(config["frameMark"]) if isinstance(config.get("frameMark"), str) else MARK
    # (tiles from a package or the network can come after the page said it was drawn: such a
    # page's frame is also compared with what its tiles hold, as a page without the mark is)
    samples = sampled() if not marked or getattr(briefing, "late_tiles", False) else []
    clock = QElapsedTimer()
    clock.start()
    previous = None
    unlike = None  # the frame that has stayed the same without agreeing with the samples
    sampled_at = 0
    while True:
        if cancelled is not None and cancelled():
            raise Cancelled("cancelled")
        image = view.grab().toImage()
        mark = marked  # (a blank frame: an old one too)
        if not _looks_blank(image):
            good = 0
            for x, y, r, g, b in samples:
                good += _matches_near(image, int(x * zoom), int(y * zoom), (r, g, b))
            complete = not samples or good >= 0.95 * len(samples)
            # The page's mark gone: this frame was drawn after the page was ready (briefing.js,
            # markFrame). Still there: an older frame.
            mark = marked and _shows_mark(image, mark_rgb)
            if complete and marked and not mark:
                return image
            if complete and not marked and previous is not None and image == previous:
                return image
            previous = image if complete else None
            if complete or image != unlike:
                unlike = None if complete else image
            elif clock.elapsed() - sampled_at >= RESAMPLE_MS:
                # a frame that stays as it is but unlike what the page held when asked: tiles that had
                # not yet come then (a raster package's) have come since: ask the page again
                samples, sampled_at, unlike = sampled(), clock.elapsed(), None
        if clock.elapsed() > timeout_ms:
            raise ExportError("the map was drawn but never fully reached the screen")
        # (a new frame does not always come with a paint event: a frame due, looked for sooner)
        _next_frame(view, MARK_POLL_MS if mark else FRAME_WAIT_MS)


RESAMPLE_MS = 400  # how long a frame unlike the samples stays the same before the page is asked again
MARK = (255, 0, 254)  # the colour of a briefing's mark by default (resources/css/briefing.css)
MARK_POLL_MS = 10  # while the mark shows: how often the frame is looked at


def _shows_mark(image: QImage, rgb: tuple[int, int, int] = MARK) -> bool:
    c = image.pixel(0, 0)
    return ((c >> 16) & 255, (c >> 8) & 255, c & 255) == rgb


def render_briefing_image(scenario: Scenario, size, opts=None, progress=None, cancelled=None,
                          timeout_ms: int = 60000, then=None) -> QImage:
    """The briefing as an image of exactly ``size.width`` x ``size.height`` pixels. ``then(image)``:
    done with the image before its view is closed (closing it takes 8-10 ms the file need not
    wait for)."""
    view = open_briefing(scenario, size, opts, progress=progress, cancelled=cancelled, timeout_ms=timeout_ms)
    try:
        if progress:
            progress(3, "capturing")
        image = wait_for_briefing_frame(view, timeout_ms=timeout_ms, cancelled=cancelled)
        if image.isNull() or (image.width(), image.height()) != (size.width, size.height):
            raise ExportError(f"captured {image.width()}x{image.height()} instead of {size.width}x{size.height}")
        image = image.convertToFormat(QImage.Format.Format_RGB32)
        if then is not None:
            then(image)
    finally:
        close_view(view)
    return image


def export_briefing_png(scenario: Scenario, path: Path, size, opts=None, progress=None, cancelled=None) -> None:
    def write(image: QImage) -> None:
        if progress:
            progress(4, f"writing {Path(path).name}")
        _save(image, path)

    render_briefing_image(scenario, size, opts, progress=progress, cancelled=cancelled, then=write)

