"""Settings Qt reads at start-up, and the one QApplication (window, exports, scripts)."""

from __future__ import annotations

import os

from viewer import __version__


def prepare_qt_environment(headless: bool) -> None:
    """Settings Qt reads at start-up. Appends to QTWEBENGINE_CHROMIUM_FLAGS so a user's proxy stays."""
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    wanted = []
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--no-sandbox" not in flags:
        wanted.append("--no-sandbox")  # Chromium refuses to run its sandbox as root
    if headless and "--disable-gpu" not in flags:
        wanted.append("--disable-gpu")
    if wanted:
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = " ".join([flags] + wanted).strip()
    if headless:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.setdefault("QT_LOGGING_RULES", "qt.webenginecontext.debug=false")


def make_application(argv: list[str]):
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication

    from viewer.ui.web import register_scheme

    register_scheme()
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts, True)
    app = QApplication.instance() or QApplication(argv)
    app.setOrganizationName("SitMap")
    app.setApplicationName("SitMap")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("sitmap")  # the launcher entry --install-desktop writes (Wayland app id)
    return app
