"""Exchange annotations with Google Earth (KML/KMZ), QGIS and geojson.io (GeoJSON) and spreadsheets (CSV).

Everything here is pure Python (no Qt, no folium). Every importer checks the whole
input before anything is returned and raises :class:`ScenarioError` naming the
source, the place (``Placemark 3 (name 'x')``, ``row 5``, ``features[2]``) and
the problem; imported features are validated exactly like a scenario file's
(they go through :func:`parse_scenario`) and carry ``properties["annotation"] = True``.

KML written here is KML 2.2: one Placemark per feature, paths and rings as the
densified geodesics SitMap draws (so Google Earth shows the true geodesic), and
``ExtendedData`` (``sitmap_*``) that lets SitMap read its own rings back as rings
(centre + radius) and its paths back with their original vertices.

XML safety: the standard library parser is used only after any document type
declaration (``<!DOCTYPE`` / ``<!ENTITY``) has been refused, so no entity can be
defined (no "billion laughs") and none can point outside the file. KMZ archives
are checked for entry count, total size and compression ratio before reading.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import json
import math
import re
import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from bisect import bisect_left
from html.parser import HTMLParser
from typing import Any, Iterable, Mapping

from viewer.model import geodesy
from viewer.model.scenario import (
    FEATURE_KINDS,
    MAX_FEATURES,
    MAX_FILE_BYTES,
    MAX_NESTING,
    MAX_TEXT_CHARS,
    MAX_VERTICES,
    STATUSES,
    Feature,
    Scenario,
    ScenarioError,
    lone_surrogate,
    parse_scenario,
    parse_scenario_bytes,
)

__all__ = [
    "export_kml",
    "export_kmz",
    "import_kml",
    "export_csv",
    "import_csv",
    "import_geojson",
    "import_annotations",
]

KML_NS = "http://www.opengis.net/kml/2.2"
KMZ_MAX_ENTRIES = 100
KMZ_MAX_RATIO = 100
MAX_XML_DEPTH = 4 * MAX_NESTING  # Document / Folder ... / Placemark / MultiGeometry ... / coordinates
MAX_MACHINE_CHARS = 1_000_000  # sitmap_properties JSON in ExtendedData
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$")
_COLOUR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")

# Properties written as their own KML elements / ExtendedData fields, not in sitmap_properties.
_OWN_FIELDS = ("kind", "name", "notes", "source", "status", "radius_m", "annotation")


# =========================================================================== helpers

class _Fail:
    def __init__(self, source: str):
        self.source = source

    def __call__(self, where: str, what: str):
        raise ScenarioError(self.source, where, what)


def _num_text(x: float) -> str:
    """Exact decimal text for a float (shortest repr), never in exponent form, at least 8 decimals."""
    x = float(x)
    if x == 0:
        x = 0.0
    s = repr(x)
    if "e" in s or "E" in s:
        s = f"{x:.20f}".rstrip("0")
        if float(s) != x:  # pragma: no cover - cannot happen for |x| <= 180
            s = f"{x:.30f}"
    if "." not in s:
        s += "."
    whole, frac = s.split(".")
    return f"{whole}.{frac.ljust(8, '0')}"


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def _label(prefix: str, name: str | None) -> str:
    return f"{prefix} (name {_short(name)!r})" if name else prefix


def _validate(dicts: list[dict], labels: list[str], source: str) -> list[Feature]:
    """Run the scenario validator over built features; report places in the input's own terms."""
    try:
        scenario = parse_scenario({"type": "FeatureCollection", "features": dicts}, source)
    except ScenarioError as e:
        where = e.where
        m = re.match(r"^features\[(\d+)\](?: \(id [^)]*\))?", where)
        if m and int(m.group(1)) < len(labels):
            where = labels[int(m.group(1))] + where[m.end():]
        raise ScenarioError(source, where, e.what) from None
    return scenario.features


def _assign_ids(wanted: list[str | None]) -> list[str]:
    """Keep every valid, unused id; give the others a stable ``imported-<n>`` (n = 1-based position)."""
    out: list[str | None] = [None] * len(wanted)
    used: set[str] = set()
    for i, w in enumerate(wanted):
        if isinstance(w, str) and _ID_RE.match(w) and w not in used:
            out[i] = w
            used.add(w)
    for i, w in enumerate(out):
        if w is None:
            cand, k = f"imported-{i + 1}", 1
            while cand in used:
                k += 1
                cand = f"imported-{i + 1}-{k}"
            out[i] = cand
            used.add(cand)
    return out  # type: ignore[return-value]


def _check_text(fail: _Fail, value: str, where: str, limit: int = MAX_TEXT_CHARS) -> str:
    if len(value) > limit:
        fail(where, f"text longer than {limit:,} characters")
    if "\x00" in value:
        fail(where, "contains a NUL character")
    return value


def _colour(value: Any) -> str | None:
    """'#RRGGBB' from '#RRGGBB' / '#RGB' / 'RRGGBB', else None."""
    if not isinstance(value, str):
        return None
    v = value.strip()
    if not v.startswith("#"):
        v = "#" + v
    if re.fullmatch(r"#[0-9A-Fa-f]{3}", v):
        v = "#" + "".join(c * 2 for c in v[1:])
    return v.upper() if _COLOUR_RE.match(v) else None


def _finite_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


# =========================================================================== KML export

def _kml_colour(rgb: str, alpha: float) -> str:
    """'#RRGGBB' + opacity 0..1 -> KML 'aabbggrr'."""
    a = max(0, min(255, round(alpha * 255)))
    r, g, b = rgb[1:3], rgb[3:5], rgb[5:7]
    return f"{a:02x}{b}{g}{r}".lower()


def _kml_style_values(f: Feature) -> dict[str, str]:
    """KML colours and width from the feature's one style (what the screen and briefing show)."""
    from viewer.model.style import style_of

    st = style_of(f)
    line = _kml_colour(st.color, float((f.properties.get("style") or {}).get("opacity", 1.0)))
    if f.kind == "place":
        return {"icon": line}
    out = {"line": line, "width": _num_short(float(st.weight))}
    if st.fill_opacity is not None:
        out["poly"] = _kml_colour((f.properties.get("style") or {}).get("fill_color") or st.color, float(st.fill_opacity))
    return out


def _num_short(x: float) -> str:
    return repr(float(x)).removesuffix(".0") if float(x).is_integer() else repr(float(x))


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{KML_NS}}}{tag}", attrib)
    if text is not None:
        el.text = text
    return el


def _coords_text(coords: Iterable[Iterable[float]]) -> str:
    return " ".join(f"{_num_text(c[0])},{_num_text(c[1])}" for c in coords)


def _add_geometry(parent: ET.Element, geom: Mapping[str, Any]) -> None:
    t, c = geom["type"], geom["coordinates"]
    if t == "Point":
        _sub(_sub(parent, "Point"), "coordinates", _coords_text([c]))
    elif t == "LineString":
        ls = _sub(parent, "LineString")
        _sub(ls, "tessellate", "1")
        _sub(ls, "coordinates", _coords_text(c))
    elif t == "Polygon":
        poly = _sub(parent, "Polygon")
        _sub(poly, "tessellate", "1")
        for i, ring in enumerate(c):
            boundary = _sub(poly, "outerBoundaryIs" if i == 0 else "innerBoundaryIs")
            _sub(_sub(boundary, "LinearRing"), "coordinates", _coords_text(ring))
    elif t in ("MultiLineString", "MultiPolygon"):
        multi = _sub(parent, "MultiGeometry")
        for part in c:
            _add_geometry(multi, {"type": t.removeprefix("Multi"), "coordinates": part})
    else:  # pragma: no cover - geodesy only makes the types above
        raise ValueError(f"cannot write {t} to KML")


def _description_html(notes: str, source: str, status: str) -> str:
    """Text for <description>: HTML-escaped (Google Earth renders descriptions as HTML), lines joined by <br>."""
    lines = notes.split("\n") if notes else []
    tail = ([f"Source: {source}"] if source else []) + [f"Status: {status}"]
    if lines:
        lines.append("")
    return "<br>".join(html.escape(line, quote=False) for line in lines + tail)


def _style_element(pm: ET.Element, colours: Mapping[str, str]) -> None:
    style = _sub(pm, "Style")
    if "icon" in colours:
        _sub(_sub(style, "IconStyle"), "color", colours["icon"])
    if "line" in colours:
        ls = _sub(style, "LineStyle")
        _sub(ls, "color", colours["line"])
        _sub(ls, "width", colours["width"])
    if "poly" in colours:
        ps = _sub(style, "PolyStyle")
        _sub(ps, "color", colours["poly"])
        _sub(ps, "fill", "1")
        _sub(ps, "outline", "1")


def _extended(pm: ET.Element, data: list[tuple[str, str, str]]) -> None:
    ext = _sub(pm, "ExtendedData")
    for key, display, value in data:
        d = _sub(ext, "Data", name=key)
        _sub(d, "displayName", display)
        _sub(d, "value", value)


def _placemark(doc: ET.Element, f: Feature) -> None:
    from viewer.model.geometry import shape_of

    p = f.properties
    shape = shape_of(f)  # the geometry the screen and the briefing draw
    pm = _sub(doc, "Placemark")
    _sub(pm, "name", f.name)
    _sub(pm, "description", _description_html(str(p.get("notes", "") or ""), f.source, f.status))
    colours = _kml_style_values(f)
    _style_element(pm, colours)
    data: list[tuple[str, str, str]] = [
        ("sitmap_id", "SitMap id", f.id),
        ("sitmap_kind", "SitMap kind", f.kind),
        ("sitmap_status", "Status", f.status),
        ("sitmap_source", "Source", f.source),
    ]
    if f.kind == "range_ring":
        lat, lon = f.latlon()
        data += [("sitmap_radius_m", "Radius (m)", repr(float(p["radius_m"]))),
                 ("sitmap_centre_lat", "Centre latitude", repr(lat)),
                 ("sitmap_centre_lon", "Centre longitude", repr(lon))]
    elif f.kind in ("path", "area"):
        coords = f.geometry["coordinates"] if f.kind == "path" else f.geometry["coordinates"][0]
        data.append(("sitmap_vertices", "Vertices (lon,lat)", " ".join(f"{c[0]!r},{c[1]!r}" for c in coords)))
    extra = {k: v for k, v in p.items() if k not in _OWN_FIELDS}
    if extra:
        data.append(("sitmap_properties", "SitMap properties", json.dumps(extra, ensure_ascii=False, sort_keys=True)))
    data.append(("sitmap_colors", "KML colours", json.dumps(colours, sort_keys=True)))
    _extended(pm, data)
    _add_geometry(pm, shape.geojson)
    if shape.uncertainty_geojson is not None:
        # The launch point's uncertainty, drawn as on screen; read back as part of the point.
        upm = _sub(doc, "Placemark")
        _sub(upm, "name", f"{f.name}: uncertainty")
        from viewer.model.style import style_of

        colour = style_of(f).color
        _style_element(upm, {"line": _kml_colour(colour, 1.0), "width": "1.2", "poly": _kml_colour(colour, 0.1)})
        _extended(upm, [("sitmap_kind", "SitMap kind", "uncertainty"), ("sitmap_of", "Uncertainty of", f.id),
                        ("sitmap_radius_m", "Radius (m)", repr(float(p["uncertainty_m"])))])
        _add_geometry(upm, shape.uncertainty_geojson)


def export_kml(scenario: Scenario) -> bytes:
    """A KML 2.2 document (UTF-8): one Placemark per feature, in scenario order."""
    ET.register_namespace("", KML_NS)
    root = ET.Element(f"{{{KML_NS}}}kml")
    doc = _sub(root, "Document")
    _sub(doc, "name", scenario.title)
    if scenario.subtitle:
        _sub(doc, "description", html.escape(scenario.subtitle, quote=False))
    from viewer.model.style import assign_colours

    for f in assign_colours(list(scenario.features)):
        _placemark(doc, f)
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def export_kmz(scenario: Scenario) -> bytes:
    """A KMZ: a zip archive holding ``doc.kml``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("doc.kml", export_kml(scenario))
    return buf.getvalue()


# =========================================================================== KML import: bytes to tree

# What zipfile raises for a damaged archive (ValueError covers "negative seek value", struct.error short headers).
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, struct.error, OSError, ValueError, RuntimeError, NotImplementedError,
               EOFError, OverflowError)


def _kml_bytes_from_kmz(data: bytes, fail: _Fail) -> bytes:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as e:
        fail("", f"not a valid KMZ (zip) archive ({e})")
    with zf:
        infos = zf.infolist()
        if len(infos) > KMZ_MAX_ENTRIES:
            fail("", f"KMZ archive has {len(infos):,} entries; the limit is {KMZ_MAX_ENTRIES}")
        total = sum(i.file_size for i in infos)
        if total > MAX_FILE_BYTES:
            fail("", f"KMZ archive unpacks to {total / 1e6:,.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB")
        for i in infos:
            if i.file_size > KMZ_MAX_RATIO * max(i.compress_size, 1) and i.file_size > 1_000_000:
                fail(i.filename, f"compressed more than {KMZ_MAX_RATIO}:1 (refused as a possible zip bomb)")
        kmls = [i for i in infos if i.filename.lower().endswith(".kml") and not i.is_dir()]
        if not kmls:
            fail("", "KMZ archive holds no .kml document")
        chosen = next((i for i in kmls if i.filename.lower() == "doc.kml"), kmls[0])
        if chosen.flag_bits & 0x1:
            fail(chosen.filename, "is encrypted")
        try:
            with zf.open(chosen) as fh:
                out = fh.read(MAX_FILE_BYTES + 1)
        except _ZIP_ERRORS as e:
            fail(chosen.filename, f"cannot be unpacked ({e})")
        if len(out) > MAX_FILE_BYTES or len(out) > KMZ_MAX_RATIO * max(chosen.compress_size, 1) + 1_000_000:
            fail(chosen.filename, "unpacks to more than its header says (refused as a possible zip bomb)")
        return out




def _decode_xml(data: bytes, fail: _Fail) -> str:
    if data.startswith(codecs.BOM_UTF8):
        enc, data = "utf-8", data[3:]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        enc = "utf-16"
    elif data.startswith(b"<\x00") or data.startswith(b"\x00<"):
        enc = "utf-16-le" if data[0] == 0x3C else "utf-16-be"
    else:
        m = re.match(rb"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]{1,40})[\"']", data[:400])
        enc = m.group(1).decode("ascii") if m else "utf-8"
    try:
        codecs.lookup(enc)
        text = data.decode(enc)
    except LookupError:
        fail("", f"unknown text encoding {enc!r}")
    except UnicodeDecodeError as e:
        fail(f"byte {e.start}", f"not valid {enc} text")
    # drop the declaration: the text is already decoded
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)


def _check_size(data: bytes, fail: _Fail) -> None:
    if len(data) > MAX_FILE_BYTES:
        fail("", f"file is {len(data) / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB")


def _text_of(data: bytes, fail: _Fail, *, utf16: bool = False, hint: str = "") -> str:
    """A text file's contents, size-checked and decoded (UTF-8 with or without BOM; UTF-16 with a BOM if allowed)."""
    _check_size(data, fail)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        if utf16 and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            try:
                return data.decode("utf-16", errors="strict")
            except UnicodeDecodeError as e16:
                fail(f"byte {e16.start}", "not valid UTF-16 text")
        fail(f"byte {e.start}", "not UTF-8 text" + hint)
    raise AssertionError("unreachable: fail() raises")


class _TooDeep(Exception):
    pass


class _DepthLimitedBuilder(ET.TreeBuilder):
    def __init__(self, limit: int):
        super().__init__()
        self.depth = 0
        self.limit = limit

    def start(self, tag, attrs):
        self.depth += 1
        if self.depth > self.limit:
            raise _TooDeep()
        return super().start(tag, attrs)

    def end(self, tag):
        self.depth -= 1
        return super().end(tag)


def _parse_xml(data: bytes, fail: _Fail) -> ET.Element:
    _check_size(data, fail)
    if data[:4] == b"PK\x03\x04":
        data = _kml_bytes_from_kmz(data, fail)
    text = _decode_xml(data, fail)
    # defusedxml refuses any document type declaration (where entities would be declared) and any
    # entity; the tree builder counts element depth as it goes, so absurd nesting is refused early.
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    builder = _DepthLimitedBuilder(MAX_XML_DEPTH)
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    root = None
    try:
        for at in range(0, max(len(text), 1), 1 << 20):
            parser.feed(text[at: at + (1 << 20)])
        root = parser.close()
    except DefusedXmlException:
        fail("", "XML with a document type declaration (<!DOCTYPE / <!ENTITY) is refused: "
                 "entities could expand without bound or read other files")
    except _TooDeep:
        fail("", f"XML elements nested deeper than {MAX_XML_DEPTH} levels")
    except ET.ParseError as e:
        line, col = e.position
        fail(f"line {line}, column {col + 1}", f"not well-formed XML ({str(e).split(':')[0]})")
    except RecursionError:  # pragma: no cover
        fail("", "nesting too deep")
    if root is None:  # pragma: no cover - close() refuses a document without an element
        fail("", "no XML element")
    if _local(root.tag) != "kml" and not any(_local(el.tag) == "Placemark" for el in root.iter()):
        fail("", f"not a KML document (the root element is <{_local(root.tag)}>)")
    return root


def _local(tag: Any) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _child(el: ET.Element, name: str) -> ET.Element | None:
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) == name]


def _text(el: ET.Element | None) -> str:
    if el is None:
        return ""
    return "".join(el.itertext())


# =========================================================================== KML import: styles

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
        el = _child(style, sub)
        if el is None:
            continue
        c = _child(el, "color")
        if c is not None and _parse_kml_colour(_text(c)):
            out[key] = _text(c).strip().lower()
        if sub == "LineStyle" and _child(el, "width") is not None:
            out["width"] = _text(_child(el, "width")).strip()
        if sub == "PolyStyle" and _text(_child(el, "fill")).strip() in ("0", "false"):
            out["nofill"] = "1"
    return out


class _Styles:
    def __init__(self, root: ET.Element):
        self.by_id: dict[str, ET.Element] = {}
        for el in root.iter():
            if _local(el.tag) in ("Style", "StyleMap") and el.get("id"):
                self.by_id.setdefault(el.get("id"), el)

    def resolve(self, el: ET.Element | None, depth: int = 0) -> dict[str, str]:
        if el is None or depth > 8:
            return {}
        if _local(el.tag) == "Style":
            return _style_values(el)
        if _local(el.tag) == "StyleMap":
            for pair in _children(el, "Pair"):
                if _text(_child(pair, "key")).strip() == "normal":
                    out = self.url(_text(_child(pair, "styleUrl")), depth + 1)
                    out.update(self.resolve(_child(pair, "Style"), depth + 1))
                    return out
        return {}

    def url(self, url: str, depth: int = 0) -> dict[str, str]:
        url = url.strip()
        if "#" not in url:
            return {}
        return self.resolve(self.by_id.get(url.rsplit("#", 1)[1]), depth)

    def of(self, pm: ET.Element) -> dict[str, str]:
        out = self.url(_text(_child(pm, "styleUrl")))
        for el in pm:
            if _local(el.tag) in ("Style", "StyleMap"):
                out.update(self.resolve(el))
        return out


def _style_from_kml(values: Mapping[str, str], kind: str) -> dict[str, Any]:
    style: dict[str, Any] = {}
    main = values.get("icon") if kind == "place" else values.get("line") or values.get("poly")
    parsed = _parse_kml_colour(main) if main else None
    if parsed and not (kind == "place" and main.lower() == "ffffffff"):  # white = untinted icon
        style["color"] = parsed[0]
        if kind != "place" and "line" in values and parsed[1] < 1:
            style["opacity"] = round(parsed[1], 3)
    if kind != "place":
        w = _finite_number(values.get("width"))
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

class _Coords:
    def __init__(self, fail: _Fail):
        self.fail = fail
        self.vertices = 0

    def parse(self, text: str, where: str) -> list[list[float]]:
        text = re.sub(r"\s*,\s*", ",", text.strip())
        out = []
        for i, tup in enumerate(text.split()):
            parts = tup.split(",")
            if len(parts) not in (2, 3):
                self.fail(where, f"coordinate {i + 1} {_short(tup)!r} must be longitude,latitude[,altitude]")
            nums = []
            for p in parts[:2]:
                try:
                    v = float(p)
                except ValueError:
                    self.fail(where, f"coordinate {i + 1}: {_short(p)!r} is not a number")
                if not math.isfinite(v):
                    self.fail(where, f"coordinate {i + 1}: {p} is not a finite number")
                nums.append(v)
            lon, lat = nums
            if not -90.0 <= lat <= 90.0:
                self.fail(where, f"coordinate {i + 1}: latitude {lat:g} is outside -90..90")
            if not -180.0 <= lon <= 180.0:
                self.fail(where, f"coordinate {i + 1}: longitude {lon:g} is outside -180..180")
            self.vertices += 1
            if self.vertices > MAX_VERTICES:
                self.fail(where, f"more than {MAX_VERTICES:,} vertices")
            out.append([lon, lat])
        return out


def _kml_parts(el: ET.Element, coords: _Coords, where: str, depth: int = 0) -> list[dict[str, Any]]:
    """GeoJSON-like Point / LineString / Polygon parts of a KML geometry element."""
    fail = coords.fail
    if depth > MAX_NESTING:
        fail(where, f"MultiGeometry nested deeper than {MAX_NESTING} levels")
    name = _local(el.tag)
    if name == "Point":
        pts = coords.parse(_text(_child(el, "coordinates")), f"{where}.Point")
        if len(pts) != 1:
            fail(f"{where}.Point", f"a point needs exactly one coordinate, has {len(pts)}")
        return [{"type": "Point", "coordinates": pts[0]}]
    if name == "LineString":
        pts = coords.parse(_text(_child(el, "coordinates")), f"{where}.LineString")
        if len(pts) < 2:
            fail(f"{where}.LineString", f"a line needs at least 2 coordinates, has {len(pts)}")
        return [{"type": "LineString", "coordinates": pts}]
    if name in ("Polygon", "LinearRing"):
        if name == "LinearRing":
            ring_els = [el]
        else:
            outer = _child(el, "outerBoundaryIs")
            ring_els = [] if outer is None else [_child(outer, "LinearRing")]
            ring_els += [_child(b, "LinearRing") for b in _children(el, "innerBoundaryIs")]
        rings = []
        for k, r in enumerate(ring_els):
            w = f"{where}.{name}" + ("" if name == "LinearRing" else f" ring {k + 1}")
            if r is None:
                fail(w, "boundary without a LinearRing")
            pts = coords.parse(_text(_child(r, "coordinates")), w)
            if pts and pts[0] != pts[-1]:
                pts.append(list(pts[0]))  # KML requires closed rings; some writers leave them open
            if len(pts) < 4:
                fail(w, f"a polygon ring needs at least 3 distinct corners, has {max(0, len(pts) - 1)}")
            rings.append(pts)
        if not rings:
            fail(f"{where}.Polygon", "polygon without an outer boundary")
        return [{"type": "Polygon", "coordinates": rings}]
    if name == "MultiGeometry":
        out = []
        for c in el:
            if _local(c.tag) in _GEOMETRY_TAGS:
                out.extend(_kml_parts(c, coords, where, depth + 1))
        return out
    if name == "Track":  # gx:Track: a path through its gx:coord positions
        pts = []
        for c in el:
            if _local(c.tag) == "coord":
                pts.extend(coords.parse(",".join(_text(c).split()[:2]), f"{where}.Track"))
        if len(pts) < 2:
            fail(f"{where}.Track", "a track needs at least 2 positions")
        return [{"type": "LineString", "coordinates": pts}]
    if name == "MultiTrack":
        out = []
        for c in el:
            if _local(c.tag) == "Track":
                out.extend(_kml_parts(c, coords, where, depth + 1))
        return out
    fail(where, f"geometry <{name}> is not supported (Point, LineString, Polygon, MultiGeometry)")
    return []


_GEOMETRY_TAGS = ("Point", "LineString", "LinearRing", "Polygon", "MultiGeometry", "Track", "MultiTrack", "Model")


# =========================================================================== KML import: descriptions

class _HtmlText(HTMLParser):
    """Plain text of an HTML fragment: <br> and block ends become new lines, scripts are dropped."""

    _BLOCK = {"p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "td" or tag == "th":
            self.parts.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _html_to_text(fragment: str) -> str:
    p = _HtmlText()
    p.feed(fragment)
    p.close()
    return "".join(p.parts)


def _split_description(text: str, source: str | None, status: str | None) -> str:
    """Notes without the 'Source: ...' / 'Status: ...' lines SitMap appends."""
    lines = text.split("\n")
    if status is not None and lines and lines[-1] == f"Status: {status}":
        lines.pop()
        if source and lines and lines[-1] == f"Source: {source}":
            lines.pop()
        if lines and lines[-1] == "":
            lines.pop()
    return "\n".join(lines)


# =========================================================================== KML import

def _extended_data(pm: ET.Element, fail: _Fail, where: str) -> dict[str, str]:
    out: dict[str, str] = {}
    ext = _child(pm, "ExtendedData")
    if ext is None:
        return out
    for el in ext.iter():
        tag = _local(el.tag)
        if tag == "Data":
            key, value = el.get("name") or "", _text(_child(el, "value"))
        elif tag == "SimpleData":
            key, value = el.get("name") or "", _text(el)
        else:
            continue
        if not key or len(out) >= 1000:
            continue
        limit = MAX_MACHINE_CHARS if key in ("sitmap_properties", "sitmap_vertices") else MAX_TEXT_CHARS
        out[key] = _check_text(fail, value, f"{where}.ExtendedData.{_short(key)}", limit)
    return out


def _ring_consistent(parts: list[dict], lat: float, lon: float, radius: float) -> bool:
    """Whether the drawn polygon still is the ring (Google Earth users may have edited it)."""
    tol = max(10.0, radius * 0.005)
    for part in parts:
        if part["type"] != "Polygon":
            return False
        for c in part["coordinates"][0][:400]:
            d = geodesy.distance_bearing(lat, lon, c[1], c[0])[0]
            if abs(d - radius) <= tol:
                return True
    return False


def _outlines(parts: list[dict]) -> list[dict]:
    """Polygon rings as lines, to find an area's own corners on its drawn (densified) outline."""
    return [{"type": "LineString", "coordinates": ring} for p in parts if p["type"] == "Polygon"
            for ring in p["coordinates"]]


def _vertices_on_line(vertices: list[list[float]], parts: list[dict]) -> bool:
    pts = sorted((c[0], c[1]) for p in parts if p["type"] == "LineString" for c in p["coordinates"])
    if not pts:
        return False
    lons = [p[0] for p in pts]
    for lon, lat in vertices:
        candidates = [lon] + ([-lon] if abs(abs(lon) - 180.0) < 1e-7 else [])
        ok = False
        for lo in candidates:
            i = bisect_left(lons, lo - 1e-7)
            while i < len(pts) and pts[i][0] <= lo + 1e-7:
                if abs(pts[i][1] - lat) <= 1e-7:
                    ok = True
                    break
                i += 1
            if ok:
                break
        if not ok:
            return False
    return True


def _loads_json(text: str, fail: _Fail, where: str) -> Any:
    depth = max_depth = 0
    for ch in text:  # strings may hold brackets; this only over-counts, never under-counts
        if ch in "[{":
            depth += 1
            max_depth = max(max_depth, depth)
        elif ch in "]}":
            depth -= 1
    if max_depth > MAX_NESTING:
        fail(where, f"nesting deeper than {MAX_NESTING} levels")

    def bad(name):
        raise ValueError(f"{name} is not a valid JSON number")

    def finite(text):
        f = float(text)
        if not math.isfinite(f):
            bad(_short(text))
        return f

    try:
        doc = json.loads(text, parse_constant=bad, parse_float=finite)
    except ValueError as e:
        fail(where, f"not valid JSON ({_short(str(e), 200)})")
    at = lone_surrogate(doc, text)
    if at is not None:
        fail(f"{where}.{at}" if where else at, "text holds an unpaired UTF-16 surrogate (\\uD800-\\uDFFF)")
    return doc


def import_kml(data: bytes, source_name: str) -> list[Feature]:
    """Annotations from a KML or KMZ document (SitMap's own, Google Earth's, QGIS's).

    Raises :class:`ScenarioError` for anything unsafe or invalid; nothing is returned then.
    """
    fail = _Fail(source_name)
    root = _parse_xml(bytes(data), fail)
    styles = _Styles(root)
    coords = _Coords(fail)
    placemarks = [el for el in root.iter() if _local(el.tag) == "Placemark"]
    if len(placemarks) > MAX_FEATURES:
        fail("", f"more than {MAX_FEATURES:,} placemarks")
    dicts: list[dict] = []
    labels: list[str] = []
    wanted: list[str | None] = []
    for n, pm in enumerate(placemarks, start=1):
        name = _check_text(fail, _text(_child(pm, "name")).strip(), f"Placemark {n}.name")
        where = _label(f"Placemark {n}", name)
        raw_desc = _check_text(fail, _text(_child(pm, "description")), f"{where}.description")
        ext = _extended_data(pm, fail, where)
        geom_el = next((c for c in pm if _local(c.tag) in _GEOMETRY_TAGS), None)
        if geom_el is None:
            continue  # a Placemark with nothing to place (a note in a folder)
        parts = _kml_parts(geom_el, coords, where)
        if not parts:
            continue
        sitmap = "sitmap_kind" in ext
        props: dict[str, Any] = {}
        if sitmap and ext.get("sitmap_properties"):
            extra = _loads_json(ext["sitmap_properties"], fail, f"{where}.ExtendedData.sitmap_properties")
            if not isinstance(extra, dict):
                fail(f"{where}.ExtendedData.sitmap_properties", "must be a JSON object")
            props.update({k: v for k, v in extra.items() if k not in _OWN_FIELDS})
        status = ext.get("sitmap_status") if sitmap else None
        source = ext.get("sitmap_source") if sitmap else None
        if status is not None:
            if status not in STATUSES:
                fail(f"{where}.ExtendedData.sitmap_status",
                     f"status {_short(status)!r} must be one of {', '.join(STATUSES)}")
            props["status"] = status
        if source:
            props["source"] = source
        elif not sitmap:
            props["source"] = source_name
        notes = _split_description(_html_to_text(raw_desc), source, status).strip()
        if notes:
            props["notes"] = _check_text(fail, notes, f"{where}.description")
        if name and not (sitmap and name == ext.get("sitmap_id")):
            props["name"] = name

        kind = ext.get("sitmap_kind") if sitmap else None
        if kind == "uncertainty":
            continue  # SitMap's drawing of a point's uncertainty: the point carries it
        if kind is not None and kind not in FEATURE_KINDS:
            fail(f"{where}.ExtendedData.sitmap_kind", f"kind {_short(kind)!r} must be one of {', '.join(FEATURE_KINDS)}")
        geoms: list[dict] = []
        if kind == "range_ring":
            nums = {}
            for key in ("sitmap_radius_m", "sitmap_centre_lat", "sitmap_centre_lon"):
                v = _finite_number(ext.get(key))
                if v is None:
                    fail(f"{where}.ExtendedData.{key}", f"must be a finite number, not {_short(str(ext.get(key)))!r}")
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
            if _ring_consistent(parts, lat, lon, radius):
                props["radius_m"] = radius
                geoms = [{"type": "Point", "coordinates": [lon, lat]}]
            else:
                kind = None  # edited outside SitMap: keep what is drawn
        elif kind in ("path", "area") and ext.get("sitmap_vertices"):
            verts = coords.parse(ext["sitmap_vertices"], f"{where}.ExtendedData.sitmap_vertices")
            if kind == "path" and len(verts) >= 2 and _vertices_on_line(verts, parts):
                geoms = [{"type": "LineString", "coordinates": verts}]
            elif kind == "area" and len(verts) >= 4 and _vertices_on_line(verts, _outlines(parts)):
                geoms = [{"type": "Polygon", "coordinates": [verts]}]
            else:
                kind = None
        if not geoms:
            geoms = parts
            if kind is not None and (len(parts) != 1 or
                                     {"place": "Point", "path": "LineString", "area": "Polygon"}.get(kind) != parts[0]["type"]):
                kind = None

        observed = styles.of(pm)
        for k, g in enumerate(geoms):
            gkind = kind or {"Point": "place", "LineString": "path", "Polygon": "area"}[g["type"]]
            p = dict(props)
            p["kind"] = gkind
            expected = _loads_colors(ext.get("sitmap_colors")) if sitmap else None
            if observed and observed != expected:
                style = dict(p.get("style") or {}) if isinstance(p.get("style"), dict) else {}
                style.update(_style_from_kml(observed, gkind))
                if style:
                    p["style"] = style
            p["annotation"] = True
            dicts.append({"type": "Feature", "geometry": g, "properties": p})
            labels.append(where if len(geoms) == 1 else f"{where} part {k + 1}")
            base = ext.get("sitmap_id") if sitmap else pm.get("id")
            wanted.append(base if k == 0 or base is None else f"{base}-{k + 1}")
    for d, fid in zip(dicts, _assign_ids(wanted)):
        d["id"] = fid
    return _validate(dicts, labels, source_name)


def _loads_colors(text: str | None) -> dict[str, str] | None:
    if not text:
        return None
    try:
        v = json.loads(text)
    except ValueError:
        return None
    return v if isinstance(v, dict) else None


# =========================================================================== CSV

CSV_COLUMNS = ("lat", "lon", "name", "notes", "id", "source", "status", "color", "kind", "radius_m")
_HEADER_ALIASES = {
    "lat": ("lat", "latitude", "y", "latdd", "latdeg", "latitudedd", "latitudewgs84", "lat(deg)"),
    "lon": ("lon", "lng", "long", "longitude", "x", "londd", "londeg", "longitudedd", "longitudewgs84", "lon(deg)"),
    "name": ("name", "title", "label", "placename"),
    "notes": ("notes", "note", "description", "desc", "comment", "comments", "remarks"),
    "id": ("id", "featureid", "sitmapid"),
    "source": ("source", "src"),
    "status": ("status",),
    "color": ("color", "colour", "markercolor", "markercolour"),
    "kind": ("kind", "sitmapkind"),
    "radius_m": ("radiusm", "radius", "radius(m)"),
}
_FORMULA_RE = re.compile(r"^'*[=+\-@\t\r]")


def _neutralise(cell: str) -> str:
    """A spreadsheet must never run a cell: text starting with = + - @ TAB CR gets a leading '.

    Leading quotes before such a character are doubled too, so reading undoes it exactly."""
    return "'" + cell if _FORMULA_RE.match(cell) else cell


def _unneutralise(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and _FORMULA_RE.match(cell) else cell


def export_csv(scenario: Scenario) -> bytes:
    """Point features (places, and rings by their centre and radius) as UTF-8 CSV with a BOM (Excel reads it)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for f in scenario.features:
        if f.geometry.get("type") != "Point":
            continue
        lat, lon = f.latlon()
        p = f.properties
        colour = (p.get("style") or {}).get("color", "")
        radius = repr(float(p["radius_m"])) if f.kind == "range_ring" else ""
        text = [str(p.get("name", "") or ""), str(p.get("notes", "") or ""), f.id, f.source, f.status, colour, f.kind]
        w.writerow([repr(lat), repr(lon)] + [_neutralise(t) for t in text] + [radius])
    return buf.getvalue().encode("utf-8-sig")


def _normal_header(h: str) -> str:
    return re.sub(r"[\s_\-]", "", h.strip().lower())


def _csv_number(text: str, decimal_comma: bool) -> float | None:
    t = text.strip()
    if decimal_comma and "," in t and "." not in t:
        t = t.replace(",", ".")
    return _finite_number(t) if t else None


def import_csv(data: bytes, source_name: str) -> list[Feature]:
    """Points from a CSV with a header row (lat/latitude/y, lon/longitude/lng/x, name, notes, ...)."""
    fail = _Fail(source_name)
    data = bytes(data)
    text = _text_of(data, fail, utf16=True, hint=" (save the sheet as CSV UTF-8)")
    if "\x00" in text:
        fail("", "contains NUL characters (not a text CSV file)")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    if first.count(delimiter) == 0:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as e:
        fail("row 1", f"not valid CSV ({e})")
    if not header:
        fail("", "empty file: a header row with lat and lon columns is needed")
    columns: dict[str, int] = {}
    normal = [_normal_header(h) for h in header]
    for key, aliases in _HEADER_ALIASES.items():
        for alias in aliases:
            if alias in normal:
                columns.setdefault(key, normal.index(alias))
                break
    for key in ("lat", "lon"):
        if key not in columns:
            fail("row 1", f"no {'latitude' if key == 'lat' else 'longitude'} column "
                          f"(headers: {', '.join(_short(h, 20) for h in header[:12])})")
    decimal_comma = delimiter != ","
    dicts: list[dict] = []
    labels: list[str] = []
    wanted: list[str | None] = []
    row_no = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            fail(f"row {row_no + 1}", f"not valid CSV ({e})")
        row_no += 1
        if not any(c.strip() for c in row):
            continue
        if len(dicts) >= MAX_FEATURES:
            fail(f"row {row_no}", f"more than {MAX_FEATURES:,} rows")
        where = f"row {row_no}"

        def cell(key: str) -> str:
            i = columns.get(key)
            value = row[i] if i is not None and i < len(row) else ""
            return _check_text(fail, value, f"{where}, column {header[i] if i is not None else key}")

        for i, c in enumerate(row):
            _check_text(fail, c, f"{where}, column {i + 1}")
        name = _unneutralise(cell("name").strip())
        where = _label(where, name)
        lat = _csv_number(cell("lat"), decimal_comma)
        lon = _csv_number(cell("lon"), decimal_comma)
        if lat is None:
            fail(f"{where}.lat", f"latitude {_short(cell('lat'))!r} is not a finite number")
        if lon is None:
            fail(f"{where}.lon", f"longitude {_short(cell('lon'))!r} is not a finite number")
        if not -90 <= lat <= 90:
            fail(f"{where}.lat", f"latitude {lat:g} is outside -90..90")
        if not -180 <= lon <= 180:
            fail(f"{where}.lon", f"longitude {lon:g} is outside -180..180")
        props: dict[str, Any] = {"kind": "place", "annotation": True}
        if name:
            props["name"] = name
        notes = _unneutralise(cell("notes")).replace("\r\n", "\n")
        if notes:
            props["notes"] = notes
        props["source"] = _unneutralise(cell("source")).strip() or source_name
        status = cell("status").strip().lower()
        if status:
            props["status"] = status
        colour = cell("color").strip()
        if colour:
            c = _colour(colour)
            if c is None:
                fail(f"{where}.color", f"colour {_short(colour)!r} must look like #RRGGBB")
            props["style"] = {"color": c}
        kind = cell("kind").strip()
        if kind == "range_ring":
            radius = _csv_number(cell("radius_m"), decimal_comma)
            if radius is None:
                fail(f"{where}.radius_m", "a range ring needs a finite radius_m")
            props["kind"], props["radius_m"] = "range_ring", radius
        elif kind not in ("", "place"):
            fail(f"{where}.kind", f"kind {_short(kind)!r}: a CSV row is a place or a range_ring")
        dicts.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props})
        labels.append(where)
        wanted.append(_unneutralise(cell("id").strip()) or None)
    for d, fid in zip(dicts, _assign_ids(wanted)):
        d["id"] = fid
    return _validate(dicts, labels, source_name)


# =========================================================================== GeoJSON

_SPLIT = {"MultiPoint": "Point", "MultiLineString": "LineString", "MultiPolygon": "Polygon"}
_KIND_OF = {"Point": "place", "LineString": "path", "Polygon": "area"}
_DERIVED_KEYS = ("layer", "in_range", "in_range_total", "in_range_source", "centre")


def _simplestyle(props: Mapping[str, Any], gtype: str) -> dict[str, Any]:
    """geojson.io / Mapbox simplestyle properties as a SitMap style."""
    style: dict[str, Any] = {}
    colour = _colour(props.get("marker-color" if gtype == "Point" else "stroke"))
    if colour:
        style["color"] = colour
    if gtype != "Point":
        for key, out, hi in (("stroke-width", "weight", 20.0), ("stroke-opacity", "opacity", 1.0)):
            v = _finite_number(props.get(key))
            if v is not None:
                style[out] = max(0.0, min(hi, v))
    if gtype == "Polygon":
        fill = _colour(props.get("fill"))
        if fill:
            style["fill_color"] = fill
        v = _finite_number(props.get("fill-opacity"))
        if v is not None:
            style["fill_opacity"] = max(0.0, min(1.0, v))
    return style


_NAME_KEYS = ("name", "Name", "NAME", "title", "Title", "label")
_NOTES_KEYS = ("notes", "description", "Description", "desc", "comment")
_SIMPLESTYLE = ("marker-color", "marker-size", "marker-symbol", "stroke", "stroke-width", "stroke-opacity",
                "fill", "fill-opacity")


def _foreign_properties(props: Mapping[str, Any], gtype: str, fail: _Fail, where: str, source_name: str) -> dict:
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
    style = _simplestyle(props, gtype)
    if style:
        out["style"] = style
    attributes: dict[str, Any] = {}
    used = set(_NAME_KEYS + _NOTES_KEYS + _SIMPLESTYLE + ("source", "status", "kind", "id"))
    for key, value in list(props.items())[:500]:
        if key in used or not isinstance(key, str):
            continue
        if isinstance(value, str):
            _check_text(fail, value, f"{where}.properties.{_short(key)}")
        elif isinstance(value, float) and not math.isfinite(value):
            continue
        elif not (value is None or isinstance(value, (bool, int, float))):
            continue
        attributes[_check_text(fail, key, f"{where}.properties", 200)] = value
    if attributes:
        out["attributes"] = attributes
    return out


def import_geojson(data: bytes, source_name: str) -> list[Feature]:
    """Annotations from GeoJSON: a SitMap scenario, SitMap's drawn export, or plain GeoJSON from
    geojson.io / QGIS (FeatureCollection, Feature or a bare geometry; Multi* split into features)."""
    fail = _Fail(source_name)
    data = bytes(data)
    text = _text_of(data, fail)
    doc = _loads_json(text, fail, "")
    if isinstance(doc, dict) and isinstance(doc.get("sitmap"), dict):
        features = parse_scenario_bytes(data, source_name).features
        return [Feature(f.id, f.kind, f.geometry, {**f.properties, "annotation": True}) for f in features]
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
        fail("type", f"{_short(str(t))!r} is not a GeoJSON FeatureCollection, Feature or geometry")
    if len(items) > MAX_FEATURES:
        fail("features", f"more than {MAX_FEATURES:,} features")

    dicts: list[dict] = []
    labels: list[str] = []
    wanted: list[str | None] = []
    for where, f in items:
        if not isinstance(f, dict) or f.get("type") != "Feature":
            fail(where, 'each feature must be an object with "type": "Feature"')
        props = f.get("properties") or {}
        if not isinstance(props, dict):
            fail(f"{where}.properties", "must be an object")
        name = next((props[k] for k in _NAME_KEYS if isinstance(props.get(k), str) and props[k].strip()), None)
        where = _label(where, name.strip() if name else None)
        geom = f.get("geometry")
        if geom is None:
            fail(f"{where}.geometry", "has no geometry (nothing to place on the map)")
        parts = _geojson_parts(geom, fail, f"{where}.geometry")
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
                if kind != "range_ring" and (len(parts) != 1 or _KIND_OF.get(parts[0]["type"]) != kind):
                    kind = None
        if kind not in FEATURE_KINDS:
            p = None
        for k, g in enumerate(parts):
            props_k = dict(p) if p is not None else _foreign_properties(props, g["type"], fail, where, source_name)
            props_k.setdefault("kind", _KIND_OF[g["type"]])
            props_k["annotation"] = True
            dicts.append({"type": "Feature", "geometry": g, "properties": props_k})
            labels.append(where if len(parts) == 1 else f"{where} part {k + 1}")
            base = fid if isinstance(fid, str) else str(fid) if isinstance(fid, int) and not isinstance(fid, bool) else None
            wanted.append(base if k == 0 or base is None else f"{base}-{k + 1}")
        if len(dicts) > MAX_FEATURES:
            fail(where, f"more than {MAX_FEATURES:,} features")
    for d, fid in zip(dicts, _assign_ids(wanted)):
        d["id"] = fid
    return _validate(dicts, labels, source_name)


def _geojson_parts(geom: Any, fail: _Fail, where: str, depth: int = 0) -> list[dict]:
    if not isinstance(geom, dict):
        fail(where, "geometry must be an object")
    if depth > MAX_NESTING:
        fail(where, "geometry collections nested too deep")
    t = geom.get("type")
    if t in _KIND_OF:
        return [{"type": t, "coordinates": geom.get("coordinates")}]
    if t in _SPLIT:
        coords = geom.get("coordinates")
        if not isinstance(coords, list):
            fail(f"{where}.coordinates", "must be a list")
        return [{"type": _SPLIT[t], "coordinates": c} for c in coords]
    if t == "GeometryCollection":
        geoms = geom.get("geometries")
        if not isinstance(geoms, list):
            fail(f"{where}.geometries", "must be a list")
        out = []
        for i, g in enumerate(geoms):
            out.extend(_geojson_parts(g, fail, f"{where}.geometries[{i}]", depth + 1))
        return out
    fail(f"{where}.type", f"geometry type {_short(str(t))!r} is not GeoJSON")
    return []


# =========================================================================== by content

def import_annotations(data: bytes, source_name: str) -> list[Feature]:
    """Pick the reader by the file name's extension, else by the content."""
    lower = source_name.lower()
    head = bytes(data[:512]).lstrip(codecs.BOM_UTF8).lstrip()
    from viewer.model.gpx import import_gpx, looks_like_gpx

    if lower.endswith(".gpx") or looks_like_gpx(data):
        return import_gpx(data, source_name)
    if lower.endswith((".kml", ".kmz")) or head.startswith((b"<", b"PK\x03\x04")) or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return import_kml(data, source_name)
    if lower.endswith((".geojson", ".json")) or head.startswith((b"{", b"[")):
        return import_geojson(data, source_name)
    return import_csv(data, source_name)
