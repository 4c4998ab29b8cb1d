"""KML placemarks' shapes and looks: the styles they use (shared styles, StyleMaps, inline styles,
icon colours) and their geometry (points, lines, polygons, MultiGeometry, tracks), with the limits a
reader keeps; and whether a SitMap ring's or area's drawing is still what SitMap drew."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from typing import Any, Mapping

from viewer.model import geodesy
from viewer.model.io import report as why
from viewer.model.io.cut_at_180 import joined_at_180
from viewer.model.io.common import Fail, finite_number, round_the_world, short
from viewer.model.io.xml_safe import child, children, local, text
from viewer.model.scenario import MAX_NESTING, MAX_VERTICES, ScenarioError


def _parse_kml_colour(text: str) -> tuple[str, float] | None:
    """KML 'aabbggrr' -> ('#RRGGBB', opacity)."""
    t = text.strip().lstrip("#")
    if not re.fullmatch(r"[0-9A-Fa-f]{8}", t):
        return None
    a, b, g, r = t[0:2], t[2:4], t[4:6], t[6:8]
    return f"#{r}{g}{b}".upper(), int(a, 16) / 255


def _style_values(style: ET.Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for sub, key in (("IconStyle", "icon"), ("LineStyle", "line"), ("PolyStyle", "poly")):
        el = child(style, sub)
        if el is None:
            continue
        c = child(el, "color")
        if c is not None and _parse_kml_colour(text(c)):
            out[key] = text(c).strip().lower()
        if sub == "LineStyle" and child(el, "width") is not None:
            out["width"] = text(child(el, "width")).strip()
        if sub == "PolyStyle" and text(child(el, "fill")).strip() in ("0", "false"):
            out["nofill"] = "1"
    return out


class Styles:
    """The document's styles by id. ``found``: its Style and StyleMap elements in the document's
    order (a large document has millions of elements, and its caller has found them already)."""

    def __init__(self, found: list[ET.Element]):
        self.by_id: dict[str, ET.Element] = {}
        for el in found:
            if el.get("id"):
                self.by_id.setdefault(el.get("id"), el)
        self._by_url: dict[str, dict[str, str]] = {}  # (a style shared by many placemarks is read once)

    def resolve(self, el: ET.Element | None, depth: int = 0) -> dict[str, str]:
        if el is None or depth > 8:
            return {}
        if local(el.tag) == "Style":
            return _style_values(el)
        if local(el.tag) == "StyleMap":
            for pair in children(el, "Pair"):
                if text(child(pair, "key")).strip() == "normal":
                    out = self.url(text(child(pair, "styleUrl")), depth + 1)
                    out.update(self.resolve(child(pair, "Style"), depth + 1))
                    return out
        return {}

    def url(self, url: str, depth: int = 0) -> dict[str, str]:
        url = url.strip()
        if "#" not in url:
            return {}
        return self.resolve(self.by_id.get(url.rsplit("#", 1)[1]), depth)

    def of(self, pm: ET.Element, kids: Mapping[str, ET.Element] | None = None) -> dict[str, str]:
        """The placemark's style values. ``kids``: its children by name (each name's first), where its
        reader has them."""
        url = text(child(pm, "styleUrl") if kids is None else kids.get("styleUrl"))
        shared = self._by_url.get(url)
        if shared is None:
            shared = self.url(url)
            if len(self._by_url) < 10_000:
                self._by_url[url] = shared
        out = dict(shared)
        if kids is None or "Style" in kids or "StyleMap" in kids:  # (its own styles, in order)
            for el in pm:
                if local(el.tag) in ("Style", "StyleMap"):
                    out.update(self.resolve(el))
        return out


def style_from_kml(values: Mapping[str, str], kind: str) -> dict[str, Any]:
    style: dict[str, Any] = {}
    main = values.get("icon") if kind == "place" else values.get("line") or values.get("poly")
    parsed = _parse_kml_colour(main) if main else None
    if parsed and not (kind == "place" and main.lower() == "ffffffff"):  # white = untinted icon
        style["color"] = parsed[0]
        if kind != "place" and "line" in values and parsed[1] < 1:
            style["opacity"] = round(parsed[1], 3)
    if kind != "place":
        w = finite_number(values.get("width"))
        if w is not None:
            style["weight"] = max(0.0, min(20.0, w))
    if kind in ("area", "range_ring") and "poly" in values:
        fill = _parse_kml_colour(values["poly"])
        if fill:
            if fill[0] != style.get("color"):
                style["fill_color"] = fill[0]
            style["fill_opacity"] = 0.0 if values.get("nofill") else round(fill[1], 3)
    return style


# =========================================================================== KML import: geometry

def _height(text: str) -> bool:
    """Whether a position's third value is a height other than 0 (a finite number)."""
    try:
        v = float(text)
    except ValueError:
        return False
    return math.isfinite(v) and v != 0.0


class Coords:
    def __init__(self, fail: Fail):
        self.fail = fail
        self.vertices = 0
        self.heights = 0  # positions read with a height (altitude) other than 0: not kept (a map is flat)

    def parse(self, text: str, where: str) -> list[list[float]]:
        text = re.sub(r"\s*,\s*", ",", text.strip())
        tuples = text.split()
        if len(tuples) == 1 and tuples[0].count(",") >= 5 and tuples[0].count(",") % 3 == 2:
            # lon,lat,alt,lon,lat,alt,... with no space between them: Google Earth reads them as
            # threes (libkml's badcoords.kml, "found in the wild"), and so does SitMap
            values = tuples[0].split(",")
            tuples = [",".join(values[k:k + 3]) for k in range(0, len(values), 3)]
        out = []
        for i, tup in enumerate(tuples):
            parts = tup.split(",")
            if len(parts) not in (2, 3, 4):  # (a 4th value, written by some tools, is not kept)
                self.fail(where, f"coordinate {i + 1} {short(tup)!r} must be longitude,latitude[,altitude]")
            nums = []
            for p in parts[:2]:
                try:
                    v = float(p)
                except ValueError:
                    self.fail(where, f"coordinate {i + 1}: {short(p)!r} is not a number")
                if not math.isfinite(v):
                    self.fail(where, f"coordinate {i + 1}: {p} is not a finite number")
                nums.append(v)
            lon, lat = nums
            if len(parts) > 2 and parts[2] not in ("0", "", "0.0") and _height(parts[2]):
                self.heights += 1
            if not -90.0 <= lat <= 90.0:
                self.fail(where, f"coordinate {i + 1}: latitude {lat:g} is outside -90..90")
            if not -180.0 <= lon <= 180.0:
                self.fail(where, f"coordinate {i + 1}: longitude {lon:g} is outside -180..180")
            self.vertices += 1
            if self.vertices > MAX_VERTICES:
                self.fail(where, f"more than {MAX_VERTICES:,} vertices")
            out.append([lon, lat])
        return out


def kml_parts(el: ET.Element, coords: Coords, where: str, depth: int = 0,
              dropped: list | None = None) -> list[dict[str, Any]]:
    """GeoJSON-like Point / LineString / Polygon parts of a KML geometry element. ``dropped`` (when
    opening): a part of a MultiGeometry that cannot be shown goes there, and the rest are kept."""
    fail = coords.fail
    if depth > MAX_NESTING:
        fail(where, f"MultiGeometry nested deeper than {MAX_NESTING} levels")
    name = local(el.tag)
    if name == "Point":
        pts = coords.parse(text(child(el, "coordinates")), f"{where}.Point")
        if not pts:
            fail.left_out(why.EMPTY, f"{where}.Point", "a point without a coordinate")
        if len(pts) != 1:
            fail(f"{where}.Point", f"a point needs exactly one coordinate, has {len(pts)}")
        return [{"type": "Point", "coordinates": pts[0]}]
    if name == "LineString":
        pts = coords.parse(text(child(el, "coordinates")), f"{where}.LineString")
        if not pts:
            fail.left_out(why.EMPTY, f"{where}.LineString", "a line without coordinates")
        if len(pts) < 2:
            fail(f"{where}.LineString", f"a line needs at least 2 coordinates, has {len(pts)}")
        return [{"type": "LineString", "coordinates": pts}]
    if name in ("Polygon", "LinearRing"):
        if name == "LinearRing":
            ring_els = [el]
        else:
            outer = child(el, "outerBoundaryIs")
            ring_els = [] if outer is None else [child(outer, "LinearRing")]
            ring_els += [child(b, "LinearRing") for b in children(el, "innerBoundaryIs")]
        rings = []
        for k, r in enumerate(ring_els):
            w = f"{where}.{name}" + ("" if name == "LinearRing" else f" ring {k + 1}")
            if r is None:
                fail(w, "boundary without a LinearRing")
            pts = coords.parse(text(child(r, "coordinates")), w)
            if pts and pts[0] != pts[-1]:
                pts.append(list(pts[0]))  # KML requires closed rings; some writers leave them open
            if len(pts) < 4:
                fail(w, f"a polygon ring needs at least 3 distinct corners, has {max(0, len(pts) - 1)}")
            rings.append(pts)
        if not rings:
            fail.left_out(why.EMPTY, f"{where}.Polygon", "polygon without an outer boundary")
        return [{"type": "Polygon", "coordinates": rings}]
    if name in ("MultiGeometry", "MultiPolygon", "MultiLineString", "MultiPoint"):  # (the last three: not KML,
        out = []                                                                    # but written by some tools)
        start = len(dropped) if dropped is not None else 0
        for c in el:
            if local(c.tag) in GEOMETRY_TAGS:
                if dropped is None:
                    out.extend(kml_parts(c, coords, where, depth + 1))
                    continue
                try:
                    out.extend(kml_parts(c, coords, where, depth + 1, dropped))
                except ScenarioError as e:
                    dropped.append(e)
        if not out and dropped is not None and len(dropped) > start:
            first = dropped[start]  # (nothing of it to show: left out once, as its first part was)
            del dropped[start:]
            raise first
        return joined_at_180(out)  # (the parts of a shape cut at the antimeridian: one shape again)
    if name == "Track":  # gx:Track: a path through its gx:coord positions
        pts = []
        for c in el:
            if local(c.tag) == "coord":
                pts.extend(coords.parse(",".join(text(c).split()[:3]), f"{where}.Track"))
        if len(pts) == 1:  # (one fix: a place, as Location History's stays are)
            return [{"type": "Point", "coordinates": pts[0]}]
        if not pts:
            fail.left_out(why.EMPTY, f"{where}.Track", "a track without positions")
        return [{"type": "LineString", "coordinates": pts}]
    if name == "MultiTrack":
        out = []
        for c in el:
            if local(c.tag) == "Track":
                out.extend(kml_parts(c, coords, where, depth + 1))
        return out
    if name == "Model":
        fail.left_out(why.MODEL, where, "a 3D model is not drawn (Point, LineString, Polygon, MultiGeometry)")
    fail(where, f"geometry <{name}> is not supported (Point, LineString, Polygon, MultiGeometry)")
    return []


GEOMETRY_TAGS = ("Point", "LineString", "LinearRing", "Polygon", "MultiGeometry", "Track", "MultiTrack", "Model",
                 "MultiPolygon", "MultiLineString", "MultiPoint")


def ring_consistent(parts: list[dict], lat: float, lon: float, radius: float) -> bool:
    """Whether the drawn polygon still is the ring (Google Earth users may have edited it). (A ring
    of the antipodal distance is drawn as the whole world: its box, pole to pole all round.)"""
    tol = max(10.0, radius * 0.005)
    if radius >= geodesy.EARTH_ANTIPODAL_M - tol and any(p["type"] == "Polygon" and round_the_world(p) for p in parts):
        return True
    for part in parts:
        if part["type"] != "Polygon":
            return False
        for ring in part["coordinates"]:  # (a ring round both poles is drawn as the world less a hole)
            for c in ring[:400]:
                d = geodesy.distance_bearing(lat, lon, c[1], c[0])[0]
                if abs(d - radius) <= tol:
                    return True
    return False


def holes_of(said: str | None, parts: list[dict], coords: "Coords", where: str) -> list[list[list[float]]]:
    """A SitMap area's holes: their corners as written (``sitmap_holes``); without them (a file
    from before they were written), the drawn inner rings themselves. (Whether they are what its
    drawing shows is asked with its outline: :func:`viewer.model.io.drawn_corners.drawn_by`.)"""
    if not said:
        return [ring for p in parts if p["type"] == "Polygon" for ring in p["coordinates"][1:]]
    return [coords.parse(ring, where) for ring in said.split(";")]
