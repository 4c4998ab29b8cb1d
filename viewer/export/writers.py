"""One registry of writers by file suffix, for the command line, the menus, the export dialog
and the scripting API. Writers that need a page on screen (PNG, PDF) are registered by the
Qt layer (:mod:`viewer.ui.capture`) when it is loaded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from viewer.model.rules import ScenarioError
from viewer.model.scenario import Scenario


@dataclass(frozen=True)
class Writer:
    """``write(scenario, path, size, opts, progress, cancelled)``: size and opts matter to briefings only."""

    name: str  # what the user picks: "PNG image"
    suffixes: tuple[str, ...]
    write: Callable[..., None]
    briefing: bool = False  # a composed briefing (title, legend, scale...) rather than data
    needs_qt: bool = False


_WRITERS: dict[str, Writer] = {}


def register(writer: Writer) -> None:
    for s in writer.suffixes:
        _WRITERS[s] = writer


def writer_for(path: Path) -> Writer:
    """The writer for ``path``'s suffix; ScenarioError naming the suffixes there are."""
    suffix = Path(path).suffix.lower()
    w = _WRITERS.get(suffix)
    if w is None:
        raise ScenarioError(Path(path).name, "", f"cannot export to {suffix or 'a file without extension'} "
                                                 f"(use {', '.join(all_suffixes())})")
    return w


# PNG and PDF are drawn by the page; their writers live with the Qt capture code and register
# themselves. Their suffixes are known here so errors and file filters can list them.
_QT_SUFFIXES = (".png", ".pdf")


def all_suffixes() -> list[str]:
    seen = list(dict.fromkeys(list(_QT_SUFFIXES) + list(_WRITERS)))
    return seen


def file_filter(briefing: bool | None = None) -> str:
    """A Qt file-dialog filter of the registered writers (briefings, data, or all)."""
    parts = []
    for w in dict.fromkeys(_WRITERS.values()):
        if briefing is None or w.briefing == briefing:
            parts.append(f"{w.name} ({' '.join('*' + s for s in w.suffixes)})")
    return ";;".join(parts)


def _write_geojson(scenario: Scenario, path: Path, *_a, **_k) -> None:
    from viewer.export.geojson import write_geojson

    write_geojson(scenario, path)


def _write_gpkg(scenario: Scenario, path: Path, *_a, **_k) -> None:
    from viewer.export.geopackage import write_geopackage

    write_geopackage(scenario, path)


def _exchange(fn_name: str) -> Callable[..., None]:
    def write(scenario: Scenario, path: Path, *_a, **_k) -> None:
        from viewer.model import exchange
        from viewer.model.project import write_atomic

        write_atomic(Path(path), getattr(exchange, fn_name)(scenario))
    return write


def _write_html(scenario: Scenario, path: Path, size=None, opts=None, progress=None, cancelled=None) -> None:
    from viewer.export.briefing import ExportSize
    from viewer.export.html import export_briefing_html

    export_briefing_html(scenario, path, size or ExportSize.pixels(1920, 1080), opts, progress=progress)


register(Writer("GeoJSON, as drawn (QGIS, geojson.io)", (".geojson", ".json"), _write_geojson))
register(Writer("KML (Google Earth)", (".kml",), _exchange("export_kml")))
register(Writer("KMZ (Google Earth)", (".kmz",), _exchange("export_kmz")))
register(Writer("CSV of points", (".csv",), _exchange("export_csv")))
register(Writer("GeoPackage (QGIS, GDAL)", (".gpkg",), _write_gpkg))
register(Writer("Web page briefing (offline HTML)", (".html", ".htm"), _write_html, briefing=True))
