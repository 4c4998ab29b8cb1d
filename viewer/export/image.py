"""PNG of the map as drawn by the real page (QtWebEngine), at the requested pixel size."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop, QSize, QTimer
from PySide6.QtGui import QImage

from viewer.model.scenario import Scenario
from viewer.render.page import PageOptions


class ExportError(RuntimeError):
    pass


def grab_view_png(view, path: Path) -> None:
    image = view.grab().toImage()
    if image.isNull():
        raise ExportError("the map could not be captured")
    _save(image, path)


def _save(image: QImage, path: Path) -> None:
    from viewer.export.geojson import write_atomic
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buf, "PNG"):
        raise ExportError("PNG encoding failed")
    buf.close()
    write_atomic(Path(path), bytes(data.data()))


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
        loop = QEventLoop()
        QTimer.singleShot(interval_ms, loop.quit)
        loop.exec()


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
