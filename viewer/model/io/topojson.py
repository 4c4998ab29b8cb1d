"""TopoJSON (mapshaper, topojson-server, D3's atlases): a Topology's objects opened as a map. Each
object is a feature, or, a GeometryCollection, a feature of each of its geometries (as
topojson-client's ``feature`` makes them); the lines and rings are their arcs joined (a negative
index ~i is arc i reversed; each arc after the first begins where the one before ended), with the
quantized, delta-encoded positions of a topology with a ``transform`` made longitude and latitude
again. A topology of several objects opens each as a layer. The features go through the GeoJSON
reader (viewer.model.io.geojson_any); a feature whose arcs cannot be read is left out and said.
Format: https://github.com/topojson/topojson-specification."""

from __future__ import annotations

import math
from typing import Any

from viewer.model.io import report as why
from viewer.model.io.common import Fail, Reading, short
from viewer.model.io.geojson_any import read_geojson_map


class _Unreadable(ValueError):
    pass


class _Projected(Exception):
    """A point beyond longitude and latitude: the topology is projected (refused whole)."""


def is_topology(doc: Any) -> bool:
    return isinstance(doc, dict) and doc.get("type") == "Topology"


def read_topology(doc: dict, source_name: str, report) -> Reading:
    """The topology's features as a map (see the module's note)."""
    fail = Fail(source_name)
    objects = doc.get("objects")
    if not isinstance(objects, dict):
        fail("objects", "a TopoJSON topology's objects must be an object of named geometries")
    t = _transform(doc, fail)
    arcs = _arcs(doc, t, fail)
    features: list[dict] = []
    labels: list[str] = []
    layers: list[str] = []
    for name, obj in objects.items():
        where = f"objects.{short(str(name), 60)}"
        parts = [(where, obj)]
        if isinstance(obj, dict) and obj.get("type") == "GeometryCollection":  # (each geometry a feature)
            geometries = obj.get("geometries")
            if not isinstance(geometries, list):
                report.left_out(why.INVALID, f"{where} (a GeometryCollection without its geometries)")
                continue
            parts = [(f"{where}.geometries[{i}]", g) for i, g in enumerate(geometries)]
        for label, g in parts:
            try:
                feature = _feature(g, arcs, t)
            except _Unreadable as e:
                report.left_out(why.INVALID, f"{label} ({e})")
                continue
            except _Projected:
                _projected(fail)
            features.append(feature)
            labels.append(label)
            layers.append(str(name))
    collection = {"type": "FeatureCollection", "features": features}
    return read_geojson_map(collection, source_name, report, names=labels,
                            layer_names=layers if len(objects) > 1 else None)


def _transform(doc: dict, fail: Fail) -> tuple[float, float, float, float] | None:
    t = doc.get("transform")
    if t is None:
        return None
    scale, translate = (t.get("scale"), t.get("translate")) if isinstance(t, dict) else (None, None)
    if not all(isinstance(v, list) and len(v) == 2 and all(_number(x) for x in v) for v in (scale, translate)):
        fail("transform", "a TopoJSON transform has a scale and a translate of two numbers each")
    return float(scale[0]), float(scale[1]), float(translate[0]), float(translate[1])


def _number(x: Any) -> bool:
    if not isinstance(x, (int, float)) or isinstance(x, bool):
        return False
    try:
        return math.isfinite(x)
    except OverflowError:  # (an integer too large for a float)
        return False


def _arcs(doc: dict, t, fail: Fail) -> list[list[list[float]] | None]:
    """Each arc's positions as longitude and latitude (None: an arc that cannot be read)."""
    raw = doc.get("arcs")
    if not isinstance(raw, list):
        fail("arcs", "a TopoJSON topology's arcs must be a list")
    out: list[list[list[float]] | None] = []
    for arc in raw:
        if not isinstance(arc, list) or not all(isinstance(p, list) and len(p) >= 2 and _number(p[0])
                                                and _number(p[1]) for p in arc):
            out.append(None)
            continue
        if t is None:
            out.append([[float(p[0]), float(p[1])] for p in arc])
            continue
        sx, sy, tx, ty = t
        x = y = 0
        line = []
        try:
            for p in arc:  # (delta-encoded: each position from the one before)
                x += p[0]
                y += p[1]
                line.append([x * sx + tx, y * sy + ty])
        except OverflowError:  # (deltas that add up beyond any number: no position)
            line = None
        out.append(line if line is not None and all(math.isfinite(a) and math.isfinite(b) for a, b in line) else None)
    for line in out:
        if line is not None and any(not (-180.0 - _SLACK <= x <= 180.0 + _SLACK and -90.0 - _SLACK <= y <= 90.0 + _SLACK)
                                    for x, y in line):
            _projected(fail)
    return out


_SLACK = 1e-6  # degrees: a quantized position's rounding past the edge of the world


def _projected(fail: Fail) -> None:
    fail("", "its positions are not longitude and latitude (a projected topology, as D3's Albers "
             "atlases are): SitMap opens TopoJSON in longitude/latitude (WGS84)")


def _feature(g: Any, arcs: list, t) -> dict:
    if not isinstance(g, dict):
        raise _Unreadable("not a TopoJSON geometry object")
    feature: dict[str, Any] = {"type": "Feature", "geometry": _geometry(g, arcs, t, 0),
                               "properties": g.get("properties") if isinstance(g.get("properties"), dict) else {}}
    if "id" in g:
        feature["id"] = g["id"]
    return feature


def _geometry(g: Any, arcs: list, t, depth: int) -> dict | None:
    if not isinstance(g, dict):
        raise _Unreadable("not a TopoJSON geometry object")
    kind = g.get("type")
    if kind is None:  # (a geometry of no type: a feature without a place, as GeoJSON's null)
        return None
    if kind == "GeometryCollection":
        if depth > 16:
            raise _Unreadable("geometry collections nested too deep")
        geometries = g.get("geometries")
        if not isinstance(geometries, list):
            raise _Unreadable("a GeometryCollection without its geometries")
        return {"type": "GeometryCollection",
                "geometries": [x for x in (_geometry(c, arcs, t, depth + 1) for c in geometries) if x is not None]}
    if kind in ("Point", "MultiPoint"):
        c = g.get("coordinates")
        return {"type": kind, "coordinates": _position(c, t) if kind == "Point" else
                [_position(p, t) for p in (c if isinstance(c, list) else _bad("its coordinates are not a list"))]}
    a = g.get("arcs")
    if kind == "LineString":
        return {"type": kind, "coordinates": _line(a, arcs)}
    if kind == "MultiLineString" or kind == "Polygon":
        return {"type": kind, "coordinates": [_line(x, arcs) for x in _list(a)]}
    if kind == "MultiPolygon":
        return {"type": kind, "coordinates": [[_line(r, arcs) for r in _list(p)] for p in _list(a)]}
    raise _Unreadable(f"geometry type {short(str(kind))!r} is not TopoJSON's")


def _list(v: Any) -> list:
    return v if isinstance(v, list) else _bad("its arcs are not a list")


def _bad(why_not: str):
    raise _Unreadable(why_not)


def _position(p: Any, t) -> list[float]:
    if not (isinstance(p, list) and len(p) >= 2 and _number(p[0]) and _number(p[1])):
        raise _Unreadable("a position that is not two numbers")
    x, y = (float(p[0]), float(p[1])) if t is None else (p[0] * t[0] + t[2], p[1] * t[1] + t[3])
    if not (-180.0 - _SLACK <= x <= 180.0 + _SLACK and -90.0 - _SLACK <= y <= 90.0 + _SLACK):
        raise _Projected()
    return [x, y]


def _line(indices: Any, arcs: list) -> list[list[float]]:
    """The arcs named joined into one line (a ring's last position is its first)."""
    out: list[list[float]] = []
    for i in _list(indices):
        if not isinstance(i, int) or isinstance(i, bool) or not -len(arcs) <= i < len(arcs):
            raise _Unreadable(f"arc {short(str(i))} is not one of the topology's {len(arcs):,}")
        arc = arcs[~i] if i < 0 else arcs[i]
        if arc is None:
            raise _Unreadable(f"arc {~i if i < 0 else i} cannot be read")
        points = arc[::-1] if i < 0 else arc
        out.extend(points[1:] if out else points)
    return out
