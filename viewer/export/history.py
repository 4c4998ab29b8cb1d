"""The launch history, with the analyst's filter applied, as GeoJSON and KML; and the pieces a
briefing needs to show it (the page data, the line saying what is shown, the credit).

KML carries a ``<TimeStamp>`` per launch so Google Earth's own time slider works; each launch is
one Placemark (the site) plus, when a distance and bearing are known, one for the estimated track.
No Qt here.
"""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Sequence

from viewer.model import history as hist
from viewer.model.project import write_atomic

KML_NS = "http://www.opengis.net/kml/2.2"


def _when(x: hist.Launch) -> str:
    """ISO time as precise as known: "2022-01-16T23:50:00Z", "1984-04-09" or "1984-09"."""
    if x.time_utc and len(x.date) == 10:
        return f"{x.date}T{x.time_utc}:00Z"
    return x.date


def launch_properties(x: hist.Launch) -> dict[str, Any]:
    return {
        # time_utc: the ISO time (a map's own time property, which the time window reads), as precise as known
        "kind": "launch", "launch_id": x.id, "date_utc": x.date, "time_utc": _when(x), "when": _when(x),
        "system": x.system.name, "class": x.system.cls, "site": x.site.name, "site_position": x.site.precision,
        "apogee_km": x.apogee_km, "distance_km": x.distance_km, "bearing_deg": x.bearing_deg, "outcome": x.outcome,
        "landing_area": x.landing, "source": x.source, "status": x.status,
    }


def history_geojson(history: hist.LaunchHistory, launches: Sequence[hist.Launch], shown: str) -> dict[str, Any]:
    """Sites as Points; estimated tracks (RFC 7946, split at ±180) and landing points beside them."""
    features: list[dict[str, Any]] = []
    for x in launches:
        props = launch_properties(x)
        features.append({"type": "Feature", "id": x.id,
                         "geometry": {"type": "Point", "coordinates": [x.site.lon, x.site.lat]}, "properties": props})
        if x.track is not None:
            est = {"launch_id": x.id, "when": props["when"], "time_utc": props["when"], "class": x.system.cls,
                   "status": "estimated",
                   "source": f"SitMap: geodesic from the site at {x.bearing_deg:g}\u00b0 for {x.distance_km:g} km "
                             f"(WGS84), figures from {x.source}"}
            features.append({"type": "Feature", "id": f"{x.id}.track", "geometry": x.track.to_geojson(),
                             "properties": {"kind": "estimated_track", **est}})
            lat, lon = x.landing_point
            features.append({"type": "Feature", "id": f"{x.id}.landing",
                             "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                             "properties": {"kind": "estimated_landing", **est}})
    return {"type": "FeatureCollection", "name": history.name, "credit": history.credit, "shown": shown,
            "launch_count": len(launches), "features": features}


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{KML_NS}}}{tag}", attrib)
    if text is not None:
        el.text = text
    return el


def _kml_colour(rgb: str, alpha: int = 255) -> str:
    r, g, b = rgb[1:3], rgb[3:5], rgb[5:7]
    return f"{alpha:02x}{b}{g}{r}".lower()


def _coords(points) -> str:
    return " ".join(f"{lon:.6f},{lat:.6f}" for lon, lat in points)


def _track_lines(x: hist.Launch) -> list[list[tuple[float, float]]]:
    geom = x.track.to_geojson()
    if geom["type"] == "LineString":
        return [geom["coordinates"]]
    return list(geom["coordinates"])


def history_kml(history: hist.LaunchHistory, launches: Sequence[hist.Launch], shown: str) -> bytes:
    ET.register_namespace("", KML_NS)
    root = ET.Element(f"{{{KML_NS}}}kml")
    doc = _sub(root, "Document")
    _sub(doc, "name", history.name)
    _sub(doc, "description", html.escape(f"Shown: {shown}. {len(launches)} launches. Source: {history.credit}. "
                                         "Tracks and landing points are estimates (site + bearing + distance).",
                                         quote=False))
    for cls in hist.CLASSES:
        colour = hist.CLASS_COLOURS[cls]
        style = _sub(doc, "Style", id=f"class-{cls.replace(' ', '-')}")
        icon = _sub(style, "IconStyle")
        _sub(icon, "color", _kml_colour(colour))
        _sub(icon, "scale", "0.8")
        _sub(_sub(icon, "Icon"), "href", "http://maps.google.com/mapfiles/kml/shapes/triangle.png")
        line = _sub(style, "LineStyle")
        _sub(line, "color", _kml_colour(colour, 200))
        _sub(line, "width", "2")
    for x in launches:
        style = f"#class-{x.system.cls.replace(' ', '-')}"
        pm = _sub(doc, "Placemark", id=x.id)
        _sub(pm, "name", f"{x.date} {x.system.short}")
        _sub(_sub(pm, "TimeStamp"), "when", _when(x))
        _sub(pm, "styleUrl", style)
        ext = _sub(pm, "ExtendedData")
        for key, value in launch_properties(x).items():
            if value is None:
                continue
            d = _sub(ext, "Data", name=key)
            _sub(d, "value", f"{value:g}" if isinstance(value, float) else str(value))
        _sub(_sub(pm, "Point"), "coordinates", _coords([(x.site.lon, x.site.lat)]))
        if x.track is not None:
            tp = _sub(doc, "Placemark", id=f"{x.id}.track")
            _sub(tp, "name", f"{x.date} {x.system.short}: estimated track")
            _sub(_sub(tp, "TimeStamp"), "when", _when(x))
            _sub(tp, "styleUrl", style)
            _sub(tp, "description", "Estimated from the site, the bearing and the distance flown (geodesic, WGS84).")
            lines = _track_lines(x)
            parent = _sub(tp, "MultiGeometry") if len(lines) > 1 else tp
            for pts in lines:
                ls = _sub(parent, "LineString")
                _sub(ls, "tessellate", "1")
                _sub(ls, "coordinates", _coords(pts))
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_history(path: Path, history: hist.LaunchHistory, flt: hist.HistoryFilter) -> int:
    """Write the filtered history to ``path`` (.geojson/.json or .kml); returns how many launches."""
    launches = flt.apply(history.launches)
    shown = flt.describe(history)
    suffix = Path(path).suffix.lower()
    if suffix in (".geojson", ".json"):
        data = (json.dumps(history_geojson(history, launches, shown), ensure_ascii=False, indent=1) + "\n").encode()
    elif suffix == ".kml":
        data = history_kml(history, launches, shown)
    else:
        raise ValueError(f"cannot write the launch history to {suffix or 'a file without extension'}")
    write_atomic(Path(path), data)
    return len(launches)


def shown_line(history: hist.LaunchHistory, flt: hist.HistoryFilter, count: int) -> str:
    """The briefing's statement of what the history layer shows."""
    return f"Launch history shown: {flt.describe(history)} ({count:,} launch{'es' if count != 1 else ''})"


HISTORY_OPTIONS = ("years", "system", "site", "classes", "outcomes", "time_window")


def choices(value) -> list[str]:
    """Several values from one option: a list (repeated flags, the API) and/or "A,B" text."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    out = []
    for item in items:
        out.extend(p.strip() for p in str(item).split(",") if p.strip())
    return list(dict.fromkeys(out))


def filter_from_options(history: hist.LaunchHistory, *, years: str | None = None, system=None, site=None,
                        classes=None, outcomes=None, time_window: str | None = None) -> hist.HistoryFilter:
    """The command line's (and the API's) filter; HistoryError (one line) for values that match
    nothing. ``system``, ``site``, ``classes`` and ``outcomes`` take several values (any of them
    matches): a list, or comma-separated text ("KN-23,KN-24")."""
    flt = hist.HistoryFilter()
    if years:
        flt = flt.with_(years=hist.parse_years(years))
    systems: set[str] = set()
    for text in choices(system):
        found = history.find_systems(text)
        if not found:
            raise hist.HistoryError(f"--system {text!r}: no such system in {history.name} "
                                    f"(for example {', '.join(s.short for s in history.systems_used()[:6])})")
        systems.update(s.key for s in found)
    sites: set[str] = set()
    for text in choices(site):
        found_sites = history.find_sites(text)
        if not found_sites:
            raise hist.HistoryError(f"--site {text!r}: no such launch site in {history.name}")
        sites.update(s.key for s in found_sites)
    wanted_classes: set[str] = set()
    for text in choices(classes):
        c = next((c for c in hist.CLASSES if c.lower() == text.lower()), None)
        if c is None:
            raise hist.HistoryError(f"--class {text!r}: use one of {', '.join(hist.CLASSES)}")
        wanted_classes.add(c)
    wanted_outcomes: set[str] = set()
    for text in choices(outcomes):
        o = next((o for o in hist.OUTCOMES if o == text.lower()), None)
        if o is None:
            raise hist.HistoryError(f"--outcome {text!r}: use one of {', '.join(hist.OUTCOMES)}")
        wanted_outcomes.add(o)
    flt = flt.with_(systems=frozenset(systems), sites=frozenset(sites), classes=frozenset(wanted_classes),
                    outcomes=frozenset(wanted_outcomes))
    if time_window:
        flt = flt.with_(window=hist.parse_window(time_window))
    return flt


def page_layer(history: hist.LaunchHistory, flt: hist.HistoryFilter, scenario=None) -> dict[str, Any]:
    """What a briefing page needs to draw the history layer at start (PageOptions.history)."""
    timed = {k: [int(t.timestamp()) for t in v] for k, v in hist.feature_times(scenario).items()} if scenario else {}
    return {"data": hist.page_data(history), "filter": flt.to_page(), "timed": timed,
            "caption": flt.describe(history) if flt != hist.HistoryFilter() else ""}


def history_export(scenario, out: Path, opts, args) -> tuple[bool | str, Any]:
    """The command line's ``--history``: (True, opts) when ``out`` (.geojson/.kml) was written;
    (False, opts with the layer and the line saying what is shown) for a briefing; a one-line
    message instead of a bool when the arguments cannot be used."""
    from dataclasses import replace

    if not args.history:
        return "--years, --system, --site, --class and --outcome go with --history", opts
    history = hist.load_default()
    try:
        flt = filter_from_options(history, **{k: getattr(args, k, None) for k in HISTORY_OPTIONS})
    except hist.HistoryError as e:
        return str(e), opts
    suffix = Path(out).suffix.lower()
    if suffix in (".geojson", ".json", ".kml"):
        try:
            write_history(Path(out), history, flt)
        except OSError as e:
            return f"{out}: cannot write ({e.strerror or e})", opts
        return True, opts
    if suffix not in (".png", ".pdf", ".html", ".htm"):
        return f"{Path(out).name}: with --history use .png, .pdf, .html, .geojson or .kml", opts
    # Stated in the source line (which wraps) and in the layer's legend on the map.
    shown = shown_line(history, flt, len(flt.apply(history.launches)))
    opts = replace(opts, history=page_layer(history, flt, scenario),
                   extra_sources=(f"{shown}: {history.credit}",))
    return False, opts
