"""Scenario -> what the page draws.

Every shape is computed here, once, in Python (geodesic rings and paths from
``viewer.model.geodesy``); the page only draws the coordinates it is given, and
the exports reuse the very same :class:`DrawnFeature` objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from viewer.model import geodesy
from viewer.model.scenario import Feature, Scenario

# Okabe-Ito colours: safe for colour-blind readers; dash and symbol vary too.
RING_COLOURS = ("#D55E00", "#0072B2", "#CC79A7", "#009E73", "#E69F00", "#56B4E9")
FLIGHT_COLOUR = "#0072B2"
IMPACT_COLOUR = "#CC79A7"
CROSSING_COLOUR = "#009E73"
CONTEXT_COLOUR = "#333333"
CROSSING_DETAIL_ZOOM = 10

# Layer groups: the page's layer control and the legend use these, in map order.
GROUPS = (
    ("rings", "Range rings"),
    ("flight", "Launch, flight path and impact area"),
    ("crossing", "Dandong\u2013Sinuiju rail crossing"),
    ("places", "Places"),
    ("annotations", "Annotations"),
)


@dataclass
class DrawnFeature:
    """One feature as drawn: display geometry (lat, lon; longitudes unwrapped) plus style."""

    id: str
    kind: str
    group: str
    name: str
    label: str
    status: str
    source: str
    notes: str
    style: dict[str, Any]
    shape: str  # "marker", "polygon", "line"
    latlngs: Any
    symbol: str = ""
    label_at: tuple[float, float] | None = None
    uncertainty: Any = None
    geometry: dict[str, Any] = field(default_factory=dict)  # RFC 7946, what the files carry
    uncertainty_geometry: dict[str, Any] | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    label_min_zoom: int | None = None  # detail labels appear only when zoomed in
    label_max_zoom: int | None = None  # overview labels give way to the detail ones
    label_dir: str = "right"
    outline: list | None = None  # stroked separately when the fill has edges that are not the shape's

    def to_page(self) -> dict[str, Any]:
        d = {
            "id": self.id, "kind": self.kind, "group": self.group, "name": self.name, "label": self.label,
            "status": self.status, "source": self.source, "notes": self.notes, "style": self.style,
            "shape": self.shape, "latlngs": _round(self.latlngs), "symbol": self.symbol,
        }
        if self.label_at is not None:
            d["labelAt"] = _round(self.label_at)
        if self.uncertainty is not None:
            d["uncertainty"] = _round(self.uncertainty)
        if self.label_min_zoom is not None:
            d["labelMinZoom"] = self.label_min_zoom
        if self.label_max_zoom is not None:
            d["labelMaxZoom"] = self.label_max_zoom
        d["labelDir"] = self.label_dir
        if self.outline is not None:
            d["outline"] = _round(self.outline)
        return d


def ring_outline(ring: geodesy.RingGeometry) -> list[list[tuple[float, float]]]:
    """The circle itself, as lines: a pole cap or world box closes the fill along the map's
    edges, and those edges must not be stroked."""
    arcs = [list(chain) for _radius, chain in ring.ring_arcs()]
    if len(arcs) == 1 and len(arcs[0]) > 2 and abs(arcs[0][0][1] - arcs[0][-1][1]) < 180:
        arcs[0].append(arcs[0][0])  # the whole circle in one piece: close the line too
    return arcs


def label_point_of(ring: list[tuple[float, float]]) -> tuple[float, float]:
    """Where to put an area's label: the planar centroid of its (small) outline, in lat/lon."""
    from shapely.geometry import Polygon

    c = Polygon([(lon, lat) for lat, lon in ring]).representative_point()
    return (c.y, c.x)


def _round(v: Any, nd: int = 6) -> Any:
    if isinstance(v, float):
        return round(v, nd)
    if isinstance(v, (list, tuple)):
        return [_round(x, nd) for x in v]
    return v


def _dash(status: str) -> str:
    return "solid" if status == "reported" else "dashed"


def group_of(f: Feature) -> str:
    """The layer a feature is drawn in."""
    return _group_for(f)


def _group_for(f: Feature) -> str:
    if f.properties.get("annotation"):
        return "annotations"
    if f.kind == "range_ring":
        return "rings"
    role = f.role
    if role in ("launch", "target_estimate", "impact") or f.properties.get("arrow"):
        return "flight"
    if role == "crossing" or f.id == "rail-crossing":
        return "crossing"
    if f.kind == "path" and f.properties.get("role") == "crossing":
        return "crossing"
    return "places"


def draw_feature(f: Feature, ring_index: int = 0) -> DrawnFeature:
    p = f.properties
    user_style = dict(p.get("style") or {})
    status = f.status
    base = dict(status=status, source=f.source, notes=str(p.get("notes", "")), name=f.name,
                properties=dict(p))
    group = _group_for(f)
    if f.kind == "range_ring":
        lat, lon = f.latlon()
        ring = geodesy.range_ring(lat, lon, float(p["radius_m"]))
        colour = user_style.get("color", RING_COLOURS[ring_index % len(RING_COLOURS)])
        km = p["radius_m"] / 1000
        label = p.get("label") or (f"{km:,.0f} km" if km >= 10 else f"{km:,.2f} km")
        style = {"color": colour, "weight": user_style.get("weight", 2.5),
                 "fillOpacity": user_style.get("fill_opacity", 0.06), "dash": user_style.get("dash", _dash(status))}
        return DrawnFeature(f.id, f.kind, group, label=label, style=style, shape="polygon",
                            latlngs=ring.display, symbol="ring", label_at=ring.label_point(0.0),
                            geometry=ring.to_geojson(), outline=ring_outline(ring), **base)
    if f.kind == "path":
        latlons = [(c[1], c[0]) for c in f.geometry["coordinates"]]
        path = geodesy.geodesic_path(latlons)
        arrow = bool(p.get("arrow"))
        colour = user_style.get("color", FLIGHT_COLOUR if arrow else CROSSING_COLOUR if group == "crossing" else CONTEXT_COLOUR)
        style = {"color": colour, "weight": user_style.get("weight", 3.5 if arrow else 4),
                 "dash": user_style.get("dash", _dash(status)), "arrow": arrow}
        label = str(p.get("label", ""))
        label_max_zoom = None
        if group == "crossing" and not label:
            # Seen from afar the stations and the bridge are one point: one label for the crossing.
            label, label_max_zoom = f.name, CROSSING_DETAIL_ZOOM - 1
        mid = path.display[len(path.display) // 2]
        return DrawnFeature(f.id, f.kind, group, label=label, style=style, shape="line",
                            latlngs=path.display, symbol="flight" if arrow else "rail" if group == "crossing" else "line",
                            geometry=path.to_geojson(), label_at=mid if label else None,
                            label_max_zoom=label_max_zoom, **base)
    if f.kind == "area":
        rings = [[(c[1], c[0]) for c in ring] for ring in f.geometry["coordinates"]]
        # Edges are geodesics, densified like paths, so the outline is right at any size.
        display = [list(geodesy.geodesic_path(r).display) for r in rings]
        estimated = f.role == "target_estimate"
        colour = user_style.get("color", IMPACT_COLOUR if estimated else CONTEXT_COLOUR)
        style = {"color": colour, "weight": user_style.get("weight", 2),
                 "fillOpacity": user_style.get("fill_opacity", 0.18 if estimated else 0.1),
                 "dash": user_style.get("dash", _dash(status))}
        label = str(p.get("label") or (f.name if estimated else ""))
        centre = label_point_of(display[0]) if label else None
        return DrawnFeature(f.id, f.kind, group, label=label, style=style, shape="polygon",
                            latlngs=[display], symbol="impact" if estimated else "area", label_at=centre,
                            geometry={"type": "Polygon", "coordinates": f.geometry["coordinates"]}, **base)
    # place
    lat, lon = f.latlon()
    role = f.role or "marker"
    symbol = {"launch": "launch", "crossing": "station", "impact": "impact", "target_estimate": "impact",
              "context": "city", "label": "text"}.get(role, "marker")
    if f.id.endswith("bridge"):
        symbol = "bridge"
    if user_style.get("symbol") and symbol != "text":
        symbol = user_style["symbol"]
    colour = user_style.get("color", {"launch": "#D55E00", "crossing": CROSSING_COLOUR}.get(role, CONTEXT_COLOUR))
    style = {"color": colour, "dash": _dash(status)}
    label = str(p.get("label") or f.name)
    local = p.get("name_local")
    if local and role in ("context", "crossing"):
        label = f"{label} {local}"
    label_min_zoom = CROSSING_DETAIL_ZOOM if role == "crossing" else None
    label_dir = "bottom" if role == "launch" else "center" if role == "label" else "right"
    uncertainty = None
    unc_geom = None
    if p.get("uncertainty_m"):
        ring = geodesy.range_ring(lat, lon, float(p["uncertainty_m"]))
        uncertainty = ring.display
        unc_geom = ring.to_geojson()
    return DrawnFeature(f.id, f.kind, group, label=label, style=style, shape="marker", latlngs=[lat, lon],
                        symbol=symbol, uncertainty=uncertainty, uncertainty_geometry=unc_geom,
                        geometry={"type": "Point", "coordinates": [lon, lat]}, label_min_zoom=label_min_zoom,
                        label_dir=label_dir, **base)


def draw_scenario(s: Scenario) -> list[DrawnFeature]:
    out = []
    ring_index = 0
    for f in s.features:
        out.append(draw_feature(f, ring_index))
        if f.kind == "range_ring":
            ring_index += 1
    return out


def legend_entries(drawn: list[DrawnFeature]) -> list[dict[str, Any]]:
    """One entry per distinct symbol/colour/dash, in map order; the page hides entries of hidden groups."""
    seen: dict[tuple, dict[str, Any]] = {}
    for d in drawn:
        if d.symbol == "ring":
            text = f"Range ring, {d.label} ({d.status})"
        elif d.symbol == "flight":
            text = f"Flight path ({d.status})"
        elif d.symbol == "impact":
            text = "Estimated impact area"
        elif d.symbol == "launch":
            text = "Launch point" + (", with uncertainty" if d.uncertainty is not None else "")
        elif d.symbol in ("station", "bridge", "rail"):
            text = {"station": "Border station", "bridge": "Rail/road bridge", "rail": "Rail crossing"}[d.symbol]
        elif d.symbol == "city":
            text = "City"
        elif d.symbol == "text":
            continue
        elif d.properties.get("annotation"):
            # one entry per kind and style, however many the analyst drew
            text = {"place": "Marker", "path": "Line", "area": "Area"}.get(d.kind, d.kind.replace("_", " ").capitalize())
        else:
            text = d.name
        key = (d.symbol, d.style.get("color"), d.style.get("dash"), text)
        if key not in seen:
            seen[key] = {"symbol": d.symbol, "color": d.style.get("color"), "dash": d.style.get("dash"),
                         "text": text, "group": d.group}
    return list(seen.values())


def view_of(s: Scenario, drawn: list[DrawnFeature]) -> dict[str, Any]:
    if "bounds" in s.view:
        return {"bounds": s.view["bounds"]}
    if "center" in s.view:
        return {"center": s.view["center"], "zoom": s.view.get("zoom", 6)}
    lats: list[float] = []
    lons: list[float] = []
    for d in drawn:
        if d.shape == "marker":
            lats.append(d.latlngs[0])
            lons.append(d.latlngs[1])
    if not lats:
        return {"center": [20.0, 0.0], "zoom": 2}
    pad = 1.0
    return {"bounds": [[max(-85, min(lats) - pad), min(lons) - pad], [min(85, max(lats) + pad), max(lons) + pad]]}


def drawn_to_geojson(s: Scenario, drawn: list[DrawnFeature]) -> dict[str, Any]:
    """Every drawn layer as its real geometry (rings and paths densified and split at ±180)."""
    features = []
    for d in drawn:
        props = {k: v for k, v in d.properties.items() if k != "style"}
        props.update({"kind": d.kind, "name": d.name, "status": d.status, "source": d.source,
                      "layer": d.group})
        if d.kind == "range_ring":
            props["centre"] = d.properties.get("centre") or _centre_of(s, d.id)
        features.append({"type": "Feature", "id": d.id, "geometry": d.geometry, "properties": props})
        if d.uncertainty_geometry is not None:
            features.append({"type": "Feature", "id": f"{d.id}.uncertainty", "geometry": d.uncertainty_geometry,
                             "properties": {"kind": "uncertainty", "of": d.id, "radius_m": d.properties.get("uncertainty_m"),
                                            "status": "estimated", "name": f"{d.name}: uncertainty"}})
    return {"type": "FeatureCollection", "name": s.title, "features": features}


def _centre_of(s: Scenario, fid: str) -> list[float] | None:
    f = s.feature(fid)
    if f is None:
        return None
    return list(f.geometry["coordinates"][:2])
