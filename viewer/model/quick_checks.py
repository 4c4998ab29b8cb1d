"""The quick checks of a large map's commonest features, as a file is read: a plain point
(:func:`plain_place`) and a plain line or area (:func:`plain_shape`). Each gives what
:func:`viewer.model.rules.check_feature` gives for such a feature, checked at once, or None for
anything else (and anything the full check would refuse), which then takes the full checks; the
property tests (tests/model/test_plain_place.py, test_plain_shape.py) compare the two. The checks
of a text, a position and a source are written out in them, not called: a million calls each."""

from __future__ import annotations

import sys
from typing import Any

from viewer.model.bulk import Memo
from viewer.model.rules import (
    _CANONICAL,
    _DROPPED_KEYS,
    _ID_RE,
    _PLACE_ROLE_SET,
    _STATUS_SET,
    MAX_TEXT_CHARS,
    MAX_VERTICES,
    SIMPLESTYLE_KEYS,
    TEXT_KEYS,
    Rules,
    goes_round,
    one_place,
    unwrapped_ring,
)
from viewer.model.simple_ring import valid_polygon

_PLAIN_FEATURE_KEYS = frozenset(("type", "id", "properties", "geometry"))
_SIMPLESTYLE_SET = frozenset(SIMPLESTYLE_KEYS)
_PLAIN_PLACE_KEYS = frozenset(("kind", "role", "status", "annotation", "id") + TEXT_KEYS) | _SIMPLESTYLE_SET
_SCALARS = (str, int, float, bool, type(None))  # (a value of these nests nothing)


def plain_place(r: Rules, raw: Any, ids: set[str], owned: bool = False) -> tuple[str, str, dict, dict] | None:
    """:func:`check_feature`'s result for the commonest feature of a large map, a place given as a
    plain point with a few text properties, checked at once; None for anything else (and for
    anything :func:`check_feature` would refuse), which then takes the full checks. (What its
    properties' keys ask to be checked is worked out once per set of keys: a million points have a
    handful between them. The checks of a text, a position and a source are written out here, not
    called: a million calls each.)"""
    if type(raw) is not dict or raw.get("type") != "Feature":
        return None
    props, geometry = raw.get("properties"), raw.get("geometry")
    if type(props) is not dict or type(geometry) is not dict or len(geometry) != 2 \
            or geometry.get("type") != "Point" or not _PLAIN_FEATURE_KEYS.issuperset(raw):
        return None  # (nothing else in it: its nesting is known, see scenario.parse_decoded)
    keys = tuple(props)
    shape = _PLACE_SHAPES.get(keys, Memo.NOT_KEPT)
    if shape is Memo.NOT_KEPT:
        shape = _place_shape(keys)
    if shape is None:
        return None
    texts, styled, has_id, has_role, has_annotation = shape
    fid = raw.get("id", props.get("id"))
    if type(fid) is not str or fid in ids or not _ID_MATCH(fid):
        return None
    if has_id and type(props["id"]) is not str:
        return None  # (its nesting is the full check's to judge)
    for key in styled:  # as SitMap writes a point: its style for other tools
        if type(props[key]) not in _SCALARS:
            return None
    status = props.get("status", "reported")
    if type(status) is not str or status not in _STATUS_SET or props.get("kind", "place") != "place":
        return None
    if has_role:
        role = props["role"]
        if type(role) is not str or role not in _PLACE_ROLE_SET:
            return None
    if has_annotation and type(props["annotation"]) is not bool:
        return None
    for key in texts:  # (plain_text)
        value = props[key]
        if type(value) is not str or len(value) > MAX_TEXT_CHARS or "\x00" in value:
            return None
    coords = geometry.get("coordinates")  # (Rules.plain_position)
    if type(coords) is not list or len(coords) != 2 or r.vertices >= MAX_VERTICES:
        return None
    lon, lat = coords
    tlon, tlat = type(lon), type(lat)
    if not ((tlon is float or tlon is int) and (tlat is float or tlat is int) and -180 <= lon <= 180
            and -90 <= lat <= 90):
        return None
    r.vertices += 1
    if not styled:
        out = props if owned else dict(props)
    elif owned:  # (dropped, as the full check drops them: recomputed from the style when written)
        out = props
        for key in styled:
            del out[key]
    else:
        out = {k: v for k, v in props.items() if k not in _DROPPED_KEYS}
    out["kind"] = "place"
    out["status"] = _CANONICAL[status]
    if has_role:
        out["role"] = _CANONICAL[role]
    source = out.get("source")  # (_source_once)
    if type(source) is str and len(source) <= 200:
        out["source"] = _intern(source)
    ids.add(fid)
    # (a geometry decoded for this call, of two floats, is the one kept: as the full check makes it)
    if not (owned and tlon is float and tlat is float and tuple(geometry) == _POINT_KEYS):
        geometry = {"type": "Point", "coordinates": [float(lon), float(lat)]}
    else:
        geometry["type"] = "Point"  # (one text for all of them, not one decoded per point)
    return fid, "place", geometry, out


_ID_MATCH = _ID_RE.match
_intern = sys.intern


_PLAIN_SHAPE_KEYS = frozenset(("kind", "role", "status", "annotation", "id", "layer", "vertices") + TEXT_KEYS) \
    | _SIMPLESTYLE_SET
_SHAPE_TYPES = {"path": "LineString", "area": "Polygon"}


def plain_shape(r: Rules, raw: Any, ids: set[str], owned: bool = False) -> tuple[str, str, dict, dict] | None:
    """:func:`check_feature`'s result for a line or area of a large map given plainly: a
    LineString or a Polygon of [longitude, latitude] positions in range (or, as SitMap saves them,
    its vertices in its properties), a few text properties, no style of its own; None for
    anything else, and for anything :func:`check_feature` would refuse or would have to look at
    more closely (a polygon only shapely can judge), which then takes the full checks. Its
    nesting is known: every property kept is plain text, a flag or a name, and the positions are
    read one by one. (What its properties' keys ask to be checked is worked out once per set of
    keys, as :func:`plain_place` does.)"""
    if type(raw) is not dict or raw.get("type") != "Feature":
        return None
    props, geometry = raw.get("properties"), raw.get("geometry")
    if type(props) is not dict or type(geometry) is not dict or not _PLAIN_FEATURE_KEYS.issuperset(raw) \
            or not _POINT_KEY_SET.issuperset(geometry):
        return None
    keys = tuple(props)
    plan = _SHAPE_PLANS.get(keys, Memo.NOT_KEPT)
    if plan is Memo.NOT_KEPT:
        plan = _shape_plan(keys)
    if plan is None:
        return None
    texts, dropped, has_annotation, has_role, has_layer = plan
    kind = props["kind"]
    gtype = _SHAPE_TYPES.get(kind) if type(kind) is str else None
    if gtype is None:
        return None
    fid = raw.get("id", props.get("id"))
    if type(fid) is not str or fid in ids or not _ID_MATCH(fid):
        return None
    status = props.get("status", "reported")
    if type(status) is not str or status not in _STATUS_SET:
        return None
    for key in dropped:  # (kept out: recomputed from the style when written; the vertices read below)
        if type(props[key]) not in _SCALARS and key != "vertices":
            return None
    for key in texts:  # (plain_text: an id, a role, a layer, a kind, a status are text too)
        value = props[key]
        if type(value) is not str or len(value) > MAX_TEXT_CHARS or "\x00" in value:
            return None
    if has_annotation and type(props["annotation"]) is not bool:
        return None
    if has_role and props["role"] not in _PLACE_ROLE_SET:
        return None
    if has_layer and not _ID_MATCH(props["layer"]):
        return None
    vertices = "vertices" in props
    coords = props["vertices"] if vertices else geometry.get("coordinates")
    if geometry.get("type") != gtype and not vertices:
        return None
    start = r.vertices
    if gtype == "LineString":
        line = _plain_positions(r, coords, 2, owned)
        if line is None or line[1] == line[0] and one_place(line):  # (one place only: the full check says so)
            r.vertices = start
            return None
        shape = {"type": "LineString", "coordinates": line}
    else:
        if type(coords) is not list or not coords:
            return None
        rings = []
        for ring in coords:
            got = _plain_positions(r, ring, 4, owned)
            if got is None or got[0] != got[-1]:
                r.vertices = start
                return None
            rings.append(got)
        shell, *holes = [unwrapped_ring(ring) for ring in rings]
        # (one round a pole, or not valid: the full check, Rules._check_polygon, judges it)
        if goes_round(shell) or not valid_polygon(shell, holes):
            r.vertices = start
            return None
        shape = {"type": "Polygon", "coordinates": rings}
    if not dropped:
        out = props if owned else dict(props)
    elif owned:  # (as plain_place: the decoded properties become the feature's, less the dropped)
        out = props
        for key in dropped:
            del out[key]
    else:
        out = {k: v for k, v in props.items() if k not in _DROPPED_KEYS}
    out["kind"] = _CANONICAL[kind]
    out["status"] = _CANONICAL[status]
    if has_role:
        out["role"] = _CANONICAL[out["role"]]
    source = out.get("source")  # (_source_once)
    if type(source) is str and len(source) <= 200:
        out["source"] = _intern(source)
    ids.add(fid)
    return fid, kind, shape, out


_SHAPE_PLANS: Memo = Memo()  # a line's or area's properties' keys -> what plain_shape checks (None: not plain)


def _shape_plan(keys: tuple) -> tuple | None:
    """What :func:`plain_shape` checks of properties with these keys: (the keys whose values must
    be plain text, the dropped keys among them, whether an annotation flag, a role, a layer are
    there), or None when a key is not a plain line's or area's, or "kind" is missing. Kept for
    the next feature with the same keys."""
    present = frozenset(keys)
    if not _PLAIN_SHAPE_KEYS.issuperset(present) or "kind" not in present:
        plan = None
    else:
        plan = (tuple(k for k in keys if k not in _DROPPED_KEYS and k != "annotation"),
                tuple(k for k in keys if k in _DROPPED_KEYS), "annotation" in present, "role" in present,
                "layer" in present)
    return _SHAPE_PLANS.keep(keys, plan)


def _plain_positions(r: Rules, value: Any, minimum: int, owned: bool = False) -> list[list[float]] | None:
    """:meth:`Rules.positions` of plain [longitude, latitude] pairs in range, or None (the full
    check names the problem). Counts the positions read (the caller puts the count back on None).
    ``owned``: ``value`` was decoded for this call alone, so a list of pairs of two floats each is
    kept as it is."""
    if type(value) is not list or len(value) < minimum or r.vertices + len(value) > MAX_VERTICES - 1:
        return None
    kept = owned
    for v in value:
        if type(v) is not list or len(v) != 2:
            return None
        lon, lat = v
        tlon, tlat = type(lon), type(lat)
        if tlon is float and tlat is float:
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                return None
        elif (tlon is float or tlon is int) and (tlat is float or tlat is int) and -180 <= lon <= 180 \
                and -90 <= lat <= 90:
            kept = False
        else:
            return None
    r.vertices += len(value)
    return value if kept else [[float(lon), float(lat)] for lon, lat in value]


_POINT_KEYS = ("type", "coordinates")
_POINT_KEY_SET = frozenset(_POINT_KEYS)
_PLACE_SHAPES: Memo = Memo()  # a place's properties' keys -> what to check (None: not plain)


def _place_shape(keys: tuple) -> tuple | None:
    """What :func:`plain_place` checks of properties with these keys: (the text keys among them,
    the simplestyle keys, whether an id, a role, an annotation flag are there), or None when a key
    is not a plain place's. Kept for the next place with the same keys."""
    present = frozenset(keys)
    if len(present) != len(keys) or not _PLAIN_PLACE_KEYS.issuperset(present):
        shape = None
    else:
        shape = (tuple(k for k in TEXT_KEYS if k in present), tuple(k for k in SIMPLESTYLE_KEYS if k in present),
                 "id" in present, "role" in present, "annotation" in present)
    return _PLACE_SHAPES.keep(keys, shape)
