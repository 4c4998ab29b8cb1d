"""Which features of a map are drawn from another: a range ring from its centre, a launch point's
flight path and estimated impact area from the launch point. A time window shows them with the
feature they are drawn from (see :func:`viewer.model.map_times.feature_times`).

The links a map states are taken first: a ring's ``centre_feature``, an exported launch history's
``launch_id``. A map does not state the others (the launch event builder draws them, a saved map
keeps only their geometry), so they are recognised by it: a path that starts at a launch point
(or at the centre of one of its rings, where the point was moved after), and an area with role
``target_estimate`` that is the only launch point's, else the one its flight path ends in.
"""

from __future__ import annotations

from typing import Any, Iterable

# Positions are compared to this many decimals of a degree (about 1 m): the builder writes the
# launch point and its path's first vertex with the same rounding.
_DIGITS = 5


def drawn_from(scenario) -> dict[str, str]:
    """{feature id: id of the feature it is drawn from}, for the features drawn from one feature
    (see :func:`links_of` for those drawn from several at one place)."""
    return {fid: anchors[0] for fid, anchors in links_of(scenario).items() if len(anchors) == 1}


def links_of(scenario) -> dict[str, tuple[str, ...]]:
    """{feature id: ids of the features it is drawn from}: one, or several launch points at one
    place (whose path it is, the map does not say: it goes with each of them). One walk through
    the features (a 100,000-feature map is timed at once)."""
    launches: list = []  # point features with role "launch"
    stated: dict[str, str] = {}
    paths: list = []
    areas: list = []
    for f in scenario.features:
        p = f.properties
        if not p:
            if f.kind == "path":  # (a path another tool wrote without properties is still one)
                paths.append(f)
            continue
        centre = p.get("centre_feature")
        if centre is None:
            centre = p.get("launch_id")
        if isinstance(centre, str) and centre != f.id:
            stated[f.id] = centre
        kind = f.kind
        if kind == "path":
            paths.append(f)
        elif kind == "area" and p.get("role") == "target_estimate":
            areas.append(f)
        elif p.get("role") == "launch" and f.geometry.get("type") == "Point":
            launches.append(f)
    links: dict[str, tuple[str, ...]] = {}
    if stated:  # (the anchors the map names that it holds: no set of a million ids for a few)
        named = set(stated.values())
        held = {f.id for f in scenario.features if f.id in named}
        links = {fid: (anchor,) for fid, anchor in stated.items() if anchor in held}
    if not launches:
        return links
    launch_ids = {f.id for f in launches}
    # Where each launch point's features start: the point, and its rings' centres.
    at: dict[tuple[float, float], set[str]] = {}
    for f in launches:
        at.setdefault(_key(f.geometry.get("coordinates")), set()).add(f.id)
    if links:
        for f in scenario.features:
            anchor = links.get(f.id, (None,))[0] if f.kind == "range_ring" else None
            if anchor in launch_ids:
                at.setdefault(_key(f.geometry.get("coordinates")), set()).add(anchor)
    at.pop(None, None)
    ends = _Ends()  # where the flight paths end, and whose they are
    for f in paths:
        if f.id in links:
            continue
        coords = _line(f.geometry)
        here = at.get(_key(coords[0])) if coords else None
        if here:
            links[f.id] = anchors = tuple(sorted(here))
            end = _key(coords[-1])
            if end is not None:
                ends.add(end, anchors)
    for f in areas:
        if f.id in links:
            continue
        if len(launches) == 1:
            links[f.id] = (launches[0].id,)
            continue
        owners = ends.inside(_outer_ring(f.geometry))
        if owners:
            links[f.id] = tuple(sorted(owners))
    return links


def launch_groups(scenario, links: dict[str, tuple[str, ...]] | None = None) -> dict[str, list[str]]:
    """{launch point id: [ids of the features drawn from it]}, for launch points with any."""
    links = links_of(scenario) if links is None else links
    if not links:
        return {}
    launch_ids = {f.id for f in scenario.features if f.properties.get("role") == "launch"}
    out: dict[str, list[str]] = {}
    for fid, anchors in links.items():
        for anchor in anchors:
            if anchor in launch_ids:
                out.setdefault(anchor, []).append(fid)
    return out


class _Ends:
    """Flight paths' ends in cells of a degree, so an impact area looks only at the ends near it
    (a thousand launches, each with its path and area: 47 s when every area tried every end)."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[tuple[float, float], tuple[str, ...]]]] = {}
        self.count = 0

    def add(self, end: tuple[float, float], anchors: tuple[str, ...]) -> None:
        self.cells.setdefault(_cell(end[0], end[1]), []).append((end, anchors))
        self.count += 1

    def inside(self, ring: list) -> set[str]:
        """The launch points whose paths end inside the ring."""
        near = self._near(ring)
        return {a for end, anchors in near if _inside(end, ring) for a in anchors}

    def _near(self, ring: list):
        keys = [k for k in (_key(c) for c in ring) if k is not None]
        if len(keys) < 3 or not self.count:
            return []
        # The ring's longitudes unrolled from its first, so one across the 180th meridian spans
        # a few degrees, not 360.
        lon0, lons, lats = keys[0][0], [], []
        for lon, lat in keys:
            lon += 360.0 * round((lon0 - lon) / 360.0)
            lons.append(lon)
            lats.append(lat)
        west, east, south, north = min(lons), max(lons), min(lats), max(lats)
        cells = (int(east // 1) - int(west // 1) + 1) * (int(north // 1) - int(south // 1) + 1)
        if east - west >= 180.0 or cells > len(self.cells):  # (a vast area: every end, as before)
            return [e for held in self.cells.values() for e in held]
        out = []
        for x in range(int(west // 1), int(east // 1) + 1):
            for y in range(int(south // 1), int(north // 1) + 1):
                out.extend(self.cells.get(_cell(x, y), ()))
        return out


def _cell(lon: float, lat: float) -> tuple[int, int]:
    return int(((lon + 180.0) % 360.0 - 180.0) // 1), int(lat // 1)


def _key(c: Any) -> tuple[float, float] | None:
    try:
        return round(float(c[0]), _DIGITS), round(float(c[1]), _DIGITS)
    except (TypeError, ValueError, IndexError, KeyError):
        return None


def _line(geometry) -> list:
    coords = geometry.get("coordinates")
    if geometry.get("type") == "MultiLineString" and coords:
        coords = coords[0]
    return coords if isinstance(coords, list) else []


def _outer_ring(geometry) -> list:
    coords = geometry.get("coordinates") or []
    if geometry.get("type") == "MultiPolygon" and coords:
        coords = coords[0]
    return coords[0] if coords and isinstance(coords[0], list) else []


def _inside(point: tuple[float, float], ring: Iterable) -> bool:
    """Whether [lon, lat] ``point`` is inside the ring (even-odd rule on longitudes taken within
    180 degrees of the point's, so an area across the 180th meridian holds its points)."""
    x, y = point
    pts = []
    for c in ring:
        k = _key(c)
        if k is None:
            return False
        lon, lat = k
        lon += 360.0 * round((x - lon) / 360.0)
        pts.append((lon, lat))
    inside = False
    for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside
