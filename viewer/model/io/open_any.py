"""Open any geodata file as a map: SitMap's own files exactly (the strict reader), GeoJSON from
any tool, KML/KMZ, CSV points and GPX leniently: everything that can be shown is, and the
:class:`~viewer.model.io.report.OpenReport` says what was left out or repaired. Only a file with
nothing usable, or an unsafe one, is refused (one :class:`ScenarioError` line)."""

from __future__ import annotations

import codecs
import re
from pathlib import Path, PurePosixPath
from typing import Any

from viewer.model.bulk import collector_paused
from viewer.model.file_kinds import SEQUENCE_SUFFIXES
from viewer.model.file_read import readable_name
from viewer.model.io.checked import checked_features
from viewer.model.io.common import Fail, Reading, check_nesting, check_nesting_of, loads_json
from viewer.model.io.geojson_any import UNREAD, foreign_system, read_geojson_map
from viewer.model.io.report import OpenReport
from viewer.model.io.topojson import is_topology, read_topology
from viewer.model.lon_span import narrowest_span
from viewer.model.scenario import MAX_FILE_BYTES, Scenario, ScenarioError, parse_decoded

MAX_USER_LAYERS = 200
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def read_file_bytes(path: str | Path) -> bytes:
    """A file's bytes, or :class:`ScenarioError` (not found, a folder, too large, unreadable)."""
    p = Path(path)
    name = p.name or str(p)
    try:
        if p.is_dir():
            raise ScenarioError(name, "", "is a folder, not a file")
        size = p.stat().st_size
    except FileNotFoundError:
        raise ScenarioError(name, "", "file not found") from None
    except OSError as e:
        raise ScenarioError(name, "", f"cannot read the file ({e.strerror or e})") from None
    if size > MAX_FILE_BYTES:
        raise ScenarioError(name, "", f"file is {size / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB")
    try:
        return map_file_bytes(p)
    except OSError as e:
        raise ScenarioError(name, "", f"cannot read the file ({e.strerror or e})") from None


def map_file_bytes(path: Path) -> bytes:
    """What SitMap reads as the map file at ``path``: its bytes; for a shapefile's .shp, it and the
    files of the same name beside it, zipped together in memory. Raises OSError."""
    if path.suffix.lower() == ".shp":
        from viewer.model.io.shapefiles import bundled

        return bundled(path)
    from viewer.model.file_read import read_bytes_at_most

    return read_bytes_at_most(path, MAX_FILE_BYTES)


def open_map_file(path: str | Path) -> tuple[Scenario, OpenReport]:
    """The file at ``path`` as a map, and what was left out. Raises :class:`ScenarioError` only."""
    p = Path(path)
    return open_map_bytes(read_file_bytes(p), p.name or str(p))



def open_map_bytes(raw: bytes, source: str, doc: Any = UNREAD) -> tuple[Scenario, OpenReport]:
    """A file's map and the report of what was left out. ``doc``: a GeoJSON file's document,
    decoded already from ``raw`` (File > Import decides by it how to read the file)."""
    with collector_paused():  # a large file makes millions of small objects
        return _open_map_bytes(raw, readable_name(source), doc)


def _open_map_bytes(raw: bytes, source: str, decoded: Any = UNREAD) -> tuple[Scenario, OpenReport]:
    report = OpenReport(source)
    fail = Fail(source)
    if len(raw) > MAX_FILE_BYTES:
        fail("", f"file is {len(raw) / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB")
    if not raw.strip(b" \t\r\n\x0b\x0c\xef\xbb\xbf"):  # (nothing, blanks or a UTF-8 byte order mark only)
        fail("", "empty file: nothing to open" if not raw else "empty file: nothing but blank space to open")
    refuse_other_format(raw, source)  # (a picture or a PDF named .kmz or .geojson: said what it is)
    fmt = format_of(raw, source)
    if fmt == "geojson" and bytes(raw[:2]) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) and decoded is UNREAD:
        raw = _from_utf16(raw, fail)  # (as a CSV or a KML in UTF-16 opens: Windows' "Unicode" text)
        report.note("Its text read as UTF-16")
    if fmt == "geojson":
        try:
            # from the bytes: a large file is never copied as text
            doc = loads_json(raw, fail, "", nesting=False) if decoded is UNREAD else decoded
            whole = True
        except ScenarioError:
            doc = _sequence(raw, fail, report)  # (GeoJSON a feature a line, or as RFC 8142 text sequences)
            if doc is None:
                raise
            whole = False
        if isinstance(doc, dict) and "sitmap" in doc:
            notes: list[str] = []  # (what it leaves out rather than refuses: a local time's unknown zone)
            scenario = parse_decoded(doc, source, notes)  # SitMap's own: exactly, extras and all
            for note in notes:
                report.note(note)
            report.opened = len(scenario.features)
            report.own_format = True
            return scenario, report
        if whole:
            check_nesting_of(doc, raw, fail, "")
        else:
            check_nesting(doc, fail, "")
        system = foreign_system(doc.get("crs")) if isinstance(doc, dict) else None
        if is_topology(doc):  # (TopoJSON: its objects, their arcs joined)
            reading = read_topology(doc, source, report)
        elif system is None:
            reading = read_geojson_map(doc, source, report)
        else:  # (a projected layer exported by QGIS or GDAL: converted to longitude/latitude)
            reading = _projected(doc, system, source, report)
    elif fmt == "kml":  # (each reader imported when a file needs it: not for a map of SitMap's own)
        from viewer.model.io.kml import read_kml

        reading = read_kml(raw, source, report)
    elif fmt == "gpx":
        from viewer.model.io.gpx import read_gpx

        reading = read_gpx(raw, source, report)
    elif fmt == "gpkg":
        from viewer.model.io.geopackage import read_geopackage

        reading = read_geopackage(raw, source, report)
    elif fmt == "shapefile":
        from viewer.model.io.shapefiles import inner_file, read_shapefiles

        inner = inner_file(raw, source)
        if inner is not None:  # (a zip archive of one GeoJSON, GeoPackage...: that file)
            name, data = inner
            return _open_map_bytes(data, PurePosixPath(name).name)
        reading = read_shapefiles(raw, source, report)
    else:
        refuse_other_format(raw, source)
        from viewer.model.io.csv_points import read_csv

        reading = read_csv(raw, source, report)
    features = checked_features(reading, report)
    if not features and report.counts:  # (all it held left out: refused, saying why)
        said = "; ".join(line.strip() for line in report.lines(notes=False)[1:3])
        fail("", "nothing SitMap can show in this file" + (f" (left out: {said})" if said else ""))
    # A file of no features at all (an empty map exported, an empty layer of another tool)
    # opens as an empty map: whatever SitMap wrote, it reopens.
    return _scenario(reading, features, source, report), report


def _projected(doc: dict, system: str, source: str, report: OpenReport) -> Reading:
    from viewer.model.io.layered import read_projected_geojson
    from viewer.model.io.to_lonlat import UnknownSystem, conversion_for

    try:
        conversion_for(system)
    except UnknownSystem as e:
        Fail(source)("crs", f"coordinates are in {system[:60]}, a coordinate system SitMap cannot read ({e}): "
                            "export the layer as WGS84 longitude/latitude")
    return read_projected_geojson(doc, system, source, report)


def _from_utf16(raw: bytes, fail: Fail) -> bytes:
    """UTF-16 text with its byte order mark, as UTF-8."""
    try:
        text = bytes(raw).decode("utf-16")
    except UnicodeError as e:
        fail(f"byte {getattr(e, 'start', 0)}", "not UTF-16 text, though it begins with UTF-16's byte order mark")
    return text.encode("utf-8")


def format_of(raw: bytes, source: str) -> str:
    """geojson, kml (KML or KMZ), gpx, gpkg (GeoPackage), shapefile (a shapefile's files, zipped)
    or csv: by the name's suffix, else by the content."""
    suffix = Path(source).suffix.lower()
    if suffix == ".gpkg" or bytes(raw[:16]) == b"SQLite format 3\x00":
        return "gpkg"
    if suffix in (".shp", ".zip") or (raw[:4] == b"PK\x03\x04" and _zipped_shapefile(raw)):
        return "shapefile"
    if suffix in (".geojson", ".json", ".topojson"):
        return "geojson"
    if suffix in (".kml", ".kmz"):
        return "kml"
    if suffix == ".gpx":
        return "gpx"
    if suffix == ".csv":
        return "csv"
    if suffix in _SEQUENCE_SUFFIXES:
        return "geojson"
    head = bytes(raw[:1024]).lstrip(codecs.BOM_UTF8).lstrip()
    if head.startswith(b"\x1e"):  # (RFC 8142: a record separator before each GeoJSON text)
        return "geojson"
    if raw[:4] == b"PK\x03\x04":
        return "kml"
    if head.startswith(b"<") or raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "gpx" if re.search(rb"<(?:\w+:)?gpx[\s>]", head) else "kml"
    if head.startswith((b"{", b"[")):
        return "geojson"
    return "csv"


# Formats SitMap does not read, by their first bytes: said by name rather than read as a CSV
_OTHER_FORMATS = ((b"fgb\x03fgb", "FlatGeobuf"), (b"II*\x00", "TIFF (GeoTIFF)"), (b"MM\x00*", "TIFF (GeoTIFF)"),
                  (b"\x89PNG\r\n\x1a\n", "PNG image"), (b"\xff\xd8\xff", "JPEG image"), (b"%PDF-", "PDF"),
                  (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Excel (.xls)"))


def refuse_other_format(raw: bytes, source: str) -> None:
    """Raises :class:`ScenarioError` naming the format if ``raw`` begins as one SitMap does not read."""
    head = bytes(raw[:8])
    other = next((name for magic, name in _OTHER_FORMATS if head.startswith(magic)), None)
    if other:
        Fail(source)("", f"this is a {other} file; SitMap opens GeoJSON, KML/KMZ, GPX, CSV, GeoPackage and "
                         "shapefiles (QGIS can save a layer as a GeoPackage, a spreadsheet as CSV UTF-8)")


def _zipped_shapefile(raw: bytes) -> bool:
    """Whether a zip archive holds a shapefile (its .shp) rather than a KMZ's document."""
    import io
    import zipfile

    from viewer.model.io.zip_safe import ZIP_ERRORS

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            return any(n.lower().endswith(".shp") for n in zf.namelist()[:1000])
    except ZIP_ERRORS:
        return False


_SEQUENCE_SUFFIXES = SEQUENCE_SUFFIXES


def _sequence(raw: bytes, fail: Fail, report: OpenReport) -> dict | None:
    """GeoJSON written a text at a time (newline-delimited, or RFC 8142 sequences with a record
    separator before each) as one FeatureCollection: each text a Feature, a FeatureCollection or a
    geometry. A text that is not (a line cut short by a broken download, a line of something else)
    is left out, and the report says which, where most of the texts are. None: not such a file (no
    text, or only one line, or not most of them, is one of these)."""
    text = bytes(raw).removeprefix(codecs.BOM_UTF8)
    if b"\x1e" in text:  # (RFC 8142: a record may take several lines, as jq --seq writes them)
        chunks = [(f"record {k}", c) for k, c in enumerate(text.split(b"\x1e")) if c.strip()]
        if not chunks:
            return None
    else:
        chunks = [(f"line {k}", c) for k, c in enumerate(text.split(b"\n"), 1) if c.strip()]
        if len(chunks) < 2:
            return None
    features: list = []
    bad: list[tuple[str, str]] = []  # (why, where)
    good = 0
    for where, c in chunks:
        try:
            doc = loads_json(c, fail, "")
        except ScenarioError as e:
            if "UTF-8" in e.what:  # (text in another encoding is no line cut short: said as such)
                return None
            bad.append((SEQUENCE_NOT_JSON, where))
            continue
        kind = doc.get("type") if isinstance(doc, dict) else None
        if kind == "Feature":
            features.append(doc)
        elif kind == "FeatureCollection" and isinstance(doc.get("features"), list):
            features.extend(doc["features"])
        elif kind in ("Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon",
                      "GeometryCollection"):
            features.append({"type": "Feature", "geometry": doc, "properties": {}})
        else:
            bad.append((SEQUENCE_NOT_GEOJSON, where))
            continue
        good += 1
    if not good or len(bad) >= good:
        return None
    for why, where in bad:
        report.left_out(why, where)
    return {"type": "FeatureCollection", "features": features}


SEQUENCE_NOT_JSON = "parts of a GeoJSON sequence that are not valid JSON (cut short?)"
SEQUENCE_NOT_GEOJSON = "parts of a GeoJSON sequence that are no GeoJSON feature, collection or geometry"


def _scenario(reading: Reading, features: list, source: str, report: OpenReport) -> Scenario:
    stem = re.sub(r"(\.(geo|sitmap))?\.[A-Za-z0-9]{1,8}$", "", Path(source).name)  # countries.geo.json
    title = _CONTROL_RE.sub(" ", reading.title).strip()[:200] or _CONTROL_RE.sub(" ", stem).strip()[:200] or "Untitled map"
    used = {f.properties.get("layer") for f in features}
    layers = [dict(x, label=" ".join(_CONTROL_RE.sub(" ", x["label"]).split())[:200] or x["id"])
              for x in reading.layers if x["id"] in used]
    if len(layers) > MAX_USER_LAYERS:  # a field with a value per feature is no layering: not used as one
        import dataclasses

        named = {x["id"]: x["label"] for x in reading.layers}
        layers = []
        features = [dataclasses.replace(f, properties=_without_layer(f.properties, named))
                    if "layer" in f.properties else f for f in features]
    from viewer.model.io.carried import arranged, read_facts, read_fields

    facts = read_facts(reading.facts, {f.id for f in features}, source, report) if reading.facts is not None else []
    fields = read_fields(reading.fields, source, report) if reading.fields is not None else {}
    carried_layers = fields.pop("layers", None)  # (SitMap's own arrangement, in a file it wrote)
    layers, features = arranged(layers, carried_layers, features)
    if "title" in fields:  # (the format's own title first: a GeoPackage has none)
        carried_title = fields.pop("title")
        if not reading.title.strip():
            title = _CONTROL_RE.sub(" ", carried_title).strip()[:200] or title
    view = fields.pop("view", None) or view_of_all(features)  # (the map's own, where the file carries it)
    if carried_layers is None:  # (layers the analyst hid in SitMap need no word)
        _say_hidden(layers, features, report)
    return Scenario(title=title, features=features, facts=facts, layers=layers, extra=dict(reading.extra),
                    view=view, **fields)


def _say_hidden(layers: list[dict], features: list, report: OpenReport) -> None:
    """A note of the features in layers the file hides (a KML folder's visibility 0): opened, but
    not shown until their layer is ticked, which a map that looks nearly empty does not say."""
    hidden = {x["id"]: x["label"] for x in layers if not x.get("visible", True)}
    if not hidden:
        return
    n = sum(1 for f in features if f.properties.get("layer") in hidden)
    if n:
        names = ", ".join(repr(label) for label in list(hidden.values())[:3]) + (", ..." if len(hidden) > 3 else "")
        report.note(f"{n} of {len(features)} feature(s) are in layers the file hides ({names}): "
                    "tick them in the Layers panel to show them")


def _without_layer(props: dict, named: dict) -> dict:
    """A feature's properties without its layer, the layer's name kept as ``original_layer``."""
    out = {k: v for k, v in props.items() if k != "layer"}
    if "original_layer" not in out and props["layer"] in named:
        out["original_layer"] = named[props["layer"]]
    return out


VIEW_PAD_ONE, VIEW_PAD_MAX, VIEW_PAD_SHARE = 0.01, 0.2, 0.1  # degrees, degrees, a share of the extent


def view_of_all(features: list) -> dict:
    """The opening view: everything the file holds (lines and areas too, not only points)."""
    lats: list[float] = []
    lons: list[float] = []
    stack = [f.geometry["coordinates"] for f in features]
    while stack:
        c = stack.pop()
        if c and isinstance(c[0], (int, float)):
            lons.append(float(c[0]))
            lats.append(float(c[1]))
        else:
            stack.extend(c)
    if not lats:
        return {}
    w, e = narrowest_span(lons)  # (across the antimeridian where that is narrower)
    # a margin that follows the extent: a field's outline opens filling the view, not as a speck in
    # a view fixed at 0.4 degrees; a single place opens about 2 km across
    extent = max(max(lats) - min(lats), e - w)
    pad = min(VIEW_PAD_MAX, VIEW_PAD_SHARE * extent) if extent > 0 else VIEW_PAD_ONE
    s, n = max(-85.0, min(lats) - pad), min(85.0, max(lats) + pad)
    w, e = max(-540.0, w - pad), min(540.0, e + pad)
    if not (s < n and w < e):
        return {}
    return {"bounds": [[s, w], [n, e]]}
