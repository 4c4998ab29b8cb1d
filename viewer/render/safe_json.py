"""JSON that is safe to place inside a <script> element or pass to runJavaScript."""

from __future__ import annotations

import json
from typing import Any


def safe_json(obj: Any) -> str:
    """It can never close the element or open a comment, whatever text it carries."""
    return _script_safe(json.dumps(obj, ensure_ascii=True, separators=(",", ":"), allow_nan=False))


def fast_safe_json(obj: Any) -> str:
    """JSON of ``obj`` as safe inside a <script> element as :func:`safe_json`'s, written by orjson:
    compact UTF-8 (the page is UTF-8), many times as fast for megabytes of it (a large map's
    features batch inside a briefing or an HTML file: 0.8 s by the standard writer at 100,000
    lines and areas). As the window's batch (viewer.render.page.features_batch), a NaN or an
    infinity is written as null, not refused."""
    import orjson

    text = orjson.dumps(obj).decode("utf-8")
    return _script_safe(text).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def tiles_json(tiles: dict[str, bytes | str]) -> str:
    """``{"z/x/y": tile, ...}`` from the tiles' own JSON (as made, not decoded and written again),
    as safe inside a <script> element as :func:`safe_json`."""
    parts = [f"{json.dumps(k)}:{v.decode('utf-8') if isinstance(v, bytes) else v}" for k, v in tiles.items()]
    return _script_safe("{" + ",".join(parts) + "}").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _script_safe(text: str) -> str:
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
