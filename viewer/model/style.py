"""One style per feature: what the screen, the briefing and every file show.

A feature's style is its own ``style`` property completed with defaults that follow its kind,
role and status; nothing here knows any scenario by name. Range-ring colours are assigned once
(:func:`assign_colours`) and then kept in the document, so deleting one ring never recolours
the others, and every output agrees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from viewer.model.bulk import Memo

# Okabe-Ito colours: safe for colour-blind readers; dash and symbol vary too. The estimated impact
# area's pink comes last: a third ring in it was read as the impact area.
RING_COLOURS = ("#D55E00", "#0072B2", "#009E73", "#E69F00", "#56B4E9", "#CC79A7")
FLIGHT_COLOUR = "#0072B2"
IMPACT_COLOUR = "#CC79A7"
CROSSING_COLOUR = "#009E73"
CONTEXT_COLOUR = "#333333"
# A feature the file gives no role and no colour (an imported GeoJSON's, KML's or CSV's, an
# annotation): a mid-tone violet none of the event's colours is, lines and outlines a little
# see-through and not heavy, so that thousands of them leave the basemap and the labels over
# them readable (near-black, they covered both).
UNSTYLED_COLOUR = "#7559A6"
UNSTYLED_OPACITY = 0.85
UNSTYLED_LINE_WEIGHT = 2.5
UNSTYLED_AREA_WEIGHT = 1.5
UNSTYLED_FILL_OPACITY = 0.12
LAUNCH_COLOUR = "#D55E00"

# Layer groups, in map order: (id, default label). A map may relabel them (Scenario.layers).
GROUPS = (
    ("rings", "Range rings"),
    ("flight", "Launch, flight path and impact area"),
    ("crossing", "Crossings"),
    ("places", "Places"),
    ("annotations", "Annotations"),
)

_PLACE_SYMBOLS = {"launch": "launch", "crossing": "station", "impact": "impact", "target_estimate": "impact",
                  "context": "city", "label": "text"}


@dataclass(frozen=True)
class Style:
    color: str
    weight: float
    dash: str  # solid, dashed, dotted
    fill_opacity: float | None  # None: not filled (points, lines)
    symbol: str  # what the legend and the page draw: ring, flight, rail, line, impact, area, launch, ...
    arrow: bool = False
    fill_color: str | None = None  # an area's or ring's fill, where it is not its line's colour
    opacity: float | None = None  # a line's or outline's opacity, where it is not 1
    text_color: str | None = None  # a text label's own colour (the analyst's; else the page's dark text)

    def to_page(self) -> dict[str, Any]:
        d: dict[str, Any] = {"color": self.color, "weight": self.weight, "dash": self.dash}
        if self.fill_opacity is not None:
            d["fillOpacity"] = self.fill_opacity
            if self.fill_color:
                d["fillColor"] = self.fill_color
        if self.opacity is not None and self.opacity != 1:
            d["opacity"] = self.opacity
        if self.arrow:
            d["arrow"] = True
        if self.text_color:
            d["textColor"] = self.text_color
        return d


def group_of(f) -> str:
    """The layer a feature is drawn in: its user layer if it names one, else the built-in group
    that follows from what the file says it is."""
    p = f.properties
    if p.get("layer"):  # a user layer (from a KML folder, a GeoJSON layer property, or the analyst)
        return str(p["layer"])
    if p.get("annotation"):
        return "annotations"
    if f.kind == "range_ring":
        return "rings"
    role = p.get("role")
    if role in ("launch", "target_estimate", "impact") or p.get("arrow"):
        return "flight"
    if role == "crossing":
        return "crossing"
    return "places"


def _dash(status: str) -> str:
    return "solid" if status == "reported" else "dashed"


def style_of(f) -> Style:
    """The feature's style: worked out once per distinct set of what it depends on (100,000
    annotations have a handful of styles between them)."""
    p = f.properties
    own = p.get("style") or None
    try:
        key = (f.kind, p.get("status"), p.get("role"), p.get("arrow"),
               tuple((k, v, type(v)) for k, v in own.items()) if isinstance(own, dict) else own)  # (1 == 1.0)
        hit = _STYLES.get(key)
    except TypeError:  # a value that cannot be a key (not a stored map's)
        return _style_of(f)
    if hit is None:
        hit = _STYLES.keep(key, _style_of(f))
    return hit


_STYLES: Memo = Memo(4096)


def _style_of(f) -> Style:
    p = f.properties
    own: Mapping[str, Any] = p.get("style") or {}
    status = str(p.get("status", "reported"))
    dash = own.get("dash", _dash(status))
    role = p.get("role")
    opacity = own.get("opacity")  # (a line's own opacity and an area's own fill colour: from KML, simplestyle)
    if f.kind == "range_ring":
        return Style(own.get("color", RING_COLOURS[0]), own.get("weight", 2.5), dash,
                     own.get("fill_opacity", 0.06), "ring", fill_color=own.get("fill_color"), opacity=opacity)
    unstyled = _unstyled(f.kind, role, p.get("arrow"), own)
    if unstyled and f.kind in ("path", "area"):
        line = f.kind == "path"
        return Style(UNSTYLED_COLOUR, own.get("weight", UNSTYLED_LINE_WEIGHT if line else UNSTYLED_AREA_WEIGHT), dash,
                     None if line else own.get("fill_opacity", UNSTYLED_FILL_OPACITY), "line" if line else "area",
                     fill_color=None if line else own.get("fill_color"),
                     opacity=UNSTYLED_OPACITY if opacity is None else opacity)
    if f.kind == "path":
        arrow = bool(p.get("arrow"))
        crossing = role == "crossing"
        colour = FLIGHT_COLOUR if arrow else CROSSING_COLOUR if crossing else CONTEXT_COLOUR
        return Style(own.get("color", colour), own.get("weight", 3.5 if arrow else 4), dash, None,
                     "flight" if arrow else "rail" if crossing else "line", arrow, opacity=opacity)
    if f.kind == "area":
        estimated = role == "target_estimate"
        return Style(own.get("color", IMPACT_COLOUR if estimated else CONTEXT_COLOUR), own.get("weight", 2), dash,
                     own.get("fill_opacity", 0.18 if estimated else 0.1), "impact" if estimated else "area",
                     fill_color=own.get("fill_color"), opacity=opacity)
    symbol = _PLACE_SYMBOLS.get(role or "marker", "marker")
    if own.get("symbol") and symbol != "text":
        symbol = own["symbol"]
    colour = {"launch": LAUNCH_COLOUR, "crossing": CROSSING_COLOUR}.get(role or "", CONTEXT_COLOUR)
    if unstyled and symbol == "marker":
        colour = UNSTYLED_COLOUR
    text_colour = own.get("color") if symbol == "text" else None
    return Style(own.get("color", colour), own.get("weight", 2), dash, None, symbol, text_color=text_colour)


def _unstyled(kind: str, role, arrow, own: Mapping[str, Any]) -> bool:
    """A line, area or marker the file says nothing about: no role that gives it a meaning (the
    event's, a crossing, a city or other context) and no colour of its own."""
    if own.get("color") or arrow:
        return False
    if kind == "place":
        return role in (None, "", "marker")
    return kind in ("path", "area") and role in (None, "")


def simplestyle(f, style: Style | None = None) -> dict[str, Any]:
    """The style in the simplestyle convention (geojson.io, QGIS, GitHub, Felt)."""
    s = style or style_of(f)
    if f.kind == "place":
        return {"marker-color": s.color}
    out: dict[str, Any] = {"stroke": s.color, "stroke-width": s.weight,
                           "stroke-opacity": 1.0 if s.opacity is None else s.opacity}
    if s.fill_opacity is not None:
        out["fill"] = s.fill_color or s.color
        out["fill-opacity"] = s.fill_opacity
    return out


def ring_colour_wanted(f) -> bool:
    """A ring without a colour of its own (one the palette gives it). (A style that is not an
    object is the rules' to refuse, after this is asked.)"""
    own = f.properties.get("style")
    return f.kind == "range_ring" and (not own or (isinstance(own, dict) and not own.get("color")))


def next_ring_colour(features: Iterable) -> str:
    """For a new ring: the first palette colour no ring uses yet (then round again)."""
    used = [style_of(f).color for f in features if f.kind == "range_ring" and not ring_colour_wanted(f)]
    for c in RING_COLOURS:
        if c not in used:
            return c
    return RING_COLOURS[len(used) % len(RING_COLOURS)]


def with_colour(f, colour: str):
    """The feature with ``colour`` kept in its style."""
    import dataclasses

    props = dict(f.properties)
    props["style"] = {**(props.get("style") or {}), "color": colour}
    return dataclasses.replace(f, properties=props)


def assign_colours(features: list) -> list:
    """Rings without a colour get the palette's, in map order, once; the rest are unchanged."""
    out = []
    index = 0
    for f in features:
        if f.kind == "range_ring":
            if ring_colour_wanted(f):
                f = with_colour(f, RING_COLOURS[index % len(RING_COLOURS)])
            index += 1
        out.append(f)
    return out
