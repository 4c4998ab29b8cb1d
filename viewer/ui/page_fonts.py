"""The basemap's label fonts this machine has, for the pages the app's web engine shows
(viewer.render.page.LABEL_FONTS: a page names only these, so the web engine does not look up
families that are not there at every start)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=None)
def installed(families: tuple[str, ...]) -> tuple[str, ...]:
    """Those of ``families`` the machine's font database has, in their order (a family the
    database only maps to another, such as Helvetica to a look-alike, is not one of them: the web
    engine skips it too)."""
    from PySide6.QtGui import QFontDatabase

    return tuple(f for f in families if QFontDatabase.hasFamily(f))


def label_fonts() -> tuple[str, ...]:
    from viewer.render.page import LABEL_FONTS

    return installed(LABEL_FONTS)
