"""Scenario -> what the page draws.

Geometry and style are the model's (:mod:`viewer.model.geometry`, :mod:`viewer.model.style`),
computed once; this module packs them for the page, the legend and the briefing, which all
reuse the very same :class:`DrawnFeature` objects. Nothing here knows any scenario by name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from viewer.logic.naming import km_text
from viewer.model.bulk import Memo, collector_paused
from viewer.model.geometry import label_point_of, prepare_many, prepare_shapes, ring_outline, shape_of  # noqa: F401 (re-exported)
from viewer.model.lon_span import narrowest_span
from viewer.model.scenario import Feature, Scenario
from viewer.model.style import GROUPS, assign_colours, group_of, style_of
from viewer.render.rounded import round_positions

CROSSING_DETAIL_ZOOM = 10


@dataclass(slots=True)  # (100,000 of them for a large map: no dict each)
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
    point_geometry: dict[str, Any] | None = None  # a plain point's own RFC 7946 geometry
    drawn_shape: Any = field(default=None, repr=False, compare=False)  # else the Shape it was drawn from
    properties: dict[str, Any] = field(default_factory=dict)
    label_min_zoom: int | None = None  # detail labels appear only when zoomed in
    label_max_zoom: int | None = None  # overview labels give way to the detail ones
    label_dir: str = "right"
    outline: list | None = None  # stroked separately when the fill has edges that are not the shape's
    centre: tuple[float, float] | None = None  # a ring's centre (lat, lon): picked like its edge
    population: int = 0  # a city's: its label gives way to a larger city's (viewer/render/city_sizes.py)

    @property
    def geometry(self) -> dict[str, Any]:
        """RFC 7946, what the files carry (a shape's is worked out when first asked for)."""
        return self.point_geometry if self.drawn_shape is None else self.drawn_shape.geojson

    @property
    def uncertainty_geometry(self) -> dict[str, Any] | None:
        return None if self.drawn_shape is None else self.drawn_shape.uncertainty_geojson

    def to_page(self) -> dict[str, Any]:
        d = {
            "id": self.id, "kind": self.kind, "group": self.group, "name": self.name, "label": self.label,
            "status": self.status, "source": self.source, "notes": self.notes, "style": self.style,
            "shape": self.shape, "symbol": self.symbol,
            "latlngs": ([round(float(self.latlngs[0]), 6), round(float(self.latlngs[1]), 6)] if self.shape == "marker"
                        else _round(self.latlngs)),
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
        if self.centre is not None:
            d["centre"] = _round(self.centre)
        if self.population:
            d["population"] = self.population
        return d


_round = round_latlngs = round_positions  # positions (one, a line, rings, parts) to six decimals, as the page gets them


def is_plain_point(f: Feature) -> bool:
    """A point with no uncertainty ring: the page draws it from columns on its point layer."""
    return f.kind == "place" and f.geometry.get("type") == "Point" and not f.properties.get("uncertainty_m")


def _plain_point(f: Feature) -> DrawnFeature | None:
    """A point with no uncertainty ring (most features of a large map): drawn without building
    and caching a Shape for it (the shape cache holds a few thousand; 100,000 points thrash it).
    (Feature's name, status and source read inline, the DrawnFeature made from its fields in
    order: a million points.)"""
    if not is_plain_point(f):
        return None
    p = f.properties
    g = f.geometry
    coords = g["coordinates"]
    lon, lat = coords[0], coords[1]
    lat, lon = float(lat), float(lon)
    role = p.get("role") or "marker"
    status = p.get("status", "reported")
    # What a point shares with the others of its kind (100,000 annotations have a handful of
    # kinds between them): worked out once each.
    kind_key = (status, role, p.get("style") or None, p.get("layer"), p.get("annotation"), p.get("arrow"))
    try:
        shared = _POINT_KINDS.get(kind_key)
    except TypeError:  # a style of its own (a dict): not a key
        shared = None
        kind_key = None
    if shared is None:
        st = style_of(f)
        shared = (group_of(f), _page_style(st), st.symbol, CROSSING_DETAIL_ZOOM if role == "crossing" else None,
                  "bottom" if role == "launch" else "center" if role == "label" else "right")
        if kind_key is not None:
            _POINT_KINDS.keep(kind_key, shared)
    group, page_style, symbol, label_min_zoom, label_dir = shared
    name = p.get("name", "") or f.id  # (Feature.name, .status and .source, as they read them)
    if type(name) is not str:
        name = str(name)
    if type(status) is not str:
        status = str(status)
    source = p.get("source", "")
    if type(source) is not str:
        source = str(source)
    label = p.get("label") or name
    if type(label) is not str:
        label = str(label)
    local = p.get("name_local")
    if local and role in ("context", "crossing"):
        label = f"{label} {local}"
    notes = p.get("notes", "")
    # The feature's own geometry and properties, and one style dict per style, are shared, not
    # copied: 100,000 points would otherwise hold 300,000 more dicts. Nothing changes them.
    geometry = g if len(g) == 2 and len(coords) == 2 and type(coords[0]) is float and type(coords[1]) is float \
        else {"type": "Point", "coordinates": [lon, lat]}
    return DrawnFeature(f.id, "place", group, name, label, status, source, notes if type(notes) is str else str(notes),
                        page_style, "marker", [lat, lon], symbol, None, None, geometry, None, p, label_min_zoom, None,
                        label_dir, None, None, _population(symbol, name, lat, lon, p) if symbol == "city" else 0)


_POINT_KINDS: Memo = Memo(4096)  # (status, role, own style, layer, annotation, arrow) -> what _plain_point shares


@lru_cache(maxsize=512)
def _page_style(st) -> dict[str, Any]:
    """The page's style dict of a style, one shared dict per distinct style (read-only)."""
    return st.to_page()


def _plain_shape(f: Feature) -> DrawnFeature | None:
    """A line or area outside the crossing's layer (most of a large map's): drawn as
    :func:`draw_feature` draws it, with what it shares with the others of its kind (its layer,
    style and symbol) worked out once per kind, and its properties shared, not copied."""
    p = f.properties
    kind = f.kind
    try:
        kind_key = (kind, p.get("status"), p.get("role"), p.get("arrow"), p.get("style") or None, p.get("layer"),
                    p.get("annotation"))
        shared = _SHAPE_KINDS.get(kind_key)
    except TypeError:  # a style of its own (a dict): not a key
        return None
    if shared is None:
        st = style_of(f)
        shared = _SHAPE_KINDS.keep(kind_key, (group_of(f), _page_style(st), st.symbol))
    group, page_style, symbol = shared
    if group == "crossing":
        return None
    shape = shape_of(f)
    label = _own_label(f)
    label_at = (shape.label_at if kind == "path" else shape.label_point) if label else None
    return DrawnFeature(f.id, kind, group, f.name, label, f.status, f.source, str(p.get("notes", "")), page_style,
                        "line" if kind == "path" else "polygon", shape.display, label_at=label_at, symbol=symbol,
                        properties=p, drawn_shape=shape)


_SHAPE_KINDS: Memo = Memo(4096)  # (kind, status, role, arrow, own style, layer, annotation) -> _plain_shape's


def _own_label(f: Feature) -> str:
    """A line's or area's label of its own (an unlabelled line of the crossing's layer takes its
    name instead: draw_feature)."""
    p = f.properties
    if f.kind == "path":
        return str(p.get("label", ""))
    return str(p.get("label") or (f.name if f.role == "target_estimate" else ""))


def draw_feature(f: Feature) -> DrawnFeature:
    fast = _plain_point(f) if f.kind == "place" else _plain_shape(f) if f.kind == "path" or f.kind == "area" else None
    if fast is not None:
        return fast
    p = f.properties
    shape = shape_of(f)
    st = style_of(f)
    group = group_of(f)
    base = dict(status=f.status, source=f.source, notes=str(p.get("notes", "")), name=f.name,
                properties=dict(p), style=_page_style(st), symbol=st.symbol, drawn_shape=shape)
    if f.kind == "range_ring":
        label = p.get("label") or km_text(p["radius_m"])
        lon, lat = f.geometry["coordinates"][:2]
        return DrawnFeature(f.id, f.kind, group, label=label, shape="polygon", latlngs=shape.display,
                            label_at=shape.label_at, outline=shape.outline, centre=(float(lat), float(lon)), **base)
    if f.kind == "path":
        label = _own_label(f)
        label_max_zoom = None
        if group == "crossing" and not label:
            # Seen from afar the stations and the bridge are one point: one label for the crossing.
            label, label_max_zoom = f.name, CROSSING_DETAIL_ZOOM - 1
        return DrawnFeature(f.id, f.kind, group, label=label, shape="line", latlngs=shape.display,
                            label_at=shape.label_at if label else None, label_max_zoom=label_max_zoom, **base)
    if f.kind == "area":
        label = _own_label(f)
        return DrawnFeature(f.id, f.kind, group, label=label, shape="polygon", latlngs=shape.display,
                            label_at=shape.label_point if label else None, **base)
    lat, lon = shape.display
    role = f.role or "marker"
    label = str(p.get("label") or f.name)
    local = p.get("name_local")
    if local and role in ("context", "crossing"):
        label = f"{label} {local}"
    label_min_zoom = CROSSING_DETAIL_ZOOM if role == "crossing" else None
    label_dir = "bottom" if role == "launch" else "center" if role == "label" else "right"
    return DrawnFeature(f.id, f.kind, group, label=label, shape="marker", latlngs=[lat, lon],
                        uncertainty=shape.uncertainty_display,
                        label_min_zoom=label_min_zoom, label_dir=label_dir,
                        population=_population(st.symbol, f.name, float(lat), float(lon), p), **base)


MAX_POPULATION = 10**10  # people a city marker's own number is held to (a file's 1e30 is no city's)


def _population(symbol: str, name: str, lat: float, lon: float, props: dict) -> int:
    """A city marker's population (its own, or the place list's), for ranking its label."""
    if symbol != "city":
        return 0
    from viewer.render.city_sizes import population_of

    return min(population_of(name, lat, lon, props), MAX_POPULATION)


def group_labels(s: Scenario, groups: Iterable[str] | None = None) -> dict[str, str]:
    """Layer labels: the defaults, as the map relabels them, and the map's user layers (a user
    layer no entry names is labelled by its id). ``groups``: the groups wanted, when the caller
    knows them (saves a walk over every feature of a large map)."""
    labels = dict(GROUPS)
    labels.update({x["id"]: x["label"] for x in s.layers if x.get("label")})
    for g in (groups if groups is not None else (group_of(f) for f in s.features)):
        labels.setdefault(g, g)
    return labels


def present_groups(s: Scenario, drawn: list[DrawnFeature]) -> list[str]:
    """The layers that have features, in map order: the built-in groups, then the user layers
    (KML folders, a GeoJSON layer property) as the map lists them, then any other."""
    groups_of = getattr(drawn, "groups", None)  # a DrawnSet counts its groups as features come and go
    present = dict.fromkeys(groups_of() if groups_of is not None else (d.group for d in drawn))
    out = [g for g, _ in GROUPS if g in present]
    out += [x["id"] for x in s.layers if x["id"] in present and x["id"] not in out]
    out += [g for g in present if g not in out]
    return out


def arranged_layers(s: Scenario, drawn) -> list[dict[str, Any]]:
    """The map's saved arrangement of its layers (top first), completed with every layer that has
    features: what the window's layers panel shows and the page stacks, on screen and in a briefing."""
    present = present_groups(s, drawn)
    labels = group_labels(s, present)
    out = [dict(x) for x in s.layers if x["id"] in present]
    known = {x["id"] for x in out}
    out += [{"id": g, "label": labels.get(g, g), "visible": True, "locked": False} for g in present if g not in known]
    return out


def draw_scenario(s: Scenario) -> list[DrawnFeature]:
    """Every feature as drawn. Rings without a colour of their own get the palette's, the way
    the document assigns them when the map is opened."""
    features = assign_colours(list(s.features))
    # 100,000 features: millions of small objects; thousands of lines and areas: geodesics in C
    with collector_paused():
        prepare_many(features)
        return [draw_feature(f) for f in features]


LEGEND_NAMED_MAX = 12  # more of the analyst's named features than this: one row per kind and style


_KIND_TEXTS = {"place": "Marker", "path": "Line", "area": "Area"}
_PLACE_TEXTS = {"station": "Border station", "bridge": "Rail/road bridge", "rail": "Rail crossing"}


def _kind_text(d: DrawnFeature) -> str:
    if d.symbol == "ring":
        return f"Range ring ({d.status})"
    return _KIND_TEXTS.get(d.kind) or d.kind.replace("_", " ").capitalize()


def legend_key(d: DrawnFeature) -> tuple[tuple, str, tuple | None] | None:
    """The legend row a drawn feature shows, without making it: (key, text, fold key), or None
    (not in the legend). An analyst's named feature has its own row under its name, and a fold key
    naming the row of its kind and style that replaces all of them when the map has more than
    :data:`LEGEND_NAMED_MAX` (a legend lists what the reader can read, not 100,000 names)."""
    fold = None
    if d.properties.get("annotation") and d.symbol != "text" and d.name:
        # the analyst's own features under the names the analyst gave them
        text = f"{d.name} ({d.status})" if d.symbol == "ring" else d.name
        fold = (d.symbol, d.style.get("color"), d.style.get("dash"), _kind_text(d), d.group)
    elif d.symbol == "ring":
        text = f"Range ring, {d.label} ({d.status})"
    elif d.symbol == "flight":
        # an arrowed path under its own name ("Transit route"), else as a flight path
        own = str(d.properties.get("name") or "").strip()
        text = f"Flight path ({d.status})" if not own or own.lower().startswith("flight path") else \
            own if own.endswith(f"({d.status})") else f"{own} ({d.status})"
    elif d.symbol == "impact":
        # (a point where it came down, or an estimate of it as a point, is no area)
        text = "Estimated impact area" if d.shape != "marker" else \
            "Estimated impact point" if d.properties.get("role") == "target_estimate" else "Impact point"
    elif d.symbol == "launch":
        text = "Launch point" + (", with uncertainty" if d.uncertainty is not None else "")
    elif d.symbol in _PLACE_TEXTS:
        text = _PLACE_TEXTS[d.symbol]
    elif d.symbol == "city":
        text = "City"
    elif d.symbol == "text":
        return None
    elif d.properties.get("annotation"):
        # one entry per kind and style, however many the analyst drew
        text = _kind_text(d)
    else:
        text = d.name
    return (d.symbol, d.style.get("color"), d.style.get("dash"), text), text, fold


def legend_row_of(d: DrawnFeature, text: str) -> dict[str, Any]:
    row = {"symbol": d.symbol, "color": d.style.get("color"), "dash": d.style.get("dash"), "text": text,
           "group": d.group}
    if d.shape == "marker" and d.symbol == "impact":
        row["point"] = True  # (its swatch the point's symbol, not an area's)
    fill = d.style.get("fillColor")
    if fill and fill != row["color"]:  # (an area filled in another colour than its edge: its swatch too)
        row["fill"] = fill
    opacity = d.style.get("fillOpacity")
    if d.symbol != "ring" and isinstance(opacity, (int, float)) and not isinstance(opacity, bool):
        row["fillOpacity"] = opacity  # (its swatch filled as the area is: a file's own 0.49, not a pale 0.2)
    return row


def folded_legend(plain: Iterable[dict[str, Any]], folded: dict[tuple, tuple[dict[str, Any], int]]) -> list[dict[str, Any]]:
    """The legend of a map with too many named features to list: the other rows, then one row per
    kind and style of named feature, with how many it stands for."""
    out = list(plain)
    for row, n in folded.values():
        out.append({**row, "text": f"{row['text']} ({n:,})"})
    return out


def count_folded(folded: dict[tuple, tuple[dict[str, Any], int]], fold: tuple, d: DrawnFeature,
                 step: int) -> None:
    """One feature (``d``) more (``step`` +1) or less (-1) under the kind row ``fold`` names."""
    frow, n = folded.get(fold) or (legend_row_of(d, fold[3]), 0)
    if n + step > 0:
        folded[fold] = (frow, n + step)
    else:
        folded.pop(fold, None)


def legend_entries(drawn: Iterable[DrawnFeature]) -> list[dict[str, Any]]:
    """One entry per distinct symbol/colour/dash, in map order (as a
    :class:`~viewer.render.drawn_set.DrawnSet` of the same features keeps it); the page hides
    entries of hidden groups.

    An analyst's named features (most of a large map's) are counted a style at a time, and their
    names followed only until there are more than :data:`LEGEND_NAMED_MAX` of them: then the legend
    folds them into one row per kind and style, and a million names need not be kept to say so."""
    rows: dict[tuple, Any] = {}  # key -> its row; a named feature's: the first feature that shows it
    named: set[tuple] = set()  # the keys named features show (followed while they can be listed)
    folded: dict[tuple, list] = {}  # fold key -> [its row, how many features it stands for]
    styles: dict[tuple, tuple[Any, Any, list]] = {}  # (symbol, style dict's id, kind, group) -> colour, dash, fold entry
    for d in drawn:
        symbol = d.symbol
        if symbol != "ring" and symbol != "text" and d.name and d.properties.get("annotation"):
            sk = (symbol, id(d.style), d.kind, d.group)  # (one style dict per style, alive while d is)
            got = styles.get(sk)
            if got is None:
                key, _text, fold = legend_key(d)
                got = styles[sk] = (key[1], key[2], _fold_entry(folded, fold, d))
            got[2][1] += 1
            if len(named) <= LEGEND_NAMED_MAX:
                key = (symbol, got[0], got[1], d.name)
                named.add(key)
                rows.setdefault(key, d)
            continue
        r = legend_key(d)
        if r is None:
            continue
        key, text, fold = r
        if fold is None:
            if key not in rows:
                rows[key] = legend_row_of(d, text)
        else:  # (a named range ring)
            named.add(key)
            rows.setdefault(key, d)
            _fold_entry(folded, fold, d)[1] += 1
    if len(named) <= LEGEND_NAMED_MAX:
        return [r if isinstance(r, dict) else legend_row_of(r, k[3]) for k, r in rows.items()]
    # (a row first shown by a feature that is not a named one stays, as the drawn set keeps it)
    return folded_legend([r for r in rows.values() if isinstance(r, dict)], {f: (row, n) for f, (row, n) in folded.items()})


def _fold_entry(folded: dict[tuple, list], fold: tuple, d: DrawnFeature) -> list:
    entry = folded.get(fold)
    if entry is None:
        entry = folded[fold] = [legend_row_of(d, fold[3]), 0]
    return entry


def view_of(s: Scenario, drawn: list[DrawnFeature]) -> dict[str, Any]:
    """The view the page fits first: the map's own, else everything drawn: its markers, and its
    rings, lines and areas whole (a ring's circle, a long line's geodesic arc where it bulges past
    its ends), not cut off at the view's edge."""
    if "center" in s.view:
        return _bounds_view(s, [], [])
    # (its places' and rings' centres' longitudes: a map's focus; of a large map, one in so many)
    step = max(1, len(drawn) // FOCUS_SAMPLES)
    anchors = [d.latlngs[1] if d.shape == "marker" else d.centre[1] for d in drawn[::step]
               if d.shape == "marker" or d.centre is not None]
    if "bounds" in s.view:
        return _bounds_view(s, [], [], anchors)
    lats: list[float] = []
    lons: list[float] = []
    for d in drawn:
        if d.shape == "marker":
            lats.append(d.latlngs[0])
            lons.append(d.latlngs[1])
        else:
            _positions_into(d.latlngs, lats, lons)
    return _bounds_view(s, lats, lons, anchors)


FOCUS_SAMPLES = 10_000  # places and rings a map's focus is worked out from, at most


def scenario_view(s: Scenario) -> dict[str, Any]:
    """:func:`view_of`, worked out before the map is drawn: its places where their points are, the
    box of each ring, the corners of its lines and areas. (A map with a view of its own: that view,
    without a focus, at once; the drawn map's view_of has it.)"""
    if "bounds" in s.view or "center" in s.view:
        return _bounds_view(s, [], [])
    lats: list[float] = []
    lons: list[float] = []
    anchors: list[float] = []
    for f in s.features:
        kind = f.kind
        if kind == "place":
            c = f.geometry["coordinates"]
            lats.append(float(c[1]))
            lons.append(float(c[0]))
            anchors.append(float(c[0]))
        elif kind == "range_ring":
            centre = _ring_box_into(f, lats, lons)
            if centre is not None:
                anchors.append(centre)
        elif f.geometry and f.geometry.get("type") in ("LineString", "Polygon"):
            coords = f.geometry["coordinates"]
            for c in (coords if f.geometry["type"] == "LineString" else coords[0]):
                lats.append(float(c[1]))
                lons.append(float(c[0]))
    return _bounds_view(s, lats, lons, anchors)


def _positions_into(v: Any, lats: list[float], lons: list[float]) -> None:
    """The (lat, lon) pairs of a drawn shape (a line, rings, parts) onto lats and lons."""
    if not isinstance(v, (list, tuple)) or not v:
        return
    if isinstance(v[0], (int, float)):
        if len(v) >= 2:
            lats.append(float(v[0]))
            lons.append(float(v[1]))
        return
    for x in v:
        _positions_into(x, lats, lons)


def _ring_box_into(f: Feature, lats: list[float], lons: list[float]) -> float | None:
    """A ring's box: its centre's latitude +- its radius, its longitude +- the radius at the latitude
    farthest from the equator it reaches (every longitude where it reaches a pole). Returns its
    centre's longitude (None: a ring whose centre or radius cannot be read, left out)."""
    import math

    from viewer.model.trajectory import EARTH_MEAN_RADIUS_M

    try:
        lon, lat = (float(v) for v in f.geometry["coordinates"][:2])
        r = float(f.properties.get("radius_m") or 0.0)
    except (TypeError, ValueError, KeyError):
        return None
    dlat = math.degrees(r / EARTH_MEAN_RADIUS_M)
    lats += [max(-90.0, lat - dlat), min(90.0, lat + dlat)]
    if abs(lat) + dlat >= 89.0:
        lons += [float(x) for x in range(-180, 180, 10)]  # (every longitude, as the narrowest span sees it)
    else:
        dlon = min(180.0, dlat / math.cos(math.radians(abs(lat) + dlat)))
        lons += [lon - dlon, lon + dlon]
    return lon


VIEW_PAD_MIN_DEG = 0.005  # (about 500 m)


def _bounds_view(s: Scenario, lats: list[float], lons: list[float],
                 anchors: list[float] | None = None) -> dict[str, Any]:
    """The bounds of the positions with a margin, across the antimeridian where that is narrower
    (every shape, markers too, is drawn on the neighbouring copies of the world); and its focus,
    the longitude in the middle of the narrowest span of ``anchors`` (the places' and the rings'
    centres' longitudes), where a map of the whole world that the frame cannot show whole is
    centred across (resources/js/lon_span.js showOneWorld)."""
    if "center" in s.view:
        return {"center": s.view["center"], "zoom": s.view.get("zoom", 6)}
    if "bounds" in s.view:  # (the map's own view: its focus too, for when it is the whole world)
        view: dict[str, Any] = {"bounds": s.view["bounds"]}
    elif not lats:
        return {"center": [20.0, 0.0], "zoom": 2}
    else:
        west, east = narrowest_span(lons)
        south, north = min(lats), max(lats)
        # A margin of a degree round a region; round features a few kilometres apart (a city's
        # streets) a sixth of their extent, at least VIEW_PAD_MIN_DEG: a degree round them framed
        # 400 km, where they were one dot. A single place keeps its degree of surroundings.
        span = max(north - south, east - west)
        pad = 1.0 if span == 0 else min(1.0, max(span / 6, VIEW_PAD_MIN_DEG))
        view = {"bounds": [[max(-85, south - pad), west - pad], [min(85, north + pad), east + pad]]}
    if anchors:
        a_west, a_east = narrowest_span(anchors)
        view["focus"] = (a_west + a_east) / 2
    return view


def drawn_to_geojson(s: Scenario, drawn: list[DrawnFeature]) -> dict[str, Any]:
    """Every drawn layer as its real geometry (rings and paths densified and split at ±180)."""
    features = []
    # A feature of one of the map's own layers says its layer by the label it is shown under (as
    # QGIS, geojson.io and SitMap read a "layer" property); one of SitMap's built-in groups says none.
    labels = {x["id"]: str(x.get("label") or x["id"]) for x in s.layers if isinstance(x.get("id"), str)}
    built_in = {g for g, _ in GROUPS}
    # a line's or area's own corners beside its drawn shape, as a saved map keeps them: opened
    # again, it is the same line (not the drawn one, whose points would each become a corner)
    corners = {f.id: f.geometry["coordinates"] for f in s.features if f.kind in ("path", "area")}
    for d in drawn:
        props = {k: v for k, v in d.properties.items() if k != "style" and k != "layer"}
        # (its style as its own values only, the rest following its kind and status when opened
        # again; whether it is an annotation or one of the map's own features, so it goes back to
        # its group; simplestyle below for other tools)
        props.update({"kind": d.kind, "name": d.name, "status": d.status, "source": d.source,
                      "style": _file_style(d), "annotation": bool(d.properties.get("annotation"))})
        if d.group not in built_in:
            props["layer"] = labels.get(d.group, d.group)
        if not d.properties.get("name"):  # (unnamed: its label is its id, which is no name to write)
            del props["name"]
        props.update(_simplestyle(d))
        if d.kind == "range_ring":
            props["centre"] = d.properties.get("centre") or _centre_of(s, d.id)
        elif d.id in corners:
            props["vertices"] = corners[d.id]
        features.append({"type": "Feature", "id": d.id, "geometry": d.geometry, "properties": props})
        if d.uncertainty_geometry is not None:
            features.append({"type": "Feature", "id": f"{d.id}.uncertainty", "geometry": d.uncertainty_geometry,
                             "properties": {"kind": "uncertainty", "of": d.id, "radius_m": d.properties.get("uncertainty_m"),
                                            "status": "estimated", "name": f"{d.name}: uncertainty",
                                            **uncertainty_simplestyle(d)}})
    return {"type": "FeatureCollection", "name": s.title, "features": features}


def _centre_of(s: Scenario, fid: str) -> list[float] | None:
    f = s.feature(fid)
    if f is None:
        return None
    return list(f.geometry["coordinates"][:2])


def _file_style(d: DrawnFeature) -> dict[str, Any]:
    """The feature's own style values, as the project file spells them (``{}``: none; its look
    follows its kind and status). What it is drawn with goes to other tools as simplestyle."""
    own = d.properties.get("style")
    return dict(own) if isinstance(own, dict) else {}


def _simplestyle(d: DrawnFeature) -> dict[str, Any]:
    if d.kind == "place":
        return {"marker-color": d.style["color"]}
    out: dict[str, Any] = {"stroke": d.style["color"], "stroke-width": d.style.get("weight", 2),
                           "stroke-opacity": d.style.get("opacity", 1.0)}
    if "fillOpacity" in d.style:
        out["fill"] = d.style.get("fillColor", d.style["color"])
        out["fill-opacity"] = d.style["fillOpacity"]
    return out


def uncertainty_simplestyle(d: DrawnFeature) -> dict[str, Any]:
    """A launch point's uncertainty circle is drawn in the point's colour, thin and lightly filled."""
    return {"stroke": d.style["color"], "stroke-width": 1.2, "stroke-opacity": 1.0, "fill": d.style["color"],
            "fill-opacity": 0.1}
