"""CSV points: a spreadsheet's rows with latitude and longitude columns in, SitMap's places and
rings out (UTF-8 with a BOM, formula-like cells neutralised)."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from viewer.model.io import report as why
from viewer.model.io.csv_rows import data_rows
from viewer.model.io.common import (
    SITMAP_KEYS,
    Fail,
    Reading,
    give_ids,
    check_text,
    finite_number,
    hex_colour,
    json_text,
    label,
    short,
    text_of,
    validate_all,
)
from viewer.model.io.report import OpenReport
from viewer.model.rules import MAX_TEXT_CHARS, PLACE_ROLES, STATUSES
from viewer.model.scenario import MAX_FILE_BYTES, Feature, Scenario, ScenarioError


CSV_COLUMNS = ("lat", "lon", "name", "notes", "id", "source", "status", "color", "kind", "radius_m", "role",
               "uncertainty_m")
_HEADER_ALIASES = {
    "lat": ("lat", "latitude", "y", "latdd", "latdeg", "latitudedd", "latitudewgs84", "lat(deg)", "decimallatitude",
            "latitudedecimal", "ycoord", "ycoordinate", "pointy", "latwgs84", "gpslatitude", "latitudedegrees",
            "latitudedeg", "reclat", "geolatitude"),
    "lon": ("lon", "lng", "long", "longitude", "x", "londd", "londeg", "longitudedd", "longitudewgs84", "lon(deg)",
            "decimallongitude", "longitudedecimal", "xcoord", "xcoordinate", "pointx", "lonwgs84", "longwgs84",
            "gpslongitude", "longitudedegrees", "longitudedeg", "reclong", "reclon", "geolongitude"),
    "name": ("name", "title", "label", "placename", "site", "sitename", "place", "station"),
    "notes": ("notes", "note", "description", "desc", "comment", "comments", "remarks"),
    "id": ("id", "featureid", "sitmapid"),
    "source": ("source", "src"),
    "status": ("status",),
    "color": ("color", "colour", "markercolor", "markercolour"),
    "kind": ("kind", "sitmapkind"),
    "radius_m": ("radiusm", "radius", "radius(m)"),
    "role": ("role", "sitmaprole"),
    "uncertainty_m": ("uncertaintym", "uncertainty(m)"),
    # a hemisphere of its own beside the number (GPS loggers' LATITUDE,N/S,LONGITUDE,E/W; EXIF's Ref)
    "lat_hemisphere": ("n/s", "ns", "nors", "lathemisphere", "latitudehemisphere", "latref", "latituderef",
                       "gpslatituderef"),
    "lon_hemisphere": ("e/w", "ew", "eorw", "lonhemisphere", "longitudehemisphere", "lonref", "longituderef",
                       "gpslongituderef"),
}
_LOOSE_HEMISPHERES = ("ns", "ew", "nors", "eorw")  # (names that may mean something else away from the numbers)
_HEMISPHERES = {"lat": {"n": 1.0, "north": 1.0, "s": -1.0, "south": -1.0},
                "lon": {"e": 1.0, "east": 1.0, "w": -1.0, "west": -1.0}}


def _in_hemisphere(value: float, letter: str, axis: str, fail: Fail, where: str) -> float:
    """``value`` (degrees) in the hemisphere its own column names (N/S, E/W; blank: as written)."""
    t = letter.strip().lower()
    if not t:
        return value
    sign = _HEMISPHERES[axis].get(t)
    if sign is None:
        fail(f"{where}.{axis}", f"hemisphere {short(letter)!r} must be "
                                f"{'N or S' if axis == 'lat' else 'E or W'}")
    return sign * abs(value)


_ESCAPED_JSON_KEY = re.compile(r'\\"[^"\\]{1,100}\\"\s*:')  # (a JSON key's quotes escaped: \"type\":)
_FORMULA_RE = re.compile(r"^'*[=+\-@\t\r]")


def neutralise(cell: str) -> str:
    """A spreadsheet must never run a cell: text starting with = + - @ TAB CR gets a leading '.

    Leading quotes before such a character are doubled too, so reading undoes it exactly. A NUL
    character (text from another tool's file) is written as U+FFFD: no CSV reader takes one, and
    SitMap's own refuses a file that holds one as not text."""
    if "\x00" in cell:
        cell = cell.replace("\x00", "\ufffd")
    return "'" + cell if _FORMULA_RE.match(cell) else cell


def unneutralise(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and _FORMULA_RE.match(cell) else cell


def export_csv(scenario: Scenario) -> bytes:
    """Point features (places, and rings by their centre and radius) as UTF-8 CSV with a BOM (Excel
    reads it): SitMap's columns, then each other field the points carry (an airport's code, a
    shapefile's attributes), as QGIS writes a layer's fields; opened again, they are its fields."""
    points = [f for f in scenario.features if f.geometry.get("type") == "Point"]
    extra = _extra_columns(points)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(list(CSV_COLUMNS) + [neutralise(k) for k in extra])
    for f in points:
        lat, lon = f.latlon()
        p = f.properties
        colour = (p.get("style") or {}).get("color", "")
        radius = repr(float(p["radius_m"])) if f.kind == "range_ring" else ""
        text = [str(p.get("name", "") or ""), str(p.get("notes", "") or ""), f.id, f.source, f.status, colour, f.kind]
        uncertainty = p.get("uncertainty_m")
        w.writerow([repr(lat), repr(lon)] + [neutralise(t) for t in text] + [radius, str(p.get("role") or ""),
                   repr(float(uncertainty)) if uncertainty else ""]
                   + [neutralise(_cell_text(p.get(k))) for k in extra])
    return buf.getvalue().encode("utf-8-sig")


MAX_EXTRA_COLUMNS = 190  # (a sheet's first 200 columns are read back)


def _extra_columns(points: list[Feature]) -> list[str]:
    """The fields the points carry beyond SitMap's own, in the order they are first met. (A field
    named as the reader also names one of its columns, "station" or "Id", is read back as that
    field: SitMap's own column, written first, is the one taken; only a hemisphere's names, which
    no column of SitMap's takes first, are not written.)"""
    taken = {a for key in ("lat_hemisphere", "lon_hemisphere") for a in _HEADER_ALIASES[key]}
    out: dict[str, None] = {}
    for f in points:
        for k in f.properties:
            if k not in out and (k not in SITMAP_KEYS or k in OWN_TEXT_COLUMNS) and 0 < len(k.strip()) <= 100 \
                    and k == k.strip() and _normal_header(k) not in taken and len(out) < MAX_EXTRA_COLUMNS:
                out[k] = None
    return list(out)


# SitMap's own texts of a point written in columns of their own names, after its other columns, and
# read back as its own (a place's local name, its map label, the basis of an estimate)
OWN_TEXT_COLUMNS = ("name_local", "label", "basis")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


MAX_READ_COLUMNS = 200  # a sheet's columns read as its points' fields (the rest: said)


def _extra_keys(header: list[str], used: set[int], report: OpenReport | None) -> list[tuple[int, str]]:
    """(column, field name) of a sheet's columns beyond those read as SitMap's (lat, lon, name...):
    the field named as its header (written as "'@id" for a spreadsheet: @id; one of SitMap's own
    names: as original_<name>), a second column of one name as "name (2)"; those past the
    MAX_READ_COLUMNS-th left out, and said."""
    out: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for i, h in enumerate(header[:MAX_READ_COLUMNS]):
        key = unneutralise(h.strip())[:100]  # (a header written as "'@id": @id)
        if i in used or not key:
            continue
        if report is None:  # (imported into a map: only the columns of SitMap's own texts)
            if key in OWN_TEXT_COLUMNS:
                out.append((i, key))
            continue
        key = f"original_{key}" if key in SITMAP_KEYS and key not in OWN_TEXT_COLUMNS else key
        n = seen[key] = seen.get(key, 0) + 1
        while n > 1 and f"{key} ({n})" in seen:  # (a sheet with both "value (2)" and two "value")
            n += 1
        out.append((i, key if n == 1 else f"{key} ({n})"))
        if n > 1:
            seen[f"{key} ({n})"] = 1
    past = sum(1 for i, h in enumerate(header[MAX_READ_COLUMNS:], MAX_READ_COLUMNS) if i not in used and h.strip())
    if past and report is not None:
        report.note(f"{past:,} column(s) past the first {MAX_READ_COLUMNS} left out "
                    f"(from {short(header[MAX_READ_COLUMNS].strip(), 30)!r} on)")
    return out


def _cell_value(key: str, text: str) -> Any:
    """A column's text as the row's field: a point's times (``time_utc``, written as the JSON list
    :func:`_cell_text` makes of several) as that list again, so the time slider and a time window
    see them; any other as its text."""
    if key == "time_utc" and text.startswith("["):
        times = json_text(text)
        if isinstance(times, list) and times and all(isinstance(t, str) for t in times):
            return times
    return text


def not_in_csv(scenario: Scenario) -> str:
    """What a CSV of points leaves out of the map, in words ("" if nothing)."""
    shapes = sum(1 for f in scenario.features if f.geometry.get("type") != "Point")
    layered = sum(1 for f in scenario.features if f.geometry.get("type") == "Point" and f.properties.get("layer"))
    more = sum(1 for f in scenario.features if f.geometry.get("type") == "Point" and _more_than_csv(f.properties))
    parts = ([f"{shapes:,} line(s) and area(s)"] if shapes else []) + \
        ([f"{len(scenario.facts):,} fact(s)"] if scenario.facts else []) + \
        ([f"the layers of {layered:,} point(s)"] if layered else []) + \
        ([f"the styles or reported ranges of {more:,} point(s)"] if more else [])
    if not parts:
        return ""
    return f"a CSV holds points only: {' and '.join(parts)} are not in it (GeoJSON, KML and GeoPackage keep them)"


# SitMap's own properties a CSV row carries (its colour, of the style): the rest are not written
_IN_CSV = frozenset(OWN_TEXT_COLUMNS + ("kind", "status", "radius_m", "name", "notes", "source", "annotation", "layer", "role",
                     "uncertainty_m"))


def _more_than_csv(p: dict) -> bool:
    """Whether a point's properties hold what its CSV row does not (a style beyond its colour, a
    launch point's reported range...)."""
    style = p.get("style")
    if isinstance(style, dict) and set(style) - {"color"}:
        return True
    return any(k in p and p[k] not in (None, "") for k in SITMAP_KEYS if k not in _IN_CSV and k != "style")


_DMS_HINT = re.compile(r"[°º˚′'″\"]|\d\s*[NSEWnsew]\s*$|^\s*[NSEWnsew]|\d\s+\d")


def _degrees(lat_text: str, lon_text: str, lat: float | None, lon: float | None) -> tuple[float | None, float | None]:
    """Degrees written as people write them: 39°12′N, 39 12 30 N, 125°40'23.9"E."""
    from viewer.model.coords import CoordinateError, parse_latlon

    if not (lat_text.strip() and lon_text.strip()) or len(lat_text) > 40 or len(lon_text) > 40:
        return lat, lon
    if not all(_DMS_HINT.search(t) for t in (lat_text, lon_text)):
        return lat, lon  # "39.1.2" is a typing slip, not degrees and minutes
    try:
        return parse_latlon(f"{lat_text.strip()}, {lon_text.strip()}")
    except CoordinateError:
        return lat, lon


_WITHIN = {"lat": ("lat", "latitude"), "lon": ("lon", "lng", "longitude")}


def _named_within(header: list[str], columns: dict[str, int]) -> dict[str, int]:
    """The latitude and longitude columns a sheet names with more words (centroid_lat,
    geo_longitude, "Latitude of site"), where no header is one of their names: the one column
    (not otherwise taken) with "lat"/"latitude", and the one with "lon"/"lng"/"longitude" (or
    "long" last), among its words; none where two could be it."""
    taken = set(columns.values())
    found: dict[str, int] = {}
    for axis in ("lat", "lon"):
        if axis in columns:
            continue
        hits = []
        for i, h in enumerate(header):
            words = [w for w in re.split(r"[^a-z0-9]+", h.strip().lower()) if w]
            if i not in taken and words and (any(w in _WITHIN[axis] for w in words)
                                             or (axis == "lon" and words[-1] == "long")):
                hits.append(i)
        if len(hits) == 1:
            found[axis] = hits[0]
    return found if len(set(found.values())) == len(found) else {}


def _normal_header(h: str) -> str:
    return re.sub(r"[\s_\-]", "", h.strip().lower())


def _csv_number(text: str, decimal_comma: bool) -> float | None:
    t = text.strip()
    if decimal_comma and "," in t and "." not in t:
        t = t.replace(",", ".")
    return finite_number(t) if t else None


_UTF8_HINT = " (save the sheet as CSV UTF-8)"


def _text(data: bytes, fail: Fail, report: OpenReport | None) -> str:
    """The sheet's text: UTF-8 (or UTF-16 with its mark). Opening (``report``), text in neither is
    a sheet saved as "CSV" by Excel on Windows: read in the Windows code page, as GDAL and QGIS
    read it (a byte that code page has no letter for marked), and said. Importing stays strict."""
    try:
        return text_of(data, fail, utf16=True, hint=_UTF8_HINT)
    except ScenarioError:
        if report is None or data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096] \
                or len(data) > MAX_FILE_BYTES:
            raise  # (UTF-16 that does not decode, a binary file, one too large: as said)
    report.note("Its text read as Windows-1252 (it is not UTF-8)")
    return data.decode("cp1252", errors="replace")


def import_csv(data: bytes, source_name: str) -> list[Feature]:
    """Points from a CSV with a header row (lat/latitude/y, lon/longitude/lng/x, name, notes, ...)."""
    reading = read_csv(data, source_name)
    return validate_all(reading.dicts, reading.labels, source_name)


_EXCEL_SEPARATOR = re.compile(r'^\ufeff?"?sep=([,;\t|])"?\s*$', re.IGNORECASE)


def read_csv(data: bytes, source_name: str, report: OpenReport | None = None) -> Reading:
    """The rows of a CSV as points. Strict without a report (one bad row refuses the file); with
    one, a row that cannot be read is left out and counted."""
    fail = Fail(source_name)
    data = bytes(data)
    text = _text(data, fail, report)
    if "\x00" in text:
        fail("", "contains NUL characters (not a text CSV file)")
    # (blank lines before the header, as some exports and hand edits leave them: passed over)
    first = next((line for line in text.split("\n", 50) if line.strip(" \t\r,;")), "")
    named = _EXCEL_SEPARATOR.match(first)
    if named:  # Excel's first line "sep=;": the separator named, and that line no header
        delimiter = named.group(1)
        text = text.replace(first, "", 1)  # (a blank line: the rows keep their numbers)
    else:
        delimiter = max((",", ";", "\t", "|"), key=first.count)  # (pipes: Mapnik's and many databases' dumps)
        if first.count(delimiter) == 0:
            delimiter = ","
    if csv.field_size_limit() < MAX_FILE_BYTES:  # (a country's WKT is more than the module's 128 KB)
        csv.field_size_limit(MAX_FILE_BYTES)
    # (a quoted cell after the spaces that line up a hand-written sheet is one cell, its commas in
    # it: such a sheet's cells are read without those spaces; another's keep theirs)
    padded = re.search(re.escape(delimiter) + r' +"', text) is not None
    # (quotes escaped with a backslash where JSON in a cell is written so, as CouchDB's and Mapnik's
    # sheets write it: a key's quotes; a folder's path ending in a backslash is not read so)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=padded,
                        escapechar="\\" if _ESCAPED_JSON_KEY.search(text) else None)
    header_no = 0
    try:
        while True:
            header = next(reader, None)
            header_no += 1
            if header is None or any(cell.strip(" \t\r,;") for cell in header):
                break
    except csv.Error as e:
        fail(f"row {header_no}", f"not valid CSV ({e})")
    if not header:
        fail("", "empty file: a header row with lat and lon columns is needed")
    columns: dict[str, int] = {}
    normal = [_normal_header(h) for h in header]
    bare = [re.sub(r"\(.*\)$|\[.*\]$", "", h) for h in normal]  # "Latitude (deg)", "lon [°]"
    for key, aliases in _HEADER_ALIASES.items():
        for names in (normal, bare):
            hit = next((names.index(a) for a in aliases if a in names), None)
            if hit is not None:
                columns.setdefault(key, hit)
                break
    if ("lat" not in columns or "lon" not in columns) and report is not None:
        from viewer.model.io.csv_wkt import read_wkt_rows, wkt_column

        wkt = wkt_column(normal)
        if wkt is not None:  # (a sheet of WKT shapes: QGIS's and GDAL's CSV with its geometry as text)
            return read_wkt_rows(header, reader, header_no, wkt, source_name, report)
    if "lat" not in columns or "lon" not in columns:
        columns.update(_named_within(header, columns))
    if ("lat" not in columns or "lon" not in columns) and sum(
            finite_number(h.strip()) is not None for h in header) >= 2:
        fail(f"row {header_no}", "the first row holds numbers, not column names: add a header row naming "
                                 "the latitude and longitude columns (e.g. name,lat,lon)")
    for axis in ("lat", "lon"):  # ("NS", "EW" alone only beside their numbers: another sheet's "EW" is not one)
        hemi = columns.get(f"{axis}_hemisphere")
        if hemi is not None and normal[hemi] in _LOOSE_HEMISPHERES and (
                axis not in columns or abs(hemi - columns[axis]) != 1):
            del columns[f"{axis}_hemisphere"]
    for key in ("lat", "lon"):
        if key not in columns:
            fail(f"row {header_no}", f"no {'latitude' if key == 'lat' else 'longitude'} column "
                          f"(headers: {', '.join(short(h, 20) for h in header[:12])})")
    decimal_comma = delimiter != ","
    used_columns = set(columns.values())
    extra_keys = _extra_keys(header, used_columns, report)
    dicts: list[dict] = []
    labels: list[str] = []
    wanted: list[str | None] = []
    for row_no, row in data_rows(reader, header_no, fail, lambda: len(dicts)):
        try:
            where = f"row {row_no}"

            def cell(key: str) -> str:  # (checked below with the others)
                i = columns.get(key)
                return row[i] if i is not None and i < len(row) else ""

            # (each cell within the limit; no NUL in the text: where one is not, said by its column)
            if any(len(c) > MAX_TEXT_CHARS for c in row):
                for i, c in enumerate(row):
                    check_text(fail, c, f"{where}, column {i + 1}")
            name = unneutralise(cell("name").strip())
            where = label(where, name)
            lat = _csv_number(cell("lat"), decimal_comma)
            lon = _csv_number(cell("lon"), decimal_comma)
            if lat is None or lon is None:
                lat, lon = _degrees(cell("lat"), cell("lon"), lat, lon)
            if lat is None:
                fail(f"{where}.lat", f"latitude {short(cell('lat'))!r} is not a finite number")
            if lon is None:
                fail(f"{where}.lon", f"longitude {short(cell('lon'))!r} is not a finite number")
            if "lat_hemisphere" in columns:
                lat = _in_hemisphere(lat, cell("lat_hemisphere"), "lat", fail, where)
            if "lon_hemisphere" in columns:
                lon = _in_hemisphere(lon, cell("lon_hemisphere"), "lon", fail, where)
            if not -90 <= lat <= 90:
                fail(f"{where}.lat", f"latitude {lat:g} is outside -90..90")
            if not -180 <= lon <= 180:
                fail(f"{where}.lon", f"longitude {lon:g} is outside -180..180")
            props: dict[str, Any] = {"kind": "place", "annotation": True}
            if name:
                props["name"] = name
            notes = unneutralise(cell("notes")).replace("\r\n", "\n")
            if notes:
                props["notes"] = notes
            props["source"] = unneutralise(cell("source")).strip() or source_name
            # Opened as a map, a sheet's own status, colour or kind that is not SitMap's stays with the
            # row as its original_ value (an "online" device, a "red" marker, a "restaurant").
            foreign: dict[str, str] = {}
            status = cell("status").strip().lower()
            if status and report is not None and status not in STATUSES:
                foreign["status"] = cell("status").strip()
            elif status:
                props["status"] = status
            colour = cell("color").strip()
            if colour:
                c = hex_colour(colour)
                if c is None and report is not None:
                    foreign["color"] = colour
                elif c is None:
                    fail(f"{where}.color", f"colour {short(colour)!r} must look like #RRGGBB")
                else:
                    props["style"] = {"color": c}
            kind = cell("kind").strip()
            if kind not in ("", "place", "range_ring") and report is not None:
                foreign["kind"], kind = kind, ""
            for key, value in foreign.items():
                props[f"original_{key}"] = unneutralise(value)
            if kind == "range_ring":
                radius = _csv_number(cell("radius_m"), decimal_comma)
                if radius is None:
                    fail(f"{where}.radius_m", "a range ring needs a finite radius_m")
                props["kind"], props["radius_m"] = "range_ring", radius
            elif kind not in ("", "place"):
                fail(f"{where}.kind", f"kind {short(kind)!r}: a CSV row is a place or a range_ring")
            elif report is not None and cell("radius_m").strip():  # (a place's radius: kept as the sheet's own)
                props["original_radius_m"] = unneutralise(cell("radius_m").strip())
            role = cell("role").strip()
            if role and role in PLACE_ROLES and props["kind"] == "place":
                props["role"] = role
            elif role and report is not None:  # (another sheet's "role" column: kept as its own)
                props["original_role"] = unneutralise(role)
            elif role:
                fail(f"{where}.role", f"role {short(role)!r} must be one of {', '.join(PLACE_ROLES)}")
            uncertainty = _csv_number(cell("uncertainty_m"), decimal_comma)
            if uncertainty:
                props["uncertainty_m"] = uncertainty
            # (opened as a map: the sheet's other columns stay with the row; imported: SitMap's own texts)
            for i, key in extra_keys:
                if i < len(row) and row[i].strip():
                    props.setdefault(key, _cell_value(key, unneutralise(row[i])))
            dicts.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props})
            labels.append(where)
            wanted.append(unneutralise(cell("id").strip()) or None)
        except ScenarioError as e:
            if report is None:
                raise
            report.left_out(why.BAD_ROW if e.where.endswith((".lat", ".lon")) else why.INVALID,
                            f"{e.where}: {e.what}")
    give_ids(dicts, wanted, "imported" if report is None else "feature", report)
    return Reading(dicts, labels)
