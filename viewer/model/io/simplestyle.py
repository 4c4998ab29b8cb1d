"""Mapbox simplestyle (geojson.io, QGIS, Felt: ``marker-color``, ``stroke``, ``fill``...) read as a
SitMap style, and SitMap's own exchange files' styles given back to their features: what the
export wrote for other tools, compared with what SitMap draws each feature with."""

from __future__ import annotations

import math
from typing import Any, Mapping

from viewer.model.bulk import Memo
from viewer.model.io.common import WORDS, finite_number, hex_colour
from viewer.model.scenario import Feature
from viewer.model.style import simplestyle, style_of

SIMPLESTYLE_KEYS = ("marker-color", "marker-size", "marker-symbol", "stroke", "stroke-width", "stroke-opacity",
                    "fill", "fill-opacity")


def simplestyle_as_style(props: Mapping[str, Any], gtype: str) -> dict[str, Any]:
    """geojson.io / Mapbox simplestyle properties as a SitMap style."""
    style: dict[str, Any] = {}
    colour = hex_colour(props.get("marker-color" if gtype == "Point" else "stroke"))
    if colour:
        style["color"] = colour
    if gtype != "Point":
        for key, out, hi in (("stroke-width", "weight", 20.0), ("stroke-opacity", "opacity", 1.0)):
            v = finite_number(props.get(key))
            if v is not None:
                style[out] = max(0.0, min(hi, v))
    if gtype == "Polygon":
        fill = hex_colour(props.get("fill"))
        if fill:
            style["fill_color"] = fill
        v = finite_number(props.get("fill-opacity"))
        if v is not None:
            style["fill_opacity"] = max(0.0, min(1.0, v))
    return style


def own_style_again(out: dict[str, Any], props: Mapping[str, Any], written: str) -> None:
    """A feature SitMap's export wrote with its own style values as ``style`` (``{}``: none, its
    look following its kind and status) and what it drew as simplestyle for other tools, given its
    own style again: those values, and each simplestyle value another tool changed (no longer what
    SitMap draws it with) as its own too. ``written``: the geometry type its simplestyle was for.
    (Worked out once for each look and simplestyle: a large file's features share a few.)"""
    key = _look_of(out, props, written)
    own = _OWN_AGAIN.get(key) if key is not None else None
    if own is None:
        own = dict(out["style"])
        as_drawn = _drawn_simplestyle(out, written)
        for k, value in simplestyle_as_style(props, written).items():
            if not _same_style_value(value, as_drawn.get(k)):
                own[k] = value
        if key is not None:
            _OWN_AGAIN.keep(key, own)
    if own:
        out["style"] = dict(own)
    else:
        del out["style"]


_OWN_AGAIN: Memo = Memo(4096)
_SIMPLESTYLE_READ = {"Point": ("marker-color",), "LineString": ("stroke", "stroke-width", "stroke-opacity"),
                     "Polygon": ("stroke", "stroke-width", "stroke-opacity", "fill", "fill-opacity")}


def _look_of(out: Mapping[str, Any], props: Mapping[str, Any], written: str) -> tuple | None:
    """All :func:`own_style_again` works from (what the feature's style follows, as
    :func:`viewer.model.style.style_of` reads it, and the simplestyle values for ``written``),
    each with its type (true is not 1) and a number written as the float it is (-0.0 is not 0.0:
    the style keeps what the file gave), or None where one is no word or number."""
    parts: list = [written]
    for value in (out.get("kind"), out.get("status"), out.get("role"), out.get("arrow"),
                  *(props.get(k) for k in _SIMPLESTYLE_READ.get(written, ()))):
        if value is not None and type(value) not in WORDS:
            return None
        parts.append((type(value), value.hex() if type(value) is float else value))
    style = out.get("style")
    for k, value in style.items():
        if type(value) not in WORDS:
            return None
        parts.append((k, type(value), value.hex() if type(value) is float else value))
    return tuple(parts)


def _drawn_simplestyle(props: dict[str, Any], written: str) -> dict[str, Any]:
    """The simplestyle SitMap draws a feature of these properties with (as a SitMap style), for a
    ``written`` geometry: worked out once for each look (:func:`viewer.model.style.style_of`, the
    same on most of a large file's features) and geometry."""
    drawn = Feature("", props["kind"], {"type": written, "coordinates": []}, props)
    try:
        style = style_of(drawn)
        key = (written, drawn.kind, style)
        hit = _AS_DRAWN.get(key)
        if hit is None:
            hit = _AS_DRAWN.keep(key, simplestyle_as_style(simplestyle(drawn, style), written))
    except (TypeError, ValueError, KeyError):  # (a style the rules took but SitMap cannot draw from)
        return {}
    return hit


_AS_DRAWN: Memo = Memo(4096)


def _same_style_value(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.upper() == b.upper()
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return False
