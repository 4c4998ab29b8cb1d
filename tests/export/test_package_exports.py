"""A tile package chosen as the basemap (``--basemap FILE``) is in the PNG, PDF and HTML
briefings, with its credit; the HTML file carries its tiles inside itself."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from PySide6.QtGui import QImage

from tests.export.conftest import run_cli
from tests.package_fixtures import RASTER_LAND, RASTER_SEA, URBAN, make_raster_mbtiles, make_vector_pmtiles


@pytest.fixture(scope="module")
def archives(tmp_path_factory):
    from viewer.render.basemap import Basemap

    d = tmp_path_factory.mktemp("pkgs")
    bm = Basemap.load()
    return {"raster": make_raster_mbtiles(d / "korea.mbtiles", bm), "vector": make_vector_pmtiles(d / "korea.pmtiles", bm)}


def _share(img: QImage, rgb, tol=8, step=3) -> float:
    n = hit = 0
    for y in range(0, img.height(), step):
        for x in range(0, img.width(), step):
            c = img.pixel(x, y)
            n += 1
            hit += all(abs(((c >> s) & 255) - v) <= tol for s, v in zip((16, 8, 0), rgb))
    return hit / max(1, n)


def test_png_briefing_shows_a_raster_package(archives, tmp_path):
    out = tmp_path / "brief.png"
    r = run_cli("--export", str(out), "--size", "1280x720", "--basemap", str(archives["raster"]))
    assert r.returncode == 0, r.stderr
    img = QImage(str(out))
    assert _share(img, RASTER_LAND) > 0.05 and _share(img, RASTER_SEA) > 0.05


def test_the_capture_waits_for_a_raster_packages_images(qtbot, archives, monkeypatch):
    """A raster package's tiles are images over the basemap: the capture compares the frame with
    their pixels too (its page has the corner mark, but the mark's going is not enough: the
    package's tiles can come after the page said it was drawn), so it is not taken before the
    compositor has them (a frame of the built-in basemap alone was once written, after the package
    said it had loaded)."""
    import json

    from tests.ui.conftest import js
    from viewer import resources
    from viewer.export import briefing as b
    from viewer.model.scenario import load_scenario
    from viewer.render.tile_packages import REGISTRY
    from viewer.ui import capture
    from viewer.ui.capture import close_view, open_briefing, wait_for_briefing_frame

    REGISTRY.choose(REGISTRY.add(archives["raster"]).id)  # (the offline basemap again after it: tests/conftest.py)
    view = open_briefing(load_scenario(resources.default_scenario()), b.ExportSize.pixels(1280, 720),
                         b.BriefingOptions(), timeout_ms=60_000)
    asked = []
    value = capture._page_value
    monkeypatch.setattr(capture, "_page_value", lambda v, script, *a: (asked.append(script), value(v, script, *a))[1])
    try:
        samples = json.loads(js(qtbot, view, "JSON.stringify(SitMap.briefing.tileSamples())"))
        image = wait_for_briefing_frame(view)
    finally:
        close_view(view)
    assert view.briefing.config.get("frameMark") and any("tileSamples" in a for a in asked), asked

    def near(rgb, colour):
        return all(abs(a - c) <= 8 for a, c in zip(rgb, colour))

    land = sum(near(s[2:], RASTER_LAND) for s in samples)
    sea = sum(near(s[2:], RASTER_SEA) for s in samples)
    assert land >= 20 and sea >= 20, f"{land} land and {sea} sea samples of {len(samples)}"
    assert _share(image, RASTER_LAND) > 0.05 and _share(image, RASTER_SEA) > 0.05


def test_png_briefing_shows_a_vector_package_in_the_basemap_style(archives, tmp_path):
    out = tmp_path / "brief.png"
    r = run_cli("--export", str(out), "--size", "1280x720", "--basemap", str(archives["vector"]))
    assert r.returncode == 0, r.stderr
    img = QImage(str(out))
    assert _share(img, URBAN, tol=4) > 0.05  # the package's landuse, tinted as urban areas
    assert _share(img, (0xCF, 0xE3, 0xEF), tol=4) > 0.05  # the sea, in the built-in colour


def test_pdf_briefing_shows_the_package_and_credits_it(archives, tmp_path):
    out = tmp_path / "brief.pdf"
    r = run_cli("--export", str(out), "--paper", "a4", "--dpi", "150", "--basemap", str(archives["raster"]))
    assert r.returncode == 0, r.stderr
    text = " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout.split())
    assert "Basemap: Korea land test tiles (Test tiles from Natural Earth (public domain))" in text
    assert "Elsewhere: Natural Earth" in text
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", str(out), str(tmp_path / "page")], check=True)
    img = QImage(str(tmp_path / "page.png"))
    assert _share(img, RASTER_LAND, tol=12) > 0.03 and _share(img, RASTER_SEA, tol=12) > 0.03


@pytest.mark.parametrize("kind", ["raster", "vector"])
def test_html_briefing_carries_the_package_inside_itself(archives, tmp_path, kind, chromium):
    out = tmp_path / "brief.html"
    r = run_cli("--export", str(out), "--size", "1280x720", "--basemap", str(archives[kind]))
    assert r.returncode == 0, r.stderr
    html = out.read_text(encoding="utf-8")
    assert not re.search(r"""<(script|img|iframe|link)\b[^>]*\b(src|href)\s*=\s*["']?(https?:|//|sitmap:|file:)""", html, re.I)
    assert "sitmap://app/pkg" not in html
    name = "Korea land test tiles" if kind == "raster" else "Korea vector test tiles"
    assert f"Basemap: {name}" in html  # in the credits
    if kind == "raster":
        assert html.count("data:image/png;base64,") > 10
    else:
        cfg = json.loads(re.search(r'<script type="application/json" id="sitmap-briefing-config">(.*?)</script>',
                                   html, re.S).group(1))
        tiles = cfg["inlineTiles"]["tiles"]
        assert sum(1 for t in tiles.values() if t.get("urban")) > 5
    shot = tmp_path / "shot.png"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--no-first-run", "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}",
                    "--proxy-server=127.0.0.1:9", "--virtual-time-budget=5000", f"--screenshot={shot}",
                    "--window-size=1280,720", out.as_uri()], capture_output=True, timeout=120)
    img = QImage(str(shot))
    assert not img.isNull()
    if kind == "raster":
        assert _share(img, RASTER_LAND) > 0.05 and _share(img, RASTER_SEA) > 0.05
    else:
        assert _share(img, URBAN, tol=4) > 0.05


def test_html_export_says_it_left_an_online_layer_out():
    from viewer import resources
    from viewer.export.briefing import ExportSize
    from viewer.export.html import build_html
    from viewer.model.scenario import load_scenario
    from viewer.render.tile_packages import REGISTRY

    REGISTRY.online = {"name": "OpenStreetMap (online)", "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                       "attribution": "(C) OpenStreetMap contributors", "maxZoom": 19}
    notes: list[str] = []
    try:
        html = build_html(load_scenario(resources.default_scenario()), ExportSize.pixels(800, 450), notes=notes)
    finally:
        REGISTRY.online = None
    assert notes == ["OpenStreetMap (online) left out (online only); offline basemap shown"]
    assert "OpenStreetMap (online) left out (online only)" in html  # in the credits line
    assert "tile.openstreetmap.org" not in html


def _world_package(path, zooms, rgb):
    """A raster package of one colour over the whole world (zooms ``zooms``)."""
    import sqlite3

    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor

    img = QImage(256, 256, QImage.Format.Format_RGB32)
    img.fill(QColor(*rgb))
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    con = sqlite3.connect(str(path))
    con.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    con.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    con.executemany("INSERT INTO metadata VALUES (?, ?)", [("name", "Red world"), ("format", "png"),
                    ("minzoom", str(min(zooms))), ("maxzoom", str(max(zooms))), ("bounds", "-180,-85,180,85")])
    con.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)", [(z, x, y, bytes(data.data())) for z in zooms
                                                               for x in range(1 << z) for y in range(1 << z)])
    con.commit()
    con.close()
    return path


def test_a_world_package_of_few_zooms_fills_a_small_briefing_across_180_degrees(tmp_path):
    # (found in review: its tiles came after the page said it was drawn, so the capture waited for a
    # frame that never matched, 60 s; and past 180 degrees east the package stopped)
    red = (200, 30, 30)
    package = _world_package(tmp_path / "red.mbtiles", range(0, 4), red)
    out = tmp_path / "brief.png"
    r = run_cli("--export", str(out), "--size", "640x480", "--basemap", str(package), timeout=60)
    assert r.returncode == 0, r.stderr
    img = QImage(str(out))
    assert _share(img, red, tol=12) > 0.5
    map_right = [img.pixel(x, 300) for x in range(600, 625)]  # (the view reaches past 180 degrees east)
    assert all(abs(((c >> 16) & 255) - red[0]) <= 12 and abs(((c >> 8) & 255) - red[1]) <= 12 for c in map_right)
