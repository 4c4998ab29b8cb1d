"""The PNG and PDF briefing writers, drawn by the real page: registered with the one writer
registry (:mod:`viewer.export.writers`) when this module is imported."""

from __future__ import annotations

from viewer.export.writers import Writer, register
from viewer.ui.capture import export_briefing_png


def export_briefing_pdf(*args, **kwargs) -> None:
    from viewer.ui.capture_pdf import export_briefing_pdf as write  # (a PNG export does without it)

    write(*args, **kwargs)


register(Writer("PNG image briefing", (".png",), export_briefing_png, briefing=True, needs_qt=True))
register(Writer("PDF briefing", (".pdf",), export_briefing_pdf, briefing=True, needs_qt=True))
