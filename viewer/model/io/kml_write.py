"""KML 2.2 and KMZ writers: one Placemark per feature, paths and rings as the densified geodesics
SitMap draws (so Google Earth shows the true geodesic), colours from the one style
(:mod:`viewer.model.style`) as styles the placemarks share, and fields (``sitmap_*``, the
SchemaData of one Schema) that let SitMap read its own rings back as rings (centre + radius) and
its paths back with their original vertices."""

from __future__ import annotations

import html
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from typing import Any, Iterable, Mapping

from viewer.model.bulk import Memo
from viewer.model.scenario import Feature, Scenario

KML_NS = "http://www.opengis.net/kml/2.2"

# Properties written as their own KML elements / ExtendedData fields, not in sitmap_properties.
OWN_FIELDS = ("kind", "name", "notes", "source", "status", "radius_m", "annotation")


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


# Characters XML 1.0 does not allow (a map may hold them: a name with a bell character in it): written
# as a space, so the file is XML that Google Earth and SitMap read.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value: str) -> str:
    if value.isprintable():  # (most text: no control character, so nothing XML forbids)
        return value
    return _NOT_XML.sub(" ", value)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{KML_NS}}}{tag}", {k: _xml_text(v) for k, v in attrib.items()} if attrib else {})
    if text is not None:
        el.text = _xml_text(text)
    return el


def _coords_text(coords: Iterable[Iterable[float]]) -> str:
    return " ".join(f"{_num_text(c[0])},{_num_text(c[1])}" for c in coords)


# A placemark is written as text as it is made (as indented_xml would write its elements, at its
# level), and stands in the tree as a placeholder element of this name holding that text: 100,000
# placemarks were 1.6 million elements made, then written one by one.
_WRITTEN = "{https://sitmap.invalid/kml}written"
_SPACE = " "  # a level's indentation, the placemarks written as text and indented_xml's alike
_INDENTS = ["\n" + _SPACE * k for k in range(32)]


def _indent(level: int) -> str:
    return _INDENTS[level] if level < len(_INDENTS) else "\n" + _SPACE * level


def _leaf(tag: str, text: str | None, opening: str | None = None) -> str:
    """An element with no children, as :func:`_sub` sets its text and :func:`indented_xml` writes
    it; ``opening``: its tag with its attributes, written already."""
    return _leaf_as_set(tag, _xml_text(text) if text else text, opening)


def _leaf_as_set(tag: str, text: str | None, opening: str | None = None) -> str:
    """An element with no children whose text is set already (XML's characters only), as
    :func:`indented_xml` writes it: the text escaped where it must be, none written as an empty tag."""
    if text:
        if "&" in text or "<" in text or ">" in text:
            text = _escape_text(text)
        return f"<{opening or tag}>{text}</{tag}>"
    return f"<{opening or tag} />"


def _branch(tag: str, children: list[str], level: int, opening: str | None = None) -> str:
    """An element at ``level`` with these children (each written at the level below), as
    :func:`indented_xml` writes it."""
    if not children:
        return f"<{opening or tag} />"
    inner = _indent(level + 1)
    return f"<{opening or tag}>{inner}{inner.join(children)}{_indent(level)}</{tag}>"


_TESSELLATE = _leaf("tessellate", "1")


def _geometry_text(geom: Mapping[str, Any], level: int) -> str:
    """A geometry's elements (Point, LineString, Polygon, MultiGeometry of them), written at ``level``."""
    t, c = geom["type"], geom["coordinates"]
    if t == "Point":
        return _branch("Point", [_leaf("coordinates", _coords_text([c]))], level)
    if t == "LineString":
        return _branch("LineString", [_TESSELLATE, _leaf("coordinates", _coords_text(c))], level)
    if t == "Polygon":
        parts = [_TESSELLATE]
        for i, ring in enumerate(c):
            ring_text = _branch("LinearRing", [_leaf("coordinates", _coords_text(ring))], level + 2)
            parts.append(_branch("outerBoundaryIs" if i == 0 else "innerBoundaryIs", [ring_text], level + 1))
        return _branch("Polygon", parts, level)
    if t in ("MultiLineString", "MultiPolygon"):
        one = t.removeprefix("Multi")
        return _branch("MultiGeometry", [_geometry_text({"type": one, "coordinates": part}, level + 1) for part in c],
                       level)
    raise ValueError(f"cannot write {t} to KML")  # pragma: no cover - geodesy only makes the types above


def _written(parent: ET.Element, text: str) -> None:
    """A placemark written as text (at its parent's level and one), in its place among its parent's elements."""
    ET.SubElement(parent, _WRITTEN).text = text


def _one_newline(text: str) -> str:
    """Windows' and old Mac's line breaks as one newline (a description's line breaks are <br>)."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


FACTS_HEADING = "Facts:"  # (the balloon's list of the feature's facts; SitMap reads them from the document)


def fact_line(label: str, value: str, source: str, status: str) -> str:
    """A fact as one line of a balloon: its label, value, source and status."""
    return " ".join(f"{label}: {value} \u2014 {source} [{status}]".split())


def _description_html(notes: str, source: str, status: str, facts: list[str] = ()) -> str:
    """Text for <description>: HTML-escaped (Google Earth renders descriptions as HTML), lines joined
    by <br>: the notes, the feature's facts each with its source and status, its source and status."""
    notes, source = _one_newline(notes), _one_newline(source)
    lines = notes.split("\n") if notes else []
    tail = ([f"Source: {source}"] if source else []) + [f"Status: {status}"]
    if lines:
        lines.append("")
    if facts:
        lines += [FACTS_HEADING, *facts, ""]
    return "<br>".join(html.escape(line, quote=False) for line in lines + "\n".join(tail).split("\n"))


def _style_element(parent: ET.Element, colours: Mapping[str, str], sid: str | None = None) -> ET.Element:
    style = _sub(parent, "Style", **({"id": sid} if sid else {}))
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
    return style


SCHEMA_ID = "sitmap"  # the placemarks' fields: one Schema, which names each field once for Google Earth


class _Shared:
    """What the document's placemarks share: a Style for each look (a placemark names its own with
    styleUrl) and the Schema of their fields, each with its display name (a placemark's fields are
    SchemaData). A map of 100,000 features has a few dozen looks, and the same fields in each."""

    def __init__(self) -> None:
        self.styles: dict[tuple, tuple[str, str]] = {}  # a look: its style's id and its colours as JSON
        self.fields: dict[str, str] = {}
        self._openings: dict[str, str] = {}  # a field's SimpleData tag, its name in it

    def look(self, colours: Mapping[str, str]) -> tuple[str, str]:
        """The look's shared style, as a placemark's styleUrl names it, and its colours as the
        placemark's ``sitmap_colors`` (JSON): each worked out once for each look."""
        key = tuple(sorted(colours.items()))
        known = self.styles.get(key)
        if known is None:
            known = self.styles[key] = (f"sitmap-style-{len(self.styles) + 1}", json.dumps(colours, sort_keys=True))
        return "#" + known[0], known[1]

    def put(self, doc: ET.Element, at: int) -> None:
        """The shared styles and the schema into the document at ``at`` (KML's order: a document's
        styles after its description, its schemas after its ExtendedData, before its features)."""
        styles = [_style_element(ET.Element("x"), dict(key), sid) for key, (sid, _) in self.styles.items()]
        doc[at:at] = styles
        if self.fields:
            schema = ET.Element(f"{{{KML_NS}}}Schema", {"name": "SitMap", "id": SCHEMA_ID})
            for name, display in self.fields.items():
                _sub(_sub(schema, "SimpleField", name=name, type="string"), "displayName", display)
            data = at + len(styles) + (1 if at + len(styles) < len(doc) and
                                       doc[at + len(styles)].tag == f"{{{KML_NS}}}ExtendedData" else 0)
            doc.insert(data, schema)

    def extended(self, data: list[tuple[str, str, str]], level: int) -> str:
        """The placemark's fields as SchemaData of the shared schema: its ExtendedData, written at ``level``."""
        fields, openings, leaves = self.fields, self._openings, []
        for key, display, value in data:  # (SitMap's own names; 100,000 placemarks: a million fields)
            if key not in fields:
                fields[key] = display
            opening = openings.get(key)
            if opening is None:
                opening = openings[key] = f'SimpleData name="{_escape_attrib(key)}"'
            leaves.append(_leaf("SimpleData", value, opening))
        schema_data = _branch("SchemaData", leaves, level + 1, f'SchemaData schemaUrl="#{SCHEMA_ID}"')
        return _branch("ExtendedData", [schema_data], level)


def _extended(parent: ET.Element, data: list[tuple[str, str, str]]) -> None:
    ext = _sub(parent, "ExtendedData")
    for key, display, value in data:
        d = _sub(ext, "Data", name=key)
        _sub(d, "displayName", display)
        _sub(d, "value", value)


def _carried(doc: ET.Element, scenario: Scenario) -> None:
    """The map's own fields and its facts as the document's ExtendedData (JSON, as SitMap's file
    writes them: read back by SitMap; Google Earth keeps them)."""
    from viewer.model.io.carried import FACTS_MEMBER, MAP_MEMBER, carried_facts, carried_fields

    data = []
    fields = carried_fields(scenario)
    if fields:
        data.append((MAP_MEMBER, "SitMap map fields", _json_text(fields)))
    if scenario.facts:
        data.append((f"sitmap_{FACTS_MEMBER}", "SitMap facts", _json_text(carried_facts(scenario))))
    if data:
        _extended(doc, data)


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _time_text(times: list, level: int) -> str | None:
    """When the feature happened, for Google Earth's time slider, written at ``level``: one time as a
    TimeStamp, several (a salvo, facts at different times) as the TimeSpan from the first to the
    last; None without a time."""
    if not times:
        return None
    first, last = min(times), max(times)
    iso = "%Y-%m-%dT%H:%M:%SZ"
    if first == last:
        return _branch("TimeStamp", [_leaf("when", first.strftime(iso))], level)
    return _branch("TimeSpan", [_leaf("begin", first.strftime(iso)), _leaf("end", last.strftime(iso))], level)


def _placemark(parent: ET.Element, f: Feature, shared: _Shared, level: int, times: list | None = None,
               facts: list[str] = ()) -> None:
    """The feature's placemark (and its uncertainty's), written at ``level`` into ``parent``."""
    from viewer.model.geometry import shape_of

    p = f.properties
    shape = shape_of(f)  # the geometry the screen and the briefing draw
    inner = level + 1
    kids = [_leaf("name", f.name),
            _leaf("description", _description_html(str(p.get("notes", "") or ""), f.source, f.status, facts))]
    when = _time_text(times or [], inner)  # KML's order: after the description, before the style
    if when is not None:
        kids.append(when)
    colours = _kml_style_values(f)
    url, colours_said = shared.look(colours)
    kids.append(_leaf("styleUrl", url))
    data: list[tuple[str, str, str]] = [
        ("sitmap_id", "SitMap id", f.id),
        ("sitmap_kind", "SitMap kind", f.kind),
        ("sitmap_status", "Status", f.status),
        ("sitmap_source", "Source", f.source),
        # (whether its <name> is its own: one without a name is shown under its id, which is no name)
        ("sitmap_named", "Named", "true" if str(p.get("name", "") or "") else "false"),
        # (false: one of the map's own features, which goes back to its built-in group when opened)
        ("sitmap_annotation", "Annotation", "true" if p.get("annotation") else "false"),
    ]
    if f.kind == "range_ring":
        lat, lon = f.latlon()
        data += [("sitmap_radius_m", "Radius (m)", repr(float(p["radius_m"]))),
                 ("sitmap_centre_lat", "Centre latitude", repr(lat)),
                 ("sitmap_centre_lon", "Centre longitude", repr(lon))]
    elif f.kind in ("path", "area"):
        coords = f.geometry["coordinates"] if f.kind == "path" else f.geometry["coordinates"][0]
        data.append(("sitmap_vertices", "Vertices (lon,lat)", " ".join(f"{c[0]!r},{c[1]!r}" for c in coords)))
        if f.kind == "area" and len(f.geometry["coordinates"]) > 1:  # an area's holes: their corners, ring by ring
            data.append(("sitmap_holes", "Holes (lon,lat; a ring each)", "; ".join(
                " ".join(f"{c[0]!r},{c[1]!r}" for c in ring) for ring in f.geometry["coordinates"][1:])))
    extra = {k: v for k, v in p.items() if k not in OWN_FIELDS and k != "layer"}  # (its layer: its Folder)
    if extra:
        data.append(("sitmap_properties", "SitMap properties", _properties_text(extra)))
    data.append(("sitmap_colors", "KML colours", colours_said))
    kids.append(shared.extended(data, inner))
    kids.append(_geometry_text(shape.geojson, inner))
    _written(parent, _branch("Placemark", kids, level))
    if shape.uncertainty_geojson is not None:
        # The launch point's uncertainty, drawn as on screen; read back as part of the point.
        from viewer.model.style import style_of

        colour = style_of(f).color
        name = _leaf("name", f"{f.name}: uncertainty")
        url = _leaf("styleUrl", shared.look(
            {"line": _kml_colour(colour, 1.0), "width": "1.2", "poly": _kml_colour(colour, 0.1)})[0])
        fields = shared.extended([("sitmap_kind", "SitMap kind", "uncertainty"), ("sitmap_of", "Uncertainty of", f.id),
                                  ("sitmap_radius_m", "Radius (m)", repr(float(p["uncertainty_m"])))], inner)
        _written(parent, _branch("Placemark", [name, url, fields, _geometry_text(shape.uncertainty_geojson, inner)],
                                 level))


def _properties_text(extra: dict[str, Any]) -> str:
    """A placemark's other properties as JSON text: the same few on most of a large map's placemarks
    (``{"role": "marker"}``), each written once where its values are words (text, true, false, null)."""
    key = tuple(extra.items())
    if all(type(v) in _WORDS for _k, v in key):
        known = _PROPERTIES_TEXT.get(key)
        if known is None:
            known = _PROPERTIES_TEXT.keep(key, json.dumps(extra, ensure_ascii=False, sort_keys=True))
        return known
    return json.dumps(extra, ensure_ascii=False, sort_keys=True)


_WORDS = frozenset((str, bool, type(None)))  # (a number's text is left to json: -0.0 equals 0.0 as a key)
_PROPERTIES_TEXT: Memo = Memo()


def export_kml(scenario: Scenario) -> bytes:
    """A KML 2.2 document (UTF-8): one Placemark per feature, in scenario order."""
    from viewer.model.bulk import collector_paused
    from viewer.model.geometry import prepare_many
    from viewer.model.io.carried import every_layer_listed

    with collector_paused():  # 100,000 features: millions of elements (the collector doubled the time)
        prepare_many(scenario.features)  # (each placemark carries its drawn shape)
        return _export_kml(every_layer_listed(scenario))


def _export_kml(scenario: Scenario) -> bytes:
    ET.register_namespace("", KML_NS)
    root = ET.Element(f"{{{KML_NS}}}kml")
    doc = _sub(root, "Document")
    _sub(doc, "name", scenario.title)
    if scenario.subtitle:
        _sub(doc, "description", html.escape(scenario.subtitle, quote=False))
    head = len(doc)  # (where the shared styles go)
    _carried(doc, scenario)
    shared = _Shared()
    from viewer.model.history import feature_times
    from viewer.model.style import assign_colours

    times = feature_times(scenario)  # the features' own time_utc and their facts' times
    # The map's own layers as Folders (as Google Earth and My Maps keep layers), in the map's
    # layer order, each with its features in map order; the other features after them.
    folders: dict[str, ET.Element] = {}
    for x in scenario.layers:
        lid = x.get("id")
        if isinstance(lid, str) and lid not in folders:
            folders[lid] = ET.Element(f"{{{KML_NS}}}Folder")
            _sub(folders[lid], "name", str(x.get("label") or lid))
            if x.get("visible") is False:
                _sub(folders[lid], "visibility", "0")
    facts: dict[str, list[str]] = {}  # each feature's facts, as its balloon lists them
    for fact in scenario.facts:
        if fact.feature:
            facts.setdefault(fact.feature, []).append(
                fact_line(fact.label, scenario.fact_display_value(fact), fact.source, fact.status))
    rest, used = [], set()
    for f in assign_colours(list(scenario.features)):
        lid = f.properties.get("layer")
        if lid in folders:
            _placemark(folders[lid], f, shared, 3, times.get(f.id), facts.get(f.id, ()))  # (kml, Document, Folder)
            used.add(lid)
        else:
            rest.append(f)
    doc.extend(folder for lid, folder in folders.items() if lid in used)
    for f in rest:
        _placemark(doc, f, shared, 2, times.get(f.id), facts.get(f.id, ()))
    shared.put(doc, head)
    return _DECLARATION + indented_xml(root).encode("utf-8") + b"\n"


_DECLARATION = b"<?xml version='1.0' encoding='utf-8'?>\n"  # (as ElementTree writes it for UTF-8)


def indented_xml(root: ET.Element) -> str:
    """What ``ET.indent(root, " ")`` then ``ET.tostring(root, encoding="unicode")`` make of a
    KML tree (every tag in the KML namespace, plain attributes, no comments), the tree left as it
    is: written in one pass (ElementTree's writer looks at every element twice more, and 100,000
    placemarks are millions of elements: most of an export's time). A placemark written as text
    already (a :data:`_WRITTEN` element, :func:`_placemark`) is put as it is."""
    parts: list[str] = []
    put = parts.append
    indents = ["\n"]
    cut = len(KML_NS) + 2  # "{" + namespace + "}"
    opened: dict[tuple, str] = {}  # a leaf's opening tag with its attributes

    def write(elem: ET.Element, level: int, tail: str | None) -> None:
        tag = elem.tag[cut:]
        put("<" + tag)
        if level == 0:
            put(f' xmlns="{_escape_attrib(KML_NS)}"')
        for k, v in elem.items():
            put(f' {k}="{_escape_attrib(v)}"')
        text = elem.text
        n = len(elem)
        if n:
            if len(indents) <= level + 1:
                indents.append(indents[level] + _SPACE)
            inner = indents[level + 1]
            put(">" + _escape_text(text) if text and text.strip() else ">" + inner)
            last = n - 1
            for i, child in enumerate(elem):
                own = child.tail  # (the indentation needs no escaping, a tail of its own does)
                after = _escape_text(own) if own and own.strip() else (inner if i < last else indents[level])
                if child.tag == _WRITTEN:  # (a placemark written as text already, at this level)
                    put(child.text + after)
                    continue
                if len(child):
                    write(child, level + 1, after)
                    continue
                # a leaf (most elements), at once
                items = child.items()
                if items:  # (a field's SimpleData: its name; a few dozen between a map's fields)
                    key = (child.tag, *items)
                    opening = opened.get(key)
                    if opening is None:
                        opening = child.tag[cut:] + "".join(f' {k}="{_escape_attrib(v)}"' for k, v in items)
                        if len(opened) < 4096:
                            opened[key] = opening
                else:
                    opening = child.tag[cut:]
                put(_leaf_as_set(child.tag[cut:], child.text, opening) + after)
            put("</" + tag + ">")
        elif text:
            put(">" + _escape_text(text) + "</" + tag + ">")
        else:
            put(" />")
        if tail:
            put(tail)

    write(root, 0, _escape_text(root.tail) if root.tail else None)
    return "".join(parts)


# What ElementTree escapes in text, and in an attribute's value besides
_TEXT_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_ATTRIB_ESCAPES = _TEXT_ESCAPES + (('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"))


def _escaped(text: str, escapes: tuple[tuple[str, str], ...]) -> str:
    for c, entity in escapes:
        if c in text:
            text = text.replace(c, entity)
    return text


def _escape_text(text: str) -> str:
    return _escaped(text, _TEXT_ESCAPES)


def _escape_attrib(text: str) -> str:
    return _escaped(text, _ATTRIB_ESCAPES)


def export_kmz(scenario: Scenario) -> bytes:
    """A KMZ: a zip archive holding ``doc.kml``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("doc.kml", export_kml(scenario))
    return buf.getvalue()
