"""Content-Security-Policy for SitMap's pages: only the app's own scripts run.

Inline scripts are allowed one by one by their SHA-256 hash (folium writes the map's
set-up inline), so a script that scenario text might smuggle in has no hash and never
runs; no inline event handlers, no javascript: URLs, no remote scripts, no frames,
no forms, no plugins.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Iterable

# An inline script that runs: not one loaded from src, nor data a page reads (type
# "application/json": the tiles and settings pages carry, never run, need no hash; the page cache's
# 300 KB of carried tiles took 2.7 ms of every start to match as a script).
_INLINE_SCRIPT = re.compile(r"""<script(?![^>]*\b(?:src=|type=["']application/json["']))[^>]*>(.*?)</script>""",
                            re.S | re.I)


def script_hashes(html: str) -> list[str]:
    out = []
    for body in _INLINE_SCRIPT.findall(html):
        digest = hashlib.sha256(body.encode("utf-8")).digest()
        out.append("'sha256-" + base64.b64encode(digest).decode("ascii") + "'")
    return list(dict.fromkeys(out))


def policy(html: str, *, own: str = "sitmap:", img_extra: Iterable[str] = (), connect_extra: Iterable[str] = ()) -> str:
    own_src = f" {own}" if own else ""
    scripts = " ".join(script_hashes(html))
    img = " ".join(["data:", "blob:", *img_extra])
    connect = " ".join(connect_extra)
    return (f"default-src 'none'; script-src{own_src} {scripts}; style-src{own_src} 'unsafe-inline'; "
            f"img-src{own_src} {img}; font-src{own_src} data:; connect-src{own_src} {connect}; "
            "base-uri 'none'; form-action 'none'; frame-src 'none'; object-src 'none'; worker-src 'none'")


def with_csp(html: str, **kw) -> str:
    """The page with its policy as the first element of <head> (before any script)."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html, **kw)}">'
    if re.search(r"<head[^>]*>", html, re.I):
        return re.sub(r"(<head[^>]*>)", lambda m: m.group(1) + "\n    " + meta, html, count=1, flags=re.I)
    return meta + html


def origin_of(url_template: str) -> str:
    """'https://{s}.tile.example.org/{z}/{x}/{y}.png' -> 'https://*.tile.example.org'."""
    m = re.match(r"^(https?)://([^/]+)", url_template)
    if not m:
        return ""
    host = re.sub(r"\{[a-z]+\}", "*", m.group(2))
    return f"{m.group(1)}://{host}"
