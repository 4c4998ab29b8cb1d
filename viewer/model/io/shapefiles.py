"""Shapefiles (through ``pyshp``): a .shp with the files of the same name beside it (.dbf for the
attributes, .shx, .prj for the coordinate system, .cpg for the text encoding), or a zip archive
of one or more shapefiles, as they are mailed and downloaded. Each shapefile of an archive is a
layer of the map. A zip archive without a shapefile but with one other file SitMap opens (a
GeoJSON, a GeoPackage...) opens that file."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import math
import warnings
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from viewer.model.file_read import readable_name
from viewer.model.io import report as why
from viewer.model.io.common import Fail, Reading, short
from viewer.model.scenario import ScenarioError
from viewer.model.io.layered import UNDEFINED, Layer, read_layers
from viewer.model.io.zip_safe import checked_zip, member_bytes, plain_members
from viewer.model.rules import MAX_FEATURES, MAX_FILE_BYTES

SIDECARS = (".dbf", ".shx", ".prj", ".cpg")
_PARTS = (".shp",) + SIDECARS
RINGS_AS_OUTER = ("polygons whose rings all run counter-clockwise (holes, by the shapefile's rule), or lie "
                  "outside every outer ring: read as outer rings")
OPENED_INSIDE = (".geojson", ".json", ".gpkg", ".kml", ".gpx", ".csv")  # a zip's one file, opened as itself


def bundled(path: Path) -> bytes:
    """A .shp and the files beside it of the same name (any case), as one zip archive in memory:
    what SitMap reads as the shapefile. Raises OSError as reading a file does."""
    path = Path(path)
    stem = path.stem.lower()
    siblings = {}
    try:
        for p in path.parent.iterdir():
            if p.stem.lower() == stem and p.suffix.lower() in SIDECARS and p.is_file():
                # (the file of exactly its name first: a.dbf is a.shp's where A.dbf is beside it too)
                if p.stem == path.stem or siblings.get(p.suffix.lower(), p).stem != path.stem:
                    siblings[p.suffix.lower()] = p
    except OSError:
        siblings = {}  # (a folder that cannot be listed: the .shp alone)
    total = path.stat().st_size + sum(p.stat().st_size for p in siblings.values())
    if total > MAX_FILE_BYTES:
        raise OSError(27, f"the shapefile's files are {total / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:  # (no dates: the same files, the same bytes)
        # (the names as text a zip can hold: a Latin-1 "café.shp" is kept by Python as lone surrogates)
        zf.writestr(zipfile.ZipInfo(readable_name(path.name)), path.read_bytes())
        for suffix, p in sorted(siblings.items()):
            zf.writestr(zipfile.ZipInfo(readable_name(path.stem) + suffix), p.read_bytes())
    return out.getvalue()


def inner_file(raw: bytes, source_name: str) -> tuple[str, bytes] | None:
    """The one file SitMap opens in a zip archive without a shapefile (its name, its bytes);
    None if the archive holds a shapefile. Raises ScenarioError if it holds neither."""
    if not bytes(raw[:4]) == b"PK\x03\x04":
        return None
    fail = Fail(source_name)
    with checked_zip(bytes(raw), fail) as zf:
        members = plain_members(zf)
        if any(i.filename.lower().endswith(".shp") for i in members):
            return None
        openable = [i for i in members if PurePosixPath(i.filename).suffix.lower() in OPENED_INSIDE]
        top = [i for i in openable if "/" not in i.filename.strip("/")]
        if openable and all(i.filename.lower().endswith(".kml") for i in openable) and (
                len(top) == 1 or any(i.filename.lower() == "doc.kml" for i in top)):
            # a KMZ by another name: its document (doc.kml, or the one at its top), with what it links
            return PurePosixPath(source_name).stem + ".kmz", bytes(raw)
        if len(openable) != 1:
            held = ", ".join(short(i.filename, 40) for i in members[:4]) or "nothing"
            fail("", "the zip archive holds no shapefile (.shp)" + (
                f" and {len(openable)} files SitMap opens: open one of them" if openable else f" (it holds {held})"))
        return openable[0].filename, member_bytes(zf, openable[0], fail)


def read_shapefiles(raw: bytes, source_name: str, report) -> Reading:
    fail = Fail(source_name)
    raw = bytes(raw)
    if raw[:4] != b"PK\x03\x04":  # a .shp alone (its other files not given)
        sets = {Path(source_name).stem: {".shp": raw}}
    else:
        sets, others = _sets(raw, fail)
        _say_others(others, report)
    layers = []
    for stem, files in sets.items():
        try:
            layers.append(_layer(stem, files, fail, report))
        except ScenarioError as e:
            if len(sets) == 1:
                raise
            report.left_out(why.INVALID, f"{stem} ({e.what})")  # (one damaged shapefile of several: the others open)
    if not layers:
        fail("", "none of its shapefiles can be read")
    return read_layers(layers, source_name, report)


def _say_others(others: list[str], report) -> None:
    """An archive's shapefiles are opened: the files of other formats beside them (a GeoJSON, a
    KML: ``others``) are not, and the report says which, to be opened on their own."""
    if others:
        names = ", ".join(short(n, 40) for n in others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        report.note(f"the archive's shapefiles opened, not the {names} beside them "
                    f"(open {'it' if len(others) == 1 else 'each'} on its own)")


def _sets(raw: bytes, fail: Fail) -> tuple[dict[str, dict[str, bytes]], list[str]]:
    """Each shapefile of the archive: its name (the path without suffix) and files by suffix; and
    the names of its files of the other formats SitMap opens (not opened with the shapefiles)."""
    groups: dict[str, dict[str, zipfile.ZipInfo]] = {}
    others: list[str] = []
    with checked_zip(raw, fail) as zf:
        for info in plain_members(zf):
            p = PurePosixPath(info.filename)
            if p.suffix.lower() in _PARTS:
                groups.setdefault(str(p.with_suffix("")), {})[p.suffix.lower()] = info
            elif p.suffix.lower() in OPENED_INSIDE:
                others.append(info.filename)
        # a file of another case joins the one shapefile of its name (A.DBF beside a.shp), never
        # one of two (a.shp and A.shp are two shapefiles, each with its own files)
        shps = [k for k, parts in groups.items() if ".shp" in parts]
        for key in [k for k in groups if k not in shps]:
            same = [k for k in shps if k.lower() == key.lower()]
            if len(same) == 1:
                for suffix, info in groups.pop(key).items():
                    groups[same[0]].setdefault(suffix, info)
        sets = {}
        for key, parts in sorted(groups.items()):
            if ".shp" not in parts:
                continue
            name = PurePosixPath(parts[".shp"].filename).stem
            sets[name if name not in sets else key] = {s: member_bytes(zf, i, fail) for s, i in parts.items()}
    if not sets:
        fail("", "the zip archive holds no shapefile (.shp)")
    return sets, others


def _encoding(files: dict[str, bytes]) -> str | None:
    """The text encoding the .cpg names (None: none named, or not one Python knows)."""
    text = files.get(".cpg", b"").decode("ascii", "replace").strip().lower()
    if not text:
        return None
    name = text.replace("ansi ", "").replace("ansi", "").strip()
    if name.isdigit():
        name = {"65001": "utf-8", "88591": "latin-1"}.get(name, f"cp{name}")
    elif name.startswith("8859"):
        name = "iso-" + name
    for candidate in (name, name.replace("-", ""), name.replace("-", "_")):  # (Big-5, Shift-JIS, EUC-KR)
        try:
            return codecs.lookup(candidate).name
        except (LookupError, ValueError):  # (ValueError: a NUL in the name)
            continue
    return None


# The code page a .dbf's language driver byte (its 30th) names, as dBASE, ArcGIS and GDAL give
# them: read by it when no .cpg names the encoding and the text is not UTF-8. (0x57, "the system's
# ANSI page", names none.)
_DRIVER_PAGES = {
    0x01: "cp437", 0x02: "cp850", 0x03: "cp1252", 0x08: "cp865", 0x09: "cp437", 0x0A: "cp850", 0x0B: "cp437",
    0x0D: "cp437", 0x0E: "cp850", 0x0F: "cp437", 0x10: "cp850", 0x11: "cp437", 0x12: "cp850", 0x13: "cp932",
    0x14: "cp850", 0x15: "cp437", 0x16: "cp850", 0x17: "cp865", 0x18: "cp437", 0x19: "cp437", 0x1A: "cp850",
    0x1B: "cp437", 0x1C: "cp863", 0x1D: "cp850", 0x1F: "cp852", 0x22: "cp852", 0x23: "cp852", 0x24: "cp860",
    0x25: "cp850", 0x26: "cp866", 0x37: "cp850", 0x40: "cp852", 0x4D: "cp936", 0x4E: "cp949", 0x4F: "cp950",
    0x50: "cp874", 0x58: "cp1252", 0x59: "cp1252", 0x64: "cp852", 0x65: "cp866", 0x66: "cp865", 0x67: "cp861",
    0x6A: "cp737", 0x6B: "cp857", 0x6C: "cp863", 0x78: "cp950", 0x79: "cp949", 0x7A: "cp936", 0x7B: "cp932",
    0x7C: "cp874", 0x86: "cp737", 0x87: "cp852", 0x88: "cp857", 0xC8: "cp1250", 0xC9: "cp1251",
    0xCA: "cp1254", 0xCB: "cp1253", 0xCC: "cp1257",
}
_PAGE_NAMES = {"cp1252": "Windows-1252", "cp1250": "Windows-1250", "cp1251": "Windows-1251 (Cyrillic)",
               "cp1253": "Windows-1253 (Greek)", "cp1254": "Windows-1254 (Turkish)", "cp1257": "Windows-1257 (Baltic)",
               "cp932": "Shift-JIS", "cp936": "GBK", "cp949": "EUC-KR", "cp950": "Big5", "cp874": "Thai (874)"}


def _driver_page(files: dict[str, bytes]) -> str | None:
    """The code page the .dbf's language driver byte names (None: none, or a .dbf too short)."""
    dbf = files.get(".dbf", b"")
    return _DRIVER_PAGES.get(dbf[29]) if len(dbf) > 32 else None


def _layer(stem: str, files: dict[str, bytes], fail: Fail, report) -> Layer:
    import shapefile

    shapefile.VERBOSE = False  # (its notes of rings read as outer ones go to the report, not stderr)
    if files[".shp"][:4] != b"\x00\x00\x27\x0a":  # (a .shp begins with its file code, 9994)
        fail(stem, "not a readable shapefile (its .shp does not begin as one)")
    if ".shx" in files and _index_walks_back(files[".shx"]):
        # (pyshp steps through the records by the index's lengths: a negative one reads the same
        # shape again and again, a file of kilobytes as millions of positions)
        files = {k: v for k, v in files.items() if k != ".shx"}
        report.note(f"Layer {short(stem)!r}: its .shx index gives a record a negative length; its shapes "
                    "were read in order from its .shp, without the index")
    prj = files.get(".prj", b"").decode("utf-8-sig", "replace").strip()
    layer = Layer(name=stem, system=prj or UNDEFINED)
    said = _encoding(files)
    # (the encoding the .cpg names, any text it cannot decode marked; without one UTF-8, else the
    # code page the .dbf's header names, else the Windows code page most shapefiles without one
    # were written in)
    driver = _driver_page(files)
    fallback = driver or "cp1252"
    encoding, outer, error = _read_layer(shapefile, files, said, fallback, layer)
    short_dbf = _cut_short(files.get(".dbf", b"")) if error is not None else None
    if short_dbf is not None:  # (a .dbf cut short, as a download or copy stopped: the records it holds)
        trial = Layer(name=layer.name, system=layer.system)
        read = _read_layer(shapefile, {**files, ".dbf": short_dbf[0]}, said, fallback, trial)
        if read[2] is None:
            report.note(f"Layer {short(stem)!r}: its .dbf ends after record {short_dbf[1]:,} of the "
                        f"{short_dbf[2]:,} it declares (cut short?); the shapes after it opened without "
                        "their attributes")
            layer, (encoding, outer, error) = trial, read
    if error is not None and ".dbf" in files:  # (a .dbf that cannot be read: the shapes without it)
        shapes_only = {k: v for k, v in files.items() if k != ".dbf"}
        trial = Layer(name=layer.name, system=layer.system)
        read = _read_layer(shapefile, shapes_only, said, fallback, trial)
        if len(trial.labels) > len(layer.labels):
            report.note(f"Layer {short(stem)!r}: its .dbf could not be read ({short(str(error), 60)}); "
                        "its shapes opened without their attributes")
            files, layer, (encoding, outer, error) = shapes_only, trial, read
    if error is not None and layer.labels:  # (bytes between two records that are no record: read past them)
        from viewer.model.io.shp_records import passed_over

        found = passed_over(files[".shp"])
        if found is not None:
            cleaned = {**{k: v for k, v in files.items() if k != ".shx"}, ".shp": found[0]}  # (its offsets are the old ones)
            encoding, outer, error = _read_layer(shapefile, cleaned, said, fallback, layer)
            gaps = "; ".join(f"{size:,} after shape {after}" for after, size in found[1][:5])
            report.note(f"Layer {short(stem)!r}: bytes between its shapes that are no shape were passed over ({gaps}"
                        f"{', …' if len(found[1]) > 5 else ''})")
    if error is not None:
        if not layer.labels:
            fail(stem, f"not a readable shapefile ({short(str(error) or type(error).__name__, 100)})")
        report.left_out(why.INVALID, f"{stem}: the shapes after shape {len(layer.labels)} "
                                     f"({short(str(error) or type(error).__name__, 60)})")
    for where in outer:
        report.kept_without(RINGS_AS_OUTER, where)
    if not said and encoding == fallback:
        page = _PAGE_NAMES.get(fallback, f"code page {fallback[2:]}")
        header = "" if driver is None else ", as its .dbf's header says"
        report.note(f"Layer {short(stem)!r}: its text read as {page}{header} (no .cpg names its encoding, "
                    "and it is not UTF-8)")
    return layer


def _index_walks_back(shx: bytes) -> bool:
    """Whether a .shx gives any record a negative content length (its records: an offset and a
    length each, big-endian 32-bit words, after its 100-byte header)."""
    from viewer.model import numeric

    numeric.load()
    import numpy as np

    entries = max(0, (len(shx) - 100) // 8)
    return bool(entries) and int(np.frombuffer(shx, dtype=">i4", count=2 * entries, offset=100)[1::2].min()) < 0


def _cut_short(dbf: bytes) -> tuple[bytes, int, int] | None:
    """A .dbf shorter than its header says (its records declared, times their length, past its end)
    as one that declares the whole records it holds: (that .dbf, their count, the count declared);
    None for any other. (pyshp refuses a .dbf shorter than its header says, records and all.)"""
    import struct

    if len(dbf) < 32:
        return None
    declared, header, size = struct.unpack("<IHH", dbf[4:12])
    if size <= 0 or header < 32 or len(dbf) < header or len(dbf) >= header + declared * size:
        return None
    whole = (len(dbf) - header) // size
    return dbf[:4] + struct.pack("<I", whole) + dbf[8:header + whole * size], whole, declared


def _read_layer(shapefile, files: dict[str, bytes], said: str | None, fallback: str,
                layer: Layer) -> tuple[str, list[str], Exception | None]:
    """The layer's shapes and records read in the encoding the .cpg names, else UTF-8 if its text
    is, else ``fallback``: (the encoding, the labels of shapes read with holes as outer rings, the
    error that ended the reading early or None)."""
    encoding = said or "utf-8"
    outer: list[str] = []
    for encoding, errors in ([(said, "replace")] if said else [("utf-8", "strict"), (fallback, "replace")]):
        layer.geometries, layer.attributes, layer.labels = [], [], []
        outer = []
        try:
            _read(shapefile, files, encoding, errors, layer, outer)
            return encoding, outer, None
        except UnicodeDecodeError:
            continue
        except Exception as e:  # noqa: BLE001 - pyshp's errors for a damaged file are of many kinds (KeyError for an unknown shape or field type)
            if errors == "strict" and "decode" in str(e):  # (pyshp's own error for text it cannot decode)
                continue
            return encoding, outer, e
    return encoding, outer, None


def _read(shapefile, files: dict[str, bytes], encoding: str, errors: str, layer: Layer, outer: list[str]) -> None:
    shx = io.BytesIO(files[".shx"]) if ".shx" in files else None
    dbf = io.BytesIO(files[".dbf"]) if ".dbf" in files else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (pyshp warns of header sizes one byte off: the shapes are read)
        _read_shapes(shapefile.Reader(shp=io.BytesIO(files[".shp"]), shx=shx, dbf=dbf, encoding=encoding,
                                      encodingErrors=errors), dbf is not None, layer, outer)


def _read_shapes(r, has_dbf: bool, layer: Layer, outer: list[str]) -> None:
    """The shapes into ``layer``; into ``outer`` the label of each polygon pyshp read with holes
    as outer rings (a ring that runs counter-clockwise is a hole by the format's rule: one of
    only such rings, or outside every outer ring, is taken as an outer ring, as GDAL does too)."""
    from viewer.model.io.geojson_any import name_of

    gone = object()
    with r:
        # (a record marked deleted, as QGIS, ArcGIS and dBASE leave one until the file is packed,
        # comes as None: its shape is left out with it, as GDAL does, and the rest stay in step)
        records = r.iterRecords(deleted_as_None=True) if has_dbf else None
        for n, shape in enumerate(r.iterShapes(), start=1):
            if n > MAX_FEATURES:
                raise ValueError(f"more than {MAX_FEATURES:,} shapes")
            record = next(records, gone) if records is not None else gone
            if record is None:
                continue
            record = None if record is gone else record
            attrs = {k: _value(v) for k, v in record.as_dict().items()} if record is not None else {}
            attrs = {k: v for k, v in attrs.items() if v is not None}
            name = name_of(attrs)
            layer.labels.append(f"{layer.name} shape {n}" + (f" (name {short(name.strip())!r})" if name else ""))
            layer.attributes.append(attrs)
            layer.geometries.append(_geometry(shape))
            odd = getattr(shape, "_errors", None)  # (pyshp's account of the rings it read otherwise)
            if isinstance(odd, dict) and (odd.get("polygon_only_holes") or odd.get("polygon_orphaned_holes")):
                outer.append(layer.labels[-1])


def _geometry(shape) -> Any:
    if shape.shapeType == 0 or not shape.points:  # (a null shape: a record without a place)
        return None
    try:
        return shape.__geo_interface__
    except Exception as e:  # noqa: BLE001 - pyshp's own errors for shapes it cannot give (a MultiPatch)
        return ValueError(short(str(e) or f"shape type {shape.shapeType}", 80))


def _value(v: Any) -> Any:
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, bytes):
        return None
    if isinstance(v, str):
        return v.strip() or None
    if isinstance(v, float) and not math.isfinite(v):  # (a map file cannot hold NaN or infinity)
        return None
    return v
