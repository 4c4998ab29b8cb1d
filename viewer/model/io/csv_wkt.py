"""A CSV whose geometry is a column of WKT (QGIS's "Save as CSV" with its geometry as WKT, GDAL's
``GEOMETRY=AS_WKT``) or of GeoJSON geometries (CouchDB's and Mapnik's): each row's shape read by
shapely or as JSON, opened as GeoJSON opens, the row's other cells its properties. Only where the
sheet has no latitude and longitude columns."""

from __future__ import annotations

import re
from typing import Any, Iterator

from viewer.model.io.common import MAX_TEXT_CHARS, Fail, Reading, check_text, json_text, label, short
from viewer.model.io.csv_rows import data_rows
from viewer.model.io.report import OpenReport
from viewer.model.json_read import MAX_NESTING, nests_deeper
from viewer.model.scenario import MAX_FILE_BYTES

WKT_HEADERS = ("wkt", "geometry", "geom", "thegeom", "wktgeometry", "geometrywkt", "shape", "wkt_geom", "geojson")
_WKT_START = re.compile(r"\s*(?:SRID=\d+;\s*)?(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|"
                        r"GEOMETRYCOLLECTION|CIRCULARSTRING|COMPOUNDCURVE|CURVEPOLYGON|MULTICURVE|MULTISURFACE|"
                        r"TRIANGLE|TIN|POLYHEDRALSURFACE)\b", re.IGNORECASE)
_CURVED = ("CIRCULARSTRING", "COMPOUNDCURVE", "CURVEPOLYGON", "MULTICURVE", "MULTISURFACE")


def wkt_column(normal_headers: list[str]) -> int | None:
    """The column of WKT geometries, by its header (as csv_points normalises headers), or None."""
    for name in WKT_HEADERS:
        if name in normal_headers:
            return normal_headers.index(name)
    return None


def read_wkt_rows(header: list[str], rows: Iterator[list[str]], header_no: int, column: int, source_name: str,
                  report: OpenReport) -> Reading:
    """The rows after the header as GeoJSON features (a row whose WKT cannot be read is left out,
    said), opened as :func:`viewer.model.io.geojson_any.read_geojson_map` opens a collection."""
    from viewer.model.io import report as why
    from viewer.model.io.geojson_any import read_geojson_map
    from viewer.model import numeric

    numeric.load()
    import shapely

    fail = Fail(source_name)
    features: list[dict[str, Any]] = []
    names: list[str] = []
    for row_no, row in data_rows(rows, header_no, fail, lambda: len(features)):
        for i, c in enumerate(row):  # (the shape's text is read, not kept: a country's outline is long)
            check_text(fail, c, f"row {row_no}, column {i + 1}", MAX_FILE_BYTES if i == column else MAX_TEXT_CHARS)
        props = {h.strip()[:100]: row[i] for i, h in enumerate(header[:200])
                 if i != column and h.strip() and i < len(row) and row[i].strip()}
        where = label(f"row {row_no}", next((props[k] for k in ("name", "Name", "NAME") if k in props), None))
        text = row[column].strip() if column < len(row) else ""
        if text.startswith("{"):  # (a GeoJSON geometry: checked as the GeoJSON reader checks one)
            geometry = json_text(text)
            if isinstance(geometry, dict) and nests_deeper(geometry):
                report.left_out(why.INVALID, f"{where}: {why.TOO_DEEP}")
            elif isinstance(geometry, dict) and isinstance(geometry.get("type"), str):
                features.append({"type": "Feature", "geometry": geometry, "properties": props})
                names.append(where)
            else:
                report.left_out(why.INVALID, f"{where}: {short(text, 30)!r} is not a GeoJSON geometry")
            continue
        kind = _WKT_START.match(text)
        if kind is None:
            report.left_out(why.NO_GEOMETRY if not text else why.INVALID,
                            f"{where}: " + ("no geometry" if not text else f"{short(text, 30)!r} is not WKT"))
            continue
        if kind.group(1).upper() in _CURVED:
            report.left_out(why.INVALID, f"{where}: curved geometries ({kind.group(1).upper()}) are not supported")
            continue
        if _wkt_nests_deeper(text, MAX_NESTING):  # (GEOS reads nesting by recursion: 100,000 levels crash it)
            report.left_out(why.INVALID, f"{where}: {why.TOO_DEEP}")
            continue
        try:
            geometry = _mapping(shapely.from_wkt(re.sub(r"^\s*SRID=\d+;", "", text)))
        except (shapely.errors.GEOSException, ValueError, TypeError) as e:
            report.left_out(why.INVALID, f"{where}: not readable WKT ({short(str(e), 60)})")
            continue
        features.append({"type": "Feature", "geometry": _lists(geometry), "properties": props})
        names.append(where)
    return read_geojson_map({"type": "FeatureCollection", "features": features}, source_name, report, names=names)


_NOT_PARENTHESES = re.compile(r"[^()]+")


def _wkt_nests_deeper(text: str, limit: int) -> bool:
    """Whether a WKT text's parentheses nest more than ``limit`` deep (numpy counts them)."""
    from viewer.model import numeric

    numeric.load()
    import numpy as np

    parentheses = _NOT_PARENTHESES.sub("", text)
    if parentheses.count("(") <= limit:
        return False
    steps = np.where(np.frombuffer(parentheses.encode("ascii"), dtype=np.uint8) == 40, 1, -1)
    return numeric.deepest(steps) > limit


def _mapping(g: Any) -> dict:
    """shapely's mapping of a geometry, a multipoint's empty points left out (its own mapping
    raises IndexError on one: ``MULTIPOINT ((1 2), EMPTY)``); nothing else differs."""
    if g.geom_type == "MultiPoint":
        return {"type": "MultiPoint", "coordinates": [p.coords[0] for p in g.geoms if not p.is_empty]}
    if g.geom_type == "GeometryCollection":
        return {"type": "GeometryCollection", "geometries": [_mapping(p) for p in g.geoms]}
    return g.__geo_interface__  # (what shapely.geometry.mapping gives)


def _lists(value: Any) -> Any:
    """shapely's mapping (tuples) as GeoJSON's lists."""
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_lists(v) for v in value]
    return value
