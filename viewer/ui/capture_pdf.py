"""Vector PDF of the briefing: QtWebEngine prints the composition page.

The overlays are Leaflet SVG, so they print as vector paths; titles, legend, labels and
sources print as text. Only the basemap tiles (canvas) become images, drawn at the
export's dpi.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSize, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize

from viewer.export.briefing import CSS_PX_PER_INCH, ExportSize
from viewer.ui.capture import ExportError, close_view, open_briefing, wait_until, wake
from viewer.model.project import write_atomic
from viewer.model.scenario import Scenario

_PAGE_IDS = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}


def page_layout(size: ExportSize) -> QPageLayout:
    """Landscape paper for a paper size, else the composition's own size (1280x720 CSS px
    is a 13.33 x 7.5 in slide)."""
    if size.paper in _PAGE_IDS:
        page = QPageSize(_PAGE_IDS[size.paper])
        return QPageLayout(page, QPageLayout.Orientation.Landscape, QMarginsF(0, 0, 0, 0))
    w, h = size.css_size
    points = QSizeF(w * 72 / CSS_PX_PER_INCH, h * 72 / CSS_PX_PER_INCH)
    page = QPageSize(points, QPageSize.Unit.Point, "SitMap briefing", QPageSize.SizeMatchPolicy.ExactMatch)
    orientation = QPageLayout.Orientation.Landscape if w >= h else QPageLayout.Orientation.Portrait
    if orientation == QPageLayout.Orientation.Landscape:
        page = QPageSize(QSizeF(points.height(), points.width()), QPageSize.Unit.Point, "SitMap briefing",
                         QPageSize.SizeMatchPolicy.ExactMatch)
    return QPageLayout(page, orientation, QMarginsF(0, 0, 0, 0))


def export_briefing_pdf(scenario: Scenario, path: Path, size: ExportSize, opts=None, progress=None,
                        cancelled=None, timeout_ms: int = 120000) -> None:
    """Write the briefing as a one-page PDF (paper size from ``size``)."""
    w, h = size.css_size
    # The page is laid out at its printed size (1 CSS px = 1/96 in) so printing does not
    # reflow it; the basemap canvas is drawn at the requested dpi.
    view = open_briefing(scenario, size, opts, device_size=QSize(math.ceil(w), math.ceil(h)), progress=progress,
                         cancelled=cancelled, timeout_ms=timeout_ms,
                         pixel_ratio=min(4.0, (size.dpi or 144) / CSS_PX_PER_INCH), printed=True)
    try:
        if progress:
            progress(3, "printing to PDF")
        result: dict = {}
        # The PDF comes back as bytes (not printed to a path: Qt takes a file name only as text, and a
        # name the file system holds in another encoding would be printed elsewhere), written as
        # every file is: whole or not at all, keeping the old file's permissions.
        view.page().printToPdf(lambda data: (result.setdefault("pdf", bytes(data.data())), wake()), page_layout(size))
        wait_until(lambda: "pdf" in result, timeout_ms, cancelled, "the PDF")
        target = Path(path)
        if not result["pdf"]:
            raise ExportError(f"printing {target.name} to PDF failed")
        if progress:
            progress(4, f"writing {target.name}")
        write_atomic(target, result["pdf"])  # (an OSError is the caller's to say, as for a PNG)
    finally:
        close_view(view)
