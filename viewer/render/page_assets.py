"""Where the pages' assets come from, and a page with its scripts and styles put inside it (the
HTML export's file carries every script, style sheet and image it needs, see
:mod:`viewer.export.html`). No Qt here.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from viewer import resources

MAX_TILE_BATCH = 256  # basemap tiles asked for in one request, at most (viewer.ui.web; a 4K view: about 100)


def leaflet_dir() -> Path:
    import xstatic.pkg.leaflet as leaflet

    return Path(leaflet.BASE_DIR)


# SitMap's page scripts, in load order, relative to the asset base (resources/js).
PAGE_JS = ("js/dom.js", "js/lon_span.js", "js/basemap_paint.js", "js/basemap.js", "js/basemap_kept.js", "js/tile_package.js", "js/point_paint.js", "js/point_pictures.js",
           "js/point_ahead.js", "js/point_layer.js", "js/points.js", "js/legend.js", "js/shape_steps.js", "js/shape_canvas.js",
           "js/parts.js", "js/tooltips_together.js", "js/feature_batch.js", "js/sitmap.js", "js/channel.js", "js/features.js", "js/base_layers.js", "js/draw.js",
           "js/history.js", "js/selection.js", "js/labels.js")
# The page loads them as this one script (one request instead of one for each, each a round trip
# through the app: 50-80 ms of every page's start). Each keeps its own scope (a function each).
PAGE_BUNDLE = "js/sitmap-page.js"


def page_bundle() -> str:
    """The text of :data:`PAGE_BUNDLE`: the page scripts one after another, each named."""
    return "".join(f"// --- {name}\n{resources.read_text(*name.split('/'))}\n;\n" for name in PAGE_JS)


def asset_text(name: str) -> str:
    """A script or style sheet by its path under a page's asset base: ``leaflet/...`` from the
    Leaflet package, the page scripts' bundle made of them, the rest from SitMap's resources."""
    if name == PAGE_BUNDLE:
        return page_bundle()
    if name.startswith("leaflet/"):
        return (leaflet_dir() / name.split("/", 1)[1]).read_text(encoding="utf-8")
    return resources.read_text(*name.split("/"))


def data_url(path: Path) -> str:
    mime = {".png": "image/png", ".svg": "image/svg+xml"}.get(path.suffix, "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def script_safe(text: str) -> str:
    """Script text that cannot end or confuse the <script> element holding it."""
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE).replace("<!--", "<\\!--")


def inline_css(name: str) -> str:
    """The style sheet ``name`` with each image it names as a data URL (one it cannot find as
    ``url()``: an image the page never shows, and nothing may be fetched for it)."""
    css = asset_text(name)
    folder = leaflet_dir() if name.startswith("leaflet/") else resources.path(*name.split("/")[:-1])

    def repl(m: re.Match) -> str:
        ref = m.group(2)
        if ref.startswith("data:"):
            return m.group(0)
        target = (folder / ref).resolve()
        if not target.is_file():
            return "url()"
        return f'url("{data_url(target)}")'

    return re.sub(r"""url\((['"]?)([^'")]+)\1\)""", repl, css)


def inline_assets(html: str, base: str) -> str:
    """``html`` with each ``<script src="BASE...">`` and style sheet link under ``base`` put
    inside it."""

    def script(m: re.Match) -> str:
        return f"<script>\n{script_safe(asset_text(m.group(1)))}\n</script>"

    def style(m: re.Match) -> str:
        css = inline_css(m.group(1)).replace("</style", "<\\/style")
        return f"<style>\n{css}\n</style>"

    b = re.escape(base)
    html = re.sub(rf'<script src="{b}([^"]+)"></script>', script, html)
    return re.sub(rf'<link rel="stylesheet" href="{b}([^"]+)"\s*/?>', style, html)
