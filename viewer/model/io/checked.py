"""What a lenient reader hands to the map: each feature checked as the document would store it
(:func:`viewer.model.document.validated_feature`, the stored file's rules), an invalid polygon
repaired when the repair keeps its shape, anything else left out and counted in the report."""

from __future__ import annotations

from typing import Any

from viewer.model import numeric
from viewer.model.document import checked_feature, drawable, validated_feature
from viewer.model.io import report as why
from viewer.model.io.common import ID_RE, LeftOut, Reading, round_the_world
from viewer.model.io.report import OpenReport
from viewer.model.json_read import check_storable
from viewer.model.rules import ScenarioError, one_place, unwrapped_ring
from viewer.model.scenario import MAX_FEATURES, Feature

# A repair keeps the shape when the repaired area differs from the drawn one by less than this
# share (a unitless ratio of two areas: a comparison of shapes, not a measurement).
SHAPE_KEPT = 0.01


def reason_of(e: ScenarioError) -> str:
    if isinstance(e, LeftOut):
        return e.reason
    what = e.what
    if "invalid polygon" in what:
        return why.SELF_CROSSING
    if "is outside -90..90" in what or "is outside -180..180" in what:
        return why.OUTSIDE
    return why.INVALID


def place_of(e: ScenarioError, label: str = "") -> str:
    """The name or place of what was left out, and why in a few words."""
    where = label or e.where
    if isinstance(e, LeftOut) or reason_of(e) in (why.SELF_CROSSING,):
        return where
    return f"{where} ({e.what})" if where else e.what


def checked_features(reading: Reading, report: OpenReport) -> list[Feature]:
    """Every feature that passes the stored file's rules, polygons repaired where that keeps their shape."""
    whole = _all_valid(reading)
    if whole is not None:
        report.opened = len(whole)
        return whole
    out: list[Feature] = []
    labels: list[str] = []
    taken: set[str] = set()
    all_ids = {d["id"] for d in reading.dicts}
    bulk = None  # whether the map's shapes are drawn in C (asked when a polygon is first repaired)
    points_of_lines = 0
    for d, label in zip(reading.dicts, reading.labels):
        if len(out) >= MAX_FEATURES:
            report.left_out(why.INVALID, f"{label} (more than {MAX_FEATURES:,} features)")
            continue
        props = dict(d["properties"])
        kind = str(props.get("kind", ""))
        try:
            f = checked_feature(Feature(d["id"], kind, d["geometry"], props), taken)  # (drawn below, together)
        except ScenarioError as e:
            geometry = d["geometry"]
            point = _one_place(geometry, props)
            if point is not None:  # (a track of one place, a GPS standing still: where it stood)
                try:
                    f = validated_feature(Feature(d["id"], "place", point, {**props, "kind": "place"}), taken)
                except ScenarioError:
                    pass
                else:
                    points_of_lines += 1
                    out.append(f)
                    labels.append(label)
                    taken.add(f.id)
                    continue
            parts = repaired_polygon(geometry) if reason_of(e) == why.SELF_CROSSING else None
            if not parts:
                report.left_out(why.WHOLE_WORLD if reason_of(e) == why.SELF_CROSSING and round_the_world(geometry)
                                else reason_of(e), place_of(e, label))
                continue
            from viewer.model.geodesic_solver import compiled

            fixed = []
            if bulk is None:
                bulk = _drawn_in_c(reading)
            try:
                with compiled(bulk):  # (a large map's repaired parts drawn as the rest of it is: in C)
                    for k, part in enumerate(parts):
                        fid = d["id"] if k == 0 else _free_id(f"{d['id']}-{k + 1}", all_ids | taken)
                        fixed.append(validated_feature(Feature(fid, kind, part, props), taken | {x.id for x in fixed}))
            except ScenarioError as e2:
                report.left_out(reason_of(e2), place_of(e2, label))
                continue
            report.repaired(label)
            out.extend(fixed)
            labels.extend([label] * len(fixed))
            taken.update(x.id for x in fixed)
            all_ids.update(x.id for x in fixed)
            continue
        out.append(f)
        labels.append(label)
        taken.add(f.id)
    if points_of_lines:
        report.note(f"{points_of_lines:,} line(s) whose points are all one place opened as point(s)")
    drawn = _drawn(out, labels, report)
    report.opened = len(drawn)
    return drawn


def _one_place(geometry: Any, props: dict) -> dict | None:
    """A line's one place as a point geometry, where every point of the line is that place."""
    coords = geometry.get("coordinates") if isinstance(geometry, dict) and geometry.get("type") == "LineString" else None
    if "vertices" in props or not isinstance(coords, list) or not coords \
            or not all(isinstance(p, list) for p in coords) or not one_place(coords):
        return None
    return {"type": "Point", "coordinates": list(coords[0][:2])}


def _drawn(features: list[Feature], labels: list[str], report: OpenReport) -> list[Feature]:
    """The checked features that can be drawn (their shapes worked out together, a large map's in
    C, as the screen draws them; those of one that cannot be drawn: left out, and said why)."""
    from viewer.model.geometry import prepare_many

    try:
        prepare_many(features)
    except (ValueError, ArithmeticError):  # (then each on its own, below, to say which)
        pass
    out = []
    for f, label in zip(features, labels):
        try:
            drawable(f)
        except ScenarioError as e:
            report.left_out(reason_of(e), place_of(e, label))
            continue
        out.append(f)
    return out


def _drawn_in_c(reading: Reading) -> bool:
    """Whether the map a reading makes is large enough for its shapes to be drawn together in C
    (:func:`viewer.model.geometry.prepare_many`'s rule, by its lines', areas' and vertices' count)."""
    from types import SimpleNamespace

    from viewer.model.geometry import many_geodesics

    try:
        return many_geodesics(SimpleNamespace(kind=d["properties"].get("kind"), geometry=d["geometry"])
                              for d in reading.dicts)
    except (TypeError, KeyError, AttributeError):  # (a shape not yet checked: the rest decide nothing)
        return False


def _all_valid(reading: Reading) -> list[Feature] | None:
    """The usual case first: the whole file passes at once (one pass of the reader's rules, as a
    saved file is read), or None and each feature is checked on its own."""
    from viewer.model.geometry import prepare_many, shape_of
    from viewer.model.scenario import parse_scenario

    if len(reading.dicts) > MAX_FEATURES:
        return None
    try:
        check_storable(reading.dicts)  # what a file can hold: no NaN, no objects
        features = parse_scenario({"type": "FeatureCollection", "features": reading.dicts}, stored=False).features
        _carry_shapes(reading, features)
        # Each can be drawn: worked out as the screen draws them (a large map's lines and areas
        # together, in C) and kept with them for the drawing that follows.
        prepare_many(features)
        for f in features:
            if f.kind != "place" or f.properties.get("uncertainty_m"):  # (a plain point is drawn as it is)
                shape_of(f)
    except (ScenarioError, ValueError, TypeError, ArithmeticError):
        return None
    return features


def _carry_shapes(reading: Reading, features: list[Feature]) -> None:
    """The shapes the reader worked out (:attr:`Reading.shapes`) kept with the features made of
    those dicts, where a feature is still of that kind and geometry."""
    from viewer.model.geometry import keep_shape

    if len(features) != len(reading.dicts):
        return
    for i, shape in reading.shapes.items():
        f, d = features[i], reading.dicts[i]
        if f.kind == d["properties"].get("kind") and f.geometry == d["geometry"]:
            keep_shape(f, shape)


def _free_id(cand: str, used: set[str]) -> str:
    k, base = 1, cand
    while cand in used or not ID_RE.match(cand):
        k += 1
        cand = f"{base[:100]}-{k}"
    return cand


def repaired_polygon(geometry: Any) -> list[dict[str, Any]] | None:
    """``shapely.make_valid`` of a polygon as drawn (longitudes unwrapped), as polygons, or None
    when the repair changes the shape (a bow-tie's two lobes cancel out: nothing to keep)."""
    numeric.load()
    from shapely.geometry import MultiPolygon, Polygon
    from shapely.validation import make_valid


    try:
        rings = [unwrapped_ring(r) for r in geometry["coordinates"]]
        if abs(rings[0][-1][0] - rings[0][0][0]) > 180:
            return _around_pole(geometry["coordinates"][0], rings[0])
        drawn = Polygon(rings[0], rings[1:])
        shell = abs(Polygon(rings[0]).area)
    except (TypeError, ValueError, IndexError, KeyError):
        return None
    before = abs(drawn.area)
    if before <= 0 or shell <= 0:  # (an outer ring of no area: its holes are not what the file shows)
        return None
    fixed = make_valid(drawn)
    polys: list[Polygon] = []
    stack = [fixed]
    while stack:
        g = stack.pop()
        if isinstance(g, Polygon):
            if not g.is_empty and g.area > 0:
                polys.append(g)
        elif isinstance(g, MultiPolygon) or hasattr(g, "geoms"):
            stack.extend(g.geoms)
    after = sum(p.area for p in polys)
    if not polys or abs(after - before) > SHAPE_KEPT * before:
        return None
    # (the repair's slivers, left where a ring ran back along itself: a piece of Natural Earth's
    # Sudan 80 km long and a tenth of a millimetre wide, each an area of its own; the largest piece stays)
    largest = max(polys, key=lambda p: p.area)
    polys = [p for p in polys if p is largest or 2.0 * p.area >= SLIVER_WIDTH_DEG * p.exterior.length]
    return _as_geojson(polys)


SLIVER_WIDTH_DEG = 1e-6  # a repaired piece narrower than this on average (2 area / perimeter; about 0.1 m) is no area


def _as_geojson(polys: list) -> list[dict[str, Any]]:
    numeric.load()
    from shapely.geometry.polygon import orient

    from viewer.model.coords import normalise_lon

    out = []
    for p in sorted(polys, key=lambda p: -p.area):
        p = orient(p, 1.0)

        def ring(coords) -> list[list[float]]:
            pts = [[normalise_lon(x) if abs(x) > 180 else x, y] for x, y in list(coords)]
            pts[-1] = list(pts[0])
            return pts

        out.append({"type": "Polygon", "coordinates": [ring(p.exterior.coords)] + [ring(i.coords) for i in p.interiors]})
    return out


def _around_pole(ring: list, unwrapped: list[tuple[float, float]]) -> list[dict[str, Any]] | None:
    """A ring that goes once round the globe (Antarctica in world-countries files) encloses a
    pole: closed along the antimeridian down to that pole and along the pole itself (edges of at
    most 45 degrees, so each follows the short way when unwrapped), it is one polygon from -180
    to 180 that SitMap draws and stores."""
    numeric.load()
    from shapely import segmentize, union_all
    from shapely.affinity import translate
    from shapely.geometry import Polygon, box

    on_pole = {90.0 if float(p[1]) > 0 else -90.0 for p in ring if abs(float(p[1])) >= 90.0}
    pole = on_pole.pop() if len(on_pole) == 1 else -90.0 if sum(p[1] for p in unwrapped) < 0 else 90.0
    # (a ring already closed along the pole, as SitMap and other tools write one cut at +-180: its
    # vertices on the pole are that closure, made again below)
    pts = [(float(p[0]), float(p[1])) for p in ring[:-1] if abs(float(p[1])) < 90.0]
    # start where the ring crosses the antimeridian, so the seam down to the pole crosses nothing
    jumps = [i for i in range(len(pts)) if abs(pts[(i + 1) % len(pts)][0] - pts[i][0]) > 180]
    if len(jumps) != 1:
        return None
    start = (jumps[0] + 1) % len(pts)
    seq = unwrapped_ring([list(p) for p in pts[start:] + pts[:start]])
    x0, y0 = seq[0]
    closed = Polygon(list(seq) + [(x0 + 360.0 if x0 < seq[-1][0] else x0 - 360.0, y0)])
    turn = closed.exterior.coords[-2][0]
    closed = Polygon(list(closed.exterior.coords)[:-1] + [(turn, pole), (x0, pole)])
    if not closed.is_valid:
        return None
    pieces = []
    for west, east in ((-180.0, 180.0),):  # the pieces beyond +-180 brought back and joined
        half = []
        for k in (-2, -1, 0, 1, 2):
            part = closed.intersection(box(west + 360 * k, -90, east + 360 * k, 90))
            if not part.is_empty:
                half.append(translate(part, xoff=-360 * k))
        for g in getattr(union_all(half), "geoms", [union_all(half)]) if half else []:
            if isinstance(g, Polygon) and not g.is_empty and g.area > 0:
                # no edge longer than 45 degrees: each stays the short way when unwrapped
                pieces.append(segmentize(g, 45.0))
    if not pieces:
        return None
    return _as_geojson(pieces)
