"""The PNG writer the exports use (viewer/export/png.py): valid files that decode to the exact
pixels, in one piece and in two halves deflated at once."""

import platform
import random
import struct
import zlib

import pytest

from viewer.export import png
from viewer.export.png import png_bytes


# Where pyproject.toml makes the isal wheel a dependency (its environment marker's machines).
WITH_ISAL = platform.machine() in ("x86_64", "AMD64", "aarch64", "arm64")


def _needs_isal() -> None:
    if not WITH_ISAL:
        pytest.skip(f"no isal wheel on {platform.machine()}: zlib deflates there")
    assert png._fast is not None, "the isal wheel is a dependency on this machine"


@pytest.fixture(params=["isal", "zlib"])
def deflater(request, monkeypatch):
    """Each test runs with ISA-L's deflate (the wheel, where the project depends on it) and with
    zlib's, the writer's way without the wheel."""
    if request.param == "zlib":
        monkeypatch.setattr(png, "_fast", None)
    else:
        _needs_isal()
    return request.param


@pytest.fixture
def zlib_only(monkeypatch):
    monkeypatch.setattr(png, "_fast", None)


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    out, at = [], 8
    while at < len(data):
        (size,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + size]
        (crc,) = struct.unpack(">I", data[at + 8 + size:at + 12 + size])
        assert crc == zlib.crc32(kind + body), kind
        out.append((kind, body))
        at += 12 + size
    return out


def _decode(data: bytes) -> tuple[int, int, int, bytes]:
    """(width, height, colour type, the rows without their filter bytes) of a file whose rows are
    unfiltered, read with nothing but zlib."""
    chunks = _chunks(data)
    assert [k for k, _ in chunks] == [b"IHDR", b"IDAT", b"IEND"]
    width, height, depth, colour, comp, filt, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, comp, filt, interlace) == (8, 0, 0, 0)
    raw = zlib.decompress(chunks[1][1])  # (checks the stream's Adler-32 too)
    row = width * (4 if colour == 6 else 3)
    assert len(raw) == height * (row + 1)
    rows = []
    for y in range(height):
        line = raw[y * (row + 1):(y + 1) * (row + 1)]
        assert line[0] == 0
        rows.append(line[1:])
    return width, height, colour, b"".join(rows)


def _pixels(width: int, height: int, channels: int, stride: int, seed: int) -> tuple[bytes, bytes]:
    """(the buffer with ``stride`` bytes a row, the rows alone) of flat colour with some noise."""
    rnd = random.Random(seed)
    rows = []
    for y in range(height):
        base = bytes([(y * 7) % 256, (y * 3) % 256, 200, 255][:channels]) * width
        line = bytearray(base)
        for _ in range(width // 8):
            line[rnd.randrange(len(line))] = rnd.randrange(256)
        rows.append(bytes(line))
    padded = b"".join(r + b"\xee" * (stride - len(r)) for r in rows)
    return padded, b"".join(rows)


@pytest.mark.parametrize("width,height,stride", [(1, 1, 3), (7, 5, 24), (300, 200, 900)])
def test_small_pictures_decode_to_their_pixels(width, height, stride, deflater):
    buffer, rows = _pixels(width, height, 3, stride, seed=width)
    w, h, colour, got = _decode(png_bytes(width, height, buffer, stride))
    assert (w, h, colour) == (width, height, 2)
    assert got == rows


def test_a_large_picture_is_deflated_in_two_halves_that_make_one_stream(monkeypatch, zlib_only):
    width, height = 1200, 800  # 2.9 MB of rows: over PARALLEL_BYTES
    buffer, rows = _pixels(width, height, 3, width * 3, seed=1)
    assert len(rows) > png.PARALLEL_BYTES
    halves = []
    real = zlib.compressobj
    monkeypatch.setattr(png.zlib, "compressobj", lambda *a: halves.append(a) or real(*a))
    data = png_bytes(width, height, buffer, width * 3)
    assert len(halves) == 2
    assert _decode(data)[3] == rows
    # deflated about as well as in one piece
    assert len(data) < 1.05 * len(zlib.compress(rows, 1)) + 1000


def test_alpha_gives_rgba_rows(deflater):
    buffer, rows = _pixels(9, 4, 4, 40, seed=3)
    w, h, colour, got = _decode(png_bytes(9, 4, buffer, 40, alpha=True))
    assert (w, h, colour) == (9, 4, 6)
    assert got == rows


@pytest.mark.parametrize("width,height,buffer,stride", [
    (0, 5, b"", 0), (4, 0, b"", 12), (4, 2, b"\0" * 23, 12), (4, 2, b"\0" * 40, 10)])
def test_impossible_pictures_are_refused(width, height, buffer, stride):
    with pytest.raises(ValueError):
        png_bytes(width, height, buffer, stride)


def test_qt_reads_what_it_writes_back_pixel_for_pixel(tmp_path, qapp, deflater):
    from PySide6.QtGui import QColor, QImage, QPainter

    from viewer.ui.capture import _save

    image = QImage(1500, 900, QImage.Format.Format_RGB32)  # (over PARALLEL_BYTES as RGB)
    image.fill(QColor("#cfe3f2"))
    p = QPainter(image)
    p.fillRect(100, 100, 700, 300, QColor("#d55e00"))
    p.drawText(50, 50, "SitMap 17 January 2022")
    p.end()
    out = tmp_path / "map.png"
    _save(image, out)
    back = QImage(str(out))
    assert not back.hasAlphaChannel()
    assert back.convertToFormat(QImage.Format.Format_RGB32) == image

    see_through = QImage(40, 30, QImage.Format.Format_ARGB32)
    see_through.fill(QColor(10, 20, 30, 128))
    _save(see_through, tmp_path / "alpha.png")
    back = QImage(str(tmp_path / "alpha.png"))
    assert back.hasAlphaChannel()
    assert back.pixelColor(5, 5).alpha() == 128 and back.pixelColor(5, 5).red() == 10


def test_a_half_that_fails_fails_the_picture(monkeypatch, zlib_only):
    """(never a file whose second half is missing)"""
    width, height = 1200, 800
    buffer, _rows = _pixels(width, height, 3, width * 3, seed=2)
    real = zlib.compressobj
    made = []

    class Broken:
        def __init__(self, *a):
            self.c = real(*a)

        def compress(self, data):
            if made:  # (the second one made: the other thread's)
                raise MemoryError("no room")
            return self.c.compress(data)

        def flush(self, mode):
            return self.c.flush(mode)

    def compressobj(*a):
        b = Broken(*a)
        made.append(b)
        return b

    monkeypatch.setattr(png.zlib, "compressobj", compressobj)
    with pytest.raises(MemoryError):
        png_bytes(width, height, buffer, width * 3)


def test_isal_deflates_a_large_picture_to_its_pixels_about_as_small_as_zlib():
    _needs_isal()
    width, height = 1200, 800
    buffer, rows = _pixels(width, height, 3, width * 3, seed=4)
    data = png_bytes(width, height, buffer, width * 3)
    assert _decode(data)[3] == rows  # (zlib reads ISA-L's stream, its Adler-32 checked)
    assert len(data) < 1.15 * len(zlib.compress(rows, 1)) + 1000
