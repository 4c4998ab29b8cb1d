"""The briefing as one self-contained, interactive HTML file.

Every script, style and icon is inlined, and the basemap tiles that cover the view (at
the zooms one can reach from it) travel in the file as data that briefing.js draws with
basemap.js's own tile painter. The file opens offline in any browser and asks for
nothing outside itself. No Qt here.
"""

from __future__ import annotations

import base64
import math
from pathlib import Path
from typing import Any, Callable

from viewer.export.briefing import BriefingOptions, ExportSize, briefing_layout, compose
from viewer.model import mercator
from viewer.model.scenario import Scenario
from viewer.render import layers as layer_mod

_BASE = "sitmap-inline-asset:/"  # placeholder prefix, replaced by the files' contents
_TILE_URL = "inline:{z}/{x}/{y}"
_MIN_ZOOM, _MAX_TILE_ZOOM = 2, 14
_MAX_TILES = 1500


class HtmlExportError(RuntimeError):
    pass


# ----------------------------------------------------------------------------- the view
def _project(lat: float, lng: float, zoom: float) -> tuple[float, float]:
    """Leaflet's EPSG:3857 pixel coordinates at ``zoom``."""
    return mercator.world_xy(lat, lng, zoom)


def _unproject(x: float, y: float, zoom: float) -> tuple[float, float]:
    return mercator.latlng_of(x, y, zoom)


def fitted_view(view: dict[str, Any], frame_w: float, frame_h: float, snap: float = 0.25,
                padding: float = 10.0) -> tuple[tuple[float, float], float]:
    """The centre and zoom Leaflet's fitBounds (padding 10 px, zoomSnap ``snap``) picks."""
    if "bounds" not in view:
        c = view.get("center", [20.0, 0.0])
        return (float(c[0]), float(c[1])), float(view.get("zoom", 6))
    (s, w), (n, e) = view["bounds"]
    x0, y0 = _project(n, w, 0)
    x1, y1 = _project(s, e, 0)
    bw, bh = max(1e-9, x1 - x0), max(1e-9, y1 - y0)
    zoom = math.log2(min((frame_w - 2 * padding) / bw, (frame_h - 2 * padding) / bh))
    zoom = math.floor(round(zoom / (snap / 100)) * (snap / 100) / snap) * snap
    whole = math.floor(zoom + 1e-9)
    zoom = whole + (0.25 if zoom - whole >= 0.25 - 1e-9 else 0.0)  # as briefing.js's refit
    zoom = max(_MIN_ZOOM, min(_MAX_TILE_ZOOM, zoom))
    lat, lng = _unproject((x0 + x1) / 2, (y0 + y1) / 2, 0)
    return (lat, lng), zoom


def tiles_for_view(centre: tuple[float, float], zoom: float, frame_w: float, frame_h: float,
                   extra: float = 1.0, max_zoom_step: int = 1) -> list[tuple[int, int, int]]:
    """Tiles covering the frame and ``extra`` frames around it, from a few zooms out to
    ``max_zoom_step`` zooms in from the tile zoom Leaflet uses at ``zoom``."""
    base = int(round(zoom))
    out: list[tuple[int, int, int]] = []
    for z in range(max(_MIN_ZOOM, base - 3), min(_MAX_TILE_ZOOM, base + max_zoom_step) + 1):
        k = 2 ** (z - zoom)
        cx, cy = _project(centre[0], centre[1], z)
        half_w = frame_w * (0.5 + extra) * k
        half_h = frame_h * (0.5 + extra) * k
        n = 2 ** z
        x0, x1 = math.floor((cx - half_w) / 256), math.floor((cx + half_w) / 256)
        y0, y1 = max(0, math.floor((cy - half_h) / 256)), min(n - 1, math.floor((cy + half_h) / 256))
        xs = sorted({x % n for x in range(x0, x1 + 1)})
        out += [(z, x, y) for x in xs for y in range(y0, y1 + 1)]
    return out


# ----------------------------------------------------------------------------- inlining
def inline_assets(html: str) -> str:
    """Every script and style sheet in the file, a style sheet's images as data URLs."""
    from viewer.render.page_assets import inline_assets as inline

    html = inline(html, _BASE)
    if _BASE in html:
        raise HtmlExportError("an asset was left out of the page")
    return html


_MAX_PACKAGE_BYTES = 24 * 1024 * 1024  # raster package tiles carried in one file, at most


def _inline_raster(pkg, keys, left_out: list[str]) -> dict[str, Any] | None:
    """A raster package's page spec with its tiles for ``keys`` as data URLs (nothing fetched).
    Tiles past the size limit, or that the archive cannot give, are left out and counted."""
    from viewer.render.tile_packages import RASTER_MIME, TilePackageError

    inline: dict[str, str] = {}
    total = over = broken = 0
    for z, x, y in keys:
        if not pkg.covers(z, x, y):
            continue
        try:
            data = pkg.tile(z, x, y)
        except TilePackageError:
            broken += 1
            continue
        if data is None:
            continue
        url = f"data:{RASTER_MIME[pkg.format]};base64,{base64.b64encode(data).decode('ascii')}"
        if total + len(url) > _MAX_PACKAGE_BYTES:
            over += 1
            continue
        total += len(url)
        inline[f"{z}/{x}/{y}"] = url
    if over:
        left_out.append(f"{over} tiles of {pkg.name} left out (over {_MAX_PACKAGE_BYTES // 2**20} MB)")
    if broken:
        left_out.append(f"{broken} damaged tiles of {pkg.name} left out")
    spec = pkg.page_spec("")
    spec["url"] = ""
    spec["inline"] = inline
    return spec


# ----------------------------------------------------------------------------- export
def build_html(scenario: Scenario, size: ExportSize, opts: BriefingOptions | None = None,
               progress: Callable[[int, str], None] | None = None, basemap=None,
               notes: list[str] | None = None) -> str:
    from dataclasses import replace

    from viewer.render.basemap import Basemap

    opts = replace(opts or BriefingOptions(), interactive=True)
    from viewer.render.drawn_set import DrawnSet

    drawn = DrawnSet.of(layer_mod.draw_scenario(scenario))  # (its legend counted as it is made)
    if progress:
        progress(1, "composing the briefing page")
    f = briefing_layout(scenario, size, opts, drawn=drawn).frame
    centre, zoom = fitted_view(layer_mod.view_of(scenario, drawn), f.width, f.height)
    basemap = basemap or Basemap.load()
    tiles: dict[str, bytes] = {}
    keys = tiles_for_view(centre, zoom, f.width, f.height)
    if len(keys) > _MAX_TILES:
        keys = tiles_for_view(centre, zoom, f.width, f.height, extra=0.25, max_zoom_step=0)
    from viewer.render.tile_packages import REGISTRY, credit_text

    pkg = REGISTRY.chosen()  # the basemap chosen for the screen is the briefing's too
    left_out: list[str] = []
    if REGISTRY.online is not None:
        # The provider's tiles are not copied into a file: the offline basemap stands in.
        left_out.append(f"{REGISTRY.online.get('name', 'the online layer')} left out (online only); "
                        "offline basemap shown")
        pkg = None
    if progress:
        progress(2, f"packing {len(keys)} basemap tiles" + (f" ({pkg.name})" if pkg else ""))
    import json

    package = None
    # The tiles' JSON goes into the file as the basemap made it (not parsed and written again).
    for z, x, y in keys:
        if pkg is not None and pkg.is_vector:
            from viewer.render.tile_packages import package_tile_json

            tiles[f"{z}/{x}/{y}"] = package_tile_json(pkg, z, x, y, basemap.tile)
        else:
            tiles[f"{z}/{x}/{y}"] = basemap.tile(z, x, y)
    if pkg is not None and not pkg.is_vector:
        package = _inline_raster(pkg, keys, left_out)
    attribution = basemap.attribution if REGISTRY.online is not None else credit_text(basemap.attribution)
    if left_out:
        attribution += " · " + "; ".join(left_out)
        if progress:
            progress(2, "; ".join(left_out))
    if notes is not None:
        notes.extend(left_out)
    # Panning stays within the packed area: the frame and one frame around it.
    cx, cy = _project(centre[0], centre[1], zoom)
    south, west = _unproject(cx - f.width * 1.5, cy + f.height * 1.5, zoom)
    north, east = _unproject(cx + f.width * 1.5, cy - f.height * 1.5, zoom)
    import secrets

    token = f"__sitmap_tiles_{secrets.token_hex(16)}__"
    inline = {"tiles": token, "minZoom": max(_MIN_ZOOM, int(round(zoom)) - 3),
              "maxZoom": min(_MAX_TILE_ZOOM, int(round(zoom)) + 1),
              "bounds": [[south, west], [north, east]]}
    page = compose(scenario, size, opts, drawn=drawn, asset_base=_BASE, basemap_url=_TILE_URL,
                   attribution=attribution, with_channel=False,
                   extra_config={"inlineTiles": inline, "pixelRatio": None}, package=package)
    quoted = json.dumps(token)
    if page.html.count(quoted) != 1:
        raise HtmlExportError("the page did not place the basemap tiles exactly once")
    html = page.html.replace(quoted, _tiles_json(tiles))
    if progress:
        progress(3, "inlining scripts and styles")
    from viewer.render.csp import with_csp

    # The file runs only its own (inlined, hashed) scripts and reaches nothing outside itself.
    return with_csp(inline_assets(html), own="")


def _tiles_json(tiles: dict[str, bytes]) -> str:
    """``{"z/x/y": tile, ...}`` from the tiles' own JSON, made safe inside a <script> element
    the way viewer.render.safe_json does it."""
    import json

    parts = [f"{json.dumps(k)}:{v.decode('utf-8')}" for k, v in tiles.items()]
    text = "{" + ",".join(parts) + "}"
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def export_briefing_html(scenario: Scenario, path: Path, size: ExportSize, opts: BriefingOptions | None = None,
                         progress: Callable[[int, str], None] | None = None) -> None:
    from viewer.model.project import write_atomic

    html = build_html(scenario, size, opts, progress=progress)
    if progress:
        progress(4, f"writing {Path(path).name}")
    write_atomic(Path(path), html.encode("utf-8"))
