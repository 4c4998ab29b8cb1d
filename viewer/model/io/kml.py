"""KML / KMZ reader (Google Earth, Google My Maps, QGIS, SitMap's own): placemarks with their
styles (shared styles, StyleMaps, inline styles, icon colours), folders, and SitMap's
``ExtendedData`` that brings its own rings and paths back exactly. The placemarks' styles and
geometry are read in :mod:`viewer.model.io.kml_shapes`."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from itertools import compress, repeat
from operator import attrgetter, eq
from typing import Any

from viewer.model import geodesy
from viewer.model.bulk import Memo
from viewer.model.io import report as why
from viewer.model.io.common import (
    Fail,
    Reading,
    give_ids,
    check_text,
    finite_number,
    label,
    layer_id,
    loads_json,
    short,
    validate_all,
)
from viewer.model.io.report import OpenReport
from viewer.model.io.drawn_corners import drawn_by, own_corners
from viewer.model.io.kml_columns import MAX_MACHINE_CHARS
from viewer.model.io.kml_description import html_to_text, split_description
from viewer.model.io.kml_shapes import (
    GEOMETRY_TAGS,
    Coords,
    Styles,
    holes_of,
    kml_parts,
    ring_consistent,
    style_from_kml,
)
from viewer.model.io.kml_write import OWN_FIELDS
from viewer.model.io.xml_safe import LOCAL_NAMES, child, local, parse_xml, text
from viewer.model.scenario import (
    FEATURE_KINDS,
    MAX_FEATURES,
    MAX_TEXT_CHARS,
    STATUSES,
    Feature,
    ScenarioError,
)

# The map's facts and fields SitMap carries in the document's ExtendedData, and a SitMap placemark's
# balloon (which lists its feature's facts): 10,000 facts, as many as a map carries, are 2 MB or
# so; far beyond, a text is not read and the open report says so.
MAX_CARRIED_CHARS = 200_000_000


# =========================================================================== KML import

LONG_NOTES = f"descriptions longer than {MAX_TEXT_CHARS:,} characters (each feature kept without its notes)"
LONG_VALUE = f"values longer than {MAX_TEXT_CHARS:,} characters (another tool's fields: each feature kept without them)"


def _extended_data(ext: ET.Element | None, fail: Fail, where: str, partly: list | None = None) -> dict[str, str]:
    """A placemark's ExtendedData (``ext``) values by name; ``partly`` (opening): another tool's
    value too long to keep is left out of them and listed there, the placemark kept."""
    out: dict[str, str] = {}
    if ext is None:
        return out
    names = LOCAL_NAMES
    for el in ext.iter():
        tag = names.get(el.tag) or local(el.tag)  # (worked out once a name, as local() does: a large file's
        if tag == "SimpleData":                     # placemarks hold millions of these)
            key, value = el.get("name") or "", el.text or "" if not len(el) else text(el)
        elif tag == "Data":
            key, value = el.get("name") or "", text(child(el, "value"))
        else:
            continue
        if not key or len(out) >= 1000:
            continue
        if len(value) <= MAX_TEXT_CHARS and "\x00" not in value:  # (the shortest limit: any field's value)
            out[key] = value
            continue
        # (an area's exact corners, as SitMap writes them: 30-50 characters each, as many as a map may hold)
        limit = MAX_CARRIED_CHARS if key in ("sitmap_vertices", "sitmap_holes") else \
            MAX_MACHINE_CHARS if key == "sitmap_properties" else MAX_TEXT_CHARS
        if len(value) > limit or "\x00" in value:  # (where it is, worked out only for what is refused)
            if partly is not None and len(value) > limit and not key.startswith("sitmap_"):
                partly.append((LONG_VALUE, f"{where}.ExtendedData.{short(key)}"))
                continue
            check_text(fail, value, f"{where}.ExtendedData.{short(key)}", limit)
        out[key] = value
    return out


def import_kml(data: bytes, source_name: str, carried: dict | None = None) -> list[Feature]:
    """Annotations from a KML or KMZ document (SitMap's own, Google Earth's, QGIS's).
    ``carried``: told how many facts the document carries (``carried["facts"]``: SitMap's).

    Raises :class:`ScenarioError` for anything unsafe or invalid; nothing is returned then.
    """
    reading = read_kml(data, source_name)
    if carried is not None:
        carried["facts"] = len(reading.facts) if isinstance(reading.facts, list) else 0
    return validate_all(reading.dicts, reading.labels, source_name)


# What Google Earth shows that SitMap cannot draw, by element: said when a file is opened.
_NOT_DRAWN = {"NetworkLink": why.NETWORK_LINK, "GroundOverlay": why.OVERLAY, "ScreenOverlay": why.OVERLAY,
              "PhotoOverlay": why.OVERLAY, "Tour": why.TOUR, "NetworkLinkControl": why.UPDATE}


def read_kml(data: bytes, source_name: str, report: OpenReport | None = None) -> Reading:
    """The placemarks of a KML or KMZ document. Strict without a report (one bad placemark
    refuses the file); with one, a placemark that cannot be read is left out and counted, folders
    become user layers, the document's name the title, and foreign ExtendedData properties."""
    fail = Fail(source_name)
    tail: list | None = [] if report is not None else None
    root = parse_xml(bytes(data), fail, tail=tail)
    if tail and report is not None:
        report.notes.append(f"What follows the KML document's end (from {tail[0]}) is not KML and was not read.")
    coords = Coords(fail)
    everything = list(root.iter())  # (the document's elements in its order: looked through at C speed below)
    named = _named_in_content(root, everything, ("Placemark", "Schema", "Style", "StyleMap", *_NOT_DRAWN))
    styles = Styles(_in_document_order(everything, named["Style"] + named["StyleMap"])
                    if named["Style"] and named["StyleMap"] else named["Style"] or named["StyleMap"])
    placemarks = named["Placemark"] + _schema_placemarks(root, everything, named["Schema"])
    if len(placemarks) > len(named["Placemark"]):
        placemarks = _in_document_order(everything, placemarks)
    if len(placemarks) > MAX_FEATURES:
        fail("", f"more than {MAX_FEATURES:,} placemarks")
    reading = Reading()
    wanted: list[str | None] = []
    layer_of: dict[int, str] = {}
    # (importing, too: the facts' list in each balloon is no note)
    reading.fields, reading.facts = _carried(root, fail, report)
    if report is not None:
        reading.title = _document_name(root)
        reading.layers = _folder_layers(root, layer_of)
        not_drawn = [el for tag in _NOT_DRAWN for el in named[tag]]
        if len({local(el.tag) for el in not_drawn}) > 1:  # (said in the document's order)
            not_drawn = _in_document_order(everything, not_drawn)
        for el in not_drawn:
            name = text(child(el, "name")).strip()
            report.left_out(_NOT_DRAWN[local(el.tag)], label(f"<{local(el.tag)}>", name or None))
    left: list[ScenarioError] | None = None if report is None else []  # (opening: what a placemark leaves out)
    fact_counts: dict[str, int] = {}
    for fact in reading.facts if isinstance(reading.facts, list) else ():
        if isinstance(fact, dict) and isinstance(fact.get("feature"), str):
            fact_counts[fact["feature"]] = fact_counts.get(fact["feature"], 0) + 1
    held: list[set[str]] = []

    def ids_held() -> set[str]:  # (asked for by an uncertainty circle: is its point in the file?)
        if not held:
            held.append(_ids_held(placemarks))
        return held[0]

    for n, pm in enumerate(placemarks, start=1):
        try:
            _read_placemark(pm, n, fail, styles, coords, reading, wanted, source_name, layer_of.get(id(pm)), left,
                            fact_counts, ids_held)
        except ScenarioError as e:
            if left is None:
                raise
            left.append(e)
        if left:
            from viewer.model.io.checked import place_of, reason_of

            for e in left:
                report.left_out(reason_of(e), place_of(e))
            left.clear()
    for reason, where in reading.partly if report is not None else ():
        report.kept_without(reason, where)
    if coords.heights and report is not None:
        report.note(why.HEIGHTS_LEFT_OUT.format(n=coords.heights))
    give_ids(reading.dicts, wanted, "imported" if report is None else "feature", report)
    return reading


def _named_in_content(root: ET.Element, everything: list[ET.Element],
                      names: tuple[str, ...]) -> dict[str, list[ET.Element]]:
    """The elements of each of ``names`` (in any namespace, or none) of the document itself (a
    NetworkLinkControl's updates to another document, a tour's updates to this one (gx:AnimatedUpdate:
    a placemark moved or made while the tour plays), and what they hold, are not part of it), in the
    document's order: found by ElementTree itself, by their full names (a large document has
    millions of elements, and a few dozen names between them)."""
    tags = list(map(_TAG, everything))  # (``everything``: the root's elements, in the document's order)
    full: dict[str, list[str]] = {}
    for tag in set(tags):
        full.setdefault(local(tag), []).append(tag)
    out: dict[str, list[ET.Element]] = {}
    for name in dict.fromkeys(names + ("NetworkLinkControl", "Update")):  # (each once: a caller may name one)
        named = full.get(name)
        if not named:
            out[name] = []
        elif len(named) == 1:  # (the elements of one name picked out in order, at C speed)
            out[name] = list(compress(everything, map(eq, repeat(named[0]), tags)))
        else:  # (the name in several namespaces)
            out[name] = list(compress(everything, map(frozenset(named).__contains__, tags)))
    controls = out.pop("NetworkLinkControl")
    skipped = {id(el) for update in controls + out.pop("Update") if update is not root for el in update.iter()}
    if skipped:
        out = {name: [el for el in found if id(el) not in skipped] for name, found in out.items()}
    if "NetworkLinkControl" in names:  # (asked for: those that change another document)
        out["NetworkLinkControl"] = [c for c in controls if c is not root and any(
            local(el.tag) == "Update" for el in c)]
    return out


def _schema_placemarks(root: ET.Element, everything: list[ET.Element], schemas: list[ET.Element]) -> list[ET.Element]:
    """Placemarks under a name of their own, as KML 2.1 made them and Google Earth Pro still wrote
    them from a shapefile: ``<Schema parent="Placemark" name="S_1">`` and then ``<S_1>`` elements,
    each a placemark whose fields (the schema's SimpleFields) are elements of its own. Each is read
    as a Placemark, its fields given to it as ExtendedData (libkml and GDAL read them too)."""
    fields: dict[str, list[str]] = {}
    for sch in schemas[:100]:
        name = sch.get("name") or ""
        if sch.get("parent") == "Placemark" and re.fullmatch(r"[A-Za-z_][\w.-]{0,100}", name) \
                and name not in _KML_OWN_NAMES:
            fields[name] = [f.get("name") for f in sch if local(f.tag) == "SimpleField" and f.get("name")][:200]
    if not fields:
        return []
    found = _named_in_content(root, everything, tuple(fields))
    out = []
    for name, elements in found.items():
        for el in elements:
            if child(el, "ExtendedData") is None and fields[name]:
                ext = ET.SubElement(el, "ExtendedData")
                for f in fields[name]:
                    value = child(el, f)
                    if value is not None:
                        ET.SubElement(ET.SubElement(ext, "Data", name=f), "value").text = text(value)
            out.append(el)
    return out


# (a schema named as one of KML's own elements names no placemarks)
_KML_OWN_NAMES = frozenset(GEOMETRY_TAGS) | {"kml", "Document", "Folder", "Placemark", "Schema", "SimpleField",
                                             "ExtendedData", "Data", "SchemaData", "SimpleData", "Style", "StyleMap",
                                             "name", "description", "coordinates", "NetworkLink", "GroundOverlay",
                                             "ScreenOverlay", "PhotoOverlay"}


def _ids_held(placemarks: list[ET.Element]) -> set[str]:
    """The ids the placemarks give themselves: SitMap's own (``sitmap_id``), an ``id`` field
    (SitMap's GeoJSON export after another tool), or the element's id attribute."""
    out: set[str] = set()
    for pm in placemarks:
        if pm.get("id"):
            out.add(pm.get("id"))
        ext = child(pm, "ExtendedData")
        for el in ext.iter() if ext is not None else ():
            tag = local(el.tag)
            if tag in ("Data", "SimpleData") and el.get("name") in ("sitmap_id", "id"):
                value = text(child(el, "value")) if tag == "Data" else text(el)
                out.update((value, value.strip()))
    return out


def _in_document_order(everything: list[ET.Element], elements: list[ET.Element]) -> list[ET.Element]:
    """``elements`` (all among ``everything``, the document's elements in its order) in the
    document's order, each once: picked out of it in order (a large document's 1.6 million in 0.1
    s, against 0.4 s for their places looked up)."""
    wanted = {id(el) for el in elements}
    return list(compress(everything, map(wanted.__contains__, map(id, everything))))


_TAG = attrgetter("tag")


def _kml_times(pm: ET.Element) -> list[str]:
    """A placemark's TimeStamp (one time) or TimeSpan (its begin and end), or its gx:Track's first
    and last time, as ISO times a map's time_utc holds (as Google Earth's time slider reads them):
    a date and time, a date, a month ("1984-09") or a year, as KML allows; anything else is passed
    over."""
    stamp, span = child(pm, "TimeStamp"), child(pm, "TimeSpan")
    if stamp is None and span is None:  # a gx:Track's (or a gx:MultiTrack's): its first and last, as a GPX track's
        return _ends([t for track in _tracks(pm) for t in track if local(t.tag) == "when"])
    values = [child(stamp, "when")] if stamp is not None else [child(span, "begin"), child(span, "end")]
    return list(dict.fromkeys(t for t in map(_kml_time, values) if t))


def _kml_time(el: ET.Element | None) -> str | None:
    """The time an element holds, where it is one KML allows (at most 40 characters, a real date
    from the year 1 to 9999), else None."""
    from viewer.model.history import parse_time

    t = text(el).strip() if el is not None else ""
    if not t or len(t) > 40:
        return None
    moment = parse_time(t[:-1] + "Z" if t.endswith("z") else t)
    return t if moment is not None and 1 <= moment.year <= 9999 else None


def _ends(whens: list[ET.Element]) -> list[str]:
    """The first and the last time these ``when`` elements hold (one, where they are the same)."""
    first = next((t for t in map(_kml_time, whens) if t), None)
    last = next((t for t in map(_kml_time, reversed(whens)) if t), None)
    return list(dict.fromkeys(t for t in (first, last) if t))


def _tracks(pm: ET.Element) -> list[ET.Element]:
    """A placemark's gx:Track elements, in the document's order."""
    return [el for el in pm.iter() if local(el.tag) == "Track"]


def _track_spans(pm: ET.Element) -> list[list[str]]:
    """Each gx:Track's own first and last time (a gx:MultiTrack's tracks, each a line of its own)."""
    return [_ends([t for t in track if local(t.tag) == "when"]) for track in _tracks(pm)]


def _carried(root: ET.Element, fail: Fail, report: OpenReport | None) -> tuple[Any, Any]:
    """The map's own fields and facts SitMap wrote in the document's ExtendedData (None: none;
    one that cannot be read is said in the report)."""
    from viewer.model.io.carried import FACTS_MEMBER, MAP_MEMBER

    doc = root if local(root.tag) == "Document" else child(root, "Document")
    ext = child(doc, "ExtendedData") if doc is not None else None
    if ext is None:
        return None, None
    out: list[Any] = []
    for key in (MAP_MEMBER, f"sitmap_{FACTS_MEMBER}"):
        value = next((text(child(el, "value")) for el in ext if local(el.tag) == "Data" and el.get("name") == key), None)
        try:
            out.append(None if value is None else loads_json(check_text(fail, value, key, MAX_CARRIED_CHARS), fail, key))
        except ScenarioError as e:
            if report is not None:
                report.note(f"The document's {key} was not read ({e.what})")
            out.append(None)
    return out[0], out[1]


def _document_name(root: ET.Element) -> str:
    """The document's name; one Google Earth gave it after its file ("Analyst notes.kml") without
    the suffix."""
    doc = root if local(root.tag) == "Document" else child(root, "Document")
    name = text(child(doc, "name")).strip() if doc is not None else ""
    return re.sub(r"\.km[lz]$", "", name, flags=re.IGNORECASE)[:200]


def _folder_layers(root: ET.Element, layer_of: dict[int, str]) -> list[dict]:
    """One user layer per folder that holds placemarks (nested folders: "Outer / Inner")."""
    layers: list[dict] = []

    def walk(el: ET.Element, path: list[str], current: str | None, depth: int) -> None:
        for c in el:
            tag = local(c.tag)
            if tag == "Folder" and depth < 32:
                name = text(child(c, "name")).strip() or f"Folder {len(layers) + 1}"
                full = path + [name]
                lid = layer_id(" ".join(full), len(layers) + 1)
                layers.append({"id": lid, "label": " / ".join(full)[:200], "visible": _visible(c), "locked": False})
                walk(c, full, lid, depth + 1)
            elif tag == "Document":
                walk(c, path, current, depth + 1)
            elif tag == "Placemark" and current is not None:
                layer_of[id(c)] = current

    walk(root, [], None, 0)
    used = set(layer_of.values())
    return [x for x in layers if x["id"] in used]


def _visible(folder: ET.Element) -> bool:
    return text(child(folder, "visibility")).strip() not in ("0", "false")


def _read_placemark(pm: ET.Element, n: int, fail: Fail, styles: "Styles", coords: "Coords", reading: Reading,
                    wanted: list[str | None], source_name: str, layer: str | None,
                    left: list[ScenarioError] | None, fact_counts: dict, ids_held) -> None:
    """``left`` (opening): where the parts it leaves out go; None (importing): strict.
    ``fact_counts``: how many facts the document carries about each feature (by id); ``ids_held()``:
    the ids of the document's placemarks."""
    lenient = left is not None
    kids: dict[str, ET.Element] = {}  # (each name's first child, as child() finds it: looked at once)
    geoms = []
    names = LOCAL_NAMES
    for c in pm:
        tag = names.get(c.tag) or local(c.tag)
        if tag not in kids:
            kids[tag] = c
        if tag in _GEOMETRY_SET:
            geoms.append(c)
    name = check_text(fail, text(kids.get("name")).strip(), f"Placemark {n}.name")
    where = label(f"Placemark {n}", name)
    ext = _extended_data(kids.get("ExtendedData"), fail, where, reading.partly if lenient else None)
    # (the balloon's HTML may carry an image inline: its text, worked out below, is what must be short;
    # SitMap's own lists its feature's facts, as many as the map has)
    raw_desc = text(kids.get("description"))
    limit = MAX_CARRIED_CHARS if "sitmap_kind" in ext else MAX_MACHINE_CHARS
    if lenient and len(raw_desc) > limit:
        reading.partly.append((LONG_NOTES, f"{where}.description"))
        raw_desc = ""
    raw_desc = check_text(fail, raw_desc, f"{where}.description", limit)
    geom_el = geoms[0] if geoms else None
    if len(geoms) > 1:
        # several side by side (not KML's way, but Google's Location History writes an empty Point
        # beside each gx:Track, and other tools a Point beside a LineString): read as one MultiGeometry
        geom_el = ET.Element("MultiGeometry")
        geom_el.extend(geoms)
    if geom_el is None:
        if lenient:
            fail.left_out(why.NO_GEOMETRY, where, "has no coordinates")
        return  # a Placemark with nothing to place (a note in a folder)
    before = len(left) if left is not None else 0
    parts = kml_parts(geom_el, coords, where, dropped=left)
    if parts and len(geoms) > 1 and left is not None:
        # (an empty geometry beside one that places the feature, as Location History's: nothing lost)
        left[before:] = [e for e in left[before:] if getattr(e, "reason", None) != why.EMPTY]
    if not parts:
        if lenient:
            fail.left_out(why.EMPTY, where, "empty geometry")
        return
    sitmap = "sitmap_kind" in ext
    # a table of values Google Earth shows in the balloon: kept as properties (SitMap's own keys, as
    # another tool writes a SitMap export's columns, where SitMap's rules take them)
    foreign: dict[str, str] = dict(ext) if lenient and not sitmap else {}
    props: dict[str, Any] = {}
    if sitmap and ext.get("sitmap_properties"):
        props.update(_own_properties(ext["sitmap_properties"], fail, f"{where}.ExtendedData.sitmap_properties"))
    status = ext.get("sitmap_status") if sitmap else None
    source = ext.get("sitmap_source") if sitmap else None
    if status is not None:
        if status not in STATUSES:
            fail(f"{where}.ExtendedData.sitmap_status",
                 f"status {short(status)!r} must be one of {', '.join(STATUSES)}")
        props["status"] = status
    if source:
        props["source"] = source
    elif not sitmap:
        props["source"] = source_name
    facts = fact_counts.get(ext.get("sitmap_id"), 0) if sitmap else 0
    notes = split_description(html_to_text(raw_desc), source, status, facts).strip(" \t\r\n")  # (a \u2029 of its own kept)
    if lenient and len(notes) > MAX_TEXT_CHARS:
        reading.partly.append((LONG_NOTES, f"{where}.description"))
    elif notes:
        props["notes"] = check_text(fail, notes, f"{where}.description")
    # (SitMap shows a feature without a name under its id: that is no name; a file from before
    # SitMap said whether a name is the feature's own is read as then, a name equal to the id none)
    named = ext.get("sitmap_named")
    unnamed = sitmap and (named == "false" if named in ("true", "false") else name == ext.get("sitmap_id"))
    if name and not unnamed:
        props["name"] = name
    if not sitmap and "time_utc" not in props:  # (SitMap's own carry their times in their facts)
        times = _kml_times(pm)
        if times:
            props["time_utc"] = times[0] if len(times) == 1 else times

    kind = ext.get("sitmap_kind") if sitmap else None
    own_id = ext.get("sitmap_id") if sitmap else None
    if kind == "uncertainty":
        of = ext.get("sitmap_of")
        if wanted and wanted[-1] == of or of in ids_held():  # (SitMap writes it just after its point)
            return  # SitMap's drawing of a point's uncertainty: the point, which is here, carries it
        # (its point gone, deleted in another tool: the circle is all there is, opened as the area it
        # draws, as the GeoJSON export's circle opens)
        kind, own_id = None, f"{of}.uncertainty" if of else None
        radius = finite_number(ext.get("sitmap_radius_m"))
        if radius is not None and radius > 0:
            props["radius_m"] = radius
        props.setdefault("status", "estimated")
        props.setdefault("source", source_name)
    if kind is not None and kind not in FEATURE_KINDS:
        fail(f"{where}.ExtendedData.sitmap_kind", f"kind {short(kind)!r} must be one of {', '.join(FEATURE_KINDS)}")
    geoms: list[dict] = []
    if kind == "range_ring":
        nums = {}
        for key in ("sitmap_radius_m", "sitmap_centre_lat", "sitmap_centre_lon"):
            v = finite_number(ext.get(key))
            if v is None:
                fail(f"{where}.ExtendedData.{key}", f"must be a finite number, not {short(str(ext.get(key)))!r}")
            nums[key] = v
        lat, lon, radius = nums["sitmap_centre_lat"], nums["sitmap_centre_lon"], nums["sitmap_radius_m"]
        if not -90 <= lat <= 90:
            fail(f"{where}.ExtendedData.sitmap_centre_lat", f"latitude {lat:g} is outside -90..90")
        if not -180 <= lon <= 180:
            fail(f"{where}.ExtendedData.sitmap_centre_lon", f"longitude {lon:g} is outside -180..180")
        if radius <= 0:
            fail(f"{where}.ExtendedData.sitmap_radius_m", "a ring's radius must be greater than 0 m")
        if radius > geodesy.EARTH_ANTIPODAL_M:
            fail(f"{where}.ExtendedData.sitmap_radius_m",
                 f"radius {radius / 1000:,.0f} km is beyond the antipodal distance "
                 f"({geodesy.EARTH_ANTIPODAL_M / 1000:,.0f} km)")
        if ring_consistent(parts, lat, lon, radius):
            props["radius_m"] = radius
            geoms = [{"type": "Point", "coordinates": [lon, lat]}]
        else:
            kind = None  # edited outside SitMap: keep what is drawn
    elif kind in ("path", "area") and ext.get("sitmap_vertices"):
        verts = coords.parse(ext["sitmap_vertices"], f"{where}.ExtendedData.sitmap_vertices")
        lines = [p for p in parts if p["type"] == "LineString"]
        if kind == "path" and len(verts) >= 2 and len(lines) == len(parts) and drawn_by("path", verts, lines):
            geoms = [{"type": "LineString", "coordinates": verts}]
        elif kind == "area" and len(verts) >= 4:
            rings = [verts] + holes_of(ext.get("sitmap_holes"), parts, coords, f"{where}.ExtendedData.sitmap_holes")
            if all(len(r) >= 4 for r in rings) and drawn_by("area", rings, parts):
                geoms = [{"type": "Polygon", "coordinates": rings}]
            else:
                kind = None  # (its drawing edited since in another tool: a point added or moved)
        else:
            kind = None
    if foreign.get("kind") == "uncertainty":  # (SitMap's drawing of a point's uncertainty, after another tool)
        if foreign.get("of", foreign.get("sitmap_of")) in ids_held():
            return  # (the point, which is here, carries it)
        foreign = {k: v for k, v in foreign.items() if k not in ("kind", "of", "sitmap_of")}  # (its point gone)
        radius = finite_number(foreign.get("radius_m"))
        if radius is not None and radius > 0:  # (a number, as the GeoJSON export's circle opens with)
            props["radius_m"] = radius
            del foreign["radius_m"]
    if not geoms and foreign.get("kind") == "range_ring":  # (a SitMap ring after another tool: its circle)
        from viewer.model.io.geojson_any import drawn_ring_of

        ring = drawn_ring_of(foreign, parts, source_name)
        if ring is not None:
            geoms, kind = [ring[0]], "range_ring"
            foreign = {k: v for k, v in ring[1].items() if k != "kind"}
    elif not geoms and foreign.get("kind") in ("path", "area") and foreign.get("vertices"):
        own = own_corners(foreign, parts)  # (a SitMap line or area after another tool: its own corners)
        if own is not None:
            geoms, kind = [own], foreign["kind"]
            foreign = {k: v for k, v in foreign.items() if k != "vertices"}
    if not geoms:
        geoms = parts
        if kind is not None and (len(parts) != 1 or
                                 {"place": "Point", "path": "LineString", "area": "Polygon"}.get(kind) != parts[0]["type"]):
            kind = None

    observed = styles.of(pm, kids)
    # a gx:MultiTrack's tracks, each a line: each its own first and last time (as a GPX track's
    # segments), not the whole placemark's
    spans = _track_spans(pm) if geoms is parts and len(parts) > 1 and "time_utc" in props and not sitmap else []
    for k, g in enumerate(geoms):
        gkind = kind or {"Point": "place", "LineString": "path", "Polygon": "area"}[g["type"]]
        p = dict(props)
        if len(spans) == len(geoms) and spans[k]:
            p["time_utc"] = spans[k][0] if len(spans[k]) == 1 else spans[k]
        p["kind"] = gkind
        expected = _loads_colors(ext.get("sitmap_colors")) if sitmap else None
        if observed and observed != expected:
            style = dict(p.get("style") or {}) if isinstance(p.get("style"), dict) else {}
            style.update(style_from_kml(observed, gkind))
            if style:
                p["style"] = style
        if not (lenient and sitmap and ext.get("sitmap_annotation") == "false"):  # (opened: the map's own stays so)
            p["annotation"] = True
        if layer:
            p["layer"] = layer
        if foreign:
            from viewer.model.io.geojson_fields import FOREIGN_OVER_DEFAULTS, foreign_fields

            for key, value in foreign_fields(foreign, gkind, source_name).items():
                if key in FOREIGN_OVER_DEFAULTS:
                    p[key] = value
                else:
                    p.setdefault(key, value)
        reading.dicts.append({"type": "Feature", "geometry": g, "properties": p})
        reading.labels.append(where if len(geoms) == 1 else f"{where} part {k + 1}")
        own = foreign.get("id")  # (a SitMap export's id column, after another tool)
        base = own_id if sitmap else own.strip() if isinstance(own, str) and own.strip() else pm.get("id")
        wanted.append(base if k == 0 or base is None else f"{base}-{k + 1}")


_GEOMETRY_SET = frozenset(GEOMETRY_TAGS)


def _own_properties(text: str, fail: Fail, where: str) -> dict[str, Any]:
    """The properties a SitMap placemark carries (``sitmap_properties``, a JSON object), those of
    SitMap's own fields left out. A large map's placemarks carry the same few texts (``{"role":
    "marker"}``): each whose values are plain (text, numbers, true, false, null: no list or object
    to share between features) is read once; the dict given is only read, never changed."""
    known = _PROPERTIES_READ.get(text)
    if known is not None:
        return known
    extra = loads_json(text, fail, where)
    if not isinstance(extra, dict):
        fail(where, "must be a JSON object")
    own = {k: v for k, v in extra.items() if k not in OWN_FIELDS}
    if all(type(v) in _PLAIN for v in own.values()):
        _PROPERTIES_READ.keep(text, own)
    return own


_PROPERTIES_READ: Memo = Memo()
_PLAIN = frozenset((str, int, float, bool, type(None)))


def _loads_colors(text: str | None) -> dict[str, str] | None:
    """The colours SitMap wrote a placemark with (``sitmap_colors``: the same few texts on each of
    a large map's placemarks, each read once; the dict is only compared, never changed)."""
    if not text:
        return None
    known = _COLOURS_READ.get(text, Memo.NOT_KEPT)
    if known is not Memo.NOT_KEPT:
        return known
    try:
        v = json.loads(text)
    except (ValueError, RecursionError):  # (RecursionError: nested deeper than the reader goes)
        v = None
    return _COLOURS_READ.keep(text, v if isinstance(v, dict) else None)


_COLOURS_READ: Memo = Memo()
