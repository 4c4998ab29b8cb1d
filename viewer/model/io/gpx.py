"""GPX from GPS units and route planners (through ``gpxpy``): waypoints become places, routes
and track segments become paths. The XML is checked by :mod:`viewer.model.io.xml_safe` first
(no entities, bounded size and nesting) before gpxpy reads it."""

from __future__ import annotations

from typing import Any

from viewer.model.io import report as why
from viewer.model.io.common import Fail, Reading, finite_number, give_ids, label, short
from viewer.model.io.report import OpenReport
from viewer.model.io.xml_safe import decode_xml, local, parse_xml
from viewer.model.scenario import MAX_FEATURES, MAX_TEXT_CHARS, MAX_VERTICES


def read_gpx(data: bytes, source_name: str, report: OpenReport) -> Reading:
    import gpxpy
    import gpxpy.gpx

    fail = Fail(source_name)
    root = parse_xml(bytes(data), fail, kml=False)  # refuses entities, bombs and absurd nesting
    if local(root.tag) != "gpx":
        fail("", f"not a GPX document (the root element is <{short(local(root.tag))}>)")
    try:
        gpx = gpxpy.parse(decode_xml(bytes(data), fail))
    except (gpxpy.gpx.GPXException, ValueError, OverflowError) as e:
        # gpxpy refuses the whole file for one point it cannot read: the file again without those
        # points and values (each said), else the first reason
        why_not = f"not a readable GPX file ({short(str(e).splitlines()[0] if str(e) else type(e).__name__, 120)})"
        gpx = _without_unreadable(root, report, gpxpy)
        if gpx is None:
            fail("", why_not)
    _say_bad_times(root, report)
    reading = Reading(title=_text(gpx.name)[:200])
    wanted: list[str | None] = []
    vertices = 0
    heights = 0  # positions of routes and tracks with an elevation (a place keeps its own as elevation_m)

    def add(geometry: dict, props: dict, where: str) -> None:
        nonlocal vertices
        if len(reading.dicts) >= MAX_FEATURES:
            fail(where, f"more than {MAX_FEATURES:,} features")
        vertices += 1 if geometry["type"] == "Point" else len(geometry["coordinates"])
        if vertices > MAX_VERTICES:
            fail(where, f"more than {MAX_VERTICES:,} vertices")
        props = {k: v for k, v in props.items() if v not in (None, "")}
        props.setdefault("source", source_name)
        props["annotation"] = True
        reading.dicts.append({"type": "Feature", "geometry": geometry, "properties": props})
        reading.labels.append(where)
        wanted.append(None)

    def few(points: list, name: str, notes: str, where: str) -> bool:
        """A route or track segment of one position (a place, not nothing) or none (left out, said):
        handled here (True), or a line to add (False)."""
        if len(points) == 1:
            p = points[0]
            add({"type": "Point", "coordinates": [p.longitude, p.latitude]},
                {"kind": "place", "name": name, "notes": notes, "elevation_m": _finite(p.elevation),
                 "time_utc": _time(p.time)}, where)
        elif not points:
            report.left_out(why.EMPTY, f"{where} (no points)")
        return len(points) < 2

    for n, w in enumerate(gpx.waypoints, start=1):
        name = _text(w.name)
        add({"type": "Point", "coordinates": [w.longitude, w.latitude]},
            {"kind": "place", "name": name, "notes": _notes(w), "elevation_m": _finite(w.elevation), "time_utc": _time(w.time),
             "symbol": _text(w.symbol), **_point_fields(w), **_fields(w)}, label(f"waypoint {n}", name or None))
    for n, r in enumerate(gpx.routes, start=1):
        name = _text(r.name)
        where = label(f"route {n}", name or None)
        coords = [[p.longitude, p.latitude] for p in r.points]
        if few(r.points, name, _notes(r), where):
            continue
        heights += _heights(r.points)
        add({"type": "LineString", "coordinates": coords}, {"kind": "path", "name": name, "notes": _notes(r), **_fields(r)},
            where)
    for n, t in enumerate(gpx.tracks, start=1):
        name = _text(t.name)
        segments = t.segments
        for k, seg in enumerate(segments, start=1):
            where = label(f"track {n}" + (f" segment {k}" if len(segments) > 1 else ""), name or None)
            coords = [[p.longitude, p.latitude] for p in seg.points]
            seg_name = name if len(segments) == 1 or not name else f"{name} ({k})"
            if few(seg.points, seg_name, _notes(t), where):
                continue
            heights += _heights(seg.points)
            times = [p.time for p in seg.points if p.time is not None]
            span = list(dict.fromkeys(x for x in (_time(times[0]), _time(times[-1])) if x)) if times else []
            # (its first and last times as its time_utc too: the time slider and --time-window see it)
            add({"type": "LineString", "coordinates": coords},
                {"kind": "path", "name": seg_name, "notes": _notes(t), **_fields(t),
                 "start_time": _time(times[0]) if times else None, "end_time": _time(times[-1]) if times else None,
                 "time_utc": (span[0] if len(span) == 1 else span) or None},
                where)
        if not segments:
            report.left_out(why.EMPTY, label(f"track {n}", name or None))
    if heights:
        report.note(why.HEIGHTS_LEFT_OUT.format(n=heights))
    give_ids(reading.dicts, wanted, "feature")  # (GPX has no ids of its own: each given one)
    return reading


def _heights(points: list) -> int:
    """How many of a route's or track's points have an elevation other than 0 (not kept: a line's
    positions are flat)."""
    return sum(1 for p in points if p.elevation is not None and p.elevation == p.elevation and p.elevation != 0)


def _fields(item: Any) -> dict[str, Any]:
    """A waypoint's, route's or track's other fields, under the names GDAL (QGIS) gives them: its
    type (gpx.studio's activity, a waypoint's category), number, the source of its data and its
    first link."""
    return {"type": _text(getattr(item, "type", None)), "src": _text(getattr(item, "source", None)),
            "link1_href": _text(getattr(item, "link", None)), "number": _whole(getattr(item, "number", None))}


def _point_fields(p: Any) -> dict[str, Any]:
    """A waypoint's fix and its precision (GDAL's names)."""
    return {"hdop": _finite(p.horizontal_dilution), "vdop": _finite(p.vertical_dilution),
            "pdop": _finite(p.position_dilution), "sat": _whole(p.satellites),
            "fix": _text(p.type_of_gpx_fix), "magvar": _finite(p.magnetic_variation), "geoidheight": _finite(p.geoid_height)}


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _finite(value: Any) -> float | None:
    import math

    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else None


def _text(value: Any) -> str:
    return str(value).strip()[:MAX_TEXT_CHARS] if value else ""


def _notes(item: Any) -> str:
    parts = [_text(getattr(item, key, None)) for key in ("description", "comment")]
    return "\n".join(dict.fromkeys(p for p in parts if p))


def _time(t: Any) -> str | None:
    if t is None:
        return None
    try:
        return t.isoformat()
    except (AttributeError, ValueError, OverflowError):
        return None


_POINTS = ("wpt", "rtept", "trkpt")
_NUMBERS = ("ele", "magvar", "geoidheight", "hdop", "vdop", "pdop", "ageofdgpsdata", "course", "speed")


def _without_unreadable(root, report: OpenReport, gpxpy) -> Any:
    """The GPX read again without its points that have no readable position and without the
    numbers it cannot read (an elevation of "12,5"), each said in the report; None if it still
    cannot be read."""
    import xml.etree.ElementTree as ET

    counts = {name: 0 for name in _POINTS}
    for parent in list(root.iter()):
        for el in list(parent):
            name = local(el.tag)
            if name not in _POINTS:
                continue
            counts[name] += 1
            lat, lon = finite_number(el.get("lat")), finite_number(el.get("lon"))
            if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
                parent.remove(el)
                report.left_out(why.BAD_ROW, f"{name} {counts[name]} (lat {short(str(el.get('lat')))!r}, "
                                             f"lon {short(str(el.get('lon')))!r})")
                continue
            for value in list(el):
                if local(value.tag) in _NUMBERS and finite_number(value.text) is None:
                    el.remove(value)
                    report.left_out(why.INVALID, f"{name} {counts[name]}: {local(value.tag)} "
                                                 f"{short((value.text or '').strip())!r} (not a number)")
    for el in root.iter():  # (written back without namespace prefixes, which gpxpy does not follow)
        if isinstance(el.tag, str):
            el.tag = local(el.tag)
    try:
        return gpxpy.parse(ET.tostring(root, encoding="unicode"))
    except (gpxpy.gpx.GPXException, ValueError, OverflowError):
        return None


def _say_bad_times(root, report: OpenReport) -> None:
    """gpxpy drops a time it cannot read; the user is told which."""
    from datetime import datetime

    for el in root.iter():
        if local(el.tag) != "time":
            continue
        value = (el.text or "").strip()
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            report.left_out(why.BAD_TIME, f"time {short(value)!r}")
