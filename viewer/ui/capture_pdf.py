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
        page = view.page()
        page.pdfPrintingFinished.connect(lambda _path, ok: (result.setdefault("ok", ok), wake()))
        target = Path(path)
        tmp = target.with_name(f".{target.name}.part")
        page.printToPdf(str(tmp), page_layout(size))
        wait_until(lambda: "ok" in result, timeout_ms, cancelled, "the PDF")
        if not result["ok"] or not tmp.exists():
            raise ExportError("printing to PDF failed")
        if progress:
            progress(4, f"writing {target.name}")
        tmp.replace(target)
    finally:
        close_view(view)
