"""GPX 1.0/1.1 (GPS receivers, Garmin BaseCamp, OsmAnd, Strava exports) read as annotations.

Waypoints become places; a route becomes a path; each segment of a track becomes a path (a
segment of one point becomes a place). Names, descriptions and comments are kept as text; times,
elevations and extensions are left out, and the reader says how many points carried them. The
features are validated like a scenario file's (through :func:`parse_scenario`) and carry
``properties["annotation"] = True`` and the file as their source.

XML safety as for KML: the file is refused if it declares a document type or entities (the
only way entities can be defined), elements nested absurdly deep are refused while parsing, and
the size limit of scenario files applies.
"""

from __future__ import annotations

import codecs
import math
import re
import xml.etree.ElementTree as ET
from typing import Any

from viewer.model.scenario import (MAX_FEATURES, MAX_FILE_BYTES, MAX_TEXT_CHARS, MAX_VERTICES, Feature,
                                   ScenarioError, parse_scenario)

MAX_DEPTH = 32


def looks_like_gpx(data: bytes) -> bool:
    head = bytes(data[:1024]).lstrip(codecs.BOM_UTF8).lstrip()
    return head.startswith(b"<") and re.search(rb"<(?:\w+:)?gpx[\s>]", head) is not None


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _parse(data: bytes, source: str) -> ET.Element:
    def fail(where: str, what: str):
        raise ScenarioError(source, where, what)

    if len(data) > MAX_FILE_BYTES:
        fail("", f"file is {len(data) / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        fail(f"byte {e.start}", "not UTF-8 text (GPX files are UTF-8)")
    upper = text.upper()
    if "<!DOCTYPE" in upper or "<!ENTITY" in upper:
        fail("", "XML with a document type declaration (<!DOCTYPE / <!ENTITY) is refused: "
                 "entities could expand without bound or read other files")
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
    parser = ET.XMLPullParser(events=("start", "end"))
    root, depth = None, 0
    try:
        for at in range(0, max(len(text), 1), 1 << 20):
            parser.feed(text[at: at + (1 << 20)])
            for event, el in parser.read_events():
                if event == "start":
                    depth += 1
                    root = el if root is None else root
                    if depth > MAX_DEPTH:
                        fail("", f"XML elements nested deeper than {MAX_DEPTH} levels")
                else:
                    depth -= 1
        parser.close()
    except ET.ParseError as e:
        line, col = e.position
        fail(f"line {line}, column {col + 1}", f"not well-formed XML ({str(e).split(':')[0]})")
    if root is None or _local(root.tag) != "gpx":
        fail("", f"not a GPX document (the root element is <{_local(getattr(root, 'tag', '')) or '?'}>)")
    return root


def _text(el: ET.Element, name: str) -> str:
    for c in el:
        if _local(c.tag) == name:
            return " ".join("".join(c.itertext()).split())[:MAX_TEXT_CHARS]
    return ""


class _Reader:
    def __init__(self, source: str):
        self.source = source
        self.dicts: list[dict] = []
        self.labels: list[str] = []
        self.vertices = 0

    def fail(self, where: str, what: str):
        raise ScenarioError(self.source, where, what)

    def position(self, pt: ET.Element, where: str) -> list[float]:
        try:
            lat, lon = float(pt.get("lat", "")), float(pt.get("lon", ""))
        except ValueError:
            self.fail(where, "lat and lon must be numbers")
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
            self.fail(where, f"position lat {pt.get('lat')!r}, lon {pt.get('lon')!r} is off the Earth")
        self.vertices += 1
        if self.vertices > MAX_VERTICES:
            self.fail(where, f"more than {MAX_VERTICES:,} points")
        return [lon, lat]

    def add(self, el: ET.Element, label: str, coords: list[list[float]], fallback_name: str) -> None:
        if len(self.dicts) >= MAX_FEATURES:
            self.fail(label, f"more than {MAX_FEATURES:,} features")
        name = _text(el, "name") or fallback_name
        notes = "\n".join(t for t in (_text(el, "desc"), _text(el, "cmt")) if t)
        props: dict[str, Any] = {"annotation": True, "name": name, "source": self.source}
        if notes:
            props["notes"] = notes
        if len(coords) == 1:
            geometry = {"type": "Point", "coordinates": coords[0]}
            props["kind"] = "place"
        else:
            geometry = {"type": "LineString", "coordinates": coords}
            props["kind"] = "path"
        self.dicts.append({"type": "Feature", "id": f"gpx-{len(self.dicts) + 1}", "geometry": geometry,
                           "properties": props})
        self.labels.append(label)


def import_gpx(data: bytes, source_name: str) -> list[Feature]:
    """The GPX file's waypoints, routes and track segments as annotation features."""
    root = _parse(data, source_name)
    r = _Reader(source_name)
    counts = {"wpt": 0, "rte": 0, "trk": 0}
    for el in root:
        kind = _local(el.tag)
        if kind not in counts:
            continue
        counts[kind] += 1
        n = counts[kind]
        if kind == "wpt":
            label = f"waypoint {n}"
            r.add(el, label, [r.position(el, label)], f"Waypoint {n}")
        elif kind == "rte":
            label = f"route {n}"
            pts = [r.position(p, f"{label}, point {i + 1}") for i, p in enumerate(c for c in el if _local(c.tag) == "rtept")]
            if pts:
                r.add(el, label, pts, f"Route {n}")
        else:
            segments = [s for s in el if _local(s.tag) == "trkseg"]
            for k, seg in enumerate(segments):
                label = f"track {n}" + (f", segment {k + 1}" if len(segments) > 1 else "")
                pts = [r.position(p, f"{label}, point {i + 1}") for i, p in enumerate(c for c in seg if _local(c.tag) == "trkpt")]
                if pts:
                    name = _text(el, "name") or f"Track {n}"
                    r.add(el, label, pts, name)
                    if len(segments) > 1:
                        r.dicts[-1]["properties"]["name"] = f"{name} ({k + 1})"
    if not r.dicts:
        r.fail("", "no waypoints, routes or tracks")
    try:
        scenario = parse_scenario({"type": "FeatureCollection", "features": r.dicts}, source_name)
    except ScenarioError as e:
        m = re.match(r"^features\[(\d+)\](?: \(id [^)]*\))?", e.where)
        where = r.labels[int(m.group(1))] + e.where[m.end():] if m and int(m.group(1)) < len(r.labels) else e.where
        raise ScenarioError(source_name, where, e.what) from None
    return scenario.features


def left_out_note(data: bytes) -> str:
    """What reading left out, in one line ("" if nothing) — for the status bar after an import."""
    try:
        root = _parse(data, "")
    except ScenarioError:
        return ""
    n = sum(1 for el in root.iter() if _local(el.tag) in ("wpt", "rtept", "trkpt")
            and any(_local(c.tag) in ("ele", "time", "extensions") for c in el))
    return f"times, elevations and extensions of {n:,} point{'s' if n != 1 else ''} were left out" if n else ""
