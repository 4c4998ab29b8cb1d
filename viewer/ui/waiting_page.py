"""A start-up's page begun before its map is read (``sitmap BIG``): what it waits for, and the
answers that let it go on. Its scripts load and run while the map is read; once read, it is
given where its map starts (the view, the basemap and that view's tiles: painted while the map
is drawn); once drawn, the rest of its payload with the features batch inside it; a large map's
legend right after that (counted on its own while the page draws the features). The page
(resources/js/sitmap.js) asks for each at once; the scheme handler holds each request until its
answer is given (:meth:`~viewer.ui.web.AppSchemeHandler.hold_data`); the legend's is answered
null when the payload carries it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable


@dataclass
class WaitingPage:
    key: str  # the page template's (viewer.render.page.template_key): a payload must be built for it
    start_name: str  # the data names its requests wait on
    payload_name: str
    legend_name: str  # (null unless its payload says the legend comes later)
    view: dict[str, Any] | None = None  # the view it was given (set once its start is)


def start_answer(map_payload: dict[str, Any], tiles: dict[str, bytes]) -> bytes:
    """The map's start (page.map_payload) with the basemap tiles of its view inside it, their
    JSON as made."""
    from viewer.render.safe_json import safe_json

    return _spliced(safe_json(map_payload), [b'"carriedTiles":{' + b",".join(
        json.dumps(k).encode("ascii") + b":" + v for k, v in tiles.items()) + b"}"] if tiles else [])


def payload_answer(payload: str, batch: bytes | None) -> bytes:
    """The page's payload (JSON) with its features batch inside it (megabytes of JSON as made,
    not decoded and written again): the page need not ask the app again, busy as it is then
    filling the window's panels."""
    return _spliced(payload, [b'"featuresBatch":' + batch] if batch is not None else [])


def _spliced(obj: str, members: list[bytes]) -> bytes:
    body = obj.encode("utf-8")
    return b"{" + b",".join(members) + b"," + body[1:] if members else body


def view_tiles(view: dict[str, Any], width: int, height: int,
               tile: Callable[[int, int, int], bytes | None]) -> dict[str, bytes | None]:
    """The built-in basemap's tiles of ``view`` as the page fits it (Leaflet's fitBounds, whole
    zooms) in a map of this size: {"z/x/y": tile} (None where ``tile`` has none). A tile the
    page needs and does not find here it asks for as usual."""
    from viewer.export.frame_view import fitted_view, tiles_for_view

    centre, zoom = fitted_view(view, width, height, snap=1.0, one_world=True)
    return {f"{z}/{x}/{y}": tile(z, x, y)
            for z, x, y in tiles_for_view(centre, zoom, width, height, extra=0.0, max_zoom_step=0, zooms_out=0)}
