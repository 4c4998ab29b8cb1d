"""The vector PDF (text is text, shapes are paths) and the self-contained HTML file."""

import re
import subprocess
import zlib

import pytest
from PySide6.QtGui import QImage

from tests.export.conftest import colour_near, run_cli

RING_RGB = (0xD5, 0x5E, 0x00)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf") / "brief.pdf"
    r = run_cli("--export", str(out), "--paper", "a4", "--dpi", "300", "--banner", "UNCLASSIFIED")
    assert r.returncode == 0, r.stderr
    return out


def _content_streams(path):
    data = path.read_bytes()
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            yield zlib.decompress(m.group(1))
        except zlib.error:
            continue


def test_pdf_is_one_a4_landscape_page(pdf):
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+1\b", info)
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert w == pytest.approx(841.9, abs=1) and h == pytest.approx(595.3, abs=1)


def test_pdf_text_is_text(pdf):
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    text = " ".join(text.split())
    for words in ("North Korea missile test, 17 January 2022", "Launch 162350Z JAN 22", "UNCLASSIFIED",
                  "Range ring, 380 km (reported)", "Flight path (estimated)", "Estimated impact area",
                  "Sources: South Korea Joint Chiefs of Staff (JCS)", "Natural Earth", "Map created",
                  "Scale true at", "380 km"):
        assert words in text, words


def test_each_map_label_is_in_the_pdf_s_text_once(pdf):
    # (its white halo was drawn as a second run of the same text: search and copy found each label
    # twice, "Dandong–Sinuiju Dandong–Sinuiju rail rail crossing crossing")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    words = text.split()
    for label in ("Seoul", "Tokyo", "Beijing"):
        assert words.count(label) == 1, (label, words.count(label))
    assert " ".join(words).count("Dandong–Sinuiju rail crossing") == 1


def test_pdf_shapes_are_vector_paths_not_one_big_image(pdf):
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    # Only basemap tiles are images; none of them covers the page.
    assert all(int(r[3]) < 2000 and int(r[4]) < 2000 for r in rows)
    ops = b"\n".join(_content_streams(pdf))
    line_tos = len(re.findall(rb"[\d.\-]+ [\d.\-]+ l\b", ops))
    assert line_tos > 150, f"only {line_tos} line-to operators: the overlays are not vector paths"
    # The ring's stroke colour is set as a vector stroke colour.
    assert re.search(_rg_pattern(RING_RGB), ops), "no stroke in the ring's colour"


def _rg_pattern(rgb) -> bytes:
    """A PDF stroke-colour operator 'r g b RG' for this colour, each part to within 0.01."""
    parts = []
    for c in rgb:
        x = c / 255
        if x == 0:
            parts.append(rb"0")
            continue
        hundredths = sorted({int(x * 100), int(x * 100 + 0.999)})
        alts = b"|".join(f"{h:02d}".encode() for h in hundredths)
        parts.append(rb"0?\.(?:" + alts + rb")\d*")
    return rb" ".join(parts) + rb" RG"


def test_the_rg_pattern_matches_only_the_colour_it_is_made_from():
    assert re.search(_rg_pattern((0xD5, 0x5E, 0x00)), b"0.835 0.369 0 RG")
    assert not re.search(_rg_pattern((0xD5, 0x5E, 0x00)), b"0 0.447 0.698 RG")


@pytest.fixture(scope="module")
def html_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("html") / "brief.html"
    r = run_cli("--export", str(out), "--size", "1280x720", "--banner", "UNCLASSIFIED")
    assert r.returncode == 0, r.stderr
    return out


def test_html_refers_to_nothing_outside_itself(html_file):
    html = html_file.read_text(encoding="utf-8")
    assert not re.search(r"""<(script|img|iframe|link|source|video|audio)\b[^>]*\b(src|href)\s*=\s*["']?(https?:|//|sitmap:|file:)""",
                         html, re.I)
    assert not re.search(r"""url\(\s*["']?(https?:|//|sitmap:)""", html, re.I)
    assert "sitmap-inline-asset" not in html and '"url":"inline:' in html  # tiles from the file itself
    assert '"inlineTiles"' in html


def _chromium_shot(chromium, html_file, tmp_path, size: str) -> QImage:
    """The page as Chromium shows it offline (no network: a proxy that is not there), ``size`` "W,H"."""
    shot = tmp_path / f"shot-{size.replace(',', 'x')}.png"
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
           f"--user-data-dir={tmp_path / 'profile'}", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
           "--virtual-time-budget=5000", f"--screenshot={shot}", f"--window-size={size}", html_file.as_uri()]
    subprocess.run(cmd, capture_output=True, timeout=120)
    return QImage(str(shot))


def test_html_opens_offline_in_chromium_with_map_rings_and_basemap(html_file, chromium, tmp_path):
    img = _chromium_shot(chromium, html_file, tmp_path, "1280,720")
    assert not img.isNull()
    colours = {}
    for y in range(0, img.height(), 3):
        for x in range(0, img.width(), 3):
            c = img.pixel(x, y) & 0xFFFFFF
            colours[c] = colours.get(c, 0) + 1
    land, sea = 0xF4F1EA, 0xCFE3EF
    total = sum(colours.values())
    assert colours.get(land, 0) > 0.05 * total, "no basemap land"
    assert colours.get(sea, 0) > 0.05 * total, "no basemap sea"
    ring = sum(n for c, n in colours.items()
               if all(abs(((c >> s) & 255) - v) < 30 for s, v in zip((16, 8, 0), RING_RGB)))
    assert ring > 100, "no range ring"
    assert colour_near(img, 640, 4, (0x00, 0x7A, 0x33), radius=0, tol=3)  # the banner


def test_html_in_a_larger_window_is_a_slide_across_the_middle_of_a_grey_page(html_file, chromium, tmp_path):
    # (it was a block in the top left corner of a white window)
    img = _chromium_shot(chromium, html_file, tmp_path, "1600,1000")
    assert not img.isNull() and img.width() == 1600
    grey = (0xE2, 0xE2, 0xE2)
    for x, y in ((60, 300), (1540, 300), (800, 900)):  # either side of the slide, and below it
        assert colour_near(img, x, y, grey, radius=0, tol=3), (x, y)
    assert colour_near(img, 800, 4, (0x00, 0x7A, 0x33), radius=0, tol=3)  # the banner, across the middle
    assert colour_near(img, 170, 4, (0x00, 0x7A, 0x33), radius=0, tol=3)
    assert not colour_near(img, 150, 4, (0x00, 0x7A, 0x33), radius=0, tol=3)


def test_a_pdf_has_the_usual_permissions_and_nothing_is_left_beside_it(pdf):
    # (before: every PDF was private, 0600, the printer's)
    import os
    import stat

    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o666 & ~umask
    assert sorted(p.name for p in pdf.parent.iterdir()) == ["brief.pdf"]


def test_a_pdf_that_fails_to_print_leaves_no_part_file_and_the_old_pdf_whole(qtbot, tmp_path, monkeypatch):
    # (before: a hidden .NAME.pdf.part was left behind, half written)
    from PySide6.QtWebEngineCore import QWebEnginePage

    from viewer import resources
    from viewer.export.briefing import ExportSize
    from viewer.model.scenario import load_scenario
    from viewer.ui.capture import ExportError
    from viewer.ui.capture_pdf import export_briefing_pdf
    from viewer.ui.web import register_scheme

    register_scheme()

    def half_written(self, callback, layout):
        from PySide6.QtCore import QByteArray

        callback(QByteArray())  # (how Qt says the printing failed)

    monkeypatch.setattr(QWebEnginePage, "printToPdf", half_written)
    out = tmp_path / "brief.pdf"
    out.write_bytes(b"the old one")
    with pytest.raises(ExportError, match="printing brief.pdf to PDF failed"):
        export_briefing_pdf(load_scenario(resources.default_scenario()), out, ExportSize.pixels(800, 600))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.pdf"] and out.read_bytes() == b"the old one"


def test_a_pdf_named_in_another_encoding_than_utf8_is_written_there(tmp_path):
    # (Qt takes a file name as text only: such a name was printed elsewhere, a .part left behind and
    # the export said to have failed for want of room on the disk)
    import os

    folder = tmp_path / os.fsdecode(b"d\xff")
    folder.mkdir()
    out = folder / os.fsdecode(b"brief\xfe.pdf")
    r = run_cli("--export", str(out), "--paper", "a4", "--dpi", "150")
    assert r.returncode == 0, r.stderr
    assert out.read_bytes().startswith(b"%PDF") and sorted(p.name for p in tmp_path.rglob("*")) == sorted(
        [folder.name, out.name])
