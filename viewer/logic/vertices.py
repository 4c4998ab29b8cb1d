"""What the square handles of a selected feature move: a point or a ring's centre, or one
vertex of a line or area. Whether the result may be stored is the document's call."""

from __future__ import annotations

from viewer.model.coords import normalise_lon, to_latlon
from viewer.model.scenario import Feature


def editable_vertices(f: Feature) -> list[tuple[float, float]]:
    """(lat, lon) of every handle."""
    g = f.geometry
    if g["type"] == "Point":
        return [f.latlon()]
    if g["type"] == "LineString":
        return to_latlon(g["coordinates"])
    return to_latlon(g["coordinates"][0][:-1])


def moved(f: Feature, index: int, lat: float, lng: float) -> Feature | None:
    """The feature with handle ``index`` at (lat, lng); None if there is no such handle."""
    pos = [normalise_lon(lng), lat]
    g = f.geometry
    if g["type"] == "Point":
        if index != 0:
            return None
        geometry = {"type": "Point", "coordinates": pos}
    elif g["type"] == "LineString":
        coords = [list(c) for c in g["coordinates"]]
        if not 0 <= index < len(coords):
            return None
        coords[index] = pos
        geometry = {"type": "LineString", "coordinates": coords}
    else:
        ring = [list(c) for c in g["coordinates"][0][:-1]]
        if not 0 <= index < len(ring):
            return None
        ring[index] = pos
        ring.append(list(ring[0]))
        geometry = {"type": "Polygon", "coordinates": [ring] + [list(r) for r in g["coordinates"][1:]]}
    return Feature(f.id, f.kind, geometry, dict(f.properties))
