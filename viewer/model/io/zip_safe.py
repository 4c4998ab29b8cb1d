"""Zip archives from other tools (KMZ, a zipped shapefile), opened safely: entry count, unpacked
size and compression ratio checked before anything is unpacked, and each member read no further
than its header says."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from viewer.model.io.common import Fail
from viewer.model.scenario import MAX_FILE_BYTES

ZIP_MAX_ENTRIES = 100
ZIP_MAX_RATIO = 100

try:  # (a member compressed with LZMA whose data is damaged; Python built without lzma reads no such member)
    from lzma import LZMAError
except ImportError:  # pragma: no cover
    LZMAError = zlib.error

# What zipfile raises for a damaged archive (ValueError covers "negative seek value", struct.error short headers;
# OSError a damaged bzip2 member).
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, struct.error, OSError, ValueError, RuntimeError, NotImplementedError,
              EOFError, OverflowError, LZMAError)


def checked_zip(data: bytes, fail: Fail, kind: str = "zip") -> zipfile.ZipFile:
    """The archive, once its entries, unpacked size and compression ratios are within bounds
    (``kind`` names it in what is said: "KMZ", "zip")."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as e:
        fail("", f"not a valid {kind} (zip) archive ({e})" if kind != "zip" else f"not a valid zip archive ({e})")
    infos = zf.infolist()
    gdb = next((i.filename for i in infos[:10_000] if ".gdb/" in i.filename.lower()), None)
    if gdb is not None:  # (what it is, before how many files it holds)
        zf.close()
        fail("", "this is an Esri File Geodatabase (.gdb), which SitMap does not read: export its layer as a "
                 "GeoPackage or shapefile (QGIS and ArcGIS can)")
    if len(infos) > ZIP_MAX_ENTRIES:
        zf.close()
        fail("", f"{kind} archive has {len(infos):,} entries; the limit is {ZIP_MAX_ENTRIES}")
    total = sum(i.file_size for i in infos)
    if total > MAX_FILE_BYTES:
        zf.close()
        fail("", f"{kind} archive unpacks to {total / 1e6:,.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB")
    for i in infos:
        if i.file_size > ZIP_MAX_RATIO * max(i.compress_size, 1) and i.file_size > 1_000_000:
            zf.close()
            fail(i.filename, f"compressed more than {ZIP_MAX_RATIO}:1 (refused as a possible zip bomb)")
    return zf


def member_bytes(zf: zipfile.ZipFile, info: zipfile.ZipInfo, fail: Fail) -> bytes:
    """One member's bytes, refused if encrypted or if it unpacks to more than its header says."""
    if info.flag_bits & 0x1:
        fail(info.filename, "is encrypted")
    try:
        with zf.open(info) as fh:
            out = fh.read(MAX_FILE_BYTES + 1)
    except ZIP_ERRORS as e:
        fail(info.filename, f"cannot be unpacked ({e})")
    if len(out) > MAX_FILE_BYTES or len(out) > ZIP_MAX_RATIO * max(info.compress_size, 1) + 1_000_000:
        fail(info.filename, "unpacks to more than its header says (refused as a possible zip bomb)")
    return out


def plain_members(zf: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The archive's files, without folders and the resource forks macOS adds (__MACOSX/, ._NAME)."""
    return [i for i in zf.infolist() if i.filename and not i.filename.endswith("/") and not i.filename.startswith("__MACOSX/")
            and not i.filename.rsplit("/", 1)[-1].startswith("._")]
