"""What the readers of GIS formats share (GeoPackage, shapefiles): their layers' geometries, read
with shapely, converted to longitude/latitude where the layer says another coordinate system, and
handed to the GeoJSON reader as one collection, so a table or shapefile opens with the same rules
as GeoJSON from any tool (names, attributes, parts, the antimeridian, what is left out and why).
With more than one layer each becomes a user layer of the map."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from viewer.model import numeric
from viewer.model.io import report as why
from viewer.model.io.common import LONLAT_SLACK_DEG, Fail, Reading, short
from viewer.model.io.to_lonlat import Conversion, UnknownSystem, conversion_for
from viewer.model.rules import MAX_FEATURES, MAX_VERTICES
from viewer.model.io.wkb_depth import wkb_nests_deeper
from viewer.model.json_read import MAX_NESTING


UNDEFINED = "undefined"


class Unsaid(str):
    """A layer's system, not said, and why (its text: "its system ... is not listed in the file");
    read as :data:`UNDEFINED` is."""


@dataclass
class Layer:
    """One table or shapefile: its rows' geometries (WKB bytes, a shapely geometry, a GeoJSON-like
    mapping; None: no geometry; an exception: why it could not be read), attributes and labels
    ("table 'roads' row 5")."""

    name: str
    system: str | int | None  # None: longitude/latitude (WGS84) as far as the file says; UNDEFINED: not said
    geometries: list[Any] = field(default_factory=list)
    attributes: list[dict] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    ids: list[Any] = field(default_factory=list)
    is_layer: bool = True  # False: a table SitMap wrote for a kind of geometry, not a layer of the map


def read_layers(layers: list[Layer], source_name: str, report, members: dict | None = None) -> Reading:
    """Every layer's features as one map (each layer a user layer of it when there are several),
    through the GeoJSON reader; ``members``: the collection's own (its name, foreign members)."""
    from viewer.model.io.geojson_any import read_geojson_map

    import orjson

    numeric.load()
    import shapely

    fail = Fail(source_name)
    features: list[dict] = []
    names: list[str] = []
    layer_names: list[str] = []
    straight: list[bool] = []  # each feature's edges straight in longitude/latitude (not in a projection)
    vertices = 0
    many = len([x for x in layers if x.geometries]) > 1
    for layer in layers:
        conversion, unknown = _conversion(layer)
        if conversion is not None:
            report.note(f"Coordinates converted from {conversion.name} to longitude/latitude")
        geoms = _shapes(layer, report)
        keep = [i for i, g in enumerate(geoms) if g is not None]
        arr = numeric_array([geoms[i] for i in keep])
        if unknown is not None:
            if len(arr) and not _within_lonlat(arr):
                for i in keep:
                    report.left_out(why.SYSTEM, f"{layer.labels[i]} ({unknown})")
                continue
            report.note(f"Layer {short(layer.name)!r}: {unknown}; read as longitude/latitude, the range all its "
                        "positions lie in")
        if conversion is not None and len(arr):
            arr, ok = conversion.geometries(arr)
            for k in [k for k, good in enumerate(ok) if not good]:
                report.left_out(why.OUTSIDE, layer.labels[keep[k]])
            keep, arr = [i for i, good in zip(keep, ok) if good], arr[ok]
        vertices += int(shapely.get_num_coordinates(arr).sum()) if len(arr) else 0
        if vertices > MAX_VERTICES:
            fail(layer.name, f"more than {MAX_VERTICES:,} vertices")
        for i, text in zip(keep, _geojson_texts(arr, [layer.labels[i] for i in keep], report)):
            if text is None:
                continue
            try:
                geometry = orjson.loads(text)
            except orjson.JSONDecodeError:  # (nested past orjson's depth: as GEOS wrote it)
                report.left_out(why.INVALID, f"{layer.labels[i]} ({why.TOO_DEEP})")
                continue
            f = {"type": "Feature", "geometry": geometry, "properties": layer.attributes[i]}
            if layer.ids and layer.ids[i] is not None:
                f["id"] = layer.ids[i]
            features.append(f)
            names.append(layer.labels[i])
            layer_names.append(layer.name if layer.is_layer else "")
            straight.append(conversion is None or conversion.geographic)
            if len(features) > MAX_FEATURES:
                fail("", f"more than {MAX_FEATURES:,} features")
    doc = {**(members or {}), "type": "FeatureCollection", "features": features}
    return read_geojson_map(doc, source_name, report, names=names, layer_names=layer_names if many else None,
                            straight=straight)


def read_projected_geojson(doc: dict, system: str, source_name: str, report) -> Reading:
    """A GeoJSON whose ``crs`` member names another coordinate system (QGIS's and GDAL's exports of
    a projected layer), converted to longitude/latitude; the converted map no longer names it."""
    from viewer.model.io.common import label
    from viewer.model.io.geojson_any import name_of

    kind = doc.get("type")
    items = doc.get("features") if kind == "FeatureCollection" else [doc] if kind == "Feature" else \
        [{"type": "Feature", "geometry": doc, "properties": {}}]
    if not isinstance(items, list):
        Fail(source_name)("features", "must be a list")
    layer = Layer(name=source_name, system=system)
    for i, f in enumerate(items):
        f = f if isinstance(f, dict) else {}
        props = f.get("properties") if isinstance(f.get("properties"), dict) else {}
        name = name_of(props)
        layer.labels.append(label(f"features[{i}]" if kind == "FeatureCollection" else "feature", name))
        layer.attributes.append(props)
        layer.ids.append(f.get("id"))
        geometry = f.get("geometry")
        layer.geometries.append(geometry if isinstance(geometry, dict) or geometry is None
                                else ValueError("its geometry is not an object"))
    members = {k: v for k, v in doc.items() if k not in ("type", "features", "crs", "geometry", "properties", "id")}
    return read_layers([layer], source_name, report, members=members if kind == "FeatureCollection" else None)


def _geojson_texts(arr, labels: list[str], report) -> list:
    """Each geometry as GeoJSON text; None for one GeoJSON has no words for (a curve inside a
    collection), left out and said."""
    numeric.load()
    import numpy as np
    import shapely

    with np.errstate(invalid="ignore"):  # (a NaN position: written as null, which the reader says)
        try:
            texts = list(shapely.to_geojson(arr)) if len(arr) else []
        except Exception:  # noqa: BLE001 - one geometry refused: each written alone to find it
            texts = []
            for g in arr:
                try:
                    texts.append(shapely.to_geojson(g))
                except Exception:  # noqa: BLE001
                    texts.append(None)
    for k, text in enumerate(texts):
        if text is None:
            report.left_out(why.INVALID, f"{labels[k]} (curved or unreadable geometry)")
    return texts


def numeric_array(items: list):
    numeric.load()
    import numpy as np

    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _conversion(layer: Layer) -> tuple[Conversion | None, str | None]:
    """The layer's conversion to longitude/latitude (None: none needed), or why there is none
    (its system not given, or not one PROJ reads)."""
    if layer.system is None:
        return None, None
    if isinstance(layer.system, Unsaid):
        return None, str(layer.system)
    if layer.system == UNDEFINED:
        return None, "no coordinate system given"
    try:
        return conversion_for(layer.system), None
    except UnknownSystem as e:
        return None, f"a coordinate system SitMap cannot read: {short(str(e), 80)}"


def _within_lonlat(arr) -> bool:
    """Whether a layer that does not say its system lies in longitude/latitude's range (to the
    rounding of its edges)."""
    numeric.load()
    import shapely

    xmin, ymin, xmax, ymax = shapely.total_bounds(arr)
    e = LONLAT_SLACK_DEG
    return -180.0 - e <= xmin and xmax <= 180.0 + e and -90.0 - e <= ymin and ymax <= 90.0 + e


def _shapes(layer: Layer, report) -> list:
    """Each row's geometry as shapely (None: left out, and said why)."""
    numeric.load()
    import shapely
    from shapely.errors import GEOSException

    # WKB read all at once (a row GEOS cannot read is read again alone below, to say why); one whose
    # collections nest too deep for GEOS (which reads them by recursion) is not given to it at all
    wkb = [i for i, g in enumerate(layer.geometries) if isinstance(g, (bytes, bytearray, memoryview))]
    deep = {i for i in wkb if len(layer.geometries[i]) > 9 * MAX_NESTING
            and wkb_nests_deeper(layer.geometries[i], MAX_NESTING)}  # (9 bytes a level, at the least)
    wkb = [i for i in wkb if i not in deep] if deep else wkb
    read: dict[int, Any] = {}
    if wkb:
        try:
            read = dict(zip(wkb, shapely.from_wkb(numeric_array([bytes(layer.geometries[i]) for i in wkb]),
                                                  on_invalid="ignore")))
        except (GEOSException, ValueError, TypeError, NotImplementedError):
            read = {}
    out: list = []
    for n, (g, where) in enumerate(zip(layer.geometries, layer.labels)):
        if n in deep:
            report.left_out(why.INVALID, f"{where} ({why.TOO_DEEP})")
            out.append(None)
            continue
        if read.get(n) is not None:
            g = read[n]
        if g is None:
            report.left_out(why.NO_GEOMETRY, where)
            out.append(None)
            continue
        if isinstance(g, Exception):  # (the reader could not take it out of the file)
            report.left_out(why.INVALID, f"{where} ({g})")
            out.append(None)
            continue
        try:
            shape = shapely.from_wkb(g) if isinstance(g, (bytes, bytearray, memoryview)) else \
                shapely.geometry.shape(g) if isinstance(g, dict) else g
        except Exception as e:  # noqa: BLE001 - GEOS and shapely refuse a damaged geometry in many ways
            text = str(e).splitlines()[0] if str(e) else type(e).__name__
            reason = "curved geometry (not supported)" if "onlinear" in text or "urve" in text else text[:80]
            report.left_out(why.INVALID, f"{where} ({reason})")
            out.append(None)
            continue
        if shape is None or shape.is_empty:
            report.left_out(why.EMPTY, where)
            out.append(None)
            continue
        out.append(shape)
    return out
