"""Regenerate SitMap's raster icons from resources/icons/sitmap.svg.

Writes resources/icons/hicolor/<N>x<N>/sitmap.png for the freedesktop sizes (16–512 px, used by
``sitmap --install-desktop`` and the bundle's install.sh), resources/icons/sitmap.ico (Windows:
16–256 px) and resources/icons/sitmap.icns (macOS). The SVG is drawn by Qt (QtSvg, part of
PySide6); Pillow packs the .ico and .icns (``pip install pillow``, listed in the ``bundle`` extra).

    python tools/make_icons.py
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "sitmap.svg"
OUT = ROOT / "resources" / "icons"
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(size: int) -> bytes:
    """PNG bytes of the SVG drawn at size x size pixels on a transparent background."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG}: not a valid SVG")
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    painter = QPainter(img)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    return bytes(data)


def main() -> int:
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (QImage text needs it)
    for n in HICOLOR_SIZES:
        target = OUT / "hicolor" / f"{n}x{n}" / "sitmap.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(render(n))
    images = {n: Image.open(io.BytesIO(render(n))).convert("RGBA") for n in ICO_SIZES}
    images[256].save(OUT / "sitmap.ico", format="ICO", sizes=[(n, n) for n in ICO_SIZES],
                     append_images=[images[n] for n in ICO_SIZES if n != 256])
    big = Image.open(io.BytesIO(render(1024))).convert("RGBA")
    big.save(OUT / "sitmap.icns", format="ICNS")
    print(f"wrote {len(HICOLOR_SIZES)} PNG sizes, sitmap.ico and sitmap.icns under {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
