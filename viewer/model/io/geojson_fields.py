"""A feature's properties from another tool's file as SitMap keeps them: its own keys where
SitMap's rules take them (a number or a JSON list or object written as text read as one), else
aside as ``original_<key>``; simplestyle as a style; the rest as they are."""

from __future__ import annotations

import math
from typing import Any, Mapping

from viewer.model.bulk import Memo
from viewer.model.io.common import SITMAP_KEYS, WORDS, finite_number, json_text, keep_aside
from viewer.model.io.simplestyle import SIMPLESTYLE_KEYS, own_style_again, simplestyle_as_style
from viewer.model.rules import TEXT_KEYS, Rules, check_properties, plain_text
from viewer.model.scenario import ScenarioError

KIND_OF = {"Point": "place", "LineString": "path", "Polygon": "area"}  # a geometry type's kind of feature
_TEXT_KEY_SET = frozenset(TEXT_KEYS)  # (the properties SitMap keeps as text)


def _mark(kind: str, gtype: str, key: str, value: Any) -> tuple | None:
    """What the rules' verdict on one property alone depends on, where it can be kept: a word or a
    number (each with its type: true is not 1), or a style of a few of them (SitMap's exchange file
    gives each feature its own, most of them the same, ``{}`` on nearly all); None for the rest."""
    t = type(value)
    if t in WORDS:
        return None if t is str and len(value) >= 200 else (kind, gtype, key, t, value)
    if t is dict and len(value) <= 16:
        items = []
        for k, v in value.items():
            tv = type(v)
            if type(k) is not str or tv not in WORDS or (tv is str and len(v) >= 200):
                return None
            items.append((k, tv, v))
        return kind, gtype, key, dict, tuple(items)
    return None
_UNDRAWN_SIMPLESTYLE = ("marker-symbol", "marker-size")
_LEFT_BEHIND = frozenset(SIMPLESTYLE_KEYS) | {"id"}  # (the id is the reader's to give; simplestyle becomes style)
_OWN_KEYS = tuple(k for k in SITMAP_KEYS if k != "kind")  # (its kind: the reader's to say, above)
_TAKEN: Memo = Memo(4096)  # (kind, geometry, key, type, value): whether SitMap's rules take it
_OPENERS = frozenset("[{")


def map_properties(props: Mapping[str, Any], gtype: str, name: str | None, source_name: str,
                    ring: bool = False) -> dict[str, Any]:
    """``ring``: the feature is a range ring SitMap drew (a Point at its centre, :func:`_drawn_ring`)."""
    out = {k: v for k, v in props.items() if k not in _LEFT_BEHIND and isinstance(k, str)}
    geometry = {"type": gtype, "coordinates": []}
    kind = "range_ring" if ring else KIND_OF[gtype]
    if out.get("kind") not in (None, kind):
        out["original_kind"] = out.pop("kind")
    base = {"radius_m": out["radius_m"]} if ring else {}
    named = out.get("name")
    if isinstance(named, (int, float)) and not isinstance(named, bool) and math.isfinite(named):
        out["name"] = str(named)  # (a name that is a number, 101: its text, as a CSV's cell gives it)
    # SitMap's own keys the feature has, in SITMAP_KEYS's order (a few of its nineteen: each looked
    # at in turn below, which may put another aside as original_<key>)
    for key in [k for k in _OWN_KEYS if k in out]:
        if key in _TEXT_KEY_SET and plain_text(out[key]):
            continue  # (plain text, as check_properties takes it: a name on each of 100,000 features)
        value = out[key]
        decoded = _json_text(value) if isinstance(value, str) and value[:1] in _OPENERS else None  # (a list or object as text)
        for attempt in (value,) if decoded is None else (value, decoded):
            # (whether the rules take a word or a number alone depends on nothing else: a large file
            # has the same few on each feature, "reported", true, each asked once)
            mark = None if base else _mark(kind, gtype, key, attempt)
            taken = _TAKEN.get(mark) if mark is not None else None
            if taken is None:
                from viewer.model.geodesy import EARTH_ANTIPODAL_M

                try:
                    check_properties(Rules(source_name), {"kind": kind, **base, key: attempt}, geometry, "",
                                     EARTH_ANTIPODAL_M)
                    taken = True
                except ScenarioError:
                    taken = False
                if mark is not None:
                    _TAKEN.keep(mark, taken)
            bad = not taken or key in ("centre", "vertices", "layer")  # SitMap's edit data and layer ids: never foreign
            if not bad:
                break
        if not bad and attempt is not value:  # (a style written as JSON text, as a GeoPackage column holds it)
            out[key] = attempt
        if bad and key == "layer" and isinstance(value, str) and value.strip():
            del out[key]  # (the name of the layer the reader puts it in: kept as that layer's label)
        elif bad:
            keep_original(out, key)
    times = _json_text(out.get("time_utc"))  # (several times as JSON text: a GeoPackage's or GDAL's text column)
    if isinstance(times, list) and times and all(isinstance(t, str) for t in times):
        out["time_utc"] = times
    out["kind"] = kind
    if name and "name" not in out:
        out["name"] = name.strip()
    if isinstance(out.get("style"), dict):  # (SitMap's exchange file: the feature's own style values)
        own_style_again(out, props, "Polygon" if ring else gtype)
    else:
        style = simplestyle_as_style(props, gtype)
        if style and "style" not in out:
            out["style"] = style
        for key in _UNDRAWN_SIMPLESTYLE:  # (an icon and a size SitMap does not draw: kept, not lost)
            value = props.get(key)
            if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
                out.setdefault(f"original_{key}", value)
    out.setdefault("source", source_name)
    if out.get("annotation") is False:  # (one of the map's own features, as SitMap's export says)
        del out["annotation"]
    else:
        if out.get("annotation", True) is not True:  # (another tool's field of that name: kept as its own)
            keep_original(out, "annotation")
        out["annotation"] = True
    return out


_NEVER_FOREIGN = ("kind", "layer", "centre", "vertices", "id")  # (the reader's to say, or SitMap's edit data)
FOREIGN_OVER_DEFAULTS = ("source", "status")  # (another tool's field says them better than a reader's default)


def foreign_fields(values: Mapping[str, Any], kind: str, source_name: str) -> dict[str, Any]:
    """Another tool's fields as text (a KML's ExtendedData, GDAL's SchemaData) as a feature's
    properties: SitMap's own keys kept where its rules take them (a number or a JSON list or object
    written as text read as one), else as ``original_<key>``; the others as they are."""
    from viewer.model.geodesy import EARTH_ANTIPODAL_M

    out: dict[str, Any] = {}
    geometry = {"type": {"path": "LineString", "area": "Polygon"}.get(kind, "Point"), "coordinates": []}
    radius = finite_number(values.get("radius_m")) if kind == "range_ring" else None
    base = {"radius_m": radius} if radius is not None else {}
    for key, value in values.items():
        if key not in SITMAP_KEYS:
            out[key] = value
            continue
        if (key == "kind" and value == kind) or key == "id":
            continue  # (what the reader made of it already: its kind, its id)
        kept = False
        if key not in _NEVER_FOREIGN:
            number = finite_number(value) if isinstance(value, str) and value.strip() else None
            for attempt in (value, _json_text(value), number):
                if attempt is None:
                    continue
                try:
                    check_properties(Rules(source_name), {"kind": kind, **base, key: attempt}, geometry, "",
                                     EARTH_ANTIPODAL_M)
                except ScenarioError:
                    continue
                out[key], kept = attempt, True
                break
        if not kept:
            out[key] = value
            keep_original(out, key)
    return out


def keep_original(out: dict[str, Any], key: str) -> None:
    """``out[key]`` kept as ``original_<key>`` (:func:`~viewer.model.io.common.keep_aside`)."""
    keep_aside(out, key, out.pop(key))


def _json_text(value: Any) -> Any:
    """A JSON object or list a column holds as text, decoded (at most 100,000 characters); else None."""
    return json_text(value, 100_000)
