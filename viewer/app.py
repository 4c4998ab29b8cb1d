"""Builds the model, the window and the services, and wires them; also the command line."""

from __future__ import annotations

import argparse
import json
import os
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
    m = re.fullmatch(r"\s*(\d{1,6})\s*[xX\u00d7]\s*(\d{1,6})\s*", text or "")
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
    p.add_argument("file", nargs="?", help="map to open: a SitMap map, or any GeoJSON, KML/KMZ, GPX, CSV, GeoPackage or shapefile "
                        "(zipped or .shp); default: the built-in scenario")
    p.add_argument("--export", metavar="OUT",
                   help="write OUT (.png, .pdf, .html, .geojson, .kml, .kmz, .gpkg or .csv) without opening a window, "
                        "then exit")
    p.add_argument("--size", default=None, help="pixel size of a briefing export (default 1920x1080)")
    p.add_argument("--paper", choices=("a4", "letter"), help="landscape paper size instead of --size")
    p.add_argument("--dpi", type=int, choices=(150, 300), help="resolution with --paper (default 300)")
    p.add_argument("--title", help="briefing title (default: the scenario's; empty: none)")
    p.add_argument("--subtitle", help="briefing subtitle (default: event time in UTC and local time)")
    p.add_argument("--banner", default=None,
                   help="caveat / classification banner, top and bottom (e.g. UNCLASSIFIED); default: the map's own, "
                        "if it has one (--banner '' for none)")
    p.add_argument("--banner-colour", default=None, metavar="#RRGGBB",
                   help="banner colour (default: the standard colour of the marking, else #007A33)")
    p.add_argument("--facts", action="store_true", help="add a box of the facts about the features shown")
    h = p.add_argument_group("launch history")
    h.add_argument("--history", action="store_true",
                   help="draw the launch history layer on the briefing (.png/.pdf/.html), or export the launches "
                        "shown (.geojson/.kml, one TimeStamp per launch)")
    h.add_argument("--years", help="only these years, e.g. 2019-2022 or 2022")
    h.add_argument("--system", action="append",
                   help="only these systems, e.g. KN-24 or KN-23,KN-24 (or repeat the flag)")
    h.add_argument("--site", action="append", help="only these launch sites, e.g. Uiju or Uiju,Sunan (or repeat)")
    h.add_argument("--class", dest="classes", action="append", metavar="CLASS",
                   help="only these classes, e.g. SRBM or SRBM,ICBM (or repeat)")
    h.add_argument("--outcome", dest="outcomes", action="append", metavar="OUTCOME",
                   help="only these outcomes: success, failure, unknown (comma-separated or repeated)")
    h.add_argument("--time-window", dest="time_window", metavar="START/END",
                   help="only what has a time in this UTC window, e.g. 2022-01-01/2022-01-31 or 2022-01: the map's "
                        "timed features and facts in every export, and with --history the launches")
    p.add_argument("--draft", metavar="ARTICLE",
                   help="draft a map from a news article (.txt or a saved .html page); see Help > User Guide, "
                        "'A map from an article'")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="with --draft: the article's date, for its weekdays")
    p.add_argument("--new-instance", action="store_true",
                   help="start a separate window even if SitMap is already running (default: hand FILE to it)")
    desktop = p.add_mutually_exclusive_group()
    desktop.add_argument("--install-desktop", action="store_true",
                         help="add SitMap to the desktop's menus and make it open *.sitmap.geojson maps (Linux)")
    desktop.add_argument("--uninstall-desktop", action="store_true",
                         help="remove exactly what --install-desktop wrote")
    p.add_argument("--basemap", metavar="FILE|NAME",
                   help="basemap: an MBTiles/PMTiles file, a remembered package's name, or 'builtin'")
    p.add_argument("--version", action="version", version=f"SitMap {__version__}")
    return p


def say(text: str) -> None:
    """A line on stderr for the user. One that cannot be written (stderr closed by ``| head -1``, a
    full disk) is lost; the export it tells of goes on (it used to fail with the print)."""
    try:
        print(text, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def _fail(message: str) -> int:
    say(f"sitmap: error: {message}")
    return EXIT_BAD_INPUT


def run_export(scenario_path: Path, out: Path, args) -> int:
    """``--export``: a thin user of the scripting API (viewer.api); its one-line errors are printed."""
    from viewer import api

    if args.paper and args.size:
        return _fail("--size and --paper: give one of them")
    if args.dpi and not args.paper:
        return _fail("--dpi goes with --paper a4|letter")
    try:
        size = parse_size(args.size) if args.size is not None else None
    except UsageError as e:
        return _fail(str(e))
    if (args.size is not None or args.paper or args.dpi) and out.suffix.lower() not in (".png", ".pdf", ".html", ".htm"):
        return _fail(f"--size, --paper and --dpi size a picture (.png, .pdf, .html), not a {out.suffix or 'file'} of data")
    history = None
    if args.history or _history_filters(args):
        if not args.history:
            return _fail("--years, --system, --site, --class and --outcome go with --history")
        history = {"years": args.years, "system": args.system, "site": args.site, "classes": args.classes,
                   "outcomes": args.outcomes, "time_window": args.time_window}

    def progress(step: int, message: str) -> None:
        say(f"sitmap: [{step}/4] {message}")

    try:
        from viewer.export.writers import writer_for

        if out.suffix.lower() not in (".png", ".pdf"):
            writer_for(out)  # an unknown suffix is refused before the map is read
        m = api.open_map(scenario_path)
        say_report(m.open_report)
        m.export(out, size=size, paper=args.paper, dpi=args.dpi or 300, title=args.title, subtitle=args.subtitle,
                 banner=args.banner, banner_colour=args.banner_colour, facts=args.facts, history=history,
                 time_window=args.time_window, progress=progress)
        if out.suffix.lower() == ".csv" and history is None:  # (said as the window's export says it)
            from viewer.model.io.csv_points import not_in_csv

            left = not_in_csv(m.document.scenario)
            if left:
                say(f"sitmap: note: {out.name}: {left}")
    except api.SitMapError as e:
        return _fail(str(e))
    except Exception as e:  # noqa: BLE001 - a writer's own fault: one line, no file written over
        say(f"sitmap: error: {out}: the export failed ({type(e).__name__}: {str(e)[:200]})")
        return EXIT_FAILED
    finally:
        if out.suffix.lower() in (".png", ".pdf"):
            from viewer.ui.web import release_profile

            release_profile()
    return EXIT_OK


def _history_filters(args) -> bool:
    return bool(args.years or args.system or args.site or args.classes or args.outcomes)


def say_report(report) -> None:
    """What opening the file left out or repaired, on stderr (the exit status stays 0)."""
    if report is not None and report.anything_to_say:
        say(f"sitmap: {report}")


def read_first(raw: bytes, target: Path, path: Path | None):
    """(scenario, report): the file named on the command line as a map (any geodata file), or
    the built-in scenario exactly (report None)."""
    if path is None:
        from viewer.model.scenario import parse_scenario_bytes

        return parse_scenario_bytes(raw, target.name), None
    from viewer.model.io.open_any import open_map_bytes

    return open_map_bytes(raw, target.name)


def show_first(window, scenario, report, path: Path | None, page_loading: bool = False,
               panels_later: bool = False) -> None:
    if report is None:
        window.set_scenario(scenario, path, page_loading=page_loading, builtin=path is None,
                            panels_later=panels_later)
    else:
        say_report(report)
        window.files.show_opened(scenario, report, path, page_loading=page_loading, panels_later=panels_later)


def _negative_values_joined(argv: list[str]) -> list[str]:
    """``--size -5x5`` as ``--size=-5x5``: argparse takes a value that begins with "-" and a digit
    for an option and says "expected one argument"; joined, the value's own check says what is
    wrong with it."""
    out: list[str] = []
    it = iter(argv)
    for a in it:
        if a in _VALUE_OPTIONS:
            nxt = next(it, None)
            if nxt is not None and nxt[:1] == "-" and nxt[1:2].isdigit():
                out.append(f"{a}={nxt}")
                continue
            out.append(a)
            if nxt is not None:
                out.append(nxt)
            continue
        out.append(a)
    return out


_VALUE_OPTIONS = ("--size", "--dpi", "--years")


def main(argv: list[str] | None = None) -> int:
    argv = _negative_values_joined(list(sys.argv[1:] if argv is None else argv))
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse already printed the one-line reason
        return EXIT_BAD_INPUT if e.code else EXIT_OK
    if args.date and not args.draft:
        return _fail("--date goes with --draft ARTICLE (the day the article's weekdays count from)")
    if args.install_desktop or args.uninstall_desktop:
        from viewer import desktop

        return desktop.install_command() if args.install_desktop else desktop.uninstall_command()
    if args.export:
        from viewer.ui.qt_app import quiet_headless_noise

        quiet_headless_noise()  # (only for a drawn export's process: it ends at once, see _exported)
        if args.basemap is not None:
            from viewer.ui.basemap_menu import choose_for_export

            error = choose_for_export(args.basemap)
            if error:
                return _fail(error)
        if args.draft:
            return _exported(run_draft(args))
        path = Path(args.file) if args.file else resources.default_scenario()
        return _exported(run_export(path, Path(args.export), args))
    if (_history_filters(args) or args.time_window) and not args.history:
        return _fail("--years, --system, --site, --class, --outcome and --time-window go with --history")
    if args.basemap is not None:
        from viewer.ui import basemap_menu

        basemap_menu.command_line_choice = args.basemap  # a bad one is reported in the window
    if args.draft:
        return run_draft(args)
    return run_window(Path(args.file) if args.file else None, args if args.history else None,
                      new_instance=args.new_instance)


def _exported(code: int) -> int:
    """An export that ran the web engine ends here, at once: its file is written (and synced),
    its temporary files are gone and the engine's pages and profile released. Tearing down Qt and
    the interpreter would only make the command return later (about 0.1 s), so the process ends
    without it. An export that needed no engine (GeoJSON, KML, ...) returns as usual."""
    widgets = sys.modules.get("PySide6.QtWidgets")
    if widgets is None or widgets.QApplication.instance() is None:
        return code
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # (closed by the other end of a pipe: nothing more to say)
            pass
    os._exit(code)


def run_draft(args) -> int:
    """--draft ARTICLE [--date D] [--export OUT]: draft a map from an article, then write it or show it.
    OUT.geojson is the drafted map as a SitMap file (with its evidence); other formats as --export."""
    import tempfile
    from datetime import date

    from viewer.model.draft import DraftInputError, draft_article
    from viewer.model.project import write_atomic
    from viewer.model.scenario import scenario_to_geojson

    if args.file:
        return _fail("--draft makes a new map: give no FILE with it")
    try:
        when = date.fromisoformat(args.date) if args.date else None
    except ValueError:
        return _fail(f"--date {args.date[:40]!r}: use YYYY-MM-DD")
    from viewer.model.file_read import read_bytes_at_most

    article = Path(args.draft)
    try:
        raw = read_bytes_at_most(article, 8 * 2**20)
        draft = draft_article(raw, article_date=when, name=article.name,
                              as_html=True if article.suffix.lower() in (".html", ".htm") else None)
    except (OSError, DraftInputError) as e:
        return _fail(f"{article.name}: {getattr(e, 'strerror', None) or e}")
    scenario = draft.scenario()
    for message in draft.messages:
        say(f"sitmap: {message}")
    used = sum(1 for i in draft.items if i.used)
    say(f"sitmap: drafted {used} of {len(draft.items)} items from {article.name}; {len(draft.unresolved)} to resolve")
    for u in draft.unresolved[:20]:
        say(f"sitmap: unresolved {u.kind}: {u.text[:60]!r} {u.why}" if u.text else f"sitmap: unresolved {u.kind}: {u.why}")
    # the drafted map written as it is (its evidence kept), or exported as any map is
    as_drafted = bool(args.export) and Path(args.export).suffix.lower() in (".geojson", ".json") and not (
        args.history or _history_filters(args) or args.time_window)
    if as_drafted and (args.size is not None or args.paper or args.dpi):
        return _fail(f"--size, --paper and --dpi size a picture (.png, .pdf, .html), not the drafted map "
                     f"{Path(args.export).name}")
    if args.export and not scenario.features and not as_drafted:
        # (a picture or a file of data of nothing says nothing: the drafted map file, .geojson or
        # .json, is still written, its unresolved items for the window to take up)
        return _fail(f"{article.name}: nothing drafted to put on a map (no place, range or launch found)")
    data = (json.dumps(scenario_to_geojson(scenario), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if not args.export:
        from viewer.ui.qt_app import no_display

        why = no_display()
        if why:
            return _fail(why)
        prepare_qt_environment(headless=False)
        app = make_application([sys.argv[0]])
        from viewer.ui.main_window import MainWindow

        window = MainWindow()
        window.show()
        window.map_view.warm_up()
        window.set_scenario(scenario, None)
        return app.exec()
    out = Path(args.export)
    if as_drafted:
        if not out.parent.exists():
            return _fail(f"{out}: folder {out.parent} does not exist")
        try:
            write_atomic(out, data)
        except OSError as e:
            return _fail(f"{out}: cannot write ({e.strerror or e})")
        return EXIT_OK
    with tempfile.TemporaryDirectory(prefix="sitmap-draft-") as tmp:
        drafted = Path(tmp) / "draft.geojson"
        drafted.write_bytes(data)
        return run_export(drafted, out, args)


def page_cache():
    from PySide6.QtCore import QStandardPaths

    from viewer.render.page_cache import PageCache

    return PageCache(Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)) / "pages")


def _shapefile_bytes(path: Path) -> bytes:
    """A .shp named on the command line: it and its files beside it (what SitMap reads as one)."""
    from viewer.model.io.shapefiles import bundled

    return bundled(path)


def _worth_a_thread() -> int:
    """The file size from which a map is read beside the event loop (not imported for a cached page)."""
    from viewer.ui.beside_loop import WORTH_A_THREAD

    return WORTH_A_THREAD


class FirstPage:
    """The start-up's first page, begun before the rest of the window is built: the scenario's
    page from the page cache when it is there; else, for a large map (read beside the event loop),
    its page waiting for what it draws; else an empty page that starts the web engine."""

    def __init__(self, map_view, path: Path | None):
        from viewer.model.file_read import read_bytes_at_most
        from viewer.model.rules import MAX_FILE_BYTES

        self.cache = page_cache()
        self.path = path
        self.target = path if path is not None else resources.default_scenario()
        try:
            self.raw: bytes | None = read_bytes_at_most(self.target, MAX_FILE_BYTES) \
                if self.target.suffix.lower() != ".shp" else \
                _shapefile_bytes(self.target)
        except OSError:
            self.raw = None
        self.key = self.cache.key(self.raw) if self.raw is not None else None
        self.hit = self.cache.get(self.key) if self.key is not None else None
        self.large = self.hit is None and self.raw is not None and len(self.raw) >= _worth_a_thread()
        if self.hit is not None:  # (with the basemap tiles it drew first inside it, and their pictures)
            served = self.cache.prepared(self.key)  # (put together when the pictures were kept)
            map_view.load_page(self.hit["html"], self.hit["online_specs"], tiles=self.hit.get("tiles"),
                               pictures=None if served else self.cache.pictures(self.key), served=served)
        elif self.large:
            map_view.begin_page()
        else:
            map_view.warm_up()


def make_window(path: Path | None, settings=None, data_dir: Path | None = None):
    """The main window, its first page already loading: the web engine starts its processes
    and draws while Python builds the window's frame (the page's requests are served once the
    event loop runs); the rest of the window is built once the map is up (MainWindow's
    ``staged``), its History tab with the first map's panels. Returns (window, first page) for
    :func:`open_first_scenario`."""
    from viewer.ui.map_view import MapView

    view = MapView()
    first = FirstPage(view, path)
    from viewer.ui.main_window import MainWindow  # (its modules' import while the page loads)
    from viewer.model import gazetteer

    gazetteer.keep_cache_in(first.cache.folder.parent / "gazetteer")  # beside the page cache
    # The rest of the window once the map is up, but for a large map, whose panels are filled
    # while its page is drawn (see MainWindow.set_scenario).
    return MainWindow(settings=settings, data_dir=data_dir, map_view=view, history_later=True,
                      staged=not first.large), first


def open_first_scenario(window, path: Path | None, first: FirstPage | None = None) -> str | None:
    """Start-up: if this scenario's page is in the page cache, the web engine starts drawing it
    at once while Python reads the scenario; else the engine warms up on an empty page meanwhile.
    A file that cannot be read leaves the built-in scenario shown; the reason is returned.
    ``first``: the first page :func:`make_window` began (else it is begun here)."""
    if first is None:
        first = FirstPage(window.map_view, path)
    cache, target, raw, hit = first.cache, first.target, first.raw, first.hit
    first.raw = None  # (the file's bytes, let go once read: a large file's are megabytes the window would keep)
    if hit is not None:
        # The page draws first (its requests are served by this thread's event loop); the
        # scenario is read and the panels filled as soon as the map is on screen.

        def finish(_state=None) -> None:
            window.map_view.mapReady.disconnect(finish)
            window.when_built(show)
            keep_pictures(window.map_view, cache, first.key, list(hit.get("tiles") or {}))

        def show() -> None:
            from viewer.model.scenario import ScenarioError, load_scenario

            if window.files.restored:  # (the recovery question answered Yes before this page was up)
                return
            try:
                show_first(window, *read_first(raw, target, path), path, page_loading=True)
            except ScenarioError as e:  # cannot happen for bytes that built the cached page
                window.set_scenario(load_scenario(resources.default_scenario()), None, builtin=True)
                window.show_error("Cannot open scenario", str(e))

        window.map_view.mapReady.connect(finish)
        return None
    from viewer.model.scenario import ScenarioError, load_scenario

    error = None
    scenario = report = None
    window.need_document()  # (the map is read and set now: a staged window's document first)
    handler = window.map_view.scheme_handler
    handler.served_tiles.clear()  # (the tiles its page draws first, carried in it or asked for: kept with it)
    try:
        if raw is None:
            scenario = load_scenario(target)
        else:  # a large file is read while the web engine starts
            scenario, report = window.files.read_beside(lambda: read_first(raw, target, path), target.name,
                                                        len(raw))
            window.map_view.start_map(scenario)  # (its page, begun meanwhile, shows the view while it is drawn)
    except ScenarioError as e:
        error = str(e)
    if scenario is None:
        default = resources.default_scenario()
        window.set_scenario(load_scenario(default), None, builtin=True)
        raw, target = default.read_bytes(), default
    else:  # (its page loads while its panels wait for it)
        show_first(window, scenario, report, path, panels_later=True)
    if raw is not None and not (window.map_view.page_data or window.map_view.page_parts):  # (a page with JSON batches is not cached)
        key, html, specs = cache.key(raw), window.map_view.page_html, window.map_view.online_specs

        def remember(_state=None) -> None:
            window.map_view.mapReady.disconnect(remember)
            cache.put(key, html, specs, handler.served_tiles)
            keep_pictures(window.map_view, cache, key, list(handler.served_tiles))  # (64 at most)

        window.map_view.mapReady.connect(remember)
    return error


def keep_pictures(map_view, cache, key: str, tiles: list[str]) -> None:
    """The cached page's first tiles' pictures, kept with it once it has been up a while (the
    next start shows them instead of drawing those tiles: viewer.render.tile_pictures)."""
    map_view.keep_tile_pictures(tiles, lambda pictures: cache.put_pictures(key, pictures))


def history_from(window, history_args) -> None:
    """sitmap --history [filters]: the history layer on, filtered as the command line says."""
    from viewer.ui.history_window import apply_command_line

    window.install_history()  # (made once the map is on screen otherwise)
    problem = apply_command_line(window, history_args.years, history_args.system, history_args.site,
                                 history_args.time_window, classes=history_args.classes,
                                 outcomes=history_args.outcomes)
    if problem:
        window.show_error("Launch history", problem)


def run_window(path: Path | None, history_args=None, new_instance: bool = False) -> int:
    from viewer.ui.qt_app import no_display

    why = no_display()
    if why:
        return _fail(why)
    prepare_qt_environment(headless=False)
    app = make_application([sys.argv[0]])
    server = None
    if not new_instance:  # one running SitMap: a later start hands its file over and exits
        from viewer.ui.single_instance import start_or_hand_over

        server = start_or_hand_over([path] if path is not None else [], app)
        if server is None:
            return EXIT_OK
    from viewer.ui import opening

    window, first = make_window(path)
    window.show()
    if server is not None:  # wired before anything below can run the event loop (the recovery question)
        opening.serve_window(server, window)
        server.ready()  # a start waiting on this one's start-up is answered once the event loop runs
        app.aboutToQuit.connect(server.close)
    error = open_first_scenario(window, path, first)  # any geodata file opens as a map (what was left out is said)
    if error:
        window.show_error("Cannot open scenario", error)
    window.when_built(window.offer_recovery)
    if history_args is not None:  # sitmap --history [filters]: the layer on, filtered
        window.when_built(lambda: history_from(window, history_args))
    from viewer.ui.web import release_profile

    app.aboutToQuit.connect(release_profile)
    return app.exec()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
