"""A cache of built map pages, keyed by the scenario file's bytes and the code that builds
pages. Opening the same scenario again starts drawing at once, while Python loads folium,
shapely and the rest alongside the web engine instead of before it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from viewer import __version__


def _code_fingerprint() -> str:
    """Changes whenever anything that shapes the page changes (sizes and times of the files)."""
    here = Path(__file__).resolve().parent
    root = here.parent
    # (the readers in model/io too: a page cached before a reader changed showed the old reading)
    files = sorted(list(here.rglob("*.py")) + list((root / "model").rglob("*.py")))
    from viewer import resources

    basemap_meta = resources.path("basemap", "basemap.json")
    if basemap_meta.exists():
        files.append(basemap_meta)
    h = hashlib.sha256(__version__.encode())
    for f in files:
        st = f.stat()
        h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()


class PageCache:
    def __init__(self, folder: Path, keep: int = 20):
        self.folder = Path(folder)
        self.keep = keep

    def key(self, scenario_bytes: bytes) -> str:
        h = hashlib.sha256(_code_fingerprint().encode() + b"\0")
        h.update(scenario_bytes)  # (not a copy of a file's bytes joined to the fingerprint: 0.13 s at 200 MB)
        return h.hexdigest()

    def get(self, key: str) -> dict | None:
        try:
            data = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("html"), str) \
                or not isinstance(data.get("online_specs"), list) or not isinstance(data.get("tiles", {}), dict):
            return None
        return data

    def put(self, key: str, html: str, online_specs: list[dict], tiles: dict | None = None) -> None:
        """``tiles``: the basemap tiles the page drew first ({"z/x/y": json text}), to serve next time."""
        from viewer.model.project import write_atomic

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(self.folder / f"{key}.json",
                         json.dumps({"html": html, "online_specs": online_specs,
                                     "tiles": dict(list((tiles or {}).items())[:64])}).encode("utf-8"))
            old = sorted(self.folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)[self.keep:]
            for p in old:
                p.unlink()
                p.with_suffix(PICTURES_SUFFIX).unlink(missing_ok=True)
                p.with_suffix(PREPARED_SUFFIX).unlink(missing_ok=True)
        except OSError:
            pass  # a cache that cannot be written only costs speed

    def pictures(self, key: str) -> str | None:
        """The pictures of the page's first tiles kept with it (JSON text,
        viewer.render.tile_pictures), if they were drawn by the basemap's drawing code as it is."""
        from viewer.render.tile_pictures import pictures_from

        try:
            text = (self.folder / f"{key}{PICTURES_SUFFIX}").read_text(encoding="utf-8")
        except (OSError, ValueError):
            return None
        return pictures_from(text)

    def put_pictures(self, key: str, pictures: dict[str, dict]) -> None:
        """Keep ``pictures`` (checked: viewer.render.tile_pictures.clean_pictures) with the page
        ``key``, if that page is still in the cache, and the page as it is then served (see
        :meth:`prepared`); none: those kept go."""
        from viewer.model.project import write_atomic
        from viewer.render.tile_pictures import drawing_code, pictures_from, pictures_text

        target = self.folder / f"{key}{PICTURES_SUFFIX}"
        prepared = self.folder / f"{key}{PREPARED_SUFFIX}"
        try:
            page = self.get(key)
            if page is None:
                return
            if pictures:
                text = pictures_text(pictures)
                write_atomic(target, text.encode("utf-8"))
                served = served_page(page["html"], page.get("tiles"), pictures_from(text))
                write_atomic(prepared, drawing_code().encode("ascii") + b"\n" + served)
            else:
                target.unlink(missing_ok=True)
                prepared.unlink(missing_ok=True)
        except OSError:
            pass

    def prepared(self, key: str) -> bytes | None:
        """The page ``key`` as served with its tiles and their pictures inside it and its policy
        (:func:`served_page`), kept with the pictures: a start reads it instead of putting the
        page together (5-6 ms before its navigation begins); None if there is none, or if the
        basemap's drawing code has changed since its pictures were kept."""
        from viewer.render.tile_pictures import drawing_code

        try:
            data = (self.folder / f"{key}{PREPARED_SUFFIX}").read_bytes()
        except OSError:
            return None
        code, _, body = data.partition(b"\n")
        return body if code == drawing_code().encode("ascii") and body else None


def served_page(html: str, tiles: dict | None, pictures: str | None) -> bytes:
    """A cached page as a start serves it: its first tiles and their pictures inside it, and the
    policy that lets only its own scripts run (viewer/ui/web.py, AppSchemeHandler.set_page)."""
    from viewer.render.csp import with_csp
    from viewer.render.tile_pictures import carrying_pictures

    return with_csp(carrying_pictures(carrying_tiles(html, tiles), pictures)).encode("utf-8")


PICTURES_SUFFIX = ".pictures"  # beside a page's <key>.json: its first tiles' pictures
PREPARED_SUFFIX = ".page"  # ... and the page as served with them (PageCache.prepared)


CARRIED_TILES_ID = "sitmap-carried-tiles"  # (read by resources/js/sitmap.js, startMap)


def carrying_tiles(html: str, tiles: dict | None) -> str:
    """A page with basemap tiles inside it ({"z/x/y": their JSON, text or bytes}: those of its first
    view, or those a cached page drew the time before): the page paints them as it starts, instead
    of asking the app for them once its features are drawn and painting them after its first frame.
    (JSON, never run; escaped so it cannot end its element.)"""
    from viewer.render.safe_json import tiles_json

    good = {k: v for k, v in (tiles or {}).items() if isinstance(k, str) and isinstance(v, (str, bytes))}
    if not good or "</head>" not in html:
        return html
    element = f'<script type="application/json" id="{CARRIED_TILES_ID}">{tiles_json(good)}</script>\n'
    return html.replace("</head>", element + "</head>", 1)
