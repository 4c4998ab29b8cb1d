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
    """{feature id: id of the feature it is drawn from}, for the features drawn from another.
    One walk through the features (a 100,000-feature map is timed at once)."""
    launches: list = []  # point features with role "launch"
    stated: dict[str, str] = {}
    paths: list = []
    areas: list = []
    for f in scenario.features:
        p = f.properties
        if not p:
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
    links: dict[str, str] = {}
    if stated:  # (the anchors the map names that it holds: no set of a million ids for a few)
        named = set(stated.values())
        held = {f.id for f in scenario.features if f.id in named}
        links = {fid: anchor for fid, anchor in stated.items() if anchor in held}
    if not launches:
        return links
    launch_ids = {f.id for f in launches}
    # Where each launch point's features start: the point, and its rings' centres.
    at: dict[tuple[float, float], set[str]] = {}
    for f in launches:
        at.setdefault(_key(f.geometry.get("coordinates")), set()).add(f.id)
    if links:
        for f in scenario.features:
            if f.kind == "range_ring" and links.get(f.id) in launch_ids:
                at.setdefault(_key(f.geometry.get("coordinates")), set()).add(links[f.id])
    at.pop(None, None)
    path_ends: list[tuple[tuple[float, float], str]] = []  # (a flight path's end, its launch point)
    for f in paths:
        if f.id in links:
            continue
        coords = _line(f.geometry)
        here = at.get(_key(coords[0])) if coords else None
        if here and len(here) == 1:  # (two launch points at one place: whose it is is not known)
            links[f.id] = anchor = next(iter(here))
            end = _key(coords[-1])
            if end is not None:
                path_ends.append((end, anchor))
    for f in areas:
        if f.id in links:
            continue
        if len(launches) == 1:
            links[f.id] = launches[0].id
            continue
        ring = _outer_ring(f.geometry)
        owners = {anchor for end, anchor in path_ends if _inside(end, ring)}
        if len(owners) == 1:
            links[f.id] = owners.pop()
    return links


def launch_groups(scenario, links: dict[str, str] | None = None) -> dict[str, list[str]]:
    """{launch point id: [ids of the features drawn from it]}, for launch points with any."""
    links = drawn_from(scenario) if links is None else links
    if not links:
        return {}
    launch_ids = {f.id for f in scenario.features if f.properties.get("role") == "launch"}
    out: dict[str, list[str]] = {}
    for fid, anchor in links.items():
        if anchor in launch_ids:
            out.setdefault(anchor, []).append(fid)
    return out


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
