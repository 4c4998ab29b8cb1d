"""One drawn geometry per feature, computed once: the page draws it, the briefing shows it and
the files carry it.

``display`` is for the map (``(lat, lon)``, longitudes unwrapped so a shape across the
antimeridian stays one piece); ``geojson`` is RFC 7946 (``[lon, lat]``, split at +-180), worked
out the first time a file, an export or the recovery file asks for it: the screen and a picture
need only ``display``, and a large map appears without splitting 100,000 shapes at +-180 first.
Rings and paths come from :mod:`viewer.model.geodesy`; an area's edges are geodesics too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any, Callable

from viewer.model import geodesy, numeric
from viewer.model.coords import to_latlon, to_positions
from viewer.model.meridian_crossing import with_crossings
from viewer.model.simple_ring import interior_point, valid_polygon


@dataclass(frozen=True)
class Shape:
    display: Any  # marker: (lat, lon); line: [(lat, lon)]; polygon: [[ring [(lat, lon)]]]
    make_geojson: Callable[[], dict[str, Any]] = field(repr=False, compare=False)  # -> ``geojson``
    kind: str  # "marker", "line", "polygon"
    label_at: tuple[float, float] | None = None
    outline: list | None = None  # a ring's true circle, stroked apart from its pole-cap fill
    uncertainty_display: Any = None
    make_uncertainty_geojson: Callable[[], dict[str, Any]] | None = field(default=None, repr=False, compare=False)
    label_ring: list | None = None  # an area's outer ring: its label point is found when asked
    # Where a large map's bulk solver drew a line's positions, or each of an area's rings' (their
    # paths' ``rows_at``: a ring's ``display`` is the start of its path's): viewer/render/rounded.py Flat
    rows_at: Any = field(default=None, repr=False, compare=False)

    @cached_property
    def geojson(self) -> dict[str, Any]:
        """The RFC 7946 geometry the files carry (worked out when first asked for)."""
        return self.make_geojson()

    @cached_property
    def uncertainty_geojson(self) -> dict[str, Any] | None:
        """A point's uncertainty circle as RFC 7946 geometry (None: it has none)."""
        return self.make_uncertainty_geojson() if self.make_uncertainty_geojson is not None else None

    @cached_property
    def label_point(self) -> tuple[float, float] | None:
        """Where the shape's label goes (an area's is worked out the first time it is asked for:
        most areas of a large map have no label)."""
        if self.label_at is None and self.label_ring is not None:
            return label_point_of(self.label_ring)
        return self.label_at


def ring_outline(ring: geodesy.RingGeometry) -> list[list[tuple[float, float]]]:
    """The circle itself, as lines: a pole cap or world box closes the fill along the map's
    edges, and those edges must not be stroked."""
    arcs = [list(chain) for _radius, chain in ring.ring_arcs()]
    if len(arcs) == 1 and len(arcs[0]) > 2 and abs(arcs[0][0][1] - arcs[0][-1][1]) < 180:
        arcs[0].append(arcs[0][0])  # the whole circle in one piece: close the line too
    return arcs


latlons = to_latlon  # GeoJSON positions as (lat, lon) pairs (viewer.model.coords)


def label_point_of(ring: list[tuple[float, float]]) -> tuple[float, float]:
    """Where to put an area's label: a point inside its outline, in lat/lon (shapely's
    representative point, worked out without loading shapely)."""
    x, y = interior_point(to_positions(ring))
    return (y, x)


def split_polygon(display_rings: list[list[tuple[float, float]]]) -> dict[str, Any]:
    """An area drawn with unwrapped longitudes as RFC 7946 geometry: cut at +-180, each
    piece brought back into [-180, 180], exterior rings counter-clockwise."""
    shell, *holes = [to_positions(r) for r in display_rings]
    lons = [x for ring in (shell, *holes) for x, _ in ring]
    area = _signed_area(shell)
    if -180.0 <= min(lons) and max(lons) <= 180.0 and area != 0.0:
        # Nothing to cut (most areas): the rings as they are, turned the right way, no shapely
        # objects (a map of 50,000 areas spends its time there otherwise; a small map's area is
        # written without loading shapely at all).
        rings = _valid_rings([(shell, area > 0.0)] + [(h, _signed_area(h) < 0.0) for h in holes])
        if rings is not None:
            return {"type": "Polygon", "coordinates": rings}
    numeric.load()
    from shapely.geometry import Polygon

    # (cut at +-180 where its edges cross on the geodesic, not between two vertices)
    shell, holes = with_crossings(shell, closed=True), [with_crossings(h, closed=True) for h in holes]
    poly = Polygon(shell, holes)
    if not poly.is_valid:
        poly = _made_valid(shell, holes)
    pieces = _world_pieces(poly)
    # (orient(): exterior counter-clockwise, holes clockwise already; a piece is valid)
    polys = [_valid_rings([(list(p.exterior.coords), True)] + [(list(r.coords), True) for r in p.interiors])
             or [_ring_out(list(p.exterior.coords), True, None)] + [_ring_out(list(r.coords), True, None)
                                                                    for r in p.interiors]
             for p in pieces]
    if len(polys) == 1:
        return {"type": "Polygon", "coordinates": polys[0]}
    return {"type": "MultiPolygon", "coordinates": polys}


def _made_valid(shell: list, holes: list[list]):
    """An area whose drawn rings are no valid polygon (geodesic edges that cross where the straight
    ones do not: a sliver twisted into a bow, a hole across an edge) as one that is, as the page
    fills it: all its outline encloses (each lobe of a bow), less what its holes enclose (a hole
    across an edge a notch)."""
    numeric.load()
    from shapely import make_valid, unary_union
    from shapely.geometry import Polygon

    def enclosed(ring: list):
        g = make_valid(Polygon(ring))
        return unary_union([p for p in getattr(g, "geoms", [g]) if p.geom_type in ("Polygon", "MultiPolygon")])

    area = enclosed(shell)
    return area.difference(unary_union([enclosed(h) for h in holes])) if holes else area


def _signed_area(ring: list[list[float]]) -> float:
    """Twice the signed area of a ring of [x, y] (positive: counter-clockwise)."""
    s = 0.0
    x0, y0 = ring[-1]
    for x1, y1 in ring:
        s += (x0 - x1) * (y0 + y1)
        x0, y0 = x1, y1
    return s


def _ring_out(ring: list[list[float]], keep: bool, digits: int | None = 9) -> list[list[float]]:
    """A ring closed, rounded as every written geometry is (``digits`` None: not rounded),
    reversed unless ``keep``."""
    pts = [[round(x, digits), round(y, digits)] if digits is not None else [float(x), float(y)] for x, y in ring]
    if pts[0] != pts[-1]:
        pts.append(list(pts[0]))
    return pts if keep else pts[::-1]


def _valid_rings(rings: list[tuple[list, bool]]) -> list[list[list[float]]] | None:
    """A polygon's rings (each with whether it keeps its direction), closed and rounded as every
    written geometry is, if that is a valid polygon; else unrounded if that is (the rounding moved
    a vertex onto another edge, or left a hole no area: written so, what SitMap wrote reopens as
    the same one area); else None."""
    for digits in (9, None):
        out = [_ring_out(r, keep, digits) for r, keep in rings]
        if valid_polygon(out[0], out[1:]):
            return out
    return None


def _world_pieces(poly) -> list:
    """The parts of an unwrapped polygon in each world copy, brought back into [-180, 180]."""
    numeric.load()
    from shapely import affinity
    from shapely.geometry import Polygon, box
    from shapely.geometry.polygon import orient

    pieces = []
    for k in (-2, -1, 0, 1, 2):
        part = poly.intersection(box(-180 + 360 * k, -90, 180 + 360 * k, 90))
        if part.is_empty:
            continue
        for p in getattr(part, "geoms", [part]):
            if isinstance(p, Polygon) and not p.is_empty and p.area > 0:
                pieces.append(orient(affinity.translate(p, xoff=-360 * k), 1.0))
    return pieces


def shape_of(f) -> Shape:
    """The drawn geometry of a feature, computed once in the feature's life: features are
    immutable, so it is kept on the feature itself (saving or exporting a map of 100,000 lines
    and areas does not work out their geodesics again; the drawn map holds the same lists)."""
    shape = _kept(f)
    if shape is None:
        shape = _keep(f, _compute(f))
    return shape


def keep_shape(f, shape: Shape) -> None:
    """``shape``, worked out already for a feature of the same kind and geometry (a reader's
    redrawing of SitMap's own lines and areas), kept with ``f`` as :func:`shape_of` keeps its own."""
    if _kept(f) is None:
        _keep(f, shape)


def _kept(f) -> Shape | None:
    return getattr(f, "__dict__", {}).get("_drawn_shape")


def _keep(f, shape: Shape) -> Shape:
    if hasattr(f, "__dict__"):
        object.__setattr__(f, "_drawn_shape", shape)  # not a field: equality and hashing ignore it
    return shape


def _shape(display, make_geojson, kind: str, label_at, label_ring, rows_at, _new=object.__new__) -> Shape:
    """``Shape(display, make_geojson, kind, label_at=label_at, label_ring=label_ring,
    rows_at=rows_at)`` of a line or area, made without the frozen dataclass's ``__init__`` (a
    large map makes 100,000 of them, and setting nine fields one by one was most of each one's
    making): its fields put in its own dict, in order (as geodesic_path.made_path). Every field is given."""
    shape = _new(Shape)
    d = shape.__dict__
    d["display"] = display
    d["make_geojson"] = make_geojson
    d["kind"] = kind
    d["label_at"] = label_at
    d["outline"] = None
    d["uncertainty_display"] = None
    d["make_uncertainty_geojson"] = None
    d["label_ring"] = label_ring
    d["rows_at"] = rows_at
    return shape


def _path_shape(path) -> Shape:
    display = path.display
    return _shape(display, path.to_geojson, "line", display[len(display) // 2], None, path.rows_at)


def _area_shape(rings) -> Shape:
    # Edges are geodesics, densified like paths, so the outline is right at any size.
    display = []
    for ring in rings:
        pts = ring.display
        pts = pts[:-1] if len(pts) > 1 and pts[-1] == pts[0] else list(pts)
        display.append(pts)
    return _shape([display], partial(split_polygon, display), "polygon", None, display[0],
                  [ring.rows_at for ring in rings])


def prepare_shapes(features) -> None:
    """Work out the drawn shapes of many lines and areas together (a large map's): their geodesic
    edges in bulk (:func:`viewer.model.geodesy.geodesic_paths`), each shape what :func:`shape_of`
    would give, kept on its feature. A feature that cannot be drawn is left to :func:`shape_of`,
    which says why."""
    todo = [f for f in features if (f.kind == "path" or f.kind == "area") and _kept(f) is None]
    positions = []  # each line's, each area ring's
    for f in todo:
        coords = f.geometry["coordinates"]
        if f.kind == "path":
            positions.append(coords)
        else:
            positions.extend(coords)
    try:
        paths = iter(geodesy.geodesic_paths_of_positions(positions))  # (as latlons turns them)
    except ValueError:
        return
    for f in todo:
        rings = len(f.geometry["coordinates"]) if f.kind == "area" else 0
        _keep(f, _path_shape(next(paths)) if not rings else _area_shape([next(paths) for _ in range(rings)]))


def many_geodesics(features) -> bool:
    """Whether a map's lines and areas are drawn in bulk (:func:`prepare_shapes`, geodesics in C):
    many of them, or many vertices between them. The screen and every file decide by this."""
    from viewer.model.geodesic_solver import BULK_SHAPES, BULK_VERTICES

    shapes = vertices = 0
    for f in features:
        if f.kind == "path":
            shapes += 1
            vertices += len(f.geometry["coordinates"])
        elif f.kind == "area":
            shapes += 1
            vertices += sum(len(ring) for ring in f.geometry["coordinates"])
    return shapes >= BULK_SHAPES or vertices >= BULK_VERTICES


def prepare_many(features) -> None:
    """Before the shapes of a whole map are asked for one by one (a writer's, a check's): those of
    a large map worked out as the screen draws it (its lines and areas together,
    :func:`prepare_shapes`, and every geodesic in C) and kept with their features, so a file
    carries the screen's geometry. (100,000 lines and areas one by one in Python: 40 s.) A small
    map's are left to :func:`shape_of`, as the screen leaves them; so is one that cannot be drawn
    (its caller's :func:`shape_of` says why)."""
    from viewer.model.geodesic_solver import compiled

    features = list(features)
    if not many_geodesics(features):
        return
    with compiled():
        prepare_shapes(features)
        for f in features:
            if f.kind != "place" or f.properties.get("uncertainty_m"):  # (a plain point's is itself)
                try:
                    shape_of(f)
                except (ValueError, ArithmeticError):
                    pass


def _compute(f) -> Shape:
    p = f.properties
    g = f.geometry
    if f.kind == "range_ring":
        lon, lat = g["coordinates"][:2]
        ring = geodesy.range_ring(float(lat), float(lon), float(p["radius_m"]))
        return Shape(ring.display, ring.to_geojson, "polygon", label_at=ring.label_point(0.0),
                     outline=ring_outline(ring))
    if f.kind == "path":
        return _path_shape(geodesy.geodesic_path(latlons(g["coordinates"])))
    if f.kind == "area":
        return _area_shape([geodesy.geodesic_path(latlons(ring)) for ring in g["coordinates"]])
    lon, lat = g["coordinates"][:2]
    lat, lon = float(lat), float(lon)
    unc_display = unc_geojson = None
    if p.get("uncertainty_m"):
        ring = geodesy.range_ring(lat, lon, float(p["uncertainty_m"]))
        unc_display, unc_geojson = ring.display, ring.to_geojson
    return Shape((lat, lon), partial(_point, lon, lat), "marker",
                 uncertainty_display=unc_display, make_uncertainty_geojson=unc_geojson)


def drawn_area_geojson(rings: list) -> dict[str, Any]:
    """What SitMap draws and writes for an area of these rings (``[lon, lat]`` corners), as any
    file gets it: its geodesic edges, split at +-180 (a Polygon or MultiPolygon)."""
    return _area_shape([geodesy.geodesic_path(latlons(ring)) for ring in rings]).geojson


def _point(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}
