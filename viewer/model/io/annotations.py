"""Import into the open map: a file's features as annotations, the reader picked by name or content."""

from __future__ import annotations

import codecs
import re
from typing import Any

from viewer.model.bulk import collector_paused
from viewer.model.file_read import readable_name
from viewer.model.io.csv_points import import_csv
from viewer.model.io.geojson_any import UNREAD, geojson_doc, import_geojson
from viewer.model.io.kml import import_kml
from viewer.model.scenario import Feature


def import_annotations(data: bytes, source_name: str, carried: dict | None = None) -> list[Feature]:
    """Pick the reader by the file name's extension, else by the content. ``carried``: told how
    many facts the file carries (``carried["facts"]``), which an import leaves behind (they name the
    file's own feature ids, which an import renames), as the file is read."""
    with collector_paused():  # a large file makes millions of small objects (as when one is opened)
        return _import_annotations(data, readable_name(source_name), carried if carried is not None else {})


def _import_annotations(data: bytes, source_name: str, carried: dict) -> list[Feature]:
    from viewer.model.io.open_any import format_of

    lower = source_name.lower()
    head = bytes(data[:512]).lstrip(codecs.BOM_UTF8).lstrip()
    if lower.endswith(".gpx") or re.search(rb"<(?:\w+:)?gpx[\s>]", head):
        return _opened_features(data, source_name, carried)
    if format_of(data, source_name) in ("gpkg", "shapefile"):
        return _opened_features(data, source_name, carried)
    if lower.endswith((".kml", ".kmz")) or head.startswith((b"<", b"PK\x03\x04")) or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return import_kml(data, source_name, carried)
    if lower.endswith((".geojson", ".json", ".topojson")) or head.startswith((b"{", b"[")):
        data = bytes(data)
        if b'"crs"' not in data and b'"Topology"' not in data:
            return import_geojson(data, source_name, carried)
        # Decoded once, here: a projected layer (QGIS's or GDAL's export) and a TopoJSON are read
        # as when the file is opened; any other, as GeoJSON, from the same document.
        doc = geojson_doc(data, source_name)
        if _read_as_opened(doc):
            return import_leniently(data, source_name, carried, doc=doc)[0]
        return import_geojson(data, source_name, carried, doc=doc)
    from viewer.model.io.open_any import refuse_other_format

    refuse_other_format(data, source_name)  # (a FlatGeobuf, an image...: said by name, not read as a CSV)
    return import_csv(data, source_name)


def _read_as_opened(doc) -> bool:
    """Whether a decoded GeoJSON names a coordinate system other than longitude/latitude
    (converted, then) or is a TopoJSON topology (viewer.model.io.topojson)."""
    from viewer.model.io.geojson_any import foreign_system
    from viewer.model.io.topojson import is_topology

    return isinstance(doc, dict) and (foreign_system(doc.get("crs")) is not None or is_topology(doc))


def _opened_features(data: bytes, source_name: str, carried: dict) -> list[Feature]:
    """A GPX's, GeoPackage's, shapefile's, TopoJSON's or projected GeoJSON's features, read as when the file is
    opened as a map; its layers are the file's own, so its features join the map without them."""
    return import_leniently(data, source_name, carried)[0]


def import_leniently(data: bytes, source_name: str, carried: dict | None = None, doc: Any = UNREAD):
    """Any file's features as when it is opened as a map (what cannot be shown left out), and the
    report that says what was; its layers are the file's own, so its features join the map without
    them. (:func:`import_annotations` refuses a KML, GeoJSON or CSV with one bad element: the
    window imports the rest this way, saying what was left out.) ``carried``: as
    :func:`import_annotations` tells it. ``doc``: a GeoJSON file's document, decoded already."""
    import dataclasses

    from viewer.model.io.open_any import open_map_bytes

    scenario, report = open_map_bytes(bytes(data), source_name, doc)
    if carried is not None:
        carried["facts"] = len(scenario.facts)
    if scenario.facts:  # (a fact names the file's own feature ids, which an import renames)
        report.note(f"The file's {len(scenario.facts)} facts were not imported (File > Open opens the file "
                    "with its facts)")
    return [dataclasses.replace(f, properties={k: v for k, v in f.properties.items() if k != "layer"})
            if "layer" in f.properties else f for f in scenario.features], report
