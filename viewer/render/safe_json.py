"""JSON that is safe to place inside a <script> element or pass to runJavaScript."""

from __future__ import annotations

import json
import math
from typing import Any


def safe_json(obj: Any) -> str:
    """It can never close the element or open a comment, whatever text it carries."""
    return _script_safe(json.dumps(obj, ensure_ascii=True, separators=(",", ":"), allow_nan=False))


def page_json(obj: Any) -> bytes:
    """Compact JSON (UTF-8) of what a page is given, written by orjson (several times as fast as the
    standard writer for a large map's megabytes); a NaN or an infinity is written as null. What
    orjson cannot write (an integer past 64 bits, as a file's value can be) is written by the
    standard writer, the same way."""
    import orjson

    try:
        return orjson.dumps(obj)
    except TypeError:  # (orjson.JSONEncodeError is one)
        return json.dumps(_finite(obj), ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def _finite(obj: Any) -> Any:
    """``obj`` with every float that is not finite as None (as orjson writes them), lists and dicts
    copied."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    return obj


def fast_safe_json(obj: Any) -> str:
    """JSON of ``obj`` as safe inside a <script> element as :func:`safe_json`'s, written as
    :func:`page_json` writes it: compact UTF-8 (the page is UTF-8), many times as fast for megabytes
    of it (a large map's features batch inside a briefing or an HTML file: 0.8 s by the standard
    writer at 100,000 lines and areas). As the window's batch (viewer.render.page.features_batch),
    a NaN or an infinity is written as null, not refused."""
    return _script_safe_text(page_json(obj).decode("utf-8"))


def tiles_json(tiles: dict[str, bytes | str]) -> str:
    """``{"z/x/y": tile, ...}`` from the tiles' own JSON (as made, not decoded and written again),
    as safe inside a <script> element as :func:`safe_json`."""
    parts = [f"{json.dumps(k)}:{v.decode('utf-8') if isinstance(v, bytes) else v}" for k, v in tiles.items()]
    return _script_safe_text("{" + ",".join(parts) + "}")


def _script_safe_text(text: str) -> str:
    """JSON written as UTF-8 text (not ASCII), made as safe inside a <script> element as
    :func:`safe_json`'s: its line and paragraph separators escaped as well."""
    return _script_safe(text).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _script_safe(text: str) -> str:
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
