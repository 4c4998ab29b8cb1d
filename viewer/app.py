"""Builds the model, the window and the services, and wires them; also the command line."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from viewer import __version__, resources
from viewer.ui.qt_app import make_application, prepare_qt_environment

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


class UsageError(Exception):
    pass


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
    h = p.add_argument_group("launch history")
    h.add_argument("--history", action="store_true",
                   help="draw the launch history layer on the briefing (.png/.pdf/.html), or export the launches "
                        "shown (.geojson/.kml, one TimeStamp per launch)")
    h.add_argument("--years", help="only these years, e.g. 2019-2022 or 2022")
    h.add_argument("--system", help="only this system, e.g. KN-24 or Hwasong-15")
    h.add_argument("--site", help="only this launch site, e.g. Uiju")
    h.add_argument("--time-window", dest="time_window", metavar="START/END",
                   help="only launches (and timed map features) in this UTC window, e.g. 2022-01-01/2022-01-31 or 2022-01")
    p.add_argument("--version", action="version", version=f"SitMap {__version__}")
    return p


def _fail(message: str) -> int:
    print(f"sitmap: error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def run_export(scenario_path: Path, out: Path, args) -> int:
    """``--export``: a thin user of the scripting API (viewer.api); its one-line errors are printed."""
    from viewer import api

    if args.paper and args.size:
        return _fail("--size and --paper: give one of them")
    if args.dpi and not args.paper:
        return _fail("--dpi goes with --paper a4|letter")
    try:
        size = parse_size(args.size) if args.size else None
    except UsageError as e:
        return _fail(str(e))
    history = None
    if args.history or args.years or args.system or args.site or args.time_window:
        if not args.history:
            return _fail("--years, --system, --site and --time-window go with --history")
        history = {"years": args.years, "system": args.system, "site": args.site, "time_window": args.time_window}

    def progress(step: int, message: str) -> None:
        print(f"sitmap: [{step}/4] {message}", file=sys.stderr, flush=True)

    try:
        from viewer.export.writers import writer_for

        if out.suffix.lower() not in (".png", ".pdf"):
            writer_for(out)  # an unknown suffix is refused before the map is read
        m = api.open_map(scenario_path)
        m.export(out, size=size, paper=args.paper, dpi=args.dpi or 300, title=args.title, subtitle=args.subtitle,
                 banner=args.banner, banner_colour=args.banner_colour, facts=args.facts, history=history,
                 progress=progress)
    except api.SitMapError as e:
        return _fail(str(e))
    finally:
        if out.suffix.lower() in (".png", ".pdf"):
            from viewer.ui.web import release_profile

            release_profile()
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse already printed the one-line reason
        return EXIT_BAD_INPUT if e.code else EXIT_OK
    path = Path(args.file) if args.file else resources.default_scenario()
    if args.export:
        return run_export(path, Path(args.export), args)
    if (args.years or args.system or args.site or args.time_window) and not args.history:
        return _fail("--years, --system, --site and --time-window go with --history")
    return run_window(path if args.file else None, args if args.history else None)


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
    if raw is not None and not window.map_view.page_data:  # (a page with JSON batches is not cached)
        key, html, specs = cache.key(raw), window.map_view.page_html, window.map_view.online_specs
        handler = window.map_view.scheme_handler
        handler.served_tiles.clear()

        def remember(_state=None) -> None:
            window.map_view.mapReady.disconnect(remember)
            cache.put(key, html, specs, handler.served_tiles)

        window.map_view.mapReady.connect(remember)
    return error


def run_window(path: Path | None, history_args=None) -> int:
    prepare_qt_environment(headless=False)
    app = make_application([sys.argv[0]])
    from viewer.ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    error = open_first_scenario(window, path)
    if error:
        window.show_error("Cannot open scenario", error)
    window.offer_recovery()
    if history_args is not None:  # sitmap --history [filters]: the layer on, filtered
        from viewer.ui.history_panel import apply_command_line

        problem = apply_command_line(window, history_args.years, history_args.system, history_args.site,
                                     history_args.time_window)
        if problem:
            window.show_error("Launch history", problem)
    from viewer.ui.web import release_profile

    app.aboutToQuit.connect(release_profile)
    return app.exec()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
