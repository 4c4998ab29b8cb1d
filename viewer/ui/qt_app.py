"""Settings Qt reads at start-up, and the one QApplication (window, exports, scripts)."""

from __future__ import annotations

import os

from viewer import __version__


# The old generation a page's script engine (V8) lets grow before its first full collection. A map
# of 100,000 lines and areas holds about 500 MB of script objects once drawn: by V8's own starting
# limits, half of such starts stopped the page for a full collection of 0.7-0.9 s while its last
# parts were put, which found little to free (6 of 12 page profiles; none in 10 with this; the web
# engine's memory at the end the same within its run-to-run spread, 817-866 MB either way). Without
# the profiler, on a quiet machine, such starts took 4.0-4.2 s either way (six alternate pairs): the
# collection lands in the page's idle time there; it is kept off a loaded machine's last parts. A
# small map's pages never come near it.
PAGE_OLD_SPACE_MB = 1024


def prepare_qt_environment(headless: bool) -> None:
    """Settings Qt reads at start-up. Appends to QTWEBENGINE_CHROMIUM_FLAGS so a user's proxy stays."""
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    wanted = []
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--no-sandbox" not in flags:
        wanted.append("--no-sandbox")  # Chromium refuses to run its sandbox as root
    if headless and "--disable-gpu" not in flags:
        wanted.append("--disable-gpu")
    if headless and "--log-level" not in flags and "--enable-logging" not in flags:
        # (an export's own refusals are one line each: not the engine's notes on the machine it runs
        # on, such as "Failed to connect to the bus"; a user's own logging flags are kept)
        wanted.append("--log-level=3")
    if "--js-flags" not in flags:  # (a user's own script engine flags are theirs)
        wanted.append(f"--js-flags=--initial-old-space-size={PAGE_OLD_SPACE_MB}")
    if wanted:
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = " ".join([flags] + wanted).strip()
    if headless:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.setdefault("QT_LOGGING_RULES", "qt.webenginecontext.debug=false")
    global _headless
    _headless = headless


_headless = False
_quiet = False  # the command line's exports: Qt's messages of HEADLESS_NOISE left out


def quiet_headless_noise() -> None:
    """Leave :data:`HEADLESS_NOISE` out of stderr once a headless application is made (the command
    line's exports, which end with ``os._exit``: Python's handler is never called as Qt tears down
    after the interpreter; a script keeps Qt's own handler)."""
    global _quiet
    _quiet = True


# What Qt says on every run without a screen (offscreen, no GPU), and means nothing for what
# SitMap draws there (it draws in software): left out of a command-line export's stderr.
HEADLESS_NOISE = frozenset((
    "QRhiGles2: Failed to create temporary context",
    "QRhiGles2: Failed to create context",
    "Failed to create RHI for backend: OpenGL",
    "GPUInfo not initialized on GpuInfoUpdate",
))


def _quiet_headless_noise() -> None:
    """Qt's messages as Qt writes them, but those of :data:`HEADLESS_NOISE`."""
    import sys

    from PySide6.QtCore import qFormatLogMessage, qInstallMessageHandler

    def handler(mode, context, message: str) -> None:
        if message in HEADLESS_NOISE:
            return
        try:
            text = qFormatLogMessage(mode, context, message)
        except Exception:  # noqa: BLE001 - a message is never lost for its formatting
            text = message
        try:
            sys.stderr.write(text + "\n")
            sys.stderr.flush()
        except (OSError, ValueError, AttributeError):
            pass  # (no stderr: nothing to write to)

    qInstallMessageHandler(handler)


def no_display() -> str | None:
    """Why the window cannot open here (a Linux session without a display, where Qt would end
    the process with a message about libraries), or None."""
    import sys

    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    if os.environ.get("QT_QPA_PLATFORM") or os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return ("no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set): start SitMap "
            "in a desktop session, or write the map without a window with --export OUT.png")


def quicker_feature_check() -> None:
    """PySide6 looks at every module imported after it for the text "PySide6" (its ``__feature__``
    switching: 0 for a module that names it, -1 for one that does not), reading the module's source
    through ``inspect``: about 0.45 ms a module of this app, 40 ms over a start to the window with
    every panel filled. The same question answered from the file's bytes, in a few microseconds (a
    compiled module has no source: no); any other module goes to PySide's own check."""
    import sys

    import PySide6  # noqa: F401 (the package brings its feature module: a start imports it first here)

    feature = sys.modules.get("PySide6.support.feature")
    check = getattr(feature, "_mod_uses_pyside", None)
    if not callable(check) or hasattr(check, "pyside_check"):
        return

    from importlib.machinery import EXTENSION_SUFFIXES

    compiled = tuple(EXTENSION_SUFFIXES)

    def uses_pyside(module) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str):
            if path.endswith(compiled):
                return False  # (inspect finds no source for a compiled module: PySide's answer too)
            if path.endswith(".py"):
                try:
                    with open(path, "rb") as f:
                        return b"PySide6" in f.read()
                except OSError:
                    pass
        return check(module)

    uses_pyside.pyside_check = check  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside


def make_application(argv: list[str]):
    quicker_feature_check()
    from PySide6.QtWidgets import QApplication

    from viewer.ui.web import register_scheme

    register_scheme()
    if _headless and _quiet and QApplication.instance() is None:
        _quiet_headless_noise()
    if os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        # (offscreen, as exports and scripts run, Qt draws in software and shares no GL context;
        # naming Qt's namespace there makes its 94 enum types: 15-20 ms of every export)
        from PySide6.QtCore import QCoreApplication, Qt

        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts, True)
    app = QApplication.instance() or QApplication(argv)
    app.setOrganizationName("SitMap")
    app.setApplicationName("SitMap")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("sitmap")  # the launcher entry --install-desktop writes (Wayland app id)
    return app


def keep_indexes() -> None:
    """The place list's index (for ranking city labels) kept in the app's cache folder: read back
    in 2-3 ms instead of 8-18 ms at each export or window that draws a map marking cities. (Set
    where a map is first drawn, not as the app is made: a start from the page cache draws later.)"""
    from pathlib import Path

    from PySide6.QtCore import QStandardPaths

    from viewer.render import city_sizes

    cache = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
    city_sizes.keep_cache_in(Path(cache) / "places" if cache else None)
