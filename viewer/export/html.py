"""The briefing as one self-contained, interactive HTML file.

Every script, style and icon is inlined, and the basemap tiles that cover the view (at
the zooms one can reach from it) travel in the file as data that briefing.js draws with
the basemap's own tile painter (basemap_paint.js). The file opens offline in any browser and asks for
nothing outside itself. No Qt here.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any, Callable

from viewer.export.briefing import BriefingOptions, ExportSize, briefing_layout, compose
from viewer.export.frame_view import (MAX_TILE_ZOOM, MIN_ZOOM, fitted_view, place_tiles, project, tile_zoom, tiles_for_view,
                                      unproject)
from viewer.model.scenario import Scenario
from viewer.render import layers as layer_mod

_BASE = "sitmap-inline-asset:/"  # placeholder prefix, replaced by the files' contents
_TILE_URL = "inline:{z}/{x}/{y}"
_MAX_TILES = 1500


class HtmlExportError(RuntimeError):
    pass


# ----------------------------------------------------------------------------- inlining
def inline_assets(html: str) -> str:
    """Every script and style sheet in the file, a style sheet's images as data URLs."""
    from viewer.render.page_assets import inline_assets as inline

    html = inline(html, _BASE)
    # (an asset still referred to by a src or href: the map's own text may hold the prefix as text)
    if re.search(r'(?:src|href)\s*=\s*["\']?' + re.escape(_BASE), html):
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
    centre, zoom = fitted_view(layer_mod.view_of(scenario, drawn), f.width, f.height, one_world=True)
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
    cx, cy = project(centre[0], centre[1], zoom)
    south, west = unproject(cx - f.width * 1.5, cy + f.height * 1.5, zoom)
    north, east = unproject(cx + f.width * 1.5, cy - f.height * 1.5, zoom)
    import secrets

    token = f"__sitmap_tiles_{secrets.token_hex(16)}__"
    inline = {"tiles": token, "minZoom": max(MIN_ZOOM, tile_zoom(zoom) - 3),
              "maxZoom": min(MAX_TILE_ZOOM, tile_zoom(zoom) + 1),
              "bounds": [[south, west], [north, east]]}
    page = compose(scenario, size, opts, drawn=drawn, asset_base=_BASE, basemap_url=_TILE_URL,
                   attribution=attribution, with_channel=False,
                   extra_config={"inlineTiles": inline, "pixelRatio": None}, package=package)
    try:
        html = place_tiles(page.html, token, tiles)
    except ValueError as e:
        raise HtmlExportError(str(e)) from None
    if progress:
        progress(3, "inlining scripts and styles")
    from viewer.render.csp import with_csp

    # The file runs only its own (inlined, hashed) scripts and reaches nothing outside itself.
    return with_csp(inline_assets(html), own="")


def export_briefing_html(scenario: Scenario, path: Path, size: ExportSize, opts: BriefingOptions | None = None,
                         progress: Callable[[int, str], None] | None = None) -> None:
    from viewer.model.project import write_atomic

    html = build_html(scenario, size, opts, progress=progress)
    if progress:
        progress(4, f"writing {Path(path).name}")
    write_atomic(Path(path), html.encode("utf-8"))
