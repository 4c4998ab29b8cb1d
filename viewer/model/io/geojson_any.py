"""GeoJSON from any tool (geojson.io, QGIS, SitMap's drawn export): FeatureCollection, Feature or a
bare geometry; Multi* and GeometryCollections split into one feature per part (the parts of a shape
cut at the antimeridian joined again first); simplestyle colours taken as style."""

from __future__ import annotations

import json
import math
import re
from typing import Any, Mapping

from viewer.model.io.common import (
    LONLAT_SLACK_DEG,
    Fail,
    assign_ids,
    give_ids,
    check_nesting,
    check_text,
    finite_number,
    label,
    layer_id,
    Reading,
    loads_json,
    short,
    check_size,
    validate_all,
)
from viewer.model.coords import normalise_lon
from viewer.model.io.carried import FACTS_MEMBER, MAP_MEMBER, map_left_out
from viewer.model.io.cut_at_180 import joined_at_180
from viewer.model.io.drawn_corners import own_corners, redrawn_features
from viewer.model.io.geojson_fields import KIND_OF, map_properties
from viewer.model.io.kml_columns import from_kml_columns
from viewer.model.io.straight_edges import follow_straight_edges
from viewer.model.rules import Rules, check_properties
from viewer.model.io.simplestyle import SIMPLESTYLE_KEYS, own_style_again, simplestyle_as_style

CARRIED = (FACTS_MEMBER, MAP_MEMBER)  # (read as the map's facts and fields, not kept as foreign members)
from viewer.model.scenario import (
    FEATURE_KINDS,
    MAX_FEATURES,
    MAX_NESTING,
    STATUSES,
    Feature,
    ScenarioError,
    parse_decoded,
)


_SPLIT = {"MultiPoint": "Point", "MultiLineString": "LineString", "MultiPolygon": "Polygon"}
_DERIVED_KEYS = ("layer", "in_range", "in_range_total", "in_range_source", "centre")


_NAME_KEYS = ("name", "Name", "NAME", "title", "Title", "label")


def name_of(props: Mapping[str, Any]) -> str | None:
    """A feature's name from another tool's properties: the first of the usual keys with text."""
    first = props.get("name")  # (nearly every file's: found before the others are looked for)
    if isinstance(first, str) and first.strip():
        return first
    return next((props[k] for k in _NAME_KEYS if isinstance(props.get(k), str) and props[k].strip()), None)

_NOTES_KEYS = ("notes", "description", "Description", "desc", "comment")


def _foreign_properties(props: Mapping[str, Any], gtype: str, fail: Fail, where: str, source_name: str) -> dict:
    out: dict[str, Any] = {}
    for key in _NAME_KEYS:
        if isinstance(props.get(key), str) and props[key].strip():
            out["name"] = props[key].strip()
            break
    for key in _NOTES_KEYS:
        if isinstance(props.get(key), str) and props[key].strip():
            out["notes"] = props[key].strip()
            break
    if isinstance(props.get("source"), str) and props["source"].strip():
        out["source"] = props["source"].strip()
    else:
        out["source"] = source_name
    if props.get("status") in STATUSES:
        out["status"] = props["status"]
    style = simplestyle_as_style(props, gtype)
    if style:
        out["style"] = style
    attributes: dict[str, Any] = {}
    used = set(_NAME_KEYS + _NOTES_KEYS + SIMPLESTYLE_KEYS + ("source", "status", "kind", "id"))
    for key, value in list(props.items())[:500]:
        if key in used or not isinstance(key, str):
            continue
        if isinstance(value, str):
            check_text(fail, value, f"{where}.properties.{short(key)}")
        elif isinstance(value, float) and not math.isfinite(value):
            continue
        elif not (value is None or isinstance(value, (bool, int, float))):
            continue
        attributes[check_text(fail, key, f"{where}.properties", 200)] = value
    if attributes:
        out["attributes"] = attributes
    return out


def geojson_doc(data: bytes, source_name: str) -> Any:
    """A GeoJSON file's document as :func:`import_geojson` reads it (its size, its text and its
    JSON checked; the nesting left to the reader), or the ScenarioError that says why not."""
    fail = Fail(source_name)
    data = bytes(data)
    check_size(data, fail)
    return loads_json(data, fail, "", nesting=False)  # (UTF-8, a byte order mark or none, as text_of reads it)


UNREAD = object()  # (a file's document not decoded yet: each reader that is given one decodes its own)


def import_geojson(data: bytes, source_name: str, carried: dict | None = None, doc: Any = UNREAD) -> list[Feature]:
    """Annotations from GeoJSON: a SitMap scenario, SitMap's drawn export, or plain GeoJSON from
    geojson.io / QGIS (FeatureCollection, Feature or a bare geometry; Multi* split into features).
    ``carried``: told how many facts the file carries (``carried["facts"]``: a SitMap map's, or
    its exchange file's ``facts`` member). ``doc``: the file's document, decoded already by
    :func:`geojson_doc` (a large file is not decoded twice)."""
    fail = Fail(source_name)
    if doc is UNREAD:
        doc = geojson_doc(data, source_name)
    if carried is None:
        carried = {}
    if isinstance(doc, dict) and isinstance(doc.get("sitmap"), dict):
        scenario = parse_decoded(doc, source_name)
        carried["facts"] = len(scenario.facts)
        return [Feature(f.id, f.kind, f.geometry, {**f.properties, "annotation": True}) for f in scenario.features]
    facts = doc.get(FACTS_MEMBER) if isinstance(doc, dict) else None
    carried["facts"] = sum(1 for x in facts if isinstance(x, dict)) if isinstance(facts, list) else 0
    check_nesting(doc, fail, "")
    if not isinstance(doc, dict):
        fail("", "must be a GeoJSON object (FeatureCollection, Feature or geometry)")
    t = doc.get("type")
    if t == "FeatureCollection":
        raw = doc.get("features")
        if not isinstance(raw, list):
            fail("features", "must be a list")
        items = [(f"features[{i}]", f) for i, f in enumerate(raw)]
    elif t == "Feature":
        items = [("feature", doc)]
    elif isinstance(t, str) and t in ("Point", "LineString", "Polygon", "GeometryCollection", *_SPLIT):
        items = [("geometry", {"type": "Feature", "geometry": doc, "properties": {}})]
    else:
        _not_geojson(fail, doc)
    if len(items) > MAX_FEATURES:
        fail("features", f"more than {MAX_FEATURES:,} features")

    dicts: list[dict] = []
    labels: list[str] = []
    wanted: list[str | None] = []
    to_follow: list[dict] = []  # (another tool's lines and areas: their long straight edges kept, as read_geojson_map does)
    for where, f in items:
        if not isinstance(f, dict) or f.get("type") != "Feature":
            fail(where, 'each feature must be an object with "type": "Feature"')
        props = f.get("properties") or {}
        if not isinstance(props, dict):
            fail(f"{where}.properties", "must be an object")
        name = name_of(props)
        where = label(where, name.strip() if name else None)
        geom = f.get("geometry")
        if geom is None:
            fail(f"{where}.geometry", "has no geometry (nothing to place on the map)")
        parts = _tidied_positions(_geojson_parts(geom, fail, f"{where}.geometry"))[0]
        kind = props.get("kind")
        if kind == "uncertainty":
            continue  # derived by SitMap's drawn export
        fid = f.get("id", props.get("id"))
        if kind in FEATURE_KINDS:  # SitMap's drawn export (or hand-written SitMap features)
            p = {k: v for k, v in props.items() if k not in _DERIVED_KEYS and k != "id"}
            centre = props.get("centre")
            if kind == "range_ring":
                if not (isinstance(centre, list) and len(centre) >= 2):
                    fail(f"{where}.properties.centre", "a range_ring needs its centre [longitude, latitude]")
                parts = [{"type": "Point", "coordinates": centre[:2]}]
            elif len(parts) > 1 and kind == "path":
                kind = None
            if kind is not None:
                p.setdefault("source", source_name)
                if kind != "range_ring" and (len(parts) != 1 or KIND_OF.get(parts[0]["type"]) != kind):
                    kind = None
        if kind not in FEATURE_KINDS:
            p = None
        if props.get("kind") not in SITMAP_DRAWN:
            to_follow.extend(parts)
        for k, g in enumerate(parts):
            props_k = dict(p) if p is not None else _foreign_properties(props, g["type"], fail, where, source_name)
            props_k.setdefault("kind", KIND_OF[g["type"]])
            if p is not None and isinstance(props_k.get("style"), dict):  # (SitMap's export: its own style)
                own_style_again(props_k, props, "Polygon" if props_k["kind"] == "range_ring" else g["type"])
            props_k["annotation"] = True
            dicts.append({"type": "Feature", "geometry": g, "properties": props_k})
            labels.append(where if len(parts) == 1 else f"{where} part {k + 1}")
            base = fid if isinstance(fid, str) else str(fid) if isinstance(fid, int) and not isinstance(fid, bool) else None
            wanted.append(base if k == 0 or base is None else f"{base}-{k + 1}")
        if len(dicts) > MAX_FEATURES:
            fail(where, f"more than {MAX_FEATURES:,} features")
    follow_straight_edges(to_follow)
    for d, fid in zip(dicts, assign_ids(wanted)):
        d["id"] = fid
    return validate_all(dicts, labels, source_name)


def _geojson_parts(geom: Any, fail: Fail, where: str, depth: int = 0) -> list[dict]:
    if not isinstance(geom, dict):
        fail(where, "geometry must be an object")
    if depth > MAX_NESTING:
        fail(where, "geometry collections nested too deep")
    t = geom.get("type")
    if not isinstance(t, str):
        fail(f"{where}.type", f"geometry type {short(str(t))!r} is not GeoJSON")
    if t in KIND_OF:
        return [{"type": t, "coordinates": geom.get("coordinates")}]
    if t in _SPLIT:
        coords = geom.get("coordinates")
        if not isinstance(coords, list):
            fail(f"{where}.coordinates", "must be a list")
        # (the parts cut at the antimeridian, as RFC 7946 asks, are one shape again)
        return joined_at_180([{"type": _SPLIT[t], "coordinates": c} for c in coords])
    if t == "GeometryCollection":
        geoms = geom.get("geometries")
        if not isinstance(geoms, list):
            fail(f"{where}.geometries", "must be a list")
        out = []
        for i, g in enumerate(geoms):
            out.extend(_geojson_parts(g, fail, f"{where}.geometries[{i}]", depth + 1))
        return out
    fail(f"{where}.type", f"geometry type {short(str(t))!r} is not GeoJSON")
    return []


# =========================================================================== opened as a map

SITMAP_DRAWN = ("path", "area", "range_ring")  # kinds whose geometry SitMap writes as drawn: geodesics already
LAYER_KEYS = ("layer", "Layer", "LAYER", "folder", "Folder", "group")
_LAYER_KEY_SET = frozenset(LAYER_KEYS)


def _layer_named(props: Mapping[str, Any]) -> str | None:
    """The layer a feature's properties name (the first of the usual keys with text), if any."""
    if _LAYER_KEY_SET.isdisjoint(props):  # (most features of most files: found at once)
        return None
    return next((props[k] for k in LAYER_KEYS if isinstance(props.get(k), str) and props[k].strip()), None)
WGS84_CRS = ("crs84", "crs:84", "epsg:4326", "epsg::4326", "wgs84", "wgs 84", "ogc:1.3:crs84", "epsg:4979",
             # longitude/latitude on the datums of the continents (NAD83, NAD83(2011), ETRS89, GDA94,
             # GDA2020, NZGD2000): within a metre or two of WGS84, far below what a map shows
             "crs83", "ogc:1.3:crs83", "epsg:4269", "epsg::4269", "epsg:6318", "epsg::6318", "epsg:4258",
             "epsg::4258", "epsg:4283", "epsg::4283", "epsg:7844", "epsg::7844", "epsg:4167", "epsg::4167")


def read_geojson_map(doc: Any, source_name: str, report, names: list[str] | None = None,
                     layer_names: list[str] | None = None, straight: list[bool] | None = None) -> Reading:
    """A whole GeoJSON document as a map: every feature whose geometry SitMap can draw, its
    properties kept as they are (only made to fit SitMap's meaning of the keys it knows), ids kept
    or made, simplestyle colours as style, a ``layer``-like property as a user layer, and the
    document's foreign members kept for saving back. ``names``: how the input names each feature
    of a collection (a table's row), instead of its place in the list; ``layer_names``: the user
    layer of each (a GeoPackage's table, one of several shapefiles), instead of a property's;
    ``straight``: whether each one's edges are straight in longitude/latitude (GeoJSON's are; a
    projected layer's, converted, are not), else all are. Long straight edges keep their line
    (viewer.model.io.straight_edges), except in lines and areas SitMap wrote (already geodesics)."""
    from viewer.model.io import report as why
    from viewer.model.io.common import LeftOut

    fail = Fail(source_name)
    if not isinstance(doc, dict):
        fail("", "must be a GeoJSON object (FeatureCollection, Feature or geometry)")
    _check_crs(doc.get("crs"), fail)
    t = doc.get("type")
    reading = Reading()
    if t == "FeatureCollection":
        raw = doc.get("features")
        if not isinstance(raw, list):
            fail("features", "must be a list")
        items = [(names[i] if names and i < len(names) else f"features[{i}]", f) for i, f in enumerate(raw)]
        reading.extra = {k: v for k, v in doc.items() if k not in ("type", "features", "sitmap", *CARRIED)}
        reading.facts, reading.fields = doc.get(FACTS_MEMBER), doc.get(MAP_MEMBER)
        if MAP_MEMBER in doc and doc[MAP_MEMBER] is None:  # (null: left out as any other it cannot read)
            report.note(map_left_out("null"))
        name = doc.get("name")
        if isinstance(name, str) and name.strip():
            reading.title = name.strip()[:200]
    elif t == "Feature":
        items = [("feature", doc)]
    elif isinstance(t, str) and t in ("Point", "LineString", "Polygon", "GeometryCollection", *_SPLIT):
        items = [("geometry", {"type": "Feature", "geometry": doc, "properties": {}})]
    else:
        _not_geojson(fail, doc)
    if len(items) > MAX_FEATURES:
        fail("features", f"more than {MAX_FEATURES:,} features")
    layers: dict[str, dict] = {}
    wanted: list[str | None] = []
    to_follow: list[dict] = []  # geometries whose long edges keep the file's straight line
    held: set | None = None  # the ids of the file's features (asked for by an uncertainty circle)
    split = 0  # features of several shapes (a MultiPolygon's islands): a feature each
    redrawn = redrawn_features(items)  # (SitMap's lines and areas of a large file, redrawn together)
    for n, (where, f) in enumerate(items):
        try:
            if not isinstance(f, dict) or f.get("type") != "Feature":
                fail(where, 'not an object with "type": "Feature"')
            props = f.get("properties") or {}
            if not isinstance(props, dict):
                fail(f"{where}.properties", "must be an object")
            kml_fields = from_kml_columns(props) if "sitmap_kind" in props else None
            if kml_fields is not None:  # (SitMap's KML placemark, its fields as another tool's columns)
                props = kml_fields
            name = name_of(props)
            where = label(where, name.strip() if name else None)
            geom = f.get("geometry")
            if geom is None:
                fail.left_out(why.NO_GEOMETRY, where, "has no geometry (nothing to place on the map)")
            if props.get("kind") == "uncertainty":
                raw = f.get("properties") or {}  # (a KML placemark's point: in its sitmap_of column)
                of = props.get("of", raw.get("sitmap_of"))
                if _hashable(of):  # (a list or an object names no feature)
                    if n and of in _ids_of(items[n - 1][1]):  # (SitMap writes it just after its point)
                        continue
                    if held is None:
                        held = _ids_held(items)
                    if of in held:
                        continue  # drawn by SitMap's export from the point it belongs to, which is here
                # (its point gone, deleted in another tool: the circle is all there is, shown as it is)
                props = {k: v for k, v in props.items() if k not in ("kind", "of", "sitmap_of")}
            parts = _map_parts(geom, fail, f"{where}.geometry")
            if not parts:
                fail.left_out(why.EMPTY, where, "empty geometry")
            parts, measured = _tidied_positions(parts)
            if measured:
                report.kept_without(why.MEASURES, where)
            ring = _drawn_ring(props, parts, source_name)
            if ring is not None:  # (a range ring SitMap drew: a ring again, round its centre)
                parts, props = [ring[0]], ring[1]
            own = own_corners(props, parts, redrawn.get(n))
            if own is not None:  # (a line or area SitMap drew: its own corners again, not the drawn points)
                parts, props = [own], {k: v for k, v in props.items() if k != "vertices"}
                if n in redrawn:  # (its drawing, worked out already: kept with the feature it becomes)
                    reading.shapes[len(reading.dicts)] = redrawn[n][2]
            if (straight[n] if straight is not None and n < len(straight) else True) \
                    and props.get("kind") not in SITMAP_DRAWN:
                to_follow.extend(parts)
            base = props["id"] if kml_fields is not None and isinstance(props.get("id"), str) else \
                f.get("id", props.get("id"))  # (its own id before the row number another tool gave it)
            base = base if isinstance(base, str) else str(base) if isinstance(base, int) and not isinstance(base, bool) else None
            if len(parts) > 1:
                split += 1
            for k, g in enumerate(parts):
                p = map_properties(props, g["type"], name, source_name, ring is not None)
                # (a feature's own "layer" before its table's name: a SitMap GeoPackage's tables are
                # its points, lines and areas, its layers in that column)
                own_layer = props.get("layer") if isinstance(props.get("layer"), str) and props["layer"].strip() else None
                layer_name = (own_layer or layer_names[n]) if layer_names else _layer_named(props)
                if layer_name:
                    p["layer"] = _layer_for(layer_name.strip(), layers)
                reading.dicts.append({"type": "Feature", "geometry": g, "properties": p})
                reading.labels.append(where if len(parts) == 1 else f"{where} part {k + 1}")
                wanted.append(base if k == 0 or base is None else f"{base}-{k + 1}")
        except LeftOut as e:
            report.left_out(e.reason, e.where)
        except ScenarioError as e:
            report.left_out(why.INVALID, f"{e.where} ({e.what})")
    if split:  # (a MultiPolygon's islands, a GeometryCollection's shapes: each a feature SitMap edits alone)
        report.note(f"{split:,} feature(s) of several shapes opened as a feature a shape, with the same fields")
    followed = follow_straight_edges(to_follow)
    if followed:
        report.note(f"{followed} line(s) or area(s) given points along long edges, to keep the straight "
                    "lines the file draws in longitude/latitude")
    give_ids(reading.dicts, wanted, "feature", report)
    reading.layers = list(layers.values())
    return reading


def foreign_system(crs: Any) -> str | None:
    """The coordinate system a GeoJSON's ``crs`` member names (QGIS and GDAL write one; RFC 7946
    dropped it), unless it is longitude/latitude on WGS84 or on a datum within a metre or two of it."""
    props = crs.get("properties") if isinstance(crs, dict) else None
    if not isinstance(props, dict):
        return None
    name = props.get("name")
    if not isinstance(name, str):  # GeoJSON's first spec (2008): {"type": "EPSG", "properties": {"code": 2056}}, or a link
        kind, code, href = str(crs.get("type", "")).lower(), str(props.get("code", "")).strip(), props.get("href")
        if kind == "epsg" and code.isdigit():
            name = f"EPSG:{int(code)}"
        elif kind == "link" and isinstance(href, str) and href.strip():
            epsg = re.search(r"epsg[/:=_-]*(\d{4,6})", href, re.IGNORECASE)  # (spatialreference.org's .../epsg/2056/...)
            name = f"EPSG:{epsg.group(1)}" if epsg else href.strip()
        else:
            return None
    normal = name.lower().replace("urn:ogc:def:crs:", "").replace(" ", "")
    if any(normal.endswith(c.replace(" ", "")) for c in WGS84_CRS):
        return None
    return name


def _check_crs(crs: Any, fail: Fail) -> None:
    """Coordinates in another system would land in the wrong place: refused here (a file opened as
    a map has them converted first: viewer.model.io.layered.read_projected_geojson)."""
    name = foreign_system(crs)
    if name is not None:
        fail("crs", f"coordinates are in {short(name, 60)}; SitMap opens longitude/latitude on WGS84 "
                    "(EPSG:4326 / CRS84): export the layer as WGS84 first")


def _tidied_positions(parts: list[dict]) -> tuple[list[dict], bool]:
    """The parts with each position of more than three numbers (x, y, z, m: GDAL writes measured
    shapes so) cut to its first three, and each longitude past 180 (to 540) taken round to the same
    meridian within -180..180 (Leaflet's toGeoJSON, geojson.io and uMap write a shape drawn on a
    neighbouring world copy so: the same place on the globe), and one past 180 or 90 only by a
    rounding (``LONLAT_SLACK_DEG``) taken as the edge it is; whether any position was cut.
    Anything else is left for the checks."""
    cut = changed = False

    def number(x: Any) -> bool:
        if not isinstance(x, (int, float)) or isinstance(x, bool):
            return False
        try:
            return math.isfinite(x)
        except OverflowError:  # (an integer too large for a float: not a position)
            return False

    def tidy(v: Any) -> Any:
        nonlocal cut, changed
        if not isinstance(v, list) or not v:
            return v
        if isinstance(v[0], list):
            return [tidy(x) for x in v]
        if len(v) > 3 and all(number(x) for x in v):
            cut = changed = True
            v = v[:3]
        if len(v) >= 2 and number(v[0]) and 180.0 < abs(v[0]) <= 540.0:
            changed = True
            v = [math.copysign(180.0, v[0]) if abs(v[0]) <= 180.0 + LONLAT_SLACK_DEG else normalise_lon(v[0]), *v[1:]]
        if len(v) >= 2 and number(v[1]) and 90.0 < abs(v[1]) <= 90.0 + LONLAT_SLACK_DEG:
            changed = True
            v = [v[0], math.copysign(90.0, v[1]), *v[2:]]
        return v

    out = [g if _within_the_world(g) else dict(g, coordinates=tidy(g.get("coordinates"))) for g in parts]
    return (out if changed else parts), cut


def _within_the_world(part: dict) -> bool:
    """Whether every position of a part is two or three numbers within -180..180 and -90..90
    (nearly every file's): nothing to tidy, found at once."""
    t, c = part.get("type"), part.get("coordinates")
    if t == "Point":  # (most features of a large file: looked at without a loop)
        try:
            return type(c) is list and len(c) <= 3 and -180.0 <= c[0] <= 180.0 and -90.0 <= c[1] <= 90.0
        except (TypeError, IndexError, KeyError):
            return False
    lines = [c] if t == "LineString" else c if t == "Polygon" else None
    if not isinstance(lines, list):
        return False
    try:  # (anything else, a number written as text, a list too deep: tidied, or left for the checks)
        return all(type(p) is list and len(p) <= 3 and -180.0 <= p[0] <= 180.0 and -90.0 <= p[1] <= 90.0
                   for line in lines for p in line)
    except (TypeError, IndexError, KeyError):
        return False


def _map_parts(geom: Any, fail: Fail, where: str) -> list[dict]:
    """Drawable parts; a GeometryCollection or Multi* part that is empty is simply not there."""
    parts = _geojson_parts(geom, fail, where)
    return [g for g in parts if isinstance(g.get("coordinates"), list) and g["coordinates"]]


def _drawn_ring(props: Mapping[str, Any], parts: list[dict], source_name: str) -> tuple[dict, dict] | None:
    """A range ring as SitMap's drawn export writes it (GeoJSON, GeoPackage: its circle as a polygon,
    with its kind, radius and centre): (the Point at its centre, its properties without the centre);
    None for anything else, which opens as the area it draws."""
    if props.get("kind") != "range_ring" or len(parts) != 1:
        return None
    from viewer.model.geodesy import EARTH_ANTIPODAL_M
    if parts[0].get("type") == "Point":  # (its centre alone, as SitMap's CSV export or an old file gives it)
        radius = finite_number(props.get("radius_m"))
        if radius is None:
            return None
        try:
            check_properties(Rules(source_name), {"kind": "range_ring", "radius_m": radius}, parts[0], "",
                             EARTH_ANTIPODAL_M)
        except ScenarioError:
            return None
        return parts[0], {**props, "radius_m": radius}
    if parts[0].get("type") != "Polygon":
        return None
    centre = props.get("centre")
    if isinstance(centre, str) and len(centre) < 200:  # (a GeoPackage's column: the list as JSON text)
        try:
            centre = json.loads(centre)
        except ValueError:
            return None
    if not (isinstance(centre, list) and len(centre) in (2, 3)
            and all(isinstance(x, (int, float)) and finite_number(x) is not None for x in centre)
            and -180 <= centre[0] <= 180 and -90 <= centre[1] <= 90):
        return None
    point = {"type": "Point", "coordinates": [float(centre[0]), float(centre[1])]}
    try:
        check_properties(Rules(source_name), {"kind": "range_ring", "radius_m": props.get("radius_m")}, point, "",
                         EARTH_ANTIPODAL_M)
    except ScenarioError:
        return None
    return point, {k: v for k, v in props.items() if k not in ("centre", "in_range", "in_range_total", "in_range_source")}




def drawn_ring_of(values: Mapping[str, Any], parts: list[dict], source_name: str) -> tuple[dict, dict] | None:
    """A range ring SitMap drew, from another tool's fields as text (its ``kind``, ``centre`` and
    ``radius_m``): (the Point at its centre, the fields with the radius a number); None otherwise."""
    radius = finite_number(values.get("radius_m"))
    if values.get("kind") != "range_ring" or radius is None:
        return None
    return _drawn_ring({**values, "radius_m": radius}, parts, source_name)


def _layer_for(name: str, layers: dict[str, dict]) -> str:
    if name not in layers:
        layers[name] = {"id": layer_id(name, len(layers) + 1), "label": name[:200], "visible": True, "locked": False}
    return layers[name]["id"]


def _ids_held(items: list) -> set:
    """The ids the file's features give themselves (their own, or a SitMap column's)."""
    out: set = set()
    for _where, f in items:
        out.update(_ids_of(f))
    return out


def _ids_of(f: Any) -> list:
    """The ids one feature gives itself (:func:`_ids_held`)."""
    if not isinstance(f, dict):
        return []
    props = f.get("properties") if isinstance(f.get("properties"), dict) else {}
    if "sitmap_kind" in props:  # (SitMap's KML placemark after another tool: its own fields)
        props = from_kml_columns(props) or props
    return [fid for fid in (f.get("id"), props.get("id"), props.get("sitmap_id"))
            if isinstance(fid, (str, int)) and not isinstance(fid, bool)]


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _not_geojson(fail, doc: dict) -> None:
    """The refusal of a JSON object that is no GeoJSON: its type named, or its lack of one (with
    the members it has, so the user sees what the file is)."""
    if "type" not in doc or doc.get("type") is None:
        members = ", ".join(short(str(k)) for k in list(doc)[:5]) + (", ..." if len(doc) > 5 else "")
        fail("", "not GeoJSON: the object has no \"type\" (a FeatureCollection, Feature or geometry names "
                 "its type)" + (f"; its members: {members}" if members else "; it is empty"))
    fail("type", f"{short(str(doc.get('type')))!r} is not a GeoJSON FeatureCollection, Feature or geometry")

