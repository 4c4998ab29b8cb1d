"""A page to print carries only the basemap the frame shows, the built-in one or a vector tile
package's (resources/js/briefing.js, cropForPrint): printing embeds each tile's canvas whole, so
the edge tiles' parts outside the frame once made an A4 300 dpi PDF carry twice the frame's pixels.
The cut tiles show exactly the pixels the whole tiles showed, where they showed them."""

from __future__ import annotations

import json
import math
import subprocess

import pytest
from PySide6.QtCore import QSize

from tests.export.conftest import run_cli
from tests.ui.conftest import js
from viewer import resources
from viewer.export import briefing as b
from viewer.model.scenario import load_scenario

READY_MS = 60_000

# Each basemap canvas the frame shows: its box on the page and its size in canvas pixels.
CANVASES = """JSON.stringify({
  frame: (function (r) { return [r.left, r.top, r.right, r.bottom]; })(SitMap.app.map.getContainer().getBoundingClientRect()),
  tiles: Array.prototype.filter.call(document.querySelectorAll('.leaflet-tile-pane canvas.sitmap-basemap-tile'),
    function (c) { return getComputedStyle(c).visibility !== 'hidden'; }).map(function (c) {
      var r = c.getBoundingClientRect();
      return { box: [r.left, r.top, r.right, r.bottom], w: c.width, h: c.height,
               alpha: c.getContext('2d').getContextAttributes().alpha };
    })
})"""

# The basemap's colour at page points: from the topmost basemap canvas there (a later one lies over
# an earlier one), read at the canvas pixel under the point.
SAMPLE = """(function (points) {
  var tiles = Array.prototype.filter.call(document.querySelectorAll('.leaflet-tile-pane canvas.sitmap-basemap-tile'),
    function (c) { return getComputedStyle(c).visibility !== 'hidden'; }).reverse();
  return JSON.stringify(points.map(function (p) {
    for (var i = 0; i < tiles.length; i++) {
      var c = tiles[i], r = c.getBoundingClientRect();
      if (p[0] >= r.left && p[0] < r.right && p[1] >= r.top && p[1] < r.bottom) {
        var x = Math.floor((p[0] - r.left) * c.width / r.width), y = Math.floor((p[1] - r.top) * c.height / r.height);
        return Array.prototype.slice.call(c.getContext('2d').getImageData(x, y, 1, 1).data, 0, 3);
      }
    }
    return null;
  }));
})(%s)"""


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(resources.default_scenario())


def test_a_page_to_print_holds_only_the_tiles_parts_the_frame_shows(qtbot, scenario):
    from viewer.ui.capture import close_view, open_briefing

    size = b.ExportSize.for_paper("a4", 150)
    w, h = size.css_size
    ratio = 150 / b.CSS_PX_PER_INCH
    view = open_briefing(scenario, size, device_size=QSize(math.ceil(w), math.ceil(h)), pixel_ratio=ratio,
                         printed=True, timeout_ms=READY_MS)
    try:
        got = json.loads(js(qtbot, view, CANVASES))
    finally:
        close_view(view)
    left, top, right, bottom = got["frame"]
    assert got["tiles"], "no basemap tile"
    slack = 1 + 2 / ratio  # a page pixel and a canvas pixel past the frame
    outside = [t for t in got["tiles"] if t["box"][0] < left - slack or t["box"][1] < top - slack
               or t["box"][2] > right + slack or t["box"][3] > bottom + slack]
    assert not outside, outside
    assert all(t["alpha"] is False for t in got["tiles"]), "a cut tile is opaque (no alpha mask in the PDF)"
    frame_pixels = (right - left) * (bottom - top) * ratio * ratio
    held = sum(t["w"] * t["h"] for t in got["tiles"])
    # (tiles of a fractional zoom are drawn finer, by up to 2 ** 0.25 each way)
    assert held <= 1.5 * frame_pixels, (held, frame_pixels)


def test_the_cut_tiles_show_the_same_pixels_in_the_same_places(qtbot, scenario):
    from viewer.ui.capture import close_view, open_briefing

    view = open_briefing(scenario, b.ExportSize.pixels(1200, 800), timeout_ms=READY_MS)
    try:
        frame = json.loads(js(qtbot, view, CANVASES))["frame"]
        left, top, right, bottom = frame
        points = [[left + (right - left) * (i + 0.37) / 20, top + (bottom - top) * (j + 0.61) / 12]
                  for i in range(20) for j in range(12)]
        before = json.loads(js(qtbot, view, SAMPLE % json.dumps(points)))
        whole = json.loads(js(qtbot, view, CANVASES))["tiles"]
        assert js(qtbot, view, "SitMap.briefing.cropForPrint(SitMap.app.map), true") is True
        after = json.loads(js(qtbot, view, SAMPLE % json.dumps(points)))
        cut = json.loads(js(qtbot, view, CANVASES))["tiles"]
    finally:
        close_view(view)
    assert all(c is not None for c in before)
    assert before == after
    assert sum(t["w"] * t["h"] for t in cut) < sum(t["w"] * t["h"] for t in whole)


def test_the_a4_pdf_carries_fewer_basemap_pixels_than_the_page_has(tmp_path):
    out = tmp_path / "brief.pdf"
    r = run_cli("--export", str(out), "--paper", "a4", "--dpi", "300")
    assert r.returncode == 0, r.stderr
    listing = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    tiles = [(int(r[3]), int(r[4])) for r in rows if r[2] == "image" and int(r[3]) > 300 and int(r[4]) > 300]
    assert tiles, listing
    # the whole tiles held 14 million pixels for this page (3508 x 2480, 8.7 million); cut, about 7
    assert sum(w * h for w, h in tiles) < 3508 * 2480


def test_a_vector_package_printed_is_cut_to_the_frame_too(tmp_path):
    from PySide6.QtGui import QImage

    from tests.export.test_package_exports import _share
    from tests.package_fixtures import URBAN, make_vector_pmtiles
    from viewer.render.basemap import Basemap

    package = make_vector_pmtiles(tmp_path / "korea.pmtiles", Basemap.load())
    out = tmp_path / "brief.pdf"
    r = run_cli("--export", str(out), "--paper", "a4", "--dpi", "300", "--basemap", str(package))
    assert r.returncode == 0, r.stderr
    listing = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    tiles = [(int(r[3]), int(r[4])) for r in rows if r[2] == "image" and int(r[3]) > 300 and int(r[4]) > 300]
    assert tiles and sum(w * h for w, h in tiles) < 3508 * 2480, listing
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", str(out), str(tmp_path / "page")], check=True)
    img = QImage(str(tmp_path / "page.png"))
    assert _share(img, URBAN, tol=6) > 0.03  # the package's landuse, printed
