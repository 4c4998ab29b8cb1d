"""Pictures of a cached page's first basemap tiles, as the window showed them: the next start of
the same page shows them instead of drawing its first view's tiles again (resources/js/basemap.js,
``pictures``). Each picture keeps the labels its tile left out (placement's, and those hidden by
name), its canvas's size and pixel ratio: the page shows it only where drawing the tile would give
the same pixels. The drawing code is part of the key: a change to the tile painter or the layer
(resources/js/basemap_paint.js, basemap.js) leaves every picture out. No Qt here.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from functools import lru_cache

from viewer import resources

PICTURES_ID = "sitmap-carried-pictures"  # (read by resources/js/basemap.js as the page's scripts run)
MAX_PICTURES = 64  # tiles, as many as a cached page carries
MAX_PICTURE_BYTES = 2_000_000  # one tile's PNG, at most (a 4K screen's 512-pixel tile: about 300 KB)
_KEY = re.compile(r"\d{1,2}/\d{1,7}/\d{1,7}")
_FLAGS = re.compile(r"[01]{0,4096}")
_PNG = b"\x89PNG\r\n\x1a\n"


DRAWING_SCRIPTS = ("basemap_paint.js", "basemap.js")  # the tile painter, and the layer that says which labels


@lru_cache(maxsize=1)
def drawing_code() -> str:
    """What the pictures were drawn by: the basemap's drawing code (its two scripts' hash)."""
    h = hashlib.sha256()
    for name in DRAWING_SCRIPTS:
        h.update(resources.path("js", name).read_bytes())
    return h.hexdigest()[:32]


def clean_pictures(text: str, keys: set[str] | frozenset[str]) -> dict[str, dict]:
    """The page's pictures (JSON text from basemap.js's givePictures) that are whole and well
    formed, for the tiles ``keys`` only; anything else is left out."""
    try:
        given = json.loads(text)
    except (TypeError, ValueError):
        return {}
    if not isinstance(given, dict):
        return {}
    out: dict[str, dict] = {}
    for key, p in given.items():
        if len(out) >= MAX_PICTURES or key not in keys or not _KEY.fullmatch(key) or not isinstance(p, dict):
            continue
        png, skip, hid, w, h, ratio = (p.get(k) for k in ("png", "skip", "hid", "w", "h", "ratio"))
        if not (isinstance(png, str) and isinstance(skip, str) and isinstance(hid, str)
                and _FLAGS.fullmatch(skip) and _FLAGS.fullmatch(hid) and len(skip) == len(hid)
                and type(w) is int and type(h) is int and 0 < w <= 4096 and 0 < h <= 4096
                and type(ratio) in (int, float) and 0 < ratio <= 16):
            continue
        if len(png) > MAX_PICTURE_BYTES * 4 // 3 + 4:
            continue
        try:
            if not base64.b64decode(png, validate=True).startswith(_PNG):
                continue
        except (binascii.Error, ValueError):
            continue
        out[key] = {"png": png, "skip": skip, "hid": hid, "w": w, "h": h, "ratio": ratio}
    return out


def pictures_text(pictures: dict[str, dict]) -> str:
    """The file's text: the drawing code on the first line, then the pictures as JSON."""
    return drawing_code() + "\n" + json.dumps(pictures, separators=(",", ":"))


def pictures_from(text: str) -> str | None:
    """The pictures' JSON text from a file's text, if the drawing code is still the one that drew
    them (checked by the page as it reads each one)."""
    code, _, body = text.partition("\n")
    if code != drawing_code() or not body.startswith("{"):
        return None
    return body


def carrying_pictures(html: str, pictures: str | None) -> str:
    """A page with its first tiles' pictures inside it, before its scripts (which read them as
    they run). JSON, never run; escaped so it cannot end its element."""
    if not pictures or "<head>" not in html:
        return html
    safe = pictures.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return html.replace("<head>", f'<head>\n<script type="application/json" id="{PICTURES_ID}">{safe}</script>', 1)
