"""The view a briefing's frame shows (as Leaflet fits it) and the basemap tiles that view needs:
for the HTML export, which carries its tiles, and for the briefing pages the app draws, which are
given the tiles of their frame at once."""

from __future__ import annotations

import math
from typing import Any

from viewer.model import mercator

MIN_ZOOM, MAX_TILE_ZOOM = 2, 14


def project(lat: float, lng: float, zoom: float) -> tuple[float, float]:
    """Leaflet's EPSG:3857 pixel coordinates at ``zoom``."""
    return mercator.world_xy(lat, lng, zoom)


def unproject(x: float, y: float, zoom: float) -> tuple[float, float]:
    return mercator.latlng_of(x, y, zoom)


def fitted_view(view: dict[str, Any], frame_w: float, frame_h: float, snap: float = 0.25,
                padding: float = 10.0, one_world: bool = False) -> tuple[tuple[float, float], float]:
    """The centre and zoom Leaflet's fitBounds (padding 10 px, zoomSnap ``snap``) picks;
    ``one_world``: as a briefing's frame (resources/js/briefing.js refit) and the window
    (sitmap.js fitScenario, whole zooms) show it: never so far out that a feature shows twice, nor
    the world shorter than the frame (:func:`one_world_zoom`), kept within its top and bottom."""
    if "bounds" not in view:
        c = view.get("center", [20.0, 0.0])
        return (float(c[0]), float(c[1])), float(view.get("zoom", 6))
    (s, w), (n, e) = view["bounds"]
    x0, y0 = project(n, w, 0)
    x1, y1 = project(s, e, 0)
    bw, bh = max(1e-9, x1 - x0), max(1e-9, y1 - y0)
    room = min((frame_w - 2 * padding) / bw, (frame_h - 2 * padding) / bh)
    if room > 0:
        zoom = math.log2(room)
        zoom = math.floor(round(zoom / (snap / 100)) * (snap / 100) / snap) * snap
        whole = math.floor(zoom + 1e-9)
        zoom = whole + (0.25 if zoom - whole >= 0.25 - 1e-9 else 0.0)  # as briefing.js's refit
    else:  # (a frame narrower than its padding: no zoom fits)
        zoom = -math.inf
    mid_x, mid_y = (x0 + x1) / 2, (y0 + y1) / 2
    least, whole_world = one_world_zoom(frame_w, frame_h, e - w, whole_steps=snap >= 1.0, bounds=view["bounds"])
    if one_world and zoom < least:
        zoom = whole_world
        focus = view.get("focus")
        if isinstance(focus, (int, float)) and math.isfinite(focus):
            # across: on the focus (its copy nearest the bounds' middle), as lon_span.js showOneWorld,
            # but not so far that the bounds, which fit across, run off the frame
            lng = float(focus)
            near = (w + e) / 2
            mid_x = project(0.0, lng + math.floor((near - lng) / 360 + 0.5) * 360, 0)[0]
            scale, pad = 2 ** zoom, FIT_PAD / 2 ** zoom
            if x1 - x0 <= (frame_w - 2 * FIT_PAD) / scale:
                half = frame_w / 2 / scale
                mid_x = max(x1 + pad - half, min(x0 - pad + half, mid_x))
        half = frame_h / 2 / 2 ** zoom  # (at zoom 0)
        mid_y = max(half, min(256.0 - half, mid_y))
    zoom = max(MIN_ZOOM, min(MAX_TILE_ZOOM, zoom))
    lat, lng = unproject(mid_x, mid_y, 0)
    return (lat, lng), zoom


FIT_PAD = 10.0  # pixels each side, as the fitted views pad the bounds (lon_span.js FIT_PAD)


def one_world_zoom(frame_w: float, frame_h: float, lon_span: float = 360.0,
                   whole_steps: bool = False, bounds=None) -> tuple[float, float]:
    """(least, zoom): a fit below ``least`` would show something of a map spanning ``lon_span``
    degrees of longitude twice in the frame (a share f of the world's width, centred, shows twice
    where the world is narrower than ``frame_w / (2 - f)``; f counted a quarter wider for the names
    beside the features), or the world shorter than the frame; such a map is shown at ``zoom``
    instead, the world at least as wide as the frame and as tall (resources/js/lon_span.js
    oneWorld). In quarter steps up, or (``whole_steps``) the nearest whole zoom (the window's).
    Never below :data:`MIN_ZOOM`. ``bounds`` ([[south, west], [north, east]]), where they would
    not fit the frame at that zoom: a step further out at a time while they do not, down to
    ``least`` and on down to where the features themselves (not their names) would show twice."""

    def steps(z: float) -> float:
        return max(float(MIN_ZOOM), float(math.floor(z + 0.5)) if whole_steps else math.ceil(z * 4 - 1e-9) / 4)

    def once(f: float) -> float:  # the least zoom at which a share f of the world's width shows once
        return steps(math.log2(max(frame_w / (2.0 - max(0.0, min(1.0, f))), frame_h, 1.0) / 256.0))

    share = lon_span / 360.0
    least = once(share + 0.25)
    zoom = max(least, steps(math.log2(max(frame_w, frame_h, 1.0) / 256.0)))
    bare = min(least, once(share))  # (past least, down to where the features themselves would show twice)
    step = 1.0 if whole_steps else 0.25
    while bounds is not None and zoom - step >= bare - 1e-9 and not _bounds_fit(frame_w, frame_h, bounds, zoom):
        zoom -= step
    return least, zoom


def _bounds_fit(frame_w: float, frame_h: float, bounds, zoom: float) -> bool:
    (s, w), (n, e) = bounds
    x0, y1 = project(s, w, zoom)
    x1, y0 = project(n, e, zoom)
    return x1 - x0 <= frame_w - 2 * FIT_PAD and y1 - y0 <= frame_h - 2 * FIT_PAD


def tile_zoom(zoom: float) -> int:
    """The zoom of the tiles Leaflet shows at ``zoom`` (its Math.round: 2.5 is 3, where Python's
    round gives 2)."""
    return math.floor(zoom + 0.5)


def tiles_for_view(centre: tuple[float, float], zoom: float, frame_w: float, frame_h: float,
                   extra: float = 1.0, max_zoom_step: int = 1, zooms_out: int = 3) -> list[tuple[int, int, int]]:
    """Tiles covering the frame and ``extra`` frames around it, from ``zooms_out`` zooms out to
    ``max_zoom_step`` zooms in from the tile zoom Leaflet uses at ``zoom``."""
    base = tile_zoom(zoom)
    out: list[tuple[int, int, int]] = []
    # (as Leaflet works out a view's tiles: from its centre's whole pixel at the tile zoom and the
    # map's whole pixels, clientWidth; half a pixel either way, where the page's centre may fall)
    w, h = round(frame_w), round(frame_h)
    for z in range(max(MIN_ZOOM, base - zooms_out), min(MAX_TILE_ZOOM, base + max_zoom_step) + 1):
        k = 2 ** (z - zoom)
        cx, cy = project(centre[0], centre[1], z)
        half_w = w * (0.5 + extra) * k
        half_h = h * (0.5 + extra) * k
        n = 2 ** z
        x0 = math.floor((math.floor(cx - 0.5) - half_w) / 256)
        x1 = math.ceil((math.floor(cx + 0.5) + half_w) / 256) - 1
        y0 = max(0, math.floor((math.floor(cy - 0.5) - half_h) / 256))
        y1 = min(n - 1, math.ceil((math.floor(cy + 0.5) + half_h) / 256) - 1)
        xs = sorted({x % n for x in range(x0, x1 + 1)})
        out += [(z, x, y) for x in xs for y in range(y0, y1 + 1)]
    return out


def frame_tiles(view: dict[str, Any], frame_w: float, frame_h: float) -> list[tuple[int, int, int]]:
    """The tiles a briefing's basemap shows in its frame: those of the tile zoom Leaflet uses at
    the fitted view, over the frame and no more."""
    centre, zoom = fitted_view(view, frame_w, frame_h, one_world=True)
    return tiles_for_view(centre, zoom, frame_w, frame_h, extra=0.0, max_zoom_step=0, zooms_out=0)


def place_tiles(text: str, token: str, tiles: dict[str, bytes]) -> str:
    """``text`` with the JSON string ``token`` (quoted, as JSON writes it) replaced by
    :func:`~viewer.render.safe_json.tiles_json` of ``tiles``; ValueError unless the token stands there
    exactly once."""
    import json

    from viewer.render.safe_json import tiles_json

    quoted = json.dumps(token)
    if text.count(quoted) != 1:
        raise ValueError("the page did not place the basemap tiles exactly once")
    return text.replace(quoted, tiles_json(tiles))
