"""SitMap's scripting API: open or make a map, edit it, undo, save and export it, no window.

    from viewer import api

    m = api.open_map()                       # the built-in example, or api.open_map("event.sitmap.geojson")
    launch = m.add_place(39.2002, 125.6733, "Launch point", role="launch", uncertainty_m=5000)
    m.add_ring(39.2002, 125.6733, 380_000, "380 km reported range", status="reported", source="JCS")
    m.add_fact("Range", "380 km", source="JCS", status="reported", feature=launch)
    m.undo(); m.redo()
    m.save("event.sitmap.geojson")
    m.export("briefing.png", size=(1920, 1080), title="Launch")   # .png .pdf .html .geojson .kml .kmz .csv

Every change is checked by the same rules as the file reader; anything invalid raises
:class:`SitMapError` (a ``ValueError``) whose ``str()`` is the one line the command line prints.
See docs/scripting.md.
"""

from __future__ import annotations

import os

from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable

from viewer import resources
from viewer.model import edits
from viewer.model.coords import to_positions
from viewer.model.document import Change, Document, History
from viewer.model.rules import ScenarioError
from viewer.model.scenario import Fact, Feature, Scenario, load_scenario

SitMapError = ScenarioError  # the one exception type of the API (and of the command line)

__all__ = ["Map", "SitMapError", "new_map", "open_map"]


def open_map(path: str | Path | None = None) -> "Map":
    """Open a map: a SitMap file exactly, or any GeoJSON, KML/KMZ, CSV or GPX file (what cannot be
    shown is left out; ``Map.open_report`` says what). No path: the built-in example. A file from
    another tool is not the map's file: ``save()`` then needs a path, so it is never written over."""
    if path is None:
        return Map(Document(load_scenario(resources.default_scenario()), None))
    from viewer.model.io.open_any import open_map_file

    p = Path(path)
    scenario, report = open_map_file(p)
    m = Map(Document(scenario, p if report.own_format else None))
    m.open_report = report
    m.opened_from = p
    return m


def new_map(title: str = "Untitled map", subtitle: str = "") -> "Map":
    m = Map(Document(Scenario(title="Untitled map", features=[], facts=[])))
    m.set_properties(title=title, subtitle=subtitle)
    m.history.clear()
    return m


class Map:
    """An open map with its undo history."""

    def __init__(self, document: Document):
        self.document = document
        self.history = History(document)
        self.open_report = None  # what opening the file left out or repaired (viewer.model.io.report)
        self.opened_from: Path | None = None  # the file it was read from (an export never writes over it)

    # ------------------------------------------------------------------ reading
    @property
    def scenario(self) -> Scenario:
        return self.document.scenario

    @property
    def path(self) -> Path | None:
        return self.document.path

    @property
    def features(self) -> list[Feature]:
        return list(self.document.features)

    @property
    def facts(self) -> list[Fact]:
        return list(self.document.facts)

    def feature(self, fid: str) -> Feature:
        f = self.document.feature(fid)
        if f is None:
            raise SitMapError("map", f"feature {fid}", "no such feature")
        return f

    def on_change(self, callback: Callable[[Change], None]) -> None:
        """Call ``callback(change)`` after every change, undo and redo."""
        self.document.events.connect(callback)

    # ------------------------------------------------------------------ adding
    def _add(self, kind: str, geometry: dict, name: str, fid: str | None, props: dict[str, Any]) -> str:
        from viewer.logic.ids import prefix_for

        props = {k: v for k, v in props.items() if v is not None}
        props.setdefault("status", "estimated")
        if name:
            props["name"] = name
        fid = fid or self.document.new_id(prefix_for(kind, props))
        self.history.do(edits.AddFeatures([Feature(fid, kind, geometry, {"kind": kind, **props})]))
        return fid

    def add_place(self, lat: float, lon: float, name: str, *, id: str | None = None, role: str | None = None,
                  source: str = "", status: str = "reported", uncertainty_m: float | None = None,
                  **properties: Any) -> str:
        """A point (a place, a launch site, a marker). Returns its id."""
        return self._add("place", {"type": "Point", "coordinates": [lon, lat]}, name, id,
                         dict(role=role, source=source, status=status, uncertainty_m=uncertainty_m, **properties))

    def add_ring(self, lat: float, lon: float, radius_m: float, name: str = "", *, id: str | None = None,
                 source: str = "", status: str = "estimated", **properties: Any) -> str:
        """A geodesic range ring around (lat, lon)."""
        return self._add("range_ring", {"type": "Point", "coordinates": [lon, lat]}, name, id,
                         dict(radius_m=radius_m, source=source, status=status, **properties))

    def add_path(self, points: Iterable[tuple[float, float]], name: str = "", *, id: str | None = None,
                 source: str = "", status: str = "estimated", **properties: Any) -> str:
        """A path of geodesic segments through (lat, lon) points."""
        coords = _positions(points, "path")
        return self._add("path", {"type": "LineString", "coordinates": coords}, name, id,
                         dict(source=source, status=status, **properties))

    def add_area(self, corners: Iterable[tuple[float, float]], name: str = "", *, id: str | None = None,
                 source: str = "", status: str = "estimated", **properties: Any) -> str:
        """An area with geodesic edges through (lat, lon) corners (closed for you)."""
        ring = _positions(corners, "area")
        if ring and ring[0] != ring[-1]:
            ring.append(list(ring[0]))
        return self._add("area", {"type": "Polygon", "coordinates": [ring]}, name, id,
                         dict(source=source, status=status, **properties))

    def add_fact(self, label: str, value: str = "", *, source: str, status: str, id: str | None = None,
                 group: str = "context", feature: str | None = None, time_utc: Iterable[datetime] = (),
                 derive: dict | None = None) -> str:
        """A fact with its source and status (reported, claimed, derived, estimated)."""
        n = 1
        taken = {f.id for f in self.document.facts}
        while id is None and f"fact-{n}" in taken:
            n += 1
        fid = id or f"fact-{n}"
        fact = Fact(fid, group, label, value, source, status, feature, tuple(time_utc), derive)
        self.history.do(edits.SetFacts(list(self.document.facts) + [fact], f"Add fact {label}"))
        return fid

    # ------------------------------------------------------------------ changing
    def edit(self, fid: str, *, lat: float | None = None, lon: float | None = None, **properties: Any) -> None:
        """Change a feature's properties (``None`` removes one), or move a point or ring centre."""
        f = self.feature(fid)
        if "kind" in properties:  # (it was set as a property and the feature drawn as it was)
            raise SitMapError("map", f"feature {fid}", "a feature's kind cannot be changed: remove it and add "
                              "one of the other kind")
        props = dict(f.properties)
        for k, v in properties.items():
            if v is None:
                props.pop(k, None)
            else:
                props[k] = v
        geometry = f.geometry
        if lat is not None or lon is not None:
            if geometry["type"] != "Point":
                raise SitMapError("map", f"feature {fid}", "only points and ring centres move by lat/lon")
            old_lon, old_lat = geometry["coordinates"][:2]
            geometry = {"type": "Point", "coordinates": [old_lon if lon is None else lon, old_lat if lat is None else lat]}
        self.history.do(edits.ReplaceFeatures([Feature(f.id, f.kind, geometry, props)], f"Edit {f.name}"))

    def edit_fact(self, fact_id: str, **fields: Any) -> None:
        import dataclasses

        unknown = set(fields) - {f.name for f in dataclasses.fields(Fact)}
        if unknown:
            raise SitMapError("map", f"fact {fact_id}", f"no such field: {', '.join(sorted(unknown))}")
        facts = list(self.document.facts)
        for i, fact in enumerate(facts):
            if fact.id == fact_id:
                facts[i] = dataclasses.replace(fact, **fields)
                self.history.do(edits.SetFacts(facts, f"Edit fact {fact.label}"))
                return
        raise SitMapError("map", f"fact {fact_id}", "no such fact")

    def remove(self, *ids: str) -> None:
        """Remove features (refused while facts are about them) or facts, by id."""
        fact_ids = {f.id for f in self.document.facts}
        both = [i for i in ids if i in fact_ids and self.document.feature(i) is not None]
        if both:  # (one would be removed and the caller might have meant the other)
            raise SitMapError("map", f"id {both[0]}", "names both a fact and a feature: give the fact another id "
                              "(edit_fact) or the feature another id before removing one")
        facts = [i for i in ids if i in fact_ids]
        features = [i for i in ids if i not in fact_ids]
        # (all checked before anything is removed: a call that is refused changes nothing)
        missing = [i for i in features if self.document.feature(i) is None]
        if missing:
            raise SitMapError("map", f"feature {missing[0]}", "no such feature")
        about = [f for f in self.document.facts_about(set(features)) if f.id not in set(facts)]
        if about:
            raise SitMapError("map", f"feature {about[0].feature or features[0]}",
                              f"{len(about)} fact(s) are about it (first: {about[0].label!r}); remove them too, "
                              "or re-point them first")
        if facts:
            self.history.do(edits.SetFacts([f for f in self.document.facts if f.id not in facts], "Delete facts"))
        if features:
            self.history.do(edits.RemoveFeatures(features))

    def set_properties(self, **fields: Any) -> None:
        """The map's title, subtitle, article, event_time_utc, local_time, view, groups or layers."""
        try:
            command = edits.SetMeta(**fields)
        except TypeError as e:  # (a field the map does not have)
            raise SitMapError("map", "properties", str(e)) from None
        self.history.do(command)

    def undo(self) -> bool:
        return self.history.undo() is not None

    def redo(self) -> bool:
        return self.history.redo() is not None

    # ------------------------------------------------------------------ files
    def save(self, path: str | Path | None = None) -> Path:
        """Atomic save (the previous version kept as NAME.bak)."""
        from viewer.model.project import save_project

        from viewer.model.file_kinds import is_geojson_name

        target = Path(path) if path is not None else self.document.path
        if target is None:
            raise SitMapError("map", "", "no file name yet: give save() a path")
        if not is_geojson_name(target):  # (GeoJSON under brief.kml could not be opened again)
            raise SitMapError(target.name, "", "a map is saved as GeoJSON (NAME.sitmap.geojson or .geojson); "
                                               "export() writes .kml, .gpkg, .csv and the other formats")
        try:
            save_project(self.document.scenario, target)
        except OSError as e:
            raise SitMapError(target.name, "", f"cannot write ({e.strerror or e})") from None
        self.document.path = target
        self.history.set_clean()
        return target

    def _read_from(self, out: Path) -> str | None:
        """Why an export may not go to ``out``: it is the file the map was read from (what that file
        held and SitMap could not show would be lost; the map's own file is written by save())."""
        src = self.opened_from
        if src is None:
            return None
        try:
            same = out.exists() and src.exists() and os.path.samefile(out, src)
        except OSError:
            same = False
        if same or Path(os.path.abspath(out)) == Path(os.path.abspath(src)):
            return (f"is the file this map was opened from ({src.name}): export to another file "
                    "(an export never writes over the file it was read from; save() writes a map's own file)")
        return None

    def export(self, path: str | Path, *, size: tuple[int, int] | None = None, paper: str | None = None,
               dpi: int = 300, title: str | None = None, subtitle: str | None = None, banner: str | None = None,
               banner_colour: str | None = None, facts: bool = False, history: dict[str, Any] | None = None,
               time_window: str | None = None, progress: Callable[[int, str], None] | None = None) -> Path:
        """Write the map as .png, .pdf, .html (briefings) or .geojson, .kml, .kmz, .csv (data).

        ``history``: the launch history instead of / on top of the map, filtered by ``years``
        ("2019-2022"), ``system``, ``site`` and ``time_window`` (as on the command line): .geojson
        and .kml write the launches shown; briefings draw the layer and say what is shown.
        ``system`` and ``site`` may name several, as a list or comma-separated ("KN-23,KN-24"), and
        so may ``classes`` and ``outcomes``.

        ``banner``: the caveat or classification banner of a briefing; None (the default) takes the
        map's own (``set_properties(banner=...)``), "" gives none. A briefing leaves out the layers
        the map keeps hidden, as the window shows it.

        ``time_window`` ("2022-01-10/2022-01-20", "2022-01"; UTC): features and facts with a time
        outside it are left out of every export (GeoJSON, KML, CSV and briefings), which say which
        window is shown; with ``history`` it filters the launches too."""
        from viewer.export.briefing import BriefingError, BriefingOptions, ExportSize, hidden_layers, marking_colours
        from viewer.export.writers import writer_for

        out = Path(path)
        writer = writer_for(out) if out.suffix.lower() not in (".png", ".pdf") else None
        from viewer.model.project import cannot_write

        why = cannot_write(out) or self._read_from(out)  # (before the map is drawn for a second or more, not after)
        if why:
            raise SitMapError(str(out), "", why)
        if writer is None:
            _qt_ready()
            writer = writer_for(out)
        if size is not None and not (isinstance(size, (tuple, list)) and len(size) == 2):
            raise SitMapError(out.name, "", f"size {str(size)[:40]!r}: give (width, height) in pixels, e.g. (1920, 1080)")
        try:
            export_size = ExportSize.for_paper(paper, dpi) if paper else ExportSize.pixels(*(size or (1920, 1080)))
            scenario = self.document.scenario
            if banner is None:  # (the map's own, as the window's export dialog offers it)
                banner = scenario.banner or ""
            colour, text_colour = marking_colours(banner)
            opts = BriefingOptions(title=title, subtitle=subtitle, banner_text=(banner or "").strip(),
                                   banner_colour=banner_colour or colour, banner_text_colour=text_colour,
                                   show_facts=facts,
                                   hidden_groups=hidden_layers(scenario.layers)).checked()
        except BriefingError as e:
            raise SitMapError(out.name, "", str(e)) from None
        window = None
        if history is not None and not time_window and history.get("time_window"):
            time_window = history["time_window"]  # the window shows the map's own timed features too
        if time_window:
            from viewer.model.history import HistoryError, parse_window

            try:
                window = parse_window(time_window)
            except HistoryError as e:
                raise SitMapError(out.name, "", str(e)) from None
            import dataclasses

            opts = dataclasses.replace(opts, time_window=window)
        if history is not None:
            from types import SimpleNamespace

            from viewer.export.history import HISTORY_OPTIONS, history_export

            history = dict(history)
            if time_window and not history.get("time_window"):
                history["time_window"] = time_window
            args = SimpleNamespace(history=True, **{k: history.get(k) for k in HISTORY_OPTIONS})
            done, opts = history_export(self.document.scenario, out, opts, args)
            if isinstance(done, str):
                raise SitMapError(out.name, "", done)
            if done:
                return out
        try:
            if window is not None and not writer.briefing and not writer.needs_qt:
                from viewer.export.time_window import write_data

                write_data(out, self.document.scenario, window)
            else:
                writer.write(self.document.scenario, out, export_size, opts, progress=progress)
        except OSError as e:
            raise SitMapError(str(out), "", f"cannot write ({e.strerror or e})") from None
        except RuntimeError as e:  # the page could not be drawn or captured
            raise SitMapError(out.name, "", str(e)) from None
        return out


def _positions(points: Any, what: str) -> list:
    """(lat, lon) pairs as GeoJSON positions, or SitMapError in one line."""
    try:
        return to_positions(points)
    except (TypeError, ValueError, OverflowError) as e:  # (OverflowError: an int past any float, 10**400)
        raise SitMapError("map", what, f"points must be (lat, lon) pairs of numbers ({str(e)[:80]})") from None


_APP = None


def _qt_ready() -> None:
    """PNG and PDF are drawn by the real page: an offscreen Qt application, made once."""
    global _APP
    from viewer.ui.qt_app import keep_indexes, make_application, prepare_qt_environment

    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        prepare_qt_environment(headless=True)
    _APP = make_application(["sitmap"])
    keep_indexes()
    import viewer.ui.briefing_writers  # noqa: F401 (registers the PNG and PDF writers)
